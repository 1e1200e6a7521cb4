// ConvolutionGeometry.swift — im2col and col2im: how a convolution becomes a matrix multiply.
//
// Row r = (c·k + u)·k + v of the column matrix holds, for every output position (i, j), the input value
// x[c, i·s − p + u, j·s − p + v] (0 where that falls in the padding). A convolution is then
// W [O, C·k·k] · col(x) [C·k·k, H′·W′]. col2im is the adjoint: it adds each entry back onto the input
// pixel it was copied from.

/// The index arithmetic shared by the forward and backward passes of a `Convolution2D`.
struct ConvolutionGeometry: Sendable {
    let input: ImageShape
    let output: ImageShape
    let kernel: Int
    let stride: Int
    let padding: Int

    /// Rows of the column matrix: C·k·k.
    var patchSize: Int { input.channels * kernel * kernel }

    /// Where im2col copies from, entry by entry: the n-th entry of the column matrix that falls inside the image
    /// is `columns[patchTargets[n]] = image[patchSources[n]]`; the entries not listed fall in the padding and
    /// are 0. Listed in the order of the column matrix (row r, then position q), so col2im adds onto each pixel
    /// in the same order as a walk over rows would. Built once per layer: one gather per entry instead of a walk
    /// over k·k·H′ short rows, each with its own padding (a strided convolution copied its rows one float at a
    /// time). Empty for a geometry built without them (the Winograd path never forms the column matrix).
    let patchSources: [Int32]
    let patchTargets: [Int32]
    /// Whether `patchSources` and `patchTargets` were built (im2col and col2im need them).
    let indexesPatches: Bool

    init(input: ImageShape, output: ImageShape, kernel: Int, stride: Int, padding: Int, indexesPatches: Bool) {
        self.input = input
        self.output = output
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.indexesPatches = indexesPatches
        guard indexesPatches else {
            (patchSources, patchTargets) = ([], [])
            return
        }
        precondition(input.channels * kernel * kernel * output.planeSize < Int(Int32.max), "im2col of \(input) with a \(kernel)×\(kernel) kernel is too large")
        var sources: [Int32] = [], targets: [Int32] = []
        sources.reserveCapacity(input.channels * kernel * kernel * output.planeSize)
        targets.reserveCapacity(sources.capacity)
        var row = 0
        for channel in 0..<input.channels {
            for u in 0..<kernel {
                for v in 0..<kernel {
                    for i in 0..<output.height {
                        let y = i * stride - padding + u
                        guard 0..<input.height ~= y else { continue }
                        for j in 0..<output.width {
                            let x = j * stride - padding + v
                            guard 0..<input.width ~= x else { continue }
                            sources.append(Int32(channel * input.planeSize + y * input.width + x))
                            targets.append(Int32(row * output.planeSize + i * output.width + j))
                        }
                    }
                    row += 1
                }
            }
        }
        (patchSources, patchTargets) = (sources, targets)
    }

    /// Fills `columns` [C·k·k, H′·W′] from one image `image` [C, H, W].
    func imageToColumns(_ image: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        precondition(indexesPatches, "this geometry was built without its im2col index")
        columns.update(repeating: 0, count: patchSize * output.planeSize)
        patchSources.withUnsafeBufferPointer { sources in
            patchTargets.withUnsafeBufferPointer { targets in
                for n in 0..<sources.count { columns[Int(targets[n])] = image[Int(sources[n])] }
            }
        }
    }

    /// Sets `image` [C, H, W] to col2im(`columns`): every entry of `columns` [C·k·k, H′·W′] added onto the
    /// input pixel `imageToColumns` took it from (entries from the padding are dropped).
    func columnsToImage(_ columns: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
        precondition(indexesPatches, "this geometry was built without its im2col index")
        image.update(repeating: 0, count: input.count)
        patchSources.withUnsafeBufferPointer { sources in
            patchTargets.withUnsafeBufferPointer { targets in
                for n in 0..<sources.count { image[Int(sources[n])] += columns[Int(targets[n])] }
            }
        }
    }
}
