// Reading with shift averaging: the moved copies are the image moved, with paper coming in at the edges, and
// the averaged probabilities are the mean of the network's answers for each copy, for one image or a set.

import Foundation
import NeuralNetwork
import Testing

@Suite("Shift averaging")
struct ShiftAveragingTests {
    static func network() throws -> Network {
        var generator = SeededGenerator(seed: 11)
        return try NetworkArchitecture(parsing: "conv6k5s2p2-relu-conv8k3-relu-maxpool2-flatten-dense16-relu-dense10")
            .makeNetwork(input: .mnist, generator: &generator)
    }

    /// A 28×28 image of 0–1 values: a thick diagonal stroke and some texture, different at every pixel.
    static func image(_ seed: Int = 0) -> [Float] {
        (0..<784).map { index in
            let (row, column) = (index / 28, index % 28)
            let stroke: Float = abs(row - column - seed) < 3 && (4..<24).contains(row) ? 1 : 0
            return max(stroke, Float((row * 7 + column * 13 + seed * 5) % 17) / 40)
        }
    }

    @Test("a moved copy is the image moved, with paper where it falls outside")
    func shifted() {
        let side = 5
        let image = (0..<25).map { Float($0) }
        var output = [Float](repeating: -1, count: 25)
        image.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { Network.shifted(source, side: side, by: (x: 1, y: -1), into: $0) }
        }
        // output(r, c) = image(r + 1, c − 1): row 0 is image row 1 moved right, column 0 and row 4 are paper.
        #expect(output[0 * 5 + 0] == 0 && output[0 * 5 + 1] == 5 && output[0 * 5 + 4] == 8)
        #expect(output[3 * 5 + 2] == 21)
        #expect((0..<5).allSatisfy { output[4 * 5 + $0] == 0 } && (0..<5).allSatisfy { output[$0 * 5] == 0 })
        image.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { Network.shifted(source, side: side, by: (x: 0, y: 0), into: $0) }
        }
        #expect(output == image, "no move is the identity")
    }

    @Test("the averaged probabilities are the mean of the answers for the image and its moved copies")
    func meanOfMovedCopies() throws {
        let network = try Self.network()
        let image = Self.image()
        #expect(Network.readingShifts.count == 3 && Network.readingShifts[0] == (0, 0))
        let averaged = network.shiftAveragedProbabilities(unitPixels: image)
        var expected = [Float](repeating: 0, count: 10)
        var expectedEnergy: Float = 0
        for shift in Network.readingShifts {
            var moved = [Float](repeating: 0, count: 784)
            image.withUnsafeBufferPointer { source in moved.withUnsafeMutableBufferPointer { Network.shifted(source, side: 28, by: shift, into: $0) } }
            let probabilities = network.probabilities(unitPixels: moved)
            for digit in 0..<10 { expected[digit] += probabilities[digit] / 3 }
            let logits = network.logits(Matrix(rows: 1, columns: 784, values: network.normalize(unitPixels: moved)))
            expectedEnergy += -log(logits.values.map { exp($0) }.reduce(0, +)) / 3
        }
        for digit in 0..<10 { #expect(abs(averaged[digit] - expected[digit]) < 1e-5, "digit \(digit)") }
        // The energy is averaged over the same copies, and the probabilities come along unchanged.
        let reading = network.shiftAveragedReading(unitPixels: image)
        #expect(abs(reading.energy - expectedEnergy) < 1e-4 * max(1, abs(expectedEnergy)), "\(reading.energy) vs \(expectedEnergy)")
        #expect(reading.probabilities.map(\.bitPattern) == averaged.map(\.bitPattern))
        #expect(abs(averaged.reduce(0, +) - 1) < 1e-5)
        // Different from the image alone: the moves change the answer.
        let alone = network.probabilities(unitPixels: image)
        #expect(zip(alone, averaged).contains { abs($0 - $1) > 1e-4 })
        // With the image alone as the only "move", it is the plain reading.
        let unmoved = network.shiftAveragedProbabilities(unitPixels: image, shifts: [(0, 0)])
        for digit in 0..<10 { #expect(abs(unmoved[digit] - alone[digit]) < 1e-6) }
    }

    @Test("a set read in batches gives each image's own averaged probabilities, with 1 or 2 threads")
    func setInBatches() throws {
        let network = try Self.network()
        let images = (0..<7).map { Self.image($0) }
        let set = LabeledImages(pixels: images.flatMap { $0.map { UInt8(($0 * 255).rounded()) } }, labels: [UInt8](repeating: 0, count: 7))
        let workers = WorkerThreads(threadCount: 2)
        defer { workers.stop() }
        let batched = network.shiftAveragedProbabilities(set, batchSize: 3, workers: workers)
        #expect(batched.count == 70)
        for index in 0..<7 {
            let own = network.shiftAveragedProbabilities(unitPixels: set.image(index).map { Float($0) / 255 })
            for digit in 0..<10 { #expect(abs(batched[index * 10 + digit] - own[digit]) < 1e-5, "image \(index), digit \(digit)") }
        }
        #expect(network.shiftAveragedProbabilities(set, batchSize: 3, workers: nil).map(\.bitPattern) == batched.map(\.bitPattern))
        let energies = network.shiftAveragedReadings(set, batchSize: 3, workers: workers).energies
        #expect(energies.count == 7)
        for index in 0..<7 {
            let own = network.shiftAveragedReading(unitPixels: set.image(index).map { Float($0) / 255 }).energy
            #expect(abs(energies[index] - own) < 1e-4 * max(1, abs(own)), "image \(index)")
        }
    }
}
