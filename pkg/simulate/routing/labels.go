package routing

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// Quality labels: for some requests, how well each model answers. With
// them the router's saving becomes a cost–quality trade-off that can be
// measured, as RouteLLM measures routers: between a weak model (the simple
// tier's) and a strong one (the model the request used), a router sends the
// requests it scores highest to the strong model; sweeping its threshold
// gives a curve of cost against quality, summarised by
//
//   - PGR (performance gap recovered): (quality − weak's) / (strong's −
//     weak's), 0 with every request on the weak model, 1 on the strong;
//   - APGR: the area under PGR against the share of requests sent to the
//     strong model (a random router scores 0.5);
//   - CPT(x%): the smallest share of requests sent to the strong model that
//     recovers x% of the gap (a random router needs x%).

// label is one request's quality per canonical model id.
type label map[string]float64

// loadLabels reads a JSON Lines file of
//
//	{"request_id": "chatcmpl-…", "acceptable": ["gpt-4.1-mini", "gpt-4.1"]}
//	{"request_id": "msg_…", "scores": {"claude-haiku-4-5": 0.6, "claude-sonnet-4-5": 0.9}}
//
// "acceptable" lists every model that answered acceptably (quality 1; any
// other model 0); "scores" gives judge scores between 0 and 1 (a model
// without a score is unknown). Model names are resolved in the catalog.
func loadLabels(path string, cat *pricing.Catalog) (map[string]label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("routing: labels: %w", err)
	}
	defer f.Close()
	out := map[string]label{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		var v struct {
			RequestID  string             `json:"request_id"`
			Acceptable []string           `json:"acceptable"`
			Scores     map[string]float64 `json:"scores"`
		}
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("routing: labels %s:%d: %w", path, line, err)
		}
		if v.RequestID == "" || (v.Acceptable == nil && v.Scores == nil) {
			return nil, fmt.Errorf("routing: labels %s:%d: want request_id and acceptable or scores", path, line)
		}
		l := label{}
		canon := func(m string) string {
			if pm, ok := cat.Resolve("", m); ok {
				return pm.ID
			}
			return m
		}
		if v.Acceptable != nil {
			l[""] = 0 // exhaustive: unlisted models failed
			for _, m := range v.Acceptable {
				l[canon(m)] = 1
			}
		}
		for m, s := range v.Scores {
			if s < 0 || s > 1 || math.IsNaN(s) {
				return nil, fmt.Errorf("routing: labels %s:%d: score %v of %s: want 0 to 1", path, line, s, m)
			}
			l[canon(m)] = s
		}
		out[v.RequestID] = l
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("routing: labels: %w", err)
	}
	return out, nil
}

// quality of model for l; ok is false when unknown.
func (l label) quality(model string) (float64, bool) {
	if q, ok := l[model]; ok {
		return q, true
	}
	if _, exhaustive := l[""]; exhaustive {
		return 0, true
	}
	return 0, false
}

// Scores of the heuristic classifier are clamped to this range for the
// curve's buckets.
const minScore, maxScore = -2, 8

type bucket struct {
	n              int64
	weakQ, strongQ float64
	weak, strong   *simulate.Ledger
}

// labelState accumulates the labelled requests of one goroutine, by
// classifier score.
type labelState struct {
	buckets            [maxScore - minScore + 1]bucket
	oracle             *simulate.Ledger
	oracleQ            float64
	oracleStrong       int64
	missing, unlabeled int64
}

func newLabelState(b *simulate.Books) *labelState {
	s := &labelState{oracle: b.NewLedger()}
	for i := range s.buckets {
		s.buckets[i].weak, s.buckets[i].strong = b.NewLedger(), b.NewLedger()
	}
	return s
}

// observe adds one request: weak and strong are its calls on the two
// models.
func (w *worker) observe(req *simulate.Request, score int, weak, strong *simulate.Call, weakID, strongID string) {
	ls := w.labels
	l, ok := w.s.labels[req.Rec.RequestID]
	if !ok {
		ls.unlabeled++
		return
	}
	qw, ok1 := l.quality(weakID)
	qs, ok2 := l.quality(strongID)
	if !ok1 || !ok2 {
		ls.missing++
		return
	}
	n := req.Rec.CallCount()
	b := &ls.buckets[min(max(score, minScore), maxScore)-minScore]
	b.n += n
	b.weakQ += qw * float64(n)
	b.strongQ += qs * float64(n)
	b.weak.AddCall(weak, n)
	b.strong.AddCall(strong, n)
	if qs > qw {
		ls.oracle.AddCall(strong, n)
		ls.oracleQ += qs * float64(n)
		ls.oracleStrong += n
	} else {
		ls.oracle.AddCall(weak, n)
		ls.oracleQ += qw * float64(n)
	}
}

type curvePoint struct {
	threshold    int // requests scoring at least this go to the strong model
	share        float64
	quality, pgr float64
	cost         decimal.Decimal
}

// summarizeLabels adds the cost–quality curve and its metrics.
func summarizeLabels(sum *simulate.Summary, states []*labelState) {
	var merged [maxScore - minScore + 1]struct {
		n              int64
		weakQ, strongQ float64
		weak, strong   []*simulate.Ledger
	}
	var oracle []*simulate.Ledger
	var oracleQ float64
	var oracleStrong, missing, unlabeled int64
	for _, s := range states {
		for i, b := range s.buckets {
			m := &merged[i]
			m.n += b.n
			m.weakQ += b.weakQ
			m.strongQ += b.strongQ
			m.weak = append(m.weak, b.weak)
			m.strong = append(m.strong, b.strong)
		}
		oracle = append(oracle, s.oracle)
		oracleQ += s.oracleQ
		oracleStrong += s.oracleStrong
		missing += s.missing
		unlabeled += s.unlabeled
	}
	var n int64
	var qWeak, qStrong float64
	weakCost := make([]decimal.Decimal, len(merged))
	strongCost := make([]decimal.Decimal, len(merged))
	for i := range merged {
		m := &merged[i]
		n += m.n
		qWeak += m.weakQ
		qStrong += m.strongQ
		wb, sb := simulate.Price(m.weak...), simulate.Price(m.strong...)
		weakCost[i], strongCost[i] = wb.Total(), sb.Total()
	}
	sum.Figures = append(sum.Figures,
		simulate.Figure{Key: "labeled_requests", Label: "Requests with quality labels for both models", Unit: simulate.UnitRequests, Value: simulate.Dec(n)},
		simulate.Figure{Key: "labels_missing_a_model", Label: "Labelled requests without a label for the weak or the strong model", Unit: simulate.UnitRequests, Value: simulate.Dec(missing)},
	)
	if n == 0 {
		sum.Assumptions = append(sum.Assumptions, noLabels)
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("routing: no request matched the labels file (%d routed requests without a label): labels are matched on the response id", unlabeled))
		return
	}
	nf := float64(n)
	pgr := func(q float64) float64 {
		if qStrong == qWeak {
			return 0
		}
		return (q - qWeak) / (qStrong - qWeak)
	}
	// Sweep the threshold from above every score (all weak) down.
	var pts []curvePoint
	var toStrong int64
	q := qWeak
	cost := decimal.Zero
	for i := range merged {
		cost = cost.Add(weakCost[i])
	}
	pts = append(pts, curvePoint{threshold: maxScore + 1, quality: q / nf, pgr: 0, cost: cost})
	for i := len(merged) - 1; i >= 0; i-- {
		m := &merged[i]
		if m.n == 0 {
			continue
		}
		toStrong += m.n
		q += m.strongQ - m.weakQ
		cost = cost.Sub(weakCost[i]).Add(strongCost[i])
		pts = append(pts, curvePoint{threshold: i + minScore, share: float64(toStrong) / nf, quality: q / nf, pgr: pgr(q), cost: cost})
	}
	// APGR: area under PGR over the share sent to the strong model.
	apgr := 0.0
	for i := 1; i < len(pts); i++ {
		apgr += (pts[i].share - pts[i-1].share) * (pts[i].pgr + pts[i-1].pgr) / 2
	}
	cpt := func(x float64) (float64, bool) {
		for i := 1; i < len(pts); i++ {
			a, b := pts[i-1], pts[i]
			if b.pgr >= x {
				if b.pgr == a.pgr {
					return b.share, true
				}
				return a.share + (x-a.pgr)*(b.share-a.share)/(b.pgr-a.pgr), true
			}
		}
		return 0, false
	}
	ob := simulate.Price(oracle...)
	dec := func(f float64) decimal.Decimal { return decimal.NewFromFloat(f).Round(6) }
	sum.Figures = append(sum.Figures,
		simulate.Figure{Key: "quality_weak", Label: "Quality with every request on the weak model", Unit: simulate.UnitShare, Value: dec(qWeak / nf)},
		simulate.Figure{Key: "quality_strong", Label: "Quality with every request on the strong (logged) model", Unit: simulate.UnitShare, Value: dec(qStrong / nf)},
		simulate.Figure{Key: "apgr", Label: "APGR of the classifier (random router 0.5)", Unit: simulate.UnitRatio, Value: dec(apgr)},
	)
	for _, x := range []float64{0.5, 0.8} {
		key, label := fmt.Sprintf("cpt_%d", int(x*100)), fmt.Sprintf("CPT(%d%%): share sent to the strong model to recover %d%% of the gap (random router %d%%)", int(x*100), int(x*100), int(x*100))
		if v, ok := cpt(x); ok {
			sum.Figures = append(sum.Figures, simulate.Figure{Key: key, Label: label, Unit: simulate.UnitShare, Value: dec(v)})
		}
	}
	sum.Figures = append(sum.Figures,
		simulate.Figure{Key: "oracle_quality", Label: "Oracle router quality (strong model only where it beats the weak)", Unit: simulate.UnitShare, Value: dec(oracleQ / nf)},
		simulate.Figure{Key: "oracle_strong_share", Label: "Oracle router share sent to the strong model", Unit: simulate.UnitShare, Value: dec(float64(oracleStrong) / nf)},
		simulate.Figure{Key: "oracle_usd", Label: "Oracle router cost of the labelled requests", Unit: simulate.UnitUSD, Value: ob.Total(), Estimated: true},
	)
	t := simulate.Table{Key: "cost_quality", Title: "Cost–quality curve of the labelled requests (classifier score threshold)",
		Columns: []simulate.Column{
			{Key: "threshold", Label: "strong if score ≥", Unit: simulate.UnitText},
			{Key: "strong_share", Label: "to strong", Unit: simulate.UnitShare},
			{Key: "quality", Label: "quality", Unit: simulate.UnitShare},
			{Key: "pgr", Label: "PGR", Unit: simulate.UnitShare},
			{Key: "cost_usd", Label: "cost", Unit: simulate.UnitUSD},
		}}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].share < pts[j].share })
	for _, p := range pts {
		th := fmt.Sprint(p.threshold)
		if p.threshold > maxScore {
			th = "never"
		}
		t.Rows = append(t.Rows, []any{th, dec(p.share), dec(p.quality), dec(p.pgr), p.cost})
	}
	sum.Tables = append(sum.Tables, t)
	sum.Caveat = ""
	sum.Assumptions = append(sum.Assumptions,
		"With quality labels: the weak model is the simple tier's, the strong one the model each request used; the curve sends the requests the classifier scores highest to the strong model, and PGR, APGR and CPT are measured on the labelled requests as RouteLLM measures them. The weak model's cost is estimated like any replacement's.")
}
