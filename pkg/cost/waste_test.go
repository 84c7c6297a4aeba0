package cost

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/record"
)

func findingsOf(t *testing.T, recs []record.Record) map[string]Finding {
	t.Helper()
	s := summarize(t, Options{}, recs...)
	out := map[string]Finding{}
	for _, f := range s.Findings {
		out[f.Kind] = f
	}
	return out
}

func TestWasteFinder(t *testing.T) {
	base := at("2026-03-02T10:00:00Z")
	var recs []record.Record
	// 3 identical requests: 2 repeats a response cache would answer.
	for i := 0; i < 3; i++ {
		recs = append(recs, record.Record{Model: "gpt-4o", Time: base, InputTokens: 100_000, HasUsage: true, HasRequest: true, MaxTokens: 100, RequestHash: 42})
	}
	// A conversation whose input grows every turn; turn i sends 2i+1 messages.
	for i := 0; i < 12; i++ {
		recs = append(recs, record.Record{Model: "gpt-4o", Time: base.Add(time.Duration(i) * time.Minute), ConversationID: "c1",
			InputTokens: int64(1000 * (i + 1)), Messages: int32(2*i + 1), HasUsage: true, HasRequest: true, MaxTokens: 50})
	}
	// A 2,000-token system prompt sent 5 times with no cache reads.
	for i := 0; i < 5; i++ {
		recs = append(recs, record.Record{Model: "gpt-4o", Time: base, InputTokens: 2500, SystemHash: 7, SystemBytes: 8000, HasUsage: true, HasRequest: true})
	}
	f := findingsOf(t, recs)

	if d := f["duplicate_requests"]; d.Requests != 2 || !d.Saving.Equal(decimal.RequireFromString("0.5")) {
		t.Errorf("duplicates = %+v", d)
	}
	// Turns i=5..11 send 11..23 messages; each saves in - in*10/msgs tokens.
	var saved int64
	for i := 5; i < 12; i++ {
		in, msgs := int64(1000*(i+1)), int64(2*i+1)
		saved += in - in*10/msgs
	}
	want := decimal.NewFromInt(saved).Mul(decimal.RequireFromString("2.5")).Shift(-6)
	if h := f["history_resend"]; h.Requests != 7 || !h.Saving.Equal(want) {
		t.Errorf("history = %+v, want saving %s", h, want)
	}
	// 4 repeats × 2,000 tokens × ($2.50 − $1.25) per 1M.
	if s := f["uncached_system_prompts"]; s.Requests != 5 || !s.Saving.Equal(decimal.RequireFromString("0.01")) {
		t.Errorf("system prompts = %+v", s)
	}
	if n := f["no_max_tokens"]; n.Requests != 5 {
		t.Errorf("no max_tokens = %+v", n)
	}
}

func TestWasteFinderLeavesCleanLogsAlone(t *testing.T) {
	base := at("2026-03-02T10:00:00Z")
	var recs []record.Record
	for i := 0; i < 30; i++ {
		recs = append(recs, record.Record{Model: "gpt-4o", Time: base.Add(time.Duration(i) * time.Minute), ConversationID: "c" + string(rune('a'+i%3)),
			InputTokens: 1000, OutputTokens: 200, Messages: 3, HasUsage: true, HasRequest: true, MaxTokens: 300, RequestHash: uint64(i + 1),
			SystemHash: 9, SystemBytes: 8000, CacheReadTokens: 1024})
	}
	if f := findingsOf(t, recs); len(f) != 0 {
		t.Fatalf("findings on a clean log: %+v", f)
	}
}

func TestVerboseOutputs(t *testing.T) {
	var recs []record.Record
	for i := 0; i < 100; i++ {
		recs = append(recs, record.Record{Model: "gpt-4o", OutputTokens: 100, HasUsage: true})
	}
	for i := 0; i < 4; i++ {
		recs = append(recs, record.Record{Model: "gpt-4o", OutputTokens: 10_000, HasUsage: true})
	}
	v := findingsOf(t, recs)["verbose_outputs"]
	// The 95th percentile falls in the 100-token bucket [96, 112); the cap
	// is its upper bound, 112: each long output saves 10,000 − 112 tokens.
	want := decimal.NewFromInt(4 * (10_000 - 112)).Mul(decimal.NewFromInt(10)).Shift(-6)
	if v.Requests != 4 || !v.Saving.Equal(want) {
		t.Fatalf("verbose = %+v, want saving %s", v, want)
	}
}
