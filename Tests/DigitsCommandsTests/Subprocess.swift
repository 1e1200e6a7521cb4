// Running the built `digits` binary as a user would, capturing its exit status and output.

import Foundation
import Testing

struct CommandResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// The `digits` executable built beside the test bundle.
let digitsExecutable: String = {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return bundleDirectory.appendingPathComponent("digits").path
}()

/// A fresh temporary directory, removed by the caller with `removeDirectory`.
func makeTemporaryDirectory() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("digits-cli-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeDirectory(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

/// Starts `digits arguments…` with output captured to files in `directory`.
func startDigits(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> (Process, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: digitsExecutable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var variables = ProcessInfo.processInfo.environment
    variables["HOME"] = directory              // never touch the real user's cache or models
    variables["XDG_CACHE_HOME"] = nil
    variables["XDG_DATA_HOME"] = nil
    for (key, value) in environment { variables[key] = value }
    process.environment = variables
    let id = UUID().uuidString
    let outPath = directory + "/.stdout-\(id)", errPath = directory + "/.stderr-\(id)"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return (process, outPath, errPath)
}

/// Runs `digits arguments…` to completion.
func runDigits(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> CommandResult {
    #expect(FileManager.default.isExecutableFile(atPath: digitsExecutable), "build the digits executable first: \(digitsExecutable)")
    let (process, outPath, errPath) = try startDigits(arguments, in: directory, environment: environment)
    process.waitUntilExit()
    return finish(process, outPath, errPath)
}

func finish(_ process: Process, _ outPath: String, _ errPath: String) -> CommandResult {
    let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let error = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: outPath)
    try? FileManager.default.removeItem(atPath: errPath)
    return CommandResult(status: process.terminationStatus, standardOutput: output, standardError: error)
}

/// The MNIST directory for real-data tests, or nil when `DIGITS_DATA` is not set.
let mnistDirectory: String? = {
    guard let path = ProcessInfo.processInfo.environment["DIGITS_DATA"], !path.isEmpty else { return nil }
    return path
}()
