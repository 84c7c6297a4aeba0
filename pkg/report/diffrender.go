package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DiffFormats lists the output formats of diff and check.
var DiffFormats = []string{"table", "json", "markdown", "diff", HTMLFormat}

// CommentMarker is the hidden first line of the Markdown output, so a CI
// step can find and update its own pull-request comment.
const CommentMarker = "<!-- llmcost-diff -->"

// DefaultMaxBytes is GitHub's limit on the size of a comment body.
const DefaultMaxBytes = 65536

// DiffOptions tune diff rendering.
type DiffOptions struct {
	Color bool
	// MaxRows caps rows per breakdown in table and markdown (0 = 20).
	MaxRows int
	// MaxBytes caps the Markdown output; details are dropped first (0 =
	// DefaultMaxBytes).
	MaxBytes int
	// OnlyChanges leaves unchanged rows out.
	OnlyChanges bool
	// Reproduce is the command line that reproduces the diff locally.
	Reproduce string
}

// RenderDiff writes d in the named format.
func RenderDiff(w io.Writer, d *Diff, format string, o DiffOptions) error {
	switch format {
	case "json":
		return encodeJSON(w, d)
	case "markdown", "md":
		_, err := io.WriteString(w, DiffMarkdown(d, o))
		return err
	case "diff":
		return diffText(w, d, o)
	case "table", "":
		return diffTable(w, d, o)
	case HTMLFormat:
		return DiffHTML(w, d, o)
	}
	return fmt.Errorf("unknown format %q (use %s)", format, strings.Join(DiffFormats, ", "))
}

func signedUSD(m Money) string {
	if m.IsNegative() {
		return "-" + usd(Money{m.Neg()})
	}
	return "+" + usd(m)
}

func signedPct(p *float64) string {
	if p == nil {
		return "n/a"
	}
	s := strconv.FormatFloat(*p, 'f', 1, 64) + "%"
	if *p >= 0 {
		s = "+" + s
	}
	return s
}

func periodText(p Period) string {
	if p.From == "" {
		return "no dated calls"
	}
	return p.From + " to " + p.To
}

func diffRows(b DiffBreakdown, o DiffOptions) (rows []DiffRow, more int) {
	max := o.MaxRows
	if max <= 0 {
		max = 20
	}
	for _, r := range b.Rows {
		if o.OnlyChanges && r.Change == Unchanged {
			continue
		}
		if len(rows) == max {
			more++
			continue
		}
		rows = append(rows, r)
	}
	return rows, more
}

func diffSections(d *Diff) []struct {
	title string
	b     DiffBreakdown
} {
	out := []struct {
		title string
		b     DiffBreakdown
	}{{"By model", d.ByModel}, {"By provider", d.ByProvider}}
	for _, t := range d.ByTag {
		out = append(out, struct {
			title string
			b     DiffBreakdown
		}{"By " + strings.Join(t.Dims, ", "), t})
	}
	return out
}

func diffCells(b DiffBreakdown, r DiffRow) []string {
	cells := []string{r.Change.Symbol()}
	for _, k := range keyValues(b.Dims, Row{Key: r.Key}) {
		if k == "" {
			k = "(none)"
		}
		cells = append(cells, k)
	}
	return append(cells, usd(r.Baseline.CostUSD), usd(r.Current.CostUSD), signedUSD(r.DeltaUSD), signedPct(r.DeltaPct),
		formatInt(r.Baseline.Requests)+" → "+formatInt(r.Current.Requests), signedPct(r.CostPerRequestDeltaPct),
		signedPct(r.InputTokensPerRequestDeltaPct), signedPct(r.OutputTokensPerRequestDeltaPct))
}

func diffHeader(b DiffBreakdown) []string {
	h := append([]string{" "}, b.Dims...)
	return append(h, "baseline", "current", "change", "%", "requests", "cost/req", "input/req", "output/req")
}

func summaryLines(d *Diff) [][]string {
	t := d.Total
	return [][]string{
		{"Total cost", usd(t.Baseline.CostUSD), usd(t.Current.CostUSD), signedUSD(t.DeltaUSD) + " (" + signedPct(t.DeltaPct) + ")"},
		{"Requests", formatInt(t.Baseline.Requests), formatInt(t.Current.Requests), signedInt(t.Current.Requests - t.Baseline.Requests)},
		{"Cost per request", usd(t.Baseline.CostPerRequestUSD), usd(t.Current.CostPerRequestUSD), signedPct(t.CostPerRequestDeltaPct)},
		{"Input tokens per request", num(t.Baseline.InputTokensPerRequest), num(t.Current.InputTokensPerRequest), signedPct(t.InputTokensPerRequestDeltaPct)},
		{"Output tokens per request", num(t.Baseline.OutputTokensPerRequest), num(t.Current.OutputTokensPerRequest), signedPct(t.OutputTokensPerRequestDeltaPct)},
		{"Unpriced requests", formatInt(t.Baseline.UnpricedRequests), formatInt(t.Current.UnpricedRequests), signedInt(t.Current.UnpricedRequests - t.Baseline.UnpricedRequests)},
	}
}

func signedInt(n int64) string {
	if n >= 0 {
		return "+" + formatInt(n)
	}
	return "-" + formatInt(-n)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

func statusLine(d *Diff) string {
	if d.Status == "" {
		return ""
	}
	var fails, warns int
	for _, f := range d.Findings {
		if f.Level == "fail" {
			fails++
		} else {
			warns++
		}
	}
	switch d.Status {
	case "fail":
		return fmt.Sprintf("Gate failed: %d rule(s) failed, %d warning(s)", fails, warns)
	case "warn":
		return fmt.Sprintf("Gate passed with %d warning(s)", warns)
	}
	return "Gate passed"
}

func diffTable(w io.Writer, d *Diff, o DiffOptions) error {
	st := newStyles(o.Color)
	fmt.Fprintln(w, st.title.Render("LLM cost diff · baseline "+periodText(d.Baseline)+" · current "+periodText(d.Current)))
	fmt.Fprintln(w)
	if err := WriteTable(w, []string{"", "baseline", "current", "change"}, summaryLines(d), 1); err != nil {
		return err
	}
	for _, s := range diffSections(d) {
		rows, more := diffRows(s.b, o)
		if len(rows) == 0 {
			continue
		}
		var cells [][]string
		for _, r := range rows {
			cells = append(cells, diffCells(s.b, r))
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.head.Render(s.title))
		if err := WriteTable(w, diffHeader(s.b), cells, 1+len(s.b.Dims)); err != nil {
			return err
		}
		if more > 0 {
			fmt.Fprintln(w, st.dim.Render(fmt.Sprintf("  … %d more rows (--format json lists all)", more)))
		}
	}
	if len(d.UnknownModels) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.warn.Render("Unknown models in the current report (not priced): "+strings.Join(d.UnknownModels, ", ")))
	}
	if s := statusLine(d); s != "" {
		fmt.Fprintln(w)
		style := st.head
		if d.Status != "pass" {
			style = st.warn
		}
		fmt.Fprintln(w, style.Render(s))
		for _, f := range d.Findings {
			fmt.Fprintf(w, "  %s %s: %s\n", f.Level, f.Rule, f.Message)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.dim.Render("Key: + added, - removed, ~ changed; percentages are n/a where the baseline is 0."))
	return nil
}

func diffText(w io.Writer, d *Diff, o DiffOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "--- baseline %s\n+++ current %s\n", periodText(d.Baseline), periodText(d.Current))
	t := d.Total
	fmt.Fprintf(&b, "%s total %s -> %s %s (%s)\n", totalSymbol(t), usd(t.Baseline.CostUSD), usd(t.Current.CostUSD), signedUSD(t.DeltaUSD), signedPct(t.DeltaPct))
	for _, s := range diffSections(d) {
		for _, r := range s.b.Rows {
			if r.Change == Unchanged && o.OnlyChanges {
				continue
			}
			var kv []string
			for _, dim := range s.b.Dims {
				kv = append(kv, dim+"="+r.Key[dim])
			}
			fmt.Fprintf(&b, "%s %s %s -> %s %s (%s) requests %d -> %d\n", r.Change.Symbol(), strings.Join(kv, " "),
				usd(r.Baseline.CostUSD), usd(r.Current.CostUSD), signedUSD(r.DeltaUSD), signedPct(r.DeltaPct), r.Baseline.Requests, r.Current.Requests)
		}
	}
	for _, f := range d.Findings {
		fmt.Fprintf(&b, "! %s %s: %s\n", f.Level, f.Rule, f.Message)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func totalSymbol(r DiffRow) string {
	if r.Change == Unchanged {
		return " "
	}
	return "~"
}

// DiffMarkdown renders the diff as a pull-request comment: the hidden
// marker, the summary table and failed rules first, then each breakdown
// in a collapsed section. When the text exceeds MaxBytes, breakdowns are
// dropped from the end (the summary always stays), with a note saying so.
func DiffMarkdown(d *Diff, o DiffOptions) string {
	limit := o.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	var head strings.Builder
	head.WriteString(CommentMarker + "\n")
	t := d.Total
	fmt.Fprintf(&head, "## LLM cost: %s → %s (%s, %s)\n\n", usd(t.Baseline.CostUSD), usd(t.Current.CostUSD), signedUSD(t.DeltaUSD), signedPct(t.DeltaPct))
	if s := statusLine(d); s != "" {
		fmt.Fprintf(&head, "**%s**\n\n", s)
		for _, f := range d.Findings {
			fmt.Fprintf(&head, "- **%s** `%s`: %s\n", f.Level, f.Rule, MarkdownEscape(f.Message))
		}
		if len(d.Findings) > 0 {
			head.WriteString("\n")
		}
	}
	MarkdownTable(&head, []string{" ", "baseline", "current", "change"}, summaryLines(d), 1)
	if len(d.UnknownModels) > 0 {
		fmt.Fprintf(&head, "\nUnknown models in the current report (not priced): %s\n", MarkdownEscape(strings.Join(d.UnknownModels, ", ")))
	}
	var foot strings.Builder
	if o.Reproduce != "" {
		fmt.Fprintf(&foot, "\nReproduce locally: `%s`\n", o.Reproduce)
	}
	foot.WriteString("\n<sub>Key: + added, - removed, ~ changed. Generated by llmcost.</sub>\n")

	var sections []string
	for _, s := range diffSections(d) {
		rows, more := diffRows(s.b, o)
		if len(rows) == 0 {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "\n<details><summary>%s</summary>\n\n", s.title)
		var cells [][]string
		for _, r := range rows {
			cells = append(cells, diffCells(s.b, r))
		}
		MarkdownTable(&b, diffHeader(s.b), cells, 1+len(s.b.Dims))
		if more > 0 {
			fmt.Fprintf(&b, "\n_%d more rows; `--format json` lists all._\n", more)
		}
		b.WriteString("\n</details>\n")
		sections = append(sections, b.String())
	}
	out := head.String()
	size := len(out) + len(foot.String())
	all := size
	for _, s := range sections {
		all += len(s)
	}
	note := 0
	if all > limit {
		note = 200 // room for the note that says sections were left out
	}
	kept := 0
	for _, s := range sections {
		if size+len(s)+note > limit {
			break
		}
		out += s
		size += len(s)
		kept++
	}
	if kept < len(sections) {
		out += fmt.Sprintf("\n_%d of %d detail sections left out to fit the %d-byte comment limit._\n", len(sections)-kept, len(sections), limit)
	}
	out += foot.String()
	if len(out) > limit { // even the summary is too long: cut, on a line boundary
		out = out[:limit]
		if i := strings.LastIndexByte(out, '\n'); i > 0 {
			out = out[:i+1]
		}
	}
	return out
}

// NamedDiff is a diff with the name of what it is about (a project).
type NamedDiff struct {
	Name string
	Diff *Diff
}

// DiffsMarkdown renders several diffs (one per project) as one pull-request
// comment: the marker, a summary row per project, then each project's
// comment body in a collapsed section, dropped from the end to fit MaxBytes.
func DiffsMarkdown(ds []NamedDiff, o DiffOptions) string {
	limit := o.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	var head strings.Builder
	head.WriteString(CommentMarker + "\n")
	var rows [][]string
	var failed int
	for _, nd := range ds {
		t := nd.Diff.Total
		status := nd.Diff.Status
		if status == "" {
			status = "-"
		}
		if status == "fail" {
			failed++
		}
		rows = append(rows, []string{nd.Name, usd(t.Baseline.CostUSD), usd(t.Current.CostUSD), signedUSD(t.DeltaUSD), signedPct(t.DeltaPct), status})
	}
	fmt.Fprintf(&head, "## LLM cost: %d projects", len(ds))
	if failed > 0 {
		fmt.Fprintf(&head, ", %d failed the gate", failed)
	}
	head.WriteString("\n\n")
	MarkdownTable(&head, []string{"project", "baseline", "current", "change", "%", "gate"}, rows, 1)
	out := head.String()
	sub := o
	sub.Reproduce = ""
	kept := 0
	for _, nd := range ds {
		body := strings.TrimPrefix(DiffMarkdown(nd.Diff, sub), CommentMarker+"\n")
		body = strings.Replace(body, "## LLM cost:", "#### "+MarkdownEscape(nd.Name)+":", 1)
		s := "\n<details><summary>" + MarkdownEscape(nd.Name) + "</summary>\n\n" + body + "\n</details>\n"
		if len(out)+len(s)+200 > limit {
			break
		}
		out += s
		kept++
	}
	if kept < len(ds) {
		out += fmt.Sprintf("\n_%d of %d project sections left out to fit the %d-byte comment limit._\n", len(ds)-kept, len(ds), limit)
	}
	return out
}
