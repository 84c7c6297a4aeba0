// Package promptcache simulates the providers' prompt caching: it replays
// the log in time order with each provider's rules (automatic prefix
// caching for OpenAI and Gemini, breakpoints for Anthropic and Claude on
// Bedrock) twice — under the caching the requests get today (automatic
// caching as is; the breakpoints the requests set) and under the proposed
// one (breakpoints placed for them, extended retention) — and adds the
// difference to what the log shows. What the model of a cache gets wrong
// (prefixes matched per block, a log that is a sample) is in both replays
// and cancels out; a proposal equal to today's changes nothing.
//
// Prompts are matched by chained block hashes: each block of the prompt
// (tool definitions, a system block, a message) is hashed with the hash of
// everything before it, so two prompts share a cached prefix exactly when
// they share a hash, and the replay keeps 8 bytes per live cache entry,
// never the text. Blocks are the unit: a prefix shared up to the middle of
// a block counts only up to the block before (a conservative estimate).
package promptcache

import (
	"fmt"
	"math"
	"sort"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// Config configures the prompt-cache scenario.
type Config struct {
	// Breakpoints places explicit breakpoints (Anthropic): "best"
	// (default: the cheapest of the placements below on this log), "auto"
	// (end of tools and system prompt, and end of the prompt), "static",
	// "last", "logged" (where the requests set them) or "none".
	Breakpoints string `yaml:"breakpoints"`
	// TTL of the simulated breakpoints: "5m" (default; writes cost 1.25×
	// input) or "1h" (2×).
	TTL string `yaml:"ttl"`
	// Idle is how long an automatic cache (OpenAI, Gemini) keeps an unused
	// prefix (default 5m; OpenAI says 5 to 10 minutes, at most an hour).
	Idle string `yaml:"idle"`
	// Retention is the OpenAI prompt_cache_retention to simulate: "24h"
	// (default: GPT-5.x and GPT-4.1 keep prefixes a day; other models are
	// unchanged) or "in_memory" (what requests get without asking).
	Retention string `yaml:"retention"`
	// Gemini is the proposal for Gemini models, which cache implicitly
	// today: "best" (default: the cheaper of the two on this log),
	// "implicit" (no change) or "explicit" (a context cache of each
	// recurring tools-and-system-prompt prefix, read at the cached rate
	// and billed for storage by the hour).
	Gemini string `yaml:"gemini"`
	// GeminiTTL is how long an explicit context cache lives after its last
	// use (default 1h, the API's default TTL).
	GeminiTTL string `yaml:"gemini_ttl"`
	// Only limits the replay to matching requests; the others are left as
	// logged and neither read nor write the simulated cache.
	Only simulate.Match `yaml:"only"`

	placement Placement
	best      bool // the cheapest placement on the log
	ttl, idle time.Duration
	geminiTTL time.Duration
}

// Scenario is the prompt-cache lever.
type Scenario struct {
	cfg Config
	cat *pricing.Catalog

	// pass counts the first passes of this run; filter is the first
	// pass's.
	pass   int
	filter *shared
	// Set by Prepare: the outcome of each replayed request that reads or
	// writes the cache, by simulate.RequestKey, and what the replay found.
	decisions map[uint64]decision
	report    replayReport
}

// decision is what the proposed caching changes in a request's input
// buckets: the proposed replay's tokens minus today's replay's (d), and
// the proposed replay's own (p), which bounds a gain: when today's replay
// misses a hit the log shows (its writer is not in the replay), the
// proposal may find it again, and it must not count twice.
type decision struct {
	d, p buckets
}

type buckets struct {
	read, write5m, write1h int64
}

// New checks cfg and returns the scenario.
func New(cfg Config, cat *pricing.Catalog) (*Scenario, error) {
	switch cfg.Breakpoints {
	case "", "best":
		cfg.Breakpoints, cfg.best = "best", true
	case "auto":
		cfg.placement = PlaceAuto
	case "static":
		cfg.placement = PlaceStatic
	case "last":
		cfg.placement = PlaceLast
	case "logged":
		cfg.placement = PlaceLogged
	case "none":
		cfg.placement = PlaceNone
	default:
		return nil, fmt.Errorf("promptcache: breakpoints %q: want best, auto, static, last, logged or none", cfg.Breakpoints)
	}
	switch cfg.TTL {
	case "", "5m":
		cfg.TTL, cfg.ttl = "5m", 5*time.Minute
	case "1h":
		cfg.ttl = time.Hour
	default:
		return nil, fmt.Errorf("promptcache: ttl %q: want 5m or 1h", cfg.TTL)
	}
	if cfg.Idle == "" {
		cfg.Idle = "5m"
	}
	d, err := time.ParseDuration(cfg.Idle)
	if err != nil || d <= 0 || d > 24*time.Hour {
		return nil, fmt.Errorf("promptcache: idle %q: want a duration such as 5m or 10m, at most 24h", cfg.Idle)
	}
	cfg.idle = d
	switch cfg.Retention {
	case "", "24h":
		cfg.Retention = "24h"
	case "in_memory", "in-memory":
		cfg.Retention = "in_memory"
	default:
		return nil, fmt.Errorf("promptcache: retention %q: want in_memory or 24h", cfg.Retention)
	}
	switch cfg.Gemini {
	case "":
		cfg.Gemini = "best"
	case "best", "implicit", "explicit":
	default:
		return nil, fmt.Errorf("promptcache: gemini %q: want best, implicit or explicit", cfg.Gemini)
	}
	if cfg.GeminiTTL == "" {
		cfg.GeminiTTL = "1h"
	}
	if d, err := time.ParseDuration(cfg.GeminiTTL); err != nil || d < time.Minute || d > 7*24*time.Hour {
		return nil, fmt.Errorf("promptcache: gemini_ttl %q: want a duration such as 1h, from 1m to 168h", cfg.GeminiTTL)
	} else {
		cfg.geminiTTL = d
	}
	if err := cfg.Only.Compile(); err != nil {
		return nil, fmt.Errorf("promptcache: only: %w", err)
	}
	return &Scenario{cfg: cfg, cat: cat}, nil
}

func (s *Scenario) Name() string    { return "promptcache" }
func (s *Scenario) Title() string   { return "Provider prompt caching" }
func (s *Scenario) Order() int      { return simulate.OrderPromptCache }
func (s *Scenario) NeedsText() bool { return true }

// NeedsPrepare implements simulate.Preparer: the replay runs in first
// passes.
func (s *Scenario) NeedsPrepare() bool {
	s.pass = 0
	// One filter for every goroutine of the first pass (made here: Run
	// asks this once, before any observer).
	s.filter = newShared()
	return true
}

// Passes implements simulate.MultiPass: the first pass finds which prompt
// prefixes occur more than once (only those can ever be read from a
// cache), the second keeps those prefixes of each request, and replays.
func (s *Scenario) Passes() int { return 2 }

// shared is a filter of the chained hashes seen in the first pass: seen
// once, and seen again. Workers set bits concurrently with atomic ORs. A
// false "seen again" only keeps a block the replay did not need.
type shared struct {
	once, twice []uint64
}

const filterBits = 1 << 26 // 8 MiB per bitset

func newShared() *shared {
	return &shared{once: make([]uint64, filterBits/64), twice: make([]uint64, filterBits/64)}
}

func (f *shared) add(h uint64) {
	i, bit := (h%filterBits)/64, uint64(1)<<(h%64)
	if atomic.OrUint64(&f.once[i], bit)&bit != 0 {
		atomic.OrUint64(&f.twice[i], bit)
	}
}

func (f *shared) again(h uint64) bool {
	i, bit := (h%filterBits)/64, uint64(1)<<(h%64)
	return f.twice[i]&bit != 0
}

// reason a request is left as logged
const (
	whyReplayed = iota
	whyNoText
	whyNoTime
	whyUnknown
	whyNoDiscount
	whyUsageRow
	whyExcluded
	numWhy
)

// eligible says whether the replay bills rec (why == whyReplayed), and
// under which model and rule. It is the same in every pass and in Apply,
// so that a request absent from the decisions is one the replay left
// uncached.
func (s *Scenario) eligible(rec *record.Record, f *simulate.Facts, model func(*record.Record) *pricing.Model, rule func(*pricing.Model) *Rule) (m *pricing.Model, r *Rule, why int) {
	switch {
	case rec.CallCount() != 1:
		return nil, nil, whyUsageRow
	case !s.cfg.Only.IsZero() && !s.cfg.Only.Matches(simulate.NewRequest(rec)):
		return nil, nil, whyExcluded
	case f.Text() == nil:
		return nil, nil, whyNoText
	case rec.Time.IsZero():
		return nil, nil, whyNoTime
	}
	m = model(rec)
	if m == nil || m.PriceIndex(rec.Time) < 0 {
		return nil, nil, whyUnknown
	}
	r = rule(m)
	if r.Kind == KindNone {
		return nil, nil, whyNoDiscount
	}
	return m, r, whyReplayed
}

// lookup resolves models and their rules for one goroutine.
type lookup struct {
	s      *Scenario
	models map[[2]string]*pricing.Model
	rules  map[*pricing.Model]*Rule
}

func newLookup(s *Scenario) lookup {
	return lookup{s: s, models: map[[2]string]*pricing.Model{}, rules: map[*pricing.Model]*Rule{}}
}

func (l *lookup) model(rec *record.Record) *pricing.Model {
	k := [2]string{rec.Provider, rec.Model}
	m, ok := l.models[k]
	if !ok {
		m, _ = l.s.cat.Resolve(rec.Provider, rec.Model)
		l.models[k] = m
	}
	return m
}

func (l *lookup) rule(m *pricing.Model) *Rule {
	r, ok := l.rules[m]
	if !ok {
		x := RuleFor(m, &l.s.cfg)
		r = &x
		l.rules[m] = r
	}
	return r
}

func (l *lookup) eligible(rec *record.Record, f *simulate.Facts) (*pricing.Model, *Rule, int) {
	return l.s.eligible(rec, f, l.model, l.rule)
}

// hasher chains block hashes.
type hasher struct {
	d   xxhash.Digest
	buf [8]byte
}

// chain calls fn with the chained hash of each block of t; the chain
// starts from the model, since caches are per model.
func (h *hasher) chain(m *pricing.Model, t *ingest.RequestText, fn func(i int, h uint64)) {
	x := xxhash.Sum64String(m.Provider + "\x00" + m.ID)
	for i := range t.Blocks {
		h.d.Reset()
		for j := range h.buf {
			h.buf[j] = byte(x >> (8 * j))
		}
		h.d.Write(h.buf[:])
		h.d.WriteString(t.Blocks[i].Role)
		h.d.Write([]byte{0})
		h.d.Write(t.Text(i))
		x = h.d.Sum64()
		fn(i, x)
	}
}

// trace is what the second pass keeps of one replayed request: 48 bytes,
// besides the blocks it shares with others.
type trace struct {
	t      int64
	key    uint64
	first  int32  // its first block in the observer's hashes and cum
	k      int32  // blocks kept (the shared prefix)
	n      int32  // blocks in the prompt
	points int32  // its first point in the observer's points
	marks  int32  // its first mark in the observer's marks
	static int32  // tools/system blocks
	mr     uint16 // its model and rule, in the observer's mrs
	// what the comparison of placements prices it at
	priceIdx int16
	np, nm   uint8
	long     bool
}

// modelRule is a model a trace was sent to, and how it caches.
type modelRule struct {
	model *pricing.Model
	rule  *Rule
}

// observer is one goroutine's state in a first pass.
type observer struct {
	s     *Scenario
	pass  int
	facts simulate.Facts
	look  lookup
	h     hasher
	why   [numWhy]int64

	// second pass
	traces []trace
	mrs    []modelRule
	mrIdx  map[*pricing.Model]uint16
	hashes []uint64
	cum    []int32
	points []Point
	marks  []Mark
	tmpH   []uint64
}

// NewObserver implements simulate.Preparer.
func (s *Scenario) NewObserver() simulate.Observer {
	return &observer{s: s, pass: s.pass, look: newLookup(s), mrIdx: map[*pricing.Model]uint16{}}
}

func (o *observer) Observe(rec *record.Record) {
	o.facts.Reset(rec)
	m, r, why := o.look.eligible(rec, &o.facts)
	if o.pass == 0 {
		if why == whyReplayed {
			o.h.chain(m, o.facts.Text(), func(_ int, h uint64) { o.s.filter.add(h) })
		}
		return
	}
	o.why[why]++
	if why != whyReplayed {
		return
	}
	t := o.facts.Text()
	sizes, _ := o.facts.BlockTokens()
	_, pi, long, _, _ := m.Rates(rec.Time, record.TierStandard, rec.TotalInput())
	mr, ok := o.mrIdx[m]
	if !ok {
		mr = uint16(len(o.mrs))
		o.mrs = append(o.mrs, modelRule{m, r})
		o.mrIdx[m] = mr
	}
	tr := trace{t: rec.Time.UnixNano(), key: simulate.RequestKey(rec), mr: mr, first: int32(len(o.hashes)),
		n: int32(len(t.Blocks)), points: int32(len(o.points)), marks: int32(len(o.marks)), priceIdx: int16(pi), long: long}
	o.tmpH = o.tmpH[:0]
	o.h.chain(m, t, func(_ int, h uint64) { o.tmpH = append(o.tmpH, h) })
	// Keep the blocks up to the last one another request shares: the
	// hashes are chained, so the shared blocks are a prefix.
	for i, h := range o.tmpH {
		if o.s.filter.again(h) {
			tr.k = int32(i + 1)
		}
	}
	for i := range t.Blocks {
		b := &t.Blocks[i]
		if (b.Role == ingest.RoleTools || b.Role == ingest.RoleSystem) && int(tr.static) == i {
			tr.static++
		}
		switch b.Cache {
		case "5m":
			o.marks = append(o.marks, Mark{i, 5 * time.Minute})
		case "1h":
			o.marks = append(o.marks, Mark{i, time.Hour})
		}
	}
	tr.nm = uint8(min(len(o.marks)-int(tr.marks), 255))
	var cum int64
	for i, n := range sizes {
		cum += n
		if int32(i) < tr.k {
			o.hashes = append(o.hashes, o.tmpH[i])
			o.cum = append(o.cum, int32(min(cum, math.MaxInt32)))
			continue
		}
		need := i == len(sizes)-1 || i == int(tr.static)-1
		for _, mk := range o.marks[tr.marks:] {
			need = need || mk.Block == i
		}
		if need {
			o.points = append(o.points, Point{int32(i), int32(min(cum, math.MaxInt32))})
		}
	}
	tr.np = uint8(min(len(o.points)-int(tr.points), 255))
	o.traces = append(o.traces, tr)
}

// before orders traces in time, then by key (so that the order never
// depends on how the log was split among goroutines).
func (t *trace) before(u *trace) bool {
	if t.t != u.t {
		return t.t < u.t
	}
	return t.key < u.key
}

// replayReport is what Prepare found, for Summarize.
type replayReport struct {
	why    [numWhy]int64
	byKind [3]int64
	// placements compares the input cost of explicit-caching requests
	// under each placement (standard rates); nil without such requests.
	// chosen is the placement simulated (the cheapest under "best").
	placements []placementCost
	chosen     int
	entries    int
	// todayRead and proposedRead are the cache reads the replays find
	// under today's caching and the proposed one.
	todayRead, proposedRead int64
	// gemini weighs explicit context caching against implicit caching.
	gemini geminiChoice
}

type placementCost struct {
	pl                  Placement
	read, write, uncach int64
	cost                decimal.Decimal
}

// Prepare ends a pass; after the second, it replays every observed request
// in time order.
func (s *Scenario) Prepare(obs []simulate.Observer) error {
	s.pass++
	if s.pass == 1 {
		return nil
	}
	defer func() { s.filter = nil }()
	var rep replayReport
	var obsv []*observer
	for _, x := range obs {
		o := x.(*observer)
		for k, n := range o.why {
			rep.why[k] += n
		}
		sort.Slice(o.traces, func(i, j int) bool { return o.traces[i].before(&o.traces[j]) })
		obsv = append(obsv, o)
	}
	// replay calls fn with every trace in time order: a merge of the
	// observers' sorted traces, so nothing is copied.
	replay := func(fn func(o *observer, tr *trace)) {
		heads := make([]int, len(obsv))
		for {
			best := -1
			for i, o := range obsv {
				if heads[i] < len(o.traces) && (best < 0 || o.traces[heads[i]].before(&obsv[best].traces[heads[best]])) {
					best = i
				}
			}
			if best < 0 {
				return
			}
			fn(obsv[best], &obsv[best].traces[heads[best]])
			heads[best]++
		}
	}
	var p Prompt
	var bps []bp
	load := func(o *observer, tr *trace) *Prompt {
		p.Time = time.Unix(0, tr.t)
		p.N = int(tr.n)
		p.Hashes = o.hashes[tr.first : tr.first+tr.k]
		p.Cum = p.Cum[:0]
		for _, c := range o.cum[tr.first : tr.first+tr.k] {
			p.Cum = append(p.Cum, int64(c))
		}
		p.Points = o.points[tr.points : tr.points+int32(tr.np)]
		p.Marks = o.marks[tr.marks : tr.marks+int32(tr.nm)]
		p.Static = int(tr.static)
		return &p
	}
	decide := func(tr *trace, cur, out Outcome) {
		rep.todayRead += cur.Read
		rep.proposedRead += out.Read
		d := buckets{read: out.Read - cur.Read, write5m: out.Write5m - cur.Write5m, write1h: out.Write1h - cur.Write1h}
		if d != (buckets{}) {
			s.decisions[tr.key] = decision{d: d, p: buckets{out.Read, out.Write5m, out.Write1h}}
		}
	}
	// Automatic caching: today's cache (in-memory retention) and the
	// proposed one. Breakpoints: one cache per placement, "logged" being
	// today's.
	today, proposed := NewCache(), NewCache()
	var caches [numPlacements]*Cache
	var sums [numPlacements]map[cellKey]*cost.Usage
	s.decisions = map[uint64]decision{}
	todayCfg := s.cfg
	todayCfg.Retention = "in_memory"
	todayRules := map[*pricing.Model]*Rule{}
	explicit := false
	gem := newGeminiReplay(s.cfg.geminiTTL)
	replay(func(o *observer, tr *trace) {
		r, model := o.mrs[tr.mr].rule, o.mrs[tr.mr].model
		rep.byKind[r.Kind]++
		p := load(o, tr)
		if r.Kind == KindAuto {
			now := todayRules[model]
			if now == nil {
				x := RuleFor(model, &todayCfg)
				now = &x
				todayRules[model] = now
			}
			cur := today.Auto(p, now)
			out := cur
			if *now != *r {
				out = proposed.Auto(p, r)
			}
			if r.Gemini && s.cfg.Gemini != "implicit" {
				// Explicit context caching is weighed against today's
				// implicit caching once the whole log is seen.
				gem.add(model, tr, p, cur, gem.static(model).Use(p, r))
				return
			}
			decide(tr, cur, out)
			return
		}
		explicit = true
		var cur, out Outcome
		for pl := Placement(0); pl < numPlacements; pl++ {
			if caches[pl] == nil {
				caches[pl] = NewCache()
			}
			var o Outcome
			o, bps = caches[pl].Explicit(p, r, pl, bps)
			if pl == s.cfg.placement {
				out = o
			}
			if pl == PlaceLogged {
				cur = o
			}
			if sums[pl] == nil {
				sums[pl] = map[cellKey]*cost.Usage{}
			}
			k := cellKey{model, tr.priceIdx, tr.long}
			u := sums[pl][k]
			if u == nil {
				u = &cost.Usage{}
				sums[pl][k] = u
			}
			u.Requests++
			u.CacheRead += o.Read
			u.CacheWrite5m += o.Write5m
			u.CacheWrite1h += o.Write1h
			u.Input += p.total() - o.Read - o.Write5m - o.Write1h
		}
		if !s.cfg.best {
			decide(tr, cur, out)
		}
	})
	if explicit {
		for pl := Placement(0); pl < numPlacements; pl++ {
			pc := placementCost{pl: pl, cost: priceSums(sums[pl])}
			for _, u := range sums[pl] {
				pc.read += u.CacheRead
				pc.write += u.CacheWrite5m + u.CacheWrite1h
				pc.uncach += u.Input
			}
			rep.placements = append(rep.placements, pc)
			if pc.cost.LessThan(rep.placements[rep.chosen].cost) {
				rep.chosen = int(pl)
			}
		}
		if !s.cfg.best {
			rep.chosen = int(s.cfg.placement)
		} else {
			// The cheapest placement is known now: replay the requests
			// with breakpoints again, under it and under today's.
			chosen, logged := NewCache(), NewCache()
			pl := Placement(rep.chosen)
			replay(func(o *observer, tr *trace) {
				r := o.mrs[tr.mr].rule
				if r.Kind != KindExplicit {
					return
				}
				p := load(o, tr)
				var cur, out Outcome
				cur, bps = logged.Explicit(p, r, PlaceLogged, bps)
				out = cur
				if pl != PlaceLogged {
					out, bps = chosen.Explicit(p, r, pl, bps)
				}
				decide(tr, cur, out)
			})
		}
	}
	if gem.seen {
		rep.gemini = gem.weigh(s.cfg.Gemini)
		// Replay the Gemini requests again under the choice: explicit
		// caching, or today's implicit caching (no change).
		today, statics := NewCache(), newGeminiReplay(s.cfg.geminiTTL)
		replay(func(o *observer, tr *trace) {
			r, model := o.mrs[tr.mr].rule, o.mrs[tr.mr].model
			if !r.Gemini || r.Kind != KindAuto {
				return
			}
			p := load(o, tr)
			cur := today.Auto(p, r)
			out := cur
			if rep.gemini.explicit {
				out = statics.static(model).Use(p, r)
			}
			decide(tr, cur, out)
		})
	}
	rep.entries = max(today.Live, proposed.Live)
	for _, c := range caches {
		if c != nil {
			rep.entries = max(rep.entries, c.Live)
		}
	}
	s.report = rep
	return nil
}

type cellKey struct {
	m     *pricing.Model
	price int16
	long  bool
}

type worker struct {
	s    *Scenario
	look lookup
	st   stats
}

type stats struct {
	requests, hits, reshaped                   int64
	loggedRead, loggedWrite, simRead, simWrite int64
	// modelChanged counts requests an earlier lever moved to another model
	// or shortened, which keep only part of the replay's outcome.
	modelChanged, shortened int64
}

func (s *Scenario) NewWorker(b *simulate.Books) simulate.Worker {
	return &worker{s: s, look: newLookup(s)}
}

// Apply adds what the proposed caching changes to the main call's input
// buckets, as logged (or as an earlier lever left them: a call moved to
// another model keeps the change, scaled to that model's tokens, since the
// prefixes shared are the same). A prompt an earlier lever rewrote (a
// window, a summary) is left as that lever left it.
func (w *worker) Apply(req *simulate.Request) bool {
	if _, _, why := w.look.eligible(req.Rec, req.Facts()); why != whyReplayed {
		return false
	}
	c := req.Main()
	if c == nil {
		return false
	}
	rec := req.Rec
	w.st.requests++
	w.st.loggedRead += c.CacheRead
	w.st.loggedWrite += c.CacheWrite5m + c.CacheWrite1h
	scale := func(n int64) int64 {
		if n < 0 {
			return -int64(float64(-n)*c.Scale + 0.5)
		}
		return int64(float64(n)*c.Scale + 0.5)
	}
	total := c.TotalInput()
	d, ok := w.s.decisions[simulate.RequestKey(rec)]
	switch {
	case !ok:
	case abs(total-scale(rec.TotalInput())) > 4: // beyond the rounding of four scaled buckets
		w.st.shortened++
		ok = false
	case c.Model != rec.Model || c.Provider != rec.Provider:
		w.st.modelChanged++
	}
	before := [4]int64{c.Input, c.CacheRead, c.CacheWrite5m, c.CacheWrite1h}
	if ok {
		// logged + (proposed − today), a gain bounded by the larger of the
		// logged and the proposed amounts.
		add := func(logged, diff, prop int64) int64 {
			x := logged + scale(diff)
			if diff > 0 {
				x = min(x, max(logged, scale(prop)))
			}
			return max(x, 0)
		}
		read := min(add(c.CacheRead, d.d.read, d.p.read), total)
		w5 := min(add(c.CacheWrite5m, d.d.write5m, d.p.write5m), total-read)
		w1 := min(add(c.CacheWrite1h, d.d.write1h, d.p.write1h), total-read-w5)
		c.CacheRead, c.CacheWrite5m, c.CacheWrite1h = read, w5, w1
		c.Input = total - read - w5 - w1
	}
	if c.CacheRead > 0 {
		w.st.hits++
	}
	w.st.simRead += c.CacheRead
	w.st.simWrite += c.CacheWrite5m + c.CacheWrite1h
	changed := before != [4]int64{c.Input, c.CacheRead, c.CacheWrite5m, c.CacheWrite1h}
	if changed {
		w.st.reshaped++
	}
	return changed
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// Summarize implements simulate.Scenario.
func (s *Scenario) Summarize(ws []simulate.Worker) simulate.Summary {
	var st stats
	for _, x := range ws {
		w := x.(*worker)
		st.requests += w.st.requests
		st.hits += w.st.hits
		st.reshaped += w.st.reshaped
		st.loggedRead += w.st.loggedRead
		st.loggedWrite += w.st.loggedWrite
		st.simRead += w.st.simRead
		st.simWrite += w.st.simWrite
		st.modelChanged += w.st.modelChanged
		st.shortened += w.st.shortened
	}
	rep := &s.report
	d := simulate.Dec
	sum := simulate.Summary{
		Figures: []simulate.Figure{
			{Key: "replayed_requests", Label: "Requests replayed through the cache", Unit: simulate.UnitRequests, Value: d(st.requests)},
			{Key: "hit_requests", Label: "Requests reading a cached prefix", Unit: simulate.UnitRequests, Value: d(st.hits)},
			{Key: "hit_rate", Label: "Share of replayed requests with a hit", Unit: simulate.UnitShare, Value: simulate.Share(d(st.hits), d(st.requests)),
				Merge: simulate.MergeRatio, Of: [2]string{"hit_requests", "replayed_requests"}},
			{Key: "logged_cache_read_tokens", Label: "Cache reads in the log", Unit: simulate.UnitTokens, Value: d(st.loggedRead)},
			{Key: "replay_today_read_tokens", Label: "Cache reads the replay finds under today's caching (to check against the log's)", Unit: simulate.UnitTokens, Value: d(rep.todayRead), Estimated: true},
			{Key: "replay_proposed_read_tokens", Label: "Cache reads the replay finds under the proposed caching", Unit: simulate.UnitTokens, Value: d(rep.proposedRead), Estimated: true},
			{Key: "simulated_cache_read_tokens", Label: "Cache reads simulated (the log's, plus the difference)", Unit: simulate.UnitTokens, Value: d(st.simRead)},
			{Key: "logged_cache_write_tokens", Label: "Cache writes in the log", Unit: simulate.UnitTokens, Value: d(st.loggedWrite)},
			{Key: "simulated_cache_write_tokens", Label: "Cache writes simulated (billed apart)", Unit: simulate.UnitTokens, Value: d(st.simWrite)},
			{Key: "not_replayed_requests", Label: "Requests left as logged (see the table below)", Unit: simulate.UnitRequests,
				Value: d(rep.why[whyNoText] + rep.why[whyNoTime] + rep.why[whyUnknown] + rep.why[whyNoDiscount] + rep.why[whyUsageRow] + rep.why[whyExcluded])},
			{Key: "cache_entries_max", Label: "Most cache entries held at once (8 bytes of hash each)", Unit: simulate.UnitCount, Value: d(int64(rep.entries)), Merge: simulate.MergeMax},
		},
	}
	why := simulate.Table{Key: "requests_by_caching", Title: "Requests by caching rule",
		Columns: []simulate.Column{{Key: "rule", Label: "rule", Unit: simulate.UnitText}, {Key: "requests", Label: "requests", Unit: simulate.UnitRequests}}}
	for _, r := range []struct {
		label string
		n     int64
	}{
		{"replayed: automatic prefix caching (OpenAI, Gemini, others)", rep.byKind[KindAuto]},
		{"replayed: breakpoints (Anthropic, Claude and Nova on Bedrock)", rep.byKind[KindExplicit]},
		{"left as logged: no prompt text in the log", rep.why[whyNoText]},
		{"left as logged: no timestamp", rep.why[whyNoTime]},
		{"left as logged: model not in the catalog", rep.why[whyUnknown]},
		{"left as logged: no cached-input discount", rep.why[whyNoDiscount]},
		{"left as logged: usage rows (several calls)", rep.why[whyUsageRow]},
		{"left as logged: not matched by only", rep.why[whyExcluded]},
	} {
		if r.n > 0 {
			why.Rows = append(why.Rows, []any{r.label, d(r.n)})
		}
	}
	sum.Tables = append(sum.Tables, why)
	if rep.gemini.present {
		sum.Tables = append(sum.Tables, s.geminiTable(&rep.gemini))
		if rep.gemini.explicit {
			sum.FixedCosts = append(sum.FixedCosts, rep.gemini.fixed...)
		}
		sum.Assumptions = append(sum.Assumptions, fmt.Sprintf("Gemini: today's implicit caching is weighed against explicit context caches (%s): one per recurring tools-and-system-prompt prefix, created at the standard input price, read at the cached rate while it lives (%s after its last use), stored at 3.6× the input rate per hour (Gemini 2.5 Pro's $4.50 per 1M tokens per hour; assumed for other models).", s.cfg.Gemini, s.cfg.GeminiTTL))
	}
	if len(rep.placements) > 0 {
		t := simulate.Table{Key: "breakpoint_placement", Title: "Where to put the breakpoints (breakpoint-caching requests, input cost at standard rates)",
			Columns: []simulate.Column{{Key: "placement", Label: "placement", Unit: simulate.UnitText},
				{Key: "cache_read_tokens", Label: "cache reads", Unit: simulate.UnitTokens},
				{Key: "cache_write_tokens", Label: "cache writes", Unit: simulate.UnitTokens},
				{Key: "uncached_tokens", Label: "uncached", Unit: simulate.UnitTokens},
				{Key: "input_usd", Label: "input cost", Unit: simulate.UnitUSD}}}
		best := 0
		for i, pc := range rep.placements {
			if pc.cost.LessThan(rep.placements[best].cost) {
				best = i
			}
		}
		for i, pc := range rep.placements {
			label := placementLabels[pc.pl]
			switch {
			case i == rep.chosen && i == best:
				label += " (cheapest, simulated)"
			case i == best:
				label += " (cheapest)"
			case i == rep.chosen:
				label += " (simulated)"
			}
			t.Rows = append(t.Rows, []any{label, d(pc.read), d(pc.write), d(pc.uncach), pc.cost})
		}
		sum.Tables = append(sum.Tables, t)
	}
	sum.Assumptions = append(sum.Assumptions,
		"The log is replayed in time order twice: under the caching the requests get today (automatic caching as the provider does it; the breakpoints the requests set) and under the proposed caching. The difference is added to the cache reads and writes the log shows, so what the replay gets wrong in both (a prefix shared only up to the middle of a block counts up to the block before; a log that is a sample) cancels out, and a proposal equal to today's changes nothing. A request's gain is bounded by the larger of its logged and proposed amounts, so a hit the log already shows is not counted again.",
		"Prompts are compared block by block (tools, system prompt, each message) by chained hashes; each block's tokens are its share of the billed input, counted with the model's tokenizer (estimated for models without a public one).",
		fmt.Sprintf("Automatic caching (OpenAI and others): prompts of 1,024 tokens or more, hits in 128-token steps (Gemini: 1,024 tokens for Flash, 4,096 for Pro), evicted after %s idle; proposed: %s; writes are billed apart only from GPT-5.6 (1.25× input).", s.cfg.Idle,
			map[bool]string{true: "prompt_cache_retention 24h, which keeps prefixes a day on GPT-5.x and GPT-4.1 (other models: unchanged)", false: "in-memory retention, as today (no change)"}[s.cfg.Retention == "24h"]),
		fmt.Sprintf("Breakpoints (Anthropic, Claude on Bedrock and Vertex): proposed %s, TTL %s refreshed on each hit, each breakpoint looking back 20 blocks; writes cost 1.25× input (2× for 1h), reads 0.1×; a prefix shorter than the model's minimum (512 to 4,096 tokens) is not cached.", s.proposal(rep), s.cfg.TTL),
		"A cache entry is readable only by requests that start after the one that wrote it (parallel identical requests all pay for the write).",
		"OpenAI routes requests by a hash of the first ~256 tokens; above about 15 requests a minute per prefix some overflow to other machines and miss: not modelled.")
	if st.modelChanged > 0 || st.shortened > 0 {
		sum.Assumptions = append(sum.Assumptions, "Stacked after routing or context levers: a request moved to another model keeps the change, scaled to that model's tokens; a prompt a window or summary rewrote is left as that lever left it.")
	}
	if rep.todayRead < st.loggedRead/2 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("under today's caching the replay finds %d cache-read tokens where the log shows %d: prefixes shared inside a block, a sampled log or one that starts mid-conversation hide hits from it, so the difference it adds is likely understated", rep.todayRead, st.loggedRead))
	}
	if rep.why[whyNoText] > 0 && st.requests == 0 {
		sum.Warnings = append(sum.Warnings, "no request in the log carries its prompt text (only request+response pairs and batch inputs do): prompt caching cannot be simulated on this log")
	}
	sum.Estimated = true
	return sum
}

// proposal says which breakpoints were simulated.
func (s *Scenario) proposal(rep *replayReport) string {
	label := placementLabels[rep.chosen]
	if s.cfg.best {
		return label + " (the cheapest of the placements on this log)"
	}
	return label
}

var placementLabels = [numPlacements]string{
	PlaceAuto:   "auto: end of tools/system and end of prompt",
	PlaceStatic: "static: end of tools/system only",
	PlaceLast:   "last: end of prompt only",
	PlaceLogged: "logged: where the requests set them",
	PlaceNone:   "none: no breakpoints",
}

// ShardSafety implements simulate.Sharder: requests that can share a cached
// prefix start with the same block on the same model, so a split by prefix
// keeps every hit; other splits lose the hits across shards.
func (s *Scenario) ShardSafety(key string) (simulate.Safety, string) {
	switch key {
	case simulate.ShardPrefix:
		return simulate.Exact, ""
	case simulate.ShardSystem:
		return simulate.Approximate, "prompts that share tools or a first message but not the system prompt are cached across shards; the saving is slightly understated (shard by prefix to keep every hit)"
	}
	return simulate.Approximate, "a prefix one shard caches (a shared system prompt) is read by requests of other shards; the saving is understated (shard by prefix to keep every hit)"
}
