#!/usr/bin/env bash
# Jobs on the local cloud: `ncaas test-job` of the spike-stats analysis with 1 dataset and with
# 20 datasets, interleaved BENCH_JOBS_ROUNDS times (default 3), medians. The analysis itself runs
# for about 50 ms per dataset, so a job's wall time is ncaas's overhead plus its instances' lives.
# (One RunInstances call per job whatever the dataset count: JobsTests checks it.)
# Beside each, in the same round, the floor without ncaas: n bare instances of the base image
# started at once (bare_instance_life in lib.sh: podman run -d, host network, the login user and a
# host key made, sshd on port 22 of the instance's own address), each until the system `ssh true`
# logs in, then removed (podman rm -f): one dataset's instance life with no cloud, no S3, no job.
# Goals: overhead under 2 s per job beyond instance start (issue 7); the 20-dataset job within 1.1x
# its floor of 20 bare instance lives in the same round (issue 14).
# Works in a scratch copy of blueprints/spike-stats named bench-jobs (deployed, its image built
# and data uploaded once per run), so the repository's blueprint is never changed.
# It runs a local cloud of its own (HOME, NCAAS_LOCAL_DIR and moto's port its own; the podman
# base image is shared) and takes it down at the end.
source "$(dirname "$0")/lib.sh"
rounds=${BENCH_JOBS_ROUNDS:-3}
work=$(mktemp -d)
times="$work/times"
export HOME="$work/home" NCAAS_LOCAL_DIR="$work/local" NCAAS_PROFILE=local
mkdir -p "$HOME"
printf '[user]\n\tname = bench\n\temail = bench@example.org\n' > "$HOME/.gitconfig"
trap 'podman rm -f -t 0 $(podman ps -aq --filter name=bench-floor-) >/dev/null 2>&1 || true; "$ncaas" local down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
port=$("$python_bin" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$ncaas" local up --port "$port" >/dev/null
mkdir -p "$work/blueprints"
cp -r "$bench_root/blueprints/spike-stats" "$work/blueprints/bench-jobs"
sed -i 's/"PipelineName": "spike-stats"/"PipelineName": "bench-jobs"/; s/"DEPLOY_LIMIT": 20/"DEPLOY_LIMIT": 40/' "$work/blueprints/bench-jobs/stack_config_template.json"
cd "$work"
git init -q -b main && git add -A && git commit -q -m blueprint
"$ncaas" deploy bench-jobs --no-manager >/dev/null
"$ncaas" image build bench-jobs >/dev/null
for i in $(seq 20); do cp blueprints/bench-jobs/data/session1.csv "$work/s$i.csv"; done
"$ncaas" data put bench-jobs neurolab "$work"/s*.csv >/dev/null
"$ncaas" data put bench-jobs neurolab blueprints/bench-jobs/data/config.json --configs >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$work/floor_key"
podman_options
# floor_instances N: N bare instance lives at once (bare_instance_life: started, logged into, removed).
floor_instances() {
  local address
  for address in $(loopback_addresses "$1"); do bare_instance_life "$address" "$work/floor_key" & done
  wait
}
stamp=$(date +%s)
for round in $(seq "$rounds"); do
  for n in 1 20; do
    names=$("$python_bin" -c "import json,sys; n=int(sys.argv[1]); print(json.dumps(['neurolab/inputs/s%d.csv' % i for i in range(1, n + 1)]))" "$n")
    printf '{"dataname": %s, "configname": "neurolab/configs/config.json", "timestamp": "%s-%s-%s"}\n' "$names" "$stamp" "$round" "$n" > "$work/submit.json"
    start=$(date +%s.%N)
    "$ncaas" test-job bench-jobs "$work/submit.json" --output json > "$work/report-$round-$n.json"
    end=$(date +%s.%N)
    echo "$n $start $end $work/report-$round-$n.json" >> "$times"
    # The floor beside it: n bare instance lives (start, SSH login, remove), at once.
    start=$(date +%s.%N)
    floor_instances "$n"
    end=$(date +%s.%N)
    echo "floor$n $start $end -" >> "$times"
  done
done
"$python_bin" - "$times" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    n, start, end, report = line.split()
    if report == "-":
        runs.setdefault(n, []).append((float(end) - float(start)) * 1000)
        continue
    r = json.load(open(report))
    if not r["succeeded"]:
        sys.exit(f"jobs.sh: the {n}-dataset job failed: {r}")
    runs.setdefault(n, []).append((float(end) - float(start)) * 1000)
med = {n: statistics.median(v) for n, v in runs.items()}
print(json.dumps({"operation": f"test-job, 1 dataset: submit to every result in S3, its instance's life included (local, median of {len(runs['1'])})",
                  "ncaas_ms": med["1"], "tool": "floor: 1 bare instance started, logged into, removed", "tool_ms": med["floor1"],
                  "goal": "overhead beyond the instance's life under 2 s", "met": med["1"] - med["floor1"] < 2000}))
print(json.dumps({"operation": f"test-job, 20 datasets (local, median of {len(runs['20'])})", "ncaas_ms": med["20"],
                  "tool": "the same job with 1 dataset", "tool_ms": med["1"], "goal": "within 3x of one dataset", "met": med["20"] <= 3 * med["1"]}))
print(json.dumps({"operation": f"test-job, 20 datasets (local, median of {len(runs['20'])})", "ncaas_ms": med["20"],
                  "tool": "floor: 20 bare instance lives at once (started, logged into, removed; no cloud, no S3, no job)", "tool_ms": med["floor20"],
                  "goal": "within 1.1x its floor", "met": med["20"] <= 1.1 * med["floor20"]}))
PY
