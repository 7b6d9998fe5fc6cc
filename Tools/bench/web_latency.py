#!/usr/bin/env python3
"""Frame written on the pty -> reading shown in the live page's DOM (Tools/bench/95-web-latency.sh).

Joins the frame write times saved by live_latency.py (LIVE_BENCH_WRITES, monotonic ns plus the
realtime offset) with the page's DOM log from bench-web ([t, epoch ms] per update; t is the
reading's session seconds = the frame's index in ms). Prints one JSON line: count, median, p99.

usage: web_latency.py WRITES.json DOMLOG.json
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
    seen = set()
    latencies = []
    for t, epoch_ms in log:
        index = int(round(t * 1000))
        if index in seen or not (0 <= index < len(write_ns)) or not write_ns[index]:
            continue
        seen.add(index)
        latencies.append(epoch_ms - (write_ns[index] + offset) / 1e6)
    result = {"dom_updates": len(latencies)}
    if latencies:
        result["dom_median_ms"] = round(percentile(latencies, 0.5), 2)
        result["dom_p99_ms"] = round(percentile(latencies, 0.99), 2)
        result["dom_max_ms"] = round(max(latencies), 2)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
