package tokenize

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	tiktoken "github.com/pkoukk/tiktoken-go"
)

// reference returns tiktoken-go's encoder for name, loaded once.
var reference = sync.OnceValue(func() map[string]*tiktoken.Tiktoken {
	m := map[string]*tiktoken.Tiktoken{}
	for _, name := range Encodings() {
		tk, err := tiktoken.GetEncoding(name)
		if err != nil {
			panic(err)
		}
		m[name] = tk
	}
	return m
})

func mustEncoding(t testing.TB, name string) *Encoding {
	t.Helper()
	e, err := ForEncoding(name)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// diffIDs reports the first difference between two id lists, with the
// bytes of the tokens around it.
func diffIDs(ref *tiktoken.Tiktoken, want, got []int) string {
	k := 0
	for k < len(want) && k < len(got) && want[k] == got[k] {
		k++
	}
	lo := max(0, k-3)
	return fmt.Sprintf("first difference at token %d of %d/%d: tiktoken-go %q, ours %q",
		k, len(want), len(got), ref.Decode(want[lo:min(len(want), k+3)]), ref.Decode(got[lo:min(len(got), k+3)]))
}

// checkIdentical compares ids and count with tiktoken-go.
func checkIdentical(t *testing.T, name string, text []byte) bool {
	t.Helper()
	ref := reference()[name]
	want := ref.EncodeOrdinary(string(text))
	e := mustEncoding(t, name)
	got := e.Encode(nil, text)
	if !slices.Equal(want, got) {
		t.Errorf("%s: %d bytes: %s", name, len(text), diffIDs(ref, want, got))
		return false
	}
	if n := e.Count(text); n != len(want) {
		t.Errorf("%s: Count = %d, want %d", name, n, len(want))
		return false
	}
	return true
}

// TestEncodeMatchesReference is the differential test: token ids must be
// identical to tiktoken-go's for every corpus file and generated text.
func TestEncodeMatchesReference(t *testing.T) {
	files := corpusFiles(t)
	for _, name := range Encodings() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			total := 0
			for file, text := range files {
				if !checkIdentical(t, name, text) {
					t.Logf("in %s", file)
				}
				total += len(text)
			}
			rng := rand.New(rand.NewPCG(3, uint64(len(name))))
			n := 300
			if testing.Short() {
				n = 30
			}
			for range n {
				text := []byte(genText(rng, 1+rng.IntN(200)))
				total += len(text)
				if !checkIdentical(t, name, text) {
					return
				}
			}
			t.Logf("%d bytes identical", total)
		})
	}
}

func TestEncodeCases(t *testing.T) {
	cases := []string{
		"", "a", "hello world", " ", "\n", "    ", strings100("a"), strings100(" "), strings100("ab"),
		"<|endoftext|>", "<|endoftext|> and <|fim_prefix|>", "\xff\xfe", "a\xffb", "\ufffd", "\xe2\x82\xac\xe2",
		"antidisestablishmentarianism", "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
	}
	for _, name := range Encodings() {
		for _, c := range cases {
			checkIdentical(t, name, []byte(c))
		}
	}
}

func strings100(s string) string {
	b := make([]byte, 0, 100*len(s))
	for range 100 {
		b = append(b, s...)
	}
	return string(b)
}

// Encodings and estimates are shared: counting from many goroutines at once
// gives the same counts (go test -race checks the rest).
func TestConcurrentCount(t *testing.T) {
	text := corpusFiles(t)["multilingual.txt"]
	c, err := ForModel("", "claude-sonnet-4-5")
	if err != nil {
		t.Fatal(err)
	}
	e := mustEncoding(t, Cl100kBase)
	want, wantE := c.Count(text), e.Count(text)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := c.Count(text); got != want {
					errs <- fmt.Sprintf("estimate: %d, want %d", got, want)
				}
				if got := e.Count(text); got != wantE {
					errs <- fmt.Sprintf("cl100k_base: %d, want %d", got, wantE)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}

// Long pieces go through mergeLong; compare them with tiktoken-go too.
func TestEncodeLongPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	word := func(n int, alphabet string) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	cases := []string{
		strings.Repeat("a", 300),
		strings.Repeat(" ", 1000) + "x",
		strings.Repeat("ab", 500),
		strings.Repeat("=", 400) + "\n" + strings.Repeat("-", 257),
		word(3000, "abcdefghijklmnopqrstuvwxyz"),
		word(2000, "etaoinshrdlu"),
		word(1500, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
		strings.Repeat("\u00e9", 400),
		strings.Repeat("中文", 300),
		strings.Repeat("\xbb", 700),
		strings.Repeat("🙂", 200),
	}
	for _, name := range Encodings() {
		for _, c := range cases {
			checkIdentical(t, name, []byte(c))
		}
	}
}

// merge (the quadratic scan) and mergeLong (the heap) agree on every piece.
func TestMergeLongMatchesMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	alphabets := []string{"abcdefghijklmnopqrstuvwxyz", "etaoin ", "ab", " \n", "\x00\xff\xe2\x82\xac"}
	for _, name := range Encodings() {
		e := mustEncoding(t, name)
		for k := range 2000 {
			alpha := alphabets[k%len(alphabets)]
			p := make([]byte, 2+rng.IntN(stackParts-1))
			for i := range p {
				p[i] = alpha[rng.IntN(len(alpha))]
			}
			a := e.merge(p, nil)
			b := e.mergeLong(p, nil)
			if !slices.Equal(a, b) {
				t.Fatalf("%s: %q: merge %v, mergeLong %v", name, p, a, b)
			}
		}
	}
}
