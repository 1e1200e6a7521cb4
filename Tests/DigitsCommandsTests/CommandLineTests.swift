// Parsing and help of the `digits` command line, in process.

import ArgumentParser
import DigitsCommands
import Testing

@Suite("Command line parsing")
struct CommandLineTests {
    @Test("the root help lists every subcommand")
    func rootHelp() {
        let help = DigitsCommand.helpMessage()
        for command in ["train", "evaluate", "predict", "inspect", "data"] {
            #expect(help.contains(command), "help lacks \(command)")
        }
    }

    @Test("train's help documents every option the issue asks for")
    func trainHelp() {
        let help = DigitsCommand.helpMessage(for: DigitsCommand.self.configuration.subcommands[0])
        for option in ["--layers", "--epochs", "--batch-size", "--optimizer", "--lr", "--schedule", "--dropout", "--weight-decay",
                       "--seed", "--threads", "--validation", "--output", "--checkpoint", "--resume", "--json", "--preset", "--data"] {
            #expect(help.contains(option), "train help lacks \(option)")
        }
    }

    @Test("good train options parse", arguments: [
        ["train"], ["train", "--preset", "classic"], ["train", "--layers", "784-32-10", "--epochs", "3", "--lr", "0.01"],
        ["train", "--batch-size", "0", "--optimizer", "adamw", "--schedule", "onecycle", "--dropout", "0.5"],
        ["train", "--schedule", "step:5:0.5", "--threads", "1", "--validation", "5000", "--seed", "123"],
        ["train", "--non-digits", "0"], ["train", "--non-digits", "0.2", "--non-digit-loss", "uniform"],
        ["train", "--preset", "fast", "--non-digits", "0.1", "--non-digit-loss", "energy"],
    ])
    func goodOptions(arguments: [String]) throws {
        _ = try DigitsCommand.parseAsRoot(arguments)
    }

    @Test("bad train options are refused with a message naming the option", arguments: [
        (["train", "--epochs", "0"], "--epochs"), (["train", "--lr", "-0.1"], "--lr"), (["train", "--lr", "nan"], "--lr"),
        (["train", "--layers", "100-10"], "784"), (["train", "--layers", "784-128-9"], "end at 10"), (["train", "--layers", "784-x-10"], "--layers"),
        (["train", "--batch-size", "-1"], "--batch-size"), (["train", "--optimizer", "rmsprop"], "--optimizer"),
        (["train", "--schedule", "linear"], "--schedule"), (["train", "--dropout", "1"], "--dropout"),
        (["train", "--weight-decay", "-1"], "--weight-decay"), (["train", "--threads", "0"], "--threads"),
        (["train", "--validation", "60000"], "--validation"), (["train", "--preset", "huge"], "--preset"),
        (["train", "--architecture", "conv32k3-relu-pool2-dense10"], "unknown layer \"pool2\""),
        (["train", "--architecture", "conv8k3-flatten-dense9"], "must end with dense10"),
        (["train", "--architecture", "conv8k29-flatten-dense10"], "--architecture"),
        (["train", "--augment", "rotate=500"], "--augment"), (["train", "--augment", "spin=3"], "spin"),
        (["train", "--non-digit-loss", "hinge"], "--non-digit-loss"), (["train", "--preset", "fast", "--non-digit-loss", "energy"], "--non-digits"),
        (["train", "--non-digits", "0", "--non-digit-loss", "energy"], "--non-digits"),
        (["train", "--repeat", "0"], "--repeat"), (["train", "--repeat", "2", "--checkpoint", "c.safetensors"], "--repeat"),
    ])
    func badOptions(arguments: [String], mention: String) {
        do {
            _ = try DigitsCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            let message = DigitsCommand.message(for: error)
            #expect(message.contains(mention), "\(arguments): \(message)")
            #expect(!message.contains("\n"), "one line: \(message)")
        }
    }

    @Test("predict needs at least one image")
    func predictNeedsImage() {
        #expect(throws: (any Error).self) { _ = try DigitsCommand.parseAsRoot(["predict"]) }
    }
}
