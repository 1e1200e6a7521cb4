// ONNX export: the protobuf wire format round-trips, an exported network reads back with the expected
// graph (inputs, outputs, operators, stored values), and damaged bytes get an error, never a crash. The
// numbers themselves are checked against onnxruntime in CI (scripts/onnx_check.py).

import DigitsFiles
import NeuralNetwork
import Testing

@Suite("ONNX export")
struct OnnxModelTests {
    @Test("varints, integers, floats and nested messages read back as written")
    func protobufRoundTrip() throws {
        #expect(ProtobufWriter.varint(0) == [0] && ProtobufWriter.varint(300) == [0xAC, 0x02])
        var writer = ProtobufWriter()
        writer.integer(1, 150)
        writer.integer(2, -1)
        writer.float(3, 1.5)
        writer.string(4, "digits")
        writer.message(5) { inner in inner.integer(1, 7) }
        let fields = try ProtobufReader.fields(writer.bytes)
        #expect(fields.map(\.number) == [1, 2, 3, 4, 5])
        #expect(fields[0].integer == 150 && fields[1].integer == -1 && fields[3].string == "digits")
        if case .fixed32(let bits) = fields[2].value { #expect(Float(bitPattern: bits) == 1.5) } else { Issue.record("not a float") }
        #expect(try ProtobufReader.fields(fields[4].data!).first?.integer == 7)
        // Bytes 08 96 01 are the protobuf guide's own example: field 1, varint 150.
        #expect(Array(writer.bytes.prefix(3)) == [0x08, 0x96, 0x01])
    }

    @Test("a CNN with batch normalization and dropout exports every layer; dropout disappears")
    func exportedGraph() throws {
        var generator = SeededGenerator(seed: 2)
        let network = try NetworkArchitecture(parsing: "conv4k3p1-batchnorm-relu-maxpool2-dropout0.25-flatten-dense8-relu-dense10")
            .makeNetwork(normalization: .mnist, generator: &generator)
        let bytes = try OnnxModel.encode(network)
        let summary = try OnnxSummary.read(bytes, path: "test.onnx")
        #expect(summary.irVersion == 8 && summary.opsets == [17] && summary.producer == "digits")
        #expect(summary.operators == ["Mul", "Add", "Conv", "BatchNormalization", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Softmax"])
        #expect(summary.inputs == ["image [N, 1, 28, 28]"] && summary.outputs == ["probabilities [N, 10]"])
        // Every trainable value, batch normalization's running statistics (2 × 4) and the two scalars.
        #expect(summary.parameters == network.parameterCount + 8 + 2)
    }

    @Test("an MLP gets a Flatten before its first dense layer")
    func mlpFlattens() throws {
        var generator = SeededGenerator(seed: 1)
        let network = Network.multilayerPerceptron(sizes: [784, 16, 10], generator: &generator)
        let summary = try OnnxSummary.read(try OnnxModel.encode(network), path: "mlp.onnx")
        #expect(summary.operators == ["Mul", "Add", "Flatten", "Gemm", "Relu", "Gemm", "Softmax"])
    }

    @Test("truncated or foreign bytes are reported, never a crash; a non-digit network is refused")
    func badInput() throws {
        var generator = SeededGenerator(seed: 1)
        let bytes = try OnnxModel.encode(Network.multilayerPerceptron(sizes: [784, 4, 10], generator: &generator))
        for cut in [1, 7, bytes.count / 2, bytes.count - 1] {
            #expect(throws: OnnxError.self) { _ = try OnnxSummary.read(Array(bytes.prefix(cut)), path: "cut.onnx") }
        }
        #expect(throws: OnnxError.self) { _ = try OnnxSummary.read(Array("not an onnx file at all".utf8), path: "text.onnx") }
        let small = Network.multilayerPerceptron(sizes: [64, 10], generator: &generator)
        #expect(throws: OnnxError.self) { _ = try OnnxModel.encode(small) }
    }
}
