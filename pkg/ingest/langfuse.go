package ingest

import (
	"bytes"
	"fmt"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Langfuse observations (shared/formats/observability.md §2): one
// observation per line (UI or blob-storage export, camelCase or the
// snake_case column names), or a public API page {"data": […], "meta": …}
// holding many (v1 /api/public/observations, v2 /api/public/v2/observations).
//
// Only model calls are billed: SPAN and EVENT observations, and others
// without a model and usage, give no record.
//
// Token semantics: Langfuse's usage types are meant to be disjoint (its UI
// sums all keys into the total when "total" is absent, and its own
// OpenAI-usage conversion subtracts the *_details from input and output),
// so usageDetails is read as disjoint:
//
//	uncached = input (+ other input_* modality keys, which Langfuse prices at their own rates)
//	cache reads = input_cached_tokens, input_cache_read, cache_read_input_tokens, …
//	cache writes = input_cache_creation, input_cache_write, cache_creation_input_tokens, …
//	  (1-hour writes when the key says "1h")
//	output = output + output_* keys; reasoning = the output_reasoning* / reasoning keys
//
// Some integrations sent inclusive counts (a known double-count of cached
// tokens: input already held the cached tokens). That is detected when the
// integration also sent its own total: total = input + output while the
// detail keys are not zero means input (and output) include their details,
// which are then subtracted; when total matches the disjoint sum, or is
// absent (Langfuse then sums the keys itself), the keys are disjoint.
//
// The deprecated usage object ({input, output, total, unit} or
// promptTokens/completionTokens) and the v2 flat inputUsage/outputUsage are
// read when usageDetails is absent; a unit other than TOKENS (characters,
// images, seconds) gives a record without usage. costDetails and the
// calculated costs (Langfuse's price table) are not used.

// langfuseUsage collects usage keys.
type langfuseUsage struct {
	in, out, total          int64
	totalSet                bool
	read, inOther           int64
	write, ttl5m, ttl1h     int64 // cache writes: without and with a TTL in the key
	w5, w1                  int64 // cache writes by TTL, from the above
	outOther, reasoning     int64
	seen                    bool
	nonTokenUnit            bool
	legacyIn, legacyOut     int64 // usage / inputUsage fallbacks
	legacySeen, detailsSeen bool
}

func parseLangfuse(p *parser, line []byte, rec *record.Record, out *emitter) error {
	err := eachDoc(line, func(d []byte, i int) (int, error) {
		return p.langfuseDoc(d, i, rec, out)
	})
	return out.finish(rec, err)
}

// langfuseDoc reads an observation, or an API page of observations, at d[i].
func (p *parser) langfuseDoc(d []byte, i int, rec *record.Record, out *emitter) (int, error) {
	r := out.start()
	var (
		u                     langfuseUsage
		model, model2         []byte
		observation, skipType bool
		data                  []byte
		isPage                bool
	)
	end, err := objectAt(d, i, func(k []byte, v int) (int, error) {
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		raw := d[v:e]
		switch string(k) {
		case "data":
			data = raw
		case "meta":
			isPage = true
		case "traceId", "trace_id":
			observation = true
		case "id":
			r.DedupKey = dedupID(rawStr(raw))
			if p.keepIDs && jsonx.IsString(raw) {
				r.RequestID, err = p.str("id", raw)
			}
		case "type":
			switch string(raw) {
			case `"SPAN"`, `"EVENT"`:
				skipType = true
			}
		case "startTime", "start_time":
			r.Time, err = quickTime("startTime", raw)
		case "model", "providedModelName", "provided_model_name":
			if s := rawStr(raw); len(s) > 0 {
				model = s
			}
		case "internalModel":
			model2 = rawStr(raw)
		case "usageDetails", "usage_details":
			err = langfuseDetails(raw, &u)
		case "usage":
			err = langfuseLegacy(raw, &u)
		case "inputUsage", "input_usage":
			u.legacyIn, err = countKey("", k, raw)
			u.legacySeen = true
		case "outputUsage", "output_usage":
			u.legacyOut, err = countKey("", k, raw)
			u.legacySeen = true
		case "userId", "user_id":
			if jsonx.IsString(raw) {
				r.User, err = p.strKey("", k, raw)
			}
		case "sessionId", "session_id":
			if jsonx.IsString(raw) {
				r.ConversationID, err = p.strKey("", k, raw)
			}
		case "tags":
			err = p.langfuseTags(raw, r)
		case "metadata":
			err = p.langfuseMetadata(raw, r)
		case "environment":
			if s := rawStr(raw); len(s) > 0 && len(r.Tags) < maxTags {
				r.Tags = append(r.Tags, record.Tag{Key: "environment", Value: p.intern(s)})
			}
		}
		return e, err
	})
	if err != nil {
		return 0, err
	}
	if !observation {
		if isPage && jsonx.Kind(data) == '[' {
			_, err := arrayAt(data, 0, func(v int) (int, error) {
				if data[v] != '{' {
					return jsonx.SkipValue(data, v)
				}
				return p.langfuseDoc(data, v, rec, out)
			})
			return end, err
		}
		return 0, wrongShape("no traceId")
	}
	if skipType {
		return end, nil
	}
	if len(model) == 0 {
		model = model2
	}
	if len(model) == 0 && !u.seen && !u.legacySeen {
		return end, nil // a non-model observation (TOOL, CHAIN, …)
	}
	r.Model = p.intern(model)
	if err := u.apply(r); err != nil {
		return 0, err
	}
	out.keep(rec)
	return end, nil
}

// langfuseDetails reads usageDetails: usage type → count.
func langfuseDetails(raw []byte, u *langfuseUsage) error {
	if jsonx.Kind(raw) != '{' {
		return nil
	}
	return jsonx.ObjectEach(raw, func(k, v []byte) error {
		if jsonx.IsNull(v) {
			return nil
		}
		n, err := countKey("usageDetails.", k, v)
		if err != nil {
			return err
		}
		u.seen, u.detailsSeen = true, true
		u.add(k, n)
		return nil
	})
}

// add files one usage-type key.
func (u *langfuseUsage) add(k []byte, n int64) {
	switch string(k) {
	case "input", "prompt_tokens", "input_tokens", "promptTokens":
		u.in += n
		return
	case "output", "completion_tokens", "output_tokens", "completionTokens":
		u.out += n
		return
	case "total", "total_tokens", "totalTokens":
		u.total, u.totalSet = n, true
		return
	}
	cache := bytes.Contains(k, []byte("cache")) || bytes.Contains(k, []byte("ephemeral"))
	switch {
	case cache && (bytes.Contains(k, []byte("read")) || bytes.Contains(k, []byte("cached")) || bytes.Contains(k, []byte("hit"))):
		u.read += n
	case cache && bytes.Contains(k, []byte("1h")):
		u.ttl1h += n
	case cache && bytes.Contains(k, []byte("5m")):
		u.ttl5m += n
	case cache: // creation, write
		u.write += n
	case bytes.Contains(k, []byte("reasoning")):
		u.reasoning += n
		u.outOther += n
	case bytes.HasPrefix(k, []byte("output")):
		u.outOther += n
	case bytes.HasPrefix(k, []byte("input")):
		u.inOther += n
	default:
		// Unknown usage types are left out rather than guessed.
	}
}

// langfuseLegacy reads the deprecated usage object.
func langfuseLegacy(raw []byte, u *langfuseUsage) error {
	if jsonx.Kind(raw) != '{' {
		return nil
	}
	return jsonx.ObjectEach(raw, func(k, v []byte) error {
		var err error
		var n int64
		switch string(k) {
		case "input", "promptTokens":
			n, err = countKey("usage.", k, v)
			u.legacyIn += n
			u.legacySeen = true
		case "output", "completionTokens":
			n, err = countKey("usage.", k, v)
			u.legacyOut += n
			u.legacySeen = true
		case "unit":
			if s := rawStr(v); len(s) > 0 && !bytes.EqualFold(s, []byte("TOKENS")) {
				u.nonTokenUnit = true
			}
		}
		return err
	})
}

// apply sets rec's buckets; see the rules at the top of the file.
func (u *langfuseUsage) apply(r *record.Record) error {
	if u.nonTokenUnit {
		return nil
	}
	if !u.detailsSeen {
		if !u.legacySeen {
			return nil
		}
		r.InputTokens, r.OutputTokens = u.legacyIn, u.legacyOut
		r.HasUsage = true
		return nil
	}
	// Writes: a TTL split (ephemeral_5m/1h keys) details the TTL-less count
	// when both are present.
	u.w5, u.w1 = u.write+u.ttl5m, u.ttl1h
	if split := u.ttl5m + u.ttl1h; split > 0 && u.write >= split {
		u.w5, u.w1 = u.write-u.ttl1h, u.ttl1h
	}
	inDetails := u.read + u.w5 + u.w1 + u.inOther
	in, out := u.in, u.out+u.outOther
	if u.totalSet && inDetails+u.outOther > 0 && u.total != u.in+inDetails+u.out+u.outOther {
		// The integration's own total: find which sides include their details.
		switch u.total {
		case u.in + u.out:
			in, out = u.in-inDetails, u.out
		case u.in + u.out + u.outOther:
			in = u.in - inDetails
		case u.in + inDetails + u.out:
			out = u.out
		}
		if in < 0 {
			return fmt.Errorf("usageDetails: input (%d) is less than its cache and modality details (%d)", u.in, inDetails)
		}
	}
	r.InputTokens = in + u.inOther
	r.CacheReadTokens = u.read
	r.CacheWrite5mTokens = u.w5
	r.CacheWrite1hTokens = u.w1
	r.OutputTokens = out
	r.ReasoningTokens = min(u.reasoning, out)
	r.HasUsage = true
	return nil
}

// langfuseTags reads a trace's tags (a list of strings): tag=<value>.
func (p *parser) langfuseTags(raw []byte, r *record.Record) error {
	if jsonx.Kind(raw) != '[' {
		return nil
	}
	_, err := jsonx.ArrayEach(raw, func(_ int, v []byte) error {
		if !jsonx.IsString(v) || len(r.Tags) >= maxTags {
			return nil
		}
		s, err := p.str("tags[]", v)
		if err == nil && s != "" {
			r.Tags = append(r.Tags, record.Tag{Key: "tag", Value: s})
		}
		return err
	})
	return err
}

// langfuseMetadata reads string labels from metadata; LangChain's
// ls_provider names the provider.
func (p *parser) langfuseMetadata(raw []byte, r *record.Record) error {
	if jsonx.Kind(raw) != '{' {
		return nil
	}
	return jsonx.ObjectEach(raw, func(k, v []byte) error {
		if !jsonx.IsString(v) {
			return nil
		}
		switch string(k) {
		case "ls_provider", "provider", "gen_ai.system", "gen_ai.provider.name":
			var err error
			r.Provider, err = p.strKey("metadata.", k, v)
			return err
		case "ls_model_name", "ls_model_type", "ls_temperature", "langgraph_node", "langgraph_step",
			"langgraph_triggers", "langgraph_path", "langgraph_checkpoint_ns", "checkpoint_ns", "resourceAttributes", "scope":
			return nil // framework internals, not labels
		}
		val, err := p.strKey("metadata.", k, v)
		if err != nil {
			return err
		}
		key := p.intern(k)
		switch key {
		case "user_id", "userId", "user":
			if r.User == "" {
				r.User = val
			}
			return nil
		case "session_id", "sessionId":
			if r.ConversationID == "" {
				r.ConversationID = val
			}
			return nil
		case "project", "project_id", "projectId":
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
		ID:          "langfuse",
		Description: "Langfuse observations (exports, or public API pages {\"data\": […]}); generations only",
		Order:       25,
		sniff: func(s *shape) bool {
			if s.hasAny("traceId", "trace_id") && s.hasAny("usageDetails", "usage_details", "usage",
				"providedModelName", "provided_model_name", "inputUsage", "costDetails", "calculatedTotalCost", "modelParameters") {
				return true
			}
			if d := s.value("data"); s.has("meta") && jsonx.Kind(d) == '[' {
				return bytes.Contains(d, []byte(`"traceId"`))
			}
			return false
		},
	}, parseLangfuse)
}
