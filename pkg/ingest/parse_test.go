package ingest

import (
	"errors"
	"testing"
	"time"

	"github.com/llmcost/llmcost/pkg/record"
)

type want struct {
	model                         string
	provider                      string
	in, read, w5, w1, out, reason int64
	tier                          record.Tier
	time                          string
	user, project                 string
	noUsage                       bool
	maxTokens                     int64
	messages                      int32
	sys                           bool
}

func check(t *testing.T, rec *record.Record, w want) {
	t.Helper()
	if rec.Model != w.model || rec.Provider != w.provider {
		t.Errorf("model = %s/%s, want %s/%s", rec.Provider, rec.Model, w.provider, w.model)
	}
	got := [6]int64{rec.InputTokens, rec.CacheReadTokens, rec.CacheWrite5mTokens, rec.CacheWrite1hTokens, rec.OutputTokens, rec.ReasoningTokens}
	exp := [6]int64{w.in, w.read, w.w5, w.w1, w.out, w.reason}
	if got != exp {
		t.Errorf("tokens [in read w5 w1 out reasoning] = %v, want %v", got, exp)
	}
	if rec.Tier != w.tier {
		t.Errorf("tier = %v, want %v", rec.Tier, w.tier)
	}
	if rec.HasUsage == w.noUsage {
		t.Errorf("HasUsage = %v", rec.HasUsage)
	}
	ts := ""
	if !rec.Time.IsZero() {
		ts = rec.Time.Format(time.RFC3339)
	}
	if ts != w.time {
		t.Errorf("time = %q, want %q", ts, w.time)
	}
	if rec.User != w.user || rec.Project != w.project {
		t.Errorf("user/project = %q/%q, want %q/%q", rec.User, rec.Project, w.user, w.project)
	}
	if rec.MaxTokens != w.maxTokens || rec.Messages != w.messages {
		t.Errorf("max_tokens/messages = %d/%d, want %d/%d", rec.MaxTokens, rec.Messages, w.maxTokens, w.messages)
	}
	if (rec.SystemHash != 0) != w.sys {
		t.Errorf("system hash set = %v, want %v", rec.SystemHash != 0, w.sys)
	}
}

func TestParsers(t *testing.T) {
	tests := []struct {
		name   string
		format string
		line   string
		want   want
		err    string // "" ok, "norecord", or "malformed"
	}{
		{
			name:   "chat spec example",
			format: "openai-chat",
			line:   `{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-5.4","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default"}`,
			want:   want{model: "gpt-5.4", provider: "openai", in: 19, out: 10, time: "2025-03-10T01:25:52Z"},
		},
		{
			name:   "chat cached is inside prompt tokens",
			format: "openai-chat",
			line:   `{"object": "chat.completion", "created": 1741569952, "model": "gpt-4o", "usage": {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306, "prompt_tokens_details": {"cached_tokens": 1920}, "completion_tokens_details": {"reasoning_tokens": 0}}}`,
			want:   want{model: "gpt-4o", provider: "openai", in: 86, read: 1920, out: 300, time: "2025-03-10T01:25:52Z"},
		},
		{
			name:   "chat reasoning inside completion, flex tier, null details",
			format: "openai-chat",
			line:   `{"object":"chat.completion","created":1741569952,"model":"o3","service_tier":"flex","usage":{"prompt_tokens":100,"completion_tokens":500,"prompt_tokens_details":null,"completion_tokens_details":{"reasoning_tokens":400}}}`,
			want:   want{model: "o3", provider: "openai", in: 100, out: 500, reason: 400, tier: record.TierFlex, time: "2025-03-10T01:25:52Z"},
		},
		{
			name:   "chat cache write tokens (GPT-5.6+)",
			format: "openai-chat",
			line:   `{"object":"chat.completion","created":1741569952,"model":"gpt-5.6","usage":{"prompt_tokens":5000,"completion_tokens":10,"prompt_tokens_details":{"cached_tokens":1024,"cache_write_tokens":2048}}}`,
			want:   want{model: "gpt-5.6", provider: "openai", in: 1928, read: 1024, w5: 2048, out: 10, time: "2025-03-10T01:25:52Z"},
		},
		{
			name:   "stream chunk without usage",
			format: "openai-chat",
			line:   `{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"delta":{"content":"hi"}}],"usage":null}`,
			err:    "norecord",
		},
		{
			name:   "stream final chunk with usage",
			format: "openai-chat",
			line:   `{"id":"c","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}`,
			want:   want{model: "gpt-4o", provider: "openai", in: 7, out: 3, time: "2025-03-10T01:25:52Z"},
		},
		{
			name:   "negative count",
			format: "openai-chat",
			line:   `{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":-3,"completion_tokens":1}}`,
			err:    "malformed",
		},
		{
			name:   "string count",
			format: "openai-chat",
			line:   `{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":"3","completion_tokens":1}}`,
			err:    "malformed",
		},
		{
			name:   "cached exceeds prompt",
			format: "openai-chat",
			line:   `{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":3,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":5}}}`,
			err:    "malformed",
		},
		{
			name:   "truncated",
			format: "openai-chat",
			line:   `{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":3,`,
			err:    "malformed",
		},
		{
			name:   "responses object with metadata",
			format: "openai-responses",
			line:   `{"id":"resp_1","object":"response","created_at":1741476542,"status":"completed","model":"gpt-5.4","output":[{"type":"message","content":[{"type":"output_text","text":"In a peaceful grove…"}]}],"usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":6,"cache_write_tokens":0},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":20},"total_tokens":123},"user":null,"metadata":{"user_id":"u_1","project":"search","team":"growth"}}`,
			want:   want{model: "gpt-5.4", provider: "openai", in: 30, read: 6, out: 87, reason: 20, time: "2025-03-08T23:29:02Z", user: "u_1", project: "search"},
		},
		{
			name:   "responses completed event",
			format: "openai-responses",
			line:   `{"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","object":"response","created_at":1741476542,"status":"completed","model":"gpt-5.4","usage":{"input_tokens":36,"output_tokens":87}}}`,
			want:   want{model: "gpt-5.4", provider: "openai", in: 36, out: 87, time: "2025-03-08T23:29:02Z"},
		},
		{
			name:   "responses delta event",
			format: "openai-responses",
			line:   `{"type":"response.output_text.delta","sequence_number":3,"delta":"Hi"}`,
			err:    "norecord",
		},
		{
			name:   "anthropic message with TTL split and geo",
			format: "anthropic-messages",
			line:   `{"id":"msg_1","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":14,"cache_creation_input_tokens":300,"cache_read_input_tokens":1000,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":200},"output_tokens":40,"output_tokens_details":{"thinking_tokens":25},"service_tier":"priority","inference_geo":"us"}}`,
			want:   want{model: "claude-opus-4-6", provider: "anthropic", in: 14, read: 1000, w5: 100, w1: 200, out: 40, reason: 25, tier: record.TierPriority},
		},
		{
			name:   "anthropic message without split: writes are 5m",
			format: "anthropic-messages",
			line:   `{"id":"msg_1","type":"message","model":"claude-3-5-haiku-20241022","usage":{"input_tokens":5,"cache_creation_input_tokens":300,"cache_read_input_tokens":null,"output_tokens":4}}`,
			want:   want{model: "claude-3-5-haiku-20241022", provider: "anthropic", in: 5, w5: 300, out: 4},
		},
		{
			name:   "anthropic batch succeeded",
			format: "anthropic-batch-results",
			line:   `{"custom_id":"my-second-request","result":{"type":"succeeded","message":{"id":"msg_014VwiXbi91y3JMjcpyGBHX5","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello again!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":36}}}}`,
			want:   want{model: "claude-sonnet-4-5-20250929", provider: "anthropic", in: 11, out: 36, tier: record.TierBatch},
		},
		{
			name:   "anthropic batch errored",
			format: "anthropic-batch-results",
			line:   `{"custom_id":"x","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"bad"}}}}`,
			err:    "norecord",
		},
		{
			name:   "openai batch output",
			format: "openai-batch-output",
			line:   `{"id": "batch_req_123", "custom_id": "request-2", "response": {"status_code": 200, "request_id": "req_123", "body": {"id": "chatcmpl-123", "object": "chat.completion", "created": 1711652795, "model": "gpt-3.5-turbo-0125", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello."}, "logprobs": null, "finish_reason": "stop"}], "usage": {"prompt_tokens": 22, "completion_tokens": 2, "total_tokens": 24}, "system_fingerprint": "fp_123"}}, "error": null}`,
			want:   want{model: "gpt-3.5-turbo-0125", provider: "openai", in: 22, out: 2, tier: record.TierBatch, time: "2024-03-28T19:06:35Z"},
		},
		{
			name:   "openai batch error line",
			format: "openai-batch-output",
			line:   `{"id":"batch_req_9","custom_id":"request-9","response":null,"error":{"code":"batch_expired","message":"expired"}}`,
			err:    "norecord",
		},
		{
			name:   "openai batch input",
			format: "openai-batch-input",
			line:   `{"custom_id": "request-1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-3.5-turbo-0125", "messages": [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "Hello world!"}], "max_tokens": 1000}}`,
			want:   want{model: "gpt-3.5-turbo-0125", provider: "openai", tier: record.TierBatch, noUsage: true, maxTokens: 1000, messages: 2, sys: true},
		},
		{
			name:   "openai pair",
			format: "pairs",
			line:   `{"timestamp":"2026-03-02T10:15:00Z","request":{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"max_completion_tokens":256,"user":"u_9","metadata":{"project":"docs","env":"prod"}},"response":{"object":"chat.completion","created":1741569952,"model":"gpt-4o-2024-08-06","usage":{"prompt_tokens":20,"completion_tokens":5}}}`,
			want:   want{model: "gpt-4o-2024-08-06", provider: "openai", in: 20, out: 5, time: "2026-03-02T10:15:00Z", user: "u_9", project: "docs", maxTokens: 256, messages: 2, sys: true},
		},
		{
			name:   "anthropic pair",
			format: "pairs",
			line:   `{"timestamp":1772446500000,"request":{"model":"claude-sonnet-4-5","system":"Be brief.","messages":[{"role":"user","content":"Hi"}],"max_tokens":1024,"metadata":{"user_id":"u_2"}},"response":{"id":"msg_1","type":"message","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":10,"output_tokens":3}}}`,
			want:   want{model: "claude-sonnet-4-5-20250929", provider: "anthropic", in: 10, out: 3, time: "2026-03-02T10:15:00Z", user: "u_2", maxTokens: 1024, messages: 1, sys: true},
		},
		{
			name:   "pair without response",
			format: "pairs",
			line:   `{"timestamp":"2026-03-02T10:15:00Z","request":{"model":"gpt-4o","messages":[]},"response":null}`,
			err:    "norecord",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := LookupFormat(tt.format)
			if err != nil {
				t.Fatal(err)
			}
			p := newParser()
			var rec record.Record
			err = f.parse(p, []byte(tt.line), &rec)
			switch tt.err {
			case "":
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				check(t, &rec, tt.want)
			case "norecord":
				if !errors.Is(err, errNoRecord) {
					t.Fatalf("err = %v, want errNoRecord", err)
				}
			case "malformed":
				if err == nil || errors.Is(err, errNoRecord) {
					t.Fatalf("err = %v, want a malformed-line error", err)
				}
			}
			// Detection from the same line picks the same format.
			if tt.err == "" {
				d, err := Detect([]byte(tt.line))
				if err != nil || d.ID != tt.format {
					t.Errorf("Detect = %v, %v; want %s", d, err, tt.format)
				}
			}
		})
	}
}
