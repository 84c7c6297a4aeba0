package simulate

import (
	"bytes"
	"context"
	"errors"
	"os"
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
	cmd := NewCmdSimulate(f, runF)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	return cmd
}

func TestNewCmdSimulate(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantErr   string
		scenarios []string
		config    string
		noStack   bool
		format    string
	}{
		{name: "defaults", args: []string{"logs/"}, format: "table"},
		{name: "scenarios", args: []string{"--scenario", "routing,batch", "-s", "output", "logs/"}, scenarios: []string{"routing", "batch", "output"}, format: "table"},
		{name: "config and format", args: []string{"--config", "s.yaml", "--format", "markdown", "--no-stack", "a.jsonl", "b.jsonl"}, config: "s.yaml", noStack: true, format: "markdown"},
		{name: "html", args: []string{"--format", "html", "-o", "savings.html", "logs/"}, format: "html"},
		{name: "no args", args: []string{}, wantErr: "no input"},
		{name: "bad format", args: []string{"--format", "xml", "logs/"}, wantErr: "valid values are"},
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
			if !slices.Equal(got.Scenarios, tt.scenarios) || got.ConfigFile != tt.config || got.NoStack != tt.noStack || got.Format != tt.format {
				t.Errorf("options = scenarios %v, config %q, no-stack %v, format %q", got.Scenarios, got.ConfigFile, got.NoStack, got.Format)
			}
		})
	}
}

// TestSimulate runs the command against testdata and compares stdout,
// stderr and the exit code with golden files (go test -update rewrites
// them).
func TestSimulate(t *testing.T) {
	pkgDir, _ := filepath.Abs(".")
	outputLog, err := os.ReadFile("../../../testdata/simulate/logs/output.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stdin  string
		tty    bool
		code   int
		config map[string]any
	}{
		{name: "samples-table", args: []string{"testdata/samples/"}},
		{name: "samples-json", args: []string{"--format", "json", "testdata/samples/"}},
		{name: "samples-csv", args: []string{"--format", "csv", "testdata/samples/"}},
		{name: "samples-markdown", args: []string{"--format", "markdown", "--config", "testdata/simulate/scenarios.yaml", "testdata/samples/"}},
		{name: "crafted-markdown", args: []string{"--config", "testdata/simulate/scenarios.yaml", "--format", "markdown", "testdata/simulate/logs/"}},
		{name: "crafted-tty", args: []string{"testdata/simulate/logs/"}, tty: true},
		{name: "routing-alone", args: []string{"--scenario", "routing", "testdata/simulate/logs/routing.jsonl"}},
		{name: "cascade", args: []string{"--config", "testdata/simulate/presets/conservative.yaml", "--scenario", "routing", "testdata/simulate/logs/routing.jsonl"}},
		{name: "routing-labels", args: []string{"--scenario", "routing", "--labels", "testdata/simulate/labels.jsonl", "testdata/simulate/logs/routing.jsonl"}},
		{name: "batch-json", args: []string{"--scenario", "batch", "--format", "json", "testdata/simulate/logs/batch.jsonl"}},
		{name: "batch-html", args: []string{"--scenario", "batch", "--format", "html", "testdata/simulate/logs/batch.jsonl"}},
		{name: "summarize", args: []string{"--config", "testdata/simulate/presets/aggressive.yaml", "--scenario", "history", "testdata/simulate/logs/history.jsonl"}},
		{name: "stdin-percentile", args: []string{"--scenario", "output", "-"}, stdin: string(outputLog)},
		{name: "llmcost-yaml", args: []string{"testdata/simulate/logs/"}, config: map[string]any{"scenarios": []any{"output", "batch"}, "output": map[string]any{"cap": 1000}, "format": "json"}},
		{name: "since-until", args: []string{"--since", "2026-03-03", "--until", "2026-03-03", "--scenario", "batch", "testdata/simulate/logs/"}},
		{name: "promptcache", args: []string{"--scenario", "promptcache", "--format", "markdown", "testdata/simulate/logs/promptcache.jsonl", "testdata/simulate/logs/promptcache-anthropic.jsonl"}},
		{name: "semcache", args: []string{"--scenario", "semcache", "testdata/simulate/semcache/"}},
		{name: "semcache-show-prompts", args: []string{"--scenario", "semcache,batch", "--show-prompts", "--format", "markdown", "testdata/simulate/semcache/"}},
		{name: "semcache-bad-embeddings-url", args: []string{"--scenario", "semcache", "--embeddings-url", "localhost:8080", "testdata/simulate/semcache/"}, code: 2},
		{name: "selfhost-peaky", args: []string{"--config", "testdata/simulate/presets/selfhost-llama.yaml", "testdata/simulate/selfhost/peaky.jsonl"}},
		{name: "selfhost-flat-json", args: []string{"--config", "testdata/simulate/presets/selfhost-llama.yaml", "--format", "json", "testdata/simulate/selfhost/flat.jsonl"}},
		{name: "selfhost-small-markdown", args: []string{"--scenario", "selfhost,batch", "--format", "markdown", "testdata/simulate/selfhost/small.jsonl"}},
		{name: "selfhost-bad-config", args: []string{"--scenario", "selfhost", "--config", "pkg/cmd/simulate/testdata/selfhost-bad.yaml", "testdata/samples/"}, code: 2},
		{name: "unknown-scenario", args: []string{"--scenario", "teleport", "testdata/samples/"}, code: 2},
		{name: "bad-config", args: []string{"--config", "pkg/cmd/simulate/testdata/bad.yaml", "testdata/samples/"}, code: 2},
		{name: "missing-config", args: []string{"--config", "nope.yaml", "testdata/samples/"}, code: 2},
		{name: "no-args", args: []string{}, code: 2},
	}
	t.Chdir("../../..")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, in, out, errOut := iostreams.Test()
			ios.SetTTY(tt.tty)
			ios.SetEnv(func(string) string { return "" })
			in.WriteString(tt.stdin)
			f := &cmdutil.Factory{IOStreams: ios, Now: testNow}
			if tt.config != nil {
				f.ConfigValue = func(k string) any {
					if k == "simulate" {
						return tt.config
					}
					return nil
				}
			}
			cmd := newTestCmd(f, nil)
			cmd.SetArgs(append([]string{"--workers", "2"}, tt.args...))
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
			b.WriteString("$ llmcost simulate " + strings.Join(tt.args, " ") + "\n")
			b.WriteString("--- exit code: " + strconv.Itoa(code) + "\n--- stdout\n" + out.String() + "--- stderr\n" + errOut.String())
			golden.Assert(t, pkgDir, tt.name, b.Bytes())
		})
	}
}

// The same input gives byte-identical reports, whatever the parallelism.
func TestSimulateDeterministic(t *testing.T) {
	t.Chdir("../../..")
	var outs []string
	for _, w := range []string{"1", "4"} {
		ios, _, out, _ := iostreams.Test()
		cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
		cmd.SetArgs([]string{"--workers", w, "--format", "json", "testdata/samples/", "testdata/simulate/logs/"})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out.String())
	}
	if outs[0] != outs[1] {
		t.Error("reports differ between 1 and 4 workers")
	}
}

// The command reads prompts but never prints them.
func TestSimulateNeverPrintsText(t *testing.T) {
	t.Chdir("../../..")
	secrets := []string{"Summarize this quarterly update", "Why is this query slow", "Prove step by step", "hello hello",
		"reset my password", "refund policy", "delete the cache folder"}
	for _, format := range []string{"table", "json", "csv", "markdown", "html"} {
		ios, _, out, errOut := iostreams.Test()
		cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
		cmd.SetArgs([]string{"--format", format, "testdata/samples/", "testdata/simulate/logs/", "testdata/simulate/semcache/"})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if strings.Contains(out.String()+errOut.String(), s) {
				t.Errorf("--format %s printed prompt text %q", format, s)
			}
		}
	}
}

// Ctrl-C (a cancelled context) exits with 130.
func TestSimulateInterrupted(t *testing.T) {
	t.Chdir("../../..")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ios, _, _, _ := iostreams.Test()
	cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow}, nil)
	cmd.SetArgs([]string{"--scenario", "batch", "testdata/samples/"})
	err := cmd.ExecuteContext(ctx)
	if code := cmdutil.ExitCode(err); code != cmdutil.ExitInterrupted {
		t.Fatalf("exit code %d (%v), want %d", code, err, cmdutil.ExitInterrupted)
	}
}
