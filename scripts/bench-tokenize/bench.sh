#!/bin/sh
# Measures pkg/tokenize against tiktoken-go on one core and prints the MB/s
# of both and their ratio, per encoding, from the same run: the ratio is
# what matters on a shared, noisy machine; absolute numbers drift.
#
#   scripts/bench-tokenize/bench.sh [count]
#
# BenchmarkCount times each encoder on its own; BenchmarkCountPaired times
# both in the same loop, 64 KiB segment by segment, so that load from other
# processes hits both alike. The corpus is the repository's own code, docs,
# pricing data and sample logs plus testdata/tokenize (benchCorpus in
# pkg/tokenize/bench_test.go); BenchmarkCount first checks that the token
# ids of the whole corpus are identical to tiktoken-go's.
set -eu
count=${1:-3}
cd "$(dirname "$0")/../.."
go test -run '^$' -bench '^BenchmarkCount(Paired)?$' -benchtime 3x -count "$count" -cpu 1 ./pkg/tokenize/ |
	awk '
	/^BenchmarkCount\// {
		split($1, p, "/"); enc = p[2]; impl = p[3]
		for (i = 1; i <= NF; i++) if ($(i+1) == "MB/s") { sum[enc "/" impl] += $i; n[enc "/" impl]++ }
	}
	/^BenchmarkCountPaired\// {
		split($1, p, "/"); enc = p[2]
		for (i = 1; i <= NF; i++) {
			if ($(i+1) == "ours-MB/s") po[enc] += $i
			if ($(i+1) == "tiktoken-go-MB/s") pt[enc] += $i
			if ($(i+1) == "x-faster") { px[enc] += $i; pn[enc]++ }
		}
	}
	/^Benchmark/ { print }
	END {
		print ""
		for (k in n) if (k ~ /\/ours$/) {
			enc = k; sub(/\/ours$/, "", enc)
			ours = sum[k] / n[k]; ref = sum[enc "/tiktoken-go"] / n[enc "/tiktoken-go"]
			printf "BenchmarkCount        %-12s ours %6.1f MB/s  tiktoken-go %5.2f MB/s  ratio %5.1fx\n", enc, ours, ref, ours / ref
		}
		for (enc in pn)
			printf "BenchmarkCountPaired  %-12s ours %6.1f MB/s  tiktoken-go %5.2f MB/s  ratio %5.1fx\n", enc, po[enc] / pn[enc], pt[enc] / pn[enc], px[enc] / pn[enc]
	}'
