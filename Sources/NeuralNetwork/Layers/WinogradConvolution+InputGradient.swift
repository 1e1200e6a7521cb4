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
// (144 instead of 169 for a 26×26 input) and transforms no dy of its own. The 4×4 blocks are formed and
// added 8 tiles at a time by the kernel family's loops (KernelLoops' WinogradTiles.swift).

import KernelLoops

extension WinogradConvolution {
    /// dx [C, H, W] for each of `count` images, from ∂L/∂V [16, C, tileStride] (Uᵀ[ξ]·Ê[ξ], made by `backward`);
    /// `plane` holds `paddedHeight × paddedWidth` floats.
    func inputGradients(fromTransformed dv: UnsafePointer<Float>, count: Int, tileStride: Int,
                        into gradients: UnsafeMutablePointer<Float>, plane: UnsafeMutablePointer<Float>) {
        let channels = input.channels, loops = KernelFamily.selected.loops
        for index in 0..<count * channels {
            let (image, c) = index.quotientAndRemainder(dividingBy: channels)
            // The image's own pixels sit `padding` rows and columns into the plane.
            loops.winogradInputGradientTiles(dv: dv + c * tileStride + image * tiles, positionStride: 4 * channels * tileStride,
                                             tileRows: tileRows, tileColumns: tileColumns, plane: plane, paddedHeight: paddedHeight, paddedWidth: paddedWidth,
                                             into: gradients + image * input.count + c * input.planeSize,
                                             height: input.height, width: input.width, padding: padding)
        }
    }
}
