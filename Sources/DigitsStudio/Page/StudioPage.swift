// StudioPage.swift — the studio's web page, embedded in the binary (no CDN, no npm, works offline).
//
// The page is plain HTML, CSS and JavaScript of our own, kept as Swift raw string literals in the files
// beside this one, so `digits serve` needs no files on disk.

/// The studio's three pages: Draw (`/`, `/studio.js`), Model (`/model`, `/model.js`) and Train (`/train`,
/// `/train.js`), sharing `/studio.css`.
enum StudioPage {
    /// `GET /`
    static var html: String { pageHTML }
    /// `GET /studio.css`, for both pages.
    static var css: String { pageCSS + "\n" + modelPageCSS + "\n" + trainPageCSS }
    /// `GET /studio.js`: the parts in order, each a self-contained section of one script.
    static var script: String { scriptParts.joined(separator: "\n") }
    /// `GET /model`
    static var modelHTML: String { modelPageHTML }
    /// `GET /model.js`: the shared core and charts, then the Model page's parts.
    static var modelScript: String { modelPageScriptParts.joined(separator: "\n") }
    /// `GET /train`
    static var trainHTML: String { trainPageHTML }
    /// `GET /train.js`: the shared core and charts, then the Train page's parts.
    static var trainScript: String { trainPageScriptParts.joined(separator: "\n") }
}
