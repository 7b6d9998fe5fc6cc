#!/usr/bin/env bash
# The signal pipeline with the rotation channels on vs off (issue 18): bench-signal (release) on the
# same synthetic 1 kHz session of ROTATION_BENCH_SAMPLES samples, once plain and once with the
# sensor's channels in every sample and position tracking on, in this same command, for the roller
# (4 load cells, an AS5600 angle) and for the ball (1 load cell, ADNS-3080 x/y motion and the 2-D
# grid); prints samples/s of each and the ratios. Results also go to bench-out/25-rotation.txt.
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
ball_off="$("$bin" "$samples" massage-ball-lower-back "$passes")"
ball_on="$("$bin" "$samples" massage-ball-lower-back "$passes" ball)"

value() { printf '%s\n' "$1" | sed -n "s/^$2=//p"; }
off_rate="$(value "$off" swift.samples_per_second)"
on_rate="$(value "$on" swift.samples_per_second)"
ball_off_rate="$(value "$ball_off" swift.samples_per_second)"
ball_on_rate="$(value "$ball_on" swift.samples_per_second)"
{
    echo "samples: $samples x 4 channels, 1 kHz synthetic rolling session, profile foam-roller-lower-back; fastest of $passes passes each"
    echo "load    : $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores"
    echo "rotation off: $(awk -v r="$off_rate" 'BEGIN { printf "%.2f", r / 1e6 }') M samples/s"
    echo "rotation on : $(awk -v r="$on_rate" 'BEGIN { printf "%.2f", r / 1e6 }') M samples/s, $(value "$on" swift.position_bands) bands"
    echo "ratio   : on / off = $(awk -v a="$on_rate" -v b="$off_rate" 'BEGIN { printf "%.2f", a / b }')"
    echo "same force result: $([ "$(value "$on" swift.checksum)" = "$(value "$off" swift.checksum)" ] && echo yes || echo no)"
    echo "ball, profile massage-ball-lower-back, 1 channel:"
    echo "ball off: $(awk -v r="$ball_off_rate" 'BEGIN { printf "%.2f", r / 1e6 }') M samples/s"
    echo "ball on : $(awk -v r="$ball_on_rate" 'BEGIN { printf "%.2f", r / 1e6 }') M samples/s, $(value "$ball_on" swift.position_cells) cells"
    echo "ratio   : on / off = $(awk -v a="$ball_on_rate" -v b="$ball_off_rate" 'BEGIN { printf "%.2f", a / b }')"
    echo "same force result: $([ "$(value "$ball_on" swift.checksum)" = "$(value "$ball_off" swift.checksum)" ] && echo yes || echo no)"
} | tee "$out"
