// DigitsMain.swift — the `digits` executable: checks that the CPU can run the engine, then hands the command
// line to DigitsCommands. This target is compiled without vector flags, so the check itself runs anywhere.

import CPUFeatures
import DigitsCommands

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
enum DigitsMain {
    static func main() async {
        #if arch(x86_64)
        // The engine is compiled for AVX2 + FMA on x86-64 (only the matrix multiply has a portable twin so far):
        // say so plainly instead of dying on an illegal instruction.
        if digits_cpu_has_avx2_fma() == 0 {
            fputs("digits: this CPU lacks AVX2 and FMA (x86-64-v3), which this build of digits needs; "
                  + "run it on an Intel Haswell, AMD Excavator or newer CPU\n", stderr)
            exit(1)
        }
        #endif
        // The async entry point runs async subcommands (`serve`) as well as the others.
        await DigitsCommand.main()
    }
}
