package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Merge combines analyze reports of disjoint inputs (shards of a log, one
// report per service of a monorepo) into one, as if the inputs had been
// analyzed together: counts and exact costs add up, shares, ratios and
// warnings are recomputed. When every report is partial (--partial), the
// result is exactly the report of one run over all the inputs, and keeps
// the drivers breakdown (so merges can be merged); otherwise top drivers
// come from each report's top rows, are approximate, and a warning says so.
func Merge(reps ...*Report) (*Report, error) {
	if len(reps) == 0 {
		return nil, fmt.Errorf("no reports to merge")
	}
	out := &Report{SchemaVersion: SchemaVersion, Kind: "analyze", Inputs: []Input{}, ByTag: []Breakdown{}, Unpriced: []Unpriced{}, Waste: []Waste{},
		NoUsage: []NoUsage{}, Problems: []Problem{}, Warnings: []string{}}
	var (
		tot        Row
		byKind     [5]decimal.Decimal
		sets       = map[string][]Breakdown{}
		groupDims  string
		groups     []Breakdown
		unpriced   = map[[3]string]*Unpriced{}
		noUsage    = map[string]int64{}
		warnings   = map[string]bool{}
		partial    = true
		waste      = map[string]*Waste{}
		wasteOrder []string
	)
	tot.CostUSD = Money{decimal.Zero}
	for i := range byKind {
		byKind[i] = decimal.Zero
	}
	for i, r := range reps {
		if r.Kind != "analyze" {
			return nil, fmt.Errorf("report %d is a %q document; only analyze reports merge", i+1, r.Kind)
		}
		out.Inputs = append(out.Inputs, r.Inputs...)
		addCoverage(&out.Coverage, r.Coverage)
		t := r.Totals
		addRow(&tot, Row{Requests: t.Requests, Tokens: t.Tokens, CostUSD: t.CostUSD, UnpricedRequests: t.UnpricedRequests, ChargedUSD: t.ChargedUSD})
		for k, m := range []Money{t.CostByKind.Input, t.CostByKind.CacheRead, t.CostByKind.CacheWrite5m, t.CostByKind.CacheWrite1h, t.CostByKind.Output} {
			byKind[k] = byKind[k].Add(m.Decimal)
		}
		if r.Period.From != "" && (out.Period.From == "" || r.Period.From < out.Period.From) {
			out.Period.From = r.Period.From
		}
		if r.Period.To > out.Period.To {
			out.Period.To = r.Period.To
		}
		drivers := r.TopDrivers
		if r.Drivers != nil {
			drivers = *r.Drivers
		} else {
			partial = false
		}
		for name, b := range map[string]Breakdown{"model": r.ByModel, "provider": r.ByProvider, "tier": r.ByTier, "day": r.ByDay,
			"user": r.ByUser, "project": r.ByProject, "drivers": drivers} {
			sets[name] = append(sets[name], b)
		}
		for _, b := range r.ByTag {
			k := "tag " + strings.Join(b.Dims, ",")
			sets[k] = append(sets[k], b)
		}
		if r.Groups != nil {
			d := strings.Join(r.Groups.Dims, ",")
			if groupDims == "" {
				groupDims = d
			}
			if d == groupDims {
				groups = append(groups, *r.Groups)
			} else {
				warnings["reports grouped by different --group-by dimensions: groups left out"] = true
			}
		}
		for _, u := range r.Unpriced {
			k := [3]string{u.Model, u.Provider, u.Reason}
			if unpriced[k] == nil {
				unpriced[k] = &Unpriced{Model: u.Model, Provider: u.Provider, Reason: u.Reason}
			}
			p := unpriced[k]
			p.Requests += u.Requests
			p.Tokens = addTokens(p.Tokens, u.Tokens)
		}
		for _, n := range r.NoUsage {
			noUsage[n.Model] += n.Requests
		}
		for _, f := range r.Waste {
			wk := waste[f.Kind]
			if wk == nil {
				wk = &Waste{Kind: f.Kind, Detail: f.Detail, SpendUSD: Money{decimal.Zero}, SavingUSD: Money{decimal.Zero}}
				waste[f.Kind] = wk
				wasteOrder = append(wasteOrder, f.Kind)
			}
			wk.Requests += f.Requests
			wk.SpendUSD = Money{wk.SpendUSD.Add(f.SpendUSD.Decimal)}
			wk.SavingUSD = Money{wk.SavingUSD.Add(f.SavingUSD.Decimal)}
			// Repeats across shards are not seen by any shard.
			wk.Partial = f.Partial || len(reps) > 1
		}
		out.Problems = append(out.Problems, r.Problems...)
		out.ProblemsTotal += r.ProblemsTotal
	}
	if len(out.Problems) > MaxProblems {
		out.Problems = out.Problems[:MaxProblems]
	}
	total := tot.CostUSD.Decimal
	out.Totals = Totals{Requests: tot.Requests, Tokens: tot.Tokens, CostUSD: tot.CostUSD, UnpricedRequests: tot.UnpricedRequests, ChargedUSD: tot.ChargedUSD,
		CostByKind:    CostByKind{Input: Money{byKind[0]}, CacheRead: Money{byKind[1]}, CacheWrite5m: Money{byKind[2]}, CacheWrite1h: Money{byKind[3]}, Output: Money{byKind[4]}},
		CacheHitShare: ratio(tot.Tokens.CacheRead, tot.Tokens.TotalInput), OutputInputRatio: ratio(tot.Tokens.Output, tot.Tokens.TotalInput)}
	out.ByModel = mergeBreakdowns(sets["model"], total, false)
	out.ByProvider = mergeBreakdowns(sets["provider"], total, false)
	out.ByTier = mergeBreakdowns(sets["tier"], total, false)
	out.ByDay = mergeBreakdowns(sets["day"], total, true)
	out.ByUser = mergeBreakdowns(sets["user"], total, false)
	out.ByProject = mergeBreakdowns(sets["project"], total, false)
	var tagKeys []string
	for k := range sets {
		if strings.HasPrefix(k, "tag ") {
			tagKeys = append(tagKeys, k)
		}
	}
	sort.Strings(tagKeys)
	for _, k := range tagKeys {
		out.ByTag = append(out.ByTag, mergeBreakdowns(sets[k], total, false))
	}
	drivers := mergeBreakdowns(sets["drivers"], total, false)
	if partial {
		out.Partial, out.Drivers = true, &drivers
	}
	if len(groups) > 0 {
		g := mergeBreakdowns(groups, total, false)
		out.Groups = &g
		out.TopDrivers = topDrivers(g)
	} else {
		out.TopDrivers = topDrivers(trimDims(drivers))
		if !partial {
			warnings["top cost drivers merged from each report's top rows (make the reports with --partial for exact ones)"] = true
		}
	}
	for _, u := range unpriced {
		out.Unpriced = append(out.Unpriced, *u)
	}
	sort.Slice(out.Unpriced, func(i, j int) bool {
		a, b := out.Unpriced[i], out.Unpriced[j]
		if a.Requests != b.Requests {
			return a.Requests > b.Requests
		}
		return a.Model+a.Provider < b.Model+b.Provider
	})
	for _, k := range wasteOrder {
		out.Waste = append(out.Waste, *waste[k])
	}
	sort.SliceStable(out.Waste, func(i, j int) bool { return out.Waste[i].SavingUSD.GreaterThan(out.Waste[j].SavingUSD.Decimal) })
	for m, n := range noUsage {
		out.NoUsage = append(out.NoUsage, NoUsage{Model: m, Requests: n})
	}
	sort.Slice(out.NoUsage, func(i, j int) bool { return out.NoUsage[i].Model < out.NoUsage[j].Model })
	out.Warnings = out.derivedWarnings()
	var extra []string
	for w := range warnings {
		extra = append(extra, w)
	}
	sort.Strings(extra)
	out.Warnings = append(out.Warnings, extra...)
	return out, nil
}

func addCoverage(c *Coverage, o Coverage) {
	c.Lines += o.Lines
	c.Records += o.Records
	c.Priced += o.Priced
	c.UnknownModel += o.UnknownModel
	c.NoPrice += o.NoPrice
	c.NoUsage += o.NoUsage
	c.Filtered += o.Filtered
	c.NotBilled += o.NotBilled
	c.Duplicates += o.Duplicates
	c.Malformed += o.Malformed
	c.UnreadableFiles += o.UnreadableFiles
	c.Charged += o.Charged
	if o.Bill != nil {
		var sum billSums
		if c.Bill != nil {
			sum = c.Bill.sums()
		}
		c.Bill = sum.add(o.Bill.sums()).bill()
	}
}

func addTokens(a, b Tokens) Tokens {
	return Tokens{Input: a.Input + b.Input, CacheRead: a.CacheRead + b.CacheRead, CacheWrite5m: a.CacheWrite5m + b.CacheWrite5m,
		CacheWrite1h: a.CacheWrite1h + b.CacheWrite1h, Output: a.Output + b.Output, Reasoning: a.Reasoning + b.Reasoning, TotalInput: a.TotalInput + b.TotalInput}
}

func addMoney(a, b *Money) *Money {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return &Money{a.Add(b.Decimal)}
}

func addRow(dst *Row, r Row) {
	dst.ChargedUSD = addMoney(dst.ChargedUSD, r.ChargedUSD)
	dst.Requests += r.Requests
	dst.Tokens = addTokens(dst.Tokens, r.Tokens)
	dst.CostUSD = Money{dst.CostUSD.Add(r.CostUSD.Decimal)}
	dst.UnpricedRequests += r.UnpricedRequests
	dst.TierFallbackRequests += r.TierFallbackRequests
	dst.RegionDefaultRequests += r.RegionDefaultRequests
}

// mergeBreakdowns adds rows with the same key; rows are sorted by cost (or
// by key for days, with rows without a value last).
func mergeBreakdowns(bs []Breakdown, total decimal.Decimal, byKey bool) Breakdown {
	out := Breakdown{Rows: []Row{}}
	idx := map[string]int{}
	for _, b := range bs {
		if out.Dims == nil && len(b.Dims) > 0 {
			out.Dims = b.Dims
		}
		for _, r := range b.Rows {
			k := keyString(b.Dims, r.Key)
			i, ok := idx[k]
			if !ok {
				i = len(out.Rows)
				idx[k] = i
				out.Rows = append(out.Rows, Row{Key: r.Key, CostUSD: Money{decimal.Zero}})
			}
			addRow(&out.Rows[i], r)
		}
	}
	if out.Dims == nil {
		out.Dims = []string{}
	}
	for i := range out.Rows {
		out.Rows[i].CostShare = share(out.Rows[i].CostUSD.Decimal, total)
	}
	sort.SliceStable(out.Rows, func(i, j int) bool {
		x, y := out.Rows[i], out.Rows[j]
		kx, ky := keyString(out.Dims, x.Key), keyString(out.Dims, y.Key)
		if byKey {
			if (kx == "") != (ky == "") {
				return ky == ""
			}
			return kx < ky
		}
		if c := x.CostUSD.Cmp(y.CostUSD.Decimal); c != 0 {
			return c > 0
		}
		if x.UnpricedRequests != y.UnpricedRequests {
			return x.UnpricedRequests > y.UnpricedRequests
		}
		return kx < ky
	})
	return out
}
