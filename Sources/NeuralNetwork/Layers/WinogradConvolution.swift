// WinogradConvolution.swift — the fast path for 3×3 convolutions with stride 1: Winograd's minimal
// filtering F(2×2, 3×3) (Lavin & Gray 2016), 16 multiplies per 2×2 output tile instead of 36.
//
// For one input tile d [4×4] and one kernel g [3×3], the 2×2 output tile is
//
//     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
//
//     Bᵀ = | 1  0 −1  0 |     G = | 1    0    0  |     Aᵀ = | 1  1  1  0 |
//          | 0  1  1  0 |         | 1/2  1/2  1/2 |          | 0  1 −1 −1 |
//          | 0 −1  1  0 |         | 1/2 −1/2  1/2 |
//          | 0  1  0 −1 |         | 0    0    1  |
//
// Summed over input channels, the element-wise products become 16 matrix multiplies, one per position
// ξ of the 4×4 transformed tile: M[ξ] [O, tiles] = U[ξ] [O, C] · V[ξ] [C, tiles], with U = G g Gᵀ and
// V = Bᵀ d B. Tiles are transformed 8 at a time with SIMD, by the kernel family's loops (KernelLoops'
// WinogradTiles.swift). The naive twin of Convolution2D checks it.

import KernelLoops

/// One 3×3, stride-1 convolution of a single image, by F(2×2, 3×3).
struct WinogradConvolution {
    let input: ImageShape
    let outputChannels: Int
    let padding: Int
    let output: ImageShape
    let tileRows: Int
    let tileColumns: Int
    /// Tile columns rounded up to a multiple of 8 (the SIMD width).
    let paddedTileColumns: Int
    /// Images transformed together, so that each of the 16 multiplies has about 256 tile columns
    /// (V and M for a group then stay in a 1 MB L2 cache for the small networks).
    let imagesPerGroup: Int
    /// The zero-padded copy of one input plane: 2·tileRows + 2 rows of 2·paddedTileColumns + 8 values.
    let paddedHeight: Int
    let paddedWidth: Int

    var tiles: Int { tileRows * tileColumns }

    init(input: ImageShape, outputChannels: Int, padding: Int) {
        precondition(padding >= 0 && padding <= 2 && input.height + 2 * padding >= 3 && input.width + 2 * padding >= 3)
        self.input = input
        self.outputChannels = outputChannels
        self.padding = padding
        output = ImageShape(channels: outputChannels, height: input.height + 2 * padding - 2, width: input.width + 2 * padding - 2)
        tileRows = (output.height + 1) / 2
        tileColumns = (output.width + 1) / 2
        paddedTileColumns = (tileColumns + 7) / 8 * 8
        imagesPerGroup = max(1, min(16, 256 / (tileRows * tileColumns)))
        paddedHeight = 2 * tileRows + 2
        paddedWidth = 2 * paddedTileColumns + 8
    }

    /// Row stride of V and M for `count` images: every tile, plus room for a full 8-wide store past the last.
    func tileStride(images count: Int) -> Int { count * tiles + 8 }

    /// Scratch floats needed by `apply` for up to `imagesPerGroup` images: the padded plane,
    /// V [16, C, tileStride], M [16, O, tileStride] and one padded output plane [2·tileRows, 2·paddedTileColumns].
    var scratchCount: Int {
        paddedHeight * paddedWidth + 16 * (input.channels + outputChannels) * tileStride(images: imagesPerGroup)
            + 2 * tileRows * 2 * paddedTileColumns
    }

    /// U [16, O, C] from kernels g [O, C, 3, 3] (`weights` rows of 9). With `transposed`, each U[ξ] is
    /// stored transposed, giving Uᵀ [16, C, O] for the input gradient.
    static func transformKernels(_ weights: UnsafePointer<Float>, outputs: Int, inputs: Int, transposed: Bool, into u: UnsafeMutablePointer<Float>) {
        let (rows, columns) = transposed ? (inputs, outputs) : (outputs, inputs)   // U[ξ] is [rows, columns]
        for o in 0..<outputs {
            for c in 0..<inputs {
                let g = weights + (o * inputs + c) * 9
                @inline(__always) func tap(_ row: Int, _ column: Int) -> Float { g[3 * row + column] }
                // G g (4×3), column by column, then (G g) Gᵀ (4×4), row by row.
                var left = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())   // the 3 columns of G g
                for column in 0..<3 {
                    let (g0, g1, g2) = (tap(0, column), tap(1, column), tap(2, column))
                    let values = SIMD4<Float>(g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2)
                    switch column {
                    case 0: left.0 = values
                    case 1: left.1 = values
                    default: left.2 = values
                    }
                }
                let (a0, a1, a2) = left
                let (row, column) = transposed ? (c, o) : (o, c)
                @inline(__always) func store(_ j: Int, _ values: SIMD4<Float>) {   // column j of U: rows i = 0…3
                    for i in 0..<4 { u[((4 * i + j) * rows + row) * columns + column] = values[i] }
                }
                store(0, a0)
                store(1, (a0 + a1 + a2) / 2)
                store(2, (a0 - a1 + a2) / 2)
                store(3, a2)
            }
        }
    }

    /// Floats of the 16 packed U[ξ] made by `packKernels`.
    static func packedKernelsCount(outputs: Int, inputs: Int) -> Int { 16 * GEMMProblem.packedRowsCount(m: outputs, k: inputs) }

    /// Packs each U[ξ] [rows, columns] of `u` [16, rows, columns] once for the multiplies of every image group,
    /// when the columns fit one packed block (≤ 256 channels); returns whether it did.
    static func packKernels(_ u: UnsafePointer<Float>, rows: Int, columns: Int, into packed: UnsafeMutablePointer<Float>) -> Bool {
        guard columns <= blockDepth else { return false }
        for position in 0..<16 {
            kernelProblem(u, rows: rows, columns: columns, position: position, tiles: 0, v: u, tileStride: 0, m: packed, packed: nil)
                .packRows(into: packed + position * GEMMProblem.packedRowsCount(m: rows, k: columns))
        }
        return true
    }

    /// M[ξ] [rows, tiles] = U[ξ] [rows, columns] · V[ξ] [columns, tiles], with U[ξ] pre-packed when `packed` is given.
    static func kernelProblem(_ u: UnsafePointer<Float>, rows: Int, columns: Int, position: Int, tiles: Int,
                                      v: UnsafePointer<Float>, tileStride: Int, m: UnsafeMutablePointer<Float>,
                                      packed: UnsafePointer<Float>?) -> GEMMProblem {
        var problem = GEMMProblem(m: rows, n: tiles, k: columns,
                                  a: u + position * rows * columns, aRowStride: columns, aTransposed: false,
                                  b: v + position * columns * tileStride, bRowStride: tileStride, bTransposed: false,
                                  c: m + position * rows * tileStride, cRowStride: tileStride, accumulate: false)
        problem.packedA = packed.map { $0 + position * GEMMProblem.packedRowsCount(m: rows, k: columns) }
        return problem
    }

    /// Whether `apply` can also do the 2×2, stride-2 max pooling of its outputs: each 2×2 output tile is then
    /// exactly one pooling window, which needs an even output height and width.
    var canPoolTiles: Bool { output.height % 2 == 0 && output.width % 2 == 0 }

    /// The shape [O, H′/2, W′/2] of the pooled outputs (one value per tile).
    var pooledOutput: ImageShape { ImageShape(channels: outputChannels, height: tileRows, width: tileColumns) }

    /// y [O, H′, W′] = Σ_c x[c] ⋆ g[·, c] for `count` images x [C, H, W] stored one after another,
    /// in groups of `imagesPerGroup`, using U from `transformKernels` (and its packed form from `packKernels`, if made);
    /// `bias` [O] is added when given; with `rectified`, max(y, 0) is stored instead of y (a ReLU applied as
    /// each row is written).
    /// With `poolingWinners` (needs `canPoolTiles` and `rectified`), the results are instead the 2×2 max pooling
    /// of the rectified outputs [O, H′/2, W′/2], one value per tile, and `poolingWinners` (same shape) receives which value of
    /// its tile won: 0, 1 (top row), 2, 3 (bottom row), the first in reading order on ties, like `MaxPool2D`.
    /// `scratch` holds `scratchCount` floats.
    func apply(_ images: UnsafePointer<Float>, count: Int, kernels u: UnsafePointer<Float>, packedKernels: UnsafePointer<Float>?,
               bias: UnsafePointer<Float>?, rectified: Bool, poolingWinners: UnsafeMutablePointer<Float>?,
               into results: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        precondition(poolingWinners == nil || canPoolTiles, "2×2 pooling of the tiles needs an even output size, not \(output)")
        precondition(poolingWinners == nil || rectified, "pooling of the tiles comes with the ReLU")
        let resultCount = poolingWinners == nil ? output.count : pooledOutput.count
        for first in stride(from: 0, to: count, by: imagesPerGroup) {
            applyToGroup(images + first * input.count, count: min(imagesPerGroup, count - first), kernels: u, packedKernels: packedKernels,
                         bias: bias, rectified: rectified, poolingWinners: poolingWinners.map { $0 + first * resultCount },
                         into: results + first * resultCount, scratch: scratch)
        }
    }

    /// V[ξ][c][t] = (Bᵀ d B)[ξ] for every tile t (of every image) of every channel c; V is [16, C, tileStride].
    /// `plane` holds `paddedHeight × paddedWidth` floats.
    func transformInputs(_ images: UnsafePointer<Float>, count: Int, into v: UnsafeMutablePointer<Float>, tileStride: Int,
                         plane: UnsafeMutablePointer<Float>) {
        let channels = input.channels, loops = KernelFamily.selected.loops
        // Only the image's own pixels are written below, so the border stays zero.
        plane.update(repeating: 0, count: paddedHeight * paddedWidth)
        for index in 0..<count * channels {
            let (image, c) = index.quotientAndRemainder(dividingBy: channels)
            // 8 tiles at a time; position ξ of the tiles is 4·C·tileStride floats after position ξ − 1.
            loops.winogradInputTiles(images + image * input.count + c * input.planeSize, height: input.height, width: input.width, padding: padding,
                                     plane: plane, paddedWidth: paddedWidth, tileRows: tileRows, tileColumns: tileColumns,
                                     into: v + c * tileStride + image * tiles, positionStride: 4 * channels * tileStride)
        }
    }

    private func applyToGroup(_ images: UnsafePointer<Float>, count: Int, kernels u: UnsafePointer<Float>, packedKernels: UnsafePointer<Float>?,
                              bias: UnsafePointer<Float>?, rectified: Bool, poolingWinners: UnsafeMutablePointer<Float>?,
                              into results: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let tileStride = self.tileStride(images: count)
        let channels = input.channels
        let plane = scratch
        let v = plane + paddedHeight * paddedWidth
        let m = v + 16 * channels * tileStride
        transformInputs(images, count: count, into: v, tileStride: tileStride, plane: plane)
        // M[ξ] = U[ξ] · V[ξ]
        for position in 0..<16 {
            Self.kernelProblem(u, rows: outputChannels, columns: channels, position: position, tiles: count * tiles,
                               v: v, tileStride: tileStride, m: m, packed: packedKernels).run(workers: nil)
        }
        if let poolingWinners {
            poolOutputTiles(m, count: count, tileStride: tileStride, bias: bias, into: results, winners: poolingWinners)
        } else {
            transformOutputs(m, count: count, tileStride: tileStride, bias: bias, rectified: rectified, into: results,
                             plane: m + 16 * outputChannels * tileStride)
        }
    }

    /// y [O, H′, W′] of each image from M [16, O, tileStride]: Y = Aᵀ M A + b for 8 tiles of a row at a time,
    /// written into `plane` (2·tileRows rows of 2·paddedTileColumns), whose valid part is then copied to the
    /// image, through the ReLU when `rectified`.
    private func transformOutputs(_ m: UnsafePointer<Float>, count: Int, tileStride: Int, bias: UnsafePointer<Float>?, rectified: Bool,
                                  into results: UnsafeMutablePointer<Float>, plane: UnsafeMutablePointer<Float>) {
        let planeWidth = 2 * paddedTileColumns, loops = KernelFamily.selected.loops
        for index in 0..<count * outputChannels {
            let (image, o) = index.quotientAndRemainder(dividingBy: outputChannels)
            loops.winogradOutputTiles(m: m + o * tileStride + image * tiles, positionStride: 4 * outputChannels * tileStride, bias: bias?[o] ?? 0,
                                      tileRows: tileRows, tileColumns: tileColumns, plane: plane, planeWidth: planeWidth, rectified: rectified,
                                      into: results + image * output.count + o * output.planeSize, height: output.height, width: output.width)
        }
    }

    /// The 2×2 max pooling of the rectified outputs, one value per tile, from M [16, O, tileStride]: Y = Aᵀ M A + b
    /// for 8 consecutive tiles at a time (the pooled plane [O, H′/2, W′/2] runs along the tiles, so rows of tiles
    /// need no padding), its maximum max(relu(y)) = relu(max(y)) into `results`, and which value won (0, 1 top
    /// row, 2, 3 bottom row; strict >, so the first in reading order on ties) into `winners`.
    private func poolOutputTiles(_ m: UnsafePointer<Float>, count: Int, tileStride: Int, bias: UnsafePointer<Float>?,
                                 into results: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Float>) {
        let loops = KernelFamily.selected.loops
        for index in 0..<count * outputChannels {
            let (image, o) = index.quotientAndRemainder(dividingBy: outputChannels)
            let at = image * pooledOutput.count + o * pooledOutput.planeSize
            loops.winogradPooledOutputTiles(m: m + o * tileStride + image * tiles, positionStride: 4 * outputChannels * tileStride,
                                            bias: bias?[o] ?? 0, tiles: tiles, into: results + at, winners: winners + at)
        }
    }
}
