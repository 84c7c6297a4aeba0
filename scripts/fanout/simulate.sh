#!/usr/bin/env bash
# Fan `llmcost simulate` out over N shards of a log on one machine and
# merge them: the local recipe of what k8s-job.yaml and spark_pipe.py run on
# a cluster.
#
#   scripts/fanout/simulate.sh [-n SHARDS] [-j JOBS] [-k KEY] [-o OUT] [-f FORMAT] LOG...
#
# Every shard reads the whole log and keeps the requests whose KEY
# (conversation, user, system, prefix; default prefix, which keeps every
# prompt-cache hit in its shard) hashes to it, so the shards are disjoint
# and `llmcost merge` gives the simulation of the whole. Extra simulate flags
# (e.g. --scenario, --config) go in LLMCOST_SIMULATE_FLAGS. Needs llmcost on
# PATH (or LLMCOST=path).
set -euo pipefail
shards=4
jobs=$(nproc 2>/dev/null || echo 2)
key=prefix
out=-
format=table
usage="usage: $0 [-n SHARDS] [-j JOBS] [-k KEY] [-o OUT] [-f FORMAT] LOG..."
while getopts "n:j:k:o:f:" opt; do
	case $opt in
	n) shards=$OPTARG ;;
	j) jobs=$OPTARG ;;
	k) key=$OPTARG ;;
	o) out=$OPTARG ;;
	f) format=$OPTARG ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
llmcost=${LLMCOST:-llmcost}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export LLMCOST_BIN="$llmcost" FANOUT_WORK="$work" FANOUT_KEY="$key" FANOUT_SHARDS="$shards" \
	LLMCOST_SIMULATE_FLAGS="${LLMCOST_SIMULATE_FLAGS:-}"
# The logs are passed to every shard after the index.
seq 0 $((shards - 1)) | xargs -P "$jobs" -I{} sh -c '
	i=$1; shift
	"$LLMCOST_BIN" simulate --quiet --partial --shard-key "$FANOUT_KEY" --shard "$i/$FANOUT_SHARDS" \
		$LLMCOST_SIMULATE_FLAGS -o "$FANOUT_WORK/$i.json" "$@" 2>"$FANOUT_WORK/$i.err"
' sh {} "$@" || true

partials=()
for i in $(seq 0 $((shards - 1))); do
	if [ ! -s "$work/$i.json" ]; then
		echo "simulate fan-out: shard $i/$shards gave no partial report:" >&2
		cat "$work/$i.err" >&2 || true
		exit 1
	fi
	partials+=("$work/$i.json")
done
"$llmcost" merge --format "$format" -o "$out" "${partials[@]}"
