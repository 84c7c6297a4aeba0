package compress

import (
	"regexp"
	"strings"
)

// lineEdit is the state sentence-level rules share: the parsed lines of a
// Doc, which of them are deleted, and whether each starts or ends in the
// middle of a sentence (hard-wrapped prose).
type lineEdit struct {
	d        *Doc
	lines    []line
	deleted  []bool
	contPrev []bool // the line continues the previous line's sentence
	contNext []bool // the line's last sentence goes on on the next line
	// sections[i] lists the headings line i is under, outermost first, as
	// line indexes.
	sections [][]int
}

func newLineEdit(d *Doc) *lineEdit {
	lines := parseLines(d, d.Text)
	e := &lineEdit{d: d, lines: lines, deleted: make([]bool, len(lines)),
		contPrev: make([]bool, len(lines)), contNext: make([]bool, len(lines))}
	for i := 0; i+1 < len(lines); i++ {
		a, b := &lines[i], &lines[i+1]
		if a.kind != lineProse && a.kind != lineLabel || b.kind != lineProse {
			continue
		}
		if endsSentence(a.body) {
			continue
		}
		// The next line continues the sentence unless it starts a list
		// item or a block quote of its own.
		if strings.TrimLeft(b.prefix, " \t") != "" {
			continue
		}
		e.contNext[i], e.contPrev[i+1] = true, true
	}
	e.sections = make([][]int, len(lines))
	var stack []int
	for i, l := range lines {
		if l.kind == lineHeading {
			lvl := headingLevel(l.body)
			for len(stack) > 0 && headingLevel(lines[stack[len(stack)-1]].body) >= lvl {
				stack = stack[:len(stack)-1]
			}
			stack = append(stack[:len(stack):len(stack)], i)
		}
		e.sections[i] = stack
	}
	return e
}

func headingLevel(body string) int { return len(body) - len(strings.TrimLeft(body, "#")) }

// reminderRe matches the headings of sections that restate rules given
// elsewhere.
var reminderRe = regexp.MustCompile(`(?i)\b(?:reminders?|remember|recap|summary|again|important|final|notes?|repeat(?:ed)?)\b`)

// sameScope reports whether a repeat on line later of something on line
// first adds nothing: both lines are in the same section, or first is in
// a section that contains later's (the prompt's preamble contains every
// section), or later's section restates rules ("## Reminders"). An exact
// repeat in a sibling section ("## Admins" … "## Guests") is scoped
// differently, and stays.
func (e *lineEdit) sameScope(first, later int) bool {
	a, b := e.sections[first], e.sections[later]
	if len(a) == 0 {
		return true
	}
	for _, h := range b {
		if h == a[len(a)-1] {
			return true
		}
		if reminderRe.MatchString(e.d.Restore(e.lines[h].body)) {
			return true
		}
	}
	return false
}

// endsSentence reports whether a line body ends a sentence (or a clause
// that introduces what follows).
func endsSentence(body string) bool {
	b := strings.TrimRight(body, " \t\r)")
	if b == "" {
		return true
	}
	switch b[len(b)-1] {
	case '.', '!', '?', ':', ';':
		return true
	}
	// A line ending in a protected span (a quote, a tag, code) ends there.
	return strings.HasSuffix(b, string(phClose))
}

// prose reports whether line i is instruction prose an aggressive rule or
// sentence dedup may edit.
func (e *lineEdit) prose(i int) bool {
	l := &e.lines[i]
	return !e.deleted[i] && l.kind == lineProse && !l.data
}

// sent is a sentence handed to a sentenceFunc.
type sent struct {
	line int
	text string // masked, with its final punctuation
	// whole: the sentence is not cut by a line break (hard-wrapped prose).
	whole bool
	// start: the sentence starts at a sentence start (not mid-sentence
	// after a line break).
	start bool
	// removable: the sentence may be removed (whole, and removing it does
	// not drop the number of a numbered list item).
	removable bool
}

// sentenceFunc returns the replacement of a sentence ("" removes it, only
// allowed when removable) and whether it changed anything.
type sentenceFunc func(s sent) (string, bool)

// eachSentence rewrites the sentences of the prose lines with fn and
// returns the number of changed sentences. A line whose sentences are all
// removed is deleted.
func (e *lineEdit) eachSentence(fn sentenceFunc) int {
	n := 0
	for i := range e.lines {
		if !e.prose(i) {
			continue
		}
		l := &e.lines[i]
		ss := sentences(l.body)
		if len(ss) == 0 {
			continue
		}
		var b strings.Builder
		changed := false
		kept := 0
		for k, s := range ss {
			text := l.body[s.start:s.end]
			st := sent{line: i, text: text}
			st.start = !(k == 0 && e.contPrev[i])
			st.whole = st.start && !(k == len(ss)-1 && e.contNext[i])
			st.removable = st.whole && !(len(ss) == 1 && strings.ContainsRune(l.prefix, phOpen))
			repl, ok := fn(st)
			if !ok || repl == "" && !st.removable {
				repl = text
			} else {
				changed = true
				n++
			}
			if repl == "" {
				continue
			}
			kept++
			b.WriteString(repl)
			b.WriteString(l.body[s.end:s.next])
		}
		if !changed {
			continue
		}
		body := strings.TrimRight(b.String(), " \t")
		if kept == 0 || body == "" {
			e.deleted[i] = true
			continue
		}
		l.body = body
		l.text = l.prefix + body
	}
	return n
}

// String joins the lines that are not deleted.
func (e *lineEdit) String() string {
	var b strings.Builder
	first := true
	for i, l := range e.lines {
		if e.deleted[i] {
			continue
		}
		if !first {
			b.WriteByte('\n')
		}
		first = false
		b.WriteString(l.text)
	}
	return b.String()
}

// commit writes the lines back to the Doc.
func (e *lineEdit) commit() { e.d.Text = e.String() }
