// Optimizer steps and learning-rate schedules against values computed by hand.

import NeuralNetwork
import Testing

func parameter(_ values: [Float], gradient: [Float], decays: Bool = true) -> Parameter {
    let p = Parameter(name: "w", value: Matrix(rows: 1, columns: values.count, values: values), decays: decays)
    p.gradient = Matrix(rows: 1, columns: gradient.count, values: gradient)
    return p
}

func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double = 1e-6, _ comment: Comment? = nil) {
    #expect(actual.count == expected.count)
    for (a, e) in zip(actual, expected) {
        #expect(abs(Double(a) - e) <= tolerance * max(1, abs(e)), "\(actual) vs \(expected) \(comment?.description ?? "")")
    }
}

@Suite("Optimizers")
struct OptimizerTests {
    @Test("plain SGD: w ← w − η·g")
    func sgd() {
        let p = parameter([1, -2], gradient: [0.5, -1])
        SGD().step([p], learningRate: 0.1)
        expectClose(p.value.values, [0.95, -1.9])
    }

    @Test("SGD weight decay applies to weights, not biases")
    func sgdWeightDecay() {
        let weight = parameter([1, -2], gradient: [0, 0])
        let bias = parameter([1, -2], gradient: [0, 0], decays: false)
        SGD(weightDecay: 0.5).step([weight, bias], learningRate: 0.1)
        expectClose(weight.value.values, [0.95, -1.9])
        expectClose(bias.value.values, [1, -2])
    }

    @Test("momentum: v ← μv + g, w ← w − ηv over two steps")
    func momentum() {
        let p = parameter([1], gradient: [1])
        let sgd = SGD(momentum: 0.9)
        sgd.step([p], learningRate: 0.1)      // v = 1, w = 0.9
        sgd.step([p], learningRate: 0.1)      // v = 1.9, w = 0.71
        expectClose(p.value.values, [0.71])
    }

    @Test("Nesterov: w ← w − η(g + μv) over two steps")
    func nesterov() {
        let p = parameter([1], gradient: [1])
        let sgd = SGD(momentum: 0.9, nesterov: true)
        sgd.step([p], learningRate: 0.1)      // v = 1, w = 1 − 0.1·1.9 = 0.81
        sgd.step([p], learningRate: 0.1)      // v = 1.9, w = 0.81 − 0.1·(1 + 1.71) = 0.539
        expectClose(p.value.values, [0.539])
    }

    @Test("Adam: the first step moves every weight by about η")
    func adamFirstStep() {
        let p = parameter([1, 1], gradient: [0.001, -30])
        Adam().step([p], learningRate: 0.01)
        // m̂ = g, v̂ = g², so the step is η·g/(|g| + ε).
        expectClose(p.value.values, [1 - 0.01 * 0.001 / (0.001 + 1e-8), 1.01], tolerance: 1e-6)
    }

    @Test("Adam two steps against the formulas in Double")
    func adamTwoSteps() {
        let p = parameter([0.5], gradient: [0.2])
        let adam = Adam(weightDecay: 0.1)
        adam.step([p], learningRate: 0.05)
        p.gradient.values = [-0.4]
        adam.step([p], learningRate: 0.05)
        // Reference in Double.
        var w = 0.5, m = 0.0, v = 0.0
        for (t, rawGradient) in [(1, 0.2), (2, -0.4)] {
            let g = rawGradient + 0.1 * w
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            let mHat = m / (1 - pow(0.9, Double(t))), vHat = v / (1 - pow(0.999, Double(t)))
            w -= 0.05 * mHat / (vHat.squareRoot() + 1e-8)
        }
        expectClose(p.value.values, [w], tolerance: 1e-5)
    }

    @Test("AdamW decays the weight outside the moments")
    func adamW() {
        let p = parameter([2], gradient: [0])
        Adam(weightDecay: 0.1, decoupledWeightDecay: true).step([p], learningRate: 0.5)
        // w ← w·(1 − ηλ) − η·0/(0 + ε) = 2·0.95
        expectClose(p.value.values, [1.9])
    }
}

@Suite("Learning-rate schedules")
struct ScheduleTests {
    @Test("constant, step, cosine and one-cycle at known points")
    func knownPoints() {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, step: 500, totalSteps: 1000, stepsPerEpoch: 100) == 0.1)
        let step = LearningRateSchedule.step(everyEpochs: 2, gamma: 0.5)
        #expect(step.rate(base: 0.1, step: 199, totalSteps: 1000, stepsPerEpoch: 100) == 0.1)
        #expect(abs(step.rate(base: 0.1, step: 450, totalSteps: 1000, stepsPerEpoch: 100) - 0.025) < 1e-12)
        let cosine = LearningRateSchedule.cosine(warmupSteps: 0, floor: 0)
        #expect(cosine.rate(base: 0.1, step: 0, totalSteps: 1000, stepsPerEpoch: 100) == 0.1)
        #expect(abs(cosine.rate(base: 0.1, step: 500, totalSteps: 1000, stepsPerEpoch: 100) - 0.05) < 1e-12)
        #expect(cosine.rate(base: 0.1, step: 1000, totalSteps: 1000, stepsPerEpoch: 100) < 1e-12)
        let warm = LearningRateSchedule.cosine(warmupSteps: 10, floor: 0)
        #expect(abs(warm.rate(base: 0.1, step: 4, totalSteps: 1000, stepsPerEpoch: 100) - 0.05) < 1e-12)
        let cycle = LearningRateSchedule.oneCycle
        #expect(abs(cycle.rate(base: 0.1, step: 0, totalSteps: 1000, stepsPerEpoch: 100) - 0.004) < 1e-12)
        #expect(abs(cycle.rate(base: 0.1, step: 300, totalSteps: 1000, stepsPerEpoch: 100) - 0.1) < 1e-12)
        #expect(cycle.rate(base: 0.1, step: 1000, totalSteps: 1000, stepsPerEpoch: 100) < 1e-4)
    }

    @Test("names parse back to the same schedule; nonsense is rejected")
    func names() {
        for schedule in [LearningRateSchedule.constant, .step(everyEpochs: 3, gamma: 0.2), .cosine(warmupSteps: 0, floor: 0),
                         .cosine(warmupSteps: 100, floor: 0.01), .oneCycle] {
            #expect(LearningRateSchedule(name: schedule.name) == schedule)
        }
        for bad in ["", "linear", "step:0", "step:2:1.5", "cosine:-1", "onecycle:3"] {
            #expect(LearningRateSchedule(name: bad) == nil, "\(bad)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
