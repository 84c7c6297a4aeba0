package compress

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// An item is something the invariants keep: a number (a run of digits), a
// negation word (lower-cased), or a protected span (code block, inline
// code, quoted string, template variable, tag, URL, e-mail, JSON document
// with its keys and values) in canonical form.
type item struct {
	kind string
	text string
}

var digitsRe = regexp.MustCompile(`[0-9]+`)

// items lists the items of s in order of appearance.
func items(s string) []item {
	type pos struct {
		at int
		it item
	}
	var ps []pos
	for _, m := range digitsRe.FindAllStringIndex(s, -1) {
		ps = append(ps, pos{m[0], item{"number", s[m[0]:m[1]]}})
	}
	eachWord(s, func(w string, at int) {
		if n := negation(w); n != "" {
			ps = append(ps, pos{at, item{"negation", n}})
		}
	})
	for _, sp := range scan(s) {
		if sp.kind == KindNumber {
			continue // its digits are items already
		}
		ps = append(ps, pos{sp.start, item{sp.kind.String(), canonical(sp.kind, s[sp.start:sp.end])}})
	}
	// By position; items at the same offset in a fixed order of kinds.
	sort.SliceStable(ps, func(a, b int) bool {
		if ps[a].at != ps[b].at {
			return ps[a].at < ps[b].at
		}
		return ps[a].it.kind < ps[b].it.kind
	})
	out := make([]item, len(ps))
	for i, p := range ps {
		out[i] = p.it
	}
	return out
}

// canonical is the form a span must keep: its bytes, except that JSON
// (standalone, or the content of a ```json fence) may lose whitespace.
func canonical(k Kind, s string) string {
	switch k {
	case KindJSON:
		return compactJSON(s)
	case KindFence:
		if info, from, to, ok := fenceInfo(s); ok && isJSONInfo(info) {
			if c := compactJSON(s[from:to]); c != s[from:to] {
				return s[:from] + c + s[to:]
			}
		}
	}
	return s
}

// compactJSON is s without insignificant whitespace, or s if it does not
// parse.
func compactJSON(s string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}

func isJSONInfo(info string) bool {
	f := strings.Fields(info)
	return len(f) > 0 && strings.EqualFold(f[0], "json")
}

// Verify checks the guarantees of a rewrite of before into after, where
// removed are the exact duplicates the rewrite dropped:
//
//   - after is valid UTF-8 if before is;
//   - the items of after (numbers, negation words, protected spans in
//     canonical form: code blocks, inline code, quoted strings, template
//     variables, tags, URLs, e-mails, JSON documents with their keys and
//     values) appear in before in the same order;
//   - the items before has and after lacks are exactly the items of the
//     removed duplicates.
//
// Every accepted step of Compress passes Verify, and so does Compress's
// whole result with Result.Removed.
func Verify(before, after string, removed []string) error {
	if utf8.ValidString(before) && !utf8.ValidString(after) {
		return fmt.Errorf("output is not valid UTF-8")
	}
	return verifyItems(items(before), items(after), removed)
}

// verifyItems is Verify on the items of before (a) and after (b).
func verifyItems(a, b []item, removed []string) error {
	// b must be a subsequence of a.
	j := 0
	for _, it := range a {
		if j < len(b) && b[j] == it {
			j++
		}
	}
	if j < len(b) {
		return fmt.Errorf("output has %s %q that the input lacks (or moved)", b[j].kind, b[j].text)
	}
	count := map[item]int{}
	for _, it := range a {
		count[it]++
	}
	for _, it := range b {
		count[it]--
	}
	var extra []item
	for _, r := range removed {
		extra = append(extra, items(r)...)
	}
	for _, it := range extra {
		count[it]--
	}
	for _, it := range append(a, extra...) {
		n := count[it]
		if n > 0 {
			return fmt.Errorf("output lost %s %q", it.kind, it.text)
		}
		if n < 0 {
			return fmt.Errorf("removed duplicates hold %s %q that the input does not lose", it.kind, it.text)
		}
	}
	return nil
}
