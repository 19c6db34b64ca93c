#!/usr/bin/env bash
# `ncaas dev status` of a live dev instance on the local cloud vs what a user would otherwise
# type: `aws ec2 describe-instances` with the same tag filters, against the same endpoint.
# Both are whole processes, on a local cloud of the benchmark's own; the dev instance it launches
# is terminated on exit.
source "$(dirname "$0")/lib.sh"
own_local_cloud
project=$(mktemp -d)
cleanup() { "$ncaas" dev terminate "$project/blueprints/bench-status" --force >/dev/null 2>&1 || true; rm -rf "$project"; own_local_cloud_down; }
trap cleanup EXIT
(cd "$project" && "$ncaas" configure bench-status --ami ubuntu18 --instance-type t3.micro >/dev/null)
blueprint="$project/blueprints/bench-status"
"$ncaas" dev terminate "$blueprint" --force >/dev/null 2>&1 || true
"$ncaas" dev launch "$blueprint" >/dev/null
aws_bin=$(command -v aws)
mapfile -t means < <(hyperfine_means dev_status "$ncaas dev status $blueprint" \
  "$aws_bin ec2 describe-instances --filters Name=tag:ncaas:analysis,Values=bench-status Name=tag:ncaas:role,Values=dev Name=instance-state-name,Values=pending,running,stopping,stopped")
"$python_bin" - "${means[0]}" "${means[1]}" <<'PY'
import json, sys
ncaas, cli = map(float, sys.argv[1:3])
print(json.dumps({"operation": "ncaas dev status (local cloud, whole process)", "ncaas_ms": ncaas,
                  "tool": "aws ec2 describe-instances --filters", "tool_ms": cli,
                  "goal": ">= 5x faster than the AWS CLI", "met": cli / ncaas >= 5}))
PY
