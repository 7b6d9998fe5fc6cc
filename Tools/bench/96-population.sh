#!/usr/bin/env bash
# The alarms judged on a population of people (issue 24, docs/POPULATION.md): at least
# POPULATION_HOURS (default 50) hours of ordinary rolling and POPULATION_DANGERS (default 1000)
# planted dangers, drawn from the literature by RollSensePopulation and run through the signal
# pipeline with the built-in roller profile (`population-bench`, release build, not real time).
# Prints the table (false stop and caution alerts per hour with 95 % upper bounds, missed dangers,
# detection latency, chattering, each threshold's sensitivity to a 10 % move, the stop-level
# sweep) and writes the sweep's plot. Results in bench-out/96-population.txt and
# bench-out/96-population-stop-sweep.svg. POPULATION_ARGS adds options, e.g.
# POPULATION_ARGS="--set zones.stop=70" to judge a proposal.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench-out
swift build -c release --product population-bench >/dev/null
bin="$(swift build -c release --show-bin-path)/population-bench"
# shellcheck disable=SC2086  # POPULATION_ARGS is a list of options
"$bin" --hours "${POPULATION_HOURS:-50}" --dangers "${POPULATION_DANGERS:-1000}" --workers "$(nproc)" \
    --explain stops --svg bench-out/96-population-stop-sweep.svg ${POPULATION_ARGS:-} | tee bench-out/96-population.txt
