# Shared helpers for benchmarks. Each benchmark prints one JSON line per row:
# {"operation", "ncaas_ms", "tool", "tool_ms", "goal", "met"}.
set -euo pipefail
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ncaas="${NCAAS_BIN:-$bench_root/.build/release/ncaas}"
# The real interpreter, not a version-manager shim, so the comparison is fair to Python.
python_bin=$(python3 -c 'import sys; print(sys.executable)')
results_dir="$bench_root/bench/results"
mkdir -p "$results_dir"

# hyperfine_means NAME CMD... : runs hyperfine on the commands side by side; prints their means in ms.
hyperfine_means() {
  local name=$1; shift
  hyperfine -N --warmup 5 --runs "${BENCH_RUNS:-40}" --export-json "$results_dir/$name.json" "$@" >/dev/null
  "$python_bin" - "$results_dir/$name.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['mean'] * 1000:.2f}")
PY
}

# start_moto: starts moto on a free loopback port (no auth: the benchmarks measure clients),
# exports the AWS_* variables both ncaas and the AWS tools read, and stops it on exit.
start_moto() {
  local port
  port=$("$python_bin" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$python_bin" -m moto.server -H 127.0.0.1 -p "$port" >"$results_dir/moto.log" 2>&1 &
  moto_pid=$!
  trap 'kill $moto_pid 2>/dev/null || true' EXIT
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
  for _ in $(seq 100); do
    curl -s -o /dev/null "$AWS_ENDPOINT_URL/moto-api/" && return 0
    sleep 0.1
  done
  echo "moto did not start; see $results_dir/moto.log" >&2
  return 1
}

# own_local_cloud: a local cloud of the benchmark's own (HOME, NCAAS_LOCAL_DIR and moto's port its
# own; the podman base image is shared), so what earlier runs left on a long-lived local cloud
# (moto answers filters by scanning everything it holds) does not slow it. own_local_cloud_down
# takes it down; call it from the benchmark's EXIT trap.
own_local_cloud() {
  own_cloud=$(mktemp -d)
  export HOME="$own_cloud/home" NCAAS_LOCAL_DIR="$own_cloud/local" NCAAS_PROFILE=local
  mkdir -p "$HOME"
  printf '[user]\n\tname = bench\n\temail = bench@example.org\n' > "$HOME/.gitconfig"
  local port
  port=$("$python_bin" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$ncaas" local up --port "$port" >/dev/null
  # Only now: moto, which up started, would look for the profile too (and not find it yet).
  export AWS_PROFILE=local
}
own_local_cloud_down() { "$ncaas" local down >/dev/null 2>&1 || true; rm -rf "$own_cloud"; }
