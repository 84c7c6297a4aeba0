package pricing

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/record"
)

// Rates picks the rates that price one request to m:
//
//  1. the price window in force at t (PriceAt; a zero t gets the newest) —
//     priceIdx is its index in m.Prices;
//  2. the context band: long is true when the window has a long-context
//     band and totalInput (every input token: uncached, cache reads and
//     cache writes, see record.Record.TotalInput) is strictly greater than
//     LongContextAbove; the whole request is then priced at that band;
//  3. the tier within the band: tierOK is false when the model does not
//     offer tier there (for example priority above OpenAI's 272K threshold,
//     which OpenAI serves at standard rates), and the band's standard rates
//     are returned.
//
// ok is false, with zero rates, when no price is in force at t (before the
// first window or after the last one ended). Rates are USD per 1M tokens;
// geography multipliers are not applied (see GeoFactor).
func (m *Model) Rates(t time.Time, tier record.Tier, totalInput int64) (rates Rates, priceIdx int, long bool, tierOK bool, ok bool) {
	priceIdx = m.PriceIndex(t)
	if priceIdx < 0 {
		return Rates{}, -1, false, false, false
	}
	p := &m.Prices[priceIdx]
	band := &p.Base
	if p.LongContext != nil && p.LongContextAbove > 0 && totalInput > p.LongContextAbove {
		band = p.LongContext
		long = true
	}
	rates, tierOK = band.Tier(tier)
	return rates, priceIdx, long, tierOK, true
}

// GeoFactor returns the multiplier for inference geography geo ("us",
// "eu", …; case-insensitive) and whether the model prices that geography
// differently. Unknown or empty geographies ("global" included) get 1.
func (m *Model) GeoFactor(geo string) (decimal.Decimal, bool) {
	if geo == "" || len(m.GeoMultiplier) == 0 {
		return decimal.NewFromInt(1), false
	}
	f, ok := m.GeoMultiplier[strings.ToLower(geo)]
	if !ok {
		return decimal.NewFromInt(1), false
	}
	return f, true
}

// Mul returns r with every rate multiplied by f (a geography or tier
// factor).
func (r Rates) Mul(f decimal.Decimal) Rates {
	return Rates{
		Input:        r.Input.Mul(f),
		Output:       r.Output.Mul(f),
		CacheRead:    r.CacheRead.Mul(f),
		CacheWrite5m: r.CacheWrite5m.Mul(f),
		CacheWrite1h: r.CacheWrite1h.Mul(f),
	}
}

// Equal reports whether r and o have the same value for every kind.
func (r Rates) Equal(o Rates) bool {
	return r.Input.Equal(o.Input) && r.Output.Equal(o.Output) && r.CacheRead.Equal(o.CacheRead) &&
		r.CacheWrite5m.Equal(o.CacheWrite5m) && r.CacheWrite1h.Equal(o.CacheWrite1h)
}
