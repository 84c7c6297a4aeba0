package main

// Manual corrections to the LiteLLM catalog. Every entry cites its source:
//
//   - SOURCE.md   = /work/shared/data/litellm/SOURCE.md, "Known data issues"
//   - rules Xn    = /work/shared/data/pricing-rules.md, rule Xn (A = Anthropic,
//     O = OpenAI, B = Bedrock, G = Gemini/Vertex; §6 = the cross-check table)
//
// Generic rules (cache multipliers, batch 50 %, …) live in derive.go; this
// file holds the entry-specific fixes, the price history and the aliases that
// LiteLLM does not carry.

// rawPatch corrects LiteLLM entries before derivation. Values are in
// LiteLLM's unit (USD per token, as decimal strings, converted exactly).
type rawPatch struct {
	keys []string          // LiteLLM keys (2026-07-24 or 2025-11-21 copy)
	set  map[string]string // field → value
	del  []string          // fields to drop
	note string            // recorded in the price's "source"
}

var rawPatches = []rawPatch{
	{
		// SOURCE.md: cache_creation_input_token_cost_above_1hr is 6e-06 on old
		// Claude entries; rules A1 official 1-hour writes: Opus 3 $30,
		// Haiku 3.5 $1.60, Haiku 3 $0.50. (derive.go also enforces 1h = 2x
		// input for every Claude model, so this is belt and braces.)
		keys: []string{"claude-3-opus-20240229", "claude-3-opus-latest"},
		set:  map[string]string{"cache_creation_input_token_cost_above_1hr": "3e-05"},
		note: "1h write $30 (SOURCE.md known issues, rules A1)",
	},
	{
		keys: []string{"claude-3-haiku-20240307"},
		set:  map[string]string{"cache_creation_input_token_cost_above_1hr": "5e-07"},
		note: "1h write $0.50 (SOURCE.md known issues, rules A1)",
	},
	{
		// rules A1 and §6 cross-check: Haiku 3.5 is $0.80 / $4, 5m write $1,
		// 1h write $1.60, hit $0.08. LiteLLM's -latest alias says $1 / $5.
		keys: []string{"claude-3-5-haiku-20241022", "claude-3-5-haiku-latest"},
		set: map[string]string{
			"input_cost_per_token":                      "8e-07",
			"output_cost_per_token":                     "4e-06",
			"cache_creation_input_token_cost":           "1e-06",
			"cache_creation_input_token_cost_above_1hr": "1.6e-06",
			"cache_read_input_token_cost":               "8e-08",
		},
		note: "Haiku 3.5 $0.80/$4 (rules A1 and §6, SOURCE.md known issues)",
	},
	{
		// Same model on Vertex: LiteLLM keeps the $1 / $5 figure. Assumption:
		// Vertex lists Anthropic's price (rules A1 / §6); flagged in README.
		keys: []string{"vertex_ai/claude-3-5-haiku", "vertex_ai/claude-3-5-haiku@20241022"},
		set: map[string]string{
			"input_cost_per_token":  "8e-07",
			"output_cost_per_token": "4e-06",
		},
		note: "Haiku 3.5 $0.80/$4 as on Anthropic (rules A1 and §6, assumed for Vertex)",
	},
	{
		// LiteLLM 2026-07-24 prices the EU Haiku 3.5 profile like Haiku 3
		// ($0.25/$1.25); the us. profile and the in-Region id are $0.80/$4.
		keys: []string{"eu.anthropic.claude-3-5-haiku-20241022-v1:0"},
		set: map[string]string{
			"input_cost_per_token":            "8e-07",
			"output_cost_per_token":           "4e-06",
			"cache_creation_input_token_cost": "1e-06",
			"cache_read_input_token_cost":     "8e-08",
		},
		note: "Haiku 3.5 $0.80/$4 like the us. profile (rules A1, §6)",
	},
	{
		// rules B5: geographic profiles cost ~1.1x the global profile for
		// Claude 4.5+; LiteLLM has the us./au./jp. Opus 4.5 profiles at 1.1x
		// but lists eu. at the global price.
		keys: []string{"eu.anthropic.claude-opus-4-5-20251101-v1:0"},
		set: map[string]string{
			"input_cost_per_token":                      "5.5e-06",
			"output_cost_per_token":                     "2.75e-05",
			"cache_creation_input_token_cost":           "6.875e-06",
			"cache_creation_input_token_cost_above_1hr": "1.1e-05",
			"cache_read_input_token_cost":               "5.5e-07",
		},
		note: "eu. profile 1.1x global like us. (rules B5)",
	},
	{
		// SOURCE.md: gpt-5-nano priority input 2.5e-06 is 50x standard, an
		// error; "on the other GPT-5 models the priority tier is 2x standard"
		// (rules O7).
		keys: []string{"gpt-5-nano"},
		set: map[string]string{
			"input_cost_per_token_priority":        "1e-07",
			"output_cost_per_token_priority":       "8e-07",
			"cache_read_input_token_cost_priority": "1e-08",
		},
		note: "priority 2x standard (SOURCE.md known issues, rules O7)",
	},
	{
		// rules O7: GPT-5.5 priority is 2.5x on the official page
		// ($12.50 / $1.25 / $75); LiteLLM still says 2x.
		keys: []string{"gpt-5.5", "gpt-5.5-2026-04-23"},
		set: map[string]string{
			"input_cost_per_token_priority":        "1.25e-05",
			"output_cost_per_token_priority":       "7.5e-05",
			"cache_read_input_token_cost_priority": "1.25e-06",
		},
		note: "priority 2.5x (rules O7, official page)",
	},
	{
		// rules O6: flex is priced at batch rates (50%) plus the caching
		// discount: 0.5 x $0.25 = $0.125. LiteLLM rounds it to $0.13.
		keys: []string{"gpt-5.4", "gpt-5.4-2026-03-05"},
		set:  map[string]string{"cache_read_input_token_cost_flex": "1.25e-07"},
		note: "flex cache read 0.5x (rules O6, LiteLLM rounds to 0.13)",
	},
	{
		// LiteLLM rounding: flex is 0.5x and priority 1.8x on every other rate
		// of this model (rules G3, G5), so cached input is $0.015 / $0.054,
		// not $0.02 / $0.05.
		keys: []string{"gemini/gemini-3.5-flash-lite", "gemini-3.5-flash-lite", "vertex_ai/gemini-3.5-flash-lite"},
		set: map[string]string{
			"cache_read_input_token_cost_flex":     "1.5e-08",
			"cache_read_input_token_cost_priority": "5.4e-08",
		},
		note: "flex/priority cache read 0.5x/1.8x (rules G3 and G5, LiteLLM rounding)",
	},
	{
		// LiteLLM lists a "priority" price equal to standard for Gemini 2.5 Pro
		// (rules G5: priority is ~1.8x). Unverifiable, so the tier is dropped
		// rather than priced at 1x.
		keys: []string{"gemini/gemini-2.5-pro"},
		del: []string{
			"input_cost_per_token_priority", "output_cost_per_token_priority",
			"input_cost_per_token_above_200k_tokens_priority", "output_cost_per_token_above_200k_tokens_priority",
		},
		note: "priority dropped: LiteLLM lists 1x (rules G5)",
	},
	{
		// LiteLLM 2025-11-21: gemini-1.5-pro-latest output 1.05e-06 is a typo
		// for 1.05e-05 (gemini-1.5-pro, -001, -002 all have $10.50).
		keys: []string{"gemini/gemini-1.5-pro-latest"},
		set:  map[string]string{"output_cost_per_token": "1.05e-05"},
		note: "output $10.50 like gemini-1.5-pro (LiteLLM typo)",
	},
}

// skipKeys are LiteLLM entries left out of the catalog.
var skipKeys = map[string]string{
	// Not a Bedrock model id (Claude 3.7 Sonnet never had a 2024-06-20
	// snapshot); LiteLLM prices it at an unexplained $3.60 / $18.
	"anthropic.claude-3-7-sonnet-20240620-v1:0": "nonexistent model id",
	// Vertex priced the Gemini 1.5 previews per character; LiteLLM's
	// per-token figures for them are per-character rates (output below input
	// for 1.5 Flash preview 0514), so they cannot be used.
	"gemini-1.5-flash-exp-0827":     "per-character price",
	"gemini-1.5-flash-preview-0514": "per-character price",
	"gemini-1.5-pro-preview-0215":   "per-character price",
	"gemini-1.5-pro-preview-0409":   "per-character price",
	"gemini-1.5-pro-preview-0514":   "per-character price",
}

// extraAlias adds an alias LiteLLM lacks, or merges two LiteLLM keys that
// name the same model under different spellings. The generator fails if the
// two do not price identically.
type extraAlias struct {
	provider, alias, canonical, note string
}

var extraAliases = []extraAlias{
	// LiteLLM's old "claude-4-*" spellings of the Claude 4 snapshots, and the
	// "-0" aliases Anthropic documents for them
	// (https://platform.claude.com/docs/en/about-claude/models).
	{"anthropic", "claude-4-opus-20250514", "claude-opus-4-20250514", "LiteLLM spelling"},
	{"anthropic", "claude-4-sonnet-20250514", "claude-sonnet-4-20250514", "LiteLLM spelling"},
	{"anthropic", "claude-opus-4-0", "claude-opus-4-20250514", "Anthropic alias"},
	{"anthropic", "claude-sonnet-4-0", "claude-sonnet-4-20250514", "Anthropic alias"},
	{"anthropic", "claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219", "Anthropic alias"},
	{"anthropic", "claude-3-5-sonnet-latest", "claude-3-5-sonnet-20241022", "Anthropic alias"},
	// Claude 2.0 on Bedrock, which LiteLLM lacks, costs what Claude 2.1
	// does: $0.008 per 1K input tokens for both in the AWS Price List
	// (usage types USW2-Claude2.0-input-tokens and USW2-Claude2.1-input-
	// tokens, us-west-2, published 2026-10-03; see
	// pkg/ingest/billing_cur_test.go). Without it, the id resolved to
	// Claude 1 by its version suffix.
	{"bedrock", "anthropic.claude-v2", "anthropic.claude-v2:1", "Claude 2.0, priced as 2.1 (AWS Price List)"},
}

// history lists earlier price windows. The catalog's current (LiteLLM) price
// starts where the last window here ends.
type historyWindow struct {
	until                 string // exclusive, YYYY-MM-DD
	input, output, cached string // USD per 1M tokens
	tiers                 []string
	source                string
}

var history = map[string][]historyWindow{
	// OpenAI cut o3 by 80% on 2025-06-10: $10 / $40 (cached $2.50) before,
	// $2 / $8 (cached $0.50) after. Batch and flex (launched with o3) were 50%
	// of standard throughout (rules O5, O6).
	"openai/o3": {{
		until: "2025-06-10", input: "10", output: "40", cached: "2.5",
		tiers:  []string{"batch", "flex"},
		source: "o3 launch price until the 2025-06-10 cut (OpenAI pricing page, https://developers.openai.com/api/docs/pricing); batch/flex 50% (rules O5, O6)",
	}},
}
