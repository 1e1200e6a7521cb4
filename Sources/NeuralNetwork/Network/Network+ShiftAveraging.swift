// Network+ShiftAveraging.swift — reading a digit as the mean of the network's answers for the image and for
// copies of it moved by one pixel diagonally (test-time augmentation).
//
// A network whose first convolution has stride 2 sees only every other pixel position, so a digit one pixel
// off can get a slightly different answer. Averaging the softmax over the image and two copies moved one pixel
// diagonally (down-right and up-left: each lands the digit on the other sampling phase in both directions)
// evens that out: on the pen-written digits of `dev.json` the default model read 0.2 points more digits
// correctly and was less sure of letters and symbols (README, "Real handwriting"). All four diagonal moves
// measured the same as these two, for two thirds more work.

extension Network {
    /// The moves (x: columns to the right, y: rows down) whose copies `shiftAveragedProbabilities` averages: the
    /// image itself, one pixel down-right and one pixel up-left.
    public static let readingShifts: [(x: Int, y: Int)] = [(0, 0), (1, 1), (-1, -1)]

    /// Writes `image` (side × side, row-major) moved by `shift` into `output`: output(r, c) = image(r − y, c − x),
    /// paper (0) where that falls outside.
    public static func shifted(_ image: UnsafeBufferPointer<Float>, side: Int, by shift: (x: Int, y: Int), into output: UnsafeMutableBufferPointer<Float>) {
        precondition(image.count == side * side && output.count == side * side, "images must be \(side) × \(side)")
        for row in 0..<side {
            let sourceRow = row - shift.y
            for column in 0..<side {
                let sourceColumn = column - shift.x
                let inside = sourceRow >= 0 && sourceRow < side && sourceColumn >= 0 && sourceColumn < side
                output[row * side + column] = inside ? image[sourceRow * side + sourceColumn] : 0
            }
        }
    }

    /// The probabilities of one square image of 0–1 pixel values, averaged over its copies moved by `shifts`:
    ///
    ///     p = (1/n) Σₛ softmax(network(shift(image, s)))      (n = shifts.count, one batch of n rows)
    ///
    /// With `shifts == [(0, 0)]` this is `probabilities(unitPixels:)`.
    public func shiftAveragedProbabilities(unitPixels: [Float], shifts: [(x: Int, y: Int)] = Network.readingShifts) -> [Float] {
        shiftAveragedReading(unitPixels: unitPixels, shifts: shifts).probabilities
    }

    /// `shiftAveragedProbabilities`, and the energy of the copies' logits z, averaged the same way:
    ///
    ///     E = (1/n) Σₛ −log Σ_k exp z_k(shift(image, s))      (`SoftmaxCrossEntropy.energies`)
    public func shiftAveragedReading(unitPixels: [Float], shifts: [(x: Int, y: Int)] = Network.readingShifts)
        -> (probabilities: [Float], energy: Float) {
        precondition(unitPixels.count == inputFeatures, "expected \(inputFeatures) pixel values")
        var rows = [Float](repeating: 0, count: shifts.count * inputFeatures)
        unitPixels.withUnsafeBufferPointer { image in writeShiftedCopies(of: image, shifts: shifts, into: &rows, firstRow: 0) }
        let averaged = averagedReadings(ofCopies: rows, images: 1, workers: nil)
        return (averaged.probabilities, averaged.energies[0])
    }

    /// `shiftAveragedProbabilities` for every image of a set, [count, classes] row-major, in batches.
    public func shiftAveragedProbabilities(_ images: LabeledImages, shifts: [(x: Int, y: Int)] = Network.readingShifts,
                                           batchSize: Int = 64, workers: WorkerThreads? = nil) -> [Float] {
        shiftAveragedReadings(images, shifts: shifts, batchSize: batchSize, workers: workers).probabilities
    }

    /// `shiftAveragedReading` for every image of a set: probabilities [count, classes] row-major and energies [count].
    public func shiftAveragedReadings(_ images: LabeledImages, shifts: [(x: Int, y: Int)] = Network.readingShifts,
                                      batchSize: Int = 64, workers: WorkerThreads? = nil) -> (probabilities: [Float], energies: [Float]) {
        precondition(images.featureCount == inputFeatures, "expected images of \(inputFeatures) pixels")
        var result: [Float] = [], energies: [Float] = []
        result.reserveCapacity(images.count * outputFeatures)
        energies.reserveCapacity(images.count)
        var image = [Float](repeating: 0, count: inputFeatures)
        var start = 0
        while start < images.count {
            let end = min(start + batchSize, images.count)
            var rows = [Float](repeating: 0, count: (end - start) * shifts.count * inputFeatures)
            for example in start..<end {
                for (index, pixel) in images.image(example).enumerated() { image[index] = Float(pixel) / 255 }
                image.withUnsafeBufferPointer { source in
                    writeShiftedCopies(of: source, shifts: shifts, into: &rows, firstRow: (example - start) * shifts.count)
                }
            }
            let averaged = averagedReadings(ofCopies: rows, images: end - start, workers: workers)
            result += averaged.probabilities
            energies += averaged.energies
            start = end
        }
        return (result, energies)
    }

    /// Writes the copies of `image` (0–1 values) moved by each of `shifts` into consecutive rows of `rows`
    /// (`inputFeatures` values each), from row `firstRow` on.
    func writeShiftedCopies(of image: UnsafeBufferPointer<Float>, shifts: [(x: Int, y: Int)], into rows: inout [Float], firstRow: Int) {
        precondition(!shifts.isEmpty, "at least one shift")
        let side = Self.squareSide(inputFeatures)
        rows.withUnsafeMutableBufferPointer { all in
            for (index, shift) in shifts.enumerated() {
                let row = firstRow + index
                Self.shifted(image, side: side, by: shift, into: UnsafeMutableBufferPointer(rebasing: all[row * inputFeatures..<(row + 1) * inputFeatures]))
            }
        }
    }

    /// The softmax of the network's answer for every row of `rows` (0–1 pixel values, `images` runs of equally
    /// many copies), averaged over each run: [images, classes] row-major; and the energies, averaged the same way.
    func averagedReadings(ofCopies rows: [Float], images: Int, workers: WorkerThreads?) -> (probabilities: [Float], energies: [Float]) {
        let input = Matrix(rows: rows.count / inputFeatures, columns: inputFeatures, values: normalize(unitPixels: rows))
        let (probabilities, energies) = SoftmaxCrossEntropy.probabilitiesAndEnergies(logits(input, workers: workers))
        return (Self.rowMeans(probabilities, groups: images),
                Self.rowMeans(Matrix(rows: energies.count, columns: 1, values: energies), groups: images))
    }

    /// The mean of each of `groups` consecutive runs of rows of `matrix`, concatenated.
    static func rowMeans(_ matrix: Matrix, groups: Int) -> [Float] {
        let perGroup = matrix.rows / groups, columns = matrix.columns
        var means = [Float](repeating: 0, count: groups * columns)
        for group in 0..<groups {
            for row in group * perGroup..<(group + 1) * perGroup {
                for column in 0..<columns { means[group * columns + column] += matrix.values[row * columns + column] }
            }
            for column in 0..<columns { means[group * columns + column] /= Float(perGroup) }
        }
        return means
    }

    /// The side of a square image of `count` pixels.
    static func squareSide(_ count: Int) -> Int {
        let side = Int(Double(count).squareRoot().rounded())
        precondition(side * side == count, "shift averaging needs square images, not \(count) pixels")
        return side
    }
}
