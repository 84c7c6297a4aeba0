package ingest

import (
	"bytes"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Formats whose lines can describe several calls: an OTLP export request
// holds many spans, a CloudWatch Logs subscription message many log events,
// an API page many observations. Such a format registers a multiFunc with
// registerMulti. The multiFunc fills one record per call it finds: the last
// one is left in rec and returned like any parser's record (so a line with
// one call costs nothing extra), the ones before it are handed to the sink
// through the emitter as the next one is accepted.
//
// The contract of a multiFunc, for each call in the line:
//
//	r := out.start()   // a cleared record
//	… fill r …
//	out.keep(rec)      // when r is a call to count (skip it otherwise)
//
// and at the end `return out.finish(rec, err)`: nil when rec holds a record,
// errNoRecord when the line held no call, err (a malformed or foreign line)
// otherwise. Records kept before an error are counted; the line is reported
// as malformed all the same.
type multiFunc func(p *parser, line []byte, rec *record.Record, out *emitter) error

type multiFormat struct {
	f     *Format
	multi multiFunc
}

// multiFormats is written by init functions only. It is a list beside the
// registry rather than a field of Format so that format.go stays as it is;
// looking a format up costs parseChunk a few pointer compares a line.
var multiFormats []multiFormat

// registerMulti registers a format whose lines can hold several records.
// Its parse function (for callers that want one record) keeps the last one.
func registerMulti(f *Format, m multiFunc) {
	f.parse = func(p *parser, line []byte, rec *record.Record) error {
		var e emitter
		return m(p, line, rec, &e)
	}
	multiFormats = append(multiFormats, multiFormat{f, m})
	register(f)
}

// multiOf returns the multiFunc of f, nil for a one-record-a-line format.
func multiOf(f *Format) multiFunc {
	for i := range multiFormats {
		if multiFormats[i].f == f {
			return multiFormats[i].multi
		}
	}
	return nil
}

// emitter hands the records of a line but the last to the sink, with the
// same dedup and location rules parseChunk applies to the last one. It is
// owned by one parseChunk call.
type emitter struct {
	file                string
	fileIdx             int
	sink                Sink // nil: records before the last are dropped
	seen                *dedupSet
	line, off           int64
	records, duplicates int64
	held                bool          // rec holds a kept record
	next                record.Record // the record being filled
}

// start returns a cleared record to fill with the next call of the line.
func (e *emitter) start() *record.Record {
	e.next.Reset()
	return &e.next
}

// keep accepts the record filled since start: the record kept before it,
// if any, goes to the sink, and rec now holds the new one. Each of the two
// records keeps its own Tags array, so nothing is allocated per call.
func (e *emitter) keep(rec *record.Record) {
	if e.held {
		e.emit(rec)
	}
	*rec, e.next = e.next, *rec
	e.held = true
}

// finish ends a line; see multiFunc.
func (e *emitter) finish(rec *record.Record, err error) error {
	held := e.held
	e.held = false
	switch {
	case err != nil:
		if held {
			e.emit(rec)
		}
		return err
	case held:
		return nil
	}
	return errNoRecord
}

func (e *emitter) emit(rec *record.Record) {
	if e.sink == nil {
		return
	}
	if rec.DedupKey != 0 {
		switch isNew, owns := e.seen.add(rec.DedupKey, e.fileIdx); {
		case owns:
			e.records++ // counted already, by a later file's worker
			return
		case !isNew:
			e.duplicates++
			return
		}
	}
	e.records++
	rec.Loc = record.Loc{File: e.file, Line: e.line, Offset: e.off}
	e.sink.Add(rec)
}

// multiState is parseChunk's view of the emitter: made on the first line of
// a multi-record format, so that other formats pay nothing.
type multiState struct {
	file    string
	fileIdx int
	sink    Sink
	seen    *dedupSet
	e       *emitter
}

// parse parses line l (line number ln at byte offset off) as format fm.
func (m *multiState) parse(p *parser, fm *Format, l []byte, rec *record.Record, ln, off int64) error {
	mf := multiOf(fm)
	if mf == nil {
		return fm.parse(p, l, rec)
	}
	if m.e == nil {
		m.e = &emitter{file: m.file, fileIdx: m.fileIdx, sink: m.sink, seen: m.seen}
	}
	m.e.line, m.e.off, m.e.held = ln, off, false
	return mf(p, l, rec, m.e)
}

// counts returns the records and duplicates emitted before each line's last.
func (m *multiState) counts() (records, duplicates int64) {
	if m.e == nil {
		return 0, 0
	}
	return m.e.records, m.e.duplicates
}

// dedupID makes a DedupKey from a call id as the log spells it (raw JSON
// string content, escapes not decoded). Ids shorter than minDedupID give 0,
// no dedup: a short id ("chatcmpl-394", "obs-1") is not unique enough to
// drop a call for (UUIDs, "chatcmpl-" + 29 characters and "msg_01…" are
// all longer).
func dedupID(id []byte) uint64 {
	if len(id) < minDedupID {
		return 0
	}
	if k := xxhash.Sum64(id); k != 0 {
		return k
	}
	return 1
}

const minDedupID = 16

// rawStr returns the content of a raw JSON string value without decoding
// escapes (ids and enum words never have them), nil when v is not a string.
func rawStr(v []byte) []byte {
	if !jsonx.IsString(v) {
		return nil
	}
	return v[1 : len(v)-1]
}

// docBufs holds buffers for JSON documents embedded in a string (a
// CloudWatch log event's message, LiteLLM's metadata column), decoded once
// per line without allocating.
var docBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// embedded decodes a JSON string value that holds a JSON document. It
// returns the document and the buffer to give back with release (nil when
// the string had no escapes and the document aliases v).
func embedded(field string, v []byte) ([]byte, *[]byte, error) {
	s := rawStr(v)
	if s == nil {
		_, err := jsonx.StringBytes(v, nil)
		return nil, nil, fieldErr(field, err)
	}
	if !hasEscape(s) {
		return s, nil, nil
	}
	bp := docBufs.Get().(*[]byte)
	doc, err := jsonx.StringBytes(v, (*bp)[:0])
	if err != nil {
		docBufs.Put(bp)
		return nil, nil, fieldErr(field, err)
	}
	*bp = doc[:0]
	return doc, bp, nil
}

func release(bp *[]byte) {
	if bp != nil && cap(*bp) <= 16<<20 { // do not pin huge buffers
		docBufs.Put(bp)
	}
}

func hasEscape(s []byte) bool { return bytes.IndexByte(s, '\\') >= 0 }

// objectAt walks the JSON object that starts at d[i] (after whitespace) in
// one pass and returns the index just past it. For each member, fn gets the
// raw key and the index where its value starts, and returns the index just
// past the value: it descends into the value (objectAt, arrayAt) or skips
// it (jsonx.SkipValue). Unlike jsonx.ObjectEach, a member's value is not
// skipped before fn sees it, so deeply nested documents (OTLP) are read
// once instead of once per level, and what follows the object is left to
// the caller (objects written one after the other on a line).
func objectAt(d []byte, i int, fn func(key []byte, v int) (int, error)) (int, error) {
	i = jsonx.SkipSpace(d, i)
	if i >= len(d) || d[i] != '{' {
		if i >= len(d) {
			return 0, &jsonx.SyntaxError{Offset: i, Msg: "unexpected end of input"}
		}
		return 0, jsonx.ErrNotObject
	}
	i = jsonx.SkipSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(d) || d[i] != '"' {
			return 0, &jsonx.SyntaxError{Offset: i, Msg: "expected object key"}
		}
		ke, err := jsonx.SkipValue(d, i)
		if err != nil {
			return 0, err
		}
		key := d[i+1 : ke-1]
		i = jsonx.SkipSpace(d, ke)
		if i >= len(d) || d[i] != ':' {
			return 0, &jsonx.SyntaxError{Offset: i, Msg: "expected ':' after object key"}
		}
		vs := jsonx.SkipSpace(d, i+1)
		if vs >= len(d) {
			return 0, &jsonx.SyntaxError{Offset: vs, Msg: "unexpected end of input"}
		}
		ve, err := fn(key, vs)
		if err != nil {
			return 0, err
		}
		i = jsonx.SkipSpace(d, ve)
		if i >= len(d) {
			return 0, &jsonx.SyntaxError{Offset: i, Msg: "unexpected end of object"}
		}
		switch d[i] {
		case ',':
			i = jsonx.SkipSpace(d, i+1)
		case '}':
			return i + 1, nil
		default:
			return 0, &jsonx.SyntaxError{Offset: i, Msg: "expected ',' or '}'"}
		}
	}
}

// arrayAt is objectAt for an array; null counts as an empty array.
func arrayAt(d []byte, i int, fn func(v int) (int, error)) (int, error) {
	i = jsonx.SkipSpace(d, i)
	if len(d)-i >= 4 && string(d[i:i+4]) == "null" {
		return i + 4, nil
	}
	if i >= len(d) || d[i] != '[' {
		return 0, &jsonx.SyntaxError{Offset: i, Msg: "expected array"}
	}
	i = jsonx.SkipSpace(d, i+1)
	if i < len(d) && d[i] == ']' {
		return i + 1, nil
	}
	for {
		if i >= len(d) {
			return 0, &jsonx.SyntaxError{Offset: i, Msg: "unexpected end of array"}
		}
		ve, err := fn(i)
		if err != nil {
			return 0, err
		}
		i = jsonx.SkipSpace(d, ve)
		if i >= len(d) {
			return 0, &jsonx.SyntaxError{Offset: i, Msg: "unexpected end of array"}
		}
		switch d[i] {
		case ',':
			i = jsonx.SkipSpace(d, i+1)
		case ']':
			return i + 1, nil
		default:
			return 0, &jsonx.SyntaxError{Offset: i, Msg: "expected ',' or ']'"}
		}
	}
}

// members walks the object at d[i] like jsonx.ObjectEach (fn gets raw
// values) and returns the index just past it.
func members(d []byte, i int, fn func(key, val []byte) error) (int, error) {
	return objectAt(d, i, func(k []byte, v int) (int, error) {
		e, err := jsonx.SkipValue(d, v)
		if err != nil {
			return 0, err
		}
		return e, fn(k, d[v:e])
	})
}

// eachDoc calls fn(d, i) for every top-level JSON value of line, where i is
// the value's start and fn returns the index just past it: one object (the
// usual case, walked once), the elements of a top-level array, or several
// objects written one after the other on one line.
func eachDoc(line []byte, fn func(d []byte, i int) (int, error)) error {
	i := jsonx.SkipSpace(line, 0)
	if i >= len(line) {
		return &jsonx.SyntaxError{Offset: i, Msg: "empty input"}
	}
	if line[i] == '[' {
		end, err := arrayAt(line, i, func(v int) (int, error) { return fn(line, v) })
		if err != nil {
			return err
		}
		return trailingSpace(line, end)
	}
	for i < len(line) {
		end, err := fn(line, i)
		if err != nil {
			return err
		}
		i = jsonx.SkipSpace(line, end)
	}
	return nil
}

func trailingSpace(d []byte, i int) error {
	if i = jsonx.SkipSpace(d, i); i != len(d) {
		return &jsonx.SyntaxError{Offset: i, Msg: "unexpected data after value"}
	}
	return nil
}

// quickTime is anyTime without its allocations for the shapes these logs
// use: RFC 3339 ("2026-04-19T13:28:51Z", with a fraction or an offset),
// the same with a space and no zone ("2025-01-24 09:20:46.847371", UTC,
// as LiteLLM and ClickHouse exports write), and Unix seconds as a number.
// Anything else goes to anyTime.
func quickTime(field string, v []byte) (time.Time, error) {
	if c := jsonx.Kind(v); c >= '0' && c <= '9' {
		if f, err := jsonx.Float(v); err == nil {
			return fromUnix(f), nil
		}
	}
	s := rawStr(v)
	if t, ok := parseTimestamp(s); ok {
		return t, nil
	}
	return anyTime(field, v)
}

func parseTimestamp(s []byte) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(b []byte) int {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(s[0:4]), num(s[5:7]), num(s[8:10])
	hour, minute, sec := num(s[11:13]), num(s[14:16]), num(s[17:19])
	if year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 60 {
		return time.Time{}, false
	}
	rest := s[19:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		scale := 100_000_000
		for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
			nsec += int(rest[i]-'0') * scale
			scale /= 10
		}
		if i == 1 || i > 10 {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case len(rest) == 0, len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, m := num(rest[1:3]), num(rest[4:6])
		if h < 0 || h > 23 || m < 0 || m > 59 {
			return time.Time{}, false
		}
		offset = h*3600 + m*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // 2026-02-30
		return time.Time{}, false
	}
	return t.Add(-time.Duration(offset) * time.Second), true
}
