package compress

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/internal/golden"
	"github.com/llmcost/llmcost/pkg/iostreams"
)

var testNow = func() time.Time { return time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC) }

// newTestCmd builds the command as the root command would: flag errors are
// usage errors.
func newTestCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	cmd := NewCmdCompress(f, runF)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	return cmd
}

func TestNewCmdCompress(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
		want    Options
	}{
		{name: "defaults", args: []string{"p.txt"},
			want: Options{Path: "p.txt", Level: "safe", Model: "gpt-4o", Format: "text"}},
		{name: "all flags", args: []string{"--level", "aggressive", "-m", "claude-sonnet-4-5", "--calls-per-month", "5000", "--format", "json", "--stats", "-"},
			want: Options{Path: "-", Level: "aggressive", Model: "claude-sonnet-4-5", CallsPerMonth: 5000, Format: "json", Stats: true}},
		{name: "short level", args: []string{"-l", "aggressive", "p.txt"},
			want: Options{Path: "p.txt", Level: "aggressive", Model: "gpt-4o", Format: "text"}},
		{name: "no args", args: []string{}, wantErr: "give one prompt file"},
		{name: "two files", args: []string{"a.txt", "b.txt"}, wantErr: "give one prompt file"},
		{name: "bad level", args: []string{"--level", "extreme", "p.txt"}, wantErr: "valid values are {safe|aggressive}"},
		{name: "bad format", args: []string{"--format", "table", "p.txt"}, wantErr: "valid values are {text|json}"},
		{name: "negative calls", args: []string{"--calls-per-month", "-1", "p.txt"}, wantErr: "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, func(_ context.Context, o *Options) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.args)
			err := cmd.Execute()
			if tt.wantErr != "" {
				var fe *cmdutil.FlagError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &fe) {
					t.Fatalf("err = %v, want a usage error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			type flags struct {
				Path, Level, Model, Format string
				CallsPerMonth              int64
				Stats                      bool
			}
			g := flags{got.Path, got.Level, got.Model, got.Format, got.CallsPerMonth, got.Stats}
			w := flags{tt.want.Path, tt.want.Level, tt.want.Model, tt.want.Format, tt.want.CallsPerMonth, tt.want.Stats}
			if g != w {
				t.Errorf("options = %+v, want %+v", g, w)
			}
		})
	}
}

// TestCompress runs the command against testdata/compress and compares
// stdout, stderr and the exit code with golden files (go test -update
// rewrites them).
func TestCompress(t *testing.T) {
	pkgDir, _ := filepath.Abs(".")
	tests := []struct {
		name  string
		args  []string
		stdin string
		tty   bool
		code  int
	}{
		{name: "safe", args: []string{"testdata/compress/support-bot.md"}},
		{name: "aggressive", args: []string{"--level", "aggressive", "testdata/compress/extraction-invoice.md"}},
		{name: "stats", args: []string{"--stats", "--level", "aggressive", "--calls-per-month", "250000", "testdata/compress/support-bot.md"}},
		{name: "tty", args: []string{"-l", "aggressive", "testdata/compress/few-shot-sentiment.txt"}, tty: true},
		{name: "tty-json", args: []string{"--format", "json", "testdata/compress/pricing-faq.md"}, tty: true},
		{name: "json", args: []string{"--format", "json", "--level", "aggressive", "--calls-per-month", "1000000", "testdata/compress/rag-answer.xml.txt"}},
		{name: "json-estimate", args: []string{"--format", "json", "--model", "claude-sonnet-4-5", "testdata/compress/code-review.md"}},
		{name: "stdin", args: []string{"--stats", "-"}, stdin: "Please answer in JSON.   \n\n\n\nPlease answer in JSON.\n"},
		{name: "stdin-no-newline", args: []string{"--stats", "-l", "aggressive", "-"}, stdin: "It is important that you reply in a concise manner."},
		{name: "unchanged", args: []string{"--stats", "-"}, stdin: "Summarize the ticket in 2 sentences.\n"},
		{name: "empty", args: []string{"--stats", "-"}, stdin: ""},
		{name: "unknown-model", args: []string{"-m", "acme-llm-9", "testdata/compress/support-bot.md"}, code: 1},
		{name: "missing-file", args: []string{"testdata/compress/nope.md"}, code: 1},
		{name: "directory", args: []string{"testdata/compress"}, code: 1},
		{name: "no-args", args: []string{}, code: 2},
	}
	t.Chdir("../../..")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, in, out, errOut := iostreams.Test()
			ios.SetTTY(tt.tty)
			in.WriteString(tt.stdin)
			cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
			cmd.SetArgs(tt.args)
			cmd.SetOut(out)
			cmd.SetErr(errOut)
			err := cmd.ExecuteContext(context.Background())
			code := cmdutil.ExitCode(err)
			if err != nil {
				errOut.WriteString("error: " + err.Error() + "\n")
			}
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstderr:\n%s", code, tt.code, errOut)
			}
			var b bytes.Buffer
			b.WriteString("$ llmcost compress " + strings.Join(tt.args, " ") + "\n")
			// stdout is shown as is, then a newline: the header gives its
			// exact length.
			b.WriteString("--- exit code: " + strconv.Itoa(code) + "\n--- stdout (" + strconv.Itoa(out.Len()) + " bytes)\n" + out.String() + "\n--- stderr\n" + errOut.String())
			golden.Assert(t, pkgDir, tt.name, b.Bytes())
		})
	}
}

// Standard output is the rewritten prompt, byte for byte: no newline is
// added or dropped, and the JSON document's "output" is the same text.
func TestCompressStdoutIsOnlyThePrompt(t *testing.T) {
	for _, input := range []string{"Answer briefly.", "Answer briefly.\n", "a  b\n\n\n", "\n"} {
		ios, in, out, errOut := iostreams.Test()
		in.WriteString(input)
		cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
		cmd.SetArgs([]string{"-"})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if errOut.Len() != 0 {
			t.Errorf("%q: stderr not empty off a terminal: %q", input, errOut)
		}
		ios2, in2, out2, _ := iostreams.Test()
		in2.WriteString(input)
		cmd = newTestCmd(&cmdutil.Factory{IOStreams: ios2, Now: testNow}, nil)
		cmd.SetArgs([]string{"--format", "json", "-"})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		var doc Document
		if err := json.Unmarshal(out2.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Output != out.String() {
			t.Errorf("%q: json output %q, text output %q", input, doc.Output, out)
		}
	}
	// The text output of a file equals what compressing it again gives.
	t.Chdir("../../..")
	data, err := os.ReadFile("testdata/compress/support-bot.md")
	if err != nil {
		t.Fatal(err)
	}
	ios, _, out, _ := iostreams.Test()
	cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
	cmd.SetArgs([]string{"-l", "aggressive", "testdata/compress/support-bot.md"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	ios, in, out2, _ := iostreams.Test()
	in.Write(out.Bytes())
	cmd = newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
	cmd.SetArgs([]string{"-l", "aggressive", "-"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if out2.String() != out.String() || out.String() == string(data) {
		t.Errorf("compressing the output again changed it, or nothing was compressed")
	}
}

// The JSON document has exactly the documented fields (schema_version 1).
func TestCompressJSONFields(t *testing.T) {
	ios, in, out, _ := iostreams.Test()
	in.WriteString("Please answer in JSON.\n")
	cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
	cmd.SetArgs([]string{"--format", "json", "--calls-per-month", "10", "-"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"bytes_after", "bytes_before", "calls_per_month", "cost_per_call_after_usd", "cost_per_call_before_usd",
		"estimated", "input", "input_per_1m_usd", "kind", "level", "model", "monthly_saving_usd", "output", "prices_at",
		"provider", "removed_duplicates", "rules", "saved_ratio", "saving_per_call_usd", "schema_version", "tokenizer",
		"tokens_after", "tokens_before", "tokens_saved"}
	var got []string
	for k := range m {
		got = append(got, k)
	}
	if len(got) != len(want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("missing field %q", k)
		}
	}
	rule := m["rules"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "level", "applied", "tokens_saved"} {
		if _, ok := rule[k]; !ok {
			t.Errorf("rules[] lacks %q", k)
		}
	}
}

// Ctrl-C (a cancelled context) exits with 130.
func TestCompressInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ios, in, _, _ := iostreams.Test()
	in.WriteString("Please be brief.")
	cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
	cmd.SetArgs([]string{"-"})
	err := cmd.ExecuteContext(ctx)
	if code := cmdutil.ExitCode(err); code != cmdutil.ExitInterrupted {
		t.Fatalf("exit code %d (%v), want %d", code, err, cmdutil.ExitInterrupted)
	}
}
