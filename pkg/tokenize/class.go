package tokenize

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// Character classes used by the pre-tokenizers. They are the classes of the
// encodings' regular expressions as tiktoken-go evaluates them (with
// github.com/dlclark/regexp2, which tests \p{..} with Go's unicode tables
// and \s with unicode.IsSpace), so a rune's class here is its class there.
const (
	cLetter  uint8 = 1 << iota // \p{L}
	cUpper                     // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] (o200k)
	cLower                     // [\p{Ll}\p{Lm}\p{Lo}\p{M}] (o200k)
	cNumber                    // \p{N}
	cSpace                     // \s
	cNewline                   // [\r\n]
)

// asciiClass holds the classes of the bytes below 0x80.
var asciiClass [utf8.RuneSelf]uint8

// tableRunes is how many runes runeClass covers: the Basic Multilingual
// Plane and the Supplementary Multilingual Plane (emoji, historic scripts).
// Rarer runes are classified with the unicode package directly.
const tableRunes = 0x20000

var (
	runeClassOnce sync.Once
	runeClass     []uint8
)

func init() {
	for b := 0; b < utf8.RuneSelf; b++ {
		asciiClass[b] = computeClass(rune(b))
	}
}

// computeClass classifies r with the same tables regexp2 uses.
func computeClass(r rune) uint8 {
	var c uint8
	switch {
	case unicode.Is(unicode.Lu, r), unicode.Is(unicode.Lt, r):
		c = cLetter | cUpper
	case unicode.Is(unicode.Ll, r):
		c = cLetter | cLower
	case unicode.Is(unicode.Lm, r), unicode.Is(unicode.Lo, r):
		c = cLetter | cUpper | cLower
	case unicode.Is(unicode.M, r):
		c = cUpper | cLower
	case unicode.Is(unicode.N, r):
		c = cNumber
	}
	if unicode.IsSpace(r) {
		c |= cSpace
	}
	if r == '\r' || r == '\n' {
		c |= cNewline
	}
	return c
}

// buildRuneClass fills the lookup table on first use (a few milliseconds,
// 128 KiB), so that programs that never tokenize do not pay for it.
func buildRuneClass() {
	runeClassOnce.Do(func() {
		t := make([]uint8, tableRunes)
		for r := range rune(tableRunes) {
			t[r] = computeClass(r)
		}
		runeClass = t
	})
}

// classAt returns the class of the rune starting at s[i] and its length in
// bytes. Invalid UTF-8 decodes as U+FFFD of length 1, as Go's []rune
// conversion (and so tiktoken-go) does.
func classAt(s []byte, i int) (uint8, int) {
	if b := s[i]; b < utf8.RuneSelf {
		return asciiClass[b], 1
	}
	return classSlow(s[i:])
}

func classSlow(s []byte) (uint8, int) {
	buildRuneClass()
	r, n := utf8.DecodeRune(s)
	if r < tableRunes {
		return runeClass[r], n
	}
	return computeClass(r), n
}
