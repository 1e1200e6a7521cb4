// AffineTransform.swift — 2-D affine maps of image coordinates (rotation, scale, shift, shear), composable.
//
// Used by `ImageWarp.affine` and the data augmentation to move, turn and stretch digit images.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An affine map of the plane in image coordinates, stored as its forward direction (where a point of
/// the source image goes in the output image).
///
/// Coordinates: `x` is the column and grows to the right, `y` is the row and grows **downwards**, both in
/// pixels and measured from the image centre, which for a `side × side` image is the pixel position
/// ((side − 1)/2, (side − 1)/2). So pixel (row r, column c) has x = c − (side − 1)/2, y = r − (side − 1)/2.
///
///     x′ = a·x + b·y + tx
///     y′ = c·x + d·y + ty
///
/// Because the origin is the centre, rotations, scalings and shears leave the centre in place.
public struct AffineTransform: Sendable, Equatable {
    /// The linear part [[a, b], [c, d]].
    public var a: Float, b: Float, c: Float, d: Float
    /// The translation, in pixels.
    public var tx: Float, ty: Float

    /// x′ = a·x + b·y + tx, y′ = c·x + d·y + ty.
    public init(a: Float, b: Float, c: Float, d: Float, tx: Float = 0, ty: Float = 0) {
        (self.a, self.b, self.c, self.d, self.tx, self.ty) = (a, b, c, d, tx, ty)
    }

    /// x′ = x, y′ = y.
    public static let identity = AffineTransform(a: 1, b: 0, c: 0, d: 1)

    /// Rotation by `degrees` about the centre; positive turns the image **counterclockwise as seen on
    /// screen** (with y pointing down):
    ///
    ///     x′ =  cos θ·x + sin θ·y
    ///     y′ = −sin θ·x + cos θ·y
    ///
    /// e.g. +90° takes the point to the right of the centre (1, 0) to the point above it (0, −1).
    /// Multiples of 90° use exact 0 and ±1, so they map the pixel grid onto itself exactly.
    public static func rotation(degrees: Float) -> AffineTransform {
        let (cosine, sine) = exactCosineSine(degrees: Double(degrees))
        return AffineTransform(a: cosine, b: sine, c: -sine, d: cosine)
    }

    /// Scaling by `s` about the centre: x′ = s·x, y′ = s·y (s > 1 enlarges the digit).
    public static func scale(_ s: Float) -> AffineTransform {
        AffineTransform(a: s, b: 0, c: 0, d: s)
    }

    /// Scaling by `x` horizontally and `y` vertically about the centre: x′ = sx·x, y′ = sy·y.
    public static func scale(x: Float, y: Float) -> AffineTransform {
        AffineTransform(a: x, b: 0, c: 0, d: y)
    }

    /// Translation by (`x`, `y`) pixels: positive x moves right, positive y moves down.
    public static func shift(x: Float, y: Float) -> AffineTransform {
        AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: x, ty: y)
    }

    /// Horizontal shear by `degrees` about the centre: x′ = x − tan φ·y, y′ = y. A positive angle slants
    /// the image like italic text: rows above the centre move right, rows below it move left.
    public static func shear(degrees: Float) -> AffineTransform {
        let (cosine, sine) = exactCosineSine(degrees: Double(degrees))
        return AffineTransform(a: 1, b: -Float(Double(sine) / Double(cosine)), c: 0, d: 1)
    }

    /// This map followed by `next`: p ↦ next(self(p)). In matrices, with self = (M, t) and next = (N, u),
    /// the result is (N·M, N·t + u).
    public func then(_ next: AffineTransform) -> AffineTransform {
        AffineTransform(a: next.a * a + next.b * c, b: next.a * b + next.b * d,
                        c: next.c * a + next.d * c, d: next.c * b + next.d * d,
                        tx: next.a * tx + next.b * ty + next.tx,
                        ty: next.c * tx + next.d * ty + next.ty)
    }

    /// The inverse map (M⁻¹, −M⁻¹·t), with M⁻¹ = [[d, −b], [−c, a]] / (a·d − b·c).
    /// The linear part must be invertible (a·d − b·c ≠ 0).
    public var inverse: AffineTransform {
        let determinant = a * d - b * c
        precondition(determinant != 0 && determinant.isFinite, "affine transform \(self) is not invertible")
        let ia = d / determinant, ib = -b / determinant, ic = -c / determinant, id = a / determinant
        return AffineTransform(a: ia, b: ib, c: ic, d: id,
                               tx: -(ia * tx + ib * ty), ty: -(ic * tx + id * ty))
    }

    /// The image of the centred point (x, y).
    public func apply(x: Float, y: Float) -> (x: Float, y: Float) {
        (a * x + b * y + tx, c * x + d * y + ty)
    }
}

/// cos and sin of an angle in degrees, exact (0, ±1) at multiples of 90°.
private func exactCosineSine(degrees: Double) -> (Float, Float) {
    let reduced = degrees.truncatingRemainder(dividingBy: 360)
    if reduced == reduced.rounded(), Int(reduced) % 90 == 0 {
        switch (Int(reduced) + 360) % 360 {
        case 0: return (1, 0)
        case 90: return (0, 1)
        case 180: return (-1, 0)
        default: return (0, -1)
        }
    }
    let radians = reduced * Double.pi / 180
    return (Float(cos(radians)), Float(sin(radians)))
}
