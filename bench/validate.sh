#!/usr/bin/env bash
# Validating a blueprint end to end (process start included) against the floor of any tool:
# Python starting up and parsing the same file with json.load.
source "$(dirname "$0")/lib.sh"
file="$bench_root/blueprints/spike-rates/stack_config_template.json"
mapfile -t means < <(hyperfine_means validate \
  "$ncaas blueprint validate $file" \
  "$python_bin -c 'import json; json.load(open(\"$file\"))'")
"$python_bin" - "${means[0]}" "${means[1]}" <<'PY'
import json, sys
ncaas, python = map(float, sys.argv[1:3])
print(json.dumps({"operation": "blueprint validate (process start included)", "ncaas_ms": ncaas,
                  "tool": "python3 json.load (floor)", "tool_ms": python,
                  "goal": "< 20 ms", "met": ncaas < 20}))
PY
