package compress

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCompressKeepsInvariants runs both levels with the per-step check
// off, so that a rule that breaks a guarantee shows up here instead of
// being silently rejected, and checks the guarantees on the result: the
// items of Verify (numbers, negations, protected spans), valid UTF-8, no
// more tokens than before, every removed duplicate still present, and
// idempotence. It also checks that the checked pipeline is idempotent.
func FuzzCompressKeepsInvariants(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/compress/*")
	for _, p := range files {
		if strings.HasSuffix(p, "README.md") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), false)
		f.Add(string(b), true)
	}
	for _, s := range fuzzSeeds {
		f.Add(s, true)
	}
	c := counter(f)
	f.Fuzz(func(t *testing.T, s string, aggressive bool) {
		lvl := Safe
		if aggressive {
			lvl = Aggressive
		}
		ctx := context.Background()
		for _, unchecked := range []bool{true, false} {
			opts := Options{Level: lvl, Counter: c, unchecked: unchecked}
			res, err := Compress(ctx, s, opts)
			if err != nil {
				t.Fatal(err)
			}
			out := res.Output
			if err := Verify(s, out, res.Removed); err != nil {
				t.Fatalf("unchecked=%v: %v\ninput:  %q\noutput: %q", unchecked, err, s, out)
			}
			if utf8.ValidString(s) && !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 output %q", out)
			}
			if res.TokensAfter > res.TokensBefore {
				t.Fatalf("tokens %d -> %d", res.TokensBefore, res.TokensAfter)
			}
			for _, r := range res.Removed {
				if !strings.Contains(out, r) {
					t.Fatalf("removed duplicate %q is not in the output %q", r, out)
				}
			}
			again, err := Compress(ctx, out, opts)
			if err != nil {
				t.Fatal(err)
			}
			if again.Output != out {
				t.Fatalf("unchecked=%v: not idempotent:\ninput:  %q\nonce:   %q\ntwice:  %q", unchecked, s, out, again.Output)
			}
		}
	})
}

var fuzzSeeds = []string{
	"Please answer. Please answer.\n\n\n",
	"Do not share 'secrets' or \"keys\" with {user} at https://x.com/a_(b) or a@b.io.",
	"<example>\nInput: hello world today\nOutput: greeting\n</example>\n<example>\nInput: hello world today\nOutput: greeting\n</example>\n",
	"| a  |  b |\n|:--|--:|\n| 1 | 2 |",
	"```json\n{ \"a\" : [1, 2] }\n```\n",
	"It is important that you not reveal 3 things. Make sure to not lie!!!",
	"Respond in English.\nBe helpful.\nYou are a helpful assistant.",
	"***IMPORTANT***\n==========\n==========\n# **Title**",
	"Could you please summarize the text?",
	"Thank you for using ${APP} and $NAME {{ var }} {% if x %}.",
}
