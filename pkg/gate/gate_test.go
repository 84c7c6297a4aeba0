package gate

import (
	"strings"
	"testing"

	"github.com/llmcost/llmcost/pkg/report"
)

func load(t *testing.T, name string) *report.Report {
	t.Helper()
	r, err := report.LoadFile("../../testdata/gate/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The fixture change: total $0.047392 → $0.089618 (+89.1%), input tokens per
// request +30.4%, one unknown model, gpt-4.1 new at $0.032.
func TestEvaluate(t *testing.T) {
	base, cur := load(t, "baseline.json"), load(t, "current-up.json")
	tests := []struct {
		name     string
		rules    []Rule
		status   string
		findings []string // rule ids that fire, in order
	}{
		{"nothing fires under high limits", []Rule{{Metric: IncreasePct, Above: 100}, {Metric: TotalUSD, Above: 1}}, "pass", nil},
		{"increase pct fails", []Rule{{Metric: IncreasePct, Above: 50}}, "fail", []string{"increase_pct"}},
		{"equal to the limit does not fire", []Rule{{Metric: UnknownModels, Above: 1}}, "pass", nil},
		{"warn only", []Rule{{Metric: UnknownModels, Above: 0, Level: "warn"}}, "warn", []string{"unknown_models"}},
		{"fail sorts before warn", []Rule{{Metric: InputTokensPerRequestIncPct, Above: 20, Level: "warn"}, {Metric: IncreaseUSD, Above: 0.01}},
			"fail", []string{"increase_usd", "input_tokens_per_request_increase_pct"}},
		{"per model", []Rule{{Metric: ModelUSD, Model: "gpt-4.1", Above: 0.03}, {Metric: ModelUSD, Model: "gpt-4o-mini", Above: 0.03}},
			"fail", []string{"model_usd[gpt-4.1]"}},
		{"model increase pct over a zero baseline does not apply", []Rule{{Metric: ModelIncreasePct, Model: "gpt-4.1", Above: 0}}, "pass", nil},
		{"model increase pct", []Rule{{Metric: ModelIncreasePct, Model: "gpt-4o", Above: 20}}, "fail", []string{"model_increase_pct[gpt-4o]"}},
		{"per tag", []Rule{{Metric: TagUSD, Tag: "team=search", Above: 0.05, Level: "warn"}, {Metric: TagUSD, Tag: "team=support", Above: 0.05}},
			"warn", []string{"tag_usd[team=search]"}},
		{"cost per request", []Rule{{Metric: CostPerRequestIncreasePct, Above: 60}}, "fail", []string{"cost_per_request_increase_pct"}},
		{"output tokens per request", []Rule{{Metric: OutputTokensPerRequestIncPct, Above: 15}}, "pass", nil},
		{"unpriced share", []Rule{{Metric: UnpricedPct, Above: 2}}, "fail", []string{"unpriced_pct"}},
		{"malformed share", []Rule{{Metric: MalformedPct, Above: 0}}, "pass", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range tt.rules {
				if err := r.Validate(); err != nil {
					t.Fatal(err)
				}
			}
			d := report.Compare(base, cur)
			if got := Evaluate(d, tt.rules); got != tt.status {
				t.Errorf("status = %s, want %s (%+v)", got, tt.status, d.Findings)
			}
			var ids []string
			for _, f := range d.Findings {
				ids = append(ids, f.Rule)
				if f.Message == "" {
					t.Errorf("finding %s without a message", f.Rule)
				}
			}
			if strings.Join(ids, ",") != strings.Join(tt.findings, ",") {
				t.Errorf("findings = %v, want %v", ids, tt.findings)
			}
		})
	}
}

func TestSameReportPasses(t *testing.T) {
	base := load(t, "baseline.json")
	d := report.Compare(base, base)
	rules := []Rule{{Metric: IncreaseUSD, Above: 0}, {Metric: IncreasePct, Above: 0}, {Metric: CostPerRequestIncreasePct, Above: 0},
		{Metric: InputTokensPerRequestIncPct, Above: 0}, {Metric: OutputTokensPerRequestIncPct, Above: 0}}
	if s := Evaluate(d, rules); s != "pass" {
		t.Fatalf("a report against itself: %s %+v", s, d.Findings)
	}
	for _, r := range d.ByModel.Rows {
		if r.Change != report.Unchanged || !r.DeltaUSD.IsZero() {
			t.Errorf("row %v: %s %s", r.Key, r.Change, r.DeltaUSD)
		}
	}
}

func TestValidateAndMerge(t *testing.T) {
	for _, bad := range []Rule{{Metric: "colour"}, {Metric: ModelUSD}, {Metric: TagUSD, Tag: "team"}, {Metric: TotalUSD, Level: "panic"}, {Metric: TotalUSD, Above: -1}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v: want an error", bad)
		}
	}
	file := []Rule{{Metric: IncreasePct, Above: 10, Message: "file"}, {Metric: IncreasePct, Above: 5, Level: "warn"}}
	flags := []Rule{{Metric: IncreasePct, Above: 20, Level: "fail"}, {Metric: TotalUSD, Above: 100}}
	got := Merge(file, flags)
	if len(got) != 3 || got[0].Above != 20 || got[0].Message != "" || got[1].Level != "warn" || got[2].Metric != TotalUSD {
		t.Fatalf("merge = %+v", got)
	}
}
