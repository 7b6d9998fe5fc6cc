#!/usr/bin/env python3
"""Generates the capture fixtures in this folder from docs/RECORDING.md, independently of the
Swift writer (so the Swift reader is checked against a second implementation of the format).

The device bytes are real protocol frames made with Tools/wire_reference.py. Run from anywhere:
    python3 Fixtures/captures/make_captures.py
Output is deterministic: running it again gives the same bytes.
"""
import json
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tools"))
import wire_reference as wire  # noqa: E402

MAGIC = b"\x89RSCAP\r\n"
SYNC = b"\xa5\x52\x53\x00"
METADATA, BYTES, EVENT, END = 1, 2, 3, 4
DISCONNECTED, RECONNECTED, NOTE = 1, 2, 3
START_UNIX_US = 1_795_680_000_000_000  # 2026-11-26T08:00:00Z


def header(major=1, minor=0, start_us=START_UNIX_US):
    body = MAGIC + struct.pack("<BBHq", major, minor, 24, start_us)
    return body + struct.pack("<I", zlib.crc32(body))


def record(kind, payload):
    checked = struct.pack("<BI", kind, len(payload)) + payload
    return SYNC + checked + struct.pack("<I", zlib.crc32(checked))


def device_stream():
    """Boot flush, HELLO, 60 two-channel samples 10 ms apart, one FAULT: 2 seconds of a device."""
    out = bytearray(b"\x00")
    out += wire.encode_frame(wire.HELLO, wire.hello_body(rate=100, kinds=(1, 2), board=5, device_id=0x0BADCAFE))
    for seq in range(60):
        load = seq * 1500 if seq < 30 else (60 - seq) * 1500
        out += wire.encode_frame(wire.SAMPLE, wire.sample_body(seq, 500_000 + seq * 10_000, [load, 200 + seq]))
        if seq == 40:
            out += wire.encode_frame(wire.FAULT, wire.fault_body(500_000 + seq * 10_000, 2, 0, 0x7FFFFF))
    return bytes(out)


# The read after which session_records puts the link's loss and return.
DISCONNECT_AFTER_READ = 10


def reads(stream):
    """Splits the stream as a serial port's reads would: sizes cycle through a fixed pattern.
    The read before the link's loss ends at a frame's end: after a real unplug the bytes come
    from a new boot and never finish a frame cut in two (the session forgets such a half)."""
    sizes = [1, 17, 64, 5, 23, 40, 3, 90]
    chunks, offset, index = [], 0, 0
    while offset < len(stream):
        size = sizes[index % len(sizes)]
        if index == DISCONNECT_AFTER_READ:
            size = stream.index(b"\x00", offset + size - 1) + 1 - offset
        chunks.append((index * 9_000 + 250, stream[offset:offset + size]))
        offset += size
        index += 1
    return chunks


def session_records(chunks):
    metadata = {
        "programVersion": "fixture-generator-1",
        "startWallClock": "2026-11-26T08:00:00.000Z",
        "timeZone": "Europe/Berlin",
        "device": {"board": 5, "deviceID": 0x0BADCAFE, "sensors": ["hx711", "fsr"]},
        "calibration": {"countsPerNewton": [150.0, 1.0]},
        "profileName": "gentle",
        "profile": {"dailyLimitSeconds": 300, "maxForceNewtons": 250},
        "area": "lower-back-left",
        "tool": "roller",
    }
    records = [(METADATA, json.dumps(metadata, sort_keys=True).encode())]
    for index, (host_us, data) in enumerate(chunks):
        records.append((BYTES, struct.pack("<q", host_us) + data))
        if index == DISCONNECT_AFTER_READ:
            records.append((EVENT, struct.pack("<qB", host_us + 1, DISCONNECTED) + b"read: Input/output error"))
            records.append((EVENT, struct.pack("<qB", host_us + 2, RECONNECTED)))
    total = sum(len(data) for _, data in chunks)
    records.append((END, struct.pack("<qQQ", chunks[-1][0] + 1000, total, len(chunks))))
    return records


# The reference roller rig's calibration: each cell's zero plus half the cradle, 4382 counts a newton.
ROLLER_RIG_CALIBRATION = {"offsetCounts": [118605, 3370], "curves": [{"linear": {"newtonsPerCount": 0.00022821}},
                                                                     {"linear": {"newtonsPerCount": 0.00022821}}]}


def firmware_capture(name, tool="ball", area="lower-back-left", calibration=None, window_us=20_000):
    """A capture of Fixtures/firmware/captures/NAME.bin (the simulated firmware's UART bytes) as a
    host polling every 20 ms would have read it: each read holds the bytes that left the UART in
    one window, stamped with the window's end (simulated time stands in for host time)."""
    folder = os.path.join(HERE, "..", "firmware", "captures")
    stream = open(os.path.join(folder, name + ".bin"), "rb").read()
    reads, offset, window_end, pending = [], 0, window_us, b""
    for line in open(os.path.join(folder, name + ".times")):
        if line.startswith("#") or not line.strip():
            continue
        time_us, count = (int(field) for field in line.split())
        while time_us >= window_end:
            if pending:
                reads.append((window_end, pending))
                pending = b""
            window_end += window_us
        pending += stream[offset:offset + count]
        offset += count
    if pending:
        reads.append((window_end, pending))
    assert offset == len(stream), "the .times file does not cover the .bin"
    metadata = {"programVersion": "fixture-generator-1", "startWallClock": "2026-11-26T08:00:00.000Z",
                "timeZone": "Europe/Berlin", "source": "Fixtures/firmware/captures/" + name, "area": area,
                "tool": tool}
    if calibration is not None:
        metadata["calibration"] = calibration
    records = [record(METADATA, json.dumps(metadata, sort_keys=True).encode())]
    records += [record(BYTES, struct.pack("<q", host_us) + data) for host_us, data in reads]
    records.append(record(END, struct.pack("<qQQ", reads[-1][0], len(stream), len(reads))))
    return header() + b"".join(records), len(reads), zlib.crc32(stream)


def main():
    stream = device_stream()
    chunks = reads(stream)
    records = session_records(chunks)
    encoded = [record(kind, payload) for kind, payload in records]
    offsets = [24]
    for item in encoded:
        offsets.append(offsets[-1] + len(item))
    clean = header() + b"".join(encoded)
    manifest = {"stream": "session.stream.bin", "chunkCount": len(chunks), "streamByteCount": len(stream)}

    def write(name, data):
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)

    write("session.stream.bin", stream)
    write("session-clean.rscap", clean)

    # Cut in the middle of the record holding chunk 20 (records: metadata, chunks 0-10, 2 events, ...).
    cut_record = 1 + 20 + 2
    cut_at = offsets[cut_record] + 11
    write("session-truncated.rscap", clean[:cut_at])
    manifest["truncated"] = {"chunkCount": 20, "tailOffset": offsets[cut_record], "tailByteCount": cut_at - offsets[cut_record]}

    # Flip one payload byte of the record holding chunk 5.
    damaged_record = 1 + 5
    damaged = bytearray(clean)
    damaged[offsets[damaged_record] + 9 + 8] ^= 0x40
    write("session-damaged.rscap", bytes(damaged))
    manifest["damaged"] = {"missingChunk": 5, "skippedOffset": offsets[damaged_record],
                           "skippedByteCount": offsets[damaged_record + 1] - offsets[damaged_record]}

    write("empty.rscap", b"")
    write("not-a-capture.txt", b"force_N:12.5\tforce_N:3.0\nforce_N:12.7\tforce_N:3.1\n")
    write("newer-major.rscap", header(major=2, minor=1) + record(BYTES, struct.pack("<q", 0) + b"\x00"))
    firmware, firmware_reads, source_crc = firmware_capture("massage-ball")
    write("firmware-massage-ball.rscap", firmware)
    manifest["firmwareMassageBall"] = {"chunkCount": firmware_reads, "stream": "../firmware/captures/massage-ball.bin",
                                       "streamCRC32": source_crc}
    # The reference roller rig with its AS5600 (Firmware/sim/make-scenarios.py `roller_rotation`),
    # with the rig's calibration (each cell's zero plus half the cradle, 4382 counts a newton), so
    # a replay has newtons and a position along the back without a calibration file.
    roller, roller_reads, roller_crc = firmware_capture(
        "roller-rotation", tool="foamRoller", area="lowerBack",
        calibration=ROLLER_RIG_CALIBRATION)
    write("firmware-roller-rotation.rscap", roller)
    manifest["firmwareRollerRotation"] = {"chunkCount": roller_reads, "stream": "../firmware/captures/roller-rotation.bin",
                                          "streamCRC32": roller_crc}
    # The same rig with its AS5600's magnet lost during a hard lean (make-scenarios.py
    # `rotation_fault_hard_lean`): a replay must give the position fault and the stop alert both.
    lean, lean_reads, lean_crc = firmware_capture(
        "rotation-fault-hard-lean", tool="foamRoller", area="lowerBack",
        calibration=ROLLER_RIG_CALIBRATION)
    write("firmware-roller-rotation-fault.rscap", lean)
    manifest["firmwareRollerRotationFault"] = {"chunkCount": lean_reads, "stream": "../firmware/captures/rotation-fault-hard-lean.bin",
                                               "streamCRC32": lean_crc}
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
