#!/usr/bin/env bash
# Replay speed: records REPLAY_BENCH_SECONDS (default 3600) of device time from `rollsense
# simulate --speed max` (4 channels at 80 Hz) with `live --record`, then times `replay --speed max
# --json`, `report --svg` and `export --csv` of that file (release build). Prints each as a
# multiple of real time (device seconds per wall second) and as a ratio of the recording run in
# the same script (the same bytes through the same runner, from a pty); and peak RSS against a
# 5-minute replay (flat = 1.0). Results in bench-out/65-replay-speed.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${REPLAY_BENCH_SECONDS:-3600}"
out=bench-out/65-replay-speed.txt
work="$(mktemp -d "${TMPDIR:-/tmp}/rollsense-replay-bench-XXXXXX")"
sim=""
trap '[ -n "$sim" ] && kill -9 "$sim" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p bench-out
export ROLLSENSE_DATA_DIR="$work/data" XDG_CONFIG_HOME="$work/config"

swift build -c release --product rollsense >/dev/null
bin="$(swift build -c release --show-bin-path)/rollsense"

timed() { # label, command...: prints "seconds peakKiB"
    /usr/bin/time -f "%e %M" -o "$work/time" "${@:2}" >/dev/null 2>"$work/$1.err"
    cat "$work/time"
}

"$bin" simulate --speed max --link "$work/board" >/dev/null 2>&1 & sim=$!
for _ in $(seq 100); do [ -e "$work/board" ] && break; sleep 0.1; done
read -r live_s _ < <(timed live "$bin" live --json --device "$work/board" --duration "$seconds" --record "$work/long.rscap")
read -r short_s _ < <(timed live-short "$bin" live --json --device "$work/board" --duration 300 --record "$work/short.rscap")
kill -9 "$sim"; sim=""

read -r replay_s replay_kib < <(timed replay "$bin" replay "$work/long.rscap" --speed max --json)
read -r _ short_kib < <(timed replay-short "$bin" replay "$work/short.rscap" --speed max --json)
read -r report_s report_kib < <(timed report "$bin" report "$work/long.rscap" --svg "$work/long.svg")
read -r export_s export_kib < <(timed export "$bin" export "$work/long.rscap" --csv "$work/long.csv")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.01; printf "%.1f", a / b }'; }
{
    echo "capture: ${seconds} s of device time, $(($(stat -c %s "$work/long.rscap") / 1024)) KiB; recording it from the pty took ${live_s} s"
    echo "replay --speed max --json: ${replay_s} s = $(ratio "$seconds" "$replay_s")x real time, $(ratio "$live_s" "$replay_s")x the recording run; peak RSS ${replay_kib} KiB, ratio to a 5-min replay $(awk -v a="$replay_kib" -v b="$short_kib" 'BEGIN { printf "%.2f", a / b }')"
    echo "report --svg: ${report_s} s = $(ratio "$seconds" "$report_s")x real time; peak RSS ${report_kib} KiB; SVG $(($(stat -c %s "$work/long.svg") / 1024)) KiB"
    echo "export --csv: ${export_s} s = $(ratio "$seconds" "$export_s")x real time; peak RSS ${export_kib} KiB; CSV $(($(stat -c %s "$work/long.csv") / 1048576)) MiB"
} | tee "$out"
