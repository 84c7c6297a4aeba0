package compress

import (
	"strings"
	"unicode/utf8"
)

// Placeholders stand for protected spans in a Doc's text: U+E000, the span
// id in decimal written with U+E010–U+E019, U+E001. Input runes of that
// private-use range are themselves protected (KindRaw), so a placeholder
// can never be forged by the input. A placeholder contains no letter,
// digit, space or punctuation, so rules see it as an opaque word.
const (
	phOpen  = '\uE000'
	phClose = '\uE001'
	phDigit = '\uE010'
)

// Doc is the document model rules work on: the text with every protected
// span replaced by a placeholder. Rules edit Text freely but must keep
// each placeholder whole; they may drop one only as part of a removed
// duplicate (see RemoveDuplicate). Identical spans share a placeholder,
// so exact duplicates compare equal in Text.
type Doc struct {
	// Text is the masked text.
	Text string

	spans   []protected
	ids     map[string]int
	removed []string
}

type protected struct {
	kind Kind
	text string
}

// NewDoc scans s for protected spans and masks them.
func NewDoc(s string) *Doc {
	d := &Doc{ids: map[string]int{}}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range scan(s) {
		b.WriteString(s[last:sp.start])
		b.WriteString(d.placeholder(sp.kind, s[sp.start:sp.end]))
		last = sp.end
	}
	b.WriteString(s[last:])
	d.Text = b.String()
	return d
}

func (d *Doc) placeholder(k Kind, text string) string {
	id, ok := d.ids[text]
	if !ok {
		id = len(d.spans)
		d.ids[text] = id
		d.spans = append(d.spans, protected{k, text})
	}
	return phString(id)
}

func phString(id int) string {
	var digits [20]rune
	n := 0
	for {
		digits[n] = phDigit + rune(id%10)
		n++
		id /= 10
		if id == 0 {
			break
		}
	}
	var b strings.Builder
	b.WriteRune(phOpen)
	for i := n - 1; i >= 0; i-- {
		b.WriteRune(digits[i])
	}
	b.WriteRune(phClose)
	return b.String()
}

// phAt parses the placeholder at the start of s and returns its id and
// byte length, or ok=false.
func phAt(s string) (id, n int, ok bool) {
	r, w := utf8.DecodeRuneInString(s)
	if r != phOpen {
		return 0, 0, false
	}
	n = w
	digits := 0
	for n < len(s) {
		r, w = utf8.DecodeRuneInString(s[n:])
		n += w
		if r == phClose {
			return id, n, digits > 0
		}
		if r < phDigit || r > phDigit+9 || digits > 9 {
			return 0, 0, false
		}
		id = id*10 + int(r-phDigit)
		digits++
	}
	return 0, 0, false
}

// String restores the protected spans: the document's current text.
func (d *Doc) String() string { return d.Restore(d.Text) }

// Restore replaces the placeholders of a piece of masked text with the
// spans they stand for.
func (d *Doc) Restore(masked string) string {
	if !strings.ContainsRune(masked, phOpen) {
		return masked
	}
	var b strings.Builder
	for {
		i := strings.IndexRune(masked, phOpen)
		if i < 0 {
			b.WriteString(masked)
			return b.String()
		}
		b.WriteString(masked[:i])
		id, n, ok := phAt(masked[i:])
		if !ok || id >= len(d.spans) {
			// Not one of ours (a rule bug): keep the bytes.
			_, w := utf8.DecodeRuneInString(masked[i:])
			b.WriteString(masked[i : i+w])
			masked = masked[i+w:]
			continue
		}
		b.WriteString(d.spans[id].text)
		masked = masked[i+n:]
	}
}

// Span returns the kind and text of the placeholder at the start of s.
func (d *Doc) Span(s string) (k Kind, text string, n int, ok bool) {
	id, n, ok := phAt(s)
	if !ok || id >= len(d.spans) {
		return 0, "", 0, false
	}
	return d.spans[id].kind, d.spans[id].text, n, true
}

// setSpan replaces the text of span id (all its occurrences). Only
// whitespace-only rewrites (JSON minification) may use it.
func (d *Doc) setSpan(id int, text string) { d.spans[id].text = text }

// RemoveDuplicate records that a rule removed masked, an exact duplicate
// of text that stays in the document; the invariant check accounts for
// the numbers, negations and spans it held.
func (d *Doc) RemoveDuplicate(masked string) { d.removed = append(d.removed, d.Restore(masked)) }

// Removed lists the duplicates removed so far, restored.
func (d *Doc) Removed() []string { return d.removed }

// isPlaceholderOnly reports whether s (trimmed) is exactly one placeholder.
func isPlaceholderOnly(s string) bool {
	s = strings.TrimSpace(s)
	_, n, ok := phAt(s)
	return ok && n == len(s)
}
