// DigitsMain.swift — the `digits` executable: hands the command line to DigitsCommands.
//
// Nothing here or in the libraries is compiled for a particular CPU: the vector kernels live in their own
// targets, one per family, and the engine picks the widest family this CPU runs when it starts
// (KernelFamily.swift), so the same binary runs on any x86-64 CPU — with the portable kernels, slowly, on one
// without AVX2.

import DigitsCommands

@main
enum DigitsMain {
    static func main() async {
        // The async entry point runs async subcommands (`serve`) as well as the others.
        await DigitsCommand.main()
    }
}
