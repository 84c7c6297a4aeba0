package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/llmcost/llmcost/pkg/record"
)

// collect is a Sink that keeps what the tests check.
type collect struct {
	mu    *sync.Mutex
	recs  *[]record.Record
	input *int64
}

func (c collect) Add(r *record.Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cp := *r
	cp.Tags = append([]record.Tag(nil), r.Tags...)
	*c.recs = append(*c.recs, cp)
	*c.input += r.InputTokens
}

func runLines(t *testing.T, paths []string, opts Options) (*Stats, []record.Record, int64, error) {
	t.Helper()
	var mu sync.Mutex
	var recs []record.Record
	var input int64
	st, err := Run(context.Background(), paths, opts, func() Sink { return collect{&mu, &recs, &input} })
	return st, recs, input, err
}

func chatLine(prompt int, content string) string {
	return fmt.Sprintf(`{"object":"chat.completion","created":1741569952,"model":"gpt-4o","choices":[{"message":{"role":"assistant","content":%q}}],"usage":{"prompt_tokens":%d,"completion_tokens":1}}`, content, prompt)
}

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunLinesAndProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("\n")                                                                                // 1 blank
	b.WriteString(chatLine(1, "a") + "\r\n")                                                           // 2 CRLF
	b.WriteString("not json\n")                                                                        // 3 malformed
	b.WriteString("   \n")                                                                             // 4 blank
	b.WriteString(chatLine(2, "b\n\"q\"") + "\n")                                                      // 5
	b.WriteString(`{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":-1}}` + "\n") // 6 malformed
	b.WriteString(chatLine(4, "c"))                                                                    // 7, no final newline
	for _, chunk := range []int{0, 16, 64, 1000} {
		t.Run(fmt.Sprintf("chunk=%d", chunk), func(t *testing.T) {
			p := write(t, "a.jsonl", []byte(b.String()))
			st, recs, input, err := runLines(t, []string{p}, Options{ChunkSize: chunk, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 3 || input != 7 {
				t.Fatalf("records = %d, input = %d; want 3, 7", len(recs), input)
			}
			f := st.Files[0]
			if f.Format != "openai-chat" || f.Lines != 5 || f.Records != 3 || f.Malformed != 2 {
				t.Fatalf("stats = %+v", f)
			}
			if len(st.Problems) != 2 || st.Problems[0].Line != 3 || st.Problems[1].Line != 6 {
				t.Fatalf("problems = %v", st.Problems)
			}
			if !strings.Contains(st.Problems[1].Error(), "a.jsonl:6: usage.prompt_tokens: negative value -1") {
				t.Fatalf("problem text = %q", st.Problems[1].Error())
			}
			lines := map[int64]bool{}
			for _, r := range recs {
				lines[r.Loc.Line] = true
			}
			if !lines[2] || !lines[5] || !lines[7] {
				t.Fatalf("record lines = %v, want 2, 5, 7", lines)
			}
		})
	}
}

func TestRunStrict(t *testing.T) {
	p := write(t, "a.jsonl", []byte(chatLine(1, "a")+"\n{oops\n"+chatLine(1, "b")+"\n"))
	_, _, _, err := runLines(t, []string{p}, Options{Strict: true})
	if err == nil || !strings.Contains(err.Error(), "a.jsonl:2:") {
		t.Fatalf("err = %v, want a.jsonl:2", err)
	}
}

// A line far longer than the read chunk (a 50 MB prompt) is read whole.
func TestRunHugeLine(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB line")
	}
	big := strings.Repeat("x\\\"y ", 10<<20) // 50 MiB of content, escaped quotes included
	data := chatLine(5, "small") + "\n" + fmt.Sprintf(`{"object":"chat.completion","model":"gpt-4o","choices":[{"message":{"content":"%s"}}],"usage":{"prompt_tokens":11,"completion_tokens":1}}`, big) + "\n" + chatLine(3, "s") + "\n"
	p := write(t, "big.jsonl", []byte(data))
	st, recs, input, err := runLines(t, []string{p}, Options{ChunkSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || input != 19 || st.Files[0].Malformed != 0 {
		t.Fatalf("records = %d, input = %d, stats = %+v", len(recs), input, st.Files[0])
	}
}

func TestRunCompressedStdinAndDirs(t *testing.T) {
	plain := []byte(chatLine(1, "a") + "\n" + chatLine(2, "b") + "\n")
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(plain)
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(plain)
	zw.Close()

	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "a.jsonl"), plain, 0o644)
	os.WriteFile(filepath.Join(dir, "sub", "b.jsonl.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", "c.log.zst"), zs.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.jsonl"), nil, 0o644)

	paths, err := Expand([]string{dir, "-"})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 5 { // a, empty, sub/b.gz, sub/c.zst, stdin
		t.Fatalf("paths = %v", paths)
	}
	st, recs, input, err := runLines(t, paths, Options{Stdin: bytes.NewReader(gz.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 8 || input != 12 {
		t.Fatalf("records = %d, input = %d", len(recs), input)
	}
	for _, f := range st.Files {
		if f.Err != "" {
			t.Errorf("%s: %s", f.Path, f.Err)
		}
	}
	if _, err := Expand([]string{filepath.Join(dir, "missing.jsonl")}); err == nil {
		t.Fatal("want error for a missing path")
	}
	if _, err := Expand([]string{filepath.Join(dir, "*.nothing")}); err == nil {
		t.Fatal("want error for a glob matching nothing")
	}
}

func TestRunUndetectable(t *testing.T) {
	p := write(t, "x.jsonl", []byte(`{"hello":"world"}`+"\n"))
	st, recs, _, err := runLines(t, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 0 || st.Files[0].Err == "" || len(st.Problems) != 1 || st.Problems[0].Line != 0 {
		t.Fatalf("stats = %+v, problems = %v", st.Files, st.Problems)
	}
	if !strings.Contains(st.Problems[0].Error(), "--input-format") {
		t.Fatalf("problem %q should suggest --input-format", st.Problems[0].Error())
	}
}

func TestRunInputUnmodified(t *testing.T) {
	data := []byte(chatLine(1, "a") + "\n")
	p := write(t, "a.jsonl", data)
	info, _ := os.Stat(p)
	if _, _, _, err := runLines(t, []string{p}, Options{}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(p)
	info2, _ := os.Stat(p)
	if !bytes.Equal(after, data) || !info.ModTime().Equal(info2.ModTime()) {
		t.Fatal("input file changed")
	}
}

// A file concatenated from several sources: every line is parsed in its own
// format, whatever the first line's was (regression: trying the previous
// other format first used to misread Responses events as batch output).
func TestRunMixedFormats(t *testing.T) {
	lines := []string{
		chatLine(10, "a"),
		`{"type":"message","model":"claude-haiku-4-5","usage":{"input_tokens":20,"output_tokens":1}}`,
		`{"type":"response.completed","response":{"object":"response","model":"gpt-5","usage":{"input_tokens":30,"output_tokens":1}}}`,
		`{"id":"b","custom_id":"r","response":{"status_code":200,"body":{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":40,"completion_tokens":1}}},"error":null}`,
		`{"timestamp":"2026-03-02T10:15:00Z","request":{"model":"gpt-4o"},"response":{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":50,"completion_tokens":1}}}`,
		`{"custom_id":"x","result":{"type":"succeeded","message":{"type":"message","model":"claude-haiku-4-5","usage":{"input_tokens":60,"output_tokens":1}}}}`,
		`{"type":"response.created","response":{"object":"response","usage":null}}`,
		chatLine(70, "b"),
	}
	p := write(t, "mixed.jsonl", []byte(strings.Join(lines, "\n")+"\n"))
	for _, workers := range []int{1, 2} {
		st, recs, input, err := runLines(t, []string{p}, Options{Workers: workers, ChunkSize: 64})
		if err != nil {
			t.Fatal(err)
		}
		if st.ProblemsTotal != 0 || len(recs) != 7 || input != 280 || st.Files[0].NotBilled != 1 {
			t.Fatalf("workers=%d: records %d, input %d, stats %+v, problems %v", workers, len(recs), input, st.Files[0], st.Problems)
		}
	}
}

func TestDedupSet(t *testing.T) {
	var s dedupSet
	for i := uint64(0); i < 100_000; i++ {
		if isNew, _ := s.add(i*7919, 0); !isNew {
			t.Fatalf("key %d reported as seen", i)
		}
	}
	for i := uint64(0); i < 100_000; i++ {
		if isNew, owns := s.add(i*7919, 1); isNew || owns {
			t.Fatalf("key %d reported as new twice (%v, %v)", i, isNew, owns)
		}
	}
	if isNew, _ := s.add(1<<63+5, 0); !isNew {
		t.Fatal("new key reported as seen")
	}
}

// A call logged in several files is a record of the first file in input
// order and a duplicate in the others, whichever is read first: the
// later file's counts are moved when the earlier one comes.
func TestDedupSetOwner(t *testing.T) {
	files := []*fileState{{}, {}, {}}
	s := dedupSet{files: files}
	// File 2 reads the key first and counts it; then file 0, then file 1.
	if isNew, owns := s.add(42, 2); !isNew || owns {
		t.Fatalf("first sight: %v %v", isNew, owns)
	}
	files[2].records.Add(1)
	if isNew, owns := s.add(42, 0); isNew || !owns {
		t.Fatalf("earlier file: %v %v, want owns", isNew, owns)
	}
	files[0].records.Add(1)
	if isNew, owns := s.add(42, 1); isNew || owns {
		t.Fatalf("middle file: %v %v, want a duplicate", isNew, owns)
	}
	files[1].duplicates.Add(1)
	for i, want := range [][2]int64{{1, 0}, {0, 1}, {0, 1}} {
		if got := [2]int64{files[i].records.Load(), files[i].duplicates.Load()}; got != want {
			t.Errorf("file %d: records, duplicates = %v, want %v", i, got, want)
		}
	}
}
