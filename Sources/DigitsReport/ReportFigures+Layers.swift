// ReportFigures+Layers.swift — what the first layer learned (weights as images, convolution filters and
// the feature maps of one digit) and the accuracy of repeated seeds.

import DigitsFiles
import NeuralNetwork

extension ModelReport {
    public func firstLayerSection() -> ReportSection {
        if let dense = network.layers.first as? Dense, dense.inputCount == test.featureCount {
            let (height, width) = test.imageShape
            let units = min(dense.outputCount, 64)
            let weights = dense.weight.value
            let tiles = (0..<units).map { unit -> GridTile in
                let row = (0..<dense.inputCount).map { weights[unit, $0] }
                let limit = row.map(abs).max() ?? 0
                return GridTile(image: Pixels.diverging(row, width: width, height: height, limit: limit), caption: "")
            }
            return ReportSection(
                id: "first-layer", heading: "First layer",
                text: "The incoming weights of the first \(units) of \(dense.outputCount) units of the first dense layer, as \(width)×\(height) images: red pixels push the unit up, blue ones down, white ones do not matter (each image scaled to its own largest weight).",
                figures: [ImageGrid(name: "first-layer-weights", title: "First-layer weights (\(units) units)", tiles: tiles, columns: 8,
                                    subtitle: "red: positive weight, blue: negative, white: zero")])
        }
        guard let convolution = network.layers.first as? Convolution2D else {
            return ReportSection(id: "first-layer", heading: "First layer", text: "The first layer (\(network.layers.first?.summary ?? "none")) has no weights to draw.", figures: [])
        }
        let (k, channels, outputs) = (convolution.kernelSize, convolution.inputShape.channels, convolution.outputShape.channels)
        let weights = convolution.weight.value
        let shown = min(outputs, 64)
        let filterTiles = (0..<shown).map { o -> GridTile in
            // Input channel 0 (MNIST has one channel).
            let values = (0..<(k * k)).map { weights[o, $0] }
            return GridTile(image: Pixels.diverging(values, width: k, height: k, limit: values.map(abs).max() ?? 0), caption: "\(o)")
        }
        // The feature maps: the first convolution (and ReLU) applied to one test image.
        let index = featureMapIndex
        let pixels = network.normalize(unitPixels: test.image(index).map { Float($0) / 255 })
        var generator = SeededGenerator(seed: 0)
        let maps = convolution.forward(Matrix(rows: 1, columns: pixels.count, values: pixels), mode: .inference, generator: &generator, workers: nil)
        let shape = convolution.outputShape
        let mapTiles = (0..<min(outputs, 64)).map { o -> GridTile in
            let plane = (0..<shape.planeSize).map { max(maps[0, o * shape.planeSize + $0], 0) }
            return GridTile(image: Pixels.intensity(plane, width: shape.width, height: shape.height), caption: "\(o)")
        }
        let digit = GridTile(image: inkImage(index), caption: "digit \(test.labels[index])")
        return ReportSection(
            id: "first-layer", heading: "First layer",
            text: "The \(shown) \(k)×\(k) filters of the first convolution\(channels > 1 ? " (input channel 0)" : "") — red weights respond to ink, blue ones to its absence — and what they make of \(setName) image \(index), a \(test.labels[index]): each map is the filter's response after ReLU, dark where it fires.",
            figures: [
                ImageGrid(name: "first-layer-filters", title: "First-layer filters (\(k)×\(k))", tiles: filterTiles, columns: 8,
                          subtitle: "red: positive weight, blue: negative"),
                ImageGrid(name: "feature-maps", title: "Feature maps of \(setName) image \(index)", tiles: [digit] + mapTiles, columns: 8,
                          subtitle: "the input first, then each filter's response after ReLU"),
            ])
    }

    func seedsSection() -> ReportSection {
        let values = seeds.map { 100 * $0.accuracy }
        let mean = values.reduce(0, +) / Double(values.count)
        let spread = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(values.count - 1, 1))).squareRoot()
        let low = max(0, ((values.min() ?? 0) - 0.5).rounded(.down))
        return ReportSection(
            id: "seeds", heading: "Repeated seeds",
            text: "\(seeds.count) runs of the same recipe with different seeds (`digits train --repeat`): mean \(formatNumber(mean, decimals: 2))% ± \(formatNumber(spread, decimals: 2)) (sample standard deviation).",
            figures: [BarChart(name: "seeds", title: "Test accuracy across seeds", xLabel: "model file", yLabel: "accuracy (%)",
                               categories: seeds.map(\.name), values: values, decimals: 2, yRange: low...100)])
    }
}
