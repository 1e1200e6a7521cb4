// Winograd's F(2×2, 3×3) tile loops (KernelLoops' WinogradTiles.swift), each family's copy against a naive twin
// that transforms one tile at a time with the same operations, on plane sizes whose tile counts are not
// multiples of 8, with the same bits in every family this CPU runs.

import KernelLoops
import NeuralNetwork
import Testing

/// One input plane of a 3×3, stride-1 convolution and its tiles, laid out as `WinogradConvolution` does for one
/// channel of one image.
struct TilePlane: CustomStringConvertible {
    let height: Int, width: Int, padding: Int
    var outputHeight: Int { height + 2 * padding - 2 }
    var outputWidth: Int { width + 2 * padding - 2 }
    var tileRows: Int { (outputHeight + 1) / 2 }
    var tileColumns: Int { (outputWidth + 1) / 2 }
    var tiles: Int { tileRows * tileColumns }
    var paddedTileColumns: Int { (tileColumns + 7) / 8 * 8 }
    var paddedWidth: Int { 2 * paddedTileColumns + 8 }
    var paddedHeight: Int { 2 * tileRows + 2 }
    /// Floats from one position ξ of the tiles to the next (room for a full 8-wide access past the last tile).
    var tileStride: Int { tiles + 8 }
    /// The same in bytes, as the loops take it.
    var positionStride: Int { 4 * tileStride }
    var description: String { "\(height)×\(width) padding \(padding) (\(tileRows)×\(tileColumns) tiles)" }

    static let awkward = [TilePlane(height: 3, width: 3, padding: 0), TilePlane(height: 5, width: 7, padding: 1),
                          TilePlane(height: 14, width: 14, padding: 1), TilePlane(height: 12, width: 30, padding: 0),
                          TilePlane(height: 26, width: 26, padding: 0), TilePlane(height: 17, width: 33, padding: 2)]
}

@Suite("Kernel family loops: Winograd tiles")
struct KernelLoopsWinogradTests {
    typealias Families = KernelLoopsTests

    /// The 2×2 output tile of tile `t` from M [16, tileStride], as the loops compute it.
    static func outputTile(_ m: [Float], _ t: Int, _ plane: TilePlane, bias: Float) -> (Float, Float, Float, Float) {
        func x(_ i: Int, _ j: Int) -> Float { m[(4 * i + j) * plane.tileStride + t] }
        func column(_ j: Int) -> (Float, Float) { (x(0, j) + x(1, j) + x(2, j), x(1, j) - x(2, j) - x(3, j)) }
        let (s0, s1, s2, s3) = (column(0), column(1), column(2), column(3))
        return (s0.0 + s1.0 + s2.0 + bias, s1.0 - s2.0 - s3.0 + bias, s0.1 + s1.1 + s2.1 + bias, s1.1 - s2.1 - s3.1 + bias)
    }

    /// Ê = A E Aᵀ of one 2×2 tile, position by position.
    static func transformedGradient(_ e00: Float, _ e01: Float, _ e10: Float, _ e11: Float) -> [Float] {
        let rows = [(e00, e00 + e01, e00 - e01, -e01), (e10, e10 + e11, e10 - e11, -e11)]
        func pick(_ r: (Float, Float, Float, Float), _ j: Int) -> Float { [r.0, r.1, r.2, r.3][j] }
        var result = [Float](repeating: 0, count: 16)
        for j in 0..<4 {
            let (a0, a1) = (pick(rows[0], j), pick(rows[1], j))
            for (i, value) in [a0, a0 + a1, a0 - a1, -a1].enumerated() { result[4 * i + j] = value }
        }
        return result
    }

    @Test("input tiles V = Bᵀ d B, from the image rows copied into the zero-padded plane", arguments: TilePlane.awkward)
    func inputTiles(plane: TilePlane) {
        var generator = SeededGenerator(seed: 43)
        let source = Families.random(plane.height * plane.width, &generator)
        func padded(_ r: Int, _ c: Int) -> Float {
            let (y, x) = (r - plane.padding, c - plane.padding)
            return y >= 0 && y < plane.height && x >= 0 && x < plane.width ? source[y * plane.width + x] : 0
        }
        var scratch = [Float](repeating: 0, count: plane.paddedHeight * plane.paddedWidth)
        Families.eachFamily([Float](repeating: 0, count: 16 * plane.tileStride), "input tiles \(plane)", body: { loops, v in
            scratch = [Float](repeating: 0, count: plane.paddedHeight * plane.paddedWidth)
            scratch.withUnsafeMutableBufferPointer { buffer in
                loops.winogradInputTiles(source, height: plane.height, width: plane.width, padding: plane.padding, plane: buffer.baseAddress!,
                                         paddedWidth: plane.paddedWidth, tileRows: plane.tileRows, tileColumns: plane.tileColumns,
                                         into: v, positionStride: plane.positionStride)
            }
        }) { v, family in
            for tileRow in 0..<plane.tileRows {
                for tileColumn in 0..<plane.tileColumns {
                    func rowTimesB(_ r: Int) -> [Float] {
                        let d = (0..<4).map { padded(2 * tileRow + r, 2 * tileColumn + $0) }
                        return [d[0] - d[2], d[1] + d[2], d[2] - d[1], d[1] - d[3]]
                    }
                    let rows = (0..<4).map(rowTimesB)
                    let t = tileRow * plane.tileColumns + tileColumn
                    for j in 0..<4 {
                        let e = rows.map { $0[j] }
                        for (i, expected) in [e[0] - e[2], e[1] + e[2], e[2] - e[1], e[1] - e[3]].enumerated() {
                            #expect(v[(4 * i + j) * plane.tileStride + t] == expected, "\(family) V[\(4 * i + j)] of tile \(t), \(plane)")
                        }
                    }
                }
            }
        }
    }

    @Test("output tiles Y = Aᵀ M A + b written as the output plane, with and without the ReLU", arguments: TilePlane.awkward)
    func outputTiles(plane: TilePlane) {
        var generator = SeededGenerator(seed: 47)
        let m = Families.random(16 * plane.tileStride, &generator), bias: Float = 0.125
        var scratch = [Float](repeating: 0, count: 2 * plane.tileRows * 2 * plane.paddedTileColumns)
        for rectified in [false, true] {
            Families.eachFamily([Float](repeating: 9, count: plane.outputHeight * plane.outputWidth), "output tiles \(plane)", body: { loops, target in
                scratch.withUnsafeMutableBufferPointer { buffer in
                    loops.winogradOutputTiles(m: m, positionStride: plane.positionStride, bias: bias, tileRows: plane.tileRows, tileColumns: plane.tileColumns,
                                              plane: buffer.baseAddress!, planeWidth: 2 * plane.paddedTileColumns, rectified: rectified,
                                              into: target, height: plane.outputHeight, width: plane.outputWidth)
                }
            }) { y, family in
                for row in 0..<plane.outputHeight {
                    for column in 0..<plane.outputWidth {
                        let tile = Self.outputTile(m, row / 2 * plane.tileColumns + column / 2, plane, bias: bias)
                        var expected = [tile.0, tile.1, tile.2, tile.3][row % 2 * 2 + column % 2]
                        if rectified && expected <= 0 { expected = 0 }
                        #expect(y[row * plane.outputWidth + column] == expected, "\(family) y(\(row), \(column)) rectified=\(rectified), \(plane)")
                    }
                }
            }
        }
    }

    @Test("pooled output tiles: relu(max of each tile) and which of its four won", arguments: TilePlane.awkward.filter { $0.outputHeight % 2 == 0 && $0.outputWidth % 2 == 0 })
    func pooledOutputTiles(plane: TilePlane) {
        var generator = SeededGenerator(seed: 53)
        let m = Families.random(16 * plane.tileStride, &generator), bias: Float = -0.25
        var winners = [Float](repeating: -1, count: plane.tiles)
        Families.eachFamily([Float](repeating: 9, count: plane.tiles), "pooled tiles \(plane)", body: { loops, results in
            winners = [Float](repeating: -1, count: plane.tiles)
            winners.withUnsafeMutableBufferPointer { loops.winogradPooledOutputTiles(m: m, positionStride: plane.positionStride, bias: bias,
                                                                                       tiles: plane.tiles, into: results, winners: $0.baseAddress!) }
        }) { pooled, family in
            for t in 0..<plane.tiles {
                let tile = Self.outputTile(m, t, plane, bias: bias)
                var (best, winner): (Float, Float) = (tile.0, 0)
                for (index, value) in [(Float(1), tile.1), (2, tile.2), (3, tile.3)] where value > best { (best, winner) = (value, index) }
                #expect(pooled[t] == max(best, 0) && winners[t] == winner, "\(family) pooled tile \(t), \(plane)")
            }
        }
    }

    @Test("output-gradient tiles Ê = A E Aᵀ, zero past the plane's edge, through the ReLU's gate when given", arguments: TilePlane.awkward)
    func outputGradientTiles(plane: TilePlane) {
        var generator = SeededGenerator(seed: 59)
        let count = plane.outputHeight * plane.outputWidth
        let gradients = Families.random(count, &generator), gate = Families.random(count, &generator)
        let planeWidth = 2 * plane.paddedTileColumns + 16
        for gated in [false, true] {
            Families.eachFamily([Float](repeating: 0, count: 16 * plane.tileStride), "output gradient tiles \(plane)", body: { loops, e in
                var scratch = [Float](repeating: 0, count: 2 * plane.tileRows * planeWidth)
                gate.withUnsafeBufferPointer { gateBuffer in
                    scratch.withUnsafeMutableBufferPointer { buffer in
                        loops.winogradOutputGradientTiles(gradients, reluOutputs: gated ? gateBuffer.baseAddress! : nil, height: plane.outputHeight,
                                                          width: plane.outputWidth, plane: buffer.baseAddress!, planeWidth: planeWidth,
                                                          tileRows: plane.tileRows, tileColumns: plane.tileColumns, into: e, positionStride: plane.positionStride)
                    }
                }
            }) { e, family in
                func g(_ row: Int, _ column: Int) -> Float {
                    guard row < plane.outputHeight && column < plane.outputWidth else { return 0 }
                    let index = row * plane.outputWidth + column
                    return !gated || gate[index] > 0 ? gradients[index] : 0
                }
                for t in 0..<plane.tiles {
                    let (r, c) = (t / plane.tileColumns * 2, t % plane.tileColumns * 2)
                    let expected = Self.transformedGradient(g(r, c), g(r, c + 1), g(r + 1, c), g(r + 1, c + 1))
                    for position in 0..<16 {
                        #expect(e[position * plane.tileStride + t] == expected[position], "\(family) Ê[\(position)] of tile \(t) gated=\(gated), \(plane)")
                    }
                }
            }
        }
    }

    @Test("pooled-gradient tiles: E holds the gated pooled gradient at the winner's place only", arguments: TilePlane.awkward)
    func pooledGradientTiles(plane: TilePlane) {
        var generator = SeededGenerator(seed: 61)
        let gradients = Families.random(plane.tiles, &generator), outputs = Families.random(plane.tiles, &generator).map { max($0, 0) }
        let winners = (0..<plane.tiles).map { _ in Float(generator.next() % 4) }
        Families.eachFamily([Float](repeating: 0, count: 16 * plane.tileStride), "pooled gradient tiles \(plane)", body: { loops, e in
            loops.winogradPooledGradientTiles(gradients, reluOutputs: outputs, winners: winners, tiles: plane.tiles, into: e, positionStride: plane.positionStride)
        }) { e, family in
            for t in 0..<plane.tiles {
                let g = outputs[t] > 0 ? gradients[t] : 0
                let entries = (0..<4).map { Float($0) == winners[t] ? g : 0 }
                let expected = Self.transformedGradient(entries[0], entries[1], entries[2], entries[3])
                for position in 0..<16 {
                    #expect(e[position * plane.tileStride + t] == expected[position], "\(family) Ê[\(position)] of pooled tile \(t), \(plane)")
                }
            }
        }
    }

    @Test("input-gradient tiles: B ∂V Bᵀ of every tile added where the 4×4 tiles overlap, then the image's part", arguments: TilePlane.awkward)
    func inputGradientTiles(plane: TilePlane) {
        var generator = SeededGenerator(seed: 67)
        let dv = Families.random(16 * plane.tileStride, &generator)
        // The naive twin: each tile's 4×4 block added onto a zero-padded plane, then cropped.
        var expected = [Double](repeating: 0, count: plane.paddedHeight * plane.paddedWidth)
        for t in 0..<plane.tiles {
            let (tileRow, tileColumn) = (t / plane.tileColumns, t % plane.tileColumns)
            func x(_ i: Int, _ j: Int) -> Double { Double(dv[(4 * i + j) * plane.tileStride + t]) }
            let b = [[1.0, 0, 0, 0], [0, 1, -1, 1], [-1, 1, 1, 0], [0, 0, 0, -1]]
            for a in 0..<4 {
                for c in 0..<4 {
                    var sum = 0.0
                    for i in 0..<4 { for j in 0..<4 { sum += b[a][i] * x(i, j) * b[c][j] } }
                    expected[(2 * tileRow + a) * plane.paddedWidth + 2 * tileColumn + c] += sum
                }
            }
        }
        var scratch = [Float](repeating: 5, count: plane.paddedHeight * plane.paddedWidth)
        Families.eachFamily([Float](repeating: 9, count: plane.height * plane.width), "input gradient tiles \(plane)", body: { loops, target in
            scratch.withUnsafeMutableBufferPointer { buffer in
                loops.winogradInputGradientTiles(dv: dv, positionStride: plane.positionStride, tileRows: plane.tileRows, tileColumns: plane.tileColumns,
                                                 plane: buffer.baseAddress!, paddedHeight: plane.paddedHeight, paddedWidth: plane.paddedWidth,
                                                 into: target, height: plane.height, width: plane.width, padding: plane.padding)
            }
        }) { dx, family in
            for row in 0..<plane.height {
                for column in 0..<plane.width {
                    let want = expected[(row + plane.padding) * plane.paddedWidth + column + plane.padding]
                    let got = dx[row * plane.width + column]
                    #expect(abs(Double(got) - want) <= 1e-5, "\(family) dx(\(row), \(column)) = \(got), naive \(want), \(plane)")
                }
            }
        }
    }
}
