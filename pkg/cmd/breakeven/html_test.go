package breakeven

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/llmcost/llmcost/pkg/internal/htmltest"
)

func TestHTML(t *testing.T) {
	args := []string{"--model", "llama-3.1-70b", "--provider", "aws,bedrock"}
	doc := runJSON(t, args...)
	page, _, err := run(t, append(args, "--format", "html")...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || strings.Contains(page, "<script") {
		t.Fatalf("not a self-contained page: %.60q", page)
	}
	h := htmltest.Parse(t, page)
	fig := htmltest.One(t, h, "figure", "data-chart=breakeven")

	// One line per API offer (dashed) and self-hosted option, through the
	// table's monthly costs.
	paths := htmltest.All(fig, "path", "data-series=")
	if len(paths) != len(doc.API)+len(doc.SelfHost) {
		t.Fatalf("%d lines for %d options", len(paths), len(doc.API)+len(doc.SelfHost))
	}
	if !strings.Contains(htmltest.Attr(paths[0], "class"), "dash") || strings.Contains(htmltest.Attr(paths[1], "class"), "dash") {
		t.Error("API lines are dashed, self-hosted ones solid")
	}
	points := map[string]float64{}
	for _, c := range htmltest.All(fig, "circle", "data-series=") {
		points[htmltest.Attr(c, "data-series")+"@"+htmltest.Attr(c, "data-x")] = htmltest.Float(t, c, "data-y")
	}
	check := func(name string, tokens int64, cost float64) {
		got, ok := points[name+"@"+strconv.FormatInt(tokens, 10)]
		if !ok || math.Abs(got-cost) > 1e-6 {
			t.Errorf("%s at %d: %v (%v), want %v", name, tokens, got, ok, cost)
		}
	}
	for _, a := range doc.API {
		for _, m := range a.Monthly {
			check("api "+apiName(a), m.Tokens, f64(m.CostUSD))
		}
	}
	for _, s := range doc.SelfHost {
		for _, m := range s.Monthly {
			check("self "+s.Label, m.Tokens, f64(m.CostUSD))
		}
	}

	// A ring where each self-hosted option first costs no more than
	// Bedrock: p5.48xlarge at 40.6B tokens a month (the README's answer).
	markers := htmltest.All(fig, "g", "class=marker")
	want := 0
	for _, s := range doc.SelfHost {
		if b := s.BreakEven[0]; !b.Never {
			want++
			m := htmltest.All(fig, "g", "class=marker", "data-x="+strconv.FormatInt(b.FirstTokens, 10))
			if len(m) != 1 || !strings.HasPrefix(htmltest.Attr(m[0], "data-label"), s.Instance) {
				t.Errorf("%s: no marker at %d", s.Label, b.FirstTokens)
			}
		}
	}
	if len(markers) != want || want == 0 {
		t.Errorf("%d markers, want %d", len(markers), want)
	}
	if len(htmltest.All(fig, "g", "class=marker", "data-label=p5.48xlarge fp8: 40.6B")) != 1 {
		t.Error("no marker for p5.48xlarge at 40.6B")
	}
	facts := htmltest.Texts(htmltest.All(h, "dd"))
	if !strings.Contains(strings.Join(facts, "|"), "40.6B tokens / month") {
		t.Errorf("facts %q lack the break-even volume", facts)
	}
	// The tables beneath: monthly cost and break-even.
	if n := len(htmltest.All(htmltest.One(t, h, "section", "id=monthly-cost"), "table")); n != 2 {
		t.Errorf("%d tables under the chart, want 2", n)
	}
}

// With many options the chart draws a few (each volume's cheapest among
// them); every one is still in the tables.
func TestHTMLManyOptions(t *testing.T) {
	doc := runJSON(t, "--model", "llama-70b")
	if len(doc.SelfHost) <= maxChartOptions {
		t.Skipf("only %d options", len(doc.SelfHost))
	}
	shown := chartOptions(doc)
	if len(shown) != maxChartOptions {
		t.Fatalf("%d options drawn", len(shown))
	}
	drawn := map[string]bool{}
	for _, i := range shown {
		drawn[doc.SelfHost[i].Label] = true
	}
	for _, c := range doc.Cheapest {
		if c.Kind == "self_host" && !drawn[c.Option] {
			t.Errorf("volume winner %s not drawn", c.Option)
		}
	}
	page, _, err := run(t, "--model", "llama-70b", "--format", "html")
	if err != nil {
		t.Fatal(err)
	}
	h := htmltest.Parse(t, page)
	if n := len(htmltest.All(h, "path", "data-series=")); n != len(doc.API)+maxChartOptions {
		t.Errorf("%d lines", n)
	}
	rows := htmltest.All(htmltest.All(h, "table")[0], "tr")
	if len(rows) != 1+len(doc.API)+len(doc.SelfHost)+1 {
		t.Errorf("monthly table has %d rows", len(rows))
	}
}

// The chart recomputes each self-hosted bill from the document's figures;
// it must agree with the table at every volume.
func TestSelfCostMatchesTable(t *testing.T) {
	for _, args := range [][]string{{"--model", "llama-70b"}, {"--model", "llama-8b", "--ops-cost", "500", "--hours", "12"}} {
		doc := runJSON(t, args...)
		ops := f64(doc.Sizing.OpsMonthlyUSD)
		for _, s := range doc.SelfHost {
			for _, m := range s.Monthly {
				if got, want := selfCost(s, ops, float64(m.Tokens)), f64(m.CostUSD); math.Abs(got-want) > 0.01 {
					t.Errorf("%v %s at %d: %v, want %v", args, s.Label, m.Tokens, got, want)
				}
			}
		}
	}
}
