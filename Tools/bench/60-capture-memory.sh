#!/usr/bin/env bash
# Capture files: is reading streaming (flat memory whatever the length)? Writes a 1-minute and a
# CAPTURE_BENCH_HOURS-hour capture (default 1; 8 is the issue's worst case, ~720 MB) of a 1 kHz,
# 4-channel device (23 bytes per SAMPLE frame, docs/PROTOCOL.md: 23 kB/s) in reads of 230 bytes
# (10 ms), then reads both back with CaptureReader (store-test-tool, release build). Prints the
# peak RSS of the long read as a ratio of the short one's (flat = 1.0), and read throughput as a
# ratio of `cat FILE > /dev/null` on the same file in the same run. Results in bench-out/60-capture-memory.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
hours="${CAPTURE_BENCH_HOURS:-1}"
out=bench-out/60-capture-memory.txt
work="$(mktemp -d "${TMPDIR:-/tmp}/rollsense-capture-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p bench-out

swift build -c release --product store-test-tool >/dev/null
tool="$(swift build -c release --show-bin-path)/store-test-tool"
rate=23000
seconds_long=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')

field() { printf '%s\n' "$1" | sed -n "s/.*\"$2\":\([0-9.e+-]*\).*/\1/p"; }
now() { date +%s.%N; }

write_short="$("$tool" capture-generate "$work/short.rscap" "$rate" 60 230)"
write_long="$("$tool" capture-generate "$work/long.rscap" "$rate" "$seconds_long" 230)"
read_short="$("$tool" capture-read "$work/short.rscap")"
read_long="$("$tool" capture-read "$work/long.rscap")"
start=$(now); cat "$work/long.rscap" >/dev/null; cat_seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')

size_long=$(stat -c %s "$work/long.rscap")
{
    echo "capture: 1 kHz x 4 channels (23000 B/s) in 230-byte reads; short 60 s, long ${hours} h ($((size_long / 1048576)) MiB on disk)"
    echo "read peak RSS: short $(field "$read_short" peakRSSKiB) KiB, long $(field "$read_long" peakRSSKiB) KiB, ratio long/short $(awk -v a="$(field "$read_long" peakRSSKiB)" -v b="$(field "$read_short" peakRSSKiB)" 'BEGIN { printf "%.2f", a / b }')"
    echo "write peak RSS: short $(field "$write_short" peakRSSKiB) KiB, long $(field "$write_long" peakRSSKiB) KiB"
    echo "read throughput: CaptureReader $(awk -v b="$size_long" -v s="$(field "$read_long" seconds)" 'BEGIN { printf "%.0f", b / s / 1048576 }') MiB/s, cat $(awk -v b="$size_long" -v s="$cat_seconds" 'BEGIN { printf "%.0f", b / s / 1048576 }') MiB/s, ratio reader/cat $(awk -v a="$cat_seconds" -v b="$(field "$read_long" seconds)" 'BEGIN { printf "%.2f", a / b }')"
    echo "write throughput (with a sync a second): $(awk -v b="$size_long" -v s="$(field "$write_long" seconds)" 'BEGIN { printf "%.0f", b / s / 1048576 }') MiB/s, $(awk -v h="$hours" -v s="$(field "$write_long" seconds)" 'BEGIN { printf "%.0f", h * 3600 / s }')x real time"
    echo "long read: $(field "$read_long" chunks) chunks, $(field "$read_long" bytes) bytes, $(field "$read_long" warnings) warnings"
} | tee "$out"
