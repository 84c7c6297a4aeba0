package simulate_test

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// withFixed is a fake scenario whose summary carries fixed costs.
type withFixed struct {
	fake
	fixed []simulate.FixedCost
}

func (s *withFixed) Summarize([]simulate.Worker) simulate.Summary {
	return simulate.Summary{FixedCosts: s.fixed}
}

// A scenario's fixed costs are in its bill's total, alone and stacked, in
// the affected requests' cost after it, and in every stage from its own on.
func TestFixedCostsInBills(t *testing.T) {
	cat := catalog(t)
	gpu := &withFixed{
		fake: fake{name: "gpu", order: simulate.OrderSelfhost, f: func(r *simulate.Request) bool {
			if r.Rec.OutputTokens < 1000 { // 11 of the 20 requests have 1,000 or more
				return false
			}
			r.Calls = r.Calls[:0]
			return true
		}},
		fixed: []simulate.FixedCost{
			{Key: "gpu_instances", Label: "1 × test", Quantity: decimal.NewFromInt(10), Unit: "instance_hours", UnitUSD: decimal.RequireFromString("0.5"), CostUSD: decimal.NewFromInt(5)},
			{Key: "ops", Label: "ops", Quantity: decimal.NewFromInt(1), Unit: "months", UnitUSD: decimal.NewFromInt(1), CostUSD: decimal.NewFromInt(1)},
		},
	}
	halve := &fake{name: "output", order: simulate.OrderOutput, f: func(r *simulate.Request) bool {
		for i := range r.Calls {
			r.Calls[i].SetOutput(r.Calls[i].Output / 2)
		}
		return len(r.Calls) > 0
	}}
	res, _, err := simulate.Run(context.Background(), []string{"../../testdata/simulate/logs/output.jsonl"},
		simulate.Options{Catalog: cat, Scenarios: []simulate.Scenario{halve, gpu}, Stack: true, Ingest: ingest.Options{Workers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	six := decimal.NewFromInt(6)
	// gpt-4.1-mini, $0.40/$1.60 per 1M: 20 requests of 1,000 input tokens
	// and 100, 200, …, 2,000 output tokens. The 9 below 1,000 output tokens
	// stay on the API.
	var keptIn, keptOut int64
	for i := int64(1); i <= 20; i++ {
		if 100*i < 1000 {
			keptIn += 1000
			keptOut += 100 * i
		}
	}
	apiKept := decimal.NewFromInt(keptIn).Mul(decimal.RequireFromString("0.40")).Add(decimal.NewFromInt(keptOut).Mul(decimal.RequireFromString("1.60"))).Div(decimal.NewFromInt(1_000_000))
	g := res.Outcomes[0]
	if g.Name != "gpu" {
		t.Fatalf("order: %s first", g.Name)
	}
	if got, want := g.Simulated.Total(), apiKept.Add(six); !got.Equal(want) {
		t.Errorf("alone: %s, want %s (API) + 6 (fixed)", got, apiKept)
	}
	if !g.Simulated.FixedTotal().Equal(six) || !g.Simulated.Cost.Total().Equal(apiKept) {
		t.Errorf("alone: fixed %s, per token %s", g.Simulated.FixedTotal(), g.Simulated.Cost.Total())
	}
	if !g.AffectedAfter.Total().Equal(six) || g.Affected != 11 {
		t.Errorf("affected %d after %s, want 11 at 6", g.Affected, g.AffectedAfter.Total())
	}
	if o := res.Outcomes[1]; !o.Simulated.FixedTotal().IsZero() {
		t.Errorf("output alone has fixed costs %s", o.Simulated.FixedTotal())
	}
	st := res.Stack
	if len(st.Stages) != 2 || st.Stages[0].Name != "gpu" {
		t.Fatalf("stages %+v", st.Stages)
	}
	if !st.Stages[0].Cost.Equal(g.Simulated.Total()) {
		t.Errorf("stage gpu %s, want %s", st.Stages[0].Cost, g.Simulated.Total())
	}
	halfKept := decimal.NewFromInt(keptIn).Mul(decimal.RequireFromString("0.40")).Add(decimal.NewFromInt(keptOut / 2).Mul(decimal.RequireFromString("1.60"))).Div(decimal.NewFromInt(1_000_000))
	if want := halfKept.Add(six); !st.Stages[1].Cost.Equal(want) || !st.Simulated.Total().Equal(want) {
		t.Errorf("stacked %s (stage %s), want %s", st.Simulated.Total(), st.Stages[1].Cost, want)
	}
	if len(st.Simulated.Fixed) != 2 || !st.AffectedAfter.FixedTotal().Equal(six) {
		t.Errorf("stack fixed %+v", st.Simulated.Fixed)
	}
}
