#!/usr/bin/env python3
"""Writes the seed corpora for the Fuzz/ targets from Fixtures/protocol (not committed: they are
rebuilt by Tools/fuzz/10-wire.sh into bench-out/fuzz/).

usage: make_wire_corpus.py OUT_DIR   ->  OUT_DIR/seeds-FuzzWireDecoder, OUT_DIR/seeds-FuzzPlotterText
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "Tools"))
import wire_reference  # noqa: E402

TEXT_SEEDS = [
    b"12 34\n56 78\n",
    b"ce_N:3.2\nforce_N:3.3\tload_kg:0.5\r\nforce_N:-1e-2,lbs:2\n",
    b"1,2,3,4,5,6\n\n  \nRollSense ready\n-0.5e+3 .5 5.\n",
    b"a:1 b:2\r\nweight_g:1000\r\n" + b"9" * 300 + b"\n7\n",
    b"nan inf ovf\n0x10\n1e999\n123456789012345678901234567890\n",
]


def main():
    out = sys.argv[1]
    wire_dir = os.path.join(out, "seeds-FuzzWireDecoder")
    text_dir = os.path.join(out, "seeds-FuzzPlotterText")
    os.makedirs(wire_dir, exist_ok=True)
    os.makedirs(text_dir, exist_ok=True)
    count = 0
    for name, data in wire_reference.vector_cases():
        if data is None:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        with open(os.path.join(wire_dir, slug), "wb") as f:
            f.write(data)
        count += 1
    # A text stream that switches to frames, and frames that switch to text.
    switch = wire_reference.encode_frame(wire_reference.REPLY, wire_reference.reply_body(0x86, 1, 0))
    sample = wire_reference.encode_frame(wire_reference.SAMPLE, wire_reference.sample_body(1, 1000, [1, 2]))
    with open(os.path.join(wire_dir, "mode-switches"), "wb") as f:
        f.write(sample + switch + b"1 2\n3 4\n" + sample)
    for index, text in enumerate(TEXT_SEEDS):
        with open(os.path.join(text_dir, f"text-{index}"), "wb") as f:
            f.write(text)
    print(f"seeds: {count + 1} binary, {len(TEXT_SEEDS)} text in {out}")


if __name__ == "__main__":
    main()
