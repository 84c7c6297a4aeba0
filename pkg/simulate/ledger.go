package simulate

import (
	"slices"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

// Books resolves models and price cells for one goroutine and makes its
// Ledgers. Not safe for concurrent use.
type Books struct {
	cat      *pricing.Catalog
	resolved map[resolveKey]int32
	models   []modelRef
	modelIdx map[*pricing.Model]int32
	geos     []string
	// regions are the AWS Regions of calls to models priced per Region
	// (regions[0] is "": unknown); modelRegion caches the Region a model
	// string names (an ARN, a bedrock/<region>/ route).
	regions     []string
	modelRegion map[resolveKey]string
}

type resolveKey struct{ provider, model string }

type modelRef struct {
	m        *pricing.Model // nil: unknown
	name     string         // as logged, for unknown models
	provider string
}

// NewBooks returns Books pricing against cat.
func NewBooks(cat *pricing.Catalog) *Books {
	return &Books{cat: cat, resolved: map[resolveKey]int32{}, modelIdx: map[*pricing.Model]int32{}, geos: []string{""},
		regions: []string{""}, modelRegion: map[resolveKey]string{}}
}

// Catalog is the catalog the books price against.
func (b *Books) Catalog() *pricing.Catalog { return b.cat }

// cellKey is what a call is priced at, as in cost.Aggregator: the model,
// the price window, the tier, the context band, the geography and the AWS
// Region (for a window priced per Region), plus the simulator's half-price
// batch assumption.
type cellKey struct {
	model  int32
	price  int16
	tier   record.Tier
	long   bool
	half   bool
	geo    uint8
	region uint16
}

func (b *Books) model(provider, model string) int32 {
	k := resolveKey{provider, model}
	if i, ok := b.resolved[k]; ok {
		return i
	}
	var i int32
	if m, ok := b.cat.Resolve(provider, model); ok {
		j, seen := b.modelIdx[m]
		if !seen {
			j = int32(len(b.models))
			b.models = append(b.models, modelRef{m: m, provider: m.Provider})
			b.modelIdx[m] = j
		}
		i = j
	} else {
		i = int32(len(b.models))
		name := model
		if name == "" {
			name = "(none)"
		}
		b.models = append(b.models, modelRef{name: name, provider: provider})
	}
	b.resolved[k] = i
	return i
}

// cell returns the price cell of c, exactly as cost.Aggregator.Add picks it.
func (b *Books) cell(c *Call) cellKey {
	mi := b.model(c.Provider, c.Model)
	k := cellKey{model: mi, price: -1, tier: c.Tier, half: c.HalfPrice && c.Tier == record.TierBatch}
	if m := b.models[mi].m; m != nil {
		k.price = int16(m.PriceIndex(c.Time))
		if k.price >= 0 {
			p := &m.Prices[k.price]
			k.long = p.LongContext != nil && p.LongContextAbove > 0 && c.TotalInput() > p.LongContextAbove
		}
		if c.Geo != "" {
			if _, ok := m.GeoMultiplier[c.Geo]; ok {
				k.geo = b.geo(c.Geo)
			}
		}
		if k.price >= 0 && m.Prices[k.price].HasRegions() {
			reg := c.Region
			if reg == "" { // as cost.Aggregator: the Region the model string names
				rk := resolveKey{c.Provider, c.Model}
				r, ok := b.modelRegion[rk]
				if !ok {
					r = pricing.RegionOf(c.Model)
					b.modelRegion[rk] = r
				}
				reg = r
			}
			k.region = b.region(reg)
		}
	}
	return k
}

func (b *Books) region(r string) uint16 {
	for i, x := range b.regions {
		if x == r {
			return uint16(i)
		}
	}
	if len(b.regions) == 1<<16-1 {
		return 0
	}
	b.regions = append(b.regions, r)
	return uint16(len(b.regions) - 1)
}

func (b *Books) geo(g string) uint8 {
	for i, x := range b.geos {
		if x == g {
			return uint8(i)
		}
	}
	if len(b.geos) == 255 {
		return 0
	}
	b.geos = append(b.geos, g)
	return uint8(len(b.geos) - 1)
}

// Model returns the catalog entry of a model, nil when unknown.
func (b *Books) Model(provider, model string) *pricing.Model {
	return b.models[b.model(provider, model)].m
}

// Priced reports whether the catalog has a price for c's model at c's time.
func (b *Books) Priced(c *Call) bool {
	m := b.Model(c.Provider, c.Model)
	return m != nil && m.PriceIndex(c.Time) >= 0
}

// HasTier reports whether the catalog lists tier t for c's model, at c's
// time and in c's context band.
func (b *Books) HasTier(c *Call, t record.Tier) bool {
	m := b.Model(c.Provider, c.Model)
	if m == nil {
		return false
	}
	_, _, _, tierOK, ok := m.Rates(c.Time, t, c.TotalInput())
	return ok && tierOK
}

// NewLedger returns an empty ledger on these books.
func (b *Books) NewLedger() *Ledger {
	return &Ledger{books: b, cells: map[cellKey]int32{}}
}

// Ledger sums the token counts of calls per price cell; a Bill prices each
// cell once, so totals are exact and do not depend on the order of calls.
// Not safe for concurrent use.
type Ledger struct {
	books *Books
	cells map[cellKey]int32
	list  []cellKey
	usage []cost.Usage
	// Requests counts the requests added (a request may make several
	// calls, or none).
	Requests int64
}

// AddCall adds one call; requests is how many requests it stands for in
// the Usage's request count (1 for a request's own call, 0 for an extra
// call such as a cascade's first attempt, whose count is in Calls).
func (l *Ledger) addCall(c *Call, requests int64) {
	k := l.books.cell(c)
	i, ok := l.cells[k]
	if !ok {
		i = int32(len(l.usage))
		l.cells[k] = i
		l.list = append(l.list, k)
		l.usage = append(l.usage, cost.Usage{})
	}
	u := &l.usage[i]
	u.Requests += requests
	u.Input += c.Input
	u.CacheRead += c.CacheRead
	u.CacheWrite5m += c.CacheWrite5m
	u.CacheWrite1h += c.CacheWrite1h
	u.Output += c.Output
	u.Reasoning += c.Reasoning
}

// Add adds what req pays for: each call counts as calls of the logged
// record (a usage row standing for n calls counts n times).
func (l *Ledger) Add(req *Request) {
	l.Requests += req.Rec.CallCount()
	n := req.Rec.CallCount()
	for i := range req.Calls {
		l.addCall(&req.Calls[i], n)
	}
}

// AddCall adds one call standing for n requests.
func (l *Ledger) AddCall(c *Call, n int64) {
	l.Requests += n
	l.addCall(c, n)
}

// pricedCell is a cell with catalog pointers, comparable across workers.
type pricedCell struct {
	cost.Cell
	Half bool
}

// Rates returns the rates the cell is priced at: the catalog's (see
// cost.Cell.Rates), or half the standard rates for a batch call on a model
// without a batch price when the scenario assumed the usual 50%.
func (c pricedCell) rates() (r pricing.Rates, mult decimal.Decimal, tierOK bool) {
	r, mult, tierOK = c.Cell.Rates()
	if c.Half && !tierOK && c.Tier == record.TierBatch {
		r, tierOK = r.Mul(decimal.RequireFromString("0.5")), true
	}
	return r, mult, tierOK
}

// Line is one priced row of a bill.
type Line struct {
	Model, Provider string
	Tier            record.Tier
	// HalfPrice: batch at half the standard rates (no batch price listed).
	HalfPrice bool
	Usage     cost.Usage
	Cost      cost.Money
	Priced    bool
	// Reason says why an unpriced line has no price: "unknown model" or
	// "no price in force at the call date".
	Reason string
}

// Bill is a priced ledger: what a set of requests costs, by kind and by
// model and tier.
type Bill struct {
	Requests int64
	// Usage sums every call; Unpriced is the part the catalog has no price
	// for (not in Cost).
	Usage    cost.Usage
	Unpriced cost.Usage
	Cost     cost.Money
	// TierFallback counts requests priced at standard rates because the
	// model has no price for their tier.
	TierFallback int64
	// RegionDefault counts requests priced at a model's default rates
	// although it is priced per AWS Region, because their Region is unknown
	// or has no price; RegionDefaultModels names those models.
	RegionDefault       int64
	RegionDefaultModels []string
	// Lines are by model, provider, tier; sorted by cost.
	Lines []Line
	// Fixed are costs that do not depend on tokens (self-hosted GPUs),
	// in Total but not in Cost.
	Fixed []FixedCost
}

// Total is the bill's priced cost: the per-token cost plus the fixed
// costs.
func (b *Bill) Total() decimal.Decimal { return b.Cost.Total().Add(b.FixedTotal()) }

// FixedTotal sums the fixed costs.
func (b *Bill) FixedTotal() decimal.Decimal {
	t := decimal.Zero
	for _, f := range b.Fixed {
		t = t.Add(f.CostUSD)
	}
	return t
}

func zeroMoney() cost.Money {
	var m cost.Money
	for i := range m {
		m[i] = decimal.Zero
	}
	return m
}

// Price merges ledgers (one per goroutine) and prices them.
func Price(ls ...*Ledger) Bill {
	sums := map[pricedCell]*cost.Usage{}
	bill := Bill{Cost: zeroMoney()}
	for _, l := range ls {
		if l == nil {
			continue
		}
		bill.Requests += l.Requests
		for i, k := range l.list {
			ref := l.books.models[k.model]
			c := pricedCell{Cell: cost.Cell{Model: ref.m, ModelID: ref.name, Provider: ref.provider, PriceIdx: int(k.price),
				Tier: k.tier, Long: k.long, Geo: l.books.geos[k.geo], Region: l.books.regions[k.region]}, Half: k.half}
			if ref.m != nil {
				c.ModelID = ref.m.ID
			}
			u := sums[c]
			if u == nil {
				u = &cost.Usage{}
				sums[c] = u
			}
			u.Add(l.usage[i])
		}
	}
	type lineKey struct {
		model, provider string
		tier            record.Tier
		half            bool
	}
	lines := map[lineKey]*Line{}
	for c, u := range sums {
		bill.Usage.Add(*u)
		k := lineKey{c.ModelID, c.Provider, c.Tier, c.Half}
		ln := lines[k]
		if ln == nil {
			ln = &Line{Model: c.ModelID, Provider: c.Provider, Tier: c.Tier, HalfPrice: c.Half, Cost: zeroMoney()}
			lines[k] = ln
		}
		ln.Usage.Add(*u)
		if !c.Priced() {
			bill.Unpriced.Add(*u)
			ln.Reason = "unknown model"
			if c.Model != nil {
				ln.Reason = "no price in force at the call date"
			}
			continue
		}
		ln.Priced = true
		r, mult, tierOK := c.rates()
		m := cost.Price(*u, &r, mult)
		bill.Cost.Add(&m)
		ln.Cost.Add(&m)
		if !tierOK {
			bill.TierFallback += u.Requests
		}
		if c.RegionDefault() {
			bill.RegionDefault += u.Requests
			if !slices.Contains(bill.RegionDefaultModels, c.ModelID) {
				bill.RegionDefaultModels = append(bill.RegionDefaultModels, c.ModelID)
			}
		}
	}
	for _, ln := range lines {
		bill.Lines = append(bill.Lines, *ln)
	}
	slices.Sort(bill.RegionDefaultModels)
	sort.Slice(bill.Lines, func(i, j int) bool {
		a, b := &bill.Lines[i], &bill.Lines[j]
		if c := a.Cost.Total().Cmp(b.Cost.Total()); c != 0 {
			return c > 0
		}
		if a.Model != b.Model {
			return a.Model < b.Model
		}
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		if a.Tier != b.Tier {
			return a.Tier < b.Tier
		}
		return !a.HalfPrice && b.HalfPrice
	})
	return bill
}
