package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir is the shared data set next to the repository, when present.
var sharedDir = filepath.Join("..", "..", "..", "shared", "data")

// TestUpToDate is the in-test form of -check: pricing-data holds exactly
// the validated shared CSVs.
func TestUpToDate(t *testing.T) {
	if _, err := os.Stat(filepath.Join(sharedDir, "gpu-instances.csv")); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	var out bytes.Buffer
	if err := run(sharedDir, filepath.Join("..", "..", "pricing-data"), true, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "up to date") {
		t.Errorf("output %q", out.String())
	}
}

// copyCommitted writes the committed CSVs into a temporary source
// directory, with edit applied to one of them.
func copyCommitted(t *testing.T, file string, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join("..", "..", "pricing-data", name))
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if name == file {
			s = edit(s)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestWriteAndCheck(t *testing.T) {
	src := copyCommitted(t, "", nil)
	out := filepath.Join(t.TempDir(), "pd")
	var buf bytes.Buffer
	if err := run(src, out, true, &buf); err == nil || !strings.Contains(err.Error(), "out of date") {
		t.Fatalf("check of an empty directory: %v", err)
	}
	if err := run(src, out, false, &buf); err != nil {
		t.Fatal(err)
	}
	if err := run(src, out, true, &buf); err != nil {
		t.Fatalf("check after write: %v", err)
	}
	if !strings.Contains(buf.String(), "wrote 62 instances") {
		t.Errorf("output %q", buf.String())
	}
}

func TestRejectsBadData(t *testing.T) {
	for _, tt := range []struct {
		name, file string
		edit       func(string) string
		want       string
	}{
		{"header", "gpu-specs.csv", func(s string) string { return strings.Replace(s, "mem_gib", "memory", 1) }, "header is"},
		{"negative price", "gpu-instances.csv", func(s string) string { return strings.Replace(s, ",1.006,", ",-1.006,", 1) }, "not a positive price"},
		{"no date", "gpu-instances.csv", func(s string) string { return strings.Replace(s, ",2026-01-21", ",Jan 2026", 1) }, "not a YYYY-MM-DD date"},
		{"no source", "model-specs.csv", func(s string) string {
			return strings.Replace(s, "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/config.json", "config.json", 1)
		}, "not an https URL"},
		{"unknown gpu", "gpu-instances.csv", func(s string) string { return strings.Replace(s, "g5.xlarge,A10G", "g5.xlarge,A10X", 1) }, `gpu "A10X" has no row`},
		{"duplicate", "gpu-instances.csv", func(s string) string {
			return s + "aws,g5.xlarge,A10G,1,24,4,16,1.006,us-east-1,https://example.com/x,2026-01-21\n"
		}, "listed twice"},
		{"model without arch", "model-specs.csv", func(s string) string {
			return s + "Acme-7B,7,7,32,4096,32,8,128,32000,4096,https://example.com/acme\n"
		}, "no architecture entry"},
		{"kv heads", "model-specs.csv", func(s string) string {
			return strings.Replace(s, "Llama-3.1-8B,8.03,8.03,32,4096,32,8,", "Llama-3.1-8B,8.03,8.03,32,4096,32,64,", 1)
		}, "kv_heads 64 exceeds heads 32"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := copyCommitted(t, tt.file, tt.edit)
			err := run(src, t.TempDir(), false, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
