#!/usr/bin/env bash
# The whole signal pipeline (bench-signal, release build) on a synthetic session of
# SIGNAL_BENCH_SAMPLES samples x 4 channels (default 10 million), beside the same chain in
# numpy/scipy (Tools/bench/signal_baseline.py) in this same command. Prints samples/s, the
# ratio, peak memory, and the allocation calls counted inside the pipeline's timed loop
# (malloc_counter.c preloaded). Results also go to bench-out/20-signal-pipeline.txt.
# SIGNAL_BENCH_SAMPLES and SIGNAL_BENCH_PASSES override the defaults (10 million, 3).
set -euo pipefail
cd "$(dirname "$0")/../.."
samples="${SIGNAL_BENCH_SAMPLES:-10000000}"
passes="${SIGNAL_BENCH_PASSES:-3}"  # each side reports its fastest pass (shared machine)
python="${PYTHON:-python3}"
out=bench-out/20-signal-pipeline.txt
mkdir -p bench-out

swift build -c release --product bench-signal >/dev/null
bin="$(swift build -c release --show-bin-path)/bench-signal"

counter=bench-out/malloc_counter.so
preload=()
if cc -O2 -shared -fPIC -o "$counter" Tools/bench/malloc_counter.c 2>/dev/null; then
    preload=(env "LD_PRELOAD=$PWD/$counter")
fi

swift_out="$("${preload[@]}" "$bin" "$samples" foam-roller-lower-back "$passes")"
numpy_out="$("$python" Tools/bench/signal_baseline.py "$samples" "$passes")"

value() { printf '%s\n' "$1" | sed -n "s/^$2=//p"; }
swift_rate="$(value "$swift_out" swift.samples_per_second)"
numpy_rate="$(value "$numpy_out" numpy.samples_per_second)"
ratio="$(awk -v a="$swift_rate" -v b="$numpy_rate" 'BEGIN { printf "%.1f", a / b }')"
{
    echo "samples: $samples x 4 channels, 1 kHz synthetic rolling session, profile foam-roller-lower-back; fastest of $passes passes each"
    echo "load   : $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores"
    echo "swift  : $(awk -v r="$swift_rate" 'BEGIN { printf "%.2f", r / 1e6 }') M samples/s ($(value "$swift_out" swift.nanoseconds_per_sample | cut -c1-5) ns/sample), peak RSS $(value "$swift_out" swift.vmhwm_kib) KiB (pipeline state $(value "$swift_out" swift.pipeline_state_bytes) bytes), events $(value "$swift_out" swift.events)"
    echo "numpy  : $(awk -v r="$numpy_rate" 'BEGIN { printf "%.2f", r / 1e6 }') M samples/s, peak RSS $(value "$numpy_out" numpy.peak_rss_kib) KiB ($(value "$numpy_out" numpy.versions))"
    echo "ratio  : swift / numpy = ${ratio}x"
    echo "allocation calls inside the timed pipeline loop: $(value "$swift_out" swift.allocation_calls_in_pipeline) (whole process: $(value "$swift_out" swift.allocation_calls_total))"
    echo "contact time: swift $(value "$swift_out" swift.contact_seconds) s, numpy $(value "$numpy_out" numpy.contact_seconds) s"
} | tee "$out"
