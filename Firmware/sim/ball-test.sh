#!/usr/bin/env bash
# The ADNS-3080 path end to end in the harness (run by `make -C Firmware test`): the sim-ball
# firmware reads the simulated sensor over SPI, announces x/y motion in its HELLO, sends each
# sample's counts in a SAMPLE_EXTRA, sums them to the ball's travel times the scale error, and
# reports an unplugged or blind sensor as FAULTs with "no reading", never as a ball that stopped.
set -euo pipefail
sim=${1:-../build/sim/rollsense-sim}
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/make-scenarios.py" "$work" >/dev/null
"$sim" --no-pty --seconds 8 --scenario "$work/ball-faults.scenario" --capture "$work/b" \
    "$root/Firmware/build/sim-ball/rollsense.elf" 2>/dev/null

python3 - "$work" "$root/Tools" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[2])
import wire_reference as w
work = sys.argv[1]
def fail(msg):
    sys.exit(f"ball-test: {msg}")
d = w.Decoder()
frames = d.feed(open(f"{work}/b.bin", "rb").read())
if d.counters["gaps"] or d.counters["crc"] or d.counters["malformed"] or d.counters["unknown"]:
    fail(f"bad frames: {d.counters}")
hello = frames[0][1]
n = hello[12]
if hello[13 + n:] != bytes([2, w.MOTION_X, w.MOTION_Y]):
    fail(f"HELLO does not announce x and y motion: {hello.hex()}")
samples, pending, faults = [], None, []
for t, b in frames[1:]:
    if t == w.SAMPLE_EXTRA:
        pending = b
    elif t == w.SAMPLE:
        if pending is None or pending[:2] != b[:2]:
            fail(f"SAMPLE {b[:2].hex()} without its SAMPLE_EXTRA")
        x = int.from_bytes(pending[2:5], "little", signed=True)
        y = int.from_bytes(pending[5:8], "little", signed=True)
        samples.append((struct.unpack("<I", b[2:6])[0] / 1e6, x, y))
        pending = None
    elif t == w.FAULT:
        faults.append(struct.unpack("<IBBI", b[:10]))
none = w.NO_MOTION_READING
missing = [s for s in samples if s[1] == none]
if any((s[1] == none) != (s[2] == none) for s in samples):
    fail("x without y or y without x")
outside = [s for s in missing if not (2.0 <= s[0] < 4.05 or 5.0 <= s[0] < 6.05)]
if outside or len(missing) < 295:  # 2 s unplugged and 1 s blind at 100 Hz
    fail(f"{len(missing)} samples without motion; outside the fault windows: {outside[:5]}")
# 40 mm/s along y, scale 1.01, at 400 counts per inch: 0.636 counts a sample; 0-2 s sums to 80.8 mm.
first = [s for s in samples if s[0] < 1.995]
y_mm = sum(s[2] for s in first) * 25.4 / 400
x_counts = sum(abs(s[1]) for s in first)
if abs(y_mm - 80.8 * 1.995 / 2) > 1.0 or x_counts > 0:
    fail(f"0-2 s: y {y_mm:.2f} mm (expected {80.8 * 1.995 / 2:.2f}), x {x_counts} counts (expected 0)")
codes = {(code, channel) for _, code, channel, _ in faults}
if (3, 4) not in codes:
    fail(f"no DISCONNECTED on channel 4 while unplugged: {faults}")
if not any(code == 1 and channel == 4 and value < 8 and 5 <= t / 1e6 < 6.1 for t, code, channel, value in faults):
    fail(f"no SENSOR_NOT_READY (low SQUAL) on channel 4 while blind: {faults}")
print(f"ball-test: {len(samples)} samples, {len(missing)} without motion in the fault windows, "
      f"0-2 s y {y_mm:.2f} mm, faults {sorted(codes)}")
PY

printf '0 ball z 10\n' >"$work/bad.scenario"
if "$sim" --no-pty --seconds 1 --scenario "$work/bad.scenario" "$root/Firmware/build/sim-ball/rollsense.elf" 2>"$work/bad.log"; then
    echo "ball-test: a bad ball line was accepted" >&2; exit 1
fi
grep -q "bad.scenario:1: ball axis 'z'" "$work/bad.log" || { echo "ball-test: unclear error: $(cat "$work/bad.log")" >&2; exit 1; }
