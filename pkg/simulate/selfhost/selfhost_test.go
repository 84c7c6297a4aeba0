package selfhost_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/llmcost/llmcost/pkg/gpu"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/simulate"
	"github.com/llmcost/llmcost/pkg/simulate/batch"
	"github.com/llmcost/llmcost/pkg/simulate/selfhost"
)

const fixtures = "../../../testdata/simulate/selfhost/"

func catalog(t testing.TB) *pricing.Catalog {
	t.Helper()
	c, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func gpuData(t testing.TB) *gpu.Data {
	t.Helper()
	d, err := gpu.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func config(t testing.TB, src string) selfhost.Config {
	t.Helper()
	var c selfhost.Config
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

// run simulates selfhost (and extra scenarios, stacked) on files.
func run(t *testing.T, cfg string, workers int, extra []simulate.Scenario, files ...string) *simulate.Result {
	t.Helper()
	s, err := selfhost.New(config(t, cfg), catalog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := simulate.Run(context.Background(), files, simulate.Options{Catalog: catalog(t),
		Scenarios: append([]simulate.Scenario{s}, extra...), Stack: len(extra) > 0, Ingest: ingest.Options{Workers: workers}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func figure(t *testing.T, o *simulate.Outcome, key string) decimal.Decimal {
	t.Helper()
	for _, f := range o.Figures {
		if f.Key == key {
			return f.Value
		}
	}
	t.Fatalf("%s: no figure %s", o.Name, key)
	return decimal.Zero
}

func hasFigure(o *simulate.Outcome, key string) bool {
	for _, f := range o.Figures {
		if f.Key == key {
			return true
		}
	}
	return false
}

// The same 240M tokens of gpt-4o traffic in a day ($960), flat (10M tokens
// every hour, 2,778 tokens/s) or peaky (20M an hour from 09:00 to 17:00,
// 5M otherwise: a 5,556 tokens/s peak), moved to Llama 70B on a pinned
// instance: Lambda's GH200 serves 3,902 tokens/s of 2,000-in/500-out
// requests at FP8, 3,121 at 80% utilisation, so the flat day needs one
// instance and the peaky day two, for all 24 hours.
func TestFlatAndPeakyCurves(t *testing.T) {
	cfg := "{replace: [gpt-4o*], model: llama-70b, instance: gpu_1x_gh200}"
	hourly := gpuData(t).Instance("gpu_1x_gh200").HourlyUSD
	for _, tt := range []struct {
		file      string
		instances int64
		peak      string
	}{
		{"flat.jsonl", 1, "2777.8"},
		{"peaky.jsonl", 2, "5555.6"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			res := run(t, cfg, 2, nil, fixtures+tt.file)
			o := &res.Outcomes[0]
			if !res.Baseline.Total().Equal(decimal.NewFromInt(960)) {
				t.Fatalf("baseline %s, want 960", res.Baseline.Total())
			}
			gpuCost := hourly.Mul(decimal.NewFromInt(tt.instances * 24))
			checks := []struct {
				key  string
				want decimal.Decimal
			}{
				{"served_requests", decimal.NewFromInt(96000)},
				{"served_tokens", decimal.NewFromInt(240_000_000)},
				{"api_removed_usd", decimal.NewFromInt(960)},
				{"window_hours", decimal.NewFromInt(24)},
				{"instances", decimal.NewFromInt(tt.instances)},
				{"gpu_usd", gpuCost},
				{"ops_usd", decimal.Zero},
				{"net_saving_usd", decimal.NewFromInt(960).Sub(gpuCost)},
				{"peak_tokens_per_s", decimal.RequireFromString(tt.peak)},
				{"mean_tokens_per_s", decimal.RequireFromString("2777.8")},
			}
			for _, c := range checks {
				if got := figure(t, o, c.key); !got.Equal(c.want) {
					t.Errorf("%s = %s, want %s", c.key, got, c.want)
				}
			}
			if !o.Simulated.Total().Equal(gpuCost) || !o.Simulated.FixedTotal().Equal(gpuCost) {
				t.Errorf("simulated %s (fixed %s), want %s", o.Simulated.Total(), o.Simulated.FixedTotal(), gpuCost)
			}
			if o.Affected != 96000 || !o.AffectedAfter.Total().Equal(gpuCost) {
				t.Errorf("affected %d, after %s", o.Affected, o.AffectedAfter.Total())
			}
			if len(o.FixedCosts) != 1 || o.FixedCosts[0].Unit != "instance_hours" || !o.FixedCosts[0].Quantity.Equal(decimal.NewFromInt(tt.instances*24)) {
				t.Errorf("fixed costs %+v", o.FixedCosts)
			}
			if !strings.Contains(o.Caveat, "is not the model 96,000 requests were logged on") {
				t.Errorf("caveat %q", o.Caveat)
			}
			if len(o.Warnings) != 0 {
				t.Errorf("warnings %q", o.Warnings)
			}
		})
	}
}

// Six Llama 3.1 70B calls on Bedrock ($0.01485) over three hours cannot pay
// for a GPU: the default scenario (open models, each on its own weights)
// picks the cheapest fleet that serves them and reports what it costs more,
// as a negative saving. The gpt-4o call stays on the API.
func TestSmallLogCostsMore(t *testing.T) {
	res := run(t, "{}", 1, nil, fixtures+"small.jsonl")
	o := &res.Outcomes[0]
	if got := figure(t, o, "api_removed_usd"); !got.Equal(decimal.RequireFromString("0.01485")) {
		t.Errorf("API cost removed %s, want 0.01485", got)
	}
	if o.Affected != 6 || figure(t, o, "window_hours").IntPart() != 3 || figure(t, o, "instances").IntPart() != 1 {
		t.Errorf("affected %d, window %s h, instances %s", o.Affected, figure(t, o, "window_hours"), figure(t, o, "instances"))
	}
	// The cheapest instance that holds Llama 3.1 70B at bf16 or fp8 for
	// these requests, found by brute force.
	data := gpuData(t)
	spec := data.Model("Llama-3.1-70B")
	var cheapest decimal.Decimal
	found := false
	for _, in := range data.Instances {
		for _, p := range []gpu.Precision{gpu.BF16, gpu.FP8} {
			pl := data.Evaluate(spec, in, p, gpu.Workload{InputTokens: 2000, OutputTokens: 500, TPOTTarget: 50e6}, gpu.DefaultParams())
			if pl.Fits && (!found || in.HourlyUSD.LessThan(cheapest)) {
				cheapest, found = in.HourlyUSD, true
			}
		}
	}
	want := cheapest.Mul(decimal.NewFromInt(3))
	if got := figure(t, o, "gpu_usd"); !got.Equal(want) {
		t.Errorf("GPU cost %s, want 3 h × %s", got, cheapest)
	}
	saving := o.Saving(&res.Baseline)
	if !saving.IsNegative() || !saving.Equal(decimal.RequireFromString("0.01485").Sub(want)) {
		t.Errorf("saving %s, want 0.01485 − %s (negative)", saving, want)
	}
	if got := figure(t, o, "net_saving_usd"); !got.Equal(saving) {
		t.Errorf("net saving figure %s, outcome saving %s", got, saving)
	}
	if !strings.Contains(o.Caveat, "runs the open weights the requests were logged on") {
		t.Errorf("caveat %q", o.Caveat)
	}
	// It breaks even only at hundreds of times this traffic.
	if k := figure(t, o, "break_even_multiple"); k.LessThan(decimal.NewFromInt(100)) {
		t.Errorf("break-even multiple %s", k)
	}
}

// The fleet is sized once, from the first pass: stacked behind nothing and
// before batch, its fixed cost is the same as alone, the requests it serves
// pay no API call, so batch leaves them alone.
func TestStackedSameSizing(t *testing.T) {
	b, err := batch.New(batch.Config{Interactive: "none"})
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, "{}", 2, []simulate.Scenario{b}, fixtures+"small.jsonl")
	alone, st := &res.Outcomes[0], res.Stack
	if !st.Simulated.FixedTotal().Equal(alone.Simulated.FixedTotal()) || st.Simulated.FixedTotal().IsZero() {
		t.Errorf("stacked fixed %s, alone %s", st.Simulated.FixedTotal(), alone.Simulated.FixedTotal())
	}
	if st.Stages[0].Name != "selfhost" || st.Stages[1].Affected != 1 {
		t.Errorf("stages %+v", st.Stages)
	}
	// Stacked: the GPUs plus the gpt-4o call at half price.
	want := alone.Simulated.FixedTotal().Add(decimal.RequireFromString("0.005"))
	if !st.Simulated.Total().Equal(want) {
		t.Errorf("stacked %s, want %s", st.Simulated.Total(), want)
	}
}

// Sizing does not depend on how records are spread over goroutines.
func TestWorkersAgree(t *testing.T) {
	cfg := "{replace: [gpt-4o*], model: llama-70b}"
	a := run(t, cfg, 1, nil, fixtures+"peaky.jsonl", fixtures+"small.jsonl")
	b := run(t, cfg, 4, nil, fixtures+"peaky.jsonl", fixtures+"small.jsonl")
	if !a.Outcomes[0].Simulated.Total().Equal(b.Outcomes[0].Simulated.Total()) || a.Outcomes[0].Affected != b.Outcomes[0].Affected {
		t.Errorf("1 worker %s (%d), 4 workers %s (%d)", a.Outcomes[0].Simulated.Total(), a.Outcomes[0].Affected,
			b.Outcomes[0].Simulated.Total(), b.Outcomes[0].Affected)
	}
}

// Replacing a closed model needs the open model that serves it: without
// model: its requests stay on the API, with a warning; the open-model
// requests are served on their own weights.
func TestClosedModelWarns(t *testing.T) {
	res := run(t, "{replace: [gpt-4o, meta.*]}", 1, nil, fixtures+"small.jsonl")
	o := &res.Outcomes[0]
	if o.Affected != 6 {
		t.Errorf("affected %d, want 6", o.Affected)
	}
	if len(o.Warnings) != 1 || !strings.Contains(o.Warnings[0], "1 request on closed models (gpt-4o) match but have no open model") {
		t.Errorf("warnings %q", o.Warnings)
	}
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A log without times cannot be sized; a log of daily usage rows is spread
// over each day, and says so.
func TestCurveWarnings(t *testing.T) {
	untimed := write(t, "untimed.jsonl", `{"request":{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]},"response":{"id":"a","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5}}}`+"\n")
	res := run(t, "{replace: [gpt-4o], model: llama-8b}", 1, nil, untimed)
	o := &res.Outcomes[0]
	if o.Affected != 0 || !o.Simulated.Total().Equal(res.Baseline.Total()) || len(o.FixedCosts) != 0 {
		t.Errorf("untimed: affected %d, simulated %s, fixed %+v", o.Affected, o.Simulated.Total(), o.FixedCosts)
	}
	if len(o.Warnings) == 0 || !strings.Contains(o.Warnings[0], "no call times") {
		t.Errorf("untimed warnings %q", o.Warnings)
	}

	var lines []string
	for d := range 2 {
		lines = append(lines, `{"object":"page","data":[{"object":"bucket","start_time":`+decimal.NewFromInt(1772409600+86400*int64(d)).String()+
			`,"end_time":0,"results":[{"object":"organization.usage.completions.result","input_tokens":2400000,"output_tokens":240000,"num_model_requests":2400,"model":"gpt-4o-mini","batch":false}]}]}`)
	}
	daily := write(t, "daily.jsonl", strings.Join(lines, "\n")+"\n")
	res = run(t, "{replace: [gpt-4o-mini], model: llama-8b}", 1, nil, daily)
	o = &res.Outcomes[0]
	if got := figure(t, o, "window_hours"); got.IntPart() != 48 {
		t.Errorf("daily: window %s h, want 48", got)
	}
	// 2.64M tokens a day spread over 24 hours: 110,000 an hour.
	if got := figure(t, o, "peak_tokens_per_s"); !got.Equal(decimal.RequireFromString("30.6")) {
		t.Errorf("daily: peak %s tokens/s, want 30.6", got)
	}
	if len(o.Warnings) != 1 || !strings.Contains(o.Warnings[0], "usage rows of 24h buckets") {
		t.Errorf("daily warnings %q", o.Warnings)
	}
}

// Sizing for the peak minute instead of the peak hour: 60 requests of
// 12,000 tokens in one minute (12,000 tokens/s) need more instances than
// the hour they fall in (200 tokens/s).
func TestMinuteBuckets(t *testing.T) {
	var lines []string
	for i := range 60 {
		lines = append(lines, `{"timestamp":"2026-03-02T10:00:`+string(rune('0'+i/10))+string(rune('0'+i%10))+`Z","request":{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]},"response":{"id":"r`+
			decimal.NewFromInt(int64(i)).String()+`","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":10000,"completion_tokens":2000}}}`)
	}
	burst := write(t, "burst.jsonl", strings.Join(lines, "\n")+"\n")
	cfg := "{replace: [gpt-4o], model: llama-8b, instance: g6e.xlarge, precision: fp8}"
	hour := run(t, cfg, 1, nil, burst)
	minute := run(t, strings.Replace(cfg, "}", ", bucket: minute}", 1), 1, nil, burst)
	h, m := figure(t, &hour.Outcomes[0], "instances"), figure(t, &minute.Outcomes[0], "instances")
	if h.IntPart() != 1 || m.IntPart() <= 1 {
		t.Errorf("instances: %s by the hour, %s by the minute; want 1 and more", h, m)
	}
	if got := figure(t, &minute.Outcomes[0], "peak_tokens_per_s"); !got.Equal(decimal.NewFromInt(12000)) {
		t.Errorf("peak minute %s tokens/s, want 720,000 / 60 = 12,000", got)
	}
	if got := figure(t, &hour.Outcomes[0], "peak_tokens_per_s"); !got.Equal(decimal.NewFromInt(200)) {
		t.Errorf("peak hour %s tokens/s, want 720,000 / 3,600 = 200", got)
	}
}

// Configuration mistakes are errors that say what is wrong.
func TestConfigErrors(t *testing.T) {
	cat := catalog(t)
	for _, tt := range []struct{ yaml, want string }{
		{"{model: llama-9000}", `selfhost: model "llama-9000": unknown open model (known: deepseek-r1,`},
		{"{instance: p9.mega}", `selfhost: instance "p9.mega": unknown instance (see llmcost gpu instances)`},
		{"{model: llama-70b, instance: g5.xlarge}", "selfhost: instance g5.xlarge cannot serve llama-70b: g5.xlarge bf16: weights take"},
		{"{model: llama-405b, instance: g6e.xlarge, precision: [int4]}", "selfhost: instance g6e.xlarge cannot serve llama-405b: g6e.xlarge int4: weights take"},
		{"{clouds: [ibm]}", `selfhost: clouds: unknown GPU cloud "ibm" (known: aws,`},
		{"{instance: g6e.xlarge, clouds: [gcp]}", "instance g6e.xlarge is on aws, which clouds leaves out"},
		{"{precision: [fp4]}", `selfhost: precision: unknown precision "fp4"`},
		{"{utilization: 1.5}", "selfhost: utilization 1.5: want more than 0 and at most 1"},
		{"{latency_target: soon}", `selfhost: latency_target: invalid duration "soon"`},
		{"{discount: 120%}", "selfhost: discount 120%: want at least 0% and below 100%"},
		{"{discount: lots}", "selfhost: discount: invalid share"},
		{"{price_per_hour: 2}", "selfhost: price_per_hour needs an instance"},
		{"{instance: g6e.xlarge, price_per_hour: free}", `selfhost: price_per_hour: invalid amount "free"`},
		{"{ops_cost: -5}", `selfhost: ops_cost: invalid monthly amount "-5"`},
		{"{bucket: second}", `selfhost: bucket "second": want hour or minute`},
		{"{kv_cache: fp4}", `selfhost: kv_cache "fp4": want auto, bf16 or fp8`},
		{"{match: {hours: [25-3]}}", "selfhost: match: hours"},
	} {
		_, err := selfhost.New(config(t, tt.yaml), cat, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}

// A pinned instance that holds the model for short requests but not for
// the logged ones fails the run with the reason.
func TestLoggedRequestsDoNotFit(t *testing.T) {
	long := write(t, "long.jsonl", `{"timestamp":"2026-03-02T10:00:00Z","request":{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]},"response":{"id":"a","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":120000,"completion_tokens":500}}}`+"\n")
	s, err := selfhost.New(config(t, "{replace: [gpt-4o], model: llama-70b, instance: gpu_1x_gh200}"), catalog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = simulate.Run(context.Background(), []string{long}, simulate.Options{Catalog: catalog(t), Scenarios: []simulate.Scenario{s}})
	if err == nil || !strings.Contains(err.Error(), "selfhost: gpu_1x_gh200 cannot serve llama-70b for the logged requests (120,000 input + 500 output tokens on average") {
		t.Errorf("err = %v", err)
	}
}

// Self-hosting cannot be simulated in shards, whatever the key.
func TestNotInShards(t *testing.T) {
	s, err := selfhost.New(selfhost.Config{}, catalog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range append([]string{""}, simulate.ShardKeys...) {
		if _, err := simulate.ShardNotes([]simulate.Scenario{s}, key); err == nil || !strings.Contains(err.Error(), "scenario selfhost cannot be simulated in shards") {
			t.Errorf("key %q: %v", key, err)
		}
	}
}
