package ingest

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
)

// ccLineOf builds an assistant line as Claude Code 2.x writes it.
func ccLineOf(mid, req, model, usage string) string {
	return `{"parentUuid":"p","isSidechain":false,"userType":"external","cwd":"/Users/sam/src/shop","sessionId":"s-1","version":"2.1.63","gitBranch":"main","type":"assistant","message":{"model":"` + model + `","id":"` + mid + `","type":"message","role":"assistant","content":[{"type":"text","text":"ok \"quoted\""}],"stop_reason":"end_turn","stop_sequence":null,"usage":` + usage + `},"requestId":"` + req + `","uuid":"u","timestamp":"2026-03-02T09:14:06.512Z"}`
}

// The fixture's extra keys (conversation, project, git_branch, geo) are
// checked here; fixtures_test.go checks the rest.
func TestClaudeCodeFixtureEnvelope(t *testing.T) {
	var want struct {
		Records []struct {
			Line         int64  `json:"line"`
			Geo          string `json:"geo"`
			Conversation string `json:"conversation"`
			Project      string `json:"project"`
			GitBranch    string `json:"git_branch"`
		} `json:"records"`
	}
	dir := filepath.Join("..", "..", "testdata", "ingest", "claude-code")
	readJSON(t, filepath.Join(dir, "expected.json"), &want)
	st, recs, _, err := runLines(t, []string{filepath.Join(dir, "valid.jsonl")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	byLine := map[int64]record.Record{}
	for _, r := range recs {
		byLine[r.Loc.Line] = r
	}
	for _, w := range want.Records {
		got := byLine[w.Line]
		branch := ""
		for _, tg := range got.Tags {
			if tg.Key == "git_branch" {
				branch = tg.Value
			}
		}
		if got.Geo != w.Geo || got.ConversationID != w.Conversation || got.Project != w.Project || branch != w.GitBranch {
			t.Errorf("line %d: geo/conversation/project/branch = %q/%q/%q/%q, want %q/%q/%q/%q", w.Line,
				got.Geo, got.ConversationID, got.Project, branch, w.Geo, w.Conversation, w.Project, w.GitBranch)
		}
		if got.Provider != "anthropic" {
			t.Errorf("line %d: provider %q", w.Line, got.Provider)
		}
	}
	// 8, 9, 12, 17, 19 repeat a response already counted.
	if tot := st.Totals(); tot.Duplicates != 5 || tot.NotBilled != 8 || tot.Records != 17 {
		t.Errorf("records/duplicates/not billed = %d/%d/%d, want 17/5/8", tot.Records, tot.Duplicates, tot.NotBilled)
	}
}

func TestParseClaudeCode(t *testing.T) {
	base := `{"input_tokens":3,"cache_creation_input_tokens":3117,"cache_read_input_tokens":14723,"cache_creation":{"ephemeral_5m_input_tokens":3117,"ephemeral_1h_input_tokens":0},"output_tokens":412,"service_tier":"standard"}`
	tests := []struct {
		name string
		line string
		want want
		err  string // "" ok, "norecord", "wrongshape" or "malformed"
	}{
		{
			name: "assistant line",
			line: ccLineOf("msg_1", "req_1", "claude-sonnet-4-5-20250929", base),
			want: want{model: "claude-sonnet-4-5-20250929", provider: "anthropic", in: 3, read: 14723, w5: 3117, out: 412, time: "2026-03-02T09:14:06Z", project: "/Users/sam/src/shop"},
		},
		{
			name: "1h cache writes and thinking",
			line: ccLineOf("msg_1", "req_1", "claude-opus-4-6", `{"input_tokens":6,"cache_creation_input_tokens":9000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":2000,"ephemeral_1h_input_tokens":7000},"output_tokens":1500,"output_tokens_details":{"thinking_tokens":1100},"service_tier":"priority"}`),
			want: want{model: "claude-opus-4-6", provider: "anthropic", in: 6, w5: 2000, w1: 7000, out: 1500, reason: 1100, tier: record.TierPriority, time: "2026-03-02T09:14:06Z", project: "/Users/sam/src/shop"},
		},
		{
			name: "no cache_creation split: all writes at the 5-minute rate",
			line: ccLineOf("msg_1", "req_1", "claude-sonnet-4-5", `{"input_tokens":1,"cache_creation_input_tokens":500,"output_tokens":2}`),
			want: want{model: "claude-sonnet-4-5", provider: "anthropic", in: 1, w5: 500, out: 2, time: "2026-03-02T09:14:06Z", project: "/Users/sam/src/shop"},
		},
		{
			name: "fast mode is its own (unpriced) model",
			line: ccLineOf("msg_1", "req_1", "claude-opus-4-6", `{"input_tokens":1,"output_tokens":2,"speed":"fast"}`),
			want: want{model: "claude-opus-4-6-fast", provider: "anthropic", in: 1, out: 2, time: "2026-03-02T09:14:06Z", project: "/Users/sam/src/shop"},
		},
		{
			name: "standard speed",
			line: ccLineOf("msg_1", "req_1", "claude-opus-4-6", `{"input_tokens":1,"output_tokens":2,"speed":"standard"}`),
			want: want{model: "claude-opus-4-6", provider: "anthropic", in: 1, out: 2, time: "2026-03-02T09:14:06Z", project: "/Users/sam/src/shop"},
		},
		{
			name: "usage null: a call without usage",
			line: ccLineOf("msg_1", "req_1", "claude-sonnet-4-5", `null`),
			want: want{model: "claude-sonnet-4-5", provider: "anthropic", time: "2026-03-02T09:14:06Z", project: "/Users/sam/src/shop", noUsage: true},
		},
		{
			name: "ccusage fixture shape: no type, no cwd",
			line: `{"timestamp":"2026-02-03T08:00:00.000Z","sessionId":"session-beta","message":{"role":"assistant","id":"msg-beta-1","model":"claude-haiku-4-5-20251001","usage":{"input_tokens":50,"output_tokens":25,"cache_creation_input_tokens":5,"cache_read_input_tokens":15}},"requestId":"req-beta-1","costUSD":0.03,"version":"1.0.0"}`,
			want: want{model: "claude-haiku-4-5-20251001", provider: "anthropic", in: 50, read: 15, w5: 5, out: 25, time: "2026-02-03T08:00:00Z"},
		},
		{
			name: "whitespace after colons",
			line: `{"type": "assistant", "sessionId": "s", "cwd": "/x", "message": {"id": "msg_1", "model": "claude-sonnet-4-5", "usage": {"input_tokens": 7, "output_tokens": 8}}, "timestamp": "2026-03-02T09:14:06.512Z"}`,
			want: want{model: "claude-sonnet-4-5", provider: "anthropic", in: 7, out: 8, time: "2026-03-02T09:14:06Z", project: "/x"},
		},
		{
			name: "no timestamp: zero time",
			line: `{"type":"assistant","sessionId":"s","message":{"id":"m","model":"claude-sonnet-4-5","usage":{"input_tokens":7,"output_tokens":8}}}`,
			want: want{model: "claude-sonnet-4-5", provider: "anthropic", in: 7, out: 8},
		},
		{
			name: "agent_progress line embeds a subagent's call",
			line: `{"type":"progress","sessionId":"s","cwd":"/outer","timestamp":"2026-03-04T08:30:05.100Z","data":{"type":"agent_progress","agentId":"a1","message":{"type":"assistant","isSidechain":true,"message":{"id":"msg_s","model":"claude-haiku-4-5","usage":{"input_tokens":4,"output_tokens":61}},"requestId":"r","timestamp":"2026-03-04T08:30:05.000Z"}},"uuid":"p1"}`,
			want: want{model: "claude-haiku-4-5", provider: "anthropic", in: 4, out: 61, time: "2026-03-04T08:30:05Z", project: "/outer"},
		},
		{name: "progress line of another kind", line: `{"type":"progress","sessionId":"s","uuid":"p","data":{"type":"hook_progress","hookEvent":"Stop"}}`, err: "norecord"},
		{name: "user line", line: `{"type":"user","sessionId":"s","uuid":"u","message":{"role":"user","content":"hi"}}`, err: "norecord"},
		{name: "user line, type last", line: `{"sessionId":"s","uuid":"u","message":{"role":"user","content":"hi"},"type":"user"}`, err: "norecord"},
		{name: "no type, user message", line: `{"sessionId":"s","message":{"role":"user","content":"hi"}}`, err: "norecord"},
		{name: "summary", line: `{"type":"summary","summary":"x","leafUuid":"l"}`, err: "norecord"},
		{name: "unknown bookkeeping type", line: `{"type":"pr-link","sessionId":"s","uuid":"u","url":"https://example.invalid/pr/1"}`, err: "norecord"},
		{name: "synthetic model", line: ccLineOf("m", "r", "<synthetic>", `{"input_tokens":0,"output_tokens":0}`), err: "norecord"},
		{name: "API error message", line: `{"type":"assistant","sessionId":"s","isApiErrorMessage":true,"message":{"id":"m","model":"claude-sonnet-4-5","usage":{"input_tokens":0,"output_tokens":0}},"timestamp":"2026-03-02T09:14:06.512Z"}`, err: "norecord"},
		{name: "another format's line", line: `{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":1}}`, err: "wrongshape"},
		{name: "observability export with a sessionId", line: `{"id":"obs","type":"GENERATION","sessionId":"s","usageDetails":{"input":10}}`, err: "wrongshape"},
		{name: "assistant without message", line: `{"type":"assistant","sessionId":"s","uuid":"u"}`, err: "malformed"},
		{name: "message not an object", line: `{"type":"assistant","sessionId":"s","message":"hi"}`, err: "malformed"},
		{name: "negative count", line: ccLineOf("m", "r", "claude-sonnet-4-5", `{"input_tokens":-1,"output_tokens":0}`), err: "malformed"},
		{name: "thinking above output", line: ccLineOf("m", "r", "claude-sonnet-4-5", `{"input_tokens":1,"output_tokens":1,"output_tokens_details":{"thinking_tokens":5}}`), err: "malformed"},
		{name: "usage not an object", line: ccLineOf("m", "r", "claude-sonnet-4-5", `[1,2]`), err: "malformed"},
		{name: "speed not a string", line: ccLineOf("m", "r", "claude-sonnet-4-5", `{"input_tokens":1,"speed":1}`), err: "malformed"},
		{name: "bad timestamp", line: `{"type":"assistant","sessionId":"s","message":{"id":"m","model":"x","usage":{}},"timestamp":"2026-02-30T10:00:00.000Z"}`, err: "malformed"},
		{name: "type not a string", line: `{"type":3,"sessionId":"s","uuid":"u"}`, err: "malformed"},
		{name: "truncated", line: ccLineOf("m", "r", "claude-sonnet-4-5", base)[:300], err: "malformed"},
		{name: "not an object", line: `["type","assistant"]`, err: "malformed"},
	}
	f, err := LookupFormat("claude-code")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newParser()
			var rec record.Record
			err := f.parse(p, []byte(tt.line), &rec)
			switch tt.err {
			case "":
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				check(t, &rec, tt.want)
			case "norecord":
				if !errors.Is(err, errNoRecord) {
					t.Fatalf("err = %v, want errNoRecord", err)
				}
			case "wrongshape":
				if !errors.Is(err, errWrongShape) {
					t.Fatalf("err = %v, want errWrongShape", err)
				}
			case "malformed":
				if err == nil || errors.Is(err, errNoRecord) || errors.Is(err, errWrongShape) {
					t.Fatalf("err = %v, want a malformed-line error", err)
				}
			}
		})
	}
}

// The dedup key is message.id; requestId only when there is no message id;
// none without either.
func TestClaudeCodeDedupKey(t *testing.T) {
	u := `{"input_tokens":1,"output_tokens":2}`
	key := func(line string) uint64 {
		t.Helper()
		var rec record.Record
		if err := parseClaudeCode(newParser(), []byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		return rec.DedupKey
	}
	a := key(ccLineOf("msg_1", "req_1", "claude-sonnet-4-5", u))
	if a == 0 {
		t.Fatal("no dedup key")
	}
	if b := key(ccLineOf("msg_1", "req_2", "claude-sonnet-4-5", `{"input_tokens":5,"output_tokens":9}`)); b != a {
		t.Error("same message id, other requestId (sidechain replay): keys differ")
	}
	if b := key(ccLineOf("msg_2", "req_1", "claude-sonnet-4-5", u)); b == a {
		t.Error("other message id: same key")
	}
	noID := `{"type":"assistant","sessionId":"s","requestId":"msg_1","message":{"model":"x","usage":{}}}`
	if b := key(noID); b == 0 || b == a {
		t.Errorf("requestId-only key = %x (message-id key %x): want a distinct non-zero key", b, a)
	}
	if b := key(`{"type":"assistant","sessionId":"s","message":{"model":"x","usage":{}}}`); b != 0 {
		t.Errorf("no ids: key %x, want 0", b)
	}
	if b := key(`{"type":"assistant","sessionId":"s","requestId":"","message":{"id":"","model":"x","usage":{}}}`); b != 0 {
		t.Errorf("empty ids: key %x, want 0", b)
	}
}

func TestClaudeCodeKeepIDs(t *testing.T) {
	p := newParser()
	p.keepIDs = true
	var rec record.Record
	if err := parseClaudeCode(p, []byte(ccLineOf("msg_1", "req_1", "claude-sonnet-4-5", `{}`)), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.RequestID != "req_1" {
		t.Errorf("RequestID = %q, want req_1", rec.RequestID)
	}
	rec.Reset()
	if err := parseClaudeCode(p, []byte(`{"type":"assistant","sessionId":"s","message":{"id":"msg_9","model":"x","usage":{}}}`), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.RequestID != "msg_9" {
		t.Errorf("RequestID = %q, want msg_9", rec.RequestID)
	}
}

func TestDetectClaudeCode(t *testing.T) {
	for _, line := range []string{
		ccLineOf("m", "r", "claude-sonnet-4-5", `{}`),
		`{"type":"summary","summary":"Fix the build","leafUuid":"0d5e1c6a"}`,
		`{"type":"file-history-snapshot","messageId":"4c0f","snapshot":{"messageId":"4c0f","trackedFileBackups":{}},"isSnapshotUpdate":false}`,
		`{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/x","sessionId":"s","version":"2.1.63","type":"user","message":{"role":"user","content":"hi"},"uuid":"u","timestamp":"2026-03-02T09:14:02.101Z"}`,
		`{"type":"queue-operation","operation":"enqueue","timestamp":"2026-03-05T00:32:00.000Z","sessionId":"s","content":"x","uuid":"q"}`,
		`{"timestamp":"2026-01-09T12:30:00.000Z","sessionId":"session-alpha","message":{"role":"assistant","id":"msg-alpha-2","model":"claude-opus-4-20250514","usage":{"input_tokens":200}},"requestId":"req-alpha-2","costUSD":0.34,"version":"1.0.0"}`,
		`{"type": "started", "key": "v2:hsp0", "agentId": "agsp0001"}`,
	} {
		f, err := Detect([]byte(line))
		if err != nil || f.ID != "claude-code" {
			t.Errorf("Detect(%.60s…) = %v, %v; want claude-code", line, f, err)
		}
	}
	// Lines of other formats are not taken for Claude Code.
	for _, line := range []string{
		`{"id":"obs-agent","traceId":"trace-1","startTime":"2026-08-22T00:00:00Z","type":"AGENT","userId":"user-1","sessionId":"session-1","providedModelName":"gpt-5","usageDetails":{"input":10,"output":4}}`,
		`{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":1,"output_tokens":1}}`,
		`{"timestamp":"2026-03-02T10:15:00Z","request":{"model":"gpt-4o"},"response":{"object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":1}}}`,
	} {
		if f, err := Detect([]byte(line)); err == nil && f.ID == "claude-code" {
			t.Errorf("Detect(%.60s…) = claude-code", line)
		}
	}
}

// ccTime agrees with anyTime on every timestamp, including impossible dates,
// which both reject.
func TestClaudeCodeTime(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	cases := []string{
		`"2025-11-19T22:53:34.908Z"`, `"2024-02-29T23:59:59.999Z"`, `"2000-02-29T00:00:00.000Z"`, `"1969-12-31T23:59:59.000Z"`,
		`"0001-01-01T00:00:00.000Z"`, `"9999-12-31T23:59:59.999Z"`, `"2026-03-05T01:30:00.250+01:00"`, `"2026-03-05T01:30:00Z"`,
		`"2025-02-29T10:00:00.000Z"`, `"2100-02-29T10:00:00.000Z"`, `"2025-04-31T10:00:00.000Z"`, `"2025-13-01T10:00:00.000Z"`,
		`"2025-01-01T24:00:00.000Z"`, `"2025-01-01T10:60:00.000Z"`, `"2025-01-01T10:00:60.000Z"`, `"2025-00-10T10:00:00.000Z"`,
		`"2025-01-00T10:00:00.000Z"`, `"0000-01-01T00:00:00.000Z"`, `"2025-01-01T1a:00:00.000Z"`, `1772442720`, `null`,
	}
	for range 2000 {
		cases = append(cases, fmt.Sprintf(`"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ"`, 1+rng.Intn(9999), rng.Intn(14), rng.Intn(33), rng.Intn(25), rng.Intn(61), rng.Intn(61), rng.Intn(1000)))
	}
	for _, c := range cases {
		got, gerr := ccTime([]byte(c))
		exp, eerr := anyTime("timestamp", []byte(c))
		if (gerr == nil) != (eerr == nil) || !got.Equal(exp) {
			t.Errorf("ccTime(%s) = %v, %v; anyTime: %v, %v", c, got, gerr, exp, eerr)
		}
	}
}

// A warm parser allocates nothing for a billed line or a user line.
func TestClaudeCodeAllocs(t *testing.T) {
	p := newParser()
	var rec record.Record
	lines := [][]byte{
		[]byte(ccLineOf("msg_01QkTz8c5mWb3fVh2nRrXy7A", "req_011CVh6b2QZ9uX1sK7pTn3Lm", "claude-sonnet-4-5-20250929", `{"input_tokens":3,"cache_creation_input_tokens":3117,"cache_read_input_tokens":14723,"cache_creation":{"ephemeral_5m_input_tokens":3117,"ephemeral_1h_input_tokens":0},"output_tokens":412,"service_tier":"standard","speed":"fast"}`)),
		[]byte(`{"parentUuid":"a3","isSidechain":false,"userType":"external","cwd":"/Users/sam/src/shop","sessionId":"s-1","version":"2.1.63","gitBranch":"main","type":"user","message":{"role":"user","content":[{"tool_use_id":"t","type":"tool_result","content":"x"}]},"uuid":"u2","timestamp":"2026-03-02T09:14:07.950Z"}`),
	}
	for _, l := range lines {
		rec.Reset()
		_ = parseClaudeCode(p, l, &rec) // warm the interner
	}
	for i, l := range lines {
		n := testing.AllocsPerRun(100, func() {
			rec.Reset()
			_ = parseClaudeCode(p, l, &rec)
		})
		if n != 0 {
			t.Errorf("line %d: %v allocations per line, want 0", i, n)
		}
	}
}

func TestClaudeCodeDirs(t *testing.T) {
	root := t.TempDir()
	mk := func(p string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(root, p), 0o755); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(root, p)
	}
	home := filepath.Join(root, "home")
	mk("home/.claude/projects")
	mk("home/.config/claude/projects")
	mk("xdg/claude/projects")
	mk("alt/projects")
	mk("noprojects")
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	j := filepath.Join
	tests := []struct {
		name   string
		dirs   []string
		getenv func(string) string
		want   []string
		err    string
	}{
		{name: "defaults", getenv: env("HOME", home), want: []string{j(home, ".config/claude/projects"), j(home, ".claude/projects")}},
		{name: "XDG_CONFIG_HOME", getenv: env("HOME", home, "XDG_CONFIG_HOME", j(root, "xdg")), want: []string{j(root, "xdg/claude/projects"), j(home, ".claude/projects")}},
		{name: "CLAUDE_CONFIG_DIR replaces the defaults", getenv: env("HOME", home, "CLAUDE_CONFIG_DIR", j(root, "alt")), want: []string{j(root, "alt/projects")}},
		{name: "CLAUDE_CONFIG_DIR list, projects dirs, ~, blanks, missing and repeated entries",
			getenv: env("HOME", home, "CLAUDE_CONFIG_DIR", " ~/.claude , "+j(root, "alt/projects")+",,"+j(root, "nope")+","+j(root, "alt")),
			want:   []string{j(home, ".claude/projects"), j(root, "alt/projects")}},
		{name: "CLAUDE_CONFIG_DIR without projects", getenv: env("HOME", home, "CLAUDE_CONFIG_DIR", j(root, "noprojects")), err: "no Claude Code projects/ directory in CLAUDE_CONFIG_DIR"},
		{name: "no default directory", getenv: env("HOME", j(root, "noprojects")), err: "no Claude Code logs in " + j(root, "noprojects/.config/claude/projects") + " or " + j(root, "noprojects/.claude/projects")},
		{name: "no HOME", getenv: env(), err: "HOME is not set"},
		{name: "named directories win", dirs: []string{j(root, "alt"), "~/.claude/projects"}, getenv: env("HOME", home, "CLAUDE_CONFIG_DIR", j(root, "xdg/claude")), want: []string{j(root, "alt/projects"), j(home, ".claude/projects")}},
		{name: "named directory without projects", dirs: []string{j(root, "noprojects")}, getenv: env("HOME", home), err: "no Claude Code projects/ directory there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ClaudeCodeDirs(tt.dirs, tt.getenv)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("dirs = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClaudeCodeFiles(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{
		"projects/-Users-sam-shop/s1.jsonl",
		"projects/-Users-sam-shop/s1/subagents/agent-a.jsonl",
		"projects/-Users-sam-shop/s1/subagents/agent-a.meta.json",
		"projects/-Users-sam-shop/s1/images/image_0001.png",
		"projects/-Users-sam-api/s2.jsonl",
	} {
		full := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte("{}\n"), 0o644)
	}
	got, err := ClaudeCodeFiles([]string{filepath.Join(root, "projects")})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, g := range got {
		r, _ := filepath.Rel(root, g)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := "projects/-Users-sam-api/s2.jsonl projects/-Users-sam-shop/s1.jsonl projects/-Users-sam-shop/s1/subagents/agent-a.jsonl"
	if strings.Join(rel, " ") != want {
		t.Errorf("files = %v, want %s", rel, want)
	}
}

// A transcript whose partial streaming snapshots straddle a chunk boundary
// is still counted once, and a session tree read on several workers gives
// the same totals as one worker.
func TestClaudeCodeRunDedup(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		mid := fmt.Sprintf("msg_%d", i)
		for k := range 3 { // three content-block lines per response
			b.WriteString(ccLineOf(mid, "req_"+mid, "claude-sonnet-4-5", `{"input_tokens":10,"cache_read_input_tokens":1000,"output_tokens":5}`))
			b.WriteByte('\n')
			if k == 1 {
				b.WriteString(`{"type":"user","sessionId":"s-1","uuid":"x","message":{"role":"user","content":[{"type":"tool_result","content":"ok"}]}}` + "\n")
			}
		}
	}
	path := write(t, "s.jsonl", []byte(b.String()))
	for _, workers := range []int{1, 2, 4} {
		st, recs, input, err := runLines(t, []string{path}, Options{Workers: workers, ChunkSize: 4096})
		if err != nil {
			t.Fatal(err)
		}
		tot := st.Totals()
		if len(recs) != 3000 || input != 30000 || tot.Duplicates != 6000 || tot.NotBilled != 3000 || st.ProblemsTotal != 0 {
			t.Errorf("workers %d: %d records, input %d, %d duplicates, %d not billed, %d problems", workers, len(recs), input, tot.Duplicates, tot.NotBilled, st.ProblemsTotal)
		}
	}
}

func FuzzParseClaudeCode(f *testing.F) {
	fuzzFormat(f, "claude-code", []string{
		ccLineOf("msg_1", "req_1", "claude-opus-4-6", `{"input_tokens":6,"cache_creation_input_tokens":9000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":2000,"ephemeral_1h_input_tokens":7000},"output_tokens":1500,"output_tokens_details":{"thinking_tokens":1100},"service_tier":"priority","inference_geo":"us","speed":"fast"}`),
		`{"type":"progress","sessionId":"s","timestamp":"2026-03-04T08:30:05.100Z","data":{"type":"agent_progress","message":{"type":"assistant","message":{"id":"m","model":"claude-haiku-4-5","usage":{"input_tokens":4,"output_tokens":61}},"timestamp":"2026-03-04T08:30:05.000Z"}}}`,
		`{"type":"summary","summary":"x","leafUuid":"l"}`,
	}, "ingest/claude-code/*.jsonl", "samples/claude-code/.claude/projects/*/*.jsonl", "samples/claude-code/.claude/projects/*/*/subagents/*.jsonl")
}

// BenchmarkParseClaudeCode measures the parser alone on a typical
// assistant line and a typical user (tool result) line.
func BenchmarkParseClaudeCode(b *testing.B) {
	text := strings.Repeat(`const total = items.reduce((s, i) => s + round(i.price * i.qty), 0);\n    // \"coupon\" applied after tax\n`, 30)
	lines := map[string][]byte{
		"assistant": []byte(strings.Replace(ccLineOf("msg_01QkTz8c5mWb3fVh2nRrXy7A", "req_011CVh6b2QZ9uX1sK7pTn3Lm", "claude-sonnet-4-5-20250929", `{"input_tokens":3,"cache_creation_input_tokens":3117,"cache_read_input_tokens":14723,"cache_creation":{"ephemeral_5m_input_tokens":3117,"ephemeral_1h_input_tokens":0},"output_tokens":412,"service_tier":"standard"}`), `ok \"quoted\"`, text, 1)),
		"user":      []byte(`{"parentUuid":"a3","isSidechain":false,"userType":"external","cwd":"/Users/sam/src/shop","sessionId":"s-1","version":"2.1.63","gitBranch":"main","type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_01","type":"tool_result","content":"` + text + `"}]},"uuid":"u2","timestamp":"2026-03-02T09:14:07.950Z","toolUseResult":{"stdout":"` + text + `"}}`),
	}
	for name, l := range lines {
		b.Run(name, func(b *testing.B) {
			p := newParser()
			var rec record.Record
			b.SetBytes(int64(len(l)))
			for b.Loop() {
				rec.Reset()
				_ = parseClaudeCode(p, l, &rec)
			}
		})
	}
}

// Parsing never writes into the input: lines stay intact in the shared read
// buffer after later lines (escaped cwd, fast mode) are parsed.
func TestClaudeCodeLeavesInputAlone(t *testing.T) {
	all := []byte(ccLineOf("msg_1", "req_1", "claude-sonnet-4-5", `{"input_tokens":1,"speed":"fast"}`) + "\n" +
		`{"type":"assistant","sessionId":"s","cwd":"e:\\Workspace\\src\\shop","gitBranch":"feat/\u00e9t\u00e9","message":{"id":"m\u0031","model":"claude-\u0073onnet-4-5","usage":{"input_tokens":1,"speed":"fast"}},"timestamp":"2026-03-02T09:14:06.512Z"}` + "\n")
	orig := string(all)
	p := newParser()
	var rec record.Record
	for _, l := range strings.SplitAfter(string(all), "\n") {
		if l == "" {
			continue
		}
		i := strings.Index(string(all), l)
		rec.Reset()
		if err := parseClaudeCode(p, all[i:i+len(l)-1], &rec); err != nil {
			t.Fatal(err)
		}
	}
	if rec.Model != "claude-sonnet-4-5-fast" || rec.Project != `e:\Workspace\src\shop` || rec.Tags[0].Value != "feat/été" {
		t.Errorf("model/project/branch = %q/%q/%q", rec.Model, rec.Project, rec.Tags[0].Value)
	}
	if string(all) != orig {
		t.Errorf("the input was modified:\n%s", all)
	}
}
