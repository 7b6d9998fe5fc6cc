#!/usr/bin/env bash
# Runs the built firmware in the harness and checks what it says, with the Python reference
# decoder (Tools/wire_reference.py): hello, 100 Hz samples with no gaps, the not-ready fault of
# a dead HX711, same bytes on every unthrottled run, and commands answered over the pty.
set -euo pipefail
sim=${1:-../build/sim/rollsense-sim}
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
elf=$root/Firmware/build/sim-hx4/rollsense.elf
scenario=$root/Fixtures/firmware/scenarios/e2e-steady.scenario
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$sim" --no-pty --seconds 3 --scenario "$scenario" --capture "$work/a" "$elf" 2>/dev/null
"$sim" --no-pty --seconds 3 --scenario "$scenario" --capture "$work/b" "$elf" 2>/dev/null
cmp -s "$work/a.bin" "$work/b.bin" || { echo "smoke-test: two unthrottled runs gave different bytes" >&2; exit 1; }

python3 - "$work/a.bin" "$root/Tools" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[2])
import wire_reference as w
d = w.Decoder()
frames = d.feed(open(sys.argv[1], "rb").read())
def fail(msg):
    sys.exit(f"smoke-test: {msg}; counters {d.counters}")
if not frames or frames[0][0] != w.HELLO:
    fail("first frame is not a HELLO")
samples = [b for t, b in frames if t == w.SAMPLE]
faults = [struct.unpack("<IBBI", b[:10]) for t, b in frames if t == w.FAULT]
if d.counters["gaps"] or d.counters["crc"] or d.counters["malformed"]:
    fail("gaps or bad frames")
if not 295 <= len(samples) <= 300:
    fail(f"{len(samples)} samples in 3 s at 100 Hz")
not_ready = [f for f in faults if f[1] == 1 and f[2] == 2]
if not not_ready or not 1.5e6 < not_ready[0][0] < 1.7e6:
    fail(f"no SENSOR_NOT_READY on channel 2 after 1.5 s: {faults}")
print(f"smoke-test: {len(samples)} samples, no gaps, faults {faults}")
PY

# A bad scenario is refused with its file and line, and a non-zero exit.
printf '0 hx711 0 100\n1 hx711 9 5\n' >"$work/bad.scenario"
if "$sim" --no-pty --seconds 1 --scenario "$work/bad.scenario" "$elf" 2>"$work/bad.log"; then
    echo "smoke-test: a bad scenario was accepted" >&2; exit 1
fi
grep -q "bad.scenario:2: hx711 channel 9" "$work/bad.log" || { echo "smoke-test: unclear error: $(cat "$work/bad.log")" >&2; exit 1; }

# Over the pty, in real time: ping, an unknown command and a bad rate are answered.
"$sim" --realtime --seconds 20 --pty-file "$work/pty" --scenario "$scenario" "$elf" >/dev/null 2>"$work/sim.log" &
pid=$!
for _ in $(seq 50); do [ -s "$work/pty" ] && break; sleep 0.1; done
python3 "$here/host.py" "$(cat "$work/pty")" --seconds 0.5 --send ping raw=99 rate=0 >"$work/host.json"
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
python3 - "$work/host.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
replies = {(r["command"], r["status"]) for r in s["replies"]}
want = {(0x81, 0), (0x99, 1), (0x85, 2)}
if not want <= replies or not s["hellos"] or s["counters"]["gaps"]:
    sys.exit(f"smoke-test: over the pty got {s}")
print(f"smoke-test: pty round trip ok, {s['samples']} samples, replies {sorted(replies)}")
PY
