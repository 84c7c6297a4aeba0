#!/usr/bin/env bash
# End-to-end benchmarks:
#  1. `llmcost analyze`: MB/s, records/s and peak memory per log format on
#     generated logs (see scripts/bench/main.go for flags, passed through);
#     in process: go test -run '^$' -bench BenchmarkAnalyze ./pkg/ingest/
#  2. `llmcost simulate` with the default scenarios, alone and stacked, on a
#     generated request+response log of $SIMULATE_RECORDS requests (default
#     1,000,000; 0 skips it): requests/s by wall and CPU time, largest live
#     heap (see BenchmarkSimulate in pkg/simulate/scenarios).
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./scripts/bench "$@"
records=${SIMULATE_RECORDS:-1000000}
if [ "$records" -gt 0 ]; then
	echo
	echo "simulate: $records requests with prompt text, every default lever alone and stacked"
	LLMCOST_BENCH_RECORDS=$records go test -v -run '^$' -bench '^BenchmarkSimulate$' -benchtime 1x -timeout 60m ./pkg/simulate/scenarios/ |
		grep -E '^Benchmark|saves'
fi
