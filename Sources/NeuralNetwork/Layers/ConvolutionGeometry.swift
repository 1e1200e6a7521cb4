// ConvolutionGeometry.swift — im2col and col2im: how a convolution becomes a matrix multiply.
//
// Row r = (c·k + u)·k + v of the column matrix holds, for every output position (i, j), the input value
// x[c, i·s − p + u, j·s − p + v] (0 where that falls in the padding). A convolution is then
// W [O, C·k·k] · col(x) [C·k·k, H′·W′]. col2im is the adjoint: it adds each entry back onto the input
// pixel it was copied from.

import KernelLoops

/// The index arithmetic shared by the forward and backward passes of a `Convolution2D`.
struct ConvolutionGeometry: Sendable {
    let input: ImageShape
    let output: ImageShape
    let kernel: Int
    let stride: Int
    let padding: Int

    /// Rows of the column matrix: C·k·k.
    var patchSize: Int { input.channels * kernel * kernel }

    /// The output columns j whose input column j·s − p + offset lies inside 0..<size.
    @inline(__always)
    func validRange(offset: Int, size: Int, outputs: Int) -> Range<Int> {
        // j·s + (offset − p) ≥ 0  ⇔  j ≥ ⌈(p − offset)/s⌉;   j·s + (offset − p) ≤ size − 1  ⇔  j ≤ ⌊(size − 1 − offset + p)/s⌋
        let shift = offset - padding
        let first = shift >= 0 ? 0 : (-shift + stride - 1) / stride
        let lastInclusive = size - 1 - shift < 0 ? -1 : (size - 1 - shift) / stride
        let last = min(outputs, lastInclusive + 1)
        return first < last ? first..<last : 0..<0
    }

    /// Fills `columns` [C·k·k, H′·W′] from one image `image` [C, H, W].
    func imageToColumns(_ image: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        let (outHeight, outWidth) = (output.height, output.width)
        var row = columns
        for channel in 0..<input.channels {
            let plane = image + channel * input.planeSize
            for u in 0..<kernel {
                let rows = validRange(offset: u, size: input.height, outputs: outHeight)
                for v in 0..<kernel {
                    let cols = validRange(offset: v, size: input.width, outputs: outWidth)
                    let columnShift = v - padding
                    for i in 0..<outHeight {
                        let target = row + i * outWidth
                        guard rows.contains(i), !cols.isEmpty else {
                            target.update(repeating: 0, count: outWidth)
                            continue
                        }
                        if cols.lowerBound > 0 { target.update(repeating: 0, count: cols.lowerBound) }
                        if cols.upperBound < outWidth { (target + cols.upperBound).update(repeating: 0, count: outWidth - cols.upperBound) }
                        let source = plane + (i * stride + u - padding) * input.width
                        if stride == 1 {
                            copyShortRow(from: source + cols.lowerBound + columnShift, to: target + cols.lowerBound, count: cols.count)
                        } else {
                            for j in cols { target[j] = source[j * stride + columnShift] }
                        }
                    }
                    row += output.planeSize
                }
            }
        }
    }

    /// Sets `image` [C, H, W] to col2im(`columns`): every entry of `columns` [C·k·k, H′·W′] added onto the
    /// input pixel `imageToColumns` took it from (entries from the padding are dropped).
    func columnsToImage(_ columns: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
        let (outHeight, outWidth) = (output.height, output.width)
        image.update(repeating: 0, count: input.count)
        var row = columns
        for channel in 0..<input.channels {
            let plane = image + channel * input.planeSize
            for u in 0..<kernel {
                let rows = validRange(offset: u, size: input.height, outputs: outHeight)
                for v in 0..<kernel {
                    let cols = validRange(offset: v, size: input.width, outputs: outWidth)
                    let columnShift = v - padding
                    for i in rows where !cols.isEmpty {
                        let source = row + i * outWidth
                        let target = plane + (i * stride + u - padding) * input.width
                        if stride == 1 {
                            let shifted = target + columnShift
                            for j in cols { shifted[j] += source[j] }
                        } else {
                            for j in cols { target[j * stride + columnShift] += source[j] }
                        }
                    }
                    row += output.planeSize
                }
            }
        }
    }
}
