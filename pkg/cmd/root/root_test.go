package root

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/llmcost/llmcost/pkg/internal/golden"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/report"
)

// TestCLI runs whole commands in-process against testdata/ and compares
// stdout, stderr and the exit code with golden files.
func TestCLI(t *testing.T) {
	pkgDir, _ := filepath.Abs(".")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		tty  bool
		code int
	}{
		{name: "analyze-table", args: []string{"analyze", "testdata/samples/openai-chat.jsonl", "testdata/samples/anthropic-messages.jsonl"}},
		{name: "analyze-table-tty-color", args: []string{"analyze", "testdata/samples/openai-chat.jsonl"}, tty: true},
		{name: "analyze-table-tty-no-color", args: []string{"analyze", "testdata/samples/openai-chat.jsonl"}, tty: true, env: map[string]string{"NO_COLOR": "1"}},
		{name: "analyze-json", args: []string{"analyze", "--format", "json", "testdata/samples/"}},
		{name: "analyze-csv", args: []string{"analyze", "--format", "csv", "testdata/samples/"}},
		{name: "analyze-markdown", args: []string{"analyze", "--format", "markdown", "testdata/samples/"}},
		{name: "analyze-group-by", args: []string{"analyze", "--group-by", "day,model", "--since", "2026-03-03", "--until", "2026-03-04", "testdata/samples/openai-responses.jsonl", "testdata/samples/openai-pairs.jsonl"}},
		{name: "analyze-batch", args: []string{"analyze", "testdata/samples/openai-batch-output.jsonl", "testdata/samples/anthropic-batch-results.jsonl", "testdata/samples/openai-batch-input.jsonl"}},
		{name: "analyze-unknown-model", args: []string{"analyze", "testdata/cli/unknown-model.jsonl"}},
		{name: "analyze-unknown-model-strict", args: []string{"analyze", "--strict", "testdata/cli/unknown-model.jsonl"}, code: 1},
		{name: "analyze-malformed", args: []string{"analyze", "testdata/cli/malformed.jsonl"}},
		{name: "analyze-malformed-strict", args: []string{"analyze", "--strict", "--format", "json", "testdata/cli/malformed.jsonl"}, code: 1},
		{name: "analyze-max-skipped", args: []string{"analyze", "--max-skipped-pct", "10", "--format", "csv", "testdata/cli/malformed.jsonl"}, code: 4},
		{name: "analyze-empty-stdin", args: []string{"analyze", "-"}},
		{name: "analyze-config", args: []string{"analyze", "--config", "testdata/cli/llmcost.yaml", "testdata/samples/openai-chat.jsonl"}},
		{name: "analyze-env-beats-config", args: []string{"analyze", "--config", "testdata/cli/llmcost.yaml", "testdata/samples/openai-chat.jsonl"}, env: map[string]string{"LLMCOST_FORMAT": "markdown", "LLMCOST_GROUP_BY": "tier"}},
		{name: "analyze-no-args", args: []string{"analyze"}, code: 2},
		{name: "analyze-bad-format", args: []string{"analyze", "--format", "xml", "testdata/samples/"}, code: 2},
		{name: "analyze-bad-group-by", args: []string{"analyze", "--group-by", "colour", "testdata/samples/"}, code: 2},
		{name: "analyze-missing-file", args: []string{"analyze", "testdata/nope.jsonl"}, code: 1},
		{name: "diff-table", args: []string{"diff", "--baseline", "testdata/gate/baseline.json", "testdata/gate/up.jsonl"}},
		{name: "diff-json", args: []string{"diff", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json", "--format", "json"}},
		{name: "diff-markdown", args: []string{"diff", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json", "--format", "markdown"}},
		{name: "diff-markdown-capped", args: []string{"diff", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json", "--format", "markdown", "--max-bytes", "1500"}},
		{name: "diff-text", args: []string{"diff", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json", "--format", "diff", "--only-changes"}},
		{name: "diff-same", args: []string{"diff", "--baseline", "testdata/gate/baseline.json", "testdata/gate/base.jsonl", "--format", "diff"}},
		{name: "check-fail", args: []string{"check", "--baseline", "testdata/gate/baseline.json", "testdata/gate/up.jsonl", "--gate-file", "testdata/gate/gate.yaml", "--format", "markdown"}, code: 3},
		{name: "check-pass", args: []string{"check", "--baseline", "testdata/gate/baseline.json", "testdata/gate/base.jsonl", "--fail-on-increase-pct", "10", "--fail-on-total", "1"}},
		{name: "check-warn", args: []string{"check", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json", "--warn-on-increase", "0.01", "--fail-on-increase-pct", "100"}},
		{name: "check-flag-overrides-file", args: []string{"check", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json", "--gate-file", "testdata/gate/gate.yaml", "--fail-on-increase-pct", "95", "--format", "json"}},
		{name: "check-config-rules", args: []string{"check", "--config", "testdata/gate/llmcost-gate.yaml", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json"}},
		{name: "check-no-rules", args: []string{"check", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json"}, code: 2},
		{name: "check-bad-gate-file", args: []string{"check", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json", "--gate-file", "testdata/gate/README.md"}, code: 2},
		{name: "diff-bad-baseline", args: []string{"diff", "--baseline", "testdata/gate/base.jsonl", "--current", "testdata/gate/current-up.json"}, code: 1},
		{name: "diff-no-baseline", args: []string{"diff", "testdata/gate/up.jsonl"}, code: 2},
		{name: "render-analyze-markdown", args: []string{"render", "testdata/gate/baseline.json", "--format", "markdown"}},
		{name: "render-merge-analyze", args: []string{"render", "testdata/gate/baseline.json", "testdata/gate/current-up.json"}},
		{name: "render-diffs-markdown", args: []string{"render", "testdata/gate/check-up.json", "testdata/gate/diff-same.json", "--format", "markdown"}},
		{name: "render-path-only-changes", args: []string{"render", "--path", "testdata/gate/check-*.json", "--path", "testdata/gate/diff-same.json", "--format", "markdown", "--only-changes"}},
		{name: "render-mixed-kinds", args: []string{"render", "testdata/gate/baseline.json", "testdata/gate/check-up.json"}, code: 1},
		{name: "diff-prompts", args: []string{"diff", "--config", "testdata/prompts/llmcost.yaml", "--prompts-old", "testdata/prompts/v1", "--prompts-new", "testdata/prompts/v2", "--calls-per-month", "1000"}},
		{name: "diff-prompts-markdown", args: []string{"diff", "--config", "testdata/prompts/llmcost.yaml", "--prompts-old", "testdata/prompts/v1", "--prompts-new", "testdata/prompts/v2", "--format", "markdown"}},
		{name: "diff-prompts-json", args: []string{"diff", "--prompts-old", "testdata/prompts/v1/support.txt", "--prompts-new", "testdata/prompts/v2/support.txt", "--model", "claude-sonnet-4-5", "--calls-per-month", "2100000", "--format", "json"}},
		{name: "diff-prompts-with-baseline", args: []string{"diff", "--prompts", "HEAD", "--baseline", "x.json", "prompts/"}, code: 2},
		{name: "analyze-mapped-csv", args: []string{"analyze", "--config", "testdata/mapped/llmcost.yaml", "--format", "csv", "testdata/mapped/app-log.csv"}},
		{name: "analyze-mapped-jsonl", args: []string{"analyze", "--mapping-file", "testdata/mapped/jsonl-mapping.yaml", "--input-format", "mapped", "testdata/mapped/app-log.jsonl"}},
		{name: "analyze-mapped-missing", args: []string{"analyze", "--input-format", "mapped", "testdata/mapped/app-log.csv"}, code: 2},
		{name: "analyze-mapping-invalid", args: []string{"analyze", "--mapping-file", "testdata/mapped/README.md", "testdata/mapped/app-log.csv"}, code: 2},
		{name: "analyze-parquet-logs", args: []string{"analyze", "--mapping-file", "testdata/ingest/parquet/app-requests-mapping.yaml", "testdata/ingest/parquet/litellm-spendlogs.parquet", "testdata/ingest/parquet/langfuse-observations.parquet", "testdata/ingest/parquet/helicone-requests.parquet", "testdata/ingest/parquet/app-requests.parquet"}},
		{name: "pricing-list-anthropic", args: []string{"pricing", "list", "--provider", "anthropic", "--at", "2026-11-01"}},
		{name: "pricing-list-csv", args: []string{"pricing", "list", "--model", "gpt-4o*", "--format", "csv", "--at", "2026-11-01"}},
		{name: "pricing-show-o3", args: []string{"pricing", "show", "o3-2025-04-16"}},
		{name: "pricing-show-bedrock-arn", args: []string{"pricing", "show", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0"}},
		{name: "pricing-show-regions", args: []string{"pricing", "show", "deepseek.v3.2"}},
		{name: "pricing-show-unknown", args: []string{"pricing", "show", "acme-llm-9"}, code: 1},
		{name: "analyze-claude-code", args: []string{"analyze", "--claude-code=testdata/samples/claude-code/.claude"}},
		{name: "analyze-claude-code-json", args: []string{"analyze", "--claude-code=testdata/samples/claude-code/.claude", "--format", "json", "--group-by", "day"}},
		{name: "analyze-claude-code-session", args: []string{"analyze", "--claude-code=testdata/samples/claude-code/.claude/projects", "--group-by", "session"}},
		{name: "analyze-claude-code-env", args: []string{"analyze", "--format", "csv", "--group-by", "project"}, env: map[string]string{"LLMCOST_CLAUDE_CODE": "testdata/samples/claude-code/.claude"}},
		{name: "analyze-claude-code-default-location", args: []string{"analyze", "--claude-code", "--group-by", "day"}, env: map[string]string{"CLAUDE_CONFIG_DIR": "testdata/samples/claude-code/.claude"}},
		{name: "analyze-claude-code-missing", args: []string{"analyze", "--claude-code=testdata/nope"}, code: 1},
		{name: "analyze-html", args: []string{"analyze", "--format", "html", "testdata/cli/unknown-model.jsonl"}},
		{name: "analyze-quiet", args: []string{"analyze", "--quiet", "--format", "csv", "testdata/cli/malformed.jsonl"}},
		{name: "analyze-quiet-env", args: []string{"analyze", "testdata/cli/unknown-model.jsonl"}, env: map[string]string{"LLMCOST_QUIET": "true"}},
		{name: "diff-quiet", args: []string{"diff", "--quiet", "--baseline", "testdata/gate/baseline.json", "testdata/gate/up.jsonl", "--format", "diff"}},
	}
	t.Chdir("../../..")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			ios.SetTTY(tt.tty)
			ios.SetEnv(func(k string) string { return tt.env[k] })
			code := Run(context.Background(), ios, tt.args, func(k string) string { return tt.env[k] })
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstderr:\n%s", code, tt.code, errOut)
			}
			var b strings.Builder
			b.WriteString("$ llmcost " + strings.Join(tt.args, " ") + "\n")
			b.WriteString("--- exit code: " + strconv.Itoa(code) + "\n--- stdout\n" + out.String() + "--- stderr\n" + errOut.String())
			golden.Assert(t, pkgDir, tt.name, []byte(b.String()))
		})
	}
}

// An interrupted run (Ctrl-C cancels the context) exits with 130.
func TestInterrupted(t *testing.T) {
	t.Chdir("../../..")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ios, _, _, errOut := iostreams.Test()
	code := Run(ctx, ios, []string{"analyze", "testdata/samples/"}, func(string) string { return "" })
	if code != 130 || !strings.Contains(errOut.String(), "interrupted") {
		t.Fatalf("exit code %d, stderr %q; want 130, interrupted", code, errOut)
	}
}

// TestGateFixturesFresh checks that the saved reports under testdata/gate are
// what analyze makes of their logs today (-update rewrites them).
func TestGateFixturesFresh(t *testing.T) {
	t.Chdir("../../..")
	for _, c := range []struct {
		args []string
		code int
		file string
	}{
		{[]string{"analyze", "--format", "json", "testdata/gate/base.jsonl"}, 0, "testdata/gate/baseline.json"},
		{[]string{"analyze", "--format", "json", "testdata/gate/up.jsonl"}, 0, "testdata/gate/current-up.json"},
		{[]string{"check", "--format", "json", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/current-up.json", "--gate-file", "testdata/gate/gate.yaml"}, 3, "testdata/gate/check-up.json"},
		{[]string{"diff", "--format", "json", "--baseline", "testdata/gate/baseline.json", "--current", "testdata/gate/baseline.json"}, 0, "testdata/gate/diff-same.json"},
	} {
		ios, _, out, _ := iostreams.Test()
		if code := Run(context.Background(), ios, c.args, func(string) string { return "" }); code != c.code {
			t.Fatalf("%v: exit %d", c.args, code)
		}
		c := [2]string{"", c.file}
		if golden.Update() {
			if err := os.WriteFile(c[1], out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(c[1])
		if err != nil {
			t.Fatal(err)
		}
		if string(want) != out.String() {
			t.Errorf("%s is stale: go test ./pkg/cmd/root -run TestGateFixturesFresh -update", c[1])
		}
	}
}

// Merging the reports of parts of a log gives the report of the whole log
// (top drivers aside, which merge approximately).
func TestMergeEqualsWhole(t *testing.T) {
	t.Chdir("../../..")
	analyze := func(args ...string) *report.Report {
		ios, _, out, _ := iostreams.Test()
		if code := Run(context.Background(), ios, append([]string{"analyze", "--format", "json"}, args...), func(string) string { return "" }); code != 0 {
			t.Fatalf("analyze %v: exit %d", args, code)
		}
		r, err := report.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	files, _ := filepath.Glob("testdata/samples/*.jsonl")
	var parts []*report.Report
	for _, f := range files {
		parts = append(parts, analyze(f))
	}
	whole := analyze(files...)
	merged, err := report.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	for name, pair := range map[string][2]any{
		"totals": {whole.Totals, merged.Totals}, "coverage": {whole.Coverage, merged.Coverage}, "by_model": {whole.ByModel, merged.ByModel},
		"by_day": {whole.ByDay, merged.ByDay}, "by_tag": {whole.ByTag, merged.ByTag}, "by_user": {whole.ByUser, merged.ByUser},
		"unpriced": {whole.Unpriced, merged.Unpriced}, "period": {whole.Period, merged.Period},
	} {
		a, _ := json.Marshal(pair[0])
		b, _ := json.Marshal(pair[1])
		if string(a) != string(b) {
			t.Errorf("%s differs:\nwhole  %s\nmerged %s", name, a, b)
		}
	}
}

// merge(split(log)) == analyze(log), byte for byte: random splits of a mixed
// log into shards, each analyzed with --partial, merge to exactly the report
// of one run over the shards (issue: mergeable partial reports).
func TestMergePartialsByteForByte(t *testing.T) {
	t.Chdir("../../..")
	files, _ := filepath.Glob("testdata/samples/*.jsonl")
	var lines []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(strings.TrimRight(string(data), "\n"), "\n")...)
	}
	lines = append(lines, "not json", `{"object":"chat.completion","model":"acme-llm-9","usage":{"prompt_tokens":5,"completion_tokens":1}}`)
	run := func(args ...string) string {
		ios, _, out, errOut := iostreams.Test()
		if code := Run(context.Background(), ios, args, func(string) string { return "" }); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out.String()
	}
	for seed := int64(1); seed <= 5; seed++ {
		rng := rand.New(rand.NewSource(seed))
		dir := t.TempDir()
		k := 2 + rng.Intn(4)
		shards := make([][]string, k)
		for _, l := range lines {
			i := rng.Intn(k)
			shards[i] = append(shards[i], l)
		}
		var paths, partials []string
		for i, s := range shards {
			p := filepath.Join(dir, fmt.Sprintf("shard-%d.jsonl", i))
			if err := os.WriteFile(p, []byte(strings.Join(s, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
			out := p + ".json"
			run("analyze", "--partial", "--format", "json", "-o", out, p)
			partials = append(partials, out)
		}
		for _, extra := range [][]string{nil, {"--group-by", "day,model"}} {
			whole := run(append(append([]string{"analyze", "--format", "json"}, extra...), paths...)...)
			if extra != nil {
				partials = partials[:0]
				for _, p := range paths {
					out := p + ".g.json"
					run(append(append([]string{"analyze", "--partial", "--format", "json", "-o", out}, extra...), p)...)
					partials = append(partials, out)
				}
			}
			merged := run(append([]string{"merge"}, partials...)...)
			// Waste findings see repeats across the whole log, so merged
			// shards can only add them up (they say so): compare the rest.
			merged, whole = withoutWaste(t, merged), withoutWaste(t, whole)
			if merged != whole {
				t.Fatalf("seed %d, %d shards, %v: merged report differs from the whole run", seed, k, extra)
			}
		}
	}
}

// diff --prompts <ref> reads the old templates from git.
func TestPromptDiffGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not found")
	}
	root, _ := filepath.Abs("../../..")
	dir := t.TempDir()
	t.Chdir(dir)
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	copyFile := func(from, to string) {
		b, err := os.ReadFile(filepath.Join(root, from))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(to), 0o755)
		if err := os.WriteFile(to, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q")
	copyFile("testdata/prompts/v1/support.txt", "prompts/support.txt")
	copyFile("testdata/prompts/v1/extract.txt", "prompts/extract.txt")
	git("add", ".")
	git("commit", "-q", "-m", "v1")
	copyFile("testdata/prompts/v2/support.txt", "prompts/support.txt")
	copyFile("testdata/prompts/v2/triage.txt", "prompts/triage.txt")
	os.Remove("prompts/extract.txt")
	ios, _, out, errOut := iostreams.Test()
	code := Run(context.Background(), ios, []string{"diff", "--prompts", "HEAD", "--calls-per-month", "2100000", "--format", "json", "prompts/"}, func(string) string { return "" })
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d struct {
		Prompts []struct {
			Path        string `json:"path"`
			Change      string `json:"change"`
			TokensDelta int64  `json:"tokens_delta"`
		} `json:"prompts"`
	}
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range d.Prompts {
		got[p.Path] = fmt.Sprintf("%s %+d", p.Change, p.TokensDelta)
	}
	want := map[string]string{"prompts/extract.txt": "removed -54", "prompts/support.txt": "changed +125", "prompts/triage.txt": "added +19"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// withoutWaste re-encodes a JSON report without its "waste" member (the
// rest keeps its values; map keys come out sorted).
func withoutWaste(t *testing.T, doc string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["waste"]; !ok {
		t.Fatal("no waste member")
	}
	delete(m, "waste")
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
