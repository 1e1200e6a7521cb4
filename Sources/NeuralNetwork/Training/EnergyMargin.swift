// EnergyMargin.swift — training a network to tell what belongs to none of its classes by its energy.

/// The energy-margin loss of Liu et al. 2020 ("Energy-based out-of-distribution detection"), per example.
///
/// A network's energy for an input with logits z [C] is E = −log Σ_k exp z_k: low when some class is strongly
/// supported, high when none is. Examples of a class add a squared hinge that pushes their energy below
/// `inlierMargin`; examples of no class (label C) are trained with a squared hinge alone that pushes it
/// above `outlierMargin`:
///
///     class row:    L_i = cross-entropy + λ · max(0, E_i − m_in)²
///     no-class row: L_i = λ · max(0, m_out − E_i)²
///
/// With ∂E/∂z_j = −p_j (the softmax), the margin's gradient is c · p_j with c = −2λ·max(0, E − m_in) for a class
/// row and c = 2λ·max(0, m_out − E) for a no-class row. A reader then says "none of the classes" when the
/// energy is high. No-class rows count as correct when their energy is above the midpoint of the margins.
public struct EnergyMargin: Sendable, Equatable {
    /// λ, the margin loss's weight beside the cross-entropy.
    public var weight: Float
    /// m_in: examples of a class are pushed to an energy below this.
    public var inlierMargin: Float
    /// m_out: examples of no class are pushed to an energy above this.
    public var outlierMargin: Float

    public init(weight: Float, inlierMargin: Float, outlierMargin: Float) {
        precondition(inlierMargin < outlierMargin, "the margin for a class must lie below the margin for no class")
        self.weight = weight
        self.inlierMargin = inlierMargin
        self.outlierMargin = outlierMargin
    }

    /// The margins the `default` preset trains with: λ 0.05, m_in −10, m_out −4, chosen on the pen-written
    /// digits and letters of `pen-digits` among λ 0.05–0.1, m_in −10 or −15, m_out −3 to −5 (README, "Not a digit").
    public static let standard = EnergyMargin(weight: 0.05, inlierMargin: -10, outlierMargin: -4)

    /// Halfway between the margins: where a no-class row starts to count as correct.
    public var midpoint: Float { (inlierMargin + outlierMargin) / 2 }

    /// The margin's loss for one row of energy `energy`, and the factor c of its gradient c · p_j.
    public func loss(energy: Float, belongsToAClass: Bool) -> (loss: Float, factor: Float) {
        if belongsToAClass {
            let excess = max(0, energy - inlierMargin)
            return (weight * excess * excess, -2 * weight * excess)
        }
        let shortfall = max(0, outlierMargin - energy)
        return (weight * shortfall * shortfall, 2 * weight * shortfall)
    }
}
