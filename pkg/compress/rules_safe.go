package compress

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// jsonMinify removes the whitespace of JSON documents: the content of
// ```json fences and JSON objects or arrays in the text. Only documents
// that parse are touched; keys, values and key order stay byte-identical
// (encoding/json's Compact).
type jsonMinify struct{}

func (jsonMinify) Name() string { return "json-minify" }
func (jsonMinify) Level() Level { return Safe }
func (jsonMinify) Description() string {
	return "minify JSON in ```json blocks and in the text (only if it parses; keys, values and their order unchanged)"
}

func (jsonMinify) Apply(d *Doc) int {
	n := 0
	for id, sp := range d.spans {
		if sp.kind != KindJSON && sp.kind != KindFence {
			continue
		}
		c := canonical(sp.kind, sp.text)
		if c == sp.text {
			continue
		}
		if k := strings.Count(d.Text, phString(id)); k > 0 {
			d.setSpan(id, c)
			n += k
		}
	}
	return n
}

// tablePadding strips the padding of markdown tables (a header row, a
// delimiter row, body rows): "| Plan   | Price |" becomes "|Plan|Price|",
// and "|:-------|" becomes "|:---|". Cell contents stay as they are, bar
// runs of spaces inside them.
type tablePadding struct{}

func (tablePadding) Name() string { return "table-padding" }
func (tablePadding) Level() Level { return Safe }
func (tablePadding) Description() string {
	return "strip the padding of markdown tables and shorten their delimiter rows to ---"
}

var delimCellRe = regexp.MustCompile(`^[ \t]*(:?)-+(:?)[ \t]*$`)

func (tablePadding) Apply(d *Doc) int {
	lines := parseLines(d, d.Text)
	n := 0
	for i := 0; i < len(lines); {
		if lines[i].kind != lineTable {
			i++
			continue
		}
		j := i
		for j < len(lines) && lines[j].kind == lineTable {
			j++
		}
		// A table needs a delimiter row second.
		if j-i >= 2 && isDelimRow(lines[i+1].body) && !lines[i].data {
			for k := i; k < j; k++ {
				t := tableRow(lines[k].prefix, lines[k].body)
				if t != lines[k].text {
					lines[k].text = t
					n++
				}
			}
		}
		i = j
	}
	if n > 0 {
		d.Text = joinText(lines)
	}
	return n
}

func joinText(lines []line) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.text)
	}
	return b.String()
}

// splitCells splits a row at | that are not escaped (\|).
func splitCells(row string) []string {
	var cells []string
	last := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			cells = append(cells, row[last:i])
			last = i + 1
		}
	}
	return append(cells, row[last:])
}

func isDelimRow(body string) bool {
	cells := splitCells(strings.TrimSpace(body))
	inner := 0
	for k, c := range cells {
		if (k == 0 || k == len(cells)-1) && strings.TrimSpace(c) == "" {
			continue
		}
		if !delimCellRe.MatchString(c) {
			return false
		}
		inner++
	}
	return inner > 0
}

var spaceRunRe = regexp.MustCompile(`  +`)

func tableRow(indent, body string) string {
	body = strings.TrimRight(body, " \t\r")
	cells := splitCells(body)
	delim := isDelimRow(body)
	for k, c := range cells {
		c = strings.TrimSpace(c)
		if delim {
			if m := delimCellRe.FindStringSubmatch(c); m != nil {
				c = m[1] + "---" + m[2]
			}
		} else {
			c = spaceRunRe.ReplaceAllString(c, " ")
		}
		cells[k] = c
	}
	return indent + strings.Join(cells, "|")
}

// decoration shortens decoration that carries no meaning: separator lines
// ("==========" becomes "===", keeping the character so a setext heading
// stays one), a separator right after another, banner runs ("===== RULES
// =====" becomes "=== RULES ==="), ***triple*** emphasis (to **double**),
// bold inside a heading, and runs of exclamation marks. Example data is
// left as it is.
type decoration struct{}

func (decoration) Name() string { return "decoration" }
func (decoration) Level() Level { return Safe }
func (decoration) Description() string {
	return "shorten separator lines and banners, drop repeated separators, excess emphasis and !!!"
}

var (
	tripleEmphRe  = regexp.MustCompile(`\*{3,}([^*\s](?:[^*\n]*[^*\s])?)\*{3,}`)
	headingBoldRe = regexp.MustCompile(`^(#{1,6}[ \t]+)\*\*([^*\n]+)\*\*[ \t]*$`)
	bangRe        = regexp.MustCompile(`([^\s!])!{2,}`)
)

func (decoration) Apply(d *Doc) int {
	lines := parseLines(d, d.Text)
	deleted := make([]bool, len(lines))
	n := 0
	prevSep := false
	for i := range lines {
		l := &lines[i]
		t := l.text
		if l.kind == lineBlank {
			continue
		}
		if l.data {
			prevSep = false
			continue
		}
		switch l.kind {
		case lineSeparator:
			if prevSep {
				deleted[i] = true
				n++
				continue
			}
			t = shortSeparator(t)
		case lineProse, lineLabel, lineHeading, lineTable:
			t = shortBanner(t)
			t = tripleEmphRe.ReplaceAllString(t, "**$1**")
			t = headingBoldRe.ReplaceAllString(t, "$1$2")
			t = bangRe.ReplaceAllString(t, "$1!")
		}
		prevSep = l.kind == lineSeparator
		if t != l.text {
			l.text = t
			n++
		}
	}
	if n > 0 {
		var kept []line
		for i, l := range lines {
			if !deleted[i] {
				kept = append(kept, l)
			}
		}
		d.Text = joinText(kept)
	}
	return n
}

// shortSeparator shortens a line of four or more of one decoration
// character to three; other separator lines are left as they are.
func shortSeparator(t string) string {
	trimmed := strings.TrimSpace(t)
	r, size := utf8.DecodeRuneInString(trimmed)
	if strings.Trim(trimmed, string(r)) != "" || utf8.RuneCountInString(trimmed) < 4 {
		return t
	}
	indent := t[:len(t)-len(strings.TrimLeft(t, " \t"))]
	return indent + strings.Repeat(trimmed[:size], 3)
}

// shortBanner shortens runs of four or more of one of = * ~ _ + - that
// open or close a line, set off by a space from the text.
func shortBanner(t string) string {
	const chars = "=*~_+-"
	trimmed := strings.TrimLeft(t, " \t")
	indent := t[:len(t)-len(trimmed)]
	if trimmed != "" && strings.IndexByte(chars, trimmed[0]) >= 0 {
		c := trimmed[0]
		k := 0
		for k < len(trimmed) && trimmed[k] == c {
			k++
		}
		if k >= 4 && k < len(trimmed) && trimmed[k] == ' ' {
			trimmed = strings.Repeat(string(c), 3) + trimmed[k:]
		}
	}
	body := strings.TrimRight(trimmed, " \t")
	if body != "" && strings.IndexByte(chars, body[len(body)-1]) >= 0 {
		c := body[len(body)-1]
		k := len(body)
		for k > 0 && body[k-1] == c {
			k--
		}
		if len(body)-k >= 4 && k > 0 && body[k-1] == ' ' {
			trimmed = body[:k] + strings.Repeat(string(c), 3) + trimmed[len(body):]
		}
	}
	return indent + trimmed
}

// whitespace removes trailing spaces, runs of blank lines (one blank line
// is kept), blank lines at the start and end (a final newline is kept),
// and runs of spaces inside prose lines. Indentation, tabs, indented code
// and columns aligned across lines stay.
type whitespace struct{}

func (whitespace) Name() string { return "whitespace" }
func (whitespace) Level() Level { return Safe }
func (whitespace) Description() string {
	return "remove trailing spaces, extra blank lines and runs of spaces (indentation, tabs and aligned columns stay)"
}

func (whitespace) Apply(d *Doc) int {
	lines := parseLines(d, d.Text)
	n := 0
	cols := make([]map[int]bool, len(lines))
	for i, l := range lines {
		if l.kind == lineProse || l.kind == lineLabel || l.kind == lineHeading {
			cols[i] = runEnds(d.Restore(l.text))
		}
	}
	shares := func(a, b map[int]bool) bool {
		for c := range a {
			if b[c] {
				return true
			}
		}
		return false
	}
	for i := range lines {
		l := &lines[i]
		if l.kind == lineCode {
			continue
		}
		t := strings.TrimRight(l.text, " \t\r")
		if len(cols[i]) > 0 && !l.data && !(i > 0 && shares(cols[i], cols[i-1])) && !(i+1 < len(lines) && shares(cols[i], cols[i+1])) {
			body := strings.TrimLeft(t, " \t")
			t = t[:len(t)-len(body)] + spaceRunRe.ReplaceAllString(body, " ")
		}
		if l.kind == lineBlank {
			t = ""
		}
		if t != l.text {
			l.text = t
			n++
		}
	}
	finalNL := len(lines) > 1 && lines[len(lines)-1].kind == lineBlank
	var kept []line
	for _, l := range lines {
		if l.kind == lineBlank && (len(kept) == 0 || kept[len(kept)-1].kind == lineBlank) {
			n++
			continue
		}
		kept = append(kept, l)
	}
	for len(kept) > 0 && kept[len(kept)-1].kind == lineBlank {
		kept = kept[:len(kept)-1]
		n++
	}
	if finalNL && len(kept) > 0 {
		kept = append(kept, line{kind: lineBlank})
		n--
	}
	if n <= 0 {
		return 0
	}
	d.Text = joinText(kept)
	return n
}

// runEnds returns the rune columns at which runs of two or more spaces
// after the indentation end.
func runEnds(t string) map[int]bool {
	var out map[int]bool
	col, run, started := 0, 0, false
	for _, r := range t {
		switch {
		case r == ' ':
			run++
		default:
			if run >= 2 && started {
				if out == nil {
					out = map[int]bool{}
				}
				out[col] = true
			}
			run = 0
			started = started || r != '\t'
		}
		col++
	}
	return out
}

// dedupeBlocks removes a paragraph or an <element>…</element> block that
// is an exact duplicate of an earlier one (repeated examples). Blocks of
// a few words, and blocks with no free text (a lone code block), stay.
type dedupeBlocks struct{}

func (dedupeBlocks) Name() string { return "dedupe-blocks" }
func (dedupeBlocks) Level() Level { return Safe }
func (dedupeBlocks) Description() string {
	return "remove paragraphs and <tag>…</tag> examples that exactly repeat an earlier one"
}

func (dedupeBlocks) Apply(d *Doc) int {
	e := newLineEdit(d)
	lines := e.lines
	n := 0
	// Tag elements: an opening tag alone on a line up to the matching
	// closing tag alone on a line, or a line that starts with an opening
	// tag and ends with its closing tag.
	seen := map[string]int{}
	for i := range lines {
		if e.deleted[i] {
			continue
		}
		name, single := openTagLine(d, lines[i].text)
		if name == "" {
			continue
		}
		j := i
		if !single {
			j = -1
			for k := i + 1; k < len(lines); k++ {
				if !e.deleted[k] && closeTagLine(d, lines[k].text) == name {
					j = k
					break
				}
			}
			if j < 0 {
				continue
			}
		}
		key := e.join(i, j)
		if words(key) < 4 {
			continue
		}
		first, ok := seen[key]
		if !ok {
			seen[key] = i
			continue
		}
		if e.sameScope(first, i) {
			e.remove(i, j, key)
			n++
		}
	}
	// Paragraphs.
	seen = map[string]int{}
	for i := 0; i < len(lines); {
		if e.deleted[i] || lines[i].kind == lineBlank {
			i++
			continue
		}
		j := i
		count := 0
		for j+1 < len(lines) && (e.deleted[j+1] || lines[j+1].kind != lineBlank) {
			j++
		}
		for k := i; k <= j; k++ {
			if !e.deleted[k] {
				count++
			}
		}
		key := e.join(i, j)
		w := words(key)
		if w >= 8 || count >= 2 && w >= 4 {
			if first, ok := seen[key]; !ok {
				seen[key] = i
			} else if e.sameScope(first, i) {
				e.remove(i, j, key)
				n++
			}
		}
		i = j + 1
	}
	if n > 0 {
		e.commit()
	}
	return n
}

// join is the text of lines i..j that are not deleted.
func (e *lineEdit) join(i, j int) string {
	var b strings.Builder
	first := true
	for k := i; k <= j; k++ {
		if e.deleted[k] {
			continue
		}
		if !first {
			b.WriteByte('\n')
		}
		first = false
		b.WriteString(e.lines[k].text)
	}
	return b.String()
}

// remove deletes lines i..j as a duplicate, and the blank line before
// them when one separates them from the text above.
func (e *lineEdit) remove(i, j int, key string) {
	for k := i; k <= j; k++ {
		e.deleted[k] = true
	}
	e.d.RemoveDuplicate(key)
	p := i - 1
	for p >= 0 && e.deleted[p] {
		p--
	}
	q := j + 1
	for q < len(e.lines) && e.deleted[q] {
		q++
	}
	if p >= 0 && e.lines[p].kind == lineBlank && (q >= len(e.lines) || e.lines[q].kind == lineBlank) {
		e.deleted[p] = true
	}
}

// openTagLine returns the name of the opening tag a line is made of (or
// starts with), and whether the line also closes it.
func openTagLine(d *Doc, t string) (name string, single bool) {
	t = strings.TrimSpace(t)
	k, text, n, ok := d.Span(t)
	if !ok || k != KindTag {
		return "", false
	}
	name, closing, self := tagName(text)
	if name == "" || closing || self {
		return "", false
	}
	if n == len(t) {
		return name, false
	}
	// Single line: ends with </name>.
	last := strings.LastIndex(t, string(phOpen))
	if last > 0 {
		if k, text, m, ok := d.Span(t[last:]); ok && k == KindTag && last+m == len(t) {
			if cn, closing, _ := tagName(text); closing && cn == name {
				return name, true
			}
		}
	}
	return "", false
}

// closeTagLine returns the name of the closing tag a line is made of.
func closeTagLine(d *Doc, t string) string {
	t = strings.TrimSpace(t)
	k, text, n, ok := d.Span(t)
	if !ok || k != KindTag || n != len(t) {
		return ""
	}
	name, closing, _ := tagName(text)
	if !closing {
		return ""
	}
	return name
}

// dedupeSentences removes a sentence (or a list item, or a line) of the
// instructions that exactly repeats an earlier one. Short sentences,
// sentences that introduce what follows ("…:") or point at something
// ("this", "it", "the following", "above") and example data stay.
type dedupeSentences struct{}

func (dedupeSentences) Name() string { return "dedupe-sentences" }
func (dedupeSentences) Level() Level { return Safe }
func (dedupeSentences) Description() string {
	return "remove instruction sentences and list items that exactly repeat an earlier one"
}

// deicticRe matches sentences that point outside themselves: they start
// with a pronoun ("It must be short.") or refer to a place in the prompt
// ("the following", "above"). Removing a repeat of one could leave the
// pointer without its target, so they stay.
var deicticRe = regexp.MustCompile(`(?i)^(?:this|these|those|it|its|they|them|that|such|here|there|so|then|also)\b|\b(?:following|above|below|aforementioned|previous|former|latter|same|again)\b`)

func (dedupeSentences) Apply(d *Doc) int {
	e := newLineEdit(d)
	seen := map[string]int{} // sentence -> line of its first copy
	n := e.eachSentence(func(s sent) (string, bool) {
		if !s.whole || words(s.text) < 4 || strings.HasSuffix(s.text, ":") || deicticRe.MatchString(s.text) {
			return "", false
		}
		first, ok := seen[s.text]
		if !ok {
			seen[s.text] = s.line
			return "", false
		}
		if !s.removable || !e.sameScope(first, s.line) {
			return "", false
		}
		d.RemoveDuplicate(s.text)
		return "", true
	})
	if n > 0 {
		e.commit()
	}
	return n
}
