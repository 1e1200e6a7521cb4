// WinogradConvolution+KernelGradient.swift — the weight gradient of a 3×3, stride-1 convolution by
// Winograd's F(2×2, 3×3), the adjoint of the forward algorithm.
//
// Forward, per tile: Y = Aᵀ [U ⊙ V] A with U = G g Gᵀ and V = Bᵀ d B. For a loss L with ∂L/∂Y = E (the
// 2×2 tile of dy), L = Σ_ξ (A E Aᵀ)_ξ · U_ξ · V_ξ, so
//
//     ∂L/∂g = Gᵀ [ Σ_tiles (A E Aᵀ) ⊙ (Bᵀ d B) ] G
//
// The sum over tiles (and images) happens in the transformed domain, as 16 matrix multiplies
// Ŵ[ξ] [O, C] += Ê[ξ] [O, tiles] · V[ξ]ᵀ [tiles, C]; the 4×4 → 3×3 transform Gᵀ·Ŵ·G is done once at the end.
// `backward` runs the whole backward pass for a group of images: the input gradient
// (WinogradConvolution+InputGradient.swift) reuses the same Ê. The tile transforms are the kernel family's
// loops (KernelLoops' WinogradTiles.swift).

import KernelLoops

extension WinogradConvolution {
    /// Scratch floats for `backward`: the padded input plane, V (reused for ∂L/∂V) and Ê for a group of
    /// images, and one padded plane of dy.
    var backwardScratchCount: Int {
        paddedHeight * paddedWidth + 16 * (input.channels + outputChannels) * tileStride(images: imagesPerGroup)
            + 2 * tileRows * (2 * paddedTileColumns + 16)
    }

    /// Ŵ [16, O, C] (+)= Σ over the tiles of `count` images of Ê[ξ]·V[ξ]ᵀ, for images x [C, H, W] and their
    /// output gradients dy [O, H′, W′], stored one after another, and ∂L/∂b [O] (+)= Σ dy = Σ_tiles Ê[5]
    /// (position (1, 1) of A E Aᵀ is the sum of the tile E). Without `accumulate` both are overwritten.
    /// With `reluOutputs` (the outputs max(y, 0) when the convolution applied a ReLU), dy is the gradient
    /// of those and is first passed back through the ReLU.
    /// With `poolingWinners` (from a pooled `apply`, which always applies the ReLU), the outputs were
    /// max-pooled: `outputGradients` and `reluOutputs` are then the pooled ones [O, H′/2, W′/2], and each
    /// tile's E holds its pooled gradient at the winner's place and zeros elsewhere.
    /// With `inputGradients`, also writes ∂L/∂x [C, H, W] of each image there (see `inputGradients(fromTransformed:…)`),
    /// from Uᵀ [16, C, O] and its packed form when made.
    func backward(_ images: UnsafePointer<Float>, outputGradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>?,
                  poolingWinners: UnsafePointer<Float>?, count: Int,
                  kernelGradient transformed: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>, accumulate: Bool,
                  inputGradients: UnsafeMutablePointer<Float>?, transposedKernels: UnsafePointer<Float>, packedKernels: UnsafePointer<Float>?,
                  scratch: UnsafeMutablePointer<Float>) {
        for first in stride(from: 0, to: count, by: imagesPerGroup) {
            let groupCount = min(imagesPerGroup, count - first)
            let tileStride = self.tileStride(images: groupCount)
            let plane = scratch
            let v = plane + paddedHeight * paddedWidth
            let e = v + 16 * input.channels * tileStride
            let gradientPlane = e + 16 * outputChannels * tileStride
            transformInputs(images + first * input.count, count: groupCount, into: v, tileStride: tileStride, plane: plane)
            if let poolingWinners {
                guard let reluOutputs else { preconditionFailure("pooled outputs always went through the ReLU") }
                let offset = first * pooledOutput.count
                transformPooledGradients(outputGradients + offset, reluOutputs: reluOutputs + offset, winners: poolingWinners + offset,
                                         count: groupCount, into: e, tileStride: tileStride)
            } else {
                transformOutputGradients(outputGradients + first * output.count, reluOutputs: reluOutputs.map { $0 + first * output.count },
                                         count: groupCount, into: e, tileStride: tileStride, plane: gradientPlane)
            }
            for o in 0..<outputChannels {
                let sum = Convolution2D.sum(e + (5 * outputChannels + o) * tileStride, count: groupCount * tiles)
                biasGradient[o] = accumulate || first > 0 ? biasGradient[o] + sum : sum
            }
            // Both Ê[ξ] and V[ξ] run along the tiles, the summed index: dot products of rows, no packing. Then, while
            // Ê[ξ] is still in cache, ∂L/∂V[ξ] = Uᵀ[ξ]·Ê[ξ] for the input gradient takes the place of V[ξ], used up.
            for position in 0..<16 {
                rowDotProducts(m: outputChannels, n: input.channels, k: groupCount * tiles,
                               a: e + position * outputChannels * tileStride, aRowStride: tileStride,
                               b: v + position * input.channels * tileStride, bRowStride: tileStride,
                               c: transformed + position * outputChannels * input.channels, cRowStride: input.channels,
                               accumulate: accumulate || first > 0)
                guard inputGradients != nil else { continue }
                Self.kernelProblem(transposedKernels, rows: input.channels, columns: outputChannels, position: position, tiles: groupCount * tiles,
                                   v: e, tileStride: tileStride, m: v, packed: packedKernels).run(workers: nil)
            }
            guard let inputGradients else { continue }
            self.inputGradients(fromTransformed: v, count: groupCount, tileStride: tileStride,
                                into: inputGradients + first * input.count, plane: plane)
        }
    }

    /// Ê[ξ][o][t] = (A E Aᵀ)[ξ] for the 2×2 tiles E of every output-gradient plane (zero past the edge),
    /// first passed back through the ReLU whose outputs are `reluOutputs`, when given.
    private func transformOutputGradients(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>?, count: Int,
                                          into e: UnsafeMutablePointer<Float>, tileStride: Int, plane: UnsafeMutablePointer<Float>) {
        let planeWidth = 2 * paddedTileColumns + 16, loops = KernelFamily.selected.loops
        plane.update(repeating: 0, count: 2 * tileRows * planeWidth)
        for index in 0..<count * outputChannels {
            let (image, o) = index.quotientAndRemainder(dividingBy: outputChannels)
            let offset = image * output.count + o * output.planeSize
            loops.winogradOutputGradientTiles(gradients + offset, reluOutputs: reluOutputs.map { $0 + offset }, height: output.height, width: output.width,
                                              plane: plane, planeWidth: planeWidth, tileRows: tileRows, tileColumns: tileColumns,
                                              into: e + o * tileStride + image * tiles, positionStride: 4 * outputChannels * tileStride)
        }
    }

    /// Ê[ξ][o][t] = (A E Aᵀ)[ξ] when the rectified outputs were max-pooled over their tiles: E is zero but for
    /// the pooled gradient g at the winner's place, passed back through the ReLU first (`reluOutputs` are the
    /// pooled outputs). The same values as `transformOutputGradients` of the unpooled gradient.
    private func transformPooledGradients(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>, winners: UnsafePointer<Float>,
                                          count: Int, into e: UnsafeMutablePointer<Float>, tileStride: Int) {
        // The pooled plane [H′/2, W′/2] runs along the tiles: 8 consecutive tiles at a time, the ragged end padded with zeros.
        let loops = KernelFamily.selected.loops
        for index in 0..<count * outputChannels {
            let (image, o) = index.quotientAndRemainder(dividingBy: outputChannels)
            let at = image * pooledOutput.count + o * pooledOutput.planeSize
            loops.winogradPooledGradientTiles(gradients + at, reluOutputs: reluOutputs + at, winners: winners + at, tiles: tiles,
                                              into: e + o * tileStride + image * tiles, positionStride: 4 * outputChannels * tileStride)
        }
    }

    /// ∂L/∂g [O, C, 3, 3] (+)= Gᵀ Ŵ[·][o][c] G for every pair (o, c), from Ŵ [16, O, C].
    static func kernelGradient(from transformed: UnsafePointer<Float>, outputs: Int, inputs: Int,
                               into gradient: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let pairs = outputs * inputs
        for pair in 0..<pairs {
            @inline(__always) func w(_ i: Int, _ j: Int) -> Float { transformed[(4 * i + j) * pairs + pair] }
            // Gᵀ = | 1  1/2  1/2  0 |      applied to the rows, then (·)G to the columns.
            //      | 0  1/2 −1/2  0 |
            //      | 0  1/2  1/2  1 |
            let (r0, r1, r2, r3) = (SIMD4(w(0, 0), w(0, 1), w(0, 2), w(0, 3)), SIMD4(w(1, 0), w(1, 1), w(1, 2), w(1, 3)),
                                    SIMD4(w(2, 0), w(2, 1), w(2, 2), w(2, 3)), SIMD4(w(3, 0), w(3, 1), w(3, 2), w(3, 3)))
            let target = gradient + pair * 9
            @inline(__always) func writeRow(_ u: Int, _ a: SIMD4<Float>) {   // row u of (Gᵀ Ŵ) G
                let row = (a[0] + (a[1] + a[2]) / 2, (a[1] - a[2]) / 2, (a[1] + a[2]) / 2 + a[3])
                if accumulate {
                    target[3 * u] += row.0; target[3 * u + 1] += row.1; target[3 * u + 2] += row.2
                } else {
                    target[3 * u] = row.0; target[3 * u + 1] = row.1; target[3 * u + 2] = row.2
                }
            }
            writeRow(0, r0 + (r1 + r2) / 2)
            writeRow(1, (r1 - r2) / 2)
            writeRow(2, (r1 + r2) / 2 + r3)
        }
    }
}
