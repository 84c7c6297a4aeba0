package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/llmcost/llmcost/pkg/chart"
)

// DiffHTML writes a diff (or check) document as a self-contained HTML page.
func DiffHTML(w io.Writer, d *Diff, o DiffOptions) error { return WritePage(w, DiffPage(d, o)) }

// DiffPage builds the page of a diff: the totals, the gate's verdict, and
// per breakdown a chart of baseline against current with its table.
func DiffPage(d *Diff, o DiffOptions) *Page {
	t := d.Total
	p := &Page{Title: "LLM cost diff", Subtitle: "Baseline " + periodText(d.Baseline) + " · current " + periodText(d.Current)}
	tone := ""
	switch {
	case t.DeltaUSD.IsPositive():
		tone = "up"
	case t.DeltaUSD.IsNegative():
		tone = "down"
	}
	p.Facts = []Fact{
		{Label: "Baseline cost", Value: usd(t.Baseline.CostUSD), Note: plural(t.Baseline.Requests, "request")},
		{Label: "Current cost", Value: usd(t.Current.CostUSD), Note: plural(t.Current.Requests, "request")},
		{Label: "Change", Value: signedUSD(t.DeltaUSD), Note: signedPct(t.DeltaPct), Tone: tone},
		{Label: "Cost per request", Value: usd(t.Current.CostPerRequestUSD), Note: signedPct(t.CostPerRequestDeltaPct) + " from " + usd(t.Baseline.CostPerRequestUSD)},
	}
	if s := statusLine(d); s != "" {
		a := Alert{Level: d.Status, Text: s}
		for _, f := range d.Findings {
			a.Items = append(a.Items, f.Level+" "+f.Rule+": "+f.Message)
		}
		p.Alerts = append(p.Alerts, a)
	}
	if len(d.UnknownModels) > 0 {
		p.Alerts = append(p.Alerts, Alert{Level: "warn", Text: "Unknown models in the current report (not priced)", Items: d.UnknownModels})
	}
	summary := PageSection{ID: "summary", Title: "Summary",
		Tables: []PageTable{{Header: []string{"", "baseline", "current", "change"}, Rows: summaryLines(d), TextCols: 1}}}
	p.Sections = append(p.Sections, summary)
	for i, s := range diffSections(d) {
		rows, more := diffRows(s.b, o)
		if len(rows) == 0 {
			continue
		}
		id := nonID.ReplaceAllString(strings.ToLower(s.title), "-") + fmt.Sprintf("-%d", i)
		sec := PageSection{ID: strings.Trim(id, "-"), Title: s.title}
		sec.Charts = []template.HTML{Chart(diffBars(sec.ID, s.title, s.b, rows))}
		var cells [][]string
		for _, r := range rows {
			cells = append(cells, diffCells(s.b, r))
		}
		sec.Tables = []PageTable{{Header: diffHeader(s.b), Rows: cells, TextCols: 1 + len(s.b.Dims), More: diffMore(more)}}
		p.Sections = append(p.Sections, sec)
	}
	p.Footer = []string{"Key: + added, - removed, ~ changed; percentages are n/a where the baseline is 0."}
	if o.Reproduce != "" {
		p.Footer = append(p.Footer, "Reproduce locally: "+o.Reproduce)
	}
	return p
}

func diffMore(more int) string {
	if more == 0 {
		return ""
	}
	return fmt.Sprintf("%d more rows; --format json lists all.", more)
}

// diffBars draws baseline and current cost side by side for the rows that
// moved most (rows come sorted by the size of their change).
func diffBars(id, title string, b DiffBreakdown, rows []DiffRow) string {
	c := chart.Bars{ID: id, Title: "Cost " + strings.ToLower(title[:1]) + title[1:] + ": baseline and current", Format: chart.USD}
	var base, cur []float64
	for i, r := range rows {
		if i == barRows {
			c.Note = fmt.Sprintf("the %d largest changes", barRows)
			break
		}
		label := rowLabel(b.Dims, Row{Key: r.Key})
		if r.Change != Unchanged {
			label = r.Change.Symbol() + " " + label
		}
		c.Labels = append(c.Labels, label)
		base = append(base, f64(r.Baseline.CostUSD.Decimal))
		cur = append(cur, f64(r.Current.CostUSD.Decimal))
	}
	c.Series = []chart.Series{{Name: "baseline", Values: base, Class: "base"}, {Name: "current", Values: cur, Class: "c0"}}
	return c.HTML()
}
