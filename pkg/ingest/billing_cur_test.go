package ingest

import (
	"testing"

	"github.com/llmcost/llmcost/pkg/pricing"
)

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

// Usage types as AWS writes them, verbatim, and what they must map to:
// the catalog model (resolved by the embedded catalog, so a spelling that
// maps to an id the catalog lacks fails here), the token kind, the tier,
// the Region of the usage type's billing code, and the long-context band.
// Sources (shared/formats/bedrock.md §3 has the patterns):
//
//	[blog]  AWS Machine Learning blog, "Part 2: Amazon Bedrock cost attribution with
//	        Amazon Athena and CUDOS" (2026-08-12), example CUR 2.0 query output
//	        https://aws.amazon.com/blogs/machine-learning/part-2-amazon-bedrock-cost-attribution-with-amazon-athena-and-cudos
//	[pl]    AWS Price List items recorded in github.com/stdapi-ai/stdapi.ai,
//	        tests/fixtures/pricing/bedrock_sample.json and its pricing tests
//	[pl2]   AWS Price List records (us-west-2, published 2026-10-03) quoted in a
//	        public project's tests (no stable URL)
//	[ce]    Cost Explorer usage types in a public cost-drift checker's tests (no stable URL)
//	[mp]    Marketplace dimension names (…_InputTokenCount, …_CacheWrite1hInputTokenCount,
//	        …_input_tokens[_long_ctx][_global]_standard) described in public
//	        price-list parsers (no stable URL)
//	[codes] AWS Region billing codes,
//	        https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html
func TestBedrockUsageTypesReal(t *testing.T) {
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ut, product string // usage type, product name (Marketplace rows)
		model       string // catalog id, "" for a charge that is not tokens
		kind        curKind
		tier        string
		region      string
		long        bool
	}{
		{"USW2-Claude4.6Sonnet-input-tokens", "", "anthropic.claude-sonnet-4-6", curInput, "standard", "us-west-2", false},                                                                                      // [blog]
		{"USW2-Claude4.6Sonnet-output-tokens", "", "anthropic.claude-sonnet-4-6", curOutput, "standard", "us-west-2", false},                                                                                    // [blog]
		{"USW2-Claude4.6Sonnet-cache-read-input-token-count", "", "anthropic.claude-sonnet-4-6", curCacheRead, "standard", "us-west-2", false},                                                                  // [blog]
		{"USW2-Claude4.6Sonnet-cache-write-input-token-count", "", "anthropic.claude-sonnet-4-6", curCacheWrite, "standard", "us-west-2", false},                                                                // [blog]
		{"USW2-Claude4.5Sonnet-input-tokens", "", "anthropic.claude-sonnet-4-5-20250929-v1:0", curInput, "standard", "us-west-2", false},                                                                        // [blog]
		{"USW2-anthropic.claude-opus-4-8-mantle-cache-write-tokens-standard", "", "anthropic.claude-opus-4-8", curCacheWrite, "standard", "us-west-2", false},                                                   // [blog]
		{"USE1-NovaLite-output-tokens", "", "amazon.nova-lite-v1:0", curOutput, "standard", "us-east-1", false},                                                                                                 // [blog], [pl]
		{"USE1-Claude4Sonnet-input-tokens-cross-region-global", "", "global.anthropic.claude-sonnet-4-20250514-v1:0", curInput, "standard", "us-east-1", false},                                                 // [pl]
		{"USE1-Claude4Sonnet-cache-read-input-token-count-cross-region-global", "", "global.anthropic.claude-sonnet-4-20250514-v1:0", curCacheRead, "standard", "us-east-1", false},                             // [pl]
		{"USE1-Claude4Sonnet-input-tokens-flex", "", "anthropic.claude-sonnet-4-20250514-v1:0", curInput, "flex", "us-east-1", false},                                                                           // [pl]
		{"USE1-Nova2.0Lite-output-tokens-cross-region-global-batch", "", "global.amazon.nova-2-lite-v1:0", curOutput, "batch", "us-east-1", false},                                                              // [pl]
		{"USE1-NovaMicro-Model-Customization-input-tokens", "", "", curNone, "standard", "us-east-1", false},                                                                                                    // [pl] training, not inference
		{"EUW1-NovaPro-input-tokens", "", "amazon.nova-pro-v1:0", curInput, "standard", "eu-west-1", false},                                                                                                     // [pl]; AWS's code is EU [codes]
		{"EU-NovaPro-input-tokens", "", "amazon.nova-pro-v1:0", curInput, "standard", "eu-west-1", false},                                                                                                       // [codes]
		{"USE1-MP:USE1_InputTokenCount_Global-Units", "Claude Opus 4.5 (Amazon Bedrock Edition)", "global.anthropic.claude-opus-4-5-20251101-v1:0", curInput, "standard", "us-east-1", false},                   // [pl]
		{"USW2-Mistral-Large-3-675b-Instruct-input-tokens-batch", "", "mistral.mistral-large-3-675b-instruct", curInput, "batch", "us-west-2", false},                                                           // [pl2]
		{"USW2-mistral.mistral-large-3-675b-instruct-mantle-output-tokens-priority", "", "mistral.mistral-large-3-675b-instruct", curOutput, "priority", "us-west-2", false},                                    // [pl2]
		{"USW2-Claude3Sonnet-input-tokens", "", "anthropic.claude-3-sonnet-20240229-v1:0", curInput, "standard", "us-west-2", false},                                                                            // [pl2]
		{"USW2-Claude3Haiku-input-tokens", "", "anthropic.claude-3-haiku-20240307-v1:0", curInput, "standard", "us-west-2", false},                                                                              // [pl2]
		{"USW2-Claude2.0-input-tokens", "", "anthropic.claude-v2:1", curInput, "standard", "us-west-2", false},                                                                                                  // [pl2] (was unmapped); the catalog prices Claude 2.0 as 2.1
		{"USW2-Claude2.1-input-tokens", "", "anthropic.claude-v2:1", curInput, "standard", "us-west-2", false},                                                                                                  // [pl2]
		{"USW2-ClaudeInstant-input-tokens", "", "anthropic.claude-instant-v1", curInput, "standard", "us-west-2", false},                                                                                        // [pl2]
		{"USE1-KimiK2.5-mantle-input-tokens-standard", "", "moonshotai.kimi-k2.5", curInput, "standard", "us-east-1", false},                                                                                    // [ce] (was unmapped)
		{"USW2-Claude4.5Sonnet-reserved-3-month-input-tokens-per-minute-cross-region-geo", "", "", curNone, "standard", "us-west-2", false},                                                                     // reserved capacity, not tokens (was read as input tokens)
		{"USE1-MP:USE1_CacheReadInputTokenCount-Units", "Claude Sonnet 4.5 (Amazon Bedrock Edition)", "anthropic.claude-sonnet-4-5-20250929-v1:0", curCacheRead, "standard", "us-east-1", false},                // [mp]
		{"USE1-MP:USE1_CacheWrite1hInputTokenCount-Units", "Claude Sonnet 4.5 (Amazon Bedrock Edition)", "anthropic.claude-sonnet-4-5-20250929-v1:0", curCacheWrite1h, "standard", "us-east-1", false},          // [mp]
		{"USW2-MP:USW2_input_tokens_long_ctx_global_standard-Units", "Claude Sonnet 4.5 (Amazon Bedrock Edition)", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", curInput, "standard", "us-west-2", true}, // [mp]
	} {
		u := parseUsageType(tc.ut)
		model := ""
		if u.kind != curNone {
			model = newParser().curModel(u, nil, []byte(tc.product))
		}
		if u.kind != tc.kind || u.tier.String() != tc.tier || u.regionName != tc.region || u.long != tc.long {
			t.Errorf("%s: kind %d tier %s region %q long %v, want %d %s %q %v", tc.ut, u.kind, u.tier, u.regionName, u.long, tc.kind, tc.tier, tc.region, tc.long)
		}
		if tc.model == "" {
			if u.kind != curNone {
				t.Errorf("%s: read as tokens of %s", tc.ut, model)
			}
			continue
		}
		m, ok := cat.Resolve("bedrock", model)
		if !ok || m.ID != tc.model {
			got := "(none)"
			if ok {
				got = m.ID
			}
			t.Errorf("%s: model %q resolves to %s, want %s", tc.ut, model, got, tc.model)
		}
	}
}
