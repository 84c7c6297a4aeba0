package cost

import (
	"math/bits"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/record"
)

// The waste finder: evidence of avoidable spend gathered in the same pass
// as the cost breakdowns, each finding priced exactly at the rates of the
// calls it concerns. Memory is bounded: past maxWasteKeys tracked
// conversations, requests or prompts, new ones are no longer tracked (the
// finding then says it is partial).

// WindowMessages is the sliding window the history finding simulates.
const WindowMessages = 10

// maxWasteKeys bounds each tracked set per worker.
const maxWasteKeys = 200_000

// maxTurns bounds the turns kept per conversation.
const maxTurns = 512

// minCacheableTokens is the smallest prefix the providers cache (OpenAI
// 1,024; Anthropic 1,024 to 4,096 by model): the repeated-system-prompt
// finding only counts prompts at least this long.
const minCacheableTokens = 1024

// bytesPerToken converts a logged (JSON-escaped) prompt size to tokens, a
// rough estimate (about 4 characters per token in English).
const bytesPerToken = 4

type turn struct {
	at       int64 // unix nanoseconds
	messages int32
	sys      int64 // estimated system tokens
	cell     int32
	u        Usage // the call's input usage
}

type dupKey struct {
	cell int32
	hash uint64
}

type sysKey struct {
	model int32
	hash  uint64
}

type sysState struct {
	tokens  int64
	cell    int32
	uncache int64 // requests that read nothing from cache
}

// outHist is a log-scale histogram of output tokens: bucket b holds counts
// with bits.Len64(n) == b/4 and the next two bits == b%4.
type outHist struct {
	n   [260]int64
	sum [260]int64
}

func histBucket(n int64) int {
	if n <= 0 {
		return 0
	}
	l := bits.Len64(uint64(n))
	sub := 0
	if l >= 3 {
		sub = int(uint64(n)>>(l-3)) & 3
	}
	return l*4 + sub
}

type waste struct {
	convs     map[string][]turn
	dups      map[dupKey]*Usage // usage of repeats after the first
	seen      map[dupKey]struct{}
	sys       map[sysKey]*sysState
	noMax     map[int32]*Usage
	out       map[int32]*outHist
	outByCell []*outHist // the same histograms, indexed by cell: no map lookup per call
	truncated bool
}

func newWaste() *waste {
	return &waste{convs: map[string][]turn{}, dups: map[dupKey]*Usage{}, seen: map[dupKey]struct{}{},
		sys: map[sysKey]*sysState{}, noMax: map[int32]*Usage{}, out: map[int32]*outHist{}}
}

// add records what the waste findings need from one priced call.
func (w *waste) add(cell, model int32, r *record.Record) {
	for int(cell) >= len(w.outByCell) { // cells are dense small ids
		w.outByCell = append(w.outByCell, nil)
	}
	h := w.outByCell[cell]
	if h == nil {
		h = &outHist{}
		w.outByCell[cell] = h
		w.out[cell] = h
	}
	b := histBucket(r.OutputTokens)
	h.n[b]++
	h.sum[b] += r.OutputTokens

	if r.HasRequest && r.MaxTokens == 0 {
		u := w.noMax[cell]
		if u == nil {
			u = &Usage{}
			w.noMax[cell] = u
		}
		u.AddRecord(r)
	}
	if r.ConversationID != "" && !r.Time.IsZero() {
		ts, ok := w.convs[r.ConversationID]
		if ok || len(w.convs) < maxWasteKeys {
			if len(ts) < maxTurns {
				w.convs[r.ConversationID] = append(ts, turn{at: r.Time.UnixNano(), messages: r.Messages, sys: r.SystemBytes / bytesPerToken,
					cell: cell, u: Usage{Requests: 1, Input: r.InputTokens, CacheRead: r.CacheReadTokens, CacheWrite5m: r.CacheWrite5mTokens, CacheWrite1h: r.CacheWrite1hTokens}})
			}
		} else {
			w.truncated = true
		}
	}
	if r.RequestHash != 0 {
		k := dupKey{cell, r.RequestHash}
		if _, ok := w.seen[k]; ok {
			u := w.dups[k]
			if u == nil {
				u = &Usage{}
				w.dups[k] = u
			}
			u.AddRecord(r)
		} else if len(w.seen) < maxWasteKeys {
			w.seen[k] = struct{}{}
		} else {
			w.truncated = true
		}
	}
	if r.SystemHash != 0 && r.SystemBytes/bytesPerToken >= minCacheableTokens {
		k := sysKey{model, r.SystemHash}
		s := w.sys[k]
		if s == nil {
			if len(w.sys) >= maxWasteKeys {
				w.truncated = true
				return
			}
			s = &sysState{tokens: r.SystemBytes / bytesPerToken, cell: cell}
			w.sys[k] = s
		}
		if r.CacheReadTokens == 0 {
			s.uncache++
		}
	}
}

// Finding is one kind of avoidable spend found in the log.
type Finding struct {
	// Kind is a stable identifier: history_resend, duplicate_requests,
	// uncached_system_prompts, no_max_tokens, verbose_outputs.
	Kind string
	// Requests is the number of calls the finding concerns.
	Requests int64
	// Spend is what those calls cost; Saving what the remedy would save.
	Spend, Saving decimal.Decimal
	// Detail explains the estimate in a sentence.
	Detail string
	// Partial is set when the tracked sets hit their memory bound.
	Partial bool
}

// wasteMerged is the waste evidence of all workers, keyed by Cell.
type wasteMerged struct {
	convs     map[string][]mturn
	dups      map[Cell]*Usage
	sysReq    map[sysMKey]*sysMerged
	noMax     map[Cell]*Usage
	out       map[Cell]*outHist
	truncated bool
}

type mturn struct {
	turn
	c Cell
}

type sysMKey struct {
	model string
	hash  uint64
}

type sysMerged struct {
	tokens, uncached int64
	c                Cell
}

func (m *wasteMerged) absorb(w *waste, cells []Cell, models []modelRef) {
	m.truncated = m.truncated || w.truncated
	for id, ts := range w.convs {
		for _, t := range ts {
			m.convs[id] = append(m.convs[id], mturn{t, cells[t.cell]})
		}
	}
	for k, u := range w.dups {
		addUsage(m.dups, cells[k.cell], *u)
	}
	for k, u := range w.noMax {
		addUsage(m.noMax, cells[k], *u)
	}
	for k, h := range w.out {
		c := cells[k]
		mh := m.out[c]
		if mh == nil {
			mh = &outHist{}
			m.out[c] = mh
		}
		for i := range h.n {
			mh.n[i] += h.n[i]
			mh.sum[i] += h.sum[i]
		}
	}
	for k, s := range w.sys {
		ref := models[k.model]
		name := ref.name
		if ref.m != nil {
			name = ref.m.ID
		}
		mk := sysMKey{name, k.hash}
		ms := m.sysReq[mk]
		if ms == nil {
			ms = &sysMerged{tokens: s.tokens, c: cells[s.cell]}
			m.sysReq[mk] = ms
		}
		ms.uncached += s.uncache
	}
}

func addUsage(m map[Cell]*Usage, c Cell, u Usage) {
	p := m[c]
	if p == nil {
		p = &Usage{}
		m[c] = p
	}
	p.Add(u)
}

func total(m map[Cell]*Usage) (decimal.Decimal, int64) {
	sum := decimal.Zero
	var n int64
	for c, u := range m {
		money := c.Money(*u)
		sum = sum.Add(money.Total())
		n += u.Requests
	}
	return sum, n
}

// findings prices the merged evidence. Cells iterate in map order, but the
// sums are exact decimals, so the result does not depend on it.
func (m *wasteMerged) findings() []Finding {
	var out []Finding
	if spend, n := total(m.dups); n > 0 {
		out = append(out, Finding{Kind: "duplicate_requests", Requests: n, Spend: spend, Saving: spend, Partial: m.truncated,
			Detail: "requests identical to an earlier one (same model, same messages): a response cache would have answered them"})
	}
	// History resent: turns past the window would send WindowMessages
	// messages instead of all; their input shrinks in proportion, the
	// system prompt aside.
	hist := map[Cell]*Usage{}
	histSpend := map[Cell]*Usage{}
	var convs int64
	ids := make([]string, 0, len(m.convs))
	for id := range m.convs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		ts := m.convs[id]
		if len(ts) < 3 {
			continue
		}
		sort.Slice(ts, func(i, j int) bool { return ts[i].at < ts[j].at })
		grows := 0
		for i := 1; i < len(ts); i++ {
			if ts[i].u.TotalInput() > ts[i-1].u.TotalInput() {
				grows++
			}
		}
		if grows*5 < (len(ts)-1)*4 { // input must grow on at least 80% of turns
			continue
		}
		found := false
		for i, t := range ts {
			msgs := int64(t.messages)
			if msgs == 0 {
				msgs = int64(2*i + 1) // a turn adds a user and an assistant message
			}
			if msgs <= WindowMessages {
				continue
			}
			in := t.u.TotalInput()
			body := in - t.sys
			if body <= 0 {
				continue
			}
			saved := body - body*WindowMessages/msgs
			addUsage(hist, t.c, scaleInput(t.u, saved, in))
			addUsage(histSpend, t.c, t.u)
			found = true
		}
		if found {
			convs++
		}
	}
	if saving, n := total(hist); n > 0 {
		spend, _ := total(histSpend)
		out = append(out, Finding{Kind: "history_resend", Requests: n, Spend: spend, Saving: saving, Partial: m.truncated,
			Detail: plural(convs, "conversation") + " resend their whole history each turn: a sliding window of the last 10 messages would cut the input of later turns"})
	}
	// Repeated system prompts that no request read from cache.
	sysSave := decimal.Zero
	var sysReqs, prompts int64
	for _, s := range m.sysReq {
		repeats := s.uncached - 1
		if repeats < 1 {
			continue
		}
		r, mult, _ := s.c.Rates()
		if !s.c.Priced() {
			continue
		}
		per := r.Input.Sub(r.CacheRead).Mul(mult).Mul(decimal.NewFromInt(s.tokens)).Shift(-6)
		sysSave = sysSave.Add(per.Mul(decimal.NewFromInt(repeats)))
		sysReqs += s.uncached
		prompts++
	}
	if sysReqs > 0 {
		out = append(out, Finding{Kind: "uncached_system_prompts", Requests: sysReqs, Spend: decimal.Zero, Saving: sysSave, Partial: m.truncated,
			Detail: plural(prompts, "system prompt") + " of at least 1,024 tokens (estimated from their size) are sent again and again without cache reads: provider prompt caching would bill repeats at the cache-read rate"})
	}
	if spend, n := total(m.noMax); n > 0 {
		out = append(out, Finding{Kind: "no_max_tokens", Requests: n, Spend: spend, Saving: decimal.Zero,
			Detail: "requests set no output limit (max_tokens): their output cost is uncapped"})
	}
	// Verbose outputs: output beyond each model's 95th percentile.
	verbose := decimal.Zero
	var vreq int64
	for c, h := range m.out {
		if !c.Priced() {
			continue
		}
		var n int64
		for _, k := range h.n {
			n += k
		}
		if n < 20 {
			continue
		}
		cut, seen := 0, int64(0)
		for b, k := range h.n {
			seen += k
			if seen*100 >= n*95 {
				cut = b
				break
			}
		}
		capTokens := bucketFloor(cut + 1)
		var excess int64
		for b := cut + 1; b < len(h.n); b++ {
			excess += h.sum[b] - h.n[b]*capTokens
			vreq += h.n[b]
		}
		if excess > 0 {
			r, mult, _ := c.Rates()
			verbose = verbose.Add(r.Output.Mul(mult).Mul(decimal.NewFromInt(excess)).Shift(-6))
		}
	}
	if vreq > 0 && verbose.IsPositive() {
		out = append(out, Finding{Kind: "verbose_outputs", Requests: vreq, Spend: decimal.Zero, Saving: verbose,
			Detail: "outputs longer than their model's 95th percentile: capping them there (max_tokens or a concise-format instruction) saves the excess (estimated from a histogram)"})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Saving.GreaterThan(out[j].Saving) })
	return out
}

// bucketFloor is the smallest token count of histogram bucket b.
func bucketFloor(b int) int64 {
	l, sub := b/4, b%4
	if l == 0 {
		return 0
	}
	if l < 3 {
		return 1 << (l - 1)
	}
	return int64(4+sub) << (l - 3)
}

// scaleInput returns the part saved/in of u's input tokens, kind by kind.
func scaleInput(u Usage, saved, in int64) Usage {
	if in <= 0 {
		return Usage{}
	}
	f := func(n int64) int64 { return n * saved / in }
	return Usage{Requests: 1, Input: f(u.Input), CacheRead: f(u.CacheRead), CacheWrite5m: f(u.CacheWrite5m), CacheWrite1h: f(u.CacheWrite1h)}
}

func plural(n int64, w string) string {
	s := decimal.NewFromInt(n).String() + " " + w
	if n != 1 {
		s += "s"
	}
	return s
}
