#!/usr/bin/env bash
# Voice and tone (issue 14), through the real ALSA path on ALSA's `null` device (this machine
# kind has no sound card and cannot load snd-aloop; `null` runs alsa-lib's open, hw/sw params and
# writei, and the output thread paces itself to real time as a card's buffer would).
#  1. The demo in real time with voice and tone on, rendered to bench-out/demo.wav as well:
#     latency from an event reaching the voice sink to ALSA accepting the cue's first sample
#     (the "audio" JSON line), and the table of cue times against event times.
#  2. CPU of a live session at 1 kHz on a pty (Tools/bench/live_latency.py, as 90-live-latency)
#     with --no-voice (the baseline) and with --tone --voice, VOICE_BENCH_SECONDS (default 20) each.
# Results in bench-out/92-voice.txt and bench-out/92-voice-cues.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${VOICE_BENCH_SECONDS:-20}"
out=bench-out/92-voice.txt
cues=bench-out/92-voice-cues.txt
mkdir -p bench-out
PYTHON=${PYTHON:-python3}
work="$(mktemp -d "${TMPDIR:-/tmp}/rollsense-voice-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"

swift build -c release --product rollsense >/dev/null
rollsense="$(swift build -c release --show-bin-path)/rollsense"

# 1. The demo, real time.
rm -f bench-out/demo.wav
"$rollsense" demo --tone --audio-device null --audio-out bench-out/demo.wav > "$work/demo.jsonl"
"$PYTHON" - "$work/demo.jsonl" > "$cues" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
events = {}
for e in lines:
    if e.get("type") == "event" and e.get("phase") != "end":
        events.setdefault(e["t"], e["reason"])
print("cue start (s)  event (s)  delay (ms)  event          phrase")
for c in (l for l in lines if l.get("type") == "cue"):
    print(f"{c['t']:13.3f}  {c['eventT']:9.3f}  {1000 * (c['t'] - c['eventT']):10.0f}  {events.get(c['eventT'], '?'):<14} {c['phrase']}")
audio = next(l for l in lines if l.get("type") == "audio")
print("audio:", json.dumps(audio))
PY

# 2. CPU of a live session, voice and tone off vs on. The harness presses 20 counts (20 N
# uncalibrated) for 1 s every 2.5 s; zones lowered so each press reaches stop and the tone sounds
# (continuous for ~1.5 s of every 2.5 s: the costliest pattern), in both runs alike.
mkdir -p "$XDG_CONFIG_HOME/rollsense"
echo '{"profileOverrides": {"zones": {"target": 4, "caution": 8, "stop": 12, "deadband": 1}}}' > "$XDG_CONFIG_HOME/rollsense/config.json"
live() {
    "$PYTHON" Tools/bench/live_latency.py "$seconds" "$1" "$rollsense" live --device '{dev}' --json --no-bell \
        --profile massage-ball-lower-back --data-dir "$work/data" --duration $((seconds + 30)) --audio-device null "${@:2}"
}
off_json="$(live voice-off --no-voice)"
on_json="$(LIVE_BENCH_LINES="$work/on.lines" live voice-on --voice --tone)"
field() { printf '%s\n' "$1" | sed -n "s/.*\"$2\": \([0-9.e+-]*\|null\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
on_audio="$(grep -o '{"type":"audio".*' "$work/on.lines" || echo '(no audio line)')"
{
    echo "demo, real time, voice + tone on ALSA 'null':"
    tail -n 1 "$cues"
    echo "live at 1 kHz on a pty, ${seconds} s each, ALSA 'null':"
    echo "  voice off: $off_json"
    echo "  voice on:  $on_json"
    echo "  voice on, audio: $on_audio"
    echo "CPU: voice+tone on $(field "$on_json" cpu_percent)%, off $(field "$off_json" cpu_percent)% (on/off $(ratio "$(field "$on_json" cpu_percent)" "$(field "$off_json" cpu_percent)"))"
    echo "event line latency: on median $(field "$on_json" event_median_ms) ms, off median $(field "$off_json" event_median_ms) ms"
} | tee "$out"
cat "$cues"
