package ingest

import "github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"

// EachRequestMember calls fn with each top-level member of a request body
// (a JSON object, as kept in record.Record.Request): its key, unescaped
// only when it has no escapes (every API parameter name), and its raw JSON
// value. The semantic cache scenario uses it to tell requests with the same
// parameters (max_tokens, temperature, tools, response format) apart from
// the others without decoding their prompts.
func EachRequestMember(req []byte, fn func(key, value []byte)) error {
	return jsonx.ObjectEach(req, func(k, v []byte) error {
		fn(k, v)
		return nil
	})
}
