package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/llmcost/llmcost/pkg/record"
)

// Delimited billing exports (the OpenAI dashboard's CSV, AWS CUR CSV):
// the framing they share. The header (the file's first line) is read on
// the sequential parser and kept in its per-file slot; the rows that
// follow are parsed on the workers, in chunks cut between rows
// (csvsplit.go), each worker with a state made from that header. Columns are mapped by name, lower-
// cased: unknown columns are ignored, missing ones read as empty. The
// delimiter is sniffed from the header (comma, tab or semicolon: a
// spreadsheet hands exports on tab-separated). Quoting follows RFC 4180: a
// quoted field may hold the delimiter, doubled quotes, and newlines — a row
// whose quote is still open at the end of a line is buffered until the
// quote closes (at most maxPendingLines lines, maxPendingBytes bytes), and
// counted as one line located where it starts.

// csvFile is the per-file state of a delimited export (parser.fileState).
type csvFile struct {
	delim byte
	// names are the header's column names, lower-cased and trimmed.
	names []string
	// cols is the format's column map, built once from the header (by
	// each worker: its caches are not shared).
	cols any
	// head is the header a worker's state was made from (csvsplit.go).
	head *csvHead
	// fields and buf are reused for every row.
	fields [][]byte
	buf    []byte
	// pending holds a row whose quoted field continues on the next line;
	// open says whether it does.
	pending      []byte
	open         bool
	pendingLine  int64
	pendingLines int
	// numBuf holds a numeric cell rewritten by num.
	numBuf []byte
}

const (
	maxPendingLines = 1000
	maxPendingBytes = 1 << 20
)

var errOpenQuote = errors.New("quoted field not closed")

var utf8BOM = []byte("\xef\xbb\xbf")

// csvRow frames one line of a delimited export. The first line of a file
// is the header: mapCols builds the format's column map from its names,
// and csvRow returns errIgnore (the header is not a record). A line that
// leaves a quote open returns errIgnore until the row is complete. For a
// complete row it returns the file state and the row's fields (valid until
// the next call), with rec.Loc.Line set when the row began on an earlier
// line. A header repeated further down (exports concatenated with cat) is
// skipped.
func (p *parser) csvRow(line []byte, rec *record.Record, mapCols func(names []string) any) (*csvFile, [][]byte, error) {
	st, _ := p.fileState.(*csvFile)
	if st == nil || st.names == nil {
		line = bytes.TrimPrefix(bytes.TrimLeft(line, " \t"), utf8BOM)
		if len(line) <= 6 && len(line) >= 5 && bytes.EqualFold(line[:4], []byte("sep=")) {
			// Excel's delimiter line ("sep=;") before the header.
			p.fileState = &csvFile{delim: line[4]}
			return nil, nil, errIgnore
		}
		delim := SniffDelimiter(line)
		if st != nil {
			delim = st.delim
		}
		fields, _, err := splitRow(line, delim, nil, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("header: %w", err)
		}
		st = &csvFile{delim: delim, names: []string{}}
		for _, f := range fields {
			st.names = append(st.names, strings.ToLower(strings.Trim(strings.TrimSpace(string(f)), `"`)))
		}
		st.cols = mapCols(st.names)
		p.fileState = st
		return st, nil, errIgnore
	}
	if st.cols == nil { // a worker's state, made from the file's header
		st.cols = mapCols(st.names)
	}
	row, start := line, int64(0)
	if st.open {
		st.pending = append(st.pending, '\n')
		st.pending = append(st.pending, line...)
		row, start = st.pending, st.pendingLine
	}
	fields, buf, err := splitRow(row, st.delim, st.fields[:0], st.buf)
	st.fields, st.buf = fields, buf
	if errors.Is(err, errOpenQuote) {
		if !st.open {
			st.pending = append(st.pending[:0], line...)
			st.open, st.pendingLine, st.pendingLines = true, p.line, 1
			return st, nil, errIgnore
		}
		st.pendingLines++
		if st.pendingLines > maxPendingLines || len(st.pending) > maxPendingBytes {
			st.open = false
			return st, nil, fmt.Errorf("quoted field opened on line %d not closed after %d lines", st.pendingLine, st.pendingLines)
		}
		return st, nil, errIgnore
	}
	st.open = false
	if start > 0 && rec != nil {
		rec.Loc.Line = start
	}
	if isHeaderRow(fields, st.names) {
		return st, nil, errIgnore
	}
	return st, fields, nil
}

// isHeaderRow reports whether a row repeats the header's names.
func isHeaderRow(fields [][]byte, names []string) bool {
	if len(fields) != len(names) || len(names) == 0 {
		return false
	}
	for i, f := range fields {
		if !strings.EqualFold(strings.TrimSpace(string(f)), names[i]) {
			return false
		}
	}
	return true
}

// splitRow splits a row into fields, undoing RFC 4180 quoting. Unquoted
// fields alias line; quoted ones are unescaped into buf, which is sized so
// that it never grows while fields point into it. It returns errOpenQuote
// when a quoted field runs past the end of line. Text after a closing
// quote, before the delimiter, is kept (lenient, like spreadsheets).
func splitRow(line []byte, delim byte, fields [][]byte, buf []byte) ([][]byte, []byte, error) {
	if cap(buf) < len(line) {
		buf = make([]byte, 0, len(line)+64)
	}
	buf = buf[:0]
	i := 0
	for {
		j := i
		for j < len(line) && line[j] == ' ' {
			j++
		}
		if j < len(line) && line[j] == '"' {
			start := len(buf)
			k := j + 1
			closed := false
			for k < len(line) {
				c := line[k]
				if c == '"' {
					if k+1 < len(line) && line[k+1] == '"' {
						buf = append(buf, '"')
						k += 2
						continue
					}
					closed = true
					k++
					break
				}
				buf = append(buf, c)
				k++
			}
			if !closed {
				return fields, buf, errOpenQuote
			}
			for k < len(line) && line[k] != delim {
				buf = append(buf, line[k])
				k++
			}
			fields = append(fields, buf[start:len(buf):len(buf)])
			i = k
		} else {
			k := bytes.IndexByte(line[i:], delim)
			if k < 0 {
				return append(fields, line[i:]), buf, nil
			}
			fields = append(fields, line[i:i+k])
			i += k
		}
		if i >= len(line) {
			return fields, buf, nil
		}
		i++ // the delimiter
		if i == len(line) {
			return append(fields, line[i:]), buf, nil
		}
	}
}

// num returns a numeric cell as Go parses it: a spreadsheet writes
// thousands separators ("1,234.5", "$1,234"), and, in a semicolon-
// delimited file (a comma-decimal locale), decimal commas ("1,5",
// "1.234,5"). The result is valid until the next call.
func (st *csvFile) num(c []byte) []byte {
	comma := bytes.LastIndexByte(c, ',')
	if comma < 0 {
		return c
	}
	decimalComma := st.delim == ';' && bytes.Count(c, []byte{','}) == 1 && bytes.LastIndexByte(c, '.') < comma
	b := st.numBuf[:0]
	for _, x := range c {
		switch {
		case x == ',' && decimalComma:
			b = append(b, '.')
		case x == ',', x == '.' && decimalComma:
		default:
			b = append(b, x)
		}
	}
	st.numBuf = b
	return b
}

// colIndex returns the index of the first of names the header has, -1
// when it has none of them.
func colIndex(header []string, names ...string) int {
	for _, n := range names {
		for i, h := range header {
			if h == n {
				return i
			}
		}
	}
	return -1
}

// cell returns field i of a row, trimmed; nil when the row is shorter or
// the column is absent (i < 0).
func cell(fields [][]byte, i int) []byte {
	if i < 0 || i >= len(fields) {
		return nil
	}
	return bytes.TrimSpace(fields[i])
}

// cellStr is cell as an interned string.
func (p *parser) cellStr(fields [][]byte, i int) string {
	c := cell(fields, i)
	if len(c) == 0 {
		return ""
	}
	return p.intern(c)
}
