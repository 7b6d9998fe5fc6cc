#!/usr/bin/env bash
# The signal pipeline with the rotation channel on vs off (issue 18): bench-signal (release) on the
# same synthetic 1 kHz session of ROTATION_BENCH_SAMPLES samples x 4 channels, once plain and once
# with an AS5600 angle in every sample and position tracking on, in this same command; prints
# samples/s of each and the ratio. Results also go to bench-out/25-rotation.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
samples="${ROTATION_BENCH_SAMPLES:-5000000}"
passes="${ROTATION_BENCH_PASSES:-3}"  # each side reports its fastest pass (shared machine)
out=bench-out/25-rotation.txt
mkdir -p bench-out

swift build -c release --product bench-signal >/dev/null
bin="$(swift build -c release --show-bin-path)/bench-signal"
off="$("$bin" "$samples" foam-roller-lower-back "$passes")"
on="$("$bin" "$samples" foam-roller-lower-back "$passes" rotation)"

value() { printf '%s\n' "$1" | sed -n "s/^$2=//p"; }
off_rate="$(value "$off" swift.samples_per_second)"
on_rate="$(value "$on" swift.samples_per_second)"
{
    echo "samples: $samples x 4 channels, 1 kHz synthetic rolling session, profile foam-roller-lower-back; fastest of $passes passes each"
    echo "load    : $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores"
    echo "rotation off: $(awk -v r="$off_rate" 'BEGIN { printf "%.2f", r / 1e6 }') M samples/s"
    echo "rotation on : $(awk -v r="$on_rate" 'BEGIN { printf "%.2f", r / 1e6 }') M samples/s, $(value "$on" swift.position_bands) bands"
    echo "ratio   : on / off = $(awk -v a="$on_rate" -v b="$off_rate" 'BEGIN { printf "%.2f", a / b }')"
    echo "same force result: $([ "$(value "$on" swift.checksum)" = "$(value "$off" swift.checksum)" ] && echo yes || echo no)"
} | tee "$out"
