package render

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/report"
)

// MergeOptions are merge's inputs.
type MergeOptions struct {
	Options
	// Partial keeps the result mergeable (a merge of merges).
	Partial bool
}

// NewCmdMerge builds `llmcost merge`; runF replaces the run function in tests.
func NewCmdMerge(f *cmdutil.Factory, runF func(context.Context, *MergeOptions) error) *cobra.Command {
	o := &MergeOptions{Options: Options{IO: f.IOStreams}}
	cmd := &cobra.Command{
		Use:   "merge <partial.json|glob>...",
		Short: "Merge partial reports of shards into the report of the whole",
		Long: `Merge reports made with 'llmcost analyze --partial --format json' on shards of
a log (split by file, by day, by any key) into the report one run over all
the shards would give: the same bytes, when the shards are given in the order
their files would be read. Runs on any machine: fan analyze out over shards
with the engine you have (GNU parallel, xargs -P, a Kubernetes indexed Job,
Spark's pipe), collect the partials, merge.

Reports made without --partial merge too, with approximate top cost drivers
(a warning says so). --partial keeps the result mergeable.

Partial simulate reports of a log's shards ('llmcost simulate --partial
--shard-key KEY --shard i/n') merge into the simulation of the whole: every
shard must be there once, simulated with the same settings; bills add up
exactly, shares are recomputed, and statistics of each shard (percentiles)
are left out with a warning.

EXIT STATUS
  0  success
  1  error (unreadable or non-analyze documents)
  2  usage error`,
		Example: `  ls shards/*.jsonl.gz | xargs -P 2 -I{} sh -c 'llmcost analyze --partial --format json -o "{}.json" "{}"'
  llmcost merge 'shards/*.json' --format markdown
  for i in 0 1 2 3; do llmcost simulate --partial --shard-key prefix --shard $i/4 -o sim-$i.json logs/; done
  llmcost merge 'sim-*.json'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("give partial report files or globs")
			}
			o.Paths = args
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runMerge(o)
		},
	}
	cmdutil.StringEnumFlag(cmd, &o.Format, "format", "", "json", report.Formats, "output format")
	cmd.Flags().StringVarP(&o.OutFile, "out-file", "o", "", "write the report to `<file>`")
	cmd.Flags().BoolVar(&o.Partial, "partial", false, "keep the result mergeable (for merging merges)")
	return cmd
}

func runMerge(o *MergeOptions) error {
	paths, err := expand(o.Paths)
	if err != nil {
		return err
	}
	var reps []*report.Report
	var sims []doc
	for _, p := range paths {
		d, err := load(p)
		if err != nil {
			return err
		}
		if d.simulate != nil && len(reps) == 0 {
			sims = append(sims, d)
			continue
		}
		if d.analyze == nil || len(sims) > 0 {
			return fmt.Errorf("%s is a %s document; merge takes analyze reports, or simulate reports of shards", p, d.kindName)
		}
		reps = append(reps, d.analyze)
	}
	if len(sims) > 0 {
		if o.Partial {
			return cmdutil.FlagErrorf("--partial: merged simulate reports are final (merge every shard at once)")
		}
		return writeOut(o, func(w io.Writer, color bool) error { return renderSimulate(w, sims, o.Format, color) })
	}
	merged, err := report.Merge(reps...)
	if err != nil {
		return err
	}
	if !o.Partial {
		merged.Partial, merged.Drivers = false, nil
	}
	return writeOut(o, func(w io.Writer, color bool) error {
		return report.Render(w, merged, o.Format, report.Options{Color: color})
	})
}

// writeOut runs render on standard output or on --out-file (no colour).
func writeOut(o *MergeOptions, render func(w io.Writer, color bool) error) error {
	var w io.Writer = o.IO.Out
	color := o.IO.ColorEnabled()
	var f *os.File
	if o.OutFile != "" && o.OutFile != "-" {
		var err error
		if f, err = os.Create(o.OutFile); err != nil {
			return err
		}
		w, color = f, false
	}
	err := render(w, color)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
