package main

import (
	"regexp"
	"strings"
)

// Display names are derived from ids; they are informational only.

var specialWords = map[string]string{
	"gpt": "GPT", "oss": "OSS", "ai": "AI", "deepseek": "DeepSeek", "ai21": "AI21",
	"glm": "GLM", "qwen3": "Qwen3", "r1": "R1", "v3": "V3", "xai": "xAI", "llama3": "Llama 3",
	"llama2": "Llama 2", "llama4": "Llama 4", "maas": "MaaS", "tts": "TTS", "moe": "MoE",
	"chatgpt": "ChatGPT", "gemma": "Gemma", "it": "IT",
}

// openHostNames are the display names of the open-model hosts.
var openHostNames = map[string]string{"together": "Together AI", "groq": "Groq", "deepinfra": "DeepInfra", "fireworks": "Fireworks AI"}

var (
	reLlama  = regexp.MustCompile(`^llama(\d)$`)
	reDigits = regexp.MustCompile(`^\d+$`)
	reVer    = regexp.MustCompile(`-v\d+(:\d+)?$|-\d+:\d+$|:\d+$`)
)

func prettyName(provider, id string) string {
	s, tail := id, ""
	switch provider {
	case "vertex":
		s = strings.TrimPrefix(s, "vertex_ai/")
		if i := strings.IndexByte(s, '/'); i >= 0 {
			s = s[i+1:]
		}
		if i := strings.IndexByte(s, '@'); i >= 0 {
			v := s[i+1:]
			s = s[:i]
			if v != "default" && v != "latest" {
				tail = " " + v
			}
		}
		tail += " (Vertex AI)"
	case "bedrock":
		where := "Bedrock"
		if m := reProfile.FindString(s); m != "" {
			where = "Bedrock " + strings.TrimSuffix(m, ".") + " profile"
			s = s[len(m):]
		}
		if i := strings.IndexByte(s, '.'); i >= 0 {
			s = s[i+1:]
		}
		s = reVer.ReplaceAllString(s, "")
		tail = " (" + where + ")"
	case "together", "groq", "deepinfra", "fireworks":
		// "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo" →
		// "Llama 3.3 70B Instruct Turbo (Together AI)".
		if i := strings.LastIndexByte(s, '/'); i >= 0 {
			s = s[i+1:]
		}
		tail = " (" + openHostNames[provider] + ")"
	}
	return words(provider, s) + tail
}

func words(provider, s string) string {
	toks := strings.Split(s, "-")
	var out []string
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		// YYYY-MM-DD dates, and YYYYMMDD.
		if len(t) == 4 && reDigits.MatchString(t) && i+2 < len(toks) &&
			len(toks[i+1]) == 2 && len(toks[i+2]) == 2 && reDigits.MatchString(toks[i+1]) && reDigits.MatchString(toks[i+2]) {
			out = append(out, "("+t+"-"+toks[i+1]+"-"+toks[i+2]+")")
			i += 2
			continue
		}
		if len(t) == 8 && reDigits.MatchString(t) && strings.HasPrefix(t, "20") {
			out = append(out, "("+t[:4]+"-"+t[4:6]+"-"+t[6:]+")")
			continue
		}
		// Versions split by dashes: "4-5" → "4.5", "llama3-1" → "Llama 3.1"
		// (not dates such as "03-25").
		if m := reLlama.FindStringSubmatch(t); m != nil && i+1 < len(toks) && isMinor(toks[i+1]) {
			out = append(out, "Llama "+m[1]+"."+toks[i+1])
			i++
			continue
		}
		if isMinor(t) && i+1 < len(toks) && isMinor(toks[i+1]) {
			out = append(out, t+"."+toks[i+1])
			i++
			continue
		}
		if w, ok := specialWords[t]; ok {
			if t == "gpt" && i+1 < len(toks) {
				out = append(out, "GPT-"+toks[i+1])
				i++
				continue
			}
			out = append(out, w)
			continue
		}
		if provider == "openai" || t == "" || (t[0] >= '0' && t[0] <= '9') {
			out = append(out, t)
			continue
		}
		out = append(out, strings.ToUpper(t[:1])+t[1:])
	}
	return strings.Join(out, " ")
}

// isMinor reports whether t is a small version number: one or two digits
// without a leading zero.
func isMinor(t string) bool {
	return len(t) >= 1 && len(t) <= 2 && t[0] != '0' && reDigits.MatchString(t)
}
