package report

import (
	"strings"
	"testing"
)

func TestDiffMarkdownCap(t *testing.T) {
	base, err := LoadFile("../../testdata/gate/baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	cur, err := LoadFile("../../testdata/gate/current-up.json")
	if err != nil {
		t.Fatal(err)
	}
	d := Compare(base, cur)
	full := DiffMarkdown(d, DiffOptions{Reproduce: "llmcost diff x"})
	for _, limit := range []int{len(full) + 10, 2500, 1500, 1000, 300} {
		got := DiffMarkdown(d, DiffOptions{MaxBytes: limit, Reproduce: "llmcost diff x"})
		if len(got) > limit {
			t.Errorf("limit %d: %d bytes", limit, len(got))
		}
		if !strings.HasPrefix(got, CommentMarker+"\n") {
			t.Errorf("limit %d: no marker first", limit)
		}
		if limit >= 1000 && !strings.Contains(got, "| Total cost |") {
			t.Errorf("limit %d: the summary table was cut", limit)
		}
		if limit > len(full) && got != full {
			t.Errorf("limit %d: output differs from the uncapped one", limit)
		}
	}
	if !strings.Contains(full, "Reproduce locally: `llmcost diff x`") || strings.Contains(full, "left out") {
		t.Error("uncapped output lacks the reproduce line or drops sections")
	}
}

func TestLoadRejects(t *testing.T) {
	for _, in := range []string{`{}`, `{"kind":"analyze","schema_version":99}`, `not json`, `{"kind":"diff","schema_version":1}`} {
		if _, err := Load(strings.NewReader(in)); err == nil {
			t.Errorf("Load(%s): want an error", in)
		}
	}
}
