package compress

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/llmcost/llmcost/pkg/tokenize"
)

var (
	o200kOnce sync.Once
	o200k     *tokenize.Encoding
)

// counter is the o200k_base encoding (GPT-4o), loaded once.
func counter(tb testing.TB) tokenize.Counter {
	tb.Helper()
	o200kOnce.Do(func() {
		e, err := tokenize.ForEncoding(tokenize.O200kBase)
		if err != nil {
			tb.Fatal(err)
		}
		o200k = e
	})
	return o200k
}

func TestParseLevel(t *testing.T) {
	for _, s := range Levels {
		l, err := ParseLevel(s)
		if err != nil || l.String() != s {
			t.Errorf("ParseLevel(%q) = %v, %v", s, l, err)
		}
	}
	if _, err := ParseLevel("extreme"); err == nil {
		t.Error("ParseLevel(extreme): no error")
	}
}

// Safe runs only safe rules; aggressive runs all of them, in one order.
func TestRules(t *testing.T) {
	for _, r := range Rules(Safe) {
		if r.Level() != Safe {
			t.Errorf("safe level runs %s (%v)", r.Name(), r.Level())
		}
	}
	all := Rules(Aggressive)
	if len(all) != len(rules) || len(Rules(Safe)) >= len(all) {
		t.Errorf("aggressive runs %d rules of %d", len(all), len(rules))
	}
	names := map[string]bool{}
	for _, r := range all {
		if names[r.Name()] || r.Description() == "" {
			t.Errorf("rule %q: duplicate name or no description", r.Name())
		}
		names[r.Name()] = true
	}
}

func TestCompress(t *testing.T) {
	ctx := context.Background()
	in := "Please  answer in valid JSON.\n\n\n\nPlease  answer in valid JSON.\nThank you!\n"
	res, err := Compress(ctx, in, Options{Level: Aggressive, Counter: counter(t)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Answer in valid JSON.\n"; res.Output != want {
		t.Errorf("output %q, want %q", res.Output, want)
	}
	saved := 0
	for _, r := range res.Rules {
		saved += r.TokensSaved
	}
	if saved != res.TokensBefore-res.TokensAfter || saved <= 0 {
		t.Errorf("rules saved %d tokens, totals say %d -> %d", saved, res.TokensBefore, res.TokensAfter)
	}
	// Without a counter, bytes decide and no tokens are reported.
	res2, err := Compress(ctx, in, Options{Level: Aggressive})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Output != res.Output || res2.TokensBefore != 0 {
		t.Errorf("no counter: output %q, tokens %d", res2.Output, res2.TokensBefore)
	}
	// The zero level is safe.
	res3, _ := Compress(ctx, in, Options{})
	if res3.Output != "Please answer in valid JSON.\n\nThank you!\n" {
		t.Errorf("zero level output %q", res3.Output)
	}
	// A cancelled context stops it.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Compress(cctx, in, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// Compress is deterministic and idempotent on tricky inputs, and its
// result passes Verify.
func TestCompressIdempotent(t *testing.T) {
	inputs := append([]string{
		"",
		"\n",
		"   ",
		"Please.\n\n\nPlease.",
		"**\n***\n****x****",
		"'a' 'a' \"b\" \"b\" {c} {c}",
		"<example>\n<example>\nInput: a b c d\n</example>\n</example>",
		"- Please be brief. Please be brief. Please be brief.\n- Please be brief.",
		"```json\n{\"a\":   1}\n```\n```json\n{\"a\": 1}\n```",
		"| a | b |\n|---|---|\n| 1 | 2 |\n| 1 | 2 |",
		"Could you please answer?\nCould you please answer?",
		"\xff\xfePlease  answer.\ue000",
	}, fuzzSeeds...)
	c := counter(t)
	for _, lvl := range []Level{Safe, Aggressive} {
		for _, in := range inputs {
			a, _ := Compress(context.Background(), in, Options{Level: lvl, Counter: c})
			b, _ := Compress(context.Background(), in, Options{Level: lvl, Counter: c})
			again, _ := Compress(context.Background(), a.Output, Options{Level: lvl, Counter: c})
			if a.Output != b.Output {
				t.Errorf("%v %q: not deterministic", lvl, in)
			}
			if again.Output != a.Output {
				t.Errorf("%v %q: not idempotent: %q then %q", lvl, in, a.Output, again.Output)
			}
			if err := Verify(in, a.Output, a.Removed); err != nil {
				t.Errorf("%v %q: %v", lvl, in, err)
			}
			if a.TokensAfter > a.TokensBefore {
				t.Errorf("%v %q: tokens %d -> %d", lvl, in, a.TokensBefore, a.TokensAfter)
			}
		}
	}
}
