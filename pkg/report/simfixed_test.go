package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/simulate"
)

// fixedResult is a simulation whose one scenario replaced every call by a
// fixed cost of $12.50: 10 instance-hours at $1.15 and $1.00 of ops time.
func fixedResult() *simulate.Result {
	fixed := []simulate.FixedCost{
		{Key: "gpu_instances", Label: "1 × g6e.xlarge (aws)", Quantity: decimal.NewFromInt(10), Unit: "instance_hours", UnitUSD: decimal.RequireFromString("1.15"), CostUSD: decimal.RequireFromString("11.5")},
		{Key: "ops", Label: "Ops time, prorated", Quantity: decimal.RequireFromString("0.1"), Unit: "months", UnitUSD: decimal.NewFromInt(10), CostUSD: decimal.NewFromInt(1)},
	}
	base := simulate.Bill{Requests: 3}
	base.Cost[0] = decimal.NewFromInt(20)
	sim := simulate.Bill{Requests: 3, Fixed: fixed}
	o := simulate.Outcome{Name: "selfhost", Title: "Self-hosting", Simulated: sim, Affected: 3, AffectedBefore: base, AffectedAfter: sim,
		Summary: simulate.Summary{FixedCosts: fixed}}
	return &simulate.Result{Baseline: base, Outcomes: []simulate.Outcome{o}}
}

// Fixed costs are in the scenario's simulated cost and listed by every
// renderer; a bill without them keeps its JSON shape.
func TestSimulateFixedCosts(t *testing.T) {
	res := fixedResult()
	r := BuildSimulate(res, nil)
	s := r.Scenarios[0]
	if s.SimulatedUSD.String() != "12.5" || s.SavingsUSD.String() != "7.5" || s.AffectedSimulatedUSD.String() != "12.5" {
		t.Errorf("simulated %s, savings %s, affected after %s; want 12.5, 7.5, 12.5", s.SimulatedUSD, s.SavingsUSD, s.AffectedSimulatedUSD)
	}
	if s.Bill.FixedUSD == nil || s.Bill.FixedUSD.String() != "12.5" || len(s.Bill.Fixed) != 2 {
		t.Fatalf("bill fixed %v %+v", s.Bill.FixedUSD, s.Bill.Fixed)
	}
	var js bytes.Buffer
	if err := RenderSimulate(&js, r, "json", Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Baseline  map[string]any `json:"baseline"`
		Scenarios []struct {
			Bill struct {
				FixedUSD float64 `json:"fixed_usd"`
				Fixed    []struct {
					Key      string  `json:"key"`
					Quantity float64 `json:"quantity"`
					Unit     string  `json:"unit"`
					UnitUSD  float64 `json:"unit_usd"`
					CostUSD  float64 `json:"cost_usd"`
				} `json:"fixed"`
			} `json:"bill"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if f := doc.Scenarios[0].Bill; f.FixedUSD != 12.5 || f.Fixed[0].Key != "gpu_instances" || f.Fixed[0].Quantity != 10 || f.Fixed[0].UnitUSD != 1.15 || f.Fixed[1].CostUSD != 1 {
		t.Errorf("json fixed: %+v", f)
	}
	if _, ok := doc.Baseline["fixed_usd"]; ok {
		t.Error("a bill without fixed costs has a fixed_usd field")
	}
	if _, ok := doc.Baseline["fixed"]; ok {
		t.Error("a bill without fixed costs has a fixed field")
	}
	for _, format := range []string{"table", "markdown", "csv"} {
		var b bytes.Buffer
		if err := RenderSimulate(&b, r, format, Options{}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		want := []string{"1 × g6e.xlarge (aws)", "$11.50", "Ops time, prorated"}
		if format == "csv" {
			want = []string{"fixed,selfhost,gpu_instances,1 × g6e.xlarge (aws),usd,11.5,", "fixed,selfhost,ops,\"Ops time, prorated\",usd,1,"}
		} else {
			want = append(want, "instance hours", "$1.15", "Fixed costs (in the simulated cost)")
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q:\n%s", format, w, out)
			}
		}
	}
}

// The simulate schema lists the fixed-cost fields.
func TestSimulateSchemaFixed(t *testing.T) {
	lines := strings.Join(SimulateSchemaLines(), "\n") + "\n"
	for _, f := range []string{"baseline.fixed_usd number (USD)", "baseline.fixed array of objects", "baseline.fixed[].key string",
		"baseline.fixed[].quantity number", "baseline.fixed[].unit string", "baseline.fixed[].unit_usd number (USD)", "baseline.fixed[].cost_usd number (USD)"} {
		if !strings.Contains(lines, f+"\n") {
			t.Errorf("simulate schema lacks %q", f)
		}
	}
}
