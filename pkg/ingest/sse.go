package ingest

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Server-sent event captures of streamed responses ("event: …" / "data: …"
// lines, blank lines between events), as a proxy or a debugging session
// saves them. OpenAI stream payloads are self-contained (the final Chat
// chunk, or response.completed, carries the usage); an Anthropic message is
// spread over events: message_start holds the model and the input counts,
// each message_delta the cumulative output count (and, in newer streams, the
// input counts again), message_stop ends it. So this format keeps state
// across lines and its files are parsed in order, on one goroutine.

// errIgnore marks a line that is part of the framing, not a record: it is
// not counted at all, like a blank line.
var errIgnore = errors.New("framing line")

// sseState is the Anthropic message being streamed.
type sseState struct {
	open bool
	rec  record.Record
}

func parseSSE(p *parser, line []byte, rec *record.Record) error {
	field, value, _ := bytes.Cut(line, []byte{':'})
	switch string(field) {
	case "data":
	case "event", "id", "retry", "":
		return errIgnore // "" is an SSE comment line (": keep-alive")
	default:
		return wrongShape("not a server-sent event line")
	}
	value = bytes.TrimPrefix(value, []byte{' '})
	if string(bytes.TrimSpace(value)) == "[DONE]" {
		return errIgnore
	}
	var typ, object string
	var msg, usage []byte
	err := jsonx.ObjectEach(value, func(k, v []byte) error {
		switch string(k) {
		case "type":
			typ, _ = jsonx.String(v)
		case "object":
			object, _ = jsonx.String(v)
		case "message":
			msg = v
		case "usage":
			usage = v
		}
		return nil
	})
	if err != nil {
		return err
	}
	switch {
	case object != "":
		return p.openaiBody(value, rec, anyObject)
	case len(typ) > 9 && typ[:9] == "response.":
		return parseOpenAIResponses(p, value, rec)
	}
	st := &p.sse
	switch typ {
	case "message_start":
		if jsonx.Kind(msg) != '{' {
			return fmt.Errorf("message_start without a message")
		}
		st.rec.Reset()
		st.rec.Loc = record.Loc{Line: p.line}
		st.open = true
		if err := p.anthropicBody(msg, &st.rec, false); err != nil {
			st.open = false
			return err
		}
		return errIgnore
	case "message_delta":
		if !st.open {
			return fmt.Errorf("message_delta without message_start")
		}
		if jsonx.Kind(usage) != '{' {
			return errIgnore
		}
		// Counts in a delta are cumulative: each replaces the value so far.
		var d record.Record
		if err := p.anthropicUsage(usage, &d); err != nil {
			return err
		}
		seen := map[string]bool{}
		_ = jsonx.ObjectEach(usage, func(k, _ []byte) error { seen[string(k)] = true; return nil })
		r := &st.rec
		r.OutputTokens = d.OutputTokens
		if seen["input_tokens"] {
			r.InputTokens = d.InputTokens
		}
		if seen["cache_read_input_tokens"] {
			r.CacheReadTokens = d.CacheReadTokens
		}
		if seen["cache_creation_input_tokens"] || seen["cache_creation"] {
			r.CacheWrite5mTokens, r.CacheWrite1hTokens = d.CacheWrite5mTokens, d.CacheWrite1hTokens
		}
		if seen["output_tokens_details"] {
			r.ReasoningTokens = d.ReasoningTokens
		}
		if r.ReasoningTokens > r.OutputTokens {
			r.ReasoningTokens = 0
		}
		return errIgnore
	case "message_stop":
		if !st.open {
			return fmt.Errorf("message_stop without message_start")
		}
		return p.sseEmit(rec)
	case "error":
		st.open = false
		return errNoRecord
	case "ping", "content_block_start", "content_block_delta", "content_block_stop":
		return errIgnore
	}
	return wrongShape("event type %q is not a streamed message event", typ)
}

// sseEmit hands the streamed message over as the record.
func (p *parser) sseEmit(rec *record.Record) error {
	tags := rec.Tags
	*rec = p.sse.rec
	rec.Tags = append(tags[:0], p.sse.rec.Tags...)
	p.sse.open = false
	return nil
}

// sseFlush emits a message whose stream was cut before message_stop (the
// counts seen so far are what was billed), at the end of a file.
func (p *parser) sseFlush(rec *record.Record) bool {
	if !p.sse.open {
		return false
	}
	rec.Reset()
	_ = p.sseEmit(rec)
	return true
}

func init() {
	register(
		&Format{
			ID:          "sse",
			Description: "server-sent event captures of streamed responses (event:/data: lines), Anthropic or OpenAI",
			Order:       0,
			parse:       parseSSE,
			sequential:  true,
			sniff:       func(s *shape) bool { return s.sse },
		},
	)
}
