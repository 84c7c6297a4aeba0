package ingest

import (
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
)

func TestLiteLLMFields(t *testing.T) {
	lines := fixtureLines(t, "../../testdata/ingest/litellm/valid.jsonl")
	for _, tc := range []struct {
		line                          int
		provider, user, project, tags string
		geo, id                       string
	}{
		{1, "openai", "", "", "", "", "chatcmpl-2299b6a2-82a3-465a-b47c-04e685a2227f"},
		{2, "bedrock", "b56d884a-3e1e-4981-9297-1bfd159bf00e", "", "key_alias=test", "", "chatcmpl-8c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"},
		{3, "anthropic", "u_123", "search", "key_alias=search-prod,tag=agent,tag=prod", "us", "msg_01Q8xExampleExampleExampl3"},
		{5, "openai", "default_user_id", "search", "env=prod,feature=summarize,key_alias=search-prod", "", "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG"},
		{8, "openai", "customer-991", "support", "key_alias=support-bot,tag=billing,tag=prod,ticket_queue=billing", "", "chatcmpl-9f8e7d6c-5b4a-4392-8180-7f6e5d4c3b2a"},
	} {
		recs, err := parseAll(t, "litellm", string(lines[tc.line-1]))
		if err != nil || len(recs) != 1 {
			t.Fatalf("line %d: %d records, %v", tc.line, len(recs), err)
		}
		r := recs[0]
		if r.Provider != tc.provider || r.User != tc.user || r.Project != tc.project || tagsOf(r) != tc.tags || r.Geo != tc.geo || r.RequestID != tc.id {
			t.Errorf("line %d: provider/user/project/tags/geo/id = %q/%q/%q/%q/%q/%q", tc.line, r.Provider, r.User, r.Project, tagsOf(r), r.Geo, r.RequestID)
		}
	}
}

// GET /spend/logs returns a JSON array of rows: one line, many records.
func TestLiteLLMSpendLogsArray(t *testing.T) {
	row := func(id string, prompt int) string {
		return `{"request_id":"` + id + `","call_type":"acompletion","spend":0.1,"prompt_tokens":` + itoa(int64(prompt)) + `,"completion_tokens":1,"startTime":"2026-03-02 10:15:00","model":"gpt-4o","custom_llm_provider":"openai","metadata":"{}","cache_hit":"None","request_tags":"[]","status":"success"}`
	}
	recs, err := parseAll(t, "litellm", "["+row("chatcmpl-0000000000000000000001", 7)+","+row("chatcmpl-0000000000000000000002", 9)+"]")
	if err != nil || len(recs) != 2 || recs[0].InputTokens != 7 || recs[1].InputTokens != 9 {
		t.Fatalf("%+v, %v", recs, err)
	}
}

// The usage rules of litellm.go, one case per LiteLLM convention.
func TestLiteLLMUsageRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		u    litellmUsage
		want [6]int64
	}{
		{"openai: cached inside prompt", litellmUsage{prompt: 2006, cached: 1920, completion: 300}, [6]int64{86, 1920, 0, 0, 300, 0}},
		{"openai cache_write_tokens inside prompt", litellmUsage{prompt: 3000, cached: 0, openaiWrite: 2048, completion: 10}, [6]int64{952, 0, 2048, 0, 10, 0}},
		{"anthropic_messages: reads beyond prompt", litellmUsage{prompt: 12, cached: 2495, completion: 88}, [6]int64{12, 2495, 0, 0, 88, 0}},
		{"2026: text_tokens", litellmUsage{prompt: 7512, cached: 5000, write: 2500, text: 12, textSet: true, writeDetailSet: true, completion: 1}, [6]int64{12, 5000, 2500, 0, 1, 0}},
		{"v1.80: writes inside prompt", litellmUsage{prompt: 98805, cached: 66360, write: 32435, writeDetail: 32435, writeDetailSet: true, completion: 5120}, [6]int64{10, 66360, 32435, 0, 5120, 0}},
		{"writes detail set but prompt excludes cache", litellmUsage{prompt: 12, cached: 100, writeDetail: 500, writeDetailSet: true, completion: 1}, [6]int64{12, 100, 500, 0, 1, 0}},
		{"2025: reads inside, writes outside", litellmUsage{prompt: 1200, cached: 1000, write: 3000, completion: 60}, [6]int64{200, 1000, 3000, 0, 60, 0}},
		{"1-hour split", litellmUsage{prompt: 3000, readTop: 0, write: 2500, writeDetailSet: true, split: true, w5: 500, w1: 2000, completion: 5}, [6]int64{500, 0, 500, 2000, 5, 0}},
		{"split that does not add up", litellmUsage{prompt: 3000, write: 2500, writeDetailSet: true, split: true, w5: 1, w1: 1, completion: 5}, [6]int64{500, 0, 2500, 0, 5, 0}},
		{"reasoning beyond completion", litellmUsage{prompt: 10, completion: 5, reasoning: 9}, [6]int64{10, 0, 0, 0, 5, 5}},
	} {
		var r record.Record
		if err := tc.u.apply(&r); err != nil || tokens(r) != tc.want {
			t.Errorf("%s: %v %v, want %v", tc.name, tokens(r), err, tc.want)
		}
	}
}

func FuzzParseLiteLLM(f *testing.F) {
	fuzzMulti(f, "litellm", []string{
		`{"id":"chatcmpl-0123456789abcdef0123","status":"success","custom_llm_provider":"anthropic","model":"claude-opus-4-6","startTime":1778659200.5,"response":{"usage":{"prompt_tokens":7512,"completion_tokens":4,"prompt_tokens_details":{"cached_tokens":5000,"cache_creation_tokens":2500,"text_tokens":12,"cache_creation_token_details":{"ephemeral_1h_input_tokens":2500}},"cache_creation_input_tokens":2500}},"request_tags":["a"],"metadata":{"user_api_key_team_alias":"t","spend_logs_metadata":{"k":"v"}}}`,
		`{"request_id":"r","spend":0.1,"call_type":"acompletion","prompt_tokens":5,"completion_tokens":1,"metadata":"{\"usage_object\":{\"prompt_tokens\":5,\"completion_tokens\":1}}","request_tags":"[\"x\"]","cache_hit":"None"}`,
	}, "ingest/litellm/*.jsonl", "samples/litellm.jsonl")
}
