// Terminal.swift — printing to stderr, a live progress bar, and default file locations.

import Foundation
import Synchronization

/// Writes `text` to standard error (progress and diagnostics; results go to standard output).
func printError(_ text: String, terminator: String = "\n") {
    FileHandle.standardError.write(Data((text + terminator).utf8))
}

/// True when standard error is a terminal (a live bar is drawn only then).
let stderrIsTerminal = isatty(STDERR_FILENO) != 0

/// True when standard output is a terminal and the user has not asked for no colour (`NO_COLOR`).
let stdoutIsColorTerminal = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

/// `values` as a one-line chart of block characters ▁▂▃▄▅▆▇█, resampled to at most `width` columns
/// (each column the mean of its share of the values), lowest value ▁, highest █.
func sparkline(_ values: [Double], width: Int = 40) -> String {
    let finite = values.filter(\.isFinite)
    guard !finite.isEmpty, width > 0 else { return "" }
    let columns = min(width, finite.count)
    let means = (0..<columns).map { column -> Double in
        let slice = finite[(column * finite.count / columns)..<((column + 1) * finite.count / columns)]
        return slice.reduce(0, +) / Double(slice.count)
    }
    let (low, high) = (means.min()!, means.max()!)
    let blocks = Array("▁▂▃▄▅▆▇█")
    return String(means.map { high > low ? blocks[Int(((($0 - low) / (high - low)) * 7).rounded())] : blocks[3] })
}

/// A one-line progress bar redrawn in place on a terminal, at most 10 times a second.
/// Off a terminal it stays silent, so logs hold only the summary lines.
struct ProgressBar {
    private var lastDraw = 0.0
    private var visible = false

    /// Draws `fraction` (0…1) with a label in front and details after.
    mutating func update(fraction: Double, label: @autoclosure () -> String, details: @autoclosure () -> String, force: Bool = false) {
        guard stderrIsTerminal else { return }
        let time = monotonicSeconds()
        guard force || time - lastDraw >= 0.1 else { return }
        lastDraw = time
        let width = 28
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        printError("\r\u{1B}[2K\(label()) \(bar) \(details())", terminator: "")
        visible = true
    }

    /// Removes the bar so the next line starts clean.
    mutating func clear() {
        guard visible else { return }
        printError("\r\u{1B}[2K", terminator: "")
        visible = false
    }
}

/// Seconds from an arbitrary origin, monotonic.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// `12.3 s`, `4 min 05 s`.
func formatDuration(_ seconds: Double) -> String {
    if !seconds.isFinite || seconds < 0 { return "?" }
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    let total = Int(seconds.rounded())
    return String(format: "%d min %02d s", total / 60, total % 60)
}

/// `98.31%`.
func percent(_ fraction: Double, decimals: Int = 2) -> String {
    String(format: "%.\(decimals)f%%", fraction * 100)
}

/// Where models live when no path is given: `$XDG_DATA_HOME/digits` or `~/.local/share/digits`
/// (`~/Library/Application Support/digits` on macOS).
func userDataDirectory() -> String {
    let environment = ProcessInfo.processInfo.environment
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    #if os(macOS)
    return home + "/Library/Application Support/digits"
    #else
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/digits" }
    return home + "/.local/share/digits"
    #endif
}

/// The model `digits train` writes and `evaluate`/`predict` read when no path is given.
func defaultModelPath() -> String { userDataDirectory() + "/model.safetensors" }

/// Set by Ctrl-C; the trainer stops after the current batch. A second Ctrl-C quits at once.
let interruptRequested = Atomic<Bool>(false)

/// Routes SIGINT to `interruptRequested`.
func installInterruptHandler() {
    // A parent may have left SIGINT blocked (some process launchers do); unblock it so Ctrl-C arrives.
    var mask = sigset_t()
    sigemptyset(&mask)
    sigaddset(&mask, SIGINT)
    sigprocmask(SIG_UNBLOCK, &mask, nil)
    signal(SIGINT) { _ in
        if interruptRequested.load(ordering: .relaxed) { _exit(130) }
        interruptRequested.store(true, ordering: .relaxed)
    }
}

/// A mistake in how the command was called; printed as one line, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
