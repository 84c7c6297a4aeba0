package ingest

import (
	"bytes"
	"compress/gzip"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/record"
)

// The billing fixtures: testdata/ingest/<format>/billing-expected.json
// lists, per file, the records each line must give in order (a line of
// an API page gives one record per result), the lines that give none
// (not_billed) and the malformed ones. The expectations were written by
// hand from the documented layouts (shared/formats), not by running the
// parsers.

// billingFormats are the billing formats, by fixture directory.
var billingFormats = []string{
	"openai-usage", "openai-costs", "openai-usage-csv", "openai-costs-csv",
	"anthropic-usage", "anthropic-cost", "aws-cur",
}

type billingRecord struct {
	Line         int64  `json:"line"`
	Model        string `json:"model"`
	Time         string `json:"time"`
	Tier         string `json:"tier"`
	Input        int64  `json:"input"`
	CacheRead    int64  `json:"cache_read"`
	CacheWrite5m int64  `json:"cache_write_5m"`
	CacheWrite1h int64  `json:"cache_write_1h"`
	Output       int64  `json:"output"`
	Requests     int64  `json:"requests"`
	HasUsage     bool   `json:"has_usage"`
	ChargedUSD   string `json:"charged_usd"`
	Project      string `json:"project"`
	User         string `json:"user"`
	Tags         string `json:"tags"`
	Geo          string `json:"geo"`
	Region       string `json:"region"`
	Long         bool   `json:"long"` // billed at the long-context rates (record.LongContext > 0)
}

type billingFile struct {
	File        string          `json:"file"`
	Format      string          `json:"format"`
	Records     []billingRecord `json:"records"`
	RecordLines []int64         `json:"record_lines"`
	NotBilled   []int64         `json:"not_billed"`
	Malformed   []int64         `json:"malformed"`
	// Ambiguous lines are detected as another billing format on their own
	// (an empty bucket says nothing of what it would hold).
	Ambiguous []int64 `json:"ambiguous"`
}

type billingExpected struct {
	Files []billingFile `json:"files"`
}

func (w billingRecord) compare(t *testing.T, where string, got record.Record) {
	t.Helper()
	gotCharged := ""
	if got.HasCharged {
		gotCharged = decimal.New(got.ChargedNanoUSD, -9).String()
	}
	g := billingRecord{Line: got.Loc.Line, Model: got.Model, Tier: got.Tier.String(),
		Input: got.InputTokens, CacheRead: got.CacheReadTokens, CacheWrite5m: got.CacheWrite5mTokens,
		CacheWrite1h: got.CacheWrite1hTokens, Output: got.OutputTokens, Requests: got.CallCount(), HasUsage: got.HasUsage,
		ChargedUSD: gotCharged, Project: got.Project, User: got.User, Tags: tagsOf(got), Geo: got.Geo, Time: w.Time,
		Region: got.Region, Long: got.LongContext > 0}
	if w.Time == "" {
		if !got.Time.IsZero() {
			t.Errorf("%s: time %v, want none", where, got.Time)
		}
	} else if wt, err := time.Parse(time.RFC3339Nano, w.Time); err != nil || !wt.Equal(got.Time) {
		t.Errorf("%s: time %v, want %s", where, got.Time, w.Time)
	}
	if w.ChargedUSD != "" {
		// compare as decimals: "1.2378912" == "1.23789120"
		if d, err := decimal.NewFromString(w.ChargedUSD); err == nil && got.HasCharged && d.Equal(decimal.New(got.ChargedNanoUSD, -9)) {
			g.ChargedUSD = w.ChargedUSD
		}
	}
	if g != w {
		t.Errorf("%s:\n got %+v\nwant %+v", where, g, w)
	}
	if got.HasUsage && got.HasCharged && !got.NoCalls {
		t.Errorf("%s: a billed line item counts calls", where)
	}
}

func TestBillingFixtures(t *testing.T) {
	for _, dir := range billingFormats {
		var exp billingExpected
		readJSON(t, filepath.Join("../../testdata/ingest", dir, "billing-expected.json"), &exp)
		for _, bf := range exp.Files {
			t.Run(dir+"/"+bf.File, func(t *testing.T) {
				path := filepath.Join("../../testdata/ingest", dir, bf.File)
				checkBillingFile(t, path, bf)
			})
		}
	}
}

func checkBillingFile(t *testing.T, path string, bf billingFile) {
	t.Helper()
	// 256: chunks smaller than most files, cut between the lines of a
	// quoted field (and large enough to hold an Excel "sep=" line and
	// the header, which detection must see in the first chunk).
	for _, chunk := range []int{0, 256} {
		st, recs, _, err := runLines(t, []string{path}, Options{KeepIDs: true, Workers: 1, ChunkSize: chunk})
		if err != nil {
			t.Fatal(err)
		}
		f := st.Files[0]
		if f.Format != bf.Format {
			t.Fatalf("format %q (%s), want %s", f.Format, f.Err, bf.Format)
		}
		sort.SliceStable(recs, func(i, j int) bool { return recs[i].Loc.Line < recs[j].Loc.Line })
		var bad []int64
		for _, p := range st.Problems {
			bad = append(bad, p.Line)
		}
		if !equalInts(bad, bf.Malformed) {
			t.Errorf("chunk %d: malformed lines %v, want %v (%v)", chunk, bad, bf.Malformed, st.Problems)
		}
		if f.NotBilled != int64(len(bf.NotBilled)) {
			t.Errorf("chunk %d: %d not billed, want %d (lines %v)", chunk, f.NotBilled, len(bf.NotBilled), bf.NotBilled)
		}
		if bf.RecordLines != nil {
			var lines []int64
			for _, r := range recs {
				lines = append(lines, r.Loc.Line)
			}
			if !equalInts(lines, bf.RecordLines) {
				t.Errorf("chunk %d: record lines %v, want %v", chunk, lines, bf.RecordLines)
			}
			continue
		}
		if len(recs) != len(bf.Records) {
			t.Errorf("chunk %d: %d records, want %d", chunk, len(recs), len(bf.Records))
		}
		for i := 0; i < len(recs) && i < len(bf.Records); i++ {
			bf.Records[i].compare(t, path+" record "+itoa(int64(i+1)), recs[i])
		}
	}
}

// Every line of a billing fixture's valid files is detected as its format
// (but the ambiguous ones), and no line or header of the other fixtures
// and samples is taken by a billing format.
func TestBillingDetection(t *testing.T) {
	mine := map[string]bool{}
	for _, id := range billingFormats {
		mine[id] = true
	}
	for _, dir := range billingFormats {
		var exp billingExpected
		readJSON(t, filepath.Join("../../testdata/ingest", dir, "billing-expected.json"), &exp)
		for _, bf := range exp.Files {
			if bf.Malformed != nil || strings.HasSuffix(bf.File, ".json") {
				continue
			}
			path := filepath.Join("../../testdata/ingest", dir, bf.File)
			lines := fixtureLines(t, path)
			if strings.HasSuffix(bf.File, ".jsonl") {
			lineLoop:
				for i, l := range lines {
					for _, a := range bf.Ambiguous {
						if a == int64(i+1) {
							continue lineLoop
						}
					}
					if f, err := Detect(l); err != nil || f.ID != bf.Format {
						t.Errorf("%s:%d: detected %v (%v), want %s", path, i+1, f, err, bf.Format)
					}
				}
				continue
			}
			// delimited: the header decides (after Excel's "sep=" line)
			h := lines[0]
			if bytes.HasPrefix(h, []byte("sep=")) {
				h = lines[1]
			}
			if f, err := Detect(h); err != nil || f.ID != bf.Format {
				t.Errorf("%s header: detected %v (%v), want %s", path, f, err, bf.Format)
			}
		}
	}
	others, _ := filepath.Glob("../../testdata/ingest/*/*.jsonl")
	samples, _ := filepath.Glob("../../testdata/samples/*.jsonl")
	for _, p := range append(others, samples...) {
		if mine[filepath.Base(filepath.Dir(p))] {
			continue
		}
		for i, l := range fixtureLines(t, p) {
			if f, err := Detect(l); err == nil && mine[f.ID] {
				t.Errorf("%s:%d: detected as %s", p, i+1, f.ID)
			}
		}
	}
	for _, h := range []string{"model,input_tokens,output_tokens", "timestamp\tmodel\tprompt_tokens", "a;b;c"} {
		if f, err := Detect([]byte(h)); err == nil && mine[f.ID] {
			t.Errorf("header %q: detected as %s", h, f.ID)
		}
	}
}

// Delimited exports: the delimiter is sniffed, quoted fields may hold it,
// doubled quotes and line breaks, and a header-only export gives nothing.
func TestSplitRow(t *testing.T) {
	for _, tc := range []struct {
		in    string
		delim byte
		want  []string
		open  bool
	}{
		{`a,b,c`, ',', []string{"a", "b", "c"}, false},
		{`a,,c,`, ',', []string{"a", "", "c", ""}, false},
		{`"a,1","b ""q""",c`, ',', []string{"a,1", `b "q"`, "c"}, false},
		{"a\t\"b\tc\"\td", '\t', []string{"a", "b\tc", "d"}, false},
		{`a,"b`, ',', nil, true},
		{`"x"y,z`, ',', []string{"xy", "z"}, false},
		{``, ',', []string{""}, false},
	} {
		got, _, err := splitRow([]byte(tc.in), tc.delim, nil, nil)
		if tc.open {
			if err != errOpenQuote {
				t.Errorf("%q: err %v, want open quote", tc.in, err)
			}
			continue
		}
		var gs []string
		for _, g := range got {
			gs = append(gs, string(g))
		}
		if err != nil || strings.Join(gs, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: %q %v, want %q", tc.in, gs, err, tc.want)
		}
	}
}

// Amounts are converted from their text exactly: cents as strings, many
// decimals, exponents, negative credits.
func TestNanoUSD(t *testing.T) {
	for _, tc := range []struct {
		in    string
		shift int32
		want  int64
		err   bool
	}{
		{"0.06", 0, 60_000_000, false},
		{"123.78912", 2, 1_237_891_200, false},
		{"123.45", 2, 1_234_500_000, false},
		{"0.30000000000000004", 0, 300_000_000, false},
		{"1.2E-5", 0, 12_000, false},
		{"-1.00", 0, -1_000_000_000, false},
		{"$0.069", 0, 69_000_000, false},
		{"0.0000000005", 0, 1, false},
		{"abc", 0, 0, true},
		{"", 0, 0, true},
		{"1e30", 0, 0, true},
	} {
		got, err := nanoUSD("amount", []byte(tc.in), tc.shift)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("%q (shift %d): %d %v, want %d", tc.in, tc.shift, got, err, tc.want)
		}
	}
}

// The allocation-free path gives what the decimal path gives.
func TestFastNano(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		if rng.Intn(4) == 0 {
			b.WriteByte('-')
		}
		for n := 1 + rng.Intn(12); n > 0; n-- {
			b.WriteByte(byte('0' + rng.Intn(10)))
		}
		if rng.Intn(3) > 0 {
			b.WriteByte('.')
			for n := rng.Intn(14); n > 0; n-- {
				b.WriteByte(byte('0' + rng.Intn(10)))
			}
		}
		s := b.String()
		for _, exp := range []int{0, 3, 6, 7, 9} {
			got, ok := fastNano([]byte(s), exp)
			if !ok {
				continue
			}
			d, err := decimal.NewFromString(s)
			if err != nil {
				t.Fatalf("%q: %v", s, err)
			}
			if want := d.Shift(int32(exp)).Round(0).IntPart(); got != want {
				t.Errorf("%q exp %d: %d, want %d", s, exp, got, want)
			}
		}
	}
	for _, s := range []string{"1e5", "1.2.3", "", ".", "-", "0x10", "1234567890123456789"} {
		if _, ok := fastNano([]byte(s), 9); ok {
			t.Errorf("%q: accepted", s)
		}
	}
}

// A gzip-compressed export reads like the plain one.
func TestBillingGzip(t *testing.T) {
	for _, p := range []string{"aws-cur/cur2.csv", "openai-usage-csv/activity.csv"} {
		data, err := os.ReadFile(filepath.Join("../../testdata/ingest", p))
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		gz := write(t, filepath.Base(p)+".gz", b.Bytes())
		_, plain, _, err := runLines(t, []string{filepath.Join("../../testdata/ingest", p)}, Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		_, zipped, _, err := runLines(t, []string{gz}, Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(plain) == 0 || len(plain) != len(zipped) {
			t.Fatalf("%s: %d records plain, %d gzip", p, len(plain), len(zipped))
		}
		for i := range plain {
			a, b := plain[i], zipped[i]
			a.Loc, b.Loc = record.Loc{}, record.Loc{}
			if tokens(a) != tokens(b) || a.ChargedNanoUSD != b.ChargedNanoUSD || a.Model != b.Model {
				t.Errorf("%s record %d differs: %+v vs %+v", p, i, a, b)
			}
		}
	}
}

// The usage report's context_window dimension says which band a row was
// billed in; the record carries it so pricing does not guess from sums.
func TestAnthropicUsageContextWindow(t *testing.T) {
	page := `{"data":[{"starting_at":"2025-08-01T00:00:00Z","ending_at":"2025-08-02T00:00:00Z","results":[` +
		`{"uncached_input_tokens":1500,"cache_read_input_tokens":0,"output_tokens":500,"model":"claude-sonnet-4-5","context_window":"200k-1M"},` +
		`{"uncached_input_tokens":10,"cache_read_input_tokens":0,"output_tokens":5,"model":"claude-sonnet-4-5","context_window":"0-200k"},` +
		`{"uncached_input_tokens":10,"cache_read_input_tokens":0,"output_tokens":5,"model":"claude-sonnet-4-5"}]}],"has_more":false,"next_page":null}`
	p := write(t, "usage.json", []byte(page+"\n"))
	_, recs, _, err := runLines(t, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]int8{}
	for _, r := range recs {
		got[r.InputTokens+r.OutputTokens] = r.LongContext
	}
	if len(recs) != 3 || got[2000] != 1 || got[15] != 0 && got[15] != -1 {
		t.Fatalf("records %d, bands %v", len(recs), got)
	}
	n := 0
	for _, r := range recs {
		if r.LongContext == -1 {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("want one row in the base band, bands %v", got)
	}
}
