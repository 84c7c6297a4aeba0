package gpu

import (
	"sort"
	"strings"
)

// OpenModel names an open-weight model the way users ask for it
// ("llama-70b"), the architecture that is self-hosted (a model-specs.csv
// row), and the ids under which API providers sell it in the pricing
// catalog. pkg/gpu does no API pricing: the ids are resolved by the caller.
type OpenModel struct {
	// Alias is the canonical short name; Names are other accepted
	// spellings (matched case-insensitively, as is Alias).
	Alias string
	Names []string
	// Display is a human-readable name.
	Display string
	// Spec is the model-specs.csv row whose architecture is self-hosted.
	Spec string
	// Offers are pricing-catalog ids (any provider) of this model. Hosts'
	// "Turbo"/FP8 variants are listed: they are how those hosts sell it.
	Offers []string
}

var (
	llama31x70b = []string{
		"meta.llama3-1-70b-instruct-v1:0",
		"together_ai/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo",
		"deepinfra/meta-llama/Meta-Llama-3.1-70B-Instruct",
		"deepinfra/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo",
		"fireworks_ai/accounts/fireworks/models/llama-v3p1-70b-instruct",
	}
	llama33x70b = []string{
		"meta.llama3-3-70b-instruct-v1:0",
		"together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
		"groq/llama-3.3-70b-versatile",
		"deepinfra/meta-llama/Llama-3.3-70B-Instruct",
		"deepinfra/meta-llama/Llama-3.3-70B-Instruct-Turbo",
		"fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct",
	}
	deepseekR1 = []string{
		"deepseek-r1",
		"us.deepseek.r1-v1:0",
		"vertex_ai/deepseek-ai/deepseek-r1-0528-maas",
		"together_ai/deepseek-ai/DeepSeek-R1",
		"deepinfra/deepseek-ai/DeepSeek-R1",
		"deepinfra/deepseek-ai/DeepSeek-R1-0528",
		"fireworks_ai/accounts/fireworks/models/deepseek-r1",
	}
)

// openModels is the alias table. Llama 3.1 and 3.3 70B share one
// architecture (the same config.json sizes), so "llama-70b" offers both.
// DeepSeek-R1 has DeepSeek-V3's architecture.
var openModels = []OpenModel{
	{Alias: "llama-70b", Names: []string{"llama-3-70b", "llama3-70b"}, Display: "Llama 3.1/3.3 70B Instruct", Spec: "Llama-3.3-70B",
		Offers: append(append([]string(nil), llama33x70b...), llama31x70b...)},
	{Alias: "llama-3.1-70b", Names: []string{"llama3.1-70b", "llama-3-1-70b"}, Display: "Llama 3.1 70B Instruct", Spec: "Llama-3.1-70B",
		Offers: llama31x70b},
	{Alias: "llama-3.3-70b", Names: []string{"llama3.3-70b", "llama-3-3-70b"}, Display: "Llama 3.3 70B Instruct", Spec: "Llama-3.3-70B",
		Offers: llama33x70b},
	{Alias: "llama-8b", Names: []string{"llama-3.1-8b", "llama3.1-8b"}, Display: "Llama 3.1 8B Instruct", Spec: "Llama-3.1-8B",
		Offers: []string{
			"meta.llama3-1-8b-instruct-v1:0",
			"together_ai/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
			"groq/llama-3.1-8b-instant",
			"deepinfra/meta-llama/Meta-Llama-3.1-8B-Instruct",
			"deepinfra/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
			"fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct",
		}},
	{Alias: "llama-405b", Names: []string{"llama-3.1-405b", "llama3.1-405b"}, Display: "Llama 3.1 405B Instruct", Spec: "Llama-3.1-405B",
		Offers: []string{
			"meta.llama3-1-405b-instruct-v1:0",
			"vertex_ai/meta/llama-3.1-405b-instruct-maas",
			"together_ai/meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo",
			"fireworks_ai/accounts/fireworks/models/llama-v3p1-405b-instruct",
		}},
	{Alias: "mixtral-8x7b", Names: []string{"mixtral"}, Display: "Mixtral 8x7B Instruct v0.1", Spec: "Mixtral-8x7B",
		Offers: []string{
			"mistral.mixtral-8x7b-instruct-v0:1",
			"open-mixtral-8x7b",
			"together_ai/mistralai/Mixtral-8x7B-Instruct-v0.1",
			"deepinfra/mistralai/Mixtral-8x7B-Instruct-v0.1",
			"fireworks_ai/accounts/fireworks/models/mixtral-8x7b-instruct",
		}},
	{Alias: "qwen-72b", Names: []string{"qwen2.5-72b", "qwen-2.5-72b"}, Display: "Qwen2.5 72B Instruct", Spec: "Qwen2.5-72B",
		Offers: []string{
			"deepinfra/Qwen/Qwen2.5-72B-Instruct",
			"fireworks_ai/accounts/fireworks/models/qwen2p5-72b-instruct",
		}},
	{Alias: "qwen-7b", Names: []string{"qwen2.5-7b", "qwen-2.5-7b"}, Display: "Qwen2.5 7B Instruct", Spec: "Qwen2.5-7B",
		Offers: []string{
			"deepinfra/Qwen/Qwen2.5-7B-Instruct",
			"fireworks_ai/accounts/fireworks/models/qwen2p5-7b-instruct",
		}},
	{Alias: "deepseek-v3", Display: "DeepSeek-V3", Spec: "DeepSeek-V3",
		Offers: []string{
			"deepseek-v3",
			"deepseek.v3-v1:0",
			"together_ai/deepseek-ai/DeepSeek-V3",
			"deepinfra/deepseek-ai/DeepSeek-V3",
			"deepinfra/deepseek-ai/DeepSeek-V3-0324",
			"fireworks_ai/accounts/fireworks/models/deepseek-v3",
		}},
	{Alias: "deepseek-r1", Display: "DeepSeek-R1 (DeepSeek-V3 architecture)", Spec: "DeepSeek-V3",
		Offers: deepseekR1},
	{Alias: "gpt-oss-120b", Names: []string{"gpt-oss"}, Display: "gpt-oss-120b", Spec: "gpt-oss-120b",
		Offers: []string{
			"openai.gpt-oss-120b-1:0",
			"vertex_ai/openai/gpt-oss-120b-maas",
			"together_ai/openai/gpt-oss-120b",
			"groq/openai/gpt-oss-120b",
			"deepinfra/openai/gpt-oss-120b",
			"fireworks_ai/accounts/fireworks/models/gpt-oss-120b",
		}},
	{Alias: "gpt-oss-20b", Display: "gpt-oss-20b", Spec: "gpt-oss-20b",
		Offers: []string{
			"openai.gpt-oss-20b-1:0",
			"vertex_ai/openai/gpt-oss-20b-maas",
			"together_ai/openai/gpt-oss-20b",
			"groq/openai/gpt-oss-20b",
			"deepinfra/openai/gpt-oss-20b",
			"fireworks_ai/accounts/fireworks/models/gpt-oss-20b",
		}},
	{Alias: "mistral-small", Names: []string{"mistral-small-24b", "mistral-small-2501", "Mistral-Small-24B-2501"}, Display: "Mistral Small 3 (24B, 2501)", Spec: "Mistral-Small-24B-2501",
		Offers: []string{
			"deepinfra/mistralai/Mistral-Small-24B-Instruct-2501",
			"fireworks_ai/accounts/fireworks/models/mistral-small-24b-instruct-2501",
		}},
	{Alias: "mistral-small-2409", Names: []string{"mistral-small-22b"}, Display: "Mistral Small 2409 (22B)", Spec: "Mistral-Small-2409"},
}

// OpenModels returns the alias table, sorted by alias.
func OpenModels() []OpenModel {
	out := append([]OpenModel(nil), openModels...)
	sort.Slice(out, func(i, j int) bool { return out[i].Alias < out[j].Alias })
	return out
}

// LookupOpenModel finds the entry whose alias or one of whose names is
// name, case-insensitively.
func LookupOpenModel(name string) (OpenModel, bool) {
	name = strings.TrimSpace(name)
	for _, m := range openModels {
		if strings.EqualFold(m.Alias, name) {
			return m, true
		}
		for _, n := range m.Names {
			if strings.EqualFold(n, name) {
				return m, true
			}
		}
	}
	return OpenModel{}, false
}

// Aliases lists every alias, sorted (for help texts and errors).
func Aliases() []string {
	var out []string
	for _, m := range openModels {
		out = append(out, m.Alias)
	}
	sort.Strings(out)
	return out
}
