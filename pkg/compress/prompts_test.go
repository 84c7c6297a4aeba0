package compress

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmcost/llmcost/pkg/internal/golden"
)

// promptFiles are the realistic prompts of testdata/compress.
func promptFiles(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("../../testdata/compress/*")
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if filepath.Base(f) != "README.md" {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		tb.Fatal("no prompts in testdata/compress")
	}
	return out
}

// TestCompressPrompts compresses every prompt of testdata/compress at both
// levels and compares the output and the per-rule savings with golden
// files; the guarantees and idempotence are checked on each.
func TestCompressPrompts(t *testing.T) {
	pkgDir, _ := filepath.Abs(".")
	c := counter(t)
	for _, path := range promptFiles(t) {
		in, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, lvl := range []Level{Safe, Aggressive} {
			name := filepath.Base(path) + "-" + lvl.String()
			t.Run(name, func(t *testing.T) {
				res, err := Compress(context.Background(), string(in), Options{Level: lvl, Counter: c})
				if err != nil {
					t.Fatal(err)
				}
				if err := Verify(string(in), res.Output, res.Removed); err != nil {
					t.Error(err)
				}
				again, _ := Compress(context.Background(), res.Output, Options{Level: lvl, Counter: c})
				if again.Output != res.Output {
					t.Errorf("not idempotent:\nonce:  %q\ntwice: %q", res.Output, again.Output)
				}
				var b strings.Builder
				fmt.Fprintf(&b, "tokens %d -> %d (o200k_base)\n", res.TokensBefore, res.TokensAfter)
				sum := 0
				for _, r := range res.Rules {
					fmt.Fprintf(&b, "%-17s applied %3d  saved %4d tokens\n", r.Name, r.Applied, r.TokensSaved)
					sum += r.TokensSaved
				}
				if sum != res.TokensBefore-res.TokensAfter {
					t.Errorf("rule savings add up to %d, want %d", sum, res.TokensBefore-res.TokensAfter)
				}
				b.WriteString("--- output\n" + res.Output)
				golden.Assert(t, pkgDir, name, []byte(b.String()))
			})
		}
	}
}
