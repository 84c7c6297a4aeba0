package simulate_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
)

func samples(t testing.TB) []string {
	t.Helper()
	paths, err := ingest.Expand([]string{"../../testdata/samples/"})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func catalog(t testing.TB) *pricing.Catalog {
	t.Helper()
	c, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The baseline is priced exactly as analyze prices the logs.
func TestBaselineEqualsAnalyze(t *testing.T) {
	cat := catalog(t)
	paths := samples(t)
	var aggs []*cost.Aggregator
	if _, err := ingest.Run(context.Background(), paths, ingest.Options{}, func() ingest.Sink {
		a := cost.New(cost.Options{Catalog: cat})
		aggs = append(aggs, a)
		return a
	}); err != nil {
		t.Fatal(err)
	}
	want := cost.Summarize(cost.Merge(aggs...))
	res, _, err := simulate.Run(context.Background(), paths, simulate.Options{Catalog: cat, Ingest: ingest.Options{Workers: 3}})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Baseline
	if !b.Total().Equal(want.Total.Total()) {
		t.Errorf("baseline %s, analyze %s", b.Total(), want.Total.Total())
	}
	for k := range b.Cost {
		if !b.Cost[k].Equal(want.Total.Cost[k]) {
			t.Errorf("%v: %s, analyze %s", cost.Kind(k), b.Cost[k], want.Total.Cost[k])
		}
	}
	if b.Usage != want.Total.Usage || b.Unpriced != want.Total.Unpriced || b.TierFallback != want.Total.TierFallback {
		t.Errorf("usage %+v / %+v, analyze %+v / %+v", b.Usage, b.Unpriced, want.Total.Usage, want.Total.Unpriced)
	}
	if len(b.Lines) == 0 {
		t.Error("no bill lines")
	}
	var n int64
	for _, u := range want.NoUsage {
		n += u
	}
	var m int64
	for _, u := range res.NoUsage {
		m += u
	}
	if n != m {
		t.Errorf("no usage %d, analyze %d", m, n)
	}
}

// fake is a scenario for tests: it applies f to every request.
type fake struct {
	name  string
	order int
	f     func(*simulate.Request) bool
	seen  *[]string
}

func (s *fake) Name() string                                 { return s.name }
func (s *fake) Title() string                                { return s.name }
func (s *fake) Order() int                                   { return s.order }
func (s *fake) NeedsText() bool                              { return false }
func (s *fake) Summarize([]simulate.Worker) simulate.Summary { return simulate.Summary{} }
func (s *fake) NewWorker(*simulate.Books) simulate.Worker    { return s }
func (s *fake) Apply(r *simulate.Request) bool {
	if s.seen != nil {
		*s.seen = append(*s.seen, s.name)
	}
	return s.f(r)
}

// Stacked scenarios run in stacking order whatever order they are given in;
// a scenario that changes nothing equals the baseline.
func TestStackOrderAndNoEffect(t *testing.T) {
	cat := catalog(t)
	var seen []string
	halveOutput := &fake{name: "output", order: simulate.OrderOutput, seen: &seen, f: func(r *simulate.Request) bool {
		for i := range r.Calls {
			r.Calls[i].SetOutput(r.Calls[i].Output / 2)
		}
		return true
	}}
	noop := &fake{name: "noop", order: simulate.OrderRouting, seen: &seen, f: func(*simulate.Request) bool { return false }}
	res, _, err := simulate.Run(context.Background(), []string{"../../testdata/simulate/logs/output.jsonl"},
		simulate.Options{Catalog: cat, Scenarios: []simulate.Scenario{halveOutput, noop}, Stack: true, Ingest: ingest.Options{Workers: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcomes[0].Name != "noop" || res.Outcomes[1].Name != "output" {
		t.Fatalf("order %s, %s", res.Outcomes[0].Name, res.Outcomes[1].Name)
	}
	if o := res.Outcomes[0]; !o.Simulated.Total().Equal(res.Baseline.Total()) || o.Affected != 0 {
		t.Errorf("noop: %s (%d affected), baseline %s", o.Simulated.Total(), o.Affected, res.Baseline.Total())
	}
	// 21,000 output tokens on gpt-4.1-mini ($1.60/M), half of them saved.
	if got := res.Outcomes[1].Saving(&res.Baseline); got.String() != "0.0168" {
		t.Errorf("halved output saves %s, want 0.0168", got)
	}
	if got := res.Stack.Simulated.Total(); !got.Equal(res.Outcomes[1].Simulated.Total()) {
		t.Errorf("stack %s, want %s", got, res.Outcomes[1].Simulated.Total())
	}
	// Per record: each alone (noop, output), then stacked (noop, output).
	for i := 0; i+4 <= len(seen); i += 4 {
		if seen[i] != "noop" || seen[i+1] != "output" || seen[i+2] != "noop" || seen[i+3] != "output" {
			t.Fatalf("calls %v", seen[i:i+4])
		}
	}
}

// Results do not depend on how records are spread over goroutines.
func TestWorkersDeterministic(t *testing.T) {
	cat := catalog(t)
	halve := &fake{name: "output", order: simulate.OrderOutput, f: func(r *simulate.Request) bool {
		r.Calls[0].SetOutput(r.Calls[0].Output / 2)
		return true
	}}
	var totals []string
	for _, w := range []int{1, 4} {
		res, _, err := simulate.Run(context.Background(), samples(t), simulate.Options{Catalog: cat, Scenarios: []simulate.Scenario{halve}, Ingest: ingest.Options{Workers: w}})
		if err != nil {
			t.Fatal(err)
		}
		totals = append(totals, res.Baseline.Total().String()+" "+res.Outcomes[0].Simulated.Total().String())
	}
	if totals[0] != totals[1] {
		t.Errorf("1 worker: %s; 4 workers: %s", totals[0], totals[1])
	}
}

func TestCallHelpers(t *testing.T) {
	c := simulate.Call{Input: 100, CacheRead: 1000, CacheWrite5m: 50, CacheWrite1h: 10, Output: 300, Reasoning: 200, Scale: 1}
	d := c
	d.SetTotalInput(1000) // 160 out: 100 uncached, 10 of the 1h write, 50 of the 5m write
	if d.Input != 0 || d.CacheWrite1h != 0 || d.CacheWrite5m != 0 || d.CacheRead != 1000 {
		t.Errorf("SetTotalInput: %+v", d)
	}
	d = c
	d.SetTotalInput(2000)
	if d.Input != 940 || d.TotalInput() != 2000 {
		t.Errorf("SetTotalInput up: %+v", d)
	}
	d = c
	d.Uncache(500)
	if d.CacheRead != 500 || d.CacheWrite5m != 0 || d.Input != 660 || d.TotalInput() != c.TotalInput() {
		t.Errorf("Uncache: %+v", d)
	}
	d = c
	d.SetOutput(150)
	if d.Output != 150 || d.Reasoning != 150 {
		t.Errorf("SetOutput: %+v", d)
	}
	d = c
	d.ScaleTokens(1.2)
	if d.Input != 120 || d.CacheRead != 1200 || d.Output != 360 || d.Reasoning != 240 || !d.Estimated || d.Scale != 1.2 {
		t.Errorf("ScaleTokens: %+v", d)
	}
}

func TestMatch(t *testing.T) {
	yes, no := true, false
	at := func(h int) time.Time { return time.Date(2026, 3, 2, h, 30, 0, 0, time.UTC) }
	rec := record.Record{Model: "gpt-4o-2024-08-06", Provider: "openai", Project: "search", User: "u_1", Time: at(23),
		Tags: []record.Tag{{Key: "team", Value: "growth"}, {Key: "route", Value: "/v1/summarize/doc"}}, InputTokens: 5000, Messages: 4}
	req := simulate.NewRequest(&rec)
	for _, tt := range []struct {
		name string
		m    simulate.Match
		want bool
	}{
		{"zero matches all", simulate.Match{}, true},
		{"model glob", simulate.Match{Model: simulate.List{"gpt-4o*"}}, true},
		{"model glob miss", simulate.Match{Model: simulate.List{"claude*"}}, false},
		{"tag key=value", simulate.Match{Tag: simulate.List{"team=growth"}}, true},
		{"tag key only", simulate.Match{Tag: simulate.List{"team"}}, true},
		{"tag value glob miss", simulate.Match{Tag: simulate.List{"team=ops*"}}, false},
		{"endpoint", simulate.Match{Endpoint: simulate.List{"/v1/summarize*"}}, true},
		{"hours wrap midnight", simulate.Match{Hours: simulate.List{"22-6"}}, true},
		{"hours miss", simulate.Match{Hours: simulate.List{"9-17"}}, false},
		{"has user", simulate.Match{HasUser: &yes}, true},
		{"no session", simulate.Match{HasSession: &no}, true},
		{"input tokens", simulate.Match{InputTokens: simulate.Range{Min: 1000, Max: 6000}}, true},
		{"input tokens miss", simulate.Match{InputTokens: simulate.Range{Min: 6000}}, false},
		{"messages", simulate.Match{Messages: simulate.Range{Max: 4}}, false},
		{"all must hold", simulate.Match{Model: simulate.List{"gpt-4o*"}, Project: simulate.List{"ads"}}, false},
		{"keyword without text", simulate.Match{Keyword: simulate.List{"summarize"}}, false},
		{"tier", simulate.Match{Tier: simulate.List{"standard"}}, true},
	} {
		if err := tt.m.Compile(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := tt.m.Matches(req); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Bedrock calls are priced in the AWS Region they were made from, as
// analyze prices them: Llama 3 70B is dearer in eu-west-1 ($6.64 for 1M
// input and 1M output tokens) than in us-east-1 ($6.15, the default, also
// for a call whose Region is unknown, which the bill counts).
func TestBaselineRegions(t *testing.T) {
	line := func(region, model string) string {
		reg := ""
		if region != "" {
			reg = `"region":"` + region + `",`
		}
		return `{"timestamp":"2026-03-02T10:00:00Z",` + reg + `"requestId":"r-` + region + model + `","operation":"InvokeModel","modelId":"` + model +
			`","input":{"inputTokenCount":1000000},"output":{"outputTokenCount":1000000},"schemaType":"ModelInvocationLog","schemaVersion":"1.0"}` + "\n"
	}
	llama := "meta.llama3-70b-instruct-v1:0"
	p := filepath.Join(t.TempDir(), "bedrock.jsonl")
	if err := os.WriteFile(p, []byte(line("eu-west-1", llama)+line("us-east-1", llama)+line("", llama)+
		line("", "arn:aws:bedrock:ap-south-1::foundation-model/"+llama)), 0o644); err != nil {
		t.Fatal(err)
	}
	cat := catalog(t)
	res, _, err := simulate.Run(context.Background(), []string{p}, simulate.Options{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	// 6.64 + 6.15 + 6.15 (no Region: the default) + 7.38 (the ARN's Region)
	if got := res.Baseline.Total(); !got.Equal(decimal.RequireFromString("26.32")) {
		t.Errorf("baseline %s, want 26.32", got)
	}
	if res.Baseline.RegionDefault != 1 || len(res.Baseline.RegionDefaultModels) != 1 {
		t.Errorf("priced at the default for want of a Region: %d (%v), want 1", res.Baseline.RegionDefault, res.Baseline.RegionDefaultModels)
	}
	a := cost.New(cost.Options{Catalog: cat})
	if _, err := ingest.Run(context.Background(), []string{p}, ingest.Options{Workers: 1}, func() ingest.Sink { return a }); err != nil {
		t.Fatal(err)
	}
	if want := cost.Summarize(cost.Merge(a)).Total.Total(); !res.Baseline.Total().Equal(want) {
		t.Errorf("baseline %s, analyze %s", res.Baseline.Total(), want)
	}
}
