package record

import "time"

// Tier is the service tier a call was billed at.
type Tier uint8

const (
	TierStandard Tier = iota
	TierBatch
	TierFlex
	TierPriority
)

var tierNames = [...]string{"standard", "batch", "flex", "priority"}

func (t Tier) String() string {
	if int(t) < len(tierNames) {
		return tierNames[t]
	}
	return "unknown"
}

// ParseTier maps a vendor's service-tier word to a Tier. Unknown words and the
// vendors' names for the default tier ("default", "auto", "standard_only",
// "scale", "on_demand") map to TierStandard.
func ParseTier(s string) Tier {
	switch s {
	case "batch":
		return TierBatch
	case "flex":
		return TierFlex
	case "priority", "fast":
		return TierPriority
	}
	return TierStandard
}

// Record is one LLM call. Token counts are disjoint: the input of the call is
// InputTokens + CacheReadTokens + CacheWrite5mTokens + CacheWrite1hTokens,
// whatever the vendor's own convention (OpenAI counts cached tokens inside
// prompt_tokens; parsers subtract them). OutputTokens includes ReasoningTokens.
type Record struct {
	// Time is when the call ran (UTC); zero when the log does not say.
	Time time.Time
	// Provider is the vendor family the log came from ("openai", "anthropic",
	// "bedrock", …); a hint for model resolution, not a price key.
	Provider string
	// Model is the model id as the log spells it.
	Model string
	Tier  Tier
	// Geo is where inference ran when the vendor prices it ("us", "global", "eu").
	Geo string
	// Region is the AWS Region the call was made from, lower case
	// ("eu-west-1"), "" when unknown: Bedrock prices some models per
	// Region, and a cross-Region inference call in its source Region (not
	// the Region that ran it).
	Region string

	InputTokens        int64 // uncached input
	CacheReadTokens    int64
	CacheWrite5mTokens int64 // cache writes with the 5-minute TTL (or unspecified TTL)
	CacheWrite1hTokens int64
	OutputTokens       int64 // all billed output, reasoning included
	ReasoningTokens    int64 // subset of OutputTokens, for information

	// HasUsage is false when the log line carries no usage counts (a batch
	// input line, a failed request); such records are counted, not priced.
	HasUsage bool

	// LongContext is the context band when the log states it (Anthropic's
	// usage report: context_window 200k-1M): 1 long, -1 base; 0 means the
	// band follows from the call's input tokens.
	LongContext int8

	// Calls is the number of API calls the record stands for: 0 means one
	// (a log line is one call); a usage export row aggregates many. A
	// billing row that charges money for no call of its own sets NoCalls.
	Calls   int64
	NoCalls bool
	// ChargedNanoUSD is money the vendor billed for this record, in 1e-9
	// USD, when HasCharged (billing exports). It is kept apart from the
	// cost computed from tokens and the catalog.
	ChargedNanoUSD int64
	HasCharged     bool

	RequestID      string
	ConversationID string
	User           string
	Project        string
	// Tags are user-defined key/value labels (request metadata, gateway tags).
	Tags []Tag

	// SystemHash is a 64-bit hash of the system prompt, 0 when absent; prompts
	// themselves are not kept. SystemBytes is the system prompt's size as
	// logged (JSON-escaped), for estimating its tokens.
	SystemHash  uint64
	SystemBytes int64
	// HasRequest is true when the log carries the request (so MaxTokens 0
	// means "no output limit set"); RequestHash then hashes its messages,
	// so equal requests hash equal.
	HasRequest  bool
	RequestHash uint64
	// MaxTokens is the output limit the request set, 0 when unknown.
	MaxTokens int64
	// Messages is the number of messages in the request, 0 when unknown.
	Messages int32
	// Request is the raw request body (JSON) as logged, for commands that
	// need the prompt text (simulate). It is empty unless the reader was
	// asked for it (ingest.Options.Text), and for formats that do not log
	// requests. Like the record, it is reused: valid until the sink's Add
	// returns. Reports never print it.
	Request []byte

	// DedupKey, when not 0, identifies the billed call: records with the
	// same key are one call logged several times, and only the first one
	// read is counted.
	DedupKey uint64

	// Loc is where the record came from, so a command that needs the prompt
	// text can read it again.
	Loc Loc
}

// Tag is one key/value label.
type Tag struct{ Key, Value string }

// Loc locates a record in its input.
type Loc struct {
	File   string
	Line   int64 // 1-based
	Offset int64 // byte offset of the line in the (decompressed) stream
}

// CallCount is the number of calls the record stands for (see Calls).
func (r *Record) CallCount() int64 {
	switch {
	case r.NoCalls:
		return 0
	case r.Calls > 0:
		return r.Calls
	}
	return 1
}

// TotalInput is every input token of the call, cached or not.
func (r *Record) TotalInput() int64 {
	return r.InputTokens + r.CacheReadTokens + r.CacheWrite5mTokens + r.CacheWrite1hTokens
}

// Reset clears r for reuse, keeping the Tags and Request backing arrays.
func (r *Record) Reset() {
	tags, req := r.Tags[:0], r.Request[:0]
	*r = Record{Tags: tags, Request: req}
}
