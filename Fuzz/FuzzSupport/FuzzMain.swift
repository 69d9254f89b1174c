import CFuzzer
import Glibc

/// The `main` of every fuzz target.
public enum FuzzMain {
    /// Runs libFuzzer on `entry` (built with `-DFUZZING -sanitize=fuzzer,...`), or else replays the corpus
    /// files given as arguments through `replay` (see ``CorpusReplay``).
    public static func run(
        _ entry: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32,
        replay: ([UInt8]) -> Void
    ) -> Never {
        #if FUZZING
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
        #else
            CorpusReplay.main(replay)
        #endif
    }
}
