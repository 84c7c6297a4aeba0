package ingest

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// OpenAI Usage API pages (shared/formats/openai.md §4): GET
// /v1/organization/usage/completions (and /usage/embeddings), saved as
// returned — {"object":"page","data":[bucket…],"has_more":…} — one page a
// line or pretty-printed, or the buckets alone ({"object":"bucket",
// "start_time":…,"results":[…]}, as `jq '.data[]'` writes them). Each
// result is one record: the usage of num_model_requests calls, at the
// bucket's start.
//
// Token semantics (openai.md §0): input_tokens includes the cached and the
// cache-write tokens, so uncached = input_tokens − input_cached_tokens −
// input_cache_write_tokens (input_uncached_tokens when input_tokens is
// absent); output_tokens includes reasoning. The modality splits are never
// added. A result whose dimensions were not grouped has null model,
// project, batch…: without group_by=model it cannot be priced, and is kept
// as the model noModel so that the report says so. batch=true is the batch
// tier, else service_tier. Results of other endpoints (images, audio,
// vector stores, code interpreter, moderations: no token price) are
// skipped; an empty bucket gives nothing.

// oaUsage is one usage result, from an API page or an activity export row.
type oaUsage struct {
	start                                      time.Time
	in, cached, write, uncached, out, requests int64
	hasIn, hasUncached                         bool
	model, project, user, apiKey, tier         string
	batch                                      bool
}

// record fills rec from u; errNoRecord when u counts nothing (an empty
// bucket row, a result of zeros).
func (u *oaUsage) record(rec *record.Record) error {
	if u.in|u.cached|u.write|u.uncached|u.out|u.requests == 0 {
		return errNoRecord
	}
	uncached := u.uncached
	if u.hasIn {
		uncached = u.in - u.cached - u.write
		if uncached < 0 {
			if !u.hasUncached {
				return fmt.Errorf("input_cached_tokens %d + input_cache_write_tokens %d exceed input_tokens %d", u.cached, u.write, u.in)
			}
			uncached = u.uncached // an export whose input_tokens counted text only
		}
	}
	rec.Time = u.start
	rec.Provider = "openai"
	rec.Model = u.model
	if rec.Model == "" {
		rec.Model = noModel
	}
	rec.Tier = billingTier(u.batch, u.tier)
	rec.InputTokens, rec.CacheReadTokens, rec.CacheWrite5mTokens, rec.OutputTokens = uncached, u.cached, u.write, u.out
	rec.HasUsage = true
	rec.Calls = u.requests
	rec.NoCalls = u.requests == 0
	rec.Project, rec.User = u.project, u.user
	addTag(rec, tagAPIKey, u.apiKey)
	return nil
}

func parseOpenAIUsage(p *parser, line []byte, rec *record.Record, out *emitter) error {
	err := eachDoc(line, func(d []byte, i int) (int, error) {
		return p.oaPage(d, i, rec, out, p.oaUsageResult)
	})
	return out.finish(rec, err)
}

// oaResultFunc parses one result of a bucket starting at start.
type oaResultFunc func(d []byte, i int, start time.Time, rec *record.Record, out *emitter) (int, error)

// oaPage walks an OpenAI page ({"object":"page","data":[bucket…]}) or a
// bucket, handing each result to result.
func (p *parser) oaPage(d []byte, i int, rec *record.Record, out *emitter, result oaResultFunc) (int, error) {
	var data, results = -1, -1
	var start, startISO []byte
	end, err := objectAt(d, i, func(k []byte, v int) (int, error) {
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		switch string(k) {
		case "data":
			data = v
		case "results", "result":
			results = v
		case "start_time":
			start = d[v:e]
		case "start_time_iso":
			startISO = d[v:e]
		}
		return e, nil
	})
	if err != nil {
		return 0, err
	}
	switch {
	case data >= 0:
		_, err = arrayAt(d, data, func(j int) (int, error) {
			if d[j] != '{' {
				return 0, fmt.Errorf("data: want bucket objects, got %.20s", d[j:])
			}
			return p.oaPage(d, j, rec, out, result)
		})
	case results >= 0:
		t, terr := unixTime("start_time", start)
		if terr != nil {
			return 0, terr
		}
		if t.IsZero() && startISO != nil {
			if t, terr = quickTime("start_time_iso", startISO); terr != nil {
				return 0, terr
			}
		}
		_, err = arrayAt(d, results, func(j int) (int, error) {
			if d[j] != '{' {
				return 0, fmt.Errorf("results: want objects, got %.20s", d[j:])
			}
			return result(d, j, t, rec, out)
		})
	default:
		return 0, wrongShape("no data or results")
	}
	return end, err
}

// oaUsageResult parses one organization.usage.*.result.
func (p *parser) oaUsageResult(d []byte, i int, start time.Time, rec *record.Record, out *emitter) (int, error) {
	u := oaUsage{start: start}
	skip := false
	end, err := members(d, i, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "object":
			obj := rawStr(v)
			skip = bytes.HasPrefix(obj, []byte("organization.usage.")) &&
				!bytes.Equal(obj, []byte("organization.usage.completions.result")) &&
				!bytes.Equal(obj, []byte("organization.usage.embeddings.result"))
		case "input_tokens":
			u.in, err = count("input_tokens", v)
			u.hasIn = u.hasIn || !jsonx.IsNull(v)
		case "input_cached_tokens":
			u.cached, err = count("input_cached_tokens", v)
		case "input_cache_write_tokens":
			u.write, err = count("input_cache_write_tokens", v)
		case "input_uncached_tokens":
			u.uncached, err = count("input_uncached_tokens", v)
			u.hasUncached = u.hasUncached || !jsonx.IsNull(v)
		case "output_tokens":
			u.out, err = count("output_tokens", v)
		case "num_model_requests":
			u.requests, err = count("num_model_requests", v)
		case "model":
			u.model, err = p.str("model", v)
		case "project_id":
			u.project, err = p.str("project_id", v)
		case "user_id":
			u.user, err = p.str("user_id", v)
		case "api_key_id":
			u.apiKey, err = p.str("api_key_id", v)
		case "service_tier":
			u.tier, err = p.str("service_tier", v)
		case "batch":
			u.batch, _ = jsonBool(v)
			return nil
		}
		return err
	})
	if err != nil || skip {
		return end, err
	}
	r := out.start()
	switch err := u.record(r); err {
	case nil:
		out.keep(rec)
	case errNoRecord:
	default:
		return 0, err
	}
	return end, nil
}

// oaSniffPage reports whether a shape is an OpenAI page or bucket whose
// results contain marker (or, with marker "", any page or bucket).
func oaSniffPage(s *shape, markers ...string) bool {
	var v []byte
	switch s.object {
	case "page":
		v = s.value("data")
	case "bucket":
		v = s.value("results")
		if v == nil {
			v = s.value("result")
		}
	default:
		return false
	}
	for _, m := range markers {
		if bytes.Contains(v, []byte(m)) {
			return true
		}
	}
	return false
}

func init() {
	registerMulti(&Format{
		ID:          "openai-usage",
		Description: "OpenAI Usage API pages (/v1/organization/usage/completions, embeddings): tokens per bucket, priced like logs",
		Order:       15,
		Billing:     true,
		sniff: func(s *shape) bool {
			if !oaSniffPage(s, "") {
				return false
			}
			// A page or bucket that is not a costs page: empty pages and
			// buckets too (they give nothing either way).
			return !oaSniffPage(s, `"organization.costs.result"`, `"amount"`)
		},
	}, parseOpenAIUsage)
}

// oaLineItem splits a Costs API line item ("gpt-4o-2024-08-06, input")
// into the model it names and the kind of charge; a line item naming no
// model ("input_tokens", "web search") gives chargedModel.
func oaLineItem(li string) (model, kind string) {
	m, k, ok := strings.Cut(li, ", ")
	if !ok || strings.TrimSpace(m) == "" {
		return chargedModel, li
	}
	return strings.TrimSpace(m), k
}
