// libFuzzer's driver, for fuzz targets whose `main` is their own (SwiftPM names an executable's entry point
// `<target>_main` and links `main` to it, so libFuzzer's own `main` is never used).
// Defined in libclang_rt.fuzzer, which `-sanitize=fuzzer` links; only referenced in -DFUZZING builds.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
