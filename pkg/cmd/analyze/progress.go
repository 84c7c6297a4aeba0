package analyze

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/record"
)

// showsProgress says whether a run shows progress: on a terminal's
// stderr, not with --quiet, and not for machine formats (json, csv), whose
// users are scripts.
func showsProgress(opts *Options) bool {
	return opts.IO.IsStderrTTY() && !opts.Quiet && !opts.NoProgress && opts.Format != "json" && opts.Format != "csv"
}

// progress is what the progress line shows: ingest's counters, the records
// handed to the sinks, and the input's size when it is known.
type progress struct {
	ingest  *ingest.Progress
	records atomic.Int64
	files   int
	// total is the bytes of input, 0 when unknown (standard input, or
	// compressed files, whose read bytes are counted decompressed).
	total int64
	// noRecords is set when no sink counts records.
	noRecords bool
}

// StartProgress shows, on w, the progress line of a run over paths fed by
// ingest's counters ip (bytes and files; records are not counted), as
// analyze shows its own. stop erases it.
func StartProgress(w io.Writer, ip *ingest.Progress, paths []string) (stop func()) {
	return showProgress(w, &progress{ingest: ip, files: len(paths), total: inputSize(paths), noRecords: true})
}

// countingSink counts records for the progress line, adding to the shared
// counter in batches so that workers do not contend for it on every record.
type countingSink struct {
	ingest.Sink
	n       int64
	records *atomic.Int64
}

const countBatch = 1024

// Add passes the record on and counts it; not safe for concurrent use (each
// worker has its own sink).
func (s *countingSink) Add(r *record.Record) {
	s.Sink.Add(r)
	if s.n++; s.n == countBatch {
		s.records.Add(s.n)
		s.n = 0
	}
}

// inputSize is the total size of plain input files, or 0 when it is not
// known: standard input, or any file compressed (gzip, zstd), whose
// decompressed size is not known in advance.
func inputSize(paths []string) int64 {
	var total int64
	for _, p := range paths {
		if p == "-" {
			return 0
		}
		f, err := os.Open(p)
		if err != nil {
			return 0
		}
		var magic [4]byte
		n, _ := io.ReadFull(f, magic[:])
		st, err := f.Stat()
		f.Close()
		if err != nil || !st.Mode().IsRegular() {
			return 0
		}
		if bytes.HasPrefix(magic[:n], []byte{0x1f, 0x8b}) || bytes.HasPrefix(magic[:n], []byte{0x28, 0xb5, 0x2f, 0xfd}) {
			return 0
		}
		total += st.Size()
	}
	return total
}

// progressLine is the text of the progress line after elapsed time;
// records < 0 means they are not counted.
func progressLine(files, totalFiles int, records, read, total int64, elapsed time.Duration) string {
	rate := float64(read) / elapsed.Seconds()
	s := fmt.Sprintf("reading %d/%d files · ", files, totalFiles)
	if records >= 0 {
		s += count(records) + " records · "
	}
	s += size(read)
	if total > 0 {
		done := min(float64(read)/float64(total), 1)
		s += fmt.Sprintf("/%s %.0f%%", size(total), done*100)
	}
	s += fmt.Sprintf(" · %s/s", size(int64(rate)))
	if total > 0 && rate > 0 && read < total {
		left := time.Duration(float64(total-read) / rate * float64(time.Second))
		s += " · " + eta(left) + " left"
	}
	return s
}

func count(n int64) string {
	switch {
	case n >= 1e9:
		return strconv.FormatFloat(float64(n)/1e9, 'f', 1, 64) + "B"
	case n >= 1e6:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + "M"
	case n >= 1e4:
		return strconv.FormatFloat(float64(n)/1e3, 'f', 0, 64) + "k"
	}
	return strconv.FormatInt(n, 10)
}

func size(b int64) string {
	switch {
	case b >= 1e9:
		return strconv.FormatFloat(float64(b)/1e9, 'f', 1, 64) + " GB"
	case b >= 1e6:
		return strconv.FormatFloat(float64(b)/1e6, 'f', 0, 64) + " MB"
	case b >= 1e3:
		return strconv.FormatFloat(float64(b)/1e3, 'f', 0, 64) + " kB"
	}
	return strconv.FormatInt(b, 10) + " B"
}

func eta(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// showProgress writes a one-line progress report to a terminal's stderr,
// starting only once the work has taken a second, and erases it at the end.
func showProgress(w io.Writer, p *progress) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case <-tick.C:
				el := time.Since(start)
				if el < time.Second {
					continue
				}
				records := p.records.Load()
				if p.noRecords {
					records = -1
				}
				fmt.Fprint(w, "\r\033[K"+progressLine(int(p.ingest.Files.Load()), p.files, records, p.ingest.Bytes.Load(), p.total, el))
				shown = true
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
