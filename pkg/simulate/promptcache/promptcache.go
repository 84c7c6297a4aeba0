// Package promptcache simulates the providers' prompt caching: it replays
// the log in time order with each provider's rules (automatic prefix
// caching for OpenAI and Gemini, breakpoints for Anthropic and Claude on
// Bedrock) and bills each request's input as the cache would have.
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
	"sort"
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
	// Breakpoints places explicit breakpoints (Anthropic): "auto" (default:
	// end of tools and system prompt, and end of the prompt), "static",
	// "last", or "logged" (where the requests set them).
	Breakpoints string `yaml:"breakpoints"`
	// TTL of the simulated breakpoints: "5m" (default; writes cost 1.25×
	// input) or "1h" (2×).
	TTL string `yaml:"ttl"`
	// Idle is how long an automatic cache (OpenAI, Gemini) keeps an unused
	// prefix (default 5m; OpenAI says 5 to 10 minutes, at most an hour).
	Idle string `yaml:"idle"`
	// Retention is OpenAI's prompt_cache_retention: "in_memory" (default)
	// or "24h" (GPT-5.x and GPT-4.1 keep prefixes a day).
	Retention string `yaml:"retention"`
	// Only limits the replay to matching requests; the others are left as
	// logged and neither read nor write the simulated cache.
	Only simulate.Match `yaml:"only"`

	placement Placement
	ttl, idle time.Duration
}

// Scenario is the prompt-cache lever.
type Scenario struct {
	cfg Config
	cat *pricing.Catalog

	// Set by Prepare: the outcome of each request with text, by
	// simulate.RequestKey, and what the replay found.
	decisions map[uint64]decision
	report    replayReport
}

type decision struct {
	read, write5m, write1h, staticRead int64
}

// New checks cfg and returns the scenario.
func New(cfg Config, cat *pricing.Catalog) (*Scenario, error) {
	switch cfg.Breakpoints {
	case "", "auto":
		cfg.Breakpoints, cfg.placement = "auto", PlaceAuto
	case "static":
		cfg.placement = PlaceStatic
	case "last":
		cfg.placement = PlaceLast
	case "logged":
		cfg.placement = PlaceLogged
	default:
		return nil, fmt.Errorf("promptcache: breakpoints %q: want auto, static, last or logged", cfg.Breakpoints)
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
	case "", "in_memory", "in-memory":
		cfg.Retention = "in_memory"
	case "24h":
	default:
		return nil, fmt.Errorf("promptcache: retention %q: want in_memory or 24h", cfg.Retention)
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

// NeedsPrepare implements simulate.Preparer: the replay runs in a first
// pass.
func (s *Scenario) NeedsPrepare() bool { return true }

// trace is what an observer keeps of one request with text.
type trace struct {
	t     int64
	key   uint64
	model *pricing.Model
	first int32 // index of its first block in the observer's arenas
	n     int32
	obs   int32 // which observer holds its blocks
	// static is the number of tools/system blocks.
	static int32
	// priced is what the comparison of placements prices it at.
	priceIdx int16
	long     bool
}

// observer hashes the prompts of one goroutine's records.
type observer struct {
	s      *Scenario
	facts  simulate.Facts
	models map[[2]string]*pricing.Model
	traces []trace
	hashes []uint64
	cum    []int64
	marks  []uint8 // 0 none, 1 5m, 2 1h
	skip   skipped
	d      xxhash.Digest
}

// skipped counts requests the replay leaves as logged, by reason.
type skipped struct {
	noText, noTime, unknown, noDiscount, usageRow, excluded int64
}

func (k *skipped) add(o skipped) {
	k.noText += o.noText
	k.noTime += o.noTime
	k.unknown += o.unknown
	k.noDiscount += o.noDiscount
	k.usageRow += o.usageRow
	k.excluded += o.excluded
}

// NewObserver implements simulate.Preparer.
func (s *Scenario) NewObserver() simulate.Observer {
	return &observer{s: s, models: map[[2]string]*pricing.Model{}}
}

func (o *observer) model(rec *record.Record) *pricing.Model {
	k := [2]string{rec.Provider, rec.Model}
	m, ok := o.models[k]
	if !ok {
		m, _ = o.s.cat.Resolve(rec.Provider, rec.Model)
		o.models[k] = m
	}
	return m
}

func (o *observer) Observe(rec *record.Record) {
	if rec.CallCount() != 1 {
		o.skip.usageRow += rec.CallCount()
		return
	}
	if !o.s.cfg.Only.IsZero() && !o.s.cfg.Only.Matches(simulate.NewRequest(rec)) {
		o.skip.excluded++
		return
	}
	o.facts.Reset(rec)
	t := o.facts.Text()
	if t == nil {
		o.skip.noText++
		return
	}
	if rec.Time.IsZero() {
		o.skip.noTime++
		return
	}
	m := o.model(rec)
	if m == nil || m.PriceIndex(rec.Time) < 0 {
		o.skip.unknown++
		return
	}
	sizes, _ := o.facts.BlockTokens()
	if len(sizes) != len(t.Blocks) {
		o.skip.noText++
		return
	}
	_, pi, long, _, _ := m.Rates(rec.Time, record.TierStandard, rec.TotalInput())
	tr := trace{t: rec.Time.UnixNano(), key: simulate.RequestKey(rec), model: m, first: int32(len(o.hashes)),
		n: int32(len(sizes)), priceIdx: int16(pi), long: long}
	// The chain starts from the model: caches are per model.
	h := xxhash.Sum64String(m.Provider + "\x00" + m.ID)
	var cum int64
	var buf [8]byte
	for i := range t.Blocks {
		b := &t.Blocks[i]
		o.d.Reset()
		for j := range buf {
			buf[j] = byte(h >> (8 * j))
		}
		o.d.Write(buf[:])
		o.d.WriteString(b.Role)
		o.d.Write([]byte{0})
		o.d.Write(t.Text(i))
		h = o.d.Sum64()
		cum += sizes[i]
		o.hashes = append(o.hashes, h)
		o.cum = append(o.cum, cum)
		var mk uint8
		switch b.Cache {
		case "5m":
			mk = 1
		case "1h":
			mk = 2
		}
		o.marks = append(o.marks, mk)
		if (b.Role == ingest.RoleTools || b.Role == ingest.RoleSystem) && int(tr.static) == i {
			tr.static++
		}
	}
	o.traces = append(o.traces, tr)
}

// replayReport is what Prepare found, for Summarize.
type replayReport struct {
	skip      skipped
	simulated int64
	byKind    [3]int64
	// placements compares the input cost of explicit-caching requests
	// under each placement (standard rates); nil without such requests.
	placements []placementCost
	liveMax    int
	bytes      int64
}

type placementCost struct {
	pl                  Placement
	read, write, uncach int64
	cost                decimal.Decimal
}

// Prepare replays every observed request in time order.
func (s *Scenario) Prepare(obs []simulate.Observer) error {
	var all []trace
	var rep replayReport
	for i, x := range obs {
		o := x.(*observer)
		rep.skip.add(o.skip)
		for _, tr := range o.traces {
			tr.obs = int32(i)
			all = append(all, tr)
		}
		rep.bytes += int64(len(o.hashes))*17 + int64(len(o.traces))*48
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].t != all[j].t {
			return all[i].t < all[j].t
		}
		return all[i].key < all[j].key
	})
	rules := map[*pricing.Model]*Rule{}
	ruleOf := func(m *pricing.Model) *Rule {
		r, ok := rules[m]
		if !ok {
			x := RuleFor(m, &s.cfg)
			r = &x
			rules[m] = r
		}
		return r
	}
	// One cache for the chosen placement, and one per other placement for
	// the comparison of explicit caching.
	main := NewCache()
	var others [numPlacements]*Cache
	var otherSums [numPlacements]map[cellKey]*cost.Usage
	s.decisions = make(map[uint64]decision, len(all))
	var p Prompt
	var bps []bp
	for _, tr := range all {
		o := obs[tr.obs].(*observer)
		r := ruleOf(tr.model)
		rep.byKind[r.Kind]++
		if r.Kind == KindNone {
			rep.skip.noDiscount++
			continue
		}
		p.Time = time.Unix(0, tr.t)
		p.Hashes = o.hashes[tr.first : tr.first+tr.n]
		p.Cum = o.cum[tr.first : tr.first+tr.n]
		p.Static = int(tr.static)
		p.Marks = p.Marks[:0]
		for _, mk := range o.marks[tr.first : tr.first+tr.n] {
			p.Marks = append(p.Marks, [3]time.Duration{0, 5 * time.Minute, time.Hour}[mk])
		}
		var out Outcome
		if r.Kind == KindAuto {
			out = main.Auto(&p, r)
		} else {
			out, bps = main.Explicit(&p, r, s.cfg.placement, bps)
			for pl := Placement(0); pl < numPlacements; pl++ {
				var o Outcome
				if pl == s.cfg.placement {
					o = out
				} else {
					if others[pl] == nil {
						others[pl] = NewCache()
					}
					o, bps = others[pl].Explicit(&p, r, pl, bps)
				}
				if otherSums[pl] == nil {
					otherSums[pl] = map[cellKey]*cost.Usage{}
				}
				k := cellKey{tr.model, tr.priceIdx, tr.long}
				u := otherSums[pl][k]
				if u == nil {
					u = &cost.Usage{}
					otherSums[pl][k] = u
				}
				total := p.Cum[len(p.Cum)-1]
				u.Requests++
				u.CacheRead += o.Read
				u.CacheWrite5m += o.Write5m
				u.CacheWrite1h += o.Write1h
				u.Input += total - o.Read - o.Write5m - o.Write1h
			}
		}
		rep.simulated++
		s.decisions[tr.key] = decision{read: out.Read, write5m: out.Write5m, write1h: out.Write1h, staticRead: out.StaticRead}
	}
	rep.liveMax = main.Live
	if otherSums[s.cfg.placement] != nil {
		for pl := Placement(0); pl < numPlacements; pl++ {
			pc := placementCost{pl: pl, cost: decimal.Zero}
			for k, u := range otherSums[pl] {
				pc.read += u.CacheRead
				pc.write += u.CacheWrite5m + u.CacheWrite1h
				pc.uncach += u.Input
				pr := &k.m.Prices[k.price]
				band := &pr.Base
				if k.long && pr.LongContext != nil {
					band = pr.LongContext
				}
				m := cost.Price(*u, &band.Standard, decimal.NewFromInt(1))
				pc.cost = pc.cost.Add(m.Total())
			}
			rep.placements = append(rep.placements, pc)
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
	s     *Scenario
	books *simulate.Books
	st    stats
}

type stats struct {
	requests, hits, reshaped                   int64
	loggedRead, loggedWrite, simRead, simWrite int64
	// modelChanged counts requests an earlier lever moved to another model
	// or shortened, which keep only part of the replay's outcome.
	modelChanged, shortened int64
}

func (s *Scenario) NewWorker(b *simulate.Books) simulate.Worker {
	return &worker{s: s, books: b}
}

// Apply bills the main call's input as the replay found. In the stack, a
// call an earlier lever moved to another model keeps the same split
// (scaled to that model's tokens: the prefixes shared are the same); a
// prompt an earlier lever shortened keeps only the static prefix's hit.
func (w *worker) Apply(req *simulate.Request) bool {
	d, ok := w.s.decisions[simulate.RequestKey(req.Rec)]
	if !ok {
		return false
	}
	c := req.Main()
	if c == nil {
		return false
	}
	w.st.requests++
	rec := req.Rec
	w.st.loggedRead += rec.CacheReadTokens
	w.st.loggedWrite += rec.CacheWrite5mTokens + rec.CacheWrite1hTokens
	total := c.TotalInput()
	scale := func(n int64) int64 { return int64(float64(n)*c.Scale + 0.5) }
	if c.Model != rec.Model || c.Provider != rec.Provider {
		w.st.modelChanged++
	}
	read, w5, w1 := scale(d.read), scale(d.write5m), scale(d.write1h)
	if expect := scale(rec.TotalInput()); total != expect {
		w.st.shortened++
		read, w5, w1 = min(scale(d.staticRead), total), 0, 0
	}
	w5 = min(w5, total-read)
	w1 = min(w1, total-read-w5)
	if read > 0 {
		w.st.hits++
	}
	w.st.simRead += read
	w.st.simWrite += w5 + w1
	before := [4]int64{c.Input, c.CacheRead, c.CacheWrite5m, c.CacheWrite1h}
	c.CacheRead, c.CacheWrite5m, c.CacheWrite1h = read, w5, w1
	c.Input = total - read - w5 - w1
	changed := before != [4]int64{c.Input, c.CacheRead, c.CacheWrite5m, c.CacheWrite1h}
	if changed {
		w.st.reshaped++
	}
	return changed
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
			{Key: "hit_rate", Label: "Share of replayed requests with a hit", Unit: simulate.UnitShare, Value: simulate.Share(d(st.hits), d(st.requests))},
			{Key: "logged_cache_read_tokens", Label: "Cache reads in the log", Unit: simulate.UnitTokens, Value: d(st.loggedRead)},
			{Key: "simulated_cache_read_tokens", Label: "Cache reads simulated", Unit: simulate.UnitTokens, Value: d(st.simRead)},
			{Key: "logged_cache_write_tokens", Label: "Cache writes in the log", Unit: simulate.UnitTokens, Value: d(st.loggedWrite)},
			{Key: "simulated_cache_write_tokens", Label: "Cache writes simulated (billed apart)", Unit: simulate.UnitTokens, Value: d(st.simWrite)},
			{Key: "not_replayed_requests", Label: "Requests left as logged (see the table below)", Unit: simulate.UnitRequests,
				Value: d(rep.skip.noText + rep.skip.noTime + rep.skip.unknown + rep.skip.noDiscount + rep.skip.usageRow + rep.skip.excluded)},
			{Key: "cache_entries_max", Label: "Most cache entries held at once (8 bytes of hash each)", Unit: simulate.UnitCount, Value: d(int64(rep.liveMax))},
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
		{"left as logged: no prompt text in the log", rep.skip.noText},
		{"left as logged: no timestamp", rep.skip.noTime},
		{"left as logged: model not in the catalog", rep.skip.unknown},
		{"left as logged: no cached-input discount", rep.skip.noDiscount},
		{"left as logged: usage rows (several calls)", rep.skip.usageRow},
		{"left as logged: not matched by only", rep.skip.excluded},
	} {
		if r.n > 0 {
			why.Rows = append(why.Rows, []any{r.label, d(r.n)})
		}
	}
	sum.Tables = append(sum.Tables, why)
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
			if i == best {
				label += " (cheapest)"
			}
			if pc.pl == s.cfg.placement {
				label += " (simulated)"
			}
			t.Rows = append(t.Rows, []any{label, d(pc.read), d(pc.write), d(pc.uncach), pc.cost})
		}
		sum.Tables = append(sum.Tables, t)
	}
	sum.Assumptions = append(sum.Assumptions,
		"The log is replayed in time order; a request reads the longest prefix an earlier request left in the cache, compared block by block (tools, system prompt, each message) by chained hashes: a prefix shared only up to the middle of a block counts up to the block before.",
		"Each block's tokens are its share of the billed input, counted with the model's tokenizer (estimated for models without a public one).",
		fmt.Sprintf("Automatic caching (OpenAI and others): prompts of 1,024 tokens or more, hits in 128-token steps (Gemini: 1,024 tokens for Flash, 4,096 for Pro), evicted after %s idle%s; writes are billed apart only from GPT-5.6 (1.25× input).", s.cfg.Idle, map[bool]string{true: " (24 hours on GPT-5.x and GPT-4.1: retention 24h)", false: ""}[s.cfg.Retention == "24h"]),
		fmt.Sprintf("Breakpoints (Anthropic, Claude on Bedrock and Vertex): placed %s, TTL %s refreshed on each hit, each breakpoint looking back 20 blocks; writes cost 1.25× input (2× for 1h), reads 0.1×; a prefix shorter than the model's minimum (512 to 4,096 tokens) is not cached.", placementLabels[s.cfg.placement], s.cfg.TTL),
		"A cache entry is readable only by requests that start after the one that wrote it (parallel identical requests all pay for the write).",
		"The saving is what the simulated caching adds to the caching the log already shows (its cache reads and writes are replaced by the replay's); it can be negative when the log's requests read prefixes written before the log begins.",
		"OpenAI routes requests by a hash of the first ~256 tokens; above about 15 requests a minute per prefix some overflow to other machines and miss: not modelled, so busy prefixes may be slightly optimistic.")
	if st.modelChanged > 0 || st.shortened > 0 {
		sum.Assumptions = append(sum.Assumptions, "Stacked after routing or context levers: a request moved to another model keeps the replay's split of its input; a prompt a window or summary shortened keeps only the hit on its tools and system prompt.")
	}
	if st.simRead < st.loggedRead {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("the replay finds fewer cache reads (%d tokens) than the log shows (%d): the log probably starts in the middle of conversations, is a sample, or lacks the requests that wrote those prefixes; the saving is understated", st.simRead, st.loggedRead))
	}
	if rep.skip.noText > 0 && st.requests == 0 {
		sum.Warnings = append(sum.Warnings, "no request in the log carries its prompt text (only request+response pairs and batch inputs do): prompt caching cannot be simulated on this log")
	}
	sum.Estimated = true
	return sum
}

var placementLabels = [numPlacements]string{
	PlaceAuto:   "auto: end of tools/system and end of prompt",
	PlaceStatic: "static: end of tools/system only",
	PlaceLast:   "last: end of prompt only",
	PlaceLogged: "logged: where the requests set them",
}
