// SampleExportTests.swift — exported samples read back with the project's own CSV, IDX and tar readers.

import DigitsFiles
import FeedbackStore
import Foundation
import Testing

@Suite struct SampleExportTests {
    let samples = [makeSample(label: 3, value: 200), makeSample(label: 8, value: 17)]

    @Test func csvRoundTrips() throws {
        let images = try CSVDataset.decode(SampleExport.csv(samples))
        #expect(images.labels == [3, 8])
        #expect(images.image(0).allSatisfy { $0 == 200 } && images.image(1).allSatisfy { $0 == 17 })
    }

    @Test func idxFilesRoundTrip() throws {
        let images = try IDXFile.read(bytes: SampleExport.idxImages(samples))
        let labels = try IDXFile.read(bytes: SampleExport.idxLabels(samples))
        #expect(images.shape == [2, 28, 28] && labels.shape == [2])
        #expect(labels.bytes == [3, 8] && images.bytes[0] == 200 && images.bytes[784] == 17)
    }

    @Test func emptyExportIsValid() throws {
        #expect(try IDXFile.read(bytes: SampleExport.idxImages([])).shape == [0, 28, 28])
        #expect(String(decoding: SampleExport.csv([]), as: UTF8.self).hasPrefix("label,"))
    }

    @Test func tarHoldsBothFilesWithValidHeaders() throws {
        let archive = SampleExport.idxArchive(samples, modified: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(archive.count % 512 == 0)
        var offset = 0
        var names: [String] = []
        while offset + 512 <= archive.count, archive[offset] != 0 {
            let header = Array(archive[offset..<offset + 512])
            let name = String(decoding: header[0..<100].prefix { $0 != 0 }, as: UTF8.self)
            let size = Int(String(decoding: header[124..<135], as: UTF8.self), radix: 8)!
            let stored = Int(String(decoding: header[148..<154], as: UTF8.self), radix: 8)!
            var check = header
            for index in 148..<156 { check[index] = 32 }
            #expect(stored == check.reduce(0) { $0 + Int($1) }, "checksum of \(name)")
            #expect(String(decoding: header[257..<262], as: UTF8.self) == "ustar")
            let body = Array(archive[offset + 512..<offset + 512 + size])
            if name == SampleExport.idxLabelsName { #expect(try IDXFile.read(bytes: body).bytes == [3, 8]) }
            names.append(name)
            offset += 512 + (size + 511) / 512 * 512
        }
        #expect(names == [SampleExport.idxImagesName, SampleExport.idxLabelsName])
        #expect(archive[offset...].allSatisfy { $0 == 0 } && archive.count - offset == 1024)
    }
}
