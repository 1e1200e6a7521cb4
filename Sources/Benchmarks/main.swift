// Benchmarks — prints figures for the engine's hot paths. Performance claims quote these, never tests.
//
//   swift run -c release digits-bench [gemm|step|predict|all] [--threads N] [--seconds S] [--model FILE]
//
// Every run first prints the CPU, the kernel family in use (DIGITS_KERNELS forces one) and the peak of each
// family this CPU runs, measured here: a loop of independent fused multiply-adds that never leave the
// registers. GEMM: GFLOP/s of MatrixMultiply.product on the training shapes, plus square shapes, as a
// share of the measured peak of the family in use.

import NeuralNetwork

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

var arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, default value: Double) -> Double {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let parsed = Double(arguments[index + 1])
    else { return value }
    arguments.removeSubrange(index...index + 1)
    return parsed
}
let modelPath: String? = {
    guard let index = arguments.firstIndex(of: "--model"), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...index + 1) }
    return arguments[index + 1]
}()
let threadCounts = arguments.contains("--threads") ? [Int(option("--threads", default: 1))] : [1, 2]
let seconds = option("--seconds", default: 0.5)
/// `--network PREFIX` limits the step benchmark to networks whose name starts with PREFIX.
let selectedNetwork: String? = {
    guard let index = arguments.firstIndex(of: "--network"), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...index + 1) }
    return arguments[index + 1]
}()
let what = arguments.first ?? "all"

/// Times `body` repeatedly for about `seconds` (or `limit`) and returns the best time of one call.
func bestTime(limit: Double? = nil, _ body: () -> Void) -> Double {
    let seconds = limit ?? seconds
    body()
    var best = Double.infinity
    let start = now()
    var calls = 0
    while now() - start < seconds || calls < 5 {
        let t0 = now()
        body()
        best = min(best, now() - t0)
        calls += 1
    }
    return best
}

/// GFLOP/s of one core running `family`'s register-only fused multiply-add loop (best of repeated runs).
func measuredPeak(_ family: KernelFamily) -> Double {
    let iterations = family == .portable ? 200_000 : 2_000_000
    var sink: Float = 0
    let time = bestTime(limit: 0.2) { sink += family.peakLoop(iterations: iterations, seed: Float(sink == 1 ? 1 : 0)) }
    return Double(family.peakLoopOperations * iterations) / time / 1e9
}

let peaks: [KernelFamily: Double] = Dictionary(uniqueKeysWithValues: KernelFamily.allCases.filter(\.isSupported).map { ($0, measuredPeak($0)) })
let family = KernelFamily.selected
if let note = KernelFamily.selection.note { print("note: \(note)") }
print("CPU: \(KernelFamily.cpuBrand.isEmpty ? "(no CPUID brand string)" : KernelFamily.cpuBrand); kernels: \(family) (DIGITS_KERNELS=avx512|avx2|portable forces one)")
print("measured peak per core: " + KernelFamily.allCases.map { family in
    peaks[family].map { "\(family) \(format($0, 1)) GFLOP/s" } ?? "\(family) (this CPU cannot run it)"
}.joined(separator: ", "))

func benchGEMM() {
    let peak = peaks[family] ?? 1
    print("matrix multiply C[M,N] = op(A)[M,K]·op(B)[K,N], best of repeated runs, \(family) kernels")
    print("shape (M×K×N, ops)            threads   GFLOP/s   per-core % of the measured \(family) peak (\(format(peak, 1)) GFLOP/s)")
    let shapes: [(String, Int, Int, Int, Transpose, Transpose)] = [
        ("128×784×128 A·Bᵀ (forward)", 128, 784, 128, .none, .transposed),
        ("128×128×64 A·Bᵀ (forward)", 128, 128, 64, .none, .transposed),
        ("784×128×128 Aᵀ·B (weight grad)", 784, 128, 128, .transposed, .none),
        ("64×784×128 A·Bᵀ (batch 64)", 64, 784, 128, .none, .transposed),
        ("128×64×784 Aᵀ·B (batch 64 grad)", 128, 64, 784, .transposed, .none),
        ("512×512×512 A·B", 512, 512, 512, .none, .none),
        ("64×9216×128 A·Bᵀ (CNN dense fwd)", 64, 9216, 128, .none, .transposed),
        ("128×64×9216 Aᵀ·B (CNN dense dW)", 128, 64, 9216, .transposed, .none),
        ("64×128×9216 A·B (CNN dense dx)", 64, 128, 9216, .none, .none),
        ("32×64×144 A·B (Winograd dx)", 32, 64, 144, .none, .none),
    ]
    var generator = SeededGenerator(seed: 1)
    for threads in threadCounts {
        let workers = WorkerThreads(threadCount: threads)
        for (name, m, k, n, ta, tb) in shapes {
            let aShape = ta == .none ? (m, k) : (k, m)
            let bShape = tb == .none ? (k, n) : (n, k)
            let a = Matrix(rows: aShape.0, columns: aShape.1, values: (0..<(m * k)).map { _ in generator.nextUnitFloat() - 0.5 })
            let b = Matrix(rows: bShape.0, columns: bShape.1, values: (0..<(k * n)).map { _ in generator.nextUnitFloat() - 0.5 })
            var c = Matrix(rows: m, columns: n)
            let time = bestTime { MatrixMultiply.product(a, ta, b, tb, into: &c, workers: workers) }
            let gflops = 2.0 * Double(m * n * k) / time / 1e9
            let label = name + String(repeating: " ", count: max(0, 32 - name.count))
            print("\(label)  \(threads)      \(format(gflops, 1))      \(format(100 * gflops / Double(threads) / peak, 0))%")
        }
        workers.stop()
    }
}

/// GFLOP/s of `MatrixMultiply.rowDotProducts` (A·Bᵀ as dot products of rows, one thread) on the shapes of
/// the Winograd weight gradients (one per position: [O, tiles]·[C, tiles]ᵀ), for every family this CPU runs.
func benchRowDots() {
    print("dot products of rows C[M,N] = A[M,K]·B[N,K]ᵀ (Winograd weight gradient), 1 thread")
    var generator = SeededGenerator(seed: 2)
    for (m, k, n) in [(64, 144, 32), (64, 576, 32), (64, 2304, 32), (48, 576, 24), (64, 9216, 32)] {
        let a = Matrix(rows: m, columns: k, values: (0..<(m * k)).map { _ in generator.nextUnitFloat() - 0.5 })
        let b = Matrix(rows: n, columns: k, values: (0..<(n * k)).map { _ in generator.nextUnitFloat() - 0.5 })
        var c = Matrix(rows: m, columns: n)
        let figures = KernelFamily.allCases.filter(\.isSupported).map { family -> String in
            let time = bestTime { MatrixMultiply.rowDotProducts(a, b, into: &c, accumulate: false, kernels: family) }
            return "\(family) \(format(2.0 * Double(m * n * k) / time / 1e9, 1))"
        }
        print("\(m)×\(k)×\(n)   " + figures.joined(separator: "   ") + " GFLOP/s")
    }
}

func format(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return decimals == 0 ? String(Int(rounded)) : String(rounded)
}

if what == "gemm" || what == "all" { benchGEMM() }
if what == "gemm" || what == "all" { benchRowDots() }

/// Milliseconds per training step of 784-128-64-10 (SGD, batch 64), 784-512-256-128-10 (Adam, dropout) and two CNNs,
/// on random bytes: the engine's share of an epoch, without data loading.
func benchSteps() {
    print("training step (random data)              threads   ms/step   steps/s")
    var generator = SeededGenerator(seed: 2)
    let count = 4096
    let pixels = (0..<(count * 784)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    let labels = (0..<count).map { _ in UInt8(generator.next() % 10) }
    let data = LabeledImages(pixels: pixels, labels: labels)
    let torchExample = "conv32k3-relu-conv64k3-relu-maxpool2-dropout0.25-flatten-dense128-relu-dropout0.5-dense10"
    let smallCNN = "conv16k5s2p2-relu-conv32k3-relu-maxpool2-flatten-dense128-relu-dense10"   // presets default and fast
    let networks: [(String, String, Bool, Int)] = [("784-128-64-10 sgd", "dense128-relu-dense64-relu-dense10", false, 64),
                                                   ("784-512-256-128-10 adam", "dense512-relu-dropout0.2-dense256-relu-dropout0.2-dense128-relu-dense10", true, 64),
                                                   ("torch-example-cnn adam", torchExample, true, 64),
                                                   ("small-cnn adam (batch 128)", smallCNN, true, 128)]
    for (name, architecture, useAdam, batchSize) in networks where selectedNetwork.map({ name.hasPrefix($0) }) ?? true {
        for threads in threadCounts {
            let workers = WorkerThreads(threadCount: threads)
            var initializer = SeededGenerator(seed: 3)
            let network = try! NetworkArchitecture(parsing: architecture).makeNetwork(generator: &initializer)
            let optimizer: Optimizer = useAdam ? Adam() : SGD()
            let trainer = Trainer(network: network, optimizer: optimizer, settings: TrainingSettings(epochs: 1, batchSize: batchSize, learningRate: 0.01),
                                  trainingSet: data, workers: workers)
            let order = trainer.shuffledOrder(epoch: 0)
            var batch = 0
            let time = bestTime {
                for _ in 0..<20 {
                    let start = (batch % (count / batchSize)) * batchSize
                    trainer.trainStep(order[start..<start + batchSize])
                    batch += 1
                }
            } / 20
            let label = name + String(repeating: " ", count: max(0, 40 - name.count))
            print("\(label)  \(threads)        \(format(time * 1000, 3))     \(Int(1 / time))    (\(format(time * Double(60_000 / batchSize), 1)) s per \(60_000 / batchSize)-step epoch)")
            workers.stop()
        }
    }
}

if what == "step" || what == "all" { benchSteps() }
if what == "predict" || what == "all" {
    do { try benchPredict(modelPath: modelPath) } catch { print("predict benchmark: \(error)") }
}
