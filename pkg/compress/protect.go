package compress

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the kind of a protected span.
type Kind uint8

// Kinds of protected spans, in no particular order. The scanner tries them
// at each position from left to right, so a span that starts first wins
// (a URL inside a quoted string belongs to the quoted string).
const (
	// KindRaw is invalid UTF-8, or runes of the private-use range the
	// document model uses for its placeholders.
	KindRaw Kind = iota
	// KindFence is a fenced code block, fence lines included.
	KindFence
	// KindCode is inline code: `x`, ``x``.
	KindCode
	// KindJSON is a JSON object or array written in the text (it must
	// parse and hold at least one string); only its whitespace may change.
	KindJSON
	// KindURL is a URL (scheme://… or www.…).
	KindURL
	// KindEmail is an e-mail address.
	KindEmail
	// KindTemplate is a template variable: {x}, {{x}}, {%…%}, ${X}, $VAR,
	// %(x)s.
	KindTemplate
	// KindTag is an XML-ish tag (<tag>, </tag>, <tag a="b">, <tag/>), an
	// HTML comment or a special token such as <|im_start|>.
	KindTag
	// KindQuote is a quoted string: "…", '…', “…”, ‘…’ on one line.
	KindQuote
	// KindNumber is a number with what is attached to it: 10, 1.5, 3-5,
	// $20, 10%, 500ms, 2026-04-01.
	KindNumber
)

var kindNames = [...]string{"raw", "fence", "code", "json", "url", "email", "template", "tag", "quote", "number"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// span is a protected byte range [start, end) of a text.
type span struct {
	start, end int
	kind       Kind
}

// Limits keep the scanner linear on hostile input.
const (
	maxQuote    = 1000 // bytes of a quoted string
	maxTag      = 500  // bytes of a tag
	maxTemplate = 200  // bytes of a {{…}} or {%…%} template expression
	maxComment  = 10000
)

// isSentinel reports whether r is in the private-use range reserved for
// the document model's placeholders (U+E000–U+E0FF).
func isSentinel(r rune) bool { return r >= 0xE000 && r <= 0xE0FF }

// scan finds the protected spans of s, left to right, without overlaps.
// It is deterministic and depends on s only.
func scan(s string) []span {
	var out []span
	// JSON candidates are bracket-matched before they are parsed; the
	// budget keeps pathological input ("[[[[…") linear.
	budget := 16*len(s) + 1<<20
	for i := 0; i < len(s); {
		if i == 0 || s[i-1] == '\n' {
			if e := fenceAt(s, i); e > i {
				out = append(out, span{i, e, KindFence})
				i = e
				continue
			}
		}
		e, k := matchAt(s, i, &budget)
		if e > i {
			out = append(out, span{i, e, k})
			i = e
			continue
		}
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
	}
	return out
}

// matchAt tries every inline matcher at i and returns the end of the span
// that starts there (e == i: none).
func matchAt(s string, i int, budget *int) (int, Kind) {
	c := s[i]
	switch {
	case c >= utf8.RuneSelf:
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || isSentinel(r) {
			return rawRun(s, i), KindRaw
		}
		switch r {
		case '“':
			if e := closeOnLine(s, i+n, "”", maxQuote); e > 0 {
				return e, KindQuote
			}
		case '‘':
			if opensQuote(s, i) {
				if e := closeSingle(s, i+n, '’'); e > 0 {
					return e, KindQuote
				}
			}
		case '€', '£', '¥':
			if i+n < len(s) && isDigit(s[i+n]) {
				return numberEnd(s, i+n), KindNumber
			}
		}
	case c == '`':
		if e := inlineCode(s, i); e > 0 {
			return e, KindCode
		}
	case c == '{' || c == '[':
		if e := jsonAt(s, i, budget); e > 0 {
			return e, KindJSON
		}
		if c == '{' {
			if e := templateBrace(s, i); e > 0 {
				return e, KindTemplate
			}
		}
	case c == '$':
		if i+1 < len(s) && isDigit(s[i+1]) {
			return numberEnd(s, i+1), KindNumber
		}
		if e := templateDollar(s, i); e > 0 {
			return e, KindTemplate
		}
	case c == '%':
		if e := templatePercent(s, i); e > 0 {
			return e, KindTemplate
		}
	case c == '<':
		if e := tagAt(s, i); e > 0 {
			return e, KindTag
		}
	case c == '"':
		if e := closeOnLine(s, i+1, `"`, maxQuote); e > 0 {
			return e, KindQuote
		}
	case c == '\'':
		if opensQuote(s, i) {
			if e := closeSingle(s, i+1, '\''); e > 0 {
				return e, KindQuote
			}
		}
	case isDigit(c):
		return numberEnd(s, i), KindNumber
	case isWordByte(c) && (i == 0 || !isWordByte(s[i-1]) && s[i-1] != '.' && s[i-1] != '@'):
		if e := urlAt(s, i); e > 0 {
			return e, KindURL
		}
		if e := emailAt(s, i); e > 0 {
			return e, KindEmail
		}
	}
	return i, 0
}

func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isLetter(c byte) bool   { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isWordByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

// rawRun is the end of a run of invalid bytes and sentinel runes.
func rawRun(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(r == utf8.RuneError && n <= 1 || isSentinel(r)) {
			break
		}
		i += n
	}
	return i
}

// fenceAt matches a fenced code block whose opening fence starts the line
// at i (any indentation): ``` or ~~~, three or more, up to a closing fence
// of the same character at least as long, or to the end of s. The span
// ends at the end of the closing fence line, before its newline.
func fenceAt(s string, i int) int {
	j := i
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j >= len(s) || s[j] != '`' && s[j] != '~' {
		return i
	}
	ch := s[j]
	n := 0
	for j+n < len(s) && s[j+n] == ch {
		n++
	}
	if n < 3 {
		return i
	}
	eol := strings.IndexByte(s[j+n:], '\n')
	if eol < 0 {
		return len(s) // a fence on the last line: protect it whole
	}
	eol += j + n
	if ch == '`' && strings.IndexByte(s[j+n:eol], '`') >= 0 {
		return i // not a fence: backticks in the info string
	}
	for p := eol + 1; p < len(s); {
		end := strings.IndexByte(s[p:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += p
		}
		line := strings.TrimLeft(s[p:end], " \t")
		k := 0
		for k < len(line) && line[k] == ch {
			k++
		}
		if k >= n && strings.TrimRight(line[k:], " \t\r") == "" {
			return end
		}
		p = end + 1
	}
	return len(s)
}

// fenceInfo returns the info string of a fence span ("json") and the
// offsets of its content (between the fence lines); ok is false for an
// unclosed fence.
func fenceInfo(f string) (info string, from, to int, ok bool) {
	nl := strings.IndexByte(f, '\n')
	last := strings.LastIndexByte(f, '\n')
	if nl < 0 || last <= nl {
		return "", 0, 0, false
	}
	open := strings.TrimLeft(f[:nl], " \t")
	close := strings.TrimSpace(f[last+1:])
	if close == "" || close[0] != open[0] || strings.Trim(close, close[:1]) != "" {
		return "", 0, 0, false
	}
	info = strings.TrimSpace(strings.TrimLeft(open, open[:1]))
	return info, nl + 1, last, true
}

// inlineCode matches a run of backticks up to the next run of the same
// length, without crossing a blank line.
func inlineCode(s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] == '`' {
		n++
	}
	for j := i + n; j < len(s); {
		if s[j] == '\n' && j+1 < len(s) && (s[j+1] == '\n' || s[j+1] == '\r') {
			return 0
		}
		if s[j] != '`' {
			j++
			continue
		}
		k := 0
		for j+k < len(s) && s[j+k] == '`' {
			k++
		}
		if k == n {
			return j + k
		}
		j += k
	}
	return 0
}

// jsonAt matches a JSON object or array that starts at i: the bracketed
// text must parse and hold at least one string (so that "[1, 2]" and "{}"
// in prose stay prose).
func jsonAt(s string, i int, budget *int) int {
	// Cheap filter: what follows the bracket must be able to start JSON.
	j := i + 1
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
		j++
	}
	if j >= len(s) {
		return 0
	}
	if s[i] == '{' && s[j] != '"' && s[j] != '}' {
		return 0
	}
	if s[i] == '[' && strings.IndexByte("{[\"]-0123456789tfn", s[j]) < 0 {
		return 0
	}
	depth, inStr := 0, false
	for j = i; j < len(s); j++ {
		if *budget <= 0 {
			return 0
		}
		*budget--
		c := s[j]
		if inStr {
			switch c {
			case '\\':
				j++
			case '"':
				inStr = false
			case '\n':
				return 0
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				cand := s[i : j+1]
				if strings.IndexByte(cand, '"') >= 0 && json.Valid([]byte(cand)) {
					return j + 1
				}
				return 0
			}
		}
	}
	return 0
}

// templateBrace matches {{…}}, {%…%}, {#…#} and {name}, {0}, {}, {name:fmt}.
func templateBrace(s string, i int) int {
	if i+1 < len(s) {
		var closing string
		switch s[i+1] {
		case '{':
			closing = "}}"
		case '%':
			closing = "%}"
		case '#':
			closing = "#}"
		}
		if closing != "" {
			if k := strings.Index(s[i+2:min(len(s), i+2+maxTemplate)], closing); k >= 0 {
				e := i + 2 + k + len(closing)
				// {{{x}}}: take the third brace too.
				if closing == "}}" && i+2 < len(s) && s[i+2] == '{' && e < len(s) && s[e] == '}' {
					return e + 1
				}
				return e
			}
			if s[i+1] == '{' {
				return 0
			}
		}
	}
	j := i + 1
	for j < len(s) && s[j] == ' ' {
		j++
	}
	start := j
	for j < len(s) && (isWordByte(s[j]) || s[j] == '.' || s[j] == '-' || s[j] == '[' || s[j] == ']') {
		j++
	}
	if j > start && !(isLetter(s[start]) || s[start] == '_' || isDigit(s[start])) {
		return 0
	}
	if j < len(s) && (s[j] == ':' || s[j] == '!') && j > start {
		k := j
		for k < len(s) && k-i < 60 && s[k] != '}' && s[k] != '{' && s[k] != '\n' {
			k++
		}
		j = k
	}
	for j < len(s) && s[j] == ' ' {
		j++
	}
	if j < len(s) && s[j] == '}' && j-i <= 80 {
		return j + 1
	}
	return 0
}

// templateDollar matches ${…} and $NAME / $name.
func templateDollar(s string, i int) int {
	if i+1 >= len(s) {
		return 0
	}
	if s[i+1] == '{' {
		if k := strings.IndexByte(s[i+2:min(len(s), i+2+maxTemplate)], '}'); k >= 0 && !strings.Contains(s[i+2:i+2+k], "\n") {
			return i + 2 + k + 1
		}
		return 0
	}
	if !isLetter(s[i+1]) && s[i+1] != '_' {
		return 0
	}
	j := i + 1
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	return j
}

// templatePercent matches %(name)s.
func templatePercent(s string, i int) int {
	if i+1 >= len(s) || s[i+1] != '(' {
		return 0
	}
	j := i + 2
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	if j == i+2 || j+1 >= len(s) || s[j] != ')' || !isLetter(s[j+1]) {
		return 0
	}
	return j + 2
}

// tagAt matches <tag …>, </tag>, <tag/>, <!-- … --> and <|token|>.
func tagAt(s string, i int) int {
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "<!--"):
		if k := strings.Index(rest[4:min(len(rest), maxComment)], "-->"); k >= 0 {
			return i + 4 + k + 3
		}
		return 0
	case strings.HasPrefix(rest, "<|"):
		if k := strings.Index(rest[2:min(len(rest), 64)], "|>"); k >= 0 && !strings.ContainsAny(rest[2:2+k], " \n<>") {
			return i + 2 + k + 2
		}
		return 0
	}
	j := 1
	if j < len(rest) && rest[j] == '/' {
		j++
	}
	if j >= len(rest) || !isLetter(rest[j]) {
		return 0
	}
	for j < len(rest) && (isWordByte(rest[j]) || rest[j] == '-' || rest[j] == '.' || rest[j] == ':') {
		j++
	}
	if j < len(rest) && (rest[j] == ' ' || rest[j] == '\t' || rest[j] == '\n') {
		inStr := byte(0)
		for j < len(rest) && j < maxTag {
			c := rest[j]
			if inStr != 0 {
				if c == inStr {
					inStr = 0
				}
				j++
				continue
			}
			if c == '"' || c == '\'' {
				inStr = c
			} else if c == '<' {
				return 0
			} else if c == '>' {
				break
			}
			j++
		}
	}
	if j < len(rest) && rest[j] == '/' {
		j++
	}
	if j < len(rest) && rest[j] == '>' {
		return i + j + 1
	}
	return 0
}

// closeOnLine finds the closing quote q after from on the same line, within
// max bytes; it returns the end of the quoted string, or 0. A backslash
// escapes the next byte.
func closeOnLine(s string, from int, q string, max int) int {
	lim := min(len(s), from+max)
	for j := from; j < lim; j++ {
		switch {
		case s[j] == '\n':
			return 0
		case s[j] == '\\' && q == `"`:
			j++
		case strings.HasPrefix(s[j:], q):
			return j + len(q)
		}
	}
	return 0
}

// opensQuote reports whether the single quote at i can open a quoted
// string: it does not follow a letter or digit (so "don't" and "users'"
// stay words) and is followed by a non-space.
func opensQuote(s string, i int) bool {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if isWordRune(r) || r == '\'' || r == '’' || r == '‘' || r == '`' {
			return false
		}
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	if i+n >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i+n:])
	return !unicode.IsSpace(r) && r != '\'' && r != '’'
}

// closeSingle finds the closing quote q on the same line: one that follows
// a non-space and is not followed by a letter or digit.
func closeSingle(s string, from int, q rune) int {
	lim := min(len(s), from+maxQuote)
	for j := from; j < lim; {
		r, n := utf8.DecodeRuneInString(s[j:])
		if r == '\n' {
			return 0
		}
		if r == q && j > from {
			prev, _ := utf8.DecodeLastRuneInString(s[:j])
			next := rune(' ')
			if j+n < len(s) {
				next, _ = utf8.DecodeRuneInString(s[j+n:])
			}
			if !unicode.IsSpace(prev) && !isWordRune(next) {
				return j + n
			}
		}
		j += n
	}
	return 0
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// numberEnd is the end of the number that starts at i: digits with inner
// separators (1,000 1.5 3-5 10:30 2026-04-01 1/2), then a % or letters
// attached to it (500ms, 4o, 2nd).
func numberEnd(s string, i int) int {
	j := i
	for j < len(s) {
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j+1 < len(s) && strings.IndexByte(".,:/_-", s[j]) >= 0 && isDigit(s[j+1]) {
			j++
			continue
		}
		break
	}
	if j < len(s) && s[j] == '%' {
		return j + 1
	}
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	return j
}

// urlAt matches scheme://… and www.…, without trailing punctuation and
// without a closing parenthesis that has no opening one.
func urlAt(s string, i int) int {
	j := i
	for j < len(s) && j-i < 20 && (isLetter(s[j]) || isDigit(s[j]) && j > i || s[j] == '+' || s[j] == '-' || s[j] == '.') {
		j++
	}
	switch {
	case j > i && strings.HasPrefix(s[j:], "://"):
		j += 3
	case j-i >= 4 && strings.EqualFold(s[i:i+4], "www."):
		j = i + 4
	default:
		return 0
	}
	start := j
	for j < len(s) {
		c := s[j]
		if c <= ' ' || strings.IndexByte("<>\"'`{}|\\^", c) >= 0 {
			break
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[j:])
			if r == utf8.RuneError || unicode.IsSpace(r) || isSentinel(r) || r == '“' || r == '”' || r == '’' {
				break
			}
			j += n
			continue
		}
		j++
	}
	for j > start {
		c := s[j-1]
		if strings.IndexByte(".,;:!?*_~", c) >= 0 {
			j--
			continue
		}
		if c == ')' && strings.Count(s[i:j], "(") < strings.Count(s[i:j], ")") ||
			c == ']' && strings.Count(s[i:j], "[") < strings.Count(s[i:j], "]") {
			j--
			continue
		}
		break
	}
	if j == start {
		return 0
	}
	return j
}

// emailAt matches local@domain.tld starting at i.
func emailAt(s string, i int) int {
	j := i
	for j < len(s) && (isWordByte(s[j]) || strings.IndexByte(".+-%", s[j]) >= 0) {
		j++
	}
	if j == i || j >= len(s) || s[j] != '@' {
		return 0
	}
	j++
	dots, last := 0, j
	for j < len(s) {
		c := s[j]
		if isWordByte(c) || c == '-' {
			j++
			continue
		}
		if c == '.' && j+1 < len(s) && isWordByte(s[j+1]) && s[j-1] != '.' && s[j-1] != '@' {
			dots++
			j++
			continue
		}
		break
	}
	if dots == 0 || j == last || s[j-1] == '-' {
		return 0
	}
	return j
}
