#!/usr/bin/env bash
# The alarm-quality table (docs/SAFETY.md, "Alarm quality"): every labelled session in
# Fixtures/sessions/ through `rollsense simulate --scenario` feeding `rollsense live --json`,
# checked against its labels. Results in bench-out/95-alarm-quality.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench-out
swift build -c release --product rollsense >/dev/null
bin="$(swift build -c release --show-bin-path)"
"${PYTHON:-python3}" Tools/bench/alarm_quality.py "$bin/rollsense" | tee bench-out/95-alarm-quality.txt
