package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// RenderSimulate writes a simulate report in the named format.
func RenderSimulate(w io.Writer, r *SimulateReport, format string, o Options) error {
	switch format {
	case "json":
		return encodeJSON(w, r)
	case "csv":
		return SimulateCSV(w, r)
	case "markdown", "md":
		return SimulateMarkdown(w, r, o)
	case "table", "":
		return SimulateTable(w, r, o)
	case HTMLFormat:
		return SimulateHTML(w, r, o)
	}
	return fmt.Errorf("unknown format %q (use %s or %s)", format, strings.Join(Formats, ", "), HTMLFormat)
}

// simCSVHeader is the simulate CSV's columns.
var simCSVHeader = []string{"section", "scenario", "key", "label", "unit", "value", "estimated"}

// SimulateCSV writes the report as one flat table: each row is one number
// (section says what kind: baseline, scenario, figure, stage, bill, fixed
// for a fixed cost in the scenario's bill, or table:<key> for a detail
// table, whose key column joins the row's text cells with "|" and whose
// label is the column).
func SimulateCSV(w io.Writer, r *SimulateReport) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(simCSVHeader); err != nil {
		return err
	}
	row := func(section, scenario, key, label, unit, value string, est bool) {
		e := ""
		if est {
			e = "true"
		}
		_ = cw.Write([]string{section, scenario, key, label, unit, value, e})
	}
	bill := func(scenario string, b *SimBill) {
		for _, l := range b.Lines {
			key := strings.Join([]string{l.Model, l.Provider, l.Tier}, "|")
			if l.HalfPrice {
				key += "|half_price"
			}
			row("bill", scenario, key, "calls", "requests", itoa(l.Calls), false)
			row("bill", scenario, key, "cost_usd", "usd", l.CostUSD.String(), false)
		}
		for _, f := range b.Fixed {
			row("fixed", scenario, f.Key, f.Label, "usd", f.CostUSD.String(), false)
		}
	}
	b := &r.Baseline
	row("baseline", "", "requests", "Requests", "requests", itoa(b.Requests), false)
	row("baseline", "", "cost_usd", "Baseline cost", "usd", b.CostUSD.String(), false)
	bill("baseline", b)
	scen := func(s *SimScenario) {
		row("scenario", s.Name, "simulated_usd", "Simulated cost", "usd", s.SimulatedUSD.String(), s.Estimated)
		row("scenario", s.Name, "savings_usd", "Savings", "usd", s.SavingsUSD.String(), s.Estimated)
		row("scenario", s.Name, "savings_share", "Savings share", "share", strconv.FormatFloat(s.SavingsShare, 'f', -1, 64), s.Estimated)
		row("scenario", s.Name, "affected_requests", "Requests affected", "requests", itoa(s.AffectedRequests), false)
		row("scenario", s.Name, "affected_baseline_usd", "Affected requests' cost as logged", "usd", s.AffectedBaselineUSD.String(), false)
		row("scenario", s.Name, "affected_simulated_usd", "Affected requests' cost simulated", "usd", s.AffectedSimulatedUSD.String(), s.Estimated)
		for _, f := range s.Figures {
			row("figure", s.Name, f.Key, f.Label, f.Unit, f.Value.String(), f.Estimated)
		}
		for _, st := range s.Stages {
			row("stage", s.Name, st.Name, st.Title, "usd", st.CostUSD.String(), s.Estimated)
		}
		for _, t := range s.Tables {
			for _, tr := range t.Rows {
				var keys []string
				for _, c := range t.Columns {
					if c.Unit == "" {
						keys = append(keys, cellString(tr[c.Key], ""))
					}
				}
				for _, c := range t.Columns {
					if c.Unit != "" {
						if m, ok := tr[c.Key].(Money); ok {
							row("table:"+t.Key, s.Name, strings.Join(keys, "|"), c.Key, c.Unit, m.String(), false)
						}
					}
				}
			}
		}
		bill(s.Name, &s.Bill)
	}
	for i := range r.Scenarios {
		scen(&r.Scenarios[i])
	}
	if r.Stacked != nil {
		scen(r.Stacked)
	}
	cw.Flush()
	return cw.Error()
}

// savingsCells formats a scenario's row of the summary table.
func savingsCells(s *SimScenario) []string {
	est := ""
	if s.Estimated {
		est = "~"
	}
	mark := ""
	if s.Caveat != "" {
		mark = " *"
	}
	return []string{s.Title, est + usd(s.SimulatedUSD), est + usd(s.SavingsUSD) + mark, pct(s.SavingsShare),
		formatInt(s.AffectedRequests), usd(s.AffectedBaselineUSD) + " → " + est + usd(s.AffectedSimulatedUSD)}
}

var savingsHeader = []string{"lever", "simulated", "savings", "saving", "requests affected", "their cost"}

func stageRows(r *SimulateReport) [][]string {
	s := r.Stacked
	est := ""
	if s.Estimated {
		est = "~"
	}
	rows := [][]string{{"baseline (as logged)", usd(r.Baseline.CostUSD), "", ""}}
	for i, st := range s.Stages {
		rows = append(rows, []string{fmt.Sprintf("%d. %s", i+1, st.Title), est + usd(st.CostUSD), est + usd(st.SavingsUSD), formatInt(st.AffectedRequests)})
	}
	return rows
}

var stageHeader = []string{"step", "cost after", "saves", "requests affected"}

var fixedHeader = []string{"cost", "unit", "quantity", "unit price", "total"}

// fixedRows formats a bill's fixed costs.
func fixedRows(b *SimBill) [][]string {
	var rows [][]string
	for _, f := range b.Fixed {
		rows = append(rows, []string{f.Label, strings.ReplaceAll(f.Unit, "_", " "), strconv.FormatFloat(f.Quantity, 'f', -1, 64), usd(f.UnitUSD), usd(f.CostUSD)})
	}
	return rows
}

// tableCells formats a detail table, at most max rows (more counts the
// rest).
func tableCells(t SimTable, max int) (header []string, rows [][]string, textCols, more int) {
	for _, c := range t.Columns {
		header = append(header, c.Label)
		if c.Unit == "" {
			textCols++
		}
	}
	for i, tr := range t.Rows {
		if i == max {
			more = len(t.Rows) - max
			break
		}
		var cells []string
		for _, c := range t.Columns {
			cells = append(cells, cellString(tr[c.Key], c.Unit))
		}
		rows = append(rows, cells)
	}
	return header, rows, textCols, more
}

func maxRows(o Options) int {
	if o.MaxRows <= 0 {
		return 20
	}
	return o.MaxRows
}

func simTitle(r *SimulateReport) string {
	t := "LLM savings simulation"
	if r.Period.From != "" {
		t += " · " + r.Period.From + " to " + r.Period.To
	}
	return t
}

func textLine(r *SimulateReport) string {
	if !r.RequestText.Read {
		return ""
	}
	return fmt.Sprintf("%s of %s requests carry their prompt text", formatInt(r.RequestText.Requests), formatInt(r.Baseline.Requests))
}

// SimulateTable writes the report for a terminal.
func SimulateTable(w io.Writer, r *SimulateReport, o Options) error {
	st := newStyles(o.Color)
	var b strings.Builder
	fmt.Fprintln(&b, st.title.Render(simTitle(r)))
	fmt.Fprintln(&b)
	fmt.Fprintf(&b, "  Baseline      %s over %s requests, priced as analyze prices them\n", st.head.Render(usd(r.Baseline.CostUSD)), formatInt(r.Baseline.Requests))
	if l := textLine(r); l != "" {
		fmt.Fprintf(&b, "  Request text  %s\n", l)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	var rows [][]string
	caveats := map[string]bool{}
	var caveatList []string
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		rows = append(rows, savingsCells(s))
		if s.Caveat != "" && !caveats[s.Caveat] {
			caveats[s.Caveat] = true
			caveatList = append(caveatList, s.Title+": "+s.Caveat)
		}
	}
	if r.Stacked != nil {
		rows = append(rows, savingsCells(r.Stacked))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.head.Render("Savings by lever, each alone"+stackedNote(r)))
	if err := WriteTable(w, savingsHeader, rows, 1); err != nil {
		return err
	}
	if anyEstimated(r) {
		fmt.Fprintln(w, st.dim.Render("  ~ built on estimated token counts"))
	}
	for _, c := range caveatList {
		fmt.Fprintln(w, st.dim.Render("  * "+c))
	}
	if r.Stacked != nil {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.head.Render("Stacked, in order: each lever applies to what the ones before it left"))
		if err := WriteTable(w, stageHeader, stageRows(r), 1); err != nil {
			return err
		}
	}
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.head.Render(s.Title+" ("+s.Name+")"))
		width := 0
		for _, f := range s.Figures {
			width = max(width, len([]rune(f.Label)))
		}
		for _, f := range s.Figures {
			fmt.Fprintf(w, "  %-*s  %s\n", width, f.Label, figureString(f))
		}
		if len(s.Bill.Fixed) > 0 {
			fmt.Fprintln(w, "  Fixed costs (in the simulated cost)")
			if err := WriteTable(w, fixedHeader, fixedRows(&s.Bill), 2); err != nil {
				return err
			}
		}
		for _, t := range s.Tables {
			if len(t.Rows) == 0 {
				continue
			}
			header, rows, text, more := tableCells(t, maxRows(o))
			fmt.Fprintln(w, "  "+t.Title)
			if err := WriteTable(w, header, rows, text); err != nil {
				return err
			}
			if more > 0 {
				fmt.Fprintln(w, st.dim.Render(fmt.Sprintf("  … %d more rows (--format json or csv lists all)", more)))
			}
		}
		if len(s.Assumptions) > 0 {
			fmt.Fprintln(w, "  Assumptions")
			for _, a := range s.Assumptions {
				fmt.Fprintln(w, st.dim.Render(wrap("  - ", "    ", a, 100)))
			}
		}
	}
	if len(r.Unpriced) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.warn.Render("Unpriced (not in any total)"))
		var rows [][]string
		for _, u := range r.Unpriced {
			rows = append(rows, []string{u.Model, u.Provider, u.Reason, formatInt(u.Requests)})
		}
		if err := WriteTable(w, []string{"model", "provider", "reason", "requests"}, rows, 3); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.dim.Render(SimulateCoverageLine(r)))
	return nil
}

func anyEstimated(r *SimulateReport) bool {
	for _, s := range r.Scenarios {
		if s.Estimated {
			return true
		}
	}
	return r.Stacked != nil && r.Stacked.Estimated
}

func stackedNote(r *SimulateReport) string {
	if r.Stacked == nil {
		return ""
	}
	return ", then stacked"
}

// wrap breaks s into lines of at most width runes, the first prefixed by
// first, the others by rest.
func wrap(first, rest, s string, width int) string {
	var b strings.Builder
	line := first
	n := len([]rune(line))
	for i, word := range strings.Fields(s) {
		wl := len([]rune(word))
		if i > 0 && n+1+wl > width {
			b.WriteString(line + "\n")
			line, n = rest+word, len([]rune(rest))+wl
			continue
		}
		if i > 0 {
			line += " "
			n++
		}
		line += word
		n += wl
	}
	b.WriteString(line)
	return b.String()
}

// SimulateMarkdown writes the report as GitHub-flavoured Markdown.
func SimulateMarkdown(w io.Writer, r *SimulateReport, o Options) error {
	var b strings.Builder
	title := "# LLM savings simulation"
	if r.Period.From != "" {
		title += ": " + r.Period.From + " to " + r.Period.To
	}
	b.WriteString(title + "\n\n")
	fmt.Fprintf(&b, "Baseline: **%s** over %s requests, priced as `llmcost analyze` prices them.", usd(r.Baseline.CostUSD), formatInt(r.Baseline.Requests))
	if l := textLine(r); l != "" {
		b.WriteString(" " + l + ".")
	}
	b.WriteString("\n\n## Savings by lever\n\n")
	var rows [][]string
	var caveats []string
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		rows = append(rows, savingsCells(s))
		if s.Caveat != "" {
			caveats = append(caveats, "\\* "+s.Title+": "+s.Caveat+".")
		}
	}
	if r.Stacked != nil {
		rows = append(rows, savingsCells(r.Stacked))
	}
	MarkdownTable(&b, savingsHeader, rows, 1)
	var notes []string
	if anyEstimated(r) {
		notes = append(notes, "~ built on estimated token counts.")
	}
	notes = append(notes, caveats...)
	if len(notes) > 0 {
		b.WriteString("\n" + strings.Join(notes, " ") + "\n")
	}
	if r.Stacked != nil {
		b.WriteString("\n## Stacked, in order\n\nEach lever applies to what the levers before it left, so no saving is counted twice.\n\n")
		MarkdownTable(&b, stageHeader, stageRows(r), 1)
	}
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		fmt.Fprintf(&b, "\n## %s (`%s`)\n\n", s.Title, s.Name)
		if len(s.Figures) > 0 {
			var frows [][]string
			for _, f := range s.Figures {
				frows = append(frows, []string{f.Label, figureString(f)})
			}
			MarkdownTable(&b, []string{"", ""}, frows, 1)
		}
		if len(s.Bill.Fixed) > 0 {
			b.WriteString("\n**Fixed costs (in the simulated cost)**\n\n")
			MarkdownTable(&b, fixedHeader, fixedRows(&s.Bill), 2)
		}
		for _, t := range s.Tables {
			if len(t.Rows) == 0 {
				continue
			}
			header, trows, text, more := tableCells(t, maxRows(o))
			fmt.Fprintf(&b, "\n**%s**\n\n", t.Title)
			MarkdownTable(&b, header, trows, text)
			if more > 0 {
				fmt.Fprintf(&b, "\n_%d more rows; `--format json` lists all._\n", more)
			}
		}
		if len(s.Assumptions) > 0 {
			b.WriteString("\nAssumptions:\n\n")
			for _, a := range s.Assumptions {
				b.WriteString("- " + MarkdownEscape(a) + "\n")
			}
		}
	}
	if len(r.Unpriced) > 0 {
		b.WriteString("\n## Unpriced (not in any total)\n\n")
		var urows [][]string
		for _, u := range r.Unpriced {
			urows = append(urows, []string{u.Model, u.Provider, u.Reason, formatInt(u.Requests)})
		}
		MarkdownTable(&b, []string{"model", "provider", "reason", "requests"}, urows, 3)
	}
	b.WriteString("\n" + SimulateCoverageLine(r) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}
