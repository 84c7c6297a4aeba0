package ingest

import "testing"

func TestBedrockUsageTypes(t *testing.T) {
	for _, tc := range []struct {
		ut, model string
		kind      curKind
		tier      string
	}{
		{"USE1-Claude4.6Sonnet-input-tokens", "anthropic.claude-sonnet-4-6", curInput, "standard"},
		{"USE1-Claude4.6Opus-output-tokens", "anthropic.claude-opus-4-6-v1", curOutput, "standard"},
		{"USW2-Claude4.5Sonnet-cache-read-input-token-count", "anthropic.claude-sonnet-4-5-20250929-v1:0", curCacheRead, "standard"},
		{"USE1-Claude4.5Haiku-cache-write-input-token-count", "anthropic.claude-haiku-4-5-20251001-v1:0", curCacheWrite, "standard"},
		{"USE1-Claude3.5SonnetV2-batch-input-tokens", "anthropic.claude-3-5-sonnet-20241022-v2:0", curInput, "batch"},
		{"USE1-Claude3Haiku-input-tokens", "anthropic.claude-3-haiku-20240307-v1:0", curInput, "standard"},
		{"USE1-Claude4.5Sonnet-global-input-tokens", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", curInput, "standard"},
		{"USE1-Claude4.5Sonnet-cross-region-output-tokens", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", curOutput, "standard"},
		{"EUC1-Claude4.5Sonnet-cross-region-output-tokens", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", curOutput, "standard"},
		{"USE1-NovaPro-input-tokens", "amazon.nova-pro-v1:0", curInput, "standard"},
		{"USE1-Nova2Lite-flex-output-tokens", "amazon.nova-2-lite-v1:0", curOutput, "flex"},
		{"USW2-Llama3.3-70B-input-tokens", "meta.llama3-3-70b-instruct-v1:0", curInput, "standard"},
		{"USE1-Llama4-Maverick-17B-output-tokens", "meta.llama4-maverick-17b-instruct-v1:0", curOutput, "standard"},
		{"USE1-ClaudeSonnet5-priority-input-tokens", "anthropic.claude-sonnet-5", curInput, "priority"},
		{"USE1-MistralLarge-input-tokens", "MistralLarge", curInput, "standard"},
		{"USE1-mantle-input-tokens-gpt-oss-120b", "gpt-oss-120b", curInput, "standard"},
		{"USE1-GuardrailsTextUnit", "", curNone, "standard"},
	} {
		u := parseUsageType(tc.ut)
		p := newParser()
		model := ""
		if u.kind != curNone {
			model = p.curModel(u, nil, nil)
		}
		if u.kind != tc.kind || model != tc.model || u.tier.String() != tc.tier {
			t.Errorf("%s: kind %d model %q tier %s (stem %q), want %d %q %s", tc.ut, u.kind, model, u.tier, u.stem, tc.kind, tc.model, tc.tier)
		}
	}
}
