package ingest

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
)

// The formats of bedrock.go, litellm.go, langfuse.go, helicone.go and
// otel.go, by fixture directory.
var moreFormats = map[string]string{
	"bedrock-invocation":   "bedrock-invocation",
	"bedrock-batch-output": "bedrock-batch-output",
	"litellm":              "litellm",
	"langfuse":             "langfuse",
	"helicone":             "helicone",
	"otel":                 "otel",
}

func fixtureLines(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, append([]byte(nil), sc.Bytes()...))
	}
	return out
}

// Every line of the new fixtures is detected as its format, and no line of
// the other fixtures and samples is taken by one of the new sniffers.
func TestMoreFormatsDetection(t *testing.T) {
	mine := map[string]bool{}
	for _, id := range moreFormats {
		mine[id] = true
	}
	for dir, id := range moreFormats {
		for i, l := range fixtureLines(t, filepath.Join("../../testdata/ingest", dir, "valid.jsonl")) {
			f, err := Detect(l)
			if err != nil || f.ID != id {
				t.Errorf("%s/valid.jsonl:%d: detected %v (%v), want %s", dir, i+1, f, err, id)
			}
		}
	}
	others, _ := filepath.Glob("../../testdata/ingest/*/*.jsonl")
	samples, _ := filepath.Glob("../../testdata/samples/*.jsonl")
	for _, p := range append(others, samples...) {
		dir := filepath.Base(filepath.Dir(p))
		if _, ok := moreFormats[dir]; ok || mine[strings.TrimSuffix(filepath.Base(p), ".jsonl")] {
			continue
		}
		for i, l := range fixtureLines(t, p) {
			if f, err := Detect(l); err == nil && mine[f.ID] {
				t.Errorf("%s:%d: detected as %s", p, i+1, f.ID)
			}
		}
	}
}

const (
	otelTwoSpans = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeSpans":[{"scope":{"name":"s"},"spans":[` +
		`{"traceId":"aa","spanId":"01","startTimeUnixNano":"1772446500000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.response.id","value":{"stringValue":"chatcmpl-AAAAAAAAAAAAAAAAAAAA"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"10"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"1"}}]},` +
		`{"traceId":"aa","spanId":"02","startTimeUnixNano":"1772446500000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.response.id","value":{"stringValue":"chatcmpl-BBBBBBBBBBBBBBBBBBBB"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"20"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"2"}}]},` +
		`{"traceId":"aa","spanId":"03","startTimeUnixNano":"1772446500000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.response.id","value":{"stringValue":"chatcmpl-AAAAAAAAAAAAAAAAAAAA"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"10"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"1"}}]}` +
		`]}]}]}`
	otelNoGenAI = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"aa","spanId":"09","name":"GET /"}]}]}]}`
)

// A line with several calls gives several records, each located at the
// line, deduplicated like any record, counted in the file's stats; lines of
// multi-record formats mix with other formats in both directions.
func TestMultiRecordLines(t *testing.T) {
	chat := chatLine(5, "x")
	for _, tc := range []struct {
		name                          string
		lines                         []string
		records, dups, notBilled, bad int64
		input                         int64
		format                        string
		recLines                      []int64
	}{
		{"otel file", []string{otelTwoSpans, otelNoGenAI, otelTwoSpans}, 2, 4, 1, 0, 30, "otel", []int64{1, 1}},
		{"otel line in a chat file", []string{chat, otelTwoSpans, chat, otelTwoSpans}, 4, 4, 0, 0, 40, "openai-chat", []int64{1, 2, 2, 3}},
		{"chat line in an otel file", []string{otelTwoSpans, chat, chat}, 4, 1, 0, 0, 40, "otel", []int64{1, 1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, chunk := range []int{0, 64} {
				p := write(t, "a.jsonl", []byte(strings.Join(tc.lines, "\n")+"\n"))
				st, recs, input, err := runLines(t, []string{p}, Options{ChunkSize: chunk, Workers: 1}) // one worker: which duplicate counts first is fixed
				if err != nil {
					t.Fatal(err)
				}
				f := st.Files[0]
				if f.Format != tc.format || f.Records != tc.records || f.Duplicates != tc.dups || f.NotBilled != tc.notBilled || f.Malformed != tc.bad || input != tc.input {
					t.Errorf("chunk %d: stats %+v, input %d", chunk, f, input)
				}
				var lines []int64
				for _, r := range recs {
					lines = append(lines, r.Loc.Line)
					if r.Loc.File != p {
						t.Errorf("record without its file: %+v", r.Loc)
					}
				}
				sort.Slice(lines, func(i, j int) bool { return lines[i] < lines[j] })
				if !equalInts(lines, tc.recLines) {
					t.Errorf("chunk %d: record lines %v, want %v", chunk, lines, tc.recLines)
				}
			}
		})
	}
}

// A line whose second call is malformed keeps its first call and is
// reported as malformed.
func TestMultiRecordLineError(t *testing.T) {
	bad := strings.Replace(otelTwoSpans, `"intValue":"20"`, `"intValue":"-20"`, 1)
	p := write(t, "a.jsonl", []byte(bad+"\n"))
	st, recs, _, err := runLines(t, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Files[0].Malformed != 1 || len(recs) != 1 || recs[0].InputTokens != 10 {
		t.Fatalf("stats %+v, records %d", st.Files[0], len(recs))
	}
	if got := st.Problems[0].Error(); !strings.Contains(got, "gen_ai.usage.input_tokens") {
		t.Errorf("problem %q does not name the attribute", got)
	}
}

// The one-record parse function of a multi-record format keeps the last.
func TestMultiParseAdapter(t *testing.T) {
	fm, err := LookupFormat("otel")
	if err != nil {
		t.Fatal(err)
	}
	var rec record.Record
	if err := fm.parse(newParser(), []byte(otelTwoSpans), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.InputTokens != 10 || rec.DedupKey == 0 {
		t.Errorf("last record %+v", rec)
	}
	if err := fm.parse(newParser(), []byte(otelNoGenAI), &rec); err != errNoRecord {
		t.Errorf("err = %v, want errNoRecord", err)
	}
}

// eachDoc reads one object, a top-level array, or objects written one
// after the other.
func TestEachDoc(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		fail bool
	}{
		{`{"a":1}`, 1, false},
		{` {"a":1}  `, 1, false},
		{`{"a":1}{"b":2} {"c":3}`, 3, false},
		{`[{"a":1},{"b":2}]`, 2, false},
		{`[]`, 0, false},
		{`{"a":1} x`, 0, true},
		{`[{"a":1}] x`, 0, true},
		{`{"a":`, 0, true},
		{``, 0, true},
	} {
		n := 0
		err := eachDoc([]byte(tc.in), func(d []byte, i int) (int, error) {
			n++
			return members(d, i, func(k, v []byte) error { return nil })
		})
		if (err != nil) != tc.fail || (!tc.fail && n != tc.n) {
			t.Errorf("%q: %d docs, err %v", tc.in, n, err)
		}
	}
}

// Parsing a line of the new formats allocates nothing once the parser has
// seen its strings (the interner) and the scratch buffers exist.
func TestMoreFormatsAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts under -short")
	}
	for dir, id := range moreFormats {
		fm, err := LookupFormat(id)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range fixtureLines(t, filepath.Join("../../testdata/ingest", dir, "valid.jsonl")) {
			p := newParser()
			var rec record.Record
			ms := multiState{sink: discard{}, seen: &dedupSet{}}
			parse := func() {
				rec.Reset()
				_ = ms.parse(p, fm, l, &rec, 1, 0)
			}
			for range 3 {
				parse()
			}
			if n := testing.AllocsPerRun(20, parse); n > 0 {
				t.Errorf("%s/valid.jsonl:%d: %.1f allocations per line", dir, i+1, n)
			}
		}
	}
}

type discard struct{}

func (discard) Add(*record.Record) {}

// checkRecord is fuzzFormat's invariant, for every record of a line.
func checkRecord(t *testing.T, rec *record.Record) {
	t.Helper()
	for _, n := range []int64{rec.InputTokens, rec.CacheReadTokens, rec.CacheWrite5mTokens, rec.CacheWrite1hTokens, rec.OutputTokens, rec.ReasoningTokens} {
		if n < 0 {
			t.Fatalf("negative token count in %+v", rec)
		}
	}
	if rec.ReasoningTokens > rec.OutputTokens {
		t.Fatalf("reasoning %d > output %d", rec.ReasoningTokens, rec.OutputTokens)
	}
}

type checkSink struct{ t *testing.T }

func (s checkSink) Add(r *record.Record) { checkRecord(s.t, r) }

// fuzzMulti is fuzzFormat for the formats registered with registerMulti:
// the invariants hold for every record a line gives, the emitted ones too.
func fuzzMulti(f *testing.F, id string, seeds []string, globs ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	seedLines(f, globs...)
	fm, err := LookupFormat(id)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		p := newParser()
		var rec record.Record
		ms := multiState{sink: checkSink{t}, seen: &dedupSet{}}
		if err := ms.parse(p, fm, line, &rec, 1, 0); err == nil {
			checkRecord(t, &rec)
		}
		_, _ = Detect(line)
	})
}

type collectSink struct{ recs *[]record.Record }

func (s collectSink) Add(r *record.Record) {
	cp := *r
	cp.Tags = append([]record.Tag(nil), r.Tags...)
	*s.recs = append(*s.recs, cp)
}

// parseAll parses one line as format id and returns every record it gives,
// in order, and the line's error (nil when it gave records).
func parseAll(t *testing.T, id, line string) ([]record.Record, error) {
	t.Helper()
	fm, err := LookupFormat(id)
	if err != nil {
		t.Fatal(err)
	}
	var recs []record.Record
	ms := multiState{sink: collectSink{&recs}, seen: &dedupSet{}}
	p := newParser()
	p.keepIDs = true
	var rec record.Record
	err = ms.parse(p, fm, []byte(line), &rec, 1, 0)
	if err == nil {
		collectSink{&recs}.Add(&rec)
	}
	return recs, err
}

// tagsOf renders tags as k=v, sorted.
func tagsOf(r record.Record) string {
	var out []string
	for _, t := range r.Tags {
		out = append(out, t.Key+"="+t.Value)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// tokens renders the six token counts as in, read, w5, w1, out, reasoning.
func tokens(r record.Record) [6]int64 {
	return [6]int64{r.InputTokens, r.CacheReadTokens, r.CacheWrite5mTokens, r.CacheWrite1hTokens, r.OutputTokens, r.ReasoningTokens}
}

// quickTime agrees with anyTime, without allocating on the common shapes.
func TestQuickTime(t *testing.T) {
	for _, s := range []string{
		`"2026-04-19T13:28:51Z"`, `"2026-04-19T13:28:51.123Z"`, `"2026-04-19T13:28:51.123456789Z"`,
		`"2026-04-19T15:28:51+02:00"`, `"2026-04-19T08:28:51.5-05:00"`, `"2025-01-24 09:20:46.847371"`,
		`"2026-03-03 14:05:09.123"`, `"2026-04-19T13:28:51"`, `1778659200`, `1778659200.5`, `1778659200123`,
		`"2026-04-19"`, `"1778659200"`, `null`, `""`,
	} {
		want, werr := anyTime("t", []byte(s))
		got, err := quickTime("t", []byte(s))
		if (err != nil) != (werr != nil) || !got.Equal(want) {
			t.Errorf("%s: quickTime %v %v, anyTime %v %v", s, got, err, want, werr)
		}
	}
	for _, s := range []string{`"2026-02-30T00:00:00Z"`, `"2026-04-19T25:00:00Z"`, `"2026-04-19T13:28:51.Z"`, `"yesterday"`} {
		if _, ok := parseTimestamp(rawStr([]byte(s))); ok {
			t.Errorf("%s: accepted", s)
		}
	}
	v := []byte(`"2026-04-19T13:28:51.123Z"`)
	n := testing.AllocsPerRun(10, func() { _, _ = quickTime("t", v) })
	if n > 0 {
		t.Errorf("%.0f allocations", n)
	}
}

// BenchmarkParseFormats measures parsing alone, one goroutine, no
// aggregation, on logs made by scripts/gen-logs: set LLMCOST_BENCH_DIR to a
// directory holding <format>.jsonl files (e.g. scripts/bench's -dir, whose
// files are named <format>-<size>.jsonl: the first match is used).
func BenchmarkParseFormats(b *testing.B) {
	dir := os.Getenv("LLMCOST_BENCH_DIR")
	if dir == "" {
		b.Skip("LLMCOST_BENCH_DIR not set")
	}
	for _, id := range []string{"openai-chat", "openai-pairs", "anthropic-messages", "bedrock-invocation", "bedrock-batch-output", "litellm", "langfuse", "helicone", "otel"} {
		files, _ := filepath.Glob(filepath.Join(dir, id+"*.jsonl"))
		if len(files) == 0 {
			continue
		}
		data, err := os.ReadFile(files[0])
		if err != nil {
			b.Fatal(err)
		}
		if len(data) > 64<<20 {
			data = data[:bytes.LastIndexByte(data[:64<<20], '\n')+1]
		}
		fm, err := Detect(data[:bytes.IndexByte(data, '\n')])
		if err != nil {
			b.Fatal(err)
		}
		b.Run(id, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			p := newParser()
			var rec record.Record
			ms := multiState{sink: discard{}, seen: &dedupSet{}}
			for b.Loop() {
				d := data
				for len(d) > 0 {
					i := bytes.IndexByte(d, '\n')
					rec.Reset()
					_ = ms.parse(p, fm, d[:i], &rec, 1, 0)
					d = d[i+1:]
				}
			}
		})
	}
}
