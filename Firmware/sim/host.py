#!/usr/bin/env python3
"""A small host for the simulator: opens its pty, sends commands, decodes what the firmware says
with Tools/wire_reference.py and prints a JSON summary. Used by smoke-test.sh and
measure-rates.sh; the project's real host is the Swift package.

  host.py PTY [--seconds S] [--send CMD ...]
  CMD: ping, info, start, stop, rate=N, mode=N, raw=HEX (a raw command type + body), wait=S
"""
import argparse
import json
import os
import select
import struct
import sys
import termios
import time
import tty

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tools"))
import wire_reference as wire  # noqa: E402

NAMES = {wire.HELLO: "hello", wire.SAMPLE: "sample", wire.FAULT: "fault", wire.REPLY: "reply"}


def command_bytes(word, tag):
    if word == "ping":
        return wire.encode_frame(wire.PING, bytes([tag]) + b"rollsense")
    if word == "info":
        return wire.encode_frame(wire.GET_INFO, bytes([tag]))
    if word == "start":
        return wire.encode_frame(wire.START, bytes([tag]))
    if word == "stop":
        return wire.encode_frame(wire.STOP, bytes([tag]))
    if word.startswith("rate="):
        return wire.encode_frame(wire.SET_RATE, bytes([tag]) + struct.pack("<H", int(word[5:])))
    if word.startswith("mode="):
        return wire.encode_frame(wire.SET_MODE, bytes([tag, int(word[5:])]))
    if word.startswith("raw="):
        raw = bytes.fromhex(word[4:])
        return wire.encode_frame(raw[0], bytes([tag]) + raw[1:])
    raise SystemExit(f"host.py: unknown command '{word}'")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pty")
    parser.add_argument("--seconds", type=float, default=3.0, help="wall-clock seconds to listen after the commands")
    parser.add_argument("--send", nargs="*", default=[])
    parser.add_argument("--raw-out", help="also write every byte received to this file")
    args = parser.parse_args()

    fd = os.open(args.pty, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    # The harness decodes at the rate the host set, as a real UART does: the firmware's 115200.
    attributes = termios.tcgetattr(fd)
    attributes[4] = attributes[5] = termios.B115200
    termios.tcsetattr(fd, termios.TCSANOW, attributes)
    received = bytearray()

    def pump(seconds):
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                received.extend(chunk)

    pump(0.3)
    for tag, word in enumerate(args.send, start=1):
        if word.startswith("wait="):
            pump(float(word[5:]))
            continue
        os.write(fd, command_bytes(word, tag))
        pump(0.2)
    pump(args.seconds)
    os.close(fd)
    if args.raw_out:
        with open(args.raw_out, "wb") as f:
            f.write(received)

    decoder = wire.Decoder()
    frames = decoder.feed(bytes(received))
    summary = dict(bytes=len(received), counters=decoder.counters, samples=0, hellos=[], faults=[], replies=[])
    times = []
    for frame_type, body in frames:
        if frame_type == wire.SAMPLE:
            summary["samples"] += 1
            times.append(struct.unpack("<I", body[2:6])[0])
        elif frame_type == wire.HELLO:
            summary["hellos"].append(body.hex())
        elif frame_type == wire.FAULT:
            t_us, code, channel, value = struct.unpack("<IBBI", body[:10])
            summary["faults"].append(dict(t_us=t_us, code=code, channel=channel, value=value))
        elif frame_type == wire.REPLY:
            summary["replies"].append(dict(command=body[0], tag=body[1], status=body[2], data=body[3:].hex()))
    if len(times) > 1:
        span = (times[-1] - times[0]) & 0xFFFFFFFF
        summary["sample_rate_hz"] = round((len(times) - 1) / (span / 1e6), 2) if span else None
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
