package ingest

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
	"github.com/shopspring/decimal"
)

// Request logs exported as Parquet: a warehouse or an observability tool
// writes a table (LiteLLM_SpendLogs, Langfuse observations, Helicone
// requests, a home-grown table) with `COPY … TO … (FORMAT PARQUET)` or an
// export job. readParquet (billing_cur_parquet.go) keeps the CSV path for a
// CUR and hands every other Parquet file here: each row becomes one JSON
// object whose members are the top-level columns, in file order, and the
// lines go through the same detection and parsers as JSON Lines, so row k
// is line k and a problem is reported as file:k. A column mapping
// (mapped.go) names the columns, and reaches into struct columns with
// dotted names.
//
// Values, by Parquet type:
//
//   - integers, floats and doubles are JSON numbers (unsigned integers as
//     such; NaN and ±Inf, which JSON cannot hold, are the strings "NaN",
//     "Infinity", "-Infinity", so a count that is not a number is reported);
//     decimals are exact JSON numbers ("0.000125", never a binary float);
//   - booleans are true/false, a null is null (the member is kept);
//   - timestamps are RFC 3339 strings in UTC, whatever their unit (INT96
//     too); a timestamp not adjusted to UTC (SQL TIMESTAMP WITHOUT TIME
//     ZONE) is read as UTC, as the JSON exports of these tools write it;
//     dates are "YYYY-MM-DD", times of day "15:04:05.999999";
//   - strings are JSON strings; a string column of logical type JSON is
//     embedded as the JSON value it holds. A plain string whose text is a
//     JSON object or array ({…} or […], after leading spaces) is embedded
//     too: warehouses export JSONB and JSON columns as text (LiteLLM's
//     metadata and request_tags, Langfuse's model_parameters), and the
//     parsers then see the members, as in the tools' own JSON exports. Text
//     that only looks like JSON ("[INFO] …", "{unbalanced") stays a string,
//     and so do scalars ("42", "true"), so ids and codes keep their type.
//     Embedded JSON is compacted: a row stays one line. Enum columns are
//     never embedded; map keys always stay strings;
//   - UUIDs are canonical strings; other binary is a string when it is
//     valid UTF-8 (old writers leave strings unannotated), base64 otherwise;
//   - struct columns (groups) are nested objects; LIST columns, and
//     repeated fields, are arrays (empty when the list is empty, null when
//     the list itself is null); MAP columns are objects keyed by the key's
//     text.
//
// Row groups are read one after another, 128 rows at a time, and lines are
// handed to the parsers a chunk at a time: memory holds a batch and a few
// chunks, not the file.

// parquetRowBatch is the number of rows read at a time.
const parquetRowBatch = 128

// isCURParquet reports whether a Parquet file's top-level columns are a
// Cost and Usage Report's (the aws-cur format's own test on a CSV header).
func isCURParquet(s *parquet.Schema) bool {
	fm, err := LookupFormat("aws-cur")
	if err != nil {
		return false
	}
	var sh shape
	for _, fld := range s.Fields() {
		sh.csv = append(sh.csv, strings.ToLower(fld.Name()))
	}
	return fm.sniff(&sh)
}

// readParquetRows reads a Parquet table of request logs as JSON lines; pf
// is open on n bytes. See readFile for the other arguments.
func readParquetRows(ctx context.Context, idx int, f *fileState, pf *parquet.File, n int64, opts Options, size int, pool *sync.Pool, out chan<- chunk, seq func(*chunk)) error {
	w, err := newParquetJSON(pf)
	if err != nil {
		return err
	}
	f.stats.Bytes = n
	var progressed int64
	progress := func(b int64) {
		if opts.Progress != nil && b > 0 {
			b = min(b, n-progressed)
			progressed += b
			opts.Progress.Bytes.Add(b)
		}
	}

	var (
		bp     *[]byte // the pool's buffer behind buf
		buf    []byte
		first  = int64(1) // line (row) number of buf's first line
		lines  int64      // lines in buf
		offset int64      // of buf in the JSON stream
	)
	take := func() {
		bp = pool.Get().(*[]byte)
		buf = (*bp)[:0]
	}
	release := func() {
		if bp != nil {
			pool.Put(bp)
		}
		bp, buf = nil, nil
	}
	// flush hands buf to the parsers; false when the run was cancelled.
	flush := func() (bool, error) {
		if lines == 0 {
			return true, nil
		}
		if f.format == nil {
			switch {
			case opts.Format != nil:
				f.format = opts.Format
			default:
				fm, err := detectLines(buf)
				if err != nil && opts.Mapping != nil {
					fm, err = mappedFormat, nil
				}
				if err != nil || fm == nil {
					return false, w.undetected()
				}
				f.format = fm
			}
			f.stats.Format = f.format.ID
		}
		// buf is the pool's buffer unless appends outgrew it (a larger
		// array: pool buffers all have the same capacity).
		pooled := cap(buf) == cap(*bp)
		c := chunk{file: f, fileIdx: idx, buf: buf, pooled: pooled, firstLine: first, offset: offset}
		first += lines
		offset += int64(len(buf))
		lines = 0
		if f.format.sequential || !pooled {
			c.pooled = false
			if f.format.sequential {
				seq(&c)
			} else {
				select {
				case out <- c:
				case <-ctx.Done():
					return false, nil
				}
			}
			buf = (*bp)[:0] // bp was not handed on
			return true, nil
		}
		bp = nil // the worker returns it to the pool
		select {
		case out <- c:
		case <-ctx.Done():
			return false, nil
		}
		take()
		return true, nil
	}

	take()
	defer release()
	rows := make([]parquet.Row, parquetRowBatch)
	meta := pf.Metadata()
	for gi, rg := range pf.RowGroups() {
		rr := rg.Rows()
		for {
			if ctx.Err() != nil {
				rr.Close()
				return nil
			}
			k, rerr := rr.ReadRows(rows)
			for _, row := range rows[:k] {
				buf = w.row(buf, row)
				lines++
				if len(buf) >= size {
					ok, err := flush()
					if err != nil || !ok {
						rr.Close()
						return err
					}
				}
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				rr.Close()
				if _, err := flush(); err != nil {
					return err
				}
				return fmt.Errorf("parquet: row %d: %w", first, rerr)
			}
		}
		rr.Close()
		if gi < len(meta.RowGroups) {
			progress(meta.RowGroups[gi].TotalCompressedSize)
		}
	}
	_, err = flush()
	progress(n - progressed)
	return err
}

// pqKind is what a schema node is written as.
type pqKind uint8

const (
	pqLeaf pqKind = iota
	pqStruct
	pqList // a LIST-annotated group: an array of its repeated child's elements
	pqMap  // a MAP-annotated group: an object of its repeated child's entries
)

// pqNode is a node of the file's schema, with what writing it needs.
type pqNode struct {
	name     string
	key      []byte // the JSON member name and colon
	kind     pqKind
	optional bool
	repeated bool // written as an array of the node's own values
	def      int  // definition level at which the node is present
	rep      int  // repetition level of the node's values (when repeated)
	first    int  // the leaf columns under the node are [first, last)
	last     int  //
	children []*pqNode
	// list: elem is the repeated child; element says whether each element
	// is elem's only child (three-level lists) or elem itself (two-level).
	// map: elem is the repeated key_value group (key first, value second).
	elem       *pqNode
	threeLevel bool
	// leaves: the physical type and annotations.
	typ     format.Type
	logical format.LogicalTypeValue
	conv    deprecated.ConvertedType // -1 when absent
	scale   int32
}

// parquetJSON writes rows of one file's schema as JSON lines.
type parquetJSON struct {
	fields []*pqNode // top level
	names  []string
	leaves int
	cols   [][]parquet.Value // per leaf column, the current row's values
	pos    []int             // per leaf column, the next value to write
	big    big.Int
	tmp    []byte
}

// maxParquetDepth bounds schema nesting (a corrupt footer may claim any).
const maxParquetDepth = 64

func newParquetJSON(pf *parquet.File) (*parquetJSON, error) {
	w, err := newParquetJSONSchema(pf.Metadata().Schema)
	if err != nil {
		return nil, err
	}
	if got := len(pf.Schema().Columns()); got != w.leaves {
		return nil, fmt.Errorf("parquet: the schema has %d leaf columns, the reader %d", w.leaves, got)
	}
	return w, nil
}

// newParquetJSONSchema builds the writer from the schema as the footer
// lists it: depth first, each group followed by its children.
func newParquetJSONSchema(elems []format.SchemaElement) (*parquetJSON, error) {
	if len(elems) == 0 {
		return nil, errors.New("parquet: empty schema")
	}
	w := &parquetJSON{}
	i := 1
	var build func(depth, def, rep int) (*pqNode, error)
	build = func(depth, def, rep int) (*pqNode, error) {
		if i >= len(elems) {
			return nil, errors.New("parquet: the schema has fewer elements than it claims")
		}
		if depth > maxParquetDepth {
			return nil, errors.New("parquet: schema nested too deep")
		}
		e := &elems[i]
		i++
		n := &pqNode{name: e.Name, conv: -1}
		n.key = appendJSONText(nil, []byte(e.Name))
		n.key = append(n.key, ':')
		if rt, ok := e.RepetitionType.Get(); ok {
			switch rt {
			case format.Optional:
				n.optional = true
				def++
			case format.Repeated:
				n.repeated = true
				def++
				rep++
			}
		}
		n.def, n.rep = def, rep
		if c, ok := e.ConvertedType.Get(); ok {
			n.conv = c
		}
		n.logical = e.LogicalType.Value
		nc, group := e.NumChildren.Get()
		if !group || (nc == 0 && e.Type.Valid) {
			t, _ := e.Type.Get()
			n.kind, n.typ = pqLeaf, t
			n.scale, _ = e.Scale.Get()
			n.first, n.last = w.leaves, w.leaves+1
			w.leaves++
			return n, nil
		}
		if nc < 0 || int(nc) > len(elems)-i {
			return nil, errors.New("parquet: the schema has fewer elements than it claims")
		}
		n.kind = pqStruct
		n.first = w.leaves
		for range nc {
			c, err := build(depth+1, def, rep)
			if err != nil {
				return nil, err
			}
			n.children = append(n.children, c)
		}
		n.last = w.leaves
		n.annotate()
		return n, nil
	}
	nc, _ := elems[0].NumChildren.Get()
	if nc < 0 || int(nc) > len(elems)-1 {
		return nil, errors.New("parquet: the schema has fewer elements than it claims")
	}
	for range nc {
		c, err := build(1, 0, 0)
		if err != nil {
			return nil, err
		}
		w.fields = append(w.fields, c)
		w.names = append(w.names, c.name)
	}
	w.cols = make([][]parquet.Value, w.leaves)
	w.pos = make([]int, w.leaves)
	return w, nil
}

// annotate makes a LIST or MAP group a list or a map, following the
// Parquet format's rules for the layouts older writers used
// (LogicalTypes.md, "Backward-compatibility rules").
func (n *pqNode) annotate() {
	isList := n.conv == deprecated.List
	isMap := n.conv == deprecated.Map || n.conv == deprecated.MapKeyValue
	switch n.logical.(type) {
	case *format.ListType:
		isList = true
	case *format.MapType:
		isMap = true
	}
	if n.repeated || len(n.children) != 1 || !n.children[0].repeated {
		return
	}
	c := n.children[0]
	switch {
	case isList:
		n.kind, n.elem = pqList, c
		n.threeLevel = c.kind != pqLeaf && len(c.children) == 1 &&
			c.name != "array" && c.name != n.name+"_tuple"
	case isMap && c.kind == pqStruct && len(c.children) >= 1 && len(c.children) <= 2 && c.children[0].kind == pqLeaf && !c.children[0].repeated:
		n.kind, n.elem = pqMap, c
	}
}

// undetected is the error for a table no format recognises.
func (w *parquetJSON) undetected() error {
	cols := w.names
	if len(cols) > 8 {
		cols = append(cols[:8:8], "…")
	}
	return fmt.Errorf("cannot detect the format of a Parquet table with columns %s (pass --input-format, or map the columns in llmcost.yaml)", strings.Join(cols, ", "))
}

// row appends one row as a JSON line.
func (w *parquetJSON) row(b []byte, row parquet.Row) []byte {
	for i := range w.cols {
		w.cols[i], w.pos[i] = nil, 0
	}
	for i := 0; i < len(row); {
		c := row[i].Column()
		j := i + 1
		for j < len(row) && row[j].Column() == c {
			j++
		}
		if c >= 0 && c < len(w.cols) {
			w.cols[c] = row[i:j:j]
		}
		i = j
	}
	b = append(b, '{')
	for i, n := range w.fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, n.key...)
		b = w.field(b, n)
	}
	return append(b, '}', '\n')
}

// defAt is the definition level of the next value under n, -1 when there
// is none (no leaf, or a column shorter than its levels say).
func (w *parquetJSON) defAt(n *pqNode) int {
	if n.first >= n.last {
		return -1
	}
	c := w.cols[n.first]
	if p := w.pos[n.first]; p < len(c) {
		return c[p].DefinitionLevel()
	}
	return -1
}

// more reports whether the next value under n starts another element of
// the repeated node n.
func (w *parquetJSON) more(n *pqNode) bool {
	if n.first >= n.last {
		return false
	}
	c := w.cols[n.first]
	p := w.pos[n.first]
	return p < len(c) && c[p].RepetitionLevel() == n.rep
}

// skip passes over n where it is absent (null, or an empty list): each leaf
// column under it holds one value there.
func (w *parquetJSON) skip(n *pqNode) {
	for c := n.first; c < n.last; c++ {
		w.pos[c]++
	}
}

// field appends n's value where the row is: null when absent, an array of
// its values when n is repeated.
func (w *parquetJSON) field(b []byte, n *pqNode) []byte {
	if n.repeated {
		return w.repeated(b, n, '[', ']', func(b []byte) []byte { return w.value(b, n) })
	}
	if n.optional && w.defAt(n) < n.def {
		w.skip(n)
		return append(b, "null"...)
	}
	return w.value(b, n)
}

// repeated appends the elements of the repeated node r, each written by
// elem, between open and close.
func (w *parquetJSON) repeated(b []byte, r *pqNode, open, close byte, elem func([]byte) []byte) []byte {
	b = append(b, open)
	if w.defAt(r) < r.def {
		w.skip(r)
		return append(b, close)
	}
	for i := 0; ; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b)
		if !w.more(r) {
			break
		}
	}
	return append(b, close)
}

// value appends n's value where n is present.
func (w *parquetJSON) value(b []byte, n *pqNode) []byte {
	switch n.kind {
	case pqStruct:
		b = append(b, '{')
		for i, c := range n.children {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, c.key...)
			b = w.field(b, c)
		}
		return append(b, '}')
	case pqList:
		e := n.elem
		return w.repeated(b, e, '[', ']', func(b []byte) []byte {
			if n.threeLevel {
				return w.field(b, e.children[0])
			}
			return w.value(b, e)
		})
	case pqMap:
		kv := n.elem
		return w.repeated(b, kv, '{', '}', func(b []byte) []byte {
			k := kv.children[0]
			if k.optional && w.defAt(k) < k.def { // a null key: not JSON
				w.skip(k)
				b = append(b, `"":`...)
			} else {
				b = w.leaf(b, k, true)
				b = append(b, ':')
			}
			if len(kv.children) < 2 {
				return append(b, "null"...)
			}
			return w.field(b, kv.children[1])
		})
	}
	return w.leaf(b, n, false)
}

// leaf appends the next value of the leaf column n; asKey writes it as a
// JSON string whatever its type (a map key).
func (w *parquetJSON) leaf(b []byte, n *pqNode, asKey bool) []byte {
	c := w.cols[n.first]
	p := w.pos[n.first]
	w.pos[n.first]++
	if p >= len(c) || c[p].IsNull() {
		if asKey {
			return append(b, `""`...)
		}
		return append(b, "null"...)
	}
	if asKey {
		start := len(b)
		b = w.scalar(b, c[p], n, true)
		if len(b) > start && b[start] != '"' {
			// a number or boolean: quote it
			b = append(b, '"')
			copy(b[start+1:], b[start:len(b)-1])
			b[start] = '"'
			b = append(b, '"')
		}
		return b
	}
	return w.scalar(b, c[p], n, false)
}

// scalar appends one value of a leaf column as JSON (see the rules at the
// top of the file); text forces strings to stay strings.
func (w *parquetJSON) scalar(b []byte, v parquet.Value, n *pqNode, text bool) []byte {
	switch v.Kind() {
	case parquet.Boolean:
		return strconv.AppendBool(b, v.Boolean())
	case parquet.Int32:
		x := v.Int32()
		switch lt := n.logical.(type) {
		case *format.DateType:
			return appendDate(b, int64(x))
		case *format.DecimalType:
			return append(b, decimal.New(int64(x), -lt.Scale).String()...)
		case *format.TimeType:
			return appendTimeOfDay(b, int64(x), lt.Unit.Value)
		case *format.IntType:
			if !lt.IsSigned {
				return strconv.AppendUint(b, uint64(uint32(x)), 10)
			}
		}
		switch n.conv {
		case deprecated.Date:
			return appendDate(b, int64(x))
		case deprecated.Decimal:
			return append(b, decimal.New(int64(x), -n.scale).String()...)
		case deprecated.TimeMillis:
			return appendTimeOfDay(b, int64(x), &format.MilliSeconds{})
		case deprecated.Uint8, deprecated.Uint16, deprecated.Uint32:
			return strconv.AppendUint(b, uint64(uint32(x)), 10)
		}
		return strconv.AppendInt(b, int64(x), 10)
	case parquet.Int64:
		x := v.Int64()
		switch lt := n.logical.(type) {
		case *format.TimestampType:
			return appendTimestamp(b, x, lt.Unit.Value)
		case *format.DecimalType:
			return append(b, decimal.New(x, -lt.Scale).String()...)
		case *format.TimeType:
			return appendTimeOfDay(b, x, lt.Unit.Value)
		case *format.IntType:
			if !lt.IsSigned {
				return strconv.AppendUint(b, uint64(x), 10)
			}
		}
		switch n.conv {
		case deprecated.TimestampMillis:
			return appendTimestamp(b, x, &format.MilliSeconds{})
		case deprecated.TimestampMicros:
			return appendTimestamp(b, x, &format.MicroSeconds{})
		case deprecated.Decimal:
			return append(b, decimal.New(x, -n.scale).String()...)
		case deprecated.TimeMicros:
			return appendTimeOfDay(b, x, &format.MicroSeconds{})
		case deprecated.Uint64:
			return strconv.AppendUint(b, uint64(x), 10)
		}
		return strconv.AppendInt(b, x, 10)
	case parquet.Int96:
		// Legacy timestamps: nanoseconds of the day, then the Julian day.
		x := v.Int96()
		nanos := int64(x[1])<<32 | int64(x[0])
		days := int64(x[2]) - 2440588
		b = append(b, '"')
		b = time.Unix(days*86400, 0).Add(time.Duration(nanos)).UTC().AppendFormat(b, time.RFC3339Nano)
		return append(b, '"')
	case parquet.Float:
		return appendJSONFloat(b, float64(v.Float()), 32)
	case parquet.Double:
		return appendJSONFloat(b, v.Double(), 64)
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return w.bytes(b, v.ByteArray(), n, text)
	}
	return append(b, "null"...)
}

// bytes appends a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value.
func (w *parquetJSON) bytes(b, raw []byte, n *pqNode, text bool) []byte {
	embed := 0 // 0: never, 1: objects and arrays, 2: any JSON value
	isText := false
	switch lt := n.logical.(type) {
	case *format.DecimalType:
		return w.appendBigDecimal(b, raw, lt.Scale)
	case *format.UUIDType:
		if len(raw) == 16 {
			var u [36]byte
			hexUUID(u[:], raw)
			b = append(b, '"')
			b = append(b, u[:]...)
			return append(b, '"')
		}
	case *format.Float16Type:
		if len(raw) == 2 {
			return appendJSONFloat(b, float16(binary.LittleEndian.Uint16(raw)), 32)
		}
	case *format.StringType:
		isText, embed = true, 1
	case *format.JsonType:
		isText, embed = true, 2
	case *format.EnumType:
		isText = true
	case nil:
		switch n.conv {
		case deprecated.Decimal:
			return w.appendBigDecimal(b, raw, n.scale)
		case deprecated.UTF8:
			isText, embed = true, 1
		case deprecated.Json:
			isText, embed = true, 2
		case deprecated.Enum:
			isText = true
		case -1:
			// unannotated binary: old writers store strings so
			if n.typ == format.ByteArray && utf8.Valid(raw) {
				isText, embed = true, 1
			}
		}
	}
	if !isText {
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, raw)
		return append(b, '"')
	}
	if embed > 0 && !text {
		if out, ok := w.embedJSON(b, raw, embed == 2); ok {
			return out
		}
	}
	return appendJSONText(b, raw)
}

// embedJSON appends raw compacted when it is one JSON value (an object or
// an array unless any); ok is false, and b unchanged, otherwise.
func (w *parquetJSON) embedJSON(b, raw []byte, any bool) ([]byte, bool) {
	i := 0
	for i < len(raw) && isJSONSpace(raw[i]) {
		i++
	}
	if i == len(raw) || !any && raw[i] != '{' && raw[i] != '[' {
		return b, false
	}
	return compactJSON(b, raw)
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// maxEmbedDepth bounds the nesting of embedded JSON; deeper text stays a
// string.
const maxEmbedDepth = 512

// compactJSON appends src without insignificant whitespace when src is
// exactly one valid JSON value (RFC 8259); else ok is false and dst is
// returned as it was. It does what encoding/json's Valid and Compact do
// together, several times faster (a warehouse row may hold kilobytes of
// JSON text).
func compactJSON(dst, src []byte) (out []byte, ok bool) {
	c := jsonCompactor{src: src, dst: dst}
	c.space()
	if !c.value(0) {
		return dst, false
	}
	c.space()
	if c.i != len(src) {
		return dst, false
	}
	return c.dst, true
}

type jsonCompactor struct {
	src, dst []byte
	i        int
}

func (c *jsonCompactor) space() {
	for c.i < len(c.src) && isJSONSpace(c.src[c.i]) {
		c.i++
	}
}

func (c *jsonCompactor) value(depth int) bool {
	if c.i >= len(c.src) || depth > maxEmbedDepth {
		return false
	}
	switch ch := c.src[c.i]; {
	case ch == '{':
		c.dst = append(c.dst, '{')
		c.i++
		c.space()
		if c.i < len(c.src) && c.src[c.i] == '}' {
			c.dst = append(c.dst, '}')
			c.i++
			return true
		}
		for {
			if c.i >= len(c.src) || c.src[c.i] != '"' || !c.str() {
				return false
			}
			c.space()
			if c.i >= len(c.src) || c.src[c.i] != ':' {
				return false
			}
			c.dst = append(c.dst, ':')
			c.i++
			c.space()
			if !c.value(depth + 1) {
				return false
			}
			c.space()
			if c.i >= len(c.src) {
				return false
			}
			switch c.src[c.i] {
			case ',':
				c.dst = append(c.dst, ',')
				c.i++
				c.space()
			case '}':
				c.dst = append(c.dst, '}')
				c.i++
				return true
			default:
				return false
			}
		}
	case ch == '[':
		c.dst = append(c.dst, '[')
		c.i++
		c.space()
		if c.i < len(c.src) && c.src[c.i] == ']' {
			c.dst = append(c.dst, ']')
			c.i++
			return true
		}
		for {
			if !c.value(depth + 1) {
				return false
			}
			c.space()
			if c.i >= len(c.src) {
				return false
			}
			switch c.src[c.i] {
			case ',':
				c.dst = append(c.dst, ',')
				c.i++
				c.space()
			case ']':
				c.dst = append(c.dst, ']')
				c.i++
				return true
			default:
				return false
			}
		}
	case ch == '"':
		return c.str()
	case ch == 't':
		return c.literal("true")
	case ch == 'f':
		return c.literal("false")
	case ch == 'n':
		return c.literal("null")
	case ch == '-' || ch >= '0' && ch <= '9':
		return c.number()
	}
	return false
}

func (c *jsonCompactor) literal(lit string) bool {
	if len(c.src)-c.i < len(lit) || string(c.src[c.i:c.i+len(lit)]) != lit {
		return false
	}
	c.dst = append(c.dst, lit...)
	c.i += len(lit)
	return true
}

// str copies the string at c.i (its opening quote) as it is, checking
// its escapes and that it holds no raw control character.
func (c *jsonCompactor) str() bool {
	start := c.i
	i := c.i + 1
	for i < len(c.src) {
		ch := c.src[i]
		switch {
		case ch == '"':
			c.dst = append(c.dst, c.src[start:i+1]...)
			c.i = i + 1
			return true
		case ch < 0x20:
			return false
		case ch == '\\':
			if i+1 >= len(c.src) {
				return false
			}
			switch c.src[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(c.src) {
					return false
				}
				for _, h := range c.src[i+2 : i+6] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return false
					}
				}
				i += 6
			default:
				return false
			}
		default:
			i++
		}
	}
	return false
}

// number checks -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? and copies it.
func (c *jsonCompactor) number() bool {
	s, i := c.src, c.i
	digits := func() bool {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > j
	}
	if s[i] == '-' {
		i++
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	c.dst = append(c.dst, s[c.i:i]...)
	c.i = i
	return true
}

// appendBigDecimal appends a two's complement big-endian unscaled value.
func (w *parquetJSON) appendBigDecimal(b, raw []byte, scale int32) []byte {
	if len(raw) <= 8 {
		var x int64
		for _, c := range raw {
			x = x<<8 | int64(c)
		}
		if len(raw) > 0 && len(raw) < 8 && raw[0]&0x80 != 0 {
			x -= 1 << (8 * len(raw))
		}
		return append(b, decimal.New(x, -scale).String()...)
	}
	u := w.big.SetBytes(raw)
	if raw[0]&0x80 != 0 {
		u.Sub(u, new(big.Int).Lsh(big.NewInt(1), uint(8*len(raw))))
	}
	return append(b, decimal.NewFromBigInt(u, -scale).String()...)
}

func appendDate(b []byte, days int64) []byte {
	b = append(b, '"')
	b = time.Unix(days*86400, 0).UTC().AppendFormat(b, "2006-01-02")
	return append(b, '"')
}

// appendTimestamp appends x units since the Unix epoch as an RFC 3339
// string in UTC.
func appendTimestamp(b []byte, x int64, unit format.TimeUnitValue) []byte {
	var t time.Time
	switch unit.(type) {
	case *format.MilliSeconds:
		t = time.UnixMilli(x)
	case *format.MicroSeconds:
		t = time.UnixMicro(x)
	default:
		t = time.Unix(0, x)
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendTimeOfDay appends x units since midnight as "15:04:05.999999999".
func appendTimeOfDay(b []byte, x int64, unit format.TimeUnitValue) []byte {
	var d time.Duration
	switch unit.(type) {
	case *format.MilliSeconds:
		d = time.Duration(x) * time.Millisecond
	case *format.MicroSeconds:
		d = time.Duration(x) * time.Microsecond
	default:
		d = time.Duration(x)
	}
	b = append(b, '"')
	b = time.Unix(0, 0).Add(d).UTC().AppendFormat(b, "15:04:05.999999999")
	return append(b, '"')
}

// appendJSONFloat appends f as a JSON number, or a string for what JSON
// cannot hold.
func appendJSONFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, bits)
}

// float16 decodes an IEEE 754 half-precision number.
func float16(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac == 0 {
			return sign * math.Inf(1)
		}
		return math.NaN()
	}
	return sign * math.Ldexp(1+frac/1024, exp-15)
}

func hexUUID(dst, u []byte) {
	const hex = "0123456789abcdef"
	j := 0
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst[j] = '-'
			j++
		}
		dst[j], dst[j+1] = hex[c>>4], hex[c&15]
		j += 2
	}
}

// appendJSONText appends s as a JSON string; bytes that are not UTF-8
// become U+FFFD, as encoding/json writes them.
func appendJSONText(b, s []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
