package ingest

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
)

func TestParseRequestText(t *testing.T) {
	type block struct{ role, text, cache string }
	tests := []struct {
		name string
		req  string
		want []block
		msgs int
	}{
		{"openai chat", `{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi \"you\"\n"},` +
			`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},` +
			`{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"42"}]}],"tools":[{"type":"function","function":{"name":"f"}}]}`,
			[]block{{"tools", `[{"type":"function","function":{"name":"f"}}]`, ""}, {"system", "Be brief.\n", ""}, {"user", "Hi \"you\"\n\n", ""},
				{"assistant", `[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]`, ""}, {"tool", "42\n", ""}}, 3},
		{"anthropic with breakpoints", `{"model":"claude-sonnet-4-5","system":[{"type":"text","text":"Rules.","cache_control":{"type":"ephemeral","ttl":"1h"}},{"type":"text","text":"More."}],` +
			`"tools":[{"name":"t","input_schema":{},"cache_control":{"type":"ephemeral"}}],` +
			`"messages":[{"role":"user","content":[{"type":"image","source":{}},{"type":"text","text":"Look.","cache_control":{"type":"ephemeral"}}]},` +
			`{"role":"assistant","content":[{"type":"tool_use","id":"u","name":"t","input":{"q":1}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"u","content":"done"}]}]}`,
			[]block{{"tools", `[{"name":"t","input_schema":{},"cache_control":{"type":"ephemeral"}}]`, "5m"}, {"system", "Rules.\n", "1h"}, {"system", "More.\n", ""},
				{"user", "Look.\n", "5m"}, {"assistant", `{"q":1}`, ""}, {"user", "done\n", ""}}, 3},
		{"responses", `{"model":"gpt-5","instructions":"Sys.","input":[{"role":"user","content":[{"type":"input_text","text":"Q"}]},{"type":"function_call","name":"f","arguments":"{\"a\":1}"},{"type":"function_call_output","output":"ok"}]}`,
			[]block{{"system", "Sys.\n", ""}, {"user", "Q\n", ""}, {"assistant", `"{\"a\":1}"`, ""}, {"tool", "ok\n", ""}}, 3},
		{"string input", `{"model":"gpt-5","input":"Just this."}`, []block{{"user", "Just this.\n", ""}}, 1},
	}
	var rt RequestText
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ParseRequestText([]byte(tt.req), &rt); err != nil {
				t.Fatal(err)
			}
			var got []block
			for i, b := range rt.Blocks {
				got = append(got, block{b.Role, string(rt.Text(i)), b.Cache})
			}
			if len(got) != len(tt.want) {
				t.Fatalf("blocks = %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("block %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
			if rt.Messages() != tt.msgs {
				t.Errorf("messages = %d, want %d", rt.Messages(), tt.msgs)
			}
		})
	}
}

type collectText struct {
	mu   *sync.Mutex
	reqs *[]string
}

func (c collectText) Add(r *record.Record) {
	c.mu.Lock()
	*c.reqs = append(*c.reqs, string(r.Request))
	c.mu.Unlock()
}

// Options.Text fills Record.Request for request+response pairs, with the
// request body as logged, and leaves it empty otherwise.
func TestRunText(t *testing.T) {
	files := []string{"../../testdata/samples/openai-pairs.jsonl", "../../testdata/samples/anthropic-pairs.jsonl", "../../testdata/samples/otel.jsonl", "../../testdata/samples/openai-chat.jsonl"}
	for _, text := range []bool{false, true} {
		var mu sync.Mutex
		var reqs []string
		if _, err := Run(context.Background(), files, Options{Text: text, Workers: 2, ChunkSize: 4096}, func() Sink { return collectText{&mu, &reqs} }); err != nil {
			t.Fatal(err)
		}
		with := 0
		for _, r := range reqs {
			if r == "" {
				continue
			}
			with++
			var v struct {
				Model string `json:"model"`
			}
			if err := json.Unmarshal([]byte(r), &v); err != nil || v.Model == "" || !strings.HasPrefix(r, "{") {
				t.Fatalf("request %q: %v", r, err)
			}
		}
		switch {
		case !text && with != 0:
			t.Errorf("Text off: %d records carry a request", with)
		case text && with < 55:
			t.Errorf("Text on: %d of %d records carry a request, want every pair (55+)", with, len(reqs))
		}
	}
}
