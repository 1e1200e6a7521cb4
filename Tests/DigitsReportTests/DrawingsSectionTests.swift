// The report's section on pen-written drawings: its charts, and the misreads as (strokes, input) pairs.

import DigitsFiles
import DigitsReport
import Testing

@Suite("Drawings section")
struct DrawingsSectionTests {
    static func misread(_ entry: Int) -> DrawingMisread {
        DrawingMisread(strokes: Pixels.ink([Float](repeating: 0.5, count: 56 * 56), width: 56, height: 56),
                       input: Pixels.ink([Float](repeating: 1, count: 784), width: 28, height: 28),
                       entry: entry, truth: 1, read: 7, confidence: 0.93, source: "gmd")
    }

    @Test("per-digit and per-source charts, and each misread as its strokes beside its input")
    func figures() throws {
        let section = DrawingsSection(
            fileName: "dev.json", accuracy: 0.9863, count: 7953, perDigit: [0.98, 0.985, nil, 0.99, 0.98, 0.99, 0.99, 0.98, 0.99, 0.975],
            perSource: [("syn", 0.985, 2475), ("gmd", 0.993, 955)], misreads: [Self.misread(450), Self.misread(7306)], misreadCount: 109).section()
        #expect(section.id == "drawings")
        #expect(section.text.contains("98.63% on 7953 pen-written drawings of dev.json") && section.text.contains("109 in all"))
        #expect(!section.text.contains("not a digit"))
        #expect(section.figures.map(\.name) == ["drawings-per-digit", "drawings-per-source", "drawings-misreads"])
        let grid = try #require(section.figures.last as? ImageGrid)
        #expect(grid.tiles.map(\.caption) == ["#450 gmd", "1→7 93%", "#7306 gmd", "1→7 93%"])
        #expect(grid.tiles[0].image.width == 56 && grid.tiles[1].image.width == 28)
        let sources = try #require(section.figures[1] as? BarChart)
        #expect(sources.categories == ["syn (2475)", "gmd (955)"])
        #expect(section.figures[0].svg().contains("-"), "a digit without drawings shows -")
    }

    @Test("no misreads: no grid, and the text says so")
    func none() {
        let section = DrawingsSection(fileName: "d.json", accuracy: 1, count: 3, perDigit: Array(repeating: 1, count: 10),
                                      perSource: [("x", 1, 3)], misreads: [], misreadCount: 0).section()
        #expect(section.figures.count == 2 && section.text.contains("No misreads."))
    }

    @Test("drawings called \"not a digit\" are counted in the text")
    func rejected() {
        let section = DrawingsSection(fileName: "d.json", accuracy: 0.5, count: 4, perDigit: Array(repeating: 0.5, count: 10),
                                      perSource: [("x", 0.5, 4)], misreads: [Self.misread(2)], misreadCount: 1, rejected: 1).section()
        #expect(section.text.contains("1 called \"not a digit\" count as misses"), "\(section.text)")
    }
}
