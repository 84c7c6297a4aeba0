package reconcile

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/internal/numfmt"
	"github.com/llmcost/llmcost/pkg/report"
)

// maxRows is how many rows a class table shows (json and csv list all).
const maxRows = 20

// Render writes doc in format (table, json, csv or markdown).
func Render(w io.Writer, doc *Doc, format string, color bool) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(doc)
	case "csv":
		return renderCSV(w, doc)
	case "markdown":
		return renderText(w, doc, true, false)
	}
	return renderText(w, doc, false, color)
}

// CSVHeader is the header of --format csv: one row per day × model.
var CSVHeader = []string{"class", "day", "model", "logged_usd", "billed_usd", "difference_usd", "billed_source",
	"logged_requests", "billed_requests", "logged_tokens", "billed_tokens", "catalog_usd_per_1m", "charged_usd_per_1m", "drift_pct"}

func renderCSV(w io.Writer, doc *Doc) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(CSVHeader)
	for _, c := range classOrder {
		for _, r := range doc.rows(c) {
			bt, cat, ch, dp := "", "", "", ""
			if r.BilledTokens != nil {
				bt = i64(*r.BilledTokens)
			}
			if r.CatalogUSDPer1M != nil {
				cat, ch = r.CatalogUSDPer1M.String(), r.ChargedUSDPer1M.String()
			}
			if r.DriftPct != nil {
				dp = strconv.FormatFloat(*r.DriftPct, 'f', -1, 64)
			}
			_ = cw.Write([]string{r.Class, r.Day, r.Model, r.LoggedUSD.String(), r.BilledUSD.String(), r.DifferenceUSD.String(),
				r.BilledSource, i64(r.LoggedRequests), i64(r.BilledRequests), i64(r.LoggedTokens), bt, cat, ch, dp})
		}
	}
	cw.Flush()
	return cw.Error()
}

// rows returns the rows of class c.
func (d *Doc) rows(c string) []Row {
	switch c {
	case ClassMissingFromLogs:
		return d.MissingFromLogs
	case ClassPriceDrift:
		return d.PriceDrift
	case ClassMissingFromBill:
		return d.MissingFromBill
	case ClassUnattributed:
		return d.Unattributed
	}
	return d.Matched
}

type styles struct{ title, head, dim, warn lipgloss.Style }

// newStyles decides colour here, not from os.Stdout (as report does).
func newStyles(color bool) styles {
	re := lipgloss.NewRenderer(io.Discard)
	if !color {
		re.SetColorProfile(termenv.Ascii)
		p := re.NewStyle()
		return styles{p, p, p, p}
	}
	re.SetColorProfile(termenv.ANSI)
	return styles{
		title: re.NewStyle().Bold(true).Foreground(lipgloss.Color("12")),
		head:  re.NewStyle().Bold(true),
		dim:   re.NewStyle().Faint(true),
		warn:  re.NewStyle().Foreground(lipgloss.Color("11")),
	}
}

// summary is the headline: label, value lines.
func summary(d *Doc) [][2]string {
	t := d.Totals
	ct := func(c string) ClassTotal { return t.ByClass[c] }
	out := [][2]string{
		{"Logged (catalog prices)", fmt.Sprintf("%s over %s requests", usd(t.LoggedUSD.Decimal), numfmt.Int(d.Logs.Requests))},
		{"Billed", usd(t.BilledUSD.Decimal)},
		{"Difference", signedUSD(t.DifferenceUSD.Decimal) + " (billed − logged)"},
		{"Untracked spend", fmt.Sprintf("%s (%s%% of the bill) in %s", usd(t.UntrackedUSD.Decimal), num(t.UntrackedPct), plural(int64(ct(ClassMissingFromLogs).Rows), "row"))},
		{"Price drift", fmt.Sprintf("%s in %s", signedUSD(t.DriftUSD.Decimal), plural(int64(ct(ClassPriceDrift).Rows), "row"))},
		{"Missing from the bill", fmt.Sprintf("%s in %s", usd(t.UnbilledUSD.Decimal), plural(int64(ct(ClassMissingFromBill).Rows), "row"))},
	}
	if n := ct(ClassUnattributed).Rows; n > 0 {
		out = append(out, [2]string{"Without a model", fmt.Sprintf("%s in %s (credits, taxes, fees, lines not grouped by model)", usd(t.UnattributedUSD.Decimal), plural(int64(n), "bill row"))})
	}
	out = append(out,
		[2]string{"Matched", plural(int64(ct(ClassMatched).Rows), "row")},
		[2]string{"Tolerance", fmt.Sprintf("%s or %s%% of the bill", usd(d.Tolerance.USD.Decimal), num(d.Tolerance.Pct))})
	return out
}

// classCells are a class table's header and rows.
func classCells(d *Doc, c string) (header []string, rows [][]string, more int) {
	header = []string{"day", "model", "logged", "billed", "difference", "logged tokens", "billed tokens"}
	if c == ClassPriceDrift {
		header = append(header, "catalog $/1M", "charged $/1M", "drift")
	}
	rs := d.rows(c)
	for i, r := range rs {
		if i == maxRows {
			more = len(rs) - maxRows
			break
		}
		billed := usd(r.BilledUSD.Decimal)
		switch r.BilledSource {
		case "":
			billed = "-"
		case "computed":
			billed += " (catalog)"
		}
		logged := usd(r.LoggedUSD.Decimal)
		if r.LoggedRequests == 0 && r.LoggedTokens == 0 {
			logged = "-"
		} else if r.LoggedUnpricedRequests > 0 {
			logged += " (+" + numfmt.Int(r.LoggedUnpricedRequests) + " unpriced)"
		}
		bt := "-"
		if r.BilledTokens != nil {
			bt = tok(*r.BilledTokens)
		}
		lt := tok(r.LoggedTokens)
		if r.LoggedRequests == 0 && r.LoggedTokens == 0 {
			lt = "-"
		}
		cells := []string{r.Day, r.Model, logged, billed, signedUSD(r.DifferenceUSD.Decimal), lt, bt}
		if c == ClassPriceDrift {
			cat, ch, dp := "-", "-", "-"
			if r.CatalogUSDPer1M != nil {
				cat, ch = "$"+r.CatalogUSDPer1M.StringFixed(4), "$"+r.ChargedUSDPer1M.StringFixed(4)
			}
			if r.DriftPct != nil {
				dp = signedNum(*r.DriftPct) + "%"
			}
			cells = append(cells, cat, ch, dp)
		}
		rows = append(rows, cells)
	}
	return header, rows, more
}

func classSummaryCells(d *Doc) (header []string, rows [][]string) {
	header = []string{"class", "rows", "logged", "billed", "difference"}
	for _, c := range classOrder {
		t := d.Totals.ByClass[c]
		rows = append(rows, []string{strings.ReplaceAll(c, "_", " "), strconv.Itoa(t.Rows), usd(t.LoggedUSD.Decimal), usd(t.BilledUSD.Decimal), signedUSD(t.DifferenceUSD.Decimal)})
	}
	return header, rows
}

func renderText(w io.Writer, d *Doc, md, color bool) error {
	st := newStyles(color)
	var b strings.Builder
	title := "Reconciliation: logs vs bill"
	if d.Period.From != "" {
		title += " · " + d.Period.From + " to " + d.Period.To
	}
	if md {
		b.WriteString("# " + title + "\n\n| | |\n|---|---|\n")
		for _, l := range summary(d) {
			fmt.Fprintf(&b, "| %s | %s |\n", l[0], report.MarkdownEscape(l[1]))
		}
		b.WriteString("\n## By class\n\n")
		h, rows := classSummaryCells(d)
		report.MarkdownTable(&b, h, rows, 1)
		for _, c := range classOrder {
			if len(d.rows(c)) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n## %s\n\n", classTitles[c])
			h, rows, more := classCells(d, c)
			report.MarkdownTable(&b, h, rows, 2)
			if more > 0 {
				fmt.Fprintf(&b, "\n_%d more rows; `--format json` lists all._\n", more)
			}
		}
		if len(d.Warnings) > 0 {
			b.WriteString("\n")
			for _, x := range d.Warnings {
				b.WriteString("- " + report.MarkdownEscape(x) + "\n")
			}
		}
		fmt.Fprintf(&b, "\nLogs: %s\n\nBill: %s\n", report.CoverageLine(&report.Report{Coverage: d.Logs.Coverage}), report.CoverageLine(&report.Report{Coverage: d.Bill.Coverage}))
		if bl := report.BillCoverageLine(&report.Report{Coverage: d.Bill.Coverage}); bl != "" {
			b.WriteString("\n" + report.MarkdownEscape(bl) + "\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintln(&b, st.title.Render(title))
	fmt.Fprintln(&b)
	for _, l := range summary(d) {
		fmt.Fprintf(&b, "  %-24s %s\n", l[0], l[1])
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.head.Render("By class"))
	h, rows := classSummaryCells(d)
	if err := report.WriteTable(w, h, rows, 1); err != nil {
		return err
	}
	for _, c := range classOrder {
		if len(d.rows(c)) == 0 {
			continue
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.head.Render(classTitles[c]))
		h, rows, more := classCells(d, c)
		if err := report.WriteTable(w, h, rows, 2); err != nil {
			return err
		}
		if more > 0 {
			fmt.Fprintln(w, st.dim.Render(fmt.Sprintf("  … %d more rows (--format json or csv lists all)", more)))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.dim.Render("logs: "+report.CoverageLine(&report.Report{Coverage: d.Logs.Coverage})))
	fmt.Fprintln(w, st.dim.Render("bill: "+report.CoverageLine(&report.Report{Coverage: d.Bill.Coverage})))
	if bl := report.BillCoverageLine(&report.Report{Coverage: d.Bill.Coverage}); bl != "" {
		fmt.Fprintln(w, st.dim.Render("bill: "+strings.TrimPrefix(bl, "Bill: ")))
	}
	return nil
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// usd formats an amount for people: $1,234.56, more decimals for small
// amounts so that they do not read as zero (as analyze does).
func usd(d decimal.Decimal) string {
	if d.IsZero() {
		return "$0.00"
	}
	places := int32(2)
	if d.Abs().LessThan(decimal.New(1, -2)) {
		places = 6
	} else if d.Abs().LessThan(decimal.NewFromInt(1)) {
		places = 4
	}
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(intPart, 10, 64)
	out := "$" + numfmt.Int(n) + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

func signedUSD(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + usd(d)
	}
	return usd(d)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func signedNum(f float64) string {
	if f > 0 {
		return "+" + num(f)
	}
	return num(f)
}

// tok formats a token count compactly: 950, 12.3k, 4.56M.
func tok(n int64) string {
	f := float64(n)
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10)
	case n < 1_000_000:
		return strconv.FormatFloat(f/1e3, 'f', 1, 64) + "k"
	case n < 1_000_000_000:
		return strconv.FormatFloat(f/1e6, 'f', 2, 64) + "M"
	}
	return strconv.FormatFloat(f/1e9, 'f', 2, 64) + "B"
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return numfmt.Int(n) + " " + word + "s"
}
