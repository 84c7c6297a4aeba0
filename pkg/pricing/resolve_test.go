package pricing

import (
	"regexp"
	"sync"
	"testing"
)

func TestResolve(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		hint, model string
		want        string // provider:id, "" for unknown
	}{
		// Exact ids, aliases, case, gateway prefixes.
		{"", "gpt-4o", "openai:gpt-4o"},
		{"openai", "GPT-4o", "openai:gpt-4o"},
		{"", "  gpt-4o  ", "openai:gpt-4o"},
		{"", "openai/gpt-4o", "openai:gpt-4o"},
		{"azure", "azure/gpt-4o", "openai:gpt-4o"},
		{"", "openrouter/openai/gpt-4o-mini", "openai:gpt-4o-mini"},
		{"", "some-gateway/gpt-4o-mini", "openai:gpt-4o-mini"},
		// Dated ids: alias, own entry, unknown date falls back to the family.
		{"openai", "gpt-4o-2024-08-06", "openai:gpt-4o"},
		{"openai", "gpt-4o-2024-11-20", "openai:gpt-4o"},
		{"openai", "gpt-4o-2024-05-13", "openai:gpt-4o-2024-05-13"},
		{"openai", "gpt-4o-2099-01-01", "openai:gpt-4o"},
		{"openai", "gpt-4.1-mini-2025-04-14", "openai:gpt-4.1-mini"},
		{"openai", "o3-2025-04-16", "openai:o3"},
		{"openai", "gpt-4-0613", "openai:gpt-4"},
		{"openai", "gpt-3.5-turbo-0613", "openai:gpt-3.5-turbo-0613"},
		{"openai", "gpt-5.1-chat-latest", "openai:gpt-5.1-chat-latest"},
		// Anthropic.
		{"anthropic", "claude-sonnet-4-5-20250929", "anthropic:claude-sonnet-4-5"},
		{"anthropic", "claude-sonnet-4-5", "anthropic:claude-sonnet-4-5"},
		{"", "anthropic/claude-sonnet-4-5", "anthropic:claude-sonnet-4-5"},
		{"", "claude-sonnet-4-5-20250929", "anthropic:claude-sonnet-4-5"},
		{"anthropic", "claude-sonnet-4-5-20991231", "anthropic:claude-sonnet-4-5"},
		{"anthropic", "claude-3-5-haiku-latest", "anthropic:claude-3-5-haiku-20241022"},
		{"anthropic", "claude-3-5-haiku-20241022", "anthropic:claude-3-5-haiku-20241022"},
		{"anthropic", "claude-3-7-sonnet-latest", "anthropic:claude-3-7-sonnet-20250219"},
		{"anthropic", "claude-3-5-sonnet-latest", "anthropic:claude-3-5-sonnet-20241022"},
		{"anthropic", "claude-3-5-sonnet-20240620", "anthropic:claude-3-5-sonnet-20240620"},
		{"anthropic", "claude-sonnet-4-0", "anthropic:claude-sonnet-4-20250514"},
		{"anthropic", "claude-4-opus-20250514", "anthropic:claude-opus-4-20250514"},
		{"anthropic", "claude-opus-4-1-20250805", "anthropic:claude-opus-4-1"},
		{"openrouter", "openrouter/anthropic/claude-opus-4-6", "anthropic:claude-opus-4-6"},
		// Vertex: "@" versions, prefixes, resource paths, publishers.
		{"vertex", "claude-sonnet-4-5@20250929", "vertex:vertex_ai/claude-sonnet-4-5"},
		{"", "claude-sonnet-4-5@20250929", "vertex:vertex_ai/claude-sonnet-4-5"},
		{"", "vertex_ai/claude-sonnet-4-5@20250929", "vertex:vertex_ai/claude-sonnet-4-5"},
		{"vertex_ai", "claude-opus-4-6@default", "vertex:vertex_ai/claude-opus-4-6"},
		{"vertex", "claude-3-5-haiku@20241022", "vertex:vertex_ai/claude-3-5-haiku"},
		{"vertex", "claude-sonnet-4-5", "vertex:vertex_ai/claude-sonnet-4-5"},
		{"anthropic", "claude-sonnet-4-5@20250929", "anthropic:claude-sonnet-4-5"},
		{"vertex", "gemini-2.5-pro", "vertex:vertex_ai/gemini-2.5-pro"},
		{"google-vertex", "gemini-2.0-flash-001", "vertex:vertex_ai/gemini-2.0-flash-001"},
		{"", "projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-pro", "vertex:vertex_ai/gemini-2.5-pro"},
		{"vertex", "meta/llama-4-scout-17b-16e-instruct-maas", "vertex:vertex_ai/meta/llama-4-scout-17b-16e-instruct-maas"},
		{"vertex", "llama-4-scout-17b-16e-instruct-maas", "vertex:vertex_ai/meta/llama-4-scout-17b-16e-instruct-maas"},
		{"", "vertex_ai/mistralai/codestral-2@001", "vertex:vertex_ai/codestral-2"},
		// Gemini API.
		{"", "gemini-2.5-pro", "gemini:gemini-2.5-pro"},
		{"google", "gemini-2.5-pro", "gemini:gemini-2.5-pro"},
		{"", "gemini/gemini-2.5-flash", "gemini:gemini-2.5-flash"},
		{"", "models/gemini-2.5-flash", "gemini:gemini-2.5-flash"},
		{"gemini", "gemini-2.0-flash-001", "gemini:gemini-2.0-flash"},
		// Bedrock: model ids, inference profiles, ARNs, Claude ids from a
		// Bedrock log, LiteLLM routes.
		{"bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"openai", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:global.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:eu.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "apac.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "apac.anthropic.claude-3-opus-20240229-v1:0", "bedrock:us.anthropic.claude-3-opus-20240229-v1:0"},
		{"bedrock", "global.anthropic.claude-3-5-haiku-20241022-v1:0", "bedrock:anthropic.claude-3-5-haiku-20241022-v1:0"},
		{"bedrock", "us.anthropic.claude-sonnet-4-5-20250929", "bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:global.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0", "bedrock:anthropic.claude-3-5-haiku-20241022-v1:0"},
		{"anthropic", "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0", "bedrock:anthropic.claude-3-5-haiku-20241022-v1:0"},
		{"", "ARN:AWS:BEDROCK:US-EAST-1::FOUNDATION-MODEL/META.LLAMA3-1-70B-INSTRUCT-V1:0", "bedrock:meta.llama3-1-70b-instruct-v1:0"},
		{"bedrock", "claude-sonnet-4-5-20250929", "bedrock:anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "claude-sonnet-4-5-20250929-v1:0", "bedrock:anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "claude-3-5-haiku-20241022", "bedrock:anthropic.claude-3-5-haiku-20241022-v1:0"},
		{"aws", "anthropic.claude-3-haiku-20240307-v1:0:200k", "bedrock:anthropic.claude-3-haiku-20240307-v1:0"},
		{"", "bedrock/us-east-1/anthropic.claude-3-haiku-20240307-v1:0", "bedrock:anthropic.claude-3-haiku-20240307-v1:0"},
		{"", "bedrock/converse/us.anthropic.claude-sonnet-4-5-20250929-v1:0", "bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"bedrock", "meta.llama3-1-70b-instruct-v1:0", "bedrock:meta.llama3-1-70b-instruct-v1:0"},
		{"bedrock", "amazon.nova-pro-v1:0", "bedrock:amazon.nova-pro-v1:0"},
		{"bedrock", "nova-pro", "bedrock:amazon.nova-pro-v1:0"},
		{"bedrock", "cohere.command-r-plus-v1:0", "bedrock:cohere.command-r-plus-v1:0"},
		{"bedrock", "mistral.mistral-large-2407-v1:0", "bedrock:mistral.mistral-large-2407-v1:0"},
		{"bedrock", "mistral-large-2407", "bedrock:mistral.mistral-large-2407-v1:0"},
		// Other providers.
		{"", "mistral-large-2407", "mistral:mistral-large-2407"},
		{"", "mistral/mistral-large-latest", "mistral:mistral-large-2512"},
		{"mistral", "mistral-large-latest", "mistral:mistral-large-2512"},
		{"", "deepseek-chat", "deepseek:deepseek-chat"},
		{"", "deepseek/deepseek-reasoner", "deepseek:deepseek-reasoner"},
		{"", "grok-4", "xai:grok-4"},
		{"", "xai/grok-4-0709", "xai:grok-4"},
		{"xai", "grok-4-1-fast-reasoning-latest", "xai:grok-4-1-fast-reasoning"},
		// A hint for a provider without the model falls back to the others.
		{"bedrock", "gpt-4o", "openai:gpt-4o"},
		{"openai", "claude-sonnet-4-5", "anthropic:claude-sonnet-4-5"},
		// Unknown.
		{"", "", ""},
		{"openai", "gpt-9000-ultra", ""},
		{"", "ft:gpt-4o-mini-2024-07-18:acme::abc123", ""},
		{"bedrock", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3", ""},
		{"", "arn:aws:sagemaker:us-east-1:123:endpoint/x", ""},
		{"", "text-embedding-3-small", ""},
		{"", "dall-e-3", ""},
		{"anthropic", "claude-instant-9", ""},
	}
	for _, tt := range tests {
		m, ok := c.Resolve(tt.hint, tt.model)
		got := ""
		if ok {
			got = idOf(m)
		} else if m != nil {
			t.Errorf("Resolve(%q, %q): ok=false with a model", tt.hint, tt.model)
		}
		if got != tt.want {
			t.Errorf("Resolve(%q, %q) = %q, want %q", tt.hint, tt.model, got, tt.want)
		}
	}
}

func TestNormalizeProvider(t *testing.T) {
	for in, want := range map[string]string{
		"openai": "openai", "Azure": "openai", "azure_openai": "openai", "anthropic": "anthropic",
		"bedrock": "bedrock", "aws_bedrock": "bedrock", "amazon": "bedrock", "gemini": "gemini",
		"google": "gemini", "vertex_ai": "vertex", "Vertex AI": "vertex", "mistralai": "mistral",
		"deepseek": "deepseek", "x-ai": "xai", "": "", "openrouter": "", "acme": "",
	} {
		if got := NormalizeProvider(in); got != want {
			t.Errorf("NormalizeProvider(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResolveConcurrent(t *testing.T) {
	c := mustDefault(t)
	ids := []string{"gpt-4o-2024-08-06", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5@20250929", "nope"}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				c.Resolve("", ids[(g+i)%len(ids)])
			}
		}(g)
	}
	wg.Wait()
}

func FuzzResolve(f *testing.F) {
	c := mustDefault(f)
	for _, s := range []string{
		"gpt-4o", "claude-sonnet-4-5@20250929", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
		"arn:aws:bedrock:us-east-1:1:inference-profile/us.x", "arn:", "arn:aws:bedrock:::/",
		"projects/p/publishers/", "publishers/x/models/", "models/", "bedrock/us-east-1/",
		"@", "-latest", "/", "a/b/c/", "ft:", "us.", "global.x.y-v1:0:200k", "gpt-4o-2024-08-06",
	} {
		f.Add("", s)
		f.Add("bedrock", s)
	}
	f.Fuzz(func(t *testing.T, hint, model string) {
		m, ok := c.Resolve(hint, model)
		if ok != (m != nil) {
			t.Fatalf("Resolve(%q, %q): ok=%v model=%v", hint, model, ok, m)
		}
		if r := RegionOf(model); r != "" && !IsRegion(r) {
			t.Fatalf("RegionOf(%q) = %q, not a Region", model, r)
		}
	})
}

func TestTrimBedrockVersion(t *testing.T) {
	re := regexp.MustCompile(`(-v\d+(:\d+)?|-\d+:\d+|:\d+)$`)
	for _, s := range []string{
		"anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-opus-4-6-v1", "anthropic.claude-v2:1",
		"mistral.mistral-7b-instruct-v0:2", "openai.gpt-oss-120b-1:0", "cohere.command-text-v14",
		"deepseek.v3.2", "mistral.devstral-2-123b", "x:", "x-v", "-v1", ":1", "a-:1", "a-v:1", "gpt-4o",
		"claude-3-5-sonnet-v2", "a-b-1", "", "v1:0", "x-12:34",
	} {
		if got, want := trimBedrockVersion(s), re.ReplaceAllString(s, ""); got != want {
			t.Errorf("trimBedrockVersion(%q) = %q, want %q", s, got, want)
		}
	}
}
