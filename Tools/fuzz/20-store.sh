#!/usr/bin/env bash
# Fuzzes the capture reader (FuzzCaptureReader: arbitrary bytes as a capture file) and the profile
# parser (FuzzProfileJSON: JSON -> Profile -> validate), each for FUZZ_SECONDS (default 60), seeded
# from Fixtures/captures and Profiles/*.json. Prints executions and crashes per target; a crash,
# hang (-timeout) or leak fails the script and leaves its input in bench-out/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
out=bench-out/fuzz
mkdir -p "$out"

flags=(-c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
swift build --package-path Fuzz "${flags[@]}" --product FuzzCaptureReader >/dev/null
swift build --package-path Fuzz "${flags[@]}" --product FuzzProfileJSON >/dev/null
bin=$(swift build --package-path Fuzz "${flags[@]}" --show-bin-path)

# Seeds: every capture fixture (clean, damaged, truncated, empty, foreign) and every profile.
mkdir -p "$out/seeds-FuzzCaptureReader" "$out/seeds-FuzzProfileJSON"
cp Fixtures/captures/*.rscap Fixtures/captures/not-a-capture.txt "$out/seeds-FuzzCaptureReader/"
cp Profiles/*.json "$out/seeds-FuzzProfileJSON/"
# Out-of-range numbers (issue 17: `dailyLimitSeconds: 1e13` trapped converting to microseconds)
# next to in-range ones, so the mutator starts at the edges of validate()'s ranges.
sed 's/"dailyLimitSeconds": 300/"dailyLimitSeconds": 1e13/' Profiles/foam-roller-lower-back.json >"$out/seeds-FuzzProfileJSON/daily-1e13.json"
sed 's/"dailyLimitSeconds": 300/"dailyLimitSeconds": 86400/; s/"dailyWarningSeconds": [0-9]*/"dailyWarningSeconds": 86399/' Profiles/foam-roller-lower-back.json >"$out/seeds-FuzzProfileJSON/daily-max.json"

export TMPDIR=${TMPDIR:-/tmp}
status=0
for target in FuzzCaptureReader FuzzProfileJSON; do
    work="$out/corpus-$target"
    log="$out/$target.log"
    mkdir -p "$work" "$out/previous"
    find "$out" -maxdepth 1 -name "$target-*-*" -type f -exec mv -t "$out/previous" {} +
    # Capture inputs up to 256 KiB: the largest fixture (the firmware capture) is 204 KiB. Longer
    # inputs slow the ASan debug build to a few executions a second for no new paths: a record
    # whose length field claims up to the reader's 1 MiB limit is still reached (it meets the end
    # of the file). -timeout 10 s per input turns a hang into a finding.
    max_len=4096
    [ "$target" = FuzzCaptureReader ] && max_len=262144
    set +e
    "$bin/$target" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$out/$target-" "$work" "$out/seeds-$target" >"$log" 2>&1
    code=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    crashes=$(find "$out" -maxdepth 1 \( -name "$target-crash-*" -o -name "$target-leak-*" -o -name "$target-timeout-*" -o -name "$target-oom-*" \) | wc -l)
    echo "$target: ${runs:-?} executions in ${seconds}s, $crashes crashes (exit $code), log $log"
    if [ "$code" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        grep -E 'invariant broken|ERROR|deadly|Fatal' "$log" | head -5 || true
        status=1
    fi
done
exit $status
