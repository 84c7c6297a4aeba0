package ingest

import (
	"strings"
	"testing"
)

func TestOTelFields(t *testing.T) {
	lines := fixtureLines(t, "../../testdata/ingest/otel/valid.jsonl")
	for _, tc := range []struct {
		line                                int
		provider, user, project, conv, tags string
		id                                  string
	}{
		{2, "", "", "support-bot", "conv-1", "", ""},
		{3, "anthropic", "", "support-bot", "", "", "msg_01XFDUDYJgAACzvnptvVoYEL"},
		{4, "openai", "", "support-bot", "", "", ""},
		{5, "openai", "u_9", "triage-agent", "", "agent=triage,environment=prod", ""},
	} {
		recs, err := parseAll(t, "otel", string(lines[tc.line-1]))
		if err != nil || len(recs) != 1 {
			t.Fatalf("line %d: %d records, %v", tc.line, len(recs), err)
		}
		r := recs[0]
		if r.Provider != tc.provider || r.User != tc.user || r.Project != tc.project || r.ConversationID != tc.conv || tagsOf(r) != tc.tags || r.RequestID != tc.id || r.DedupKey == 0 {
			t.Errorf("line %d: provider/user/project/conversation/tags/id = %q/%q/%q/%q/%q/%q", tc.line, r.Provider, r.User, r.Project, r.ConversationID, tagsOf(r), r.RequestID)
		}
	}
}

// The resource may follow the spans; numbers may be numbers; token rules.
func TestOTelSpans(t *testing.T) {
	attr := func(k, v string) string { return `{"key":"` + k + `","value":` + v + `}` }
	str := func(s string) string { return `{"stringValue":"` + s + `"}` }
	num := func(s string) string { return `{"intValue":` + s + `}` }
	span := func(attrs ...string) string {
		return `{"traceId":"0102","spanId":"0a0b","startTimeUnixNano":1772446500000000000,"attributes":[` + strings.Join(attrs, ",") + `]}`
	}
	doc := func(spans ...string) string {
		return `{"resourceSpans":[{"scopeSpans":[{"scope":{"name":"x"},"spans":[` + strings.Join(spans, ",") + `]}],"resource":{"attributes":[` + attr("service.name", str("svc")) + `]}}]}`
	}
	chat := attr("gen_ai.operation.name", str("chat"))
	model := attr("gen_ai.request.model", str("gpt-4o"))
	for _, tc := range []struct {
		name  string
		line  string
		want  [6]int64
		tier  string
		count int
	}{
		{"inclusive", doc(span(chat, model, attr("gen_ai.usage.input_tokens", num("500")), attr("gen_ai.usage.cache_read.input_tokens", num("100")), attr("gen_ai.usage.output_tokens", num("20")))), [6]int64{400, 100, 0, 0, 20, 0}, "standard", 1},
		{"legacy cache names", doc(span(chat, model, attr("gen_ai.usage.input_tokens", num("500")), attr("gen_ai.usage.cache_read_input_tokens", `{"intValue":"100"}`), attr("gen_ai.usage.cache_creation_input_tokens", `{"intValue":"50"}`), attr("gen_ai.usage.output_tokens", num("20")))), [6]int64{350, 100, 50, 0, 20, 0}, "standard", 1},
		{"disjoint: reads beyond input", doc(span(chat, model, attr("gen_ai.usage.input_tokens", num("5")), attr("gen_ai.usage.cache_creation.input_tokens", num("900")), attr("gen_ai.usage.output_tokens", num("20")))), [6]int64{5, 0, 900, 0, 20, 0}, "standard", 1},
		{"inclusive total", doc(span(chat, model, attr("gen_ai.usage.input_tokens", num("50")), attr("gen_ai.usage.cache_read.input_tokens", num("40")), attr("gen_ai.usage.output_tokens", num("10")), attr("gen_ai.usage.total_tokens", num("60")))), [6]int64{10, 40, 0, 0, 10, 0}, "standard", 1},
		{"request tier as fallback", doc(span(chat, model, attr("gen_ai.usage.input_tokens", num("5")), attr("gen_ai.usage.output_tokens", num("1")), attr("openai.request.service_tier", str("priority")))), [6]int64{5, 0, 0, 0, 1, 0}, "priority", 1},
		{"served tier wins", doc(span(chat, model, attr("gen_ai.usage.input_tokens", num("5")), attr("gen_ai.usage.output_tokens", num("1")), attr("gen_ai.openai.request.service_tier", str("auto")), attr("gen_ai.openai.response.service_tier", str("flex")))), [6]int64{5, 0, 0, 0, 1, 0}, "flex", 1},
		{"usage without operation", doc(span(model, attr("gen_ai.usage.input_tokens", num("7")), attr("gen_ai.usage.output_tokens", num("1")))), [6]int64{7, 0, 0, 0, 1, 0}, "standard", 1},
		{"tool span with usage", doc(span(attr("gen_ai.operation.name", str("execute_tool")), attr("gen_ai.usage.input_tokens", num("7")))), [6]int64{}, "", 0},
		{"two spans", doc(span(chat, model, attr("gen_ai.usage.input_tokens", num("7"))), span(chat, model, attr("gen_ai.usage.input_tokens", num("8")))), [6]int64{8, 0, 0, 0, 0, 0}, "standard", 2},
	} {
		recs, err := parseAll(t, "otel", tc.line)
		if tc.count == 0 {
			if err != errNoRecord {
				t.Errorf("%s: err %v, want no record", tc.name, err)
			}
			continue
		}
		if err != nil || len(recs) != tc.count {
			t.Errorf("%s: %d records, %v", tc.name, len(recs), err)
			continue
		}
		r := recs[len(recs)-1]
		if tokens(r) != tc.want || r.Tier.String() != tc.tier || r.Project != "svc" || r.Time.IsZero() {
			t.Errorf("%s: tokens %v tier %s project %q time %v", tc.name, tokens(r), r.Tier, r.Project, r.Time)
		}
	}
}

func FuzzParseOTel(f *testing.F) {
	fuzzMulti(f, "otel", []string{
		otelTwoSpans,
		`{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":5}},{"key":"gen_ai.usage.reasoning.output_tokens","value":{"intValue":"9"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"2"}}]}]}],"resource":{"attributes":[]}}]}`,
	}, "ingest/otel/*.jsonl", "samples/otel.jsonl")
}
