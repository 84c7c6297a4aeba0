package routing

import (
	"bytes"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// Tier is a routing tier: how capable a model a request needs.
type Tier int

const (
	Simple Tier = iota
	Standard
	Complex
	Expert
	numTiers
)

// TierNames are the tiers' names, cheapest first.
var TierNames = [numTiers]string{"simple", "standard", "complex", "expert"}

func (t Tier) String() string { return TierNames[t] }

func parseTier(s string) (Tier, bool) {
	for i, n := range TierNames {
		if n == s {
			return Tier(i), true
		}
	}
	return 0, false
}

func words(ws ...string) [][]byte {
	out := make([][]byte, len(ws))
	for i, w := range ws {
		out[i] = []byte(w)
	}
	return out
}

// Keyword lists of the heuristic classifier, matched case-insensitively in
// the last user message.
var (
	simpleWords = words("summarize", "summarise", "summary", "translate", "classify", "categorize", "extract", "rewrite",
		"rephrase", "paraphrase", "fix the grammar", "fix grammar", "spelling", "proofread", "format this", "convert", "tl;dr",
		"title for", "sentiment", "yes or no", "one word", "list the")
	complexWords = words("explain why", "analyze", "analyse", "debug", "refactor", "design", "architecture", "optimize",
		"optimise", "compare", "trade-off", "tradeoff", "step by step", "step-by-step", "plan ", "strategy", "review",
		"why is", "why does", "root cause", "edge case")
	expertWords = words("prove", "proof", "derive", "theorem", "lemma", "formal", "novel", "research", "vulnerability",
		"security audit", "threat model", "concurrency", "race condition", "distributed", "consensus", "legal opinion",
		"diagnos", "differential")
	codeMarks = words("```", "func ", "def ", "class ", "select ", "#include", "=>", "};", "import ", "public static")
	mathMarks = words("\\frac", "\\sum", "\\int", "integral", "derivative", "equation", "matrix", "∑", "∫", "probability")
)

// Classification is the heuristic classifier's verdict on one request.
type Classification struct {
	Tier Tier
	// Score is the sum of the signals (see Classify).
	Score int
	// WithText is false when the request text was not available: only
	// sizes were used, and the request starts at standard.
	WithText bool
}

// Classify is the built-in heuristic complexity classifier. It adds up
// signals from what the request shows before it is answered:
//
//   - with the request text, it starts at 0 (simple); without it at 1
//     (standard: a request whose content is unknown is not assumed easy);
//   - in the last user message: a simple-task word (summarize, translate,
//     extract, classify, …) −1; an analysis word (explain why, debug,
//     design, optimize, step by step, …) +1; an expert word (prove, derive,
//     theorem, security audit, concurrency, …) +2; code +1; mathematics +1;
//     more than ~1,500 tokens +1;
//   - tool definitions in the request +1 (an agent step);
//   - more than 20,000 input tokens +1, more than 100,000 another +1;
//     more than 10 messages +1; a max_tokens of 8,000 or more +1.
//
// A score of 0 or less is simple, 1 standard, 2 or 3 complex, 4 or more
// expert. It never looks at the answer (its length or the reasoning
// tokens spent), which a router cannot know in advance.
func Classify(req *simulate.Request) Classification {
	r := req.Rec
	c := Classification{Score: 1}
	if t := req.Facts().Text(); t != nil {
		c.WithText, c.Score = true, 0
		last := req.Facts().LastUserLower()
		if simulate.ContainsAny(last, simpleWords) {
			c.Score--
		}
		if simulate.ContainsAny(last, complexWords) {
			c.Score++
		}
		if simulate.ContainsAny(last, expertWords) {
			c.Score += 2
		}
		if simulate.ContainsAny(last, codeMarks) {
			c.Score++
		}
		if simulate.ContainsAny(last, mathMarks) {
			c.Score++
		}
		if len(bytes.TrimSpace(last))/4 > 1500 {
			c.Score++
		}
		if len(t.Blocks) > 0 && t.Blocks[0].Role == ingest.RoleTools {
			c.Score++
		}
	}
	in := r.TotalInput()
	if in > 20_000 {
		c.Score++
	}
	if in > 100_000 {
		c.Score++
	}
	if r.Messages > 10 {
		c.Score++
	}
	if r.MaxTokens >= 8000 {
		c.Score++
	}
	switch {
	case c.Score <= 0:
		c.Tier = Simple
	case c.Score == 1:
		c.Tier = Standard
	case c.Score <= 3:
		c.Tier = Complex
	default:
		c.Tier = Expert
	}
	return c
}
