// ReportPage.swift — the self-contained HTML page of a report: every figure inline as SVG (no scripts,
// no network), with links to its SVG and PNG files next to the page.

extension ModelReport {
    /// The HTML page. `summary` holds (label, value) rows shown at the top (model, recipe, parameters…).
    public func html(summary: [(String, String)], sections: [ReportSection]) -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>digits report — \(escape(modelName))</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 12px; color: #222; line-height: 1.45; }
        h1 { font-size: 1.5em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; } td { padding: 2px 12px 2px 0; vertical-align: top; overflow-wrap: anywhere; }
        figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 0.9em; color: #555; }
        nav { display: flex; flex-wrap: wrap; gap: 4px 16px; } nav a { white-space: nowrap; }
        code { background: #f4f4f4; padding: 0 3px; }
        </style>
        </head>
        <body>
        <h1>digits report: \(escape(modelName))</h1>
        <table>

        """
        for (label, value) in summary { page += "<tr><td>\(escape(label))</td><td>\(escape(value))</td></tr>\n" }
        page += "</table>\n<nav>" + sections.map { "<a href=\"#\($0.id)\">\(escape($0.heading))</a>" }.joined() + "</nav>\n"
        for section in sections {
            page += "<section id=\"\(section.id)\">\n<h2>\(escape(section.heading))</h2>\n<p>\(codeSpans(escape(section.text)))</p>\n"
            for figure in section.figures {
                page += "<figure id=\"figure-\(figure.name)\">\n\(figure.svg())<figcaption>\(escape(figure.title)) — <a href=\"\(figure.name).svg\">SVG</a> · <a href=\"\(figure.name).png\">PNG</a></figcaption>\n</figure>\n"
            }
            page += "</section>\n"
        }
        page += "</body>\n</html>\n"
        return page
    }

    private func escape(_ text: String) -> String { SVGCanvas.escape(text) }

    /// `like this` → <code>like this</code>.
    private func codeSpans(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        return parts.enumerated().map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : String($0.element) }.joined()
    }
}
