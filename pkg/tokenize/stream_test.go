package tokenize

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
)

// TestChunkedCount proves the safe cuts: counting in chunks of many sizes
// (so that every cut CountReader can choose is chosen somewhere) equals
// counting the whole text, for every encoding and for estimates.
func TestChunkedCount(t *testing.T) {
	texts := map[string][]byte{}
	for name, b := range corpusFiles(t) {
		texts[name] = b
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for k := range 20 {
		texts["generated-"+string(rune('a'+k))] = []byte(genText(rng, 300))
	}
	// Text where the only cuts are after line breaks, or after letters.
	texts["lines"] = []byte(strings.Repeat("  x\n/y\n\n  z\n!\n\t\n'a\n", 300))
	texts["letters"] = []byte(strings.Repeat("ab1 cd'ef.gh\u00e9ij ", 300))
	est, err := ForModel("", "claude-sonnet-4-5")
	if err != nil {
		t.Fatal(err)
	}
	counters := []Counter{est}
	for _, name := range Encodings() {
		counters = append(counters, mustEncoding(t, name))
	}
	sizes := []int{1, 2, 3, 5, 8, 13, 64, 100, 1000, 4096}
	for name, text := range texts {
		for _, c := range counters {
			want := int64(c.Count(text))
			for _, size := range sizes {
				got, err := countChunked(c, text, size)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%s, %s, chunks of %d: %d tokens, whole text %d", name, c.Name(), size, got, want)
				}
			}
		}
	}
}

// TestCountReaderAll counts several counters in one pass, through a reader
// that returns one byte at a time.
func TestCountReaderAll(t *testing.T) {
	text := corpusFiles(t)["prose-en.txt"]
	var cs []Counter
	for _, m := range []string{"gpt-4o", "gpt-4", "claude-sonnet-4-5", "gemini-2.5-pro", "llama-3.1-70b"} {
		c, err := ForModel("", m)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	got, err := CountReaderAll(context.Background(), iotest.OneByteReader(bytes.NewReader(text)), cs...)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cs {
		if want := int64(c.Count(text)); got[i] != want {
			t.Errorf("%s: %d, want %d", c.Name(), got[i], want)
		}
	}
}

// A text with no safe cut grows the buffer instead of cutting unsafely.
func TestCountReaderNoCut(t *testing.T) {
	e := mustEncoding(t, O200kBase)
	text := bytes.Repeat([]byte("中文"), 10000) // no ASCII at all
	got, err := countChunked(e, text, 16)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(e.Count(text)); got != want {
		t.Fatalf("%d, want %d", got, want)
	}
}

func TestCountReaderErrors(t *testing.T) {
	e := mustEncoding(t, O200kBase)
	boom := errors.New("boom")
	if _, err := CountReader(context.Background(), iotest.ErrReader(boom), e); !errors.Is(err, boom) {
		t.Errorf("read error: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CountReader(ctx, strings.NewReader("hello"), e); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	n, err := CountReader(context.Background(), strings.NewReader(""), e)
	if n != 0 || err != nil {
		t.Errorf("empty: %d, %v", n, err)
	}
}

func TestSafeCut(t *testing.T) {
	tests := []struct {
		s      string
		legacy bool
		want   int
	}{
		{"abc def", false, 3},
		{"abc'def", false, -1}, // an apostrophe can continue a word (o200k contractions)
		{"abcdef", false, -1},
		{"x\nyz", false, 2},
		{"1\nyz", true, -1},   // r50k: \s+(?!\S) differs at a cut after a newline
		{"..\n/y", false, -1}, // o200k: '/' continues the piece after a newline
		{"..\n y", false, -1}, // a space after a newline joins the next piece
		{"..\n\ny", false, 4},
		{"ab1", false, 2},
		{"é é", false, -1}, // only ASCII letters
		{"a b c", false, 3},
	}
	for _, tt := range tests {
		if got := safeCut([]byte(tt.s), 1, tt.legacy); got != tt.want {
			t.Errorf("safeCut(%q, legacy=%v) = %d, want %d", tt.s, tt.legacy, got, tt.want)
		}
	}
}

// byteCounter is a Counter from elsewhere, of a type that cannot be a map
// key; CountReader must still work with it.
type byteCounter []string

func (byteCounter) Count(text []byte) int { return len(text) }
func (byteCounter) Name() string          { return "bytes" }
func (byteCounter) Exact() bool           { return true }

func TestCountReaderForeignCounter(t *testing.T) {
	text := corpusFiles(t)["prose-en.txt"]
	n, err := countReader(context.Background(), bytes.NewReader(text), []Counter{byteCounter{"x"}, mustEncoding(t, O200kBase)}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if n[0] != int64(len(text)) || n[1] != int64(mustEncoding(t, O200kBase).Count(text)) {
		t.Fatalf("counts %v", n)
	}
}
