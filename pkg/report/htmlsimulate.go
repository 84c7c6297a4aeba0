package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/llmcost/llmcost/pkg/chart"
)

// SimulateHTML writes a simulate report as a self-contained HTML page.
func SimulateHTML(w io.Writer, r *SimulateReport, o Options) error {
	return WritePage(w, SimulatePage(r, o))
}

// SimulatePage builds the page of a simulate report: the baseline and the
// best savings as headline figures; a waterfall from the baseline through
// each lever of the stack to the stacked cost (or through the one lever
// simulated); each lever alone against the baseline; then a section per
// scenario, built from the document's figures, tables, assumptions,
// warnings, caveat and bill alone, so that a new scenario needs no change
// here. Figures built on estimated token counts carry a "~". No request
// text is in the document, so none can reach the page.
func SimulatePage(r *SimulateReport, o Options) *Page {
	max := maxRows(o)
	p := &Page{Title: "LLM savings simulation"}
	p.Subtitle = "Logs " + periodText(r.Period) + " · " + plural(r.Baseline.Requests, "request") + " · baseline " +
		usd(r.Baseline.CostUSD) + ", priced as llmcost analyze prices them"
	p.Facts = simFacts(r)
	if len(r.Unpriced) > 0 {
		var n int64
		a := Alert{Level: "warn"}
		for _, u := range r.Unpriced {
			n += u.Requests
			a.Items = append(a.Items, fmt.Sprintf("%s (%s): %s, %s", u.Model, u.Provider, u.Reason, plural(u.Requests, "request")))
		}
		a.Text = plural(n, "request") + " used models with no price: they are in no total and were not simulated (add them with --pricing-file)"
		p.Alerts = append(p.Alerts, a)
	}
	if len(r.Warnings) > 0 {
		p.Alerts = append(p.Alerts, Alert{Level: "warn", Text: "Warnings", Items: r.Warnings})
	}
	if s, ok := waterfallSection(r); ok {
		p.Sections = append(p.Sections, s)
	}
	if len(r.Scenarios) > 0 {
		p.Sections = append(p.Sections, leversSection(r))
	}
	ids := map[string]bool{}
	for i := range r.Scenarios {
		p.Sections = append(p.Sections, scenarioSection(r, &r.Scenarios[i], max, ids))
	}
	if r.Stacked != nil {
		p.Sections = append(p.Sections, scenarioSection(r, r.Stacked, max, ids))
	}
	base := PageSection{ID: "baseline", Title: "Baseline bill (as logged)",
		Intro: "The logs' cost as analyze prices it, by token kind and by model and tier."}
	base.Tables = append(base.Tables, kindTable(&r.Baseline), billTable(&r.Baseline, "By model and tier", max, false))
	p.Sections = append(p.Sections, base)
	if len(r.Unpriced) > 0 {
		var rows [][]string
		for _, u := range r.Unpriced {
			rows = append(rows, []string{u.Model, u.Provider, u.Reason, formatInt(u.Requests), tok(u.Tokens.TotalInput), tok(u.Tokens.Output)})
		}
		p.Sections = append(p.Sections, PageSection{ID: "unpriced", Title: "Unpriced (not in any total)",
			Tables: []PageTable{{Header: []string{"model", "provider", "reason", "requests", "input", "output"}, Rows: rows, TextCols: 3}}})
	}
	p.Footer = []string{SimulateCoverageLine(r),
		"Key: ~ built on estimated token counts; * a saving with a caveat (shown beside it). Prompt text is never printed."}
	if r.ProblemsTotal > 0 {
		p.Footer = append(p.Footer, plural(r.ProblemsTotal, "problem")+" reading the input (malformed lines, unreadable files): --show-skipped lists them")
	}
	return p
}

// tilde is "~" for an estimated figure.
func tilde(est bool) string {
	if est {
		return "~"
	}
	return ""
}

// savesText says what a scenario saves: "saves ~$0.70 (47.7%)", or
// "costs $0.02 more (1.3%)" for a lever that costs more.
func savesText(s *SimScenario) string {
	e := tilde(s.Estimated)
	switch {
	case s.SavingsUSD.IsNegative():
		return "costs " + e + usd(Money{s.SavingsUSD.Neg()}) + " more (" + pct(-s.SavingsShare) + ")"
	case s.SavingsUSD.IsZero():
		return "saves nothing"
	}
	return "saves " + e + usd(s.SavingsUSD) + " (" + pct(s.SavingsShare) + ")"
}

func savingTone(s *SimScenario) string {
	switch {
	case s.SavingsUSD.IsPositive():
		return "down"
	case s.SavingsUSD.IsNegative():
		return "up"
	}
	return ""
}

// simFacts are the headline figures: the baseline, the stacked result, the
// best lever alone and the requests whose text was read.
func simFacts(r *SimulateReport) []Fact {
	facts := []Fact{{Label: "Baseline", Value: usd(r.Baseline.CostUSD), Note: plural(r.Baseline.Requests, "request") + ", as logged"}}
	if s := r.Stacked; s != nil {
		facts = append(facts, Fact{Label: "All levers stacked", Value: tilde(s.Estimated) + usd(s.SimulatedUSD), Note: savesText(s), Tone: savingTone(s)})
	}
	var best *SimScenario
	for i := range r.Scenarios {
		if s := &r.Scenarios[i]; best == nil || s.SavingsUSD.GreaterThan(best.SavingsUSD.Decimal) {
			best = s
		}
	}
	if best != nil {
		label := "Best lever alone"
		if len(r.Scenarios) == 1 {
			label = "Simulated"
		}
		mark := ""
		if best.Caveat != "" {
			mark = " *"
		}
		facts = append(facts, Fact{Label: label, Value: tilde(best.Estimated) + usd(best.SimulatedUSD), Note: best.Title + ": " + savesText(best) + mark, Tone: savingTone(best)})
	}
	if r.RequestText.Read {
		facts = append(facts, Fact{Label: "Prompt text read", Value: formatInt(r.RequestText.Requests),
			Note: "of " + plural(r.Baseline.Requests, "request") + "; never printed"})
	}
	if n := r.Baseline.UnpricedCalls; n > 0 {
		facts = append(facts, Fact{Label: "Unpriced requests", Value: formatInt(n), Note: "in no total", Tone: "warn"})
	}
	return facts
}

// caveatAlerts are the caveats of the scenarios named (all when names is
// nil), each next to the saving it qualifies.
func caveatAlerts(r *SimulateReport, names map[string]bool) []Alert {
	var out []Alert
	for _, s := range r.Scenarios {
		if s.Caveat != "" && (names == nil || names[s.Name]) {
			out = append(out, Alert{Level: "warn", Text: "* " + s.Title + ": " + s.Caveat + "."})
		}
	}
	return out
}

// waterfallSection draws the stack, lever by lever, from the baseline to
// the stacked cost; with a single scenario, that lever's step.
func waterfallSection(r *SimulateReport) (PageSection, bool) {
	base := f64(r.Baseline.CostUSD.Decimal)
	c := chart.Waterfall{ID: "savings-waterfall", StartLabel: "Baseline (as logged)", Start: base, Format: chart.USD}
	sec := PageSection{ID: "waterfall"}
	switch {
	case r.Stacked != nil:
		s := r.Stacked
		sec.Title = "Savings, lever by lever"
		sec.Intro = fmt.Sprintf("Stacked in order, each lever applies to what the levers before it left, so no saving is counted twice: from %s to %s%s, which %s.",
			usd(r.Baseline.CostUSD), tilde(s.Estimated), usd(s.SimulatedUSD), savesText(s))
		c.Title = "From the baseline through each lever to the stacked cost"
		c.EndLabel, c.EndEstimated = s.Title, s.Estimated
		names := map[string]bool{}
		for _, st := range s.Stages {
			c.Steps = append(c.Steps, chart.Step{Label: st.Title, Delta: -f64(st.SavingsUSD.Decimal), Estimated: s.Estimated,
				Note: plural(st.AffectedRequests, "request") + " affected"})
			names[st.Name] = true
		}
		sec.Alerts = caveatAlerts(r, names)
		sec.Tables = []PageTable{{Header: stageHeader, Rows: stageRows(r), TextCols: 1}}
	case len(r.Scenarios) == 1:
		s := &r.Scenarios[0]
		sec.Title = "Savings"
		sec.Intro = fmt.Sprintf("%s: from %s to %s%s, which %s.", s.Title, usd(r.Baseline.CostUSD), tilde(s.Estimated), usd(s.SimulatedUSD), savesText(s))
		c.Title = "From the baseline through " + s.Title
		c.EndLabel, c.EndEstimated = "Simulated", s.Estimated
		c.Steps = []chart.Step{{Label: s.Title, Delta: -f64(s.SavingsUSD.Decimal), Estimated: s.Estimated,
			Note: plural(s.AffectedRequests, "request") + " affected"}}
		sec.Alerts = caveatAlerts(r, nil)
	default:
		return PageSection{}, false
	}
	sec.Charts = []template.HTML{Chart(c.HTML())}
	return sec, true
}

// leverLabel is a lever's row label: its title and the change in cost.
func leverLabel(s *SimScenario) string {
	sh := s.SavingsShare
	if sh < 0 {
		sh = -sh
	}
	p := pct(sh)
	if p == "0.0%" {
		p = "<0.1%"
	}
	switch {
	case s.SavingsUSD.IsNegative():
		return s.Title + " (+" + p + ")"
	case s.SavingsUSD.IsZero():
		return s.Title + " (0%)"
	}
	return s.Title + " (-" + p + ")"
}

// leversSection compares each lever alone (and the stack) with the
// baseline: bars of the log's cost as logged and simulated, and the table
// of savings.
func leversSection(r *SimulateReport) PageSection {
	all := make([]*SimScenario, 0, len(r.Scenarios)+1)
	for i := range r.Scenarios {
		all = append(all, &r.Scenarios[i])
	}
	if r.Stacked != nil {
		all = append(all, r.Stacked)
	}
	c := chart.Bars{ID: "levers-alone", Title: "Cost of the logs, as logged and with each lever alone", Note: "in brackets: the change", Format: chart.USD}
	var base, sim []float64
	var rows [][]string
	for _, s := range all {
		c.Labels = append(c.Labels, leverLabel(s))
		base = append(base, f64(r.Baseline.CostUSD.Decimal))
		sim = append(sim, f64(s.SimulatedUSD.Decimal))
		rows = append(rows, savingsCells(s))
	}
	c.Series = []chart.Series{{Name: "baseline", Values: base, Class: "base"}, {Name: "simulated", Values: sim, Class: "c0"}}
	title := "Each lever alone"
	if r.Stacked != nil {
		title += ", then stacked"
	}
	sec := PageSection{ID: "levers", Title: title,
		Intro:  "Each lever applied alone to the whole log; a lever that changes nothing costs exactly the baseline.",
		Alerts: caveatAlerts(r, nil), Charts: []template.HTML{Chart(c.HTML())},
		Tables: []PageTable{{Header: savingsHeader, Rows: rows, TextCols: 1}}}
	if anyEstimated(r) {
		sec.Notes = append(sec.Notes, "~ built on estimated token counts.")
	}
	return sec
}

// scenarioSection is one scenario's (or the stack's) detail: what it
// saves, its caveat and warnings, its figures and tables, its bill, and
// its assumptions.
func scenarioSection(r *SimulateReport, s *SimScenario, max int, ids map[string]bool) PageSection {
	id := "scenario-" + strings.Trim(nonID.ReplaceAllString(strings.ToLower(s.Name), "-"), "-")
	for n := 2; ids[id]; n++ {
		id = fmt.Sprintf("%s-%d", strings.TrimRight(id, "-0123456789"), n)
	}
	ids[id] = true
	sec := PageSection{ID: id, Title: s.Title + " (" + s.Name + ")"}
	alone := "Alone, this lever "
	if len(s.Stages) > 0 {
		alone = "The stack "
	}
	sec.Intro = fmt.Sprintf("%s%s of the %s baseline: %s%s simulated. %s affected: %s as logged, %s%s simulated.",
		alone, savesText(s), usd(s.BaselineUSD), tilde(s.Estimated), usd(s.SimulatedUSD),
		plural(s.AffectedRequests, "request"), usd(s.AffectedBaselineUSD), tilde(s.Estimated), usd(s.AffectedSimulatedUSD))
	if s.Caveat != "" {
		sec.Alerts = append(sec.Alerts, Alert{Level: "warn", Text: "* Caveat on this saving: " + s.Caveat + "."})
	}
	if len(s.Warnings) > 0 {
		sec.Alerts = append(sec.Alerts, Alert{Level: "warn", Text: "Warnings", Items: s.Warnings})
	}
	if len(s.Figures) > 0 {
		var rows [][]string
		for _, f := range s.Figures {
			rows = append(rows, []string{f.Label, figureString(f)})
		}
		sec.Tables = append(sec.Tables, PageTable{Caption: "Figures", Header: []string{"figure", "value"}, Rows: rows, TextCols: 1})
	}
	if len(s.Bill.Fixed) > 0 {
		sec.Tables = append(sec.Tables, PageTable{Caption: "Fixed costs (in the simulated cost)", Header: fixedHeader, Rows: fixedRows(&s.Bill), TextCols: 2})
	}
	for _, t := range s.Tables {
		if len(t.Rows) == 0 {
			continue
		}
		header, rows, text, more := tableCells(t, max)
		sec.Tables = append(sec.Tables, PageTable{Caption: t.Title, Header: header, Rows: rows, TextCols: text, More: moreNote(more)})
	}
	caption := "Bill of the whole log under this lever, by model and tier"
	if len(s.Stages) > 0 {
		caption = "Bill of the whole log with every lever, by model and tier"
	}
	sec.Tables = append(sec.Tables, billTable(&s.Bill, caption, max, s.Estimated))
	if len(s.Assumptions) > 0 {
		sec.ItemsTitle, sec.Items = "Assumptions", s.Assumptions
	}
	return sec
}

var billHeader = []string{"model", "provider", "tier", "calls", "input", "cache read", "cache write", "output", "cost"}

// billTable lists a bill's lines, at most max of them.
func billTable(b *SimBill, caption string, max int, est bool) PageTable {
	t := PageTable{Caption: caption, Header: billHeader, TextCols: 3}
	if est {
		t.Caption += " (~ estimated token counts)"
	}
	for i, l := range b.Lines {
		if i == max {
			t.More = moreNote(len(b.Lines) - max)
			break
		}
		tier := l.Tier
		if l.HalfPrice {
			tier += " (50% of standard)"
		}
		c := tilde(est) + usd(l.CostUSD)
		if l.Unpriced != "" {
			c = "unpriced: " + l.Unpriced
		}
		tk := l.Tokens
		t.Rows = append(t.Rows, []string{l.Model, l.Provider, tier, formatInt(l.Calls), tok(tk.Input), tok(tk.CacheRead),
			tok(tk.CacheWrite5m + tk.CacheWrite1h), tok(tk.Output), c})
	}
	if b.FixedUSD != nil {
		t.Rows = append(t.Rows, []string{"fixed costs", "", "", "", "", "", "", "", usd(*b.FixedUSD)})
	}
	t.Rows = append(t.Rows, []string{"total", "", "", formatInt(b.Calls), tok(b.Tokens.Input), tok(b.Tokens.CacheRead),
		tok(b.Tokens.CacheWrite5m + b.Tokens.CacheWrite1h), tok(b.Tokens.Output), tilde(est) + usd(b.CostUSD)})
	return t
}

// kindTable is a bill's cost by token kind.
func kindTable(b *SimBill) PageTable {
	k, tk := b.CostByKind, b.Tokens
	labels := []string{"input (uncached)", "cache read", "cache write 5m", "cache write 1h", "output"}
	costs := []Money{k.Input, k.CacheRead, k.CacheWrite5m, k.CacheWrite1h, k.Output}
	counts := []int64{tk.Input, tk.CacheRead, tk.CacheWrite5m, tk.CacheWrite1h, tk.Output}
	t := PageTable{Caption: "By token kind", Header: []string{"kind", "tokens", "cost", "share"}, TextCols: 1}
	for i, l := range labels {
		t.Rows = append(t.Rows, []string{l, tok(counts[i]), usd(costs[i]), pct(share(costs[i].Decimal, b.CostUSD.Decimal))})
	}
	return t
}
