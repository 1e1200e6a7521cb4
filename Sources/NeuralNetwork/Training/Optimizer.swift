// Optimizer.swift — turning gradients into parameter updates: SGD (plain, momentum, Nesterov), Adam, AdamW.

import KernelLoops

/// Updates parameters from their gradients. State (velocities, moments) is kept per parameter, in the
/// order of the `parameters` array, and can be saved and restored for checkpoints.
public protocol Optimizer: AnyObject {
    /// A short name, e.g. "adam".
    var name: String { get }
    /// Applies one update with learning rate `learningRate` to every parameter; large parameters are
    /// split across `workers` (each element's update is independent, so the result is the same).
    func step(_ parameters: [Parameter], learningRate: Float, workers: WorkerThreads?)
    /// The internal state as named flat arrays (e.g. "velocity.3"), for checkpoints.
    var state: [String: [Float]] { get }
    /// Steps taken so far (Adam's bias correction needs it).
    var stepCount: Int { get }
    /// Restores state saved by `state` and `stepCount`.
    func restore(state: [String: [Float]], stepCount: Int, parameters: [Parameter]) throws
}

/// A checkpoint's optimizer state does not fit the network.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
}

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay.
///
///     g ← ∇ + λ·w                     (weight decay λ, weights only)
///     v ← μ·v + g                     (momentum μ; v = g when μ = 0)
///     w ← w − η·v                     (classical)       or   w ← w − η·(g + μ·v)   (Nesterov)
/// These are PyTorch's `torch.optim.SGD` equations.
public final class SGD: Optimizer {
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private var velocities: [[Float]] = []
    public private(set) var stepCount = 0

    public init(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public var name: String { momentum == 0 ? "sgd" : (nesterov ? "nesterov" : "momentum") }

    public func step(_ parameters: [Parameter], learningRate: Float, workers: WorkerThreads? = nil) {
        if momentum != 0 && velocities.isEmpty {
            velocities = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        }
        for (index, parameter) in parameters.enumerated() {
            let decay = parameter.decays ? weightDecay : 0
            let count = parameter.value.count
            let (momentum, nesterov) = (self.momentum, self.nesterov)
            parameter.gradient.values.withUnsafeBufferPointer { gBuffer in
                parameter.value.values.withUnsafeMutableBufferPointer { wBuffer in
                    let (g, w, loops) = (gBuffer.baseAddress!, wBuffer.baseAddress!, KernelFamily.selected.loops)
                    if momentum == 0 {
                        parallelRanges(count, workers) { range in
                            loops.sgdUpdate(range: range, gradients: g, weights: w, velocities: nil, learningRate: learningRate, decay: decay,
                                            momentum: 0, nesterov: false)
                        }
                        return
                    }
                    velocities[index].withUnsafeMutableBufferPointer { vBuffer in
                        let v = vBuffer.baseAddress!
                        parallelRanges(count, workers) { range in
                            loops.sgdUpdate(range: range, gradients: g, weights: w, velocities: v, learningRate: learningRate, decay: decay,
                                            momentum: momentum, nesterov: nesterov)
                        }
                    }
                }
            }
        }
        stepCount += 1
    }

    public var state: [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (index, velocity) in velocities.enumerated() { result["velocity.\(index)"] = velocity }
        return result
    }

    public func restore(state: [String: [Float]], stepCount: Int, parameters: [Parameter]) throws {
        self.stepCount = stepCount
        velocities = []
        guard momentum != 0, !state.isEmpty else { return }
        for (index, parameter) in parameters.enumerated() {
            guard let velocity = state["velocity.\(index)"], velocity.count == parameter.value.count else {
                throw OptimizerStateError(description: "checkpoint lacks momentum state velocity.\(index) of \(parameter.value.count) values")
            }
            velocities.append(velocity)
        }
    }
}

/// Adam (Kingma & Ba 2015), and AdamW (Loshchilov & Hutter 2019) when `decoupledWeightDecay` is true.
///
///     g ← ∇ (+ λ·w for Adam's L2 decay)
///     m ← β₁·m + (1−β₁)·g,   v ← β₂·v + (1−β₂)·g²
///     m̂ = m/(1−β₁ᵗ),   v̂ = v/(1−β₂ᵗ)
///     w ← w − η·m̂/(√v̂ + ε)   (− η·λ·w beforehand for AdamW)
/// The equations of `torch.optim.Adam` / `AdamW`.
public final class Adam: Optimizer {
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public let decoupledWeightDecay: Bool
    private var firstMoments: [[Float]] = []
    private var secondMoments: [[Float]] = []
    public private(set) var stepCount = 0

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public var name: String { decoupledWeightDecay ? "adamw" : "adam" }

    public func step(_ parameters: [Parameter], learningRate: Float, workers: WorkerThreads? = nil) {
        if firstMoments.isEmpty {
            firstMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
            secondMoments = firstMoments
        }
        stepCount += 1
        let correction1 = 1 - pow(Double(beta1), Double(stepCount))
        let correction2 = 1 - pow(Double(beta2), Double(stepCount))
        // Fold both bias corrections into the step size and epsilon, as PyTorch does.
        let stepSize = Float(Double(learningRate) / correction1)
        let root2 = Float(correction2.squareRoot())
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for (index, parameter) in parameters.enumerated() {
            let decay = parameter.decays ? weightDecay : 0
            let coupled = decoupledWeightDecay ? 0 : decay
            let shrink = decoupledWeightDecay ? 1 - learningRate * decay : 1
            let count = parameter.value.count
            parameter.gradient.values.withUnsafeBufferPointer { gBuffer in
                parameter.value.values.withUnsafeMutableBufferPointer { wBuffer in
                    firstMoments[index].withUnsafeMutableBufferPointer { mBuffer in
                        secondMoments[index].withUnsafeMutableBufferPointer { vBuffer in
                            let (g, w, m, v) = (gBuffer.baseAddress!, wBuffer.baseAddress!, mBuffer.baseAddress!, vBuffer.baseAddress!)
                            let loops = KernelFamily.selected.loops
                            parallelRanges(count, workers) { range in
                                loops.adamUpdate(range: range, gradients: g, weights: w, firstMoments: m, secondMoments: v, beta1: b1, beta2: b2,
                                                 coupledDecay: coupled, shrink: shrink, stepSize: stepSize, root2: root2, epsilon: eps)
                            }
                        }
                    }
                }
            }
        }
    }

    public var state: [String: [Float]] {
        var result: [String: [Float]] = [:]
        for index in firstMoments.indices {
            result["m.\(index)"] = firstMoments[index]
            result["v.\(index)"] = secondMoments[index]
        }
        return result
    }

    public func restore(state: [String: [Float]], stepCount: Int, parameters: [Parameter]) throws {
        self.stepCount = stepCount
        firstMoments = []
        secondMoments = []
        guard !state.isEmpty else { return }
        for (index, parameter) in parameters.enumerated() {
            guard let m = state["m.\(index)"], let v = state["v.\(index)"],
                  m.count == parameter.value.count, v.count == parameter.value.count
            else {
                throw OptimizerStateError(description: "checkpoint lacks Adam moments m.\(index)/v.\(index) of \(parameter.value.count) values")
            }
            firstMoments.append(m)
            secondMoments.append(v)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` over `0..<count` split into one contiguous range per worker thread (or whole, when small).
func parallelRanges(_ count: Int, _ workers: WorkerThreads?, _ body: @escaping (Range<Int>) -> Void) {
    guard let workers, workers.threadCount > 1, count >= 32_768 else {
        body(0..<count)
        return
    }
    let parts = workers.threadCount
    // Boundaries on multiples of 8, so vector lanes cover the same elements whatever the thread count.
    let bound = { (part: Int) in part == parts ? count : (count * part / parts) & ~7 }
    workers.run { part in body(bound(part)..<bound(part + 1)) }
}
