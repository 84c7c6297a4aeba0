package cost

import (
	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

// Usage sums the token counts of a group of calls. Buckets are disjoint
// except Reasoning, which is a part of Output.
type Usage struct {
	Requests int64
	// ChargedNano is money billed by the vendor (billing exports), in
	// 1e-9 USD; Charged counts the records that carried such an amount.
	ChargedNano  int64
	Charged      int64
	Input        int64 // uncached input
	CacheRead    int64
	CacheWrite5m int64
	CacheWrite1h int64
	Output       int64
	Reasoning    int64
}

// AddRecord adds one call.
func (u *Usage) AddRecord(r *record.Record) {
	u.Requests += r.CallCount()
	if r.HasCharged {
		u.ChargedNano += r.ChargedNanoUSD
		u.Charged++
	}
	u.Input += r.InputTokens
	u.CacheRead += r.CacheReadTokens
	u.CacheWrite5m += r.CacheWrite5mTokens
	u.CacheWrite1h += r.CacheWrite1hTokens
	u.Output += r.OutputTokens
	u.Reasoning += r.ReasoningTokens
}

// Add adds another group's counts.
func (u *Usage) Add(o Usage) {
	u.Requests += o.Requests
	u.ChargedNano += o.ChargedNano
	u.Charged += o.Charged
	u.Input += o.Input
	u.CacheRead += o.CacheRead
	u.CacheWrite5m += o.CacheWrite5m
	u.CacheWrite1h += o.CacheWrite1h
	u.Output += o.Output
	u.Reasoning += o.Reasoning
}

// TotalInput is every input token, cached or not.
func (u Usage) TotalInput() int64 { return u.Input + u.CacheRead + u.CacheWrite5m + u.CacheWrite1h }

// Kind is a priced token kind.
type Kind int

const (
	KindInput Kind = iota
	KindCacheRead
	KindCacheWrite5m
	KindCacheWrite1h
	KindOutput
	NumKinds
)

var kindNames = [NumKinds]string{"input", "cache_read", "cache_write_5m", "cache_write_1h", "output"}

func (k Kind) String() string { return kindNames[k] }

// Tokens returns the count of kind k.
func (u Usage) Tokens(k Kind) int64 {
	switch k {
	case KindInput:
		return u.Input
	case KindCacheRead:
		return u.CacheRead
	case KindCacheWrite5m:
		return u.CacheWrite5m
	case KindCacheWrite1h:
		return u.CacheWrite1h
	case KindOutput:
		return u.Output
	}
	return 0
}

// Rate returns the rate of kind k in USD per 1M tokens.
func Rate(r *pricing.Rates, k Kind) decimal.Decimal {
	switch k {
	case KindInput:
		return r.Input
	case KindCacheRead:
		return r.CacheRead
	case KindCacheWrite5m:
		return r.CacheWrite5m
	case KindCacheWrite1h:
		return r.CacheWrite1h
	case KindOutput:
		return r.Output
	}
	return decimal.Zero
}

// Money is a cost in USD per token kind; exact decimals.
type Money [NumKinds]decimal.Decimal

// Total sums every kind.
func (m *Money) Total() decimal.Decimal {
	t := decimal.Zero
	for _, v := range m {
		t = t.Add(v)
	}
	return t
}

// Add adds o to m.
func (m *Money) Add(o *Money) {
	for i := range m {
		m[i] = m[i].Add(o[i])
	}
}

// Price prices u at rates r, times mult (a geography uplift; 1 for none).
// Tokens are multiplied once per group, so the result does not depend on
// the order in which calls were summed.
func Price(u Usage, r *pricing.Rates, mult decimal.Decimal) Money {
	var m Money
	for k := Kind(0); k < NumKinds; k++ {
		n := u.Tokens(k)
		if n == 0 {
			m[k] = decimal.Zero
			continue
		}
		m[k] = decimal.NewFromInt(n).Mul(Rate(r, k)).Mul(mult).Shift(-6) // per 1M tokens, exact
	}
	return m
}
