// PredictBenchmark.swift — `digits-bench predict [--model FILE]`: the studio's per-drawing work in-process.
//
// Strokes of a handwritten 7 on a 280×280 canvas (the drawing scripts/wrk_predict.lua sends) are rendered,
// preprocessed and classified, as `POST /api/predict` does, without HTTP or JSON. Mean time over many calls.

import DigitImage
import DigitsFiles
import NeuralNetwork

let sevenStrokes: [[(Double, Double)]] = [
    [(82, 62), (96, 61), (110, 60), (124, 60), (138, 59), (152, 59), (166, 58), (180, 58), (194, 58), (205, 59), (204, 66),
     (199, 77), (193, 89), (187, 101), (181, 113), (175, 125), (170, 137), (165, 149), (160, 161), (156, 173), (152, 185),
     (148, 197), (145, 209), (142, 221)],
    [(110, 140), (122, 140), (134, 139), (146, 139), (158, 138), (170, 138), (182, 138), (194, 137), (206, 137)],
    [(140, 221), (141, 222), (142, 223), (143, 222), (144, 221), (145, 220), (146, 219), (147, 218)],
]

/// Mean seconds per call of `body` over about `seconds` of calls (after one warm-up call).
func meanTime(_ body: () -> Void) -> Double {
    body()
    let start = now()
    var calls = 0
    while now() - start < max(seconds, 1) || calls < 100 {
        body()
        calls += 1
    }
    return (now() - start) / Double(calls)
}

func benchPredict(modelPath: String?) throws {
    let network: Network
    if let modelPath {
        network = try ModelFile.read(path: modelPath).network
    } else {
        var generator = SeededGenerator(seed: 1)
        network = Network.multilayerPerceptron(sizes: [784, 128, 64, 10], normalization: .mnist, generator: &generator)
    }
    let drawing = try Drawing(width: 280, height: 280, strokes: sevenStrokes.map { $0.map { CanvasPoint(x: $0.0, y: $0.1) } })
    guard let input = drawing.preprocessed().digit?.input else { fatalError("the benchmark drawing has no digit") }
    var sink: Float = 0
    let render = meanTime { sink += drawing.inkImage().pixels[0] }
    let preprocess = meanTime { sink += drawing.preprocessed().digit!.input[0] }
    let infer = meanTime { sink += network.probabilities(unitPixels: input)[0] }
    let averaged = meanTime { sink += network.shiftAveragedProbabilities(unitPixels: input)[0] }
    let whole = meanTime { sink += network.shiftAveragedProbabilities(unitPixels: drawing.preprocessed().digit!.input)[0] }
    let probabilities = network.probabilities(unitPixels: input)
    let digit = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
    print("model: \(modelPath ?? "random 784-128-64-10") (\(network.summary)); the drawing reads as \(digit)")
    print("render strokes (80×80):          \(format(render * 1e6, 1)) µs")
    print("render + preprocess:             \(format(preprocess * 1e6, 1)) µs")
    print("inference (one image):           \(format(infer * 1e6, 1)) µs")
    print("inference, image + 2 moved:      \(format(averaged * 1e6, 1)) µs (the studio's reading: the image and two copies moved one pixel diagonally)")
    print("preprocess + averaged inference: \(format(whole * 1e6, 1)) µs per drawing = \(format(whole * 1e3, 3)) ms  (one core)\(sink.isNaN ? " " : "")")
}
