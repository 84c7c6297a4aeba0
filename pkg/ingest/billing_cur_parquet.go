package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
	"github.com/shopspring/decimal"
)

// Parquet CUR files (Data Exports "CUR 2.0" in Parquet, the default for
// Athena): a Parquet file is not lines, so readFile hands it here when
// the (decompressed) input starts with the magic "PAR1". Its rows are
// turned into the lines of the same report as CSV — a header of the
// top-level column names, then one line per row, map columns (product,
// resource_tags) written as JSON objects as a CSV export writes them —
// and parsed by the aws-cur format like a CSV file, so one code path
// reads both. Row k of the file is line k+1 (the header is line 1), as in
// the CSV export. Row groups are read one after another, a batch of rows
// at a time: memory holds a batch, not the file. Parquet needs random
// access to its footer, so input that is not a plain file (standard
// input, a gzip-compressed file) is first copied to a temporary file.

// parquetMagic starts (and ends) every Parquet file.
var parquetMagic = []byte("PAR1")

// isParquet reports whether input starting with head is a Parquet file.
func isParquet(head []byte) bool { return bytes.HasPrefix(head, parquetMagic) }

// readParquet reads a Parquet file whose (decompressed) content is r; path
// is the file it came from. A CUR (by its column names) is read here;
// any other table, request logs, in parquet_rows.go. See readFile for the
// other arguments.
func readParquet(ctx context.Context, idx int, f *fileState, path string, r io.Reader, opts Options, size int, pool *sync.Pool, out chan<- chunk, seq func(*chunk)) (err error) {
	defer func() {
		// A corrupt file must not stop the run: the Parquet decoder
		// panics on some malformed input.
		if v := recover(); v != nil {
			err = fmt.Errorf("parquet: malformed file (%v)", v)
		}
	}()
	fm, err := LookupFormat("aws-cur")
	if err != nil {
		return err
	}
	ra, n, cleanup, err := parquetSource(path, r)
	if err != nil {
		return err
	}
	defer cleanup()
	pf, err := parquet.OpenFile(ra, n, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	switch cur := isCURParquet(pf.Schema()); {
	case opts.Format == fm, opts.Format == nil && cur:
	case cur:
		return fmt.Errorf("a Parquet CUR is read as aws-cur, not %s", opts.Format.ID)
	default: // request logs (parquet_rows.go)
		return readParquetRows(ctx, idx, f, pf, n, opts, size, pool, out, seq)
	}
	f.format = fm
	f.stats.Format = fm.ID
	f.stats.Bytes = n
	if opts.Progress != nil {
		opts.Progress.Bytes.Add(n)
	}

	pw, err := newParquetRows(pf.Schema())
	if err != nil {
		return err
	}
	buf := pw.header(make([]byte, 0, size+4096))
	line := int64(1)
	first := line
	nl := int64(1)
	flush := func() {
		if len(buf) > 0 {
			seq(&chunk{file: f, fileIdx: idx, buf: buf, firstLine: first})
			first += nl
			buf, nl = buf[:0], 0
		}
	}
	rows := make([]parquet.Row, 128)
	for _, rg := range pf.RowGroups() {
		rr := rg.Rows()
		for {
			if ctx.Err() != nil {
				rr.Close()
				return nil
			}
			k, rerr := rr.ReadRows(rows)
			for _, row := range rows[:k] {
				buf = pw.row(buf, row)
				nl++
				if len(buf) >= size {
					flush()
				}
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				rr.Close()
				flush()
				return fmt.Errorf("parquet: row %d: %w", first+nl-1, rerr)
			}
		}
		rr.Close()
	}
	flush()
	return nil
}

// parquetSource returns random access to the Parquet bytes: the file
// itself when it is a plain Parquet file, else a temporary copy of r.
func parquetSource(path string, r io.Reader) (io.ReaderAt, int64, func(), error) {
	if path != Stdin {
		if fh, err := os.Open(path); err == nil {
			head := make([]byte, 4)
			st, serr := fh.Stat()
			if _, herr := io.ReadFull(fh, head); herr == nil && serr == nil && st.Mode().IsRegular() && isParquet(head) {
				return fh, st.Size(), func() { fh.Close() }, nil
			}
			fh.Close()
		}
	}
	tmp, err := os.CreateTemp("", "llmcost-*.parquet")
	if err != nil {
		return nil, 0, nil, fmt.Errorf("parquet: a temporary copy is needed to read compressed or piped input: %w", err)
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	w := bufio.NewWriterSize(tmp, 1<<20)
	n, err := io.Copy(w, r)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		cleanup()
		return nil, 0, nil, fmt.Errorf("parquet: copy to %s: %w", tmp.Name(), err)
	}
	return tmp, n, cleanup, nil
}

// parquetRows writes rows of a Parquet schema as delimited lines.
type parquetRows struct {
	names []string     // top-level columns
	leaf  []parquetCol // per leaf column index
	// per top-level column, for the row being written
	scalar   [][]byte
	has      []bool
	keys     [][][]byte
	vals     [][][]byte
	scratch  []byte
	mapsUsed []int
}

type parquetRole uint8

const (
	roleScalar parquetRole = iota
	roleKey
	roleValue
	roleIgnore
)

type parquetCol struct {
	top  int
	role parquetRole
	typ  parquet.Type
}

func newParquetRows(s *parquet.Schema) (*parquetRows, error) {
	w := &parquetRows{}
	tops := map[string]int{}
	for _, fld := range s.Fields() {
		tops[fld.Name()] = len(w.names)
		w.names = append(w.names, fld.Name())
	}
	for _, path := range s.Columns() {
		lc, ok := s.Lookup(path...)
		if !ok || len(path) == 0 {
			return nil, fmt.Errorf("parquet: column %v not in the schema", path)
		}
		c := parquetCol{top: tops[path[0]], typ: lc.Node.Type()}
		switch last := path[len(path)-1]; {
		case len(path) == 1:
			c.role = roleScalar
		case last == "key":
			c.role = roleKey
		case last == "value":
			c.role = roleValue
		default:
			c.role = roleIgnore // structs and lists: not part of a CUR
		}
		if lc.ColumnIndex != len(w.leaf) {
			return nil, errors.New("parquet: unexpected column order")
		}
		w.leaf = append(w.leaf, c)
	}
	n := len(w.names)
	w.scalar, w.has = make([][]byte, n), make([]bool, n)
	w.keys, w.vals = make([][][]byte, n), make([][][]byte, n)
	return w, nil
}

// header appends the header line.
func (w *parquetRows) header(b []byte) []byte {
	for i, n := range w.names {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, []byte(n))
	}
	return append(b, '\n')
}

// row appends one row as a line.
func (w *parquetRows) row(b []byte, row parquet.Row) []byte {
	for i := range w.names {
		w.scalar[i], w.has[i] = w.scalar[i][:0], false
		w.keys[i], w.vals[i] = w.keys[i][:0], w.vals[i][:0]
	}
	row.Range(func(ci int, vs []parquet.Value) bool {
		if ci >= len(w.leaf) {
			return false
		}
		c := w.leaf[ci]
		switch c.role {
		case roleScalar:
			if len(vs) > 0 && !vs[0].IsNull() {
				w.scalar[c.top] = appendParquetValue(w.scalar[c.top], vs[0], c.typ)
				w.has[c.top] = true
			}
		case roleKey, roleValue:
			for _, v := range vs {
				var t []byte
				if !v.IsNull() {
					t = appendParquetValue(nil, v, c.typ)
				}
				if c.role == roleKey {
					w.keys[c.top] = append(w.keys[c.top], t)
				} else {
					w.vals[c.top] = append(w.vals[c.top], t)
				}
			}
		}
		return true
	})
	for i := range w.names {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case w.has[i]:
			b = appendCSVField(b, w.scalar[i])
		case len(w.keys[i]) > 0:
			m := append(w.scratch[:0], '{')
			n := 0
			for j, k := range w.keys[i] {
				if k == nil {
					continue
				}
				var v []byte
				if j < len(w.vals[i]) {
					v = w.vals[i][j]
				}
				if n > 0 {
					m = append(m, ',')
				}
				m = appendJSONString(m, k)
				m = append(m, ':')
				m = appendJSONString(m, v)
				n++
			}
			m = append(m, '}')
			w.scratch = m
			b = appendCSVField(b, m)
		}
	}
	return append(b, '\n')
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b, s []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// appendCSVField appends a field, quoted when it holds a comma, a quote
// or a line break (line breaks become spaces, so a row stays one line).
func appendCSVField(b, f []byte) []byte {
	if bytes.IndexAny(f, ",\"\n\r") < 0 {
		return append(b, f...)
	}
	b = append(b, '"')
	for _, c := range f {
		switch c {
		case '"':
			b = append(b, '"', '"')
		case '\n', '\r':
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// appendParquetValue writes a value as text: timestamps in RFC 3339 (UTC),
// dates as YYYY-MM-DD, decimals exactly, doubles in their shortest form.
func appendParquetValue(b []byte, v parquet.Value, t parquet.Type) []byte {
	var lt format.LogicalTypeValue
	if l := t.LogicalType(); l != nil {
		lt = l.Value
	}
	var ct deprecated.ConvertedType = -1
	if c := t.ConvertedType(); c != nil {
		ct = *c
	}
	switch v.Kind() {
	case parquet.Boolean:
		return strconv.AppendBool(b, v.Boolean())
	case parquet.Int32:
		switch x := lt.(type) {
		case *format.DateType:
			return time.Unix(int64(v.Int32())*86400, 0).UTC().AppendFormat(b, "2006-01-02")
		case *format.DecimalType:
			return append(b, decimal.New(int64(v.Int32()), -x.Scale).String()...)
		}
		if ct == deprecated.Date {
			return time.Unix(int64(v.Int32())*86400, 0).UTC().AppendFormat(b, "2006-01-02")
		}
		return strconv.AppendInt(b, int64(v.Int32()), 10)
	case parquet.Int64:
		n := v.Int64()
		switch x := lt.(type) {
		case *format.TimestampType:
			if x.Unit.Value != nil {
				d := x.Unit.Value.Duration()
				return time.Unix(0, 0).Add(time.Duration(n)*d).UTC().AppendFormat(b, time.RFC3339Nano)
			}
		case *format.DecimalType:
			return append(b, decimal.New(n, -x.Scale).String()...)
		}
		switch ct {
		case deprecated.TimestampMillis:
			return time.UnixMilli(n).UTC().AppendFormat(b, time.RFC3339Nano)
		case deprecated.TimestampMicros:
			return time.UnixMicro(n).UTC().AppendFormat(b, time.RFC3339Nano)
		}
		return strconv.AppendInt(b, n, 10)
	case parquet.Int96:
		// Legacy timestamps: nanoseconds of the day, then the Julian day.
		x := v.Int96()
		nanos := int64(x[1])<<32 | int64(x[0])
		days := int64(x[2]) - 2440588
		return time.Unix(days*86400, nanos).UTC().AppendFormat(b, time.RFC3339Nano)
	case parquet.Float:
		return strconv.AppendFloat(b, float64(v.Float()), 'g', -1, 32)
	case parquet.Double:
		return strconv.AppendFloat(b, v.Double(), 'g', -1, 64)
	case parquet.ByteArray, parquet.FixedLenByteArray:
		raw := v.ByteArray()
		if x, ok := lt.(*format.DecimalType); ok {
			u := new(big.Int).SetBytes(raw)
			if len(raw) > 0 && raw[0]&0x80 != 0 { // two's complement
				u.Sub(u, new(big.Int).Lsh(big.NewInt(1), uint(8*len(raw))))
			}
			return append(b, decimal.NewFromBigInt(u, -x.Scale).String()...)
		}
		return append(b, raw...)
	}
	return b
}
