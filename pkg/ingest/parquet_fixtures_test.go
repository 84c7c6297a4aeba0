package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"go.yaml.in/yaml/v3"

	"github.com/llmcost/llmcost/pkg/record"
)

// parquetFixtureDir holds Parquet request logs in real layouts and their
// JSON Lines twins (scripts/gen-parquet-fixtures; see its README).
const parquetFixtureDir = "../../testdata/ingest/parquet"

var parquetFixtures = []struct {
	name, parquet, twin string
	mapping             string // a mapping file, for a home-grown table
	format              string
	records, notBilled  int64
}{
	{"litellm-json-columns", "litellm-spendlogs.parquet", "litellm-spendlogs.ndjson", "", "litellm", 5, 2},
	{"litellm-text-columns", "litellm-spendlogs-text.parquet", "litellm-spendlogs.ndjson", "", "litellm", 5, 2},
	{"langfuse", "langfuse-observations.parquet", "langfuse-observations.ndjson", "", "langfuse", 3, 2},
	{"helicone", "helicone-requests.parquet", "helicone-requests.ndjson", "", "helicone", 3, 2},
	{"mapped", "app-requests.parquet", "app-requests.ndjson", "app-requests-mapping.yaml", "mapped", 5, 0},
}

func loadMappingFile(t testing.TB, path string) *Mapping {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Mapping *Mapping `yaml:"mapping"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil || doc.Mapping == nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc.Mapping
}

// recordDiff says how two records of the same call differ ("" if not).
func recordDiff(a, b record.Record) string {
	type view struct {
		Line                                 int64
		Model, Provider, Time, Tier          string
		Tokens                               [6]int64
		HasUsage, HasCharged                 bool
		Charged                              int64
		User, Project, Conversation, Request string
		Tags                                 string
		Geo                                  string
	}
	v := func(r record.Record) view {
		return view{r.Loc.Line, r.Model, r.Provider, r.Time.UTC().Format("2006-01-02T15:04:05.999999999Z"), r.Tier.String(), tokens(r),
			r.HasUsage, r.HasCharged, r.ChargedNanoUSD, r.User, r.Project, r.ConversationID, r.RequestID, tagsOf(r), r.Geo}
	}
	if va, vb := v(a), v(b); va != vb {
		return fmt.Sprintf("\n got %+v\nwant %+v", va, vb)
	}
	return ""
}

func sortedByLine(recs []record.Record) []record.Record {
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Loc.Line < recs[j].Loc.Line })
	return recs
}

// A Parquet request log gives the records of the same rows as JSON lines,
// row k being line k: detected, chunked, in parallel or not, compressed or
// not.
func TestParquetFixtures(t *testing.T) {
	for _, fx := range parquetFixtures {
		t.Run(fx.name, func(t *testing.T) {
			var m *Mapping
			if fx.mapping != "" {
				m = loadMappingFile(t, filepath.Join(parquetFixtureDir, fx.mapping))
			}
			twin := filepath.Join(parquetFixtureDir, fx.twin)
			wst, want, _, err := runLines(t, []string{twin}, Options{Workers: 1, KeepIDs: true, Mapping: m})
			if err != nil {
				t.Fatal(err)
			}
			want = sortedByLine(want)
			if wf := wst.Files[0]; wf.Format != fx.format || wf.Records != fx.records || wf.NotBilled != fx.notBilled || wf.Malformed != 0 {
				t.Fatalf("twin: %+v (problems %v)", wf, wst.Problems)
			}
			pq := filepath.Join(parquetFixtureDir, fx.parquet)
			data, err := os.ReadFile(pq)
			if err != nil {
				t.Fatal(err)
			}
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Write(data)
			zw.Close()
			pqgz := write(t, fx.parquet+".gz", gz.Bytes())
			for _, c := range []struct {
				name string
				path string
				opts Options
			}{
				{"one worker", pq, Options{Workers: 1}},
				{"small chunks, four workers", pq, Options{Workers: 4, ChunkSize: 300}},
				{"gzip", pqgz, Options{Workers: 2}},
			} {
				c.opts.KeepIDs, c.opts.Mapping = true, m
				st, got, _, err := runLines(t, []string{c.path}, c.opts)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				gf, wf := st.Files[0], wst.Files[0]
				if gf.Format != wf.Format || gf.Lines != wf.Lines || gf.Records != wf.Records || gf.NotBilled != wf.NotBilled ||
					gf.Malformed != 0 || gf.Duplicates != wf.Duplicates || gf.Err != "" {
					t.Fatalf("%s: stats %+v, want those of the twin %+v (problems %v)", c.name, gf, wf, st.Problems)
				}
				got = sortedByLine(got)
				for i := range want {
					if d := recordDiff(got[i], want[i]); d != "" {
						t.Errorf("%s: line %d:%s", c.name, want[i].Loc.Line, d)
					}
				}
			}
		})
	}
}

// homeRow is a home-grown table row for the error tests.
type homeRow struct {
	TS     int64  `parquet:"ts,timestamp(millisecond)"`
	Model  string `parquet:"engine"`
	Prompt int64  `parquet:"prompt_tok"`
	Output int64  `parquet:"completion_tok"`
}

// A table no format recognises is an unreadable file whose message names
// its columns and what to do; with a mapping, or --input-format mapped, it
// is read; a bad value is reported at file:row.
func TestParquetRowsDetection(t *testing.T) {
	ms := int64(1772445600000)
	rows := []homeRow{
		{ms, "gpt-4o-mini", 1200, 80},
		{ms + 1000, "gpt-4o", 3000, 400},
		{ms + 2000, "gpt-4o", -5, 400}, // row 3: a negative count
		{ms + 3000, "gpt-4o-mini", 900, 60},
	}
	p := filepath.Join(t.TempDir(), "home.parquet")
	writeParquet(t, p, rows, 2)
	m := &Mapping{Model: "engine", InputTokens: "prompt_tok", OutputTokens: "completion_tok", Time: "ts"}

	st, _, _, err := runLines(t, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "cannot detect the format of a Parquet table with columns ts, engine, prompt_tok, completion_tok (pass --input-format, or map the columns in llmcost.yaml)"
	if st.Files[0].Err != want {
		t.Errorf("no mapping: %q, want %q", st.Files[0].Err, want)
	}

	for _, opts := range []Options{{Mapping: m}, {Mapping: m, Format: mappedFormat, ChunkSize: 64}} {
		st, recs, _, err := runLines(t, []string{p}, opts)
		if err != nil {
			t.Fatal(err)
		}
		f := st.Files[0]
		if f.Format != "mapped" || f.Records != 3 || f.Malformed != 1 || len(st.Problems) != 1 {
			t.Fatalf("mapped: %+v, problems %v", f, st.Problems)
		}
		pr := st.Problems[0]
		if pr.Line != 3 || !strings.HasPrefix(pr.Error(), p+":3: ") {
			t.Errorf("problem %q, want it at %s:3", pr.Error(), p)
		}
		var lines []int64
		for _, r := range sortedByLine(recs) {
			lines = append(lines, r.Loc.Line)
		}
		if !equalInts(lines, []int64{1, 2, 4}) || recs[0].Time.UnixMilli() != ms || recs[0].InputTokens != 1200 {
			t.Errorf("records on lines %v: %+v", lines, recs[0])
		}
	}

	// --strict stops at row 3.
	if _, _, _, err := runLines(t, []string{p}, Options{Mapping: m, Strict: true}); err == nil || !strings.Contains(err.Error(), ":3: ") {
		t.Errorf("strict: %v", err)
	}
	// A forced format is honoured (here one that does not fit: every row is
	// malformed, none is a crash), and aws-cur keeps its CSV path.
	for _, id := range []string{"openai-chat", "aws-cur"} {
		fm, _ := LookupFormat(id)
		st, recs, _, err := runLines(t, []string{p}, Options{Format: fm})
		if err != nil || len(recs) != 0 || st.Files[0].Format != id {
			t.Errorf("forced %s: %v, %d records, %+v", id, err, len(recs), st.Files[0])
		}
	}
}

// Corrupt Parquet is an unreadable file, never a crash.
func TestParquetRowsCorrupt(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(parquetFixtureDir, "langfuse-observations.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"truncated":     data[:len(data)/2],
		"footer only":   append([]byte("PAR1"), data[len(data)-200:]...),
		"flipped pages": flip(data, 4, len(data)/2),
	}
	for name, b := range cases {
		p := write(t, "c.parquet", b)
		st, recs, _, err := runLines(t, []string{p}, Options{Workers: 1})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := range recs {
			checkRecord(t, &recs[i])
		}
		if name != "flipped pages" && st.Files[0].Err == "" {
			t.Errorf("%s: no error, %+v", name, st.Files[0])
		}
	}
}

// flip inverts every 7th byte of b[from:to].
func flip(b []byte, from, to int) []byte {
	out := append([]byte(nil), b...)
	for i := from; i < to; i += 7 {
		out[i] ^= 0xff
	}
	return out
}

// FuzzParquetRows: any bytes after the magic give an error or rows, each
// written as exactly one line of valid JSON, and records that keep the
// invariants; never a panic in our code (parquet-go's own panics on
// corrupt pages are recovered as the run does, and reported).
func FuzzParquetRows(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(parquetFixtureDir, "*.parquet"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	m := &Mapping{Model: "llm.model", InputTokens: "usage.prompt", OutputTokens: "usage.completion"}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, parquetMagic) || len(data) > 1<<20 {
			return
		}
		checkParquetLines(t, data)
		p := filepath.Join(t.TempDir(), "f.parquet")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, recs, _, err := runLines(t, []string{p}, Options{Workers: 1, Mapping: m})
		if err != nil {
			t.Fatal(err)
		}
		for i := range recs {
			checkRecord(t, &recs[i])
		}
	})
}

// checkParquetLines writes every row it can read as JSON, outside any
// recover, and checks each is one valid JSON line.
func checkParquetLines(t *testing.T, data []byte) {
	var (
		pf  *parquet.File
		w   *parquetJSON
		err error
	)
	guard := func(fn func()) (ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		fn()
		return true
	}
	if !guard(func() { pf, err = parquet.OpenFile(bytes.NewReader(data), int64(len(data))) }) || err != nil {
		return
	}
	if !guard(func() { w, err = newParquetJSON(pf) }) || err != nil {
		return
	}
	rows := make([]parquet.Row, 16)
	for _, rg := range pf.RowGroups() {
		var rr parquet.Rows
		if !guard(func() { rr = rg.Rows() }) {
			return
		}
		for {
			var n int
			var rerr error
			if !guard(func() { n, rerr = rr.ReadRows(rows) }) {
				return
			}
			for _, r := range rows[:n] {
				line := w.row(nil, r) // no recover: a panic here is a bug
				if !json.Valid(line[:len(line)-1]) || bytes.IndexByte(line, '\n') != len(line)-1 {
					t.Fatalf("row gives %q", line)
				}
			}
			if rerr != nil {
				break
			}
		}
		guard(func() { rr.Close() })
	}
}
