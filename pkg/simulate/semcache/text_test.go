package semcache

import (
	"bytes"
	"os"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  How do I reset my Password??  ", "how do i reset my password"},
		{"don’t stop—ever!", "don t stop ever"},
		{"Café NAÏVE résumé", "café naïve résumé"},
		{"a\t\n\rb", "a b"},
		{"x\xffy", "x y"},
		{"ΣΊΣΥΦΟΣ", "σίσυφοσ"},
		{"1,000.50 $", "1 000 50"},
		{"日本語のテキスト", "日本語のテキスト"},
		{"...", ""},
	}
	for _, tt := range tests {
		if got := string(Normalize(nil, []byte(tt.in))); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func guardOf(s string) Guard { return GuardOf(Normalize(nil, []byte(s))) }

// Pairs the guards must refuse, and pairs they must let through.
func TestGuards(t *testing.T) {
	tests := []struct {
		a, b string
		want Reason
	}{
		{"Refund order 1234", "Refund order 1235", NumbersDiffer},
		{"Refund order 1234", "Refund order", NumbersDiffer},
		{"Convert 5 km to 3 miles", "Convert 3 km to 5 miles", NumbersDiffer},
		{"List five tips", "List ten tips", NumbersDiffer},
		{"List five tips", "List 5 tips", Accepted},
		{"What year did World War II end?", "What year did World War I end?", NumbersDiffer},
		{"gpt4o or gpt4", "gpt4o or gpt5", NumbersDiffer},
		{"Order 007", "order 7", Accepted},
		{"Is it safe?", "Is it not safe?", NegationDiffers},
		{"Do it", "Don't do it", NegationDiffers},
		{"Do it", "Don’t do it", NegationDiffers},
		{"Do it", "Dont do it", NegationDiffers},
		{"I can do it", "I can't do it", NegationDiffers},
		{"A recipe with eggs", "A recipe without eggs", NegationDiffers},
		{"Don't do it", "Do not do it", Accepted},
		{"Never mind", "Not at all", Accepted},
		{"Which one is better?", "Which is better?", Accepted},
		{"Mach es", "Mach es nicht", NegationDiffers},
		{"How do I reset my password?", "how do i reset my password", Accepted},
		{"Book a flight from New York to Florida", "Book a flight from Florida to New York", OrderDiffers},
		{"Book a flight from New York to Florida", "Book a flight to Florida from New York", OrderDiffers},
		{"Book a flight from New York to Florida", "Book a flight from New York to Miami", Accepted},
	}
	for _, tt := range tests {
		if got := guardOf(tt.a).Check(guardOf(tt.b)); got != tt.want {
			t.Errorf("%q vs %q: %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestGrams(t *testing.T) {
	tests := []struct {
		text string
		n    int
		want int // grams
	}{
		{"", 3, 0},
		{"a", 3, 1}, // " a " is one gram
		{"ab", 3, 2},
		{"abc", 3, 3},
		{"ab cd", 3, 5},
		{"héllo", 3, 5},
		{"x", 1, 3},
	}
	for _, tt := range tests {
		got, _ := grams(nil, nil, []byte(tt.text), tt.n)
		if len(got) != tt.want {
			t.Errorf("grams(%q, %d) = %d grams, want %d", tt.text, tt.n, len(got), tt.want)
		}
	}
	// the same gram anywhere hashes the same
	a, _ := grams(nil, nil, []byte("abc abc"), 3)
	if a[1] != a[5] {
		t.Errorf("gram \"abc\" hashes differ: %x %x", a[1], a[5])
	}
}

func TestCosine(t *testing.T) {
	var df DF
	var f Features
	texts := []string{"how do i reset my password", "how do i change my email", "what is the refund policy", "how do i reset my password"}
	for _, s := range texts {
		f.Analyze([]byte(s), 3)
		df.Add(&f)
	}
	vec := func(s string) Vector {
		var f Features
		f.Analyze([]byte(s), 3)
		return TFIDF(&f, &df)
	}
	a, b, c := vec(texts[0]), vec(texts[3]), vec(texts[2])
	if s := Cosine(a, b); s < 0.999999 {
		t.Errorf("identical texts: cosine %v, want 1", s)
	}
	if s := Cosine(a, c); s > 0.3 {
		t.Errorf("unrelated texts: cosine %v, want under 0.3", s)
	}
	if s := Cosine(a, Vector{}); s != 0 {
		t.Errorf("empty vector: cosine %v, want 0", s)
	}
}

func TestAddCandidate(t *testing.T) {
	var l []cand
	for _, k := range []int32{3, 9, 5, 9, 1, 7, 2, 3, 3} {
		l = addCandidate(l, k, 4)
	}
	// 3 (3 bands) and 9 (2) stay; of those seen once, the newest win
	want := []cand{{3, 3}, {9, 2}, {5, 1}, {7, 1}}
	if len(l) != len(want) {
		t.Fatalf("candidates = %v, want %v", l, want)
	}
	for _, w := range want {
		found := false
		for _, c := range l {
			found = found || c == w
		}
		if !found {
			t.Errorf("candidates = %v, want %v", l, want)
		}
	}
}

func TestParseTTL(t *testing.T) {
	for in, ok := range map[string]bool{"24h": true, "90m": true, "7d": true, "0.5d": true, "0h": false, "-1h": false, "soon": false, "": false, "d": false} {
		if _, err := ParseTTL(in); (err == nil) != ok {
			t.Errorf("ParseTTL(%q): err %v", in, err)
		}
	}
}

// FuzzNormalize checks the text analysis never panics and that
// normalisation is idempotent, valid UTF-8, single-spaced, and keeps the
// guards.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"How do I reset my Password??", "don’t 1,000 ΣΊΣΥΦΟΣ", "x\xffy\x00z", "", "İstanbul ǅ ẞ ﬁ", "World War II, n't"} {
		f.Add([]byte(s))
	}
	if data, err := os.ReadFile("../../../testdata/semcache/pairs.tsv"); err == nil {
		for _, line := range bytes.Split(data, []byte("\n"))[8:30] {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		n := Normalize(nil, in)
		if !utf8.Valid(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", in, n)
		}
		if bytes.Contains(n, []byte("  ")) || bytes.HasPrefix(n, []byte(" ")) || bytes.HasSuffix(n, []byte(" ")) {
			t.Fatalf("Normalize(%q) = %q: stray spaces", in, n)
		}
		if n2 := Normalize(nil, n); !bytes.Equal(n, n2) {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", in, n, n2)
		}
		if GuardOf(n) != GuardOf(Normalize(nil, n)) {
			t.Fatalf("guard changed by normalising again: %q", in)
		}
		var fe Features
		for _, k := range []int{1, 3, 5} {
			fe.Analyze(in, k)
			if len(n) > 0 && len(fe.Grams) == 0 {
				t.Fatalf("no grams for %q", in)
			}
			v := TFIDF(&fe, &DF{})
			if s := Cosine(v, v); len(v.Keys) > 0 && (s < 0.999 || s > 1) {
				t.Fatalf("self cosine %v for %q", s, in)
			}
		}
	})
}

// The group filter keeps every group seen twice, whatever the split of
// the requests between goroutines, and drops nearly all single ones.
func TestGroupFilter(t *testing.T) {
	var whole, a, b groupFilter
	for g := uint64(0); g < 100_000; g++ {
		n := 1 + int(g%3) // groups 0, 3, 6… once; the others twice or three times
		for i := 0; i < n; i++ {
			whole.add(g)
			if (g+uint64(i))%2 == 0 {
				a.add(g)
			} else {
				b.add(g)
			}
		}
	}
	var merged groupFilter
	merged.merge(&a)
	merged.merge(&b)
	false1 := 0
	for g := uint64(0); g < 100_000; g++ {
		if whole.twice(g) != merged.twice(g) {
			t.Fatalf("group %d: %v whole, %v merged", g, whole.twice(g), merged.twice(g))
		}
		if g%3 != 0 && !whole.twice(g) {
			t.Fatalf("group %d occurs %d times, not kept", g, 1+g%3)
		}
		if g%3 == 0 && whole.twice(g) {
			false1++
		}
	}
	if false1 > 33_334/100 {
		t.Errorf("%d of 33,334 single groups kept (want under 1%%)", false1)
	}
}
