package report

import (
	"bytes"
	"context"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/net/html"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/internal/htmltest"
	"github.com/llmcost/llmcost/pkg/pricing"
)

// analyzeFixture analyzes log fixtures in-process, as llmcost analyze does.
func analyzeFixture(t *testing.T, groupBy string, paths ...string) *Report {
	t.Helper()
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	var dims []cost.Dim
	if groupBy != "" {
		for _, g := range strings.Split(groupBy, ",") {
			d, err := cost.ParseDim(g)
			if err != nil {
				t.Fatal(err)
			}
			dims = append(dims, d)
		}
	}
	files, err := ingest.Expand(paths)
	if err != nil {
		t.Fatal(err)
	}
	var aggs []*cost.Aggregator
	st, err := ingest.Run(context.Background(), files, ingest.Options{Workers: 2}, func() ingest.Sink {
		a := cost.New(cost.Options{Catalog: cat, GroupBy: dims})
		aggs = append(aggs, a)
		return a
	})
	if err != nil {
		t.Fatal(err)
	}
	return Build(cost.Summarize(cost.Merge(aggs...)), st)
}

func renderHTML(t *testing.T, r *Report) (string, *html.Node) {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, r, HTMLFormat, Options{}); err != nil {
		t.Fatal(err)
	}
	return b.String(), checkPage(t, b.String())
}

// checkPage parses a page and checks that it is a complete, self-contained
// document: no scripts, no external resources.
func checkPage(t *testing.T, page string) *html.Node {
	t.Helper()
	return htmltest.SelfContained(t, page)
}

func money(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// near compares a chart's float with an exact amount.
func near(a float64, b decimal.Decimal) bool {
	f, _ := b.Float64()
	return math.Abs(a-f) <= 1e-9*math.Max(1, math.Abs(f))
}

func chartOf(t *testing.T, doc *html.Node, id string) *html.Node {
	t.Helper()
	return htmltest.One(t, doc, "figure", "data-chart="+id)
}

func TestAnalyzeHTML(t *testing.T) {
	r := analyzeFixture(t, "", "../../testdata/samples/")
	page, doc := renderHTML(t, r)

	if got := htmltest.Text(htmltest.One(t, htmltest.One(t, doc, "head"), "title")); got != "LLM cost report" {
		t.Errorf("title %q", got)
	}
	facts := htmltest.Texts(htmltest.All(doc, "dd"))
	if len(facts) == 0 || !strings.HasPrefix(facts[0], usd(r.Totals.CostUSD)) {
		t.Errorf("first fact %q, want the total %s", facts, usd(r.Totals.CostUSD))
	}

	// Cost over time: one column per day of the period, whose total is the
	// day's cost, stacked from the day × model figures.
	c := chartOf(t, doc, "cost-over-time")
	cols := htmltest.All(c, "g", "class=col")
	byDay := map[string]decimal.Decimal{}
	for _, row := range r.ByDay.Rows {
		if d := row.Key["day"]; d != "" {
			byDay[d] = row.CostUSD.Decimal
		}
	}
	if len(cols) != len(byDay) || len(cols) < 2 {
		t.Fatalf("%d columns for %d days", len(cols), len(byDay))
	}
	for _, col := range cols {
		day := htmltest.Attr(col, "data-category")
		if !near(htmltest.Float(t, col, "data-total"), byDay[day]) {
			t.Errorf("day %s: total %s, want %s", day, htmltest.Attr(col, "data-total"), byDay[day])
		}
		sum := 0.0
		for _, seg := range htmltest.All(col, "rect") {
			sum += htmltest.Float(t, seg, "data-value")
		}
		if !near(sum, byDay[day]) {
			t.Errorf("day %s: segments add up to %v, want %s", day, sum, byDay[day])
		}
	}
	// Each model's segments equal its day × model cost.
	want := map[string]decimal.Decimal{}
	for _, row := range r.dayModel.Rows {
		if row.Key["day"] != "" {
			want[row.Key["day"]+"|"+row.Key["model"]] = row.CostUSD.Decimal
		}
	}
	named := 0
	for _, seg := range htmltest.All(c, "rect", "data-series=") {
		k := htmltest.Attr(seg, "data-category") + "|" + htmltest.Attr(seg, "data-series")
		if w, ok := want[k]; ok {
			named++
			if !near(htmltest.Float(t, seg, "data-value"), w) {
				t.Errorf("%s: %s, want %s", k, htmltest.Attr(seg, "data-value"), w)
			}
		} else if !strings.HasPrefix(htmltest.Attr(seg, "data-series"), "other (") {
			t.Errorf("segment %s is not a day × model figure", k)
		}
	}
	if named == 0 {
		t.Error("no model segments")
	}
	if len(htmltest.All(c, "li")) < 3 {
		t.Error("cost over time has no legend")
	}

	// Cost by model: the costliest rows, then the rest as "other".
	bars := htmltest.All(chartOf(t, doc, "by-model"), "rect")
	if len(bars) != barRows+1 {
		t.Fatalf("%d model bars, want %d", len(bars), barRows+1)
	}
	other := decimal.Zero
	for i, row := range r.ByModel.Rows {
		if i >= barRows {
			other = other.Add(row.CostUSD.Decimal)
			continue
		}
		if l := htmltest.Attr(bars[i], "data-label"); l != row.Key["model"]+" · "+row.Key["provider"] {
			t.Errorf("bar %d: %q", i, l)
		}
		if !near(htmltest.Float(t, bars[i], "data-value"), row.CostUSD.Decimal) {
			t.Errorf("bar %d: %s, want %s", i, htmltest.Attr(bars[i], "data-value"), row.CostUSD)
		}
	}
	if !near(htmltest.Float(t, bars[barRows], "data-value"), other) || !strings.HasPrefix(htmltest.Attr(bars[barRows], "data-label"), "other (") {
		t.Errorf("other bar %v", bars[barRows].Attr)
	}

	// Cost by token kind adds up to the total.
	sum := 0.0
	for _, b := range htmltest.All(chartOf(t, doc, "cost-by-kind"), "rect") {
		sum += htmltest.Float(t, b, "data-value")
	}
	if !near(sum, r.Totals.CostUSD.Decimal) {
		t.Errorf("cost by kind adds up to %v, want %s", sum, r.Totals.CostUSD)
	}

	// A bar chart for users, projects and each tag key, each above its table.
	for _, id := range []string{"by-user", "by-project", "by-tag-tag-team"} {
		sec := htmltest.One(t, doc, "section", "id="+id)
		if len(htmltest.All(sec, "figure")) != 1 || len(htmltest.All(sec, "table")) != 1 {
			t.Errorf("section %s: want one chart and one table", id)
		}
	}
	// Tables hold the same cells as the markdown report.
	sec := htmltest.One(t, doc, "section", "id=by-model")
	rows := htmltest.All(sec, "tr")
	if len(rows) != 21 { // header + 20
		t.Errorf("by model table: %d rows", len(rows))
	}
	if cells := htmltest.Texts(htmltest.All(rows[1], "td")); cells[0] != r.ByModel.Rows[0].Key["model"] || cells[7] != usd(r.ByModel.Rows[0].CostUSD) {
		t.Errorf("first model row %v", cells)
	}
	if !strings.Contains(htmltest.Text(htmltest.One(t, doc, "footer")), CoverageLine(r)) {
		t.Error("footer lacks the coverage line")
	}

	// Deterministic: the same report renders to the same bytes.
	again, _ := renderHTML(t, r)
	if again != page {
		t.Error("two renders differ")
	}
}

// A report loaded from JSON has no day × model figures: the chart shows
// daily totals; with --group-by day,model it stacks by model again.
func TestAnalyzeHTMLSavedAndGrouped(t *testing.T) {
	f, err := os.Open("../../testdata/gate/baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	_, doc := renderHTML(t, saved)
	c := chartOf(t, doc, "cost-over-time")
	for _, seg := range htmltest.All(c, "rect") {
		if htmltest.Attr(seg, "data-series") != "all models" {
			t.Errorf("saved report: series %q", htmltest.Attr(seg, "data-series"))
		}
	}
	if !strings.Contains(htmltest.Text(htmltest.One(t, c, "figcaption")), "--group-by day,model") {
		t.Error("no hint on how to stack by model")
	}

	g := analyzeFixture(t, "model,day", "../../testdata/gate/up.jsonl")
	g.dayModel = Breakdown{} // as if loaded from JSON
	_, doc = renderHTML(t, g)
	c = chartOf(t, doc, "cost-over-time")
	seen := map[string]bool{}
	for _, seg := range htmltest.All(c, "rect") {
		seen[htmltest.Attr(seg, "data-series")] = true
	}
	if len(seen) < 2 || seen["all models"] {
		t.Errorf("grouped report: series %v", seen)
	}
	// The groups table is there too.
	htmltest.One(t, doc, "section", "id=groups-model-day")
}

// Text from logs (tag values, model names) is escaped everywhere.
func TestAnalyzeHTMLEscapes(t *testing.T) {
	r := analyzeFixture(t, "", "../../testdata/gate/base.jsonl")
	evil := `<script>alert("x")</script>`
	r.ByTag = append(r.ByTag, Breakdown{Dims: []string{"tag:team"}, Rows: []Row{
		{Key: map[string]string{"tag:team": evil}, CostUSD: Money{decimal.NewFromInt(2)}},
		{Key: map[string]string{"tag:team": "b&b"}, CostUSD: Money{decimal.NewFromInt(1)}}}})
	r.Unpriced = append(r.Unpriced, Unpriced{Model: evil, Reason: "unknown model", Requests: 1})
	page, doc := renderHTML(t, r)
	if strings.Contains(page, evil) {
		t.Error("unescaped text in the page")
	}
	found := false
	for _, b := range htmltest.All(doc, "rect", "data-label=") {
		found = found || htmltest.Attr(b, "data-label") == evil
	}
	if !found {
		t.Error("the tag value is not a bar label")
	}
}

func TestDiffHTML(t *testing.T) {
	load := func(p string) *Report {
		r, err := LoadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	d := Compare(load("../../testdata/gate/baseline.json"), load("../../testdata/gate/current-up.json"))
	d.Status = "fail"
	d.Findings = []Finding{{Rule: "increase_pct", Level: "fail", Message: "LLM spend grew by more than 10%"}}
	var b bytes.Buffer
	if err := RenderDiff(&b, d, HTMLFormat, DiffOptions{Reproduce: "llmcost diff --baseline b.json x/"}); err != nil {
		t.Fatal(err)
	}
	doc := checkPage(t, b.String())
	alert := htmltest.One(t, doc, "div", "class=alert fail")
	if !strings.Contains(htmltest.Text(alert), "increase_pct: LLM spend grew") {
		t.Errorf("alert %q", htmltest.Text(alert))
	}
	if f := htmltest.One(t, doc, "div", "class=fact up"); !strings.Contains(htmltest.Text(f), signedUSD(d.Total.DeltaUSD)) {
		t.Errorf("change fact %q", htmltest.Text(f))
	}
	// Each breakdown's chart has a baseline and a current bar per row,
	// with the diff's figures.
	for i, s := range diffSections(d) {
		if len(s.b.Rows) == 0 {
			continue
		}
		figs := htmltest.All(doc, "figure", "data-chart=")
		if i >= len(figs) {
			t.Fatalf("%d charts for more sections", len(figs))
		}
		bars := htmltest.All(figs[i], "rect")
		if len(bars) != 2*len(s.b.Rows) {
			t.Fatalf("%s: %d bars for %d rows", s.title, len(bars), len(s.b.Rows))
		}
		for j, r := range s.b.Rows {
			b, c := bars[2*j], bars[2*j+1]
			if htmltest.Attr(b, "data-series") != "baseline" || !near(htmltest.Float(t, b, "data-value"), r.Baseline.CostUSD.Decimal) ||
				htmltest.Attr(c, "data-series") != "current" || !near(htmltest.Float(t, c, "data-value"), r.Current.CostUSD.Decimal) {
				t.Errorf("%s row %d: bars %v %v", s.title, j, b.Attr, c.Attr)
			}
		}
	}
	if !strings.Contains(htmltest.Text(htmltest.One(t, doc, "footer")), "Reproduce locally: llmcost diff") {
		t.Error("no reproduce line")
	}
}

// WritePage serves any document kind: a page of facts, alerts, charts and
// tables round-trips through the template.
func TestWritePage(t *testing.T) {
	p := &Page{Title: "T & t", Subtitle: "sub", Facts: []Fact{{Label: "a", Value: "1", Note: "n", Tone: "warn"}},
		Alerts:   []Alert{{Level: "pass", Text: "ok", Items: []string{"i"}}},
		Sections: []PageSection{{ID: "s", Title: "S", Intro: "in", Tables: []PageTable{{Caption: "cap", Header: []string{"k", "v"}, Rows: [][]string{{"x", "1"}}, TextCols: 1, More: "more"}}, Items: []string{"it"}, Notes: []string{"no"}}},
		Footer:   []string{"f"}}
	var b bytes.Buffer
	if err := WritePage(&b, p); err != nil {
		t.Fatal(err)
	}
	doc := checkPage(t, b.String())
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "T & t" {
		t.Errorf("h1 %q", got)
	}
	td := htmltest.All(doc, "td")
	if len(td) != 2 || htmltest.Attr(td[0], "class") != "" || htmltest.Attr(td[1], "class") != "num" {
		t.Errorf("cells %v", td)
	}
	for _, want := range []string{"cap", "more", "it", "no", "f", "ok", "in", "sub"} {
		if !strings.Contains(htmltest.Text(doc), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// Long periods are drawn by month, every month of the span, with the
// months' totals.
func TestAnalyzeHTMLByMonth(t *testing.T) {
	r := &Report{ByDay: Breakdown{Dims: []string{"day"}}}
	want := map[string]decimal.Decimal{}
	start := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 200; i += 3 {
		d := start.AddDate(0, 0, i).Format("2006-01-02")
		c := decimal.New(int64(100+i), -2)
		r.ByDay.Rows = append(r.ByDay.Rows, Row{Key: map[string]string{"day": d}, CostUSD: Money{c}, Requests: 1})
		want[d[:7]] = want[d[:7]].Add(c)
	}
	_, doc := renderHTML(t, r)
	cols := htmltest.All(chartOf(t, doc, "cost-over-time"), "g", "class=col")
	var months []string
	for _, c := range cols {
		m := htmltest.Attr(c, "data-category")
		months = append(months, m)
		if !near(htmltest.Float(t, c, "data-total"), want[m]) {
			t.Errorf("%s: %s, want %s", m, htmltest.Attr(c, "data-total"), want[m])
		}
	}
	if strings.Join(months, " ") != "2025-11 2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06" {
		t.Errorf("months %v", months)
	}
}

// The terminal's bar column: eighth blocks, always barWidth cells.
func TestBar(t *testing.T) {
	for _, c := range []struct {
		v, max float64
		want   string
	}{
		{10, 10, "████████████"},
		{5, 10, "██████      "},
		{1, 10, "█▎          "}, // 9.6 eighths
		{0.0001, 10, "▏           "},
		{0, 10, "            "},
		{3, 0, "            "},
	} {
		if got := bar(c.v, c.max); got != c.want {
			t.Errorf("bar(%v, %v) = %q, want %q", c.v, c.max, got, c.want)
		}
	}
}

// The sparkline has one cell a day, blank on days without calls.
func TestSparkline(t *testing.T) {
	r := &Report{ByDay: Breakdown{Dims: []string{"day"}, Rows: []Row{
		{Key: map[string]string{"day": "2026-03-01"}, CostUSD: Money{decimal.NewFromInt(1)}},
		{Key: map[string]string{"day": "2026-03-02"}, CostUSD: Money{decimal.NewFromInt(8)}},
		{Key: map[string]string{"day": "2026-03-04"}, CostUSD: Money{decimal.NewFromInt(4)}},
		{Key: map[string]string{"day": ""}, CostUSD: Money{decimal.NewFromInt(100)}},
	}}}
	got := sparkline(r, newStyles(false))
	if want := "▂█ ▅  2026-03-01 to 2026-03-04, a day; peak $8.00 on 2026-03-02"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	r.ByDay.Rows = r.ByDay.Rows[:1]
	if got := sparkline(r, newStyles(false)); got != "" {
		t.Errorf("one day: %q", got)
	}
}
