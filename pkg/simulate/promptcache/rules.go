package promptcache

import (
	"strings"
	"time"

	"github.com/llmcost/llmcost/pkg/pricing"
)

// Kind is how a provider caches prompt prefixes.
type Kind uint8

const (
	// KindNone: the catalog lists no discount for cached input, so caching
	// saves nothing and the request is left as logged.
	KindNone Kind = iota
	// KindAuto: automatic prefix caching (OpenAI, Gemini's implicit
	// caching, and every other provider with a cached-input price): every
	// prompt is cached, a later prompt with the same prefix reads it.
	KindAuto
	// KindExplicit: the caller marks breakpoints (Anthropic's cache_control,
	// Claude and Nova on Bedrock and Vertex); only prefixes ending at a
	// breakpoint are written, at a premium, and read at a discount.
	KindExplicit
)

func (k Kind) String() string {
	switch k {
	case KindAuto:
		return "automatic"
	case KindExplicit:
		return "breakpoints"
	}
	return "none"
}

// Rule is how one model caches (pricing-rules.md A1–A4, O1–O4, B2, G1).
type Rule struct {
	Kind Kind
	// Min is the shortest cacheable prefix in tokens: a shorter one is
	// silently not cached.
	Min int64
	// Step is the granularity of cached tokens (OpenAI: 128-token
	// increments), 1 for none.
	Step int64
	// TTL is how long an entry lives after its last use (a hit refreshes
	// it): the idle eviction of automatic caches, the breakpoint TTL of
	// explicit ones.
	TTL time.Duration
	// Writes reports whether writing to the cache is billed apart from
	// input (Anthropic 1.25×/2×, OpenAI from GPT-5.6 1.25×): the written
	// tokens then go to the cache-write buckets.
	Writes bool
	// Gemini marks Gemini models, which also offer explicit context caches
	// (a cached prefix billed for storage by the hour, G2).
	Gemini bool
}

// RuleFor returns how model m caches under cfg (a checked Config).
func RuleFor(m *pricing.Model, cfg *Config) Rule {
	if m == nil || len(m.Prices) == 0 {
		return Rule{}
	}
	std := &m.Prices[len(m.Prices)-1].Base.Standard
	if std.CacheRead.GreaterThanOrEqual(std.Input) {
		return Rule{}
	}
	writes := !std.CacheWrite5m.Equal(std.Input)
	id := strings.ToLower(m.ID + " " + m.Name)
	switch {
	case strings.Contains(id, "claude"):
		return Rule{Kind: KindExplicit, Min: claudeMin(id), Step: 1, TTL: cfg.ttl, Writes: true}
	case strings.Contains(id, "nova"):
		// Bedrock cachePoint markers, 5-minute TTL (B2); the minimum is
		// not in our sources: Claude Sonnet's 1,024 is assumed.
		return Rule{Kind: KindExplicit, Min: 1024, Step: 1, TTL: 5 * time.Minute, Writes: writes}
	case strings.Contains(id, "gemini"):
		// Implicit caching (G1): minimum 4,096 tokens for Pro models,
		// 1,024 for Flash; no storage cost, no write premium.
		min := int64(1024)
		if strings.Contains(id, "pro") {
			min = 4096
		}
		return Rule{Kind: KindAuto, Min: min, Step: 1, TTL: cfg.idle, Writes: false, Gemini: true}
	}
	// OpenAI (O1–O4) and every other provider with a cached-input price:
	// at least 1,024 tokens, hits in 128-token increments, evicted after
	// idle time (extended retention keeps 24 hours on GPT-5.x and GPT-4.1).
	ttl := cfg.idle
	if cfg.Retention == "24h" && (strings.Contains(id, "gpt-5") || strings.Contains(id, "gpt-4.1")) {
		ttl = 24 * time.Hour
	}
	return Rule{Kind: KindAuto, Min: 1024, Step: 128, TTL: ttl, Writes: writes}
}

// claudeMin is the minimum cacheable prompt of a Claude model
// (pricing-rules.md A3, from the vendor's prompt-caching page).
func claudeMin(id string) int64 {
	has := func(s ...string) bool {
		for _, x := range s {
			if strings.Contains(id, x) {
				return true
			}
		}
		return false
	}
	switch {
	case has("opus-5", "opus 5", "fable-5", "mythos-5"):
		return 512
	case has("opus-4-6", "opus-4.6", "opus 4.6", "opus-4-5", "opus-4.5", "opus 4.5", "haiku-4-5", "haiku-4.5", "haiku 4.5"):
		return 4096
	case has("opus-4-7", "opus-4.7", "opus 4.7", "3-5-haiku", "3.5-haiku", "haiku-3", "3-haiku", "haiku 3"):
		return 2048
	}
	return 1024
}
