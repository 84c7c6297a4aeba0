package ingest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/llmcost/llmcost/pkg/record"
)

// The fixtures under testdata/ingest/<format>/ hold real-format lines and,
// independently written, the records they must give (see its README).

type expectedRecord struct {
	Line         int64  `json:"line"`
	Model        string `json:"model"`
	Input        int64  `json:"input_tokens"`
	CacheRead    int64  `json:"cache_read_tokens"`
	CacheWrite5m int64  `json:"cache_write_5m_tokens"`
	CacheWrite1h int64  `json:"cache_write_1h_tokens"`
	Output       int64  `json:"output_tokens"`
	Reasoning    int64  `json:"reasoning_tokens"`
	Tier         string `json:"tier"`
	Time         string `json:"time"`
	HasUsage     bool   `json:"has_usage"`
}

type expectedFile struct {
	File     string           `json:"file"`
	Records  []expectedRecord `json:"records"`
	NoRecord []struct {
		Line int64 `json:"line"`
	} `json:"no_record"`
}

type expectedErrors struct {
	File      string `json:"file"`
	Malformed []struct {
		Line int64 `json:"line"`
	} `json:"malformed"`
	NotBilled []int64 `json:"not_billed"`
	Records   []int64 `json:"records"`
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestFixtures(t *testing.T) {
	dirs, _ := filepath.Glob("../../testdata/ingest/*")
	if len(dirs) == 0 {
		t.Fatal("no fixtures")
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		for _, exp := range []string{"expected.json", "input-expected.json", "sse-expected.json"} {
			path := filepath.Join(dir, exp)
			if _, err := os.Stat(path); err != nil {
				continue
			}
			t.Run(filepath.Base(dir)+"/"+exp, func(t *testing.T) {
				var want expectedFile
				readJSON(t, path, &want)
				st, recs, _, err := runLines(t, []string{filepath.Join(dir, want.File)}, Options{KeepIDs: true})
				if err != nil {
					t.Fatal(err)
				}
				if st.ProblemsTotal != 0 {
					t.Fatalf("problems: %v", st.Problems)
				}
				byLine := map[int64]record.Record{}
				for _, r := range recs {
					byLine[r.Loc.Line] = r
				}
				for _, w := range want.Records {
					got, ok := byLine[w.Line]
					if !ok {
						t.Errorf("line %d: no record", w.Line)
						continue
					}
					delete(byLine, w.Line)
					if got.Model != w.Model || got.Tier.String() != w.Tier || got.HasUsage != w.HasUsage {
						t.Errorf("line %d: model/tier/usage = %q/%s/%v, want %q/%s/%v", w.Line, got.Model, got.Tier, got.HasUsage, w.Model, w.Tier, w.HasUsage)
					}
					g := [6]int64{got.InputTokens, got.CacheReadTokens, got.CacheWrite5mTokens, got.CacheWrite1hTokens, got.OutputTokens, got.ReasoningTokens}
					e := [6]int64{w.Input, w.CacheRead, w.CacheWrite5m, w.CacheWrite1h, w.Output, w.Reasoning}
					if g != e {
						t.Errorf("line %d: tokens %v, want %v", w.Line, g, e)
					}
					if w.Time == "" {
						if !got.Time.IsZero() {
							t.Errorf("line %d: time %v, want none", w.Line, got.Time)
						}
					} else if wt, err := time.Parse(time.RFC3339Nano, w.Time); err != nil || !wt.Equal(got.Time) {
						t.Errorf("line %d: time %v, want %s", w.Line, got.Time, w.Time)
					}
				}
				var extra []int64
				for l := range byLine {
					extra = append(extra, l)
				}
				sort.Slice(extra, func(i, j int) bool { return extra[i] < extra[j] })
				if len(extra) > 0 {
					t.Errorf("unexpected records on lines %v", extra)
				}
			})
		}
		path := filepath.Join(dir, "expected-errors.json")
		if _, err := os.Stat(path); err != nil {
			continue
		}
		t.Run(filepath.Base(dir)+"/malformed", func(t *testing.T) {
			var want expectedErrors
			readJSON(t, path, &want)
			st, recs, _, err := runLines(t, []string{filepath.Join(dir, want.File)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var gotBad, wantBad []int64
			for _, p := range st.Problems {
				gotBad = append(gotBad, p.Line)
			}
			for _, m := range want.Malformed {
				wantBad = append(wantBad, m.Line)
			}
			if !equalInts(gotBad, wantBad) {
				t.Errorf("malformed lines %v, want %v (%v)", gotBad, wantBad, st.Problems)
			}
			var gotRecs []int64
			for _, r := range recs {
				gotRecs = append(gotRecs, r.Loc.Line)
			}
			sort.Slice(gotRecs, func(i, j int) bool { return gotRecs[i] < gotRecs[j] })
			if !equalInts(gotRecs, want.Records) {
				t.Errorf("record lines %v, want %v", gotRecs, want.Records)
			}
		})
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
