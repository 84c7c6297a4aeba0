package simulate

import (
	"math"
	"time"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/tokenize"
)

// CallKind says why a call exists.
type CallKind uint8

const (
	// CallMain is the request's own call (on the logged model or the one a
	// router chose).
	CallMain CallKind = iota
	// CallCascade is a cascade's first, cheap attempt.
	CallCascade
	// CallSummary is a call that summarises a conversation's history.
	CallSummary
)

// Call is one API call a simulated request pays for. Token counts follow
// record.Record: the input buckets are disjoint and Output includes
// Reasoning.
type Call struct {
	Kind     CallKind
	Provider string
	Model    string
	Tier     record.Tier
	Geo      string
	// Region is the AWS Region the call is made from ("" when the log
	// does not say; the ledger then looks for one in the model string).
	Region string
	Time   time.Time

	Input, CacheRead, CacheWrite5m, CacheWrite1h, Output, Reasoning int64

	// HalfPrice prices a batch call at half the standard rates when the
	// model has no batch price (batch scenario's assumption).
	HalfPrice bool
	// Scale is the ratio of this call's token counts to the logged call's
	// (another model's tokenizer); 1 on the logged model.
	Scale float64
	// Estimated marks token counts that are estimates.
	Estimated bool
}

// TotalInput is every input token of the call.
func (c *Call) TotalInput() int64 { return c.Input + c.CacheRead + c.CacheWrite5m + c.CacheWrite1h }

// SetTotalInput changes the call's input to n tokens, taking tokens out of
// (or adding them to) the buckets in prompt order from the end: uncached
// input first, then cache writes, then cache reads, so that a shorter
// prompt keeps its cached prefix.
func (c *Call) SetTotalInput(n int64) {
	if n < 0 {
		n = 0
	}
	d := c.TotalInput() - n
	if d <= 0 {
		c.Input -= d
		return
	}
	for _, b := range []*int64{&c.Input, &c.CacheWrite1h, &c.CacheWrite5m, &c.CacheRead} {
		t := min(*b, d)
		*b -= t
		d -= t
	}
}

// Uncache moves every cached input token (reads and writes) to uncached
// input, keeping at most keep cached tokens (reads first).
func (c *Call) Uncache(keep int64) {
	total := c.TotalInput()
	r := min(c.CacheRead, keep)
	keep -= r
	w5 := min(c.CacheWrite5m, keep)
	keep -= w5
	w1 := min(c.CacheWrite1h, keep)
	c.CacheRead, c.CacheWrite5m, c.CacheWrite1h = r, w5, w1
	c.Input = total - r - w5 - w1
}

// SetOutput sets the output to n tokens; reasoning tokens, a part of the
// output, are cut to fit.
func (c *Call) SetOutput(n int64) {
	c.Output = max(n, 0)
	c.Reasoning = min(c.Reasoning, c.Output)
}

// ScaleTokens multiplies every count by f (another tokenizer), rounding.
func (c *Call) ScaleTokens(f float64) {
	if f == 1 {
		return
	}
	for _, p := range []*int64{&c.Input, &c.CacheRead, &c.CacheWrite5m, &c.CacheWrite1h, &c.Output, &c.Reasoning} {
		*p = int64(math.Round(float64(*p) * f))
	}
	c.Reasoning = min(c.Reasoning, c.Output)
	c.Scale *= f
	c.Estimated = true
}

// Request is one logged call as scenarios see and rewrite it.
type Request struct {
	// Rec is the logged call; read-only.
	Rec *record.Record
	// Calls are what the request pays for; Calls[0] is its main call until
	// a scenario reorders them. A request answered without a call has none.
	Calls []Call
	// Estimated is set by a scenario that estimated a count.
	Estimated bool

	facts *Facts
}

// Main returns the request's main call, nil when it has none.
func (r *Request) Main() *Call {
	for i := range r.Calls {
		if r.Calls[i].Kind == CallMain {
			return &r.Calls[i]
		}
	}
	return nil
}

// Facts returns what is known of the logged request beyond its record
// (its text, block sizes), computed once per record and shared by every
// scenario.
func (r *Request) Facts() *Facts { return r.facts }

// reset makes r the logged call of rec, unchanged.
func (r *Request) reset(rec *record.Record, f *Facts) {
	r.Rec, r.facts, r.Estimated = rec, f, false
	r.Calls = append(r.Calls[:0], Call{
		Kind: CallMain, Provider: rec.Provider, Model: rec.Model, Tier: rec.Tier, Geo: rec.Geo, Region: rec.Region, Time: rec.Time,
		Input: rec.InputTokens, CacheRead: rec.CacheReadTokens, CacheWrite5m: rec.CacheWrite5mTokens,
		CacheWrite1h: rec.CacheWrite1hTokens, Output: rec.OutputTokens, Reasoning: rec.ReasoningTokens, Scale: 1,
	})
}

// Facts are derived from one logged request, lazily, and shared by every
// scenario that looks at it (alone and stacked). Not safe for concurrent
// use: each runner goroutine has its own.
type Facts struct {
	rec *record.Record

	textDone bool
	text     ingest.RequestText
	hasText  bool

	sizesDone bool
	sizes     []int64
	sizesEst  bool

	lowerDone bool
	lower     []byte

	memo []memo

	counters map[string]tokenize.Counter
}

// Reset makes f the facts of rec, forgetting the previous record's; an
// Observer keeps one Facts and resets it for each record it sees.
func (f *Facts) Reset(rec *record.Record) {
	f.rec, f.textDone, f.hasText, f.sizesDone, f.sizesEst, f.lowerDone = rec, false, false, false, false, false
	f.sizes, f.lower, f.memo = f.sizes[:0], f.lower[:0], f.memo[:0]
}

// Text returns the request's prompt as blocks, or nil when the log does
// not carry it (only request+response pairs do, and only when the runner
// was asked for text).
func (f *Facts) Text() *ingest.RequestText {
	if !f.textDone {
		f.textDone = true
		if len(f.rec.Request) > 0 {
			f.hasText = ingest.ParseRequestText(f.rec.Request, &f.text) == nil && len(f.text.Blocks) > 0
		}
	}
	if !f.hasText {
		return nil
	}
	return &f.text
}

// BlockTokens returns the input tokens of each block of Text (nil without
// text): each block's share of the prompt, counted with the logged model's
// tokenizer, applied to the logged input so that the blocks add up to what
// the provider billed. estimated is true unless the tokenizer is exact
// (the split of the provider's overhead tokens is proportional either way).
func (f *Facts) BlockTokens() (sizes []int64, estimated bool) {
	if f.sizesDone {
		return f.sizes, f.sizesEst
	}
	f.sizesDone = true
	t := f.Text()
	if t == nil {
		return nil, true
	}
	c := f.counter()
	counts := f.sizes[:0]
	var sum int64
	for i := range t.Blocks {
		var n int64
		if c != nil {
			n = int64(c.Count(t.Text(i)))
		} else {
			n = int64(len(t.Text(i))+3) / 4
		}
		counts = append(counts, n)
		sum += n
	}
	f.sizesEst = c == nil || !c.Exact()
	total := f.rec.TotalInput()
	if sum > 0 && total > 0 {
		// Scale to the billed input; the rounding remainder goes to the
		// last block (the newest message).
		var got int64
		for i, n := range counts {
			counts[i] = n * total / sum
			got += counts[i]
		}
		counts[len(counts)-1] += total - got
	}
	f.sizes = counts
	return f.sizes, f.sizesEst
}

func (f *Facts) counter() tokenize.Counter {
	key := f.rec.Provider + "\x00" + f.rec.Model
	if c, ok := f.counters[key]; ok {
		return c
	}
	if f.counters == nil {
		f.counters = map[string]tokenize.Counter{}
	}
	c, err := tokenize.ForModel(f.rec.Provider, f.rec.Model)
	if err != nil {
		c = nil
	}
	f.counters[key] = c
	return c
}

type memo struct {
	key string
	val int64
}

// Memo returns fn's value for key, computing it once per record: scenarios
// share what they derive from a request (a classification) between their
// runs alone and stacked.
func (f *Facts) Memo(key string, fn func() int64) int64 {
	for _, m := range f.memo {
		if m.key == key {
			return m.val
		}
	}
	v := fn()
	f.memo = append(f.memo, memo{key, v})
	return v
}

// LastUserLower is LastUserText in lower case (ASCII letters), computed
// once per record: keyword rules and the classifier search it.
func (f *Facts) LastUserLower() []byte {
	if !f.lowerDone {
		f.lowerDone = true
		t := f.LastUserText()
		if t == nil {
			return nil
		}
		f.lower = append(f.lower[:0], t...)
		for i, c := range f.lower {
			if c >= 'A' && c <= 'Z' {
				f.lower[i] = c + 32
			}
		}
		if f.lower == nil {
			f.lower = []byte{}
		}
	}
	if !f.hasText {
		return nil
	}
	return f.lower
}

// LastUserText returns the text of the last user message, nil without text.
func (f *Facts) LastUserText() []byte {
	t := f.Text()
	if t == nil {
		return nil
	}
	for i := len(t.Blocks) - 1; i >= 0; i-- {
		if t.Blocks[i].Role == ingest.RoleUser {
			return t.Text(i)
		}
	}
	return nil
}

// NewRequest returns rec's request as logged, for applying a scenario
// outside the runner (tests, tools).
func NewRequest(rec *record.Record) *Request {
	f := &Facts{}
	f.Reset(rec)
	r := &Request{}
	r.reset(rec, f)
	return r
}
