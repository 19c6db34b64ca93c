#!/usr/bin/env bash
# Workshop fleets on the local cloud: time from `ncaas fleet launch` to every seat's service
# answering (python3 -m http.server, as in the tests), for 1, 5 and 10 seats, interleaved
# BENCH_FLEET_ROUNDS times (default 3), medians. Each fleet is terminated before the next.
# Goal: 10 seats within 2x of one seat. The floor beside it: N bare `podman run -d` of the base
# image started at once (the container starts alone, no sshd, no service), measured the same way.
source "$(dirname "$0")/lib.sh"
own_local_cloud
rounds=${BENCH_FLEET_ROUNDS:-3}
times=$(mktemp)
trap 'for n in 1 5 10; do "$ncaas" fleet terminate "bench-fleet-$n" >/dev/null 2>&1 || true; done; rm -f "$times"; own_local_cloud_down' EXIT
for round in $(seq "$rounds"); do
  for n in 1 5 10; do
    "$ncaas" fleet terminate "bench-fleet-$n" >/dev/null 2>&1 || true
    start=$(date +%s.%N)
    "$ncaas" fleet launch "bench-fleet-$n" --image ubuntu18 --count "$n" --instance-type t3.micro --hours 1 \
      --command 'python3 -m http.server {port} --bind {host}' --output json >/dev/null
    end=$(date +%s.%N)
    echo "$n $start $end" >> "$times"
    "$ncaas" fleet terminate "bench-fleet-$n" >/dev/null
    sleep 1  # let podman finish removing the last fleet
  done
done
# The floors, after every fleet, so their container removals do not slow a fleet.
podman_opts=$("$python_bin" -c 'import json,os; p=os.environ["NCAAS_LOCAL_DIR"] + "/podman-options.json"; d=json.load(open(p)) if os.path.exists(p) else {}; print(" ".join(d.get("globalArguments", [])), "|", " ".join(d.get("runArguments", [])))')
global_args=${podman_opts%%|*}; run_args=${podman_opts#*|}
for round in $(seq "$rounds"); do
  for n in 1 10; do
    start=$(date +%s.%N)
    for i in $(seq "$n"); do podman $global_args run -d $run_args --network host --name "bench-floor-$i" localhost/ncaas-base:bookworm sleep 30 >/dev/null & done
    wait
    end=$(date +%s.%N)
    echo "floor$n $start $end" >> "$times"
    podman rm -f -t 0 $(seq -f "bench-floor-%g" "$n") >/dev/null 2>&1 || true
    sleep 1
  done
done
"$python_bin" - "$times" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    n, start, end = line.split()
    runs.setdefault(n, []).append((float(end) - float(start)) * 1000)
med = {n: statistics.median(v) for n, v in runs.items()}
for n in ("5", "10"):
    print(json.dumps({"operation": f"fleet launch to all {n} seats answering (local, median of {len(runs[n])})", "ncaas_ms": med[n],
                      "tool": "the same for 1 seat", "tool_ms": med["1"],
                      "goal": "10 seats within 2x of one seat" if n == "10" else "(for reading)", "met": med[n] <= 2 * med["1"]}))
for n in ("1", "10"):
    print(json.dumps({"operation": f"floor: {n} bare podman run -d at once (no sshd, no service)", "ncaas_ms": med["floor" + n],
                      "tool": "ncaas fleet launch, " + n + " seat(s)", "tool_ms": med[n],
                      "goal": "(for reading: 10 bare containers take %.1fx one)" % (med["floor10"] / med["floor1"]), "met": True}))
PY
