// AsciiArt.swift — draws a small image (a 28×28 digit) in the terminal with shaded block characters.
//
// Used by `digits predict --show`. Two characters per pixel, so that pixels look square in a terminal.

/// Renders `image` (values in [0, 1], 0 blank, 1 full) as text, one line per row, two characters per pixel:
/// `< 0.1` → "  ", `< 0.3` → "░░", `< 0.55` → "▒▒", `< 0.8` → "▓▓", else "██". Lines are joined by "\n",
/// with no trailing newline. NaN draws as blank.
public func asciiArt(_ image: GrayImage) -> String {
    var text = ""
    text.reserveCapacity(image.height * (2 * image.width + 1) * 3)
    for y in 0..<image.height {
        if y > 0 { text += "\n" }
        for x in 0..<image.width {
            let value = image.pixels[y * image.width + x]
            let shade: String
            if !(value >= 0.1) { shade = "  " }
            else if value < 0.3 { shade = "░░" }
            else if value < 0.55 { shade = "▒▒" }
            else if value < 0.8 { shade = "▓▓" }
            else { shade = "██" }
            text += shade
        }
    }
    return text
}
