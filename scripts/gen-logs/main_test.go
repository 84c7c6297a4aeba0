package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func genBytes(t *testing.T, cfg config) []byte {
	t.Helper()
	if cfg.start.IsZero() {
		cfg.start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if cfg.days == 0 {
		cfg.days = 30
	}
	var buf bytes.Buffer
	st, err := generate(cfg, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if st.bytes != int64(buf.Len()) {
		t.Fatalf("stats say %d bytes, wrote %d", st.bytes, buf.Len())
	}
	return buf.Bytes()
}

func splitLines(t *testing.T, b []byte) [][]byte {
	t.Helper()
	if len(b) == 0 || b[len(b)-1] != '\n' {
		t.Fatal("output does not end with a newline")
	}
	return bytes.Split(b[:len(b)-1], []byte{'\n'})
}

type obj = map[string]any

func getPath(v any, path ...string) (any, bool) {
	for _, k := range path {
		m, ok := v.(obj)
		if !ok {
			return nil, false
		}
		v, ok = m[k]
		if !ok {
			return nil, false
		}
	}
	return v, true
}

func str(v any, path ...string) (string, error) {
	x, ok := getPath(v, path...)
	if !ok {
		return "", fmt.Errorf("missing %s", strings.Join(path, "."))
	}
	s, ok := x.(string)
	if !ok || s == "" {
		return "", fmt.Errorf("%s: want non-empty string, got %#v", strings.Join(path, "."), x)
	}
	return s, nil
}

// num returns a required non-negative integer field.
func num(v any, path ...string) (int64, error) {
	x, ok := getPath(v, path...)
	if !ok {
		return 0, fmt.Errorf("missing %s", strings.Join(path, "."))
	}
	f, ok := x.(float64)
	if !ok || f < 0 || f != float64(int64(f)) {
		return 0, fmt.Errorf("%s: want non-negative integer, got %#v", strings.Join(path, "."), x)
	}
	return int64(f), nil
}

// optNum returns an optional integer field (missing or null: 0).
func optNum(v any, path ...string) (int64, error) {
	x, ok := getPath(v, path...)
	if !ok || x == nil {
		return 0, nil
	}
	return num(v, path...)
}

// checkChat validates a Chat Completions body and returns its created time.
func checkChat(b any) (int64, error) {
	obj, err := str(b, "object")
	if err != nil {
		return 0, err
	}
	if obj != "chat.completion" && obj != "chat.completion.chunk" {
		return 0, fmt.Errorf("object %q", obj)
	}
	if id, err := str(b, "id"); err != nil || !strings.HasPrefix(id, "chatcmpl-") {
		return 0, fmt.Errorf("id %q %v", id, err)
	}
	if _, err := str(b, "model"); err != nil {
		return 0, err
	}
	created, err := num(b, "created")
	if err != nil {
		return 0, err
	}
	p, err := num(b, "usage", "prompt_tokens")
	if err != nil {
		return 0, err
	}
	c, err := num(b, "usage", "completion_tokens")
	if err != nil {
		return 0, err
	}
	if tot, err := num(b, "usage", "total_tokens"); err != nil || tot != p+c {
		return 0, fmt.Errorf("total_tokens %d != %d+%d (%v)", tot, p, c, err)
	}
	cached, err := optNum(b, "usage", "prompt_tokens_details", "cached_tokens")
	if err != nil {
		return 0, err
	}
	cw, err := optNum(b, "usage", "prompt_tokens_details", "cache_write_tokens")
	if err != nil {
		return 0, err
	}
	if cached+cw > p {
		return 0, fmt.Errorf("cached %d + cache_write %d > prompt %d", cached, cw, p)
	}
	r, err := optNum(b, "usage", "completion_tokens_details", "reasoning_tokens")
	if err != nil {
		return 0, err
	}
	if r > c {
		return 0, fmt.Errorf("reasoning %d > completion %d", r, c)
	}
	if obj == "chat.completion" {
		if _, ok := getPath(b, "choices"); !ok {
			return 0, fmt.Errorf("missing choices")
		}
	}
	return created, nil
}

// checkResponse validates a Responses API object and returns created_at.
func checkResponse(b any) (int64, error) {
	if o, err := str(b, "object"); err != nil || o != "response" {
		return 0, fmt.Errorf("object %q %v", o, err)
	}
	if id, err := str(b, "id"); err != nil || !strings.HasPrefix(id, "resp_") {
		return 0, fmt.Errorf("id %q %v", id, err)
	}
	if _, err := str(b, "model"); err != nil {
		return 0, err
	}
	if _, err := str(b, "status"); err != nil {
		return 0, err
	}
	created, err := num(b, "created_at")
	if err != nil {
		return 0, err
	}
	in, err := num(b, "usage", "input_tokens")
	if err != nil {
		return 0, err
	}
	out, err := num(b, "usage", "output_tokens")
	if err != nil {
		return 0, err
	}
	cached, err := num(b, "usage", "input_tokens_details", "cached_tokens")
	if err != nil {
		return 0, err
	}
	cw, err := optNum(b, "usage", "input_tokens_details", "cache_write_tokens")
	if err != nil {
		return 0, err
	}
	r, err := num(b, "usage", "output_tokens_details", "reasoning_tokens")
	if err != nil {
		return 0, err
	}
	if cached+cw > in || r > out {
		return 0, fmt.Errorf("inconsistent usage")
	}
	if tot, err := num(b, "usage", "total_tokens"); err != nil || tot != in+out {
		return 0, fmt.Errorf("total_tokens %d != %d+%d", tot, in, out)
	}
	if m, ok := getPath(b, "metadata"); !ok {
		return 0, fmt.Errorf("missing metadata")
	} else if _, ok := m.(obj); !ok {
		return 0, fmt.Errorf("metadata not an object")
	}
	return created, nil
}

func checkAnthropicMessage(b any) error {
	if ty, err := str(b, "type"); err != nil || ty != "message" {
		return fmt.Errorf("type %q %v", ty, err)
	}
	if id, err := str(b, "id"); err != nil || !strings.HasPrefix(id, "msg_") {
		return fmt.Errorf("id %q %v", id, err)
	}
	if _, err := str(b, "model"); err != nil {
		return err
	}
	if _, err := num(b, "usage", "input_tokens"); err != nil {
		return err
	}
	if _, err := num(b, "usage", "output_tokens"); err != nil {
		return err
	}
	cc, err := optNum(b, "usage", "cache_creation_input_tokens")
	if err != nil {
		return err
	}
	if _, err := optNum(b, "usage", "cache_read_input_tokens"); err != nil {
		return err
	}
	if _, ok := getPath(b, "usage", "cache_creation"); ok {
		c5, err := num(b, "usage", "cache_creation", "ephemeral_5m_input_tokens")
		if err != nil {
			return err
		}
		c1, err := num(b, "usage", "cache_creation", "ephemeral_1h_input_tokens")
		if err != nil {
			return err
		}
		if c5+c1 != cc {
			return fmt.Errorf("cache_creation split %d+%d != %d", c5, c1, cc)
		}
	}
	return nil
}

func checkTimestamp(v any) (int64, error) {
	s, err := str(v, "timestamp")
	if err != nil {
		return 0, err
	}
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, err
	}
	return ts.Unix(), nil
}

// classify validates one line and returns its format and timestamp (0 when
// the format has none).
func classify(v any) (format, int64, error) {
	if _, ok := getPath(v, "timestamp"); ok {
		ts, err := checkTimestamp(v)
		if err != nil {
			return 0, 0, err
		}
		if _, err := str(v, "request", "model"); err != nil {
			return 0, 0, err
		}
		resp, _ := getPath(v, "response")
		if ty, _ := getPath(resp, "type"); ty == "message" {
			if _, err := str(v, "request", "metadata", "user_id"); err != nil {
				return 0, 0, err
			}
			msgs, _ := getPath(v, "request", "messages")
			if l, ok := msgs.([]any); !ok || len(l) == 0 {
				return 0, 0, fmt.Errorf("request.messages empty")
			}
			return fAnthropicPairs, ts, checkAnthropicMessage(resp)
		}
		if o, _ := getPath(resp, "object"); o == "response" {
			if _, err := str(v, "request", "instructions"); err != nil {
				return 0, 0, err
			}
			if _, ok := getPath(v, "request", "input"); !ok {
				return 0, 0, fmt.Errorf("missing request.input")
			}
			_, err := checkResponse(resp)
			return fOpenAIPairs, ts, err
		}
		msgs, _ := getPath(v, "request", "messages")
		l, ok := msgs.([]any)
		if !ok || len(l) < 2 {
			return 0, 0, fmt.Errorf("request.messages too short")
		}
		if role, _ := getPath(l[0], "role"); role != "system" {
			return 0, 0, fmt.Errorf("first message role %v", role)
		}
		if _, err := str(v, "request", "user"); err != nil {
			return 0, 0, err
		}
		_, err = checkChat(resp)
		return fOpenAIPairs, ts, err
	}
	if _, ok := getPath(v, "custom_id"); ok {
		if _, ok := getPath(v, "result"); ok {
			ty, err := str(v, "result", "type")
			if err != nil {
				return 0, 0, err
			}
			switch ty {
			case "succeeded":
				m, _ := getPath(v, "result", "message")
				return fAnthropicBatchResults, 0, checkAnthropicMessage(m)
			case "errored":
				_, err := str(v, "result", "error", "error", "type")
				return fAnthropicBatchResults, 0, err
			case "canceled", "expired":
				return fAnthropicBatchResults, 0, nil
			}
			return 0, 0, fmt.Errorf("result.type %q", ty)
		}
		if id, err := str(v, "id"); err != nil || !strings.HasPrefix(id, "batch_req_") {
			return 0, 0, fmt.Errorf("id %q %v", id, err)
		}
		resp, _ := getPath(v, "response")
		if resp == nil {
			_, err := str(v, "error", "code")
			return fOpenAIBatchOutput, 0, err
		}
		code, err := num(resp, "status_code")
		if err != nil {
			return 0, 0, err
		}
		if _, err := str(resp, "request_id"); err != nil {
			return 0, 0, err
		}
		if code != 200 {
			return fOpenAIBatchOutput, 0, nil
		}
		body, _ := getPath(resp, "body")
		if o, _ := getPath(body, "object"); o == "response" {
			_, err = checkResponse(body)
		} else {
			_, err = checkChat(body)
		}
		return fOpenAIBatchOutput, 0, err
	}
	if ty, _ := getPath(v, "type"); ty == "message" {
		return fAnthropicMessages, 0, checkAnthropicMessage(v)
	}
	if ty, _ := getPath(v, "type"); ty == "response.completed" {
		if _, err := num(v, "sequence_number"); err != nil {
			return 0, 0, err
		}
		r, _ := getPath(v, "response")
		ts, err := checkResponse(r)
		return fOpenAIResponses, ts, err
	}
	if o, _ := getPath(v, "object"); o == "response" {
		ts, err := checkResponse(v)
		return fOpenAIResponses, ts, err
	}
	ts, err := checkChat(v)
	return fOpenAIChat, ts, err
}

func TestFormats(t *testing.T) {
	for f := fOpenAIChat; f <= fMixed; f++ {
		t.Run(f.String(), func(t *testing.T) {
			b := genBytes(t, config{format: f, records: 400, seed: 1})
			lines := splitLines(t, b)
			if len(lines) != 400 {
				t.Fatalf("got %d lines, want 400", len(lines))
			}
			seen := map[format]int{}
			var lastTS int64
			for i, l := range lines {
				if !json.Valid(l) {
					t.Fatalf("line %d: invalid JSON: %.200s", i+1, l)
				}
				var v any
				if err := json.Unmarshal(l, &v); err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				got, ts, err := classify(v)
				if err != nil {
					t.Fatalf("line %d: %v: %.300s", i+1, err, l)
				}
				if f != fMixed && got != f {
					t.Fatalf("line %d: looks like %s, want %s: %.300s", i+1, got, f, l)
				}
				seen[got]++
				if f != fMixed && ts != 0 {
					if ts < lastTS {
						t.Fatalf("line %d: timestamp %d before previous %d", i+1, ts, lastTS)
					}
					lastTS = ts
				}
			}
			if f == fMixed && len(seen) < 6 {
				t.Errorf("mixed output has only %d formats: %v", len(seen), seen)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, f := range []format{fOpenAIPairs, fAnthropicMessages, fMixed} {
		a := genBytes(t, config{format: f, records: 300, seed: 42})
		b := genBytes(t, config{format: f, records: 300, seed: 42})
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs with seed 42 differ", f)
		}
		c := genBytes(t, config{format: f, records: 300, seed: 43})
		if bytes.Equal(a, c) {
			t.Errorf("%s: seeds 42 and 43 give the same output", f)
		}
	}
}

func TestSizeLimit(t *testing.T) {
	const size = 2_000_000
	b := genBytes(t, config{format: fMixed, size: size, seed: 7})
	if len(b) > size || len(b) < size*9/10 {
		t.Fatalf("wrote %d bytes for -size %d", len(b), size)
	}
	splitLines(t, b)
}

func TestTimestampsSpan(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	b := genBytes(t, config{format: fOpenAIChat, records: 2000, seed: 3, start: start, days: 7})
	days := map[string]bool{}
	for _, l := range splitLines(t, b) {
		var v struct{ Created int64 }
		if err := json.Unmarshal(l, &v); err != nil {
			t.Fatal(err)
		}
		ts := time.Unix(v.Created, 0).UTC()
		if ts.Before(start) || !ts.Before(start.AddDate(0, 0, 7)) {
			t.Fatalf("timestamp %s outside the span", ts)
		}
		days[ts.Format("2006-01-02")] = true
	}
	if len(days) != 7 {
		t.Errorf("records cover %d days, want 7", len(days))
	}
}

func TestMainGzip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.jsonl.gz")
	var stderr bytes.Buffer
	if err := mainErr([]string{"-format", "anthropic-batch-results", "-records", "50", "-o", out}, io.Discard, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "50 records") {
		t.Errorf("stderr: %q", stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		if !json.Valid(sc.Bytes()) {
			t.Fatalf("line %d invalid", n+1)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 50 {
		t.Fatalf("got %d lines, want 50", n)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1GB": 1e9, "500MB": 5e8, "64KiB": 65536, "1.5GiB": 3 << 29, "1234": 1234, "10k": 1e4} {
		got, err := parseSize(in)
		if err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GB", "-1MB", "abc"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q): want error", in)
		}
	}
}

func TestEscapeJSON(t *testing.T) {
	in := "a\"b\\c\nd\te é 🚀 <&> \x01"
	for _, ascii := range []bool{false, true} {
		b := escapeJSON([]byte{'"'}, in, ascii)
		b = append(b, '"')
		var out string
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("ascii=%v: %v: %s", ascii, err, b)
		}
		if out != in {
			t.Errorf("ascii=%v: round trip %q != %q", ascii, out, in)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, f := range []format{fOpenAIChat, fOpenAIPairs, fMixed} {
		b.Run(f.String(), func(b *testing.B) {
			cfg := config{format: f, size: 64 << 20, seed: 1, start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), days: 30}
			b.SetBytes(cfg.size)
			for b.Loop() {
				if _, err := generate(cfg, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
