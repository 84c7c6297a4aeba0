package tokenize

import (
	"errors"
	"strings"
	"testing"
)

func TestForModel(t *testing.T) {
	tests := []struct {
		provider, model string
		want            string // encoding name, or family name for estimates
		exact           bool
	}{
		{"", "gpt-4o", O200kBase, true},
		{"openai", "gpt-4o-2024-08-06", O200kBase, true},
		{"", "gpt-4o-mini", O200kBase, true},
		{"", "chatgpt-4o-latest", O200kBase, true},
		{"", "gpt-4.1-nano", O200kBase, true},
		{"", "gpt-4.5-preview", O200kBase, true},
		{"", "gpt-5", O200kBase, true},
		{"", "gpt-5.2-codex", O200kBase, true},
		{"", "o1", O200kBase, true},
		{"", "o1-mini-2024-09-12", O200kBase, true},
		{"", "o3", O200kBase, true},
		{"", "o3-deep-research", O200kBase, true},
		{"", "o4-mini", O200kBase, true},
		{"", "codex-mini-latest", O200kBase, true},
		{"bedrock", "openai.gpt-oss-120b-1:0", O200kBase, true},
		{"", "openai/gpt-4o", O200kBase, true},
		{"", "GPT-4O", O200kBase, true},
		{"", "gpt-4", Cl100kBase, true},
		{"", "gpt-4-0613", Cl100kBase, true},
		{"", "gpt-4-turbo", Cl100kBase, true},
		{"", "gpt-4-32k", Cl100kBase, true},
		{"", "gpt-3.5-turbo", Cl100kBase, true},
		{"azure", "gpt-35-turbo-16k", Cl100kBase, true},
		{"", "text-embedding-3-small", Cl100kBase, true},
		{"", "text-embedding-ada-002", Cl100kBase, true},
		{"", "davinci-002", Cl100kBase, true},
		{"", "text-davinci-003", P50kBase, true},
		{"", "code-davinci-002", P50kBase, true},
		{"", "text-davinci-001", R50kBase, true},
		{"", "davinci", R50kBase, true},
		{"openai", "gpt-9-ultra", "openai", false},
		{"", "claude-3-5-sonnet-20241022", "claude", false},
		{"", "claude-3-haiku-20240307", "claude", false},
		{"", "claude-sonnet-4-5", "claude", false},
		{"", "claude-opus-4-20250514", "claude", false},
		{"", "claude-opus-4-6", "claude", false},
		{"", "claude-haiku-4-5", "claude", false},
		{"", "claude-2.1", "claude", false},
		{"bedrock", "anthropic.claude-v2:1", "claude", false},
		{"", "claude-opus-4-7", "claude-4.7", false},
		{"", "claude-opus-4-8", "claude-4.7", false},
		{"", "claude-opus-5", "claude-4.7", false},
		{"", "claude-fable-5", "claude-4.7", false},
		{"bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude", false},
		{"bedrock", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-opus-4-7", "claude-4.7", false},
		{"vertex", "vertex_ai/claude-3-7-sonnet@20250219", "claude", false},
		{"", "anthropic/claude-3.5-sonnet", "claude", false},
		{"anthropic", "some-future-name", "claude", false},
		{"", "gemini-2.5-pro", "gemini", false},
		{"", "models/gemini-2.0-flash", "gemini", false},
		{"vertex", "projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash", "gemini", false},
		{"bedrock", "google.gemma-3-27b-it", "gemini", false},
		{"bedrock", "meta.llama3-1-70b-instruct-v1:0", "llama-3", false},
		{"vertex", "vertex_ai/meta/llama-3.1-405b-instruct-maas", "llama-3", false},
		{"bedrock", "meta.llama4-scout-17b-instruct-v1:0", "llama-4", false},
		{"bedrock", "meta.llama2-13b-chat-v1", "llama-2", false},
		{"", "mistral-large-2411", "mistral", false},
		{"", "open-mixtral-8x22b", "mistral", false},
		{"", "codestral-2508", "mistral", false},
		{"bedrock", "mistral.pixtral-large-2502-v1:0", "mistral", false},
		{"", "devstral-small-2507", "mistral", false},
		{"bedrock", "amazon.nova-pro-v1:0", "amazon", false},
		{"bedrock", "apac.amazon.nova-micro-v1:0", "amazon", false},
		{"bedrock", "amazon.titan-text-express-v1", "amazon", false},
		{"bedrock", "cohere.command-r-plus-v1:0", "cohere", false},
		{"", "deepseek-chat", "deepseek", false},
		{"", "deepseek-reasoner", "deepseek", false},
		{"bedrock", "deepseek.v3-v1:0", "deepseek", false},
		{"", "grok-4", "grok", false},
		{"", "grok-code-fast-1", "grok", false},
		{"bedrock", "xai.grok-4.3", "grok", false},
	}
	for _, tt := range tests {
		c, err := ForModel(tt.provider, tt.model)
		if err != nil {
			t.Errorf("ForModel(%q, %q): %v", tt.provider, tt.model, err)
			continue
		}
		if c.Exact() != tt.exact {
			t.Errorf("ForModel(%q, %q).Exact() = %v, want %v", tt.provider, tt.model, c.Exact(), tt.exact)
		}
		got := c.Name()
		if est, ok := c.(*Estimate); ok {
			got = est.Family
		}
		if got != tt.want {
			t.Errorf("ForModel(%q, %q) = %s, want %s", tt.provider, tt.model, got, tt.want)
		}
	}
}

func TestForModelUnknown(t *testing.T) {
	for _, m := range []string{"", "acme-llm-9", "qwen.qwen3-32b-v1:0", "writer.palmyra-x5-v1:0", "ft:gpt-4o:acme::abc"} {
		_, err := ForModel("bedrock", m)
		if !errors.Is(err, ErrUnknownModel) {
			t.Errorf("ForModel(%q): err = %v, want ErrUnknownModel", m, err)
		}
	}
}

func TestForEncoding(t *testing.T) {
	for _, name := range Encodings() {
		e, err := ForEncoding(name)
		if err != nil || e.Name() != name || !e.Exact() {
			t.Errorf("ForEncoding(%q) = %v, %v", name, e, err)
		}
	}
	if _, err := ForEncoding("o300k"); err == nil || !strings.Contains(err.Error(), "o200k_base") {
		t.Errorf("unknown encoding: err = %v, want the list of known encodings", err)
	}
}

// Every estimate is stated: a factor, a bound and the basis it rests on.
func TestFamilies(t *testing.T) {
	if len(Families()) != len(families) {
		t.Errorf("familyOrder lists %d families, want %d", len(Families()), len(families))
	}
	for name, f := range families {
		est, err := estimateFor(name)
		if err != nil {
			t.Fatal(err)
		}
		if est.Exact() || est.Factor <= 0 || est.Bound <= 0 || est.Bound >= 1 || len(est.Basis) < 40 {
			t.Errorf("family %s: %+v", name, f)
		}
		text := []byte("The quick brown fox jumps over the lazy dog.")
		if got, want := est.Count(text), int(float64(est.Base.Count(text))*est.Factor+0.5); got != want {
			t.Errorf("family %s: Count = %d, want %d", name, got, want)
		}
	}
	for _, r := range modelRules {
		if r.family != "" {
			if _, ok := families[r.family]; !ok {
				t.Errorf("rule %q: unknown family %q", r.pattern, r.family)
			}
		} else if _, ok := encodings[r.encoding]; !ok {
			t.Errorf("rule %q: unknown encoding %q", r.pattern, r.encoding)
		}
	}
}
