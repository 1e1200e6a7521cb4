// Finite-difference gradient checks: every backward pass must match (L(θ+ε) − L(θ−ε)) / 2ε.

import Foundation
import NeuralNetwork
import Testing

/// Loss used by the checks: L = Σ_ij c_ij · y_ij with fixed random coefficients c, so ∂L/∂y = c.
struct LinearProbe {
    let coefficients: Matrix
    func loss(_ y: Matrix) -> Double {
        zip(y.values, coefficients.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
}

/// Relative error |a − b| / max(|a|, |b|, floor).
func relativeError(_ a: Double, _ b: Double, floor: Double = 1e-2) -> Double {
    abs(a - b) / max(abs(a), abs(b), floor)
}

@Suite("Gradient checks")
struct GradientCheckTests {
    let epsilon: Float = 1e-2

    /// Checks ∂L/∂input and ∂L/∂parameters of `layer` at `input` by central differences.
    func check(_ layer: Layer, input: Matrix, generatorSeed: UInt64 = 9, tolerance: Double = 2e-3) {
        var probeGenerator = SeededGenerator(seed: 11)
        let forwardOnce: (Matrix) -> Matrix = { x in
            var generator = SeededGenerator(seed: generatorSeed)   // same dropout mask every time
            return layer.forward(x, mode: .training, generator: &generator, workers: nil)
        }
        let output = forwardOnce(input)
        let probe = LinearProbe(coefficients: randomMatrix(output.rows, output.columns, &probeGenerator))
        for parameter in layer.parameters { parameter.gradient.fill(0) }
        _ = forwardOnce(input)
        let inputGradient = layer.backward(input: input, outputGradient: probe.coefficients, needsInputGradient: true, accumulate: true, workers: nil)!

        for i in 0..<input.count {
            var plus = input
            var minus = input
            plus.values[i] += epsilon
            minus.values[i] -= epsilon
            let numeric: Double = (probe.loss(forwardOnce(plus)) - probe.loss(forwardOnce(minus))) / Double(2 * epsilon)
            #expect(relativeError(Double(inputGradient.values[i]), numeric) < tolerance, "\(layer.summary) ∂L/∂x[\(i)]")
        }
        for parameter in layer.parameters {
            let analytic = parameter.gradient
            for i in 0..<parameter.value.count {
                let saved = parameter.value.values[i]
                parameter.value.values[i] = saved + epsilon
                let lossPlus = probe.loss(forwardOnce(input))
                parameter.value.values[i] = saved - epsilon
                let lossMinus = probe.loss(forwardOnce(input))
                parameter.value.values[i] = saved
                let numeric: Double = (lossPlus - lossMinus) / Double(2 * epsilon)
                #expect(relativeError(Double(analytic.values[i]), numeric) < tolerance, "\(layer.summary) ∂L/∂\(parameter.name)[\(i)]")
            }
        }
    }

    @Test("dense layer, awkward sizes")
    func dense() {
        var generator = SeededGenerator(seed: 1)
        for (batch, inputs, outputs) in [(1, 1, 1), (3, 7, 5), (5, 17, 13)] {
            let layer = Dense(inputs: inputs, outputs: outputs, initialization: .xavier, generator: &generator)
            layer.bias.value = randomMatrix(1, outputs, &generator)
            check(layer, input: randomMatrix(batch, inputs, &generator))
        }
    }

    @Test("ReLU away from its kink")
    func relu() {
        var generator = SeededGenerator(seed: 2)
        var input = randomMatrix(4, 9, &generator)
        for i in input.values.indices where abs(input.values[i]) < 0.05 { input.values[i] = 0.3 }
        check(ReLU(), input: input)
    }

    @Test("dropout with a fixed mask")
    func dropout() {
        var generator = SeededGenerator(seed: 3)
        check(Dropout(probability: 0.4), input: randomMatrix(6, 11, &generator))
    }

    @Test("softmax cross-entropy")
    func softmaxCrossEntropy() {
        var generator = SeededGenerator(seed: 4)
        let logits = randomMatrix(5, 10, &generator)
        checkLossGradient(logits: logits, labels: [0, 3, 9, 3, 7])
    }

    /// ∂L/∂z of softmax cross-entropy (with `energyMargin`'s loss when given) against central differences, for every logit.
    func checkLossGradient(logits: Matrix, labels: [UInt8], energyMargin: EnergyMargin? = nil) {
        let divisor = labels.count
        func loss(_ z: Matrix) -> Double {
            labels.withUnsafeBufferPointer {
                SoftmaxCrossEntropy.evaluate(logits: z, labels: $0, divisor: divisor, gradient: nil, energyMargin: energyMargin).lossSum / Double(divisor)
            }
        }
        var gradient = [Float](repeating: 0, count: logits.count)
        labels.withUnsafeBufferPointer { l in
            gradient.withUnsafeMutableBufferPointer { g in
                _ = SoftmaxCrossEntropy.evaluate(logits: logits, labels: l, divisor: divisor, gradient: g.baseAddress!, energyMargin: energyMargin)
            }
        }
        for i in 0..<logits.count {
            var plus = logits
            var minus = logits
            plus.values[i] += epsilon
            minus.values[i] -= epsilon
            let numeric: Double = (loss(plus) - loss(minus)) / Double(2 * epsilon)
            #expect(relativeError(Double(gradient[i]), numeric) < 2e-3, "∂L/∂z[\(i)]")
        }
    }

    @Test("softmax cross-entropy with not-a-digit rows (label = classes: the uniform target)")
    func softmaxCrossEntropyUniformTarget() {
        var generator = SeededGenerator(seed: 11)
        let logits = randomMatrix(4, 10, &generator)
        checkLossGradient(logits: logits, labels: [10, 2, 10, 10])
        // Equal logits: the uniform target is met exactly, loss log 10, gradient 0; such a row counts as
        // correct (its largest probability, 0.1, is below ½), and a confident row does not.
        let flat = Matrix(rows: 2, columns: 10, values: [Float](repeating: 0.3, count: 10) + [9] + [Float](repeating: 0, count: 9))
        var flatGradient = [Float](repeating: 0, count: 20)
        let result = [UInt8](arrayLiteral: 10, 10).withUnsafeBufferPointer { l in
            flatGradient.withUnsafeMutableBufferPointer { SoftmaxCrossEntropy.evaluate(logits: flat, labels: l, divisor: 1, gradient: $0.baseAddress!) }
        }
        #expect(abs(flatGradient[0..<10].map { abs($0) }.max()! ) < 1e-6)
        #expect(result.correct == 1)
        // log 10 for the flat row; for the confident one log(1 + 9e⁻⁹) − mean(z − 9) = 0.00111 + 8.1.
        #expect(abs(result.lossSum - (2.302585 + 8.101110)) < 1e-3)
    }

    @Test("the energy margin: digits below m_in, no-class rows above m_out, each hinge active and not")
    func energyMargin() {
        var generator = SeededGenerator(seed: 12)
        // Logits around 0 give energies near −log 10 ≈ −2.3; shifted by +6 near −8.3. With m_in −5 and m_out −4,
        // rows 0–1 (digits) and 2–3 (no class) sit on both sides of their margins.
        var logits = randomMatrix(4, 10, &generator)
        for j in 0..<10 { logits[1, j] += 6; logits[3, j] += 6 }
        let margin = EnergyMargin(weight: 0.3, inlierMargin: -5, outlierMargin: -4)
        checkLossGradient(logits: logits, labels: [2, 7, 10, 10], energyMargin: margin)
        // Each row's loss by hand: E = −log Σ exp z; a digit adds λ·max(0, E − m_in)² to its cross-entropy, a
        // no-class row has λ·max(0, m_out − E)² alone.
        let energies = SoftmaxCrossEntropy.energies(logits)
        #expect(energies[0] > -5 && energies[1] < -5 && energies[2] > -4 && energies[3] < -4, "\(energies)")
        let probabilities = SoftmaxCrossEntropy.probabilities(logits)
        let expected = -log(Double(probabilities[0, 2])) + 0.3 * pow(Double(energies[0]) + 5, 2)
            - log(Double(probabilities[1, 7]))
            + 0 + 0.3 * pow(-4 - Double(energies[3]), 2)
        let result = [UInt8](arrayLiteral: 2, 7, 10, 10).withUnsafeBufferPointer {
            SoftmaxCrossEntropy.evaluate(logits: logits, labels: $0, divisor: 4, gradient: nil, energyMargin: margin)
        }
        #expect(abs(result.lossSum - expected) < 1e-4, "\(result.lossSum) vs \(expected)")
        // A no-class row counts as correct when its energy is above the midpoint of the margins (−4.5): row 2 only.
        let noClass = [UInt8](arrayLiteral: 10, 10).withUnsafeBufferPointer {
            SoftmaxCrossEntropy.evaluate(logits: Matrix(rows: 2, columns: 10, values: Array(logits.values[20..<40])), labels: $0,
                                         divisor: 2, gradient: nil, energyMargin: margin)
        }
        #expect(noClass.correct == 1)
        // The energy is −log Σ exp z: ten equal logits z give −z − log 10.
        #expect(abs(SoftmaxCrossEntropy.energies(Matrix(rows: 1, columns: 10, values: [Float](repeating: 1.5, count: 10)))[0]
                    - (-1.5 - Float(log(10.0)))) < 1e-5)
    }

    @Test("a whole network end to end, through the loss")
    func wholeNetwork() {
        var generator = SeededGenerator(seed: 5)
        let network = Network.multilayerPerceptron(sizes: [12, 9, 7, 4], dropout: 0.25, initialization: .he, generator: &generator)
        let input = randomMatrix(6, 12, &generator)
        let labels: [UInt8] = [0, 1, 2, 3, 1, 2]
        func loss() -> Double {
            var dropoutGenerator = SeededGenerator(seed: 77)
            let logits = network.forward(input, mode: .training, generator: &dropoutGenerator)
            return labels.withUnsafeBufferPointer { SoftmaxCrossEntropy.evaluate(logits: logits, labels: $0, divisor: 6, gradient: nil).lossSum / 6 }
        }
        func numeric(_ parameter: Parameter, _ i: Int, _ step: Float) -> Double {
            let saved = parameter.value.values[i]
            parameter.value.values[i] = saved + step
            let plus = loss()
            parameter.value.values[i] = saved - step
            let minus = loss()
            parameter.value.values[i] = saved
            return (plus - minus) / Double(2 * step)
        }
        network.zeroGradients()
        var dropoutGenerator = SeededGenerator(seed: 77)
        let logits = network.forward(input, mode: .training, generator: &dropoutGenerator)
        var gradient = Matrix(rows: logits.rows, columns: logits.columns)
        labels.withUnsafeBufferPointer { l in
            gradient.values.withUnsafeMutableBufferPointer { g in
                _ = SoftmaxCrossEntropy.evaluate(logits: logits, labels: l, divisor: 6, gradient: g.baseAddress!)
            }
        }
        network.backward(gradient)
        var checked = 0
        var total = 0
        for (index, parameter) in network.parameters.enumerated() {
            for i in 0..<parameter.value.count {
                total += 1
                let coarse = numeric(parameter, i, epsilon)
                let fine = numeric(parameter, i, epsilon / 2)
                // When the two step sizes disagree, a ReLU switched inside the interval: no derivative to compare.
                if relativeError(coarse, fine) >= 1e-2 { continue }
                checked += 1
                let error = relativeError(Double(parameter.gradient.values[i]), coarse)
                #expect(error < 1e-2, "parameter \(index)[\(i)]")
            }
        }
        let required = total * 95 / 100
        #expect(checked >= required, "only \(checked) of \(total) parameters could be checked")
    }
}
