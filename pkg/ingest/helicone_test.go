package ingest

import (
	"testing"
)

func TestHeliconeFields(t *testing.T) {
	lines := fixtureLines(t, "../../testdata/ingest/helicone/valid.jsonl")
	for _, tc := range []struct {
		line                                int
		provider, user, project, conv, tags string
	}{
		{1, "openai", "u_123", "", "sess-42", "environment=prod,feature=search"},
		{3, "anthropic", "u_77", "support", "", ""},
		{8, "google", "", "", "", ""},
	} {
		recs, err := parseAll(t, "helicone", string(lines[tc.line-1]))
		if err != nil || len(recs) != 1 {
			t.Fatalf("line %d: %d records, %v", tc.line, len(recs), err)
		}
		r := recs[0]
		if r.Provider != tc.provider || r.User != tc.user || r.Project != tc.project || r.ConversationID != tc.conv || tagsOf(r) != tc.tags || r.DedupKey == 0 {
			t.Errorf("line %d: provider/user/project/conversation/tags = %q/%q/%q/%q/%q", tc.line, r.Provider, r.User, r.Project, r.ConversationID, tagsOf(r))
		}
	}
}

// The export tool's JSON format is an array of requests.
func TestHeliconeArray(t *testing.T) {
	req := func(id string, prompt int64) string {
		return `{"request_id":"` + id + `","request_created_at":"2026-03-02T10:15:00.000Z","provider":"OPENAI","model":"gpt-4o","prompt_tokens":` + itoa(prompt) + `,"completion_tokens":1,"response_status":200}`
	}
	recs, err := parseAll(t, "helicone", "["+req("00000000-0000-4000-8000-000000000001", 3)+","+req("00000000-0000-4000-8000-000000000002", 4)+"]")
	if err != nil || len(recs) != 2 || recs[0].InputTokens != 3 || recs[1].InputTokens != 4 {
		t.Fatalf("%+v, %v", recs, err)
	}
}

func FuzzParseHelicone(f *testing.F) {
	fuzzMulti(f, "helicone", []string{
		`{"request_id":"00000000-0000-4000-8000-000000000001","request_created_at":"2026-03-02T10:15:00.000Z","provider":"OPENAI","model":"gpt-4o","prompt_tokens":2006,"completion_tokens":3,"total_tokens":2009,"prompt_cache_read_tokens":1920,"response_status":200,"request_properties":{"Helicone-Session-Id":"s","env":"prod"}}`,
		`{"data":[{"request_id":"r","provider":"ANTHROPIC","prompt_tokens":1,"prompt_cache_write_tokens":2}],"error":null}`,
	}, "ingest/helicone/*.jsonl", "samples/helicone.jsonl")
}

// Exported with --include-body, a request has request_body and
// response_body, which the pairs sniffer also looks for: Helicone's is
// tried first.
func TestHeliconeWithBodiesDetection(t *testing.T) {
	line := []byte(`{"request_id":"00000000-0000-4000-8000-000000000001","request_created_at":"2026-03-02T10:15:00.000Z","provider":"OPENAI","model":"gpt-4o","prompt_tokens":3,"completion_tokens":1,"response_status":200,` +
		`"request_body":{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]},"response_body":{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":3,"completion_tokens":1}}}`)
	if f, err := Detect(line); err != nil || f.ID != "helicone" {
		t.Fatalf("detected %v, %v", f, err)
	}
}
