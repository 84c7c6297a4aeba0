package gpu

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/internal/golden"
	"github.com/llmcost/llmcost/pkg/iostreams"
)

func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	ios, _, out, errOut := iostreams.Test()
	return &cmdutil.Factory{IOStreams: ios, Now: func() time.Time { return time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC) }}, out, errOut
}

func execute(cmd *cobra.Command, args []string) error {
	cmd.SetArgs(append([]string{}, args...))
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	return cmd.Execute()
}

func TestFitFlags(t *testing.T) {
	f, _, _ := testFactory()
	var got *FitOptions
	cmd := newCmdFit(f, func(_ context.Context, o *FitOptions) error { got = o; return nil })
	if err := execute(cmd, []string{"--model", "llama-70b", "--instance", "g5.12xlarge,p5.4xlarge", "--provider", "aws", "--precision", "int4,fp8",
		"--input-tokens", "2000", "--output-tokens", "300", "--latency-target", "80ms", "--kv-cache", "bf16", "--rate", "12.5", "--format", "csv", "-o", "x"}); err != nil {
		t.Fatal(err)
	}
	want := FitOptions{Model: "llama-70b", Instances: []string{"g5.12xlarge", "p5.4xlarge"}, Providers: []string{"aws"}, Precisions: []string{"int4", "fp8"},
		InputTokens: 2000, OutputTokens: 300, LatencyTarget: "80ms", KVCache: "bf16", Rate: 12.5, Format: "csv", OutFile: "x"}
	got.IO, got.GPUData = nil, nil
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("options %+v", *got)
	}
	for args, wantErr := range map[string]string{
		"":                              "--model is required",
		"--model x --rate -1":           "--rate must not be negative",
		"--model x --output-tokens 0":   "--output-tokens at least 1",
		"--model x --kv-cache int4":     "valid values are",
		"--model x --format yaml":       "valid values are",
		"--model x --input-tokens -100": "--input-tokens must be at least 0",
	} {
		f, _, _ := testFactory()
		err := execute(newCmdFit(f, func(context.Context, *FitOptions) error { return nil }), strings.Fields(args))
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%q: %v, want %q", args, err, wantErr)
		}
	}
}

func TestInstancesFlags(t *testing.T) {
	f, _, _ := testFactory()
	var got *InstancesOptions
	cmd := newCmdInstances(f, func(_ context.Context, o *InstancesOptions) error { got = o; return nil })
	if err := execute(cmd, []string{"--provider", "aws,lambda", "--gpu", "H100-SXM", "--format", "json"}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Providers, []string{"aws", "lambda"}) || got.GPU != "H100-SXM" || got.Format != "json" {
		t.Errorf("options %+v", got)
	}
}

func TestRun(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"fit-instance", []string{"fit", "--model", "llama-70b", "--instance", "g5.12xlarge"}},
		{"fit-instances-markdown", []string{"fit", "--model", "llama-3.1-70b", "--instance", "g6e.12xlarge,p5.48xlarge", "--precision", "fp8,int4", "--format", "markdown"}},
		{"fit-provider", []string{"fit", "--model", "gpt-oss-120b", "--provider", "lambda"}},
		{"fit-moe-json", []string{"fit", "--model", "deepseek-v3", "--instance", "p5en.48xlarge,p5.48xlarge", "--precision", "fp8", "--format", "json"}},
		{"fit-rate-csv", []string{"fit", "--model", "Llama-3.1-8B", "--provider", "runpod", "--rate", "50", "--latency-target", "0", "--format", "csv"}},
		{"instances", []string{"instances"}},
		{"instances-aws-h100-json", []string{"instances", "--provider", "aws", "--gpu", "H100-SXM", "--format", "json"}},
		{"instances-csv", []string{"instances", "--provider", "lambda", "--format", "csv"}},
		{"instances-markdown", []string{"instances", "--provider", "azure", "--format", "markdown"}},
		{"fit-unknown-model", []string{"fit", "--model", "gpt-9"}},
		{"fit-unknown-instance", []string{"fit", "--model", "llama-8b", "--instance", "x9.huge"}},
		{"fit-unknown-provider", []string{"fit", "--model", "llama-8b", "--provider", "bedrock"}},
		{"fit-bad-precision", []string{"fit", "--model", "llama-8b", "--precision", "fp4"}},
		{"instances-unknown-gpu", []string{"instances", "--gpu", "TPU"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, out, errOut := testFactory()
			err := execute(NewCmdGPU(f), tt.args)
			var b strings.Builder
			b.WriteString("$ llmcost gpu " + strings.Join(tt.args, " ") + "\n--- stdout\n" + out.String() + "--- stderr\n" + errOut.String())
			if err != nil {
				b.WriteString("--- error (exit " + string(rune('0'+cmdutil.ExitCode(err))) + ")\n" + err.Error() + "\n")
			}
			golden.Assert(t, ".", tt.name, []byte(b.String()))
		})
	}
}

func TestFitJSON(t *testing.T) {
	f, out, _ := testFactory()
	if err := execute(NewCmdGPU(f), []string{"fit", "--model", "llama-70b", "--instance", "g5.12xlarge", "--format", "json", "--rate", "3"}); err != nil {
		t.Fatal(err)
	}
	var doc FitDoc
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != 1 || len(doc.Rows) != 4 || doc.Model.KVPerToken.BF16 != 327680 {
		t.Fatalf("doc %+v", doc)
	}
	for _, r := range doc.Rows {
		switch r.Precision {
		case "bf16":
			if r.Fits || len(r.Reasons) != 1 {
				t.Errorf("bf16: %+v", r)
			}
		case "int4":
			if !r.Fits || r.TP != 4 || r.InstancesForRate < 1 || r.TPOTMs > 50 || r.GEMMMs+r.AttentionMs+r.CommMs+r.OverheadMs < r.TPOTMs*0.99 {
				t.Errorf("int4: %+v", r)
			}
		}
	}
}

func TestOutFile(t *testing.T) {
	for _, args := range [][]string{
		{"fit", "--model", "llama-8b", "--provider", "lambda", "--format", "csv"},
		{"instances", "--format", "csv"},
	} {
		path := filepath.Join(t.TempDir(), "out.csv")
		f, out, _ := testFactory()
		if err := execute(NewCmdGPU(f), append(args, "--out-file", path)); err != nil || out.Len() != 0 {
			t.Fatalf("%v: %v, stdout %q", args, err, out.String())
		}
		data, err := os.ReadFile(path)
		if err != nil || !strings.HasPrefix(string(data), "provider,instance,gpus,") {
			t.Errorf("%v: %v %.100s", args, err, data)
		}
	}
}
