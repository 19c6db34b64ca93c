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
