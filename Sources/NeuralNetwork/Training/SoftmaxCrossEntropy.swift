// SoftmaxCrossEntropy.swift — the loss: softmax and cross-entropy fused, stable for any logits.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax followed by cross-entropy against integer labels, computed together.
///
/// For logits z [B, C] and labels y [B]:
///     p_ij = exp(z_ij − m_i) / Σ_k exp(z_ik − m_i),  m_i = max_k z_ik   (subtracting m_i avoids overflow)
///     L = −(1/N) Σ_i log p_{i,y_i} = (1/N) Σ_i (log Σ_k exp(z_ik − m_i) − (z_{i,y_i} − m_i))
///     ∂L/∂z_ij = (p_ij − [j = y_i]) / N
/// N is `divisor` (the batch size, or the full batch when a batch is processed in chunks).
///
/// A label equal to C (one past the last class: `LabeledImages.notADigit` for digits) marks an example
/// that belongs to no class. Its target is the uniform distribution q_j = 1/C ("outlier exposure",
/// Hendrycks et al. 2019), which teaches the network to be unsure on such inputs:
///     L_i = −Σ_j (1/C) log p_ij = log Σ_k exp(z_ik − m_i) − (1/C) Σ_j (z_ij − m_i)
///     ∂L/∂z_ij = (p_ij − 1/C) / N
/// and it counts as correct when its largest probability is below ½ (it would not be read as a digit).
///
/// With an `EnergyMargin`, such rows are trained on their energy instead, and the rows of a class add a
/// margin on theirs (see `EnergyMargin`).
public enum SoftmaxCrossEntropy {
    /// The summed (not averaged) loss of the batch, the number of rows whose argmax equals the label,
    /// and — when `gradient` is given — ∂L/∂z written into it, with L the loss divided by `divisor`.
    /// `energyMargin` nil: no-class rows have the uniform target; otherwise `EnergyMargin`'s loss.
    @discardableResult
    public static func evaluate(
        logits: Matrix, labels: UnsafeBufferPointer<UInt8>, divisor: Int, gradient: UnsafeMutablePointer<Float>?,
        energyMargin: EnergyMargin? = nil
    ) -> (lossSum: Double, correct: Int) {
        let classes = logits.columns
        precondition(labels.count == logits.rows, "one label per row of logits")
        var lossSum = 0.0
        var correct = 0
        let scale = 1 / Float(divisor)
        logits.values.withUnsafeBufferPointer { z in
            for i in 0..<logits.rows {
                let row = z.baseAddress! + i * classes
                var maximum = row[0]
                var best = 0
                for j in 1..<classes where row[j] > maximum {
                    maximum = row[j]
                    best = j
                }
                var sum: Float = 0
                for j in 0..<classes { sum += expf(row[j] - maximum) }
                let label = Int(labels[i])
                precondition(label <= classes, "label \(label) is beyond the \(classes) classes and the no-class label \(classes)")
                // The energy E = −log Σ_k exp z_ik, and the factor c of its gradient ∂(margin loss)/∂z_ij = c · p_ij.
                var energyFactor: Float = 0
                if let energyMargin {
                    let energy = -(maximum + logf(sum))
                    let margin = energyMargin.loss(energy: energy, belongsToAClass: label < classes)
                    lossSum += Double(margin.loss)
                    energyFactor = margin.factor
                    if label == classes && energy > energyMargin.midpoint { correct += 1 }
                }
                // A no-class row trained on its energy has no cross-entropy term.
                let outlierByEnergy = label == classes && energyMargin != nil
                if label == classes {
                    if !outlierByEnergy {
                        var mean: Float = 0
                        for j in 0..<classes { mean += row[j] - maximum }
                        mean /= Float(classes)
                        lossSum += Double(logf(sum) - mean)
                        if 1 / sum < 0.5 { correct += 1 }   // the largest probability, exp(0) / sum
                    }
                } else {
                    lossSum += Double(logf(sum) - (row[label] - maximum))
                    if best == label { correct += 1 }
                }
                if let gradient {
                    let g = gradient + i * classes
                    let inverseSum = 1 / sum
                    // ∂L/∂z_j = (w · p_j − target_j) / N, w = 1 + c with the cross-entropy, c without it.
                    let softmaxWeight: Float = (outlierByEnergy ? 0 : 1) + energyFactor
                    for j in 0..<classes { g[j] = expf(row[j] - maximum) * inverseSum * softmaxWeight * scale }
                    if label < classes {
                        g[label] -= scale
                    } else if !outlierByEnergy {
                        for j in 0..<classes { g[j] -= scale / Float(classes) }
                    }
                }
            }
        }
        return (lossSum, correct)
    }

    /// The energy of each row of `logits` [B, C] → [B]: E_i = −log Σ_k exp z_ik (low for inputs the network
    /// knows, high for those it does not; Liu et al. 2020).
    public static func energies(_ logits: Matrix) -> [Float] {
        probabilitiesAndEnergies(logits).energies
    }

    /// Softmax probabilities of each row of `logits` [B, C] → [B, C].
    public static func probabilities(_ logits: Matrix) -> Matrix {
        probabilitiesAndEnergies(logits).probabilities
    }

    /// Both from one pass over each row: p_ij = exp(z_ij − m_i) / S_i and E_i = −(m_i + log S_i), with
    /// m_i = max_k z_ik and S_i = Σ_k exp(z_ik − m_i).
    public static func probabilitiesAndEnergies(_ logits: Matrix) -> (probabilities: Matrix, energies: [Float]) {
        var result = logits
        var energies = [Float](repeating: 0, count: logits.rows)
        let classes = logits.columns
        for i in 0..<logits.rows {
            var maximum = -Float.infinity
            for j in 0..<classes { maximum = max(maximum, logits[i, j]) }
            var sum: Float = 0
            for j in 0..<classes {
                let e = expf(logits[i, j] - maximum)
                result[i, j] = e
                sum += e
            }
            for j in 0..<classes { result[i, j] /= sum }
            energies[i] = -(maximum + logf(sum))
        }
        return (result, energies)
    }
}
