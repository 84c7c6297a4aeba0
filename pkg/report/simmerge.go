package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/internal/numfmt"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// SimPartial marks a partial simulate report (simulate --partial), made to
// be merged with the other shards' (llmcost merge).
type SimPartial struct {
	// Settings identifies the scenarios, their configuration and the
	// window: only partials with the same settings merge.
	Settings string `json:"settings"`
	// ShardKey is the key the log was split by: conversation, user, system
	// or prefix; "" when it was split some other way (by file), which only
	// scenarios that treat each request on its own survive exactly.
	ShardKey string `json:"shard_key"`
	// Shard and Shards say which of how many shards this is when simulate
	// split the log itself (--shard i/n): every shard then reads the same
	// inputs. Both are 0 when the inputs were split beforehand.
	Shard  int `json:"shard"`
	Shards int `json:"shards"`
	// OtherShardRecords counts the records left to other shards; they are
	// in coverage.filtered.
	OtherShardRecords int64 `json:"other_shard_records"`
	// Notes say which scenarios' outcomes only approximately add up over
	// shards, and why.
	Notes []string `json:"notes"`
}

// MarkPartial makes r a partial report: it records the split and how each
// figure and table column of res combines.
func MarkPartial(r *SimulateReport, res *simulate.Result, p SimPartial) {
	if p.Notes == nil {
		p.Notes = []string{}
	}
	p.OtherShardRecords = res.OtherShards
	r.Partial = &p
	r.Coverage.Filtered += res.OtherShards
	outs := res.Outcomes
	scs := r.Scenarios
	if res.Stack != nil && r.Stacked != nil {
		outs = append(append([]simulate.Outcome{}, outs...), *res.Stack)
		scs = append(append([]SimScenario{}, scs...), *r.Stacked)
	}
	for i := range outs {
		if i >= len(scs) {
			break
		}
		s, o := &scs[i], &outs[i]
		for j := range s.Figures {
			if j >= len(o.Figures) {
				break
			}
			f := o.Figures[j]
			s.Figures[j].Merge = f.Merge.Resolve(f.Unit).String()
			if f.Merge == simulate.MergeRatio {
				s.Figures[j].RatioOf = []string{f.Of[0], f.Of[1]}
			}
		}
		for j := range s.Tables {
			if j >= len(o.Tables) {
				break
			}
			for k := range s.Tables[j].Columns {
				if k >= len(o.Tables[j].Columns) {
					break
				}
				c := o.Tables[j].Columns[k]
				if c.Unit != simulate.UnitText {
					s.Tables[j].Columns[k].Merge = c.Merge.Resolve(c.Unit).String()
				}
			}
		}
	}
	if r.Stacked != nil && res.Stack != nil {
		*r.Stacked = scs[len(scs)-1]
	}
}

// LoadSimulate reads a simulate document, keeping table numbers exact.
func LoadSimulate(rd io.Reader) (*SimulateReport, error) {
	dec := json.NewDecoder(rd)
	dec.UseNumber()
	var r SimulateReport
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	if r.Kind != "simulate" {
		return nil, fmt.Errorf("a %q document, not simulate", r.Kind)
	}
	if r.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("simulate schema version %d, this llmcost reads %d", r.SchemaVersion, SchemaVersion)
	}
	fix := func(s *SimScenario) {
		for _, t := range s.Tables {
			for _, row := range t.Rows {
				for k, v := range row {
					if n, ok := v.(json.Number); ok {
						d, err := decimal.NewFromString(n.String())
						if err == nil {
							row[k] = Money{d}
						}
					}
				}
			}
		}
	}
	for i := range r.Scenarios {
		fix(&r.Scenarios[i])
	}
	if r.Stacked != nil {
		fix(r.Stacked)
	}
	return &r, nil
}

// MergeSimulate combines partial simulate reports of the shards of a log
// into the report of the whole: bills, affected requests and additive
// figures add up exactly; shares are recomputed; per-shard statistics (a
// percentile) are left out with a warning. Every partial must have the same
// settings and split; a split made by simulate (--shard i/n) must be
// complete, each shard once.
func MergeSimulate(reps ...*SimulateReport) (*SimulateReport, error) {
	if len(reps) == 0 {
		return nil, fmt.Errorf("no reports to merge")
	}
	first := reps[0]
	for i, r := range reps {
		if r.Kind != "simulate" {
			return nil, fmt.Errorf("report %d is a %q document, not simulate", i+1, r.Kind)
		}
		if r.Partial == nil {
			return nil, fmt.Errorf("report %d is not partial: make shards' reports with llmcost simulate --partial", i+1)
		}
		p, q := r.Partial, first.Partial
		if p.Settings != q.Settings {
			return nil, fmt.Errorf("report %d was simulated with other settings (scenarios, configuration or window) than report 1", i+1)
		}
		if p.ShardKey != q.ShardKey || p.Shards != q.Shards {
			return nil, fmt.Errorf("report %d is a shard of another split (%s) than report 1 (%s)", i+1, splitName(p), splitName(q))
		}
	}
	byKey := first.Partial.Shards > 0
	if byKey {
		seen := map[int]int{}
		for i, r := range reps {
			if j, dup := seen[r.Partial.Shard]; dup {
				return nil, fmt.Errorf("reports %d and %d are the same shard (%d of %d)", j+1, i+1, r.Partial.Shard, r.Partial.Shards)
			}
			seen[r.Partial.Shard] = i
		}
		var missing []string
		for s := 0; s < first.Partial.Shards; s++ {
			if _, ok := seen[s]; !ok {
				missing = append(missing, strconv.Itoa(s))
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("shards %s of %d are missing: the merge would leave their requests out", strings.Join(missing, ", "), first.Partial.Shards)
		}
		// Order by shard, so that the merge does not depend on the order
		// of the files.
		reps = append([]*SimulateReport(nil), reps...)
		sort.SliceStable(reps, func(i, j int) bool { return reps[i].Partial.Shard < reps[j].Partial.Shard })
	}
	out := &SimulateReport{SchemaVersion: SchemaVersion, Kind: "simulate", Inputs: []Input{}, Scenarios: []SimScenario{},
		Unpriced: []Unpriced{}, Problems: []Problem{}, Warnings: []string{}}
	warn := map[string]bool{}
	addWarn := func(w string) {
		if !warn[w] {
			warn[w] = true
			out.Warnings = append(out.Warnings, w)
		}
	}
	unpriced := map[[3]string]*Unpriced{}
	var unpricedOrder [][3]string
	for i, r := range reps {
		if byKey {
			// Every shard read the same inputs: take them once, and the
			// records each kept.
			if i == 0 {
				out.Inputs = append(out.Inputs, r.Inputs...)
				out.Problems = append(out.Problems, r.Problems...)
				out.ProblemsTotal = r.ProblemsTotal
				c := r.Coverage
				c.Priced, c.UnknownModel, c.NoPrice, c.NoUsage, c.Filtered = 0, 0, 0, 0, 0
				out.Coverage = c
			} else if !sameInputs(r.Inputs, first.Inputs) {
				return nil, fmt.Errorf("shard %d read other inputs than shard %d: every shard of a split by key reads the whole log", r.Partial.Shard, first.Partial.Shard)
			}
			out.Coverage.Priced += r.Coverage.Priced
			out.Coverage.UnknownModel += r.Coverage.UnknownModel
			out.Coverage.NoPrice += r.Coverage.NoPrice
			out.Coverage.NoUsage += r.Coverage.NoUsage
			out.Coverage.Filtered += r.Coverage.Filtered - r.Partial.OtherShardRecords
		} else {
			out.Inputs = append(out.Inputs, r.Inputs...)
			addCoverage(&out.Coverage, r.Coverage)
			out.Problems = append(out.Problems, r.Problems...)
			out.ProblemsTotal += r.ProblemsTotal
		}
		if r.Period.From != "" && (out.Period.From == "" || r.Period.From < out.Period.From) {
			out.Period.From = r.Period.From
		}
		if r.Period.To > out.Period.To {
			out.Period.To = r.Period.To
		}
		out.RequestText.Read = out.RequestText.Read || r.RequestText.Read
		out.RequestText.Requests += r.RequestText.Requests
		for _, u := range r.Unpriced {
			k := [3]string{u.Model, u.Provider, u.Reason}
			if x := unpriced[k]; x != nil {
				x.Requests += u.Requests
				x.Tokens = addTokens(x.Tokens, u.Tokens)
			} else {
				c := u
				unpriced[k] = &c
				unpricedOrder = append(unpricedOrder, k)
			}
		}
		for _, n := range r.Partial.Notes {
			addWarn("merged from shards: " + n)
		}
	}
	if len(out.Problems) > maxMergedProblems {
		out.Problems = out.Problems[:maxMergedProblems]
	}
	for _, k := range unpricedOrder {
		out.Unpriced = append(out.Unpriced, *unpriced[k])
	}
	sort.SliceStable(out.Unpriced, func(i, j int) bool { return out.Unpriced[i].Requests > out.Unpriced[j].Requests })

	var bills []SimBill
	for _, r := range reps {
		bills = append(bills, r.Baseline)
	}
	out.Baseline = mergeBills(bills)
	for i := range first.Scenarios {
		var ss []*SimScenario
		for j, r := range reps {
			if i >= len(r.Scenarios) || r.Scenarios[i].Name != first.Scenarios[i].Name {
				return nil, fmt.Errorf("report %d has other scenarios than report 1", j+1)
			}
			ss = append(ss, &r.Scenarios[i])
		}
		s, lost := mergeScenario(ss, &out.Baseline)
		for _, l := range lost {
			addWarn(l)
		}
		out.Scenarios = append(out.Scenarios, s)
	}
	if first.Stacked != nil {
		var ss []*SimScenario
		for j, r := range reps {
			if r.Stacked == nil {
				return nil, fmt.Errorf("report %d has no stacked result; report 1 has", j+1)
			}
			ss = append(ss, r.Stacked)
		}
		s, lost := mergeScenario(ss, &out.Baseline)
		for _, l := range lost {
			addWarn(l)
		}
		out.Stacked = &s
	}
	var lists [][]string
	for _, r := range reps {
		lists = append(lists, r.Warnings)
	}
	for _, w := range mergeWarnings(lists) {
		addWarn(w)
	}
	return out, nil
}

// maxMergedProblems is how many problems a merged report keeps.
const maxMergedProblems = 100

func splitName(p *SimPartial) string {
	switch {
	case p.Shards > 0:
		return fmt.Sprintf("%d shards by %s", p.Shards, p.ShardKey)
	case p.ShardKey != "":
		return "inputs split by " + p.ShardKey
	}
	return "inputs split by file"
}

func sameInputs(a, b []Input) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Path != b[i].Path || a[i].Bytes != b[i].Bytes {
			return false
		}
	}
	return true
}

var reNumber = regexp.MustCompile(`\d[\d,]*(?:\.\d+)?`)

// mergeWarnings combines the shards' warnings. The same warning from every
// shard is said once. Warnings that differ only in one number (a count of
// the shard's requests) are said once with the numbers added up; others
// that differ in their numbers are said once with the other shards'
// variants after it.
func mergeWarnings(lists [][]string) []string {
	type group struct {
		variants []string
	}
	groups := map[string]*group{}
	var order []string
	for _, l := range lists {
		for _, w := range l {
			shape := reNumber.ReplaceAllString(w, "#")
			g := groups[shape]
			if g == nil {
				g = &group{}
				groups[shape] = g
				order = append(order, shape)
			}
			if !slices.Contains(g.variants, w) {
				g.variants = append(g.variants, w)
			}
		}
	}
	var out []string
	for _, shape := range order {
		g := groups[shape]
		if len(g.variants) == 1 {
			out = append(out, g.variants[0])
			continue
		}
		if strings.Count(shape, "#") == 1 {
			sum, ok := decimal.Zero, true
			for _, v := range g.variants {
				n, err := decimal.NewFromString(strings.ReplaceAll(reNumber.FindString(v), ",", ""))
				ok = ok && err == nil
				sum = sum.Add(n)
			}
			if ok {
				n := sum.String()
				if sum.IsInteger() {
					n = numfmt.Int(sum.IntPart())
				}
				out = append(out, strings.Replace(shape, "#", n, 1))
				continue
			}
		}
		others := g.variants[1:]
		more := ""
		if len(others) > 2 {
			others, more = others[:2], "; …"
		}
		out = append(out, g.variants[0]+" (in other shards: "+strings.Join(others, "; ")+more+")")
	}
	return out
}

func mergeBills(bs []SimBill) SimBill {
	out := SimBill{Lines: []SimLine{}}
	total, byKind := decimal.Zero, [5]decimal.Decimal{}
	for i := range byKind {
		byKind[i] = decimal.Zero
	}
	type lineKey struct {
		model, provider, tier, unpriced string
		half                            bool
	}
	lines := map[lineKey]*SimLine{}
	var order []lineKey
	fixed := map[string]*SimFixed{}
	var fixedOrder []string
	var fixedTotal *Money
	for _, b := range bs {
		out.Requests += b.Requests
		out.Calls += b.Calls
		out.Tokens = addTokens(out.Tokens, b.Tokens)
		total = total.Add(b.CostUSD.Decimal)
		for k, m := range []Money{b.CostByKind.Input, b.CostByKind.CacheRead, b.CostByKind.CacheWrite5m, b.CostByKind.CacheWrite1h, b.CostByKind.Output} {
			byKind[k] = byKind[k].Add(m.Decimal)
		}
		out.UnpricedCalls += b.UnpricedCalls
		out.TierFallbackCalls += b.TierFallbackCalls
		for _, l := range b.Lines {
			k := lineKey{l.Model, l.Provider, l.Tier, l.Unpriced, l.HalfPrice}
			if x := lines[k]; x != nil {
				x.Calls += l.Calls
				x.Tokens = addTokens(x.Tokens, l.Tokens)
				x.CostUSD = Money{x.CostUSD.Add(l.CostUSD.Decimal)}
			} else {
				c := l
				lines[k] = &c
				order = append(order, k)
			}
		}
		fixedTotal = addMoney(fixedTotal, b.FixedUSD)
		for _, f := range b.Fixed {
			if x := fixed[f.Key]; x != nil {
				x.Quantity += f.Quantity
				x.CostUSD = Money{x.CostUSD.Add(f.CostUSD.Decimal)}
			} else {
				c := f
				fixed[f.Key] = &c
				fixedOrder = append(fixedOrder, f.Key)
			}
		}
	}
	out.CostUSD = Money{total}
	out.CostByKind = CostByKind{Input: Money{byKind[0]}, CacheRead: Money{byKind[1]}, CacheWrite5m: Money{byKind[2]}, CacheWrite1h: Money{byKind[3]}, Output: Money{byKind[4]}}
	for _, k := range order {
		out.Lines = append(out.Lines, *lines[k])
	}
	// The order simulate.Price gives: by cost, then model, provider, tier.
	sort.SliceStable(out.Lines, func(i, j int) bool {
		a, b := &out.Lines[i], &out.Lines[j]
		if c := a.CostUSD.Cmp(b.CostUSD.Decimal); c != 0 {
			return c > 0
		}
		if a.Model != b.Model {
			return a.Model < b.Model
		}
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		if a.Tier != b.Tier {
			return record.ParseTier(a.Tier) < record.ParseTier(b.Tier)
		}
		return !a.HalfPrice && b.HalfPrice
	})
	out.FixedUSD = fixedTotal
	for _, k := range fixedOrder {
		out.Fixed = append(out.Fixed, *fixed[k])
	}
	return out
}

// mergeScenario merges one scenario's outcome over shards; lost lists the
// figures and tables left out.
func mergeScenario(ss []*SimScenario, base *SimBill) (SimScenario, []string) {
	f := ss[0]
	out := SimScenario{Name: f.Name, Title: f.Title, Caveat: f.Caveat, Figures: []SimFigure{}, Tables: []SimTable{},
		Assumptions: []string{}, Warnings: []string{}}
	var bills []SimBill
	affB, affS := decimal.Zero, decimal.Zero
	seenA := map[string]bool{}
	var warnings [][]string
	for _, s := range ss {
		bills = append(bills, s.Bill)
		out.AffectedRequests += s.AffectedRequests
		affB = affB.Add(s.AffectedBaselineUSD.Decimal)
		affS = affS.Add(s.AffectedSimulatedUSD.Decimal)
		out.Estimated = out.Estimated || s.Estimated
		for _, a := range s.Assumptions {
			if !seenA[a] {
				seenA[a] = true
				out.Assumptions = append(out.Assumptions, a)
			}
		}
		warnings = append(warnings, s.Warnings)
	}
	out.Warnings = append(out.Warnings, mergeWarnings(warnings)...)
	out.Bill = mergeBills(bills)
	b := base.CostUSD.Decimal
	out.BaselineUSD = Money{b}
	out.SimulatedUSD = out.Bill.CostUSD
	sv := b.Sub(out.SimulatedUSD.Decimal)
	out.SavingsUSD, out.SavingsShare = Money{sv}, share(sv, b)
	out.AffectedBaselineUSD, out.AffectedSimulatedUSD = Money{affB}, Money{affS}
	var lost []string
	// Figures, in the first shard's order (then any only later shards have).
	type fig struct {
		f   SimFigure
		val decimal.Decimal
		ok  bool
	}
	figs := map[string]*fig{}
	var order []string
	for _, s := range ss {
		for _, x := range s.Figures {
			g := figs[x.Key]
			if g == nil {
				g = &fig{f: x, val: decimal.Zero, ok: true}
				figs[x.Key] = g
				order = append(order, x.Key)
				if x.Merge == "max" {
					g.val = x.Value.Decimal
				}
			}
			g.f.Estimated = g.f.Estimated || x.Estimated
			switch x.Merge {
			case "sum":
				g.val = g.val.Add(x.Value.Decimal)
			case "max":
				if x.Value.GreaterThan(g.val) {
					g.val = x.Value.Decimal
				}
			case "ratio":
			default:
				g.ok = false
			}
		}
	}
	for _, k := range order {
		g := figs[k]
		if g.f.Merge == "ratio" && len(g.f.RatioOf) == 2 {
			num, den := figs[g.f.RatioOf[0]], figs[g.f.RatioOf[1]]
			if num != nil && den != nil && num.ok && den.ok {
				g.val = simulate.Share(num.val, den.val)
			} else {
				g.ok = false
			}
		}
		if !g.ok {
			lost = append(lost, fmt.Sprintf("%s: %q is a statistic of each shard and is left out of the merged report", f.Name, g.f.Label))
			continue
		}
		g.f.Value = Money{g.val}
		out.Figures = append(out.Figures, g.f)
	}
	// Tables whose numeric columns all add up.
	for ti, t := range f.Tables {
		mt, ok := mergeTable(ss, ti, t)
		if !ok {
			lost = append(lost, fmt.Sprintf("%s: table %q holds statistics of each shard and is left out of the merged report", f.Name, t.Title))
			continue
		}
		out.Tables = append(out.Tables, mt)
	}
	// Stages (stacked): costs and savings add up.
	for i, st := range f.Stages {
		m := SimStage{Name: st.Name, Title: st.Title, CostUSD: Money{decimal.Zero}, SavingsUSD: Money{decimal.Zero}}
		for _, s := range ss {
			if i < len(s.Stages) {
				m.CostUSD = Money{m.CostUSD.Add(s.Stages[i].CostUSD.Decimal)}
				m.SavingsUSD = Money{m.SavingsUSD.Add(s.Stages[i].SavingsUSD.Decimal)}
				m.AffectedRequests += s.Stages[i].AffectedRequests
			}
		}
		out.Stages = append(out.Stages, m)
	}
	return out, lost
}

func mergeTable(ss []*SimScenario, ti int, t SimTable) (SimTable, bool) {
	out := SimTable{Key: t.Key, Title: t.Title, Columns: t.Columns, Rows: []map[string]any{}}
	var keys []string
	for _, c := range t.Columns {
		switch {
		case c.Unit == "":
			keys = append(keys, c.Key)
		case c.Merge != "sum":
			return out, false
		}
	}
	rows := map[string]map[string]any{}
	for _, s := range ss {
		if ti >= len(s.Tables) || s.Tables[ti].Key != t.Key {
			continue
		}
		for _, r := range s.Tables[ti].Rows {
			var kb bytes.Buffer
			for _, k := range keys {
				fmt.Fprintf(&kb, "%v\x00", r[k])
			}
			dst := rows[kb.String()]
			if dst == nil {
				dst = map[string]any{}
				for _, k := range keys {
					dst[k] = r[k]
				}
				rows[kb.String()] = dst
				out.Rows = append(out.Rows, dst)
			}
			for _, c := range t.Columns {
				if c.Unit == "" {
					continue
				}
				v, ok := r[c.Key].(Money)
				if !ok {
					continue // an empty cell
				}
				if cur, ok := dst[c.Key].(Money); ok {
					dst[c.Key] = Money{cur.Add(v.Decimal)}
				} else {
					dst[c.Key] = v
				}
			}
		}
	}
	return out, true
}
