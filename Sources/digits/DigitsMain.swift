// DigitsMain.swift — the `digits` executable: hands the command line to DigitsCommands.

import DigitsCommands

@main
enum DigitsMain {
    static func main() async {
        // The async entry point runs async subcommands (`serve`) as well as the others.
        await DigitsCommand.main()
    }
}
