package pricing

import (
	"regexp"
	"sort"
	"strings"
)

// Provider names used in the catalog.
const (
	ProviderOpenAI    = "openai"
	ProviderAnthropic = "anthropic"
	ProviderGemini    = "gemini"
	ProviderVertex    = "vertex"
	ProviderMistral   = "mistral"
	ProviderDeepSeek  = "deepseek"
	ProviderXAI       = "xai"
	ProviderBedrock   = "bedrock"
)

// providerOrder is the precedence used when a model string matches entries
// of several providers and the hint does not pick one: first-party APIs
// before the clouds that resell the same models.
var providerOrder = []string{
	ProviderOpenAI, ProviderAnthropic, ProviderGemini, ProviderMistral,
	ProviderDeepSeek, ProviderXAI, ProviderVertex, ProviderBedrock,
}

func providerRank(p string) int {
	for i, q := range providerOrder {
		if p == q {
			return i
		}
	}
	return len(providerOrder)
}

// NormalizeProvider maps the provider words found in logs and gateways
// ("azure", "aws", "google", "vertex_ai", "bedrock_converse", …) to a
// catalog provider, or "" when the word names none.
func NormalizeProvider(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if p, ok := routePrefixes[s]; ok {
		return p
	}
	switch {
	case s == "":
		return ""
	case strings.Contains(s, "vertex"):
		return ProviderVertex
	case strings.Contains(s, "bedrock"), strings.Contains(s, "aws"), strings.Contains(s, "amazon"):
		return ProviderBedrock
	case strings.Contains(s, "gemini"), strings.Contains(s, "google"):
		return ProviderGemini
	case strings.Contains(s, "anthropic"), strings.Contains(s, "claude"):
		return ProviderAnthropic
	case strings.Contains(s, "azure"), strings.Contains(s, "openai"):
		return ProviderOpenAI
	case strings.Contains(s, "mistral"):
		return ProviderMistral
	case strings.Contains(s, "deepseek"):
		return ProviderDeepSeek
	case strings.Contains(s, "xai"), strings.Contains(s, "grok"):
		return ProviderXAI
	}
	return ""
}

// routePrefixes are the "<word>/" prefixes that gateways (LiteLLM,
// OpenRouter, Vercel, …) put in front of model ids, and the provider each
// implies ("" for pure routers that imply none).
var routePrefixes = map[string]string{
	"openai":                 ProviderOpenAI,
	"azure":                  ProviderOpenAI,
	"azure_openai":           ProviderOpenAI,
	"text-completion-openai": ProviderOpenAI,
	"anthropic":              ProviderAnthropic,
	"claude":                 ProviderAnthropic,
	"bedrock":                ProviderBedrock,
	"bedrock_converse":       ProviderBedrock,
	"bedrock_mantle":         ProviderBedrock,
	"aws":                    ProviderBedrock,
	"amazon-bedrock":         ProviderBedrock,
	"gemini":                 ProviderGemini,
	"google":                 ProviderGemini,
	"google-ai-studio":       ProviderGemini,
	"vertex_ai":              ProviderVertex,
	"vertex_ai_beta":         ProviderVertex,
	"vertex":                 ProviderVertex,
	"vertexai":               ProviderVertex,
	"google-vertex":          ProviderVertex,
	"mistral":                ProviderMistral,
	"mistralai":              ProviderMistral,
	"deepseek":               ProviderDeepSeek,
	"xai":                    ProviderXAI,
	"x-ai":                   ProviderXAI,
	"openrouter":             "",
	"litellm_proxy":          "",
	"litellm":                "",
	"vercel_ai_gateway":      "",
	"azure_ai":               "",
}

// bedrockSubRoutes are LiteLLM's Bedrock route words after "bedrock/".
var bedrockSubRoutes = map[string]bool{"converse": true, "invoke": true, "converse_like": true}

var (
	reAWSRegion = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$`)
	// Bedrock cross-Region inference profile prefixes.
	reProfile = regexp.MustCompile(`^(us|eu|apac|jp|au|ca|us-gov|global)\.([a-z0-9-]+\..+)$`)
	// Bedrock version and context-variant suffixes: "-v1:0", "-v2", "-1:0",
	// ":0", ":200k".
	reBedrockCtx = regexp.MustCompile(`:\d+k$`)
	// Date and version suffixes tried (once) when the exact id is unknown:
	// OpenAI "-2024-08-06", Anthropic "-20250929", "-latest", OpenAI/Mistral
	// "-0613"/"-2411", Gemini "-001".
	reDateSuffix = regexp.MustCompile(`(-\d{4}-\d{2}-\d{2}|-\d{8}|-latest|-\d{4}|-\d{3})$`)
)

// geoProfiles are the geographic profile prefixes; a missing one falls back
// to a sibling (they are priced alike), then to the in-Region id.
var geoProfiles = []string{"us", "eu", "apac", "jp", "au"}

// Resolve finds the model a log's model string refers to. providerHint is
// the provider the log came from ("openai", "anthropic", "bedrock", "azure",
// "" …; see NormalizeProvider); it picks between providers that list the
// same id (a Claude id from a Bedrock log resolves to the Bedrock entry)
// and is overridden by a provider written in the model string itself
// ("anthropic/claude-…", an AWS ARN, a Vertex resource path).
//
// Matching is case-insensitive and tries, in order: the id as given and its
// spellings (Vertex "@" versions, Bedrock version suffixes, regional
// inference-profile siblings), then the id without a trailing date or
// "-latest" — so an unlisted snapshot falls back to its family only when
// no entry exists for that exact snapshot. Entries of the hinted provider
// win over better matches elsewhere; otherwise exact ids beat derived
// spellings and first-party providers beat clouds. Fine-tuned models
// ("ft:…") and unknown ids return (nil, false): never a zero price.
//
// Resolve only reads the catalog and is safe for concurrent use.
func (c *Catalog) Resolve(providerHint, model string) (*Model, bool) {
	s := strings.ToLower(strings.TrimSpace(model))
	if s == "" || strings.HasPrefix(s, "ft:") || len(s) > 512 {
		return nil, false
	}
	hint := NormalizeProvider(providerHint)
	s, routed := stripRouting(s)
	if routed != "" {
		hint = routed
	}
	if hint == "" && strings.Contains(s, "@") {
		hint = ProviderVertex
	}
	cands := candidates(s)
	if hint != "" {
		for _, k := range cands {
			for _, e := range c.keys[k] {
				if e.m.Provider == hint {
					return e.m, true
				}
			}
		}
	}
	for _, k := range cands {
		list := c.keys[k]
		if len(list) == 0 {
			continue
		}
		best := list[0]
		for _, e := range list[1:] {
			if e.exact && !best.exact {
				best = e
				break
			}
		}
		return best.m, true
	}
	return nil, false
}

// stripRouting removes gateway prefixes, AWS ARNs and Vertex resource paths
// from a lower-cased model string and returns the provider they imply.
func stripRouting(s string) (string, string) {
	hint := ""
	// arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic…
	if strings.HasPrefix(s, "arn:") {
		parts := strings.SplitN(s, ":", 6)
		if len(parts) == 6 && parts[2] == "bedrock" {
			res := parts[5]
			if i := strings.LastIndexByte(res, '/'); i >= 0 {
				res = res[i+1:]
			}
			return res, ProviderBedrock
		}
		return s, ""
	}
	// projects/p/locations/l/publishers/google/models/gemini-2.5-pro
	if i := strings.Index(s, "publishers/"); i >= 0 {
		if j := strings.Index(s[i:], "/models/"); j >= 0 {
			return s[i+j+len("/models/"):], ProviderVertex
		}
	}
	// Gemini API resource names: models/gemini-2.5-pro
	if rest, ok := strings.CutPrefix(s, "models/"); ok {
		s, hint = rest, ProviderGemini
	}
	for {
		i := strings.IndexByte(s, '/')
		if i <= 0 {
			break
		}
		word := s[:i]
		p, ok := routePrefixes[word]
		switch {
		case ok:
			// The outermost provider word wins: "vertex_ai/mistralai/…" is
			// Mistral's model served (and priced) by Vertex.
			if hint == "" {
				hint = p
			}
		case hint == ProviderBedrock && (bedrockSubRoutes[word] || reAWSRegion.MatchString(word)):
		default:
			return s, hint
		}
		s = s[i+1:]
	}
	return s, hint
}

// candidates lists the lookup keys for s, best first, without duplicates.
func candidates(s string) []string {
	out := make([]string, 0, 16)
	seen := make(map[string]bool, 16)
	add := func(k string) {
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	// Spellings of the same id.
	add(s)
	if i := strings.IndexByte(s, '@'); i > 0 {
		add(strings.Replace(s, "@", "-", 1))
		add(s[:i])
	}
	for _, k := range append([]string(nil), out...) {
		b := reBedrockCtx.ReplaceAllString(k, "")
		add(b)
		add(trimBedrockVersion(b))
	}
	// Bedrock inference profiles: a geographic sibling, then the in-Region id.
	if m := reProfile.FindStringSubmatch(s); m != nil {
		prefix, rest := m[1], m[2]
		if prefix != "global" && prefix != "us-gov" {
			for _, g := range geoProfiles {
				if g != prefix {
					add(g + "." + rest)
				}
			}
		}
		add(rest)
		add(trimBedrockVersion(reBedrockCtx.ReplaceAllString(rest, "")))
	}
	// The family without a trailing date or "-latest".
	for _, k := range append([]string(nil), out...) {
		if d := reDateSuffix.ReplaceAllString(k, ""); d != k && len(d) > 1 {
			add(d)
		}
	}
	// An unknown router prefix: try the last path segment.
	if i := strings.LastIndexByte(s, '/'); i >= 0 && i < len(s)-1 {
		last := s[i+1:]
		add(last)
		if d := reDateSuffix.ReplaceAllString(last, ""); d != last && len(d) > 1 {
			add(d)
		}
	}
	return out
}

// derivedKeys are the extra spellings under which m can be found besides its
// id and aliases:
//
//   - Vertex: the id without "vertex_ai/", without the publisher
//     ("meta/llama…" → "llama…"), and with the "@version" turned into a
//     dash or dropped ("claude-sonnet-4-5@20250929" →
//     "claude-sonnet-4-5-20250929", "claude-sonnet-4-5");
//   - Bedrock in-Region ids: without the vendor ("anthropic.claude-…" →
//     "claude-…") and without the version suffix ("-v1:0"), so that a
//     Claude id from a Bedrock log finds the Bedrock entry; inference
//     profiles ("us.…") only get the version-less spelling.
func derivedKeys(m *Model) []string {
	var out []string
	names := append([]string{m.ID}, m.Aliases...)
	for _, n := range names {
		n = strings.ToLower(n)
		switch m.Provider {
		case ProviderVertex:
			k := strings.TrimPrefix(n, "vertex_ai/")
			forms := []string{k}
			if i := strings.IndexByte(k, '/'); i >= 0 {
				forms = append(forms, k[i+1:])
			}
			for _, f := range forms {
				out = append(out, f)
				if i := strings.IndexByte(f, '@'); i > 0 {
					out = append(out, strings.Replace(f, "@", "-", 1), f[:i])
				}
			}
		case ProviderBedrock:
			k := strings.TrimPrefix(n, "bedrock/")
			out = append(out, k, trimBedrockVersion(k))
			if reProfile.MatchString(k) {
				continue
			}
			if i := strings.IndexByte(k, '.'); i > 0 {
				rest := k[i+1:]
				if vendorStrippable(rest) {
					out = append(out, rest, trimBedrockVersion(rest))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// vendorStrippable reports whether a Bedrock id without its vendor is still
// a meaningful model name ("claude-…", "llama3-…", "nova-pro") rather than a
// bare version ("v3.2", "r1-v1:0") that could match unrelated models.
func vendorStrippable(rest string) bool {
	if len(rest) < 4 {
		return false
	}
	c := rest[0]
	if c >= '0' && c <= '9' {
		return false
	}
	if (c == 'v' || c == 'r') && rest[1] >= '0' && rest[1] <= '9' {
		return false
	}
	return true
}

// trimBedrockVersion removes a Bedrock version suffix: "-v1:0", "-v2",
// "-1:0" or ":0" (the regexp (-v\d+(:\d+)?|-\d+:\d+|:\d+)$, by hand because
// it runs for every Bedrock model at load time).
func trimBedrockVersion(s string) string {
	if i := strings.LastIndexByte(s, ':'); i >= 0 && allDigits(s[i+1:]) {
		base := s[:i]
		if j := strings.LastIndexByte(base, '-'); j >= 0 {
			tail := base[j+1:]
			if allDigits(tail) || len(tail) > 1 && tail[0] == 'v' && allDigits(tail[1:]) {
				return base[:j]
			}
		}
		return base
	}
	if j := strings.LastIndexByte(s, '-'); j >= 0 {
		tail := s[j+1:]
		if len(tail) > 1 && tail[0] == 'v' && allDigits(tail[1:]) {
			return s[:j]
		}
	}
	return s
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
