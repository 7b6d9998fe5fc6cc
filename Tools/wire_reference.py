#!/usr/bin/env python3
"""Plain Python implementation of docs/PROTOCOL.md (host side).

It is the reference the test vectors come from (`--vectors`) and the baseline the Swift decoder
is benchmarked against (`--bench FILE`). It is written the straightforward way on purpose: a
baseline, not a rival.
"""
import argparse
import json
import random
import struct
import sys
import time

MAX_PAYLOAD = 64

HELLO, SAMPLE, FAULT, REPLY, SAMPLE_EXTRA, BUTTON = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06
BUTTONS = (0,)  # PAIN
FAULT_CODES = (1, 2, 3, 4, 5, 6)  # SENSOR_NOT_READY .. WATCHDOG_RESET, MAGNET
ANGLE = 4  # channel kind: rotation angle, AS5600 raw counts (docs/PROTOCOL.md, "Rotation")
# Channel kinds: a ball's motion, optical sensor counts since the previous sample (docs/PROTOCOL.md, "Ball motion").
MOTION_X, MOTION_Y = 5, 6
NO_MOTION_READING = -(1 << 23)  # i24's lowest value: the motion sensor gave no reading
PING, GET_INFO, START, STOP, SET_RATE, SET_MODE = 0x81, 0x82, 0x83, 0x84, 0x85, 0x86


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def cobs_encode(data: bytes) -> bytes:
    out = bytearray()
    block = bytearray()
    for byte in data:
        if byte == 0:
            out.append(len(block) + 1)
            out += block
            block.clear()
        else:
            block.append(byte)
            if len(block) == 254:
                out.append(255)
                out += block
                block.clear()
    out.append(len(block) + 1)
    out += block
    return bytes(out)


def cobs_decode(data: bytes):
    """Returns the decoded bytes, or None when a code byte points past the end."""
    out = bytearray()
    i = 0
    while i < len(data):
        code = data[i]
        if code == 0 or i + code > len(data):
            return None
        out += data[i + 1:i + code]
        i += code
        if code != 255 and i < len(data):
            out.append(0)
    return bytes(out)


def encode_frame(frame_type: int, body: bytes) -> bytes:
    payload = bytes([frame_type]) + body
    payload += struct.pack("<H", crc16_ccitt_false(payload))
    return cobs_encode(payload) + b"\x00"


class Decoder:
    """Streaming decoder: feed() any chunk, get (type, body) pairs back."""

    def __init__(self, device_side: bool = False):
        # The device side (firmware) knows the commands instead of the device frames.
        self.device_side = device_side
        self.buffer = bytearray()
        self.overflowed = False
        self.counters = dict(frames=0, crc=0, oversize=0, malformed=0, unknown=0,
                             gaps=0, missing=0, discarded=0)
        self.last_seq = None
        self.last_t = None
        self.t_high = 0
        self.after_hello = False
        self.times = []  # unwrapped 64-bit time of each SAMPLE yielded, for the vectors

    def feed(self, chunk: bytes):
        frames = []
        for byte in chunk:
            if byte != 0:
                if self.overflowed:
                    self.counters["discarded"] += 1
                elif len(self.buffer) >= MAX_PAYLOAD + 2:
                    self.overflowed = True
                    self.counters["discarded"] += len(self.buffer) + 1
                    self.buffer.clear()
                else:
                    self.buffer.append(byte)
                continue
            if self.overflowed:
                self.counters["oversize"] += 1
                self.overflowed = False
                continue
            if not self.buffer:
                continue
            frame = self._finish(bytes(self.buffer))
            if frame is None:
                self.counters["discarded"] += len(self.buffer)
            else:
                frames.append(frame)
            self.buffer.clear()
        return frames

    def _finish(self, encoded: bytes):
        payload = cobs_decode(encoded)
        if payload is None or len(payload) < 3:
            self.counters["malformed"] += 1
            return None
        if len(payload) > MAX_PAYLOAD:
            self.counters["oversize"] += 1
            return None
        (crc,) = struct.unpack("<H", payload[-2:])
        if crc != crc16_ccitt_false(payload[:-2]):
            self.counters["crc"] += 1
            return None
        frame_type, body = payload[0], payload[1:-2]
        if self.device_side:
            if frame_type < 0x81 or len(body) < 1:
                self.counters["unknown" if frame_type < 0x81 else "malformed"] += 1
                return None
        elif frame_type == SAMPLE:
            if len(body) < 9 or (len(body) - 6) % 3 != 0 or len(body) > 6 + 3 * 4:
                self.counters["malformed"] += 1
                return None
            seq, t_us = struct.unpack("<HI", body[:6])
            if self.last_seq is not None and seq != (self.last_seq + 1) & 0xFFFF:
                self.counters["gaps"] += 1
                self.counters["missing"] += (seq - self.last_seq - 1) & 0xFFFF
            self.last_seq = seq
            if self.last_t is not None and t_us < self.last_t:
                if self.after_hello:
                    # The device restarted: continue from the last time rather than jump 71.6 min.
                    self.t_high = self.t_high + self.last_t - t_us
                else:
                    self.t_high += 1 << 32
            self.last_t = t_us
            self.after_hello = False
            self.times.append(self.t_high + t_us)
        elif frame_type == SAMPLE_EXTRA:
            # seq u16, then one i24 per extra channel (1 to 4); sent just before its SAMPLE.
            if len(body) < 5 or (len(body) - 2) % 3 != 0 or len(body) > 2 + 3 * 4:
                self.counters["malformed"] += 1
                return None
        elif frame_type == HELLO:
            if len(body) < 13 or len(body) < 13 + body[12]:
                self.counters["malformed"] += 1
                return None
            extras_at = 13 + body[12]
            # Optional trailing field: extra_count u8, extra_kind[extra_count].
            if len(body) > extras_at and len(body) < extras_at + 1 + body[extras_at]:
                self.counters["malformed"] += 1
                return None
            self.last_seq = None
            self.after_hello = True
        elif frame_type == FAULT:
            if len(body) < 10:
                self.counters["malformed"] += 1
                return None
            if body[4] not in FAULT_CODES:
                # A fault code newer than this host: ignored and counted like an unknown type.
                self.counters["unknown"] += 1
                return None
        elif frame_type == BUTTON:
            # t_us u32, button u8: a press of a button on the board.
            if len(body) < 5:
                self.counters["malformed"] += 1
                return None
            if body[4] not in BUTTONS:
                # A button newer than this host: ignored and counted like an unknown type.
                self.counters["unknown"] += 1
                return None
        elif frame_type == REPLY:
            if len(body) < 3:
                self.counters["malformed"] += 1
                return None
        else:
            self.counters["unknown"] += 1
            return None
        self.counters["frames"] += 1
        return frame_type, body


def i24(value: int) -> bytes:
    return struct.pack("<i", value)[:3]


def sample_body(seq: int, t_us: int, readings) -> bytes:
    return struct.pack("<HI", seq & 0xFFFF, t_us & 0xFFFFFFFF) + b"".join(i24(r) for r in readings)


def hello_body(rate=100, kinds=(1, 1, 1, 1), board=1, device_id=0x12345678, flags=1, extra_kinds=None) -> bytes:
    body = struct.pack("<BBBBBIHBB", 1, 1, 0, 0, board, device_id, rate, flags, len(kinds)) + bytes(kinds)
    if extra_kinds is not None:
        body += bytes([len(extra_kinds)]) + bytes(extra_kinds)
    return body


def sample_extra_body(seq: int, readings) -> bytes:
    return struct.pack("<H", seq & 0xFFFF) + b"".join(i24(r) for r in readings)


def fault_body(t_us: int, code: int, channel: int, value: int) -> bytes:
    return struct.pack("<IBBI", t_us, code, channel, value)


def button_body(t_us: int, button: int) -> bytes:
    return struct.pack("<IB", t_us, button)


def reply_body(command: int, tag: int, status: int, data: bytes = b"") -> bytes:
    return bytes([command, tag, status]) + data


def vector_cases():
    """(name, input bytes) pairs; expected frames and counters come from the Decoder."""
    s1 = encode_frame(SAMPLE, sample_body(1, 1000, [100, -200, 8388607, -8388608]))
    s2 = encode_frame(SAMPLE, sample_body(2, 11000, [101, -201, 0, 1]))
    hello = encode_frame(HELLO, hello_body())
    cases = [
        ("crc check value", None),
        ("hello", hello),
        ("sample 4 channels", s1),
        ("sample 1 channel", encode_frame(SAMPLE, sample_body(7, 123456, [512]))),
        ("sample with zero bytes", encode_frame(SAMPLE, sample_body(0, 0, [0, 0, 0, 0]))),
        ("fault not ready", encode_frame(FAULT, fault_body(5000, 1, 2, 100))),
        ("fault dropped samples", encode_frame(FAULT, fault_body(6000, 4, 0xFF, 17))),
        ("fault with unknown code ignored", encode_frame(FAULT, fault_body(7000, 99, 0, 1)) + s2),
        ("reply ping", encode_frame(REPLY, reply_body(PING, 9, 0, b"abc"))),
        ("reply unknown command", encode_frame(REPLY, reply_body(0x99, 3, 1))),
        ("command ping", encode_frame(PING, bytes([9]) + b"abc")),
        ("command set rate 1000", encode_frame(SET_RATE, bytes([4]) + struct.pack("<H", 1000))),
        ("command set mode text", encode_frame(SET_MODE, bytes([5, 1]))),
        ("two frames back to back", s1 + s2),
        ("empty frames ignored", b"\x00\x00" + s1 + b"\x00"),
        ("mid-stream start", s1[5:] + s2),
        ("crc failure then good frame", s1[:4] + bytes([s1[4] ^ 0x01]) + s1[5:] + s2),
        ("truncated frame then good frame", s1[:8] + b"\x00" + s2),
        ("garbage then frames", bytes([0x13, 0x37, 0xFF, 0xFE, 0x01]) + b"\x00" + s1 + s2),
        ("oversize frame then good frame", bytes([0xFF] * 100) + b"\x00" + s2),
        ("unknown frame type ignored", encode_frame(0x42, b"future") + s2),
        ("malformed sample length", encode_frame(SAMPLE, sample_body(1, 0, [1])[:-1]) + s2),
        ("sequence gap", s1 + encode_frame(SAMPLE, sample_body(5, 41000, [1, 2, 3, 4]))),
        ("sequence wraps without gap",
         encode_frame(SAMPLE, sample_body(65535, 10, [1])) + encode_frame(SAMPLE, sample_body(0, 20, [1]))),
        ("clock wraps",
         encode_frame(SAMPLE, sample_body(1, 0xFFFFFF00, [1])) + encode_frame(SAMPLE, sample_body(2, 0x100, [1]))),
        ("device restart after hello",
         encode_frame(SAMPLE, sample_body(900, 5_000_000, [1])) + hello
         + encode_frame(SAMPLE, sample_body(0, 1000, [1])) + encode_frame(SAMPLE, sample_body(1, 11000, [1]))),
        ("invalid cobs code", bytes([0x05, 0x01, 0x02]) + b"\x00" + s2),
        ("long cobs block", encode_frame(REPLY, reply_body(PING, 1, 0, bytes(range(1, 58))))),
        # Rotation (docs/PROTOCOL.md): a HELLO with an extra angle channel, and SAMPLE_EXTRA
        # frames each sent just before the SAMPLE of the same seq.
        ("hello with rotation channel", encode_frame(HELLO, hello_body(kinds=(1, 1), extra_kinds=(ANGLE,)))),
        ("hello with truncated extra kinds", encode_frame(HELLO, hello_body(kinds=(1,), extra_kinds=(ANGLE,))[:-1]) + s2),
        ("sample with rotation",
         encode_frame(HELLO, hello_body(kinds=(1, 1), extra_kinds=(ANGLE,)))
         + encode_frame(SAMPLE_EXTRA, sample_extra_body(1, [4095])) + encode_frame(SAMPLE, sample_body(1, 1000, [100, -200]))
         + encode_frame(SAMPLE_EXTRA, sample_extra_body(2, [-1])) + encode_frame(SAMPLE, sample_body(2, 11000, [101, -201]))),
        ("sample extra malformed length", encode_frame(SAMPLE_EXTRA, sample_extra_body(1, [7])[:-1]) + s2),
        ("fault magnet", encode_frame(FAULT, fault_body(8000, 6, 4, 0x08))),
        # Ball motion (docs/PROTOCOL.md): two extra channels, x and y counts since the last sample;
        # the i24's lowest value is no reading (-1 is a motion like any other).
        ("hello with ball channels", encode_frame(HELLO, hello_body(kinds=(1,), extra_kinds=(MOTION_X, MOTION_Y)))),
        ("sample with ball motion",
         encode_frame(HELLO, hello_body(kinds=(1,), extra_kinds=(MOTION_X, MOTION_Y)))
         + encode_frame(SAMPLE_EXTRA, sample_extra_body(1, [-1, 127])) + encode_frame(SAMPLE, sample_body(1, 1000, [100]))
         + encode_frame(SAMPLE_EXTRA, sample_extra_body(2, [NO_MOTION_READING, NO_MOTION_READING]))
         + encode_frame(SAMPLE, sample_body(2, 11000, [101]))),
        ("fault motion overflow", encode_frame(FAULT, fault_body(9000, 2, 5, 0x90))),
        # The pain button (docs/PROTOCOL.md, "BUTTON"): a press between samples, a button this
        # host does not know, and a body cut short.
        ("button pain", s1 + encode_frame(BUTTON, button_body(5500, 0)) + s2),
        ("button unknown ignored", encode_frame(BUTTON, button_body(5500, 7)) + s2),
        ("button malformed length", encode_frame(BUTTON, button_body(5500, 0)[:-1]) + s2),
    ]
    return cases


def write_vectors(out):
    out.write("# RollSense protocol test vectors, generated by Tools/wire_reference.py --vectors.\n")
    out.write("# Format (one item per line):\n")
    out.write("#   case NAME          starts a case\n")
    out.write("#   in HEX             the bytes received, in order (several lines concatenate)\n")
    out.write("#   frame TT HEXBODY   a frame the decoder must yield: type and body, CRC removed\n")
    out.write("#   counters k=v ...   the decoder's counters after all input\n")
    out.write("#   crc ASCII HEX      CRC-16/CCITT-FALSE of the ASCII text must equal HEX\n")
    out.write("#   time US            after a SAMPLE frame: its device time unwrapped to 64 bits\n")
    out.write("#   end                ends the case\n")
    out.write("# discarded counts the encoded bytes (delimiter excluded) of every frame not yielded.\n")
    out.write("# A reader skips lines whose first word it does not know.\n")
    out.write('# Cases named "command ..." are decoded as a device does: command types known, device frames unknown.\n')
    for name, data in vector_cases():
        out.write(f"case {name}\n")
        if data is None:
            out.write(f"crc 123456789 {crc16_ccitt_false(b'123456789'):04x}\n")
            out.write("end\n")
            continue
        out.write(f"in {data.hex()}\n")
        decoder = Decoder(device_side=name.startswith("command"))
        frames = decoder.feed(data)
        times = iter(decoder.times)
        for frame_type, body in frames:
            out.write(f"frame {frame_type:02x} {body.hex()}\n")
            if frame_type == SAMPLE and not decoder.device_side:
                out.write(f"time {next(times)}\n")
        c = decoder.counters
        out.write("counters " + " ".join(f"{k}={v}" for k, v in c.items()) + "\n")
        out.write("end\n")


def make_bench_stream(size_bytes: int, seed: int = 1) -> bytes:
    """4-channel SAMPLE frames with 1% of bytes corrupted, the decoder benchmark's input."""
    rng = random.Random(seed)
    out = bytearray()
    seq = 0
    while len(out) < size_bytes:
        readings = [rng.randint(-8388608, 8388607) for _ in range(4)]
        out += encode_frame(SAMPLE, sample_body(seq, seq * 1000, readings))
        seq += 1
    for _ in range(len(out) // 100):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vectors", action="store_true", help="print the test vectors")
    parser.add_argument("--make-bench-stream", metavar="FILE", help="write the benchmark input")
    parser.add_argument("--size-mb", type=float, default=16.0)
    parser.add_argument("--bench", metavar="FILE", help="decode FILE, print JSON figures")
    args = parser.parse_args()
    if args.vectors:
        write_vectors(sys.stdout)
    elif args.make_bench_stream:
        with open(args.make_bench_stream, "wb") as f:
            f.write(make_bench_stream(int(args.size_mb * 1024 * 1024)))
    elif args.bench:
        data = open(args.bench, "rb").read()
        decoder = Decoder()
        start = time.perf_counter()
        frames = 0
        for i in range(0, len(data), 4096):
            frames += len(decoder.feed(data[i:i + 4096]))
        seconds = time.perf_counter() - start
        print(json.dumps(dict(implementation="python", bytes=len(data), frames=frames,
                              seconds=seconds, counters=decoder.counters)))
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
