package report

import (
	"fmt"
	"html/template"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/chart"
)

// HTML writes the analyze report as a self-contained HTML page.
func HTML(w io.Writer, r *Report, o Options) error { return WritePage(w, AnalyzePage(r, o)) }

// Chart sizes: at most this many models are stacked by colour over time,
// and this many rows drawn as bars (the rest are summed as "other").
const (
	stackedModels = 8
	barRows       = 12
	// Spans longer than this many days are drawn by month.
	maxDailyColumns = 120
)

// AnalyzePage builds the page of an analyze report: headline figures, cost
// over time stacked by model, a bar chart per breakdown with its table,
// waste findings, unpriced models and coverage.
func AnalyzePage(r *Report, o Options) *Page {
	max := o.MaxRows
	if max <= 0 {
		max = 20
	}
	t := r.Totals
	p := &Page{Title: "LLM cost report", Subtitle: "No dated calls"}
	if r.Period.From != "" {
		p.Subtitle = r.Period.From + " to " + r.Period.To
	}
	perReq := "-"
	if priced := t.Requests - t.UnpricedRequests; priced > 0 {
		perReq = usd(Money{t.CostUSD.DivRound(decimal.NewFromInt(priced), 8)})
	}
	p.Facts = []Fact{
		{Label: "Total cost", Value: usd(t.CostUSD), Note: plural(t.Requests, "request")},
		{Label: "Cost per request", Value: perReq, Note: "priced requests"},
		{Label: "Input tokens", Value: tok(t.Tokens.TotalInput), Note: pct(t.CacheHitShare) + " served from cache"},
		{Label: "Output tokens", Value: tok(t.Tokens.Output), Note: "reasoning " + tok(t.Tokens.Reasoning)},
	}
	if t.ChargedUSD != nil {
		p.Facts = append(p.Facts, Fact{Label: "Charged (billed)", Value: usd(*t.ChargedUSD), Note: formatInt(r.Coverage.Charged) + " billing records"})
	}
	if len(r.Waste) > 0 {
		saving := decimal.Zero
		for _, x := range r.Waste {
			saving = saving.Add(x.SavingUSD.Decimal)
		}
		p.Facts = append(p.Facts, Fact{Label: "Avoidable (estimate)", Value: "~" + usd(Money{saving}), Note: plural(int64(len(r.Waste)), "waste finding")})
	}
	if t.UnpricedRequests > 0 {
		p.Facts = append(p.Facts, Fact{Label: "Unpriced requests", Value: formatInt(t.UnpricedRequests), Note: "not in the totals", Tone: "warn"})
	}
	if len(r.Unpriced) > 0 {
		a := Alert{Level: "warn", Text: plural(t.UnpricedRequests, "request") + " used models with no price; they are not in the totals (add them with --pricing-file)"}
		for _, u := range r.Unpriced {
			a.Items = append(a.Items, fmt.Sprintf("%s (%s): %s, %s", u.Model, u.Provider, u.Reason, plural(u.Requests, "request")))
		}
		p.Alerts = append(p.Alerts, a)
	}
	if len(r.Warnings) > 0 {
		p.Alerts = append(p.Alerts, Alert{Level: "warn", Text: "Warnings", Items: r.Warnings})
	}

	if s, ok := timeSection(r); ok {
		p.Sections = append(p.Sections, s)
	}
	p.Sections = append(p.Sections, kindSection(r))
	withCharged := t.ChargedUSD != nil
	for i, s := range sections(r) {
		header, rows, more := breakdownCells(s, max, withCharged)
		sec := PageSection{ID: sectionID(s, i), Title: s.title}
		if s.id == "by_day" {
			if len(p.Sections) > 0 && p.Sections[0].ID == "cost-over-time" {
				// The time chart's own section holds the by-day table.
				p.Sections[0].Tables = append(p.Sections[0].Tables, PageTable{Header: header, Rows: rows, TextCols: len(s.b.Dims), More: moreNote(more)})
				continue
			}
		}
		if barChart(s) {
			sec.Charts = append(sec.Charts, Chart(breakdownBars(sec.ID, s)))
		}
		sec.Tables = []PageTable{{Header: header, Rows: rows, TextCols: len(s.b.Dims), More: moreNote(more)}}
		p.Sections = append(p.Sections, sec)
	}
	if len(r.Waste) > 0 {
		sec := PageSection{ID: "waste", Title: "Waste finder (estimated savings)",
			Tables: []PageTable{{Header: []string{"finding", "requests", "spend", "saving"}, Rows: wasteRows(r), TextCols: 1}}}
		for _, x := range r.Waste {
			sec.Items = append(sec.Items, x.Kind+": "+x.Detail)
		}
		p.Sections = append(p.Sections, sec)
	}
	if len(r.Unpriced) > 0 {
		var rows [][]string
		for _, u := range r.Unpriced {
			rows = append(rows, []string{u.Model, u.Provider, u.Reason, formatInt(u.Requests), tok(u.Tokens.TotalInput), tok(u.Tokens.Output)})
		}
		p.Sections = append(p.Sections, PageSection{ID: "unpriced", Title: "Unpriced (not in the totals)",
			Tables: []PageTable{{Header: []string{"model", "provider", "reason", "requests", "input", "output"}, Rows: rows, TextCols: 3}}})
	}
	p.Footer = []string{CoverageLine(r)}
	if bl := BillCoverageLine(r); bl != "" {
		p.Footer = append(p.Footer, bl)
	}
	if r.ProblemsTotal > 0 {
		p.Footer = append(p.Footer, plural(r.ProblemsTotal, "problem")+" reading the input (malformed lines, unreadable files): --show-skipped lists them")
	}
	return p
}

func moreNote(more int) string {
	if more == 0 {
		return ""
	}
	return fmt.Sprintf("%d more rows; --format json or csv lists all.", more)
}

var nonID = regexp.MustCompile(`[^a-z0-9]+`)

// sectionID makes a unique element id from a section's id and dimensions.
func sectionID(s section, i int) string {
	id := s.id
	if s.id == "by_tag" || s.id == "groups" {
		id += "-" + strings.Join(s.b.Dims, "-")
	}
	id = strings.Trim(nonID.ReplaceAllString(strings.ToLower(id), "-"), "-")
	if id == "" {
		id = "section-" + strconv.Itoa(i)
	}
	return id
}

// barChart says which breakdowns get a bar chart: those where comparing
// rows helps (not the multi-dimension groups and drivers, which are
// tables), with at least two rows.
func barChart(s section) bool {
	switch s.id {
	case "by_model", "by_provider", "by_tier", "by_user", "by_project", "by_tag":
		return len(s.b.Rows) >= 2 || s.id == "by_model"
	}
	return false
}

func f64(d decimal.Decimal) float64 { f, _ := d.Float64(); return f }

// rowLabel joins a row's dimension values for a chart label.
func rowLabel(dims []string, r Row) string {
	vals := keyValues(dims, r)
	for i, v := range vals {
		if v == "" {
			vals[i] = "(none)"
		}
	}
	return strings.Join(vals, " · ")
}

// breakdownBars draws a breakdown's costliest rows as bars, the rest
// summed as one "other" bar.
func breakdownBars(id string, s section) string {
	c := chart.Bars{ID: id, Title: "Cost " + strings.ToLower(s.title[:1]) + s.title[1:], Format: chart.USD}
	var vals []float64
	other, n := decimal.Zero, 0
	for i, row := range s.b.Rows {
		if i < barRows {
			c.Labels = append(c.Labels, rowLabel(s.b.Dims, row))
			vals = append(vals, f64(row.CostUSD.Decimal))
			continue
		}
		other = other.Add(row.CostUSD.Decimal)
		n++
	}
	if n > 0 {
		c.Labels = append(c.Labels, fmt.Sprintf("other (%d rows)", n))
		vals = append(vals, f64(other))
		c.Note = fmt.Sprintf("the %d costliest of %d rows", barRows, len(s.b.Rows))
	}
	c.Series = []chart.Series{{Name: "cost", Values: vals}}
	return c.HTML()
}

// kindSection is the cost by token kind, as bars.
func kindSection(r *Report) PageSection {
	k := r.Totals.CostByKind
	t := r.Totals.Tokens
	labels := []string{"input (uncached)", "cache read", "cache write 5m", "cache write 1h", "output"}
	costs := []Money{k.Input, k.CacheRead, k.CacheWrite5m, k.CacheWrite1h, k.Output}
	counts := []int64{t.Input, t.CacheRead, t.CacheWrite5m, t.CacheWrite1h, t.Output}
	c := chart.Bars{ID: "cost-by-kind", Title: "Cost by token kind", Format: chart.USD}
	var vals []float64
	var rows [][]string
	for i, l := range labels {
		c.Labels = append(c.Labels, l)
		vals = append(vals, f64(costs[i].Decimal))
		rows = append(rows, []string{l, tok(counts[i]), usd(costs[i]), pct(share(costs[i].Decimal, r.Totals.CostUSD.Decimal))})
	}
	c.Series = []chart.Series{{Name: "cost", Values: vals}}
	return PageSection{ID: "cost-by-kind", Title: "Cost by token kind", Charts: []template.HTML{Chart(c.HTML())},
		Tables: []PageTable{{Header: []string{"kind", "tokens", "cost", "share"}, Rows: rows, TextCols: 1}}}
}

// timeSection is the cost over time, stacked by model: from the --group-by
// breakdown when it has day and model, else from the day × model figures
// of a report built in this process, else (a saved report) the daily
// totals alone.
func timeSection(r *Report) (PageSection, bool) {
	days, models, values, undated := dayModelCosts(r)
	if len(days) == 0 {
		return PageSection{}, false
	}
	first, err1 := time.Parse("2006-01-02", days[0])
	last, err2 := time.Parse("2006-01-02", days[len(days)-1])
	if err1 != nil || err2 != nil {
		return PageSection{}, false
	}
	// A continuous axis: every day (or month) of the period, zero or not.
	var cats []string
	idx := map[string]int{}
	byMonth := last.Sub(first).Hours()/24+1 > maxDailyColumns
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		key := d.Format("2006-01-02")
		if byMonth {
			key = d.Format("2006-01")
		}
		if _, ok := idx[key]; !ok {
			idx[key] = len(cats)
			cats = append(cats, key)
		}
	}
	// Models in order of total cost; the tail is summed as "other".
	totals := map[string]decimal.Decimal{}
	for _, m := range models {
		for _, v := range values[m] {
			totals[m] = totals[m].Add(v)
		}
	}
	order := append([]string(nil), models...)
	sortByTotal(order, totals)
	var series []chart.Series
	other := make([]float64, len(cats))
	hasOther := false
	for i, m := range order {
		vals := make([]float64, len(cats))
		for _, day := range days { // in order: float sums are then the same every run
			v, ok := values[m][day]
			if !ok {
				continue
			}
			key := day
			if byMonth {
				key = day[:7]
			}
			vals[idx[key]] += f64(v)
		}
		if i < stackedModels || len(order) == stackedModels+1 {
			series = append(series, chart.Series{Name: m, Values: vals})
			continue
		}
		hasOther = true
		for j, v := range vals {
			other[j] += v
		}
	}
	if hasOther {
		series = append(series, chart.Series{Name: fmt.Sprintf("other (%d models)", len(order)-stackedModels), Values: other, Class: "other"})
	}
	unit := "day"
	if byMonth {
		unit = "month"
	}
	c := chart.Stacked{ID: "cost-over-time", Title: "Cost by " + unit + ", stacked by model", Categories: cats, Series: series, Format: chart.USD}
	if !byMonth {
		c.Category = func(s string) string { return s[5:] }
	}
	if len(models) == 1 && models[0] == "" {
		c.Title = "Cost by " + unit
		c.Series[0].Name = "all models"
		c.Note = "re-run analyze with --format html (or --group-by day,model) to stack by model"
	}
	sec := PageSection{ID: "cost-over-time", Title: "Cost over time", Charts: []template.HTML{Chart(c.HTML())}}
	if undated > 0 {
		sec.Notes = append(sec.Notes, plural(undated, "request")+" without a timestamp are not in the chart (priced at the newest catalog price).")
	}
	return sec, true
}

// dayModelCosts returns the sorted dated days, the models, each model's
// cost by day, and the requests without a date. A model name of "" stands
// for every model (only daily totals are known).
func dayModelCosts(r *Report) (days, models []string, values map[string]map[string]decimal.Decimal, undated int64) {
	values = map[string]map[string]decimal.Decimal{}
	add := func(day, model string, c decimal.Decimal, requests int64) {
		if day == "" {
			undated += requests
			return
		}
		if values[model] == nil {
			values[model] = map[string]decimal.Decimal{}
			models = append(models, model)
		}
		values[model][day] = values[model][day].Add(c)
	}
	switch {
	case r.Groups != nil && hasDims(r.Groups.Dims, "day", "model"):
		for _, row := range r.Groups.Rows {
			add(row.Key["day"], row.Key["model"], row.CostUSD.Decimal, row.Requests)
		}
	case len(r.dayModel.Rows) > 0:
		for _, row := range r.dayModel.Rows {
			add(row.Key["day"], row.Key["model"], row.CostUSD.Decimal, row.Requests)
		}
	default:
		for _, row := range r.ByDay.Rows {
			add(row.Key["day"], "", row.CostUSD.Decimal, row.Requests)
		}
	}
	seen := map[string]bool{}
	for _, m := range values {
		for d := range m {
			if !seen[d] {
				seen[d] = true
				days = append(days, d)
			}
		}
	}
	sort.Strings(days)
	sort.Strings(models)
	return days, models, values, undated
}

func hasDims(dims []string, want ...string) bool {
	n := 0
	for _, w := range want {
		for _, d := range dims {
			if d == w {
				n++
				break
			}
		}
	}
	return n == len(want)
}

// sortByTotal orders names by descending total, then by name.
func sortByTotal(names []string, totals map[string]decimal.Decimal) {
	sort.SliceStable(names, func(i, j int) bool {
		if c := totals[names[i]].Cmp(totals[names[j]]); c != 0 {
			return c > 0
		}
		return names[i] < names[j]
	})
}
