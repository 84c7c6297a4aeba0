package semcache

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// The measured precision and recall of the defaults on the committed
// pairs (testdata/semcache/pairs.tsv: paraphrases and hard negatives with
// one number, negation or word changed) must not regress: the README
// states them.
func TestPairsPrecisionRecall(t *testing.T) {
	f, err := os.Open("../../../testdata/semcache/pairs.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pairs, err := ReadPairs(f, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) < 250 {
		t.Fatalf("%d pairs, want the whole file", len(pairs))
	}
	scored := ScorePairs(pairs, DefaultNGram)
	p := Measure(scored, []float64{DefaultThreshold}, true)[0]
	t.Logf("threshold %.2f: precision %.3f recall %.3f false-hit rate %.3f (TP %d FP %d FN %d TN %d)", p.Threshold, p.Precision, p.Recall, p.FalseHitRate, p.TP, p.FP, p.FN, p.TN)
	if p.Precision < 0.99 || p.Recall < 0.41 || p.FalseHitRate > 0.005 {
		t.Errorf("precision %.3f (want >= 0.99), recall %.3f (want >= 0.41), false hits %.3f (want <= 0.005)", p.Precision, p.Recall, p.FalseHitRate)
	}
	// the guards alone refuse every number and negation change above the
	// threshold
	_, by := ByKind(scored)
	for _, kind := range []string{"number", "negation", "order"} {
		for _, s := range by[kind] {
			if s.Sim >= DefaultThreshold && s.Guard == Accepted {
				t.Errorf("%s pair let through at %.3f: %q / %q", kind, s.Sim, s.A, s.B)
			}
		}
	}
	// without guards the same threshold serves wrong answers
	if q := Measure(scored, []float64{DefaultThreshold}, false)[0]; q.FalseHitRate <= p.FalseHitRate {
		t.Errorf("guards change nothing: false hits %.3f without, %.3f with", q.FalseHitRate, p.FalseHitRate)
	}
}

func TestReadPairs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []LabeledPair
		err      string
	}{
		{name: "own", in: "# comment\nlabel\tkind\ta\tb\n1\ttypo\tx\ty\n0\tword\tp\tq\n",
			want: []LabeledPair{{A: "x", B: "y", Same: true, Kind: "typo"}, {A: "p", B: "q", Kind: "word"}}},
		{name: "sts", in: "main-captions\tMSRvid\t2012test\t0001\t4.2\ta\tb\nmain-captions\tMSRvid\t2012test\t0002\t3.9\tc\td\n",
			want: []LabeledPair{{A: "a", B: "b", Same: true, Kind: "sts:MSRvid"}, {A: "c", B: "d", Kind: "sts:MSRvid"}}},
		{name: "mrpc", in: "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\ta\tb\n",
			want: []LabeledPair{{A: "a", B: "b", Same: true, Kind: "mrpc"}}},
		{name: "paws", in: "id\tsentence1\tsentence2\tlabel\n1\ta\tb\t0\n",
			want: []LabeledPair{{A: "a", B: "b", Kind: "paws"}}},
		{name: "qqp", in: "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n0\t1\t2\ta?\tb?\t1\n1\t3\t4\tbroken\n",
			want: []LabeledPair{{A: "a?", B: "b?", Same: true, Kind: "qqp"}}},
		{name: "bad score", in: "s\tt\ty\ti\tfour\ta\tb\n", err: "line 1: score"},
		{name: "unknown", in: "a\tb\n", err: "unknown layout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadPairs(strings.NewReader(tt.in), 4)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
