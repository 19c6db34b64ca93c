#!/usr/bin/env bash
# Workshop fleets on the local cloud: time from `ncaas fleet launch` to every seat's service
# answering (python3 -m http.server, as in the tests), for 1, 5 and 10 seats, interleaved
# BENCH_FLEET_ROUNDS times (default 3), medians. Each fleet is terminated before the next.
# Goal: 10 seats within 1.3x their floor: 10 bare instances of the base image started at once, each
# making its host keys, running sshd and the same service, until every one answers.
source "$(dirname "$0")/lib.sh"
own_local_cloud
rounds=${BENCH_FLEET_ROUNDS:-3}
times=$(mktemp)
trap 'for n in 1 5 10; do "$ncaas" fleet terminate "bench-fleet-$n" >/dev/null 2>&1 || true; done; rm -f "$times"; own_local_cloud_down' EXIT
# The floor: N bare instances of the base image at once, each with its sshd and the same service
# answering (fleet_floor.py), measured in the same round as the fleets (the machine's load is shared).
podman_opts=$("$python_bin" -c 'import json,os; p=os.environ["NCAAS_LOCAL_DIR"] + "/podman-options.json"; d=json.load(open(p)) if os.path.exists(p) else {}; print(" ".join(d.get("globalArguments", [])), "|", " ".join(d.get("runArguments", [])))')
global_args=${podman_opts%%|*}; run_args=${podman_opts#*|}
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
    if [ "$n" != 5 ]; then
      ms=$("$python_bin" "$bench_root/bench/python/fleet_floor.py" "$n" localhost/ncaas-base:bookworm "$global_args" "$run_args")
      echo "floor$n 0 $("$python_bin" -c "print($ms / 1000)")" >> "$times"
      sleep 1
    fi
  done
done
"$python_bin" - "$times" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    n, start, end = line.split()
    runs.setdefault(n, []).append((float(end) - float(start)) * 1000)
med = {n: statistics.median(v) for n, v in runs.items()}
for n in ("1", "5"):
    print(json.dumps({"operation": f"fleet launch to all {n} seats answering (local, median of {len(runs[n])})", "ncaas_ms": med[n],
                      "tool": "floor: 1 bare instance with sshd and the service answering", "tool_ms": med["floor1"],
                      "goal": "(for reading)", "met": True}))
print(json.dumps({"operation": f"fleet launch to all 10 seats answering (local, median of {len(runs['10'])})", "ncaas_ms": med["10"],
                  "tool": "floor: 10 bare instances at once, each with sshd and the same service answering", "tool_ms": med["floor10"],
                  "goal": "within 1.3x the floor", "met": med["10"] <= 1.3 * med["floor10"]}))
PY
