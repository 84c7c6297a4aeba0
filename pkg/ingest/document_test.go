package ingest

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"
)

func prettyChat(prompt int) string {
	return fmt.Sprintf(`{
  "object": "chat.completion",
  "created": 1741569952,
  "model": "gpt-4o",
  "choices": [
    {"message": {"role": "assistant", "content": "line one\nline \"two\""}}
  ],
  "usage": {
    "prompt_tokens": %d,
    "completion_tokens": 1
  }
}`, prompt)
}

func TestDocuments(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		records int
		input   int64
		lines   []int64 // record start lines, in order
		problem string
	}{
		{"one pretty-printed object", prettyChat(5) + "\n", 1, 5, []int64{1}, ""},
		{"objects one after another", prettyChat(1) + "\n" + prettyChat(2) + prettyChat(3), 3, 6, []int64{1, 13, 24}, ""},
		{"array of objects", "[\n" + prettyChat(1) + ",\n" + prettyChat(2) + "\n]\n", 2, 3, []int64{2, 14}, ""},
		{"compact array on one line", "[" + chatLine(4, "a") + "," + chatLine(5, "b") + "]", 2, 9, []int64{1, 1}, ""},
		{"empty array", "[]", 0, 0, nil, ""},
		{"array not closed", "[\n" + prettyChat(1) + ",\n", 1, 1, []int64{2}, "array not closed"},
		{"truncated object", prettyChat(1) + "\n{\n  \"object\": \"chat.completion\",\n", 1, 1, []int64{1}, "line 13"},
	}
	for _, tt := range tests {
		for _, size := range []int{0, 64} {
			t.Run(fmt.Sprintf("%s/chunk=%d", tt.name, size), func(t *testing.T) {
				p := write(t, "doc.json", []byte(tt.in))
				st, recs, input, err := runLines(t, []string{p}, Options{ChunkSize: size})
				if err != nil {
					t.Fatal(err)
				}
				if len(recs) != tt.records || input != tt.input {
					t.Fatalf("records %d, input %d; want %d, %d (problems %v)", len(recs), input, tt.records, tt.input, st.Problems)
				}
				sort.Slice(recs, func(i, j int) bool { return recs[i].Loc.Line < recs[j].Loc.Line })
				for i, r := range recs {
					if i < len(tt.lines) && r.Loc.Line != tt.lines[i] {
						t.Errorf("record %d at line %d, want %d", i, r.Loc.Line, tt.lines[i])
					}
				}
				if tt.problem == "" && st.ProblemsTotal != 0 {
					t.Fatalf("problems: %v", st.Problems)
				}
				if tt.problem != "" && (len(st.Problems) != 1 || !strings.Contains(st.Problems[0].Error(), tt.problem)) {
					t.Fatalf("problems %v, want one with %q", st.Problems, tt.problem)
				}
			})
		}
	}
}

func TestDocumentModeDetection(t *testing.T) {
	for in, want := range map[string]bool{
		chatLine(1, "a") + "\n" + chatLine(2, "b"): false,
		"{\n  \"a\": 1\n}":                         true,
		"  [ {\"a\": 1} ]":                         true,
		"{\"a\": 1}":                               false, // no newline seen: JSON lines
		"event: x\ndata: {}":                       false,
		"":                                         false,
	} {
		if got := documentMode([]byte(in)); got != want {
			t.Errorf("documentMode(%.20q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzRun feeds arbitrary input through the whole reader (JSON lines or
// JSON documents, every format): it must never panic or hang, and counts
// must add up.
func FuzzRun(f *testing.F) {
	f.Add([]byte(prettyChat(3)))
	f.Add([]byte("[" + chatLine(1, "x") + "]"))
	f.Add([]byte(chatLine(1, "x") + "\n{oops\n"))
	f.Add([]byte("[\n{\"a\":\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, recs, _, err := runLines(t, []string{"-"}, Options{Stdin: bytes.NewReader(data), ChunkSize: 64})
		if err != nil {
			t.Fatal(err)
		}
		fs := st.Files[0]
		if int64(len(recs)) != fs.Records || fs.Records+fs.NotBilled+fs.Malformed+fs.Duplicates > fs.Lines+int64(len(recs)) {
			t.Fatalf("counts do not add up: %d records seen, stats %+v", len(recs), fs)
		}
	})
}
