#!/usr/bin/env bash
# Fuzzes RollSenseWire with libFuzzer: the frame decoders (FuzzWireDecoder) and the Serial Plotter
# text parser (FuzzPlotterText), each for FUZZ_SECONDS (default 60) from seeds made from
# Fixtures/protocol. Prints executions and crashes per target; a crash fails the script and
# leaves its input in bench-out/fuzz/.
#
# Fuzz/ is its own package (swift-tools-version 5.4, so SwiftPM leaves `main` to libFuzzer) that
# uses the main package by path. lld instead of gold: gold warns about every ASan symbol.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
seconds=${FUZZ_SECONDS:-60}
out=bench-out/fuzz
mkdir -p "$out"

flags=(-c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
swift build --package-path Fuzz "${flags[@]}" >/dev/null
bin=$(swift build --package-path Fuzz "${flags[@]}" --show-bin-path)
"$PYTHON" Tools/fuzz/make_wire_corpus.py "$out"

status=0
for target in FuzzWireDecoder FuzzPlotterText; do
    work="$out/corpus-$target"
    log="$out/$target.log"
    mkdir -p "$work" "$out/previous"
    # Crash inputs of an earlier run are kept, out of the way, so only this run's count.
    find "$out" -maxdepth 1 -name "$target-*-*" -type f -exec mv -t "$out/previous" {} +
    set +e
    "$bin/$target" -max_total_time="$seconds" -max_len=2048 -print_final_stats=1 -artifact_prefix="$out/$target-" \
        "$work" "$out/seeds-$target" >"$log" 2>&1
    code=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    crashes=$(find "$out" -maxdepth 1 -name "$target-crash-*" -o -maxdepth 1 -name "$target-leak-*" -o -maxdepth 1 -name "$target-timeout-*" | wc -l)
    echo "$target: ${runs:-?} executions in ${seconds}s, $crashes crashes (exit $code), log $log"
    if [ "$code" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        grep -E 'invariant broken|ERROR|deadly' "$log" | head -5 || true
        status=1
    fi
done
exit $status
