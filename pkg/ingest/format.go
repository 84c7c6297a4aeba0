package ingest

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// parseFunc parses one line into rec (which the caller has reset). It
// returns errNoRecord for a well-formed line that is not a billable call.
type parseFunc func(p *parser, line []byte, rec *record.Record) error

// Format is one input format.
type Format struct {
	// ID is the lower-case hyphenated name used by --input-format.
	ID string
	// Description is one line for help text.
	Description string
	parse       parseFunc
	// sequential formats keep state from line to line: their files are
	// parsed in order on one goroutine.
	sequential bool
	// sniff reports whether the members of a file's first record look like
	// this format.
	sniff func(s *shape) bool
}

// shape is what detection looks at: which of the member names that tell
// formats apart the first record has, and the values of "object" and "type".
type shape struct {
	sse    bool   // the line is an SSE field line ("event: …", "data: …")
	keys   uint32 // bit i set when shapeKeys[i] is a member
	object string
	typ    string
}

// shapeKeys are the member names detection knows; at most 32.
var shapeKeys = []string{"custom_id", "response", "body", "url", "method", "result",
	"request", "req", "request_body", "resp", "res", "response_body"}

func keyBit(k []byte) uint32 {
	for i, n := range shapeKeys {
		if string(k) == n {
			return 1 << i
		}
	}
	return 0
}

func (s *shape) has(keys ...string) bool {
	for _, k := range keys {
		if s.keys&keyBit([]byte(k)) == 0 {
			return false
		}
	}
	return true
}

func (s *shape) hasAny(keys ...string) bool {
	for _, k := range keys {
		if s.keys&keyBit([]byte(k)) != 0 {
			return true
		}
	}
	return false
}

// formats lists every format in detection order: the most specific first.
var formats = []*Format{
	{
		ID:          "sse",
		Description: "server-sent event captures of streamed responses (event:/data: lines), Anthropic or OpenAI",
		parse:       parseSSE,
		sequential:  true,
		sniff:       func(s *shape) bool { return s.sse },
	},
	{
		ID:          "openai-batch-output",
		Description: "OpenAI Batch API output or error JSONL (custom_id, response.body); priced at the batch rate",
		parse:       parseOpenAIBatchOutput,
		sniff:       func(s *shape) bool { return s.has("custom_id", "response") },
	},
	{
		ID:          "openai-batch-input",
		Description: "OpenAI Batch API input JSONL (custom_id, method, url, body); requests without usage",
		parse:       parseOpenAIBatchInput,
		sniff:       func(s *shape) bool { return s.has("custom_id", "body") && s.hasAny("url", "method") },
	},
	{
		ID:          "anthropic-batch-results",
		Description: "Anthropic Message Batches results JSONL (custom_id, result); priced at the batch rate",
		parse:       parseAnthropicBatch,
		sniff:       func(s *shape) bool { return s.has("custom_id", "result") },
	},
	{
		ID:          "pairs",
		Description: "request+response pairs as proxies log them ({\"timestamp\",\"request\",\"response\"}), OpenAI or Anthropic bodies",
		parse:       parsePairs,
		sniff: func(s *shape) bool {
			return s.hasAny("request", "req", "request_body") && s.hasAny("response", "resp", "res", "response_body")
		},
	},
	{
		ID:          "openai-chat",
		Description: "OpenAI Chat Completions response bodies, one per line (incl. the final stream chunk with usage)",
		parse:       parseOpenAIChat,
		sniff: func(s *shape) bool {
			return s.object == "chat.completion" || s.object == "chat.completion.chunk" || s.object == "text_completion"
		},
	},
	{
		ID:          "openai-responses",
		Description: "OpenAI Responses API objects or response.* stream events, one per line",
		parse:       parseOpenAIResponses,
		sniff: func(s *shape) bool {
			return s.object == "response" || strings.HasPrefix(s.typ, "response.")
		},
	},
	{
		ID:          "anthropic-messages",
		Description: "Anthropic Messages API response bodies, one per line",
		parse:       parseAnthropicMessages,
		sniff:       func(s *shape) bool { return s.typ == "message" },
	},
}

// Formats returns every supported format, sorted by ID.
func Formats() []*Format {
	out := append([]*Format(nil), formats...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// LookupFormat returns the format with the given ID.
func LookupFormat(id string) (*Format, error) {
	for _, f := range formats {
		if f.ID == id {
			return f, nil
		}
	}
	ids := make([]string, 0, len(formats))
	for _, f := range Formats() {
		ids = append(ids, f.ID)
	}
	return nil, fmt.Errorf("unknown input format %q (known: %s)", id, strings.Join(ids, ", "))
}

// Detect returns the format of a file whose first non-empty line is line.
func Detect(line []byte) (*Format, error) {
	var s shape
	if bytes.HasPrefix(line, []byte("event:")) || bytes.HasPrefix(line, []byte("data:")) {
		s.sse = true
		return formats[0], nil
	}
	err := jsonx.ObjectEach(line, func(k, v []byte) error {
		s.keys |= keyBit(k)
		switch string(k) {
		case "object":
			s.object, _ = jsonx.String(v)
		case "type":
			s.typ, _ = jsonx.String(v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot detect the format: not a JSON object: %w", err)
	}
	for _, f := range formats {
		if f.sniff(&s) {
			return f, nil
		}
	}
	var members []string // for the message only
	_ = jsonx.ObjectEach(line, func(k, _ []byte) error {
		members = append(members, string(k))
		return nil
	})
	if len(members) > 8 {
		members = append(members[:8], "…")
	}
	return nil, fmt.Errorf("cannot detect the format of a record with members {%s} (pass --input-format)", strings.Join(members, ", "))
}
