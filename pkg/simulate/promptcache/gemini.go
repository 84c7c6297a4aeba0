package promptcache

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// Gemini caches implicitly today (G1); the lever is an explicit context
// cache (G2): a cachedContent of the prompt's recurring prefix, created at
// the standard input price, read at the cached rate by every request that
// names it while it lives, and billed for storage by the hour. Whether it
// pays depends on how often the prefix recurs: the replay weighs both on
// the log.

// storagePerInputHour is the storage price of an explicit cache per hour,
// as a multiple of the model's standard input rate: Gemini 2.5 Pro stores
// at $4.50 per 1M tokens per hour against $1.25 input (pricing-rules.md
// G2). Other models' storage prices are not in our sources: the same ratio
// is assumed (it gives $1.08 for 2.5 Flash's $0.30 input).
var storagePerInputHour = decimal.RequireFromString("3.6")

type geminiReplay struct {
	ttl    time.Duration
	seen   bool
	caches map[*pricing.Model]*StaticCache
	// input-side tokens of the Gemini requests under each choice
	implicit, explicit map[cellKey]*cost.Usage
}

func newGeminiReplay(ttl time.Duration) *geminiReplay {
	return &geminiReplay{ttl: ttl, caches: map[*pricing.Model]*StaticCache{},
		implicit: map[cellKey]*cost.Usage{}, explicit: map[cellKey]*cost.Usage{}}
}

func (g *geminiReplay) static(m *pricing.Model) *StaticCache {
	c := g.caches[m]
	if c == nil {
		c = NewStaticCache(g.ttl)
		g.caches[m] = c
	}
	return c
}

// add counts one request's input under implicit caching (imp) and
// explicit caching (exp).
func (g *geminiReplay) add(m *pricing.Model, tr *trace, p *Prompt, imp, exp Outcome) {
	g.seen = true
	k := cellKey{m, tr.priceIdx, tr.long}
	for _, x := range []struct {
		sums map[cellKey]*cost.Usage
		o    Outcome
	}{{g.implicit, imp}, {g.explicit, exp}} {
		u := x.sums[k]
		if u == nil {
			u = &cost.Usage{}
			x.sums[k] = u
		}
		u.Requests++
		u.CacheRead += x.o.Read
		u.Input += p.total() - x.o.Read
	}
}

// geminiChoice is what the replay found for Gemini requests.
type geminiChoice struct {
	present  bool
	explicit bool // explicit caching is the proposal
	// input cost at standard rates under each; storage of the explicit
	// caches (also in fixed)
	implicitUSD, explicitUSD, storageUSD decimal.Decimal
	created                              int64
	fixed                                []simulate.FixedCost
}

// priceSums prices input-side token sums at each cell's standard rates
// (long-context band where it applies).
func priceSums(sums map[cellKey]*cost.Usage) decimal.Decimal {
	total := decimal.Zero
	for k, u := range sums {
		pr := &k.m.Prices[k.price]
		band := &pr.Base
		if k.long && pr.LongContext != nil {
			band = pr.LongContext
		}
		m := cost.Price(*u, &band.Standard, decimal.NewFromInt(1))
		total = total.Add(m.Total())
	}
	return total
}

// weigh prices both choices and picks one under mode (best, explicit).
func (g *geminiReplay) weigh(mode string) geminiChoice {
	c := geminiChoice{present: true, implicitUSD: priceSums(g.implicit), explicitUSD: priceSums(g.explicit), storageUSD: decimal.Zero}
	models := make([]*pricing.Model, 0, len(g.caches))
	for m := range g.caches {
		models = append(models, m)
	}
	sort.Slice(models, func(i, j int) bool { return models[i].ID < models[j].ID })
	for _, m := range models {
		sc := g.caches[m]
		c.created += sc.Created
		mtokHours := sc.End().Shift(-6)
		if mtokHours.IsZero() {
			continue
		}
		rate := m.Prices[len(m.Prices)-1].Base.Standard.Input.Mul(storagePerInputHour)
		usd := mtokHours.Mul(rate)
		c.storageUSD = c.storageUSD.Add(usd)
		c.fixed = append(c.fixed, simulate.FixedCost{Key: "gemini_cache_storage",
			Label:    fmt.Sprintf("Gemini context-cache storage, %s (%d caches)", m.ID, sc.Created),
			Quantity: mtokHours.Round(6), Unit: "mtok_hours", UnitUSD: rate, CostUSD: usd})
	}
	c.explicit = mode == "explicit" || mode == "best" && c.explicitUSD.Add(c.storageUSD).LessThan(c.implicitUSD)
	return c
}

// geminiTable compares the two choices for the report.
func (s *Scenario) geminiTable(c *geminiChoice) simulate.Table {
	t := simulate.Table{Key: "gemini_caching", Title: "Gemini: implicit caching (today) against explicit context caches (input cost at standard rates, storage by the hour)",
		Columns: []simulate.Column{{Key: "caching", Label: "caching", Unit: simulate.UnitText},
			{Key: "input_usd", Label: "input cost", Unit: simulate.UnitUSD},
			{Key: "storage_usd", Label: "storage", Unit: simulate.UnitUSD},
			{Key: "total_usd", Label: "total", Unit: simulate.UnitUSD}}}
	imp, exp := "implicit (today)", fmt.Sprintf("explicit: %d caches of recurring prefixes, %s TTL", c.created, s.cfg.GeminiTTL)
	if c.explicit {
		exp += " (simulated)"
	} else {
		imp += " (simulated)"
	}
	t.Rows = append(t.Rows,
		[]any{imp, c.implicitUSD, decimal.Zero, c.implicitUSD},
		[]any{exp, c.explicitUSD, c.storageUSD, c.explicitUSD.Add(c.storageUSD)})
	return t
}
