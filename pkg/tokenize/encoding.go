package tokenize

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
)

// tiktoken-go downloads its vocabularies from openaipublic.blob.core.windows.net
// unless another loader is registered. llmcost never touches the network:
// the offline loader reads the vocabularies embedded in tiktoken-go-loader,
// both for this package and for any other tiktoken-go user in the process.
func init() {
	tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader())
}

// A Counter counts the tokens of a text for one model family.
type Counter interface {
	// Count returns the number of tokens of text; it is safe for
	// concurrent use.
	Count(text []byte) int
	// Name identifies the tokenizer, e.g. "o200k_base"; it is safe for
	// concurrent use.
	Name() string
	// Exact reports whether Count is the vendor's exact count (true) or an
	// estimate (false); it is safe for concurrent use.
	Exact() bool
}

// Encoding names.
const (
	O200kBase  = "o200k_base"
	Cl100kBase = "cl100k_base"
	P50kBase   = "p50k_base"
	R50kBase   = "r50k_base"
)

// encodings maps each supported encoding to its vocabulary file (as named
// in tiktoken-go-loader's assets) and its pre-tokenizer.
var encodings = map[string]struct {
	file  string
	split splitFunc
}{
	O200kBase:  {"o200k_base.tiktoken", splitO200k},
	Cl100kBase: {"cl100k_base.tiktoken", splitCl100k},
	P50kBase:   {"p50k_base.tiktoken", splitR50k},
	R50kBase:   {"r50k_base.tiktoken", splitR50k},
}

// Encodings lists the supported encoding names, sorted.
func Encodings() []string {
	names := make([]string, 0, len(encodings))
	for n := range encodings {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Encoding is an exact tokenizer for one of OpenAI's encodings. It gives
// the token ids tiktoken-go gives for ordinary text (special-token strings
// such as "<|endoftext|>" are encoded as text, as EncodeOrdinary does), and
// is several times faster. It is immutable and safe for concurrent use.
type Encoding struct {
	name  string
	vocab *vocab
	split splitFunc
}

var loaded sync.Map // encoding name -> func() (*Encoding, error)

// ForEncoding returns the encoding with the given name (see Encodings).
// The vocabulary is loaded from the files embedded in tiktoken-go-loader on
// first use (0.1 to 0.3 s; o200k_base is the largest) and shared afterwards.
func ForEncoding(name string) (*Encoding, error) {
	spec, ok := encodings[name]
	if !ok {
		return nil, fmt.Errorf("unknown encoding %q (known: %s)", name, strings.Join(Encodings(), ", "))
	}
	load, _ := loaded.LoadOrStore(name, sync.OnceValues(func() (*Encoding, error) {
		buildRuneClass()
		// The loader takes the base name of tiktoken-go's download URL.
		ranks, err := tiktokenloader.NewOfflineLoader().LoadTiktokenBpe(spec.file)
		if err != nil {
			return nil, fmt.Errorf("load the %s vocabulary: %w", name, err)
		}
		v, err := newVocab(ranks)
		if err != nil {
			return nil, fmt.Errorf("load the %s vocabulary: %w", name, err)
		}
		return &Encoding{name: name, vocab: v, split: spec.split}, nil
	}))
	return load.(func() (*Encoding, error))()
}

// Name returns the encoding name; safe for concurrent use.
func (e *Encoding) Name() string { return e.name }

// Exact is true: counts are OpenAI's; safe for concurrent use.
func (e *Encoding) Exact() bool { return true }

// Count returns the number of tokens of text; safe for concurrent use.
func (e *Encoding) Count(text []byte) int {
	n := 0
	e.each(text, func(p []byte, bounds []int) {
		if bounds == nil {
			n++
		} else {
			n += len(bounds) - 1
		}
	})
	return n
}

// Encode appends the token ids of text to dst and returns the result; safe
// for concurrent use.
func (e *Encoding) Encode(dst []int, text []byte) []int {
	e.each(text, func(p []byte, bounds []int) {
		if bounds == nil {
			dst = append(dst, e.vocab.get(p))
			return
		}
		for k := 0; k+1 < len(bounds); k++ {
			dst = append(dst, e.vocab.get(p[bounds[k]:bounds[k+1]]))
		}
	})
	return dst
}

// each splits text into pieces and calls fn for each with the piece's
// bytes and, unless the whole piece is one token (bounds == nil), the
// token boundaries from merge. Invalid UTF-8 is encoded as tiktoken-go
// encodes it: each invalid byte becomes U+FFFD (EF BF BD), because
// tiktoken-go converts the text to runes before splitting it.
func (e *Encoding) each(text []byte, fn func(p []byte, bounds []int)) {
	// bad is the offset of the next invalid byte at or after i.
	bad := len(text)
	if !utf8.Valid(text) {
		bad = nextInvalid(text, 0)
	}
	var boundsBuf [stackParts + 1]int
	var fixed []byte
	for i := 0; i < len(text); {
		j := e.split(text, i)
		p := text[i:j]
		if bad < j {
			fixed = replaceInvalid(fixed[:0], p)
			p = fixed
			bad = nextInvalid(text, j)
		}
		i = j
		if e.vocab.get(p) != noRank {
			fn(p, nil)
			continue
		}
		fn(p, e.merge(p, boundsBuf[:0]))
	}
}

// nextInvalid returns the offset of the first byte at or after i that does
// not start a valid UTF-8 sequence, or len(s).
func nextInvalid(s []byte, i int) int {
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(s)
}

// replaceInvalid appends p to dst with each invalid byte replaced by the
// UTF-8 encoding of U+FFFD.
func replaceInvalid(dst, p []byte) []byte {
	for len(p) > 0 {
		r, n := utf8.DecodeRune(p)
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, p[:n]...)
		}
		p = p[n:]
	}
	return dst
}
