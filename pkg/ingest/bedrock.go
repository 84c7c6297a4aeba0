package ingest

import (
	"bytes"
	"fmt"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Amazon Bedrock model invocation logs (schemaType "ModelInvocationLog",
// shared/formats/bedrock.md §1) and batch inference output (§2).
//
// Token semantics: input.inputTokenCount is the UNCACHED input;
// input.cacheReadInputTokenCount and input.cacheWriteInputTokenCount are
// separate buckets (a captured ConverseStream record: 3 + 24479 written +
// 52 output = usage.totalTokens 24534), like Anthropic's and unlike
// OpenAI's. output.outputTokenCount is all output. The top-level counts,
// which Bedrock fills for every model family and operation, are used; the
// response body is read only when they are all missing (Converse usage,
// Anthropic usage, the stream's amazon-bedrock-invocationMetrics, Titan,
// Llama and OpenAI-compatible bodies), and for the TTL split of cache
// writes (Converse usage.cacheDetails, Anthropic usage.cache_creation),
// which the top-level counts lack.
//
// The model is modelId as logged (base id, inference profile or ARN; the
// catalog resolves profiles and ARNs, and prices each geographic or global
// profile as its own model). The endpoint Region is the record's Region,
// which prices the call where the catalog has per-Region prices (B5: a
// cross-Region call is billed at its source Region's price, so
// inferenceRegion, where it ran, is not used), and is also kept as the tag
// "region". Application-inference-profile ARNs are opaque and are reported
// as unknown models.
//
// Attribution: requestMetadata is a label map (user_id, project, … become
// the user, the project and tags); without a user there, identity.arn (the
// caller) is the user. Records are deduplicated on requestId: logging to
// several destinations or re-delivered objects repeat them.
//
// Forms read: one record per line as delivered to S3 (also several records
// concatenated on a line, or a JSON array of records, when the format is
// given with --input-format since detection needs one object); CloudWatch
// Logs events whose message (or Logs Insights' @message) holds the record;
// `aws logs filter-log-events` output (events[]) and subscription messages
// (logEvents[]), which hold several. A failed call (errorCode, no counts)
// is not billed; one with counts (a stream cut after billing) is.

// bedrockUsage is what a Bedrock response body says about tokens.
type bedrockUsage struct {
	in, read, write, out int64
	w5, w1               int64
	split                bool // w5/w1 hold a TTL split of the writes
	seen                 bool // a count was found
	// OpenAI-compatible bodies (prompt_tokens includes cached tokens)
	openai         bool
	prompt, cached int64
	completion     int64
	titanOut       int64
	titanOutSeen   bool
	model          []byte // modelOutput.model (raw string content)
	errorType      bool   // an error body
}

// bedrockState collects an invocation log record's members.
type bedrockState struct {
	schema                   bool
	failed                   bool
	in, read, write, out     int64
	hasIn, hasOut, hasCounts bool
	region, identity, meta   []byte
	outBody                  []byte
	// CloudWatch wrappers
	message, events []byte
	control         bool
}

func parseBedrockInvocation(p *parser, line []byte, rec *record.Record, out *emitter) error {
	err := eachDoc(line, func(d []byte, i int) (int, error) {
		return p.bedrockDoc(d, i, rec, out, false)
	})
	return out.finish(rec, err)
}

// bedrockDoc reads the JSON object at d[i]: an invocation log record or,
// unless inner, a CloudWatch Logs wrapper around records (a log event with
// message / @message, a subscription message with logEvents, or
// filter-log-events output with events). It returns the index past it.
func (p *parser) bedrockDoc(d []byte, i int, rec *record.Record, out *emitter, inner bool) (int, error) {
	r := out.start()
	var st bedrockState
	end, err := objectAt(d, i, func(k []byte, v int) (int, error) {
		switch string(k) {
		case "input":
			if d[v] == '{' {
				return p.bedrockInput(d, v, r, &st)
			}
		case "output":
			if d[v] == '{' {
				return bedrockOutput(d, v, &st)
			}
		}
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		raw := d[v:e]
		switch string(k) {
		case "schemaType":
			st.schema = string(raw) == `"ModelInvocationLog"`
		case "timestamp":
			if jsonx.IsString(raw) {
				r.Time, err = quickTime("timestamp", raw)
			}
		case "modelId":
			r.Model, err = p.str("modelId", raw)
		case "requestId":
			r.DedupKey = dedupID(rawStr(raw))
			if p.keepIDs {
				r.RequestID, err = p.str("requestId", raw)
			}
		case "region":
			st.region = raw
		case "identity":
			st.identity = raw
		case "requestMetadata":
			st.meta = raw
		case "errorCode":
			st.failed = jsonx.IsString(raw) && len(raw) > 2
		case "message", "@message":
			st.message = raw
		case "logEvents", "events":
			st.events = raw
		case "messageType":
			st.control = string(raw) == `"CONTROL_MESSAGE"`
		}
		return e, err
	})
	if err != nil {
		return 0, err
	}
	switch {
	case st.schema:
		if err := p.bedrockFinish(r, &st); err != nil {
			return 0, err
		}
		if r.HasUsage || !st.failed {
			out.keep(rec)
		}
		return end, nil
	case inner:
		return end, nil // another kind of message in the log group
	case st.events != nil:
		_, err := jsonx.ArrayEach(st.events, func(_ int, ev []byte) error {
			var msg []byte
			if jsonx.Kind(ev) == '{' {
				_ = jsonx.ObjectEach(ev, func(k, v []byte) error {
					if string(k) == "message" || string(k) == "@message" {
						msg = v
					}
					return nil
				})
			}
			return p.bedrockMessage(msg, rec, out)
		})
		return end, err
	case st.message != nil:
		return end, p.bedrockMessage(st.message, rec, out)
	case st.control:
		return end, nil
	}
	return 0, wrongShape("no schemaType ModelInvocationLog")
}

// bedrockMessage parses a CloudWatch log event's message: the record as a
// JSON string (or, from some exporters, as an object).
func (p *parser) bedrockMessage(msg []byte, rec *record.Record, out *emitter) error {
	switch jsonx.Kind(msg) {
	case '{':
		_, err := p.bedrockDoc(msg, 0, rec, out, true)
		return err
	case '"':
	default:
		return nil
	}
	doc, bp, err := embedded("message", msg)
	if err != nil {
		return err
	}
	defer release(bp)
	if i := jsonx.SkipSpace(doc, 0); i >= len(doc) || doc[i] != '{' {
		return nil // a plain-text log line
	}
	end, err := p.bedrockDoc(doc, 0, rec, out, true)
	if err != nil {
		return fmt.Errorf("message: %w", err)
	}
	if err := trailingSpace(doc, end); err != nil {
		return fmt.Errorf("message: %w", err)
	}
	return nil
}

func (p *parser) bedrockInput(d []byte, i int, r *record.Record, st *bedrockState) (int, error) {
	return objectAt(d, i, func(k []byte, v int) (int, error) {
		if string(k) == "inputBodyJson" && d[v] == '{' {
			return p.bedrockRequest(d, v, r)
		}
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		raw := d[v:e]
		switch string(k) {
		case "inputTokenCount":
			st.in, err = count("input.inputTokenCount", raw)
			st.hasIn = true
		case "cacheReadInputTokenCount":
			st.read, err = count("input.cacheReadInputTokenCount", raw)
			st.hasCounts = true
		case "cacheWriteInputTokenCount":
			st.write, err = count("input.cacheWriteInputTokenCount", raw)
			st.hasCounts = true
		}
		return e, err
	})
}

func bedrockOutput(d []byte, i int, st *bedrockState) (int, error) {
	return objectAt(d, i, func(k []byte, v int) (int, error) {
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		raw := d[v:e]
		switch string(k) {
		case "outputTokenCount":
			st.out, err = count("output.outputTokenCount", raw)
			st.hasOut = true
		case "outputBodyJson":
			st.outBody = raw
		}
		return e, err
	})
}

// bedrockRequest reads what later scenarios use from a request body (any
// model family), without decoding prompt text: the output limit, the
// message count and a hash of the system prompt.
func (p *parser) bedrockRequest(d []byte, i int, r *record.Record) (int, error) {
	return objectAt(d, i, func(k []byte, v int) (int, error) {
		switch string(k) {
		case "messages":
			if d[v] != '[' {
				break
			}
			n := 0
			e, err := arrayAt(d, v, func(j int) (int, error) {
				e, err := jsonx.SkipValue(d, j)
				if err == nil && n == 0 && r.SystemHash == 0 {
					r.SystemHash = p.systemMessageHash(d[j:e])
				}
				n++
				return e, err
			})
			r.Messages = int32(min(n, 1<<30))
			return e, err
		case "inferenceConfig", "textGenerationConfig":
			if d[v] == '{' {
				return members(d, v, func(k, raw []byte) error {
					switch string(k) {
					case "maxTokens", "max_new_tokens", "maxTokenCount":
						if n, err := jsonx.Int(raw); err == nil && n > 0 {
							r.MaxTokens = n
						}
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
		case "system":
			r.SystemHash = hashRaw(raw)
		case "max_tokens", "max_gen_len", "max_completion_tokens", "max_tokens_to_sample":
			if n, err := jsonx.Int(raw); err == nil && n > 0 {
				r.MaxTokens = n
			}
		case "model":
			if r.Model == "" && jsonx.IsString(raw) {
				r.Model, err = p.str("model", raw)
			}
		}
		return e, err
	})
}

// bedrockFinish completes an invocation log record from its members.
func (p *parser) bedrockFinish(r *record.Record, st *bedrockState) error {
	r.Provider = "bedrock"
	if jsonx.Kind(st.meta) == '{' {
		if err := p.metadata(st.meta, r); err != nil {
			return fmt.Errorf("requestMetadata: %w", err)
		}
	}
	if r.User == "" && jsonx.Kind(st.identity) == '{' {
		err := jsonx.ObjectEach(st.identity, func(k, v []byte) error {
			var err error
			if string(k) == "arn" {
				r.User, err = p.str("identity.arn", v)
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	if s := rawStr(st.region); len(s) > 0 {
		if len(r.Tags) < maxTags {
			r.Tags = append(r.Tags, record.Tag{Key: "region", Value: p.intern(s)})
		}
		r.Region = p.region(s)
	}
	var u bedrockUsage
	counts := st.hasIn || st.hasOut || st.hasCounts
	if (!counts || st.write > 0) && len(st.outBody) > 0 {
		if _, err := p.bedrockBody(st.outBody, 0, &u); err != nil {
			return fmt.Errorf("output.outputBodyJson: %w", err)
		}
	}
	if counts {
		r.InputTokens, r.CacheReadTokens, r.OutputTokens = st.in, st.read, st.out
		r.CacheWrite5mTokens = st.write
		if u.split && u.w5+u.w1 == st.write {
			r.CacheWrite5mTokens, r.CacheWrite1hTokens = u.w5, u.w1
		}
		r.HasUsage = true
		if st.failed && r.TotalInput()+r.OutputTokens == 0 {
			r.HasUsage = false
		}
		return nil
	}
	return u.apply(r, "output.outputBodyJson.usage")
}

// apply sets r's tokens from a response body's usage, if it had any.
func (u *bedrockUsage) apply(r *record.Record, field string) error {
	if !u.seen {
		return nil
	}
	if u.openai {
		in := u.prompt - u.cached
		if in < 0 {
			return fmt.Errorf("%s: cached tokens (%d) exceed prompt tokens (%d)", field, u.cached, u.prompt)
		}
		r.InputTokens, r.CacheReadTokens, r.OutputTokens = in, u.cached, u.completion
		r.CacheWrite5mTokens = u.write
	} else {
		r.InputTokens, r.CacheReadTokens, r.OutputTokens = u.in, u.read, u.out
		if u.titanOutSeen {
			r.OutputTokens = u.titanOut
		}
		r.CacheWrite5mTokens = u.write
		if u.split && (u.write == 0 || u.w5+u.w1 == u.write) {
			r.CacheWrite5mTokens, r.CacheWrite1hTokens = u.w5, u.w1
		}
	}
	r.HasUsage = true
	return nil
}

// bedrockBody reads the token counts of a response body at d[i] (any model
// family, any operation): an object, or for streaming operations an array
// of stream events, of which later counts win.
func (p *parser) bedrockBody(d []byte, i int, u *bedrockUsage) (int, error) {
	i = jsonx.SkipSpace(d, i)
	if i < len(d) && d[i] == '[' {
		return arrayAt(d, i, func(v int) (int, error) {
			if d[v] == '{' {
				return p.bedrockBody(d, v, u)
			}
			return jsonx.SkipValue(d, v)
		})
	}
	if i >= len(d) || d[i] != '{' {
		return jsonx.SkipValue(d, i)
	}
	return objectAt(d, i, func(k []byte, v int) (int, error) {
		switch string(k) {
		case "usage", "amazon-bedrock-invocationMetrics":
			if d[v] == '{' {
				if string(k) == "usage" {
					return bedrockUsageObject(d, v, u, "usage.")
				}
				return bedrockUsageObject(d, v, u, "amazon-bedrock-invocationMetrics.")
			}
		case "message", "metadata":
			// Claude stream message_start; ConverseStream metadata event
			if d[v] == '{' {
				return p.bedrockBody(d, v, u)
			}
		case "results": // Titan
			if d[v] == '[' {
				return arrayAt(d, v, func(j int) (int, error) {
					if d[j] != '{' {
						return jsonx.SkipValue(d, j)
					}
					return members(d, j, func(k, raw []byte) error {
						if string(k) != "tokenCount" {
							return nil
						}
						n, err := count("results[].tokenCount", raw)
						u.titanOut += n
						u.titanOutSeen, u.seen = true, true
						return err
					})
				})
			}
		}
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		raw := d[v:e]
		switch string(k) {
		case "inputTextTokenCount", "prompt_token_count":
			u.in, err = countKey("", k, raw)
			u.seen = true
		case "generation_token_count":
			u.out, err = countKey("", k, raw)
			u.seen = true
		case "model":
			if s := rawStr(raw); len(s) > 0 {
				u.model = s
			}
		case "type":
			u.errorType = u.errorType || string(raw) == `"error"`
		}
		return e, err
	})
}

// bedrockUsageObject reads a usage object of any shape Bedrock bodies use:
// Converse TokenUsage (inputTokens, cacheDetails), Anthropic Messages usage
// (input_tokens, cache_creation), Nova (…TokenCount), the stream's
// amazon-bedrock-invocationMetrics, or OpenAI-compatible usage. prefix
// (a constant: concatenating would allocate) names the object in errors.
func bedrockUsageObject(d []byte, i int, u *bedrockUsage, prefix string) (int, error) {
	var details []byte
	var writes5m, writes1h int64
	var split bool
	end, err := members(d, i, func(k, raw []byte) error {
		var err error
		switch string(k) {
		case "inputTokens", "input_tokens", "inputTokenCount":
			u.in, err = countKey(prefix, k, raw)
			u.seen = true
		case "outputTokens", "output_tokens", "outputTokenCount":
			u.out, err = countKey(prefix, k, raw)
			u.completion = u.out
			u.seen = true
		case "cacheReadInputTokens", "cache_read_input_tokens", "cacheReadInputTokenCount":
			u.read, err = countKey(prefix, k, raw)
		case "cacheWriteInputTokens", "cache_creation_input_tokens", "cacheWriteInputTokenCount":
			u.write, err = countKey(prefix, k, raw)
		case "prompt_tokens":
			u.prompt, err = countKey(prefix, k, raw)
			u.openai, u.seen = true, true
		case "completion_tokens":
			u.completion, err = countKey(prefix, k, raw)
			u.seen = true
		case "prompt_tokens_details":
			details = raw
		case "cacheDetails":
			split = true
			_, err = jsonx.ArrayEach(raw, func(_ int, c []byte) error {
				var ttl []byte
				var n int64
				err := jsonx.ObjectEach(c, func(k, v []byte) error {
					var err error
					switch string(k) {
					case "ttl":
						ttl = rawStr(v)
					case "inputTokens":
						n, err = countKey("cacheDetails[].", k, v)
					}
					return err
				})
				if string(ttl) == "1h" {
					writes1h += n
				} else {
					writes5m += n
				}
				return err
			})
		case "cache_creation":
			if jsonx.Kind(raw) != '{' {
				return nil
			}
			split = true
			err = jsonx.ObjectEach(raw, func(k, v []byte) error {
				var err error
				var n int64
				switch string(k) {
				case "ephemeral_5m_input_tokens":
					n, err = countKey("cache_creation.", k, v)
					writes5m += n
				case "ephemeral_1h_input_tokens":
					n, err = countKey("cache_creation.", k, v)
					writes1h += n
				}
				return err
			})
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	if split {
		u.split, u.w5, u.w1 = true, writes5m, writes1h
	}
	if u.openai && jsonx.Kind(details) == '{' {
		err = jsonx.ObjectEach(details, func(k, v []byte) error {
			var err error
			if string(k) == "cached_tokens" {
				u.cached, err = countKey("prompt_tokens_details.", k, v)
			}
			return err
		})
	}
	return end, err
}

// parseBedrockBatch parses one line of a batch inference job's output
// (recordId, modelInput, modelOutput or error), at the batch rate. The
// lines carry no timestamp, no request id and no Bedrock model id: the
// model is modelOutput.model (Claude bodies give the Anthropic name, which
// the catalog resolves to the Bedrock model with the provider hint), else
// modelInput.model, else none — reported as unknown, never guessed. The
// job's manifest.json.out (totals) gives no record, so nothing is counted
// twice.
func parseBedrockBatch(p *parser, line []byte, rec *record.Record) error {
	var u bedrockUsage
	var hasInput, hasOutput, failed, manifest, hasID bool
	end, err := objectAt(line, 0, func(k []byte, v int) (int, error) {
		switch string(k) {
		case "modelInput":
			hasInput = true
			if line[v] == '{' {
				return p.bedrockRequest(line, v, rec)
			}
		case "modelOutput":
			hasOutput = true
			if line[v] == '{' || line[v] == '[' {
				return p.bedrockBody(line, v, &u)
			}
		}
		e, err := jsonx.SkipValue(line, v)
		if err != nil {
			return 0, err
		}
		raw := line[v:e]
		switch string(k) {
		case "recordId":
			hasID = true
			if p.keepIDs {
				rec.RequestID, err = p.strKey("", k, raw)
			}
		case "error":
			failed = !jsonx.IsNull(raw)
		case "totalRecordCount", "processedRecordCount":
			manifest = true
		}
		return e, err
	})
	if err != nil {
		return err
	}
	if err := trailingSpace(line, end); err != nil {
		return err
	}
	switch {
	case manifest && !hasID:
		return errNoRecord // job totals: the lines are the records
	case !hasID && !hasInput && !hasOutput:
		return wrongShape("no recordId")
	case failed:
		return errNoRecord
	}
	rec.Provider = "bedrock"
	rec.Tier = record.TierBatch
	if len(u.model) > 0 {
		rec.Model = p.intern(u.model)
	}
	if !hasOutput {
		return nil // an input line: a request not run yet
	}
	if u.errorType {
		return errNoRecord
	}
	return u.apply(rec, "modelOutput.usage")
}

func init() {
	registerMulti(&Format{
		ID:          "bedrock-invocation",
		Description: "Amazon Bedrock model invocation logs (schemaType ModelInvocationLog), from S3 or CloudWatch Logs",
		Order:       20,
		sniff: func(s *shape) bool {
			if s.str("schemaType") == "ModelInvocationLog" || s.str("messageType") == "CONTROL_MESSAGE" && s.has("logEvents") {
				return true
			}
			for _, k := range [...]string{"message", "@message", "logEvents", "events"} {
				if v := s.value(k); v != nil && bytes.Contains(v, []byte("ModelInvocationLog")) {
					return true
				}
			}
			return false
		},
	}, parseBedrockInvocation)
	register(&Format{
		ID:          "bedrock-batch-output",
		Description: "Amazon Bedrock batch inference output JSONL (recordId, modelInput, modelOutput); priced at the batch rate",
		Order:       20,
		parse:       parseBedrockBatch,
		sniff: func(s *shape) bool {
			return s.has("recordId") && s.hasAny("modelInput", "modelOutput", "error") ||
				s.has("totalRecordCount", "processedRecordCount")
		},
	})
}
