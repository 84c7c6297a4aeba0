package main

import (
	"strings"
	"testing"
	"time"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

func TestClassifyOpenHost(t *testing.T) {
	for _, tt := range []struct {
		lp, key, provider, skip string
	}{
		{"together_ai", "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together", ""},
		{"together_ai", "together-ai-41.1b-80b", "", "not a model"},
		{"groq", "groq/llama-3.3-70b-versatile", "groq", ""},
		{"groq", "groq/meta-llama/llama-guard-4-12b", "", "open-model host: not a text chat model"},
		{"groq", "groq/openai/gpt-oss-safeguard-20b", "", "open-model host: not a text chat model"},
		{"deepinfra", "deepinfra/anthropic/claude-4-sonnet", "", "open-model host: not an open-weight text family"},
		{"deepinfra", "deepinfra/google/gemini-2.5-pro", "", "open-model host: not an open-weight text family"},
		{"deepinfra", "deepinfra/google/gemma-3-27b-it", "deepinfra", ""},
		{"deepinfra", "deepinfra/Qwen/Qwen2.5-VL-32B-Instruct", "", "open-model host: not a text chat model"},
		{"fireworks_ai", "fireworks_ai/accounts/fireworks/models/qwen3-vl-8b-instruct", "", "open-model host: not a text chat model"},
		{"fireworks_ai", "fireworks_ai/accounts/fireworks/models/deepseek-coder-7b-base", "", "open-model host: not a text chat model"},
		{"fireworks_ai", "fireworks_ai/accounts/fireworks/models/qwen3-1p7b-fp8-draft", "", "open-model host: not a text chat model"},
		{"fireworks_ai", "fireworks_ai/accounts/fireworks/models/mixtral-8x7b-instruct", "fireworks", ""},
		{"fireworks_ai", "fireworks_ai/gpt-oss-120b", "fireworks", ""},
	} {
		p, id, skip := classify(tt.key, fields{"litellm_provider": tt.lp, "mode": "chat"})
		if p != tt.provider || skip != tt.skip || (skip == "" && id != tt.key) {
			t.Errorf("classify(%s) = %q, %q, %q; want %q, %q", tt.key, p, id, skip, tt.provider, tt.skip)
		}
	}
}

func TestConvertOpenHosts(t *testing.T) {
	files, rep, cat := convertTiny(t)
	for _, p := range []string{"together", "groq", "deepinfra", "fireworks"} {
		if _, ok := files[p+".json"]; !ok {
			t.Errorf("no %s.json", p)
		}
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		hint, model, want, id string
	}{
		{"together", "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "0.88/0.88/0.88/0.88/0.88", "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo"},
		{"groq", "groq/llama-3.3-70b-versatile", "0.59/0.79/0.59/0.59/0.59", "groq/llama-3.3-70b-versatile"},
		// Groq's cached-input price comes from LiteLLM.
		{"groq", "groq/openai/gpt-oss-120b", "0.15/0.6/0.075/0.15/0.15", "groq/openai/gpt-oss-120b"},
		{"deepinfra", "deepinfra/meta-llama/Llama-3.3-70B-Instruct", "0.23/0.4/0.23/0.23/0.23", "deepinfra/meta-llama/Llama-3.3-70B-Instruct"},
		// Fireworks: the short LiteLLM key and the API's own name are aliases
		// of the account path.
		{"fireworks", "fireworks_ai/gpt-oss-120b", "0.15/0.6/0.015/0.15/0.15", "fireworks_ai/accounts/fireworks/models/gpt-oss-120b"},
		{"fireworks", "accounts/fireworks/models/gpt-oss-120b", "0.15/0.6/0.015/0.15/0.15", "fireworks_ai/accounts/fireworks/models/gpt-oss-120b"},
		// A dated snapshot priced like its family is merged, and the API
		// spelling of the snapshot follows it.
		{"fireworks", "accounts/fireworks/models/deepseek-r1-0528", "3/8/3/3/3", "fireworks_ai/accounts/fireworks/models/deepseek-r1"},
	} {
		got, m := rates(t, cat, tt.hint, tt.model, now, record.TierStandard, 10)
		if got != tt.want || m.ID != tt.id {
			t.Errorf("%s: %s → %s, want %s → %s", tt.model, m.ID, got, tt.id, tt.want)
		}
		if _, ok := m.Prices[0].Base.Tier(record.TierBatch); ok {
			t.Errorf("%s: batch tier derived for an open-model host", m.ID)
		}
	}
	for _, missing := range []string{"deepinfra/anthropic/claude-4-sonnet", "groq/meta-llama/llama-guard-4-12b", "together-ai-41.1b-80b", "deepinfra/Qwen/Qwen2.5-VL-32B-Instruct"} {
		if m := cat.Lookup(missing); m != nil {
			t.Errorf("%s is in the catalog", missing)
		}
	}
	if m := cat.Lookup("groq/llama-3.3-70b-versatile"); m == nil || m.Name != "Llama 3.3 70b Versatile (Groq)" {
		t.Errorf("groq name: %+v", m)
	}
	if rep.Models["fireworks"] != 2 || rep.Models["together"] != 1 {
		t.Errorf("models per provider: %v", rep.Models)
	}
}

// TestOpenHostCoverage checks the committed catalog (pricing-data, which
// TestCatalogUpToDate keeps in step with the generator) for the open-model
// offers that `llmcost breakeven` compares self-hosting with.
func TestOpenHostCoverage(t *testing.T) {
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"together": {"together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together_ai/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo",
			"together_ai/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "together_ai/meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo",
			"together_ai/openai/gpt-oss-120b", "together_ai/openai/gpt-oss-20b", "together_ai/deepseek-ai/DeepSeek-V3",
			"together_ai/mistralai/Mixtral-8x7B-Instruct-v0.1"},
		"groq": {"groq/llama-3.3-70b-versatile", "groq/llama-3.1-8b-instant", "groq/openai/gpt-oss-120b", "groq/openai/gpt-oss-20b",
			"groq/qwen/qwen3-32b"},
		"deepinfra": {"deepinfra/meta-llama/Llama-3.3-70B-Instruct", "deepinfra/meta-llama/Llama-3.3-70B-Instruct-Turbo",
			"deepinfra/meta-llama/Meta-Llama-3.1-70B-Instruct", "deepinfra/meta-llama/Meta-Llama-3.1-8B-Instruct",
			"deepinfra/Qwen/Qwen2.5-72B-Instruct", "deepinfra/Qwen/Qwen2.5-7B-Instruct", "deepinfra/deepseek-ai/DeepSeek-V3",
			"deepinfra/deepseek-ai/DeepSeek-R1", "deepinfra/mistralai/Mixtral-8x7B-Instruct-v0.1",
			"deepinfra/mistralai/Mistral-Small-24B-Instruct-2501", "deepinfra/openai/gpt-oss-120b", "deepinfra/google/gemma-3-27b-it"},
		"fireworks": {"fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct", "fireworks_ai/accounts/fireworks/models/llama-v3p1-70b-instruct",
			"fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct", "fireworks_ai/accounts/fireworks/models/gpt-oss-120b",
			"fireworks_ai/accounts/fireworks/models/deepseek-v3", "fireworks_ai/accounts/fireworks/models/mixtral-8x7b-instruct",
			"fireworks_ai/accounts/fireworks/models/qwen2p5-72b-instruct"},
	}
	for prov, ids := range want {
		n := 0
		for _, m := range cat.Models() {
			if m.Provider == prov {
				n++
			}
		}
		if n < len(ids) {
			t.Errorf("%s: only %d models", prov, n)
		}
		for _, id := range ids {
			m := cat.Lookup(id)
			switch {
			case m == nil:
				t.Errorf("%s: %s missing", prov, id)
			case m.Provider != prov:
				t.Errorf("%s: provider %s, want %s", id, m.Provider, prov)
			}
		}
	}
	// No closed model, guard model or vision model slipped in.
	for _, m := range cat.Models() {
		switch m.Provider {
		case "together", "groq", "deepinfra", "fireworks":
		default:
			continue
		}
		if reNotTextChat.MatchString(strings.ToLower(m.ID)) || !reOpenFamily.MatchString(strings.ToLower(m.ID)) {
			t.Errorf("%s: %s is not an open-weight text chat model", m.Provider, m.ID)
		}
	}
}
