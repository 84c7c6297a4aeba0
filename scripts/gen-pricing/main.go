package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	newPath := flag.String("litellm", "../shared/data/litellm/2026-07-24/model_prices_and_context_window.json", "current LiteLLM catalog (primary source)")
	oldPath := flag.String("litellm-old", "../shared/data/litellm/model_prices_and_context_window.json", "older LiteLLM catalog, for retired models (empty to skip)")
	outDir := flag.String("out", "pricing-data", "output directory")
	check := flag.Bool("check", false, "regenerate in memory and fail if the output directory differs")
	verbose := flag.Bool("v", false, "print corrections, collisions and skip counts")
	flag.Parse()
	if err := run(*newPath, *oldPath, *outDir, *check, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "gen-pricing:", err)
		os.Exit(1)
	}
}

func run(newPath, oldPath, outDir string, check, verbose bool) error {
	newJSON, err := os.ReadFile(newPath)
	if err != nil {
		return err
	}
	var oldJSON []byte
	if oldPath != "" {
		if oldJSON, err = os.ReadFile(oldPath); err != nil {
			return err
		}
	}
	files, rep, err := Convert(newJSON, oldJSON)
	if err != nil {
		return err
	}
	if verbose {
		printReport(rep)
	}
	names := sortedKeys(files)
	if check {
		var diffs []string
		for _, n := range names {
			have, err := os.ReadFile(filepath.Join(outDir, n))
			if err != nil || !bytes.Equal(have, files[n]) {
				diffs = append(diffs, n)
			}
		}
		extra, _ := filepath.Glob(filepath.Join(outDir, "*.json"))
		for _, p := range extra {
			if _, ok := files[filepath.Base(p)]; !ok {
				diffs = append(diffs, filepath.Base(p)+" (not generated)")
			}
		}
		if len(diffs) > 0 {
			return fmt.Errorf("%s is out of date: %s; run go run ./scripts/gen-pricing", outDir, strings.Join(diffs, ", "))
		}
		return nil
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	total, size := 0, 0
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(outDir, n), files[n], 0o644); err != nil {
			return err
		}
		size += len(files[n])
	}
	for _, c := range rep.Models {
		total += c
	}
	fmt.Printf("wrote %d models in %d files (%d bytes) to %s\n", total, len(names), size, outDir)
	return nil
}

func printReport(rep *Report) {
	fmt.Fprintln(os.Stderr, "models per provider:")
	for _, p := range sortedKeys(rep.Models) {
		fmt.Fprintf(os.Stderr, "  %-10s %d\n", p, rep.Models[p])
	}
	fmt.Fprintln(os.Stderr, "skipped LiteLLM entries:")
	reasons := sortedKeys(rep.Skipped)
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(os.Stderr, "  %5d %s\n", rep.Skipped[r], r)
	}
	fmt.Fprintln(os.Stderr, "collisions:")
	for _, c := range rep.Collisions {
		fmt.Fprintln(os.Stderr, "  "+c)
	}
	fmt.Fprintln(os.Stderr, "corrections:")
	for _, c := range rep.Corrections {
		fmt.Fprintln(os.Stderr, "  "+c)
	}
}
