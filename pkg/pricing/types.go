package pricing

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/record"
)

// Rates are USD per 1,000,000 tokens for each token kind of one tier.
// Every field is filled in the catalog (derived by the generator from the
// vendor's rules where the source lacks a value), so pricing needs no rules.
type Rates struct {
	Input        decimal.Decimal
	Output       decimal.Decimal
	CacheRead    decimal.Decimal
	CacheWrite5m decimal.Decimal
	CacheWrite1h decimal.Decimal
}

// Band holds the rates of each service tier within one context band.
// Standard is always set; a nil tier is not offered for the model.
type Band struct {
	Standard Rates
	Batch    *Rates
	Flex     *Rates
	Priority *Rates
}

// Tier returns the rates of tier t and whether the model offers that tier.
// When it does not, the standard rates are returned with ok=false.
func (b *Band) Tier(t record.Tier) (r Rates, ok bool) {
	var p *Rates
	switch t {
	case record.TierStandard:
		return b.Standard, true
	case record.TierBatch:
		p = b.Batch
	case record.TierFlex:
		p = b.Flex
	case record.TierPriority:
		p = b.Priority
	}
	if p == nil {
		return b.Standard, false
	}
	return *p, true
}

// Price is a model's prices over one validity window [From, Until).
type Price struct {
	// From is the first instant the price applies; zero means "since the model
	// launched". Until is exclusive; zero means "still in force".
	From, Until time.Time
	Base        Band
	// LongContextAbove is the input-token threshold (total input incl. cache
	// reads and writes) above which the whole request is priced at
	// LongContext; 0 when the model has no long-context tier.
	LongContextAbove int64
	LongContext      *Band
	// Regions holds the rates of calls made from particular AWS Regions
	// (Bedrock prices a model per Region; a cross-Region inference call is
	// priced in its source Region), keyed by lower-case Region name
	// ("eu-west-1"); nil for most models. Base and LongContext are the
	// rates of DefaultRegion, and of every Region not listed.
	Regions map[string]*RegionBands
	// DefaultRegion names the Region whose rates Base and LongContext are,
	// "" when unknown; set only with Regions.
	DefaultRegion string
	// Source says where the figures come from.
	Source string
}

// RegionBands are one Region's rates within a price window: the base band
// and, when the window has a long-context tier, the long-context band (same
// threshold as the window's).
type RegionBands struct {
	Base        Band
	LongContext *Band
	// Source says where the Region's figures come from.
	Source string
}

// BandFor returns the band that prices a call made from AWS Region region
// ("" when unknown) in the long-context band or not: the Region's own rates
// when the window lists them, else the default ones (Base or LongContext).
// known is false when the window has per-Region prices but region is
// neither listed nor DefaultRegion: the default rates then stand in for
// a price the catalog does not know. A window without per-Region prices
// has one price everywhere, and known is true.
func (p *Price) BandFor(region string, long bool) (b *Band, known bool) {
	b = &p.Base
	if long && p.LongContext != nil {
		b = p.LongContext
	}
	if len(p.Regions) == 0 {
		return b, true
	}
	if rb := p.Regions[region]; rb != nil && region != "" {
		if long && rb.LongContext != nil {
			return rb.LongContext, true
		}
		return &rb.Base, true
	}
	return b, region != "" && region == p.DefaultRegion
}

// HasRegions reports whether the window prices some AWS Regions apart.
func (p *Price) HasRegions() bool { return len(p.Regions) > 0 }

// Model is one catalog entry.
type Model struct {
	// ID is the canonical id, unique within the catalog (for Bedrock, the
	// Bedrock model id, e.g. "anthropic.claude-sonnet-4-5-20250929-v1:0").
	ID string
	// Provider is the catalog provider: openai, anthropic, gemini, vertex,
	// mistral, deepseek, xai, bedrock, …
	Provider string
	// Name is a human-readable name; Aliases are other ids that resolve here.
	Name    string
	Aliases []string
	// ContextWindow is the maximum input in tokens, 0 when unknown.
	ContextWindow int64
	// Deprecated is the vendor's retirement date, zero when none is known.
	Deprecated time.Time
	// GeoMultiplier maps an inference geography ("us", "eu") to a price
	// multiplier applied to every rate (e.g. Anthropic inference_geo=us: 1.1).
	GeoMultiplier map[string]decimal.Decimal
	// Prices are ordered by From and do not overlap.
	Prices []Price
}

// PriceAt returns the price in force at t, or nil when none is. A zero t
// (a record without a timestamp) gets the newest price.
func (m *Model) PriceAt(t time.Time) *Price {
	if len(m.Prices) == 0 {
		return nil
	}
	if t.IsZero() {
		return &m.Prices[len(m.Prices)-1]
	}
	for i := len(m.Prices) - 1; i >= 0; i-- {
		p := &m.Prices[i]
		if !p.From.IsZero() && t.Before(p.From) {
			continue
		}
		if !p.Until.IsZero() && !t.Before(p.Until) {
			return nil
		}
		return p
	}
	return nil
}

// PriceIndex is PriceAt returning the index into Prices, -1 when none.
func (m *Model) PriceIndex(t time.Time) int {
	p := m.PriceAt(t)
	if p == nil {
		return -1
	}
	for i := range m.Prices {
		if &m.Prices[i] == p {
			return i
		}
	}
	return -1
}
