package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/record"
)

// sums are token totals: input, cache read, 5m and 1h writes, output, and
// the number of records.
type sums [6]int64

type sumSink struct {
	mu *sync.Mutex
	s  *sums
}

func (k sumSink) Add(r *record.Record) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.s[0] += r.InputTokens
	k.s[1] += r.CacheReadTokens
	k.s[2] += r.CacheWrite5mTokens
	k.s[3] += r.CacheWrite1hTokens
	k.s[4] += r.OutputTokens
	k.s[5]++
}

// The generated logs are read by llmcost as their format, without a
// malformed line, and give the token totals a plain encoding/json reading
// of the same lines gives (the reference readers below follow the rules of
// shared/formats for the shapes the generator writes).
func TestMoreFormats(t *testing.T) {
	for f := fBedrockInvocation; f <= fOTel; f++ {
		t.Run(f.String(), func(t *testing.T) {
			b := genBytes(t, config{format: f, records: 400, seed: 5})
			lines := splitLines(t, b)
			var want sums
			for i, l := range lines {
				var v obj
				if err := json.Unmarshal(l, &v); err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				ref[f](v, &want)
			}
			p := filepath.Join(t.TempDir(), "log.jsonl")
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var got sums
			st, err := ingest.Run(context.Background(), []string{p}, ingest.Options{}, func() ingest.Sink { return sumSink{&mu, &got} })
			if err != nil {
				t.Fatal(err)
			}
			fs := st.Files[0]
			if fs.Format != f.String() || fs.Malformed != 0 || fs.Lines != 400 {
				t.Fatalf("stats %+v, problems %v", fs, st.Problems)
			}
			if got != want {
				t.Errorf("totals [in read w5 w1 out records] = %v, want %v", got, want)
			}
		})
	}
}

func numAt(v any, path ...string) int64 {
	x, ok := getPath(v, path...)
	if !ok {
		return 0
	}
	f, _ := x.(float64)
	return int64(f)
}

func strAt(v any, path ...string) string {
	x, _ := getPath(v, path...)
	str, _ := x.(string)
	return str
}

func (w *sums) add(in, read, w5, w1, out int64) {
	w[0] += in
	w[1] += read
	w[2] += w5
	w[3] += w1
	w[4] += out
	w[5]++
}

var ref = map[format]func(v obj, w *sums){
	fBedrockInvocation: func(v obj, w *sums) {
		if strAt(v, "errorCode") != "" {
			return
		}
		write := numAt(v, "input", "cacheWriteInputTokenCount")
		w5, w1 := write, int64(0)
		// The TTL split is only in the body (Converse cacheDetails,
		// Anthropic cache_creation).
		var usage any
		switch body := v["output"].(obj)["outputBodyJson"].(type) {
		case obj:
			usage = body["usage"]
		case []any:
			for _, e := range body {
				if md, ok := getPath(e, "metadata", "usage"); ok {
					usage = md
				}
				if md, ok := getPath(e, "message", "usage"); ok {
					usage = md
				}
			}
		}
		if cd, ok := getPath(usage, "cacheDetails"); ok {
			w5 = 0
			for _, d := range cd.([]any) {
				if strAt(d, "ttl") == "1h" {
					w1 += numAt(d, "inputTokens")
				} else {
					w5 += numAt(d, "inputTokens")
				}
			}
		} else if _, ok := getPath(usage, "cache_creation"); ok {
			w5, w1 = numAt(usage, "cache_creation", "ephemeral_5m_input_tokens"), numAt(usage, "cache_creation", "ephemeral_1h_input_tokens")
		}
		w.add(numAt(v, "input", "inputTokenCount"), numAt(v, "input", "cacheReadInputTokenCount"), w5, w1, numAt(v, "output", "outputTokenCount"))
	},
	fBedrockBatch: func(v obj, w *sums) {
		if _, ok := v["error"]; ok {
			return
		}
		u, _ := getPath(v, "modelOutput", "usage")
		if strAt(v, "modelOutput", "type") == "message" {
			w.add(numAt(u, "input_tokens"), numAt(u, "cache_read_input_tokens"), numAt(u, "cache_creation", "ephemeral_5m_input_tokens"), numAt(u, "cache_creation", "ephemeral_1h_input_tokens"), numAt(u, "output_tokens"))
			if _, ok := getPath(u, "cache_creation"); !ok {
				w[2] += numAt(u, "cache_creation_input_tokens")
			}
			return
		}
		w.add(numAt(u, "inputTokens"), 0, 0, 0, numAt(u, "outputTokens"))
	},
	fLiteLLM: func(v obj, w *sums) {
		if strAt(v, "status") == "failure" {
			return
		}
		u, ok := getPath(v, "response", "usage")
		if !ok {
			var meta obj
			_ = json.Unmarshal([]byte(strAt(v, "metadata")), &meta)
			u = meta["usage_object"]
		}
		read := numAt(u, "prompt_tokens_details", "cached_tokens")
		if _, anthropic := getPath(u, "prompt_tokens_details", "text_tokens"); anthropic {
			w.add(numAt(u, "prompt_tokens_details", "text_tokens"), read,
				numAt(u, "prompt_tokens_details", "cache_creation_token_details", "ephemeral_5m_input_tokens"),
				numAt(u, "prompt_tokens_details", "cache_creation_token_details", "ephemeral_1h_input_tokens"), numAt(u, "completion_tokens"))
			return
		}
		w.add(numAt(u, "prompt_tokens")-read, read, 0, 0, numAt(u, "completion_tokens"))
	},
	fLangfuse: func(v obj, w *sums) {
		if strAt(v, "type") != "GENERATION" {
			return
		}
		u := v["usageDetails"]
		w.add(numAt(u, "input"), numAt(u, "input_cached_tokens")+numAt(u, "input_cache_read"), numAt(u, "input_cache_creation"), 0, numAt(u, "output")+numAt(u, "output_reasoning_tokens"))
	},
	fHelicone: func(v obj, w *sums) {
		if numAt(v, "response_status") != 200 {
			return
		}
		w.add(numAt(v, "prompt_tokens"), numAt(v, "prompt_cache_read_tokens"), numAt(v, "prompt_cache_write_tokens"), 0, numAt(v, "completion_tokens"))
	},
	fOTel: func(v obj, w *sums) {
		for _, rs := range v["resourceSpans"].([]any) {
			for _, ss := range rs.(obj)["scopeSpans"].([]any) {
				for _, sp := range ss.(obj)["spans"].([]any) {
					a := map[string]int64{}
					op := ""
					for _, at := range sp.(obj)["attributes"].([]any) {
						k := strAt(at, "key")
						if k == "gen_ai.operation.name" {
							op = strAt(at, "value", "stringValue")
						}
						if x := strAt(at, "value", "intValue"); x != "" {
							var i int64
							_ = json.Unmarshal([]byte(x), &i)
							a[k] = i
						}
					}
					if op != "chat" {
						continue
					}
					in, read, cw := a["gen_ai.usage.input_tokens"], a["gen_ai.usage.cache_read.input_tokens"], a["gen_ai.usage.cache_creation.input_tokens"]
					if read+cw <= in {
						in -= read + cw
					}
					w.add(in, read, cw, 0, a["gen_ai.usage.output_tokens"])
				}
			}
		}
	},
}
