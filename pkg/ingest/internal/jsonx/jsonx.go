package jsonx

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// SyntaxError reports malformed JSON at a byte offset of the walked document.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Msg)
}

func syntaxErr(off int, msg string) error { return &SyntaxError{Offset: off, Msg: msg} }

// maxDepth bounds nesting so hostile input cannot make skipping unbounded.
const maxDepth = 10000

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// SkipSpace returns the index of the first non-whitespace byte at or after i.
func SkipSpace(d []byte, i int) int {
	for i < len(d) && isSpace(d[i]) {
		i++
	}
	return i
}

// skipString returns the index just past the closing quote of the string whose
// opening quote is at d[i].
func skipString(d []byte, i int) (int, error) {
	start := i + 1
	p := start
	for {
		j := bytes.IndexByte(d[p:], '"')
		if j < 0 {
			return 0, syntaxErr(i, "unterminated string")
		}
		k := p + j
		n := 0
		for b := k - 1; b >= start && d[b] == '\\'; b-- {
			n++
		}
		if n%2 == 0 {
			return k + 1, nil
		}
		p = k + 1
	}
}

// SkipValue returns the index just past the JSON value starting at d[i]
// (whitespace before it is skipped).
func SkipValue(d []byte, i int) (int, error) {
	i = SkipSpace(d, i)
	if i >= len(d) {
		return 0, syntaxErr(i, "unexpected end of input")
	}
	switch c := d[i]; c {
	case '"':
		return skipString(d, i)
	case '{', '[':
		return skipContainer(d, i)
	case 't':
		return skipLiteral(d, i, "true")
	case 'f':
		return skipLiteral(d, i, "false")
	case 'n':
		return skipLiteral(d, i, "null")
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return skipNumber(d, i)
		}
		return 0, syntaxErr(i, fmt.Sprintf("unexpected character %q", c))
	}
}

func skipLiteral(d []byte, i int, lit string) (int, error) {
	if len(d)-i < len(lit) || string(d[i:i+len(lit)]) != lit {
		return 0, syntaxErr(i, "invalid literal")
	}
	return i + len(lit), nil
}

func skipNumber(d []byte, i int) (int, error) {
	start := i
	if d[i] == '-' {
		i++
	}
	digits := 0
	for i < len(d) {
		c := d[i]
		if (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
			if c >= '0' && c <= '9' {
				digits++
			}
			i++
			continue
		}
		break
	}
	if digits == 0 {
		return 0, syntaxErr(start, "invalid number")
	}
	return i, nil
}

// skipContainer skips an object or array starting at d[i], checking that
// brackets match. Strings inside are skipped without decoding.
func skipContainer(d []byte, i int) (int, error) {
	var stackBuf [64]byte
	stack := append(stackBuf[:0], d[i])
	i++
	for i < len(d) {
		c := d[i]
		switch c {
		case '"':
			e, err := skipString(d, i)
			if err != nil {
				return 0, err
			}
			i = e
			continue
		case '{', '[':
			if len(stack) >= maxDepth {
				return 0, syntaxErr(i, "nesting too deep")
			}
			stack = append(stack, c)
		case '}', ']':
			open := stack[len(stack)-1]
			if (c == '}') != (open == '{') {
				return 0, syntaxErr(i, "mismatched bracket")
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return i + 1, nil
			}
		}
		i++
	}
	return 0, syntaxErr(i, "unexpected end of input")
}

// ErrNotObject is returned by ObjectEach when the value is not an object.
var ErrNotObject = errors.New("not a JSON object")

// ObjectEach calls fn for every member of the JSON object d (leading and
// trailing whitespace allowed). key is the raw key without quotes (escapes not
// decoded; member names that matter here never use them); val is the raw
// value, which may be passed to String, Int, ObjectEach, ArrayEach. An error
// from fn stops the walk and is returned as is.
func ObjectEach(d []byte, fn func(key, val []byte) error) error {
	i := SkipSpace(d, 0)
	if i >= len(d) || d[i] != '{' {
		if i >= len(d) {
			return syntaxErr(i, "empty input")
		}
		return ErrNotObject
	}
	i = SkipSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return trailing(d, i+1)
	}
	for {
		if i >= len(d) || d[i] != '"' {
			return syntaxErr(i, "expected object key")
		}
		ke, err := skipString(d, i)
		if err != nil {
			return err
		}
		key := d[i+1 : ke-1]
		i = SkipSpace(d, ke)
		if i >= len(d) || d[i] != ':' {
			return syntaxErr(i, "expected ':' after object key")
		}
		vs := SkipSpace(d, i+1)
		ve, err := SkipValue(d, vs)
		if err != nil {
			return err
		}
		if err := fn(key, d[vs:ve]); err != nil {
			return err
		}
		i = SkipSpace(d, ve)
		if i >= len(d) {
			return syntaxErr(i, "unexpected end of object")
		}
		switch d[i] {
		case ',':
			i = SkipSpace(d, i+1)
		case '}':
			return trailing(d, i+1)
		default:
			return syntaxErr(i, "expected ',' or '}'")
		}
	}
}

func trailing(d []byte, i int) error {
	i = SkipSpace(d, i)
	if i != len(d) {
		return syntaxErr(i, "unexpected data after value")
	}
	return nil
}

// ArrayEach calls fn for each element of the JSON array d and returns the
// number of elements. A null value counts as an empty array.
func ArrayEach(d []byte, fn func(i int, val []byte) error) (int, error) {
	i := SkipSpace(d, 0)
	if IsNull(d) {
		return 0, nil
	}
	if i >= len(d) || d[i] != '[' {
		return 0, syntaxErr(i, "expected array")
	}
	i = SkipSpace(d, i+1)
	if i < len(d) && d[i] == ']' {
		return 0, trailing(d, i+1)
	}
	n := 0
	for {
		vs := SkipSpace(d, i)
		ve, err := SkipValue(d, vs)
		if err != nil {
			return n, err
		}
		if fn != nil {
			if err := fn(n, d[vs:ve]); err != nil {
				return n, err
			}
		}
		n++
		i = SkipSpace(d, ve)
		if i >= len(d) {
			return n, syntaxErr(i, "unexpected end of array")
		}
		switch d[i] {
		case ',':
			i++
		case ']':
			return n, trailing(d, i+1)
		default:
			return n, syntaxErr(i, "expected ',' or ']'")
		}
	}
}

// IsNull reports whether the raw value is the literal null.
func IsNull(v []byte) bool { return len(v) == 4 && string(v) == "null" }

// IsString reports whether the raw value is a string.
func IsString(v []byte) bool { return len(v) >= 2 && v[0] == '"' }

// Kind returns the first byte of a raw value: '"', '{', '[', 't', 'f', 'n', or
// a digit/'-' for numbers; 0 for empty input.
func Kind(v []byte) byte {
	if len(v) == 0 {
		return 0
	}
	return v[0]
}

// ErrType is wrapped by conversions given a value of another JSON type.
var ErrType = errors.New("wrong JSON type")

// StringBytes returns the content of a raw string value. When the string has
// no escapes the result aliases v; otherwise it is decoded into buf[:0].
func StringBytes(v []byte, buf []byte) ([]byte, error) {
	if !IsString(v) {
		return nil, fmt.Errorf("%w: want string, got %s", ErrType, typeName(v))
	}
	s := v[1 : len(v)-1]
	if bytes.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	return unescape(s, buf[:0])
}

// String decodes a raw string value. null gives "".
func String(v []byte) (string, error) {
	if IsNull(v) {
		return "", nil
	}
	b, err := StringBytes(v, nil)
	return string(b), err
}

func unescape(s, out []byte) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(s) {
			return nil, syntaxErr(i, "bad escape")
		}
		switch s[i] {
		case '"', '\\', '/':
			out = append(out, s[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(s, i+1)
			if !ok {
				return nil, syntaxErr(i, "bad \\u escape")
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(s, i+3); ok && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, syntaxErr(i, "bad escape")
		}
	}
	return out, nil
}

func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range s[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// Int parses a raw number value as an int64 count. null gives 0. Integral
// floats ("10.0", "1e3") are accepted, as exports written by spreadsheets use
// them; fractions, strings and other types are errors.
func Int(v []byte) (int64, error) {
	if len(v) == 0 || IsNull(v) {
		return 0, nil
	}
	c := v[0]
	if c != '-' && (c < '0' || c > '9') {
		return 0, fmt.Errorf("%w: want number, got %s", ErrType, typeName(v))
	}
	var n int64
	neg := false
	i := 0
	if c == '-' {
		neg = true
		i = 1
	}
	if i == len(v) {
		return 0, fmt.Errorf("invalid number %q", v)
	}
	for ; i < len(v); i++ {
		d := v[i]
		if d < '0' || d > '9' {
			return intSlow(v)
		}
		if n > (math.MaxInt64-9)/10 {
			return 0, fmt.Errorf("number %s out of range", v)
		}
		n = n*10 + int64(d-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

func intSlow(v []byte) (int64, error) {
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return 0, fmt.Errorf("invalid number %q", v)
	}
	if f != math.Trunc(f) || f > math.MaxInt64/2 || f < math.MinInt64/2 {
		return 0, fmt.Errorf("number %s is not a whole count", v)
	}
	return int64(f), nil
}

// Float parses a raw number value; null gives 0.
func Float(v []byte) (float64, error) {
	if len(v) == 0 || IsNull(v) {
		return 0, nil
	}
	c := v[0]
	if c != '-' && (c < '0' || c > '9') {
		return 0, fmt.Errorf("%w: want number, got %s", ErrType, typeName(v))
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return 0, fmt.Errorf("invalid number %q", v)
	}
	return f, nil
}

func typeName(v []byte) string {
	switch Kind(v) {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case 0:
		return "nothing"
	}
	return "number"
}
