// StudioPage.swift — the studio's web page, embedded in the binary (no CDN, no npm, works offline).
//
// The page is plain HTML, CSS and JavaScript of our own, kept as Swift raw string literals in the files
// beside this one, so `digits serve` needs no files on disk.

/// The three parts of the studio page, served at `/`, `/studio.css` and `/studio.js`.
enum StudioPage {
    /// `GET /`
    static var html: String { pageHTML }
    /// `GET /studio.css`
    static var css: String { pageCSS }
    /// `GET /studio.js`: the parts in order, each a self-contained section of one script.
    static var script: String { scriptParts.joined(separator: "\n") }
}
