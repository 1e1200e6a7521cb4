// A damaged database stops the studio's start with a clear error and is left as it was; deleting samples
// gives their space back to the file.

import FeedbackStore
import Foundation
import Testing

@Suite struct DatabaseDamageTests {
    /// A database file holding `count` samples with large drawings, closed again.
    static func filledDatabase(count: Int) async throws -> (directory: String, path: String) {
        let directory = try temporaryDirectory()
        let path = directory + "/studio.sqlite"
        let store = try SampleStore(path: path)
        let drawing = "{\"width\":280,\"height\":280,\"strokes\":[[" + Array(repeating: "[140.5,50.25]", count: 800).joined(separator: ",") + "]]}"
        for index in 0..<count {
            _ = try await store.add(Sample(label: index % 10, prediction: nil, image: Data(repeating: 7, count: 784), drawing: drawing))
        }
        try store.close()
        return (directory, path)
    }

    @Test func garbageInTheMiddleStopsTheOpenAndNothingIsWritten() async throws {
        let (directory, path) = try await Self.filledDatabase(count: 60)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The store was closed (its log folded into the file); damage a page in the middle.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count > 40_000)
        let middle = bytes.count / 2 / 4096 * 4096
        for offset in middle..<(middle + 4096) { bytes[offset] = UInt8(truncatingIfNeeded: offset &* 31 &+ 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SampleStore(path: path)
            Issue.record("a damaged database was opened")
        } catch let error as SampleStoreError {
            #expect(error.description.contains("is damaged") && error.description.contains(path), "\(error)")
            #expect(error.description.contains("mv \(path) \(path).damaged"))
            #expect(!error.description.contains("\n"))
        }
        let after = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let changed = zip(after, bytes).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(after.count == bytes.count && changed.isEmpty, "the damaged file was left as it was: \(after.count) vs \(bytes.count) bytes, changed at \(changed.prefix(10))")
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/studio.sqlite"
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SampleStore(path: path)
            Issue.record("a file that is not a database was opened")
        } catch let error as SampleStoreError {
            #expect(error.description.contains("is damaged") && error.description.contains("not a database"), "\(error)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 0x41, count: 8192))
    }

    @Test func deletingSamplesShrinksTheFile() async throws {
        let (directory, path) = try await Self.filledDatabase(count: 60)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SampleStore(path: path)
        let pagesBefore = try await store.pageCount()
        for sample in try await store.allSamples() { _ = try await store.deleteSample(id: sample.id!) }
        #expect(try await store.freePages() == 0)
        let pagesAfter = try await store.pageCount()
        #expect(pagesAfter * 4 < pagesBefore, "pages \(pagesBefore) → \(pagesAfter)")
    }
}
