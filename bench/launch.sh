#!/usr/bin/env bash
# Launch-to-SSH-ready of a local instance against the floor, on one endpoint started for the run:
# a bare `podman run` of the base image that makes the login user and a host key and starts sshd on
# port 22 of its own loopback address, until the system `ssh true` logs in; vs ncaas's launch as
# `dev launch` runs it (RunInstances, running, host keys from the console, SSH login, deadline). Interleaved, BENCH_LAUNCH_ROUNDS times each (default 5); medians compared.
# `ncaas-bench launch-local` builds the base image first if it is missing (as `ncaas local up` does).
source "$(dirname "$0")/lib.sh"
rounds=${BENCH_LAUNCH_ROUNDS:-5}
bench_bin="${NCAAS_BENCH_BIN:-$bench_root/.build/release/ncaas-bench}"
start_moto
row=$("$bench_bin" launch-local "$rounds")
echo "$row" > "$results_dir/launch.json"
"$python_bin" - "$row" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
if r["containers_left"]:
    sys.exit(f"launch.sh: {r['containers_left']} containers of the run were left behind")
floor, ncaas = r["floor_s"] * 1000, r["ncaas_s"] * 1000
print(json.dumps({"operation": f"local launch to SSH login, median of {r['rounds']} (what dev launch runs: RunInstances, running, host keys from the console, SSH login, deadline armed)",
                  "ncaas_ms": ncaas, "tool": "bare podman run: user, host key, sshd on its own address, ssh login (the floor)", "tool_ms": floor,
                  "goal": "within 1.2x the floor", "met": ncaas <= 1.2 * floor}))
PY
