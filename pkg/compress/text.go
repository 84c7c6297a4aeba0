package compress

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lineKind classifies a line of masked text.
type lineKind uint8

const (
	lineBlank     lineKind = iota
	lineProse              // prose, list items, block quotes
	lineHeading            // # heading
	lineTable              // | a | b |
	lineSeparator          // ----- ===== * * *
	lineCode               // indented code, or a line that is only a fenced block
	lineLabel              // "Input: …", "User: …": example data
)

// line is one line of masked text with its structure.
type line struct {
	text   string // without the newline
	prefix string // indentation, list marker, block-quote marker
	body   string // text after prefix
	kind   lineKind
	// data marks example data, documents and transcripts (inside
	// <example>-like tags, under an "Examples" heading, in paragraphs of
	// "Input:/Output:" lines): aggressive rules and sentence dedup leave
	// it alone.
	data bool
}

var (
	listMarkerRe  = regexp.MustCompile(`^(?:[-*+•]|[\x{E000}][\x{E010}-\x{E019}]+[\x{E001}][.)]|[a-zA-Z][.)])[ \t]+`)
	labelRe       = regexp.MustCompile(`(?i)^(?:input|output|example|user|assistant|human|ai|bot|agent|customer|q|a|question|answer|query|response|reply|text|review|sentiment|label|category|context|document|email|message|ticket|result|reasoning|thought|observation|action|classification|summary|title|expected|system|prompt|completion)(?:[ \t]+\S+)?[ \t]*:`)
	dataHeadingRe = regexp.MustCompile(`(?i)\b(?:examples?|samples?|demonstrations?|few-shot|shots?|transcripts?|conversations?|dialogues?|history|documents?|inputs?|context|data)\b`)
	dataLeadRe    = regexp.MustCompile(`(?i)^(?:here (?:are|is) (?:some |an? |two |three )?)?(?:examples?|samples?|demonstrations?)\b[^.!?]*:$`)
	separatorRe   = regexp.MustCompile(`^[ \t]*(?:([-=*_~#+])[ \t]*(?:[-=*_~#+][ \t]*)*|[─━═]+)$`)
)

// instructionTags are tag names whose content is instructions, not data.
var instructionTags = map[string]bool{
	"instructions": true, "instruction": true, "rules": true, "rule": true, "guidelines": true,
	"guideline": true, "system": true, "system_prompt": true, "constraints": true, "policy": true,
	"policies": true, "requirements": true, "task": true, "role": true, "persona": true,
	"style": true, "tone": true, "format": true, "output_format": true, "formatting": true,
	"behavior": true, "behaviour": true, "important": true, "notes": true, "note": true,
}

// parseLines splits masked text into classified lines.
func parseLines(d *Doc, text string) []line {
	raw := strings.Split(text, "\n")
	lines := make([]line, len(raw))
	prevBlank := true
	prevCode := false
	for i, t := range raw {
		l := line{text: t}
		trimmed := strings.TrimSpace(t)
		indent := t[:len(t)-len(strings.TrimLeft(t, " \t"))]
		switch {
		case trimmed == "":
			l.kind = lineBlank
		case isFenceLine(d, trimmed):
			l.kind = lineCode
		case (strings.HasPrefix(indent, "\t") || len(indent) >= 4) && (prevBlank || prevCode) && !listMarkerRe.MatchString(trimmed):
			l.kind = lineCode
		case separatorRe.MatchString(t) && len(trimmed) >= 3:
			l.kind = lineSeparator
		case strings.HasPrefix(trimmed, "#"):
			l.kind = lineHeading
		case strings.HasPrefix(trimmed, "|") && strings.Count(trimmed, "|") >= 2:
			l.kind = lineTable
		default:
			l.kind = lineProse
			p := indent
			rest := t[len(indent):]
			for {
				if strings.HasPrefix(rest, ">") {
					n := 1
					for n < len(rest) && rest[n] == ' ' {
						n++
					}
					p, rest = p+rest[:n], rest[n:]
					continue
				}
				if m := listMarkerRe.FindString(rest); m != "" {
					p, rest = p+m, rest[len(m):]
				}
				break
			}
			l.prefix, l.body = p, rest
			if labelRe.MatchString(rest) {
				l.kind = lineLabel
			}
		}
		if l.kind != lineProse && l.kind != lineLabel {
			l.body = trimmed
			l.prefix = indent
		}
		prevBlank = l.kind == lineBlank
		prevCode = l.kind == lineCode
		lines[i] = l
	}
	markData(d, lines)
	return lines
}

func isFenceLine(d *Doc, trimmed string) bool {
	k, _, n, ok := d.Span(trimmed)
	return ok && k == KindFence && n == len(trimmed)
}

// markData sets line.data for example data (see line.data).
func markData(d *Doc, lines []line) {
	// Paragraphs with a label line are data.
	for i := 0; i < len(lines); {
		if lines[i].kind == lineBlank {
			i++
			continue
		}
		j, label := i, false
		for j < len(lines) && lines[j].kind != lineBlank {
			label = label || lines[j].kind == lineLabel
			j++
		}
		if label {
			for k := i; k < j; k++ {
				lines[k].data = true
			}
		}
		i = j
	}
	// Sections under a data heading, up to the next heading of the same or
	// a higher level.
	dataLevel := 0
	for i := range lines {
		l := &lines[i]
		if l.kind == lineHeading {
			lvl := headingLevel(l.body)
			if dataLevel > 0 && lvl <= dataLevel {
				dataLevel = 0
			}
			if dataLevel == 0 && dataHeadingRe.MatchString(d.Restore(l.body)) {
				dataLevel = lvl
			}
			continue
		}
		if dataLevel > 0 {
			l.data = true
		}
	}
	// After a lead line such as "Examples:" or "Example of a good
	// answer:", the rest of its paragraph and the paragraph after it.
	for i := 0; i < len(lines); i++ {
		l := &lines[i]
		if l.kind != lineProse && l.kind != lineLabel || !dataLeadRe.MatchString(strings.TrimSpace(l.body)) {
			continue
		}
		j := i + 1
		for j < len(lines) && lines[j].kind != lineBlank {
			lines[j].data = true
			j++
		}
		for j < len(lines) && lines[j].kind == lineBlank {
			j++
		}
		for j < len(lines) && lines[j].kind != lineBlank {
			lines[j].data = true
			j++
		}
	}
	// Inside tags that are not instruction tags.
	var stack []string
	dataDepth := func() bool {
		for _, n := range stack {
			if !instructionTags[n] {
				return true
			}
		}
		return false
	}
	for i := range lines {
		l := &lines[i]
		inData := dataDepth()
		s := l.text
		for j := 0; j < len(s); {
			k, text, n, ok := d.Span(s[j:])
			if !ok {
				_, w := utf8.DecodeRuneInString(s[j:])
				j += w
				continue
			}
			j += n
			if k != KindTag {
				continue
			}
			name, closing, self := tagName(text)
			switch {
			case name == "" || self:
			case closing:
				for x := len(stack) - 1; x >= 0; x-- {
					if stack[x] == name {
						stack = stack[:x]
						break
					}
				}
			default:
				stack = append(stack, name)
				inData = inData || !instructionTags[name]
			}
		}
		if inData {
			l.data = true
		}
	}
}

// tagName parses a tag span: "<Example id=1>" gives "example".
func tagName(t string) (name string, closing, self bool) {
	if !strings.HasPrefix(t, "<") || strings.HasPrefix(t, "<!") || strings.HasPrefix(t, "<|") {
		return "", false, false
	}
	t = t[1:]
	if strings.HasPrefix(t, "/") {
		closing, t = true, t[1:]
	}
	end := strings.IndexFunc(t, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '>' || r == '/' })
	if end < 0 {
		return "", false, false
	}
	self = strings.HasSuffix(t, "/>")
	return strings.ToLower(t[:end]), closing, self
}

// sentence is a sentence of a line body: body[start:end] is the sentence
// with its final punctuation; body[end:next] the spaces after it.
type sentence struct{ start, end, next int }

var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "vs": true, "mr": true, "mrs": true, "ms": true, "dr": true,
	"no": true, "st": true, "approx": true, "incl": true, "fig": true, "cf": true, "al": true, "eg": true,
	"ie": true, "jr": true, "sr": true, "prof": true, "inc": true, "ltd": true, "co": true, "resp": true,
}

// sentences splits a line body after . ! or ? followed by a space and a
// character that is not a lower-case letter, except after abbreviations
// and initials.
func sentences(body string) []sentence {
	var out []sentence
	start := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i
		for j < len(body) && (body[j] == '.' || body[j] == '!' || body[j] == '?' || body[j] == ')') {
			j++
		}
		k := j
		for k < len(body) && (body[k] == ' ' || body[k] == '\t') {
			k++
		}
		if k == j || k >= len(body) {
			i = j - 1
			continue
		}
		r, _ := utf8.DecodeRuneInString(body[k:])
		if unicode.IsLower(r) {
			i = j - 1
			continue
		}
		if c == '.' && j == i+1 {
			w := i
			for w > start && (isLetter(body[w-1]) || body[w-1] == '.') {
				w--
			}
			word := strings.ToLower(body[w:i])
			if abbreviations[word] || len(word) == 1 || strings.Contains(word, ".") {
				i = j - 1
				continue
			}
		}
		out = append(out, sentence{start, j, k})
		start = k
		i = k - 1
	}
	if start < len(body) {
		end := len(strings.TrimRight(body, " \t"))
		if end > start {
			out = append(out, sentence{start, end, len(body)})
		}
	}
	return out
}

// eachWord calls fn for every word of s: a run of ASCII letters, digits
// and underscores (what \b in a regexp delimits), with apostrophes (' or
// ’) between letters kept inside ("don't").
func eachWord(s string, fn func(w string, start int)) {
	for i := 0; i < len(s); {
		if !isWordByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) {
			if isWordByte(s[j]) {
				j++
				continue
			}
			if s[j] == '\'' && j+1 < len(s) && isLetter(s[j+1]) {
				j++
				continue
			}
			if strings.HasPrefix(s[j:], "’") && j+3 < len(s) && isLetter(s[j+3]) {
				j += 3
				continue
			}
			break
		}
		fn(s[i:j], i)
		i = j
	}
}

var negationWords = map[string]bool{
	"not": true, "no": true, "never": true, "none": true, "nothing": true, "nobody": true,
	"nowhere": true, "neither": true, "nor": true, "cannot": true, "without": true,
	"except": true, "unless": true, "avoid": true, "avoids": true, "avoided": true, "avoiding": true,
}

// negation returns the canonical form of w (lower case, ’ as ') if w is a
// negation word the invariants protect (not, never, don't, …), or "".
func negation(w string) string {
	if len(w) > 12 && !strings.Contains(w, "'") && !strings.Contains(w, "’") {
		return ""
	}
	l := strings.ToLower(strings.ReplaceAll(w, "’", "'"))
	if negationWords[l] || strings.HasSuffix(l, "n't") {
		return l
	}
	return ""
}

// guardRe is negationRe plus restrictive words: a sentence that matches is
// never dropped or rewritten by an aggressive rule.
var guardRe = regexp.MustCompile(`(?i)\b(?:not|no|never|none|nothing|nobody|nowhere|neither|nor|cannot|without|except|unless|avoid\w*|refus\w*|forbid\w*|prohibit\w*|disallow\w*|only|but|however|if|when|[a-z]*n['’]t)\b`)

// guarded reports whether a piece of masked text holds a negation or a
// restriction (in its free text or in its protected spans).
func guarded(d *Doc, masked string) bool { return guardRe.MatchString(d.Restore(masked)) }

// words counts the words of the free text of masked text.
func words(masked string) int {
	n, in := 0, false
	for _, r := range masked {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// capitalizeFirst upper-cases the first letter of s when the word it
// starts is all lower-case ASCII letters ("answer" but not "iPhone").
func capitalizeFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	j := 0
	for j < len(s) && isWordByte(s[j]) {
		if s[j] >= 'A' && s[j] <= 'Z' || isDigit(s[j]) || s[j] == '_' {
			return s
		}
		j++
	}
	return string(s[0]-'a'+'A') + s[1:]
}
