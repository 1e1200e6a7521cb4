// Figures: golden SVG for small fixed inputs, PNG files that an independent decoder (Python's zlib and
// struct) reads back to the expected size and pixels, and the bitmap font's text where it belongs.

import DigitsFiles
import DigitsReport
import Foundation
import Testing

@Suite("Figures")
struct FigureTests {
    static let chart = LineChart(name: "tiny", title: "Loss", xLabel: "epoch", yLabel: "loss",
                                 series: [Series(name: "train", color: .blue, points: [(1, 2), (2, 1), (3, 0.5)])], yRange: 0...2)

    @Test("a fixed line chart gives the golden SVG")
    func goldenLineChart() throws {
        let svg = Self.chart.svg()
        // The plot area is x 76…616, y 44…308; x 1…3 and y 0…2 map linearly onto it.
        #expect(svg.contains("<polyline points=\"76,44 346,176 616,242\""))
        #expect(svg.contains("<title>Loss</title>"))
        for tick in ["0.0", "0.5", "1.0", "1.5", "2.0"] { #expect(svg.contains(">\(tick)</text>"), "y tick \(tick)") }
        #expect(svg.contains(">epoch</text>") && svg.contains(">train</text>"))
        #expect(svg == Self.goldenSVG + "\n", "the SVG changed; if on purpose, update goldenSVG:\n\(svg)")
    }

    @Test("the confusion heatmap labels every non-zero cell with its count")
    func heatmapCounts() {
        let svg = ConfusionHeatmap(name: "c", title: "Confusion", counts: [[5, 1], [0, 7]]).svg()
        #expect(svg.contains(">5</text>") && svg.contains(">1</text>") && svg.contains(">7</text>"))
        #expect(!svg.contains(">0</text>\n<text") || svg.components(separatedBy: ">0</text>").count == 3, "0 appears only as the two axis labels")
        #expect(svg.contains(">predicted digit</text>") && svg.contains(">true digit</text>"))
    }

    @Test("an interactive heatmap wraps each cell in a group naming its row, column and count; the pixels are the same")
    func interactiveHeatmap() throws {
        var heatmap = ConfusionHeatmap(name: "c", title: "Confusion", counts: [[5, 1], [0, 7]])
        let plain = heatmap.svg()
        #expect(!plain.contains("<g"))
        heatmap.interactive = true
        let svg = heatmap.svg()
        #expect(svg.components(separatedBy: "<g class=\"cell\"").count - 1 == 4 && svg.components(separatedBy: "</g>").count - 1 == 4)
        #expect(svg.contains("<g class=\"cell\" data-truth=\"0\" data-predicted=\"1\" data-count=\"1\" tabindex=\"0\" role=\"button\" aria-label=\"true 0, predicted 1: 1 image\">"))
        #expect(svg.contains("data-truth=\"1\" data-predicted=\"0\" data-count=\"0\""))
        // Without the group lines the drawing is the plain one.
        let stripped = svg.split(separator: "\n").filter { !$0.hasPrefix("<g ") && $0 != "</g>" }.joined(separator: "\n") + "\n"
        #expect(stripped == plain)
        #expect(heatmap.raster() == ConfusionHeatmap(name: "c", title: "Confusion", counts: [[5, 1], [0, 7]]).raster())
    }

    @Test("long value labels widen the left margin instead of running into the axis title")
    func longValueLabels() {
        let chart = LineChart(name: "lr", title: "Learning rate", xLabel: "epoch", yLabel: "learning rate",
                              series: [Series(name: "lr", color: .green, points: [(x: 0, y: 0.0049), (x: 1, y: 0)])])
        let svg = chart.svg()
        #expect(svg.contains(">0.004</text>"))
        // "0.004" is 5 glyphs (5 px, 1 px apart) at scale 2, 58 px: the plot starts at 40 + 58 = 98 px, not at the usual 76.
        #expect(chart.plotLeft == 98)
        #expect(svg.contains("<line x1=\"98\" y1=\"44\" x2=\"98\""), "the vertical axis at x = 98")
        #expect(Self.chart.plotLeft == 76, "short labels keep the usual margin (and the golden SVG)")
    }

    @Test("a bar with no value (NaN) is drawn as a dash, with no bar and no number")
    func missingBar() {
        let chart = BarChart(name: "b", title: "Bars", xLabel: "digit", yLabel: "accuracy (%)", categories: ["0", "1", "2"],
                             values: [50, .nan, 100], decimals: 0, yRange: 0...100)
        let svg = chart.svg()
        #expect(svg.contains(">-</text>") && !svg.contains("nan") && !svg.contains("NaN"))
        #expect(svg.contains(">50</text>") && svg.contains(">100</text>"))
        // Two bars: the filled rectangles besides the white background.
        #expect(svg.components(separatedBy: "fill=\"\(Color.blue.hex)\"").count - 1 == 2)
    }

    @Test("nice ticks fall on round steps and cover the range")
    func ticks() {
        #expect(niceTicks(low: 0, high: 2) == [0, 0.5, 1, 1.5, 2])
        #expect(niceTicks(low: 96.3, high: 100) == [97, 98, 99, 100])
        #expect(niceTicks(low: 0, high: 0.0042, count: 4) == [0, 0.002, 0.004])
        #expect(tickLabel(0.5, step: 0.5) == "0.5" && tickLabel(98, step: 1) == "98")
    }

    @Test("text is drawn with the bitmap font at the requested place")
    func rasterText() {
        var canvas = RasterCanvas(width: 40, height: 20)
        canvas.text("1", x: 10, y: 17, size: 14, color: .black, anchor: .start, bold: false, vertical: false)
        // Scale 2: the glyph occupies x 10..<20, y 3..<17; nothing is drawn outside it.
        var inside = 0
        for y in 0..<20 {
            for x in 0..<40 where canvas.image.pixel(x: x, y: y) == (0, 0, 0) {
                #expect((10..<20).contains(x) && (3..<17).contains(y), "ink at \(x),\(y)")
                inside += 1
            }
        }
        #expect(inside >= 20, "the digit has ink")
        #expect(BitmapFont.width(of: "ab") == 11)
    }

    @Test("PNG figures decode with Python's zlib to the expected size and pixels")
    func pngDecodesIndependently() throws {
        var image = RGBImage(width: 3, height: 2)
        image.bytes = [255, 0, 0, 0, 255, 0, 0, 0, 255,
                       10, 20, 30, 40, 50, 60, 70, 80, 90]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digits-png-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let small = directory.appendingPathComponent("small.png").path
        let chart = directory.appendingPathComponent("chart.png").path
        try Data(PNGEncoder.encode(image)).write(to: URL(fileURLWithPath: small))
        try Data(Self.chart.png()).write(to: URL(fileURLWithPath: chart))
        let output = try runPython(Self.pngReader, arguments: [small, chart])
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "3 2 255,0,0 0,255,0 0,0,255 10,20,30 40,50,60 70,80,90", "\(output)")
        // The chart: 640×400, white background, the blue series somewhere.
        #expect(lines.dropFirst().first?.hasPrefix("640 400 255,255,255") == true, "\(output)")
        #expect(lines.last == "blue pixels: yes", "\(output)")
    }

    /// Parses PNG chunks with struct, checks every CRC, inflates IDAT with zlib and prints size and pixels.
    static let pngReader = #"""
    import struct, sys, zlib
    def read(path):
        data = open(path, 'rb').read()
        assert data[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
        pos, idat = 8, b''
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            crc, = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
            assert zlib.crc32(kind + body) & 0xffffffff == crc, 'crc of ' + kind.decode()
            if kind == b'IHDR':
                width, height, depth, colour = struct.unpack('>IIBB', body[:10])
                assert depth == 8 and colour == 2
            elif kind == b'IDAT':
                idat += body
            pos += 12 + length
        raw = zlib.decompress(idat)
        assert len(raw) == height * (1 + 3 * width)
        pixels = []
        for y in range(height):
            row = raw[y * (1 + 3 * width):(y + 1) * (1 + 3 * width)]
            assert row[0] == 0
            pixels += [tuple(row[1 + 3 * x:4 + 3 * x]) for x in range(width)]
        return width, height, pixels
    w, h, p = read(sys.argv[1])
    print(w, h, ' '.join('%d,%d,%d' % q for q in p))
    w, h, p = read(sys.argv[2])
    print(w, h, '%d,%d,%d' % p[0])
    print('blue pixels:', 'yes' if (0, 114, 178) in p else 'no')
    """#

    /// The SVG of `chart`, checked by eye when it was recorded (Tests/DigitsReportTests/FigureTests.swift).
    static let goldenSVG = #"""
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 400" width="640" height="400" role="img" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace">
    <title>Loss</title>
    <rect width="640" height="400" fill="#ffffff"/>
    <text x="320" y="24" font-size="19.18" fill="#222222" text-anchor="middle" font-weight="bold">Loss</text>
    <line x1="76" y1="308" x2="616" y2="308" stroke="#e2e2e2" stroke-width="1"/>
    <text x="68" y="315" font-size="19.18" fill="#222222" text-anchor="end">0.0</text>
    <line x1="76" y1="242" x2="616" y2="242" stroke="#e2e2e2" stroke-width="1"/>
    <text x="68" y="249" font-size="19.18" fill="#222222" text-anchor="end">0.5</text>
    <line x1="76" y1="176" x2="616" y2="176" stroke="#e2e2e2" stroke-width="1"/>
    <text x="68" y="183" font-size="19.18" fill="#222222" text-anchor="end">1.0</text>
    <line x1="76" y1="110" x2="616" y2="110" stroke="#e2e2e2" stroke-width="1"/>
    <text x="68" y="117" font-size="19.18" fill="#222222" text-anchor="end">1.5</text>
    <line x1="76" y1="44" x2="616" y2="44" stroke="#e2e2e2" stroke-width="1"/>
    <text x="68" y="51" font-size="19.18" fill="#222222" text-anchor="end">2.0</text>
    <line x1="76" y1="308" x2="76" y2="313" stroke="#6e6e6e" stroke-width="1"/>
    <text x="76" y="332" font-size="19.18" fill="#222222" text-anchor="middle">1.0</text>
    <line x1="211" y1="308" x2="211" y2="313" stroke="#6e6e6e" stroke-width="1"/>
    <text x="211" y="332" font-size="19.18" fill="#222222" text-anchor="middle">1.5</text>
    <line x1="346" y1="308" x2="346" y2="313" stroke="#6e6e6e" stroke-width="1"/>
    <text x="346" y="332" font-size="19.18" fill="#222222" text-anchor="middle">2.0</text>
    <line x1="481" y1="308" x2="481" y2="313" stroke="#6e6e6e" stroke-width="1"/>
    <text x="481" y="332" font-size="19.18" fill="#222222" text-anchor="middle">2.5</text>
    <line x1="616" y1="308" x2="616" y2="313" stroke="#6e6e6e" stroke-width="1"/>
    <text x="616" y="332" font-size="19.18" fill="#222222" text-anchor="middle">3.0</text>
    <line x1="76" y1="44" x2="76" y2="308" stroke="#6e6e6e" stroke-width="1"/>
    <line x1="76" y1="308" x2="616" y2="308" stroke="#6e6e6e" stroke-width="1"/>
    <text x="346" y="354" font-size="19.18" fill="#222222" text-anchor="middle">epoch</text>
    <text x="20" y="176" font-size="19.18" fill="#222222" text-anchor="middle" transform="rotate(-90 20 176)">loss</text>
    <polyline points="76,44 346,176 616,242" fill="none" stroke="#0072b2" stroke-width="2" stroke-linejoin="round"/>
    <rect x="76" y="372" width="18" height="4" fill="#0072b2"/>
    <text x="100" y="382" font-size="19.18" fill="#222222" text-anchor="start">train</text>
    </svg>
    """#
}

/// Runs `python3 -c script arguments…` and returns its standard output; fails the test on a non-zero exit.
func runPython(_ script: String, arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let pipe = Pipe(), errors = Pipe()
    process.standardOutput = pipe
    process.standardError = errors
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "python3 failed: \(errorText)")
    return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
