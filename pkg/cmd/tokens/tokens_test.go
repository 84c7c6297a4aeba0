package tokens

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
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
	cmd := NewCmdTokens(f, runF)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	return cmd
}

func TestNewCmdTokens(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantErr   string
		models    []string
		encodings []string
		format    string
	}{
		{name: "defaults", args: []string{"a.txt"}, models: DefaultModels, format: "table"},
		{name: "models", args: []string{"--model", "gpt-4o,claude-opus-4-7", "-m", "gemini-2.5-flash", "a.txt", "b.txt"},
			models: []string{"gpt-4o", "claude-opus-4-7", "gemini-2.5-flash"}, format: "table"},
		{name: "encoding only", args: []string{"--encoding", "cl100k_base", "--format", "json", "-"}, encodings: []string{"cl100k_base"}, format: "json"},
		{name: "model and encoding", args: []string{"-m", "gpt-4o", "-e", "o200k_base,r50k_base", "a.txt"},
			models: []string{"gpt-4o"}, encodings: []string{"o200k_base", "r50k_base"}, format: "table"},
		{name: "no args", args: []string{}, wantErr: "no input"},
		{name: "bad encoding", args: []string{"--encoding", "o300k", "a.txt"}, wantErr: "unknown encoding"},
		{name: "bad format", args: []string{"--format", "xml", "a.txt"}, wantErr: "valid values are"},
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
			if !slices.Equal(got.Models, tt.models) || !slices.Equal(got.Encodings, tt.encodings) || got.Format != tt.format {
				t.Errorf("options = models %v, encodings %v, format %q; want %v, %v, %q",
					got.Models, got.Encodings, got.Format, tt.models, tt.encodings, tt.format)
			}
		})
	}
}

// TestTokens runs the command against testdata and compares stdout, stderr
// and the exit code with golden files (go test -update rewrites them).
func TestTokens(t *testing.T) {
	pkgDir, _ := filepath.Abs(".")
	long := strings.Repeat("token counting is not free ", 50_000) // ~250k tokens
	tests := []struct {
		name  string
		args  []string
		stdin string
		tty   bool
		code  int
	}{
		{name: "table", args: []string{"testdata/tokenize/prose-en.txt"}},
		{name: "table-files", args: []string{"--model", "gpt-4o,claude-opus-4-7,gpt-4", "testdata/tokenize/prose-en.txt", "testdata/tokenize/multilingual.txt", "testdata/tokenize/code-go.go.txt"}},
		{name: "table-tty", args: []string{"-m", "gpt-4.1-mini", "-m", "meta.llama3-3-70b-instruct-v1:0", "testdata/tokenize/prose-en.txt", "testdata/tokenize/data.json"}, tty: true},
		{name: "json", args: []string{"--format", "json", "--model", "gpt-4o-mini,claude-sonnet-4-5", "--encoding", "cl100k_base", "testdata/tokenize/notes.md", "testdata/tokenize/numbers.txt"}},
		{name: "csv", args: []string{"--format", "csv", "testdata/tokenize/logs.jsonl", "testdata/tokenize/urls-and-paths.txt"}},
		{name: "markdown", args: []string{"--format", "markdown", "--model", "gpt-5,mistral-large-2411,deepseek-chat", "testdata/tokenize/code-python.py.txt"}},
		{name: "encodings", args: []string{"--encoding", "o200k_base,cl100k_base,p50k_base,r50k_base", "testdata/tokenize/whitespace.txt"}},
		{name: "stdin", args: []string{"-m", "gpt-4o", "-"}, stdin: "Hello, world! How many tokens is this?\n"},
		{name: "gzip", args: []string{"-m", "o3", "pkg/cmd/tokens/testdata/prompt.txt.gz"}},
		{name: "at-date", args: []string{"-m", "o3", "--at", "2025-05-01", "testdata/tokenize/prose-en.txt"}},
		{name: "long-context", args: []string{"-m", "claude-sonnet-4-5,gpt-4o", "-"}, stdin: long},
		{name: "unknown-model", args: []string{"-m", "gpt-4o,acme-llm-9", "testdata/tokenize/prose-en.txt"}, code: 1},
		{name: "no-tokenizer", args: []string{"-m", "qwen.qwen3-32b-v1:0", "testdata/tokenize/prose-en.txt"}, code: 1},
		{name: "missing-file", args: []string{"testdata/tokenize/nope.txt"}, code: 1},
		{name: "directory", args: []string{"testdata/tokenize"}, code: 1},
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
			b.WriteString("$ llmcost tokens " + strings.Join(tt.args, " ") + "\n")
			b.WriteString("--- exit code: " + strconv.Itoa(code) + "\n--- stdout\n" + out.String() + "--- stderr\n" + errOut.String())
			golden.Assert(t, pkgDir, tt.name, b.Bytes())
		})
	}
}

// The command never prints the text it counts.
func TestTokensNeverPrintsText(t *testing.T) {
	const secret = "sk-proj-SECRETSECRETSECRET"
	for _, format := range Formats {
		ios, in, out, errOut := iostreams.Test()
		in.WriteString("my key is " + secret + "\n")
		cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
		cmd.SetArgs([]string{"--format", format, "-"})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.String()+errOut.String(), "SECRET") {
			t.Errorf("--format %s printed the input", format)
		}
	}
}

// Ctrl-C (a cancelled context) exits with 130.
func TestTokensInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ios, in, _, _ := iostreams.Test()
	in.WriteString("hello")
	cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
	cmd.SetArgs([]string{"-"})
	err := cmd.ExecuteContext(ctx)
	if code := cmdutil.ExitCode(err); code != cmdutil.ExitInterrupted {
		t.Fatalf("exit code %d (%v), want %d", code, err, cmdutil.ExitInterrupted)
	}
}
