package report

import (
	"reflect"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// SimulateReport is the simulate document (kind "simulate"): the baseline
// bill of the logs, priced as analyze prices them, and each scenario's
// bill, alone and stacked. Same conventions as Report: money is exact USD,
// rows are sorted, fields may be added within a schema version.
type SimulateReport struct {
	SchemaVersion int      `json:"schema_version"`
	Kind          string   `json:"kind"`
	Period        Period   `json:"period"`
	Inputs        []Input  `json:"inputs"`
	Coverage      Coverage `json:"coverage"`
	// Baseline is the logs' bill as logged (equal to analyze's total).
	Baseline SimBill `json:"baseline"`
	// Scenarios has one entry per lever, each applied alone, in stacking
	// order.
	Scenarios []SimScenario `json:"scenarios"`
	// Stacked applies every lever in order (null with fewer than two).
	Stacked *SimScenario `json:"stacked"`
	// RequestText says how many requests carried their prompt text.
	RequestText SimText    `json:"request_text"`
	Unpriced    []Unpriced `json:"unpriced"`
	Problems    []Problem  `json:"problems"`
	// ProblemsTotal counts every problem; Problems keeps the first ones.
	ProblemsTotal int64    `json:"problems_total"`
	Warnings      []string `json:"warnings"`
	// Partial is set on a report made to be merged (simulate --partial).
	Partial *SimPartial `json:"partial,omitempty"`
}

// SimText counts the requests whose text the simulation could read.
type SimText struct {
	// Read is true when a scenario asked for request text.
	Read     bool  `json:"read"`
	Requests int64 `json:"requests"`
}

// SimBill is a bill: what a set of requests costs, by token kind and by
// model and tier.
type SimBill struct {
	// Requests are logged requests; Calls the API calls billed (a cascade
	// or a summary adds calls, a cached answer removes one).
	Requests   int64      `json:"requests"`
	Calls      int64      `json:"calls"`
	Tokens     Tokens     `json:"tokens"`
	CostUSD    Money      `json:"cost_usd"`
	CostByKind CostByKind `json:"cost_by_kind_usd"`
	// UnpricedCalls have no price and are not in CostUSD.
	UnpricedCalls int64 `json:"unpriced_calls"`
	// TierFallbackCalls were priced at standard rates: the model has no
	// price for their tier.
	TierFallbackCalls int64     `json:"tier_fallback_calls,omitempty"`
	Lines             []SimLine `json:"lines"`
	// FixedUSD is the part of CostUSD that does not depend on tokens
	// (self-hosted GPU instances, ops time); Fixed lists it. Both are
	// absent when the bill has none: CostByKind then adds up to CostUSD,
	// otherwise to CostUSD minus FixedUSD.
	FixedUSD *Money     `json:"fixed_usd,omitempty"`
	Fixed    []SimFixed `json:"fixed,omitempty"`
}

// SimFixed is a cost of the simulated window that does not depend on
// tokens: Quantity of Unit (instance_hours, months) at UnitUSD each.
type SimFixed struct {
	Key      string  `json:"key"`
	Label    string  `json:"label"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	UnitUSD  Money   `json:"unit_usd"`
	CostUSD  Money   `json:"cost_usd"`
}

// SimLine is one model and tier of a bill.
type SimLine struct {
	Model    string `json:"model"`
	Provider string `json:"provider"`
	Tier     string `json:"tier"`
	// HalfPrice: batch calls priced at 50% of standard (no batch price).
	HalfPrice bool   `json:"half_price,omitempty"`
	Calls     int64  `json:"calls"`
	Tokens    Tokens `json:"tokens"`
	CostUSD   Money  `json:"cost_usd"`
	// Unpriced is why the line has no price ("" when priced).
	Unpriced string `json:"unpriced,omitempty"`
}

// SimScenario is one lever's outcome (or the stack's).
type SimScenario struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// BaselineUSD is the whole log's cost as logged; SimulatedUSD under the
	// scenario; SavingsUSD their difference (negative: the lever costs
	// more); SavingsShare it over the baseline.
	BaselineUSD  Money   `json:"baseline_usd"`
	SimulatedUSD Money   `json:"simulated_usd"`
	SavingsUSD   Money   `json:"savings_usd"`
	SavingsShare float64 `json:"savings_share"`
	// AffectedRequests are the requests whose bill changed; their cost
	// before and after.
	AffectedRequests     int64 `json:"affected_requests"`
	AffectedBaselineUSD  Money `json:"affected_baseline_usd"`
	AffectedSimulatedUSD Money `json:"affected_simulated_usd"`
	// Estimated is true when token counts behind the figure are estimates.
	Estimated bool `json:"estimated"`
	// Caveat qualifies the saving (routing without quality labels).
	Caveat      string      `json:"caveat,omitempty"`
	Figures     []SimFigure `json:"figures"`
	Tables      []SimTable  `json:"tables"`
	Assumptions []string    `json:"assumptions"`
	Warnings    []string    `json:"warnings"`
	// Stages are the stack's levers in order (stacked only).
	Stages []SimStage `json:"stages,omitempty"`
	// Bill is the whole log's bill under the scenario.
	Bill SimBill `json:"bill"`
}

// SimFigure is one number a scenario reports.
type SimFigure struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Unit is usd, requests, tokens, share (0..1) or count.
	Unit      string `json:"unit"`
	Value     Money  `json:"value"`
	Estimated bool   `json:"estimated,omitempty"`
	// Merge says how shards' values combine (partial reports only): sum,
	// max, ratio (of the figures RatioOf names: numerator, denominator)
	// or none (a statistic of each shard).
	Merge   string   `json:"merge,omitempty"`
	RatioOf []string `json:"ratio_of,omitempty"`
}

// SimTable is a scenario's detail table; each row maps column keys to a
// string or a number.
type SimTable struct {
	Key     string           `json:"key"`
	Title   string           `json:"title"`
	Columns []SimColumn      `json:"columns"`
	Rows    []map[string]any `json:"rows"`
}

// SimColumn is a table column; Unit is "" for text.
type SimColumn struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
	// Merge says how shards' values combine (partial reports only; text
	// columns name the row).
	Merge string `json:"merge,omitempty"`
}

// SimStage is one lever of the stack: the cost of the log once it and the
// levers before it apply, and what it saves on top of them.
type SimStage struct {
	Name             string `json:"name"`
	Title            string `json:"title"`
	CostUSD          Money  `json:"cost_usd"`
	SavingsUSD       Money  `json:"savings_usd"`
	AffectedRequests int64  `json:"affected_requests"`
}

func simBill(b *simulate.Bill) SimBill {
	c := b.Cost
	out := SimBill{Requests: b.Requests, Calls: b.Usage.Requests, Tokens: tokens(b.Usage), CostUSD: Money{b.Total()},
		CostByKind: CostByKind{Input: Money{c[cost.KindInput]}, CacheRead: Money{c[cost.KindCacheRead]},
			CacheWrite5m: Money{c[cost.KindCacheWrite5m]}, CacheWrite1h: Money{c[cost.KindCacheWrite1h]}, Output: Money{c[cost.KindOutput]}},
		UnpricedCalls: b.Unpriced.Requests, TierFallbackCalls: b.TierFallback, Lines: []SimLine{}}
	for _, l := range b.Lines {
		out.Lines = append(out.Lines, SimLine{Model: l.Model, Provider: l.Provider, Tier: l.Tier.String(), HalfPrice: l.HalfPrice,
			Calls: l.Usage.Requests, Tokens: tokens(l.Usage), CostUSD: Money{l.Cost.Total()}, Unpriced: l.Reason})
	}
	if len(b.Fixed) > 0 {
		out.FixedUSD = &Money{b.FixedTotal()}
		for _, f := range b.Fixed {
			q, _ := f.Quantity.Float64()
			out.Fixed = append(out.Fixed, SimFixed{Key: f.Key, Label: f.Label, Quantity: q, Unit: f.Unit, UnitUSD: Money{f.UnitUSD}, CostUSD: Money{f.CostUSD}})
		}
	}
	return out
}

func simScenario(o *simulate.Outcome, base *simulate.Bill) SimScenario {
	b := base.Total()
	sv := o.Saving(base)
	s := SimScenario{Name: o.Name, Title: o.Title, BaselineUSD: Money{b}, SimulatedUSD: Money{o.Simulated.Total()},
		SavingsUSD: Money{sv}, SavingsShare: share(sv, b), AffectedRequests: o.Affected,
		AffectedBaselineUSD: Money{o.AffectedBefore.Total()}, AffectedSimulatedUSD: Money{o.AffectedAfter.Total()},
		Estimated: o.Estimated && o.Affected > 0, Caveat: o.Caveat, Figures: []SimFigure{}, Tables: []SimTable{},
		Assumptions: append([]string{}, o.Assumptions...), Warnings: append([]string{}, o.Warnings...), Bill: simBill(&o.Simulated)}
	for _, f := range o.Figures {
		s.Figures = append(s.Figures, SimFigure{Key: f.Key, Label: f.Label, Unit: string(f.Unit), Value: Money{f.Value}, Estimated: f.Estimated})
	}
	for _, t := range o.Tables {
		st := SimTable{Key: t.Key, Title: t.Title, Rows: []map[string]any{}}
		for _, c := range t.Columns {
			st.Columns = append(st.Columns, SimColumn{Key: c.Key, Label: c.Label, Unit: string(c.Unit)})
		}
		for _, r := range t.Rows {
			row := map[string]any{}
			for i, c := range t.Columns {
				if i >= len(r) {
					break
				}
				if d, ok := r[i].(decimal.Decimal); ok {
					row[c.Key] = Money{d}
				} else {
					row[c.Key] = r[i]
				}
			}
			st.Rows = append(st.Rows, row)
		}
		s.Tables = append(s.Tables, st)
	}
	prev := b
	for _, st := range o.Stages {
		s.Stages = append(s.Stages, SimStage{Name: st.Name, Title: st.Title, CostUSD: Money{st.Cost}, SavingsUSD: Money{prev.Sub(st.Cost)}, AffectedRequests: st.Affected})
		prev = st.Cost
	}
	return s
}

// BuildSimulate assembles the simulate report from a run's result and the
// reader's stats.
func BuildSimulate(res *simulate.Result, st *ingest.Stats) *SimulateReport {
	r := &SimulateReport{SchemaVersion: SchemaVersion, Kind: "simulate", Inputs: []Input{}, Scenarios: []SimScenario{},
		Unpriced: []Unpriced{}, Problems: []Problem{}, Warnings: []string{}}
	r.Baseline = simBill(&res.Baseline)
	for i := range res.Outcomes {
		r.Scenarios = append(r.Scenarios, simScenario(&res.Outcomes[i], &res.Baseline))
	}
	if res.Stack != nil {
		s := simScenario(res.Stack, &res.Baseline)
		r.Stacked = &s
	}
	if !res.From.IsZero() {
		r.Period = Period{From: res.From.UTC().Format("2006-01-02"), To: res.To.UTC().Format("2006-01-02")}
	}
	r.RequestText = SimText{Read: res.TextAsked, Requests: res.TextRequests}
	for _, l := range res.Baseline.Lines {
		if l.Priced {
			continue
		}
		r.Unpriced = append(r.Unpriced, Unpriced{Model: l.Model, Provider: l.Provider, Reason: l.Reason, Requests: l.Usage.Requests, Tokens: tokens(l.Usage)})
		if l.Reason == "unknown model" {
			r.Coverage.UnknownModel += l.Usage.Requests
		} else {
			r.Coverage.NoPrice += l.Usage.Requests
		}
	}
	sort.SliceStable(r.Unpriced, func(i, j int) bool { return r.Unpriced[i].Requests > r.Unpriced[j].Requests })
	r.Coverage.Priced = res.Baseline.Usage.Requests - res.Baseline.Unpriced.Requests
	r.Coverage.Filtered = res.Filtered
	for _, n := range res.NoUsage {
		r.Coverage.NoUsage += n
	}
	if st != nil {
		for _, f := range st.Files {
			r.Inputs = append(r.Inputs, Input{Path: f.Path, Format: f.Format, Bytes: f.Bytes, Lines: f.Lines, Records: f.Records,
				NotBilled: f.NotBilled, Duplicates: f.Duplicates, Malformed: f.Malformed, Error: f.Err})
			if f.Err != "" {
				r.Coverage.UnreadableFiles++
			}
		}
		t := st.Totals()
		r.Coverage.Lines, r.Coverage.Records, r.Coverage.NotBilled, r.Coverage.Malformed = t.Lines, t.Records, t.NotBilled, t.Malformed
		r.Coverage.Duplicates = t.Duplicates
		for _, p := range st.Problems {
			r.Problems = append(r.Problems, Problem{File: p.File, Line: p.Line, Error: p.Err.Error()})
		}
		r.ProblemsTotal = st.ProblemsTotal
	}
	if res.TextAsked && res.Baseline.Requests > 0 && res.TextRequests < res.Baseline.Requests {
		r.Warnings = append(r.Warnings, noTextWarning(res.Baseline.Requests-res.TextRequests))
	}
	if res.Baseline.TierFallback > 0 {
		r.Warnings = append(r.Warnings, tierFallbackWarning(res.Baseline.TierFallback))
	}
	if res.Baseline.RegionDefault > 0 {
		r.Warnings = append(r.Warnings, regionDefaultWarning(res.Baseline.RegionDefault, res.Baseline.RegionDefaultModels))
	}
	for _, s := range r.Scenarios {
		r.Warnings = append(r.Warnings, s.Warnings...)
	}
	return r
}

func noTextWarning(n int64) string {
	return plural(n, "request") + " carry no prompt text (only request+response pair logs do): routing and history size them from their token and message counts; prompt and semantic caching leave them as logged"
}

func tierFallbackWarning(n int64) string {
	return plural(n, "request") + " priced at standard rates: the model has no price for the tier they were served at"
}

// SimulateSchemaLines describes the simulate JSON document field by field,
// as SchemaLines does the analyze document.
func SimulateSchemaLines() []string {
	var out []string
	walk(reflect.TypeOf(SimulateReport{}), "", &out, map[reflect.Type]string{})
	return out
}

// SimulateCoverageLine is the coverage line of a simulate report.
func SimulateCoverageLine(r *SimulateReport) string {
	return CoverageLine(&Report{Coverage: r.Coverage})
}

// cellString formats a table cell; nil (no value) is "-".
func cellString(v any, unit string) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case Money:
		switch unit {
		case "usd":
			return usd(x)
		case "share":
			f, _ := x.Float64()
			return pct(f)
		case "tokens":
			if x.IsInteger() {
				return tok(x.IntPart())
			}
		case "requests", "count":
			if x.IsInteger() {
				return formatInt(x.IntPart())
			}
		}
		return x.String()
	case string:
		return x
	}
	return ""
}

func figureString(f SimFigure) string {
	s := cellString(f.Value, f.Unit)
	if f.Unit == "tokens" && f.Value.IsInteger() {
		s = formatInt(f.Value.IntPart())
	}
	if f.Estimated {
		s = "~" + s
	}
	return s
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}
