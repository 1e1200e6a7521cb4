// SampleFile.swift — a person's saved drawings read back for training and measuring: the studio's database
// itself, or one of its exports (CSV; IDX as the tar archive of both files, or the images file with its
// labels file beside it). `digits train --samples` and `digits evaluate --samples` use it.

import DigitsFiles
import Foundation
import GRDB
import NeuralNetwork

/// Why a samples file could not be read; says which file and what to do.
public struct SampleFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

public enum SampleFile {
    /// The labelled 28×28 images in the file at `path`, oldest first for a database. The kind of file is told
    /// by its first bytes, not its name. A database is opened read-only: nothing in it changes.
    public static func read(path: String) throws -> LabeledImages {
        let bytes = try FileBytes.read(path: path)
        guard !bytes.isEmpty else {
            throw SampleFileError(description: "\(path) is empty; give the studio's database or its export (Model page → export, or GET /api/samples/export?format=csv)")
        }
        let images: LabeledImages
        if bytes.starts(with: Array("SQLite format 3\0".utf8)) {
            images = try database(path)
        } else if bytes.count >= 262, Array(bytes[257..<262]) == Array("ustar".utf8) {
            images = try tarArchive(bytes, path: path)
        } else if bytes.starts(with: [0, 0, 8, 3]) || (Zlib.isGzip(bytes) && path.contains("images-idx3")) {
            images = try idxPair(imagesPath: path)
        } else if Zlib.isGzip(bytes) || bytes.first.map({ $0 == UInt8(ascii: "l") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) == true {
            images = try CSVDataset.decode(bytes, path: path)
        } else {
            throw SampleFileError(description: "\(path) is not a studio database, a CSV export (label,p0,…,p783) or an IDX export (tar archive or images file); "
                + "export your samples with GET /api/samples/export?format=csv or format=idx, or give the studio's .sqlite file")
        }
        guard images.count > 0 else {
            throw SampleFileError(description: "\(path) holds no samples; save some in the studio first")
        }
        return images
    }

    /// Every sample of a studio database, read-only.
    static func database(_ path: String) throws -> LabeledImages {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            let samples = try queue.read { db -> [Sample] in
                guard try db.tableExists(Sample.databaseTableName) else {
                    throw SampleFileError(description: "\(path) is an SQLite database but not the studio's (it has no \"sample\" table)")
                }
                return try Sample.order(Sample.Columns.id).fetchAll(db)
            }
            return SampleExport.labeledImages(samples)
        } catch let error as SampleFileError {
            throw error
        } catch {
            throw SampleFileError(description: "cannot read the studio database \(path): \(error)")
        }
    }

    /// The export's tar archive: `samples-images-idx3-ubyte` and `samples-labels-idx1-ubyte`.
    static func tarArchive(_ bytes: [UInt8], path: String) throws -> LabeledImages {
        let members = try TarArchive.decode(bytes, path: path)
        guard let images = members.first(where: { $0.name.contains("images-idx3") }),
              let labels = members.first(where: { $0.name.contains("labels-idx1") }) else {
            throw SampleFileError(description: "\(path) is a tar archive without an IDX images and labels file (found: \(members.map(\.name).joined(separator: ", ")))")
        }
        return try MNIST.dataset(images: IDXFile.read(bytes: images.bytes, path: "\(path):\(images.name)"), imagesPath: "\(path):\(images.name)",
                                      labels: IDXFile.read(bytes: labels.bytes, path: "\(path):\(labels.name)"), labelsPath: "\(path):\(labels.name)")
    }

    /// An IDX images file and the labels file named like it (`…images-idx3…` → `…labels-idx1…`).
    static func idxPair(imagesPath: String) throws -> LabeledImages {
        let name = (imagesPath as NSString).lastPathComponent
        guard name.contains("images-idx3") else {
            throw SampleFileError(description: "\(imagesPath) looks like an IDX file; give the images file (…images-idx3-ubyte) with its labels file (…labels-idx1-ubyte) beside it, or the export's tar archive")
        }
        let labelsPath = ((imagesPath as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent(name.replacingOccurrences(of: "images-idx3", with: "labels-idx1"))
        guard FileManager.default.fileExists(atPath: labelsPath) else {
            throw SampleFileError(description: "the labels of \(imagesPath) should be in \(labelsPath), which does not exist; export both files (GET /api/samples/export?format=idx)")
        }
        return try MNIST.dataset(images: IDXFile.read(path: imagesPath), imagesPath: imagesPath,
                                      labels: IDXFile.read(path: labelsPath), labelsPath: labelsPath)
    }
}
