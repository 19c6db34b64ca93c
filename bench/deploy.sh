#!/usr/bin/env bash
# Deploying a fresh stack on the local endpoint, first call to CREATE_COMPLETE, side by side in
# one run against `aws cloudformation deploy` of the same rendered template (which never validates):
#  - cold: `ncaas deploy` with an empty cache, so it calls ValidateTemplate (moto's runs cfn-lint, ~1 s);
#  - warm: `ncaas deploy` of a template this endpoint accepted before (an untimed `--dry-run` first,
#    as a user previews before deploying): ncaas remembers it and does not validate it again;
#  - ncaas's own share, cold and warm: its total minus the floor (boto3 making the same API calls
#    back to back in one process; with ValidateTemplate for cold, without for warm).
source "$(dirname "$0")/lib.sh"
start_moto
result=$("$python_bin" "$bench_root/bench/python/deploy_bench.py" "$ncaas" \
  "$bench_root/blueprints/spike-rates/stack_config_template.json" "${BENCH_DEPLOY_RUNS:-10}")
echo "$result" > "$results_dir/deploy.json"
"$python_bin" - "$result" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(json.dumps({"operation": "deploy a fresh stack (spike-rates), cold: never validated, ValidateTemplate (~1 s on moto)", "ncaas_ms": r["ncaas_ms"],
                  "tool": "aws cloudformation deploy", "tool_ms": r["aws_ms"],
                  "goal": "faster than aws cloudformation deploy", "met": r["ncaas_ms"] < r["aws_ms"]}))
print(json.dumps({"operation": "the same, warm: template validated before (after a --dry-run)", "ncaas_ms": r["ncaas_warm_ms"],
                  "tool": "aws cloudformation deploy", "tool_ms": r["aws_ms"],
                  "goal": "faster than aws cloudformation deploy", "met": r["ncaas_warm_ms"] < r["aws_ms"]}))
share = r["ncaas_ms"] - r["floor_ms"]
print(json.dumps({"operation": "ncaas deploy's own share, cold (total minus the floor)", "ncaas_ms": share,
                  "tool": "floor: boto3, same calls, one process", "tool_ms": r["floor_ms"],
                  "goal": "< 100 ms", "met": share < 100}))
share = r["ncaas_warm_ms"] - r["floor_no_validate_ms"]
print(json.dumps({"operation": "ncaas deploy's own share, warm (total minus the floor without ValidateTemplate)", "ncaas_ms": share,
                  "tool": "floor without ValidateTemplate", "tool_ms": r["floor_no_validate_ms"],
                  "goal": "< 100 ms", "met": share < 100}))
PY
