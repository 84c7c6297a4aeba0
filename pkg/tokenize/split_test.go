package tokenize

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// The patterns as tiktoken-go v0.1.8 compiles them (encoding.go).
var referencePatterns = map[string]string{
	"o200k_base": `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?` +
		`|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?` +
		`|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
	"cl100k_base": `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
	"r50k_base":   `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
}

var splitters = map[string]splitFunc{
	"o200k_base":  splitO200k,
	"cl100k_base": splitCl100k,
	"r50k_base":   splitR50k,
}

// referencePieces splits text with regexp2 as tiktoken-go does (on runes)
// and returns the pieces as byte offsets into text.
func referencePieces(t testing.TB, re *regexp2.Regexp, text []byte) []int {
	t.Helper()
	// Rune index -> byte offset, decoding as []rune(string) does.
	var off []int
	for i := 0; i < len(text); {
		off = append(off, i)
		_, n := utf8.DecodeRune(text[i:])
		i += n
	}
	off = append(off, len(text))
	var ends []int
	m, err := re.FindStringMatch(string(text))
	for ; m != nil; m, err = re.FindNextMatch(m) {
		ends = append(ends, off[m.Index+m.Length])
	}
	if err != nil {
		t.Fatal(err)
	}
	return ends
}

func ourPieces(split splitFunc, text []byte) []int {
	var ends []int
	for i := 0; i < len(text); {
		i = split(text, i)
		ends = append(ends, i)
	}
	return ends
}

func comparePieces(t *testing.T, name string, re *regexp2.Regexp, split splitFunc, text []byte) bool {
	t.Helper()
	want := referencePieces(t, re, text)
	got := ourPieces(split, text)
	for k := 0; k < len(want) || k < len(got); k++ {
		if k >= len(want) || k >= len(got) || want[k] != got[k] {
			start := 0
			if k > 0 {
				start = want[k-1]
			}
			var w, g string
			if k < len(want) {
				w = string(text[start:want[k]])
			}
			if k < len(got) {
				g = string(text[start:got[k]])
			}
			ctx := text[max(0, start-20):min(len(text), start+40)]
			t.Errorf("%s: piece %d at byte %d: regexp %q, ours %q (context %q)", name, k, start, w, g, ctx)
			return false
		}
	}
	return true
}

// TestSplitMatchesRegexp compares the hand-written pre-tokenizers with the
// regular expressions run by regexp2, piece by piece.
func TestSplitMatchesRegexp(t *testing.T) {
	cases := []string{
		"", "a", " ", "  ", "\n", " \n", "a  b", "a   b", "a \n b", "hello world", "Hello World", "HELLO world",
		"don't", "DON'T", "they'll've", "'s", "'S", " 's", "x'sy", "O'Neil's", "I'm", "'ll", "''s",
		"123", "1234", "12345", "a123b", " 123", "½½½½", "٣٤٥٦",
		"...", " ...", "...\n", ".../", "a/b/c", "//\n//", "!\r\n", " !\n\n", "x \r\n", "  \n\n  \n x",
		"\t\tfoo", "\u00a0foo", "\u3000\u3000bar", "foo \u00a0 bar", "a\u0301", "\u0301a", " \u0301", ".\u0301",
		"ǅemal", "ǅǅ", "ªB.", "AªB.", "ABC", "ABCdef", "abcDEF", "aBc", "ʰa", "Aʰ", "Aʰ'S", "ÉCOLE", "école",
		"中文 字", "한국어", "नमस्ते दुनिया", "👍🏽👍", "👨‍👩‍👧", "\xff\xfe", "a\xffb", "\xe2\x82", "\xe2\x82a",
		"\ufffd", " \xff", "\xff'S", "'\xff", "x\r\ny", "x\r\n\r\ny", "\r\r\n", "a \t b", "a\t\tb",
		"  end  ", "end\n", "end\n\n", "end \n", "end  ", "/\n/", "a.\n/b", "x\u2028y", "x\u0085y", "x\v\fy",
	}
	for name, pat := range referencePatterns {
		re := regexp2.MustCompile(pat, regexp2.None)
		split := splitters[name]
		t.Run(name, func(t *testing.T) {
			for _, c := range cases {
				comparePieces(t, fmt.Sprintf("case %q", c), re, split, []byte(c))
			}
			rng := rand.New(rand.NewPCG(1, 2))
			n := 400
			if testing.Short() {
				n = 50
			}
			for k := range n {
				text := []byte(genText(rng, 1+rng.IntN(60)))
				if !comparePieces(t, fmt.Sprintf("generated %d", k), re, split, text) {
					return
				}
			}
			for file, text := range corpusFiles(t) {
				comparePieces(t, file, re, split, text)
			}
		})
	}
}

// TestSplitAllRunes checks every rune alone and between letters, spaces and
// digits, so each rune's class is checked against regexp2's.
func TestSplitAllRunes(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for name, pat := range referencePatterns {
		re := regexp2.MustCompile(pat, regexp2.None)
		split := splitters[name]
		t.Run(name, func(t *testing.T) {
			var b []byte
			flush := func() bool {
				ok := comparePieces(t, "runes", re, split, b)
				b = b[:0]
				return ok
			}
			for r := rune(0); r <= utf8.MaxRune; r++ {
				if r >= 0xD800 && r <= 0xDFFF {
					continue
				}
				// Every rune of the first 2048, then the runes where the
				// class changes and a sample of the rest.
				if r >= 0x800 && computeClass(r) == computeClass(r-1) && r%97 != 0 {
					continue
				}
				for _, ctx := range []string{"a", "A", " ", "1", "'s"} {
					b = append(b, ctx...)
					b = utf8.AppendRune(b, r)
					b = utf8.AppendRune(b, r)
					b = append(b, ctx...)
					b = utf8.AppendRune(b, r)
					b = append(b, ' ')
				}
				if len(b) > 1<<14 && !flush() {
					return
				}
			}
			flush()
		})
	}
}
