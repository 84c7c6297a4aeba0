package ingest

import "bytes"

// Delimited billing exports (billing_csv.go) on several workers. A file
// of such a format (Format.csvRows) is read in two phases:
//
//  1. its first line — the header, after an Excel "sep=" line and blank
//     lines — is parsed on the sequential parser, which keeps the file's
//     column names and delimiter (csvFile);
//  2. the rest is cut into chunks that the workers parse, each starting
//     with a fresh csvFile built from that header (csvHead): the column
//     map and its caches are per worker, the header is shared and read
//     only.
//
// A chunk must start where a row starts, never inside a quoted field that
// holds a newline. csvSplit finds such places by following csvRow line by
// line exactly — the lines parseChunk hands it (a trailing \r dropped,
// blank lines skipped), quoting as splitRow reads it (a quote opens a
// field only at its start, after spaces; "" is a quote; text after the
// closing quote runs to the delimiter), the limits after which csvRow
// gives up on an unclosed quote, and the rows a format's parser passes
// over whole without csvRow (Format.csvSkip: a CUR's other services) — so
// that every row parses exactly as it would on one goroutine. Run's tests check the outcome against one-chunk
// parsing on random quoted input (TestCSVChunksMatchSequential,
// FuzzCSVChunks).

// csvHead is a file's header as the sequential parser read it.
type csvHead struct {
	delim byte
	names []string
}

// csvRowsParallel turns the worker path for csvRows formats on; tests turn
// it off to parse files on the sequential parser alone, as a reference.
var csvRowsParallel = true

// parallelDelims are the delimiters csvSplit follows; a file with another
// (an Excel "sep=" line can name any byte) is parsed on one goroutine.
func parallelDelim(d byte) bool {
	return d == ',' || d == '\t' || d == ';' || d == '|'
}

// csvSplit scans a buffer of whole rows' lines and reports the last place
// after which no row is pending.
type csvSplit struct {
	delim byte
	// skip is the format's test for a row its parser passes over whole
	// when no row is pending (Format.csvSkip), nil for none.
	skip  func(line []byte) bool
	pos   int  // bytes of the buffer scanned
	open  bool // a quoted field is open: a row is pending
	lines int  // non-blank lines of the pending row (csvFile.pendingLines)
	size  int  // length of the pending row as csvFile.pending holds it
	cut   int  // end of the last line after which no row is pending
}

// reset prepares the splitter for a buffer that starts where a row starts.
func (s *csvSplit) reset() { *s = csvSplit{delim: s.delim, skip: s.skip} }

// scan continues over buf — the same buffer as on the previous call,
// possibly longer — and returns the end of the last complete line after
// which no row is pending, 0 when there is none yet.
func (s *csvSplit) scan(buf []byte) int {
	for s.pos < len(buf) {
		i := bytes.IndexByte(buf[s.pos:], '\n')
		if i < 0 {
			break // an incomplete line: more data will come (or EOF takes it all)
		}
		l := buf[s.pos : s.pos+i]
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		if !isBlank(l) {
			s.line(l)
		}
		s.pos += i + 1
		if !s.open {
			s.cut = s.pos
		}
	}
	return s.cut
}

// line follows csvRow over one non-blank line.
func (s *csvSplit) line(l []byte) {
	if !s.open {
		if s.skip != nil && s.skip(l) {
			return // the parser passes over it whole: no row pending after it
		}
		if rowOpen(l, s.delim, false) {
			s.open, s.lines, s.size = true, 1, len(l)
		}
		return
	}
	s.size += 1 + len(l)
	if !rowOpen(l, s.delim, true) {
		s.open = false
		return
	}
	s.lines++
	if s.lines > maxPendingLines || s.size > maxPendingBytes {
		s.open = false // csvRow reports the row and starts afresh
	}
}

// rowOpen reports whether a quoted field is still open at the end of line
// l, read as splitRow reads it, from the start of a row (inQuote false) or
// from inside a quoted field that an earlier line opened. It jumps from
// quote to quote: only a field starting with a quote can hold a newline.
func rowOpen(l []byte, delim byte, inQuote bool) bool {
	n := len(l)
	i, k := 0, 0 // i: a field start (outside quotes); k: inside quotes
	for {
		if !inQuote {
			q := bytes.IndexByte(l[i:], '"')
			if q < 0 {
				return false
			}
			q += i
			// A quote opens a field only at its start: after the delimiter
			// that ends the previous field (or the row's start) and spaces.
			s := q
			for s > i && l[s-1] == ' ' {
				s--
			}
			if s > i && l[s-1] != delim {
				// A quote inside an unquoted field is text; the field runs
				// to the next delimiter.
				d := bytes.IndexByte(l[q:], delim)
				if d < 0 {
					return false
				}
				i = q + d + 1
				if i >= n {
					return false
				}
				continue
			}
			k, inQuote = q+1, true
		}
		// Inside a quoted field from k: "" is a quote, " closes it.
		for {
			c := bytes.IndexByte(l[k:], '"')
			if c < 0 {
				return true
			}
			k += c
			if k+1 < n && l[k+1] == '"' {
				k += 2
				continue
			}
			k++
			break
		}
		inQuote = false
		// Text after the closing quote runs to the delimiter.
		d := bytes.IndexByte(l[k:], delim)
		if d < 0 {
			return false
		}
		i = k + d + 1
		if i >= n {
			return false
		}
	}
}

// csvHeaderEnd returns the end of b's header line: the first non-blank
// line that is not an Excel "sep=" line (csvRow's reading), len(b) when b
// holds none complete.
func csvHeaderEnd(b []byte) int {
	pos := 0
	for pos < len(b) {
		i := bytes.IndexByte(b[pos:], '\n')
		if i < 0 {
			return len(b)
		}
		l := b[pos : pos+i]
		pos += i + 1
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		if isBlank(l) {
			continue
		}
		t := bytes.TrimPrefix(bytes.TrimLeft(l, " \t"), utf8BOM)
		if len(t) <= 6 && len(t) >= 5 && bytes.EqualFold(t[:4], []byte("sep=")) {
			continue
		}
		return pos
	}
	return len(b)
}

// csvChunk prepares a worker's parser for a chunk of rows of the file
// whose header is h: the state it keeps for that file (its column map and
// caches), or a new one; no row is pending where a chunk starts.
func (p *parser) csvChunk(h *csvHead) {
	if st, ok := p.fileState.(*csvFile); ok && st.head == h {
		st.open, st.pending = false, st.pending[:0]
		return
	}
	p.fileState = &csvFile{delim: h.delim, names: h.names, head: h}
}
