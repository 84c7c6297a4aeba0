package ingest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func bedrockLine(id string, in, out int64, extra string) string {
	return `{"timestamp":"2026-05-12T08:15:30Z","region":"us-east-1","requestId":"` + id + `","operation":"Converse","modelId":"us.anthropic.claude-haiku-4-5-20251001-v1:0",` +
		`"input":{"inputTokenCount":` + itoa(in) + `,"cacheReadInputTokenCount":0,"cacheWriteInputTokenCount":0},"output":{"outputTokenCount":` + itoa(out) + `},` +
		`"identity":{"arn":"arn:aws:sts::111122223333:assumed-role/app/i-1"}` + extra + `,"schemaType":"ModelInvocationLog","schemaVersion":"1.0"}`
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestBedrockInvocationFields(t *testing.T) {
	lines := fixtureLines(t, "../../testdata/ingest/bedrock-invocation/valid.jsonl")
	recs, err := parseAll(t, "bedrock-invocation", string(lines[2]))
	if err != nil || len(recs) != 1 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	r := recs[0]
	if r.Provider != "bedrock" || r.User != "u_42" || r.Project != "search" || tagsOf(r) != "region=us-east-1,team=growth" {
		t.Errorf("provider/user/project/tags = %q/%q/%q/%q", r.Provider, r.User, r.Project, tagsOf(r))
	}
	if r.RequestID != "0b6d2c71-51e3-4d8e-9a0b-3f3c1f0e2a11" || r.DedupKey == 0 {
		t.Errorf("request id %q, dedup key %x", r.RequestID, r.DedupKey)
	}
	if r.SystemHash == 0 || r.MaxTokens != 1024 || r.Messages != 1 {
		t.Errorf("system hash %x, max tokens %d, messages %d", r.SystemHash, r.MaxTokens, r.Messages)
	}
	// Without requestMetadata the caller's identity is the user.
	recs, _ = parseAll(t, "bedrock-invocation", bedrockLine("aaaaaaaa-0000-4000-8000-000000000001", 10, 2, ""))
	if len(recs) != 1 || recs[0].User != "arn:aws:sts::111122223333:assumed-role/app/i-1" || recs[0].Geo != "" {
		t.Errorf("records %+v", recs)
	}
	// Claude InvokeModel bodies: max_tokens and the system prompt.
	recs, _ = parseAll(t, "bedrock-invocation", string(lines[3]))
	if len(recs) != 1 || recs[0].MaxTokens != 512 || recs[0].SystemHash == 0 || recs[0].Messages != 1 {
		t.Errorf("records %+v", recs)
	}
}

// CloudWatch Logs forms and S3 objects holding several records a line.
func TestBedrockInvocationWrappers(t *testing.T) {
	a := bedrockLine("aaaaaaaa-0000-4000-8000-000000000001", 10, 1, "")
	b := bedrockLine("aaaaaaaa-0000-4000-8000-000000000002", 20, 2, "")
	for _, tc := range []struct {
		name, line string
		inputs     []int64
		err        error
	}{
		{"filter-log-events output", `{"events":[{"logStreamName":"s","timestamp":1,"message":` + jsonString(a) + `,"eventId":"1"},{"logStreamName":"s","timestamp":2,"message":` + jsonString(b) + `,"eventId":"2"}],"searchedLogStreams":[]}`, []int64{10, 20}, nil},
		{"subscription message", `{"messageType":"DATA_MESSAGE","logGroup":"g","logEvents":[{"id":"1","timestamp":1,"message":` + jsonString(a) + `},{"id":"2","timestamp":2,"message":` + jsonString(b) + `}]}`, []int64{10, 20}, nil},
		{"message as an object", `{"@timestamp":"2026-05-12 08:15:30.000","@message":` + a + `}`, []int64{10}, nil},
		{"array of records", "[" + a + "," + b + "]", []int64{10, 20}, nil},
		{"concatenated records", a + b + " " + a, []int64{10, 20, 10}, nil},
		{"plain-text message", `{"timestamp":1,"message":"START RequestId: 1"}`, nil, errNoRecord},
		{"another log record in the group", `{"timestamp":1,"message":"{\"level\":\"info\"}"}`, nil, errNoRecord},
		{"bad record inside a message", `{"timestamp":1,"message":` + jsonString(strings.Replace(a, `"inputTokenCount":10`, `"inputTokenCount":-1`, 1)) + `}`, nil, errors.New("malformed")},
		{"not a Bedrock record", `{"object":"chat.completion","model":"gpt-4o"}`, nil, errWrongShape},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := parseAll(t, "bedrock-invocation", tc.line)
			switch {
			case tc.err == nil && err != nil:
				t.Fatal(err)
			case tc.err == errNoRecord || tc.err == errWrongShape:
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
			case tc.err != nil:
				if err == nil || errors.Is(err, errNoRecord) || errors.Is(err, errWrongShape) {
					t.Fatalf("err = %v, want a malformed line", err)
				}
			}
			var got []int64
			for _, r := range recs {
				got = append(got, r.InputTokens)
				if r.Time.IsZero() || r.Model == "" || r.Tags[0].Value != "us-east-1" {
					t.Errorf("record %+v", r)
				}
			}
			if !equalInts(got, tc.inputs) {
				t.Errorf("inputs %v, want %v", got, tc.inputs)
			}
		})
	}
}

func TestBedrockBatch(t *testing.T) {
	for _, tc := range []struct {
		line, model, id string
		err             error
	}{
		{`{"totalRecordCount":10,"processedRecordCount":10,"successRecordCount":9,"errorRecordCount":1,"inputTokenCount":2465,"outputTokenCount":163}`, "", "", errNoRecord},
		{`{"recordId":"R1","modelInput":{"model":"openai.gpt-oss-20b-1:0","messages":[]},"modelOutput":{"usage":{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":4}}}}`, "openai.gpt-oss-20b-1:0", "R1", nil},
		{`{"recordId":"R2","modelInput":{},"modelOutput":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}}`, "", "R2", errNoRecord},
		{`{"custom_id":"x","result":{}}`, "", "", errWrongShape},
	} {
		recs, err := parseAll(t, "bedrock-batch-output", tc.line)
		if !errors.Is(err, tc.err) && err != tc.err {
			t.Errorf("%s: err = %v, want %v", tc.line, err, tc.err)
			continue
		}
		if err != nil {
			continue
		}
		r := recs[0]
		if r.Model != tc.model || r.RequestID != tc.id || r.Tier.String() != "batch" || r.Provider != "bedrock" {
			t.Errorf("%s: record %+v", tc.line, r)
		}
		if tc.id == "R1" && tokens(r) != [6]int64{6, 4, 0, 0, 1, 0} {
			t.Errorf("tokens %v", tokens(r))
		}
	}
}

func FuzzParseBedrockInvocation(f *testing.F) {
	a := bedrockLine("aaaaaaaa-0000-4000-8000-000000000001", 10, 1, `,"requestMetadata":{"project":"p"}`)
	fuzzMulti(f, "bedrock-invocation", []string{
		a,
		`{"events":[{"message":` + jsonString(a) + `}]}`,
		"[" + a + "," + a + "]",
		`{"schemaType":"ModelInvocationLog","modelId":"m","output":{"outputBodyJson":[{"amazon-bedrock-invocationMetrics":{"inputTokenCount":1,"outputTokenCount":2}}]}}`,
		`{"schemaType":"ModelInvocationLog","modelId":"m","input":{"cacheWriteInputTokenCount":5},"output":{"outputBodyJson":{"usage":{"cacheDetails":[{"inputTokens":5,"ttl":"1h"}]}}}}`,
	}, "ingest/bedrock-invocation/*.jsonl", "samples/bedrock-invocation.jsonl")
}

func FuzzParseBedrockBatch(f *testing.F) {
	fuzzMulti(f, "bedrock-batch-output", []string{
		`{"recordId":"r","modelInput":{"max_tokens":5},"modelOutput":{"model":"claude-3-haiku-20240307","usage":{"input_tokens":1,"output_tokens":2,"cache_creation":{"ephemeral_1h_input_tokens":3}}}}`,
		`{"recordId":"r","modelOutput":{"inputTextTokenCount":8,"results":[{"tokenCount":3}]}}`,
	}, "ingest/bedrock-batch-output/*.jsonl", "samples/bedrock-batch-output.jsonl")
}
