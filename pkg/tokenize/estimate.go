package tokenize

import (
	"fmt"
	"math"
)

// Estimate counts tokens for a model family whose tokenizer is not public
// (or not bundled): the count of an exact encoding times a calibration
// factor. Exact is false, and every output of llmcost marks such counts as
// estimates. An Estimate is immutable and safe for concurrent use.
type Estimate struct {
	// Family names the tokenizer family, e.g. "claude".
	Family string
	// Base is the exact encoding whose count is scaled.
	Base *Encoding
	// Factor multiplies Base's count.
	Factor float64
	// Bound is the stated relative error for English prose and code: the
	// vendor's count is expected within Count×(1±Bound). Other languages
	// can fall outside it; Basis says in which direction when known.
	Bound float64
	// Basis says where Factor and Bound come from.
	Basis string
}

// Count returns Base's count times Factor, rounded; safe for concurrent use.
func (e *Estimate) Count(text []byte) int {
	return int(math.Round(float64(e.Base.Count(text)) * e.Factor))
}

// Name describes the estimate, e.g. "claude≈o200k_base×1.20"; safe for
// concurrent use.
func (e *Estimate) Name() string {
	return fmt.Sprintf("%s≈%s×%.2f", e.Family, e.Base.Name(), e.Factor)
}

// Exact is false; safe for concurrent use.
func (e *Estimate) Exact() bool { return false }

// Family is the calibration of a family of models whose tokenizer is not
// public: Base's count times Factor estimates the vendor's count, within
// ±Bound for English prose and code.
type Family struct {
	Name   string
	Models string // the models it covers, for people
	Base   string
	Factor float64
	Bound  float64
	Basis  string
}

// Families returns the estimate families, in a fixed order.
func Families() []Family {
	out := make([]Family, 0, len(familyOrder))
	for _, name := range familyOrder {
		out = append(out, families[name])
	}
	return out
}

var familyOrder = []string{"claude", "claude-4.7", "gemini", "llama-3", "llama-4", "llama-2", "mistral", "deepseek", "amazon", "cohere", "grok", "openai"}

// families holds, for each family, the factor that turns a count of the
// base encoding into an estimate of the vendor's count. Each basis cites
// what the numbers rest on; where nothing was published they are a rough
// heuristic with a wide bound, and say so.
var families = map[string]Family{
	"claude": {
		Name: "claude", Models: "Claude 3 to 4.6", Base: O200kBase, Factor: 1.20, Bound: 0.15,
		Basis: "Claude 3 to 4.6. Measured against GPT-4o (o200k_base) on Claude 3.5 Sonnet: " +
			"+16% English articles, +21% math, +30% Python code (L. Gupta, \"Hidden costs in AI " +
			"deployment: why Claude models may be 20-30% more expensive than GPT in enterprise " +
			"settings\", VentureBeat, 2025). Assumed unchanged until Opus 4.7, which Anthropic " +
			"introduced with a new tokenizer. Other scripts were not measured.",
	},
	"claude-4.7": {
		Name: "claude-4.7", Models: "Claude Opus 4.7 and later", Base: O200kBase, Factor: 1.55, Bound: 0.25,
		Basis: "Claude Opus 4.7 and later. Anthropic: the Opus 4.7 tokenizer uses \"roughly 1x to " +
			"1.35x as many tokens\" as previous models; count_tokens measurements found 1.33x on " +
			"real Claude Code content and 1.45-1.47x on English prose and technical docs, 1.0x " +
			"on CJK, Cyrillic, Arabic and Hindi (claudecodecamp.com, sol.ava.dev, April 2026). " +
			"Factor = 1.20 (claude) x 1.30. Later models are assumed to keep this tokenizer.",
	},
	"gemini": {
		Name: "gemini", Models: "Gemini, Gemma", Base: O200kBase, Factor: 1.13, Bound: 0.20,
		Basis: "Gemini and Gemma. Google: \"a token is about 4 characters; 100 tokens are about " +
			"60-80 English words\" (ai.google.dev/gemini-api/docs/tokens), i.e. 1.25-1.67 tokens " +
			"per word. o200k_base gives 1.25 tokens per word and 4.5 characters per token on " +
			"testdata/tokenize/prose-en.txt, so 4.5/4 = 1.43/1.25 = 1.13. A vendor rule of thumb, " +
			"not a measurement; non-Latin scripts are likely to need fewer tokens than estimated.",
	},
	"llama-3": {
		Name: "llama-3", Models: "Llama 3", Base: Cl100kBase, Factor: 1.00, Bound: 0.10,
		Basis: "Llama 3.x. Meta: its 128K vocabulary is the 100K tiktoken vocabulary (cl100k_base) " +
			"plus 28K tokens for other languages, with the same kind of pre-tokenizer; English and " +
			"code count almost exactly as cl100k_base, other languages can count fewer.",
	},
	"llama-4": {
		Name: "llama-4", Models: "Llama 4", Base: O200kBase, Factor: 1.00, Bound: 0.20,
		Basis: "Llama 4. Meta's reference tokenizer (llama-models, models/llama4/tokenizer.py) is " +
			"tiktoken-based with the o200k_base pre-tokenizer pattern and a ~200K vocabulary of " +
			"its own; the factor is a heuristic.",
	},
	"llama-2": {
		Name: "llama-2", Models: "Llama 2", Base: Cl100kBase, Factor: 1.18, Bound: 0.15,
		Basis: "Llama 2. Meta: the Llama 3 tokenizer needs up to 15% fewer tokens than Llama 2's " +
			"(3.2 to 4 characters per token on English), so Llama 2 ≈ 1/0.85 × llama-3.",
	},
	"mistral": {
		Name: "mistral", Models: "Mistral", Base: Cl100kBase, Factor: 1.10, Bound: 0.20,
		Basis: "Mistral. Tekken (Nemo, Pixtral, Ministral, Small 3+, Medium 3, Large 2411+, " +
			"Codestral 25.x, Devstral, Magistral) is tiktoken-based with 131K tokens and, per " +
			"Mistral, compresses better than Llama 3's tokenizer for ~85% of languages (near " +
			"cl100k_base on English); the SentencePiece tokenizer of older models (7B, Mixtral, " +
			"2402 models) needs ~30% more on code and several languages (docs.mistral.ai, " +
			"tokenization guide). Factor 1.10 sits between; heuristic.",
	},
	"deepseek": {
		Name: "deepseek", Models: "DeepSeek", Base: Cl100kBase, Factor: 1.10, Bound: 0.25,
		Basis: "DeepSeek V3 and R1: byte-level BPE with a 128K vocabulary. DeepSeek's rule of " +
			"thumb, \"1 English character ≈ 0.3 token, 1 Chinese character ≈ 0.6 token\" " +
			"(api-docs.deepseek.com/quick_start/token_usage), would mean 1.33x cl100k_base's 4.4 " +
			"characters per English token; a vocabulary of that size usually does better, so " +
			"1.10 is a heuristic between the two.",
	},
	"amazon": {
		Name: "amazon", Models: "Amazon Nova, Titan", Base: O200kBase, Factor: 1.10, Bound: 0.30,
		Basis: "Amazon Nova and Titan: no published tokenizer or comparison found; rough heuristic.",
	},
	"cohere": {
		Name: "cohere", Models: "Cohere Command", Base: O200kBase, Factor: 1.10, Bound: 0.30,
		Basis: "Cohere Command: no published comparison with tiktoken found; rough heuristic.",
	},
	"grok": {
		Name: "grok", Models: "xAI Grok", Base: O200kBase, Factor: 1.00, Bound: 0.30,
		Basis: "xAI Grok 2 and later: tokenizer not published (Grok-1's open weights used a " +
			"131K SentencePiece vocabulary); rough heuristic.",
	},
	"openai": {
		Name: "openai", Models: "other OpenAI models", Base: O200kBase, Factor: 1.00, Bound: 0.10,
		Basis: "An OpenAI model this version does not know: assumed to use o200k_base, like every " +
			"OpenAI chat model since GPT-4o.",
	},
}

// estimateFor builds the Estimate of a family.
func estimateFor(name string) (*Estimate, error) {
	f, ok := families[name]
	if !ok {
		return nil, fmt.Errorf("unknown tokenizer family %q", name)
	}
	base, err := ForEncoding(f.Base)
	if err != nil {
		return nil, err
	}
	return &Estimate{Family: f.Name, Base: base, Factor: f.Factor, Bound: f.Bound, Basis: f.Basis}, nil
}
