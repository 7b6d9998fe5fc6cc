#!/usr/bin/env bash
# The alarm-quality table (docs/SAFETY.md, "Alarm quality"): every labelled session in
# Fixtures/sessions/ through `rollsense simulate --scenario` feeding `rollsense live --json`,
# checked against its labels. Results in bench-out/95-alarm-quality.txt. The same live sessions
# speak their cues to bench-out/sessions/NAME.wav (and the tone alone, from their recordings, to
# NAME-tone.wav): the cue-against-event table of every session is in bench-out/95-cues.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench-out
swift build -c release --product rollsense >/dev/null
bin="$(swift build -c release --show-bin-path)"
"${PYTHON:-python3}" Tools/bench/alarm_quality.py "$bin/rollsense" --audio-dir bench-out/sessions | tee bench-out/95-alarm-quality.txt
for jsonl in bench-out/sessions/*.jsonl; do
    case "$jsonl" in *-tone.jsonl) continue ;; esac
    name="$(basename "$jsonl" .jsonl)"
    "${PYTHON:-python3}" Tools/bench/cue_table.py "$jsonl" "bench-out/sessions/$name.wav" "== $name"
    echo
done > bench-out/95-cues.txt
echo "cue tables: bench-out/95-cues.txt; WAVs: bench-out/sessions/"
