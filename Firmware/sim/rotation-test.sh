#!/usr/bin/env bash
# The AS5600 path end to end in the harness (run by `make -C Firmware test`): the sim-roller
# firmware reads the simulated AS5600 over TWI, says so in its HELLO, sends each angle in a
# SAMPLE_EXTRA just before its SAMPLE, and reports an unplugged sensor and a lost magnet as
# FAULTs with "no reading" (-1), never as an angle that stopped changing.
set -euo pipefail
sim=${1:-../build/sim/rollsense-sim}
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/make-scenarios.py" "$work" >/dev/null
"$sim" --no-pty --seconds 12 --scenario "$work/rotation-faults.scenario" --capture "$work/r" \
    "$root/Firmware/build/sim-roller/rollsense.elf" 2>/dev/null
"$sim" --no-pty --seconds 1 --scenario "$work/rotation-faults.scenario" --capture "$work/plain" \
    "$root/Firmware/build/sim-hx4/rollsense.elf" 2>/dev/null

python3 - "$work" "$root/Tools" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[2])
import wire_reference as w
work = sys.argv[1]
def fail(msg):
    sys.exit(f"rotation-test: {msg}")
d = w.Decoder()
frames = d.feed(open(f"{work}/r.bin", "rb").read())
if d.counters["gaps"] or d.counters["crc"] or d.counters["malformed"] or d.counters["unknown"]:
    fail(f"bad frames: {d.counters}")
hello = frames[0][1]
n = hello[12]
if hello[13 + n:] != bytes([1, w.ANGLE]):
    fail(f"HELLO does not announce one angle channel: {hello.hex()}")
samples, pending = [], None
faults = []
for t, b in frames[1:]:
    if t == w.SAMPLE_EXTRA:
        pending = b
    elif t == w.SAMPLE:
        if pending is None or pending[:2] != b[:2]:
            fail(f"SAMPLE {b[:2].hex()} without its SAMPLE_EXTRA")
        angle = int.from_bytes(pending[2:5], "little", signed=True)
        samples.append((struct.unpack("<I", b[2:6])[0] / 1e6, angle))
        pending = None
    elif t == w.FAULT:
        faults.append(struct.unpack("<IBBI", b[:10]))
missing = [(t, a) for t, a in samples if a == -1]
outside = [(t, a) for t, a in missing if not (3.0 <= t < 5.02 or 7.0 <= t < 9.02)]
if outside or len(missing) < 390:
    fail(f"{len(missing)} samples without an angle; outside the fault windows: {outside[:5]}")
good = [(t, a) for t, a in samples if a != -1]
# The scenario turns at 30 degrees/s = 341 counts/s; successive good readings 10 ms apart move
# by about 3.4 counts plus noise, never stand still for long.
steps = [(a2 - a1) % 4096 for (t1, a1), (t2, a2) in zip(good, good[1:]) if t2 - t1 < 0.015]
mean = sum(steps) / len(steps)
if not 3.0 < mean < 3.9:
    fail(f"angle moves {mean:.2f} counts a sample, expected about 3.4")
codes = {(code, channel, value) for _, code, channel, value in faults}
if (3, 4, 1) not in codes:
    fail(f"no DISCONNECTED (no answer) on channel 4 while unplugged: {faults}")
if not any(code == 6 and channel == 4 for code, channel, _ in codes):
    fail(f"no MAGNET fault while the magnet was gone: {faults}")
plain = w.Decoder().feed(open(f"{work}/plain.bin", "rb").read())
if any(t == w.SAMPLE_EXTRA for t, _ in plain) or len(plain[0][1]) != 13 + plain[0][1][12]:
    fail("a build without the AS5600 sends extra channels")
print(f"rotation-test: {len(samples)} samples, {len(missing)} without an angle in the fault windows, "
      f"{mean:.2f} counts/sample, faults {sorted(codes)}")
PY

printf '0 angle 1 10\n' >"$work/bad.scenario"
if "$sim" --no-pty --seconds 1 --scenario "$work/bad.scenario" "$root/Firmware/build/sim-roller/rollsense.elf" 2>"$work/bad.log"; then
    echo "rotation-test: a bad angle line was accepted" >&2; exit 1
fi
grep -q "bad.scenario:1: angle channel 1" "$work/bad.log" || { echo "rotation-test: unclear error: $(cat "$work/bad.log")" >&2; exit 1; }
