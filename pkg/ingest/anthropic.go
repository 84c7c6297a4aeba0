package ingest

import (
	"fmt"
	"strings"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Anthropic Messages bodies. The three input buckets are disjoint:
// input_tokens is the uncached part, cache_creation_input_tokens the writes
// (split by TTL in cache_creation when present), cache_read_input_tokens the
// reads. output_tokens includes thinking.

func (p *parser) anthropicUsage(v []byte, rec *record.Record) error {
	if jsonx.IsNull(v) {
		return nil
	}
	var writes, w5, w1 int64
	split := false
	err := jsonx.ObjectEach(v, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "input_tokens":
			rec.InputTokens, err = count("usage.input_tokens", v)
		case "output_tokens":
			rec.OutputTokens, err = count("usage.output_tokens", v)
		case "cache_read_input_tokens":
			rec.CacheReadTokens, err = count("usage.cache_read_input_tokens", v)
		case "cache_creation_input_tokens":
			writes, err = count("usage.cache_creation_input_tokens", v)
		case "cache_creation":
			if jsonx.IsNull(v) {
				return nil
			}
			err = jsonx.ObjectEach(v, func(k, v []byte) error {
				var err error
				switch string(k) {
				case "ephemeral_5m_input_tokens":
					split = true
					w5, err = count("usage.cache_creation.ephemeral_5m_input_tokens", v)
				case "ephemeral_1h_input_tokens":
					split = true
					w1, err = count("usage.cache_creation.ephemeral_1h_input_tokens", v)
				}
				return err
			})
		case "output_tokens_details":
			if jsonx.IsNull(v) {
				return nil
			}
			err = jsonx.ObjectEach(v, func(k, v []byte) error {
				var err error
				if string(k) == "thinking_tokens" {
					rec.ReasoningTokens, err = count("usage.output_tokens_details.thinking_tokens", v)
				}
				return err
			})
		case "service_tier":
			var s string
			s, err = p.str("usage.service_tier", v)
			if rec.Tier == record.TierStandard {
				rec.Tier = record.ParseTier(s)
			}
		case "inference_geo":
			var s string
			s, err = p.str("usage.inference_geo", v)
			if s != "not_available" {
				rec.Geo = strings.ToLower(s) // allocates only when s has upper case
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	// The TTL split wins when present; without it every write is priced at
	// the 5-minute rate, as the vendor did before 1-hour caching existed.
	if split {
		rec.CacheWrite5mTokens, rec.CacheWrite1hTokens = w5, w1
	} else {
		rec.CacheWrite5mTokens = writes
	}
	if rec.ReasoningTokens > rec.OutputTokens {
		return fmt.Errorf("usage: thinking tokens (%d) exceed output tokens (%d)", rec.ReasoningTokens, rec.OutputTokens)
	}
	rec.HasUsage = true
	return nil
}

// anthropicBody parses a Messages API response object into rec. With
// strict, a body without "type":"message" is a wrongShape error.
func (p *parser) anthropicBody(v []byte, rec *record.Record, strict bool) error {
	var typ string
	if rec.Provider == "" {
		rec.Provider = "anthropic"
	}
	err := jsonx.ObjectEach(v, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "type":
			typ, err = p.str("type", v)
		case "model":
			var m string
			if m, err = p.str("model", v); m != "" {
				rec.Model = m
			}
		case "usage":
			err = p.anthropicUsage(v, rec)
		case "id":
			if p.keepIDs && rec.RequestID == "" {
				rec.RequestID, err = p.str("id", v)
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	switch typ {
	case "message":
		return nil
	case "error":
		return errNoRecord
	case "":
		if !strict {
			return nil
		}
	}
	return wrongShape("type %q is not an Anthropic message", typ)
}

// parseAnthropicMessages parses one line of a log of Messages response
// bodies. Bodies carry no timestamp, so such records are priced at the
// current price unless a wrapper (pairs format) gives one.
func parseAnthropicMessages(p *parser, line []byte, rec *record.Record) error {
	return p.anthropicBody(line, rec, true)
}

// parseAnthropicBatch parses one line of Message Batches results. Only
// succeeded results are billed, at the batch rate.
func parseAnthropicBatch(p *parser, line []byte, rec *record.Record) error {
	var result []byte
	err := jsonx.ObjectEach(line, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "custom_id":
			if p.keepIDs {
				rec.RequestID, err = p.str("custom_id", v)
			}
		case "result":
			result = v
		}
		return err
	})
	if err != nil {
		return err
	}
	if len(result) == 0 {
		return wrongShape("no result member")
	}
	if jsonx.Kind(result) != '{' {
		return fmt.Errorf("result: not an object")
	}
	var typ string
	var msg []byte
	err = jsonx.ObjectEach(result, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "type":
			typ, err = p.str("result.type", v)
		case "message":
			msg = v
		}
		return err
	})
	if err != nil {
		return err
	}
	switch typ {
	case "succeeded":
	case "errored", "canceled", "expired":
		return errNoRecord
	default:
		return fmt.Errorf("result.type: unexpected %q", typ)
	}
	if jsonx.Kind(msg) != '{' {
		return fmt.Errorf("result.message: missing for a succeeded result")
	}
	rec.Provider = "anthropic"
	if err := p.anthropicBody(msg, rec, false); err != nil {
		return err
	}
	rec.Tier = record.TierBatch
	return nil
}

func init() {
	register(
		&Format{
			ID:          "anthropic-messages",
			Description: "Anthropic Messages API response bodies, one per line",
			Order:       80,
			parse:       parseAnthropicMessages,
			sniff:       func(s *shape) bool { return s.typ == "message" },
		},
		&Format{
			ID:          "anthropic-batch-results",
			Description: "Anthropic Message Batches results JSONL (custom_id, result); priced at the batch rate",
			Order:       10,
			parse:       parseAnthropicBatch,
			sniff:       func(s *shape) bool { return s.has("custom_id", "result") },
		},
	)
}
