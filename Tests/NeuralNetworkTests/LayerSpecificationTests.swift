// Layer specifications: every kind survives a JSON round trip unchanged, builds the layer it describes
// (from tensors and fresh), and refuses values that do not fit with a message that says which.

import Foundation
import NeuralNetwork
import Testing

@Suite("Layer specifications")
struct LayerSpecificationTests {
    /// One network with every kind of layer: conv (stride, padding), batchnorm, relu, maxpool (with a stride
    /// of its own), dropout, flatten, dense.
    static let architecture = "conv6k5s2p2-batchnorm-relu-conv8k3p1-relu-maxpool3s2-dropout0.25-flatten-dense16-batchnorm-relu-dense10"

    @Test("every layer kind round-trips through JSON and equals what its layer reports")
    func roundTrip() throws {
        let specifications = try NetworkArchitecture(parsing: Self.architecture).specifications()
        #expect(Set(specifications.map(\.type)) == Set(LayerSpecification.kinds.map { $0.type }), "the test network covers every kind")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for specification in specifications {
            let data = try encoder.encode(specification)
            let decoded = try JSONDecoder().decode(LayerSpecification.self, from: data)
            #expect(decoded == specification, "\(String(decoding: data, as: UTF8.self))")
            #expect(try encoder.encode(decoded) == data)
        }
        var generator = SeededGenerator(seed: 3)
        let network = try NetworkArchitecture(parsing: Self.architecture).makeNetwork(generator: &generator)
        #expect(network.specification == specifications)
    }

    @Test("the JSON keys are the model file's")
    func keys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = { (layer: any LayerDescription) in String(decoding: try encoder.encode(LayerSpecification(layer)), as: UTF8.self) }
        #expect(try text(Dense.Specification(inputs: 784, outputs: 10)) == #"{"in":784,"out":10,"type":"dense"}"#)
        #expect(try text(Dropout.Specification(probability: 0.25)) == #"{"p":0.25,"type":"dropout"}"#)
        #expect(try text(Convolution2D.Specification(input: .mnist, outputChannels: 8, kernel: 3, stride: 1, padding: 1))
                == #"{"height":28,"in_channels":1,"kernel":3,"out_channels":8,"padding":1,"stride":1,"type":"conv2d","width":28}"#)
        #expect(try text(MaxPool2D.Specification(input: ImageShape(channels: 8, height: 28, width: 28), window: 2, stride: 2))
                == #"{"channels":8,"height":28,"kernel":2,"stride":2,"type":"maxpool2d","width":28}"#)
        #expect(try text(BatchNormalization.Specification(shape: ImageShape(channels: 4, height: 1, width: 1)))
                == #"{"channels":4,"height":1,"type":"batchnorm","width":1}"#)
        #expect(try text(ReLU.Specification()) == #"{"type":"relu"}"# && text(Flatten.Specification()) == #"{"type":"flatten"}"#)
    }

    @Test("a layer built from its specification's tensors computes what the original does")
    func buildsFromTensors() throws {
        var generator = SeededGenerator(seed: 5)
        let network = try NetworkArchitecture(parsing: Self.architecture).makeNetwork(generator: &generator)
        let rebuilt = Network(inputFeatures: 784, layers: network.layers.map { layer in
            let tensors = (layer.parameters + layer.buffers).map(\.value.values)
            #expect(layer.specification.layer.tensorShapes.map(\.name) == (layer.parameters + layer.buffers).map(\.name))
            #expect(layer.specification.layer.tensorShapes.map { $0.shape } == (layer.parameters + layer.buffers).map(\.shape))
            return layer.specification.layer.makeLayer(tensors: tensors)
        })
        let input = Matrix(rows: 3, columns: 784, values: (0..<(3 * 784)).map { Float($0 % 17) / 17 })
        #expect(rebuilt.logits(input).values == network.logits(input).values)
        #expect(rebuilt.summary == network.summary)
    }

    @Test("values that do not fit are refused, saying which", arguments: [
        ("dense", Dense.Specification(inputs: 100, outputs: 10) as any LayerDescription, 784, "receives 784"),
        ("dense zero", Dense.Specification(inputs: 784, outputs: 0), 784, "\"out\""),
        ("dropout", Dropout.Specification(probability: 1), 10, "[0, 1)"),
        ("conv shape", Convolution2D.Specification(input: .mnist, outputChannels: 4, kernel: 3, stride: 1, padding: 0), 100, "receives 100"),
        ("conv kernel", Convolution2D.Specification(input: .mnist, outputChannels: 4, kernel: 3, stride: 4, padding: 0), 784, "stride"),
        ("maxpool", MaxPool2D.Specification(input: ImageShape(channels: 1, height: 2, width: 2), window: 3, stride: 1), 4, "fits"),
        ("batchnorm", BatchNormalization.Specification(shape: ImageShape(channels: 0, height: 1, width: 1)), 0, "\"channels\""),
    ])
    func refused(name: String, layer: any LayerDescription, features: Int, mention: String) {
        do {
            _ = try layer.outputFeatures(receiving: features)
            Issue.record("\(name) was accepted")
        } catch {
            #expect(error.description.contains(mention), "\(name): \(error)")
        }
    }

    @Test("an unknown type is named, with the known ones")
    func unknownType() {
        do {
            _ = try JSONDecoder().decode(LayerSpecification.self, from: Data(#"{"type":"conv9"}"#.utf8))
            Issue.record("conv9 was accepted")
        } catch {
            #expect("\(error)".contains("unknown type \"conv9\"") && "\(error)".contains("maxpool2d"), "\(error)")
        }
    }
}
