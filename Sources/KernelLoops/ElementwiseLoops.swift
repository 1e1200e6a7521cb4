// ElementwiseLoops.swift — the optimizer updates and the transposing copies of matrix-multiply packing,
// written once for every kernel family (see VectorOps.swift).

/// One Adam step for elements `range` of a parameter: with g ← g + coupled·w,
///     m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   w ← w·shrink − stepSize · m / (√v / root2 + ε).
/// Eight lanes at a time, then the tail one by one: the same IEEE operations (no fused multiply-add), so every
/// element gets the same bits either way.
@inlinable @inline(__always)
public func adamUpdate<Ops: VectorOps>(_ ops: Ops.Type, range: Range<Int>, gradients g: UnsafePointer<Float>, weights w: UnsafeMutablePointer<Float>,
                                       firstMoments m: UnsafeMutablePointer<Float>, secondMoments v: UnsafeMutablePointer<Float>,
                                       beta1 b1: Float, beta2 b2: Float, coupledDecay coupled: Float, shrink: Float,
                                       stepSize: Float, root2: Float, epsilon eps: Float) {
    typealias V = SIMD8<Float>
    var i = range.lowerBound
    while i + 8 <= range.upperBound {
        let wi = UnsafeRawPointer(w + i).loadUnaligned(as: V.self)
        let gradient = UnsafeRawPointer(g + i).loadUnaligned(as: V.self) + coupled * wi
        let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + (1 - b1) * gradient
        let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + (1 - b2) * gradient * gradient
        let updated = wi * shrink - stepSize * mi / (Ops.squareRoot(vi) / root2 + eps)
        UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
        UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
        UnsafeMutableRawPointer(w + i).storeBytes(of: updated, as: V.self)
        i += 8
    }
    while i < range.upperBound {
        let gradient = g[i] + coupled * w[i]
        m[i] = b1 * m[i] + (1 - b1) * gradient
        v[i] = b2 * v[i] + (1 - b2) * gradient * gradient
        w[i] = w[i] * shrink - stepSize * m[i] / (v[i].squareRoot() / root2 + eps)
        i += 1
    }
}

/// One SGD step for elements `range` of a parameter (PyTorch's `torch.optim.SGD`): with g ← g + decay·w,
///     plain:     w ← w − lr·g
///     momentum:  v ← μ v + g,  w ← w − lr·v        Nesterov:  v ← μ v + g,  w ← w − lr·(g + μ v)
/// `velocities` is nil for plain SGD. Each element gets the same IEEE operations as the scalar formulas.
@inlinable @inline(__always)
public func sgdUpdate(range: Range<Int>, gradients g: UnsafePointer<Float>, weights w: UnsafeMutablePointer<Float>,
                      velocities v: UnsafeMutablePointer<Float>?, learningRate: Float, decay: Float, momentum: Float, nesterov: Bool) {
    guard let v else {
        for i in range { w[i] -= learningRate * (g[i] + decay * w[i]) }
        return
    }
    for i in range {
        let gradient = g[i] + decay * w[i]
        v[i] = momentum * v[i] + gradient
        w[i] -= learningRate * (nesterov ? gradient + momentum * v[i] : v[i])
    }
}

/// Copies 8 rows of a matrix (`rowStride` floats apart), columns 0..<depth (a multiple of 8), transposed:
/// column p goes to `destination + p·destinationStride`, 8 floats. 8 × 8 values at a time in registers.
@inlinable @inline(__always)
public func packEightRowsTransposed<Ops: VectorOps>(_ ops: Ops.Type, rows: UnsafePointer<Float>, rowStride: Int, depth: Int,
                                                    into destination: UnsafeMutablePointer<Float>, destinationStride: Int) {
    for p in stride(from: 0, to: depth, by: 8) {
        @inline(__always) func load(_ r: Int) -> SIMD8<Float> { UnsafeRawPointer(rows + r * rowStride + p).loadUnaligned(as: SIMD8<Float>.self) }
        let steps = Ops.transposed8x8(load(0), load(1), load(2), load(3), load(4), load(5), load(6), load(7))
        @inline(__always) func store(_ step: Int, _ values: SIMD8<Float>) {
            UnsafeMutableRawPointer(destination + (p + step) * destinationStride).storeBytes(of: values, as: SIMD8<Float>.self)
        }
        store(0, steps.0); store(1, steps.1); store(2, steps.2); store(3, steps.3)
        store(4, steps.4); store(5, steps.5); store(6, steps.6); store(7, steps.7)
    }
}

/// Copies 6 rows of a matrix (`rowStride` floats apart), columns 0..<depth (a multiple of 8), transposed into
/// a packed 6-row panel: column p goes to `destination + 6p`, 6 floats.
@inlinable @inline(__always)
public func packSixRowsTransposed<Ops: VectorOps>(_ ops: Ops.Type, rows: UnsafePointer<Float>, rowStride: Int, depth: Int,
                                                  into destination: UnsafeMutablePointer<Float>) {
    for p in stride(from: 0, to: depth, by: 8) {
        @inline(__always) func load(_ r: Int) -> SIMD8<Float> { UnsafeRawPointer(rows + r * rowStride + p).loadUnaligned(as: SIMD8<Float>.self) }
        let steps = Ops.transposed8x8(load(0), load(1), load(2), load(3), load(4), load(5), SIMD8(), SIMD8())
        @inline(__always) func store(_ step: Int, _ values: SIMD8<Float>) {
            let target = UnsafeMutableRawPointer(destination + (p + step) * 6)
            target.storeBytes(of: values.lowHalf, as: SIMD4<Float>.self)
            target.storeBytes(of: values.highHalf.lowHalf, toByteOffset: 4 * MemoryLayout<Float>.stride, as: SIMD2<Float>.self)
        }
        store(0, steps.0); store(1, steps.1); store(2, steps.2); store(3, steps.3)
        store(4, steps.4); store(5, steps.5); store(6, steps.6); store(7, steps.7)
    }
}
