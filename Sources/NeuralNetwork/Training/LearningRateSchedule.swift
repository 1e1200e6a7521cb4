// LearningRateSchedule.swift — the learning rate as a function of training progress.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the learning rate η changes over training. `step` counts optimizer steps from 0;
/// `totalSteps` is the number of steps of the whole run (epochs × steps per epoch).
public enum LearningRateSchedule: Sendable, Equatable {
    /// η(t) = η₀.
    case constant
    /// η(t) = η₀ · γ^⌊epoch / every⌋ — decays by `gamma` every `everyEpochs` epochs.
    case step(everyEpochs: Int, gamma: Double)
    /// η(t) = η_min + (η₀ − η_min)·(1 + cos(π·t/T))/2 with η_min = η₀·`floor`, after a linear warm-up.
    case cosine(warmupSteps: Int, floor: Double)
    /// Smith's one-cycle: η rises linearly from η₀/25 to η₀ over the first 30% of steps, then falls by a
    /// cosine to η₀/10⁴.
    case oneCycle

    /// The learning rate at optimizer step `step` of `totalSteps`, for base rate `base`.
    public func rate(base: Double, step: Int, totalSteps: Int, stepsPerEpoch: Int) -> Double {
        let t = Double(step)
        let total = Double(max(totalSteps, 1))
        switch self {
        case .constant:
            return base
        case .step(let every, let gamma):
            let epoch = step / max(stepsPerEpoch, 1)
            return base * pow(gamma, Double(epoch / max(every, 1)))
        case .cosine(let warmup, let floor):
            if step < warmup { return base * (t + 1) / Double(warmup) }
            let progress = min(1, (t - Double(warmup)) / max(1, total - Double(warmup)))
            let minimum = base * floor
            return minimum + (base - minimum) * (1 + cos(Double.pi * progress)) / 2
        case .oneCycle:
            let peakStep = 0.3 * total
            if t < peakStep {
                return base / 25 + (base - base / 25) * t / peakStep
            }
            let progress = min(1, (t - peakStep) / max(1, total - peakStep))
            let minimum = base / 1e4
            return minimum + (base - minimum) * (1 + cos(Double.pi * progress)) / 2
        }
    }

    /// The name used on the command line and in checkpoints.
    public var name: String {
        switch self {
        case .constant: return "constant"
        case .step(let every, let gamma): return "step:\(every):\(gamma)"
        case .cosine(let warmup, let floor): return warmup == 0 && floor == 0 ? "cosine" : "cosine:\(warmup):\(floor)"
        case .oneCycle: return "onecycle"
        }
    }

    /// Parses `constant`, `step[:EVERY[:GAMMA]]`, `cosine[:WARMUP_STEPS[:FLOOR]]` or `onecycle`.
    public init?(name: String) {
        let parts = name.lowercased().split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts[0] {
        case "constant" where parts.count == 1:
            self = .constant
        case "step" where parts.count <= 3:
            let every = parts.count > 1 ? Int(parts[1]) : 5
            let gamma = parts.count > 2 ? Double(parts[2]) : 0.5
            guard let every, let gamma, every > 0, gamma > 0, gamma <= 1 else { return nil }
            self = .step(everyEpochs: every, gamma: gamma)
        case "cosine" where parts.count <= 3:
            let warmup = parts.count > 1 ? Int(parts[1]) : 0
            let floor = parts.count > 2 ? Double(parts[2]) : 0
            guard let warmup, let floor, warmup >= 0, floor >= 0, floor <= 1 else { return nil }
            self = .cosine(warmupSteps: warmup, floor: floor)
        case "onecycle", "one-cycle":
            guard parts.count == 1 else { return nil }
            self = .oneCycle
        default:
            return nil
        }
    }
}

/// Stored as its `name` (`"onecycle"`, `"step:5:0.5"`), the form the command line takes.
extension LearningRateSchedule: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let schedule = LearningRateSchedule(name: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "\"\(name)\" is not a schedule: constant, step[:EPOCHS[:GAMMA]], cosine[:WARMUP_STEPS[:FLOOR]] or onecycle")
        }
        self = schedule
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
