#!/usr/bin/env bash
# Runs every fuzz target for a bounded time; exits non-zero on any crash, leak, timeout or out-of-memory.
#
#   Fuzz/run.sh SECONDS_PER_TARGET [TARGET...]
#
# The binaries come from `make fuzz-build` (.build-fuzz/release). Each target starts from its committed
# seeds (Fuzz/Corpus/<target>) and findings (Fuzz/Findings/<target>), read-only, and grows a working corpus
# in .build-fuzz/corpus/<target> that later runs resume from. A failing input is written to
# .build-fuzz/artifacts/<target>/; the summary says how to replay it and where to commit it.
set -u
cd "$(dirname "$0")/.."

seconds=${1:?usage: Fuzz/run.sh SECONDS_PER_TARGET [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzConfigLoader FuzzTOML FuzzRecurrenceRule FuzzReminderOffset FuzzZone FuzzStateFile FuzzStderrLine FuzzTimeArgument FuzzICalendar FuzzAlarmWriteBack)
bin=.build-fuzz/release
# No input may take over a second; 2 GiB of RSS (ASan's shadow and quarantine included) is out of memory.
timeout=${FUZZ_TIMEOUT:-1}
rss=${FUZZ_RSS_MB:-2048}
# Leaks fail the run. Fuzz/lsan.supp is empty and says what a suppression would have to show.
# libFuzzer, not the Swift runtime, reports a trap: its backtracer would read memory ASan guards.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1:allocator_may_return_null=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0}
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer || echo /opt/swift/usr/bin/llvm-symbolizer)}

max_len() {
    case $1 in
        FuzzConfigLoader) echo 32768 ;;  # the default timeline is ~15 kB
        FuzzTOML) echo 16384 ;;          # toml-test's files are under 4 kB
        FuzzZone) echo 8192 ;;           # real TZif files are 0.1-4 kB
        FuzzICalendar|FuzzAlarmWriteBack) echo 16384 ;;  # the icalendar package's test calendars are under 15 kB
        *) echo 4096 ;;
    esac
}

failed=()
summary=()
for target in "${targets[@]}"; do
    corpus=.build-fuzz/corpus/$target
    artifacts=.build-fuzz/artifacts/$target/
    mkdir -p "$corpus" "$artifacts"
    rm -f "$artifacts"*
    findings=(); [ -d "Fuzz/Findings/$target" ] && findings=("Fuzz/Findings/$target")
    log=.build-fuzz/$target.log
    dict=()
    [ -f "Fuzz/Dictionaries/$target.dict" ] && dict=(-dict="Fuzz/Dictionaries/$target.dict")
    echo "== $target: ${seconds}s"
    : >"$log"
    # A timeout whose input then runs in time three times over was the machine's load (two shared cores), not
    # the input: it is set aside and fuzzing goes on for the rest of the budget.
    deadline=$((SECONDS + seconds))
    runs=0
    spurious=0
    status=0
    while [ $((deadline - SECONDS)) -gt 0 ]; do
        "$bin/$target" "$corpus" "Fuzz/Corpus/$target" "${findings[@]}" \
            -max_total_time="$((deadline - SECONDS))" -timeout="$timeout" -rss_limit_mb="$rss" \
            -max_len="$(max_len "$target")" -artifact_prefix="$artifacts" -print_final_stats=1 -close_fd_mask=1 \
            "${dict[@]}" >>"$log" 2>&1
        status=$?
        runs=$((runs + $(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 | grep . || echo 0)))
        [ $status -eq 70 ] || break
        unit=$(ls -t "$artifacts"timeout-* 2>/dev/null | head -1)
        [ -n "$unit" ] || break
        real=0
        for _ in 1 2 3; do
            "$bin/$target" -timeout="$timeout" -rss_limit_mb="$rss" "$unit" >/dev/null 2>&1 || real=1
        done
        [ $real -eq 0 ] || break
        mkdir -p .build-fuzz/spurious-timeouts
        mv "$unit" .build-fuzz/spurious-timeouts/
        spurious=$((spurious + 1))
        status=0
    done
    elapsed=$((seconds - (deadline - SECONDS)))
    speed=$((runs / (elapsed > 0 ? elapsed : 1)))
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    corpus_size=$(ls "$corpus" | wc -l)
    line=$(printf '%-20s %10s runs %8s exec/s  %-10s corpus %s' "$target" "$runs" "$speed" "${cov:-cov: ?}" "$corpus_size")
    [ $spurious -eq 0 ] || line="$line  ($spurious timeouts under load, not reproduced)"
    if [ $status -ne 0 ]; then
        line="$line  FAILED (exit $status)"
        failed+=("$target")
        grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|ALARM|out-of-memory|Test unit written' "$log" | head -8
        echo "   full log: $log"
        for input in "$artifacts"*; do
            [ -f "$input" ] || continue
            echo "   replay: .build-fuzz/release/$target $input   (or, without sanitizers: .build/debug/$target $input)"
            echo "   keep: once fixed, cp $input Fuzz/Findings/$target/ with a regression test (while open: Fuzz/Open/$target/)"
        done
    fi
    echo "   $line"
    summary+=("$line")
done

echo
echo "fuzz summary (${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
