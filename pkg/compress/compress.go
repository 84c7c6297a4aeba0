package compress

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/llmcost/llmcost/pkg/tokenize"
)

// Level selects the rules that run.
type Level int

const (
	// Safe rules change only layout and exact duplicates: whitespace,
	// decoration, table padding, JSON whitespace, duplicate examples and
	// sentences.
	Safe Level = iota + 1
	// Aggressive adds rules that rewrite wording: filler and politeness
	// phrases, wordy phrases, verbose formatting rules and instructions
	// that ask for the default.
	Aggressive
)

// Levels are the level names, in order.
var Levels = []string{"safe", "aggressive"}

func (l Level) String() string {
	switch l {
	case Safe:
		return "safe"
	case Aggressive:
		return "aggressive"
	}
	return fmt.Sprintf("level(%d)", int(l))
}

// ParseLevel parses "safe" or "aggressive".
func ParseLevel(s string) (Level, error) {
	switch s {
	case "safe":
		return Safe, nil
	case "aggressive":
		return Aggressive, nil
	}
	return 0, fmt.Errorf("unknown level %q (use safe or aggressive)", s)
}

// A Rule rewrites the free text of a document. Rules are stateless values:
// every method is safe for concurrent use, and Apply only touches the Doc
// it is given.
type Rule interface {
	// Name is the rule's id, e.g. "whitespace"; safe for concurrent use.
	Name() string
	// Level is the lowest level the rule runs at; safe for concurrent use.
	Level() Level
	// Description says in one line what the rule does; safe for
	// concurrent use.
	Description() string
	// Apply rewrites d and returns the number of edits it made (0 when d
	// is unchanged); safe for concurrent use on different Docs.
	Apply(d *Doc) int
}

// rules are all rules in the order they run. Layout rules run first so
// that the phrase rules and dedup see normalised text; dedup runs last so
// that it also catches sentences the phrase rules made identical.
var rules = []Rule{
	jsonMinify{},
	tablePadding{},
	decoration{},
	whitespace{},
	filler{},
	wordy{},
	formatting{},
	defaults{},
	dedupeBlocks{},
	dedupeSentences{},
}

// Rules returns the rules that run at level l, in order.
func Rules(l Level) []Rule {
	var out []Rule
	for _, r := range rules {
		if r.Level() <= l {
			out = append(out, r)
		}
	}
	return out
}

// Options configure Compress.
type Options struct {
	Level Level
	// Counter counts tokens; nil compares bytes instead (and reports no
	// token counts).
	Counter tokenize.Counter

	// unchecked skips the per-step invariant check (Verify), so that the
	// fuzz test sees rule bugs instead of their rejection.
	unchecked bool
}

// RuleStat is what one rule did.
type RuleStat struct {
	Name  string
	Level Level
	// Applied counts the edits the rule made (over all rounds).
	Applied int
	// TokensSaved is the drop in tokens the rule's edits caused, measured
	// after the rules before it; the stats of all rules add up to
	// TokensBefore − TokensAfter.
	TokensSaved int
	// BytesSaved is the same in bytes.
	BytesSaved int
}

// Result is the outcome of Compress.
type Result struct {
	Output       string
	TokensBefore int
	TokensAfter  int
	Rules        []RuleStat
	// Removed lists the exact duplicates dropped (each is still in
	// Output); Verify needs them.
	Removed []string
}

// maxRounds bounds the fixpoint loop; every accepted step makes the text
// strictly smaller (in tokens, or in bytes at equal tokens), so the loop
// ends long before on any real prompt.
const maxRounds = 50

// Compress rewrites prompt with the rules of opts.Level. It is
// deterministic and idempotent: the rules run in order, round after round,
// until none changes the text, so Compress(Compress(x)) == Compress(x).
// Each rule's result is kept only if it lowers the token count (or the
// byte count at an equal token count) and passes Verify; otherwise the
// text stays as it was. The error is ctx's, if it is cancelled.
func Compress(ctx context.Context, prompt string, opts Options) (*Result, error) {
	if opts.Level == 0 {
		opts.Level = Safe
	}
	count := func(s string) int {
		if opts.Counter == nil {
			return 0
		}
		return opts.Counter.Count([]byte(s))
	}
	rs := Rules(opts.Level)
	res := &Result{TokensBefore: count(prompt)}
	for _, r := range rs {
		res.Rules = append(res.Rules, RuleStat{Name: r.Name(), Level: r.Level()})
	}
	cur, curTokens := prompt, res.TokensBefore
	var curItems []item
	if !opts.unchecked {
		curItems = items(cur)
	}
	valid := utf8.ValidString(prompt)
	for round := 0; round < maxRounds; round++ {
		changed := false
		for i, r := range rs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			d := NewDoc(cur)
			n := r.Apply(d)
			if n == 0 {
				continue
			}
			next := d.String()
			if next == cur {
				continue
			}
			nextTokens := count(next)
			if nextTokens > curTokens || nextTokens == curTokens && len(next) >= len(cur) {
				continue
			}
			var nextItems []item
			if !opts.unchecked {
				if valid && !utf8.ValidString(next) {
					continue
				}
				nextItems = items(next)
				if verifyItems(curItems, nextItems, d.Removed()) != nil || !contained(next, d.Removed()) {
					continue
				}
			}
			st := &res.Rules[i]
			st.Applied += n
			st.TokensSaved += curTokens - nextTokens
			st.BytesSaved += len(cur) - len(next)
			res.Removed = append(res.Removed, d.Removed()...)
			cur, curTokens, curItems = next, nextTokens, nextItems
			changed = true
		}
		if !changed {
			break
		}
	}
	res.Output, res.TokensAfter = cur, curTokens
	return res, nil
}

// contained reports whether every removed duplicate is still in s: a rule
// removes only later copies and keeps the first.
func contained(s string, removed []string) bool {
	for _, r := range removed {
		if !strings.Contains(s, r) {
			return false
		}
	}
	return true
}
