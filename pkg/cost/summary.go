package cost

import (
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Line is one priced row of a rolled-up breakdown.
type Line struct {
	// Key holds the row's dimension values.
	Key   []string
	Usage Usage
	// Cost is the priced part of Usage, per token kind.
	Cost Money
	// Unpriced is the part of Usage that could not be priced (unknown model
	// or no price in force at the call's date).
	Unpriced Usage
	// TierFallback counts requests priced at standard rates because the
	// model does not offer the tier they were served at.
	TierFallback int64
	// RegionDefault counts requests priced at a model's default rates
	// although it has per-AWS-Region prices, because their Region is
	// unknown or not in the catalog; billing rows that count no request
	// (AWS CUR line items) count one each.
	RegionDefault int64
}

// Total is the line's priced cost.
func (l *Line) Total() decimal.Decimal { return l.Cost.Total() }

func (l *Line) add(c Cell, u Usage) {
	l.Usage.Add(u)
	if !c.Priced() {
		l.Unpriced.Add(u)
		return
	}
	r, mult, tierOK := c.Rates()
	m := Price(u, &r, mult)
	l.Cost.Add(&m)
	if !tierOK {
		l.TierFallback += u.Requests
	}
	if c.RegionDefault() {
		l.RegionDefault += max(u.Requests, u.Charged)
	}
}

func newLine(key []string) *Line {
	l := &Line{Key: key}
	for i := range l.Cost {
		l.Cost[i] = decimal.Zero
	}
	return l
}

// UnpricedModel is a model whose calls could not be priced.
type UnpricedModel struct {
	Model    string
	Provider string
	// Reason is "unknown model" or "no price in force at the call date".
	Reason string
	Usage  Usage
}

// Breakdown is a list of lines grouped by named dimensions.
type Breakdown struct {
	Dims  []string
	Lines []Line
}

// Summary is everything a cost report shows.
type Summary struct {
	Total      Line
	ByModel    Breakdown
	ByProvider Breakdown
	ByTier     Breakdown
	ByDay      Breakdown
	ByUser     Breakdown
	ByProject  Breakdown
	// ByTag has one breakdown per tag key, sorted by key.
	ByTag []Breakdown
	// Groups is the --group-by breakdown; nil when none was asked for.
	Groups *Breakdown
	// Drivers ranks model × project × user combinations by cost.
	Drivers Breakdown
	// ByDayModel is day × model, days in order (the HTML report's cost
	// over time; not part of the JSON document).
	ByDayModel Breakdown
	Unpriced   []UnpricedModel
	// NoUsage counts records without usage by model.
	NoUsage  map[string]int64
	Filtered int64
	// Findings is the waste finder's evidence of avoidable spend, sorted
	// by saving.
	Findings []Finding
	// Charges splits the money billing exports charged by whom it is
	// charged to.
	Charges Charges
}

// Charges splits money billed by a vendor (records with a charged amount)
// by what the record names: a model the catalog knows (priced or not at
// the call's date), a model it does not know, or no model at all; amounts
// that reduce the bill (credits, refunds, discounts: negative, summed per
// model and day) are apart.
type Charges struct {
	Known, Unknown, NoModel, Credits ChargeSum
}

// ChargeSum is an amount in 1e-9 USD and the number of records (billing
// line items) that carry it.
type ChargeSum struct{ Nano, Items int64 }

// NoModel reports whether a model name is ingest's placeholder for a
// charge that belongs to no model — a credit, a tax, a non-token charge, a
// cost row exported without a model dimension: "(credit)", "(no model)",
// "(non-token charges)" — or "(none)", the aggregator's name for an empty
// one.
func NoModel(name string) bool {
	return len(name) >= 2 && name[0] == '(' && name[len(name)-1] == ')'
}

type roller struct {
	lines map[string]*Line
}

func (r *roller) add(key []string, c Cell, u Usage) {
	k := strings.Join(key, "\x00")
	l := r.lines[k]
	if l == nil {
		l = newLine(key)
		r.lines[k] = l
	}
	l.add(c, u)
}

// byCost sorts lines by cost (then unpriced tokens, then key), the order in
// which a reader wants them; byKey sorts by key (days).
func (r *roller) breakdown(dims []string, byKey bool) Breakdown {
	b := Breakdown{Dims: dims}
	totals := make([]decimal.Decimal, 0, len(r.lines))
	for _, l := range r.lines {
		b.Lines = append(b.Lines, *l)
		totals = append(totals, l.Total())
	}
	// Sort an index so that each line's total is computed once, not in
	// every comparison.
	idx := make([]int, len(b.Lines))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool {
		x, y := &b.Lines[idx[i]], &b.Lines[idx[j]]
		if !byKey {
			if c := totals[idx[i]].Cmp(totals[idx[j]]); c != 0 {
				return c > 0
			}
			if a, b := x.Unpriced.Requests, y.Unpriced.Requests; a != b {
				return a > b
			}
		}
		kx, ky := strings.Join(x.Key, "\x00"), strings.Join(y.Key, "\x00")
		if byKey && (kx == "") != (ky == "") {
			return ky == "" // rows without a value (no timestamp) last
		}
		return kx < ky
	})
	sorted := make([]Line, len(idx))
	for i, k := range idx {
		sorted[i] = b.Lines[k]
	}
	b.Lines = sorted
	return b
}

func newRoller() *roller { return &roller{lines: map[string]*Line{}} }

// Summarize prices a Result and rolls it up into breakdowns.
func Summarize(res *Result) *Summary {
	s := &Summary{NoUsage: res.NoUsage, Filtered: res.Filtered}
	total := newRoller()
	model, provider, tier, day, dayModel := newRoller(), newRoller(), newRoller(), newRoller(), newRoller()
	unpriced := map[[3]string]*UnpricedModel{}
	for _, r := range res.Day {
		c := r.Cell
		if r.Usage.Charged > 0 {
			cs := &s.Charges.Unknown
			switch {
			case r.Usage.ChargedNano < 0:
				cs = &s.Charges.Credits
			case c.Model != nil:
				cs = &s.Charges.Known
			case NoModel(c.ModelID):
				cs = &s.Charges.NoModel
			}
			cs.Nano += r.Usage.ChargedNano
			cs.Items += r.Usage.Charged
		}
		total.add(nil, c, r.Usage)
		model.add([]string{c.ModelID, c.Provider}, c, r.Usage)
		provider.add([]string{c.Provider}, c, r.Usage)
		tier.add([]string{c.Tier.String()}, c, r.Usage)
		day.add([]string{r.Vals[0]}, c, r.Usage)
		dayModel.add([]string{r.Vals[0], c.ModelID}, c, r.Usage)
		if !c.Priced() && (r.Usage.Requests > 0 || r.Usage.TotalInput()+r.Usage.Output > 0) {
			reason := "unknown model"
			if c.Model != nil {
				reason = "no price in force at the call date"
			}
			k := [3]string{c.ModelID, c.Provider, reason}
			um := unpriced[k]
			if um == nil {
				um = &UnpricedModel{Model: c.ModelID, Provider: c.Provider, Reason: reason}
				unpriced[k] = um
			}
			um.Usage.Add(r.Usage)
		}
	}
	if l, ok := total.lines[""]; ok {
		s.Total = *l
	} else {
		s.Total = *newLine(nil)
	}
	s.ByModel = model.breakdown([]string{"model", "provider"}, false)
	s.ByProvider = provider.breakdown([]string{"provider"}, false)
	s.ByTier = tier.breakdown([]string{"tier"}, false)
	s.ByDay = day.breakdown([]string{"day"}, true)
	s.ByDayModel = dayModel.breakdown([]string{"day", "model"}, true)

	user, project := newRoller(), newRoller()
	for _, r := range res.User {
		user.add([]string{r.Vals[0]}, r.Cell, r.Usage)
	}
	for _, r := range res.Project {
		project.add([]string{r.Vals[0]}, r.Cell, r.Usage)
	}
	s.ByUser = user.breakdown([]string{"user"}, false)
	s.ByProject = project.breakdown([]string{"project"}, false)

	tags := map[string]*roller{}
	for _, r := range res.Tag {
		t := tags[r.Vals[0]]
		if t == nil {
			t = newRoller()
			tags[r.Vals[0]] = t
		}
		t.add([]string{r.Vals[1]}, r.Cell, r.Usage)
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s.ByTag = append(s.ByTag, tags[k].breakdown([]string{"tag:" + k}, false))
	}

	if len(res.GroupBy) > 0 {
		dims := make([]string, len(res.GroupBy))
		byKey := true
		for i, d := range res.GroupBy {
			dims[i] = d.String()
			if d.Kind != DimDay && d.Kind != DimMonth {
				byKey = false
			}
		}
		g := newRoller()
		for _, r := range res.Group {
			g.add(append([]string(nil), r.Vals[:len(dims)]...), r.Cell, r.Usage)
		}
		b := g.breakdown(dims, byKey)
		s.Groups = &b
	}

	s.Drivers = drivers(res.Drivers)
	if res.waste != nil {
		s.Findings = res.waste.findings()
	}

	for _, um := range unpriced {
		s.Unpriced = append(s.Unpriced, *um)
	}
	sort.Slice(s.Unpriced, func(i, j int) bool {
		a, b := s.Unpriced[i], s.Unpriced[j]
		if a.Usage.Requests != b.Usage.Requests {
			return a.Usage.Requests > b.Usage.Requests
		}
		return a.Model+a.Provider < b.Model+b.Provider
	})
	return s
}

// drivers rolls up the model × project × user rows.
func drivers(rows []Row) Breakdown {
	g := newRoller()
	for _, r := range rows {
		g.add([]string{r.Vals[0], r.Vals[1], r.Vals[2]}, r.Cell, r.Usage)
	}
	return g.breakdown([]string{"model", "project", "user"}, false)
}
