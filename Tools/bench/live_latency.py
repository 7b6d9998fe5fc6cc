#!/usr/bin/env python3
"""Live-mode latency and CPU at 1 kHz on a pty (Tools/bench/90-live-latency.sh).

Plays a 1-channel device on a pseudo-terminal: a HELLO, then SAMPLE frames written at 1 kHz of
wall-clock time (rest 0 counts for 1.5 s, contact 20 counts for 1 s, +-1 count noise), and runs a
reader command on the pty's path. Every JSON line the reader prints with a session time "t"
(seconds since its first sample, 1 ms steps) is matched to the write time of the frame with that
time: latency = line read from the reader's stdout - frame written to the pty (lines printed on
shutdown, after the last frame, are left out). Prints one JSON
line: latency median and p99 (ms) for readings and events, the reader's CPU use (user+system
time / wall time, from /proc/PID/stat) and how many frames were written.

usage: live_latency.py SECONDS NAME CMD... ({dev} in CMD is replaced by the pty path)
With LIVE_BENCH_WRITES=FILE, the frames' write times are also saved there (JSON) for
Tools/bench/web_latency.py.
"""
import json
import os
import sys
import threading
import time
import tty

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import wire_reference as wire  # noqa: E402


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 (proc(5)); fields here start at field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    seconds = float(sys.argv[1])
    name = sys.argv[2]
    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    command = [part.replace("{dev}", path) for part in sys.argv[3:]]
    import subprocess
    errors = open(os.environ.get("LIVE_BENCH_STDERR", os.devnull), "wb")
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, bufsize=0)
    os.set_blocking(master, False)

    total = int(seconds * 1000)
    write_ns = [0] * total
    arrivals = []  # (kind, t, arrival_ns)

    keep = open(os.environ["LIVE_BENCH_LINES"], "wb") if os.environ.get("LIVE_BENCH_LINES") else None

    def collect():
        for line in reader.stdout:
            arrival = time.monotonic_ns()
            if keep:
                keep.write(b"%d " % ((arrival - start) // 1000) + line)
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and "t" in record and record.get("type") in ("reading", "event"):
                arrivals.append((record["type"], record["t"], arrival, record.get("reason", record.get("kind", ""))))

    started = threading.Event()
    start = time.monotonic_ns()
    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    time.sleep(0.5)  # let the reader open the pty before the device "boots"
    os.write(master, b"\x00" + wire.encode_frame(wire.HELLO, wire.hello_body(rate=1000, kinds=(2,), board=0)))
    start_cpu = cpu_seconds(reader.pid)
    start = time.monotonic_ns()
    started.set()
    state = 1
    written = 0
    while written < total:
        due = min(total, (time.monotonic_ns() - start) // 1_000_000 + 1)
        if due > written:
            chunk = bytearray()
            for index in range(written, due):
                state = (state * 1103515245 + 12345) & 0x7FFFFFFF
                level = 20 if index % 2500 >= 1500 else 0
                chunk += wire.encode_frame(wire.SAMPLE, wire.sample_body(index & 0xFFFF, index * 1000, [level + state % 3 - 1]))
            try:
                os.write(master, bytes(chunk))
            except BlockingIOError:
                pass  # the reader fell behind by a whole pty buffer: those frames are lost, as on a wire
            now = time.monotonic_ns()
            for index in range(written, due):
                write_ns[index] = now
            written = due
        try:
            os.read(master, 4096)  # commands from the reader (GET_INFO, START): drained
        except (BlockingIOError, OSError):
            pass
        time.sleep(0.0002)
    end_ns = time.monotonic_ns()
    wall = (end_ns - start) / 1e9
    time.sleep(1.0)
    used_cpu = cpu_seconds(reader.pid) - start_cpu if reader.poll() is None else None
    reader.terminate()
    try:
        reader.wait(timeout=5)
    except subprocess.TimeoutExpired:
        reader.kill()
    thread.join(timeout=2)

    if os.environ.get("LIVE_BENCH_WRITES"):
        # For a second observer on another clock (the live page's DOM, epoch milliseconds).
        with open(os.environ["LIVE_BENCH_WRITES"], "w") as out:
            # And when each reading's line came out of the reader: the page's latency minus this
            # is the web path alone (server, socket, browser), apart from the reader's own delays.
            stdout_ns = {str(int(round(t * 1000))): arrival for kind, t, arrival, _ in arrivals if kind == "reading"}
            json.dump({"realtime_minus_monotonic_ns": time.time_ns() - time.monotonic_ns(),
                       "end_ns": end_ns, "write_ns": write_ns, "reading_stdout_ns": stdout_ns}, out)

    latencies = {"reading": [], "event": []}
    worst = {}
    for kind, t, arrival, reason in arrivals:
        index = int(round(t * 1000))
        # Lines after the writing stopped are the reader's shutdown (finish events), not latency.
        if 0 <= index < total and write_ns[index] and arrival <= end_ns:
            latency = (arrival - write_ns[index]) / 1e6
            latencies[kind].append(latency)
            if latency > worst.get(kind, (0, ""))[0]:
                worst[kind] = (latency, reason)
    result = {"reader": name, "frames_written": total, "wall_seconds": round(wall, 2),
              "cpu_percent": None if used_cpu is None else round(100 * used_cpu / wall, 1)}
    for kind, values in latencies.items():
        result[f"{kind}s"] = len(values)
        result[f"{kind}_median_ms"] = None if not values else round(percentile(values, 0.5), 3)
        result[f"{kind}_p99_ms"] = None if not values else round(percentile(values, 0.99), 3)
    result["worst_event"] = worst.get("event", (0, ""))[1]
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
