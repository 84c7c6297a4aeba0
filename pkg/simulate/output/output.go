// Package output simulates output control: a max_tokens cap set at a
// percentile of each model's own output lengths, and a concise-format
// instruction.
package output

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// Concise configures a concise-format instruction.
type Concise struct {
	// Reduction is the share of output tokens the instruction saves
	// (an assumption to state, e.g. 0.2).
	Reduction float64 `yaml:"reduction"`
	// InstructionTokens is what the instruction adds to every request's
	// input (default 25).
	InstructionTokens int64 `yaml:"instruction_tokens"`
}

// Config configures the output scenario.
type Config struct {
	// Cap is "pNN" (a cap at the NNth percentile of each model's output
	// lengths in the log), a token count ("1024"), or "none". Default p95.
	Cap string `yaml:"cap"`
	// MinRequests is how many requests a model needs for a percentile cap
	// (default 20): fewer make no distribution.
	MinRequests int `yaml:"min_requests"`
	// Concise, when set, adds a concise-format instruction.
	Concise *Concise `yaml:"concise"`
	// Only limits the scenario to matching requests.
	Only simulate.Match `yaml:"only"`
}

// Scenario is the output-control lever.
type Scenario struct {
	cat        *pricing.Catalog
	cfg        Config
	percentile float64 // 0 when the cap is fixed or none
	fixed      int64
	caps       map[modelKey]modelCap
}

// modelKey is a model as the catalog names it (its provider and id), or as
// logged when the catalog does not know it: snapshots and aliases of one
// model share a distribution.
type modelKey struct{ provider, model string }

// keys resolves logged names to modelKeys; one per goroutine.
type keys struct {
	cat *pricing.Catalog
	m   map[modelKey]modelKey
}

func (k *keys) of(r *record.Record) modelKey {
	raw := modelKey{r.Provider, r.Model}
	if mk, ok := k.m[raw]; ok {
		return mk
	}
	mk := raw
	if k.cat != nil {
		if m, ok := k.cat.Resolve(r.Provider, r.Model); ok {
			mk = modelKey{m.Provider, m.ID}
		}
	}
	if k.m == nil {
		k.m = map[modelKey]modelKey{}
	}
	k.m[raw] = mk
	return mk
}

type modelCap struct {
	cap, p50, n int64
}

// New checks cfg and returns the scenario; cat names models (nil: as
// logged).
func New(cfg Config, cat *pricing.Catalog) (*Scenario, error) {
	s := &Scenario{cfg: cfg, cat: cat}
	c := strings.TrimSpace(strings.ToLower(cfg.Cap))
	switch {
	case c == "":
		s.percentile = 95
		s.cfg.Cap = "p95"
	case c == "none":
	case strings.HasPrefix(c, "p"):
		p, err := strconv.ParseFloat(c[1:], 64)
		if err != nil || p <= 0 || p >= 100 {
			return nil, fmt.Errorf("output: cap %q: want a percentile like p95, a token count, or none", cfg.Cap)
		}
		s.percentile = p
	default:
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("output: cap %q: want a percentile like p95, a token count, or none", cfg.Cap)
		}
		s.fixed = n
	}
	if s.cfg.MinRequests <= 0 {
		s.cfg.MinRequests = 20
	}
	if k := s.cfg.Concise; k != nil {
		if k.Reduction < 0 || k.Reduction >= 1 {
			return nil, fmt.Errorf("output: concise.reduction %v: want a share between 0 and 1", k.Reduction)
		}
		if k.InstructionTokens < 0 {
			return nil, fmt.Errorf("output: concise.instruction_tokens must not be negative")
		}
		if k.InstructionTokens == 0 {
			k.InstructionTokens = 25
		}
	}
	if err := s.cfg.Only.Compile(); err != nil {
		return nil, fmt.Errorf("output: only: %w", err)
	}
	return s, nil
}

func (s *Scenario) Name() string    { return "output" }
func (s *Scenario) Title() string   { return "Output control" }
func (s *Scenario) Order() int      { return simulate.OrderOutput }
func (s *Scenario) NeedsText() bool { return s.cfg.Only.NeedsText() }

// observer collects each model's output lengths (exact counts by value:
// memory grows with the distinct lengths, at most the models' output limits).
type observer struct {
	keys keys
	hist map[modelKey]map[int64]int64
}

// NewObserver implements simulate.Preparer.
func (s *Scenario) NewObserver() simulate.Observer {
	return &observer{keys: keys{cat: s.cat}, hist: map[modelKey]map[int64]int64{}}
}

func (o *observer) Observe(rec *record.Record) {
	if rec.CallCount() != 1 {
		return
	}
	k := o.keys.of(rec)
	h := o.hist[k]
	if h == nil {
		h = map[int64]int64{}
		o.hist[k] = h
	}
	h[rec.OutputTokens]++
}

// Prepare sets each model's cap from the merged distributions.
func (s *Scenario) Prepare(obs []simulate.Observer) error {
	s.caps = map[modelKey]modelCap{}
	merged := map[modelKey]map[int64]int64{}
	for _, x := range obs {
		for k, h := range x.(*observer).hist {
			m := merged[k]
			if m == nil {
				m = map[int64]int64{}
				merged[k] = m
			}
			for v, n := range h {
				m[v] += n
			}
		}
	}
	for k, h := range merged {
		vals := make([]int64, 0, len(h))
		var n int64
		for v, c := range h {
			vals = append(vals, v)
			n += c
		}
		sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
		at := func(p float64) int64 {
			rank := int64(math.Ceil(p / 100 * float64(n))) // nearest rank
			rank = max(rank, 1)
			var seen int64
			for _, v := range vals {
				seen += h[v]
				if seen >= rank {
					return v
				}
			}
			return vals[len(vals)-1]
		}
		mc := modelCap{p50: at(50), n: n}
		if s.percentile > 0 && n >= int64(s.cfg.MinRequests) {
			mc.cap = max(at(s.percentile), 1)
		}
		s.caps[k] = mc
	}
	return nil
}

// NeedsPrepare reports whether the cap comes from the log (a percentile).
func (s *Scenario) NeedsPrepare() bool { return s.percentile > 0 }

type stat struct {
	requests, capped, saved, added int64
}

type worker struct {
	s     *Scenario
	keys  keys
	stats map[modelKey]*stat
}

func (s *Scenario) NewWorker(*simulate.Books) simulate.Worker {
	return &worker{s: s, keys: keys{cat: s.cat}, stats: map[modelKey]*stat{}}
}

// Apply caps and shortens the output of the request's calls.
func (w *worker) Apply(req *simulate.Request) bool {
	r := req.Rec
	if r.CallCount() != 1 || len(req.Calls) == 0 || !w.s.cfg.Only.Matches(req) {
		return false
	}
	k := w.keys.of(r)
	st := w.stats[k]
	if st == nil {
		st = &stat{}
		w.stats[k] = st
	}
	st.requests++
	limit := w.s.fixed
	if w.s.percentile > 0 {
		limit = w.s.caps[k].cap
	}
	changed := false
	capped := false
	for i := range req.Calls {
		c := &req.Calls[i]
		if c.Kind == simulate.CallSummary {
			continue
		}
		before := c.Output
		if limit > 0 {
			l := int64(math.Round(float64(limit) * c.Scale))
			if c.Output > l {
				c.SetOutput(l)
				capped = true
			}
		}
		if k := w.s.cfg.Concise; k != nil {
			if k.Reduction > 0 {
				c.SetOutput(int64(math.Round(float64(c.Output) * (1 - k.Reduction))))
			}
			add := int64(math.Round(float64(k.InstructionTokens) * c.Scale))
			c.Input += add
			st.added += add
			c.Estimated = true
			changed = true
		}
		st.saved += before - c.Output
		changed = changed || c.Output != before
	}
	if capped {
		st.capped++
	}
	if w.s.cfg.Concise != nil {
		req.Estimated = true
	}
	return changed
}

func (s *Scenario) Summarize(ws []simulate.Worker) simulate.Summary {
	merged := map[modelKey]*stat{}
	for _, x := range ws {
		for k, v := range x.(*worker).stats {
			m := merged[k]
			if m == nil {
				m = &stat{}
				merged[k] = m
			}
			m.requests += v.requests
			m.capped += v.capped
			m.saved += v.saved
			m.added += v.added
		}
	}
	keys := make([]modelKey, 0, len(merged))
	var tot stat
	for k, v := range merged {
		keys = append(keys, k)
		tot.requests += v.requests
		tot.capped += v.capped
		tot.saved += v.saved
		tot.added += v.added
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := merged[keys[i]], merged[keys[j]]
		if a.saved != b.saved {
			return a.saved > b.saved
		}
		if keys[i].model != keys[j].model {
			return keys[i].model < keys[j].model
		}
		return keys[i].provider < keys[j].provider
	})
	sum := simulate.Summary{Estimated: true}
	sum.Figures = []simulate.Figure{
		{Key: "capped_requests", Label: "Requests whose output the cap cuts", Unit: simulate.UnitRequests, Value: simulate.Dec(tot.capped)},
		{Key: "output_tokens_saved", Label: "Output tokens saved", Unit: simulate.UnitTokens, Value: simulate.Dec(tot.saved), Estimated: true},
	}
	if s.cfg.Concise != nil {
		sum.Figures = append(sum.Figures, simulate.Figure{Key: "instruction_tokens_added", Label: "Input tokens added by the instruction", Unit: simulate.UnitTokens, Value: simulate.Dec(tot.added), Estimated: true})
	}
	t := simulate.Table{Key: "caps", Title: "Output cap by model",
		Columns: []simulate.Column{
			{Key: "model", Label: "model", Unit: simulate.UnitText},
			{Key: "provider", Label: "provider", Unit: simulate.UnitText},
			{Key: "requests", Label: "requests", Unit: simulate.UnitRequests},
			{Key: "p50", Label: "median output", Unit: simulate.UnitTokens, Merge: simulate.MergeNone},
			{Key: "cap", Label: "cap", Unit: simulate.UnitTokens, Merge: simulate.MergeNone},
			{Key: "capped", Label: "capped", Unit: simulate.UnitRequests},
			{Key: "tokens_saved", Label: "tokens saved", Unit: simulate.UnitTokens},
		}}
	var tooFew int
	for _, k := range keys {
		v := merged[k]
		mc := s.caps[k]
		limit := s.fixed
		if s.percentile > 0 {
			limit = mc.cap
			if limit == 0 {
				tooFew++
			}
		}
		var capCell any // nil: not capped
		if limit > 0 {
			capCell = simulate.Dec(limit)
		}
		t.Rows = append(t.Rows, []any{k.model, k.provider, simulate.Dec(v.requests), simulate.Dec(mc.p50), capCell, simulate.Dec(v.capped), simulate.Dec(v.saved)})
	}
	if s.percentile == 0 {
		// a fixed cap: the medians come from no first pass
		t.Columns = append(t.Columns[:3], t.Columns[4:]...)
		for i, r := range t.Rows {
			t.Rows[i] = append(r[:3:3], r[4:]...)
		}
	}
	sum.Tables = append(sum.Tables, t)
	switch {
	case s.percentile > 0:
		sum.Assumptions = append(sum.Assumptions,
			fmt.Sprintf("max_tokens is set per model at the %s percentile of that model's output lengths in this log; an answer longer than the cap is cut at the cap, and the cut tokens are saved. This is an estimate: a cut answer may be retried or be less useful.", ordinal(s.percentile)),
			fmt.Sprintf("Models with fewer than %d requests in the log are not capped (no distribution to read a percentile from).", s.cfg.MinRequests))
	case s.fixed > 0:
		sum.Assumptions = append(sum.Assumptions,
			fmt.Sprintf("max_tokens is set to %d; an answer longer than that is cut at the cap, and the cut tokens are saved. This is an estimate: a cut answer may be retried or be less useful.", s.fixed))
	}
	sum.Assumptions = append(sum.Assumptions, "For reasoning models the cap counts reasoning tokens too, as the providers' max_tokens does.")
	if k := s.cfg.Concise; k != nil {
		sum.Assumptions = append(sum.Assumptions, fmt.Sprintf("A concise-format instruction shortens every answer by %.0f%% (an assumption to check with an A/B test) and adds %d input tokens to every request.", k.Reduction*100, k.InstructionTokens))
	}
	if tooFew > 0 && s.percentile > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("output: %d models have fewer than %d requests and were not capped", tooFew, s.cfg.MinRequests))
	}
	return sum
}

func ordinal(p float64) string {
	s := strconv.FormatFloat(p, 'f', -1, 64)
	switch {
	case strings.HasSuffix(s, "1") && !strings.HasSuffix(s, "11"):
		return s + "st"
	case strings.HasSuffix(s, "2") && !strings.HasSuffix(s, "12"):
		return s + "nd"
	case strings.HasSuffix(s, "3") && !strings.HasSuffix(s, "13"):
		return s + "rd"
	}
	return s + "th"
}

// ShardSafety implements simulate.Sharder: a percentile cap is set from the
// output lengths the run sees, so each shard sets its own.
func (s *Scenario) ShardSafety(key string) (simulate.Safety, string) {
	if s.percentile == 0 {
		return simulate.Exact, ""
	}
	return simulate.Approximate, "each shard sets its percentile caps from its own output lengths (set a fixed cap for an exact split)"
}
