package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
)

// JSON documents rather than JSON lines: a file holding one pretty-printed
// object (an API page saved with jq, an OTLP export), several objects one
// after another, or an array of records. Each top-level value (or array
// element) becomes one record line: raw newlines in JSON are whitespace
// (strings cannot hold them), so they are blanked out and the value is
// parsed like a line of its format. Records keep the line the value starts
// on. Values are streamed: memory holds the largest value, not the file.

// documentMode reports, from the first bytes of a file, whether it is a
// JSON document rather than JSON lines: it starts with '[', or with an
// object that does not end on its first line.
func documentMode(head []byte) bool {
	i := jsonx.SkipSpace(head, 0)
	if i >= len(head) {
		return false
	}
	switch head[i] {
	case '[':
		return true
	case '{':
		nl := bytes.IndexByte(head[i:], '\n')
		if nl < 0 {
			return false // a first line longer than the peek: JSON lines
		}
		_, err := jsonx.SkipValue(head[i:i+nl], 0)
		return err != nil
	}
	return false
}

// readDocument splits a JSON document stream into record lines and hands
// them out like readFile does with lines.
func readDocument(ctx context.Context, idx int, f *fileState, r *bufio.Reader, opts Options, size int, out chan<- chunk, seq func(*chunk)) error {
	var (
		buf    []byte // unread input; values are cut from it
		pos    int
		line   int64 = 1
		offset int64 // of buf[0] in the stream
		eof    bool
		array  bool
		first  = true
		cb     []byte // the chunk being built: flattened values, one a line
		lines  []int64
	)
	fill := func() error {
		if eof {
			return io.EOF
		}
		if pos > len(buf)/2 { // drop what was consumed
			offset += int64(pos)
			buf = append(buf[:0], buf[pos:]...)
			pos = 0
		}
		if cap(buf)-len(buf) < 64<<10 {
			nb := make([]byte, len(buf), 2*cap(buf)+128<<10)
			copy(nb, buf)
			buf = nb
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			eof = true
			return nil
		}
		return err
	}
	flush := func() error {
		if len(cb) == 0 {
			return nil
		}
		f.stats.Bytes += int64(len(cb))
		if opts.Progress != nil {
			opts.Progress.Bytes.Add(int64(len(cb)))
		}
		c := chunk{file: f, fileIdx: idx, buf: cb, firstLine: lines[0], lines: lines, offset: offset}
		if f.format.sequential {
			seq(&c)
		} else {
			select {
			case out <- c:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		cb, lines = nil, nil
		return nil
	}
	// skip moves pos past whitespace (and, in an array, one separator),
	// counting lines; it reports false at the end of the input.
	skip := func(sep byte) (byte, error) {
		for {
			for pos < len(buf) {
				switch c := buf[pos]; c {
				case '\n':
					line++
					pos++
				case ' ', '\t', '\r':
					pos++
				default:
					if sep != 0 && c == sep {
						pos++
						sep = 0
						continue
					}
					return c, nil
				}
			}
			if err := fill(); err != nil {
				return 0, err
			}
			if eof && pos >= len(buf) {
				return 0, io.EOF
			}
		}
	}
	// fail hands out the values read so far, then reports err.
	fail := func(err error) error {
		if ferr := flush(); ferr != nil {
			return ferr
		}
		return err
	}
	for {
		if ctx.Err() != nil {
			return nil
		}
		var sep byte
		if array && !first {
			sep = ','
		}
		c, err := skip(sep)
		if err == io.EOF {
			if array {
				return fail(fmt.Errorf("line %d: JSON array not closed", line))
			}
			return flush()
		}
		if err != nil {
			return fail(err)
		}
		if first && c == '[' {
			array = true
			pos++
			if c, err = skip(0); err != nil {
				return fail(fmt.Errorf("line %d: JSON array not closed", line))
			}
		}
		if array && c == ']' {
			pos++
			if _, err := skip(0); err != io.EOF {
				return fail(fmt.Errorf("line %d: data after the JSON array", line))
			}
			return flush()
		}
		// Cut one value, reading more until it is complete.
		var end int
		for {
			end, err = jsonx.SkipValue(buf, pos)
			if err == nil || eof {
				break
			}
			if ferr := fill(); ferr != nil && ferr != io.EOF {
				return fail(ferr)
			}
		}
		if err != nil {
			var se *jsonx.SyntaxError
			if errors.As(err, &se) {
				return fail(fmt.Errorf("line %d: %v", line, se.Msg))
			}
			return fail(fmt.Errorf("line %d: %w", line, err))
		}
		v := buf[pos:end]
		if first || f.format == nil {
			if f.format == nil {
				fm := opts.Format
				if fm == nil {
					flat := flatten(nil, v)
					if fm, err = Detect(flat); err != nil && opts.Mapping != nil {
						fm, err = mappedFormat, nil
					}
					if err != nil {
						return fail(err)
					}
				}
				f.format = fm
				f.stats.Format = fm.ID
			}
			first = false
		}
		lines = append(lines, line)
		cb = flatten(cb, v)
		cb = append(cb, '\n')
		line += int64(bytes.Count(v, []byte{'\n'}))
		pos = end
		if len(cb) >= size {
			if err := flush(); err != nil {
				return fail(err)
			}
		}
	}
}

// flatten appends v with its raw newlines and carriage returns blanked:
// outside strings they are whitespace, inside they cannot occur.
func flatten(dst, v []byte) []byte {
	n := len(dst)
	dst = append(dst, v...)
	for i := n; i < len(dst); i++ {
		if c := dst[i]; c == '\n' || c == '\r' {
			dst[i] = ' '
		}
	}
	return dst
}
