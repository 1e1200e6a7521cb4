// ModelFile.swift — networks as safetensors files that Python can read and rebuild.
//
// Tensors: `layers.{i}.weight` [out, in] and `layers.{i}.bias` [out] for every dense layer i, with i the
// layer's index in the sequence (ReLU and dropout count), exactly like a PyTorch `nn.Sequential`
// state_dict. `__metadata__` holds:
//   format          "digits-model"          format_version "1"
//   architecture    JSON: {"input": [28, 28], "layers": [{"type": "dense", "in": 784, "out": 128}, {"type": "relu"}, …]}
//   normalization   JSON: {"mean": 0.1307, "std": 0.3081} — input = (pixel/255 − mean)/std
// plus free-form keys (training recipe, test accuracy) that readers may ignore.

import Foundation
import NeuralNetwork

/// A model or checkpoint file that is valid safetensors but does not describe a usable network.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
    public let path: String?
    public let problem: String

    public init(path: String?, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path ?? "model"): \(problem)" }
}

/// Reads and writes trained networks.
public enum ModelFile {
    public static let format = "digits-model"
    public static let formatVersion = "1"

    /// The safetensors form of `network`, with `metadata` merged in (it must not override required keys).
    public static func encode(_ network: Network, metadata extra: [String: String] = [:], format: String = format) -> SafeTensors {
        var metadata = extra
        metadata["format"] = format
        metadata["format_version"] = formatVersion
        metadata["architecture"] = architectureJSON(network)
        metadata["normalization"] = json(["mean": Double(network.normalization.mean), "std": Double(network.normalization.standardDeviation)])
        var tensors: [String: SafeTensors.Tensor] = [:]
        for (index, layer) in network.layers.enumerated() {
            for parameter in layer.parameters + layer.buffers {
                tensors["layers.\(index).\(parameter.name)"] = SafeTensors.Tensor(shape: parameter.shape, values: parameter.value.values)
            }
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// Writes `network` atomically to `path`.
    public static func write(_ network: Network, to path: String, metadata: [String: String] = [:]) throws {
        try encode(network, metadata: metadata).write(to: path)
    }

    /// Reads a model (or the model inside a checkpoint) from `path`.
    public static func read(path: String) throws -> (network: Network, metadata: [String: String]) {
        let file = try SafeTensors.read(path: path)
        return (try decode(file, path: path), file.metadata)
    }

    /// Rebuilds the network described by a safetensors file, checking every tensor against the architecture.
    public static func decode(_ file: SafeTensors, path: String?, acceptedFormats: Set<String> = [format, Checkpoint.format]) throws -> Network {
        func fail(_ problem: String) -> ModelFileError { ModelFileError(path: path, problem: problem) }
        guard let kind = file.metadata["format"] else {
            throw fail("no \"format\" in the safetensors metadata: this is not a digits model (train one with `digits train`)")
        }
        guard acceptedFormats.contains(kind) else {
            throw fail("format is \"\(kind)\", expected one of \(acceptedFormats.sorted().joined(separator: ", "))")
        }
        guard file.metadata["format_version"] == formatVersion else {
            throw fail("format version \(file.metadata["format_version"] ?? "missing") is not supported (this digits reads version \(formatVersion)); retrain or upgrade digits")
        }
        guard let architectureText = file.metadata["architecture"],
              let architecture = try? JSONSerialization.jsonObject(with: Data(architectureText.utf8)) as? [String: Any],
              let input = architecture["input"] as? [Int], !input.isEmpty, input.allSatisfy({ $0 > 0 && $0 <= 4096 }),
              let layerList = architecture["layers"] as? [[String: Any]], !layerList.isEmpty, layerList.count <= 1000
        else {
            throw fail("metadata \"architecture\" must be JSON like {\"input\": [28, 28], \"layers\": [{\"type\": \"dense\", \"in\": 784, \"out\": 10}]}")
        }
        guard let normalizationText = file.metadata["normalization"],
              let normalization = try? JSONSerialization.jsonObject(with: Data(normalizationText.utf8)) as? [String: Any],
              let mean = (normalization["mean"] as? NSNumber)?.floatValue, let std = (normalization["std"] as? NSNumber)?.floatValue,
              mean.isFinite, std.isFinite, std > 0
        else {
            throw fail("metadata \"normalization\" must be JSON like {\"mean\": 0, \"std\": 1} with std > 0")
        }
        let inputFeatures = input.reduce(1, *)
        var features = inputFeatures
        var layers: [Layer] = []
        var used = Set<String>()
        for (index, entry) in layerList.enumerated() {
            let type = entry["type"] as? String ?? "(missing)"
            guard LayerSpecification.kinds.contains(where: { $0.type == type }) else {
                throw fail("layer \(index) has unknown type \"\(type)\" (known: \(LayerSpecification.kinds.map { $0.type }.joined(separator: ", "))); a newer digits may read it")
            }
            let specification: LayerSpecification
            do {
                specification = try JSONDecoder().decode(LayerSpecification.self, from: JSONSerialization.data(withJSONObject: entry))
            } catch {
                throw fail("layer \(index) (\(type)) \(Self.describe(error))")
            }
            do {
                features = try specification.layer.outputFeatures(receiving: features)
            } catch {
                throw fail("layer \(index) (\(type)) \(error)")
            }
            var tensors: [[Float]] = []
            for (name, shape) in specification.layer.tensorShapes {
                let key = "layers.\(index).\(name)"
                guard let found = file.tensors[key] else { throw fail("layer \(index) (\(type)) needs tensor \(key), which is missing") }
                guard found.shape == shape else { throw fail("tensor \(key) has shape \(found.shape), the architecture needs \(shape)") }
                used.insert(key)
                tensors.append(found.values)
            }
            layers.append(specification.layer.makeLayer(tensors: tensors))
        }
        let unused = file.tensors.keys.filter { $0.hasPrefix("layers.") && !used.contains($0) }
        guard unused.isEmpty else {
            throw fail("tensors \(unused.sorted().joined(separator: ", ")) belong to no layer of the architecture")
        }
        guard features >= 2 else { throw fail("the network outputs \(features) value(s); a classifier needs at least 2") }
        return Network(inputFeatures: inputFeatures, layers: layers,
                       normalization: InputNormalization(mean: mean, standardDeviation: std))
    }

    /// A layer description's decoding error in words: the key that is missing or holds the wrong kind of value.
    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "needs \"\(key.stringValue)\", which is missing"
        case DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context):
            let key = context.codingPath.last?.stringValue ?? "a value"
            return "needs \"\(key)\" to be \(type == Int.self ? "a whole number" : type == Double.self ? "a number" : "\(type)")"
        case DecodingError.dataCorrupted(let context):
            return "has an unreadable \"\(context.codingPath.last?.stringValue ?? "value")\": \(context.debugDescription)"
        default: return "\(error)"
        }
    }

    /// The architecture as the JSON stored in metadata: `{"input": [28, 28], "layers": [{"type": …}, …]}`.
    public static func architectureJSON(_ network: Network) -> String {
        let side = Int(Double(network.inputFeatures).squareRoot())
        let input = side * side == network.inputFeatures ? [side, side] : [network.inputFeatures]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let layers = network.specification.map { specification -> Any in
            let data = (try? encoder.encode(specification)) ?? Data("{}".utf8)
            return (try? JSONSerialization.jsonObject(with: data)) ?? [:]
        }
        return json(["input": input, "layers": layers])
    }

    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
