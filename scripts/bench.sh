#!/usr/bin/env bash
# End-to-end benchmark of `llmcost analyze`: MB/s, records/s and peak memory
# per log format on generated logs (see scripts/bench/main.go for flags).
# The in-process Go benchmark is: go test -run '^$' -bench BenchmarkAnalyze ./pkg/ingest/
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./scripts/bench "$@"
