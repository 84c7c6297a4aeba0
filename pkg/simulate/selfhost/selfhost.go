// Package selfhost simulates serving chosen requests on your own GPU
// instances instead of paying an API per token: the fleet is sized in whole
// instances for the peak of the log's own arrival curve (pkg/gpu's
// throughput model) and billed for every hour of the log's window.
package selfhost

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/gpu"
	"github.com/llmcost/llmcost/pkg/internal/numfmt"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// hoursPerMonth is a month of 365/12 days, as gpu.Sizing counts it.
const hoursPerMonth = 730

// Scenario is the self-hosting lever.
type Scenario struct {
	cfg  Config
	set  *settings
	cat  *pricing.Catalog
	data *gpu.Data
	// openIDs maps a catalog model id to the open model sold under it.
	openIDs map[string]string

	// Set by Prepare, read-only afterwards.
	prepared bool
	win      window
	fleets   map[string]*fleet
	aliases  []string // fleets' keys, sorted
	spread   int64    // buckets an aggregated usage row is spread over
	// counts from the first pass, for warnings
	untimed, aggregated int64
}

// window is the log's span in whole buckets: [start, start+n) buckets.
type window struct {
	start int64 // bucket index (unix time / bucket)
	n     int64
	known bool
}

// fleet is the GPUs serving one open model.
type fleet struct {
	om   gpu.OpenModel
	spec *gpu.Model
	// curve holds the tokens (input + output) of each bucket of the window.
	curve                   []int64
	requests, input, output int64
	peak                    int64 // tokens in the busiest bucket
	peakAt                  time.Time
	workload                gpu.Workload
	opt                     option
}

// New checks cfg and returns the scenario; data is the GPU data set (nil:
// the embedded one).
func New(cfg Config, cat *pricing.Catalog, data *gpu.Data) (*Scenario, error) {
	if data == nil {
		d, err := gpu.Default()
		if err != nil {
			return nil, fmt.Errorf("selfhost: GPU data: %w", err)
		}
		data = d
	}
	set, err := cfg.check(data)
	if err != nil {
		return nil, fmt.Errorf("selfhost: %w", err)
	}
	s := &Scenario{cfg: cfg, set: set, cat: cat, data: data, openIDs: map[string]string{}}
	for _, om := range gpu.OpenModels() { // sorted by alias: the first alias offering an id wins
		for _, id := range om.Offers {
			if _, ok := s.openIDs[id]; !ok {
				s.openIDs[id] = om.Alias
			}
		}
	}
	return s, nil
}

func (s *Scenario) Name() string  { return "selfhost" }
func (s *Scenario) Title() string { return "Self-hosting on GPUs" }
func (s *Scenario) Order() int    { return simulate.OrderSelfhost }

// NeedsText is true when the match reads keywords.
func (s *Scenario) NeedsText() bool { return s.cfg.Match.NeedsText() }

// NeedsPrepare is always true: the fleet is sized from the whole log.
func (s *Scenario) NeedsPrepare() bool { return true }

// reasons a request is or is not self-hosted
const (
	whyServed = iota
	whyClosed
	whyUnpriced
	whyTooLong
	whyNoWindow
	numWhy
	whyNotSelected = -1
)

var whyLabels = [numWhy]string{"served on your GPUs", "closed model, no open model configured (model:)", "model without a price (not in the baseline)", "longer than the open model's context window", "log without call times (no window to bill)"}

type resolved struct {
	m     *pricing.Model // nil: not in the catalog
	alias string         // the open model sold under m, "" for none
}

// router decides per record; one per goroutine.
type router struct {
	s     *Scenario
	cache map[[2]string]resolved
}

func (s *Scenario) newRouter() router { return router{s: s, cache: map[[2]string]resolved{}} }

func (r *router) resolve(rec *record.Record) resolved {
	k := [2]string{rec.Provider, rec.Model}
	if v, ok := r.cache[k]; ok {
		return v
	}
	var v resolved
	if r.s.cat != nil {
		if m, ok := r.s.cat.Resolve(rec.Provider, rec.Model); ok {
			v.m, v.alias = m, r.s.openIDs[m.ID]
		}
	}
	r.cache[k] = v
	return v
}

// route says which fleet serves rec (by open model alias), or why none
// does; own is set when rec is logged on that open model's weights. It reads only the logged record (and its request, for a match on
// keywords), so the first pass and the simulation agree, alone or stacked.
func (r *router) route(rec *record.Record, req *simulate.Request) (alias string, why int, own bool) {
	cfg := &r.s.cfg
	res := r.resolve(rec)
	switch {
	case len(cfg.Replace) > 0:
		ok := false
		for _, p := range cfg.Replace {
			ok = ok || simulate.Glob(p, rec.Model) || (res.m != nil && simulate.Glob(p, res.m.ID))
		}
		if !ok {
			return "", whyNotSelected, false
		}
	case cfg.Match.IsZero() && res.alias == "":
		return "", whyNotSelected, false // default: requests on open models only
	}
	if !cfg.Match.IsZero() {
		if req == nil {
			req = simulate.NewRequest(rec)
		}
		if !cfg.Match.Matches(req) {
			return "", whyNotSelected, false
		}
	}
	alias = res.alias
	spec := r.s.spec(res.alias)
	own = spec != nil
	if m := r.s.set.model; m != nil {
		alias, own = m.Alias, own && spec == r.s.set.spec
		spec = r.s.set.spec
	}
	if alias == "" {
		return "", whyClosed, false
	}
	if res.m == nil || res.m.PriceIndex(rec.Time) < 0 {
		return "", whyUnpriced, false
	}
	if spec != nil && spec.MaxContext > 0 {
		n := rec.CallCount()
		if (rec.TotalInput()+rec.OutputTokens)/max(n, 1) > int64(spec.MaxContext) {
			return "", whyTooLong, false
		}
	}
	return alias, whyServed, own
}

// spec is the architecture of an open model alias, nil for "".
func (s *Scenario) spec(alias string) *gpu.Model {
	if alias == "" {
		return nil
	}
	om, _ := gpu.LookupOpenModel(alias)
	return s.data.Model(om.Spec)
}

// acc sums requests and tokens.
type acc struct{ requests, input, output int64 }

func (a *acc) add(rec *record.Record) {
	a.requests += rec.CallCount()
	a.input += rec.TotalInput()
	a.output += rec.OutputTokens
}

// obsFleet is one fleet's share of the first pass: tokens by bucket, for
// single calls and for usage rows that aggregate calls, apart.
type obsFleet struct {
	single, agg map[int64]*acc
	untimed     acc
}

// observer is the first pass of one goroutine: the log's span and each
// fleet's arrival curve. Memory grows with the buckets of the window (720
// a month by the hour) per open model, not with requests.
type observer struct {
	r        router
	bucket   int64 // seconds
	from, to time.Time
	fleets   map[string]*obsFleet
	untimed  int64
}

// NewObserver implements simulate.Preparer.
func (s *Scenario) NewObserver() simulate.Observer {
	return &observer{r: s.newRouter(), bucket: int64(s.set.bucket / time.Second), fleets: map[string]*obsFleet{}}
}

func (o *observer) Observe(rec *record.Record) {
	if t := rec.Time; !t.IsZero() {
		if o.from.IsZero() || t.Before(o.from) {
			o.from = t
		}
		if t.After(o.to) {
			o.to = t
		}
	}
	alias, why, _ := o.r.route(rec, nil)
	if why != whyServed {
		return
	}
	f := o.fleets[alias]
	if f == nil {
		f = &obsFleet{single: map[int64]*acc{}, agg: map[int64]*acc{}}
		o.fleets[alias] = f
	}
	if rec.Time.IsZero() {
		f.untimed.add(rec)
		return
	}
	m := f.single
	if rec.CallCount() > 1 {
		m = f.agg
	}
	k := floorDiv(rec.Time.Unix(), o.bucket)
	a := m[k]
	if a == nil {
		a = &acc{}
		m[k] = a
	}
	a.add(rec)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Prepare merges the observers, builds each fleet's arrival curve over the
// log's window and sizes the fleet for its peak bucket.
func (s *Scenario) Prepare(obs []simulate.Observer) error {
	s.prepared, s.fleets, s.aliases = true, map[string]*fleet{}, nil
	s.untimed, s.aggregated, s.spread = 0, 0, 1
	bucket := int64(s.set.bucket / time.Second)
	var from, to time.Time
	merged := map[string]*obsFleet{}
	for _, x := range obs {
		o := x.(*observer)
		if !o.from.IsZero() && (from.IsZero() || o.from.Before(from)) {
			from = o.from
		}
		if o.to.After(to) {
			to = o.to
		}
		for alias, f := range o.fleets {
			m := merged[alias]
			if m == nil {
				m = &obsFleet{single: map[int64]*acc{}, agg: map[int64]*acc{}}
				merged[alias] = m
			}
			for _, pair := range [][2]map[int64]*acc{{m.single, f.single}, {m.agg, f.agg}} {
				for k, a := range pair[1] {
					b := pair[0][k]
					if b == nil {
						b = &acc{}
						pair[0][k] = b
					}
					b.requests, b.input, b.output = b.requests+a.requests, b.input+a.input, b.output+a.output
				}
			}
			m.untimed.requests += f.untimed.requests
			m.untimed.input += f.untimed.input
			m.untimed.output += f.untimed.output
		}
	}
	if from.IsZero() {
		s.win = window{}
		return nil // no call times: nothing can be sized (Summarize says so)
	}
	// Usage rows aggregate the calls of a bucket of the export (an hour, a
	// day): their width is the smallest step between their times, at most
	// a day. Their calls are spread evenly over it.
	var aggKeys []int64
	seen := map[int64]bool{}
	for _, f := range merged {
		for k, a := range f.agg {
			s.aggregated += a.requests
			if !seen[k] {
				seen[k] = true
				aggKeys = append(aggKeys, k)
			}
		}
		s.untimed += f.untimed.requests
	}
	sort.Slice(aggKeys, func(i, j int) bool { return aggKeys[i] < aggKeys[j] })
	if len(aggKeys) > 1 {
		step := aggKeys[len(aggKeys)-1] - aggKeys[0]
		for i := 1; i < len(aggKeys); i++ {
			step = min(step, aggKeys[i]-aggKeys[i-1])
		}
		s.spread = min(max(step, 1), 86400/bucket)
	}
	// The window: whole hours from the first call's to the last call's (or
	// to the end of the last usage row's bucket).
	hour := int64(3600) / bucket
	start := floorDiv(floorDiv(from.Unix(), bucket), hour) * hour
	end := (floorDiv(floorDiv(to.Unix(), bucket), hour) + 1) * hour
	if len(aggKeys) > 0 {
		end = max(end, (floorDiv(aggKeys[len(aggKeys)-1]+s.spread-1, hour)+1)*hour)
	}
	s.win = window{start: start, n: end - start, known: true}

	for alias, of := range merged {
		om, _ := gpu.LookupOpenModel(alias)
		f := &fleet{om: om, spec: s.data.Model(om.Spec), curve: make([]int64, s.win.n)}
		if s.set.model != nil {
			f.om, f.spec = *s.set.model, s.set.spec
		}
		if f.spec == nil {
			return fmt.Errorf("selfhost: model %s: no row %s in model-specs.csv", alias, om.Spec)
		}
		add := func(a *acc) {
			f.requests += a.requests
			f.input += a.input
			f.output += a.output
		}
		for k, a := range of.single {
			add(a)
			f.curve[k-start] += a.input + a.output
		}
		for k, a := range of.agg {
			add(a)
			spreadOver(f.curve, k-start, s.spread, a.input+a.output)
		}
		add(&of.untimed)
		spreadOver(f.curve, 0, s.win.n, of.untimed.input+of.untimed.output)
		for i, v := range f.curve {
			if v > f.peak {
				f.peak, f.peakAt = v, time.Unix((start+int64(i))*bucket, 0).UTC()
			}
		}
		if f.requests == 0 {
			continue
		}
		f.workload = gpu.Workload{
			InputTokens:  int((f.input + f.requests/2) / f.requests),
			OutputTokens: int(max((f.output+f.requests/2)/f.requests, 1)),
			TPOTTarget:   s.set.tpot, KVCache: s.set.kv,
		}
		peak := float64(f.peak) / float64(bucket)
		opt, ok, why := bestPlan(s.data, s.set, f.spec, candidates(s.data, s.set), f.workload, peak)
		if !ok {
			where := "no instance"
			if s.set.instance != nil {
				where = s.set.instance.Name
			}
			return fmt.Errorf("selfhost: %s cannot serve %s for the logged requests (%s input + %s output tokens on average, latency target %s, precision %s): %s",
				where, f.om.Alias, numfmt.Int(int64(f.workload.InputTokens)), numfmt.Int(int64(f.workload.OutputTokens)), latency(s.set.tpot), precisions(s.set.precs), why)
		}
		f.opt = opt
		s.fleets[alias] = f
		s.aliases = append(s.aliases, alias)
	}
	sort.Strings(s.aliases)
	return nil
}

// spreadOver adds v to n buckets of curve from i (clamped to the curve),
// evenly, the remainder to the first ones, so the total is exact.
func spreadOver(curve []int64, i, n, v int64) {
	if n <= 0 || v == 0 {
		return
	}
	n = min(n, int64(len(curve))-i)
	if n <= 0 {
		return
	}
	q, r := v/n, v%n
	for j := int64(0); j < n; j++ {
		curve[i+j] += q
		if j < r {
			curve[i+j]++
		}
	}
}

type worker struct {
	s       *Scenario
	r       router
	count   [numWhy]int64
	foreign int64            // served requests logged on another model
	models  map[string]int64 // closed models asked for without an open one
	removed map[string]*simulate.Ledger
	books   *simulate.Books
}

func (s *Scenario) NewWorker(b *simulate.Books) simulate.Worker {
	return &worker{s: s, r: s.newRouter(), models: map[string]int64{}, removed: map[string]*simulate.Ledger{}, books: b}
}

// Apply serves a selected request on the fleet: it pays for no API call.
func (w *worker) Apply(req *simulate.Request) bool {
	if len(req.Calls) == 0 {
		return false // answered before it reached this lever
	}
	n := req.Rec.CallCount()
	alias, why, own := w.r.route(req.Rec, req)
	if why == whyNotSelected {
		return false
	}
	if why == whyServed && (!w.s.win.known || w.s.fleets[alias] == nil) {
		why = whyNoWindow
	}
	w.count[why] += n
	if why == whyClosed {
		w.models[req.Rec.Model] += n
	}
	if why != whyServed {
		return false
	}
	l := w.removed[alias]
	if l == nil {
		l = w.books.NewLedger()
		w.removed[alias] = l
	}
	l.Add(req)
	if !own {
		w.foreign += n
	}
	req.Calls = req.Calls[:0]
	return true
}

// Summarize implements simulate.Scenario.
func (s *Scenario) Summarize(ws []simulate.Worker) simulate.Summary {
	var count [numWhy]int64
	var foreign int64
	closed := map[string]int64{}
	removed := map[string][]*simulate.Ledger{}
	for _, x := range ws {
		w := x.(*worker)
		for i, c := range w.count {
			count[i] += c
		}
		foreign += w.foreign
		for m, c := range w.models {
			closed[m] += c
		}
		for a, l := range w.removed {
			removed[a] = append(removed[a], l)
		}
	}
	return s.summary(count, foreign, closed, removed)
}

func latency(d time.Duration) string {
	if d == 0 {
		return "none"
	}
	return d.String()
}

func precisions(ps []gpu.Precision) string {
	var out []string
	for _, p := range ps {
		out = append(out, string(p))
	}
	return strings.Join(out, ", ")
}

func dec(f float64, places int32) decimal.Decimal { return decimal.NewFromFloat(f).Round(places) }

// ShardSafety implements simulate.Sharder: the fleet is sized for the peak
// of the whole log's arrival curve and paid for by the hour, so a shard's
// fleet (sized for part of the traffic) and its sum over shards mean
// nothing. Run selfhost on the whole log.
func (s *Scenario) ShardSafety(string) (simulate.Safety, string) {
	return simulate.Unsafe, "the GPU fleet is sized for the peak of the whole log's arrival curve and paid for every hour; a shard's fleet serves part of the traffic and shards' fleets do not add up (run selfhost without --partial)"
}
