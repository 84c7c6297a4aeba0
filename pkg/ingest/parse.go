package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
)

// errNoRecord is returned by a parser for a well-formed line that describes
// no billable call (a stream chunk without usage, a failed batch request).
var errNoRecord = errors.New("no billable call")

// errWrongShape marks a well-formed line that belongs to another format than
// the file's; the line is then detected on its own (mixed logs).
var errWrongShape = errors.New("record of another format")

func wrongShape(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errWrongShape, fmt.Sprintf(format, args...))
}

// parser holds per-worker state: an interner so that repeated strings (model
// names, user ids) are not allocated once per record, and scratch space.
// It is not safe for concurrent use.
type parser struct {
	strs    map[string]string
	scratch []byte
	keepIDs bool
	// keepText fills Record.Request (Options.Text, see text.go).
	keepText bool
	// event and eventResp are what openaiBody saw of a Responses stream
	// event's "type" and "response" members.
	event     string
	eventResp []byte
	// sse is the state of a sequential SSE parse.
	sse sseState
	// shape is reused by detect (mixed files detect every line).
	shape *shape
	// mapping is the column mapping of the mapped format (Options.Mapping).
	mapping *Mapping
	// fileState is per-file state a sequential format may keep (a CSV
	// header); Run clears it at the start of each file.
	fileState any
	// line is the number of the line being parsed.
	line int64
}

func newParser() *parser { return &parser{strs: make(map[string]string, 256)} }

// maxInterned bounds the interner; past it, the table starts over.
const maxInterned = 1 << 16

func (p *parser) intern(b []byte) string {
	if s, ok := p.strs[string(b)]; ok {
		return s
	}
	if len(p.strs) >= maxInterned {
		clear(p.strs)
	}
	s := string(b)
	p.strs[s] = s
	return s
}

// str decodes a raw JSON string value and interns it. null gives "".
func (p *parser) str(field string, v []byte) (string, error) {
	if jsonx.IsNull(v) {
		return "", nil
	}
	b, err := jsonx.StringBytes(v, p.scratch)
	if err != nil {
		return "", fieldErr(field, err)
	}
	// b aliases v (the line, in a read buffer that goes back to the pool)
	// unless the string had escapes and was decoded: only then is it
	// scratch space to keep.
	if cap(b) > cap(p.scratch) && bytes.IndexByte(v, '\\') >= 0 {
		p.scratch = b[:0]
	}
	return p.intern(b), nil
}

// count parses a token count: a non-negative integer or null.
func count(field string, v []byte) (int64, error) {
	n, err := jsonx.Int(v)
	if err != nil {
		return 0, fieldErr(field, err)
	}
	if n < 0 {
		return 0, fmt.Errorf("%s: negative value %d", field, n)
	}
	return n, nil
}

// countKey is count for a member whose name is only known as raw bytes; the
// name is built only when there is an error to report.
func countKey(prefix string, k, v []byte) (int64, error) {
	n, err := jsonx.Int(v)
	if err == nil && n >= 0 {
		return n, nil
	}
	return count(prefix+string(k), v)
}

// strKey is str for a member known as raw bytes (see countKey).
func (p *parser) strKey(prefix string, k, v []byte) (string, error) {
	if jsonx.IsString(v) || jsonx.IsNull(v) {
		if s, err := p.str("", v); err == nil {
			return s, nil
		}
	}
	return p.str(prefix+string(k), v)
}

func fieldErr(field string, err error) error { return fmt.Errorf("%s: %w", field, err) }

// unixTime parses a Unix timestamp in seconds (or milliseconds when it is too
// large to be seconds), as a number or a numeric string.
func unixTime(field string, v []byte) (time.Time, error) {
	if jsonx.IsNull(v) {
		return time.Time{}, nil
	}
	if jsonx.IsString(v) {
		return anyTime(field, v)
	}
	if n, err := jsonx.Int(v); err == nil && n >= 0 && n < 1e11 {
		return time.Unix(n, 0).UTC(), nil // whole seconds: the common case
	}
	f, err := jsonx.Float(v)
	if err != nil {
		return time.Time{}, fieldErr(field, err)
	}
	return fromUnix(f), nil
}

func fromUnix(f float64) time.Time {
	switch {
	case f > 1e17: // nanoseconds
		return time.Unix(0, int64(f)).UTC()
	case f > 1e14: // microseconds
		return time.UnixMicro(int64(f)).UTC()
	case f > 1e11: // milliseconds
		return time.UnixMilli(int64(f)).UTC()
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC()
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// anyTime parses an RFC 3339 (or close) timestamp string, or a number.
func anyTime(field string, v []byte) (time.Time, error) {
	if jsonx.IsNull(v) {
		return time.Time{}, nil
	}
	if !jsonx.IsString(v) {
		return unixTime(field, v)
	}
	b, err := jsonx.StringBytes(v, nil)
	if err != nil {
		return time.Time{}, fieldErr(field, err)
	}
	s := string(b)
	if s == "" {
		return time.Time{}, nil
	}
	if c := s[0]; c >= '0' && c <= '9' && len(s) <= 20 {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return fromUnix(f), nil
		}
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s: unrecognised time %q", field, s)
}

// hashRaw hashes a raw JSON value (escaped form), so equal prompts hash
// equal without being decoded.
func hashRaw(v []byte) uint64 {
	if len(v) == 0 || jsonx.IsNull(v) {
		return 0
	}
	return xxhash.Sum64(v)
}
