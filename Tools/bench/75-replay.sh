#!/usr/bin/env bash
# The commands that read a capture, on a REPLAY_BENCH_HOURS (default 1) hour, 1 kHz, 4-channel
# capture (made by the `soak` target: the same deterministic session as Tools/bench/70-soak.sh):
# `replay --speed max --json`, `report --svg` and `export --csv` (release build), wall seconds,
# multiple of real time and peak memory (max RSS), beside two baselines in the same script: the
# same replay of a 10-minute capture (memory flat = ratio 1.0) and the library-only path (soak's
# own CaptureReader -> FrameDecoder -> SignalPipeline loop, no CLI, no output) on the long capture.
# Results in bench-out/75-replay.txt. (This replaced 65-replay-speed.sh, which recorded its
# capture from `simulate` in real pty time and measured the same replay.)
set -euo pipefail
cd "$(dirname "$0")/../.."
hours="${REPLAY_BENCH_HOURS:-1}"
out=bench-out/75-replay.txt
PYTHON=${PYTHON:-python3}
work="$(mktemp -d "${TMPDIR:-/tmp}/rollsense-replay-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p bench-out

swift build -c release --product soak >/dev/null
swift build -c release --product rollsense >/dev/null
bin="$(swift build -c release --show-bin-path)"
long_seconds=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')

field() { printf '%s\n' "$1" | sed -n "s/.*\"$2\":\([0-9][0-9.e+-]*\).*/\1/p"; }
long_lib="$(SOAK_KEEP_CAPTURE=1 "$bin/soak" "$long_seconds" "$work/long.rscap")"
SOAK_KEEP_CAPTURE=1 "$bin/soak" 600 "$work/short.rscap" >/dev/null

# Prints "wall_seconds max_rss_kib" of a command (stdout discarded), from getrusage of the child.
measure() {
    "$PYTHON" -c 'import resource, subprocess, sys, time
start = time.monotonic()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
if code != 0: sys.exit(f"exit {code}: {sys.argv[1:]}")
print(f"{time.monotonic() - start:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")' "$@"
}
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
long="$(measure "$bin/rollsense" replay "$work/long.rscap" --speed max --json)"
short="$(measure "$bin/rollsense" replay "$work/short.rscap" --speed max --json)"
svg_run="$(measure "$bin/rollsense" report "$work/long.rscap" --svg "$work/long.svg")"
csv_run="$(measure "$bin/rollsense" export "$work/long.rscap" --csv "$work/long.csv")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
    echo "replay --speed max --json of ${long_seconds} s at 1 kHz x 4 channels ($(stat -c %s "$work/long.rscap") bytes)"
    echo "rollsense replay: ${long% *} s ($(ratio "$long_seconds" "${long% *}")x real time), max RSS ${long#* } KiB"
    echo "baseline 10-min capture: ${short% *} s, max RSS ${short#* } KiB; memory long/short $(ratio "${long#* }" "${short#* }")"
    echo "report --svg: ${svg_run% *} s ($(ratio "$long_seconds" "${svg_run% *}")x real time), max RSS ${svg_run#* } KiB, SVG $(($(stat -c %s "$work/long.svg") / 1024)) KiB"
    echo "export --csv: ${csv_run% *} s ($(ratio "$long_seconds" "${csv_run% *}")x real time), max RSS ${csv_run#* } KiB, CSV $(($(stat -c %s "$work/long.csv") / 1048576)) MiB"
    echo "baseline library loop (soak, same capture): replay $(field "$long_lib" replay_seconds) s, peak RSS $(field "$long_lib" peak_rss_kib) KiB; CLI/library time $(ratio "${long% *}" "$(field "$long_lib" replay_seconds)")"
} | tee "$out"
