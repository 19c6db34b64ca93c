#!/usr/bin/env bash
# The AWS client against the same moto, side by side:
#  - `ncaas doctor` vs `aws sts get-caller-identity` (whole processes: what a user types);
#  - 200 sequential DescribeInstances through ncaas's client vs boto3 in one Python process.
source "$(dirname "$0")/lib.sh"
start_moto
"$python_bin" "$bench_root/bench/python/moto_seed.py" 5
aws_bin=$(command -v aws)
mapfile -t means < <(hyperfine_means doctor "$ncaas doctor" "$aws_bin sts get-caller-identity")
calls=${BENCH_CALLS:-200}
swift_row=$("$bench_root/.build/release/ncaas-bench" describe-instances "$calls")
boto_row=$("$python_bin" "$bench_root/bench/python/boto3_describe.py" "$calls")
"$python_bin" - "${means[0]}" "${means[1]}" "$swift_row" "$boto_row" "$calls" <<'PY'
import json, sys
doctor, cli = map(float, sys.argv[1:3])
swift, boto = json.loads(sys.argv[3]), json.loads(sys.argv[4])
calls = sys.argv[5]
print(json.dumps({"operation": "ncaas doctor (STS GetCallerIdentity, whole process)", "ncaas_ms": doctor,
                  "tool": "aws sts get-caller-identity", "tool_ms": cli,
                  "goal": ">= 5x faster than the AWS CLI", "met": cli / doctor >= 5}))
print(json.dumps({"operation": f"DescribeInstances, per call ({calls} sequential, 5 instances)", "ncaas_ms": swift["per_call_ms"],
                  "tool": "boto3 in one process", "tool_ms": boto["per_call_ms"],
                  "goal": "no slower than boto3", "met": swift["per_call_ms"] <= boto["per_call_ms"]}))
PY
