package ingest

import (
	"fmt"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// OpenTelemetry GenAI spans in OTLP/JSON (shared/formats/observability.md
// §4): one ExportTraceServiceRequest per line, as the Collector's file
// exporter writes them ({"resourceSpans":[{"resource":…,"scopeSpans":[{
// "scope":…,"spans":[…]}]}]}). A line holds many spans, so it can give many
// records (multi.go). The document is walked once, whatever its depth:
// prompt and completion attributes are skipped, never decoded.
//
// Which spans are calls: those whose gen_ai.operation.name (or OpenLLMetry's
// llm.request.type) is a model call — chat, generate_content,
// text_completion, completion, embeddings — and, when no operation is
// given, spans with gen_ai.usage.* counts. Agent and tool spans
// (invoke_agent, execute_tool, …) are skipped even when they carry usage:
// they repeat their children's totals. A model-call span without usage is
// a record without usage; a failed one without usage is not billed. Spans
// are deduplicated on gen_ai.response.id, else on traceId+spanId (an
// exporter's retries, overlapping exports).
//
// Model: gen_ai.response.model, else gen_ai.request.model. Provider:
// gen_ai.provider.name, else gen_ai.system (semconv ≤ 1.36). Time:
// startTimeUnixNano. User: user.id / enduser.id (span, else resource);
// conversation: gen_ai.conversation.id / session.id; project: the
// resource's service.name; tags: gen_ai.agent.name (agent) and the
// resource's deployment.environment(.name) (environment).
//
// Token semantics: per the convention, gen_ai.usage.input_tokens includes
// cached tokens (cache_read.input_tokens and cache_creation.input_tokens
// are subsets of it) and output_tokens includes
// reasoning.output_tokens, so uncached = input − reads − writes. Some
// Anthropic instrumentations copy Anthropic's raw, uncached input_tokens
// instead; the counts are read as disjoint when reads + writes exceed
// input_tokens, or when a total (gen_ai.usage.total_tokens,
// llm.usage.total_tokens) equals input + reads + writes + output rather
// than input + output. Reasoning counted outside the output (reasoning >
// output, or a total that adds it) is added to the output. Legacy names
// are mapped: gen_ai.usage.prompt_tokens / completion_tokens,
// gen_ai.usage.cache_read_input_tokens / cache_creation_input_tokens,
// gen_ai.usage.input_tokens.cached, and the service tier from
// openai.response.service_tier (or the request's, or the gen_ai.openai.*
// spellings).

// otelResource is what a resource's attributes say about its spans.
type otelResource struct {
	project, user, env string
}

// otelSpan collects one span's attributes.
type otelSpan struct {
	op, provider, system         []byte
	reqModel, respModel, respID  []byte
	traceID, spanID              []byte
	in, out, read, write, reason int64
	total                        int64
	hasIn, hasOut, hasTotal      bool
	hasUsage                     bool
	tier, reqTier                []byte
	user, conv, agent            []byte
	failed                       bool
	start                        time.Time
}

func parseOTel(p *parser, line []byte, rec *record.Record, out *emitter) error {
	err := eachDoc(line, func(d []byte, i int) (int, error) {
		return p.otelDoc(d, i, rec, out)
	})
	return out.finish(rec, err)
}

func (p *parser) otelDoc(d []byte, i int, rec *record.Record, out *emitter) (int, error) {
	found := false
	end, err := objectAt(d, i, func(k []byte, v int) (int, error) {
		if string(k) != "resourceSpans" {
			return jsonx.SkipValue(d, v)
		}
		found = true
		return arrayAt(d, v, func(j int) (int, error) {
			if d[j] != '{' {
				return jsonx.SkipValue(d, j)
			}
			return p.otelResourceSpans(d, j, rec, out)
		})
	})
	if err != nil {
		return 0, err
	}
	if !found {
		return 0, wrongShape("no resourceSpans")
	}
	return end, nil
}

func (p *parser) otelResourceSpans(d []byte, i int, rec *record.Record, out *emitter) (int, error) {
	var res otelResource
	resSeen := false
	var later []int // scopeSpans seen before the resource
	end, err := objectAt(d, i, func(k []byte, v int) (int, error) {
		switch string(k) {
		case "resource":
			resSeen = true
			if d[v] == '{' {
				return p.otelResource(d, v, &res)
			}
		case "scopeSpans", "instrumentationLibrarySpans":
			if !resSeen {
				later = append(later, v)
				return jsonx.SkipValue(d, v)
			}
			return p.otelScopeSpans(d, v, &res, rec, out)
		}
		return jsonx.SkipValue(d, v)
	})
	if err != nil {
		return 0, err
	}
	for _, v := range later {
		if _, err := p.otelScopeSpans(d, v, &res, rec, out); err != nil {
			return 0, err
		}
	}
	return end, nil
}

func (p *parser) otelResource(d []byte, i int, res *otelResource) (int, error) {
	return objectAt(d, i, func(k []byte, v int) (int, error) {
		if string(k) != "attributes" {
			return jsonx.SkipValue(d, v)
		}
		return otelAttributes(d, v, func(key, val []byte) error {
			switch string(key) {
			case "service.name":
				res.project = p.intern(otelString(val))
			case "user.id", "enduser.id":
				res.user = p.intern(otelString(val))
			case "deployment.environment.name", "deployment.environment":
				res.env = p.intern(otelString(val))
			}
			return nil
		})
	})
}

func (p *parser) otelScopeSpans(d []byte, i int, res *otelResource, rec *record.Record, out *emitter) (int, error) {
	return arrayAt(d, i, func(j int) (int, error) {
		if d[j] != '{' {
			return jsonx.SkipValue(d, j)
		}
		return objectAt(d, j, func(k []byte, v int) (int, error) {
			if string(k) != "spans" {
				return jsonx.SkipValue(d, v)
			}
			return arrayAt(d, v, func(s int) (int, error) {
				if d[s] != '{' {
					return jsonx.SkipValue(d, s)
				}
				return p.otelSpan(d, s, res, rec, out)
			})
		})
	})
}

// otelAttributes walks an attribute list, calling fn with each attribute's
// key and raw AnyValue; both are walked once, values of no interest skipped.
func otelAttributes(d []byte, i int, fn func(key, val []byte) error) (int, error) {
	return arrayAt(d, i, func(j int) (int, error) {
		if d[j] != '{' {
			return jsonx.SkipValue(d, j)
		}
		var key, val []byte
		end, err := members(d, j, func(k, raw []byte) error {
			switch string(k) {
			case "key":
				key = rawStr(raw)
			case "value":
				val = raw
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		if key != nil && val != nil {
			if err := fn(key, val); err != nil {
				return 0, err
			}
		}
		return end, nil
	})
}

// otelAnyValue returns the member of an AnyValue ({"stringValue": …},
// {"intValue": …}, …).
func otelAnyValue(v []byte) (kind, val []byte) {
	if jsonx.Kind(v) != '{' {
		return nil, nil
	}
	_ = jsonx.ObjectEach(v, func(k, x []byte) error {
		if kind == nil {
			kind, val = k, x
		}
		return nil
	})
	return kind, val
}

// otelString returns a string attribute's raw content (escapes are not
// decoded: model names and ids have none), nil for other kinds.
func otelString(v []byte) []byte {
	kind, val := otelAnyValue(v)
	if string(kind) != "stringValue" {
		return nil
	}
	return rawStr(val)
}

// otelInt reads an int attribute: intValue as a decimal string (the OTLP
// JSON encoding of 64-bit ints) or a number, or an integral doubleValue.
func otelInt(key, v []byte) (int64, error) {
	kind, val := otelAnyValue(v)
	switch string(kind) {
	case "intValue", "doubleValue":
	case "stringValue": // some exporters stringify everything
	default:
		return 0, fmt.Errorf("%s: not an int attribute", key)
	}
	if s := rawStr(val); s != nil {
		val = s
	}
	n, err := jsonx.Int(val)
	if err != nil || n < 0 {
		if err == nil {
			err = fmt.Errorf("negative value %d", n)
		}
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	return n, nil
}

// otelBillableOps are the operations that are model calls.
func otelBillableOp(op []byte) bool {
	switch string(op) {
	case "chat", "generate_content", "text_completion", "completion", "embeddings", "embedding":
		return true
	}
	return false
}

func (p *parser) otelSpan(d []byte, i int, res *otelResource, rec *record.Record, out *emitter) (int, error) {
	var s otelSpan
	end, err := objectAt(d, i, func(k []byte, v int) (int, error) {
		switch string(k) {
		case "attributes":
			return otelAttributes(d, v, func(key, val []byte) error { return s.attr(key, val) })
		case "status":
			if d[v] == '{' {
				return members(d, v, func(k, raw []byte) error {
					if string(k) == "code" {
						s.failed = string(raw) == "2" || string(raw) == `"STATUS_CODE_ERROR"`
					}
					return nil
				})
			}
		}
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		raw := d[v:e]
		switch string(k) {
		case "traceId":
			s.traceID = rawStr(raw)
		case "spanId":
			s.spanID = rawStr(raw)
		case "startTimeUnixNano":
			if q := rawStr(raw); q != nil {
				raw = q
			}
			var ns int64
			if ns, err = jsonx.Int(raw); err != nil || ns < 0 {
				return 0, fmt.Errorf("startTimeUnixNano: invalid %q", raw)
			}
			if ns > 0 {
				s.start = time.Unix(0, ns).UTC()
			}
		}
		return e, err
	})
	if err != nil {
		return 0, err
	}
	op := s.op
	switch {
	case len(op) > 0 && !otelBillableOp(op):
		return end, nil
	case len(op) == 0 && !s.hasUsage:
		return end, nil
	case !s.hasUsage && (s.failed || len(s.reqModel)+len(s.respModel) == 0):
		return end, nil
	}
	r := out.start()
	if err := s.fill(p, r, res); err != nil {
		return 0, err
	}
	out.keep(rec)
	return end, nil
}

// attr files one span attribute.
func (s *otelSpan) attr(key, val []byte) error {
	var err error
	switch string(key) {
	case "gen_ai.operation.name", "llm.request.type":
		if len(s.op) == 0 {
			s.op = otelString(val)
		}
	case "gen_ai.provider.name":
		s.provider = otelString(val)
	case "gen_ai.system":
		s.system = otelString(val)
	case "gen_ai.request.model":
		s.reqModel = otelString(val)
	case "gen_ai.response.model":
		s.respModel = otelString(val)
	case "gen_ai.response.id":
		s.respID = otelString(val)
	case "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens":
		s.in, err = otelInt(key, val)
		s.hasIn, s.hasUsage = true, true
	case "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens":
		s.out, err = otelInt(key, val)
		s.hasOut, s.hasUsage = true, true
	case "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
		"gen_ai.usage.input_tokens.cached", "gen_ai.usage.cached_input_tokens", "gen_ai.usage.cache_read_tokens":
		s.read, err = otelInt(key, val)
	case "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens",
		"gen_ai.usage.cache_write_tokens":
		s.write, err = otelInt(key, val)
	case "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens", "gen_ai.usage.output_tokens.reasoning":
		s.reason, err = otelInt(key, val)
	case "gen_ai.usage.total_tokens", "llm.usage.total_tokens":
		s.total, err = otelInt(key, val)
		s.hasTotal = true
	case "openai.response.service_tier", "gen_ai.openai.response.service_tier":
		s.tier = otelString(val)
	case "openai.request.service_tier", "gen_ai.openai.request.service_tier":
		s.reqTier = otelString(val)
	case "gen_ai.conversation.id", "session.id":
		if len(s.conv) == 0 {
			s.conv = otelString(val)
		}
	case "user.id", "enduser.id":
		s.user = otelString(val)
	case "gen_ai.agent.name":
		s.agent = otelString(val)
	}
	return err
}

// fill sets r from the span; see the rules at the top of the file.
func (s *otelSpan) fill(p *parser, r *record.Record, res *otelResource) error {
	r.Time = s.start
	if len(s.provider) > 0 {
		r.Provider = p.intern(s.provider)
	} else if len(s.system) > 0 {
		r.Provider = p.intern(s.system)
	}
	if len(s.respModel) > 0 {
		r.Model = p.intern(s.respModel)
	} else {
		r.Model = p.intern(s.reqModel)
	}
	if k := dedupID(s.respID); k != 0 {
		r.DedupKey = k
	} else if len(s.traceID) > 0 && len(s.spanID) > 0 {
		r.DedupKey = xxhash.Sum64(s.traceID)*31 + xxhash.Sum64(s.spanID) | 1
	}
	if p.keepIDs && len(s.respID) > 0 {
		r.RequestID = p.intern(s.respID)
	}
	if t := s.tier; len(t) > 0 {
		r.Tier = record.ParseTier(p.intern(t))
	} else if len(s.reqTier) > 0 {
		r.Tier = record.ParseTier(p.intern(s.reqTier))
	}
	r.User = p.intern(s.user)
	if r.User == "" {
		r.User = res.user
	}
	r.ConversationID = p.intern(s.conv)
	r.Project = res.project
	if len(s.agent) > 0 && len(r.Tags) < maxTags {
		r.Tags = append(r.Tags, record.Tag{Key: "agent", Value: p.intern(s.agent)})
	}
	if res.env != "" && len(r.Tags) < maxTags {
		r.Tags = append(r.Tags, record.Tag{Key: "environment", Value: res.env})
	}
	if !s.hasUsage {
		return nil
	}
	cache := s.read + s.write
	disjoint := cache > s.in
	if !disjoint && s.hasTotal && cache > 0 {
		switch s.total {
		case s.in + s.out, s.in + s.out + s.reason: // the convention's inclusive counts
		case s.in + cache + s.out, s.in + cache + s.out + s.reason:
			disjoint = true
		}
	}
	in, base := s.in-cache, s.in
	if disjoint {
		in, base = s.in, s.in+cache
	}
	out := s.out
	if s.reason > s.out || s.hasTotal && s.reason > 0 && s.total == base+s.out+s.reason {
		out += s.reason // reasoning counted beside the output (Gemini's thoughts)
	}
	r.InputTokens = in
	r.CacheReadTokens = s.read
	r.CacheWrite5mTokens = s.write
	r.OutputTokens = out
	r.ReasoningTokens = s.reason
	r.HasUsage = true
	return nil
}

func init() {
	registerMulti(&Format{
		ID:          "otel",
		Description: "OpenTelemetry GenAI spans in OTLP/JSON, one export request per line (Collector file exporter)",
		Order:       20,
		sniff:       func(s *shape) bool { return s.has("resourceSpans") },
	}, parseOTel)
}
