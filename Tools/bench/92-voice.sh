#!/usr/bin/env bash
# Voice and tone (issue 14), through the real ALSA path on ALSA's `null` device (this machine
# kind has no sound card and cannot load snd-aloop; `null` runs alsa-lib's open, hw/sw params and
# writei, and the output thread paces itself to real time as a card's buffer would).
#  1. The demo in real time with voice and tone on, rendered to bench-out/demo.wav as well:
#     latency from an event reaching the voice sink to ALSA accepting the cue's first sample
#     (the "audio" JSON line), and the table of cue times against event times, with each cue's
#     onset measured in a voice-only render (bench-out/demo-voice.wav).
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
# The same cues without the tone, fast, so their onsets can be heard (measured) in the file.
rm -f bench-out/demo-voice.wav
ALSA_CONFIG_PATH=/dev/null "$rollsense" demo --speed 20 --audio-out bench-out/demo-voice.wav > "$work/voice.jsonl" 2>/dev/null
{
    "$PYTHON" Tools/bench/cue_table.py "$work/demo.jsonl" bench-out/demo-voice.wav
    echo "audio: $(grep -o '{"type":"audio".*' "$work/demo.jsonl")"
} > "$cues"

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
