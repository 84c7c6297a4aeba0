package cost

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

// Cell is what a group of calls is priced at.
type Cell struct {
	// Model is the catalog entry, nil when the model is unknown.
	Model *pricing.Model
	// ModelID is the canonical id, or the name as logged when unknown.
	ModelID  string
	Provider string
	// PriceIdx indexes Model.Prices; -1 when no price was in force.
	PriceIdx int
	Tier     record.Tier
	// Long is true for calls priced at the long-context band.
	Long bool
	// Geo is the inference geography whose uplift applies, "" for none.
	Geo string
	// Region is the AWS Region the calls were made from when their price
	// window prices Regions apart ("" otherwise, or when unknown).
	Region string
}

// Priced reports whether the cell has a price.
func (c Cell) Priced() bool { return c.Model != nil && c.PriceIdx >= 0 }

// Rates returns the rates the cell is priced at, the geography multiplier,
// and whether the model offers the cell's tier (when it does not, standard
// rates are returned).
func (c Cell) Rates() (r pricing.Rates, mult decimal.Decimal, tierOK bool) {
	mult = decimal.NewFromInt(1)
	if !c.Priced() {
		return r, mult, false
	}
	band, _ := c.Model.Prices[c.PriceIdx].BandFor(c.Region, c.Long)
	r, tierOK = band.Tier(c.Tier)
	if m, ok := c.Model.GeoMultiplier[c.Geo]; ok && c.Geo != "" {
		mult = m
	}
	return r, mult, tierOK
}

// RegionDefault reports whether the cell's calls are priced at the default
// rates of a model that has per-Region prices, because their AWS Region is
// unknown or has no price in the catalog.
func (c Cell) RegionDefault() bool {
	if !c.Priced() {
		return false
	}
	_, known := c.Model.Prices[c.PriceIdx].BandFor(c.Region, c.Long)
	return !known
}

// Money prices u at the cell's rates; zero when the cell is not priced.
func (c Cell) Money(u Usage) Money {
	if !c.Priced() {
		var m Money
		for i := range m {
			m[i] = decimal.Zero
		}
		return m
	}
	r, mult, _ := c.Rates()
	return Price(u, &r, mult)
}

// Row is one group of one breakdown.
type Row struct {
	Cell  Cell
	Vals  [MaxGroupBy]string
	Usage Usage
}

// Result is the merged outcome of one or more Aggregators.
type Result struct {
	GroupBy []Dim
	// Day rows have Vals[0] = the UTC date (YYYY-MM-DD) or "" when unknown.
	Day     []Row
	User    []Row
	Project []Row
	// Tag rows have Vals[0] = key, Vals[1] = value.
	Tag []Row
	// Group rows hold the GroupBy dimensions' values in order.
	Group []Row
	// Drivers rows hold model, project, user.
	Drivers  []Row
	Filtered int64
	NoUsage  map[string]int64
	waste    *wasteMerged
}

type rowKey struct {
	set  uint8
	cell Cell
	vals [MaxGroupBy]string
}

func dayString(id uint32) string {
	if id == 0 {
		return ""
	}
	return time.Unix((int64(id)-1<<20)*86400, 0).UTC().Format("2006-01-02")
}

// Merge combines aggregators (typically one per worker) into a Result whose
// rows are sorted, so the outcome does not depend on how records were spread
// over workers.
func Merge(aggs ...*Aggregator) *Result {
	res := &Result{NoUsage: map[string]int64{}, waste: &wasteMerged{convs: map[string][]mturn{}, dups: map[Cell]*Usage{},
		sysReq: map[sysMKey]*sysMerged{}, noMax: map[Cell]*Usage{}, out: map[Cell]*outHist{}}}
	sums := map[rowKey]*Usage{}
	for _, a := range aggs {
		if res.GroupBy == nil {
			res.GroupBy = a.opts.GroupBy
		}
		res.Filtered += a.Filtered
		for k, v := range a.NoUsage {
			res.NoUsage[k] += v
		}
		cells := make([]Cell, len(a.cellList))
		for i, ck := range a.cellList {
			ref := a.models[ck.model]
			c := Cell{Model: ref.m, ModelID: ref.name, Provider: ref.provider, PriceIdx: int(ck.price), Tier: ck.tier, Long: ck.long, Geo: ck.geo, Region: ck.region}
			if ref.m != nil {
				c.ModelID = ref.m.ID
			}
			cells[i] = c
		}
		res.waste.absorb(a.waste, cells, a.models)
		for gk, ui := range a.groups {
			k := rowKey{set: gk.set, cell: cells[gk.cell]}
			switch gk.set {
			case setDay:
				k.vals[0] = dayString(gk.vals[0])
			case setGroup:
				for i, d := range a.opts.GroupBy {
					k.vals[i] = a.groupValue(d, k.cell, gk.vals[i])
				}
			case setDrivers:
				k.vals = [MaxGroupBy]string{k.cell.ModelID, a.strList[gk.vals[1]], a.strList[gk.vals[2]]}
			default:
				for i, v := range gk.vals {
					k.vals[i] = a.strList[v]
				}
			}
			u := sums[k]
			if u == nil {
				u = &Usage{}
				sums[k] = u
			}
			u.Add(a.usage[ui])
		}
	}
	for k, u := range sums {
		row := Row{Cell: k.cell, Vals: k.vals, Usage: *u}
		switch k.set {
		case setDay:
			res.Day = append(res.Day, row)
		case setUser:
			res.User = append(res.User, row)
		case setProject:
			res.Project = append(res.Project, row)
		case setTag:
			res.Tag = append(res.Tag, row)
		case setGroup:
			res.Group = append(res.Group, row)
		case setDrivers:
			res.Drivers = append(res.Drivers, row)
		}
	}
	for _, rows := range [][]Row{res.Day, res.User, res.Project, res.Tag, res.Group, res.Drivers} {
		sortRows(rows)
	}
	return res
}

func (a *Aggregator) groupValue(d Dim, c Cell, v uint32) string {
	switch d.Kind {
	case DimModel:
		return c.ModelID
	case DimProvider:
		return c.Provider
	case DimTier:
		return c.Tier.String()
	case DimDay:
		return dayString(v)
	case DimMonth:
		if s := dayString(v); s != "" {
			return s[:7]
		}
		return ""
	}
	return a.strList[v]
}

func cellLess(a, b *Cell) bool {
	if a.ModelID != b.ModelID {
		return a.ModelID < b.ModelID
	}
	if a.Provider != b.Provider {
		return a.Provider < b.Provider
	}
	if a.PriceIdx != b.PriceIdx {
		return a.PriceIdx < b.PriceIdx
	}
	if a.Tier != b.Tier {
		return a.Tier < b.Tier
	}
	if a.Long != b.Long {
		return !a.Long
	}
	if a.Geo != b.Geo {
		return a.Geo < b.Geo
	}
	return a.Region < b.Region
}

func sortRows(rows []Row) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		for k := range a.Vals {
			if a.Vals[k] != b.Vals[k] {
				return a.Vals[k] < b.Vals[k]
			}
		}
		return cellLess(&a.Cell, &b.Cell)
	})
}
