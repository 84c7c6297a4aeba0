// Package batch simulates sending non-interactive requests through the
// providers' batch APIs, at their batch rates.
package batch

import (
	"fmt"

	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// Rule decides for the requests it matches; the first matching rule wins.
type Rule struct {
	Match simulate.Match `yaml:"match"`
	// Batch says whether matched requests can wait for a batch (true) or
	// must stay synchronous (false).
	Batch bool `yaml:"batch"`
}

// Config configures the batch scenario.
type Config struct {
	// Rules are tried in order before the default.
	Rules []Rule `yaml:"rules"`
	// Interactive says which requests are interactive (not batchable) when
	// no rule matches: "user_or_session" (default: a request naming a user
	// or a conversation has someone waiting), "session", or "none" (every
	// request can wait).
	Interactive string `yaml:"interactive"`
	// WithoutBatchPrice says what to do with a model the catalog lists no
	// batch price for: "half" (default: price it at 50% of standard, the
	// discount every major provider gives) or "skip" (leave it synchronous).
	WithoutBatchPrice string `yaml:"without_batch_price"`
	// CacheHitsKept is the share of the logged cache reads a batched request
	// keeps (cache hits inside a batch are best effort); the rest is billed
	// as uncached input. Default 1.
	CacheHitsKept *float64 `yaml:"cache_hits_kept"`
}

// Scenario is the batch lever.
type Scenario struct {
	cfg  Config
	keep float64
}

// New checks cfg and returns the scenario.
func New(cfg Config) (*Scenario, error) {
	for i := range cfg.Rules {
		if err := cfg.Rules[i].Match.Compile(); err != nil {
			return nil, fmt.Errorf("batch: rule %d: %w", i+1, err)
		}
	}
	switch cfg.Interactive {
	case "":
		cfg.Interactive = "user_or_session"
	case "user_or_session", "session", "none":
	default:
		return nil, fmt.Errorf("batch: interactive %q: want user_or_session, session or none", cfg.Interactive)
	}
	switch cfg.WithoutBatchPrice {
	case "":
		cfg.WithoutBatchPrice = "half"
	case "half", "skip":
	default:
		return nil, fmt.Errorf("batch: without_batch_price %q: want half or skip", cfg.WithoutBatchPrice)
	}
	keep := 1.0
	if cfg.CacheHitsKept != nil {
		keep = *cfg.CacheHitsKept
		if keep < 0 || keep > 1 {
			return nil, fmt.Errorf("batch: cache_hits_kept %v: want a share between 0 and 1", keep)
		}
	}
	return &Scenario{cfg: cfg, keep: keep}, nil
}

func (s *Scenario) Name() string  { return "batch" }
func (s *Scenario) Title() string { return "Batch API" }
func (s *Scenario) Order() int    { return simulate.OrderBatch }

// NeedsText is true when a rule matches on keywords.
func (s *Scenario) NeedsText() bool {
	for i := range s.cfg.Rules {
		if s.cfg.Rules[i].Match.NeedsText() {
			return true
		}
	}
	return false
}

// reasons a request stays synchronous
const (
	whyEligible = iota
	whyAlreadyBatch
	whyPriority
	whyRule
	whyInteractive
	whyNoPrice
	whyUnpriced
	numWhy
)

var whyKeys = [numWhy]string{"eligible", "already_discounted", "priority", "excluded_by_rule", "interactive", "no_batch_price", "unpriced_model"}
var whyLabels = [numWhy]string{"eligible", "already batch or flex", "priority tier (latency-sensitive)", "kept synchronous by a rule", "interactive (user or session)", "no batch price (without_batch_price: skip)", "model not in the catalog"}

type worker struct {
	s     *Scenario
	books *simulate.Books
	count [numWhy]int64
	half  int64
	// eligible is the logged bill of the batched requests.
	eligible *simulate.Ledger
}

func (s *Scenario) NewWorker(b *simulate.Books) simulate.Worker {
	return &worker{s: s, books: b, eligible: b.NewLedger()}
}

func (w *worker) why(req *simulate.Request) int {
	r := req.Rec
	for i := range w.s.cfg.Rules {
		rule := &w.s.cfg.Rules[i]
		if rule.Match.Matches(req) {
			if !rule.Batch {
				return whyRule
			}
			return whyEligible
		}
	}
	switch w.s.cfg.Interactive {
	case "user_or_session":
		if r.User != "" || r.ConversationID != "" {
			return whyInteractive
		}
	case "session":
		if r.ConversationID != "" {
			return whyInteractive
		}
	}
	return whyEligible
}

// Apply moves every call of an eligible request to the batch tier.
func (w *worker) Apply(req *simulate.Request) bool {
	n := req.Rec.CallCount()
	if len(req.Calls) == 0 {
		return false
	}
	why := whyEligible
	switch req.Rec.Tier {
	case record.TierBatch, record.TierFlex:
		why = whyAlreadyBatch
	case record.TierPriority:
		why = whyPriority
	}
	if why == whyEligible {
		why = w.why(req)
	}
	if why == whyEligible {
		for i := range req.Calls {
			c := &req.Calls[i]
			if !w.books.Priced(c) {
				why = whyUnpriced
				break
			}
			if !w.books.HasTier(c, record.TierBatch) && w.s.cfg.WithoutBatchPrice == "skip" {
				why = whyNoPrice
				break
			}
		}
	}
	w.count[why] += n
	if why != whyEligible {
		return false
	}
	for i := range req.Calls {
		w.eligible.AddCall(&req.Calls[i], n)
	}
	half := false
	for i := range req.Calls {
		c := &req.Calls[i]
		if !w.books.HasTier(c, record.TierBatch) {
			c.HalfPrice = true
			half = true
		}
		c.Tier = record.TierBatch
		if w.s.keep < 1 && c.CacheRead > 0 {
			kept := int64(float64(c.CacheRead) * w.s.keep)
			c.Input += c.CacheRead - kept
			c.CacheRead = kept
		}
	}
	if half {
		w.half += n
	}
	return true
}

func (s *Scenario) Summarize(ws []simulate.Worker) simulate.Summary {
	var count [numWhy]int64
	var half int64
	var elig []*simulate.Ledger
	for _, x := range ws {
		w := x.(*worker)
		for i, c := range w.count {
			count[i] += c
		}
		half += w.half
		elig = append(elig, w.eligible)
	}
	eb := simulate.Price(elig...)
	sum := simulate.Summary{
		Figures: []simulate.Figure{
			{Key: "eligible_requests", Label: "Requests that can wait for a batch", Unit: simulate.UnitRequests, Value: simulate.Dec(count[whyEligible])},
			{Key: "eligible_usd", Label: "Their cost as logged", Unit: simulate.UnitUSD, Value: eb.Total()},
			{Key: "half_price_requests", Label: "Batched at 50% of standard (no batch price listed)", Unit: simulate.UnitRequests, Value: simulate.Dec(half)},
		},
	}
	t := simulate.Table{Key: "requests_by_reason", Title: "Requests by batch decision",
		Columns: []simulate.Column{{Key: "decision", Label: "decision", Unit: simulate.UnitText}, {Key: "requests", Label: "requests", Unit: simulate.UnitRequests}}}
	for i := range count {
		if count[i] > 0 {
			t.Rows = append(t.Rows, []any{whyLabels[i], simulate.Dec(count[i])})
		}
	}
	sum.Tables = append(sum.Tables, t)
	sum.Assumptions = append(sum.Assumptions,
		"Batched requests are priced at the provider's batch rates from the catalog (50% of standard for OpenAI, Anthropic, Gemini and Bedrock's supported models); cache reads and writes keep their discount on top, as Anthropic and OpenAI allow.",
		"Results come back within 24 hours (most batches finish within one): only requests nobody waits for qualify.")
	switch s.cfg.Interactive {
	case "user_or_session":
		sum.Assumptions = append(sum.Assumptions, "A request that names a user or a conversation is interactive and stays synchronous, unless a rule says otherwise.")
	case "session":
		sum.Assumptions = append(sum.Assumptions, "A request that is part of a conversation is interactive and stays synchronous, unless a rule says otherwise.")
	case "none":
		sum.Assumptions = append(sum.Assumptions, "Every request can wait for a batch unless a rule says otherwise (interactive: none).")
	}
	if s.cfg.WithoutBatchPrice == "half" {
		sum.Assumptions = append(sum.Assumptions, "A model without a batch price in the catalog is assumed to get the usual 50% (check that the provider offers batch for it).")
	}
	if s.keep < 1 {
		sum.Assumptions = append(sum.Assumptions, fmt.Sprintf("Cache hits inside a batch are best effort: %.0f%% of the logged cache reads are kept, the rest billed as uncached input.", s.keep*100))
	}
	sum.Assumptions = append(sum.Assumptions, "Requests already at the batch or flex tier, and priority-tier requests, are left as they are.")
	return sum
}
