#!/usr/bin/env sh
# Run by spark_pipe.py through RDD.pipe on each executor: every input line
# is "INDEX SHARDS LOG..." and gives one output line, the partial simulate
# report of that shard as one line of JSON (the pretty-printed report with
# its line breaks removed: JSON strings never hold raw line breaks). Extra
# simulate flags go in LLMCOST_SIMULATE_FLAGS; the shard key in
# LLMCOST_SHARD_KEY (default prefix).
set -eu
llmcost=${LLMCOST:-llmcost}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while read -r index shards logs; do
	# shellcheck disable=SC2086 # logs and flags are lists
	"$llmcost" simulate --quiet --partial --shard-key "${LLMCOST_SHARD_KEY:-prefix}" --shard "$index/$shards" \
		${LLMCOST_SIMULATE_FLAGS:-} -o "$tmp" $logs
	tr -d '\n' <"$tmp"
	echo
done
