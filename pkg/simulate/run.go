package simulate

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

// Options configure Run.
type Options struct {
	Catalog *pricing.Catalog
	// Scenarios are the levers; Run orders them by Order.
	Scenarios []Scenario
	// Stack also runs the scenarios stacked, when there are two or more.
	Stack bool
	// Since and Until keep records with Since <= time < Until (zero: open).
	Since, Until time.Time
	// Ingest are the reader's options; Run sets Text when a scenario
	// needs request text.
	Ingest ingest.Options
	// Shard, when active, keeps only the requests of one shard (see Shard).
	Shard Shard
}

// Outcome is what one scenario (or the stack) does to the log.
type Outcome struct {
	Name, Title string
	// Simulated is the bill of the whole log under the scenario.
	Simulated Bill
	// Affected counts the requests whose bill the scenario changed;
	// AffectedBefore and AffectedAfter are their bills before and after.
	Affected                      int64
	AffectedBefore, AffectedAfter Bill
	Summary
	// Stages are the stack's levers in order, with the cost after each
	// (stack only).
	Stages []Stage
}

// Saving is the baseline cost minus the simulated cost.
func (o *Outcome) Saving(baseline *Bill) decimal.Decimal {
	return baseline.Total().Sub(o.Simulated.Total())
}

// Stage is one lever of the stack.
type Stage struct {
	Name, Title string
	// Cost is the cost of the whole log once this lever and those before it
	// are applied; Affected counts the requests this lever changed.
	Cost     decimal.Decimal
	Affected int64
	Summary
}

// Result is the outcome of a Run.
type Result struct {
	Baseline Bill
	// Outcomes has one entry per scenario, in stacking order.
	Outcomes []Outcome
	// Stack is every scenario stacked; nil unless asked for with two or
	// more scenarios.
	Stack *Outcome
	// NoUsage counts records without usage (not simulated) by model;
	// Filtered those outside Since/Until; OtherShards those of other
	// shards (Options.Shard).
	NoUsage     map[string]int64
	Filtered    int64
	OtherShards int64
	// TextRequests counts the requests whose text was available.
	TextRequests int64
	// TextAsked reports whether request text was read.
	TextAsked bool
	// From and To are the first and last call times (zero when no call has
	// one).
	From, To time.Time
}

type lane struct {
	s             Scenario
	w             Worker
	ledger        *Ledger // alone: the whole log
	before, after *Ledger // alone: the affected requests
	stageAt       *Ledger // stacked: the whole log after this lever
	affected      int64
}

type worker struct {
	r        *runner
	books    *Books
	facts    Facts
	req      Request
	base     *Ledger
	alone    []*lane
	stack    []*lane
	stackAff int64
	// stack's affected requests before and after
	stackBefore, stackAfter, stackLedger *Ledger
	noUsage                              map[string]int64
	filtered, otherShards                int64
	keyer                                shardKeyer
	text                                 int64
	from, to                             time.Time
}

type runner struct {
	opts    Options
	workers []*worker
	stack   bool
}

func (r *runner) newSink() ingest.Sink {
	b := NewBooks(r.opts.Catalog)
	w := &worker{r: r, books: b, base: b.NewLedger(), noUsage: map[string]int64{}, keyer: shardKeyer{cat: r.opts.Catalog}}
	for _, s := range r.opts.Scenarios {
		w.alone = append(w.alone, &lane{s: s, w: s.NewWorker(b), ledger: b.NewLedger(), before: b.NewLedger(), after: b.NewLedger()})
	}
	if r.stack {
		for _, s := range r.opts.Scenarios {
			w.stack = append(w.stack, &lane{s: s, w: s.NewWorker(b), stageAt: b.NewLedger()})
		}
		w.stackLedger, w.stackBefore, w.stackAfter = b.NewLedger(), b.NewLedger(), b.NewLedger()
	}
	r.workers = append(r.workers, w)
	return w
}

func inWindow(rec *record.Record, since, until time.Time) bool {
	if since.IsZero() && until.IsZero() {
		return true
	}
	return !rec.Time.IsZero() && !rec.Time.Before(since) && (until.IsZero() || rec.Time.Before(until))
}

// Add simulates one record; it implements ingest.Sink.
func (w *worker) Add(rec *record.Record) {
	o := &w.r.opts
	if !inWindow(rec, o.Since, o.Until) {
		w.filtered++
		return
	}
	w.facts.Reset(rec)
	if !w.keyer.keep(o.Shard, rec, &w.facts) {
		w.otherShards++
		return
	}
	if !rec.HasUsage {
		if !rec.HasCharged { // counted as analyze counts it
			name := rec.Model
			if name == "" {
				name = "(none)"
			}
			w.noUsage[name] += rec.CallCount()
		}
		return // a billing row without tokens: nothing to re-price
	}
	if rec.CallCount() == 0 {
		return
	}
	if t := rec.Time; !t.IsZero() {
		if w.from.IsZero() || t.Before(w.from) {
			w.from = t
		}
		if t.After(w.to) {
			w.to = t
		}
	}
	if len(rec.Request) > 0 {
		w.text++
	}
	req := &w.req
	req.reset(rec, &w.facts)
	w.base.Add(req)
	for _, l := range w.alone {
		req.reset(rec, &w.facts)
		changed := l.w.Apply(req)
		l.ledger.Add(req)
		if changed {
			l.affected += rec.CallCount()
			l.after.Add(req)
			req.reset(rec, &w.facts)
			l.before.Add(req)
		}
	}
	if len(w.stack) == 0 {
		return
	}
	req.reset(rec, &w.facts)
	changed := false
	for _, l := range w.stack {
		if l.w.Apply(req) {
			changed = true
			l.affected += rec.CallCount()
		}
		l.stageAt.Add(req)
	}
	w.stackLedger.Add(req)
	if changed {
		w.stackAff += rec.CallCount()
		w.stackAfter.Add(req)
		req.reset(rec, &w.facts)
		w.stackBefore.Add(req)
	}
}

// Run reads the logs at paths once (twice when a scenario needs a first
// pass) and returns the baseline and every scenario's outcome.
func Run(ctx context.Context, paths []string, opts Options) (*Result, *ingest.Stats, error) {
	opts.Scenarios = slices.Clone(opts.Scenarios)
	if opts.Shard.Active() && opts.Shard.Key == ShardPrefix {
		opts.Ingest.Text = true // the key is the prompt's first block
	}
	sort.SliceStable(opts.Scenarios, func(i, j int) bool { return opts.Scenarios[i].Order() < opts.Scenarios[j].Order() })
	for _, s := range opts.Scenarios {
		if s.NeedsText() {
			opts.Ingest.Text = true
		}
		if u, ok := s.(IDUser); ok && u.NeedsIDs() {
			opts.Ingest.KeepIDs = true
		}
	}
	var spool *os.File // standard input, copied by the first pass
	defer func() {
		if spool != nil {
			spool.Close()
			os.Remove(spool.Name())
		}
	}()
	type prep struct {
		p      Preparer
		passes int
	}
	var preps []prep
	passes := 0
	for _, s := range opts.Scenarios {
		if p, ok := s.(Preparer); ok && p.NeedsPrepare() {
			n := 1
			if m, ok := p.(MultiPass); ok {
				n = max(m.Passes(), 1)
			}
			preps = append(preps, prep{p, n})
			passes = max(passes, n)
		}
	}
	for pass := 1; pass <= passes; pass++ {
		var now []Preparer
		for _, p := range preps {
			if pass <= p.passes {
				now = append(now, p.p)
			}
		}
		if err := prepare(ctx, paths, &opts, now, &spool); err != nil {
			return nil, nil, err
		}
	}
	r := &runner{opts: opts, stack: opts.Stack && len(opts.Scenarios) > 1}
	st, err := ingest.Run(ctx, paths, opts.Ingest, r.newSink)
	if err != nil {
		return nil, st, err
	}
	return r.result(), st, nil
}

// prepare runs one first pass. Standard input is read once: the first pass
// copies it to a temporary file (*spool) that later passes read.
func prepare(ctx context.Context, paths []string, opts *Options, preps []Preparer, spool **os.File) (err error) {
	first := opts.Ingest
	first.Text, first.KeepIDs = opts.Shard.Active() && opts.Shard.Key == ShardPrefix, false
	for _, p := range preps {
		if s, ok := p.(Scenario); ok && s.NeedsText() {
			first.Text = true
		}
		if u, ok := p.(IDUser); ok && u.NeedsIDs() {
			first.KeepIDs = true
		}
	}
	first.Progress = nil
	if slices.Contains(paths, "-") {
		if *spool == nil {
			in := opts.Ingest.Stdin
			if in == nil {
				in = os.Stdin
			}
			tmp, err := os.CreateTemp("", "llmcost-simulate-*")
			if err != nil {
				return fmt.Errorf("spool standard input: %w", err)
			}
			*spool = tmp
			first.Stdin = io.TeeReader(in, tmp)
			opts.Ingest.Stdin = tmp
		} else {
			first.Stdin = *spool
		}
		// Every later pass, and the simulation, reads the copy from its start.
		defer func() {
			if _, serr := (*spool).Seek(0, io.SeekStart); err == nil && serr != nil {
				err = fmt.Errorf("spool standard input: %w", serr)
			}
		}()
	}
	obs := make([][]Observer, len(preps))
	newSink := func() ingest.Sink {
		s := &observeSink{since: opts.Since, until: opts.Until, shard: opts.Shard, keyer: shardKeyer{cat: opts.Catalog}}
		for i, p := range preps {
			o := p.NewObserver()
			obs[i] = append(obs[i], o)
			s.obs = append(s.obs, o)
		}
		return s
	}
	// The first pass never stops at a malformed line: the second reports it.
	first.Strict = false
	if _, err := ingest.Run(ctx, paths, first, newSink); err != nil {
		return err
	}
	for i, p := range preps {
		if err := p.Prepare(obs[i]); err != nil {
			return err
		}
	}
	return nil
}

// RequestKey names a record the same way in every pass over the same
// inputs: its file and the byte offset of its line. Scenarios that decide
// in a first pass (a replay in time order) look their decision up by it.
// Records of one line (formats with several calls a line) share a key;
// they carry no request text, which such scenarios need.
func RequestKey(rec *record.Record) uint64 {
	return xxhash.Sum64String(rec.Loc.File) ^ (uint64(rec.Loc.Offset)+1)*0x9e3779b97f4a7c15
}

type observeSink struct {
	obs          []Observer
	since, until time.Time
	shard        Shard
	keyer        shardKeyer
	facts        Facts
}

func (s *observeSink) Add(rec *record.Record) {
	if !rec.HasUsage || rec.CallCount() == 0 || !inWindow(rec, s.since, s.until) {
		return
	}
	if s.shard.Active() {
		s.facts.Reset(rec)
		if !s.keyer.keep(s.shard, rec, &s.facts) {
			return
		}
	}
	for _, o := range s.obs {
		o.Observe(rec)
	}
}

func (r *runner) result() *Result {
	res := &Result{NoUsage: map[string]int64{}, TextAsked: r.opts.Ingest.Text}
	var base []*Ledger
	for _, w := range r.workers {
		base = append(base, w.base)
		res.Filtered += w.filtered
		res.OtherShards += w.otherShards
		res.TextRequests += w.text
		if !w.from.IsZero() && (res.From.IsZero() || w.from.Before(res.From)) {
			res.From = w.from
		}
		if w.to.After(res.To) {
			res.To = w.to
		}
		for k, v := range w.noUsage {
			res.NoUsage[k] += v
		}
	}
	res.Baseline = Price(base...)
	for i, s := range r.opts.Scenarios {
		o := Outcome{Name: s.Name(), Title: s.Title()}
		var ls, before, after []*Ledger
		var ws []Worker
		for _, w := range r.workers {
			l := w.alone[i]
			ls, before, after, ws = append(ls, l.ledger), append(before, l.before), append(after, l.after), append(ws, l.w)
			o.Affected += l.affected
		}
		o.Simulated, o.AffectedBefore, o.AffectedAfter = Price(ls...), Price(before...), Price(after...)
		o.Summary = s.Summarize(ws)
		// A fixed cost is paid for the requests the scenario took over.
		o.Simulated.Fixed, o.AffectedAfter.Fixed = o.FixedCosts, o.FixedCosts
		res.Outcomes = append(res.Outcomes, o)
	}
	if !r.stack {
		return res
	}
	o := &Outcome{Name: "stacked", Title: "All levers stacked"}
	var ls, before, after []*Ledger
	for _, w := range r.workers {
		ls, before, after = append(ls, w.stackLedger), append(before, w.stackBefore), append(after, w.stackAfter)
		o.Affected += w.stackAff
	}
	o.Simulated, o.AffectedBefore, o.AffectedAfter = Price(ls...), Price(before...), Price(after...)
	var fixed []FixedCost // of this lever and those before it
	for i, s := range r.opts.Scenarios {
		st := Stage{Name: s.Name(), Title: s.Title()}
		var at []*Ledger
		var ws []Worker
		for _, w := range r.workers {
			l := w.stack[i]
			at, ws = append(at, l.stageAt), append(ws, l.w)
			st.Affected += l.affected
		}
		st.Summary = s.Summarize(ws)
		fixed = append(fixed, st.FixedCosts...)
		b := Price(at...)
		b.Fixed = fixed
		st.Cost = b.Total()
		o.Estimated = o.Estimated || st.Estimated
		o.Stages = append(o.Stages, st)
	}
	o.Simulated.Fixed, o.AffectedAfter.Fixed = fixed, fixed
	o.FixedCosts = fixed
	res.Stack = o
	return res
}
