package tokenize

import (
	"bytes"
	"context"
	"slices"
	"testing"
)

// FuzzEncodeMatchesReference compares our token ids with tiktoken-go's for
// arbitrary input, invalid UTF-8 included: tiktoken-go converts the text to
// runes first, so each invalid byte is encoded as U+FFFD, and so do we.
// It also checks that chunked counting (see CountReader) equals counting
// the whole text.
//
// Inputs over referenceLimit are not compared with tiktoken-go, whose
// merges take quadratic time in the length of a piece (a few seconds for a
// 30 KB run of one symbol), which stalls the fuzzer; they still go through
// our encoder and the chunked count, which must agree and not panic.
func FuzzEncodeMatchesReference(f *testing.F) {
	for _, s := range fragments {
		f.Add([]byte(s))
	}
	for _, b := range corpusFiles(f) {
		if len(b) < 4096 {
			f.Add(b)
		}
	}
	encs := map[string]*Encoding{}
	for _, name := range Encodings() {
		encs[name] = mustEncoding(f, name)
	}
	refs := reference()
	f.Fuzz(func(t *testing.T, text []byte) {
		for _, name := range Encodings() {
			got := encs[name].Encode(nil, text)
			if len(text) <= referenceLimit {
				want := refs[name].EncodeOrdinary(string(text))
				if !slices.Equal(want, got) {
					t.Fatalf("%s: %q: %s", name, text, diffIDs(refs[name], want, got))
				}
			}
			n, err := countChunked(encs[name], text, 7)
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(len(got)) {
				t.Fatalf("%s: %q: chunked count %d, want %d", name, text, n, len(got))
			}
		}
	})
}

// referenceLimit is the longest input the fuzz test compares with
// tiktoken-go.
const referenceLimit = 4096

// countChunked counts text through CountReader with a tiny buffer, so that
// every safe cut is used.
func countChunked(c Counter, text []byte, size int) (int64, error) {
	n, err := countReader(context.Background(), bytes.NewReader(text), []Counter{c}, size)
	if err != nil {
		return 0, err
	}
	return n[0], nil
}
