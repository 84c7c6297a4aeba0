package breakeven

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/internal/golden"
	"github.com/llmcost/llmcost/pkg/iostreams"
)

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	ios, _, out, errOut := iostreams.Test()
	return &cmdutil.Factory{IOStreams: ios, Now: func() time.Time { return testNow }}, out, errOut
}

func TestFlags(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		check   func(*Options) bool
		wantErr string
	}{
		{"defaults", []string{"--model", "llama-70b"}, func(o *Options) bool {
			return o.Model == "llama-70b" && o.InputTokens == 1000 && o.OutputTokens == 1000 && o.Utilization == 0.8 &&
				o.PeakFactor == 1.5 && o.LatencyTarget == "50ms" && o.Hours == 24 && o.Discount == "0" && o.OpsCost == "0" &&
				reflect.DeepEqual(o.Volumes, DefaultVolumes) && o.Format == "table" && o.KVCache == "auto"
		}, ""},
		{"everything", []string{"--model", "gpt-oss-120b", "--provider", "aws,bedrock", "--instance", "p5.4xlarge", "--precision", "int4",
			"--input-tokens", "4000", "--output-tokens", "500", "--utilization", "0.6", "--peak-factor", "2", "--latency-target", "100ms",
			"--discount", "40%", "--hours", "12", "--price-per-hour", "5", "--ops-cost", "15000", "--volumes", "1B,5B", "--kv-cache", "fp8",
			"--format", "json", "--out-file", "x.json"}, func(o *Options) bool {
			return reflect.DeepEqual(o.Providers, []string{"aws", "bedrock"}) && reflect.DeepEqual(o.Instances, []string{"p5.4xlarge"}) &&
				reflect.DeepEqual(o.Precisions, []string{"int4"}) && o.InputTokens == 4000 && o.OutputTokens == 500 && o.Utilization == 0.6 &&
				o.PeakFactor == 2 && o.LatencyTarget == "100ms" && o.Discount == "40%" && o.Hours == 12 && o.PricePerHour == "5" &&
				o.OpsCost == "15000" && reflect.DeepEqual(o.Volumes, []string{"1B", "5B"}) && o.KVCache == "fp8" && o.Format == "json" && o.OutFile == "x.json"
		}, ""},
		{"no model", nil, nil, "--model is required"},
		{"price without instance", []string{"--model", "llama-8b", "--price-per-hour", "2"}, nil, "--price-per-hour needs exactly one --instance"},
		{"bad format", []string{"--model", "llama-8b", "--format", "xml"}, nil, "valid values are"},
		{"no output tokens", []string{"--model", "llama-8b", "--output-tokens", "0"}, nil, "--output-tokens at least 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := testFactory()
			var got *Options
			cmd := NewCmdBreakeven(f, func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(append([]string{}, tt.args...))
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Errorf("options %+v", got)
			}
		})
	}
}

// run runs the command in-process and returns stdout, stderr and the error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	f, out, errOut := testFactory()
	cmd := NewCmdBreakeven(f, nil)
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func TestRun(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"llama-70b", []string{"--model", "llama-70b"}},
		{"llama-70b-json", []string{"--model", "llama-70b", "--format", "json"}},
		{"aws-bedrock-csv", []string{"--model", "llama-3.1-70b", "--provider", "aws,bedrock", "--format", "csv"}},
		{"aws-bedrock-markdown", []string{"--model", "llama-3.1-70b", "--provider", "aws,bedrock", "--format", "markdown"}},
		{"instance-override", []string{"--model", "llama-8b", "--instance", "g6e.xlarge", "--price-per-hour", "1.20", "--discount", "25%",
			"--hours", "12", "--ops-cost", "500", "--volumes", "100M,1B,10B"}},
		{"named-not-fitting", []string{"--model", "llama-70b", "--instance", "g5.12xlarge,g6e.xlarge,inf2.48xlarge", "--provider", "bedrock",
			"--volumes", "1B"}},
		{"no-latency-target-long-prompts", []string{"--model", "gpt-oss-120b", "--provider", "lambda,runpod,groq,together",
			"--input-tokens", "4000", "--output-tokens", "500", "--latency-target", "0", "--peak-factor", "2"}},
		{"unknown-model", []string{"--model", "gpt-9"}},
		{"unknown-provider", []string{"--model", "llama-8b", "--provider", "acme"}},
		{"unknown-instance", []string{"--model", "llama-8b", "--instance", "x9.huge"}},
		{"bad-discount", []string{"--model", "llama-8b", "--discount", "40"}},
		{"bad-utilization", []string{"--model", "llama-8b", "--utilization", "1.5"}},
		{"bad-latency", []string{"--model", "llama-8b", "--latency-target", "fast"}},
		{"bad-volume", []string{"--model", "llama-8b", "--volumes", "lots"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := run(t, tt.args...)
			var b strings.Builder
			b.WriteString("$ llmcost breakeven " + strings.Join(tt.args, " ") + "\n--- stdout\n" + out + "--- stderr\n" + errOut)
			if err != nil {
				b.WriteString("--- error (exit " + itoa(cmdutil.ExitCode(err)) + ")\n" + err.Error() + "\n")
			}
			golden.Assert(t, ".", tt.name, []byte(b.String()))
		})
	}
}

func itoa(n int) string { return string(rune('0' + n)) }

func runJSON(t *testing.T, args ...string) *Doc {
	t.Helper()
	out, _, err := run(t, append(args, "--format", "json")...)
	if err != nil {
		t.Fatal(err)
	}
	var doc Doc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

func findSelf(t *testing.T, doc *Doc, instance string) DocSelfHost {
	t.Helper()
	for _, s := range doc.SelfHost {
		if s.Instance == instance {
			return s
		}
	}
	t.Fatalf("no self-hosted option on %s in %d options", instance, len(doc.SelfHost))
	return DocSelfHost{}
}

func breakEvenVs(t *testing.T, s DocSelfHost, api string) DocBreakEven {
	t.Helper()
	for _, b := range s.BreakEven {
		if b.APIProvider == api {
			return b
		}
	}
	t.Fatalf("%s: no break-even against %s", s.Label, api)
	return DocBreakEven{}
}

// TestKnownAnswer is the known answer, end to end: with on-demand
// list prices and 1,000-in/1,000-out requests, self-hosting Llama 3.1 70B
// on the cheapest AWS instance that fits it (g5.12xlarge only at 4-bit;
// g6e.12xlarge at FP8) does not beat Bedrock's per-token price at any
// volume; an 8×H100 node breaks even only at tens of billions of tokens a
// month.
func TestKnownAnswer(t *testing.T) {
	doc := runJSON(t, "--model", "llama-3.1-70b", "--provider", "aws,bedrock")
	if len(doc.API) != 1 || doc.API[0].Provider != "bedrock" || doc.API[0].Per1M.String() != "0.99" {
		t.Fatalf("API offers %+v", doc.API)
	}
	// g5.12xlarge serves it at 4 bits, and never beats Bedrock.
	g5 := findSelf(t, doc, "g5.12xlarge")
	if g5.Precision != "int4" || !breakEvenVs(t, g5, "bedrock").Never {
		t.Errorf("g5.12xlarge: %s, break-even %+v", g5.Precision, breakEvenVs(t, g5, "bedrock"))
	}
	// No AWS option cheaper per instance than an 8×H100 node ever beats
	// Bedrock, and Bedrock is the cheapest at every volume up to 10B.
	p5 := findSelf(t, doc, "p5.48xlarge")
	for _, s := range doc.SelfHost {
		if s.MonthlyUSD.LessThan(p5.MonthlyUSD.Decimal) && !breakEvenVs(t, s, "bedrock").Never {
			t.Errorf("%s breaks even with Bedrock: %+v", s.Label, breakEvenVs(t, s, "bedrock"))
		}
	}
	for _, c := range doc.Cheapest {
		if c.Tokens <= 10e9 && c.Kind != "api" {
			t.Errorf("%d tokens: cheapest is %s", c.Tokens, c.Option)
		}
	}
	// The 8×H100 node (FP8) breaks even only at tens of billions.
	be := breakEvenVs(t, p5, "bedrock")
	if p5.Precision != "fp8" || p5.GPUCount != 8 || be.Never || be.FirstTokens < 10e9 || be.FirstTokens >= 100e9 {
		t.Errorf("p5.48xlarge %s: break-even %+v", p5.Precision, be)
	}
	// g6e.12xlarge at FP8 (4×L40S; FP8 is the widest precision that fits)
	// never beats Bedrock either.
	doc = runJSON(t, "--model", "llama-3.1-70b", "--provider", "bedrock", "--instance", "g6e.12xlarge", "--precision", "bf16,fp8")
	g6e := findSelf(t, doc, "g6e.12xlarge")
	if g6e.Precision != "fp8" || !breakEvenVs(t, g6e, "bedrock").Never {
		t.Errorf("g6e.12xlarge: %s, break-even %+v", g6e.Precision, breakEvenVs(t, g6e, "bedrock"))
	}
	if len(doc.NotFitting) != 0 {
		t.Errorf("not fitting: %+v", doc.NotFitting)
	}
	// At BF16 it does not fit the latency target.
	doc = runJSON(t, "--model", "llama-3.1-70b", "--provider", "bedrock", "--instance", "g6e.12xlarge", "--precision", "bf16")
	if len(doc.SelfHost) != 0 || len(doc.NotFitting) != 1 || !strings.Contains(strings.Join(doc.NotFitting[0].Reasons, " "), "latency target") {
		t.Errorf("g6e.12xlarge bf16: %+v %+v", doc.SelfHost, doc.NotFitting)
	}
}

// TestFlagsMoveResults checks that each sizing flag does what it says.
func TestFlagsMoveResults(t *testing.T) {
	base := []string{"--model", "llama-8b", "--provider", "bedrock", "--instance", "g6e.xlarge", "--volumes", "10B"}
	ref := findSelf(t, runJSON(t, base...), "g6e.xlarge")
	get := func(extra ...string) DocSelfHost {
		return findSelf(t, runJSON(t, append(append([]string{}, base...), extra...)...), "g6e.xlarge")
	}
	money := func(s DocSelfHost) float64 { f, _ := s.Monthly[0].CostUSD.Float64(); return f }

	// --discount 40%: 60% of the hourly and monthly price.
	d := get("--discount", "40%")
	if !d.HourlyUSD.Equal(ref.HourlyUSD.Mul(dec("0.6"))) || !near(money(d), money(ref)*0.6, 0.001) {
		t.Errorf("discount: $%s/h, $%g vs $%s, $%g", d.HourlyUSD, money(d), ref.HourlyUSD, money(ref))
	}
	// --hours 12: half the bill per instance, half the tokens per instance.
	h := get("--hours", "12")
	if !h.MonthlyUSD.Equal(ref.MonthlyUSD.Div(dec("2")).Round(2)) || h.TokensPerInstanceMonth*2-ref.TokensPerInstanceMonth > 2 {
		t.Errorf("hours: $%s/month, %d tokens vs $%s, %d", h.MonthlyUSD, h.TokensPerInstanceMonth, ref.MonthlyUSD, ref.TokensPerInstanceMonth)
	}
	// --ops-cost adds to every volume's bill.
	o := get("--ops-cost", "5000")
	if !near(money(o), money(ref)+5000, 1e-9) {
		t.Errorf("ops cost: $%g vs $%g", money(o), money(ref))
	}
	// --price-per-hour replaces the list price.
	p := get("--price-per-hour", "1")
	if p.HourlyUSD.String() != "1" || !p.PriceOverridden {
		t.Errorf("price override: %+v", p.HourlyUSD)
	}
	// --utilization and --peak-factor: fewer tokens per instance, more
	// instances for the same volume.
	u := get("--utilization", "0.4")
	pk := get("--peak-factor", "3")
	if u.Monthly[0].Instances <= ref.Monthly[0].Instances || pk.Monthly[0].Instances <= ref.Monthly[0].Instances {
		t.Errorf("instances %d (util 0.4), %d (peak 3) vs %d", u.Monthly[0].Instances, pk.Monthly[0].Instances, ref.Monthly[0].Instances)
	}
	// --latency-target: a tighter target, a smaller batch and throughput.
	l := get("--latency-target", "20ms")
	if l.BatchPerReplica >= ref.BatchPerReplica || l.TokensPerSecond >= ref.TokensPerSecond || l.TPOTMs > 20 {
		t.Errorf("latency: batch %d, %g tok/s, %g ms vs %d, %g", l.BatchPerReplica, l.TokensPerSecond, l.TPOTMs, ref.BatchPerReplica, ref.TokensPerSecond)
	}
	// --input-tokens/--output-tokens: long prompts are cheap to serve per
	// token compared with long outputs.
	in := get("--input-tokens", "8000", "--output-tokens", "200", "--latency-target", "0")
	outHeavy := get("--input-tokens", "200", "--output-tokens", "8000", "--latency-target", "0")
	if in.TokensPerSecond <= outHeavy.TokensPerSecond {
		t.Errorf("prompt-heavy %g tok/s, output-heavy %g", in.TokensPerSecond, outHeavy.TokensPerSecond)
	}
	// --precision and --kv-cache pick the configuration.
	b := get("--precision", "bf16", "--kv-cache", "fp8")
	if b.Precision != "bf16" || b.KVCache != "fp8" {
		t.Errorf("precision %s, kv %s", b.Precision, b.KVCache)
	}
}

func TestOutFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "be.csv")
	out, _, err := run(t, "--model", "llama-8b", "--provider", "bedrock,runpod", "--format", "csv", "--out-file", path)
	if err != nil || out != "" {
		t.Fatalf("%v, stdout %q", err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(data), strings.Join(CSVHeader, ",")+"\n") {
		t.Fatalf("%v: %.200s", err, data)
	}
}

func TestParseLatency(t *testing.T) {
	for in, want := range map[string]time.Duration{"50ms": 50 * time.Millisecond, "0.1s": 100 * time.Millisecond, "75": 75 * time.Millisecond, "0": 0, "none": 0, "": 0} {
		if got, err := ParseLatency(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"fast", "-5ms", "-3"} {
		if _, err := ParseLatency(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func near(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b)) }
