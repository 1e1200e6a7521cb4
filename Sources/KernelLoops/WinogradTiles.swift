// WinogradTiles.swift — the tile transforms of Winograd's F(2×2, 3×3) (see NeuralNetwork's
// WinogradConvolution.swift for the algorithm and the layouts), 8 tiles at a time, one plane per call.
//
// Transformed tiles are stored by position: position ξ = 4i + j of a group of 8 tiles is at `base` +
// ξ·`positionStride` bytes. `plane` pointers are zero-padded copies of one image plane whose rows hold at
// least 2·tileColumns rounded up to 8 tiles, plus 8, values.

/// V = Bᵀ d B for every tile of one input plane d [height, width]: its rows are first copied `padding` rows and
/// columns into `plane` (`paddedWidth` floats per row), whose border the caller has zeroed; `v` is the first
/// tile of the plane in V.
@inlinable @inline(__always)
public func winogradInputTiles(_ source: UnsafePointer<Float>, height: Int, width: Int, padding: Int,
                               plane: UnsafeMutablePointer<Float>, paddedWidth: Int, tileRows: Int, tileColumns: Int,
                               into v: UnsafeMutablePointer<Float>, positionStride: Int) {
    typealias Vector = SIMD8<Float>
    for row in 0..<height {
        copyShortRow(from: source + row * width, to: plane + (row + padding) * paddedWidth + padding, count: width)
    }
    for tileRow in 0..<tileRows {
        for firstColumn in stride(from: 0, to: tileColumns, by: 8) {
            // Row r of d·B for 8 tiles: the 4 input columns of each tile are the even and odd lanes of two
            // 16-wide loads two values apart.
            @inline(__always) func rowTimesB(_ r: Int) -> (Vector, Vector, Vector, Vector) {
                let start = UnsafeRawPointer(plane + (2 * tileRow + r) * paddedWidth + 2 * firstColumn)
                let a = start.loadUnaligned(as: SIMD16<Float>.self)
                let b = start.loadUnaligned(fromByteOffset: 8, as: SIMD16<Float>.self)
                let (d0, d1, d2, d3) = (a.evenHalf, a.oddHalf, b.evenHalf, b.oddHalf)
                return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
            }
            // Column j of Bᵀ(d·B) goes to positions ξ = 4i + j.
            let base = UnsafeMutableRawPointer(v + tileRow * tileColumns + firstColumn)
            @inline(__always) func storeColumn(_ j: Int, _ e0: Vector, _ e1: Vector, _ e2: Vector, _ e3: Vector) {
                let values = (e0 - e2, e1 + e2, e2 - e1, e1 - e3)
                @inline(__always) func store(_ i: Int, _ value: Vector) {
                    base.storeBytes(of: value, toByteOffset: (4 * i + j) * positionStride, as: Vector.self)
                }
                store(0, values.0); store(1, values.1); store(2, values.2); store(3, values.3)
            }
            let (r0, r1, r2, r3) = (rowTimesB(0), rowTimesB(1), rowTimesB(2), rowTimesB(3))
            storeColumn(0, r0.0, r1.0, r2.0, r3.0)
            storeColumn(1, r0.1, r1.1, r2.1, r3.1)
            storeColumn(2, r0.2, r1.2, r2.2, r3.2)
            storeColumn(3, r0.3, r1.3, r2.3, r3.3)
        }
    }
}

/// The 2×2 output tiles Y = Aᵀ M A of 8 tiles, lane by lane, plus `offset`: (top row, bottom row), each as
/// (left, right).
@inlinable @inline(__always)
public func winogradOutputTileGroup(_ base: UnsafeRawPointer, positionStride: Int, offset: SIMD8<Float>)
    -> (top: (SIMD8<Float>, SIMD8<Float>), bottom: (SIMD8<Float>, SIMD8<Float>)) {
    typealias Vector = SIMD8<Float>
    // Column j of Aᵀ M: (m0 + m1 + m2, m1 − m2 − m3) over the rows i of position ξ = 4i + j.
    @inline(__always) func columnOfATimesM(_ j: Int) -> (Vector, Vector) {
        @inline(__always) func load(_ i: Int) -> Vector { base.loadUnaligned(fromByteOffset: (4 * i + j) * positionStride, as: Vector.self) }
        let (x0, x1, x2, x3) = (load(0), load(1), load(2), load(3))
        return (x0 + x1 + x2, x1 - x2 - x3)
    }
    let (s0, s1, s2, s3) = (columnOfATimesM(0), columnOfATimesM(1), columnOfATimesM(2), columnOfATimesM(3))
    return ((s0.0 + s1.0 + s2.0 + offset, s1.0 - s2.0 - s3.0 + offset),
            (s0.1 + s1.1 + s2.1 + offset, s1.1 - s2.1 - s3.1 + offset))
}

/// y [height, width] = Aᵀ M A + bias for every tile of one output plane, through the ReLU when `rectified`: the
/// tiles are written into `plane` (2·tileRows rows of `planeWidth` floats), and its valid part copied to
/// `target`; `m` is the plane's first tile in M.
@inlinable @inline(__always)
public func winogradOutputTiles<Ops: VectorOps>(_ ops: Ops.Type, m: UnsafePointer<Float>, positionStride: Int, bias: Float,
                                                tileRows: Int, tileColumns: Int, plane: UnsafeMutablePointer<Float>, planeWidth: Int,
                                                rectified: Bool, into target: UnsafeMutablePointer<Float>, height: Int, width: Int) {
    defer {
        for row in 0..<height {
            if rectified {
                applyReLU(from: plane + row * planeWidth, to: target + row * width, count: width)
            } else {
                copyShortRow(from: plane + row * planeWidth, to: target + row * width, count: width)
            }
        }
    }
    let offset = SIMD8<Float>(repeating: bias)
    for tileRow in 0..<tileRows {
        for firstColumn in stride(from: 0, to: tileColumns, by: 8) {
            let (top, bottom) = winogradOutputTileGroup(UnsafeRawPointer(m + tileRow * tileColumns + firstColumn),
                                                        positionStride: positionStride, offset: offset)
            @inline(__always) func write(_ a: Int, _ pair: (SIMD8<Float>, SIMD8<Float>)) {
                let target = UnsafeMutableRawPointer(plane + (2 * tileRow + a) * planeWidth + 2 * firstColumn)
                target.storeBytes(of: Ops.interleaved(pair.0, pair.1), as: SIMD16<Float>.self)
            }
            write(0, top)
            write(1, bottom)
        }
    }
}

/// The 2×2 max pooling of the rectified outputs of one plane, one value per tile: Y = Aᵀ M A + bias for 8
/// consecutive tiles at a time, max(relu(y)) = relu(max(y)) into `results`, and which value won (0, 1 top
/// row, 2, 3 bottom row; strict >, so the first in reading order on ties) into `winners`.
@inlinable @inline(__always)
public func winogradPooledOutputTiles(m: UnsafePointer<Float>, positionStride: Int, bias: Float, tiles: Int,
                                      into results: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Float>) {
    typealias Vector = SIMD8<Float>
    let offset = Vector(repeating: bias)
    for first in stride(from: 0, to: tiles, by: 8) {
        // Lanes past the last tile read other tiles, or the spare values: they are not stored.
        let (top, bottom) = winogradOutputTileGroup(UnsafeRawPointer(m + first), positionStride: positionStride, offset: offset)
        var best = top.0, winner = Vector(repeating: 0)
        @inline(__always) func challenge(_ candidate: Vector, _ index: Float) {
            let wins = candidate .> best
            best.replace(with: candidate, where: wins)
            winner.replace(with: index, where: wins)
        }
        challenge(top.1, 1)
        challenge(bottom.0, 2)
        challenge(bottom.1, 3)
        best = rectified(best)
        let (target, winnerTarget) = (results + first, winners + first)
        if first + 8 <= tiles {
            UnsafeMutableRawPointer(target).storeBytes(of: best, as: Vector.self)
            UnsafeMutableRawPointer(winnerTarget).storeBytes(of: winner, as: Vector.self)
        } else {
            storeFirstLanes(best, to: target, count: tiles - first)
            storeFirstLanes(winner, to: winnerTarget, count: tiles - first)
        }
    }
}

/// Ê = A E Aᵀ for 8 tiles E = | e00 e01 |, lane by lane, stored at `base` + ξ·`positionStride` bytes for
///                              | e10 e11 |
/// position ξ = 4i + j. Row r of E·Aᵀ is (e_r0, e_r0 + e_r1, e_r0 − e_r1, −e_r1); column j of Ê is A times
/// column j of E·Aᵀ, (a0, a0 + a1, a0 − a1, −a1).
@inlinable @inline(__always)
public func storeTransformedGradients(_ e00: SIMD8<Float>, _ e01: SIMD8<Float>, _ e10: SIMD8<Float>, _ e11: SIMD8<Float>,
                                      to base: UnsafeMutableRawPointer, positionStride: Int) {
    typealias Vector = SIMD8<Float>
    @inline(__always) func rowTimesATransposed(_ e0: Vector, _ e1: Vector) -> (Vector, Vector, Vector, Vector) { (e0, e0 + e1, e0 - e1, -e1) }
    @inline(__always) func storeColumn(_ j: Int, _ a0: Vector, _ a1: Vector) {
        @inline(__always) func store(_ i: Int, _ value: Vector) {
            base.storeBytes(of: value, toByteOffset: (4 * i + j) * positionStride, as: Vector.self)
        }
        store(0, a0); store(1, a0 + a1); store(2, a0 - a1); store(3, -a1)
    }
    let (r0, r1) = (rowTimesATransposed(e00, e01), rowTimesATransposed(e10, e11))
    storeColumn(0, r0.0, r1.0)
    storeColumn(1, r0.1, r1.1)
    storeColumn(2, r0.2, r1.2)
    storeColumn(3, r0.3, r1.3)
}

/// Ê = A E Aᵀ for every 2×2 tile E of one output-gradient plane dy [height, width], first passed back through the
/// ReLU whose outputs are `reluOutputs` when given, and copied into `plane` (rows of `planeWidth` floats, zero
/// past the image: the caller zeroes it once); `e` is the plane's first tile in Ê.
@inlinable @inline(__always)
public func winogradOutputGradientTiles(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>?, height: Int, width: Int,
                                        plane: UnsafeMutablePointer<Float>, planeWidth: Int, tileRows: Int, tileColumns: Int,
                                        into e: UnsafeMutablePointer<Float>, positionStride: Int) {
    for row in 0..<height {
        if let reluOutputs {
            applyReLUGradient(from: gradients + row * width, gate: reluOutputs + row * width, to: plane + row * planeWidth, count: width)
        } else {
            copyShortRow(from: gradients + row * width, to: plane + row * planeWidth, count: width)
        }
    }
    for tileRow in 0..<tileRows {
        for firstColumn in stride(from: 0, to: tileColumns, by: 8) {
            // Row r of the tiles E: the even and odd lanes of 16 values.
            @inline(__always) func row(_ r: Int) -> SIMD16<Float> {
                UnsafeRawPointer(plane + (2 * tileRow + r) * planeWidth + 2 * firstColumn).loadUnaligned(as: SIMD16<Float>.self)
            }
            let (top, bottom) = (row(0), row(1))
            storeTransformedGradients(top.evenHalf, top.oddHalf, bottom.evenHalf, bottom.oddHalf,
                                      to: UnsafeMutableRawPointer(e + tileRow * tileColumns + firstColumn), positionStride: positionStride)
        }
    }
}

/// Ê = A E Aᵀ for the tiles of one plane whose rectified outputs were max-pooled over their tiles: E is zero
/// but for the pooled gradient g at the winner's place, passed back through the ReLU first (`reluOutputs` are
/// the pooled outputs). `gradients`, `reluOutputs` and `winners` run along the plane's `tiles` tiles.
@inlinable @inline(__always)
public func winogradPooledGradientTiles(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>, winners: UnsafePointer<Float>,
                                        tiles: Int, into e: UnsafeMutablePointer<Float>, positionStride: Int) {
    typealias Vector = SIMD8<Float>
    for first in stride(from: 0, to: tiles, by: 8) {
        @inline(__always) func load(_ values: UnsafePointer<Float>) -> Vector {
            first + 8 <= tiles ? UnsafeRawPointer(values + first).loadUnaligned(as: Vector.self)
                               : loadFirstLanes(values + first, count: tiles - first)
        }
        let (pooled, output, winner) = (load(gradients), load(reluOutputs), load(winners))
        let g = reluGradient(pooled, gate: output)
        @inline(__always) func entry(_ index: Float) -> Vector { g.replacing(with: 0, where: winner .!= index) }
        // Lanes past the last tile store zeros onto the next image's tiles, written afterwards, or the spare values.
        storeTransformedGradients(entry(0), entry(1), entry(2), entry(3),
                                  to: UnsafeMutableRawPointer(e + first), positionStride: positionStride)
    }
}

/// ∂L/∂d [height, width] = B (∂L/∂V) Bᵀ for every tile of one input plane, added up where the 4×4 tiles
/// overlap in `plane` (`paddedHeight` rows of `paddedWidth` floats, zeroed here), then copied from `padding`
/// rows and columns into it to `target`; `dv` is the plane's first tile in ∂L/∂V.
@inlinable @inline(__always)
public func winogradInputGradientTiles<Ops: VectorOps>(_ ops: Ops.Type, dv: UnsafePointer<Float>, positionStride: Int,
                                                       tileRows: Int, tileColumns: Int,
                                                       plane: UnsafeMutablePointer<Float>, paddedHeight: Int, paddedWidth: Int,
                                                       into target: UnsafeMutablePointer<Float>, height: Int, width: Int, padding: Int) {
    typealias Vector = SIMD8<Float>
    plane.update(repeating: 0, count: paddedHeight * paddedWidth)
    defer {
        for row in 0..<height {
            copyShortRow(from: plane + (row + padding) * paddedWidth + padding, to: target + row * width, count: width)
        }
    }
    for tileRow in 0..<tileRows {
        // Tile t adds its 4×4 block at columns 2t … 2t + 3, so columns 2t and 2t + 1 get the left half of
        // tile t and the right half of tile t − 1. Per row a of the block, `carried` holds the right halves
        // of the previous 8 tiles, whose last tile spills into the next group.
        var carried = ((Vector(), Vector()), (Vector(), Vector()), (Vector(), Vector()), (Vector(), Vector()))
        var firstColumn = 0
        while firstColumn < tileColumns {
            let base = UnsafeRawPointer(dv + tileRow * tileColumns + firstColumn)
            // Lanes past the last tile of the row hold other tiles (or nothing): they must add nothing.
            let inside = Ops.firstLanesMask(tileColumns - firstColumn)
            // Column j of B·∂V: (x0, x1 − x2 + x3, x1 + x2 − x0, −x3) over the rows i of position ξ = 4i + j.
            @inline(__always) func columnOfBTimesDV(_ j: Int) -> (Vector, Vector, Vector, Vector) {
                @inline(__always) func load(_ i: Int) -> Vector {
                    Ops.lanesKept(base.loadUnaligned(fromByteOffset: (4 * i + j) * positionStride, as: Vector.self), inside)
                }
                let (x0, x1, x2, x3) = (load(0), load(1), load(2), load(3))
                return (x0, x1 - x2 + x3, x1 + x2 - x0, -x3)
            }
            let (t0, t1, t2, t3) = (columnOfBTimesDV(0), columnOfBTimesDV(1), columnOfBTimesDV(2), columnOfBTimesDV(3))
            // Row a of (B·∂V)·Bᵀ is (y0, y1 − y2 + y3, y1 + y2 − y0, −y3); added onto plane row 2·tileRow + a.
            @inline(__always) func addRow(_ a: Int, _ y0: Vector, _ y1: Vector, _ y2: Vector, _ y3: Vector,
                                          carrying previous: inout (Vector, Vector)) {
                let (left, right) = ((y0, y1 - y2 + y3), (y1 + y2 - y0, -y3))
                let even = left.0 + Ops.lanesShiftedUp(right.0, after: previous.0)
                let odd = left.1 + Ops.lanesShiftedUp(right.1, after: previous.1)
                previous = right
                let row = UnsafeMutableRawPointer(plane + (2 * tileRow + a) * paddedWidth + 2 * firstColumn)
                row.storeBytes(of: row.loadUnaligned(as: SIMD16<Float>.self) + Ops.interleaved(even, odd), as: SIMD16<Float>.self)
            }
            addRow(0, t0.0, t1.0, t2.0, t3.0, carrying: &carried.0)
            addRow(1, t0.1, t1.1, t2.1, t3.1, carrying: &carried.1)
            addRow(2, t0.2, t1.2, t2.2, t3.2, carrying: &carried.2)
            addRow(3, t0.3, t1.3, t2.3, t3.3, carrying: &carried.3)
            firstColumn += 8
        }
        // The right half of the last group's top lane (zero unless that lane is a tile) lands past the group.
        @inline(__always) func addSpill(_ a: Int, _ right: (Vector, Vector)) {
            let row = plane + (2 * tileRow + a) * paddedWidth + 2 * firstColumn
            row[0] += right.0[7]
            row[1] += right.1[7]
        }
        addSpill(0, carried.0); addSpill(1, carried.1); addSpill(2, carried.2); addSpill(3, carried.3)
    }
}
