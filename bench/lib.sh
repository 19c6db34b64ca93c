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

# start_moto: starts the local cloud's endpoint (moto extended by ncaas's emulator, checks on: the
# same work for every client) on a free loopback port, exports the AWS_* variables both ncaas and the
# AWS tools read (its bootstrap user's key), and stops it on exit (it removes its instances).
start_moto() {
  local ready="$results_dir/endpoint.json"
  rm -f "$ready"
  PYTHONPATH="$bench_root/Sources/LocalCloud/Emulator" PYTHONDONTWRITEBYTECODE=1 "$python_bin" -m ncaas_emulator --port 0 \
    --state-folder "$results_dir/endpoint-state" --base-image localhost/ncaas-base:bookworm-3 \
    --podman-options "${NCAAS_LOCAL_DIR:-$HOME/.ncaas/local}/podman-options.json" >"$ready" 2>"$results_dir/moto.log" &
  moto_pid=$!
  trap 'kill $moto_pid 2>/dev/null || true; wait $moto_pid 2>/dev/null || true' EXIT
  for _ in $(seq 200); do
    if [ -s "$ready" ]; then
      eval "$("$python_bin" -c 'import json,sys; r=json.load(open(sys.argv[1])); print("export AWS_ENDPOINT_URL=%s AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s" % (r["endpoint"], r["user"]["accessKeyId"], r["user"]["secretAccessKey"]))' "$ready")"
      export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
      return 0
    fi
    sleep 0.1
  done
  echo "the endpoint did not start; see $results_dir/moto.log" >&2
  return 1
}

# bare_instance_life ADDRESS KEY: the floor of an instance's life, with no cloud at all: `podman
# run -d` of the base image on the host network that makes the login user with KEY.pub and a host
# key and starts sshd on port 22 of ADDRESS (a loopback address of its own, as the local cloud's
# instances have), until the system `ssh true` logs in; then `podman rm -f`.
bare_instance_life() {
  local address=$1 key=$2 name="bench-floor-$1"
  podman $podman_global run -d $podman_run --name "$name" --network host -e KEY="$(cat "$key.pub")" \
    localhost/ncaas-base:bookworm-3 sh -c "useradd -m -s /bin/bash ubuntu && install -d -m 0700 -o ubuntu -g ubuntu /home/ubuntu/.ssh \
      && printf '%s\\n' \"\$KEY\" > /home/ubuntu/.ssh/authorized_keys && chown ubuntu /home/ubuntu/.ssh/authorized_keys \
      && mkdir -p /run/sshd && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/host_ed25519 \
      && exec /usr/sbin/sshd -D -e -h /etc/ssh/host_ed25519 -o ListenAddress=$address -p 22" >/dev/null
  until ssh -q -i "$key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=2 \
        "ubuntu@$address" true 2>/dev/null; do sleep 0.02; done
  podman $podman_global rm -f -t 0 "$name" >/dev/null
}

# podman_options: sets podman_global and podman_run from this machine's detected options.
podman_options() {
  local opts
  opts=$("$python_bin" -c 'import json,os; p=os.path.join(os.environ.get("NCAAS_LOCAL_DIR", os.path.expanduser("~/.ncaas/local")), "podman-options.json"); d=json.load(open(p)) if os.path.exists(p) else {}; print(" ".join(d.get("globalArguments", [])), "|", " ".join(d.get("runArguments", [])))')
  podman_global=${opts%%|*}; podman_run=${opts#*|}
}

# loopback_addresses N: N random 127.x.y.z addresses (never in 127.0.0.0/16).
loopback_addresses() {
  "$python_bin" -c 'import random, sys; print(" ".join("127.%d.%d.%d" % (random.randint(16, 254), random.randint(0, 255), random.randint(2, 254)) for _ in range(int(sys.argv[1]))))' "$1"
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
