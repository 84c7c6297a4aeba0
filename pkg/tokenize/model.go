package tokenize

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrUnknownModel is wrapped by ForModel's error for models whose tokenizer
// family it does not know.
var ErrUnknownModel = errors.New("no tokenizer known for this model")

// modelRule maps model ids to a tokenizer: an exact encoding, or an
// estimate family. Ids are matched lower-cased, without routing prefixes,
// Bedrock region and vendor prefixes, or a Vertex "@version" (see
// normalizeModel); a rule matches the id itself (exact) or, with a
// trailing "*", any id that starts with the prefix.
type modelRule struct {
	pattern  string
	encoding string // an encoding name, or "" when family is set
	family   string
}

// modelRules are tried in order; the first match wins, so more specific
// prefixes come first (gpt-4o before gpt-4).
var modelRules = []modelRule{
	// OpenAI: o200k_base since GPT-4o (tiktoken's model table, and the
	// o-series and GPT-5 use it too; gpt-oss's o200k_harmony adds only
	// special tokens).
	{"gpt-4o*", O200kBase, ""},
	{"chatgpt-4o*", O200kBase, ""},
	{"gpt-4.1*", O200kBase, ""},
	{"gpt-4.5*", O200kBase, ""},
	{"gpt-5*", O200kBase, ""},
	{"gpt-oss*", O200kBase, ""},
	{"o1", O200kBase, ""},
	{"o1-*", O200kBase, ""},
	{"o3", O200kBase, ""},
	{"o3-*", O200kBase, ""},
	{"o4-*", O200kBase, ""},
	{"codex-*", O200kBase, ""},
	{"computer-use-preview*", O200kBase, ""},
	{"gpt-realtime*", O200kBase, ""},
	{"gpt-audio*", O200kBase, ""},
	// OpenAI: cl100k_base for GPT-4, GPT-3.5 and the embeddings.
	{"gpt-4", Cl100kBase, ""},
	{"gpt-4-*", Cl100kBase, ""},
	{"gpt-3.5-turbo*", Cl100kBase, ""},
	{"gpt-35-turbo*", Cl100kBase, ""}, // Azure's spelling
	{"text-embedding-3-*", Cl100kBase, ""},
	{"text-embedding-ada-002*", Cl100kBase, ""},
	{"davinci-002", Cl100kBase, ""},
	{"babbage-002", Cl100kBase, ""},
	// OpenAI: GPT-3.
	{"text-davinci-003", P50kBase, ""},
	{"text-davinci-002", P50kBase, ""},
	{"code-davinci-*", P50kBase, ""},
	{"code-cushman-*", P50kBase, ""},
	{"text-davinci-001", R50kBase, ""},
	{"text-curie-001", R50kBase, ""},
	{"text-babbage-001", R50kBase, ""},
	{"text-ada-001", R50kBase, ""},
	{"davinci", R50kBase, ""},
	{"curie", R50kBase, ""},
	{"babbage", R50kBase, ""},
	{"ada", R50kBase, ""},
	// Estimates.
	{"claude*", "", "claude"}, // claude-4.7 by version, see claudeFamily
	{"gemini*", "", "gemini"},
	{"gemma*", "", "gemini"},
	{"llama-4*", "", "llama-4"},
	{"llama4*", "", "llama-4"},
	{"llama-3*", "", "llama-3"},
	{"llama3*", "", "llama-3"},
	{"meta-llama-3*", "", "llama-3"},
	{"llama-2*", "", "llama-2"},
	{"llama2*", "", "llama-2"},
	{"mistral*", "", "mistral"},
	{"open-mistral*", "", "mistral"},
	{"mixtral*", "", "mistral"},
	{"open-mixtral*", "", "mistral"},
	{"codestral*", "", "mistral"},
	{"open-codestral*", "", "mistral"},
	{"ministral*", "", "mistral"},
	{"magistral*", "", "mistral"},
	{"pixtral*", "", "mistral"},
	{"devstral*", "", "mistral"},
	{"labs-devstral*", "", "mistral"},
	{"voxtral*", "", "mistral"},
	{"nova-*", "", "amazon"},
	{"titan-*", "", "amazon"},
	{"command*", "", "cohere"},
	{"c4ai-command*", "", "cohere"},
	{"deepseek*", "", "deepseek"},
	{"grok*", "", "grok"},
}

// vendorFamilies maps a provider (ForModel's argument, or the vendor part
// of a Bedrock id such as "deepseek.v3-v1:0") to the family of its models,
// for ids no rule matches.
var vendorFamilies = map[string]string{
	"anthropic": "claude",
	"gemini":    "gemini",
	"google":    "gemini",
	"mistral":   "mistral",
	"deepseek":  "deepseek",
	"xai":       "grok",
	"amazon":    "amazon",
	"cohere":    "cohere",
	"openai":    "openai",
}

// ForModel returns the counter for a model: the exact encoding of an OpenAI
// model, or an Estimate for other families (see families). provider is the
// catalog provider or a vendor word ("openai", "anthropic", "bedrock", …)
// and may be empty; model is an id as logs and the catalog spell it
// ("gpt-4o-2024-08-06", "anthropic/claude-sonnet-4-5",
// "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "gemini-2.5-pro@001").
// Unknown models give an error wrapping ErrUnknownModel.
func ForModel(provider, model string) (Counter, error) {
	id, vendor := normalizeModel(model)
	if id == "" {
		return nil, fmt.Errorf("empty model id: %w", ErrUnknownModel)
	}
	enc, fam := lookupModel(id)
	if enc == "" && fam == "" {
		for _, v := range []string{vendor, strings.ToLower(strings.TrimSpace(provider))} {
			if f, ok := vendorFamilies[v]; ok {
				fam = f
				break
			}
		}
	}
	if fam == "claude" {
		fam = claudeFamily(id)
	}
	switch {
	case enc != "":
		return ForEncoding(enc)
	case fam != "":
		return estimateFor(fam)
	}
	return nil, fmt.Errorf("model %q: %w", model, ErrUnknownModel)
}

func lookupModel(id string) (encoding, family string) {
	for _, r := range modelRules {
		if p, ok := strings.CutSuffix(r.pattern, "*"); ok && strings.HasPrefix(id, p) || id == r.pattern {
			return r.encoding, r.family
		}
	}
	return "", ""
}

// bedrockGeos are the region prefixes of Bedrock inference profiles.
var bedrockGeos = map[string]bool{"us": true, "eu": true, "apac": true, "jp": true, "au": true, "ca": true, "us-gov": true, "global": true}

// normalizeModel lower-cases a model id and strips what wraps the model
// name: a path ("openai/gpt-4o", ARNs, Vertex resource names), Bedrock
// region and vendor prefixes ("us.anthropic.claude-…"), and a Vertex
// "@version". vendor is the Bedrock vendor, if any.
func normalizeModel(s string) (id, vendor string) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	// Bedrock: [geo.]vendor.model
	if first, rest, ok := strings.Cut(s, "."); ok && bedrockGeos[first] {
		s = rest
	}
	if first, rest, ok := strings.Cut(s, "."); ok && isVendor(first) {
		s, vendor = rest, first
	}
	return s, vendor
}

func isVendor(s string) bool {
	switch s {
	case "anthropic", "meta", "amazon", "mistral", "cohere", "deepseek", "openai", "xai", "google",
		"ai21", "qwen", "writer", "moonshot", "moonshotai", "zai", "minimax", "nvidia", "stability", "twelvelabs":
		return true
	}
	return false
}

// claudeFamily picks the Claude tokenizer by model version: Opus 4.7
// introduced a new one, assumed kept by later models.
func claudeFamily(id string) string {
	major, minor := -1, 0
	parts := strings.FieldsFunc(strings.TrimPrefix(id, "claude"), func(r rune) bool { return r == '-' || r == '.' || r == ':' })
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) > 2 {
			continue
		}
		major = n
		if i+1 < len(parts) && len(parts[i+1]) <= 2 {
			if m, err := strconv.Atoi(parts[i+1]); err == nil {
				minor = m
			}
		}
		break
	}
	if major > 4 || major == 4 && minor >= 7 {
		return "claude-4.7"
	}
	return "claude"
}
