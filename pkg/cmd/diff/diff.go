// Package diff implements `llmcost diff`: compare the cost of current logs
// (or a saved report) with a baseline report.
package diff

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/llmcost/llmcost/pkg/cmd/analyze"
	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/report"
)

// Options are what diff and check share: the two sides and the output.
type Options struct {
	IO      *iostreams.IOStreams
	Catalog func() (*pricing.Catalog, error)

	Baseline    string
	Current     string
	Paths       []string
	Format      string
	OutFile     string
	OnlyChanges bool
	MaxBytes    int
	InputFormat string
	Since       string
	Until       string
	// Reproduce is the command line shown in the Markdown comment.
	Reproduce string
	// Quiet (--quiet) prints no progress and no warnings.
	Quiet bool
}

// AddFlags binds the shared flags to o.
func AddFlags(cmd *cobra.Command, o *Options) {
	fl := cmd.Flags()
	fl.StringVar(&o.Baseline, "baseline", "", "baseline report `<file>` (from llmcost analyze --format json)")
	fl.StringVar(&o.Current, "current", "", "current report `<file>` instead of analyzing logs")
	cmdutil.StringEnumFlag(cmd, &o.Format, "format", "", "table", report.DiffFormats, "output format")
	fl.StringVarP(&o.OutFile, "out-file", "o", "", "write the output to `<file>`")
	fl.BoolVar(&o.OnlyChanges, "only-changes", false, "leave unchanged rows out")
	fl.IntVar(&o.MaxBytes, "max-bytes", report.DefaultMaxBytes, "cap the markdown output at this many bytes, dropping details first")
	fl.StringVar(&o.InputFormat, "input-format", "", "force the input format of the current logs")
	fl.StringVar(&o.Since, "since", "", "only current calls at or after this `<date>`")
	fl.StringVar(&o.Until, "until", "", "only current calls up to this `<date>` (a bare date includes that day)")
}

// Validate checks the sides once flags and args are in o.
func (o *Options) Validate(args []string) error {
	o.Paths = args
	if o.Baseline == "" {
		return cmdutil.FlagErrorf("--baseline is required")
	}
	if o.Current != "" && len(o.Paths) > 0 {
		return cmdutil.FlagErrorf("give either --current or log paths, not both")
	}
	if o.Current == "" && len(o.Paths) == 0 {
		return cmdutil.FlagErrorf("no current side: give log paths (or - for standard input) or --current <report.json>")
	}
	if o.MaxBytes < 1000 {
		return cmdutil.FlagErrorf("--max-bytes must be at least 1000")
	}
	return nil
}

// ReproduceLine rebuilds the command line from the flags the user set, for
// the "reproduce locally" line of the Markdown comment.
func ReproduceLine(cmd *cobra.Command, args []string) string {
	parts := []string{"llmcost", cmd.Name()}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if f.Name == "out-file" || f.Name == "format" || f.Name == "max-bytes" {
			return
		}
		if f.Value.Type() == "bool" {
			parts = append(parts, "--"+f.Name)
			return
		}
		parts = append(parts, "--"+f.Name, shellQuote(f.Value.String()))
	})
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"$`\\*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Compare loads the baseline, builds or loads the current report, and
// diffs them.
func Compare(ctx context.Context, o *Options) (*report.Diff, error) {
	base, err := report.LoadFile(o.Baseline)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	var cur *report.Report
	if o.Current != "" {
		if cur, err = report.LoadFile(o.Current); err != nil {
			return nil, fmt.Errorf("--current: %w", err)
		}
	} else {
		ao := &analyze.Options{IO: o.IO, Catalog: o.Catalog, Paths: o.Paths, InputFormat: o.InputFormat, Since: o.Since, Until: o.Until,
			Quiet: o.Quiet, NoProgress: o.Format == "json"}
		if cur, err = analyze.Build(ctx, ao); err != nil {
			return nil, err
		}
		analyze.PrintDiagnostics(ao, cur)
	}
	return report.Compare(base, cur), nil
}

// Write renders d to stdout or --out-file.
func Write(o *Options, d *report.Diff) error {
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
	err := report.RenderDiff(w, d, o.Format, report.DiffOptions{Color: color, OnlyChanges: o.OnlyChanges, MaxBytes: o.MaxBytes, Reproduce: o.Reproduce})
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// NewCmdDiff builds `llmcost diff`; runF replaces the run function in tests.
func NewCmdDiff(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	o := &Options{IO: f.IOStreams, Catalog: f.Catalog}
	po := &PromptOptions{IO: f.IOStreams, Catalog: f.Catalog, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "diff --baseline <report.json> {<logs>... | --current <report.json>}",
		Short: "Compare the cost of current logs with a baseline report",
		Long: `Compare current logs (analyzed now) or a saved report with a baseline report
made by 'llmcost analyze --format json', per model, provider and tag: cost in
dollars and percent, requests, and cost and tokens per request, so a prompt that
grew shows up even when traffic differs. Rows are marked + added, - removed,
~ changed.

--format markdown writes a pull-request comment: a hidden marker line (so a CI
step can update its own comment), the summary table first, details in
collapsed sections, capped at --max-bytes (details are dropped first), and a
line to reproduce the diff locally. 'llmcost check' adds pass/fail rules.

With --prompts <git-ref> <files|dirs>... (or --prompts-old/--prompts-new),
diff compares prompt templates instead: each template's token count before
and after, times its expected calls a month (the prompts key of llmcost.yaml,
or --calls-per-month) and its model's input price (--model or the config),
gives the monthly cost of the change:

  prompts:
    prompts/support.txt: {model: gpt-4o, calls_per_month: 2100000}

EXIT STATUS
  0  success
  1  error
  2  usage error`,
		Example: `  llmcost analyze testdata/samples/ --format json --out-file baseline.json
  llmcost diff --baseline baseline.json testdata/samples/
  llmcost diff --baseline testdata/gate/baseline.json --current testdata/gate/current-up.json --format markdown
  llmcost diff --baseline testdata/gate/baseline.json --current testdata/gate/current-up.json --format html -o diff.html
  llmcost diff --prompts origin/main prompts/
  llmcost diff --prompts-old testdata/prompts/v1 --prompts-new testdata/prompts/v2 --calls-per-month 2100000`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if po.Enabled() {
				if o.Baseline != "" || o.Current != "" {
					return cmdutil.FlagErrorf("--prompts compares templates, not reports: drop --baseline/--current")
				}
				po.Paths, po.Format, po.OutFile, po.Config = args, o.Format, o.OutFile, f.ConfigValue
				d, err := ComparePrompts(cmd.Context(), po)
				if err != nil {
					return err
				}
				return writeTo(o.IO.Out, o.OutFile, func(w io.Writer) error { return WritePrompts(w, d, o.Format) })
			}
			if err := o.Validate(args); err != nil {
				return err
			}
			o.Reproduce, o.Quiet = ReproduceLine(cmd, args), f.Quiet
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			d, err := Compare(cmd.Context(), o)
			if err != nil {
				return err
			}
			return Write(o, d)
		},
	}
	AddFlags(cmd, o)
	AddPromptFlags(cmd, po)
	return cmd
}

// writeTo runs write on stdout, or on --out-file when set.
func writeTo(stdout io.Writer, outFile string, write func(io.Writer) error) error {
	if outFile == "" || outFile == "-" {
		return write(stdout)
	}
	f, err := os.Create(outFile)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
