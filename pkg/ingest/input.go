package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Stdin is the path that names standard input.
const Stdin = "-"

// logExts are the file names a directory walk picks up (before any .gz/.zst).
var logExts = []string{".jsonl", ".ndjson", ".json", ".log", ".jsonl.out", // .jsonl.out: Bedrock batch output
	".csv", ".tsv", ".parquet"} // billing exports (billing_*.go)

// Expand turns command-line arguments into a sorted, de-duplicated list of
// files: "-" is stdin, a directory is walked for log files (compressed or
// not), and a pattern with *, ? or [ is globbed. A path that matches nothing
// is an error.
func Expand(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, a := range args {
		if a == Stdin {
			add(a)
			continue
		}
		matches := []string{a}
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, fmt.Errorf("bad pattern %q: %w", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("%s: no files match", a)
			}
			matches = m
		}
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				return nil, fmt.Errorf("cannot read input: %w", err)
			}
			if !st.IsDir() {
				add(m)
				continue
			}
			var found []string
			err = filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.IsDir() {
					if p != m && strings.HasPrefix(d.Name(), ".") {
						return filepath.SkipDir
					}
					return nil
				}
				if IsLogName(d.Name()) {
					found = append(found, p)
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("walk %s: %w", m, err)
			}
			sort.Strings(found)
			for _, f := range found {
				add(f)
			}
		}
	}
	return out, nil
}

// IsLogName reports whether a file name looks like a log this tool reads.
func IsLogName(name string) bool {
	name = strings.ToLower(name)
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".zst")
	for _, e := range logExts {
		if strings.HasSuffix(name, e) {
			return true
		}
	}
	return false
}

var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// openInput opens a file (or stdin) and undoes gzip or zstd compression,
// recognised by magic bytes, not by name.
func openInput(path string, stdin io.Reader) (io.Reader, func() error, error) {
	var r io.Reader
	closeFn := func() error { return nil }
	if path == Stdin {
		if stdin == nil {
			stdin = os.Stdin
		}
		r = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		r, closeFn = f, f.Close
	}
	// Readers are pooled: a directory of many small files (Claude Code
	// sessions) would otherwise allocate a fresh 64 KiB buffer per file.
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(r)
	inner := closeFn
	closeFn = func() error {
		br.Reset(nil)
		readerPool.Put(br)
		return inner()
	}
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeFn()
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, func() error { zr.Close(); return closeFn() }, nil
	case bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			closeFn()
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return zr, func() error { zr.Close(); return closeFn() }, nil
	}
	return br, closeFn, nil
}
