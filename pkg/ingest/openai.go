package ingest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// OpenAI response bodies: Chat Completions (`chat.completion`, the final
// `chat.completion.chunk` of a stream) and Responses (`response`). OpenAI
// counts cached and cache-write tokens inside prompt_tokens/input_tokens and
// reasoning tokens inside completion_tokens/output_tokens; the record's
// buckets are disjoint, so cached tokens are subtracted here.

type openaiUsage struct {
	prompt, completion, cached, cacheWrite, reasoning int64
	// anthropicCacheWrite is LiteLLM's cache_creation_input_tokens on an
	// OpenAI-shaped usage object, which (like Anthropic's) is not part of
	// prompt_tokens.
	anthropicCacheWrite int64
	seen                bool
}

func (p *parser) openaiUsage(v []byte, u *openaiUsage) error {
	if jsonx.IsNull(v) {
		return nil
	}
	u.seen = true
	return jsonx.ObjectEach(v, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "prompt_tokens", "input_tokens":
			u.prompt, err = countKey("usage.", k, v)
		case "completion_tokens", "output_tokens":
			u.completion, err = countKey("usage.", k, v)
		case "prompt_tokens_details", "input_tokens_details":
			err = p.openaiDetails(v, func(k string, n int64) {
				switch k {
				case "cached_tokens":
					u.cached = n
				case "cache_write_tokens":
					u.cacheWrite = n
				}
			})
		case "completion_tokens_details", "output_tokens_details":
			err = p.openaiDetails(v, func(k string, n int64) {
				if k == "reasoning_tokens" {
					u.reasoning = n
				}
			})
		case "prompt_cache_hit_tokens": // DeepSeek: a subset of prompt_tokens
			if u.cached == 0 {
				u.cached, err = count("usage.prompt_cache_hit_tokens", v)
			}
		case "cache_creation_input_tokens":
			u.anthropicCacheWrite, err = count("usage.cache_creation_input_tokens", v)
		}
		return err
	})
}

func (p *parser) openaiDetails(v []byte, set func(string, int64)) error {
	if jsonx.IsNull(v) {
		return nil
	}
	return jsonx.ObjectEach(v, func(k, v []byte) error {
		switch string(k) {
		case "cached_tokens", "cache_write_tokens", "reasoning_tokens":
			n, err := countKey("", k, v)
			if err != nil {
				return err
			}
			set(string(k), n)
		}
		return nil
	})
}

// apply converts OpenAI usage to the record's disjoint buckets.
func (u *openaiUsage) apply(rec *record.Record) error {
	if !u.seen {
		return nil
	}
	uncached := u.prompt - u.cached - u.cacheWrite
	if uncached < 0 {
		return fmt.Errorf("usage: cached (%d) and cache-write (%d) tokens exceed prompt tokens (%d)", u.cached, u.cacheWrite, u.prompt)
	}
	if u.reasoning > u.completion {
		return fmt.Errorf("usage: reasoning tokens (%d) exceed completion tokens (%d)", u.reasoning, u.completion)
	}
	rec.InputTokens = uncached
	rec.CacheReadTokens = u.cached
	rec.CacheWrite5mTokens = u.cacheWrite + u.anthropicCacheWrite
	rec.OutputTokens = u.completion
	rec.ReasoningTokens = u.reasoning
	rec.HasUsage = true
	return nil
}

// Which objects openaiBody accepts.
const (
	anyObject      = iota // any OpenAI object, or none (gateways drop it)
	chatObject            // chat.completion, its chunks, legacy text_completion
	responseObject        // Responses API response
)

// openaiBody parses a Chat Completions or Responses object into rec. It
// returns errNoRecord for a stream chunk without usage, and a wrongShape
// error when the object is not of the kind asked for.
func (p *parser) openaiBody(v []byte, rec *record.Record, want int) error {
	var u openaiUsage
	var object string
	if rec.Provider == "" {
		rec.Provider = "openai"
	}
	err := jsonx.ObjectEach(v, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "object":
			object, err = p.str("object", v)
		case "model":
			var m string
			if m, err = p.str("model", v); m != "" {
				rec.Model = m
			}
		case "created", "created_at":
			if rec.Time.IsZero() {
				rec.Time, err = unixTime(string(k), v)
			}
		case "service_tier":
			var s string
			s, err = p.str("service_tier", v)
			if rec.Tier == record.TierStandard {
				rec.Tier = record.ParseTier(s)
			}
		case "usage":
			err = p.openaiUsage(v, &u)
		case "id":
			if p.keepIDs && rec.RequestID == "" {
				rec.RequestID, err = p.str("id", v)
			}
		case "user":
			if rec.User == "" {
				rec.User, err = p.str("user", v)
			}
		case "metadata":
			err = p.metadata(v, rec)
		case "previous_response_id", "conversation":
			if rec.ConversationID == "" && jsonx.IsString(v) {
				rec.ConversationID, err = p.str(string(k), v)
			}
		case "max_output_tokens":
			if rec.MaxTokens == 0 {
				rec.MaxTokens, err = countKey("", k, v)
			}
		case "type":
			// Only stream events have a top-level type (bodies have "object").
			p.event, err = p.str("type", v)
			if p.event == "" {
				p.event = "(empty)"
			}
		case "response":
			p.eventResp = v
		}
		return err
	})
	if err != nil {
		return err
	}
	ok := false
	switch object {
	case "chat.completion", "chat.completion.chunk", "text_completion":
		ok = want != responseObject
	case "response":
		ok = want != chatObject
	case "":
		ok = want == anyObject
	}
	if !ok {
		if object == "" && p.event != "" {
			// A Responses stream event: the caller reads it as one, so
			// spare the message (this is the hot path of event logs).
			return errWrongShape
		}
		return wrongShape("object %q is not %s", object, [...]string{"an OpenAI response", "a chat completion", "a Responses API response"}[want])
	}
	if !u.seen {
		if object == "chat.completion.chunk" {
			return errNoRecord
		}
		return nil // counted as a record without usage
	}
	return u.apply(rec)
}

// metadata reads a string map of user labels. Keys that name a user or
// project fill those fields; every pair becomes a tag.
func (p *parser) metadata(v []byte, rec *record.Record) error {
	if jsonx.Kind(v) != '{' {
		return nil
	}
	return jsonx.ObjectEach(v, func(k, v []byte) error {
		if !jsonx.IsString(v) {
			return nil // non-string metadata values are not labels
		}
		key := p.intern(k)
		val, err := p.strKey("metadata.", k, v)
		if err != nil {
			return err
		}
		switch key {
		case "user_id", "user", "userId", "end_user", "user_api_key_user_id":
			if rec.User == "" {
				rec.User = val
			}
			return nil
		case "project", "project_id", "projectId":
			if rec.Project == "" {
				rec.Project = val
			}
			return nil
		case "session_id", "conversation_id", "thread_id", "sessionId":
			if rec.ConversationID == "" {
				rec.ConversationID = val
			}
			return nil
		}
		if len(rec.Tags) < maxTags {
			rec.Tags = append(rec.Tags, record.Tag{Key: key, Value: val})
		}
		return nil
	})
}

// maxTags bounds the labels kept per record.
const maxTags = 16

// parseOpenAIChat parses one line of a log of Chat Completions bodies.
func parseOpenAIChat(p *parser, line []byte, rec *record.Record) error {
	return p.openaiBody(line, rec, chatObject)
}

// parseOpenAIResponses parses one line of a log of Responses objects, or of
// Responses stream events, of which only response.completed (and the
// terminal response.incomplete / response.failed) carry usage. A body is
// walked once; an event's inner response once more.
func parseOpenAIResponses(p *parser, line []byte, rec *record.Record) error {
	p.event, p.eventResp = "", nil
	err := p.openaiBody(line, rec, responseObject)
	if p.event == "" {
		return err
	}
	if err != nil && !errors.Is(err, errWrongShape) {
		return err
	}
	typ, resp := p.event, p.eventResp
	switch typ {
	case "response.completed", "response.incomplete", "response.failed":
		if jsonx.Kind(resp) != '{' {
			return fmt.Errorf("%s event without a response object", typ)
		}
		rec.Reset()
		return p.openaiBody(resp, rec, responseObject)
	}
	if !strings.HasPrefix(typ, "response.") && typ != "error" {
		return wrongShape("event type %q is not a Responses API event", typ)
	}
	return errNoRecord
}

func init() {
	register(
		&Format{
			ID:          "openai-chat",
			Description: "OpenAI Chat Completions response bodies, one per line (incl. the final stream chunk with usage)",
			Order:       80,
			parse:       parseOpenAIChat,
			sniff: func(s *shape) bool {
				return s.object == "chat.completion" || s.object == "chat.completion.chunk" || s.object == "text_completion"
			},
		},
		&Format{
			ID:          "openai-responses",
			Description: "OpenAI Responses API objects or response.* stream events, one per line",
			Order:       80,
			parse:       parseOpenAIResponses,
			sniff: func(s *shape) bool {
				return s.object == "response" || strings.HasPrefix(s.typ, "response.")
			},
		},
	)
}
