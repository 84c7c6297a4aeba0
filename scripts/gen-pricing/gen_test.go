package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

func readTestdata(t *testing.T) (newJSON, oldJSON []byte) {
	t.Helper()
	var err error
	if newJSON, err = os.ReadFile("testdata/litellm_new.json"); err != nil {
		t.Fatal(err)
	}
	if oldJSON, err = os.ReadFile("testdata/litellm_old.json"); err != nil {
		t.Fatal(err)
	}
	return newJSON, oldJSON
}

func convertTiny(t *testing.T) (map[string][]byte, *Report, *pricing.Catalog) {
	t.Helper()
	newJSON, oldJSON := readTestdata(t)
	files, rep, err := Convert(newJSON, oldJSON)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for n, data := range files {
		fsys[n] = &fstest.MapFile{Data: data}
	}
	cat, err := pricing.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return files, rep, cat
}

func TestConvertDeterministic(t *testing.T) {
	newJSON, oldJSON := readTestdata(t)
	a, _, err := Convert(newJSON, oldJSON)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		b, _, err := Convert(newJSON, oldJSON)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != len(b) {
			t.Fatalf("run %d: %d files, want %d", i, len(b), len(a))
		}
		for n := range a {
			if !bytes.Equal(a[n], b[n]) {
				t.Fatalf("run %d: %s differs", i, n)
			}
		}
	}
	if len(a) != len(providers) {
		t.Fatalf("%d files, want one per provider (%d)", len(a), len(providers))
	}
	for n, data := range a {
		if !bytes.HasPrefix(data, []byte("{\n  \"schema_version\": 1,\n")) || !bytes.HasSuffix(data, []byte("}\n")) {
			t.Errorf("%s: unexpected layout", n)
		}
	}
}

func rates(t *testing.T, cat *pricing.Catalog, hint, model string, at time.Time, tier record.Tier, input int64) (string, *pricing.Model) {
	t.Helper()
	m, ok := cat.Resolve(hint, model)
	if !ok {
		t.Fatalf("%s/%s not resolved", hint, model)
	}
	r, _, _, tierOK, ok := m.Rates(at, tier, input)
	if !ok {
		t.Fatalf("%s: no price", model)
	}
	s := strings.Join([]string{r.Input.String(), r.Output.String(), r.CacheRead.String(), r.CacheWrite5m.String(), r.CacheWrite1h.String()}, "/")
	if !tierOK {
		s += " (standard)"
	}
	return s, m
}

func TestConvertRules(t *testing.T) {
	_, rep, cat := convertTiny(t)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		hint, model string
		at          time.Time
		tier        record.Tier
		input       int64
		want, id    string
	}{
		// OpenAI: batch from LiteLLM with cache 0.5x; writes = input (O2).
		{"openai", "gpt-4o", now, record.TierBatch, 10, "1.25/5/0.625/1.25/1.25", "gpt-4o"},
		{"openai", "gpt-4o-2024-08-06", now, record.TierPriority, 10, "4.25/17/2.125/4.25/4.25", "gpt-4o"},
		// Own snapshot price; no cached-input discount for 2024-05-13 (O3).
		{"openai", "gpt-4o-2024-05-13", now, record.TierStandard, 10, "5/15/5/5/5", "gpt-4o-2024-05-13"},
		// o3 history and derived batch.
		{"openai", "o3", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), record.TierStandard, 10, "10/40/2.5/10/10", "o3"},
		{"openai", "o3", now, record.TierBatch, 10, "1/4/0.25/1/1", "o3"},
		{"openai", "o3", now, record.TierFlex, 10, "1/4/0.25/1/1", "o3"},
		// gpt-5-nano priority fix (SOURCE.md).
		{"openai", "gpt-5-nano", now, record.TierPriority, 10, "0.1/0.8/0.01/0.1/0.1", "gpt-5-nano"},
		// gpt-5.4: long context, flex cache fix, derived batch.
		{"openai", "gpt-5.4", now, record.TierFlex, 10, "1.25/7.5/0.125/1.25/1.25", "gpt-5.4"},
		{"openai", "gpt-5.4", now, record.TierStandard, 272001, "5/22.5/0.5/5/5", "gpt-5.4"},
		{"openai", "gpt-5.4", now, record.TierBatch, 272001, "2.5/11.25/0.25/2.5/2.5", "gpt-5.4"},
		// GPT-5.6 writes 1.25x (O2).
		{"openai", "gpt-5.6", now, record.TierStandard, 10, "5/30/0.5/6.25/6.25", "gpt-5.6"},
		// Anthropic: multipliers, batch stacking, long context, fixes.
		{"anthropic", "claude-sonnet-4-5-20250929", now, record.TierBatch, 10, "1.5/7.5/0.15/1.875/3", "claude-sonnet-4-5"},
		{"anthropic", "claude-sonnet-4-5", now, record.TierStandard, 200001, "6/22.5/0.6/7.5/12", "claude-sonnet-4-5"},
		{"anthropic", "claude-3-haiku-20240307", now, record.TierStandard, 10, "0.25/1.25/0.03/0.3/0.5", "claude-3-haiku-20240307"},
		{"anthropic", "claude-3-5-haiku-latest", now, record.TierStandard, 10, "0.8/4/0.08/1/1.6", "claude-3-5-haiku-20241022"},
		{"anthropic", "claude-3-5-sonnet-latest", now, record.TierStandard, 10, "3/15/0.3/3.75/6", "claude-3-5-sonnet-20241022"},
		{"anthropic", "claude-4-opus-20250514", now, record.TierStandard, 10, "15/75/1.5/18.75/30", "claude-opus-4-20250514"},
		{"anthropic", "claude-opus-4-6", now, record.TierPriority, 10, "5/25/0.5/6.25/10", "claude-opus-4-6"},
		// Gemini: writes = input (G2), batch 50% (G3), 1x priority dropped.
		{"gemini", "gemini-2.5-pro", now, record.TierBatch, 10, "0.625/5/0.0625/0.625/0.625", "gemini-2.5-pro"},
		{"gemini", "gemini-2.5-pro", now, record.TierPriority, 10, "1.25/10/0.125/1.25/1.25 (standard)", "gemini-2.5-pro"},
		{"gemini", "gemini-2.5-pro", now, record.TierStandard, 200001, "2.5/15/0.25/2.5/2.5", "gemini-2.5-pro"},
		{"vertex", "gemini-2.5-pro", now, record.TierStandard, 200001, "2.5/15/0.25/2.5/2.5", "vertex_ai/gemini-2.5-pro"},
		{"", "gemini-1.5-pro", now, record.TierStandard, 10, "3.5/10.5/3.5/3.5/3.5", "gemini-1.5-pro"},
		{"vertex", "claude-sonnet-4-5@20250929", now, record.TierBatch, 10, "1.5/7.5/0.15/1.875/3", "vertex_ai/claude-sonnet-4-5@20250929"},
		// Bedrock.
		{"bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", now, record.TierStandard, 10, "3.3/16.5/0.33/4.125/6.6", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "claude-sonnet-4-5-20250929", now, record.TierBatch, 10, "1.5/7.5/0.15/1.875/3", "anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "cohere.command-r-v1:0", now, record.TierBatch, 10, "0.5/1.5/0.5/0.5/0.5 (standard)", "cohere.command-r-v1:0"},
		// Others.
		{"", "mistral-large-latest", now, record.TierStandard, 10, "0.5/1.5/0.5/0.5/0.5", "mistral-large-2512"},
		{"", "deepseek-chat", now, record.TierStandard, 10, "0.28/0.42/0.028/0.28/0.28", "deepseek-chat"},
		{"", "grok-4", now, record.TierStandard, 128001, "6/30/6/6/6", "grok-4"},
	}
	for _, tt := range tests {
		got, m := rates(t, cat, tt.hint, tt.model, tt.at, tt.tier, tt.input)
		if got != tt.want || m.ID != tt.id {
			t.Errorf("%s %s %s: %s → %s, want %s → %s", tt.hint, tt.model, tt.tier, m.ID, got, tt.id, tt.want)
		}
	}
	for _, missing := range []string{"ft:gpt-4o-mini-2024-07-18", "azure/gpt-4o-x", "text-embedding-3-small", "gemini-exp-1206", "gpt-4o-audio-preview"} {
		if m, ok := cat.Resolve("", missing); ok {
			t.Errorf("%s resolved to %s", missing, m.ID)
		}
	}
	if m := cat.Lookup("claude-opus-4-6"); m == nil || !m.GeoMultiplier["us"].Equal(decimal.RequireFromString("1.1")) {
		t.Error("claude-opus-4-6: us geo multiplier missing")
	}
	if m := cat.Lookup("gpt-5.4"); m == nil || !m.GeoMultiplier["us"].Equal(decimal.RequireFromString("1.1")) {
		t.Error("gpt-5.4: us geo multiplier missing")
	}
	if m := cat.Lookup("claude-opus-4-20250514"); m == nil || m.Deprecated.IsZero() {
		t.Error("claude-opus-4-20250514: deprecation date lost")
	}
	if len(rep.Corrections) == 0 || rep.Skipped["fine-tune"] != 1 || rep.Skipped["zero price (free preview or data error)"] != 1 {
		t.Errorf("report: %+v", rep)
	}
}

// TestCatalogUpToDate is the in-test version of -check: it regenerates the
// catalog from the shared LiteLLM copies, when they are available, and
// compares it with pricing-data.
func TestCatalogUpToDate(t *testing.T) {
	root := filepath.Join("..", "..")
	newPath := filepath.Join(root, "..", "shared", "data", "litellm", "2026-07-24", "model_prices_and_context_window.json")
	oldPath := filepath.Join(root, "..", "shared", "data", "litellm", "model_prices_and_context_window.json")
	newJSON, err := os.ReadFile(newPath)
	if err != nil {
		t.Skipf("LiteLLM sources not available: %v", err)
	}
	oldJSON, err := os.ReadFile(oldPath)
	if err != nil {
		t.Skipf("LiteLLM sources not available: %v", err)
	}
	files, _, err := Convert(newJSON, oldJSON)
	if err != nil {
		t.Fatal(err)
	}
	for n, data := range files {
		have, err := os.ReadFile(filepath.Join(root, "pricing-data", n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, data) {
			t.Errorf("pricing-data/%s is out of date; run go run ./scripts/gen-pricing", n)
		}
	}
}

func TestPrettyName(t *testing.T) {
	for _, tt := range []struct{ provider, id, want string }{
		{"openai", "gpt-4o", "GPT-4o"},
		{"openai", "gpt-4o-2024-05-13", "GPT-4o (2024-05-13)"},
		{"openai", "o4-mini", "o4 mini"},
		{"anthropic", "claude-sonnet-4-5", "Claude Sonnet 4.5"},
		{"anthropic", "claude-3-5-haiku-20241022", "Claude 3.5 Haiku (2024-10-22)"},
		{"vertex", "vertex_ai/claude-sonnet-4-5", "Claude Sonnet 4.5 (Vertex AI)"},
		{"bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5 (2025-09-29) (Bedrock us profile)"},
		{"gemini", "gemini-2.5-pro", "Gemini 2.5 Pro"},
	} {
		if got := prettyName(tt.provider, tt.id); got != tt.want {
			t.Errorf("prettyName(%s) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

// Per-AWS-Region Bedrock prices (regions.go): known answers from the
// LiteLLM Region keys of the test copy.
func TestConvertRegions(t *testing.T) {
	_, rep, cat := convertTiny(t)
	band := func(id, region string, long bool) (string, bool) {
		t.Helper()
		m := cat.Lookup(id)
		if m == nil {
			t.Fatalf("%s missing", id)
		}
		b, known := m.Prices[len(m.Prices)-1].BandFor(region, long)
		r := b.Standard
		s := strings.Join([]string{r.Input.String(), r.Output.String(), r.CacheRead.String(), r.CacheWrite5m.String(), r.CacheWrite1h.String()}, "/")
		if b.Batch != nil {
			s += " batch " + b.Batch.Input.String() + "/" + b.Batch.Output.String()
		}
		return s, known
	}
	for _, tt := range []struct {
		id, region string
		long       bool
		want       string
		known      bool
	}{
		// eu-west-1 and ap-south-1 are dearer than the default; batch
		// halves the Region's own rates (B1).
		{"meta.llama3-70b-instruct-v1:0", "eu-west-1", false, "2.86/3.78/2.86/2.86/2.86 batch 1.43/1.89", true},
		{"meta.llama3-70b-instruct-v1:0", "ap-south-1", false, "3.18/4.2/3.18/3.18/3.18 batch 1.59/2.1", true},
		// The default is us-east-1's price; a Region not listed gets it, unknown.
		{"meta.llama3-70b-instruct-v1:0", "us-east-1", false, "2.65/3.5/2.65/2.65/2.65 batch 1.325/1.75", true},
		{"meta.llama3-70b-instruct-v1:0", "eu-central-2", false, "2.65/3.5/2.65/2.65/2.65 batch 1.325/1.75", false},
		{"meta.llama3-70b-instruct-v1:0", "", false, "2.65/3.5/2.65/2.65/2.65 batch 1.325/1.75", false},
		// The us. profile is priced in its source Region (B5), for Regions of
		// its geography only.
		{"us.meta.llama3-70b-instruct-v1:0", "us-west-1", false, "2.65/3.5/2.65/2.65/2.65 batch 1.325/1.75", true},
		{"us.meta.llama3-70b-instruct-v1:0", "eu-west-1", false, "2.65/3.5/2.65/2.65/2.65 batch 1.325/1.75", false},
		// GovCloud Claude: cache multipliers on the Region's input; the
		// long-context band scaled by the Region's ratio (1.2).
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov-west-1", false, "3.6/18/0.36/4.5/7.2 batch 1.8/9", true},
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov-west-1", true, "7.2/27/0.72/9/14.4 batch 3.6/13.5", true},
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", true, "6/22.5/0.6/7.5/12 batch 3/11.25", true},
		// A profile priced apart from the in-Region model keeps one price.
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov-west-1", false, "3.3/16.5/0.33/4.125/6.6 batch 1.65/8.25", true},
	} {
		got, known := band(tt.id, tt.region, tt.long)
		if got != tt.want || known != tt.known {
			t.Errorf("%s in %q (long %v): %s known=%v, want %s known=%v", tt.id, tt.region, tt.long, got, known, tt.want, tt.known)
		}
	}
	p := cat.Lookup("meta.llama3-70b-instruct-v1:0").Prices[0]
	if p.DefaultRegion != "us-east-1" || p.Regions["us-east-1"] != nil || len(p.Regions) != 3 {
		t.Errorf("llama3 70b: default %q, regions %v; want us-east-1 as the default (not listed) and 3 Regions", p.DefaultRegion, p.Regions)
	}
	if n := rep.Skipped["bedrock commitment (provisioned throughput)"]; n != 1 {
		t.Errorf("%d commitment keys skipped, want 1", n)
	}
	if n := rep.Skipped["bedrock Region price (into regions)"]; n != 7 {
		t.Errorf("%d Region keys, want 7", n)
	}
	for _, c := range rep.Collisions {
		if strings.Contains(c, "prices differ") || strings.Contains(c, "not in the catalog") {
			t.Errorf("unexpected: %s", c)
		}
	}
}
