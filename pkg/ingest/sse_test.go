package ingest

import (
	"bytes"
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
)

const anthropicStream = `event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":100},"output_tokens":1,"service_tier":"standard"}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello \"world\""}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

event: message_delta
data: {"type":"message_delta","delta":{},"usage":{"input_tokens":25,"cache_read_input_tokens":2000,"output_tokens":42}}

event: message_stop
data: {"type":"message_stop"}

: keep-alive
event: message_start
data: {"type":"message_start","message":{"id":"msg_2","type":"message","model":"claude-haiku-4-5","usage":{"input_tokens":7,"output_tokens":1}}}

event: message_delta
data: {"type":"message_delta","delta":{},"usage":{"output_tokens":3}}
`

func TestSSE(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []want
		lines   []int64
		problem int
	}{
		{
			name: "anthropic stream, cumulative deltas, cut before the last message_stop",
			in:   anthropicStream,
			want: []want{
				{model: "claude-sonnet-4-5-20250929", provider: "anthropic", in: 25, read: 2000, w1: 100, out: 42},
				{model: "claude-haiku-4-5", provider: "anthropic", in: 7, out: 3},
			},
			lines: []int64{2, 27},
		},
		{
			name: "openai chat stream with usage chunk and [DONE]",
			in: "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n" +
				"data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n" +
				"data: [DONE]\n\n",
			want:  []want{{model: "gpt-4o", provider: "openai", in: 9, out: 2, time: "2025-03-10T01:25:52Z"}},
			lines: []int64{3},
		},
		{
			name: "openai responses stream",
			in: "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"object\":\"response\",\"usage\":null}}\n\n" +
				"event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"object\":\"response\",\"created_at\":1741569952,\"model\":\"gpt-5\",\"usage\":{\"input_tokens\":30,\"output_tokens\":4}}}\n\n",
			want:  []want{{model: "gpt-5", provider: "openai", in: 30, out: 4, time: "2025-03-10T01:25:52Z"}},
			lines: []int64{5},
		},
		{
			name:    "delta without start is reported",
			in:      "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":3}}\n",
			problem: 1,
		},
	}
	for _, tt := range tests {
		for _, chunk := range []int{0, 64} {
			t.Run(tt.name, func(t *testing.T) {
				p := write(t, "s.txt", []byte(tt.in))
				st, recs, _, err := runLines(t, []string{p}, Options{ChunkSize: chunk})
				if err != nil {
					t.Fatal(err)
				}
				if st.Files[0].Format != "sse" {
					t.Fatalf("format = %q", st.Files[0].Format)
				}
				if int(st.ProblemsTotal) != tt.problem {
					t.Fatalf("problems = %v", st.Problems)
				}
				if len(recs) != len(tt.want) {
					t.Fatalf("records = %d, want %d", len(recs), len(tt.want))
				}
				for i := range recs {
					check(t, &recs[i], tt.want[i])
					if recs[i].Loc.Line != tt.lines[i] {
						t.Errorf("record %d at line %d, want %d", i, recs[i].Loc.Line, tt.lines[i])
					}
				}
			})
		}
	}
}

// FuzzParseSSE feeds whole streams through the stateful parser.
func FuzzParseSSE(f *testing.F) {
	f.Add([]byte(anthropicStream))
	f.Add([]byte("data: {\"object\":\"chat.completion.chunk\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\ndata: [DONE]\n"))
	seedLines(f, "ingest/anthropic-messages/sse.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		p := newParser()
		var rec record.Record
		check := func() {
			for _, n := range []int64{rec.InputTokens, rec.CacheReadTokens, rec.CacheWrite5mTokens, rec.CacheWrite1hTokens, rec.OutputTokens, rec.ReasoningTokens} {
				if n < 0 {
					t.Fatalf("negative count in %+v", rec)
				}
			}
		}
		for _, l := range bytes.Split(data, []byte("\n")) {
			rec.Reset()
			if err := parseSSE(p, l, &rec); err == nil {
				check()
			}
		}
		if p.sseFlush(&rec) {
			check()
		}
	})
}
