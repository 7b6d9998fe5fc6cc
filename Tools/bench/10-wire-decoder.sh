#!/usr/bin/env bash
# Wire decoder benchmark: the Swift WireDecoder (release build) against the straightforward
# Python reference (Tools/wire_reference.py, the baseline) on the same 16 MiB stream of 4-channel
# SAMPLE frames with 1% of its bytes corrupted, fed in 4 KiB chunks. Fails if the two do not
# decode the same frames and counters. Figures land in bench-out/wire-decoder.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
out=bench-out
stream=$out/wire-bench.bin
mkdir -p "$out"

if [ ! -s "$stream" ]; then
    echo "making $stream (16 MiB, seeded: the same bytes every time)"
    "$PYTHON" Tools/wire_reference.py --make-bench-stream "$stream"
fi

swift build -c release --product bench-wire >/dev/null
swift_json=$("$(swift build -c release --show-bin-path)/bench-wire" "$stream")
python_json=$("$PYTHON" Tools/wire_reference.py --bench "$stream")

"$PYTHON" - "$swift_json" "$python_json" "$out/wire-decoder.json" <<'PY'
import json, sys
swift, python = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for run in (swift, python):
    run.setdefault("mb_per_s", run["bytes"] / run["seconds"] / 1e6)
    run.setdefault("frames_per_s", run["frames"] / run["seconds"])
if swift["frames"] != python["frames"] or swift["counters"] != python["counters"]:
    sys.exit(f"bench: Swift and Python decoded differently:\n  swift  {swift['counters']}\n  python {python['counters']}")
ratio = swift["mb_per_s"] / python["mb_per_s"]
print(f"{'decoder':<28} {'MB/s':>10} {'frames/s':>14} {'seconds':>9}")
print(f"{'Swift WireDecoder (release)':<28} {swift['mb_per_s']:>10.1f} {swift['frames_per_s']:>14,.0f} {swift['seconds']:>9.3f}")
print(f"{'Python reference (baseline)':<28} {python['mb_per_s']:>10.3f} {python['frames_per_s']:>14,.0f} {python['seconds']:>9.3f}")
print(f"{swift['bytes']:,} bytes, {swift['frames']:,} frames each, counters identical; Swift/Python = {ratio:,.0f}x")
json.dump(dict(swift=swift, python=python, ratio=ratio), open(sys.argv[3], "w"), indent=1)
PY
