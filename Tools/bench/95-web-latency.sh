#!/usr/bin/env bash
# The live page (`--web`): a frame written on the pty at 1 kHz -> the reading in Chromium's DOM
# (median, p99), and the reader's CPU and stdout latency with 0 pages, 1 page (headless
# Chromium) and 20 pages (Chromium + 19 WebSocket readers) plus 1 frozen client that never
# reads; and 20 WebSocket readers plus the frozen one without Chromium ("20s"), which tells the
# server's own cost from Chromium's CPU use on the same 2 cores. Frames come from Tools/bench/live_latency.py (as in 90-live-latency.sh, massage-ball
# profile, WEB_BENCH_SECONDS each, default 15); the page side is the bench-web tool
# (Sources/bench-web). The baseline is the 0-page run of the same command.
# Results in bench-out/95-web-latency.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${WEB_BENCH_SECONDS:-15}"
out=bench-out/95-web-latency.txt
mkdir -p bench-out
PYTHON=${PYTHON:-python3}
work="$(mktemp -d "${TMPDIR:-/tmp}/rollsense-web-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT

swift build -c release --product rollsense >/dev/null
swift build -c release --product bench-web >/dev/null
bin="$(swift build -c release --show-bin-path)"
port="${WEB_BENCH_PORT:-18765}"
token="benchtoken-$(date +%s)-0123456789"
field() { printf '%s\n' "$1" | sed -n "s/.*\"$2\": \([0-9.e+-]*\|null\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }

run() { # $1 pages: 0, 1 (Chromium), 20 (Chromium + 19 readers + 1 frozen), 20s (20 readers + 1 frozen)
    local pages="$1" page_pid=""
    local ready="$work/ready-$pages"
    export BENCH_WEB_READY="$ready"
    case "$pages" in
        0) : >"$ready" ;;
        1) "$bin/bench-web" "$port" "$token" "$((seconds + 1))" 0 0 "$work/dom-$pages.json" & page_pid=$! ;;
        20) "$bin/bench-web" "$port" "$token" "$((seconds + 1))" 19 1 "$work/dom-$pages.json" & page_pid=$! ;;
        20s) "$bin/bench-web" "$port" "$token" "$((seconds + 1))" 20 1 - & page_pid=$! ;;
    esac
    # The browser is up before the first frame (bench-web says so with the file).
    for _ in $(seq 600); do [ -f "$ready" ] && break; sleep 0.1; done
    LIVE_BENCH_WRITES="$work/writes-$pages.json" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
        "$PYTHON" Tools/bench/live_latency.py "$seconds" "rollsense-web-$pages" \
        "$bin/rollsense" live --device '{dev}' --json --no-bell --profile massage-ball-lower-back --data-dir "$work/data" \
        --duration $((seconds + 30)) --web "127.0.0.1:$port" --web-token "$token"
    if [ -n "$page_pid" ]; then
        wait "$page_pid"
    fi
}

{
    echo "live page at 1 kHz on a pty, ${seconds} s per run: reader = rollsense live --json --web (release)"
    declare -A reader dom
    for pages in 0 1 20 20s; do
        reader[$pages]="$(run "$pages")"
        dom[$pages]="{}"
        [ -f "$work/dom-$pages.json" ] && dom[$pages]="$("$PYTHON" Tools/bench/web_latency.py "$work/writes-$pages.json" "$work/dom-$pages.json" $([ -f "$work/dom-$pages.json.socket" ] && echo "$work/dom-$pages.json.socket"))"
        echo "pages $pages: reader ${reader[$pages]}"
        [ -f "$work/dom-$pages.json" ] && echo "pages $pages: page   ${dom[$pages]}"
    done
    base_cpu="$(field "${reader[0]}" cpu_percent)"
    base_p99="$(field "${reader[0]}" reading_p99_ms)"
    for pages in 0 1 20 20s; do
        label="$pages"
        case "$pages" in 1) label="1 (Chromium)" ;; 20) label="20 (Chromium + 19 sockets) + 1 frozen" ;; 20s) label="20 sockets + 1 frozen, no Chromium" ;; esac
        echo "pages $label: reader CPU $(field "${reader[$pages]}" cpu_percent)% ($(ratio "$(field "${reader[$pages]}" cpu_percent)" "$base_cpu")x of 0 pages), stdout latency median $(field "${reader[$pages]}" reading_median_ms) ms p99 $(field "${reader[$pages]}" reading_p99_ms) ms ($(ratio "$(field "${reader[$pages]}" reading_p99_ms)" "$base_p99")x of 0 pages)$([ -f "$work/dom-$pages.json" ] && echo "; frame -> DOM median $(field "${dom[$pages]}" dom_median_ms) ms p99 $(field "${dom[$pages]}" dom_p99_ms) ms (goal p99 < 50 ms); stdout line -> DOM (web path alone) median $(field "${dom[$pages]}" web_path_median_ms) ms p99 $(field "${dom[$pages]}" web_path_p99_ms) ms$([ "$pages" = 20 ] && echo "; stdout line -> a plain socket reader (server alone) median $(field "${dom[$pages]}" server_path_median_ms) ms p99 $(field "${dom[$pages]}" server_path_p99_ms) ms")")"
    done
} | tee "$out"
