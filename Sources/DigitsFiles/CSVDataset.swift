// CSVDataset.swift — MNIST-as-CSV: one image per row, `label,p0,...,p783`, optional header row.
//
// A byte-level parser (no String splitting) that reports the line and column of every problem, and a
// writer. Not a general CSV library: no quoting, no other column layouts.

import NeuralNetwork

/// Errors from parsing a dataset CSV. `path` is the file's path, or nil for bytes held in memory.
/// Lines and columns count from 1; column 1 is the label.
public enum CSVError: Error, CustomStringConvertible, Equatable {
    /// The file has no bytes (or only blank lines).
    case empty(path: String?)
    /// Only a header row, no images.
    case noDataRows(path: String?)
    /// A row with the wrong number of fields.
    case columnCount(path: String?, line: Int, expected: Int, found: Int)
    /// A field that is not a whole number (`text` is the field, cut to 20 characters).
    case notANumber(path: String?, line: Int, column: Int, text: String)
    /// A pixel outside 0–255 (`text` is the field as written).
    case pixelOutOfRange(path: String?, line: Int, column: Int, text: String)
    /// A label outside 0–9 (`text` is the field as written).
    case labelOutOfRange(path: String?, line: Int, text: String)
    /// The gzip stream of a .csv.gz is damaged.
    case compression(path: String?, CompressionError)

    public var description: String {
        let file = { (path: String?) in path ?? "CSV data" }
        switch self {
        case .empty(let path):
            return "\(file(path)): the file is empty; expected rows of label,p0,...,p783"
        case .noDataRows(let path):
            return "\(file(path)): found a header row but no data rows; expected rows of label,p0,...,p783 after it"
        case .columnCount(let path, let line, let expected, let found):
            return "\(file(path)) line \(line): expected \(expected) columns (label then \(expected - 1) pixels), "
                + "found \(found); every row must be label,p0,...,p\(expected - 2)"
        case .notANumber(let path, let line, let column, let text):
            return "\(file(path)) line \(line) column \(column): expected a whole number, found \"\(text)\"; "
                + "pixels are integers 0–255 and labels 0–9"
        case .pixelOutOfRange(let path, let line, let column, let text):
            return "\(file(path)) line \(line) column \(column): expected a pixel value 0–255, found \(text); "
                + "rescale the image to 8-bit grayscale"
        case .labelOutOfRange(let path, let line, let text):
            return "\(file(path)) line \(line) column 1: expected a label 0–9, found \(text); the first column must be the digit"
        case .compression(let path, let error):
            return "\(file(path)): \(error.description)"
        }
    }
}

/// Reads and writes labeled images as CSV.
///
/// Layout: each row is `label,p0,p1,...,pN` with the label 0–9 and N+1 = height × width pixels 0–255 in
/// row-major order (784 for MNIST). An optional first row is a header; it is recognised when its first
/// field is not a number. Lines end in `\n` or `\r\n`; a final newline is optional; spaces and tabs around
/// fields are ignored; blank lines are skipped; a UTF-8 byte-order mark is skipped. Files starting with
/// the gzip magic are decompressed first (`mnist_train.csv.gz`).
///
/// The writer's header is `label,1x1,1x2,...,28x28` (row `x` column, counting from 1 — the layout of the
/// popular "MNIST in CSV" Kaggle files); rows are plain decimal with `\n` line ends.
public enum CSVDataset {
    /// Decodes CSV bytes into images of `height × width` pixels. `path` only labels error messages.
    ///
    /// Throws `CSVError` for every malformed input; never traps.
    public static func decode(_ bytes: [UInt8], path: String? = nil, height: Int = 28, width: Int = 28) throws -> LabeledImages {
        precondition(height > 0 && width > 0 && height <= 4096 && width <= 4096, "image size \(height)×\(width) out of range")
        var input = bytes
        if Zlib.isGzip(bytes) {
            do {
                input = try Zlib.inflate(bytes, format: .gzip, limit: IDXFile.inflateLimit(compressedSize: bytes.count))
            } catch let error as CompressionError {
                throw CSVError.compression(path: path, error)
            }
        }
        let pixelCount = height * width
        let (pixels, labels) = try input.withUnsafeBufferPointer { buffer in
            try CSVParser(buffer: buffer, pixelCount: pixelCount, path: path).parse()
        }
        return LabeledImages(pixels: pixels, labels: labels, height: height, width: width)
    }

    /// Reads the CSV (or .csv.gz) file at `path`. Throws `FileError` or `CSVError`.
    public static func read(path: String, height: Int = 28, width: Int = 28) throws -> LabeledImages {
        try decode(FileBytes.read(path: path), path: path, height: height, width: width)
    }

    /// Encodes `images` as CSV, one row per image, with the `label,1x1,...` header row when `header` is true.
    public static func encode(_ images: LabeledImages, header: Bool = true) -> [UInt8] {
        let (height, width) = images.imageShape
        var headerBytes = [UInt8]()
        if header {
            headerBytes += Array("label".utf8)
            for row in 1...height {
                for column in 1...width { headerBytes += Array(",\(row)x\(column)".utf8) }
            }
            headerBytes.append(0x0A)
        }
        // At most "255," per field plus the newline; written straight into the buffer, no per-field arrays.
        let rowMaximum = (images.featureCount + 1) * 4
        return [UInt8](unsafeUninitializedCapacity: headerBytes.count + images.count * rowMaximum) { out, written in
            var at = 0
            for byte in headerBytes { out[at] = byte; at += 1 }
            @inline(__always) func put(_ value: UInt8) {
                if value >= 100 {
                    out[at] = 0x30 + value / 100; out[at + 1] = 0x30 + value / 10 % 10; out[at + 2] = 0x30 + value % 10
                    at += 3
                } else if value >= 10 {
                    out[at] = 0x30 + value / 10; out[at + 1] = 0x30 + value % 10
                    at += 2
                } else {
                    out[at] = 0x30 + value
                    at += 1
                }
            }
            images.pixels.withUnsafeBufferPointer { pixels in
                for index in 0..<images.count {
                    put(images.labels[index])
                    let start = index * images.featureCount
                    for pixel in pixels[start..<(start + images.featureCount)] {
                        out[at] = 0x2C
                        at += 1
                        put(pixel)
                    }
                    out[at] = 0x0A
                    at += 1
                }
            }
            written = at
        }
    }

    /// Writes `images` as CSV to `path`, atomically.
    public static func write(_ images: LabeledImages, to path: String, header: Bool = true) throws {
        try AtomicFile.write(encode(images, header: header), to: path)
    }
}

/// One pass over the bytes with a cursor; each row's fields are parsed straight into the output arrays.
private struct CSVParser {
    let buffer: UnsafeBufferPointer<UInt8>
    let pixelCount: Int
    let path: String?

    func parse() throws -> (pixels: [UInt8], labels: [UInt8]) {
        let end = buffer.count
        var position = 0
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
        // A data row has at least 2 bytes per field, so this bounds the row count without a first pass.
        let maxRows = end / (2 * pixelCount + 1) + 1
        var labels = [UInt8](repeating: 0, count: maxRows)
        var pixels = [UInt8](repeating: 0, count: maxRows * pixelCount)
        var rows = 0
        var line = 0
        var sawHeader = false
        var sawAnyRow = false
        try labels.withUnsafeMutableBufferPointer { labelOut in
            try pixels.withUnsafeMutableBufferPointer { pixelOut in
                while position < end {
                    line += 1
                    var lineEnd = position
                    while lineEnd < end && buffer[lineEnd] != 0x0A { lineEnd += 1 }
                    let next = lineEnd + 1
                    if lineEnd > position && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    defer { position = next }
                    if isBlank(position, lineEnd) { continue }
                    let first = !sawAnyRow
                    sawAnyRow = true
                    if first && !startsWithNumber(position, lineEnd) {
                        let columns = countColumns(position, lineEnd)
                        guard columns == pixelCount + 1 else {
                            throw CSVError.columnCount(path: path, line: line, expected: pixelCount + 1, found: columns)
                        }
                        sawHeader = true
                        continue
                    }
                    // Every row with content needs ≥ 2·pixelCount+1 bytes, so rows < maxRows holds; guard anyway.
                    guard rows < maxRows else {
                        throw CSVError.columnCount(path: path, line: line, expected: pixelCount + 1, found: countColumns(position, lineEnd))
                    }
                    try parseRow(position, lineEnd, line: line, label: &labelOut[rows],
                                 pixels: UnsafeMutableBufferPointer(rebasing: pixelOut[(rows * pixelCount)..<((rows + 1) * pixelCount)]))
                    rows += 1
                }
            }
        }
        if !sawAnyRow { throw CSVError.empty(path: path) }
        if rows == 0 && sawHeader { throw CSVError.noDataRows(path: path) }
        labels.removeLast(maxRows - rows)
        pixels.removeLast((maxRows - rows) * pixelCount)
        return (pixels, labels)
    }

    /// Parses `label,p0,...` in [start, end) into `label` and `pixels`.
    private func parseRow(_ start: Int, _ end: Int, line: Int, label: inout UInt8,
                          pixels: UnsafeMutableBufferPointer<UInt8>) throws {
        var position = start
        var column = 0
        while true {
            column += 1
            if column > pixelCount + 1 {
                throw CSVError.columnCount(path: path, line: line, expected: pixelCount + 1, found: countColumns(start, end))
            }
            while position < end && (buffer[position] == 0x20 || buffer[position] == 0x09) { position += 1 }
            let fieldStart = position
            var value = 0
            var digits = 0
            while position < end {
                let digit = buffer[position] &- 0x30
                if digit > 9 { break }
                if value < 1_000_000 { value = value * 10 + Int(digit) }
                digits += 1
                position += 1
            }
            let digitsEnd = position
            while position < end && (buffer[position] == 0x20 || buffer[position] == 0x09) { position += 1 }
            let atComma = position < end && buffer[position] == 0x2C
            if digits == 0 || !(atComma || position == end) {
                // Not a plain whole number: find the field's end to quote it (or to report a negative value).
                var fieldEnd = position
                while fieldEnd < end && buffer[fieldEnd] != 0x2C { fieldEnd += 1 }
                let text = quote(fieldStart, fieldEnd)
                if isNegativeInteger(text) {
                    if column == 1 { throw CSVError.labelOutOfRange(path: path, line: line, text: text) }
                    throw CSVError.pixelOutOfRange(path: path, line: line, column: column, text: text)
                }
                throw CSVError.notANumber(path: path, line: line, column: column, text: text)
            }
            if column == 1 {
                guard value <= 9 else { throw CSVError.labelOutOfRange(path: path, line: line, text: quote(fieldStart, digitsEnd)) }
                label = UInt8(value)
            } else {
                guard value <= 255 else {
                    throw CSVError.pixelOutOfRange(path: path, line: line, column: column, text: quote(fieldStart, digitsEnd))
                }
                pixels[column - 2] = UInt8(value)
            }
            if !atComma { break }
            position += 1  // past the comma
        }
        if column != pixelCount + 1 {
            throw CSVError.columnCount(path: path, line: line, expected: pixelCount + 1, found: column)
        }
    }

    private func isBlank(_ start: Int, _ end: Int) -> Bool {
        var position = start
        while position < end {
            let byte = buffer[position]
            if byte != 0x20 && byte != 0x09 && byte != 0x0D { return false }
            position += 1
        }
        return true
    }

    /// True when the first field, trimmed, starts with a digit, '-' or '+' (a data row rather than a header).
    private func startsWithNumber(_ start: Int, _ end: Int) -> Bool {
        var position = start
        while position < end && (buffer[position] == 0x20 || buffer[position] == 0x09) { position += 1 }
        guard position < end else { return true }  // empty first field: a (bad) data row
        let byte = buffer[position]
        return (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2B || byte == 0x2E
    }

    private func countColumns(_ start: Int, _ end: Int) -> Int {
        var count = 1
        for position in start..<end where buffer[position] == 0x2C { count += 1 }
        return count
    }

    /// The trimmed bytes [start, end) as text, cut to 20 characters.
    private func quote(_ start: Int, _ end: Int) -> String {
        let cut = min(max(start, end), start + 64)  // never decode a huge field just to show 20 characters
        var text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<cut]), as: UTF8.self)
        text = text.trimmingSpaces()
        if text.count > 20 || cut < end { text = String(text.prefix(20)) + "…" }
        return text
    }

    private func isNegativeInteger(_ text: String) -> Bool {
        text.hasPrefix("-") && text.count > 1 && text.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
