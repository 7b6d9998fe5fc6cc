#!/usr/bin/env python3
"""Frame written on the pty -> reading shown in the live page's DOM (Tools/bench/95-web-latency.sh).

Joins the frame write times saved by live_latency.py (LIVE_BENCH_WRITES, monotonic ns plus the
realtime offset) with the page's DOM log from bench-web ([t, epoch ms] per update; t is the
reading's session seconds = the frame's index in ms). Prints one JSON line: count, median, p99,
and the same from the reading's line on the reader's stdout to the DOM (the web path alone).

usage: web_latency.py WRITES.json DOMLOG.json [SOCKETLOG.json]
"""
import json
import sys


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    writes = json.load(open(sys.argv[1]))
    log = json.load(open(sys.argv[2]))
    offset = writes["realtime_minus_monotonic_ns"]
    write_ns = writes["write_ns"]
    stdout_ns = writes.get("reading_stdout_ns", {})
    seen = set()
    latencies = []
    web_path = []
    for t, epoch_ms in log:
        index = int(round(t * 1000))
        if index in seen or not (0 <= index < len(write_ns)) or not write_ns[index]:
            continue
        seen.add(index)
        latencies.append(epoch_ms - (write_ns[index] + offset) / 1e6)
        if str(index) in stdout_ns:
            web_path.append(epoch_ms - (stdout_ns[str(index)] + offset) / 1e6)
    result = {"dom_updates": len(latencies)}
    if latencies:
        result["dom_median_ms"] = round(percentile(latencies, 0.5), 2)
        result["dom_p99_ms"] = round(percentile(latencies, 0.99), 2)
        result["dom_max_ms"] = round(max(latencies), 2)
    if web_path:
        # The same reading's line on the reader's stdout -> the page's DOM: server, socket and
        # browser only (the reader's own delays, such as waiting for a CPU, are in both ends).
        result["web_path_median_ms"] = round(percentile(web_path, 0.5), 2)
        result["web_path_p99_ms"] = round(percentile(web_path, 0.99), 2)
    if len(sys.argv) > 3:
        # A plain WebSocket reader's arrivals: stdout line -> socket is the server's part.
        server = []
        for t, epoch_ms in json.load(open(sys.argv[3])):
            key = str(int(round(t * 1000)))
            if key in stdout_ns:
                server.append(epoch_ms - (stdout_ns[key] + offset) / 1e6)
        if server:
            result["server_path_median_ms"] = round(percentile(server, 0.5), 2)
            result["server_path_p99_ms"] = round(percentile(server, 0.99), 2)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
