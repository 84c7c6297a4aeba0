// Command semcache-eval measures the precision and recall of the semantic
// cache's offline similarity (character n-gram TF-IDF cosine with the
// number and negation guards) on labelled sentence pairs:
//
//	go run ./scripts/semcache-eval testdata/semcache/pairs.tsv
//	go run ./scripts/semcache-eval -ngram 3,4,5 /path/to/sts-test.csv /path/to/msr_paraphrase_test.txt
//
// Each file is tab-separated: the project's own pairs (label, kind, a, b),
// the STS Benchmark (a pair is "the same" when its score is at least
// -min-score, 4 by default: "mostly equivalent"), or the Microsoft Research
// Paraphrase Corpus. testdata/semcache/README.md says where the public
// sets come from and what their licences allow; only the project's own
// pairs are committed.
//
// A "hit" is a pair the cache would answer with the other's answer:
// precision is the share of hits that are real paraphrases, recall the
// share of paraphrases that hit.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/llmcost/llmcost/pkg/simulate/semcache"
)

func main() {
	ngrams := flag.String("ngram", "3", "n-gram sizes to compare, comma-separated")
	thr := flag.String("thresholds", "0.6,0.65,0.7,0.75,0.8,0.85,0.9,0.95", "similarity thresholds, comma-separated")
	minScore := flag.Float64("min-score", 4, "STS Benchmark score at or above which a pair counts as the same")
	kinds := flag.Bool("kinds", false, "also break each file down by kind of pair")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: semcache-eval [-ngram 3,4] [-thresholds ...] <pairs.tsv>...")
		os.Exit(2)
	}
	ns, err := ints(*ngrams)
	if err != nil {
		fail(err)
	}
	ts, err := floats(*thr)
	if err != nil {
		fail(err)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "file\tpairs\tsame\tngram\tguards\tthreshold\tprecision\trecall\tF0.5\tfalse hits\t")
	for _, path := range flag.Args() {
		f, err := os.Open(path)
		if err != nil {
			fail(err)
		}
		pairs, err := semcache.ReadPairs(f, *minScore)
		f.Close()
		if err != nil {
			fail(fmt.Errorf("%s: %w", path, err))
		}
		same := 0
		for _, p := range pairs {
			if p.Same {
				same++
			}
		}
		for _, n := range ns {
			scored := semcache.ScorePairs(pairs, n)
			for _, guards := range []bool{false, true} {
				for _, p := range semcache.Measure(scored, ts, guards) {
					row(w, filepath.Base(path), len(pairs), same, n, guards, p)
				}
			}
			if *kinds {
				names, by := semcache.ByKind(scored)
				for _, k := range names {
					s := by[k]
					c := 0
					for _, p := range s {
						if p.Same {
							c++
						}
					}
					for _, p := range semcache.Measure(s, ts, true) {
						row(w, filepath.Base(path)+":"+k, len(s), c, n, true, p)
					}
				}
			}
		}
	}
	w.Flush()
}

func row(w *tabwriter.Writer, name string, n, same, ngram int, guards bool, p semcache.Point) {
	g := "off"
	if guards {
		g = "on"
	}
	fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%s\t%.2f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", name, n, same, ngram, g, p.Threshold,
		p.Precision, p.Recall, p.F05, p.FalseHitRate)
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 16 {
			return nil, fmt.Errorf("n-gram size %q: want 1 to 16", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func floats(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || x < 0 || x > 1 {
			return nil, fmt.Errorf("threshold %q: want a number between 0 and 1", f)
		}
		out = append(out, x)
	}
	return out, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "semcache-eval:", err)
	os.Exit(1)
}
