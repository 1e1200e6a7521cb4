// SafeTensorsTests.swift — safetensors: byte layout, round trips, a file as Python writes it, and every
// decoding error with its message. Ends with a mutation fuzz (throw, never trap).
//
// Python interoperability is checked outside Swift by scripts/check_safetensors_python.py.

import DigitsFiles
import Foundation
import Testing

struct SafeTensorsTests {
    /// A safetensors file from a header string and raw data bytes.
    func file(_ header: String, data: [UInt8] = []) -> [UInt8] {
        let json = Array(header.utf8)
        return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> UInt64(8 * $0)) } + json + data
    }

    func floats(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> UInt32(8 * $0)) } }
    }

    func decodeError(_ bytes: [UInt8]) -> SafeTensorsError? {
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(bytes, path: "m.safetensors") }
    }

    let model = SafeTensors(
        tensors: [
            "dense1.weight": .init(shape: [3, 2], values: [1, -2, 3.5, 0, -0.25, 1e-8]),
            "dense1.bias": .init(shape: [3], values: [0.5, 0, -1]),
            "scale": .init(shape: [], values: [2]),
            "empty": .init(shape: [0, 4], values: []),
        ],
        metadata: ["format": "digits-model", "version": "1", "note": "quote \" backslash \\ newline \n ü"])

    @Test func roundTripsAndIsDeterministic() throws {
        let bytes = try model.encode()
        #expect(try SafeTensors.decode(bytes) == model)
        #expect(try model.encode() == bytes)
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(headerLength % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{\"__metadata__\":{\"format\":\"digits-model\""))
        // Tensors laid out in name order: bias, weight, empty, scale.
        #expect(header.contains("\"dense1.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}"))
        #expect(header.contains("\"dense1.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[12,36]}"))
        #expect(header.contains("\"empty\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[36,36]}"))
        #expect(Array(bytes[(8 + headerLength)...].prefix(4)) == floats([0.5]))
        #expect(try SafeTensors.decode(SafeTensors().encode()) == SafeTensors())
    }

    @Test func writesAndReadsFilesAtomically() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        try model.write(to: dir.file("m.safetensors"))
        #expect(try SafeTensors.read(path: dir.file("m.safetensors")) == model)
        #expect(dir.names() == ["m.safetensors"])
    }

    @Test func readsAFileLaidOutLikePythonWritesIt() throws {
        // safetensors.numpy.save_file({"b": [[1,2],[3,4]], "a": [5]}, metadata={"k": "v"}) puts "a" first.
        let header = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]}}"#
        let padded = header + String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        let decoded = try SafeTensors.decode(file(padded, data: floats([5, 1, 2, 3, 4])))
        #expect(decoded.metadata == ["k": "v"])
        #expect(decoded.tensors["a"] == .init(shape: [1], values: [5]))
        #expect(decoded.tensors["b"] == .init(shape: [2, 2], values: [1, 2, 3, 4]))
    }

    @Test func framingErrors() {
        #expect(decodeError([1, 2, 3]) == .tooShort(path: "m.safetensors", size: 3))
        let past = decodeError([100, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8))
        #expect(past == .headerPastEnd(path: "m.safetensors", headerLength: 100, fileSize: 10))
        #expect(past?.description.contains("100") == true && past?.description.contains("10 bytes") == true)
        let huge = decodeError([0, 0, 0, 0, 0, 1, 0, 0] + Array("{}".utf8))
        #expect(huge == .headerTooLarge(path: "m.safetensors", headerLength: 1 << 40, limit: 100_000_000))
        #expect(decodeError([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) != nil)
        #expect(decodeError(file("{\"a\":\"\u{FF}\"}").map { $0 == 0xC3 ? 0xFF : $0 }) == .headerNotUTF8(path: "m.safetensors"))
        let json = decodeError(file("{\"a\": [1, 2"))
        guard case .headerNotJSON = json else { Issue.record("expected headerNotJSON, got \(String(describing: json))"); return }
        #expect(json?.description.contains("m.safetensors") == true && json?.description.contains("\n") == false)
        #expect(decodeError(file("[1, 2]")) == .headerNotObject(path: "m.safetensors"))
        #expect(decodeError(file("{\"x\": 1}")) == .badEntry(path: "m.safetensors", tensor: "x", problem: "expected an object, found the number 1"))
        #expect(decodeError(file(String(repeating: "{\"a\":", count: 5000))) != nil)  // deep nesting: an error, not a crash
    }

    @Test func entryFieldErrors() {
        func entry(_ body: String) -> SafeTensorsError? { decodeError(file("{\"w\":{\(body)}}", data: floats([1, 2]))) }
        let missing = entry(#""shape":[2],"data_offsets":[0,8]"#)
        #expect(missing == .badEntry(path: "m.safetensors", tensor: "w", problem: "missing \"dtype\""))
        #expect(missing?.description.contains("tensor \"w\"") == true)
        #expect(entry(#""dtype":"F32","data_offsets":[0,8]"#) == .badEntry(path: "m.safetensors", tensor: "w", problem: "missing \"shape\""))
        #expect(entry(#""dtype":"F32","shape":[2]"#) == .badEntry(path: "m.safetensors", tensor: "w", problem: "missing \"data_offsets\""))
        for bad in [#""dtype":7,"shape":[2],"data_offsets":[0,8]"#, #""dtype":"F32","shape":"2","data_offsets":[0,8]"#,
                    #""dtype":"F32","shape":[2.0],"data_offsets":[0,8]"#, #""dtype":"F32","shape":[true],"data_offsets":[0,8]"#,
                    #""dtype":"F32","shape":[-2],"data_offsets":[0,8]"#, #""dtype":"F32","shape":[2],"data_offsets":[0,8,9]"#,
                    #""dtype":"F32","shape":[2],"data_offsets":[0,8.5]"#, #""dtype":"F32","shape":[2],"data_offsets":[8,0]"#,
                    #""dtype":"F32","shape":[2],"data_offsets":[0,1e30]"#, #""dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551615]"#]
        {
            let error = entry(bad)
            guard case .badEntry(_, "w", _) = error else { Issue.record("\(bad): expected badEntry, got \(String(describing: error))"); continue }
        }
    }

    @Test func dtypes() {
        func dtype(_ name: String) -> SafeTensorsError? {
            decodeError(file("{\"w\":{\"dtype\":\"\(name)\",\"shape\":[2],\"data_offsets\":[0,8]}}", data: floats([1, 2])))
        }
        for name in ["F16", "BF16", "F64", "I64", "I32", "I16", "I8", "U8", "BOOL"] {
            let error = dtype(name)
            #expect(error == .unsupportedDtype(path: "m.safetensors", tensor: "w", dtype: name))
            #expect(error?.description.contains("dtype \(name) is not supported: digits stores F32") == true)
        }
        let unknown = dtype("F33")
        #expect(unknown == .unknownDtype(path: "m.safetensors", tensor: "w", dtype: "F33"))
        #expect(unknown?.description.contains("unknown dtype") == true)
        #expect(dtype("f32") == .unknownDtype(path: "m.safetensors", tensor: "w", dtype: "f32"))
    }

    @Test func sizesAndOffsets() {
        let overflow = decodeError(file(#"{"w":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,8]}}"#, data: floats([1, 2])))
        #expect(overflow == .shapeOverflow(path: "m.safetensors", tensor: "w", shape: [4294967296, 4294967296, 4]))
        let mismatch = decodeError(file(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: floats([1, 2])))
        #expect(mismatch == .sizeMismatch(path: "m.safetensors", tensor: "w", shape: [2], expectedBytes: 8, foundBytes: 4))
        let range = decodeError(file(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: floats([1])))
        #expect(range == .offsetsOutOfRange(path: "m.safetensors", tensor: "w", begin: 0, end: 8, dataSize: 4))
        #expect(range?.description.contains("past the 4-byte data buffer") == true)
        let overlap = decodeError(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                                       data: floats([1, 2, 3])))
        #expect(overlap == .overlapping(path: "m.safetensors", tensor: "b", other: "a"))
        let gap = decodeError(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
                                   data: floats([1, 2, 3])))
        #expect(gap == .gap(path: "m.safetensors", tensor: "b", expected: 4, found: 8))
        #expect(gap?.description.contains("contiguous") == true)
        let trailing = decodeError(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: floats([1, 2])))
        #expect(trailing == .trailingData(path: "m.safetensors", used: 4, dataSize: 8))
        #expect(decodeError(file("{}", data: [0])) == .trailingData(path: "m.safetensors", used: 0, dataSize: 1))
    }

    @Test func nonFiniteValuesAreNamed() throws {
        for bad in [Float.nan, .infinity, -.infinity] {
            let error = decodeError(file(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#, data: floats([1, bad, 3])))
            guard case .nonFinite(_, "w", 1, let value) = error else { Issue.record("expected nonFinite, got \(String(describing: error))"); continue }
            #expect(value.isNaN == bad.isNaN)
            #expect(error?.description.contains("index 1") == true && error?.description.contains("\"w\"") == true)
        }
        #expect(throws: SafeTensorsError.self) { try SafeTensors(tensors: ["w": .init(shape: [1], values: [.nan])]).encode() }
    }

    @Test func metadataMustBeStrings() throws {
        #expect(decodeError(file(#"{"__metadata__":{"epochs":3}}"#))
            == .badMetadata(path: "m.safetensors", key: "epochs", problem: "expected a string, found the number 3"))
        #expect(decodeError(file(#"{"__metadata__":["a"]}"#)) == .badMetadata(path: "m.safetensors", key: nil, problem: "expected an object, found an array"))
        #expect(try SafeTensors.decode(file(#"{"__metadata__":null}"#)) == SafeTensors())
    }

    @Test func encodingRejectsInconsistentTensors() {
        #expect(throws: SafeTensorsError.valueCountMismatch(tensor: "w", shape: [2, 2], count: 3)) {
            try SafeTensors(tensors: ["w": .init(shape: [2, 2], values: [1, 2, 3])]).encode()
        }
        #expect(throws: SafeTensorsError.reservedName) { try SafeTensors(tensors: ["__metadata__": .init(shape: [], values: [1])]).encode() }
    }

    /// With DIGITS_SAFETENSORS_INTEROP=DIR: writes DIR/swift.safetensors for
    /// `scripts/check_safetensors_python.py`, and reads DIR/python.safetensors if the script wrote one
    /// (`scripts/check_safetensors_python.py --write DIR/python.safetensors`).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DIGITS_SAFETENSORS_INTEROP"] != nil,
                   "set DIGITS_SAFETENSORS_INTEROP=DIR to exchange files with the Python reference"))
    func pythonInteroperability() throws {
        let dir = ProcessInfo.processInfo.environment["DIGITS_SAFETENSORS_INTEROP"]!
        try model.write(to: dir + "/swift.safetensors")
        guard FileManager.default.fileExists(atPath: dir + "/python.safetensors") else { return }
        let python = try SafeTensors.read(path: dir + "/python.safetensors")
        #expect(python.metadata == ["writer": "python"])
        #expect(python.tensors["a"] == .init(shape: [4], values: [1, 2, 3, 4]))
        #expect(python.tensors["b"] == .init(shape: [2, 3], values: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]))
    }

    @Test func mutatedInputsThrowButNeverTrap() throws {
        var random = FilesTestRandom(seed: 11)
        let seedBytes = try model.encode()
        let alphabet = Array("{}[]\",:0123456789-.eE FU32tn".utf8)
        for _ in 0..<3000 {
            var bytes = seedBytes
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] = Bool.random(using: &random) ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: at)
                }
                if bytes.isEmpty { bytes = [0] }
            }
            if let decoded = try? SafeTensors.decode(bytes) {
                for tensor in decoded.tensors.values { #expect(tensor.values.count == tensor.shape.reduce(1, *)) }
            }
        }
    }
}
