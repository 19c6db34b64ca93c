#!/usr/bin/env bash
# Deploying a fresh stack on the local endpoint, first call to CREATE_COMPLETE, side by side in
# one run against `aws cloudformation deploy` of the same rendered template:
#  - cold: `ncaas deploy` of a stack never deployed, with a fresh NCAAS_HOME (the change set
#    validates the template; a deploy sends no ValidateTemplate, only `--dry-run` does);
#  - ncaas's own share: its total minus the floor (boto3 making the same API calls back to back
#    in one process).
source "$(dirname "$0")/lib.sh"
start_moto
result=$("$python_bin" "$bench_root/bench/python/deploy_bench.py" "$ncaas" \
  "$bench_root/blueprints/spike-rates/stack_config_template.json" "${BENCH_DEPLOY_RUNS:-10}")
echo "$result" > "$results_dir/deploy.json"
"$python_bin" - "$result" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(json.dumps({"operation": "deploy a fresh stack (spike-rates), cold", "ncaas_ms": r["ncaas_ms"],
                  "tool": "aws cloudformation deploy", "tool_ms": r["aws_ms"],
                  "goal": "faster than aws cloudformation deploy", "met": r["ncaas_ms"] < r["aws_ms"]}))
share = r["ncaas_ms"] - r["floor_ms"]
print(json.dumps({"operation": "ncaas deploy's own share (total minus the floor)", "ncaas_ms": share,
                  "tool": "floor: boto3, same calls, one process", "tool_ms": r["floor_ms"],
                  "goal": "< 100 ms", "met": share < 100}))
PY
