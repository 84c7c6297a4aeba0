// Package render implements `llmcost render`: re-render saved reports
// without recomputing them, merging several into one.
package render

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/report"
)

// Options are render's inputs.
type Options struct {
	IO          *iostreams.IOStreams
	Paths       []string
	Format      string
	OutFile     string
	OnlyChanges bool
	MaxBytes    int
}

// NewCmdRender builds the command; runF replaces the run function in tests.
func NewCmdRender(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	o := &Options{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "render <report.json|glob>...",
		Short: "Render saved reports again, merging several into one",
		Long: `Render JSON documents saved by analyze, diff or check in another format,
without reading the logs again.

Several analyze reports (shards of a log, one per service) are merged into one
report as if their inputs had been analyzed together: counts and costs add up
exactly and shares are recomputed; top cost drivers are merged from each
report's top rows and are approximate. Several diff or check documents (one
per project of a monorepo) become one pull-request comment with a summary row
per document, under a single marker.

EXIT STATUS
  0  success
  1  error (unreadable or mixed documents)
  2  usage error`,
		Example: `  llmcost render testdata/gate/baseline.json --format markdown
  llmcost render --path 'testdata/gate/check-*.json' --path testdata/gate/diff-same.json --format markdown --only-changes`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = append(o.Paths, args...)
			if len(o.Paths) == 0 {
				return cmdutil.FlagErrorf("give report files or globs")
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return run(o)
		},
	}
	formats := []string{"table", "json", "csv", "markdown", "diff", report.HTMLFormat}
	cmdutil.StringEnumFlag(cmd, &o.Format, "format", "", "table", formats, "output format (csv for analyze reports, diff for diff documents)")
	cmd.Flags().StringVarP(&o.OutFile, "out-file", "o", "", "write the output to `<file>`")
	cmd.Flags().StringArrayVar(&o.Paths, "path", nil, "a report `<file|glob>` (repeatable; same as an argument)")
	cmd.Flags().BoolVar(&o.OnlyChanges, "only-changes", false, "diff documents: leave unchanged rows out")
	cmd.Flags().IntVar(&o.MaxBytes, "max-bytes", report.DefaultMaxBytes, "cap the markdown output of diff documents at this many bytes")
	return cmd
}

type doc struct {
	path     string
	analyze  *report.Report
	diff     *report.Diff
	simulate *report.SimulateReport
	kindName string
}

func expand(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, fmt.Errorf("bad pattern %q: %w", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("%s: no files match", a)
			}
			sort.Strings(m)
			out = append(out, m...)
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

func load(path string) (doc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return doc{}, err
	}
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return doc{}, fmt.Errorf("%s: not a report document: %w", path, err)
	}
	d := doc{path: path, kindName: head.Kind}
	switch head.Kind {
	case "analyze":
		d.analyze, err = report.Load(bytes.NewReader(data))
	case "simulate":
		d.simulate, err = report.LoadSimulate(bytes.NewReader(data))
	case "diff":
		d.diff = &report.Diff{}
		dec := json.NewDecoder(bytes.NewReader(data))
		err = dec.Decode(d.diff)
		if err == nil && d.diff.SchemaVersion != report.SchemaVersion {
			err = fmt.Errorf("diff schema version %d, this llmcost reads %d", d.diff.SchemaVersion, report.SchemaVersion)
		}
	default:
		err = fmt.Errorf("unknown document kind %q", head.Kind)
	}
	if err != nil {
		return doc{}, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

func run(o *Options) error {
	paths, err := expand(o.Paths)
	if err != nil {
		return err
	}
	var docs []doc
	for _, p := range paths {
		d, err := load(p)
		if err != nil {
			return err
		}
		if len(docs) > 0 && docs[0].kindName != d.kindName {
			return fmt.Errorf("%s is a %s document and %s a %s one: render one kind at a time", docs[0].path, docs[0].kindName, d.path, d.kindName)
		}
		docs = append(docs, d)
	}
	var w io.Writer = o.IO.Out
	color := o.IO.ColorEnabled()
	var f *os.File
	if o.OutFile != "" && o.OutFile != "-" {
		if f, err = os.Create(o.OutFile); err != nil {
			return err
		}
		w, color = f, false
	}
	switch {
	case docs[0].simulate != nil:
		err = renderSimulate(w, docs, o.Format, color)
	case docs[0].analyze != nil:
		if o.Format == "diff" {
			err = cmdutil.FlagErrorf("--format diff is for diff documents")
		} else {
			var reps []*report.Report
			for _, d := range docs {
				reps = append(reps, d.analyze)
			}
			var merged *report.Report
			if merged, err = report.Merge(reps...); err == nil {
				err = report.Render(w, merged, o.Format, report.Options{Color: color})
			}
		}
	default:
		err = renderDiffs(w, docs, o, color)
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// renderSimulate renders one simulate document, or merges the partial
// reports of a simulation's shards.
func renderSimulate(w io.Writer, docs []doc, format string, color bool) error {
	if format == "diff" {
		return cmdutil.FlagErrorf("--format diff is for diff documents")
	}
	rep := docs[0].simulate
	if len(docs) > 1 {
		var reps []*report.SimulateReport
		for _, d := range docs {
			reps = append(reps, d.simulate)
		}
		var err error
		if rep, err = report.MergeSimulate(reps...); err != nil {
			return err
		}
	}
	return report.RenderSimulate(w, rep, format, report.Options{Color: color})
}

func renderDiffs(w io.Writer, docs []doc, o *Options, color bool) error {
	opts := report.DiffOptions{Color: color, OnlyChanges: o.OnlyChanges, MaxBytes: o.MaxBytes}
	if o.Format == "csv" {
		return cmdutil.FlagErrorf("--format csv is for analyze reports")
	}
	if len(docs) == 1 {
		return report.RenderDiff(w, docs[0].diff, o.Format, opts)
	}
	switch o.Format {
	case "json":
		var ds []*report.Diff
		for _, d := range docs {
			ds = append(ds, d.diff)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(ds)
	case "markdown":
		var named []report.NamedDiff
		for _, d := range docs {
			named = append(named, report.NamedDiff{Name: d.path, Diff: d.diff})
		}
		_, err := io.WriteString(w, report.DiffsMarkdown(named, opts))
		return err
	}
	for i, d := range docs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "== %s\n", d.path)
		if err := report.RenderDiff(w, d.diff, o.Format, opts); err != nil {
			return err
		}
	}
	return nil
}
