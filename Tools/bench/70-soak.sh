#!/usr/bin/env bash
# Soak: a deterministic 1 kHz x 4-channel session of SOAK_HOURS (default 8) generated as wire
# bytes a second at a time, recorded with CaptureWriter, read back with CaptureReader, decoded and
# run through the signal pipeline (the `soak` target, release build). The same run for 10 minutes
# is the baseline: peak memory (VmHWM) of the long run as a ratio of the short one's (flat = 1.0),
# and the contact time counted by the pipeline and from its readings must equal the generator's
# known contact time exactly (plus the profile's off-delay minus on-delay per contact).
# The capture (~23 kB per simulated second: 660 MB for 8 h) goes to TMPDIR and is removed.
# Results in bench-out/70-soak.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
hours="${SOAK_HOURS:-8}"
out=bench-out/70-soak.txt
work="$(mktemp -d "${TMPDIR:-/tmp}/rollsense-soak-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p bench-out

swift build -c release --product soak >/dev/null
swift build -c release --product rollsense >/dev/null
soak="$(swift build -c release --show-bin-path)/soak"
rollsense="$(swift build -c release --show-bin-path)/rollsense"
# The report step: `rollsense replay --json` of the long capture, whose summary's contact time must
# match too. The capture has no calibration, so counts are newtons (500 per channel in contact,
# 2000 in all, ~0 at rest): the foam-roller profile's 20 N on / 10 N off separate them cleanly;
# median 1, no smoother and no re-zero make the switch exact, with the same 0.2 s / 0.5 s delays.
"${PYTHON:-python3}" - "$work/profile.json" <<'PY'
import json, sys
profile = json.load(open("Profiles/foam-roller-lower-back.json"))
profile["name"] = "soak-exact"
profile["filter"]["medianLength"] = 1
profile["filter"]["smoother"] = "none"
profile["rezero"]["enabled"] = False
json.dump(profile, open(sys.argv[1], "w"))
PY
long_seconds=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')

field() { printf '%s\n' "$1" | sed -n "s/.*\"$2\":\(true\|false\|[0-9][0-9.e+-]*\).*/\1/p"; }

short="$("$soak" 600 "$work/short.rscap")"
long="$(SOAK_KEEP_CAPTURE=1 "$soak" "$long_seconds" "$work/long.rscap")"
summary="$(XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" "$rollsense" replay "$work/long.rscap" --speed max --json --profile "$work/profile.json" | tail -1)"
rm -f "$work/long.rscap"
report_contact=$(printf '%s\n' "$summary" | sed -n 's/.*"contactS":\([0-9.]*\).*/\1/p')
report_samples=$(printf '%s\n' "$summary" | sed -n 's/.*"samples":\([0-9]*\).*/\1/p')
{
    echo "soak: 1 kHz x 4 channels, capture -> read -> decode -> pipeline; short 600 s, long ${long_seconds} s"
    echo "short: $short"
    echo "long:  $long"
    echo "peak RSS: short $(field "$short" peak_rss_kib) KiB, long $(field "$long" peak_rss_kib) KiB, ratio long/short $(awk -v a="$(field "$long" peak_rss_kib)" -v b="$(field "$short" peak_rss_kib)" 'BEGIN { printf "%.2f", a / b }')"
    echo "contact time (long): generator $(field "$long" generator_contact_us) us over $(field "$long" contacts) contacts, expected from pipeline $(field "$long" expected_pipeline_contact_us) us, pipeline $(field "$long" pipeline_contact_us) us, readings $(field "$long" readings_contact_us) us, exact: $(field "$long" exact)"
    expected_s=$(awk -v us="$(field "$long" expected_pipeline_contact_us)" 'BEGIN { printf "%.2f", us / 1e6 }')
    echo "report (rollsense replay --json summary, long): ${report_samples} samples, contactS ${report_contact} vs expected ${expected_s}: $([ "$report_contact" = "$expected_s" ] && echo exact || echo DIFFERENT)"
    echo "speed (long): record $(field "$long" record_seconds) s, replay $(field "$long" replay_seconds) s = $(awk -v s="$long_seconds" -v r="$(field "$long" replay_seconds)" 'BEGIN { printf "%.0f", s / r }')x real time"
} | tee "$out"
[ "$(field "$short" exact)" = true ] && [ "$(field "$long" exact)" = true ] && [ "$report_contact" = "$(awk -v us="$(field "$long" expected_pipeline_contact_us)" 'BEGIN { printf "%.2f", us / 1e6 }')" ]
