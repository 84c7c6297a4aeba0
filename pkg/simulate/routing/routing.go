// Package routing simulates a model router: rules and a heuristic
// complexity classifier map each request to a tier (simple, standard,
// complex, expert), each tier to a model, and an optional cascade tries the
// cheap model first. Without quality labels it reports the addressable
// spend and bounds, not one savings figure.
package routing

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
	"github.com/llmcost/llmcost/pkg/tokenize"
)

// Rule sends the requests it matches to a tier ("keep" leaves them on
// their logged model); the first matching rule wins, before the classifier.
type Rule struct {
	Match simulate.Match `yaml:"match"`
	Tier  string         `yaml:"tier"`
}

// Cascade tries a cheap model first and escalates when it is not enough.
type Cascade struct {
	// Start is the tier of the first attempt (default simple).
	Start string `yaml:"start"`
	// EscalateAt: requests the router puts at this tier or above escalate
	// (default complex). The signal stands in for a failed first answer
	// (a judge, a validator, a user retry) that logs do not show.
	EscalateAt string `yaml:"escalate_at"`
	// EscalateShare, when set, escalates this share of requests instead,
	// picked by a hash of the request (reproducible).
	EscalateShare *float64 `yaml:"escalate_share"`
	// To is where an escalated request goes: "logged" (default, the model
	// it used) or "routed" (the model of its tier).
	To string `yaml:"to"`
}

// Config configures the routing scenario.
type Config struct {
	// Tiers maps tier names to models for providers without their own map.
	Tiers map[string]string `yaml:"tiers"`
	// Providers maps a provider to its own tier map; a request stays with
	// its provider. A provider without a map (and no Tiers) is not routed.
	Providers map[string]map[string]string `yaml:"providers"`
	// Rules are tried in order before the classifier.
	Rules []Rule `yaml:"rules"`
	// Classifier is "heuristic" (default) or "none" (rules only).
	Classifier string `yaml:"classifier"`
	// Upgrade also moves requests to a dearer model than the logged one
	// when their tier says so (default: only cheaper moves, a saving).
	Upgrade bool `yaml:"upgrade"`
	// Only limits routing to matching requests.
	Only simulate.Match `yaml:"only"`
	// Cascade, when set, tries the cheap tier first.
	Cascade *Cascade `yaml:"cascade"`
	// Labels is a JSON Lines file of quality labels per request (see
	// loadLabels): with it the report measures the classifier's cost–quality
	// curve (PGR, APGR, CPT) instead of only bounding the saving.
	Labels string `yaml:"labels"`
}

// DefaultProviders are the tier maps used when the configuration gives none.
var DefaultProviders = map[string]map[string]string{
	"openai":    {"simple": "gpt-4.1-nano", "standard": "gpt-4.1-mini", "complex": "gpt-4.1", "expert": "o3"},
	"anthropic": {"simple": "claude-haiku-4-5", "standard": "claude-sonnet-4-6", "complex": "claude-sonnet-4-6", "expert": "claude-opus-4-6"},
}

type target struct {
	provider, model string
	m               *pricing.Model
	factor          float64 // tokenizer factor relative to o200k
	reasoning       bool
}

// Scenario is the routing lever.
type Scenario struct {
	cfg     Config
	tiers   map[string]*[numTiers]target // by provider; "" for cfg.Tiers
	rules   []rule
	cascade *cascade
	labels  map[string]label
}

type rule struct {
	m    simulate.Match
	keep bool
	tier Tier
}

type cascade struct {
	start, at Tier
	share     float64 // < 0: use at
	routed    bool
}

// New checks cfg against the catalog and returns the scenario.
func New(cfg Config, cat *pricing.Catalog) (*Scenario, error) {
	s := &Scenario{cfg: cfg, tiers: map[string]*[numTiers]target{}}
	if len(cfg.Tiers) == 0 && len(cfg.Providers) == 0 {
		s.cfg.Providers = DefaultProviders
	}
	load := func(provider string, m map[string]string) error {
		var ts [numTiers]target
		for name, model := range m {
			t, ok := parseTier(name)
			if !ok {
				return fmt.Errorf("routing: tier %q: want simple, standard, complex or expert", name)
			}
			pm, ok := cat.Resolve(provider, model)
			if !ok {
				return fmt.Errorf("routing: tier %s: model %q is not in the pricing catalog (see llmcost pricing list, or add it with --pricing-file)", name, model)
			}
			ts[t] = target{provider: pm.Provider, model: model, m: pm, factor: tokenFactor(pm.Provider, model), reasoning: reasoningModel(model)}
		}
		for t := range ts {
			if ts[t].m == nil {
				return fmt.Errorf("routing: provider %q: tier %s has no model (give all four: simple, standard, complex, expert)", provider, TierNames[t])
			}
		}
		s.tiers[provider] = &ts
		return nil
	}
	if len(cfg.Tiers) > 0 {
		if err := load("", cfg.Tiers); err != nil {
			return nil, err
		}
	}
	for p, m := range s.cfg.Providers {
		if err := load(pricing.NormalizeProvider(p), m); err != nil {
			return nil, err
		}
	}
	for i, r := range cfg.Rules {
		if err := r.Match.Compile(); err != nil {
			return nil, fmt.Errorf("routing: rule %d: %w", i+1, err)
		}
		x := rule{m: r.Match}
		if r.Tier == "keep" {
			x.keep = true
		} else if t, ok := parseTier(r.Tier); ok {
			x.tier = t
		} else {
			return nil, fmt.Errorf("routing: rule %d: tier %q: want simple, standard, complex, expert or keep", i+1, r.Tier)
		}
		s.rules = append(s.rules, x)
	}
	switch cfg.Classifier {
	case "":
		s.cfg.Classifier = "heuristic"
	case "heuristic", "none":
	default:
		return nil, fmt.Errorf("routing: classifier %q: want heuristic or none", cfg.Classifier)
	}
	if err := s.cfg.Only.Compile(); err != nil {
		return nil, fmt.Errorf("routing: only: %w", err)
	}
	if c := cfg.Cascade; c != nil {
		x := &cascade{start: Simple, at: Complex, share: -1}
		var ok bool
		if c.Start != "" {
			if x.start, ok = parseTier(c.Start); !ok {
				return nil, fmt.Errorf("routing: cascade.start %q: want a tier", c.Start)
			}
		}
		if c.EscalateAt != "" {
			if x.at, ok = parseTier(c.EscalateAt); !ok {
				return nil, fmt.Errorf("routing: cascade.escalate_at %q: want a tier", c.EscalateAt)
			}
		}
		if c.EscalateShare != nil {
			if *c.EscalateShare < 0 || *c.EscalateShare > 1 {
				return nil, fmt.Errorf("routing: cascade.escalate_share %v: want a share between 0 and 1", *c.EscalateShare)
			}
			x.share = *c.EscalateShare
		}
		switch c.To {
		case "", "logged":
		case "routed":
			x.routed = true
		default:
			return nil, fmt.Errorf("routing: cascade.to %q: want logged or routed", c.To)
		}
		s.cascade = x
	}
	if cfg.Labels != "" {
		var err error
		if s.labels, err = loadLabels(cfg.Labels, cat); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// NeedsIDs is true with a labels file: labels are matched on request ids.
func (s *Scenario) NeedsIDs() bool { return s.labels != nil }

func (s *Scenario) Name() string  { return "routing" }
func (s *Scenario) Title() string { return "Model routing" }
func (s *Scenario) Order() int    { return simulate.OrderRouting }

// NeedsText is true with the heuristic classifier (it reads the last user
// message) or keyword rules.
func (s *Scenario) NeedsText() bool {
	if s.cfg.Classifier == "heuristic" || s.cfg.Only.NeedsText() {
		return true
	}
	for i := range s.rules {
		if s.rules[i].m.NeedsText() {
			return true
		}
	}
	return false
}

// tokenFactor is a model's tokens per o200k token: 1 for OpenAI's own
// encodings, the estimate's factor for other families, 1 when unknown.
func tokenFactor(provider, model string) float64 {
	c, err := tokenize.ForModel(provider, model)
	if err != nil {
		return 1
	}
	if e, ok := c.(*tokenize.Estimate); ok {
		return e.Factor
	}
	return 1
}

// reasoningModel reports whether a model spends reasoning (thinking)
// tokens, by its id.
func reasoningModel(model string) bool {
	id := strings.ToLower(model)
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	if strings.HasPrefix(id, "gpt-5") {
		return !strings.Contains(id, "-chat")
	}
	for _, p := range []string{"o1", "o3", "o4", "claude-3-7", "claude-sonnet-4", "claude-opus-4", "claude-haiku-4", "claude-sonnet-5", "claude-opus-5", "gemini-2.5", "gemini-3", "deepseek-reasoner"} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return strings.Contains(id, "anthropic.claude-sonnet-4") || strings.Contains(id, "anthropic.claude-opus-4") || strings.Contains(id, "anthropic.claude-haiku-4")
}

type tierStat struct {
	classified, moved, byRule, withText int64
}

type worker struct {
	s     *Scenario
	books *simulate.Books
	stats [numTiers]tierStat
	// addressable: logged bill of the requests the router could move;
	// atTier[t]: their bill if every one went to tier t (when cheaper).
	addressable *simulate.Ledger
	routedAddr  *simulate.Ledger // the same requests as routed
	atTier      [numTiers]*simulate.Ledger
	kept        int64 // by a keep rule
	outOfScope  int64 // no tier map for the provider, or unpriced
	cascaded    int64
	escalated   int64
	estimated   int64
	factors     map[string]float64
	labels      *labelState // nil without a labels file
}

func (s *Scenario) NewWorker(b *simulate.Books) simulate.Worker {
	w := &worker{s: s, books: b, addressable: b.NewLedger(), routedAddr: b.NewLedger(), factors: map[string]float64{}}
	for t := range w.atTier {
		w.atTier[t] = b.NewLedger()
	}
	if s.labels != nil {
		w.labels = newLabelState(b)
	}
	return w
}

func (w *worker) factor(provider, model string) float64 {
	k := provider + "\x00" + model
	f, ok := w.factors[k]
	if !ok {
		f = tokenFactor(provider, model)
		w.factors[k] = f
	}
	return f
}

// tierMap returns the tier models for a request's provider.
func (s *Scenario) tierMap(provider string) *[numTiers]target {
	if ts, ok := s.tiers[pricing.NormalizeProvider(provider)]; ok {
		return ts
	}
	return s.tiers[""]
}

// moveTo rewrites the logged call c for target t: its tokens counted by
// t's tokenizer, its output without reasoning when t does not reason.
func (w *worker) moveTo(c *simulate.Call, t *target) {
	from := w.factor(c.Provider, c.Model)
	if !t.reasoning && c.Reasoning > 0 {
		c.Output -= c.Reasoning
		c.Reasoning = 0
	}
	c.Provider, c.Model = t.provider, t.model
	c.ScaleTokens(t.factor / from)
	c.Estimated = true
}

// cost is an approximate cost of call c on model m at its tier, to compare
// two models for one request (never reported: bills are priced exactly).
func cost(m *pricing.Model, c *simulate.Call) float64 {
	r, _, _, _, ok := m.Rates(c.Time, c.Tier, c.TotalInput())
	if !ok {
		return math.Inf(1)
	}
	f := func(d decimal.Decimal, n int64) float64 { x, _ := d.Float64(); return x * float64(n) }
	return f(r.Input, c.Input) + f(r.CacheRead, c.CacheRead) + f(r.CacheWrite5m, c.CacheWrite5m) + f(r.CacheWrite1h, c.CacheWrite1h) + f(r.Output, c.Output)
}

// routed returns the call c would be on tier t's model, and whether the
// router moves it there (cheaper, or upgrades allowed).
func (w *worker) routed(c simulate.Call, logged *pricing.Model, t *target) (simulate.Call, bool) {
	if t.m == logged {
		return c, false
	}
	moved := c
	w.moveTo(&moved, t)
	if t.m.ContextWindow > 0 && moved.TotalInput() > t.m.ContextWindow {
		return c, false // the prompt does not fit the target's context window
	}
	if !w.s.cfg.Upgrade && cost(t.m, &moved) >= cost(logged, &c) {
		return c, false
	}
	return moved, true
}

func (w *worker) Apply(req *simulate.Request) bool {
	r := req.Rec
	main := req.Main()
	if main == nil {
		return false
	}
	n := r.CallCount()
	ts := w.s.tierMap(r.Provider)
	logged := w.books.Model(main.Provider, main.Model)
	if ts == nil || logged == nil || !w.books.Priced(main) || !w.s.cfg.Only.Matches(req) {
		w.outOfScope += n
		return false
	}
	tier, byRule, keep := Tier(0), false, false
	for i := range w.s.rules {
		if w.s.rules[i].m.Matches(req) {
			tier, byRule, keep = w.s.rules[i].tier, true, w.s.rules[i].keep
			break
		}
	}
	withText := false
	if !byRule {
		if w.s.cfg.Classifier != "heuristic" {
			keep = true
		} else {
			c := classify(req)
			tier, withText = c.Tier, c.WithText
		}
	}
	if keep {
		w.kept += n
		return false
	}
	st := &w.stats[tier]
	st.classified += n
	if byRule {
		st.byRule += n
	}
	if withText {
		st.withText += n
	}
	// Bounds: the requests not already on the cheapest tier's model.
	orig := *main
	if w.labels != nil && logged != ts[Simple].m {
		weak := orig
		w.moveTo(&weak, &ts[Simple])
		w.observe(req, classify(req).Score, &weak, &orig, ts[Simple].m.ID, logged.ID)
	}
	if logged != ts[Simple].m {
		w.addressable.AddCall(&orig, n)
		for t := range ts {
			c, _ := w.routed(orig, logged, &ts[t])
			w.atTier[t].AddCall(&c, n)
		}
	}
	changed := false
	if w.s.cascade != nil {
		changed = w.cascade(req, main, logged, ts, tier, n)
	} else if c, moved := w.routed(orig, logged, &ts[tier]); moved {
		*main = c
		st.moved += n
		w.estimated += n
		req.Estimated = true
		changed = true
	}
	if logged != ts[Simple].m {
		for i := range req.Calls {
			w.routedAddr.AddCall(&req.Calls[i], n)
		}
	}
	return changed
}

// classify is Classify computed once per record (alone and stacked runs
// share it).
func classify(req *simulate.Request) Classification {
	v := req.Facts().Memo("routing.classify", func() int64 {
		c := Classify(req)
		v := int64(c.Tier) | int64(c.Score+1<<15)<<16
		if c.WithText {
			v |= 1 << 8
		}
		return v
	})
	return Classification{Tier: Tier(v & 0xff), WithText: v&(1<<8) != 0, Score: int(v>>16) - 1<<15}
}

// cascade makes the request try the start tier's model first; an escalated
// request then pays for its second call too.
func (w *worker) cascade(req *simulate.Request, main *simulate.Call, logged *pricing.Model, ts *[numTiers]target, tier Tier, n int64) bool {
	cs := w.s.cascade
	start := &ts[cs.start]
	if start.m == logged {
		return false
	}
	escalate := tier >= cs.at
	if cs.share >= 0 {
		escalate = hashShare(req.Rec) < cs.share
	}
	first := *main
	w.moveTo(&first, start)
	if cost(start.m, &first) >= cost(logged, main) {
		return false // already on a model as cheap as the first attempt
	}
	w.cascaded += n
	w.estimated += n
	req.Estimated = true
	if !escalate {
		*main = first
		w.stats[tier].moved += n
		return true
	}
	w.escalated += n
	if cs.routed {
		if c, moved := w.routed(*main, logged, &ts[tier]); moved {
			*main = c
		}
	}
	first.Kind = simulate.CallCascade
	req.Calls = append(req.Calls, first)
	return true
}

// hashShare maps a request to [0, 1) reproducibly, by where it was logged.
func hashShare(r *record.Record) float64 {
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(r.Loc.Offset >> (8 * i))
		b[8+i] = byte(r.Loc.Line >> (8 * i))
	}
	h := xxhash.Sum64(b[:]) ^ xxhash.Sum64String(r.Loc.File)
	return float64(h>>11) / (1 << 53)
}

func (s *Scenario) Summarize(ws []simulate.Worker) simulate.Summary {
	var stats [numTiers]tierStat
	var kept, out, cascaded, escalated int64
	var addr, routedAddr []*simulate.Ledger
	var at [numTiers][]*simulate.Ledger
	var ls []*labelState
	for _, x := range ws {
		w := x.(*worker)
		if w.labels != nil {
			ls = append(ls, w.labels)
		}
		for t := range stats {
			stats[t].classified += w.stats[t].classified
			stats[t].moved += w.stats[t].moved
			stats[t].byRule += w.stats[t].byRule
			stats[t].withText += w.stats[t].withText
			at[t] = append(at[t], w.atTier[t])
		}
		kept += w.kept
		out += w.outOfScope
		cascaded += w.cascaded
		escalated += w.escalated
		addr = append(addr, w.addressable)
		routedAddr = append(routedAddr, w.routedAddr)
	}
	ab := simulate.Price(addr...)
	var classified, withText, moved int64
	for _, st := range stats {
		classified += st.classified
		withText += st.withText
		moved += st.moved
	}
	sum := simulate.Summary{Estimated: true}
	sum.Figures = append(sum.Figures,
		simulate.Figure{Key: "routed_requests", Label: "Requests the router considered", Unit: simulate.UnitRequests, Value: simulate.Dec(classified)},
		simulate.Figure{Key: "moved_requests", Label: "Requests moved to a cheaper model", Unit: simulate.UnitRequests, Value: simulate.Dec(moved)},
		simulate.Figure{Key: "addressable_requests", Label: "Addressable requests (not already on the simple tier's model)", Unit: simulate.UnitRequests, Value: simulate.Dec(ab.Requests)},
		simulate.Figure{Key: "addressable_usd", Label: "Addressable spend (their cost as logged)", Unit: simulate.UnitUSD, Value: ab.Total()},
	)
	// Bounds over the addressable requests: all on the cheapest tier, and a
	// router that picks tiers at random with the same shares.
	var bills [numTiers]simulate.Bill
	for t := range bills {
		bills[t] = simulate.Price(at[t]...)
	}
	expected := decimal.Zero
	if classified > 0 {
		for t := range bills {
			expected = expected.Add(bills[t].Total().Mul(simulate.Dec(stats[t].classified)))
		}
		expected = expected.DivRound(simulate.Dec(classified), 9)
	}
	rb := simulate.Price(routedAddr...)
	sum.Figures = append(sum.Figures,
		simulate.Figure{Key: "router_usd", Label: "Addressable spend under this router", Unit: simulate.UnitUSD, Value: rb.Total(), Estimated: true},
		simulate.Figure{Key: "all_cheap_usd", Label: "Addressable spend if every request went to the simple tier (lower bound)", Unit: simulate.UnitUSD, Value: bills[Simple].Total(), Estimated: true},
		simulate.Figure{Key: "random_router_usd", Label: "Addressable spend under a random router with the same tier shares (expected)", Unit: simulate.UnitUSD, Value: expected, Estimated: true},
	)
	if s.cascade != nil {
		sum.Figures = append(sum.Figures,
			simulate.Figure{Key: "cascade_requests", Label: "Requests tried on the cheap model first", Unit: simulate.UnitRequests, Value: simulate.Dec(cascaded)},
			simulate.Figure{Key: "escalated_requests", Label: "Escalated (paid for both calls)", Unit: simulate.UnitRequests, Value: simulate.Dec(escalated)},
			simulate.Figure{Key: "escalation_share", Label: "Share escalated", Unit: simulate.UnitShare, Value: simulate.Share(simulate.Dec(escalated), simulate.Dec(cascaded)),
				Merge: simulate.MergeRatio, Of: [2]string{"escalated_requests", "cascade_requests"}},
		)
	}
	sum.Figures = append(sum.Figures,
		simulate.Figure{Key: "classified_with_text", Label: "Requests classified from their text", Unit: simulate.UnitRequests, Value: simulate.Dec(withText)},
		simulate.Figure{Key: "kept_requests", Label: "Requests a rule keeps on their model", Unit: simulate.UnitRequests, Value: simulate.Dec(kept)},
		simulate.Figure{Key: "out_of_scope_requests", Label: "Requests not routed (no tier models for the provider, unpriced, or outside only)", Unit: simulate.UnitRequests, Value: simulate.Dec(out)},
	)
	t := simulate.Table{Key: "tiers", Title: "Requests by routing tier",
		Columns: []simulate.Column{
			{Key: "tier", Label: "tier", Unit: simulate.UnitText},
			{Key: "models", Label: "models", Unit: simulate.UnitText},
			{Key: "requests", Label: "requests", Unit: simulate.UnitRequests},
			{Key: "by_rule", Label: "by rule", Unit: simulate.UnitRequests},
			{Key: "moved", Label: "moved", Unit: simulate.UnitRequests},
			{Key: "cost_if_all_usd", Label: "addressable cost if all here", Unit: simulate.UnitUSD},
		}}
	for tier := range stats {
		t.Rows = append(t.Rows, []any{TierNames[tier], s.modelsOf(Tier(tier)), simulate.Dec(stats[tier].classified),
			simulate.Dec(stats[tier].byRule), simulate.Dec(stats[tier].moved), bills[tier].Total()})
	}
	sum.Tables = append(sum.Tables, t)
	sum.Caveat = "no quality labels: the router's saving is a cost, not a measured result; read it against the addressable spend and the bounds (all-cheap, random router with the same shares)"
	sum.Assumptions = append(sum.Assumptions,
		"Each request goes to a tier by the first matching rule, else by the heuristic classifier (keywords, code and maths in the last user message, tool definitions, input size, message count, max_tokens); without request text it starts at standard and only sizes move it.",
		"A request moves only to a cheaper model than the one it used (upgrade: true allows dearer moves) whose context window holds its prompt, and stays with its provider and service tier.",
		"The replacement model's token counts are estimated: the logged input and output scaled by the two tokenizers' ratio (see llmcost tokens), reasoning tokens dropped when the replacement does not reason; cache reads and writes keep their split.",
	)
	if s.labels == nil {
		sum.Assumptions = append(sum.Assumptions, noLabels)
	}
	if cs := s.cascade; cs != nil {
		if cs.share >= 0 {
			sum.Assumptions = append(sum.Assumptions, fmt.Sprintf("Cascade: every routed request tries the %s tier first; %.0f%% of them (picked by a hash of the request) escalate and pay for both calls.", TierNames[cs.start], cs.share*100))
		} else {
			sum.Assumptions = append(sum.Assumptions, fmt.Sprintf("Cascade: every routed request tries the %s tier first; those the router puts at %s or above escalate (standing in for a failed first answer) and pay for both calls.", TierNames[cs.start], TierNames[cs.at]))
		}
	}
	if s.labels != nil {
		summarizeLabels(&sum, ls)
	}
	return sum
}

const noLabels = "Without quality labels nothing says the cheaper model answers as well: the saving is bounded by the all-cheap cost (lowest any router reaches) and compared with a random router sending the same shares of requests to each tier."

// modelsOf lists the models of a tier across providers.
func (s *Scenario) modelsOf(t Tier) string {
	var ms []string
	seen := map[string]bool{}
	for _, ts := range s.tiers {
		if m := ts[t].model; !seen[m] {
			seen[m] = true
			ms = append(ms, m)
		}
	}
	sort.Strings(ms)
	return strings.Join(ms, ", ")
}
