package routing

import (
	"encoding/json"
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
)

func chat(t *testing.T, last string, tools bool) []byte {
	t.Helper()
	req := map[string]any{"model": "gpt-4.1", "messages": []any{
		map[string]any{"role": "system", "content": "You help."},
		map[string]any{"role": "user", "content": "Earlier question about proofs."},
		map[string]any{"role": "assistant", "content": "Earlier answer."},
		map[string]any{"role": "user", "content": last},
	}}
	if tools {
		req["tools"] = []any{map[string]any{"type": "function", "function": map[string]any{"name": "search"}}}
	}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name  string
		rec   record.Record
		tier  Tier
		score int
		text  bool
	}{
		{"summarize", record.Record{Request: chat(t, "Summarize this email in two lines.", false), InputTokens: 800}, Simple, -1, true},
		{"plain question", record.Record{Request: chat(t, "What time zone is Lisbon in?", false), InputTokens: 300}, Simple, 0, true},
		{"analysis", record.Record{Request: chat(t, "Explain why this Go test is flaky.", false), InputTokens: 900}, Standard, 1, true},
		{"code review", record.Record{Request: chat(t, "Review this:\n```go\nfunc f() {}\n```", false), InputTokens: 900}, Complex, 2, true},
		{"agent step", record.Record{Request: chat(t, "Debug the failing job.", true), InputTokens: 900}, Complex, 2, true},
		{"proof", record.Record{Request: chat(t, "Prove step by step that the equation has no root.", false), InputTokens: 500}, Expert, 4, true},
		// Only the last user message counts: "proofs" earlier does not.
		{"earlier turns ignored", record.Record{Request: chat(t, "Thanks!", false), InputTokens: 500}, Simple, 0, true},
		{"no text: standard", record.Record{InputTokens: 500, Messages: 2}, Standard, 1, false},
		{"no text, long context", record.Record{InputTokens: 150_000, Messages: 30, MaxTokens: 16000}, Expert, 5, false},
		{"no text, big input", record.Record{InputTokens: 30_000, Messages: 3}, Complex, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Classify(simulate.NewRequest(&tt.rec))
			if c.Tier != tt.tier || c.Score != tt.score || c.WithText != tt.text {
				t.Errorf("got %s (score %d, text %v), want %s (score %d, text %v)", c.Tier, c.Score, c.WithText, tt.tier, tt.score, tt.text)
			}
		})
	}
}

func TestReasoningModel(t *testing.T) {
	for m, want := range map[string]bool{"o3": true, "o4-mini": true, "gpt-5-mini": true, "gpt-5-chat-latest": false, "gpt-4.1": false,
		"gpt-4o-mini": false, "claude-sonnet-4-5": true, "claude-3-5-haiku-20241022": false, "us.anthropic.claude-sonnet-4-5-20250929-v1:0": true,
		"openai/o3": true, "gemini-2.5-flash": true} {
		if got := reasoningModel(m); got != want {
			t.Errorf("%s: %v, want %v", m, got, want)
		}
	}
}
