// WinogradConvolution+InputGradient.swift — the input gradient of a 3×3, stride-1 convolution by
// Winograd's F(2×2, 3×3), going back through the forward algorithm step by step.
//
// Forward, per tile: V = Bᵀ d B, M[ξ] = U[ξ] · V[ξ] (summed over input channels), Y = Aᵀ M A. With
// E = ∂L/∂Y the 2×2 tile of dy, each step run backwards gives
//
//     Ê = A E Aᵀ                                       (also needed by the weight gradient)
//     ∂L/∂V[ξ] [C, tiles] = U[ξ]ᵀ [C, O] · Ê[ξ] [O, tiles]   (16 matrix multiplies)
//     ∂L/∂d = B (∂L/∂V) Bᵀ                             (a 4×4 input tile)
//
//     B = |  1  0  0  0 |
//         |  0  1 −1  1 |
//         | −1  1  1  0 |
//         |  0  0  0 −1 |
//
// Neighbouring tiles overlap by two rows and two columns, so their 4×4 contributions are added up.
// Compared with convolving the padded dy by the turned kernels, this uses the forward pass's tiles
// (144 instead of 169 for a 26×26 input) and transforms no dy of its own.

extension WinogradConvolution {
    /// dx [C, H, W] for each of `count` images, from ∂L/∂V [16, C, tileStride] (Uᵀ[ξ]·Ê[ξ], made by `backward`);
    /// `plane` holds `paddedHeight × paddedWidth` floats.
    func inputGradients(fromTransformed dv: UnsafePointer<Float>, count: Int, tileStride: Int,
                        into gradients: UnsafeMutablePointer<Float>, plane: UnsafeMutablePointer<Float>) {
        let channels = input.channels
        typealias Vector = SIMD8<Float>
        for index in 0..<count * channels {
            let (image, c) = index.quotientAndRemainder(dividingBy: channels)
            plane.update(repeating: 0, count: paddedHeight * paddedWidth)
            for tileRow in 0..<tileRows {
                // Tile t adds its 4×4 block at columns 2t … 2t + 3, so columns 2t and 2t + 1 get the left half of
                // tile t and the right half of tile t − 1. Per row a of the block, `carried` holds the right halves
                // of the previous 8 tiles, whose last tile spills into the next group.
                var carried = ((Vector(), Vector()), (Vector(), Vector()), (Vector(), Vector()), (Vector(), Vector()))
                var firstColumn = 0
                while firstColumn < tileColumns {
                    let tile = image * tiles + tileRow * tileColumns + firstColumn
                    let base = UnsafeRawPointer(dv + c * tileStride + tile), positionStride = 4 * channels * tileStride
                    // Lanes past the last tile of the row hold other tiles (or nothing): they must add nothing.
                    let inside = firstLanesMask(tileColumns - firstColumn)
                    // Column j of B·∂V: (x0, x1 − x2 + x3, x1 + x2 − x0, −x3) over the rows i of position ξ = 4i + j.
                    @inline(__always) func columnOfBTimesDV(_ j: Int) -> (Vector, Vector, Vector, Vector) {
                        @inline(__always) func load(_ i: Int) -> Vector {
                            lanesKept(base.loadUnaligned(fromByteOffset: (4 * i + j) * positionStride, as: Vector.self), inside)
                        }
                        let (x0, x1, x2, x3) = (load(0), load(1), load(2), load(3))
                        return (x0, x1 - x2 + x3, x1 + x2 - x0, -x3)
                    }
                    let (t0, t1, t2, t3) = (columnOfBTimesDV(0), columnOfBTimesDV(1), columnOfBTimesDV(2), columnOfBTimesDV(3))
                    // Row a of (B·∂V)·Bᵀ is (y0, y1 − y2 + y3, y1 + y2 − y0, −y3); added onto plane row 2·tileRow + a.
                    @inline(__always) func addRow(_ a: Int, _ y0: Vector, _ y1: Vector, _ y2: Vector, _ y3: Vector,
                                                  carrying previous: inout (Vector, Vector)) {
                        let (left, right) = ((y0, y1 - y2 + y3), (y1 + y2 - y0, -y3))
                        let even = left.0 + lanesShiftedUp(right.0, after: previous.0)
                        let odd = left.1 + lanesShiftedUp(right.1, after: previous.1)
                        previous = right
                        let row = UnsafeMutableRawPointer(plane + (2 * tileRow + a) * paddedWidth + 2 * firstColumn)
                        row.storeBytes(of: row.loadUnaligned(as: SIMD16<Float>.self) + interleaved(even, odd), as: SIMD16<Float>.self)
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
            // The image's own pixels sit `padding` rows and columns into the plane.
            let target = gradients + image * input.count + c * input.planeSize
            for row in 0..<input.height {
                copyShortRow(from: plane + (row + padding) * paddedWidth + padding, to: target + row * input.width, count: input.width)
            }
        }
    }
}
