package ingest

import (
	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Request text, for the commands that need the prompt itself (simulate:
// history trimming, routing by keyword, prompt caching). It is opt-in
// (Options.Text) and costs nothing otherwise: only then do formats that log
// the request (pairs, OpenAI batch input) copy the request body into
// Record.Request, whose buffer Record.Reset keeps, so a worker allocates it
// once. The text is never printed; commands read it, count its tokens and
// drop it.

// keepRequest copies the raw request body into rec.Request when the run
// asked for request text.
func (p *parser) keepRequest(rec *record.Record, req []byte) {
	if p.keepText {
		rec.Request = append(rec.Request[:0], req...)
	}
}

// Roles of text blocks.
const (
	RoleTools     = "tools"
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
	RoleTool      = "tool"
)

// TextBlock is one block of a prompt: the tool definitions, a system block,
// or one message (its text parts joined).
type TextBlock struct {
	// Role is one of the Role constants.
	Role string
	// Message is the block's index among the request's messages, -1 for
	// tools and system blocks.
	Message int
	// Cache is the TTL of a cache_control breakpoint set on the block (or on
	// a part of it): "5m", "1h", or "" for none.
	Cache      string
	start, end int
}

// RequestText is the prompt of one request as blocks in prompt order: tool
// definitions, then system blocks, then messages (the order in which
// providers match cached prefixes). It is reused across requests; its text
// is valid until the next ParseRequestText.
type RequestText struct {
	Blocks []TextBlock
	buf    []byte
	tools  []TextBlock
	system []TextBlock
	msgs   []TextBlock
	msgN   int
}

// Text returns the text of block i: decoded strings, with the raw JSON of
// tool definitions, tool calls and tool inputs.
func (t *RequestText) Text(i int) []byte { return t.buf[t.Blocks[i].start:t.Blocks[i].end] }

// Messages is the number of messages (system blocks and tools excluded).
func (t *RequestText) Messages() int { return t.msgN }

// ParseRequestText reads a request body of the OpenAI Chat Completions,
// OpenAI Responses or Anthropic Messages API into t. Parts without text
// (images, audio) add nothing.
func ParseRequestText(req []byte, t *RequestText) error {
	t.Blocks, t.buf, t.tools, t.system, t.msgs, t.msgN = t.Blocks[:0], t.buf[:0], t.tools[:0], t.system[:0], t.msgs[:0], 0
	err := jsonx.ObjectEach(req, func(k, v []byte) error {
		switch string(k) {
		case "tools", "functions":
			if jsonx.Kind(v) == '[' {
				b := TextBlock{Role: RoleTools, Message: -1, start: len(t.buf)}
				t.buf = append(t.buf, v...)
				b.end = len(t.buf)
				_, _ = jsonx.ArrayEach(v, func(_ int, tool []byte) error {
					if ttl := cacheTTL(tool); ttl != "" {
						b.Cache = ttl
					}
					return nil
				})
				t.tools = append(t.tools, b)
			}
		case "system", "instructions":
			if jsonx.IsString(v) {
				b := TextBlock{Role: RoleSystem, Message: -1, start: len(t.buf)}
				t.appendString(v)
				b.end = len(t.buf)
				t.system = append(t.system, b)
			} else if jsonx.Kind(v) == '[' {
				_, err := jsonx.ArrayEach(v, func(_ int, part []byte) error {
					b := TextBlock{Role: RoleSystem, Message: -1, start: len(t.buf), Cache: cacheTTL(part)}
					t.appendPart(part)
					b.end = len(t.buf)
					t.system = append(t.system, b)
					return nil
				})
				return err
			}
		case "messages", "input", "prompt":
			if jsonx.IsString(v) {
				b := TextBlock{Role: RoleUser, Message: t.msgN, start: len(t.buf)}
				t.appendString(v)
				b.end = len(t.buf)
				t.msgs = append(t.msgs, b)
				t.msgN++
			} else if jsonx.Kind(v) == '[' {
				_, err := jsonx.ArrayEach(v, func(_ int, m []byte) error {
					t.appendMessage(m)
					return nil
				})
				return err
			}
		}
		return nil
	})
	t.Blocks = append(append(append(t.Blocks, t.tools...), t.system...), t.msgs...)
	return err
}

// appendMessage adds one message (Chat, Messages) or input item
// (Responses). An OpenAI system or developer message is a system block.
func (t *RequestText) appendMessage(m []byte) {
	if jsonx.Kind(m) != '{' {
		return
	}
	b := TextBlock{Role: RoleUser, Message: t.msgN, start: len(t.buf)}
	_ = jsonx.ObjectEach(m, func(k, v []byte) error {
		switch string(k) {
		case "role":
			switch string(v) {
			case `"system"`, `"developer"`:
				b.Role = RoleSystem
			case `"assistant"`, `"model"`:
				b.Role = RoleAssistant
			case `"tool"`, `"function"`:
				b.Role = RoleTool
			}
		case "type":
			switch string(v) {
			case `"function_call"`:
				b.Role = RoleAssistant
			case `"function_call_output"`:
				b.Role = RoleTool
			}
		case "content", "output":
			if jsonx.IsString(v) {
				t.appendString(v)
			} else if jsonx.Kind(v) == '[' {
				_, _ = jsonx.ArrayEach(v, func(_ int, part []byte) error {
					if ttl := cacheTTL(part); ttl != "" {
						b.Cache = ttl
					}
					t.appendPart(part)
					return nil
				})
			}
		case "tool_calls", "function_call", "arguments":
			t.buf = append(t.buf, v...)
		case "cache_control":
			if ttl := ttlOf(v); ttl != "" {
				b.Cache = ttl
			}
		}
		return nil
	})
	b.end = len(t.buf)
	if b.Role == RoleSystem {
		b.Message = -1
		t.system = append(t.system, b)
		return
	}
	t.msgs = append(t.msgs, b)
	t.msgN++
}

// appendPart adds the text of one content part: text, tool input, tool
// result; nothing for images and other media.
func (t *RequestText) appendPart(part []byte) {
	if jsonx.IsString(part) {
		t.appendString(part)
		return
	}
	if jsonx.Kind(part) != '{' {
		return
	}
	_ = jsonx.ObjectEach(part, func(k, v []byte) error {
		switch string(k) {
		case "text", "thinking":
			if jsonx.IsString(v) {
				t.appendString(v)
			}
		case "input":
			t.buf = append(t.buf, v...)
		case "content":
			if jsonx.IsString(v) {
				t.appendString(v)
			} else if jsonx.Kind(v) == '[' {
				_, _ = jsonx.ArrayEach(v, func(_ int, p []byte) error {
					t.appendPart(p)
					return nil
				})
			}
		}
		return nil
	})
}

// appendString appends a decoded JSON string, followed by a newline
// separating it from the next part.
func (t *RequestText) appendString(v []byte) {
	s, err := jsonx.StringBytes(v, t.buf[len(t.buf):])
	if err != nil {
		return
	}
	t.buf = append(t.buf, s...)
	t.buf = append(t.buf, '\n')
}

// cacheTTL returns the TTL of a part's cache_control member, "" when none.
func cacheTTL(part []byte) string {
	if jsonx.Kind(part) != '{' {
		return ""
	}
	ttl := ""
	_ = jsonx.ObjectEach(part, func(k, v []byte) error {
		if string(k) == "cache_control" {
			ttl = ttlOf(v)
		}
		return nil
	})
	return ttl
}

// ttlOf reads a cache_control object: {"type":"ephemeral"} is the 5-minute
// default, "ttl":"1h" the hour.
func ttlOf(v []byte) string {
	if jsonx.Kind(v) != '{' {
		return ""
	}
	ttl := "5m"
	_ = jsonx.ObjectEach(v, func(k, v []byte) error {
		if string(k) == "ttl" && string(v) == `"1h"` {
			ttl = "1h"
		}
		return nil
	})
	return ttl
}
