// Command gen-gpu-data copies the self-hosting data set (gpu-instances.csv,
// gpu-specs.csv, model-specs.csv) from the shared data directory into
// pricing-data/, where the binary embeds it, after validating it with the
// parsers the binary uses: exact headers, positive numbers, an https
// source on every row and a price date on every instance, no duplicates,
// a spec for every instance's GPU and an architecture entry for every
// model.
//
// Usage, from the repository root:
//
//	go run ./scripts/gen-gpu-data               # copy ../shared/data → pricing-data
//	go run ./scripts/gen-gpu-data -check        # fail if pricing-data differs
//
// The binary never reads ../shared: the copies are embedded.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/llmcost/llmcost/pkg/gpu"
)

// files are the data set, in the order they are reported.
var files = []string{gpu.InstancesFile, gpu.GPUsFile, gpu.ModelsFile}

func main() {
	src := flag.String("shared", "../shared/data", "directory holding the source CSV files")
	out := flag.String("out", "pricing-data", "output directory")
	check := flag.Bool("check", false, "validate and fail if the output directory differs, without writing")
	flag.Parse()
	if err := run(*src, *out, *check, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gen-gpu-data:", err)
		os.Exit(1)
	}
}

func run(srcDir, outDir string, check bool, stdout io.Writer) error {
	fsys := fstest.MapFS{}
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(srcDir, name))
		if err != nil {
			return err
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	d, err := gpu.Load(fsys)
	if err != nil {
		return fmt.Errorf("%s: invalid data: %w", srcDir, err)
	}
	if check {
		var stale []string
		for _, name := range files {
			have, err := os.ReadFile(filepath.Join(outDir, name))
			if err != nil || !bytes.Equal(have, fsys[name].Data) {
				stale = append(stale, name)
			}
		}
		if len(stale) > 0 {
			return fmt.Errorf("%s is out of date: %v; run go run ./scripts/gen-gpu-data", outDir, stale)
		}
		fmt.Fprintf(stdout, "%s is up to date: %d instances, %d GPUs, %d models\n", outDir, len(d.Instances), len(d.GPUs), len(d.Models))
		return nil
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for _, name := range files {
		if err := os.WriteFile(filepath.Join(outDir, name), fsys[name].Data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "wrote %d instances, %d GPUs, %d models to %s\n", len(d.Instances), len(d.GPUs), len(d.Models), outDir)
	return nil
}
