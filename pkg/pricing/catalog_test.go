package pricing

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/record"
)

func mustDefault(t testing.TB) *Catalog {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return c
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// want5 is "input/output/cache_read/write_5m/write_1h" in USD per 1M.
func assertRates(t *testing.T, what string, got Rates, want5 string) {
	t.Helper()
	parts := strings.Split(want5, "/")
	if len(parts) != 5 {
		t.Fatalf("bad want %q", want5)
	}
	g := got.kinds()
	for i, p := range parts {
		if !g[i].v.Equal(d(p)) {
			t.Errorf("%s: %s = %s, want %s", what, g[i].name, g[i].v, p)
		}
	}
}

// TestEmbeddedCatalog validates every entry of the embedded catalog and
// checks that each id and alias resolves back to its model.
func TestEmbeddedCatalog(t *testing.T) {
	c := mustDefault(t)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Len() < 300 {
		t.Fatalf("only %d models", c.Len())
	}
	perProvider := map[string]int{}
	for _, m := range c.Models() {
		perProvider[m.Provider]++
		if err := m.Validate(); err != nil {
			t.Error(err)
		}
		if m.Name == "" {
			t.Errorf("%s: no name", m.ID)
		}
		for i, p := range m.Prices {
			if p.Source == "" {
				t.Errorf("%s price %d: no source", m.ID, i)
			}
			bands := []*Band{&p.Base}
			if p.LongContext != nil {
				bands = append(bands, p.LongContext)
			}
			for _, b := range bands {
				for _, r := range []*Rates{&b.Standard, b.Batch, b.Flex, b.Priority} {
					if r == nil {
						continue
					}
					// No zero prices: an unknown model must stay unknown rather
					// than be priced at nothing.
					if !r.Input.IsPositive() || !r.Output.IsPositive() {
						t.Errorf("%s price %d: non-positive input/output %s/%s", m.ID, i, r.Input, r.Output)
					}
					if r.CacheWrite5m.IsZero() || r.CacheWrite1h.IsZero() || r.CacheRead.IsZero() {
						t.Errorf("%s price %d: unfilled cache rate %+v", m.ID, i, *r)
					}
				}
			}
		}
		if got, ok := c.Resolve(m.Provider, m.ID); !ok || got != m {
			t.Errorf("Resolve(%q, %q) = %v, want itself", m.Provider, m.ID, idOf(got))
		}
		if got, ok := c.Resolve("", m.ID); !ok || got != m {
			t.Errorf("Resolve(\"\", %q) = %v, want itself", m.ID, idOf(got))
		}
		for _, a := range m.Aliases {
			if got, ok := c.Resolve(m.Provider, a); !ok || got != m {
				t.Errorf("Resolve(%q, alias %q) = %v, want %s", m.Provider, a, idOf(got), m.ID)
			}
		}
		if c.Lookup(strings.ToUpper(m.ID)) != m {
			t.Errorf("Lookup(%q) failed", m.ID)
		}
	}
	for _, p := range providerOrder {
		if perProvider[p] == 0 {
			t.Errorf("no models for provider %s", p)
		}
	}
	t.Logf("models per provider: %v", perProvider)
}

func idOf(m *Model) string {
	if m == nil {
		return "<nil>"
	}
	return m.Provider + ":" + m.ID
}

func TestCoverage(t *testing.T) {
	c := mustDefault(t)
	want := map[string][]string{
		ProviderOpenAI: {"gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5.1", "gpt-5.2", "gpt-5.4", "gpt-5.4-mini",
			"gpt-5.5", "gpt-5.6", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o1", "o3", "o3-mini", "o4-mini",
			"gpt-4o", "gpt-4o-mini", "gpt-4o-2024-05-13", "gpt-4-turbo", "gpt-4", "gpt-3.5-turbo", "o1-preview"},
		ProviderAnthropic: {"claude-opus-4-8", "claude-opus-4-7", "claude-opus-4-6", "claude-opus-4-5",
			"claude-opus-4-1", "claude-opus-4-20250514", "claude-sonnet-5", "claude-sonnet-4-6", "claude-sonnet-4-5",
			"claude-sonnet-4-20250514", "claude-haiku-4-5", "claude-3-7-sonnet-20250219", "claude-3-5-sonnet-20241022",
			"claude-3-5-sonnet-20240620", "claude-3-5-haiku-20241022", "claude-3-haiku-20240307", "claude-3-opus-20240229"},
		ProviderGemini: {"gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-3-pro-preview",
			"gemini-3.1-pro-preview", "gemini-3-flash-preview", "gemini-2.0-flash", "gemini-1.5-pro", "gemini-1.5-flash"},
		ProviderVertex: {"vertex_ai/gemini-2.5-pro", "vertex_ai/gemini-2.5-flash", "vertex_ai/gemini-3-pro-preview",
			"vertex_ai/claude-sonnet-4-5", "vertex_ai/claude-opus-4-6", "vertex_ai/claude-3-5-haiku",
			"vertex_ai/meta/llama-4-maverick-17b-128e-instruct-maas"},
		ProviderMistral: {"mistral-large-2512", "mistral-large-2411", "mistral-medium-2604", "mistral-small-latest",
			"codestral-2508", "magistral-medium-2509", "open-mistral-nemo"},
		ProviderDeepSeek: {"deepseek-chat", "deepseek-reasoner"},
		ProviderXAI:      {"grok-4", "grok-4-1-fast-reasoning", "grok-4.3", "grok-3", "grok-3-mini", "grok-code-fast-1"},
		ProviderBedrock: {"amazon.nova-pro-v1:0", "amazon.nova-lite-v1:0", "amazon.nova-micro-v1:0",
			"us.amazon.nova-premier-v1:0", "amazon.nova-2-lite-v1:0", "meta.llama3-1-70b-instruct-v1:0",
			"meta.llama3-3-70b-instruct-v1:0", "meta.llama4-maverick-17b-instruct-v1:0", "cohere.command-r-v1:0",
			"cohere.command-r-plus-v1:0", "mistral.mistral-large-2407-v1:0", "mistral.mixtral-8x7b-instruct-v0:1",
			"anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
			"global.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0",
			"anthropic.claude-opus-4-6-v1", "anthropic.claude-haiku-4-5-20251001-v1:0"},
	}
	for prov, ids := range want {
		for _, id := range ids {
			m := c.Lookup(id)
			if m == nil {
				t.Errorf("%s: %s missing", prov, id)
				continue
			}
			if m.Provider != prov {
				t.Errorf("%s: provider %s, want %s", id, m.Provider, prov)
			}
		}
	}
}

func date(s string) time.Time {
	t, err := ParseTime(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestKnownPrices(t *testing.T) {
	c := mustDefault(t)
	now := date("2026-11-01")
	tests := []struct {
		provider, model string
		at              time.Time
		tier            record.Tier
		input           int64
		want            string // in/out/read/w5m/w1h
		wantID          string
		long, tierNotOK bool
	}{
		{"openai", "gpt-4o", now, record.TierStandard, 1000, "2.5/10/1.25/2.5/2.5", "gpt-4o", false, false},
		{"openai", "gpt-4o-2024-08-06", now, record.TierBatch, 1000, "1.25/5/0.625/1.25/1.25", "gpt-4o", false, false},
		{"openai", "gpt-4o-2024-05-13", now, record.TierStandard, 1000, "5/15/5/5/5", "gpt-4o-2024-05-13", false, false},
		{"openai", "gpt-4o", now, record.TierFlex, 1000, "2.5/10/1.25/2.5/2.5", "gpt-4o", false, true},
		{"openai", "gpt-4o-mini", now, record.TierStandard, 1000, "0.15/0.6/0.075/0.15/0.15", "gpt-4o-mini", false, false},
		{"openai", "o3", date("2025-05-01"), record.TierStandard, 1000, "10/40/2.5/10/10", "o3", false, false},
		{"openai", "o3-2025-04-16", date("2025-06-09T23:59:59Z"), record.TierBatch, 1000, "5/20/1.25/5/5", "o3", false, false},
		{"openai", "o3", date("2025-06-10"), record.TierStandard, 1000, "2/8/0.5/2/2", "o3", false, false},
		{"openai", "o3", time.Time{}, record.TierStandard, 1000, "2/8/0.5/2/2", "o3", false, false},
		{"openai", "o1", now, record.TierBatch, 1000, "7.5/30/3.75/7.5/7.5", "o1", false, false},
		{"openai", "gpt-5.4", now, record.TierStandard, 272000, "2.5/15/0.25/2.5/2.5", "gpt-5.4", false, false},
		{"openai", "gpt-5.4", now, record.TierStandard, 272001, "5/22.5/0.5/5/5", "gpt-5.4", true, false},
		{"openai", "gpt-5.4", now, record.TierBatch, 300000, "2.5/11.25/0.25/2.5/2.5", "gpt-5.4", true, false},
		{"openai", "gpt-5.4", now, record.TierPriority, 300000, "5/22.5/0.5/5/5", "gpt-5.4", true, true},
		{"openai", "gpt-5.4", now, record.TierFlex, 1000, "1.25/7.5/0.125/1.25/1.25", "gpt-5.4", false, false},
		{"openai", "gpt-5.5", now, record.TierPriority, 1000, "12.5/75/1.25/12.5/12.5", "gpt-5.5", false, false},
		{"openai", "gpt-5-nano", now, record.TierPriority, 1000, "0.1/0.8/0.01/0.1/0.1", "gpt-5-nano", false, false},
		{"openai", "gpt-5.6", now, record.TierStandard, 1000, "5/30/0.5/6.25/6.25", "gpt-5.6", false, false},
		{"openai", "gpt-4.1", now, record.TierPriority, 1000, "3.5/14/0.875/3.5/3.5", "gpt-4.1", false, false},
		{"anthropic", "claude-3-5-haiku-20241022", now, record.TierStandard, 1000, "0.8/4/0.08/1/1.6", "claude-3-5-haiku-20241022", false, false},
		{"anthropic", "claude-3-5-haiku-latest", now, record.TierStandard, 1000, "0.8/4/0.08/1/1.6", "claude-3-5-haiku-20241022", false, false},
		{"anthropic", "claude-3-5-haiku-20241022", now, record.TierBatch, 1000, "0.4/2/0.04/0.5/0.8", "claude-3-5-haiku-20241022", false, false},
		{"anthropic", "claude-3-haiku-20240307", now, record.TierStandard, 1000, "0.25/1.25/0.03/0.3/0.5", "claude-3-haiku-20240307", false, false},
		{"anthropic", "claude-3-opus-20240229", now, record.TierStandard, 1000, "15/75/1.5/18.75/30", "claude-3-opus-20240229", false, false},
		{"anthropic", "claude-3-5-sonnet-20241022", now, record.TierStandard, 1000, "3/15/0.3/3.75/6", "claude-3-5-sonnet-20241022", false, false},
		{"anthropic", "claude-sonnet-4-5", now, record.TierStandard, 200000, "3/15/0.3/3.75/6", "claude-sonnet-4-5", false, false},
		{"anthropic", "claude-sonnet-4-5-20250929", now, record.TierStandard, 200001, "6/22.5/0.6/7.5/12", "claude-sonnet-4-5", true, false},
		{"anthropic", "claude-sonnet-4-5", now, record.TierBatch, 1000, "1.5/7.5/0.15/1.875/3", "claude-sonnet-4-5", false, false},
		{"anthropic", "claude-sonnet-4-5", now, record.TierBatch, 500000, "3/11.25/0.3/3.75/6", "claude-sonnet-4-5", true, false},
		{"anthropic", "claude-sonnet-4-6", now, record.TierStandard, 500000, "3/15/0.3/3.75/6", "claude-sonnet-4-6", false, false},
		// Anthropic Priority Tier bills list prices (no fast-mode multiple).
		{"anthropic", "claude-opus-4-6", now, record.TierPriority, 1000, "5/25/0.5/6.25/10", "claude-opus-4-6", false, false},
		{"anthropic", "claude-haiku-4-5", now, record.TierStandard, 1000, "1/5/0.1/1.25/2", "claude-haiku-4-5", false, false},
		{"bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", now, record.TierStandard, 1000, "3.3/16.5/0.33/4.125/6.6", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", false, false},
		{"bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", now, record.TierStandard, 1000, "3/15/0.3/3.75/6", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", false, false},
		{"bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", now, record.TierStandard, 300000, "6.6/24.75/0.66/8.25/13.2", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", true, false},
		{"bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0", now, record.TierStandard, 1000, "0.8/4/0.08/1/1.6", "anthropic.claude-3-5-haiku-20241022-v1:0", false, false},
		{"bedrock", "eu.anthropic.claude-3-5-haiku-20241022-v1:0", now, record.TierStandard, 1000, "0.8/4/0.08/1/1.6", "eu.anthropic.claude-3-5-haiku-20241022-v1:0", false, false},
		{"bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", now, record.TierStandard, 500000, "3/15/0.3/3.75/6", "anthropic.claude-3-5-sonnet-20241022-v2:0", false, false},
		{"bedrock", "meta.llama3-1-70b-instruct-v1:0", now, record.TierBatch, 1000, "0.495/0.495/0.495/0.495/0.495", "meta.llama3-1-70b-instruct-v1:0", false, false},
		{"bedrock", "cohere.command-r-v1:0", now, record.TierBatch, 1000, "0.5/1.5/0.5/0.5/0.5", "cohere.command-r-v1:0", false, true},
		{"vertex", "claude-3-5-haiku@20241022", now, record.TierStandard, 1000, "0.8/4/0.08/1/1.6", "vertex_ai/claude-3-5-haiku", false, false},
		{"gemini", "gemini-2.5-pro", now, record.TierStandard, 1000, "1.25/10/0.125/1.25/1.25", "gemini-2.5-pro", false, false},
		{"gemini", "gemini-2.5-pro", now, record.TierStandard, 200001, "2.5/15/0.25/2.5/2.5", "gemini-2.5-pro", true, false},
		{"gemini", "gemini-2.5-pro", now, record.TierPriority, 1000, "1.25/10/0.125/1.25/1.25", "gemini-2.5-pro", false, true},
		{"gemini", "gemini-3-pro-preview", now, record.TierPriority, 1000, "3.6/21.6/0.36/3.6/3.6", "gemini-3-pro-preview", false, false},
		{"gemini", "gemini-3-pro-preview", now, record.TierPriority, 250000, "7.2/32.4/0.72/7.2/7.2", "gemini-3-pro-preview", true, false},
		{"gemini", "gemini-2.5-flash", now, record.TierBatch, 1000, "0.15/1.25/0.015/0.15/0.15", "gemini-2.5-flash", false, false},
		{"deepseek", "deepseek-chat", now, record.TierStandard, 1000, "0.28/0.42/0.028/0.28/0.28", "deepseek-chat", false, false},
		{"xai", "grok-4", now, record.TierStandard, 128001, "6/30/6/6/6", "grok-4", true, false},
	}
	for _, tt := range tests {
		name := tt.provider + "/" + tt.model + "/" + tt.tier.String()
		m, ok := c.Resolve(tt.provider, tt.model)
		if !ok {
			t.Errorf("%s: not resolved", name)
			continue
		}
		if m.ID != tt.wantID {
			t.Errorf("%s: resolved to %s, want %s", name, m.ID, tt.wantID)
		}
		r, _, long, tierOK, ok := m.Rates(tt.at, tt.tier, tt.input)
		if !ok {
			t.Errorf("%s: no price at %v", name, tt.at)
			continue
		}
		if long != tt.long || tierOK == tt.tierNotOK {
			t.Errorf("%s: long=%v tierOK=%v, want long=%v tierOK=%v", name, long, tierOK, tt.long, !tt.tierNotOK)
		}
		assertRates(t, name, r, tt.want)
	}
}

func TestGeoFactor(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		model, geo string
		want       string
		ok         bool
	}{
		{"claude-opus-4-6", "us", "1.1", true},
		{"claude-opus-4-6", "US", "1.1", true},
		{"claude-opus-4-6", "global", "1", false},
		{"claude-sonnet-4-6", "us", "1.1", true},
		{"claude-sonnet-4-5", "us", "1", false},
		{"gpt-5.4", "eu", "1.1", true},
		{"gpt-4o", "us", "1", false},
	}
	for _, tt := range tests {
		m := c.Lookup(tt.model)
		if m == nil {
			t.Fatalf("%s missing", tt.model)
		}
		f, ok := m.GeoFactor(tt.geo)
		if !f.Equal(d(tt.want)) || ok != tt.ok {
			t.Errorf("%s %s: %s %v, want %s %v", tt.model, tt.geo, f, ok, tt.want, tt.ok)
		}
	}
	m := c.Lookup("claude-opus-4-6")
	f, _ := m.GeoFactor("us")
	assertRates(t, "opus 4.6 us", m.Prices[0].Base.Standard.Mul(f), "5.5/27.5/0.55/6.875/11")
}

func TestRatesOutsideWindows(t *testing.T) {
	m := &Model{ID: "x", Provider: "test", Prices: []Price{
		{From: date("2025-01-01"), Until: date("2025-02-01"), Base: Band{Standard: Rates{Input: d("1"), Output: d("2")}}},
		{From: date("2025-03-01"), Base: Band{Standard: Rates{Input: d("3"), Output: d("4")}}},
	}}
	for _, tc := range []struct {
		at   string
		ok   bool
		idx  int
		want string
	}{
		{"2024-12-31", false, -1, ""},
		{"2025-01-01", true, 0, "1"},
		{"2025-01-31T23:59:59Z", true, 0, "1"},
		{"2025-02-15", false, -1, ""},
		{"2025-03-01", true, 1, "3"},
		{"2030-01-01", true, 1, "3"},
	} {
		r, idx, _, _, ok := m.Rates(date(tc.at), record.TierStandard, 10)
		if ok != tc.ok || idx != tc.idx {
			t.Errorf("%s: ok=%v idx=%d, want %v %d", tc.at, ok, idx, tc.ok, tc.idx)
		}
		if ok && !r.Input.Equal(d(tc.want)) {
			t.Errorf("%s: input %s, want %s", tc.at, r.Input, tc.want)
		}
	}
}

const overrideFile = `{
  "schema_version": 1,
  "provider": "openai",
  "models": [
    {
      "id": "gpt-4o",
      "aliases": ["my-4o"],
      "prices": [
        {"until": "2026-01-01", "input_per_1m": "2", "output_per_1m": "8"},
        {"from": "2026-01-01", "input_per_1m": "1", "output_per_1m": "4", "cache_read_per_1m": "0.5",
         "batch": {"input_per_1m": "0.5", "output_per_1m": "2"}}
      ]
    },
    {
      "id": "in-house-model",
      "prices": [{"input_per_1m": "0.1", "output_per_1m": "0.2", "cache_write_5m_per_1m": "0.125"}]
    }
  ]
}`

func TestLoadFileAndMerge(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "override.json")
	if err := os.WriteFile(p, []byte(overrideFile), 0o644); err != nil {
		t.Fatal(err)
	}
	over, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	base := mustDefault(t)
	merged := base.Merge(over)
	if merged == base {
		t.Fatal("Merge returned the receiver")
	}
	if base.Lookup("in-house-model") != nil {
		t.Fatal("Merge modified the receiver")
	}
	if got := base.Lookup("gpt-4o").Prices[0].Base.Standard.Input; !got.Equal(d("2.5")) {
		t.Fatalf("base gpt-4o changed: %s", got)
	}
	m, ok := merged.Resolve("openai", "gpt-4o-2024-08-06")
	if !ok || m.ID != "gpt-4o" || len(m.Prices) != 2 {
		t.Fatalf("merged gpt-4o: %v", idOf(m))
	}
	// The replaced model's aliases are gone with it; the date fallback still
	// lands on the override.
	r, _, _, _, _ := m.Rates(date("2026-06-01"), record.TierStandard, 10)
	assertRates(t, "override 2026", r, "1/4/0.5/1/1")
	r, _, _, _, _ = m.Rates(date("2025-06-01"), record.TierStandard, 10)
	assertRates(t, "override 2025 defaults", r, "2/8/2/2/2")
	r, _, _, tierOK, _ := m.Rates(date("2026-06-01"), record.TierBatch, 10)
	if !tierOK {
		t.Fatal("batch tier missing")
	}
	assertRates(t, "override batch defaults", r, "0.5/2/0.5/0.5/0.5")
	if m, ok := merged.Resolve("", "my-4o"); !ok || m.ID != "gpt-4o" {
		t.Fatalf("alias: %v", idOf(m))
	}
	m, ok = merged.Resolve("", "in-house-model")
	if !ok {
		t.Fatal("in-house-model not resolved")
	}
	assertRates(t, "in-house", m.Prices[0].Base.Standard, "0.1/0.2/0.1/0.125/0.125")
	if merged.Len() != base.Len()+1 {
		t.Fatalf("merged has %d models, want %d", merged.Len(), base.Len()+1)
	}
	// Untouched models are shared.
	if merged.Lookup("claude-sonnet-4-5") != base.Lookup("claude-sonnet-4-5") {
		t.Fatal("untouched model copied")
	}
}

func TestMergeTakesAlias(t *testing.T) {
	base := mustDefault(t)
	over, err := Load(fstest.MapFS{"x.json": {Data: []byte(`{"schema_version":1,"provider":"openai","models":[
		{"id":"my-gpt4o-snapshot","aliases":["gpt-4o-2024-08-06"],"prices":[{"input_per_1m":"9","output_per_1m":"9"}]}]}`)}})
	if err != nil {
		t.Fatal(err)
	}
	merged := base.Merge(over)
	if m, _ := merged.Resolve("openai", "gpt-4o-2024-08-06"); idOf(m) != "openai:my-gpt4o-snapshot" {
		t.Fatalf("alias not taken over: %s", idOf(m))
	}
	if m, _ := merged.Resolve("openai", "gpt-4o"); idOf(m) != "openai:gpt-4o" {
		t.Fatalf("gpt-4o: %s", idOf(m))
	}
	if m, _ := base.Resolve("openai", "gpt-4o-2024-08-06"); idOf(m) != "openai:gpt-4o" {
		t.Fatalf("base changed: %s", idOf(m))
	}
}

func TestLoadErrors(t *testing.T) {
	good := `{"id":"a","prices":[{"input_per_1m":"1","output_per_1m":"2"}]}`
	tests := []struct {
		name, file, want string
	}{
		{"syntax", `{"schema_version":1,`, "bad.json"},
		{"schema", `{"schema_version":2,"provider":"p","models":[]}`, "schema_version 2"},
		{"no provider", `{"schema_version":1,"models":[]}`, "provider missing"},
		{"unknown field", `{"schema_version":1,"provider":"p","models":[{"id":"a","input":"1","prices":[]}]}`, "unknown field"},
		{"no input", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"output_per_1m":"2"}]}]}`, "model m1: price 0: input_per_1m missing"},
		{"bad decimal", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"input_per_1m":"x","output_per_1m":"2"}]}]}`, "model m1: price 0: input_per_1m: bad decimal"},
		{"negative", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"input_per_1m":"-1","output_per_1m":"2"}]}]}`, "bad.json: model m1: price 0: input is negative"},
		{"cache read above input", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"input_per_1m":"1","output_per_1m":"2","cache_read_per_1m":"1.5"}]}]}`, "cache_read 1.5 exceeds input 1"},
		{"batch above standard", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"input_per_1m":"1","output_per_1m":"2","batch":{"input_per_1m":"1","output_per_1m":"3"}}]}]}`, "batch output 3 exceeds standard 2"},
		{"long without threshold", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"input_per_1m":"1","output_per_1m":"2","long_context":{"above_input_tokens":0,"input_per_1m":"2","output_per_1m":"3"}}]}]}`, "above_input_tokens > 0"},
		{"overlap", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"until":"2025-02-01","input_per_1m":"1","output_per_1m":"2"},{"from":"2025-01-01","input_per_1m":"1","output_per_1m":"2"}]}]}`, "overlaps"},
		{"open window then another", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"input_per_1m":"1","output_per_1m":"2"},{"from":"2025-01-01","input_per_1m":"1","output_per_1m":"2"}]}]}`, "previous price has no until"},
		{"from after until", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"from":"2025-03-01","until":"2025-02-01","input_per_1m":"1","output_per_1m":"2"}]}]}`, "is not before until"},
		{"bad date", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[{"from":"2025-13-01","input_per_1m":"1","output_per_1m":"2"}]}]}`, "model m1: price 0: from: bad date"},
		{"no prices", `{"schema_version":1,"provider":"p","models":[{"id":"m1","prices":[]}]}`, "model m1: no prices"},
		{"duplicate id", `{"schema_version":1,"provider":"p","models":[` + good + `,` + good + `]}`, `"a" is already used by model a`},
		{"alias clash", `{"schema_version":1,"provider":"p","models":[` + good + `,{"id":"b","aliases":["A"],"prices":[{"input_per_1m":"1","output_per_1m":"2"}]}]}`, `model b: "A" is already used by model a`},
		{"geo", `{"schema_version":1,"provider":"p","models":[{"id":"m1","geo_multiplier":{"us":"0"},"prices":[{"input_per_1m":"1","output_per_1m":"2"}]}]}`, "geo_multiplier us"},
	}
	for _, tt := range tests {
		_, err := Load(fstest.MapFS{"bad.json": {Data: []byte(tt.file)}, "README.md": {Data: []byte("# not json")}})
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: error %q, want it to mention bad.json and %q", tt.name, err, tt.want)
		}
		if msg := err.Error(); strings.HasSuffix(msg, ".") || msg[:1] != strings.ToLower(msg[:1]) {
			t.Errorf("%s: error %q is not lower-case without a period", tt.name, msg)
		}
	}
}

func TestLoadIgnoresNonJSON(t *testing.T) {
	c, err := Load(fstest.MapFS{
		"a.json":     {Data: []byte(`{"schema_version":1,"provider":"p","models":[{"id":"m","prices":[{"input_per_1m":"1","output_per_1m":"2"}]}]}`)},
		"README.md":  {Data: []byte("{not json")},
		"sub/x.json": {Data: []byte("{not json")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1 || c.Lookup("M") == nil {
		t.Fatalf("unexpected catalog: %d models", c.Len())
	}
}

func TestToFileRoundTrip(t *testing.T) {
	c := mustDefault(t)
	var ms []*Model
	for _, m := range c.Models() {
		if m.Provider == ProviderOpenAI {
			ms = append(ms, m)
		}
	}
	f := ToFile(ProviderOpenAI, ms)
	dc := make(decCache)
	for i := range f.Models {
		m2, err := dc.model(ProviderOpenAI, &f.Models[i])
		if err != nil {
			t.Fatal(err)
		}
		m := ms[i]
		if m2.ID != m.ID || len(m2.Prices) != len(m.Prices) {
			t.Fatalf("%s: round trip changed the model", m.ID)
		}
		for j := range m.Prices {
			if !m2.Prices[j].Base.Standard.Equal(m.Prices[j].Base.Standard) || !m2.Prices[j].From.Equal(m.Prices[j].From) {
				t.Fatalf("%s: price %d changed", m.ID, j)
			}
		}
	}
}

func TestParseFormatTime(t *testing.T) {
	for _, s := range []string{"", "2025-06-10", "2025-06-10T12:30:00Z"} {
		tm, err := ParseTime(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatTime(tm); got != s {
			t.Errorf("round trip %q → %q", s, got)
		}
	}
	tm, err := ParseTime("2025-06-10T02:00:00+02:00")
	if err != nil || FormatTime(tm) != "2025-06-10" {
		t.Errorf("offset time: %v %q", err, FormatTime(tm))
	}
	if _, err := ParseTime("June 10"); err == nil {
		t.Error("bad time accepted")
	}
}

// Bedrock serves Claude 4.5 and later from a global endpoint and from
// regional ones (in-Region calls, geographic profiles) priced 10% higher,
// every token kind and tier alike (pricing-rules.md B5). Claude 4 and 4.1
// keep one price.
func TestBedrockRegionalPremium(t *testing.T) {
	c := mustDefault(t)
	checked := 0
	for _, m := range c.Models() {
		if m.Provider != "bedrock" || !strings.HasPrefix(m.ID, "anthropic.claude-") {
			continue
		}
		g := c.Lookup("global." + m.ID)
		if g == nil {
			continue
		}
		p, gp := &m.Prices[len(m.Prices)-1].Base, &g.Prices[len(g.Prices)-1].Base
		ratio := p.Standard.Input.Div(gp.Standard.Input)
		late := strings.Contains(m.ID, "-4-5") || strings.Contains(m.ID, "-4-6") || strings.Contains(m.ID, "-4-7") ||
			strings.Contains(m.ID, "-4-8") || strings.HasSuffix(m.ID, "-5")
		want := d("1")
		if late {
			want = d("1.1")
		}
		if !ratio.Equal(want) {
			t.Errorf("%s: %s against global %s (%s×), want %s×", m.ID, p.Standard.Input, gp.Standard.Input, ratio, want)
		}
		for _, pair := range [][2]decimal.Decimal{{p.Standard.Output, gp.Standard.Output}, {p.Standard.CacheRead, gp.Standard.CacheRead}, {p.Standard.CacheWrite5m, gp.Standard.CacheWrite5m}} {
			if !pair[0].Equal(pair[1].Mul(want)) {
				t.Errorf("%s: %s against global %s, want %s×", m.ID, pair[0], pair[1], want)
			}
		}
		if p.Batch != nil && gp.Batch != nil && !p.Batch.Input.Equal(gp.Batch.Input.Mul(want)) {
			t.Errorf("%s batch: %s against global %s", m.ID, p.Batch.Input, gp.Batch.Input)
		}
		if late {
			checked++
		}
	}
	if checked < 5 {
		t.Errorf("only %d in-Region Claude 4.5+ models with a global profile", checked)
	}
}
