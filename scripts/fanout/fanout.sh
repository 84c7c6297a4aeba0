#!/usr/bin/env bash
# Fan `llmcost analyze` out over log shards on one machine and merge the
# partial reports: the local recipe of the pattern an engine (a Kubernetes
# indexed Job, Spark's RDD.pipe, AWS Batch array jobs) runs at scale.
#
#   scripts/fanout/fanout.sh [-j JOBS] [-o OUT] [-f FORMAT] SHARD...
#
# Each shard (a file, .gz/.zst allowed) is analyzed on its own with
# --partial; `llmcost merge` then gives exactly the report of one run over
# all the shards, in the order given. Extra analyze flags (e.g. --group-by)
# go in LLMCOST_ANALYZE_FLAGS. Needs llmcost on PATH (or LLMCOST=path).
set -euo pipefail
jobs=$(nproc 2>/dev/null || echo 2)
out=-
format=json
while getopts "j:o:f:" opt; do
	case $opt in
	j) jobs=$OPTARG ;;
	o) out=$OPTARG ;;
	f) format=$OPTARG ;;
	*) echo "usage: $0 [-j JOBS] [-o OUT] [-f FORMAT] SHARD..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-j JOBS] [-o OUT] [-f FORMAT] SHARD..." >&2; exit 2; }
llmcost=${LLMCOST:-llmcost}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Number the shards so the merge keeps their order, then analyze them JOBS
# at a time. A shard that fails leaves no partial, which is caught below.
i=0
for s in "$@"; do
	printf '%06d\t%s\0' "$i" "$s"
	i=$((i + 1))
done >"$work/list"
export LLMCOST_BIN="$llmcost" FANOUT_WORK="$work" LLMCOST_ANALYZE_FLAGS="${LLMCOST_ANALYZE_FLAGS:-}"
xargs -0 -P "$jobs" -n 1 sh -c '
	idx=${1%%	*}
	shard=${1#*	}
	"$LLMCOST_BIN" analyze --partial --format json $LLMCOST_ANALYZE_FLAGS -o "$FANOUT_WORK/$idx.json" "$shard" 2>"$FANOUT_WORK/$idx.err"
' sh <"$work/list" || true

partials=()
i=0
for s in "$@"; do
	p=$(printf '%s/%06d.json' "$work" "$i")
	if [ ! -s "$p" ]; then
		echo "fanout: shard $s gave no partial report:" >&2
		cat "$(printf '%s/%06d.err' "$work" "$i")" >&2 || true
		exit 1
	fi
	partials+=("$p")
	i=$((i + 1))
done
"$llmcost" merge --format "$format" -o "$out" "${partials[@]}"
