package ingest

import (
	"fmt"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Request+response pairs, as proxies and apps commonly log them:
//
//	{"timestamp": "...", "request": {<request body>}, "response": {<response body>}, ...}
//
// The request gives what the response lacks (user, metadata tags, system
// prompt, max_tokens, message count); the response gives the served model
// and the usage. Both OpenAI (Chat Completions, Responses) and Anthropic
// (Messages) bodies are accepted, decided per line by the response's shape.

func parsePairs(p *parser, line []byte, rec *record.Record) error {
	var req, resp []byte
	err := jsonx.ObjectEach(line, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "request", "req", "request_body":
			req = v
		case "response", "resp", "res", "response_body":
			resp = v
		case "timestamp", "time", "ts", "start_time", "startTime", "created_at", "request_time":
			if rec.Time.IsZero() {
				rec.Time, err = anyTime(string(k), v)
			}
		case "user", "user_id":
			if jsonx.IsString(v) {
				rec.User, err = p.str(string(k), v)
			}
		case "project", "project_id":
			if jsonx.IsString(v) {
				rec.Project, err = p.str(string(k), v)
			}
		case "metadata", "tags":
			err = p.metadata(v, rec)
		case "provider":
			if jsonx.IsString(v) {
				rec.Provider, err = p.str("provider", v)
			}
		case "request_id", "requestId":
			if p.keepIDs && jsonx.IsString(v) {
				rec.RequestID, err = p.str(string(k), v)
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	if jsonx.Kind(req) == '{' {
		if err := p.request(req, rec); err != nil {
			return fmt.Errorf("request: %w", err)
		}
		p.keepRequest(rec, req)
	}
	if jsonx.Kind(resp) != '{' {
		if len(req) == 0 && len(resp) == 0 {
			return wrongShape("neither request nor response")
		}
		return errNoRecord // a request whose response was not logged (error, timeout)
	}
	reqTier := rec.Tier
	rec.Tier = record.TierStandard
	if err := p.responseBody(resp, rec); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	if rec.Tier == record.TierStandard && reqTier == record.TierBatch {
		rec.Tier = reqTier
	}
	return nil
}

// responseBody parses a response of either vendor, telling them apart by
// shape: Anthropic messages have "type":"message", OpenAI objects "object".
func (p *parser) responseBody(v []byte, rec *record.Record) error {
	kind := ""
	err := jsonx.ObjectEach(v, func(k, v []byte) error {
		switch string(k) {
		case "object":
			kind = "openai"
		case "type":
			if kind == "" && jsonx.IsString(v) {
				switch string(v) {
				case `"message"`, `"error"`:
					kind = "anthropic"
				}
			}
		case "error":
			if kind == "" && jsonx.Kind(v) == '{' {
				kind = "error"
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	switch kind {
	case "anthropic":
		if rec.Provider == "" || rec.Provider == "openai" {
			rec.Provider = "anthropic"
		}
		return p.anthropicBody(v, rec, false)
	case "error":
		return errNoRecord
	}
	return p.openaiBody(v, rec, anyObject)
}

// request reads what pricing and later scenarios need from a request body of
// either vendor, without decoding prompt text: the model, the user, labels,
// the output limit, the message count, a hash of the system prompt.
func (p *parser) request(v []byte, rec *record.Record) error {
	rec.HasRequest = true
	return jsonx.ObjectEach(v, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "model":
			rec.Model, err = p.str("model", v)
		case "messages", "input":
			rec.RequestHash ^= hashRaw(v)
			if jsonx.Kind(v) == '[' {
				var n int
				n, err = jsonx.ArrayEach(v, func(i int, m []byte) error {
					if i == 0 && rec.SystemHash == 0 {
						rec.SystemHash, rec.SystemBytes = p.systemMessage(m)
					}
					return nil
				})
				rec.Messages = int32(min(n, 1<<30))
			} else if jsonx.IsString(v) {
				rec.Messages = 1
			}
		case "system", "instructions":
			// Anthropic's system (string or blocks); Responses' instructions.
			rec.SystemHash, rec.SystemBytes = hashRaw(v), int64(len(v))
			rec.RequestHash ^= rec.SystemHash * 0x9e3779b97f4a7c15
		case "max_tokens", "max_completion_tokens", "max_output_tokens":
			var n int64
			if n, err = countKey("", k, v); n > 0 {
				rec.MaxTokens = n
			}
		case "user":
			if jsonx.IsString(v) && rec.User == "" {
				rec.User, err = p.str("user", v)
			}
		case "safety_identifier":
			if rec.User == "" {
				rec.User, err = p.str(string(k), v)
			}
		case "metadata":
			err = p.metadata(v, rec)
		case "service_tier":
			// The response's served tier wins; the request's is a fallback.
			var s string
			if s, err = p.str("service_tier", v); err == nil {
				rec.Tier = record.ParseTier(s)
			}
		case "previous_response_id":
			if jsonx.IsString(v) {
				rec.ConversationID, err = p.str(string(k), v)
			}
		}
		return err
	})
}

// systemMessageHash hashes the content of an OpenAI system/developer message
// (the first message of a Chat request), 0 for other roles.
func (p *parser) systemMessageHash(m []byte) uint64 {
	h, _ := p.systemMessage(m)
	return h
}

// systemMessage is systemMessageHash that also returns the content's raw
// size; 0, 0 for other roles.
func (p *parser) systemMessage(m []byte) (uint64, int64) {
	if jsonx.Kind(m) != '{' {
		return 0, 0
	}
	var role, content []byte
	_ = jsonx.ObjectEach(m, func(k, v []byte) error {
		switch string(k) {
		case "role":
			role = v
		case "content":
			content = v
		}
		return nil
	})
	if string(role) == `"system"` || string(role) == `"developer"` {
		return hashRaw(content), int64(len(content))
	}
	return 0, 0
}

func init() {
	register(
		&Format{
			ID:          "pairs",
			Description: "request+response pairs as proxies log them ({\"timestamp\",\"request\",\"response\"}), OpenAI or Anthropic bodies",
			Order:       50,
			parse:       parsePairs,
			sniff: func(s *shape) bool {
				return s.hasAny("request", "req", "request_body") && s.hasAny("response", "resp", "res", "response_body")
			},
		},
	)
}
