package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func ccConfig(records int64, seed uint64) config {
	return config{records: records, seed: seed, start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), days: 7}
}

// Every line is valid JSON shaped like a Claude Code transcript line, and
// the copies of a response share their ids and input-side usage.
func TestClaudeCodeLines(t *testing.T) {
	var buf bytes.Buffer
	st, err := genClaudeCode(ccConfig(3000, 1), "", &buf)
	if err != nil {
		t.Fatal(err)
	}
	lines := splitLines(t, buf.Bytes())
	if int64(len(lines)) != st.records || st.records != 3000 || int64(buf.Len()) != st.bytes {
		t.Fatalf("%d lines, %d bytes; stats %+v", len(lines), buf.Len(), st)
	}
	types := map[string]int{}
	type call struct {
		req                string
		input, write, read float64
		maxOut, lastOut    float64
		lines, finalLines  int
	}
	calls := map[string]*call{}
	for i, l := range lines {
		var v obj
		if err := json.Unmarshal(l, &v); err != nil {
			t.Fatalf("line %d: %v: %.200s", i+1, err, l)
		}
		typ, _ := v["type"].(string)
		types[typ]++
		if typ != "assistant" {
			continue
		}
		for _, k := range []string{"sessionId", "cwd", "uuid", "timestamp", "version"} {
			if _, err := str(v, k); err != nil {
				t.Fatalf("line %d: %s: %v", i+1, k, err)
			}
		}
		if ts, _ := str(v, "timestamp"); len(ts) != 24 || !strings.HasSuffix(ts, "Z") {
			t.Fatalf("line %d: timestamp %q", i+1, ts)
		}
		model, _ := str(v, "message", "model")
		if model == "<synthetic>" {
			continue
		}
		id, err := str(v, "message", "id")
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		req, _ := str(v, "requestId")
		u, _ := getPath(v, "message", "usage")
		um := u.(obj)
		c := calls[id]
		if c == nil {
			c = &call{req: req, input: um["input_tokens"].(float64), write: um["cache_creation_input_tokens"].(float64), read: um["cache_read_input_tokens"].(float64)}
			calls[id] = c
		}
		if c.req != req || c.input != um["input_tokens"].(float64) || c.write != um["cache_creation_input_tokens"].(float64) || c.read != um["cache_read_input_tokens"].(float64) {
			t.Fatalf("line %d: copies of %s disagree on requestId or input usage", i+1, id)
		}
		out := um["output_tokens"].(float64)
		if out < c.lastOut {
			t.Fatalf("line %d: output_tokens went down within %s", i+1, id)
		}
		c.lastOut, c.maxOut = out, max(c.maxOut, out)
		c.lines++
		cc, _ := getPath(v, "message", "usage", "cache_creation")
		split := cc.(obj)
		if split["ephemeral_5m_input_tokens"].(float64)+split["ephemeral_1h_input_tokens"].(float64) != c.write {
			t.Fatalf("line %d: cache_creation split does not add up", i+1)
		}
	}
	multi := 0
	for _, c := range calls {
		if c.lines > 1 {
			multi++
		}
	}
	if types["assistant"] < 1000 || types["user"] < 500 || multi < 100 {
		t.Errorf("line types %v, %d responses written on several lines", types, multi)
	}
}

func TestClaudeCodeTree(t *testing.T) {
	dir := t.TempDir()
	st, err := genClaudeCode(ccConfig(4000, 3), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines, subagents int64
	var size int64
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		switch {
		case len(parts) == 3 && parts[0] == "projects" && strings.HasPrefix(parts[1], "-Users-") && strings.HasSuffix(parts[2], ".jsonl"):
		case len(parts) == 5 && parts[3] == "subagents" && strings.HasPrefix(parts[4], "agent-"):
			subagents++
		default:
			t.Errorf("unexpected file %s", rel)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		size += int64(len(data))
		lines += int64(bytes.Count(data, []byte{'\n'}))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if lines != 4000 || lines != st.records || size != st.bytes || subagents == 0 {
		t.Errorf("%d lines, %d bytes, %d subagent files; stats %+v", lines, size, subagents, st)
	}
}

func TestClaudeCodeDeterministic(t *testing.T) {
	gen := func(seed uint64) []byte {
		var b bytes.Buffer
		if _, err := genClaudeCode(ccConfig(500, seed), "", &b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if !bytes.Equal(gen(5), gen(5)) {
		t.Error("two runs with seed 5 differ")
	}
	if bytes.Equal(gen(5), gen(6)) {
		t.Error("seeds 5 and 6 give the same output")
	}
}

func TestClaudeCodeMain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "claude")
	var stderr bytes.Buffer
	if err := mainErr([]string{"-format", "claude-code", "-records", "200", "-o", dir}, nil, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "claude-code: 200 lines") {
		t.Errorf("summary: %q", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "projects")); err != nil {
		t.Error(err)
	}
	if err := mainErr([]string{"-format", "claude-code", "-o", "x.jsonl.gz"}, nil, &stderr); err == nil {
		t.Error("-o x.jsonl.gz accepted")
	}
}
