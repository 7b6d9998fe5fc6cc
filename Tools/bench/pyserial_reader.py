#!/usr/bin/env python3
"""Baseline for Tools/bench/90-live-latency.sh: a pyserial reader doing the same parsing as
`rollsense live --json` on one channel: COBS, CRC-16, frame checks and sequence/time unwrapping
(Tools/wire_reference.py's Decoder), force = the counts, contact with hysteresis and the
massage-ball profile's delays (on 3 N for 0.2 s, off 1.5 N for 0.5 s), a reading line every
100 ms of device time and an event line per contact change, flushed as written.

usage: pyserial_reader.py DEVICE
"""
import json
import os
import struct
import sys

import serial

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import wire_reference as wire  # noqa: E402


def main():
    port = serial.Serial(sys.argv[1], 115200, timeout=0.05)
    decoder = wire.Decoder()
    origin = None
    last_shown = None
    contact = False
    pending_since = None
    out = sys.stdout
    while True:
        # What is waiting, or block for one byte (the usual pyserial idiom; read(4096) would wait
        # for 4096 bytes or the timeout).
        chunk = port.read(port.in_waiting or 1)
        if not chunk:
            continue
        frames = decoder.feed(chunk)
        times = iter(decoder.times)  # one unwrapped time per SAMPLE, in order
        decoder.times = []
        for frame_type, body in frames:
            if frame_type != wire.SAMPLE:
                continue
            t_us = next(times)
            force = sum(struct.unpack("<i", body[i:i + 3] + (b"\xff" if body[i + 2] & 0x80 else b"\x00"))[0]
                        for i in range(6, len(body), 3))
            if origin is None:
                origin = t_us
            t = (t_us - origin) / 1e6
            wanted = force < 1.5 if contact else force >= 3
            if not wanted:
                pending_since = None
            else:
                pending_since = t_us if pending_since is None else pending_since
                if t_us - pending_since >= (500_000 if contact else 200_000):
                    contact = not contact
                    pending_since = None
                    out.write(json.dumps({"type": "event", "t": round(t, 3), "kind": "contact",
                                          "phase": "start" if contact else "end", "forceN": force}) + "\n")
                    out.flush()
            if last_shown is None or t_us - last_shown >= 100_000:
                last_shown = t_us
                out.write(json.dumps({"type": "reading", "t": round(t, 3), "forceN": force, "contact": contact}) + "\n")
                out.flush()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
