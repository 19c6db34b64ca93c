#!/usr/bin/env bash
# Workshop fleets on the local cloud: time from `ncaas fleet launch` to every seat's service
# answering (python3 -m http.server, as in the tests), for 1, 5 and 10 seats, interleaved
# BENCH_FLEET_ROUNDS times (default 3), medians. Each fleet is terminated before the next.
# Goal: 10 seats within 2x of one seat.
source "$(dirname "$0")/lib.sh"
"$ncaas" local up >/dev/null
export NCAAS_PROFILE=local
rounds=${BENCH_FLEET_ROUNDS:-3}
times=$(mktemp)
trap 'for n in 1 5 10; do "$ncaas" fleet terminate "bench-fleet-$n" >/dev/null 2>&1 || true; done; rm -f "$times"' EXIT
for round in $(seq "$rounds"); do
  for n in 1 5 10; do
    "$ncaas" fleet terminate "bench-fleet-$n" >/dev/null 2>&1 || true
    start=$(date +%s.%N)
    "$ncaas" fleet launch "bench-fleet-$n" --image ubuntu18 --count "$n" --instance-type t3.micro --hours 1 \
      --command 'python3 -m http.server {port} --bind {host}' --output json >/dev/null
    end=$(date +%s.%N)
    echo "$n $start $end" >> "$times"
    "$ncaas" fleet terminate "bench-fleet-$n" >/dev/null
  done
done
"$python_bin" - "$times" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    n, start, end = line.split()
    runs.setdefault(int(n), []).append((float(end) - float(start)) * 1000)
one = statistics.median(runs[1])
for n in (5, 10):
    median = statistics.median(runs[n])
    print(json.dumps({"operation": f"fleet launch to all {n} seats answering (local, median of {len(runs[n])})", "ncaas_ms": median,
                      "tool": "the same for 1 seat", "tool_ms": one,
                      "goal": "10 seats within 2x of one seat" if n == 10 else "(for reading)", "met": median <= 2 * one}))
PY
