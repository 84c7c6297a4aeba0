package ingest

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
)

// seedLines adds every line of the fixture files under testdata that match
// the globs, so the fuzzers start from real-format input.
func seedLines(f *testing.F, globs ...string) {
	for _, g := range globs {
		files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", g))
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				f.Add(append([]byte(nil), sc.Bytes()...))
			}
		}
	}
}

// fuzzFormat checks the parser invariants: no panic, and every accepted
// line yields a record with non-negative, consistent token counts.
func fuzzFormat(f *testing.F, id string, seeds []string, globs ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	seedLines(f, globs...)
	fm, err := LookupFormat(id)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		p := newParser()
		var rec record.Record
		if err := fm.parse(p, line, &rec); err != nil {
			return
		}
		for _, n := range []int64{rec.InputTokens, rec.CacheReadTokens, rec.CacheWrite5mTokens, rec.CacheWrite1hTokens, rec.OutputTokens, rec.ReasoningTokens} {
			if n < 0 {
				t.Fatalf("negative token count in %+v", rec)
			}
		}
		if rec.ReasoningTokens > rec.OutputTokens {
			t.Fatalf("reasoning %d > output %d", rec.ReasoningTokens, rec.OutputTokens)
		}
		_, _ = Detect(line)
	})
}

func FuzzParseOpenAIChat(f *testing.F) {
	fuzzFormat(f, "openai-chat", []string{
		`{"object":"chat.completion","created":1,"model":"gpt-4o","usage":{"prompt_tokens":2006,"completion_tokens":300,"prompt_tokens_details":{"cached_tokens":1920},"completion_tokens_details":{"reasoning_tokens":0}}}`,
		`{"object":"chat.completion.chunk","usage":null}`,
	}, "samples/openai-chat.jsonl", "ingest/openai-chat/*.jsonl")
}

func FuzzParseOpenAIResponses(f *testing.F) {
	fuzzFormat(f, "openai-responses", []string{
		`{"object":"response","created_at":1,"model":"gpt-5.4","usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":0},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":0}},"metadata":{"a":"b"}}`,
		`{"type":"response.completed","response":{"object":"response","usage":{"input_tokens":1,"output_tokens":2}}}`,
	}, "samples/openai-responses.jsonl", "ingest/openai-responses/*.jsonl")
}

func FuzzParseOpenAIBatchOutput(f *testing.F) {
	fuzzFormat(f, "openai-batch-output", []string{
		`{"id":"b","custom_id":"r","response":{"status_code":200,"request_id":"req","body":{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":22,"completion_tokens":2}}},"error":null}`,
	}, "samples/openai-batch-output.jsonl", "ingest/openai-batch/*.jsonl")
}

func FuzzParseOpenAIBatchInput(f *testing.F) {
	fuzzFormat(f, "openai-batch-input", []string{
		`{"custom_id":"r","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o","messages":[{"role":"system","content":"x"}],"max_tokens":10}}`,
	}, "samples/openai-batch-input.jsonl")
}

func FuzzParseAnthropicMessages(f *testing.F) {
	fuzzFormat(f, "anthropic-messages", []string{
		`{"type":"message","model":"claude-opus-4-6","usage":{"input_tokens":14,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":4,"output_tokens_details":{"thinking_tokens":0},"service_tier":"standard","inference_geo":"global"}}`,
	}, "samples/anthropic-messages.jsonl", "ingest/anthropic-messages/*.jsonl")
}

func FuzzParseAnthropicBatch(f *testing.F) {
	fuzzFormat(f, "anthropic-batch-results", []string{
		`{"custom_id":"a","result":{"type":"succeeded","message":{"type":"message","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":11,"output_tokens":36}}}}`,
		`{"custom_id":"a","result":{"type":"errored","error":{"type":"error","error":{"type":"x","message":"y"}}}}`,
	}, "samples/anthropic-batch-results.jsonl", "ingest/anthropic-batch/*.jsonl")
}

func FuzzParsePairs(f *testing.F) {
	fuzzFormat(f, "pairs", []string{
		`{"timestamp":"2026-03-02T10:15:00Z","request":{"model":"gpt-4o","messages":[{"role":"system","content":"x"}],"metadata":{"project":"p"}},"response":{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":20,"completion_tokens":5}}}`,
		`{"timestamp":1772446500000,"request":{"model":"claude-sonnet-4-5","system":"x","messages":[]},"response":{"type":"message","model":"claude-sonnet-4-5","usage":{"input_tokens":10,"output_tokens":3}}}`,
	}, "samples/*pairs.jsonl", "ingest/pairs/*.jsonl")
}
