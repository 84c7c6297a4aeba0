package ingest

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Anthropic Usage & Cost Admin API pages (shared/formats/anthropic.md §3,
// §4): GET /v1/organizations/usage_report/messages and
// /v1/organizations/cost_report, saved as returned ({"data":[bucket…],
// "has_more":…,"next_page":…}, one page a line or pretty-printed), or the
// buckets alone ({"starting_at":…,"ending_at":…,"results":[…]}). Each
// result is one record at its bucket's start.
//
// Usage report: the buckets are disjoint as in the Messages API —
// uncached_input_tokens, cache_read_input_tokens, cache_creation's
// ephemeral_5m/1h_input_tokens (the flattened cache_creation_5m/1h_input_
// tokens some clients write are read too), output_tokens (thinking
// included). The report counts no requests: its records stand for no call
// count (NoCalls). service_tier selects the tier, inference_geo the
// geography uplift; workspace_id is the project, account_id (or
// service_account_id) the user, api_key_id a tag. server_tool_use (web
// searches) is not priced. A result without a model (not grouped by
// model) is the model noModel.
//
// Cost report: amount is a decimal string in cents ("123.78912" is
// $1.2378912), converted exactly — the classic 100× bug is dividing it
// twice, or not at all. Each result is a charge-only record; its
// description (or cost_type/token_type) is the line_item tag, model and
// service_tier as grouped (chargedModel when not grouped by description).
// Only USD is summed.

type anUsage struct {
	in, read, w5, w1, out int64
	hasFlat5, hasFlat1    bool
	flat5, flat1          int64
}

func parseAnthropicUsage(p *parser, line []byte, rec *record.Record, out *emitter) error {
	err := eachDoc(line, func(d []byte, i int) (int, error) {
		return p.anPage(d, i, rec, out, p.anUsageResult)
	})
	return out.finish(rec, err)
}

func parseAnthropicCost(p *parser, line []byte, rec *record.Record, out *emitter) error {
	err := eachDoc(line, func(d []byte, i int) (int, error) {
		return p.anPage(d, i, rec, out, p.anCostResult)
	})
	return out.finish(rec, err)
}

// anPage walks a page ({"data":[bucket…]}) or a bucket, handing each
// result to result with the bucket's start.
func (p *parser) anPage(d []byte, i int, rec *record.Record, out *emitter, result oaResultFunc) (int, error) {
	data, results := -1, -1
	var start []byte
	end, err := objectAt(d, i, func(k []byte, v int) (int, error) {
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		switch string(k) {
		case "data":
			data = v
		case "results":
			results = v
		case "starting_at":
			start = d[v:e]
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
			return p.anPage(d, j, rec, out, result)
		})
	case results >= 0:
		var t time.Time
		if start != nil {
			if t, err = quickTime("starting_at", start); err != nil {
				return 0, err
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

// anDims reads the dimension members both reports share; ok is false for
// other members.
func (p *parser) anDims(k, v []byte, r *record.Record) (ok bool, err error) {
	var s string
	switch string(k) {
	case "model":
		r.Model, err = p.str("model", v)
	case "service_tier":
		s, err = p.str("service_tier", v)
		r.Tier = billingTier(false, s)
	case "inference_geo":
		r.Geo, err = p.str("inference_geo", v)
	case "workspace_id":
		r.Project, err = p.str("workspace_id", v)
	case "context_window":
		s, err = p.str("context_window", v)
		switch s {
		case "200k-1M":
			r.LongContext = 1
		case "0-200k":
			r.LongContext = -1
		}
	default:
		return false, nil
	}
	return true, err
}

func (p *parser) anUsageResult(d []byte, i int, start time.Time, rec *record.Record, out *emitter) (int, error) {
	r := out.start()
	var u anUsage
	var account, service, apiKey string
	end, err := members(d, i, func(k, v []byte) error {
		if ok, err := p.anDims(k, v, r); ok {
			return err
		}
		var err error
		switch string(k) {
		case "uncached_input_tokens":
			u.in, err = count("uncached_input_tokens", v)
		case "cache_read_input_tokens":
			u.read, err = count("cache_read_input_tokens", v)
		case "output_tokens":
			u.out, err = count("output_tokens", v)
		case "cache_creation":
			if jsonx.IsNull(v) {
				return nil
			}
			return jsonx.ObjectEach(v, func(k, v []byte) error {
				var err error
				switch string(k) {
				case "ephemeral_5m_input_tokens":
					u.w5, err = count("cache_creation.ephemeral_5m_input_tokens", v)
				case "ephemeral_1h_input_tokens":
					u.w1, err = count("cache_creation.ephemeral_1h_input_tokens", v)
				}
				return err
			})
		case "cache_creation_5m_input_tokens":
			u.flat5, err = count("cache_creation_5m_input_tokens", v)
			u.hasFlat5 = true
		case "cache_creation_1h_input_tokens":
			u.flat1, err = count("cache_creation_1h_input_tokens", v)
			u.hasFlat1 = true
		case "account_id":
			account, err = p.str("account_id", v)
		case "service_account_id":
			service, err = p.str("service_account_id", v)
		case "api_key_id":
			apiKey, err = p.str("api_key_id", v)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	if u.w5 == 0 && u.w1 == 0 && (u.hasFlat5 || u.hasFlat1) {
		u.w5, u.w1 = u.flat5, u.flat1
	}
	if u.in|u.read|u.w5|u.w1|u.out == 0 {
		return end, nil // an empty result
	}
	r.Time = start
	r.Provider = "anthropic"
	if r.Model == "" {
		r.Model = noModel
	}
	r.InputTokens, r.CacheReadTokens, r.CacheWrite5mTokens, r.CacheWrite1hTokens, r.OutputTokens = u.in, u.read, u.w5, u.w1, u.out
	r.HasUsage, r.NoCalls = true, true
	r.User = account
	if r.User == "" {
		r.User = service
	}
	addTag(r, tagAPIKey, apiKey)
	out.keep(rec)
	return end, nil
}

func (p *parser) anCostResult(d []byte, i int, start time.Time, rec *record.Record, out *emitter) (int, error) {
	r := out.start()
	var currency, costType, tokenType, desc string
	hasAmount := false
	end, err := members(d, i, func(k, v []byte) error {
		if ok, err := p.anDims(k, v, r); ok {
			return err
		}
		var err error
		switch string(k) {
		case "amount":
			if jsonx.IsNull(v) {
				return nil
			}
			// Cents, as a decimal string: shift 2.
			r.ChargedNanoUSD, err = jsonAmount("amount", v, 2)
			hasAmount = err == nil
		case "currency":
			currency, err = p.str("currency", v)
		case "cost_type":
			costType, err = p.str("cost_type", v)
		case "token_type":
			tokenType, err = p.str("token_type", v)
		case "description":
			desc, err = p.str("description", v)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	if !hasAmount {
		return end, nil
	}
	if currency != "" && !strings.EqualFold(currency, "usd") {
		return 0, fmt.Errorf("amount in %s: only USD amounts are summed", currency)
	}
	r.Time = start
	r.Provider = "anthropic"
	if r.Model == "" {
		r.Model = chargedModel
	}
	r.NoCalls, r.HasCharged = true, true
	li := desc
	if li == "" {
		switch {
		case costType != "" && tokenType != "":
			li = costType + ": " + tokenType
		default:
			li = costType + tokenType
		}
	}
	addTag(r, tagLineItem, li)
	out.keep(rec)
	return end, nil
}

// anSniff reports whether a shape is an Anthropic report page or bucket,
// and whether it is a cost report.
func anSniff(s *shape) (page, cost bool) {
	var v []byte
	switch {
	case s.object != "" || s.typ != "":
		return false, false
	case s.has("data") && s.hasAny("has_more", "next_page"):
		v = s.value("data")
		if !bytes.Contains(v, []byte(`"starting_at"`)) && !bytes.Equal(bytes.TrimSpace(v), []byte("[]")) {
			return false, false
		}
	case s.has("starting_at", "results"):
		v = s.value("results")
	default:
		return false, false
	}
	cost = bytes.Contains(v, []byte(`"amount"`)) || bytes.Contains(v, []byte(`"cost_type"`))
	return true, cost
}

func init() {
	registerMulti(&Format{
		ID:          "anthropic-usage",
		Description: "Anthropic Admin API usage report pages (/v1/organizations/usage_report/messages): tokens per bucket, priced like logs",
		Order:       15,
		Billing:     true,
		sniff: func(s *shape) bool {
			page, cost := anSniff(s)
			return page && !cost
		},
	}, parseAnthropicUsage)
	registerMulti(&Format{
		ID:          "anthropic-cost",
		Description: "Anthropic Admin API cost report pages (/v1/organizations/cost_report): money charged, amounts in cents",
		Order:       15,
		Billing:     true,
		sniff: func(s *shape) bool {
			page, cost := anSniff(s)
			return page && cost
		},
	}, parseAnthropicCost)
}
