#!/usr/bin/env bash
# Live mode at 1 kHz on a pty: `rollsense live --json` (release build, massage-ball profile, one
# channel) against a pyserial reader doing the same parsing (Tools/bench/pyserial_reader.py, the
# baseline), each fed the same LIVE_BENCH_SECONDS (default 20) of SAMPLE frames written at 1 kHz by
# Tools/bench/live_latency.py. Prints CPU use and the latency from a frame written to the pty to
# the line about it on the reader's stdout (median and p99), and the ratios.
# Results in bench-out/90-live-latency.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${LIVE_BENCH_SECONDS:-20}"
out=bench-out/90-live-latency.txt
mkdir -p bench-out
PYTHON=${PYTHON:-python3}
work="$(mktemp -d "${TMPDIR:-/tmp}/rollsense-live-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT

swift build -c release --product rollsense >/dev/null
rollsense="$(swift build -c release --show-bin-path)/rollsense"
venv=bench-out/venv-pyserial
if [ ! -x "$venv/bin/python" ]; then
    "$PYTHON" -m venv "$venv" >/dev/null
    "$venv/bin/pip" install --quiet --disable-pip-version-check pyserial >/dev/null
fi

swift_json="$(XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" "$venv/bin/python" Tools/bench/live_latency.py "$seconds" rollsense \
    "$rollsense" live --device '{dev}' --json --no-bell --profile massage-ball-lower-back --data-dir "$work/data" --duration $((seconds + 30)))"
python_json="$("$venv/bin/python" Tools/bench/live_latency.py "$seconds" pyserial "$venv/bin/python" Tools/bench/pyserial_reader.py '{dev}')"
field() { printf '%s\n' "$1" | sed -n "s/.*\"$2\": \([0-9.e+-]*\|null\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
{
    echo "live at 1 kHz on a pty, ${seconds} s each: latency frame written -> line on stdout (ms), CPU of the reader"
    echo "rollsense: $swift_json"
    echo "pyserial:  $python_json"
    echo "readings: rollsense median $(field "$swift_json" reading_median_ms) p99 $(field "$swift_json" reading_p99_ms); pyserial median $(field "$python_json" reading_median_ms) p99 $(field "$python_json" reading_p99_ms)"
    echo "events:   rollsense median $(field "$swift_json" event_median_ms) p99 $(field "$swift_json" event_p99_ms); pyserial median $(field "$python_json" event_median_ms) p99 $(field "$python_json" event_p99_ms)"
    echo "CPU: rollsense $(field "$swift_json" cpu_percent)%, pyserial $(field "$python_json" cpu_percent)% (pyserial/rollsense $(ratio "$(field "$python_json" cpu_percent)" "$(field "$swift_json" cpu_percent)"))"
} | tee "$out"
