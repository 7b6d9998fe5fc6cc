#!/usr/bin/env python3
"""Prints the table of cue times against event times for one rendered session: the cue lines of
its JSON lines (`"type": "cue"`), the onset of each stretch heard in its voice-only WAV (10 ms
frames above RMS 150, pauses up to 0.15 s joined: how VoiceCommandTests hears them), and the
event each cue answers.

usage: cue_table.py SESSION.jsonl VOICE.wav [TITLE]
"""
import json
import struct
import sys
import wave


def onsets(path):
    w = wave.open(path)
    rate, n = w.getframerate(), w.getnframes()
    data = struct.unpack("<%dh" % n, w.readframes(n))
    size = rate // 100
    found, last_end = [], -1.0
    for i in range(0, n - size, size):
        frame = data[i:i + size]
        if (sum(x * x for x in frame) / size) ** 0.5 > 150:
            t = i / rate
            if t - last_end > 0.15:
                found.append(t)
            last_end = t + size / rate
    return found


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
    events = {}
    for e in lines:
        if e.get("type") == "event" and e.get("phase") != "end":
            events.setdefault(e["t"], e["reason"])
    heard = onsets(sys.argv[2])
    cues = [l for l in lines if l.get("type") == "cue"]
    if len(sys.argv) > 3:
        print(sys.argv[3])
    print("cue start (s)  heard in WAV (s)  event (s)  heard - event (ms)  event          phrase")
    # A cue that cuts off the one playing is heard inside its stretch: it has no onset of its own.
    stretches = iter(heard)
    for c in cues:
        h = None if c.get("interrupts") else next(stretches, None)
        hs = f"{h:16.3f}" if h is not None else f"{'(cuts in)' if c.get('interrupts') else '-':>16}"
        d = f"{1000 * (h - c['eventT']):18.0f}" if h is not None else f"{'-':>18}"
        print(f"{c['t']:13.3f}  {hs}  {c['eventT']:9.3f}  {d}  {events.get(c['eventT'], '?'):<14} {c['phrase']}")
    print(f"stretches heard: {len(heard)}, cues: {len(cues)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
