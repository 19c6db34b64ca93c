#!/usr/bin/env bash
# Success rates of the commands through a fault-injecting proxy in front of the local cloud:
# at the first rate (10% 503, 10% throttling, 5% connection resets) and at double it. Runs
# FaultRateTests with NCAAS_FAULT_RUNS rounds times 2 (default 5: doctor 100 runs, every other
# command 10) and prints each command's successes.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
swift build --build-tests >/dev/null
NCAAS_FAULT_RUNS=$rounds swift test --skip-build --disable-swift-testing --filter FaultRateTests 2>&1 \
  | grep -E "^FAULT RATES|^  .* failures:|error:|Executed .* tests" || true
