package main

import (
	"regexp"
	"sort"
	"strings"
)

// Hosts of open-weight models (Together, Groq, DeepInfra, Fireworks): the
// API prices `llmcost breakeven` compares self-hosting with. Only text chat
// models of open-weight families are taken; each keeps its LiteLLM key as
// id (the route prefix makes ids unique across hosts that serve the same
// model under the same Hugging Face name).

// openHosts maps a LiteLLM provider to the catalog provider.
var openHosts = map[string]string{
	"together_ai":  "together",
	"groq":         "groq",
	"deepinfra":    "deepinfra",
	"fireworks_ai": "fireworks",
}

// openHostPages are the vendors' pricing pages, cited as sources.
var openHostPages = map[string]string{
	"together":  "https://www.together.ai/pricing",
	"groq":      "https://groq.com/pricing",
	"deepinfra": "https://deepinfra.com/pricing",
	"fireworks": "https://fireworks.ai/pricing",
}

var (
	// reOpenFamily matches the open-weight model families taken from the
	// hosts (on the id without its route prefix, lower-cased). Closed
	// models resold by a host (deepinfra/anthropic/…, deepinfra/google/
	// gemini-…) and community fine-tunes of other names are left out.
	reOpenFamily = regexp.MustCompile(`llama|qwen|qwq|deepseek|mistral|mixtral|ministral|devstral|magistral|codestral|gpt-oss|gemma|kimi|glm|minimax|phi-|nemotron`)
	// reNotTextChat matches safety classifiers, vision-language and OCR
	// models, speculative-decoding drafts and base (non-chat) checkpoints.
	reNotTextChat = regexp.MustCompile(`guard|vision|(^|[-/])vl-|llava|ocr|draft|embed|rerank|-base($|-)`)
)

// classifyOpenHost maps a key of one of openHosts to (provider, id) or a
// skip reason. The caller has checked the mode (chat/completion).
func classifyOpenHost(litellmProvider, key string) (provider, id, skip string) {
	prefix := litellmProvider + "/"
	rest, ok := strings.CutPrefix(key, prefix)
	if !ok || rest == "" {
		// "together-ai-4.1b-8b", "fireworks-ai-up-to-4b": size-class price
		// buckets, not models.
		return "", "", "not a model"
	}
	lower := strings.ToLower(rest)
	switch {
	case !reOpenFamily.MatchString(lower):
		return "", "", "open-model host: not an open-weight text family"
	case reNotTextChat.MatchString(lower):
		return "", "", "open-model host: not a text chat model"
	}
	return openHosts[litellmProvider], key, ""
}

// fireworksAliases merges Fireworks' short keys ("fireworks_ai/gpt-oss-120b")
// into the full account path LiteLLM also lists
// ("fireworks_ai/accounts/fireworks/models/gpt-oss-120b") when both carry
// the same price, and gives every Fireworks model the id its own API uses
// ("accounts/fireworks/models/gpt-oss-120b") as an alias.
func fireworksAliases(models map[string]*modelX) []extraAlias {
	const long = "fireworks_ai/accounts/fireworks/"
	var out []extraAlias
	keys := make([]string, 0, len(models))
	for k := range models {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m := models[k]
		if m.provider != "fireworks" {
			continue
		}
		if strings.HasPrefix(m.id, long) {
			out = append(out, extraAlias{"fireworks", strings.TrimPrefix(m.id, "fireworks_ai/"), m.id, "Fireworks API model name"})
			continue
		}
		name := strings.TrimPrefix(m.id, "fireworks_ai/")
		for _, dir := range []string{"models/", "routers/"} {
			full := long + dir + name
			if fm, ok := models["fireworks/"+full]; ok && samePrice(m, fm) {
				out = append(out, extraAlias{"fireworks", m.id, full, "LiteLLM short key"})
				break
			}
		}
	}
	return out
}
