package semcache

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// LabeledPair is a pair of prompts and whether one's answer serves the
// other (a paraphrase, true) or not (false), for measuring the lexical
// similarity's precision and recall.
type LabeledPair struct {
	A, B string
	Same bool
	// Kind groups pairs for reporting (paraphrase, number, negation, word…).
	Kind string
}

// ReadPairs reads labelled pairs, tab-separated, one a line, in one of
// five layouts recognised by the header or the column count:
//
//	label  kind  a  b                    (testdata/semcache/pairs.tsv)
//	... score  sentence1  sentence2      (STS Benchmark: same when score >= minScore)
//	Quality  #1 ID  #2 ID  #1 String  #2 String   (MRPC)
//	id  sentence1  sentence2  label      (PAWS)
//	id  qid1  qid2  question1  question2  is_duplicate   (Quora Question Pairs)
//
// Lines starting with # are comments.
func ReadPairs(r io.Reader, minScore float64) ([]LabeledPair, error) {
	var out []LabeledPair
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	line := 0
	layout := ""
	for sc.Scan() {
		line++
		t := strings.TrimRight(sc.Text(), "\r")
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, "\t")
		if layout == "" {
			switch {
			case strings.HasPrefix(t, "label\tkind"):
				layout = "pairs"
				continue
			case strings.HasPrefix(t, "Quality\t") || strings.HasPrefix(t, "\ufeffQuality\t"):
				layout = "mrpc"
				continue
			case strings.HasPrefix(t, "source\ttype\tyear"):
				layout = "sts"
				continue
			case strings.HasPrefix(t, "id\tsentence1\tsentence2\tlabel"):
				layout = "paws"
				continue
			case strings.HasPrefix(t, "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate"):
				layout = "qqp"
				continue
			case len(f) == 4:
				layout = "pairs"
			case len(f) >= 7:
				layout = "sts"
			case len(f) == 5:
				layout = "mrpc"
			default:
				return nil, fmt.Errorf("line %d: unknown layout (%d columns)", line, len(f))
			}
		}
		var p LabeledPair
		switch layout {
		case "pairs":
			if len(f) != 4 {
				return nil, fmt.Errorf("line %d: want 4 columns (label, kind, a, b), got %d", line, len(f))
			}
			p = LabeledPair{Same: f[0] == "1", Kind: f[1], A: f[2], B: f[3]}
		case "sts":
			if len(f) < 7 {
				return nil, fmt.Errorf("line %d: want 7 columns (STS Benchmark), got %d", line, len(f))
			}
			s, err := strconv.ParseFloat(f[4], 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: score: %w", line, err)
			}
			p = LabeledPair{Same: s >= minScore, Kind: "sts:" + f[1], A: f[5], B: f[6]}
		case "paws":
			if len(f) != 4 {
				return nil, fmt.Errorf("line %d: want 4 columns (PAWS), got %d", line, len(f))
			}
			p = LabeledPair{Same: f[3] == "1", Kind: "paws", A: f[1], B: f[2]}
		case "qqp":
			if len(f) != 6 {
				continue // questions with tabs or newlines: skipped
			}
			p = LabeledPair{Same: f[5] == "1", Kind: "qqp", A: f[3], B: f[4]}
		case "mrpc":
			if len(f) != 5 {
				return nil, fmt.Errorf("line %d: want 5 columns (MRPC), got %d", line, len(f))
			}
			p = LabeledPair{Same: f[0] == "1", Kind: "mrpc", A: f[3], B: f[4]}
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

// Scored is a pair with its similarity and guard verdict.
type Scored struct {
	LabeledPair
	Sim float64
	// Guard is Accepted when the guards let the pair through.
	Guard Reason
}

// ScorePairs computes the lexical similarity of each pair as the scenario
// does (character n-grams of n runes, IDF fitted on every text of the
// pairs, as the scenario fits it on the log) and the guards' verdict.
func ScorePairs(pairs []LabeledPair, n int) []Scored {
	var df DF
	var fa, fb Features
	for _, p := range pairs {
		fa.Analyze([]byte(p.A), n)
		df.Add(&fa)
		fb.Analyze([]byte(p.B), n)
		df.Add(&fb)
	}
	out := make([]Scored, len(pairs))
	for i, p := range pairs {
		fa.Analyze([]byte(p.A), n)
		fb.Analyze([]byte(p.B), n)
		s := Scored{LabeledPair: p, Guard: fa.Guard.Check(fb.Guard)}
		if fa.Text == fb.Text {
			s.Sim = 1
		} else {
			s.Sim = Cosine(TFIDF(&fa, &df), TFIDF(&fb, &df))
		}
		out[i] = s
	}
	return out
}

// Point is the outcome of a threshold: a pair is a hit when its
// similarity is at least the threshold and (with guards) its guards match.
type Point struct {
	Threshold           float64
	TP, FP, FN, TN      int
	Precision, Recall   float64
	F05                 float64 // F-beta with beta 0.5: precision weighs more
	FalseHitRate        float64 // FP / (FP + TN): the share of different pairs served a wrong answer
	GuardedNegatives    int     // different pairs the guards refused
	GuardedPositivesOut int     // paraphrases the guards refused
}

// Measure computes the confusion counts of every threshold.
func Measure(scored []Scored, thresholds []float64, guards bool) []Point {
	var out []Point
	for _, t := range thresholds {
		p := Point{Threshold: t}
		for _, s := range scored {
			hit := s.Sim >= t
			if guards && s.Guard != Accepted {
				if hit && !s.Same {
					p.GuardedNegatives++
				}
				if hit && s.Same {
					p.GuardedPositivesOut++
				}
				hit = false
			}
			switch {
			case hit && s.Same:
				p.TP++
			case hit && !s.Same:
				p.FP++
			case !hit && s.Same:
				p.FN++
			default:
				p.TN++
			}
		}
		if p.TP+p.FP > 0 {
			p.Precision = float64(p.TP) / float64(p.TP+p.FP)
		} else {
			p.Precision = 1
		}
		if p.TP+p.FN > 0 {
			p.Recall = float64(p.TP) / float64(p.TP+p.FN)
		}
		if p.FP+p.TN > 0 {
			p.FalseHitRate = float64(p.FP) / float64(p.FP+p.TN)
		}
		if d := 0.25*p.Precision + p.Recall; d > 0 {
			p.F05 = 1.25 * p.Precision * p.Recall / d
		}
		out = append(out, p)
	}
	return out
}

// ByKind splits scored pairs by their Kind, kinds sorted.
func ByKind(scored []Scored) (kinds []string, by map[string][]Scored) {
	by = map[string][]Scored{}
	for _, s := range scored {
		by[s.Kind] = append(by[s.Kind], s)
	}
	for k := range by {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds, by
}
