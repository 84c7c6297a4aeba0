package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/net/html"

	"github.com/llmcost/llmcost/pkg/internal/htmltest"
)

func m(s string) Money { return Money{decimal.RequireFromString(s)} }

// simScenarioOf is a scenario saving baseline-simulated on a $10 log.
func simScenarioOf(name, title, simulated string) SimScenario {
	b := decimal.NewFromInt(10)
	sim := decimal.RequireFromString(simulated)
	sv := b.Sub(sim)
	return SimScenario{Name: name, Title: title, BaselineUSD: Money{b}, SimulatedUSD: Money{sim}, SavingsUSD: Money{sv},
		SavingsShare: share(sv, b), AffectedRequests: 3, AffectedBaselineUSD: m("4"), AffectedSimulatedUSD: Money{decimal.NewFromInt(4).Sub(sv)},
		Figures: []SimFigure{}, Tables: []SimTable{}, Assumptions: []string{}, Warnings: []string{},
		Bill: SimBill{Requests: 5, Calls: 5, CostUSD: Money{sim}, Lines: []SimLine{{Model: "gpt-4o", Provider: "openai", Tier: "standard", Calls: 5, CostUSD: Money{sim}}}}}
}

func simDoc() *SimulateReport {
	r := &SimulateReport{SchemaVersion: SchemaVersion, Kind: "simulate", Period: Period{From: "2026-03-01", To: "2026-03-02"},
		Baseline: SimBill{Requests: 5, Calls: 5, CostUSD: m("10"), Lines: []SimLine{{Model: "gpt-4o", Provider: "openai", Tier: "standard", Calls: 5, CostUSD: m("10")}}},
		Warnings: []string{}, Unpriced: []Unpriced{}}
	routing := simScenarioOf("routing", "Model routing", "7.5")
	routing.Estimated = true
	routing.Caveat = "no quality labels: a cost, not a measured result"
	routing.Figures = []SimFigure{{Key: "moved", Label: "Requests moved", Unit: "requests", Value: m("3")}, {Key: "tok", Label: "Tokens saved", Unit: "tokens", Value: m("1200"), Estimated: true}}
	routing.Tables = []SimTable{{Key: "tiers", Title: "By tier", Columns: []SimColumn{{Key: "tier", Label: "tier"}, {Key: "n", Label: "requests", Unit: "requests"}},
		Rows: []map[string]any{{"tier": "<simple>", "n": m("3")}}}, {Key: "empty", Title: "Nothing here", Columns: []SimColumn{{Key: "a", Label: "a"}}, Rows: []map[string]any{}}}
	routing.Assumptions = []string{"Cheaper models answer as well (unmeasured)."}
	history := simScenarioOf("history", "Context management", "10.25") // costs more
	history.Warnings = []string{"history: the cache is lost"}
	batch := simScenarioOf("batch", "Batch API", "5")
	fixed := m("1.5")
	batch.Bill.FixedUSD = &fixed
	batch.Bill.Fixed = []SimFixed{{Key: "gpu", Label: "GPU instances", Quantity: 3, Unit: "instance_hours", UnitUSD: m("0.5"), CostUSD: fixed}}
	r.Scenarios = []SimScenario{routing, history, batch}
	stacked := simScenarioOf("stacked", "All levers stacked", "3.9")
	stacked.Estimated = true
	stacked.Stages = []SimStage{{Name: "routing", Title: "Model routing", CostUSD: m("7.5"), SavingsUSD: m("2.5"), AffectedRequests: 3},
		{Name: "history", Title: "Context management", CostUSD: m("7.8"), SavingsUSD: m("-0.3"), AffectedRequests: 2},
		{Name: "batch", Title: "Batch API", CostUSD: m("3.9"), SavingsUSD: m("3.9"), AffectedRequests: 5}}
	r.Stacked = &stacked
	r.Warnings = []string{"history: the cache is lost"}
	return r
}

func renderSim(t *testing.T, r *SimulateReport) (string, *html.Node) {
	t.Helper()
	var b bytes.Buffer
	if err := RenderSimulate(&b, r, HTMLFormat, Options{}); err != nil {
		t.Fatal(err)
	}
	return b.String(), htmltest.SelfContained(t, b.String())
}

// The waterfall runs from the baseline through the stack's stages (a lever
// that costs more goes up) to the stacked cost; the levers-alone chart has
// the baseline and simulated cost of each; every scenario has its section.
func TestSimulateHTML(t *testing.T) {
	r := simDoc()
	page, doc := renderSim(t, r)
	wf := htmltest.One(t, doc, "figure", "data-chart=savings-waterfall")
	var got []string
	for _, c := range htmltest.All(wf, "rect", "data-kind=") {
		got = append(got, htmltest.Attr(c, "data-kind")+" "+htmltest.Attr(c, "data-label")+" "+htmltest.Attr(c, "class")+" "+
			htmltest.Attr(c, "data-value")+" "+htmltest.Attr(c, "data-to"))
	}
	want := []string{"start Baseline (as logged) base 10 10", "step Model routing down -2.5 7.5", "step Context management up 0.3 7.8",
		"step Batch API down -3.9 3.9", "end All levers stacked c0 3.9 3.9"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("waterfall\n got %q\nwant %q", got, want)
	}
	sec := htmltest.One(t, doc, "section", "id=waterfall")
	if txt := htmltest.Text(sec); !strings.Contains(txt, "saves ~$6.10 (61.0%)") || !strings.Contains(txt, "* Model routing: no quality labels") {
		t.Errorf("waterfall section lacks the stacked saving or the routing caveat: %q", txt)
	}

	bars := htmltest.One(t, doc, "figure", "data-chart=levers-alone")
	var alone []string
	for _, b := range htmltest.All(bars, "rect") {
		alone = append(alone, htmltest.Attr(b, "data-label")+"/"+htmltest.Attr(b, "data-series")+"/"+htmltest.Attr(b, "data-value"))
	}
	want = []string{"Model routing (-25.0%)/baseline/10", "Model routing (-25.0%)/simulated/7.5",
		"Context management (+2.5%)/baseline/10", "Context management (+2.5%)/simulated/10.25",
		"Batch API (-50.0%)/baseline/10", "Batch API (-50.0%)/simulated/5",
		"All levers stacked (-61.0%)/baseline/10", "All levers stacked (-61.0%)/simulated/3.9"}
	if strings.Join(alone, "|") != strings.Join(want, "|") {
		t.Errorf("levers alone\n got %q\nwant %q", alone, want)
	}

	// The routing section: its saving, with the caveat right under it, its
	// figures (estimated ones marked), its non-empty tables, its bill and
	// assumptions.
	rs := htmltest.One(t, doc, "section", "id=scenario-routing")
	intro := htmltest.One(t, rs, "p", "class=intro")
	if !strings.Contains(htmltest.Text(intro), "saves ~$2.50 (25.0%)") {
		t.Errorf("routing intro %q", htmltest.Text(intro))
	}
	next := intro.NextSibling
	for next != nil && next.Type != html.ElementNode {
		next = next.NextSibling
	}
	if next == nil || htmltest.Attr(next, "class") != "alert warn" || !strings.Contains(htmltest.Text(next), "no quality labels") {
		t.Error("the routing caveat does not follow its saving")
	}
	cells := strings.Join(htmltest.Texts(htmltest.All(rs, "td")), "|")
	for _, want := range []string{"Requests moved|3", "Tokens saved|~1,200", "<simple>|3", "gpt-4o|openai|standard|5"} {
		if !strings.Contains(cells, want) {
			t.Errorf("routing cells lack %q: %s", want, cells)
		}
	}
	if strings.Contains(page, "<simple>") {
		t.Error("a table cell is not escaped")
	}
	if n := len(htmltest.All(rs, "table")); n != 3 {
		t.Errorf("routing has %d tables, want figures, tiers and bill", n)
	}
	if strings.Contains(htmltest.Text(rs), "Nothing here") {
		t.Error("an empty table is shown")
	}
	if h := htmltest.One(t, rs, "h3"); htmltest.Text(h) != "Assumptions" {
		t.Errorf("h3 %q", htmltest.Text(h))
	}
	// A lever that costs more says so, with its warnings.
	hs := htmltest.One(t, doc, "section", "id=scenario-history")
	if txt := htmltest.Text(hs); !strings.Contains(txt, "costs $0.2500 more (2.5%)") || !strings.Contains(txt, "history: the cache is lost") {
		t.Errorf("history section %q", txt)
	}
	// Fixed costs (self-hosting) are listed, and are a line of the bill.
	bs := strings.Join(htmltest.Texts(htmltest.All(htmltest.One(t, doc, "section", "id=scenario-batch"), "td")), "|")
	for _, want := range []string{"GPU instances|instance hours|3|$0.5000|$1.50", "fixed costs||||||||$1.50"} {
		if !strings.Contains(bs, want) {
			t.Errorf("batch cells lack %q: %s", want, bs)
		}
	}
	for _, id := range []string{"levers", "scenario-batch", "scenario-stacked", "baseline"} {
		htmltest.One(t, doc, "section", "id="+id)
	}
	facts := strings.Join(htmltest.Texts(htmltest.All(doc, "dd")), "|")
	for _, want := range []string{"$10.00", "~$3.90", "Batch API: saves $5.00 (50.0%)"} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts %q lack %q", facts, want)
		}
	}
	if again, _ := renderSim(t, r); again != page {
		t.Error("two renders differ")
	}
}

// One scenario: the waterfall is its single step; several without a
// stack (--no-stack): no waterfall, since their savings do not add up.
func TestSimulateHTMLOneOrUnstacked(t *testing.T) {
	r := simDoc()
	r.Stacked = nil
	r.Scenarios = r.Scenarios[2:]
	_, doc := renderSim(t, r)
	wf := htmltest.One(t, doc, "figure", "data-chart=savings-waterfall")
	var vals []string
	for _, c := range htmltest.All(wf, "rect", "data-kind=") {
		vals = append(vals, htmltest.Attr(c, "data-value"))
	}
	if strings.Join(vals, " ") != "10 -5 5" {
		t.Errorf("one-step waterfall %v", vals)
	}
	if n := len(htmltest.All(doc, "rect", "data-series=simulated")); n != 1 {
		t.Errorf("%d levers alone", n)
	}

	r = simDoc()
	r.Stacked = nil
	_, doc = renderSim(t, r)
	if n := len(htmltest.All(doc, "figure", "data-chart=savings-waterfall")); n != 0 {
		t.Error("a waterfall of levers that were not stacked")
	}
	htmltest.One(t, doc, "figure", "data-chart=levers-alone")

	// No scenario at all still renders a page with the baseline.
	r.Scenarios = nil
	_, doc = renderSim(t, r)
	htmltest.One(t, doc, "section", "id=baseline")
}
