package ingest

import (
	"bytes"
	"fmt"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// LiteLLM logs (shared/formats/observability.md §1): the
// StandardLoggingPayload its callbacks and log sinks write, and
// LiteLLM_SpendLogs rows (the proxy's table, exported with SQL or
// GET /spend/logs, which returns a JSON array: a line may hold many rows).
//
// LiteLLM reshapes every provider's usage into OpenAI's fields, and has
// done so differently over versions and call types. Its usage object
// (response.usage, else metadata.usage_object, else
// hidden_params.usage_object, else the row's prompt_tokens and
// completion_tokens) is normalised with these rules, P = prompt_tokens,
// R = cache reads (prompt_tokens_details.cached_tokens or
// cache_read_input_tokens), W = cache writes (cache_creation_input_tokens
// or prompt_tokens_details.cache_creation_tokens):
//
//   - W = 0: P includes R, as OpenAI counts (and LiteLLM maps Anthropic
//     and Bedrock reads): uncached = P − R − OpenAI's cache_write_tokens.
//     When R > P, P cannot include R (the anthropic_messages convention,
//     where prompt_tokens is Anthropic's input_tokens): uncached = P.
//   - W > 0 (Anthropic-style writes, Anthropic, Bedrock, Vertex Claude):
//     whether P includes W depends on the LiteLLM version. When
//     prompt_tokens_details.text_tokens (the raw input_tokens, 2026) gives
//     text + R + W = P, uncached = text. Otherwise, versions that write
//     prompt_tokens_details.cache_creation_tokens count W inside P
//     (uncached = P − R − W; observed on v1.80, an issue's usage_object:
//     98805 = 10 + 66360 + 32435) unless P < R + W (then P is the uncached
//     count); older versions count reads but not writes in P (the Bedrock
//     Converse rule the formats doc quotes: uncached = P − R), unless P < R.
//   - Writes are 5-minute writes, split by
//     prompt_tokens_details.cache_creation_token_details when its two
//     counts add up to W. completion_tokens includes reasoning.
//
// The money LiteLLM computed (response_cost, spend, cost_breakdown) is not
// used: records are priced with the catalog. LiteLLM's own response cache
// hits (cache_hit) and failed calls (status "failure") are not billed.

type litellmUsage struct {
	prompt, completion         int64
	cached, readTop            int64
	write, writeDetail         int64
	writeDetailSet             bool
	text                       int64
	textSet                    bool
	openaiWrite                int64
	w5, w1                     int64
	split                      bool
	reasoning                  int64
	seen                       bool
	geo                        string // interned
	promptSeen, completionSeen bool
}

// litellmUsage reads a LiteLLM usage object (errors name its members
// usage.…; the caller says where the object was).
func (p *parser) litellmUsage(v []byte, u *litellmUsage) error {
	if jsonx.Kind(v) != '{' {
		return nil
	}
	u.seen = true
	return jsonx.ObjectEach(v, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "prompt_tokens", "input_tokens":
			u.prompt, err = countKey("usage.", k, v)
			u.promptSeen = true
		case "completion_tokens", "output_tokens":
			u.completion, err = countKey("usage.", k, v)
			u.completionSeen = true
		case "cache_read_input_tokens":
			u.readTop, err = countKey("usage.", k, v)
		case "cache_creation_input_tokens":
			u.write, err = countKey("usage.", k, v)
		case "inference_geo":
			u.geo = p.intern(rawStr(v))
		case "prompt_tokens_details", "input_tokens_details":
			if jsonx.Kind(v) != '{' {
				return nil
			}
			err = jsonx.ObjectEach(v, func(k, v []byte) error {
				var err error
				switch string(k) {
				case "cached_tokens":
					u.cached, err = countKey("usage.prompt_tokens_details.", k, v)
				case "cache_creation_tokens":
					u.writeDetail, err = countKey("usage.prompt_tokens_details.", k, v)
					u.writeDetailSet = !jsonx.IsNull(v)
				case "text_tokens":
					u.text, err = countKey("usage.prompt_tokens_details.", k, v)
					u.textSet = !jsonx.IsNull(v)
				case "cache_write_tokens":
					u.openaiWrite, err = countKey("usage.prompt_tokens_details.", k, v)
				case "cache_creation_token_details":
					if jsonx.Kind(v) != '{' {
						return nil
					}
					u.split = true
					err = jsonx.ObjectEach(v, func(k, v []byte) error {
						var err error
						switch string(k) {
						case "ephemeral_5m_input_tokens":
							u.w5, err = countKey("usage.prompt_tokens_details.cache_creation_token_details.", k, v)
						case "ephemeral_1h_input_tokens":
							u.w1, err = countKey("usage.prompt_tokens_details.cache_creation_token_details.", k, v)
						}
						return err
					})
				}
				return err
			})
		case "completion_tokens_details", "output_tokens_details":
			if jsonx.Kind(v) != '{' {
				return nil
			}
			err = jsonx.ObjectEach(v, func(k, v []byte) error {
				var err error
				if string(k) == "reasoning_tokens" {
					u.reasoning, err = countKey("usage.completion_tokens_details.", k, v)
				}
				return err
			})
		}
		return err
	})
}

// apply sets rec's disjoint buckets; see the rules at the top of the file.
func (u *litellmUsage) apply(rec *record.Record) error {
	P := u.prompt
	R := u.cached
	if R == 0 {
		R = u.readTop
	}
	W := u.write
	if W == 0 {
		W = u.writeDetail
	}
	var in int64
	switch {
	case W == 0:
		in = P - R - u.openaiWrite
		if in < 0 {
			in = P
		}
	case u.textSet && u.text+R+W == P:
		in = u.text
	case u.writeDetailSet:
		in = P - R - W
		if in < 0 {
			in = P
		}
	default:
		in = P - R
		if in < 0 {
			in = P
		}
	}
	rec.InputTokens = in
	rec.CacheReadTokens = R
	rec.CacheWrite5mTokens = W + u.openaiWrite
	if u.split && W > 0 && u.w5+u.w1 == W {
		rec.CacheWrite5mTokens, rec.CacheWrite1hTokens = u.w5+u.openaiWrite, u.w1
	}
	rec.OutputTokens = u.completion
	rec.ReasoningTokens = min(u.reasoning, u.completion)
	rec.HasUsage = true
	return nil
}

// litellmState collects what a payload or row says besides usage.
type litellmState struct {
	usage, usageObj, hiddenUsage litellmUsage
	top                          litellmUsage // the row's own prompt/completion tokens
	failed, cacheHit             bool
	respModel, hiddenModel       []byte
	mapModel                     []byte
	// interned when read: the metadata column's document is a scratch buffer
	endUser, keyEndUser, keyUser string
	teamAlias, teamID, keyAlias  string
	hasProvider, hasMoney        bool
}

func parseLiteLLM(p *parser, line []byte, rec *record.Record, out *emitter) error {
	err := eachDoc(line, func(d []byte, i int) (int, error) {
		r := out.start()
		end, ok, err := p.litellmDoc(d, i, r)
		if err == nil && ok {
			out.keep(rec)
		}
		return end, err
	})
	return out.finish(rec, err)
}

// litellmDoc reads one payload or row at d[i] into r; ok is false for a
// call that was not billed.
func (p *parser) litellmDoc(d []byte, i int, r *record.Record) (int, bool, error) {
	var st litellmState
	end, err := objectAt(d, i, func(k []byte, v int) (int, error) {
		if string(k) == "response" && d[v] == '{' {
			return members(d, v, func(k, raw []byte) error {
				var err error
				switch string(k) {
				case "usage":
					if err = p.litellmUsage(raw, &st.usage); err != nil {
						err = fmt.Errorf("response: %w", err)
					}
				case "model":
					st.respModel = rawStr(raw)
				case "service_tier":
					if s := rawStr(raw); len(s) > 0 {
						r.Tier = record.ParseTier(p.intern(s))
					}
				}
				return err
			})
		}
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		raw := d[v:e]
		switch string(k) {
		case "model":
			if jsonx.IsString(raw) {
				r.Model, err = p.str("model", raw)
			}
		case "custom_llm_provider":
			st.hasProvider = true
			if jsonx.IsString(raw) {
				r.Provider, err = p.str("custom_llm_provider", raw)
			}
		case "startTime":
			r.Time, err = quickTime("startTime", raw)
		case "id", "request_id":
			if s := rawStr(raw); len(s) > 0 {
				r.DedupKey = dedupID(s)
				if p.keepIDs {
					r.RequestID, err = p.strKey("", k, raw)
				}
			}
		case "status":
			st.failed = string(raw) == `"failure"`
		case "cache_hit":
			st.cacheHit = string(raw) == "true" || bytes.EqualFold(rawStr(raw), []byte("true"))
		case "prompt_tokens":
			st.top.prompt, err = count("prompt_tokens", raw)
			st.top.promptSeen, st.top.seen = true, true
		case "completion_tokens":
			st.top.completion, err = count("completion_tokens", raw)
			st.top.completionSeen, st.top.seen = true, true
		case "end_user":
			st.endUser = p.intern(rawStr(raw))
		case "user":
			if st.keyUser == "" {
				st.keyUser = p.intern(rawStr(raw))
			}
		case "team_id":
			if s := rawStr(raw); len(s) > 0 {
				st.teamID = p.intern(s)
			}
		case "request_tags":
			err = p.litellmTags(raw, r)
		case "metadata":
			err = p.litellmMetadata(raw, r, &st)
		case "hidden_params":
			if jsonx.Kind(raw) == '{' {
				err = jsonx.ObjectEach(raw, func(k, v []byte) error {
					switch string(k) {
					case "usage_object":
						if err := p.litellmUsage(v, &st.hiddenUsage); err != nil {
							return fmt.Errorf("hidden_params.usage_object: %w", err)
						}
					case "litellm_model_name":
						st.hiddenModel = rawStr(v)
					}
					return nil
				})
			}
		case "model_map_information":
			if jsonx.Kind(raw) == '{' {
				err = jsonx.ObjectEach(raw, func(k, v []byte) error {
					if string(k) == "model_map_key" {
						st.mapModel = rawStr(v)
					}
					return nil
				})
			}
		case "response_cost", "spend":
			st.hasMoney = true
		}
		return e, err
	})
	if err != nil {
		return 0, false, err
	}
	if !st.hasProvider && !st.hasMoney {
		return 0, false, wrongShape("no custom_llm_provider, response_cost or spend")
	}
	if st.failed || st.cacheHit {
		return end, false, nil
	}
	if r.Model == "" {
		for _, m := range [...][]byte{st.hiddenModel, st.mapModel, st.respModel} {
			if len(m) > 0 {
				r.Model = p.intern(m)
				break
			}
		}
	}
	r.User = firstNonEmpty(r.User, st.endUser, st.keyEndUser, st.keyUser)
	r.Project = firstNonEmpty(r.Project, st.teamAlias, st.teamID)
	if st.keyAlias != "" && len(r.Tags) < maxTags {
		r.Tags = append(r.Tags, record.Tag{Key: "key_alias", Value: st.keyAlias})
	}
	u := &st.usage
	switch {
	case st.usage.promptSeen || st.usage.completionSeen:
	case st.usageObj.promptSeen || st.usageObj.completionSeen:
		u = &st.usageObj
	case st.hiddenUsage.promptSeen || st.hiddenUsage.completionSeen:
		u = &st.hiddenUsage
	case st.top.seen:
		u = &st.top
	default:
		return end, true, nil // a call without usage
	}
	if u.geo != "" && u.geo != "not_available" {
		r.Geo = u.geo
	}
	return end, true, u.apply(r)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// litellmMetadata reads the payload's metadata object, or a SpendLogs
// row's metadata column (the same object, JSON-encoded in a string).
func (p *parser) litellmMetadata(raw []byte, r *record.Record, st *litellmState) error {
	if jsonx.IsString(raw) {
		doc, bp, err := embedded("metadata", raw)
		if err != nil {
			return err
		}
		defer release(bp)
		if jsonx.Kind(doc) != '{' {
			return nil // "", "{}" written as text, or not JSON
		}
		if err := p.litellmMetadataObject(doc, r, st); err != nil {
			return fmt.Errorf("metadata: %w", err)
		}
		return nil
	}
	if jsonx.Kind(raw) != '{' {
		return nil
	}
	return p.litellmMetadataObject(raw, r, st)
}

func (p *parser) litellmMetadataObject(doc []byte, r *record.Record, st *litellmState) error {
	return jsonx.ObjectEach(doc, func(k, v []byte) error {
		switch string(k) {
		case "usage_object":
			if err := p.litellmUsage(v, &st.usageObj); err != nil {
				return fmt.Errorf("usage_object: %w", err)
			}
		case "user_api_key_end_user_id":
			st.keyEndUser = p.intern(rawStr(v))
		case "user_api_key_user_id":
			st.keyUser = p.intern(rawStr(v))
		case "user_api_key_team_alias", "team_alias":
			if s := rawStr(v); len(s) > 0 {
				st.teamAlias = p.intern(s)
			}
		case "user_api_key_team_id", "team_id":
			if s := rawStr(v); len(s) > 0 {
				st.teamID = p.intern(s)
			}
		case "user_api_key_alias":
			st.keyAlias = p.intern(rawStr(v))
		case "spend_logs_metadata":
			return p.metadata(v, r)
		}
		return nil
	})
}

// litellmTags reads request_tags: a list of strings, or (SpendLogs) the
// list JSON-encoded in a string. Each tag becomes the label tag=<value>.
func (p *parser) litellmTags(raw []byte, r *record.Record) error {
	var bp *[]byte
	if jsonx.IsString(raw) {
		doc, b, err := embedded("request_tags", raw)
		if err != nil {
			return err
		}
		bp = b
		raw = doc
	}
	defer release(bp)
	if jsonx.Kind(raw) != '[' {
		return nil
	}
	_, err := jsonx.ArrayEach(raw, func(_ int, v []byte) error {
		if !jsonx.IsString(v) || len(r.Tags) >= maxTags {
			return nil
		}
		s, err := p.str("request_tags[]", v)
		if err == nil && s != "" {
			r.Tags = append(r.Tags, record.Tag{Key: "tag", Value: s})
		}
		return err
	})
	return err
}

func init() {
	registerMulti(&Format{
		ID:          "litellm",
		Description: "LiteLLM StandardLoggingPayload logs and LiteLLM_SpendLogs rows (JSONL, or a /spend/logs JSON array)",
		Order:       25,
		sniff: func(s *shape) bool {
			return s.has("custom_llm_provider") && s.hasAny("response_cost", "call_type", "spend", "hidden_params", "model_map_information") ||
				s.has("spend", "request_id", "call_type")
		},
	}, parseLiteLLM)
}
