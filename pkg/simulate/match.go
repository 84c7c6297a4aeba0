package simulate

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/llmcost/llmcost/pkg/record"
)

// List is a YAML scalar or sequence of strings.
type List []string

// UnmarshalYAML accepts "a", "a,b" and [a, b].
func (l *List) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*l = nil
		for _, s := range strings.Split(n.Value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				*l = append(*l, s)
			}
		}
		return nil
	case yaml.SequenceNode:
		var s []string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*l = s
		return nil
	}
	return fmt.Errorf("line %d: want a string or a list of strings", n.Line)
}

// Range bounds a count: Min <= n < Max; 0 leaves a side open.
type Range struct {
	Min int64 `yaml:"min"`
	Max int64 `yaml:"max"`
}

func (r Range) set() bool { return r.Min > 0 || r.Max > 0 }

func (r Range) has(n int64) bool {
	return n >= r.Min && (r.Max == 0 || n < r.Max)
}

// Match selects requests. Every condition given must hold; a list matches
// when any of its values does. The zero Match selects every request.
type Match struct {
	// Keyword: any of these words or phrases in the last user message
	// (case-insensitive). Needs request text: never matches without it.
	Keyword List `yaml:"keyword"`
	// Tag: "key=value" (value may be a glob) or "key" (any value).
	Tag List `yaml:"tag"`
	// Endpoint: a glob on the value of the endpoint, route, path or url tag.
	Endpoint List `yaml:"endpoint"`
	// Model, Provider, Project, User: globs on the logged values.
	Model    List `yaml:"model"`
	Provider List `yaml:"provider"`
	Project  List `yaml:"project"`
	User     List `yaml:"user"`
	// Tier: the logged service tier (standard, batch, flex, priority).
	Tier List `yaml:"tier"`
	// HasUser and HasSession test whether the request names a user or a
	// conversation/session.
	HasUser    *bool `yaml:"has_user"`
	HasSession *bool `yaml:"has_session"`
	// Hours is a UTC hour range "from-to" (to excluded; "22-6" wraps
	// midnight), or a list of them. Requests without a time never match.
	Hours List `yaml:"hours"`
	// InputTokens and Messages bound the request's total input tokens and
	// message count.
	InputTokens Range `yaml:"input_tokens"`
	Messages    Range `yaml:"messages"`

	hours    [][2]int
	keywords [][]byte
}

// Compile checks the match and prepares it; call it once before Matches.
func (m *Match) Compile() error {
	m.hours = nil
	for _, h := range m.Hours {
		a, b, ok := strings.Cut(h, "-")
		from, err1 := strconv.Atoi(strings.TrimSpace(a))
		to, err2 := strconv.Atoi(strings.TrimSpace(b))
		if !ok || err1 != nil || err2 != nil || from < 0 || from > 23 || to < 0 || to > 24 || from == to {
			return fmt.Errorf("hours %q: want a UTC hour range like 22-6", h)
		}
		m.hours = append(m.hours, [2]int{from, to})
	}
	for _, t := range m.Tier {
		switch t {
		case "standard", "batch", "flex", "priority":
		default:
			return fmt.Errorf("tier %q: want standard, batch, flex or priority", t)
		}
	}
	m.keywords = nil
	for _, k := range m.Keyword {
		m.keywords = append(m.keywords, bytes.ToLower([]byte(k)))
	}
	return nil
}

// NeedsText reports whether the match reads the request text.
func (m *Match) NeedsText() bool { return len(m.Keyword) > 0 }

// IsZero reports whether the match selects every request.
func (m *Match) IsZero() bool {
	return len(m.Keyword)+len(m.Tag)+len(m.Endpoint)+len(m.Model)+len(m.Provider)+len(m.Project)+len(m.User)+len(m.Tier)+len(m.Hours) == 0 &&
		m.HasUser == nil && m.HasSession == nil && !m.InputTokens.set() && !m.Messages.set()
}

func globAny(pats List, s string) bool {
	for _, p := range pats {
		if Glob(p, s) {
			return true
		}
	}
	return false
}

// Glob reports whether s matches pattern, where * matches any run of
// characters (slashes included: model ids and endpoints have them) and ?
// any one character.
func Glob(pattern, s string) bool {
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && pattern[px] == '*':
			star, mark = px, sx
			px++
		case px < len(pattern) && (pattern[px] == '?' || pattern[px] == s[sx]):
			px++
			sx++
		case star >= 0:
			px = star + 1
			mark++
			sx = mark
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// Matches reports whether req is selected.
func (m *Match) Matches(req *Request) bool {
	r := req.Rec
	if len(m.Model) > 0 && !globAny(m.Model, r.Model) {
		return false
	}
	if len(m.Provider) > 0 && !globAny(m.Provider, r.Provider) {
		return false
	}
	if len(m.Project) > 0 && !globAny(m.Project, r.Project) {
		return false
	}
	if len(m.User) > 0 && !globAny(m.User, r.User) {
		return false
	}
	if len(m.Tier) > 0 {
		ok := false
		for _, t := range m.Tier {
			ok = ok || t == r.Tier.String()
		}
		if !ok {
			return false
		}
	}
	if m.HasUser != nil && *m.HasUser != (r.User != "") {
		return false
	}
	if m.HasSession != nil && *m.HasSession != (r.ConversationID != "") {
		return false
	}
	if m.InputTokens.set() && !m.InputTokens.has(r.TotalInput()) {
		return false
	}
	if m.Messages.set() && !m.Messages.has(int64(r.Messages)) {
		return false
	}
	if len(m.hours) > 0 {
		if r.Time.IsZero() {
			return false
		}
		h, ok := r.Time.UTC().Hour(), false
		for _, x := range m.hours {
			if x[0] < x[1] {
				ok = ok || h >= x[0] && h < x[1]
			} else {
				ok = ok || h >= x[0] || h < x[1]
			}
		}
		if !ok {
			return false
		}
	}
	if len(m.Tag) > 0 && !m.tagMatch(r) {
		return false
	}
	if len(m.Endpoint) > 0 && !m.endpointMatch(r) {
		return false
	}
	if len(m.keywords) > 0 && !ContainsAny(req.Facts().LastUserLower(), m.keywords) {
		return false
	}
	return true
}

func (m *Match) tagMatch(r *record.Record) bool {
	for _, want := range m.Tag {
		k, v, hasV := strings.Cut(want, "=")
		for _, t := range r.Tags {
			if t.Key != k {
				continue
			}
			if !hasV {
				return true
			}
			if Glob(v, t.Value) {
				return true
			}
		}
	}
	return false
}

func (m *Match) endpointMatch(r *record.Record) bool {
	for _, t := range r.Tags {
		switch t.Key {
		case "endpoint", "route", "path", "url":
			if globAny(m.Endpoint, t.Value) {
				return true
			}
		}
	}
	return false
}

// ContainsAny reports whether text contains any of words; both are
// expected in lower case (see Facts.LastUserLower).
func ContainsAny(text []byte, words [][]byte) bool {
	for _, w := range words {
		if bytes.Contains(text, w) {
			return true
		}
	}
	return false
}
