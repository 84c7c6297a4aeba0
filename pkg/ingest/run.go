package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/llmcost/llmcost/pkg/record"
)

// Sink consumes records. Run gives each worker its own Sink, so Add is never
// called concurrently on one Sink; rec is reused after Add returns.
type Sink interface {
	Add(rec *record.Record)
}

// Options tune Run.
type Options struct {
	// Format forces one format for every file; nil detects it per file.
	Format *Format
	// Workers is the number of parsing goroutines; 0 means GOMAXPROCS.
	Workers int
	// Strict stops at the first malformed line or unreadable file.
	Strict bool
	// KeepIDs fills Record.RequestID (costs an allocation per record).
	KeepIDs bool
	// Text fills Record.Request with the raw request body, for formats that
	// log it (pairs, OpenAI batch input); off, it costs nothing (text.go).
	Text bool
	// ChunkSize is the read unit in bytes; 0 means 1 MiB. Lines longer than
	// a chunk are read whole all the same.
	ChunkSize int
	// Stdin replaces os.Stdin for the path "-".
	Stdin io.Reader
	// MaxProblems caps the problems kept for reporting (the lowest file:line
	// ones are kept; all are counted); 0 means 1000.
	MaxProblems int
	// Mapping describes home-grown logs (the mapped format); files no
	// other format recognises are read with it when it is set.
	Mapping *Mapping
	// Progress, when set, is updated as input is read.
	Progress *Progress
}

// Progress counts what a Run has read so far; safe for concurrent use.
type Progress struct {
	// Bytes is the (decompressed) bytes read; Files the files finished.
	Bytes, Files atomic.Int64
}

// Problem is a malformed line (Line > 0) or an unreadable file (Line == 0).
type Problem struct {
	File string
	Line int64
	Err  error
	file int // index in Stats.Files, for ordering
}

func (p Problem) Error() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %v", p.File, p.Err)
	}
	return fmt.Sprintf("%s:%d: %v", p.File, p.Line, p.Err)
}

func (p Problem) Unwrap() error { return p.Err }

// FileStats counts what one input held.
type FileStats struct {
	Path   string
	Format string // "" when the file could not be read or detected
	Bytes  int64  // decompressed
	Lines  int64  // non-blank lines
	// Records are lines that describe a call (with or without usage).
	Records int64
	// NotBilled are well-formed lines that describe no billable call
	// (stream chunks, failed or cancelled batch requests).
	NotBilled int64
	// Duplicates are records of a call already counted (same DedupKey).
	Duplicates int64
	Malformed  int64
	Err        string // why the file was skipped, if it was
}

// Stats is the outcome of a Run.
type Stats struct {
	Files []FileStats
	// Problems are sorted by file then line, at most Options.MaxProblems.
	Problems      []Problem
	ProblemsTotal int64
}

// Totals sums the per-file counts.
func (s *Stats) Totals() FileStats {
	var t FileStats
	for _, f := range s.Files {
		t.Bytes += f.Bytes
		t.Lines += f.Lines
		t.Records += f.Records
		t.NotBilled += f.NotBilled
		t.Duplicates += f.Duplicates
		t.Malformed += f.Malformed
	}
	return t
}

type fileState struct {
	stats  FileStats
	format *Format
	// counters updated by workers
	lines, records, notBilled, duplicates, malformed atomic.Int64
	// mixed is set once a line of another format was seen: from then on
	// each line is detected first (two walks of a line instead of three).
	mixed atomic.Bool
}

type chunk struct {
	file      *fileState
	fileIdx   int
	buf       []byte // whole lines; the last may lack its newline at EOF
	pooled    bool
	firstLine int64 // 1-based number of the first line in buf
	// lines, when set, gives the input line of each line of buf (JSON
	// documents: a value spanning several lines is one line of buf).
	lines  []int64
	offset int64 // byte offset of buf in the decompressed stream
	// csv, for the rows of a delimited export parsed on a worker, is the
	// file's header (csvsplit.go); buf then starts where a row starts.
	csv *csvHead
}

// Run reads every path, parses the lines on Options.Workers goroutines and
// hands records to the sinks made by newSink (one per worker). Memory stays
// bounded by the chunk size times the number of workers, whatever the input
// size, except for single lines longer than a chunk.
func Run(ctx context.Context, paths []string, opts Options, newSink func() Sink) (*Stats, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	size := opts.ChunkSize
	if size <= 0 {
		size = 1 << 20
	}
	maxProblems := opts.MaxProblems
	if maxProblems <= 0 {
		maxProblems = 1000
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	files := make([]*fileState, len(paths))
	for i, p := range paths {
		files[i] = &fileState{stats: FileStats{Path: p}}
	}

	var (
		mu       sync.Mutex
		problems []Problem
		total    atomic.Int64
	)
	report := func(pr Problem) {
		total.Add(1)
		mu.Lock()
		problems = append(problems, pr)
		if len(problems) >= 2*maxProblems {
			sortProblems(problems)
			problems = problems[:maxProblems]
		}
		mu.Unlock()
		if opts.Strict {
			cancel()
		}
	}

	seen := &dedupSet{files: files}
	pool := sync.Pool{New: func() any { b := make([]byte, size); return &b }}
	chunks := make(chan chunk, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		sink := newSink()
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := newParser()
			p.keepIDs = opts.KeepIDs
			p.keepText = opts.Text
			p.mapping = opts.Mapping
			var rec record.Record
			for c := range chunks {
				if c.csv != nil {
					p.csvChunk(c.csv)
				}
				if ctx.Err() == nil {
					parseChunk(p, &c, &rec, sink, seen, report)
				}
				if c.pooled {
					b := c.buf[:cap(c.buf)]
					pool.Put(&b)
				}
			}
		}()
	}

	// Files of a sequential format are parsed here, in order, with their
	// own parser and sink.
	var (
		seqP    *parser
		seqSink Sink
		seqRec  record.Record
	)
	seq := func(c *chunk) {
		if seqP == nil {
			seqP = newParser()
			seqP.keepIDs = opts.KeepIDs
			seqP.keepText = opts.Text
			seqP.mapping = opts.Mapping
			seqSink = newSink()
		}
		parseChunk(seqP, c, &seqRec, seqSink, seen, report)
	}
	// seqHead is the header the sequential parser has read of the current
	// delimited file (read is false until it has read one).
	seqHead := func() (h *csvHead, read bool) {
		if seqP == nil {
			return nil, false
		}
		st, _ := seqP.fileState.(*csvFile)
		if st == nil || st.names == nil {
			return nil, false
		}
		return &csvHead{delim: st.delim, names: st.names}, true
	}

	for i, f := range files {
		if ctx.Err() != nil {
			break
		}
		if seqP != nil {
			seqP.sse, seqP.fileState = sseState{}, nil
		}
		err := readFile(ctx, i, f, opts, size, &pool, chunks, seq, seqHead)
		if opts.Progress != nil {
			opts.Progress.Files.Add(1)
		}
		if seqP != nil && seqP.sseFlush(&seqRec) {
			seqRec.Loc.File = f.stats.Path
			seqSink.Add(&seqRec)
			f.records.Add(1)
		}
		if err != nil {
			f.stats.Err = err.Error()
			report(Problem{File: f.stats.Path, Err: err, file: i})
		}
	}
	close(chunks)
	wg.Wait()

	st := &Stats{ProblemsTotal: total.Load()}
	for _, f := range files {
		s := f.stats
		s.Lines = f.lines.Load()
		s.Records = f.records.Load()
		s.NotBilled = f.notBilled.Load()
		s.Duplicates = f.duplicates.Load()
		s.Malformed = f.malformed.Load()
		st.Files = append(st.Files, s)
	}
	sortProblems(problems)
	if len(problems) > maxProblems {
		problems = problems[:maxProblems]
	}
	st.Problems = problems
	if opts.Strict && len(problems) > 0 {
		return st, problems[0]
	}
	// Our own cancel only serves --strict (handled above); an error here
	// is the caller's: an interrupt.
	if err := parent.Err(); err != nil {
		return st, err
	}
	return st, nil
}

func sortProblems(ps []Problem) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].file != ps[j].file {
			return ps[i].file < ps[j].file
		}
		return ps[i].Line < ps[j].Line
	})
}

// readFile splits one input into chunks of whole lines and sends them to the
// workers. The first non-blank line decides the format.
func readFile(ctx context.Context, idx int, f *fileState, opts Options, size int, pool *sync.Pool, out chan<- chunk, seq func(*chunk), seqHead func() (*csvHead, bool)) error {
	raw, closeFn, err := openInput(f.stats.Path, opts.Stdin)
	if err != nil {
		return err
	}
	defer closeFn()
	r, ok := raw.(*bufio.Reader) // plain files come buffered already
	if !ok {
		r = bufio.NewReaderSize(raw, 64<<10)
	}
	if head, _ := r.Peek(4); isParquet(head) { // billing_cur_parquet.go
		return readParquet(ctx, idx, f, f.stats.Path, r, opts, size, pool, out, seq)
	}
	if head, _ := r.Peek(64 << 10); documentMode(head) {
		return readDocument(ctx, idx, f, r, opts, size, out, seq)
	}

	var (
		carry  []byte // partial line carried to the next chunk
		line   int64  = 1
		offset int64
		eof    bool
		// A delimited export's rows go to the workers once its header is
		// read (head); split finds chunk ends between rows. csvSeq: the
		// header is read but the rows stay on one goroutine (a delimiter
		// csvSplit does not follow).
		head   *csvHead
		split  csvSplit
		csvSeq bool
	)
	for !eof || len(carry) > 0 { // a header cut at EOF leaves the rows to go
		if ctx.Err() != nil {
			return nil
		}
		bp := pool.Get().(*[]byte)
		buf, pooled := (*bp)[:0], true
		if len(carry) > cap(buf) {
			pool.Put(bp)
			buf, pooled = make([]byte, 0, 2*len(carry)), false
		}
		buf = append(buf, carry...)
		// Fill the buffer. The carry holds no newline; if the buffer fills
		// without one, grow it until one arrives or the input ends, so a
		// line of any length is read whole.
		scanned := len(buf)
		for {
			if len(buf) == cap(buf) {
				grown := make([]byte, len(buf), 2*cap(buf))
				copy(grown, buf)
				if pooled {
					pool.Put(bp)
					pooled = false
				}
				buf = grown
			}
			n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				eof = true
				break
			}
			if err != nil {
				if pooled {
					pool.Put(bp)
				}
				return fmt.Errorf("read: %w", err)
			}
			if bytes.IndexByte(buf[scanned:], '\n') >= 0 && (head == nil || split.scan(buf) > 0) {
				break
			}
			scanned = len(buf)
		}
		end := len(buf)
		switch {
		case eof:
		case head != nil:
			end = split.scan(buf)
			split.reset()
		default:
			end = bytes.LastIndexByte(buf, '\n') + 1
		}
		if f.format == nil && end > 0 {
			if opts.Format != nil {
				f.format = opts.Format
			} else {
				fm, err := detectLines(buf[:end])
				if err != nil && opts.Mapping != nil {
					// No known format: a home-grown log the mapping describes.
					fm, err = mappedFormat, nil
				}
				if err != nil {
					if pooled {
						pool.Put(bp)
					}
					return err
				}
				f.format = fm // nil when body holds only blank lines
			}
			if f.format != nil {
				f.stats.Format = f.format.ID
			}
		}
		// A delimited export's header goes alone to the sequential parser,
		// so that the rows after it can go to the workers.
		if f.format != nil && f.format.csvRows && csvRowsParallel && head == nil && !csvSeq {
			end = csvHeaderEnd(buf[:end])
		}
		// The carry must not alias buf, which a worker will own.
		carry = append(carry[:0], buf[end:]...)
		body := buf[:end]
		f.stats.Bytes += int64(len(body))
		if opts.Progress != nil {
			opts.Progress.Bytes.Add(int64(len(body)))
		}
		lines := int64(bytes.Count(body, []byte{'\n'}))
		if eof && len(body) > 0 && body[len(body)-1] != '\n' {
			lines++
		}
		if f.format == nil || len(body) == 0 {
			// blank lines before the first record: nothing to parse
			if pooled {
				pool.Put(bp)
			}
		} else if f.format.sequential && head == nil {
			seq(&chunk{file: f, fileIdx: idx, buf: body, firstLine: line, offset: offset})
			if pooled {
				pool.Put(bp)
			}
			if f.format.csvRows && csvRowsParallel && !csvSeq {
				switch h, read := seqHead(); {
				case !read: // blank or "sep=" lines so far: the header is next
				case parallelDelim(h.delim):
					head, split = h, csvSplit{delim: h.delim, skip: f.format.csvSkip}
				default:
					csvSeq = true
				}
			}
		} else {
			select {
			case out <- chunk{file: f, fileIdx: idx, buf: body, pooled: pooled, firstLine: line, offset: offset, csv: head}:
			case <-ctx.Done():
				return nil
			}
		}
		line += lines
		offset += int64(len(body))
	}
	return nil
}

// detectLines detects the format from the first non-blank line of b that
// reveals one, trying up to 100 lines so that a malformed first line does not
// hide a whole file (it is reported as malformed later). It returns nil, nil
// when b holds only blank lines.
func detectLines(b []byte) (*Format, error) {
	var firstErr error
	for tries := 0; len(b) > 0 && tries < 100; {
		i := bytes.IndexByte(b, '\n')
		var l []byte
		if i < 0 {
			l, b = b, nil
		} else {
			l, b = b[:i], b[i+1:]
		}
		if isBlank(l) {
			continue
		}
		tries++
		f, err := Detect(l)
		if err == nil {
			return f, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

func parseChunk(p *parser, c *chunk, rec *record.Record, sink Sink, seen *dedupSet, report func(Problem)) {
	f := c.file
	parse := f.format.parse
	b := c.buf
	ln := c.firstLine
	off := c.offset
	var lines, records, notBilled, duplicates, malformed int64
	// Formats whose lines can hold several records go through ms (multi.go).
	ms := multiState{file: f.stats.Path, fileIdx: c.fileIdx, sink: sink, seen: seen}
	own := multiOf(f.format) != nil
	// A record with a dedup key is held until a record with another key
	// comes: the copies of one call usually follow each other (Claude Code
	// writes a response's content blocks, and its streaming snapshots, on
	// consecutive lines), and of adjacent copies the one with the most
	// tokens is counted (the final snapshot). Copies further apart (another
	// chunk, another file) are counted first come.
	var held record.Record
	holding := false
	flush := func() {
		if !holding {
			return
		}
		holding = false
		switch isNew, owns := seen.add(held.DedupKey, c.fileIdx); {
		case isNew:
			records++
			sink.Add(&held)
		case owns:
			records++ // counted already, by a later file's worker
		default:
			duplicates++
		}
	}
	for k := 0; len(b) > 0; k++ {
		if c.lines != nil && k < len(c.lines) {
			ln = c.lines[k]
		}
		i := bytes.IndexByte(b, '\n')
		var l []byte
		next := len(b)
		if i >= 0 {
			l, next = b[:i], i+1
		} else {
			l = b
		}
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		if !isBlank(l) {
			lines++
			rec.Reset()
			p.line = ln
			var err error
			fm := f.format
			if f.mixed.Load() {
				if d, derr := p.detect(l); derr == nil {
					fm = d
				}
			}
			if fm != f.format || own {
				err = ms.parse(p, fm, l, rec, ln, off)
			} else {
				err = parse(p, l, rec)
			}
			if fm == f.format && errors.Is(err, errWrongShape) {
				// A line of another format (logs concatenated from
				// several sources): detect it on its own.
				f.mixed.Store(true)
				err = reparse(p, l, rec, f.format, err, &ms, ln, off)
			}
			switch {
			case errors.Is(err, errIgnore):
				lines-- // framing, like a blank line
			case err == nil && rec.DedupKey != 0:
				if rec.Loc.Line == 0 {
					rec.Loc = record.Loc{Line: ln, Offset: off}
				}
				rec.Loc.File = f.stats.Path
				if holding && held.DedupKey == rec.DedupKey {
					duplicates++
					if rec.TotalInput()+rec.OutputTokens > held.TotalInput()+held.OutputTokens {
						*rec, held = held, *rec
					}
				} else {
					flush()
					*rec, held = held, *rec // each keeps its own Tags array
					holding = true
				}
			case err == nil:
				records++
				if rec.Loc.Line == 0 { // a streamed record says where it began
					rec.Loc = record.Loc{Line: ln, Offset: off}
				}
				rec.Loc.File = f.stats.Path
				sink.Add(rec)
			case errors.Is(err, errNoRecord):
				notBilled++
			default:
				malformed++
				report(Problem{File: f.stats.Path, Line: ln, Err: err, file: c.fileIdx})
			}
		}
		b = b[next:]
		off += int64(next)
		ln++
	}
	flush()
	r, d := ms.counts()
	records += r
	duplicates += d
	f.lines.Add(lines)
	f.records.Add(records)
	f.notBilled.Add(notBilled)
	f.duplicates.Add(duplicates)
	f.malformed.Add(malformed)
}

// reparse parses a line that does not fit its file's format with the format
// it is detected as. It returns the original error when no other format fits.
func reparse(p *parser, l []byte, rec *record.Record, own *Format, orig error, ms *multiState, ln, off int64) error {
	f, err := p.detect(l)
	if err != nil || f == own {
		return orig
	}
	rec.Reset()
	return ms.parse(p, f, l, rec, ln, off)
}

func isBlank(l []byte) bool {
	for _, c := range l {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
