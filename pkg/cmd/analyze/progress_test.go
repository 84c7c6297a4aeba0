package analyze

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/report"
)

func TestProgressLine(t *testing.T) {
	for _, c := range []struct {
		files, total       int
		records, read, all int64
		elapsed            time.Duration
		want               string
	}{
		{1, 4, 12_345, 300e6, 1.2e9, 3 * time.Second, "reading 1/4 files · 12k records · 300 MB/1.2 GB 25% · 100 MB/s · 9s left"},
		{3, 4, 2_500_000, 1.1e9, 1.2e9, 11 * time.Second, "reading 3/4 files · 2.5M records · 1.1 GB/1.2 GB 92% · 100 MB/s · 1s left"},
		{0, 1, 900, 50e6, 0, 2 * time.Second, "reading 0/1 files · 900 records · 50 MB · 25 MB/s"},
		{0, 1, 10, 1e6, 1e9, 10 * time.Second, "reading 0/1 files · 10 records · 1 MB/1.0 GB 0% · 100 kB/s · 2h46m left"},
		{1, 1, 10, 2e9, 1e9, 10 * time.Second, "reading 1/1 files · 10 records · 2.0 GB/1.0 GB 100% · 200 MB/s"},
		{1, 2, -1, 50e6, 0, 2 * time.Second, "reading 1/2 files · 50 MB · 25 MB/s"}, // records not counted (simulate)
	} {
		if got := progressLine(c.files, c.total, c.records, c.read, c.all, c.elapsed); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}

// The size is known for plain files only.
func TestInputSize(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.jsonl")
	os.WriteFile(plain, []byte(strings.Repeat("{}\n", 100)), 0o644)
	plain2 := filepath.Join(dir, "b.log")
	os.WriteFile(plain2, []byte("{}\n"), 0o644)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte("{}\n"))
	w.Close()
	zipped := filepath.Join(dir, "c.jsonl") // compressed whatever the name
	os.WriteFile(zipped, gz.Bytes(), 0o644)
	zst := filepath.Join(dir, "d.jsonl")
	os.WriteFile(zst, []byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0}, 0o644)
	for _, c := range []struct {
		paths []string
		want  int64
	}{
		{[]string{plain, plain2}, 303},
		{[]string{plain, zipped}, 0},
		{[]string{zst}, 0},
		{[]string{plain, "-"}, 0},
		{[]string{filepath.Join(dir, "missing")}, 0},
	} {
		if got := inputSize(c.paths); got != c.want {
			t.Errorf("inputSize(%v) = %d, want %d", c.paths, got, c.want)
		}
	}
}

type nopSink struct{ n int }

func (s *nopSink) Add(*record.Record) { s.n++ }

func TestCountingSink(t *testing.T) {
	p := &progress{ingest: &ingest.Progress{}}
	inner := &nopSink{}
	s := &countingSink{Sink: inner, records: &p.records}
	for i := 0; i < 2*countBatch+5; i++ {
		s.Add(&record.Record{})
	}
	if inner.n != 2*countBatch+5 || p.records.Load() != 2*countBatch {
		t.Errorf("inner %d, counted %d", inner.n, p.records.Load())
	}
}

// Progress only on a terminal, never with --quiet or machine formats.
func TestShowsProgress(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	o := &Options{IO: ios, Format: "table"}
	if showsProgress(o) {
		t.Error("progress without a terminal")
	}
	ios.SetTTY(true)
	for _, c := range []struct {
		o    Options
		want bool
	}{
		{Options{Format: "table"}, true},
		{Options{Format: "html"}, true},
		{Options{Format: ""}, true},
		{Options{Format: "json"}, false},
		{Options{Format: "csv"}, false},
		{Options{Format: "table", Quiet: true}, false},
		{Options{Format: "table", NoProgress: true}, false},
	} {
		c.o.IO = ios
		if got := showsProgress(&c.o); got != c.want {
			t.Errorf("%+v: %v, want %v", c.o, got, c.want)
		}
	}
}

// --quiet silences the warnings and the coverage line.
func TestQuietDiagnostics(t *testing.T) {
	rep := testReport()
	for _, quiet := range []bool{false, true} {
		ios, _, _, errOut := iostreams.Test()
		printDiagnostics(&Options{IO: ios, Format: "json", Quiet: quiet}, rep)
		if got := errOut.Len() > 0; got == quiet {
			t.Errorf("quiet %v: stderr %q", quiet, errOut)
		}
	}
}

func testReport() *report.Report {
	return &report.Report{Problems: []report.Problem{{File: "a.jsonl", Line: 3, Error: "not json"}}, ProblemsTotal: 1,
		Warnings: []string{"something"}}
}
