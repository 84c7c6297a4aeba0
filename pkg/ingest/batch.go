package ingest

import (
	"fmt"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// parseOpenAIBatchOutput parses one line of an OpenAI Batch API output or
// error file. Nothing in the body says "batch", so every record is tagged
// batch by source. Failed requests (error set, response null or non-2xx)
// are not billed.
func parseOpenAIBatchOutput(p *parser, line []byte, rec *record.Record) error {
	var resp, errv []byte
	err := jsonx.ObjectEach(line, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "custom_id":
			if p.keepIDs {
				rec.RequestID, err = p.str("custom_id", v)
			}
		case "response":
			resp = v
		case "error":
			errv = v
		}
		return err
	})
	if err != nil {
		return err
	}
	if len(errv) > 0 && !jsonx.IsNull(errv) {
		return errNoRecord
	}
	if jsonx.Kind(resp) != '{' {
		if len(resp) == 0 {
			return wrongShape("no response member")
		}
		return errNoRecord
	}
	var status int64
	var body []byte
	err = jsonx.ObjectEach(resp, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "status_code":
			status, err = count("response.status_code", v)
		case "body":
			body = v
		}
		return err
	})
	if err != nil {
		return err
	}
	if status != 0 && (status < 200 || status > 299) {
		return errNoRecord
	}
	if jsonx.Kind(body) != '{' {
		return fmt.Errorf("response.body: missing or not an object")
	}
	rec.Provider = "openai"
	if err := p.openaiBody(body, rec, anyObject); err != nil {
		return err
	}
	rec.Tier = record.TierBatch
	return nil
}

// parseOpenAIBatchInput parses one line of an OpenAI Batch API input file: a
// request not yet run, so the record has a model and request shape but no
// usage.
func parseOpenAIBatchInput(p *parser, line []byte, rec *record.Record) error {
	var body []byte
	err := jsonx.ObjectEach(line, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "custom_id":
			if p.keepIDs {
				rec.RequestID, err = p.str("custom_id", v)
			}
		case "body":
			body = v
		}
		return err
	})
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return wrongShape("no body member")
	}
	if jsonx.Kind(body) != '{' {
		return fmt.Errorf("body: not an object")
	}
	rec.Provider = "openai"
	if err := p.request(body, rec); err != nil {
		return err
	}
	p.keepRequest(rec, body)
	rec.Tier = record.TierBatch
	return nil
}

func init() {
	register(
		&Format{
			ID:          "openai-batch-output",
			Description: "OpenAI Batch API output or error JSONL (custom_id, response.body); priced at the batch rate",
			Order:       10,
			parse:       parseOpenAIBatchOutput,
			sniff:       func(s *shape) bool { return s.has("custom_id", "response") },
		},
		&Format{
			ID:          "openai-batch-input",
			Description: "OpenAI Batch API input JSONL (custom_id, method, url, body); requests without usage",
			Order:       10,
			parse:       parseOpenAIBatchInput,
			sniff:       func(s *shape) bool { return s.has("custom_id", "body") && s.hasAny("url", "method") },
		},
	)
}
