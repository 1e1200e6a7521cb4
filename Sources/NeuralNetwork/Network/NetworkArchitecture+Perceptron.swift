// NetworkArchitecture+Perceptron.swift — multilayer perceptrons as architectures: written from layer sizes,
// recognized again, and given dropout after their hidden layers.

extension NetworkArchitecture {
    /// The perceptron of `sizes` (input first): 784-128-64-10 is `dense128-relu-dense64-relu-dense10`, with
    /// `dropout<p>` after every hidden ReLU when `dropout` > 0 — the layers of `Network.multilayerPerceptron`.
    public static func perceptron(sizes: [Int], dropout: Double = 0) -> NetworkArchitecture {
        var tokens: [Token] = []
        for (index, size) in sizes.dropFirst().enumerated() {
            tokens.append(.dense(size))
            if index < sizes.count - 2 {
                tokens.append(.relu)
                if dropout > 0 { tokens.append(.dropout(dropout)) }
            }
        }
        return NetworkArchitecture(tokens: tokens)
    }

    /// The sizes (from `inputFeatures`) and dropout when this is exactly `perceptron(sizes:dropout:)`, else nil.
    public func perceptronForm(inputFeatures: Int) -> (sizes: [Int], dropout: Double)? {
        guard let first = tokens.first, case .dense = first else { return nil }
        var sizes = [inputFeatures]
        var dropouts: [Double] = []
        var index = 0
        while index < tokens.count {
            guard case let .dense(size) = tokens[index] else { return nil }
            sizes.append(size)
            index += 1
            if index == tokens.count { break }
            guard tokens[index] == .relu else { return nil }
            index += 1
            if index < tokens.count, case let .dropout(p) = tokens[index] {
                dropouts.append(p)
                index += 1
            } else {
                dropouts.append(0)
            }
        }
        let dropout = dropouts.first ?? 0
        guard dropouts.allSatisfy({ $0 == dropout }) else { return nil }
        let form = (sizes: sizes, dropout: dropout)
        return Self.perceptron(sizes: form.sizes, dropout: form.dropout) == self ? form : nil
    }

    /// The same layers with dropout `p` after every ReLU that follows a dense layer other than the last
    /// (replacing any dropout there), and none there when `p` is 0. Convolutional parts are left as they are.
    public func withHiddenDropout(_ p: Double) -> NetworkArchitecture {
        var result: [Token] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            result.append(token)
            index += 1
            guard case .dense = token, index < tokens.count, tokens[index] == .relu else { continue }
            result.append(.relu)
            index += 1
            if index < tokens.count, case .dropout = tokens[index] { index += 1 }
            if p > 0 { result.append(.dropout(p)) }
        }
        return NetworkArchitecture(tokens: result)
    }
}
