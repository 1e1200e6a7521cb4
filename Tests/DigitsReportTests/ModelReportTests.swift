// A report for a tiny trained model has every section, every figure inline and as a file name, and
// step records that follow a run.

import DigitsReport
import NeuralNetwork
import Testing

@Suite("Model report")
struct ModelReportTests {
    /// 60 random 28×28 images whose label is set by the brightness of one of ten bands, so a tiny network
    /// learns something but not everything in a few epochs.
    static func images(seed: UInt64, count: Int = 60) -> LabeledImages {
        var generator = SeededGenerator(seed: seed)
        var pixels: [UInt8] = [], labels: [UInt8] = []
        for _ in 0..<count {
            let label = Int(generator.next() % 10)
            for row in 0..<28 {
                for _ in 0..<28 { pixels.append(row / 3 == label ? 200 : UInt8(generator.next() % 120)) }
            }
            labels.append(UInt8(label))
        }
        return LabeledImages(pixels: pixels, labels: labels)
    }

    static func trained(_ architecture: String) throws -> (Network, Trainer) {
        var generator = SeededGenerator(seed: 4)
        let network = try NetworkArchitecture(parsing: architecture).makeNetwork(generator: &generator)
        let trainer = Trainer(network: network, optimizer: Adam(), settings: TrainingSettings(epochs: 3, batchSize: 10, learningRate: 0.002),
                              trainingSet: images(seed: 1), validationSet: images(seed: 2, count: 20))
        _ = trainer.run(clock: { 0 })
        return (network, trainer)
    }

    @Test("a dense model's report has every section, with its figures inline and linked")
    func denseReport() throws {
        let (network, trainer) = try Self.trained("dense16-relu-dense10")
        #expect(trainer.history.count == 3 && trainer.stepHistory.count == 18, "18 steps, one record per step for a short run")
        let report = ModelReport(network: network, modelName: "tiny", history: trainer.history, stepHistory: trainer.stepHistory,
                                 test: Self.images(seed: 3, count: 50),
                                 seeds: [SeedResult(name: "seed 1", accuracy: 0.5), SeedResult(name: "seed 2", accuracy: 0.6)])
        let sections = report.sections()
        #expect(sections.map(\.id) == ["curves", "per-digit", "confusion", "predictions", "mistakes", "first-layer", "seeds"])
        let names = sections.flatMap(\.figures).map(\.name)
        #expect(names == ["loss", "accuracy", "learning-rate", "per-digit-accuracy", "confusion-matrix", "predictions", "mistakes",
                          "first-layer-weights", "seeds"])
        let page = report.html(summary: [("model", "tiny")], sections: sections)
        for name in names {
            #expect(page.contains("id=\"figure-\(name)\"") && page.contains("href=\"\(name).png\""), "\(name)")
        }
        #expect(page.components(separatedBy: "<svg").count - 1 == names.count)
        #expect(!page.contains("http://") || page.components(separatedBy: "http://").count - 1 == names.count,
                "the only URLs are the SVG namespace: nothing is fetched")
        // Training and validation curves: two series in each of loss and accuracy.
        let loss = try #require(sections[0].figures[0] as? LineChart)
        #expect(loss.series.map(\.name) == ["train", "validation"] && loss.series[0].points.count == 18)
        // Every figure draws something on a white page.
        for figure in sections.flatMap(\.figures) {
            let image = figure.raster()
            #expect(image.width == figure.width && image.height == figure.height)
            #expect(stride(from: 0, to: image.bytes.count, by: 3).contains { image.bytes[$0] < 200 }, "\(figure.name) is not blank")
        }
    }

    @Test("a convolutional model's report draws its filters and the feature maps of the chosen digit")
    func convolutionalReport() throws {
        let (network, trainer) = try Self.trained("conv4k5s2p2-relu-flatten-dense10")
        let report = ModelReport(network: network, modelName: "conv", history: trainer.history, test: Self.images(seed: 3, count: 20),
                                 featureMapIndex: 7)
        let firstLayer = try #require(report.sections().first { $0.id == "first-layer" })
        let grids = firstLayer.figures.compactMap { $0 as? ImageGrid }
        #expect(grids.map(\.name) == ["first-layer-filters", "feature-maps"])
        #expect(grids[0].tiles.count == 4 && grids[0].tiles[0].image.width == 5)
        #expect(grids[1].tiles.count == 5 && grids[1].tiles[1].image.width == 14, "the digit, then 4 maps of 14×14")
        #expect(grids[1].tiles[0].caption == "digit \(report.test.labels[7])")
        #expect(report.seeds.isEmpty && !report.sections().contains { $0.id == "seeds" })
    }

    @Test("a model without history says so instead of drawing empty curves")
    func noHistory() throws {
        var generator = SeededGenerator(seed: 1)
        let network = Network.multilayerPerceptron(sizes: [784, 10], generator: &generator)
        let report = ModelReport(network: network, modelName: "old", history: [], test: Self.images(seed: 3, count: 10))
        let curves = report.sections()[0]
        #expect(curves.figures.isEmpty && curves.text.contains("no training history"))
    }
}
