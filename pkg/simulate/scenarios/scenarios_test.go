package scenarios

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/simulate"
)

const logs = "../../../testdata/simulate/logs/"

func catalog(t testing.TB) *pricing.Catalog {
	t.Helper()
	c, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// run simulates the named scenarios of the YAML configuration on files.
func run(t *testing.T, yaml string, stack bool, files ...string) *simulate.Result {
	t.Helper()
	cfg, err := Decode(strings.NewReader(yaml))
	if err != nil {
		t.Fatal(err)
	}
	names, err := cfg.Names(nil)
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog(t)
	scs, err := cfg.Build(names, cat)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, logs+f)
	}
	paths, err = ingest.Expand(paths)
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := simulate.Run(context.Background(), paths, simulate.Options{Catalog: cat, Scenarios: scs, Stack: stack, Ingest: ingest.Options{Workers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func usd(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func eq(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(usd(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func figure(t *testing.T, o *simulate.Outcome, key string) decimal.Decimal {
	t.Helper()
	for _, f := range o.Figures {
		if f.Key == key {
			return f.Value
		}
	}
	t.Fatalf("%s: no figure %q", o.Name, key)
	return decimal.Zero
}

func outcome(t *testing.T, res *simulate.Result, name string) *simulate.Outcome {
	t.Helper()
	for i := range res.Outcomes {
		if res.Outcomes[i].Name == name {
			return &res.Outcomes[i]
		}
	}
	t.Fatalf("no outcome %q", name)
	return nil
}

// batch.jsonl: 10 calls of 1,000 input and 500 output tokens to gpt-4o:
// $0.0075 each at standard rates (flex is not offered for gpt-4o: standard
// too), $0.01275 at priority, $0.08025 in all. 3 can wait (no user, no
// session, no rule against them) and save half.
func TestBatchKnownAnswer(t *testing.T) {
	res := run(t, `
scenarios: [batch]
batch:
  rules:
    - match: {tag: [priority=interactive]}
      batch: false
`, false, "batch.jsonl")
	eq(t, "baseline", res.Baseline.Total(), "0.08025")
	o := outcome(t, res, "batch")
	eq(t, "simulated", o.Simulated.Total(), "0.069")
	eq(t, "saving", o.Saving(&res.Baseline), "0.01125")
	if o.Affected != 3 {
		t.Errorf("affected = %d, want 3", o.Affected)
	}
	eq(t, "affected before", o.AffectedBefore.Total(), "0.0225")
	eq(t, "affected after", o.AffectedAfter.Total(), "0.01125")
	want := map[string]string{"eligible": "3", "interactive (user or session)": "4", "kept synchronous by a rule": "1",
		"priority tier (latency-sensitive)": "1", "already batch or flex": "1"}
	rows := o.Tables[0].Rows
	if len(rows) != len(want) {
		t.Errorf("reasons = %v", rows)
	}
	for _, r := range rows {
		if w, ok := want[r[0].(string)]; !ok || !r[1].(decimal.Decimal).Equal(usd(w)) {
			t.Errorf("reason %v: want %s", r, w)
		}
	}
	// Every request may wait: the interactive ones are batched too.
	res = run(t, "scenarios: [batch]\nbatch: {interactive: none}\n", false, "batch.jsonl")
	if o := outcome(t, res, "batch"); o.Affected != 8 {
		t.Errorf("interactive none: affected = %d, want 8", o.Affected)
	}
}

// batch-half.jsonl: a Bedrock model without a batch price is batched at 50%
// of standard, or left alone with without_batch_price: skip.
func TestBatchWithoutBatchPrice(t *testing.T) {
	res := run(t, "scenarios: [batch]\n", false, "batch-half.jsonl")
	eq(t, "baseline", res.Baseline.Total(), "1.3")
	o := outcome(t, res, "batch")
	eq(t, "saving", o.Saving(&res.Baseline), "0.65")
	eq(t, "half-price requests", figure(t, o, "half_price_requests"), "2")
	if len(o.Simulated.Lines) != 1 || !o.Simulated.Lines[0].HalfPrice {
		t.Errorf("bill lines = %+v", o.Simulated.Lines)
	}
	res = run(t, "scenarios: [batch]\nbatch: {without_batch_price: skip}\n", false, "batch-half.jsonl")
	o = outcome(t, res, "batch")
	eq(t, "skip: saving", o.Saving(&res.Baseline), "0")
}

// output.jsonl: outputs of 100, 200, …, 2,000 tokens on gpt-4.1-mini.
func TestOutputKnownAnswer(t *testing.T) {
	res := run(t, "scenarios: [output]\n", false, "output.jsonl")
	o := outcome(t, res, "output")
	if o.Affected != 1 {
		t.Errorf("p95: affected = %d, want 1", o.Affected)
	}
	eq(t, "p95: tokens saved", figure(t, o, "output_tokens_saved"), "100")
	eq(t, "p95: saving", o.Saving(&res.Baseline), "0.00016")
	cap := o.Tables[0].Rows[0]
	if cap[0] != "gpt-4.1-mini" || !cap[4].(decimal.Decimal).Equal(usd("1900")) || !cap[3].(decimal.Decimal).Equal(usd("1000")) {
		t.Errorf("cap row = %v, want gpt-4.1-mini with median 1000 and cap 1900", cap)
	}

	res = run(t, "scenarios: [output]\noutput: {cap: 1000}\n", false, "output.jsonl")
	o = outcome(t, res, "output")
	if o.Affected != 10 {
		t.Errorf("cap 1000: affected = %d, want 10", o.Affected)
	}
	eq(t, "cap 1000: tokens saved", figure(t, o, "output_tokens_saved"), "5500")
	eq(t, "cap 1000: saving", o.Saving(&res.Baseline), "0.0088")

	// Below min_requests no percentile cap is set.
	res = run(t, "scenarios: [output]\noutput: {min_requests: 21}\n", false, "output.jsonl")
	if o := outcome(t, res, "output"); o.Affected != 0 || len(o.Warnings) != 1 {
		t.Errorf("min_requests 21: affected %d, warnings %v", o.Affected, o.Warnings)
	}

	// Concise: 20% shorter answers, 25 more input tokens each.
	res = run(t, "scenarios: [output]\noutput: {cap: none, concise: {reduction: 0.2}}\n", false, "output.jsonl")
	o = outcome(t, res, "output")
	// 21,000 output tokens → 16,800 ($0.00672 saved); 500 input tokens added ($0.0002).
	eq(t, "concise: saving", o.Saving(&res.Baseline), "0.00652")
}

// history.jsonl: every block is 100 tokens (see gen.py).
func TestHistoryWindowKnownAnswer(t *testing.T) {
	res := run(t, "scenarios: [history]\n", false, "history.jsonl")
	o := outcome(t, res, "history")
	if o.Affected != 2 {
		t.Errorf("affected = %d, want 2", o.Affected)
	}
	eq(t, "tokens removed", figure(t, o, "input_tokens_removed"), "800")
	eq(t, "text-sized", figure(t, o, "sized_from_text"), "2")
	// Request 1 saves 400 uncached tokens ($0.001). Request 2 loses its
	// cached history: 500 uncached + 1,000 read becomes 1,000 uncached +
	// 100 read, $0.000125 more.
	eq(t, "saving", o.Saving(&res.Baseline), "0.000875")
	in := o.Simulated.Usage
	if in.Input != 1100+1000+700 || in.CacheRead != 100 {
		t.Errorf("input %d, cache read %d; want 2800 and 100", in.Input, in.CacheRead)
	}
}

func TestHistorySummarizeKnownAnswer(t *testing.T) {
	res := run(t, "scenarios: [history]\nhistory: {strategy: summarize, every: 2, summary_tokens: 50}\n", false, "history.jsonl")
	o := outcome(t, res, "history")
	if o.Affected != 3 {
		t.Errorf("affected = %d, want 3", o.Affected)
	}
	eq(t, "summary calls", figure(t, o, "summary_calls"), "3")
	// 14 messages: 6 turns done, 3 summaries so far; the first 12 messages
	// (1,200 tokens) give way to 50, and this request pays for the third
	// summary (450 in, 50 out). 6 messages: 2 turns, 1 summary of 4
	// messages (400 in, 50 out). Per request: $0.00125, $0.0000625 and
	// -$0.000625 (a summary every 2 turns costs more than it saves).
	eq(t, "saving", o.Saving(&res.Baseline), "0.0006875")
	if o.Simulated.Usage.Requests != 6 {
		t.Errorf("calls = %d, want 6 (3 requests + 3 summaries)", o.Simulated.Usage.Requests)
	}
}

// routing.jsonl: 10 calls to gpt-4.1 at $0.0036; 5 simple, 3 standard, 2
// expert (o3 is no cheaper: they stay).
func TestRoutingKnownAnswer(t *testing.T) {
	res := run(t, "scenarios: [routing]\n", false, "routing.jsonl")
	eq(t, "baseline", res.Baseline.Total(), "0.036")
	o := outcome(t, res, "routing")
	eq(t, "simulated", o.Simulated.Total(), "0.01026")
	if o.Affected != 8 {
		t.Errorf("affected = %d, want 8", o.Affected)
	}
	tiers := o.Tables[0].Rows
	for i, want := range []string{"5", "3", "0", "2"} {
		if !tiers[i][2].(decimal.Decimal).Equal(usd(want)) {
			t.Errorf("tier %v: want %s requests", tiers[i], want)
		}
	}
	eq(t, "addressable", figure(t, o, "addressable_usd"), "0.036")
	eq(t, "router", figure(t, o, "router_usd"), "0.01026")
	eq(t, "all cheap", figure(t, o, "all_cheap_usd"), "0.0018")
	// Identical requests: a random router with the same shares costs what
	// the router costs.
	eq(t, "random router", figure(t, o, "random_router_usd"), "0.01026")
	eq(t, "with text", figure(t, o, "classified_with_text"), "10")
	if o.Caveat == "" {
		t.Error("routing without labels must qualify its saving")
	}
	if !o.Estimated {
		t.Error("routing must be marked estimated")
	}
}

// A cascade where exactly 20% escalate: the 2 expert requests pay for the
// cheap attempt and the logged model.
func TestCascadeKnownAnswer(t *testing.T) {
	res := run(t, "scenarios: [routing]\nrouting: {cascade: {escalate_at: complex}}\n", false, "routing.jsonl")
	o := outcome(t, res, "routing")
	eq(t, "simulated", o.Simulated.Total(), "0.009")
	eq(t, "escalated", figure(t, o, "escalated_requests"), "2")
	eq(t, "router", figure(t, o, "router_usd"), "0.009")
	eq(t, "escalation share", figure(t, o, "escalation_share"), "0.2")
	if o.Simulated.Usage.Requests != 12 || o.Simulated.Requests != 10 {
		t.Errorf("calls %d, requests %d; want 12 and 10", o.Simulated.Usage.Requests, o.Simulated.Requests)
	}
}

// escalate_share picks requests by a hash of where they were logged: about
// that share escalates, the same ones on every run.
func TestCascadeShare(t *testing.T) {
	dir := t.TempDir()
	line, err := os.ReadFile(logs + "routing.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := 0; i < 100; i++ {
		b.Write(line)
	}
	p := filepath.Join(dir, "many.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	share := func() decimal.Decimal {
		cfg, _ := Decode(strings.NewReader("routing: {cascade: {escalate_share: 0.2}}\n"))
		cat := catalog(t)
		scs, err := cfg.Build([]string{"routing"}, cat)
		if err != nil {
			t.Fatal(err)
		}
		res, _, err := simulate.Run(context.Background(), []string{p}, simulate.Options{Catalog: cat, Scenarios: scs})
		if err != nil {
			t.Fatal(err)
		}
		return figure(t, &res.Outcomes[0], "escalation_share")
	}
	s := share()
	if s.LessThan(usd("0.15")) || s.GreaterThan(usd("0.25")) {
		t.Errorf("escalation share %s, want about 0.2", s)
	}
	if again := share(); !again.Equal(s) {
		t.Errorf("escalation share %s then %s: not reproducible", s, again)
	}
}

// Stacked, batch applies to what routing left: no saving is counted twice.
func TestStackNoDoubleCounting(t *testing.T) {
	res := run(t, "scenarios: [batch, routing]\n", true, "routing.jsonl")
	r, b := outcome(t, res, "routing"), outcome(t, res, "batch")
	eq(t, "routing alone", r.Saving(&res.Baseline), "0.02574")
	eq(t, "batch alone", b.Saving(&res.Baseline), "0.018")
	s := res.Stack
	if s == nil || len(s.Stages) != 2 || s.Stages[0].Name != "routing" || s.Stages[1].Name != "batch" {
		t.Fatalf("stack = %+v", s)
	}
	eq(t, "after routing", s.Stages[0].Cost, "0.01026")
	eq(t, "after batch", s.Stages[1].Cost, "0.00513")
	eq(t, "stacked", s.Simulated.Total(), "0.00513")
	if s.Affected != 10 {
		t.Errorf("stack affected = %d, want 10", s.Affected)
	}
}

// A configuration that changes nothing costs the baseline to the cent, on
// every sample log, alone and stacked.
func TestNoEffectEqualsBaseline(t *testing.T) {
	res := run(t, `
routing: {classifier: none}
history: {window: 1000}
output: {cap: none}
batch: {rules: [{match: {}, batch: false}]}
promptcache: {retention: in_memory, breakpoints: logged}
semcache: {only: {provider: [none]}}
`, true, "../../samples/")
	if res.Baseline.Requests < 400 {
		t.Fatalf("baseline has %d requests", res.Baseline.Requests)
	}
	for _, o := range append(res.Outcomes, *res.Stack) {
		if !o.Simulated.Total().Equal(res.Baseline.Total()) || o.Simulated.Usage != res.Baseline.Usage || o.Affected != 0 {
			t.Errorf("%s: %s (%d affected), baseline %s", o.Name, o.Simulated.Total(), o.Affected, res.Baseline.Total())
		}
		for k := range o.Simulated.Cost {
			if !o.Simulated.Cost[k].Equal(res.Baseline.Cost[k]) {
				t.Errorf("%s: %v cost %s, baseline %s", o.Name, k, o.Simulated.Cost[k], res.Baseline.Cost[k])
			}
		}
	}
}

// The example configuration and every preset parse and build.
func TestPresets(t *testing.T) {
	files, _ := filepath.Glob("../../../testdata/simulate/presets/*.yaml")
	files = append(files, "../../../testdata/simulate/scenarios.yaml")
	if len(files) < 4 {
		t.Fatalf("found %v", files)
	}
	for _, f := range files {
		cfg, err := Load(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		names, err := cfg.Names(nil)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if _, err := cfg.Build(names, catalog(t)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	cat := catalog(t)
	for _, tt := range []struct{ yaml, want string }{
		{"routing: {tiers: {simple: nope-9}}", `model "nope-9" is not in the pricing catalog`},
		{"routing: {tiers: {simple: gpt-4.1-nano}}", "tier standard has no model"},
		{"routing: {rules: [{match: {hours: [25-3]}, tier: simple}]}", "hours"},
		{"routing: {rules: [{tier: genius}]}", `tier "genius"`},
		{"output: {cap: p100}", "cap"},
		{"output: {cap: lots}", "cap"},
		{"batch: {interactive: sometimes}", "interactive"},
		{"batch: {cache_hits_kept: 2}", "cache_hits_kept"},
		{"history: {strategy: forget}", "strategy"},
		{"history: {window: -1}", "negative"},
		{"batch: {typo: 1}", "field typo not found"},
		{"semcache: {threshold: 1.5}", "threshold"},
		{"semcache: {ttl: soon}", "ttl"},
		{"semcache: {scope: everything}", "scope"},
		{"semcache: {embeddings_url: localhost}", "embeddings_url"},
	} {
		cfg, err := Decode(strings.NewReader(tt.yaml))
		if err == nil {
			_, err = cfg.Build(Available, cat)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
	c := &Config{}
	if names, err := c.Names([]string{"semantic-cache", "semcache"}); err != nil || fmt.Sprint(names) != "[semcache]" {
		t.Errorf("semcache: %v %v", names, err)
	}
	if _, err := c.Names([]string{"teleport"}); err == nil || !strings.Contains(err.Error(), "unknown scenario") {
		t.Errorf("teleport: %v", err)
	}
	names, err := c.Names([]string{"context", "batch", "max-tokens", "batch"})
	if err != nil || fmt.Sprint(names) != "[history batch output]" {
		t.Errorf("aliases: %v %v", names, err)
	}
}

// With quality labels the router's curve is measured: see labels.jsonl in
// gen.py for the expected figures.
func TestRoutingLabels(t *testing.T) {
	res := run(t, "scenarios: [routing]\nrouting: {labels: ../../../testdata/simulate/labels.jsonl}\n", false, "routing.jsonl")
	o := outcome(t, res, "routing")
	for key, want := range map[string]string{"labeled_requests": "10", "quality_weak": "0.5", "quality_strong": "1",
		"apgr": "0.67", "cpt_50": "0.275", "cpt_80": "0.5", "oracle_quality": "1", "oracle_strong_share": "0.5", "oracle_usd": "0.0189"} {
		eq(t, key, figure(t, o, key), want)
	}
	if o.Caveat != "" {
		t.Errorf("caveat %q with labels", o.Caveat)
	}
	curve := o.Tables[len(o.Tables)-1]
	if curve.Key != "cost_quality" || len(curve.Rows) != 4 {
		t.Fatalf("curve = %+v", curve)
	}
	// All weak: 10 × $0.00018; all strong: 10 × $0.0036.
	eq(t, "all weak", curve.Rows[0][4].(decimal.Decimal), "0.0018")
	eq(t, "all strong", curve.Rows[3][4].(decimal.Decimal), "0.036")
	if _, err := Decode(strings.NewReader("routing: {labels: nope.jsonl}")); err != nil {
		t.Fatal(err)
	}
	cfg, _ := Decode(strings.NewReader("routing: {labels: nope.jsonl}"))
	if _, err := cfg.Build([]string{"routing"}, catalog(t)); err == nil || !strings.Contains(err.Error(), "labels") {
		t.Errorf("missing labels file: %v", err)
	}
}
