// StudioPage.swift — the studio's web pages, embedded in the binary (no CDN, no npm, works offline).
//
// The pages are plain HTML, CSS and JavaScript of our own, kept as real files in Web/ (checked by
// `node --check` and scripts/check_page_files.py in CI) and compiled into the binary as resources
// (`PackageResources`), so `digits serve` needs no files on disk. Each page's script is the shared core and
// charts, then the page's own parts, joined in the order below; every part is a self-contained
// `const Name = (() => { ... })()` module, and core.js, which comes first, switches on strict mode. An HTML
// line `<!--#include status_toast.html -->` is replaced by that file (the status line the pages share).

import Foundation

/// The studio's three pages: Draw (`/`, `/studio.js`), Model (`/model`, `/model.js`) and Train (`/train`,
/// `/train.js`), sharing `/studio.css`.
enum StudioPage {
    /// `GET /`
    static var html: String { page(PackageResources.draw_html) }
    /// `GET /studio.css`, for every page.
    static var css: String { [PackageResources.studio_css, PackageResources.model_css, PackageResources.train_css].map(text).joined(separator: "\n") }
    /// `GET /studio.js`: the parts in order; draw_start.js comes last, once every module exists.
    static var script: String { drawScriptParts.map(text).joined(separator: "\n") }
    /// `GET /model`
    static var modelHTML: String { page(PackageResources.model_html) }
    /// `GET /model.js`: the shared core and charts, then the Model page's parts.
    static var modelScript: String { modelScriptParts.map(text).joined(separator: "\n") }
    /// `GET /train`
    static var trainHTML: String { page(PackageResources.train_html) }
    /// `GET /train.js`: the shared core and charts, then the Train page's parts.
    static var trainScript: String { trainScriptParts.map(text).joined(separator: "\n") }

    // The parts of each script, in order (scripts/check_page_files.py reads these lists too).
    static let drawScriptParts = [
        PackageResources.core_js, PackageResources.drawing_js, PackageResources.predict_js, PackageResources.predict_view_js,
        PackageResources.feedback_js, PackageResources.samples_js, PackageResources.training_chart_js, PackageResources.training_js,
        PackageResources.model_panel_js, PackageResources.number_mode_js, PackageResources.draw_start_js,
    ]
    static let modelScriptParts = [
        PackageResources.core_js, PackageResources.training_chart_js, PackageResources.insights_js, PackageResources.live_training_js,
        PackageResources.model_start_js,
    ]
    static let trainScriptParts = [
        PackageResources.core_js, PackageResources.training_chart_js, PackageResources.table_js, PackageResources.recipe_form_js,
        PackageResources.train_job_js, PackageResources.versions_js, PackageResources.comparison_js, PackageResources.train_start_js,
    ]

    /// A file's text without its final newline (so that joined parts read as they are written).
    static func text(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// An HTML page with its include replaced by the status line.
    static func page(_ bytes: [UInt8]) -> String {
        text(bytes).replacingOccurrences(of: "<!--#include status_toast.html -->", with: text(PackageResources.status_toast_html))
    }
}
