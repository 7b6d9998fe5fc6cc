#!/usr/bin/env python3
"""Finds the highest sample rate each simulated build streams with no dropped samples over the
ATmega328P's UART at 115200 baud (simavr counts 11 bits a byte, about 10.5 kB/s).

For each rate tried it runs the harness unthrottled with a scenario that sends SET_RATE at 0.5 s,
records 4 s after the switch settles, and counts DROPPED_SAMPLES faults and sequence gaps
(Tools/wire_reference.py decodes). Deterministic: the same answer on every run.

  measure-rates.py [VARIANT ...]     default: sim-hx1 sim-fsr1 sim-hx4 sim-fsr4
"""
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "Tools"))
import wire_reference as wire  # noqa: E402

SIM = os.path.join(ROOT, "Firmware", "build", "sim", "rollsense-sim")
SWITCH_S, SETTLE_S, MEASURE_S = 0.5, 0.5, 4.0


def streams_cleanly(variant, rate, work):
    scenario = os.path.join(work, "rate.scenario")
    command = wire.encode_frame(wire.SET_RATE, bytes([1]) + struct.pack("<H", rate))
    with open(scenario, "w") as f:
        for channel in range(4):  # every input in range: no fault frames share the link
            f.write(f"0 hx711 {channel} 100000\n0 adc {channel} 2500\n")
        f.write(f"{SWITCH_S} send {command.hex()}\n")
    capture = os.path.join(work, "rate")
    elf = os.path.join(ROOT, "Firmware", "build", variant, "rollsense.elf")
    subprocess.run([SIM, "--no-pty", "--seconds", str(SWITCH_S + SETTLE_S + MEASURE_S), "--scenario", scenario,
                    "--capture", capture, elf], check=True, stderr=subprocess.DEVNULL)
    decoder = wire.Decoder()
    frames = decoder.feed(open(capture + ".bin", "rb").read())
    start_us = (SWITCH_S + SETTLE_S) * 1e6
    drops, samples, last_seq = 0, 0, None
    replied = False
    for frame_type, body in frames:
        if frame_type == wire.REPLY and body[0] == wire.SET_RATE:
            replied = body[2] == 0
        if frame_type == wire.FAULT:
            t_us, code, _, value = struct.unpack("<IBBI", body[:10])
            if code == 4 and t_us >= start_us:
                drops += value
        if frame_type == wire.SAMPLE:
            seq, t_us = struct.unpack("<HI", body[:6])
            if t_us >= start_us:
                if last_seq is not None and seq != (last_seq + 1) & 0xFFFF:
                    drops += 1
                last_seq = seq
                samples += 1
    if not replied:
        sys.exit(f"measure-rates: {variant} did not accept SET_RATE {rate}")
    # Every sample period accounted for: no drops and the expected count (+-1 at the edges).
    return drops == 0 and abs(samples - rate * MEASURE_S) <= 1


def main():
    variants = sys.argv[1:] or ["sim-hx1", "sim-fsr1", "sim-hx4", "sim-fsr4"]
    with tempfile.TemporaryDirectory() as work:
        for variant in variants:
            low, high = 1, 1000  # low streams cleanly; find the highest rate that does
            if streams_cleanly(variant, high, work):
                low = high
            while high - low > 1:
                middle = (low + high) // 2
                if streams_cleanly(variant, middle, work):
                    low = middle
                else:
                    high = middle
            print(f"{variant}: highest rate with no drops {low} Hz", flush=True)


if __name__ == "__main__":
    main()
