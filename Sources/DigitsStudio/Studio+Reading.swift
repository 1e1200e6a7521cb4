// Studio+Reading.swift — what the studio does with a drawing: read a digit, or a whole number, with the
// model that answers now. Controllers (predict, read, samples) ask the studio; none calls another.

import DigitImage

/// What the current model makes of a drawing, and which version answered.
struct Prediction {
    var reading: DrawingReading
    var model: String

    var result: PreprocessResult { reading.result }
    var probabilities: [Float]? { reading.probabilities }
    /// The digit read, or nil when no drawing was found or it is not a digit.
    var digit: Int? { reading.digit }
}

/// The answer of `Studio.readNumber`: the reading, and which version answered.
struct NumberPrediction {
    var reading: NumberReading
    var model: String
}

extension Studio {
    /// Preprocesses `drawing` and runs the current model on it.
    func predict(_ drawing: Drawing) -> Prediction {
        let predictor = models.current
        return Prediction(reading: predictor.read(drawing), model: predictor.version)
    }

    /// Segments `drawing` into digits and reads each with the current model (`NumberReader`).
    func readNumber(_ drawing: Drawing) -> NumberPrediction {
        let predictor = models.current
        return NumberPrediction(reading: predictor.readNumber(drawing), model: predictor.version)
    }
}
