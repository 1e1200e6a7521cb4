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
        /// The values of tensor `layers.{index}.{name}`, which must have exactly `shape`.
        func tensor(_ index: Int, _ name: String, _ shape: [Int]) throws -> [Float] {
            let key = "layers.\(index).\(name)"
            guard let found = file.tensors[key] else { throw fail("layer \(index) needs tensor \(key), which is missing") }
            guard found.shape == shape else { throw fail("tensor \(key) has shape \(found.shape), the architecture needs \(shape)") }
            used.insert(key)
            return found.values
        }
        for (index, entry) in layerList.enumerated() {
            let type = entry["type"] as? String ?? "(missing)"
            switch type {
            case "dense":
                guard let inputs = entry["in"] as? Int, let outputs = entry["out"] as? Int, inputs > 0, outputs > 0,
                      inputs <= 1 << 20, outputs <= 1 << 20
                else { throw fail("layer \(index) (dense) needs positive integer \"in\" and \"out\"") }
                guard inputs == features else {
                    throw fail("layer \(index) is dense(\(inputs)→\(outputs)) but receives \(features) features")
                }
                let weightName = "layers.\(index).weight", biasName = "layers.\(index).bias"
                guard let weight = file.tensors[weightName], let bias = file.tensors[biasName] else {
                    throw fail("layer \(index) is dense but tensor \(weightName) or \(biasName) is missing")
                }
                guard weight.shape == [outputs, inputs] else {
                    throw fail("tensor \(weightName) has shape \(weight.shape), the architecture needs [\(outputs), \(inputs)]")
                }
                guard bias.shape == [outputs] else {
                    throw fail("tensor \(biasName) has shape \(bias.shape), the architecture needs [\(outputs)]")
                }
                used.formUnion([weightName, biasName])
                layers.append(Dense(weight: Matrix(rows: outputs, columns: inputs, values: weight.values),
                                    bias: Matrix(rows: 1, columns: outputs, values: bias.values)))
                features = outputs
            case "relu":
                layers.append(ReLU())
            case "flatten":
                layers.append(Flatten())
            case "dropout":
                guard let p = entry["p"] as? Double, p >= 0, p < 1 else {
                    throw fail("layer \(index) (dropout) needs \"p\" in [0, 1)")
                }
                layers.append(Dropout(probability: Float(p)))
            case "conv2d":
                let shape = try imageShape(entry, index: index, channelsKey: "in_channels", features: features, fail: fail)
                guard let outputs = entry["out_channels"] as? Int, let kernel = entry["kernel"] as? Int,
                      let stride = entry["stride"] as? Int, let padding = entry["padding"] as? Int,
                      (1...4096).contains(outputs), (1...15).contains(kernel), (1...kernel).contains(stride), (0..<kernel).contains(padding),
                      shape.height + 2 * padding >= kernel, shape.width + 2 * padding >= kernel
                else { throw fail("layer \(index) (conv2d) needs integer \"out_channels\", \"kernel\", \"stride\" ≤ kernel and \"padding\" < kernel that fit its input") }
                let weightCount = shape.channels * kernel * kernel
                let weight = try tensor(index, "weight", [outputs, shape.channels, kernel, kernel])
                let bias = try tensor(index, "bias", [outputs])
                let layer = Convolution2D(inputShape: shape, kernelSize: kernel, stride: stride, padding: padding,
                                          weight: Matrix(rows: outputs, columns: weightCount, values: weight),
                                          bias: Matrix(rows: 1, columns: outputs, values: bias))
                layers.append(layer)
                features = layer.outputShape.count
            case "maxpool2d":
                let shape = try imageShape(entry, index: index, channelsKey: "channels", features: features, fail: fail)
                guard let window = entry["kernel"] as? Int, let stride = entry["stride"] as? Int,
                      window >= 1, stride >= 1, stride <= window, window <= shape.height, window <= shape.width
                else { throw fail("layer \(index) (maxpool2d) needs integer \"kernel\" that fits its input and \"stride\" from 1 to the kernel") }
                let layer = MaxPool2D(inputShape: shape, windowSize: window, stride: stride)
                layers.append(layer)
                features = layer.outputShape.count
            case "batchnorm":
                let shape = try imageShape(entry, index: index, channelsKey: "channels", features: features, fail: fail)
                let channels = shape.channels
                func row(_ values: [Float]) -> Matrix { Matrix(rows: 1, columns: channels, values: values) }
                layers.append(BatchNormalization(
                    shape: shape, scale: row(try tensor(index, "weight", [channels])), shift: row(try tensor(index, "bias", [channels])),
                    runningMean: row(try tensor(index, "running_mean", [channels])),
                    runningVariance: row(try tensor(index, "running_var", [channels]))))
            default:
                throw fail("layer \(index) has unknown type \"\(type)\" (known: dense, relu, dropout, conv2d, maxpool2d, flatten, batchnorm); a newer digits may read it")
            }
        }
        let unused = file.tensors.keys.filter { $0.hasPrefix("layers.") && !used.contains($0) }
        guard unused.isEmpty else {
            throw fail("tensors \(unused.sorted().joined(separator: ", ")) belong to no layer of the architecture")
        }
        guard features >= 2 else { throw fail("the network outputs \(features) value(s); a classifier needs at least 2") }
        return Network(inputFeatures: inputFeatures, layers: layers,
                       normalization: InputNormalization(mean: mean, standardDeviation: std))
    }

    /// The input image shape of an image layer's entry, checked against the features it receives.
    private static func imageShape(_ entry: [String: Any], index: Int, channelsKey: String, features: Int,
                                   fail: (String) -> ModelFileError) throws -> ImageShape {
        guard let channels = entry[channelsKey] as? Int, let height = entry["height"] as? Int, let width = entry["width"] as? Int,
              (1...65536).contains(channels), (1...4096).contains(height), (1...4096).contains(width)
        else { throw fail("layer \(index) (\(entry["type"] as? String ?? "?")) needs positive integer \"\(channelsKey)\", \"height\" and \"width\"") }
        let shape = ImageShape(channels: channels, height: height, width: width)
        guard shape.count == features else {
            throw fail("layer \(index) expects \(shape) = \(shape.count) values per example but receives \(features)")
        }
        return shape
    }

    /// The architecture as the JSON stored in metadata.
    public static func architectureJSON(_ network: Network) -> String {
        let side = Int(Double(network.inputFeatures).squareRoot())
        let input = side * side == network.inputFeatures ? [side, side] : [network.inputFeatures]
        let layers: [[String: Any]] = network.specification.map { spec in
            var entry: [String: Any] = ["type": spec.type]
            for (key, value) in spec.attributes {
                entry[key] = value == value.rounded() && abs(value) < 1e15 ? Int(value) as Any : value as Any
            }
            return entry
        }
        return json(["input": input, "layers": layers])
    }

    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
