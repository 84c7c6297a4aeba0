package tokenize

import "unicode/utf8"

// A splitFunc is a hand-written pre-tokenizer: it returns the end of the
// piece that starts at s[i] (0 <= i < len(s)), exactly where the encoding's
// regular expression, evaluated by tiktoken-go, ends its match there.
//
// The regular expressions are alternations tried in order, each with
// backtracking; a comment above each branch below quotes the alternative it
// implements. Every position starts a match (the alternatives cover every
// character), so pieces are contiguous and a text is split by calling the
// function again at the end of the previous piece. Runes are decoded as Go
// does: an invalid byte is a U+FFFD of length 1.
type splitFunc func(s []byte, i int) int

// splitO200k implements the o200k_base pattern:
//
//	[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//	|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//	|\p{N}{1,3}
//	| ?[^\s\p{L}\p{N}]+[\r\n/]*
//	|\s*[\r\n]+
//	|\s+(?!\S)
//	|\s+
func splitO200k(s []byte, i int) int {
	if j := asciiWordO200k(s, i); j > i {
		return j
	}
	c, z := classAt(s, i)
	if c&(cNumber|cNewline) == 0 { // a word can start here
		if j := wordO200k(s, i, c, z); j > i {
			return j
		}
	}
	if c&cNumber != 0 {
		return numbers3(s, i+z)
	}
	return punctOrSpace(s, i, c, z, true)
}

// asciiWordO200k is the fast path of the first two alternatives for ASCII
// text: with no rune in both U and W, they reduce to an optional prefix,
// [A-Z]*[a-z]* with at least one letter, and a contraction. It returns i
// when the text is not such a word or the letters are followed by a
// non-ASCII byte (which could be a mark or letter continuing the run).
func asciiWordO200k(s []byte, i int) int {
	j := i
	if c := asciiClassOf(s[i]); c&(cLetter|cNumber|cNewline) == 0 && s[i] < utf8.RuneSelf {
		j++ // the prefix [^\r\n\p{L}\p{N}]
	}
	k := j
	for k < len(s) && s[k]-'A' < 26 {
		k++
	}
	for k < len(s) && s[k]-'a' < 26 {
		k++
	}
	if k == j || k < len(s) && s[k] >= utf8.RuneSelf {
		return i
	}
	return contraction(s, k)
}

// asciiClassOf returns the class of an ASCII byte, 0 for other bytes.
func asciiClassOf(b byte) uint8 {
	if b < utf8.RuneSelf {
		return asciiClass[b]
	}
	return 0
}

// wordO200k tries the first two alternatives of o200k_base at s[i], whose
// class is c and length z; it returns i when neither matches.
func wordO200k(s []byte, i int, c uint8, z int) int {
	// The optional prefix [^\r\n\p{L}\p{N}] is tried first (greedy ?),
	// then the match without it.
	prefix := c&(cNewline|cLetter|cNumber) == 0 && i+z < len(s)
	// [^\r\n\p{L}\p{N}]?[U]*[W]+C?
	if prefix {
		if j := upperLower(s, i+z); j > 0 {
			return j
		}
	}
	if c&(cUpper|cLower) != 0 {
		if j := upperLower(s, i); j > 0 {
			return j
		}
	}
	// [^\r\n\p{L}\p{N}]?[U]+[W]*C?
	if prefix {
		if c2, z2 := classAt(s, i+z); c2&cUpper != 0 {
			return contraction(s, runOf(s, runOf(s, i+z+z2, cUpper), cLower))
		}
	}
	if c&cUpper != 0 {
		return contraction(s, runOf(s, runOf(s, i+z, cUpper), cLower))
	}
	return i
}

// upperLower matches [U]*[W]+C? at s[st] and returns its end, or -1. U and
// W overlap (Lm, Lo, M), so the greedy [U]* gives back runes until [W]+ can
// start: either right after the [U] run, where [W]+ then runs on, or at the
// last rune of the [U] run that is also in W, where [W]+ stops after that
// rune (the rune after it is not in W).
func upperLower(s []byte, st int) int {
	u, lastW := st, -1
	for u < len(s) {
		c, z := classAt(s, u)
		if c&cUpper == 0 {
			if c&cLower != 0 {
				return contraction(s, runOf(s, u+z, cLower))
			}
			break
		}
		u += z
		if c&cLower != 0 {
			lastW = u
		}
	}
	if lastW >= 0 {
		return contraction(s, lastW)
	}
	return -1
}

// splitCl100k implements the cl100k_base pattern:
//
//	(?i:'s|'t|'re|'ve|'m|'ll|'d)
//	|[^\r\n\p{L}\p{N}]?\p{L}+
//	|\p{N}{1,3}
//	| ?[^\s\p{L}\p{N}]+[\r\n]*
//	|\s*[\r\n]+
//	|\s+(?!\S)
//	|\s+
func splitCl100k(s []byte, i int) int {
	if s[i] == '\'' {
		if j := contraction(s, i); j > i {
			return j
		}
	}
	// Fast path: [^\r\n\p{L}\p{N}]?[A-Za-z]+ ending before an ASCII byte.
	if j := asciiWordCl100k(s, i); j > i {
		return j
	}
	c, z := classAt(s, i)
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if c&cLetter != 0 {
		return runOf(s, i+z, cLetter)
	}
	if c&(cNewline|cNumber) == 0 && i+z < len(s) {
		if c2, z2 := classAt(s, i+z); c2&cLetter != 0 {
			return runOf(s, i+z+z2, cLetter)
		}
	}
	if c&cNumber != 0 {
		return numbers3(s, i+z)
	}
	return punctOrSpace(s, i, c, z, false)
}

// asciiWordCl100k is the ASCII fast path of [^\r\n\p{L}\p{N}]?\p{L}+; it
// returns i when the text is not such a word or the letters are followed by
// a non-ASCII byte.
func asciiWordCl100k(s []byte, i int) int {
	j := i
	if c := asciiClassOf(s[i]); c&(cLetter|cNumber|cNewline) == 0 && s[i] < utf8.RuneSelf {
		j++
	}
	k := j
	for k < len(s) && (s[k]|0x20)-'a' < 26 {
		k++
	}
	if k == j || k < len(s) && s[k] >= utf8.RuneSelf {
		return i
	}
	return k
}

// splitR50k implements the pattern of r50k_base and p50k_base (GPT-2 and
// GPT-3), whose contractions are case-sensitive:
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
func splitR50k(s []byte, i int) int {
	if s[i] == '\'' {
		if j := contractionLower(s, i); j > i {
			return j
		}
	}
	j := i
	if s[i] == ' ' && i+1 < len(s) {
		j = i + 1
	}
	c, z := classAt(s, j)
	switch {
	case c&cLetter != 0:
		return runOf(s, j+z, cLetter)
	case c&cNumber != 0:
		return runOf(s, j+z, cNumber)
	case c&cSpace == 0:
		return runNotOf(s, j+z, cSpace|cLetter|cNumber)
	}
	return spaceRun(s, i, false)
}

// punctOrSpace matches the alternatives from ` ?[^\s\p{L}\p{N}]+[\r\n]*`
// on at s[i], whose class is c and length z; slash adds '/' to the trailing class
// (o200k_base).
func punctOrSpace(s []byte, i int, c uint8, z int, slash bool) int {
	const notPunct = cSpace | cLetter | cNumber
	j := -1
	if s[i] == ' ' && i+1 < len(s) {
		if c2, z2 := classAt(s, i+1); c2&notPunct == 0 {
			j = i + 1 + z2
		}
	}
	if j < 0 && c&notPunct == 0 {
		j = i + z
	}
	if j < 0 {
		return spaceRun(s, i, true)
	}
	j = runNotOf(s, j, notPunct)
	for j < len(s) && (s[j] == '\n' || s[j] == '\r' || slash && s[j] == '/') {
		j++
	}
	return j
}

// spaceRun matches the whitespace alternatives at s[i]:
//
//	\s*[\r\n]+   (only when newlines is set)
//	|\s+(?!\S)
//	|\s+
//
// The first ends after the last newline of the whitespace run; the second
// ends before the run's last rune when a non-space follows it (backtracking
// one rune makes the lookahead see a space), or at the end of the text; the
// third takes a one-rune run.
func spaceRun(s []byte, i int, newlines bool) int {
	j, last, nl, runes := i, i, -1, 0
	for j < len(s) {
		c, z := classAt(s, j)
		if c&cSpace == 0 {
			break
		}
		if c&cNewline != 0 {
			nl = j + 1
		}
		last = j
		j += z
		runes++
	}
	switch {
	case newlines && nl >= 0:
		return nl
	case j == len(s) || runes == 1:
		return j
	}
	return last
}

// numbers3 matches the rest of \p{N}{1,3} after its first rune, at s[j].
func numbers3(s []byte, j int) int {
	for k := 1; k < 3 && j < len(s); k++ {
		c, z := classAt(s, j)
		if c&cNumber == 0 {
			break
		}
		j += z
	}
	return j
}

// runOf skips runes whose class has a bit of mask.
func runOf(s []byte, j int, mask uint8) int {
	for j < len(s) {
		c, z := classAt(s, j)
		if c&mask == 0 {
			break
		}
		j += z
	}
	return j
}

// runNotOf skips runes whose class has no bit of mask.
func runNotOf(s []byte, j int, mask uint8) int {
	for j < len(s) {
		c, z := classAt(s, j)
		if c&mask != 0 {
			break
		}
		j += z
	}
	return j
}

// contraction matches (?i:'s|'t|'re|'ve|'m|'ll|'d) at s[e] and returns its
// end, or e. Only ASCII letters match: no other rune lower-cases to one of
// these letters with unicode.ToLower, which regexp2 uses for (?i).
func contraction(s []byte, e int) int {
	if e+1 >= len(s) || s[e] != '\'' {
		return e
	}
	// b|0x20 lower-cases an ASCII letter and maps no other byte to one.
	switch s[e+1] | 0x20 {
	case 's', 't', 'm', 'd':
		return e + 2
	case 'r', 'v':
		if e+2 < len(s) && s[e+2]|0x20 == 'e' {
			return e + 3
		}
	case 'l':
		if e+2 < len(s) && s[e+2]|0x20 == 'l' {
			return e + 3
		}
	}
	return e
}

// contractionLower is contraction without (?i).
func contractionLower(s []byte, e int) int {
	if e+1 >= len(s) || s[e] != '\'' {
		return e
	}
	switch s[e+1] {
	case 's', 't', 'm', 'd':
		return e + 2
	case 'r', 'v':
		if e+2 < len(s) && s[e+2] == 'e' {
			return e + 3
		}
	case 'l':
		if e+2 < len(s) && s[e+2] == 'l' {
			return e + 3
		}
	}
	return e
}
