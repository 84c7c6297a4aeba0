package ingest

import (
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
)

func TestLangfuseFields(t *testing.T) {
	lines := fixtureLines(t, "../../testdata/ingest/langfuse/valid.jsonl")
	for _, tc := range []struct {
		line                           int
		provider, user, conv, tags, id string
	}{
		{1, "", "user-1", "session-1", "environment=production,tag=chorus,tag=production", "obs-agent"},
		{4, "anthropic", "", "", "environment=default,feature=triage", "d5a4c3b2-3e4f-4a6b-8c7d-8e9f0a1b2c03"},
		{10, "", "", "", "environment=production,feature=summarize", "dba0c9b8-9e0f-4a2b-8c3d-4e5f6a7b8c09"},
	} {
		recs, err := parseAll(t, "langfuse", string(lines[tc.line-1]))
		if err != nil || len(recs) != 1 {
			t.Fatalf("line %d: %d records, %v", tc.line, len(recs), err)
		}
		r := recs[0]
		if r.Provider != tc.provider || r.User != tc.user || r.ConversationID != tc.conv || tagsOf(r) != tc.tags || r.RequestID != tc.id {
			t.Errorf("line %d: provider/user/conversation/tags/id = %q/%q/%q/%q/%q", tc.line, r.Provider, r.User, r.ConversationID, tagsOf(r), r.RequestID)
		}
	}
	// "obs-agent" is too short an id to deduplicate on.
	if recs, _ := parseAll(t, "langfuse", string(lines[0])); recs[0].DedupKey != 0 {
		t.Errorf("short id deduplicated")
	}
}

// An API page holds many observations; SPANs among them give nothing.
func TestLangfusePage(t *testing.T) {
	obs := func(id, typ string, in int64) string {
		return `{"id":"` + id + `","traceId":"t","type":"` + typ + `","startTime":"2026-03-02T10:15:00Z","model":"gpt-4o","usageDetails":{"input":` + itoa(in) + `,"output":1}}`
	}
	page := `{"data":[` + obs("00000000-0000-4000-8000-000000000001", "GENERATION", 5) + `,` + obs("00000000-0000-4000-8000-000000000002", "SPAN", 6) + `,` +
		obs("00000000-0000-4000-8000-000000000003", "GENERATION", 7) + `],"meta":{"page":1,"limit":50,"totalItems":3,"totalPages":1}}`
	recs, err := parseAll(t, "langfuse", page)
	if err != nil || len(recs) != 2 || recs[0].InputTokens != 5 || recs[1].InputTokens != 7 {
		t.Fatalf("%+v, %v", recs, err)
	}
	if recs, err := parseAll(t, "langfuse", `{"data":[],"meta":{"page":1}}`); err != errNoRecord || len(recs) != 0 {
		t.Errorf("empty page: %v", err)
	}
}

func TestLangfuseUsageRules(t *testing.T) {
	for _, tc := range []struct {
		name    string
		details map[string]int64
		want    [6]int64
	}{
		{"disjoint, total is the sum", map[string]int64{"input": 1000, "input_cached_tokens": 800, "output": 200, "output_reasoning_tokens": 64, "total": 2064}, [6]int64{1000, 800, 0, 0, 264, 64}},
		{"disjoint, no total", map[string]int64{"input": 20, "input_cache_read": 3000, "input_cache_creation": 1200, "output": 150}, [6]int64{20, 3000, 1200, 0, 150, 0}},
		{"inclusive input and output", map[string]int64{"input": 5000, "cache_read_input_tokens": 4000, "output": 300, "reasoning": 100, "total": 5300}, [6]int64{1000, 4000, 0, 0, 300, 100}},
		{"inclusive input, output beside reasoning", map[string]int64{"input": 5000, "cache_read_input_tokens": 4000, "output": 300, "output_reasoning_tokens": 100, "total": 5400}, [6]int64{1000, 4000, 0, 0, 400, 100}},
		{"disjoint input, inclusive output", map[string]int64{"input": 1000, "cache_read_input_tokens": 4000, "output": 300, "output_reasoning_tokens": 100, "total": 5300}, [6]int64{1000, 4000, 0, 0, 300, 100}},
		{"TTL split details the writes", map[string]int64{"input": 5, "input_cache_creation": 2000, "input_ephemeral_5m_input_tokens": 500, "input_ephemeral_1h_input_tokens": 1500, "output": 30}, [6]int64{5, 0, 500, 1500, 30, 0}},
		{"TTL keys only", map[string]int64{"input": 5, "cache_creation_1h_input_tokens": 700, "output": 30}, [6]int64{5, 0, 0, 700, 30, 0}},
		{"audio input is input", map[string]int64{"input": 100, "input_audio_tokens": 50, "output": 10}, [6]int64{150, 0, 0, 0, 10, 0}},
		{"unknown keys are left out", map[string]int64{"input": 100, "output": 10, "search_requests": 3}, [6]int64{100, 0, 0, 0, 10, 0}},
	} {
		var u langfuseUsage
		u.seen, u.detailsSeen = true, true
		for k, n := range tc.details {
			u.add([]byte(k), n)
		}
		var r record.Record
		if err := u.apply(&r); err != nil || tokens(r) != tc.want {
			t.Errorf("%s: %v %v, want %v", tc.name, tokens(r), err, tc.want)
		}
	}
}

func FuzzParseLangfuse(f *testing.F) {
	fuzzMulti(f, "langfuse", []string{
		`{"id":"00000000-0000-4000-8000-000000000001","traceId":"t","type":"GENERATION","startTime":"2026-03-02T10:15:00Z","model":"gpt-4o","usageDetails":{"input":5000,"input_cached_tokens":4000,"output":10,"total":5010},"metadata":{"ls_provider":"openai","k":"v"},"tags":["a"]}`,
		`{"data":[{"traceId":"t","type":"GENERATION","model":"m","usage":{"input":1,"output":2,"unit":"TOKENS"}}],"meta":{}}`,
	}, "ingest/langfuse/*.jsonl", "samples/langfuse.jsonl")
}
