package tokenize

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchCorpus is the benchmark text: every source, markdown, JSON and JSONL
// file of this repository (code, docs, pricing data, sample logs) plus ten
// copies of testdata/tokenize, which adds prose and about thirty
// languages. Files over 1 MiB are skipped and the repository part stops
// after 3 MiB; read once. The corpus grows with the repository, so compare
// ratios from one run, not MB/s across commits.
var benchCorpus = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	root := filepath.Join("..", "..")
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if name := d.Name(); name == ".git" || name == "tokenize" && strings.HasSuffix(filepath.Dir(path), "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".json", ".jsonl":
			if st, err := d.Info(); err != nil || st.Size() > 1<<20 || buf.Len() > 3<<20 {
				return nil
			}
			if b, err := os.ReadFile(path); err == nil {
				buf.Write(b)
				buf.WriteByte('\n')
			}
		}
		return nil
	})
	dir := filepath.Join(root, "testdata", "tokenize")
	ents, _ := os.ReadDir(dir)
	for range 10 {
		for _, e := range ents {
			if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
				buf.Write(b)
				buf.WriteByte('\n')
			}
		}
	}
	return buf.Bytes()
})

// BenchmarkCount compares our encoder with tiktoken-go on the same text.
// Run it on one core, e.g.
//
//	go test -run '^$' -bench BenchmarkCount -cpu 1 ./pkg/tokenize/
//
// and compare the MB/s of ours and tiktoken-go from the same run.
//
// Before timing, it checks that the token ids of the whole corpus are
// identical to tiktoken-go's: the differential test on the large corpus.
func BenchmarkCount(b *testing.B) {
	text := benchCorpus()
	str := string(text)
	for _, name := range []string{O200kBase, Cl100kBase} {
		e := mustEncoding(b, name)
		ref := reference()[name]
		want := ref.EncodeOrdinary(str)
		if got := e.Encode(nil, text); !slices.Equal(got, want) {
			b.Fatalf("%s: ids differ from tiktoken-go on the benchmark corpus: %s", name, diffIDs(ref, want, got))
		}
		b.Logf("%s: %d bytes, %d tokens, ids identical to tiktoken-go", name, len(text), len(want))
		b.Run(name+"/ours", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				e.Count(text)
			}
		})
		b.Run(name+"/tiktoken-go", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				_ = len(ref.EncodeOrdinary(str))
			}
		})
	}
}

// BenchmarkCountPaired measures both encoders in the same loop, segment by
// segment (64 KiB, cut at safe cuts), so that load from other processes
// hits both alike: its ratio is the number to quote on a shared machine.
// It reports ours-MB/s, tiktoken-go-MB/s and x-faster.
func BenchmarkCountPaired(b *testing.B) {
	text := benchCorpus()
	var segs [][]byte
	for rest := text; len(rest) > 0; {
		n := len(rest)
		if n > 64<<10 {
			if n = safeCut(rest[:64<<10], 1, false); n < 0 {
				n = 64 << 10
			}
		}
		segs = append(segs, rest[:n])
		rest = rest[n:]
	}
	for _, name := range []string{O200kBase, Cl100kBase} {
		e := mustEncoding(b, name)
		ref := reference()[name]
		b.Run(name, func(b *testing.B) {
			var ours, theirs time.Duration
			for b.Loop() {
				for _, s := range segs {
					t0 := time.Now()
					e.Count(s)
					t1 := time.Now()
					_ = len(ref.EncodeOrdinary(string(s)))
					t2 := time.Now()
					ours += t1.Sub(t0)
					theirs += t2.Sub(t1)
				}
			}
			mb := float64(len(text)) * float64(b.N) / 1e6
			b.ReportMetric(mb/ours.Seconds(), "ours-MB/s")
			b.ReportMetric(mb/theirs.Seconds(), "tiktoken-go-MB/s")
			b.ReportMetric(theirs.Seconds()/ours.Seconds(), "x-faster")
		})
	}
}
