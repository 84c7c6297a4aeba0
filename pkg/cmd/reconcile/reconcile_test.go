package reconcile

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmd/analyze"
	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/internal/golden"
	"github.com/llmcost/llmcost/pkg/iostreams"
)

func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	ios, _, out, errOut := iostreams.Test()
	return &cmdutil.Factory{IOStreams: ios, Now: func() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }}, out, errOut
}

func TestFlags(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		check   func(*Options) bool
		wantErr string
	}{
		{"defaults", []string{"--logs", "a.jsonl", "--bill", "b.csv"}, func(o *Options) bool {
			return reflect.DeepEqual(o.Logs, []string{"a.jsonl"}) && reflect.DeepEqual(o.Bills, []string{"b.csv"}) &&
				o.TolerancePct == 2 && o.ToleranceUSD == 0.01 && o.FailOnUntrackedPct < 0 && o.Format == "table"
		}, ""},
		{"repeated and comma lists", []string{"--logs", "a,b", "--logs", "c", "--bill", "x", "--bill", "y,z", "--tolerance-pct", "5",
			"--tolerance-usd", "1", "--fail-on-untracked-pct", "10", "--since", "2026-03-01", "--until", "2026-03-31", "--format", "json", "-o", "r.json"},
			func(o *Options) bool {
				return reflect.DeepEqual(o.Logs, []string{"a", "b", "c"}) && reflect.DeepEqual(o.Bills, []string{"x", "y", "z"}) &&
					o.TolerancePct == 5 && o.ToleranceUSD == 1 && o.FailOnUntrackedPct == 10 && o.Since == "2026-03-01" &&
					o.Until == "2026-03-31" && o.Format == "json" && o.OutFile == "r.json"
			}, ""},
		{"no logs", []string{"--bill", "b.csv"}, nil, "no logs"},
		{"no bill", []string{"--logs", "a.jsonl"}, nil, "no bill"},
		{"positional", []string{"--logs", "a.jsonl", "b.jsonl", "--bill", "c.csv"}, nil, `unexpected argument "b.jsonl"`},
		{"negative tolerance", []string{"--logs", "a", "--bill", "b", "--tolerance-pct", "-1"}, nil, "cannot be negative"},
		{"bad format", []string{"--logs", "a", "--bill", "b", "--format", "xml"}, nil, "valid values are"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := testFactory()
			var got *Options
			cmd := NewCmdReconcile(f, func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				// (flag parse errors get their usage code from the root command)
				if tt.name != "bad format" && cmdutil.ExitCode(err) != cmdutil.ExitUsage {
					t.Errorf("exit code %d, want %d", cmdutil.ExitCode(err), cmdutil.ExitUsage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Errorf("options %+v", got)
			}
		})
	}
}

// execute runs a command in-process, as the golden file shows it.
func execute(t *testing.T, name string, cmd *cobra.Command, out, errOut *bytes.Buffer, args []string) (string, int) {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.Execute()
	code := cmdutil.ExitCode(err)
	var b strings.Builder
	b.WriteString("$ llmcost " + name + " " + strings.Join(args, " ") + "\n--- exit code: " + strconv.Itoa(code) +
		"\n--- stdout\n" + out.String() + "--- stderr\n" + errOut.String())
	if err != nil {
		b.WriteString("--- error\n" + err.Error() + "\n")
	}
	return b.String(), code
}

const (
	logsOpenAI  = "testdata/billing/logs/openai-chat.jsonl"
	logsBedrock = "testdata/billing/logs/bedrock-invocation.jsonl"
	billAll     = "testdata/billing/openai-api,testdata/billing/anthropic-api,testdata/billing/aws-cur"
)

// TestRun reconciles the samples of testdata/billing, whose answers are
// known by construction (testdata/billing/README.md).
func TestRun(t *testing.T) {
	pkgDir, _ := filepath.Abs(".")
	t.Chdir("../../..")
	for _, tt := range []struct {
		name string
		args []string
		code int
	}{
		{"openai-api", []string{"--logs", logsOpenAI, "--bill", "testdata/billing/openai-api"}, 0},
		{"openai-dashboard", []string{"--logs", logsOpenAI, "--bill", "testdata/billing/openai-dashboard"}, 0},
		{"all-json", []string{"--logs", "testdata/billing/logs", "--bill", billAll, "--format", "json"}, 0},
		{"all-csv", []string{"--logs", "testdata/billing/logs", "--bill", billAll, "--format", "csv"}, 0},
		{"all-markdown", []string{"--logs", "testdata/billing/logs", "--bill", billAll, "--format", "markdown"}, 0},
		{"bedrock-parquet", []string{"--logs", logsBedrock, "--bill", "testdata/billing/aws-cur-parquet"}, 0},
		{"fail-on-untracked", []string{"--logs", logsOpenAI, "--bill", "testdata/billing/openai-api", "--fail-on-untracked-pct", "10"}, 3},
		{"under-untracked-gate", []string{"--logs", logsOpenAI, "--bill", "testdata/billing/openai-api", "--fail-on-untracked-pct", "25", "--format", "csv"}, 0},
		{"tolerance", []string{"--logs", logsOpenAI, "--bill", "testdata/billing/openai-api", "--tolerance-pct", "30", "--tolerance-usd", "0.05"}, 0},
		{"since", []string{"--logs", logsOpenAI, "--bill", "testdata/billing/openai-api", "--since", "2026-03-02", "--format", "csv"}, 0},
		{"usage-export-only", []string{"--logs", logsOpenAI, "--bill", "testdata/billing/openai-api/usage-completions.json"}, 0},
		{"costs-export-only", []string{"--logs", logsOpenAI, "--bill", "testdata/billing/openai-api/costs.json"}, 0},
		{"swapped", []string{"--logs", "testdata/billing/openai-api", "--bill", logsOpenAI + ",testdata/billing/openai-dashboard", "--format", "csv"}, 0},
		{"unknown-model-in-logs", []string{"--logs", "testdata/cli/unknown-model.jsonl", "--bill", "testdata/billing/openai-api", "--format", "csv"}, 0},
		{"missing-bill", []string{"--logs", logsOpenAI, "--bill", "testdata/billing/nope"}, 1},
		{"no-bill", []string{"--logs", logsOpenAI}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, out, errOut := testFactory()
			got, code := execute(t, "reconcile", NewCmdReconcile(f, nil), out, errOut, tt.args)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\n%s", code, tt.code, got)
			}
			golden.Assert(t, pkgDir, tt.name, []byte(got))
		})
	}
}

// TestAnalyzeBills shows what analyze makes of each billing format: the
// charged amounts by day, model and line item beside the computed cost.
func TestAnalyzeBills(t *testing.T) {
	pkgDir, _ := filepath.Abs(".")
	t.Chdir("../../..")
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"openai-api", []string{"--group-by", "day,model", "testdata/billing/openai-api"}},
		{"openai-dashboard-csv", []string{"--format", "csv", "testdata/billing/openai-dashboard"}},
		{"openai-usage-tsv", []string{"testdata/ingest/openai-usage-csv/activity.tsv"}},
		{"anthropic-api-markdown", []string{"--format", "markdown", "testdata/billing/anthropic-api"}},
		{"aws-cur", []string{"--group-by", "day,tag:line_item", "testdata/billing/aws-cur"}},
		{"aws-cur-parquet-json", []string{"--format", "json", "testdata/billing/aws-cur-parquet"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, out, errOut := testFactory()
			got, code := execute(t, "analyze", analyze.NewCmdAnalyze(f, nil), out, errOut, tt.args)
			if code != 0 {
				t.Errorf("exit code %d\n%s", code, got)
			}
			golden.Assert(t, pkgDir, tt.name, []byte(got))
		})
	}
}

// The classes of the samples, known by construction.
func TestKnownAnswers(t *testing.T) {
	t.Chdir("../../..")
	f, out, _ := testFactory()
	cmd := NewCmdReconcile(f, nil)
	cmd.SetArgs([]string{"--logs", "testdata/billing/logs", "--bill", billAll, "--format", "json"})
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var d Doc
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range classOrder {
		for _, r := range d.rows(c) {
			got[r.Day+" "+r.Model] = r.Class + " " + r.DifferenceUSD.String()
		}
	}
	want := map[string]string{
		"2026-03-01 gpt-4o":                                   "matched 0",
		"2026-03-01 gpt-4.1":                                  "matched 0",
		"2026-03-01 gpt-4o-mini":                              "missing_from_logs 0.135",
		"2026-03-02 gpt-4o":                                   "price_drift 0.040625",
		"2026-03-02 o4-mini":                                  "missing_from_bill -0.0154",
		"2026-03-02 (no model)":                               "unattributed 0.5",
		"2026-03-03 gpt-4o":                                   "missing_from_logs 0.105",
		"2026-03-03 gpt-4o-mini":                              "matched 0",
		"2026-03-01 claude-haiku-4-5":                         "matched 0",
		"2026-03-01 claude-sonnet-4-5":                        "matched 0",
		"2026-03-02 claude-opus-4-6":                          "missing_from_logs 0.75",
		"2026-03-01 anthropic.claude-sonnet-4-6":              "matched 0",
		"2026-03-01 anthropic.claude-haiku-4-5-20251001-v1:0": "matched 0",
		"2026-03-02 anthropic.claude-sonnet-4-6":              "matched 0",
		"2026-03-02 amazon.nova-pro-v1:0":                     "missing_from_logs 1.12",
		"2026-03-01 (tax)":                                    "unattributed 0.05",
	}
	if !reflect.DeepEqual(got, want) {
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %q, want %q", k, got[k], v)
			}
		}
		for k, v := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("unexpected %s: %q", k, v)
			}
		}
	}
	if d.Totals.UntrackedUSD.String() != "2.11" || d.Totals.UnbilledUSD.String() != "0.0154" || d.Totals.DriftUSD.String() != "0.040625" {
		t.Errorf("totals %+v", d.Totals)
	}
	if d.SchemaVersion != 1 || d.Kind != "reconcile" {
		t.Errorf("schema %d kind %q", d.SchemaVersion, d.Kind)
	}
}
