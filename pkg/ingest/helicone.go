package ingest

import (
	"bytes"
	"fmt"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Helicone request exports (shared/formats/observability.md §3): the
// `@helicone/export` JSONL (one HeliconeRequest per line), its JSON form (an
// array) and REST query pages ({"data": […]}), which can hold many.
//
// Token semantics: Helicone stores prompt_tokens as the UNCACHED prompt and
// the cache buckets beside it, whatever the provider: its cost function
// prices prompt_tokens as "the fresh, uncached tokens" plus
// prompt_cache_write_tokens and prompt_cache_read_tokens at their own
// rates; its Anthropic mapping stores input_tokens as is, and its OpenAI
// mapping subtracts cached_tokens (and prompt audio tokens, stored as
// prompt_audio_tokens) from OpenAI's prompt_tokens. Older OpenAI mappings
// stored OpenAI's inclusive prompt_tokens: for providers other than
// Anthropic and Bedrock, a total_tokens equal to prompt + completion (OpenAI's
// total, which counts cached tokens once) while cache reads are not zero
// shows the inclusive form, and the reads are subtracted. Audio tokens have
// no bucket of their own here: they are counted as input and output (the
// catalog has no audio rates; they are priced at the text rates).
//
// Helicone's cost (cost, costUSD) is not used. Non-2xx responses and
// Helicone cache hits (cache_reference_id set) are not billed.

type heliconeState struct {
	prompt, completion, write, read, audioIn, audioOut, total int64
	totalSet, usageSeen                                       bool
	status                                                    int64
	model, respModel, reqModel, override                      []byte
	provider                                                  []byte
	cacheHit, isRequest                                       bool
	props                                                     []byte
}

const heliconeNoCache = "00000000-0000-0000-0000-000000000000"

func parseHelicone(p *parser, line []byte, rec *record.Record, out *emitter) error {
	err := eachDoc(line, func(d []byte, i int) (int, error) {
		return p.heliconeDoc(d, i, rec, out)
	})
	return out.finish(rec, err)
}

func (p *parser) heliconeDoc(d []byte, i int, rec *record.Record, out *emitter) (int, error) {
	r := out.start()
	var st heliconeState
	var data []byte
	end, err := members(d, i, func(k, raw []byte) error {
		var err error
		switch string(k) {
		case "request_id":
			st.isRequest = true
			r.DedupKey = dedupID(rawStr(raw))
			if p.keepIDs && jsonx.IsString(raw) {
				r.RequestID, err = p.str("request_id", raw)
			}
		case "request_created_at":
			r.Time, err = quickTime("request_created_at", raw)
		case "response_status":
			if !jsonx.IsNull(raw) {
				st.status, err = jsonx.Int(raw)
				if err != nil {
					err = fieldErr("response_status", err)
				}
			}
		case "model":
			st.model = rawStr(raw)
		case "response_model":
			st.respModel = rawStr(raw)
		case "request_model":
			st.reqModel = rawStr(raw)
		case "model_override":
			st.override = rawStr(raw)
		case "provider":
			st.provider = rawStr(raw)
		case "prompt_tokens":
			st.prompt, err = count("prompt_tokens", raw)
			st.usageSeen = st.usageSeen || !jsonx.IsNull(raw)
		case "completion_tokens":
			st.completion, err = count("completion_tokens", raw)
			st.usageSeen = st.usageSeen || !jsonx.IsNull(raw)
		case "prompt_cache_write_tokens":
			st.write, err = count("prompt_cache_write_tokens", raw)
		case "prompt_cache_read_tokens":
			st.read, err = count("prompt_cache_read_tokens", raw)
		case "prompt_audio_tokens":
			st.audioIn, err = count("prompt_audio_tokens", raw)
		case "completion_audio_tokens":
			st.audioOut, err = count("completion_audio_tokens", raw)
		case "total_tokens":
			st.total, err = count("total_tokens", raw)
			st.totalSet = !jsonx.IsNull(raw)
		case "request_user_id":
			if s := rawStr(raw); len(s) > 0 {
				r.User = p.intern(s)
			}
		case "request_properties", "properties":
			if jsonx.Kind(raw) == '{' && len(raw) > 2 {
				st.props = raw
			}
		case "cache_reference_id":
			if s := rawStr(raw); len(s) > 0 && string(s) != heliconeNoCache {
				st.cacheHit = true
			}
		case "data":
			data = raw
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	if !st.isRequest {
		if jsonx.Kind(data) == '[' {
			_, err := arrayAt(data, 0, func(v int) (int, error) {
				if data[v] != '{' {
					return jsonx.SkipValue(data, v)
				}
				return p.heliconeDoc(data, v, rec, out)
			})
			return end, err
		}
		return 0, wrongShape("no request_id")
	}
	if st.status != 0 && (st.status < 200 || st.status > 299) || st.cacheHit {
		return end, nil
	}
	for _, m := range [...][]byte{st.model, st.override, st.respModel, st.reqModel} {
		if len(m) > 0 {
			r.Model = p.intern(m)
			break
		}
	}
	r.Provider = p.lowerIntern(st.provider)
	if err := p.heliconeProperties(st.props, r); err != nil {
		return 0, err
	}
	if st.usageSeen {
		if err := st.apply(r); err != nil {
			return 0, err
		}
	}
	out.keep(rec)
	return end, nil
}

func (st *heliconeState) apply(r *record.Record) error {
	in := st.prompt
	disjoint := bytes.EqualFold(st.provider, []byte("ANTHROPIC")) || bytes.EqualFold(st.provider, []byte("BEDROCK")) ||
		bytes.EqualFold(st.provider, []byte("AWS"))
	if !disjoint {
		if st.totalSet && st.read > 0 && st.total == st.prompt+st.completion {
			in = st.prompt - st.read
			if in < 0 {
				return fmt.Errorf("prompt_cache_read_tokens (%d) exceed prompt_tokens (%d)", st.read, st.prompt)
			}
		}
	}
	r.InputTokens = in + st.audioIn
	r.CacheReadTokens = st.read
	r.CacheWrite5mTokens = st.write
	r.OutputTokens = st.completion + st.audioOut
	r.HasUsage = true
	return nil
}

// lowerIntern interns an ASCII word in lower case (Helicone writes
// providers as OPENAI, ANTHROPIC, …).
func (p *parser) lowerIntern(b []byte) string {
	var buf [32]byte
	if len(b) > len(buf) {
		return p.intern(b)
	}
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return p.intern(buf[:len(b)])
}

// heliconeProperties reads custom properties (Helicone-Property-* headers):
// labels, plus Helicone's session id as the conversation.
func (p *parser) heliconeProperties(raw []byte, r *record.Record) error {
	if raw == nil {
		return nil
	}
	return jsonx.ObjectEach(raw, func(k, v []byte) error {
		if !jsonx.IsString(v) {
			return nil
		}
		switch string(k) {
		case "Helicone-Session-Id", "helicone-session-id":
			var err error
			r.ConversationID, err = p.strKey("properties.", k, v)
			return err
		case "Helicone-Session-Path", "Helicone-Session-Name", "helicone-session-path", "helicone-session-name",
			"Helicone-Sent-To-Sentry", "helicone-sent-to-sentry":
			return nil
		}
		val, err := p.strKey("properties.", k, v)
		if err != nil {
			return err
		}
		key := p.intern(k)
		switch key {
		case "user_id", "user", "userId":
			if r.User == "" {
				r.User = val
			}
			return nil
		case "project", "project_id", "projectId", "Project":
			if r.Project == "" {
				r.Project = val
			}
			return nil
		}
		if len(r.Tags) < maxTags {
			r.Tags = append(r.Tags, record.Tag{Key: key, Value: val})
		}
		return nil
	})
}

func init() {
	registerMulti(&Format{
		ID:          "helicone",
		Description: "Helicone request exports (@helicone/export JSONL or JSON, REST query pages)",
		Order:       20,
		sniff: func(s *shape) bool {
			if s.has("request_id") && s.hasAny("request_created_at", "response_created_at", "prompt_cache_read_tokens", "helicone_user", "request_properties") {
				return true
			}
			if d := s.value("data"); jsonx.Kind(d) == '[' {
				return bytes.Contains(d, []byte(`"request_created_at"`))
			}
			return false
		},
	}, parseHelicone)
}
