package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/shopspring/decimal"
)

// Formats lists the output formats, for flag help and validation.
var Formats = []string{"table", "json", "csv", "markdown"}

// Options tune rendering.
type Options struct {
	// Color enables styles (the caller decides: TTY, NO_COLOR, …).
	Color bool
	// MaxRows caps the rows shown per breakdown in table and markdown
	// output (0 = 20); JSON and CSV always hold every row.
	MaxRows int
	// TTY says standard output is a terminal: the table then adds a
	// sparkline of daily cost and bar columns (sparkline, addBars). Never
	// set for files or pipes, so machine formats and redirected tables
	// stay plain.
	TTY bool
}

// Render writes r in the named format.
func Render(w io.Writer, r *Report, format string, o Options) error {
	switch format {
	case "json":
		return JSON(w, r)
	case "csv":
		return CSV(w, r)
	case "markdown", "md":
		return Markdown(w, r, o)
	case "table", "":
		return Table(w, r, o)
	case HTMLFormat:
		return HTML(w, r, o)
	}
	return fmt.Errorf("unknown format %q (use %s, %s)", format, strings.Join(Formats, ", "), HTMLFormat)
}

// JSON writes the report document, indented, with a trailing newline.
func JSON(w io.Writer, r *Report) error { return encodeJSON(w, r) }

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// csvHeader is the CSV report's columns; documented in the README.
var csvHeader = []string{"section", "dims", "key", "requests", "input_tokens", "cache_read_tokens", "cache_write_5m_tokens",
	"cache_write_1h_tokens", "output_tokens", "reasoning_tokens", "cost_usd", "cost_share", "unpriced_requests", "charged_usd"}

// CSV writes every breakdown as rows of one flat table: a section column
// names the breakdown, dims its dimensions and key the row's values, both
// joined with "|".
func CSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	row := func(section string, dims []string, key []string, requests int64, t Tokens, c Money, sh float64, unpriced int64, charged *Money) error {
		ch := ""
		if charged != nil {
			ch = charged.String()
		}
		return cw.Write([]string{section, strings.Join(dims, "|"), strings.Join(key, "|"), itoa(requests), itoa(t.Input), itoa(t.CacheRead),
			itoa(t.CacheWrite5m), itoa(t.CacheWrite1h), itoa(t.Output), itoa(t.Reasoning), c.String(),
			strconv.FormatFloat(sh, 'f', -1, 64), itoa(unpriced), ch})
	}
	tt := r.Totals
	if err := row("total", nil, nil, tt.Requests, tt.Tokens, tt.CostUSD, 1, tt.UnpricedRequests, tt.ChargedUSD); err != nil {
		return err
	}
	for _, s := range sections(r) {
		for _, x := range s.b.Rows {
			if err := row(s.id, s.b.Dims, keyValues(s.b.Dims, x), x.Requests, x.Tokens, x.CostUSD, x.CostShare, x.UnpricedRequests, x.ChargedUSD); err != nil {
				return err
			}
		}
	}
	// The bill's coverage: line items (in the requests column) and money
	// charged by attribution; cost_share holds the known models' share.
	if b := r.Coverage.Bill; b != nil {
		zero := Money{decimal.Zero}
		for _, x := range []struct {
			key   string
			items int64
			usd   *Money
			share float64
		}{
			{"known_model", b.KnownModelItems, &b.KnownModelUSD, b.KnownModelShare},
			{"unknown_model", b.UnknownModelItems, &b.UnknownModelUSD, 0},
			{"no_model", b.NoModelItems, &b.NoModelUSD, 0},
			{"credits", b.CreditsItems, &b.CreditsUSD, 0},
			{"left_aside", b.LeftAside, nil, 0},
		} {
			if err := row("bill", []string{"attribution"}, []string{x.key}, x.items, Tokens{}, zero, x.share, 0, x.usd); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

type section struct {
	id, title string
	b         Breakdown
}

// sections lists the breakdowns in display order; empty ones are left out.
func sections(r *Report) []section {
	var out []section
	add := func(id, title string, b Breakdown) {
		if len(b.Rows) > 0 {
			out = append(out, section{id, title, b})
		}
	}
	if r.Groups != nil {
		add("groups", "By "+strings.Join(r.Groups.Dims, ", "), *r.Groups)
	}
	add("by_model", "By model", r.ByModel)
	add("by_provider", "By provider", r.ByProvider)
	add("by_tier", "By tier", r.ByTier)
	add("by_day", "By day", r.ByDay)
	add("by_user", "By user", r.ByUser)
	add("by_project", "By project", r.ByProject)
	for _, t := range r.ByTag {
		add("by_tag", "By "+strings.Join(t.Dims, ", "), t)
	}
	if r.Groups != nil || len(r.TopDrivers.Dims) > 1 {
		// With only a model dimension, the drivers repeat "By model".
		add("top_drivers", "Top cost drivers", r.TopDrivers)
	}
	return out
}

func keyValues(dims []string, r Row) []string {
	out := make([]string, len(dims))
	for i, d := range dims {
		out[i] = r.Key[d]
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// usd formats an amount for people: $1,234.56, or more decimals for small
// amounts so that a cent-less cost does not read as zero.
func usd(m Money) string {
	d := m.Decimal
	if d.IsZero() {
		return "$0.00"
	}
	places := int32(2)
	if d.Abs().LessThan(decimal.NewFromFloat(0.01)) {
		places = 6
	} else if d.Abs().LessThan(decimal.NewFromInt(1)) {
		places = 4
	}
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(intPart, 10, 64)
	out := "$" + formatInt(n) + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// tok formats a token count compactly: 950, 12.3k, 4.56M, 7.89B.
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

func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

type styles struct {
	title, head, dim, warn, bar lipgloss.Style
}

// newStyles builds styles on a renderer whose colour profile is set here,
// not sniffed from os.Stdout, so that the caller's decision (TTY, NO_COLOR,
// CLICOLOR_FORCE) is the only one and output is deterministic.
func newStyles(color bool) styles {
	re := lipgloss.NewRenderer(io.Discard)
	if !color {
		re.SetColorProfile(termenv.Ascii)
		p := re.NewStyle()
		return styles{p, p, p, p, p}
	}
	re.SetColorProfile(termenv.ANSI)
	return styles{
		title: re.NewStyle().Bold(true).Foreground(lipgloss.Color("12")),
		head:  re.NewStyle().Bold(true),
		dim:   re.NewStyle().Faint(true),
		warn:  re.NewStyle().Foreground(lipgloss.Color("11")),
		bar:   re.NewStyle().Foreground(lipgloss.Color("12")),
	}
}

func breakdownCells(s section, max int, withCharged bool) (header []string, rows [][]string, more int) {
	header = append(header, s.b.Dims...)
	header = append(header, "requests", "input", "cached", "cache write", "output", "cost", "share")
	if withCharged {
		header = append(header, "charged")
	}
	for i, x := range s.b.Rows {
		if i == max {
			more = len(s.b.Rows) - max
			break
		}
		cells := keyValues(s.b.Dims, x)
		for j, c := range cells {
			if c == "" {
				cells[j] = "(none)"
				if s.b.Dims[j] == "day" || s.b.Dims[j] == "month" {
					cells[j] = "(no timestamp)"
				}
			}
		}
		cost := usd(x.CostUSD)
		if x.UnpricedRequests > 0 {
			cost += " (+" + formatInt(x.UnpricedRequests) + " unpriced)"
		}
		cells = append(cells, formatInt(x.Requests), tok(x.Tokens.Input), tok(x.Tokens.CacheRead),
			tok(x.Tokens.CacheWrite5m+x.Tokens.CacheWrite1h), tok(x.Tokens.Output), cost, pct(x.CostShare))
		if withCharged {
			ch := "-"
			if x.ChargedUSD != nil {
				ch = usd(*x.ChargedUSD)
			}
			cells = append(cells, ch)
		}
		rows = append(rows, cells)
	}
	return header, rows, more
}

// Table writes the report for a terminal.
func Table(w io.Writer, r *Report, o Options) error {
	st := newStyles(o.Color)
	max := o.MaxRows
	if max <= 0 {
		max = 20
	}
	var b strings.Builder
	title := "LLM cost report"
	if r.Period.From != "" {
		title += " · " + r.Period.From + " to " + r.Period.To
	}
	fmt.Fprintln(&b, st.title.Render(title))
	fmt.Fprintln(&b)
	t := r.Totals
	fmt.Fprintf(&b, "  Total cost        %s over %s requests\n", st.head.Render(usd(t.CostUSD)), formatInt(t.Requests))
	if t.ChargedUSD != nil {
		fmt.Fprintf(&b, "  Charged (billed)  %s in %s billing records\n", st.head.Render(usd(*t.ChargedUSD)), formatInt(r.Coverage.Charged))
	}
	fmt.Fprintf(&b, "  Input tokens      %s (uncached %s · cache read %s · cache write 5m %s · 1h %s)\n",
		tok(t.Tokens.TotalInput), tok(t.Tokens.Input), tok(t.Tokens.CacheRead), tok(t.Tokens.CacheWrite5m), tok(t.Tokens.CacheWrite1h))
	fmt.Fprintf(&b, "  Output tokens     %s (reasoning %s)\n", tok(t.Tokens.Output), tok(t.Tokens.Reasoning))
	fmt.Fprintf(&b, "  Served from cache %s of input · output/input %s\n", pct(t.CacheHitShare), strconv.FormatFloat(t.OutputInputRatio, 'f', 3, 64))
	c := t.CostByKind
	fmt.Fprintf(&b, "  Cost by kind      input %s · cache read %s · cache write %s · output %s\n",
		usd(c.Input), usd(c.CacheRead), usd(Money{c.CacheWrite5m.Add(c.CacheWrite1h.Decimal)}), usd(c.Output))
	if o.TTY {
		if line := sparkline(r, st); line != "" {
			fmt.Fprintf(&b, "  Cost by day       %s\n", line)
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	for _, s := range sections(r) {
		header, rows, more := breakdownCells(s, max, r.Totals.ChargedUSD != nil)
		if o.TTY && (s.id == "by_day" || s.id == "by_model") {
			header, rows = addBars(header, rows, s, st)
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.head.Render(s.title))
		if err := WriteTable(w, header, rows, len(s.b.Dims)); err != nil {
			return err
		}
		if more > 0 {
			fmt.Fprintln(w, st.dim.Render(fmt.Sprintf("  … %d more rows (--format json or csv lists all)", more)))
		}
	}
	if len(r.Waste) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.head.Render("Waste finder (estimated savings)"))
		if err := WriteTable(w, []string{"finding", "requests", "spend", "saving"}, wasteRows(r), 1); err != nil {
			return err
		}
		for _, x := range r.Waste {
			fmt.Fprintln(w, st.dim.Render("  "+x.Kind+": "+x.Detail))
		}
	}
	if len(r.Unpriced) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.warn.Render("Unpriced (not in the totals)"))
		var rows [][]string
		for _, u := range r.Unpriced {
			rows = append(rows, []string{u.Model, u.Provider, u.Reason, formatInt(u.Requests), tok(u.Tokens.TotalInput), tok(u.Tokens.Output)})
		}
		if err := WriteTable(w, []string{"model", "provider", "reason", "requests", "input", "output"}, rows, 3); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.dim.Render(CoverageLine(r)))
	if bl := BillCoverageLine(r); bl != "" {
		fmt.Fprintln(w, st.dim.Render(bl))
	}
	return nil
}

// WriteTable renders a text table with every tablewriter setting made
// explicit, so that a library default never changes an output: the first
// textCols columns are left-aligned, the others (figures) right-aligned.
// Every command's table goes through it.
func WriteTable(w io.Writer, header []string, rows [][]string, textCols int) error {
	align := make([]tw.Align, len(header))
	for i := range align {
		if i < textCols {
			align[i] = tw.AlignLeft
		} else {
			align[i] = tw.AlignRight
		}
	}
	tbl := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight)})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
	tbl.Header(header)
	for _, r := range rows {
		if err := tbl.Append(r); err != nil {
			return err
		}
	}
	return tbl.Render()
}

// CoverageLine is the one-line account of what was priced.
func CoverageLine(r *Report) string {
	c := r.Coverage
	s := fmt.Sprintf("%s: %s priced, %s unknown model", plural(c.Records, "record"), formatInt(c.Priced), formatInt(c.UnknownModel))
	if c.NoPrice > 0 {
		s += ", " + formatInt(c.NoPrice) + " without a price at their date"
	}
	if c.NoUsage > 0 {
		s += ", " + formatInt(c.NoUsage) + " without usage"
	}
	if c.Filtered > 0 {
		s += ", " + formatInt(c.Filtered) + " outside --since/--until"
	}
	s += "; " + formatInt(c.Malformed) + " malformed"
	notBilled := c.NotBilled
	if c.Bill != nil {
		notBilled -= c.Bill.LeftAside // a bill's lines left aside: see BillCoverageLine
	}
	if notBilled > 0 {
		s += ", " + formatInt(notBilled) + " not billed (stream chunks, failed requests)"
	}
	if c.Duplicates > 0 {
		s += ", " + formatInt(c.Duplicates) + " duplicates of calls already counted"
	}
	if c.UnreadableFiles > 0 {
		s += ", " + plural(c.UnreadableFiles, "unreadable file")
	}
	return s
}

// BillCoverageLine is the one-line account of a bill: how much of the
// money charged the report attributes to models the catalog knows, and
// what it left aside; "" when no input is a bill.
func BillCoverageLine(r *Report) string {
	b := r.Coverage.Bill
	if b == nil {
		return ""
	}
	items := b.KnownModelItems + b.UnknownModelItems + b.NoModelItems + b.CreditsItems
	var s string
	if items == 0 {
		s = "Bill: no amount charged (usage exports carry tokens, priced like logs)"
	} else {
		s = fmt.Sprintf("Bill: %s charged in %s: %s (%s) on known models", usd(b.ChargedUSD), plural(items, "line item"),
			pct(b.KnownModelShare), usd(b.KnownModelUSD)+", "+formatInt(b.KnownModelItems))
		if b.UnknownModelItems > 0 {
			s += fmt.Sprintf(", %s (%s) on models the catalog does not know", usd(b.UnknownModelUSD), formatInt(b.UnknownModelItems))
		}
		if b.NoModelItems > 0 {
			s += fmt.Sprintf(", %s (%s) on no model (taxes, fees, non-token charges)", usd(b.NoModelUSD), formatInt(b.NoModelItems))
		}
		if b.CreditsItems > 0 {
			s += fmt.Sprintf(", credits and refunds %s (%s)", usd(b.CreditsUSD), formatInt(b.CreditsItems))
		}
	}
	if b.LeftAside > 0 {
		s += "; " + plural(b.LeftAside, "line") + " left aside (other services' line items, rows with nothing billed)"
	}
	return s
}

// Markdown writes the report as GitHub-flavoured Markdown.
func Markdown(w io.Writer, r *Report, o Options) error {
	max := o.MaxRows
	if max <= 0 {
		max = 20
	}
	var b strings.Builder
	title := "# LLM cost report"
	if r.Period.From != "" {
		title += ": " + r.Period.From + " to " + r.Period.To
	}
	b.WriteString(title + "\n\n")
	t := r.Totals
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Total cost | **%s** |\n", usd(t.CostUSD))
	if t.ChargedUSD != nil {
		fmt.Fprintf(&b, "| Charged (billed) | %s in %s billing records |\n", usd(*t.ChargedUSD), formatInt(r.Coverage.Charged))
	}
	fmt.Fprintf(&b, "| Requests | %s |\n", formatInt(t.Requests))
	fmt.Fprintf(&b, "| Input tokens | %s (uncached %s, cache read %s, cache write 5m %s, 1h %s) |\n",
		formatInt(t.Tokens.TotalInput), formatInt(t.Tokens.Input), formatInt(t.Tokens.CacheRead), formatInt(t.Tokens.CacheWrite5m), formatInt(t.Tokens.CacheWrite1h))
	fmt.Fprintf(&b, "| Output tokens | %s (reasoning %s) |\n", formatInt(t.Tokens.Output), formatInt(t.Tokens.Reasoning))
	fmt.Fprintf(&b, "| Served from cache | %s of input |\n", pct(t.CacheHitShare))
	fmt.Fprintf(&b, "| Output/input | %s |\n", strconv.FormatFloat(t.OutputInputRatio, 'f', 3, 64))
	for _, s := range sections(r) {
		header, rows, more := breakdownCells(s, max, r.Totals.ChargedUSD != nil)
		fmt.Fprintf(&b, "\n## %s\n\n", s.title)
		MarkdownTable(&b, header, rows, len(s.b.Dims))
		if more > 0 {
			fmt.Fprintf(&b, "\n_%d more rows; `--format json` lists all._\n", more)
		}
	}
	if len(r.Waste) > 0 {
		b.WriteString("\n## Waste finder (estimated savings)\n\n")
		MarkdownTable(&b, []string{"finding", "requests", "spend", "saving"}, wasteRows(r), 1)
		b.WriteString("\n")
		for _, x := range r.Waste {
			fmt.Fprintf(&b, "- `%s`: %s\n", x.Kind, MarkdownEscape(x.Detail))
		}
	}
	if len(r.Unpriced) > 0 {
		b.WriteString("\n## Unpriced (not in the totals)\n\n")
		var rows [][]string
		for _, u := range r.Unpriced {
			rows = append(rows, []string{u.Model, u.Provider, u.Reason, formatInt(u.Requests)})
		}
		MarkdownTable(&b, []string{"model", "provider", "reason", "requests"}, rows, 3)
	}
	b.WriteString("\n" + CoverageLine(r) + "\n")
	if bl := BillCoverageLine(r); bl != "" {
		b.WriteString("\n" + MarkdownEscape(bl) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// MarkdownEscape makes s safe in a Markdown table cell.
func MarkdownEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

// MarkdownTable writes a GitHub-flavoured Markdown table: the first
// textCols columns left-aligned, the others (figures) right-aligned.
func MarkdownTable(b *strings.Builder, header []string, rows [][]string, textCols int) {
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for i := range header {
		if i < textCols {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteString("\n")
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = MarkdownEscape(c)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
}

func wasteRows(r *Report) [][]string {
	var rows [][]string
	for _, x := range r.Waste {
		spend := "-"
		if !x.SpendUSD.IsZero() {
			spend = usd(x.SpendUSD)
		}
		saving := "-"
		if !x.SavingUSD.IsZero() {
			saving = "~" + usd(x.SavingUSD)
		}
		name := x.Kind
		if x.Partial {
			name += " (partial)"
		}
		rows = append(rows, []string{name, formatInt(x.Requests), spend, saving})
	}
	return rows
}

// barWidth is the width of the table's bar column, in cells.
const barWidth = 12

// bar draws v/max as a horizontal bar of eighth blocks, barWidth wide.
func bar(v, max float64) string {
	if max <= 0 || v <= 0 {
		return strings.Repeat(" ", barWidth)
	}
	eighths := int(v/max*barWidth*8 + 0.5)
	if eighths == 0 {
		eighths = 1 // a cost, however small, shows
	}
	s := strings.Repeat("█", eighths/8)
	if r := eighths % 8; r > 0 {
		s += string([]rune("▏▎▍▌▋▊▉")[r-1])
	}
	return s + strings.Repeat(" ", barWidth-len([]rune(s)))
}

// addBars appends a column of bars, each row's cost against the largest
// shown, to a breakdown table.
func addBars(header []string, rows [][]string, s section, st styles) ([]string, [][]string) {
	max := 0.0
	for i := range rows {
		max = math.Max(max, f64(s.b.Rows[i].CostUSD.Decimal))
	}
	for i := range rows {
		rows[i] = append(rows[i], st.bar.Render(bar(f64(s.b.Rows[i].CostUSD.Decimal), max)))
	}
	return append(header, ""), rows
}

// sparkline draws the daily cost of the period, one cell a day (days are
// summed into at most maxSpark cells), with the peak day; "" with fewer
// than two dated days.
func sparkline(r *Report, st styles) string {
	const maxSpark = 60
	days, _, values, _ := dayModelCosts(&Report{ByDay: r.ByDay})
	if len(days) < 2 {
		return ""
	}
	first, err1 := time.Parse("2006-01-02", days[0])
	last, err2 := time.Parse("2006-01-02", days[len(days)-1])
	if err1 != nil || err2 != nil {
		return ""
	}
	n := int(last.Sub(first).Hours()/24) + 1
	per := (n + maxSpark - 1) / maxSpark
	cells := make([]float64, (n+per-1)/per)
	peak, peakDay := decimal.Zero, ""
	for _, day := range days { // in order, so that sums are the same every run
		v := values[""][day]
		d, err := time.Parse("2006-01-02", day)
		if err != nil {
			continue
		}
		cells[int(d.Sub(first).Hours()/24)/per] += f64(v)
		if c := v.Cmp(peak); c > 0 || (c == 0 && day < peakDay) {
			peak, peakDay = v, day
		}
	}
	max := 0.0
	for _, c := range cells {
		max = math.Max(max, c)
	}
	ticks := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	for _, c := range cells {
		switch {
		case c <= 0:
			b.WriteRune(' ')
		default:
			b.WriteRune(ticks[min(len(ticks)-1, int(c/max*float64(len(ticks)-1)+0.5))])
		}
	}
	unit := "a day"
	if per > 1 {
		unit = fmt.Sprintf("%d days a cell", per)
	}
	return st.bar.Render(b.String()) + st.dim.Render(fmt.Sprintf("  %s to %s, %s; peak %s on %s", days[0], days[len(days)-1], unit, usd(Money{peak}), peakDay))
}
