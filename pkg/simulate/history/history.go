// Package history simulates context management for multi-turn
// conversations: a sliding window of the last N messages, or a summary of
// the older turns every K turns.
package history

import (
	"fmt"
	"math"

	"github.com/llmcost/llmcost/pkg/simulate"
)

// Config configures the history scenario.
type Config struct {
	// Strategy is "window" (default) or "summarize".
	Strategy string `yaml:"strategy"`
	// Window is how many messages the window keeps, besides the system
	// prompt and tools (default 10).
	Window int `yaml:"window"`
	// Every is how many turns (a user message and its answer) pass between
	// summaries (default 10).
	Every int `yaml:"every"`
	// SummaryTokens is the size of a summary (default 400).
	SummaryTokens int64 `yaml:"summary_tokens"`
	// SummaryModel makes the summaries; default the request's own model.
	SummaryModel string `yaml:"summary_model"`
	// Only limits the scenario to matching requests.
	Only simulate.Match `yaml:"only"`
}

// Scenario is the context-management lever.
type Scenario struct {
	cfg Config
}

// New checks cfg and returns the scenario.
func New(cfg Config) (*Scenario, error) {
	switch cfg.Strategy {
	case "":
		cfg.Strategy = "window"
	case "window", "summarize":
	default:
		return nil, fmt.Errorf("history: strategy %q: want window or summarize", cfg.Strategy)
	}
	if cfg.Window < 0 || cfg.Every < 0 || cfg.SummaryTokens < 0 {
		return nil, fmt.Errorf("history: window, every and summary_tokens must not be negative")
	}
	if cfg.Window == 0 {
		cfg.Window = 10
	}
	if cfg.Every == 0 {
		cfg.Every = 10
	}
	if cfg.SummaryTokens == 0 {
		cfg.SummaryTokens = 400
	}
	if err := cfg.Only.Compile(); err != nil {
		return nil, fmt.Errorf("history: only: %w", err)
	}
	return &Scenario{cfg: cfg}, nil
}

func (s *Scenario) Name() string  { return "history" }
func (s *Scenario) Title() string { return "Context management" }
func (s *Scenario) Order() int    { return simulate.OrderHistory }

// NeedsText is true: message sizes come from the request text when the log
// has it.
func (s *Scenario) NeedsText() bool { return true }

// layout is a request's prompt as the scenario sees it: the tokens before
// the first message (tools, system) and each message's tokens.
type layout struct {
	prefix int64
	msgs   []int64
	text   bool
}

// layoutOf reads the layout from the request text, or estimates it from the
// message count: every message (and the system prompt, when there is one)
// the same size.
func layoutOf(req *simulate.Request, l *layout, minMessages int) bool {
	l.prefix, l.msgs, l.text = 0, l.msgs[:0], false
	f := req.Facts()
	if t := f.Text(); t != nil {
		if t.Messages() < minMessages {
			return false // nothing to trim: spare the tokenizer
		}
		sizes, _ := f.BlockTokens()
		for i, b := range t.Blocks {
			if b.Message < 0 {
				l.prefix += sizes[i]
			} else {
				l.msgs = append(l.msgs, sizes[i])
			}
		}
		l.text = true
		return len(l.msgs) > 0
	}
	r := req.Rec
	m := int64(r.Messages)
	if m <= 0 || int(m) < minMessages {
		return false
	}
	units := m
	if r.SystemHash != 0 {
		// The system prompt: one message's share, whether the log counts it
		// among the messages (OpenAI Chat) or apart (Anthropic).
		units++
		if r.Provider == "openai" {
			m--
			units--
		}
	}
	total := r.TotalInput()
	per := total / max(units, 1)
	l.prefix = total - per*m
	for i := int64(0); i < m; i++ {
		l.msgs = append(l.msgs, per)
	}
	return m > 0
}

type bucketStat struct {
	requests, before, after int64
}

var bucketNames = [...]string{"1-10", "11-20", "21-50", "51-100", "over 100"}

func bucketOf(m int) int {
	switch {
	case m <= 10:
		return 0
	case m <= 20:
		return 1
	case m <= 50:
		return 2
	case m <= 100:
		return 3
	}
	return 4
}

type worker struct {
	s                                *Scenario
	l                                layout
	trimmed, summaries, saved, added int64
	summaryIn, withText, withoutText int64
	buckets                          [len(bucketNames)]bucketStat
}

func (s *Scenario) NewWorker(*simulate.Books) simulate.Worker { return &worker{s: s} }

// minMessages is the fewest messages a request needs for the strategy to
// change it: more than the window, or a finished summary period (the
// system prompt counted among them errs on the side of sizing).
func (s *Scenario) minMessages() int {
	if s.cfg.Strategy == "window" {
		return s.cfg.Window + 1
	}
	return 2*s.cfg.Every + 1
}

func (w *worker) Apply(req *simulate.Request) bool {
	if req.Rec.CallCount() != 1 || len(req.Calls) == 0 || !w.s.cfg.Only.Matches(req) || !layoutOf(req, &w.l, w.s.minMessages()) {
		return false
	}
	l := &w.l
	m := len(l.msgs)
	var removed, added, sumIn int64
	summarize := false
	switch w.s.cfg.Strategy {
	case "window":
		if m <= w.s.cfg.Window {
			return false
		}
		for _, n := range l.msgs[:m-w.s.cfg.Window] {
			removed += n
		}
	case "summarize":
		turns := (m - 1) / 2 // completed turns before the last message
		k := w.s.cfg.Every
		s := turns / k
		if s == 0 {
			return false
		}
		cut := min(2*s*k, m-1)
		for _, n := range l.msgs[:cut] {
			removed += n
		}
		added = w.s.cfg.SummaryTokens
		if turns%k == 0 {
			// This request comes right after a summary point: the summary
			// call runs now, over the previous summary and the K turns since.
			summarize = true
			if s > 1 {
				sumIn = w.s.cfg.SummaryTokens
			}
			for _, n := range l.msgs[max(cut-2*k, 0):cut] {
				sumIn += n
			}
		}
	}
	if removed-added <= 0 && !summarize {
		return false
	}
	main := req.Main()
	for i := range req.Calls {
		c := &req.Calls[i]
		if c.Kind == simulate.CallSummary {
			continue
		}
		scaled := func(n int64) int64 { return int64(math.Round(float64(n) * c.Scale)) }
		total := c.TotalInput()
		switch w.s.cfg.Strategy {
		case "window":
			// The window's start moves every turn, so the prompt's prefix
			// changes: only what precedes the messages stays cached.
			c.Uncache(scaled(l.prefix))
			c.SetTotalInput(total - scaled(removed))
		case "summarize":
			// The summary replaces the oldest messages, at the front of the
			// prompt: the removed tokens come out of the cached prefix, and
			// the summary is cached where they were.
			r := scaled(removed)
			cached := c.CacheRead > 0
			for _, b := range []*int64{&c.CacheRead, &c.CacheWrite5m, &c.CacheWrite1h, &c.Input} {
				t := min(*b, r)
				*b -= t
				r -= t
			}
			if cached {
				c.CacheRead += scaled(added)
			} else {
				c.Input += scaled(added)
			}
		}
		c.Estimated = true
	}
	if summarize && main != nil {
		sc := simulate.Call{Kind: simulate.CallSummary, Provider: main.Provider, Model: main.Model, Tier: main.Tier, Geo: main.Geo,
			Time: main.Time, Input: int64(math.Round(float64(sumIn) * main.Scale)), Output: int64(math.Round(float64(w.s.cfg.SummaryTokens) * main.Scale)),
			Scale: main.Scale, Estimated: true}
		if w.s.cfg.SummaryModel != "" {
			sc.Model = w.s.cfg.SummaryModel
			sc.Input, sc.Output, sc.Scale = sumIn, w.s.cfg.SummaryTokens, 1
		}
		req.Calls = append(req.Calls, sc)
		w.summaries++
		w.summaryIn += sumIn
	}
	req.Estimated = true
	w.trimmed++
	w.saved += removed
	w.added += added
	if l.text {
		w.withText++
	} else {
		w.withoutText++
	}
	b := &w.buckets[bucketOf(m)]
	b.requests++
	b.before += req.Rec.TotalInput()
	b.after += req.Rec.TotalInput() - removed + added
	return true
}

func (s *Scenario) Summarize(ws []simulate.Worker) simulate.Summary {
	var t worker
	for _, x := range ws {
		w := x.(*worker)
		t.trimmed += w.trimmed
		t.summaries += w.summaries
		t.saved += w.saved
		t.added += w.added
		t.summaryIn += w.summaryIn
		t.withText += w.withText
		t.withoutText += w.withoutText
		for i := range t.buckets {
			t.buckets[i].requests += w.buckets[i].requests
			t.buckets[i].before += w.buckets[i].before
			t.buckets[i].after += w.buckets[i].after
		}
	}
	sum := simulate.Summary{Estimated: true}
	sum.Figures = []simulate.Figure{
		{Key: "trimmed_requests", Label: "Requests whose history is trimmed", Unit: simulate.UnitRequests, Value: simulate.Dec(t.trimmed)},
		{Key: "input_tokens_removed", Label: "Input tokens removed", Unit: simulate.UnitTokens, Value: simulate.Dec(t.saved), Estimated: true},
	}
	if s.cfg.Strategy == "summarize" {
		sum.Figures = append(sum.Figures,
			simulate.Figure{Key: "summary_tokens_added", Label: "Summary tokens sent instead", Unit: simulate.UnitTokens, Value: simulate.Dec(t.added), Estimated: true},
			simulate.Figure{Key: "summary_calls", Label: "Summary calls made (their cost is in the bill)", Unit: simulate.UnitRequests, Value: simulate.Dec(t.summaries)},
			simulate.Figure{Key: "summary_call_input_tokens", Label: "Input tokens of the summary calls", Unit: simulate.UnitTokens, Value: simulate.Dec(t.summaryIn), Estimated: true},
		)
	}
	sum.Figures = append(sum.Figures,
		simulate.Figure{Key: "sized_from_text", Label: "Trimmed requests sized from their text", Unit: simulate.UnitRequests, Value: simulate.Dec(t.withText)},
		simulate.Figure{Key: "sized_from_counts", Label: "Trimmed requests sized from the message count (every message the same size)", Unit: simulate.UnitRequests, Value: simulate.Dec(t.withoutText)},
	)
	tb := simulate.Table{Key: "by_messages", Title: "Trimmed requests by message count",
		Columns: []simulate.Column{
			{Key: "messages", Label: "messages", Unit: simulate.UnitText},
			{Key: "requests", Label: "requests", Unit: simulate.UnitRequests},
			{Key: "input_before", Label: "input before", Unit: simulate.UnitTokens},
			{Key: "input_after", Label: "input after", Unit: simulate.UnitTokens},
		}}
	for i, b := range t.buckets {
		if b.requests > 0 {
			tb.Rows = append(tb.Rows, []any{bucketNames[i], simulate.Dec(b.requests), simulate.Dec(b.before), simulate.Dec(b.after)})
		}
	}
	sum.Tables = append(sum.Tables, tb)
	switch s.cfg.Strategy {
	case "window":
		sum.Assumptions = append(sum.Assumptions,
			fmt.Sprintf("Sliding window: a request keeps its system prompt, tools and last %d messages; older messages are dropped.", s.cfg.Window),
			"The window's start moves every turn, so the prompt prefix changes and only the system prompt and tools stay cached: the kept history is billed as uncached input (a window that slides in larger steps would keep more of the cache).")
	case "summarize":
		model := "the request's own model"
		if s.cfg.SummaryModel != "" {
			model = s.cfg.SummaryModel
		}
		sum.Assumptions = append(sum.Assumptions,
			fmt.Sprintf("Summarisation: every %d turns the older turns are replaced by a %d-token summary; a turn is a user message and its answer.", s.cfg.Every, s.cfg.SummaryTokens),
			fmt.Sprintf("Each summary is one extra call on %s, charged to the first request after the summary point: its input is the previous summary and the turns it replaces, its output the new summary.", model),
			"The summary sits at the front of the prompt, where the turns it replaces were: it is cached when they were.")
	}
	sum.Assumptions = append(sum.Assumptions,
		"Message sizes come from the request text when the log carries it (pairs logs), split in proportion to each message's tokens and scaled to the billed input; otherwise every message, and the system prompt, is assumed the same size.",
		"Requests that carry no history (Responses API calls chained with previous_response_id) are left as they are.")
	return sum
}
