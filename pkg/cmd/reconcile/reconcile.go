// Package reconcile implements `llmcost reconcile`: line up what the
// request logs say (priced by the catalog) with what the vendors' bills
// charged, per day and model.
package reconcile

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmd/analyze"
	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/report"
)

// Options are the reconcile command's inputs.
type Options struct {
	// Quiet (--quiet) prints no warnings and no coverage lines.
	Quiet   bool
	IO      *iostreams.IOStreams
	Catalog func() (*pricing.Catalog, error)

	Logs, Bills  []string
	Since, Until string
	Format       string
	OutFile      string
	Workers      int
	// TolerancePct and ToleranceUSD say what counts as matching.
	TolerancePct float64
	ToleranceUSD float64
	// FailOnUntrackedPct exits with the gate status when untracked spend
	// is over this percentage of the bill; negative: off.
	FailOnUntrackedPct float64
	ShowSkipped        bool
}

// Formats are the --format values.
var Formats = []string{"table", "json", "csv", "markdown"}

// NewCmdReconcile builds the command; runF replaces the run function in
// tests.
func NewCmdReconcile(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog}
	cmd := &cobra.Command{
		Use:   "reconcile --logs <logs>... --bill <bill>...",
		Short: "Line up what the logs say with what the bill charged, per day and model",
		Long: `Price the request logs against the catalog, read the vendors' billing exports,
and line the two up per day (UTC) and model. Each day × model is:

  matched            the logged cost and the billed amount agree within the
                     tolerance (--tolerance-usd, or --tolerance-pct of the bill)
  missing from logs  billed but not logged, or logged for much less: untracked
                     spend, calls that bypass logging
  missing from bill  logged but not billed, or billed for much less: another
                     account or organization, a billing delay
  price drift        the tokens agree (within --tolerance-pct) but the money
                     does not: the catalog's unit price and the charged one are
                     both shown
  unattributed       bill money that names no model (credits, taxes, tool
                     fees, costs exported without grouping by line item)

The logs are any format analyze reads. The bill is any billing export: OpenAI
Usage and Costs API pages or dashboard CSV exports, Anthropic usage and cost
reports, AWS Cost and Usage Reports (CSV or Parquet; Bedrock line items).
Give the usage export with the costs export: the first says the tokens, the
second the money. Without money (a usage export alone) the billed amount is
the catalog price of the billed tokens; without tokens (a costs export alone)
price drift cannot be told from missing calls. Model ids are normalised
through the catalog (gpt-4o-2024-08-06 is gpt-4o; a CUR usage type such as
USE1-Claude4.6Sonnet-input-tokens is anthropic.claude-sonnet-4-6), and
Bedrock's cross-Region profile prefixes (us., global.) are ignored.

--logs and --bill take files, directories, globs (quoted) or - ; repeat them
or separate paths with commas.

EXIT STATUS
  0    success
  1    error
  2    usage error
  3    untracked spend over --fail-on-untracked-pct
  130  interrupted`,
		Example: `  llmcost reconcile --logs testdata/billing/logs \
      --bill testdata/billing/openai-api,testdata/billing/anthropic-api,testdata/billing/aws-cur
  llmcost reconcile --logs testdata/billing/logs/openai-chat.jsonl --bill testdata/billing/openai-dashboard
  llmcost reconcile --logs testdata/billing/logs/bedrock-invocation.jsonl \
      --bill testdata/billing/aws-cur-parquet --format json
  llmcost reconcile --logs testdata/billing/logs/openai-chat.jsonl --bill testdata/billing/openai-api \
      --fail-on-untracked-pct 10`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.FlagErrorf("unexpected argument %q: give logs with --logs and bills with --bill (a shell glob expands to several paths: quote it, or repeat the flag)", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Quiet = f.Quiet
			if len(opts.Logs) == 0 {
				return cmdutil.FlagErrorf("no logs: give --logs <files|dirs|globs>")
			}
			if len(opts.Bills) == 0 {
				return cmdutil.FlagErrorf("no bill: give --bill <files|dirs|globs> (billing exports)")
			}
			if opts.TolerancePct < 0 || opts.ToleranceUSD < 0 {
				return cmdutil.FlagErrorf("tolerances cannot be negative")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.Logs, "logs", nil, "request logs: `<paths>` (files, directories, globs, -)")
	fl.StringSliceVar(&opts.Bills, "bill", nil, "billing exports: `<paths>` (files, directories, globs, -)")
	fl.StringVar(&opts.Since, "since", "", "only days at or after this `<date>` (YYYY-MM-DD or RFC 3339, UTC), on both sides")
	fl.StringVar(&opts.Until, "until", "", "only days before the end of this `<date>`, on both sides")
	fl.Float64Var(&opts.TolerancePct, "tolerance-pct", 2, "amounts within this `<pct>` of the bill match (and token counts within it agree)")
	fl.Float64Var(&opts.ToleranceUSD, "tolerance-usd", 0.01, "amounts within this `<usd>` match")
	fl.Float64Var(&opts.FailOnUntrackedPct, "fail-on-untracked-pct", -1, "exit with status 3 when untracked spend is over this `<pct>` of the bill (negative: off)")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "table", Formats, "output format")
	fl.StringVarP(&opts.OutFile, "out-file", "o", "", "write the report to `<file>` instead of standard output")
	fl.IntVar(&opts.Workers, "workers", 0, "parsing goroutines (default: one per CPU)")
	fl.BoolVar(&opts.ShowSkipped, "show-skipped", false, "list every malformed line on standard error")
	return cmd
}

// build analyzes one side, grouped by day and model.
func build(ctx context.Context, opts *Options, paths []string) (*report.Report, *analyze.Options, error) {
	ao := &analyze.Options{IO: opts.IO, Catalog: opts.Catalog, Paths: paths, Since: opts.Since, Until: opts.Until,
		GroupBy: []string{"day", "model"}, Workers: opts.Workers, Format: opts.Format, ShowSkipped: opts.ShowSkipped,
		MaxSkippedPct: 100}
	rep, err := analyze.Build(ctx, ao)
	return rep, ao, err
}

func run(ctx context.Context, opts *Options) error {
	logs, lo, err := build(ctx, opts, opts.Logs)
	if err != nil {
		return fmt.Errorf("logs: %w", err)
	}
	bill, bo, err := build(ctx, opts, opts.Bills)
	if err != nil {
		return fmt.Errorf("bill: %w", err)
	}
	tol := Tolerance{Pct: opts.TolerancePct, USD: report.Money{Decimal: decimal.NewFromFloat(opts.ToleranceUSD)}}
	doc := Compute(logs, bill, tol)

	var w io.Writer = opts.IO.Out
	color := opts.IO.ColorEnabled()
	var f *os.File
	if opts.OutFile != "" && opts.OutFile != "-" {
		if f, err = os.Create(opts.OutFile); err != nil {
			return err
		}
		w, color = f, false
	}
	err = Render(w, doc, opts.Format, color)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}

	// Problems of each side go to stderr, prefixed by the side.
	for _, side := range []struct {
		name string
		rep  *report.Report
		o    *analyze.Options
	}{{"logs", logs, lo}, {"bill", bill, bo}} {
		var b strings.Builder
		o := *side.o
		o.IO = &iostreams.IOStreams{ErrOut: &b}
		o.Format = "table" // the coverage lines are written below
		rep := *side.rep
		rep.Warnings = nil
		for _, w := range side.rep.Warnings {
			if !strings.Contains(w, "without a timestamp") { // said below, for reconcile
				rep.Warnings = append(rep.Warnings, w)
			}
		}
		analyze.PrintDiagnostics(&o, &rep)
		for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			if l != "" && !opts.Quiet {
				fmt.Fprintf(opts.IO.ErrOut, "%s: %s\n", side.name, l)
			}
		}
	}
	for _, s := range doc.Warnings {
		if !opts.Quiet {
			fmt.Fprintf(opts.IO.ErrOut, "warning: %s\n", s)
		}
	}
	if !opts.Quiet && (opts.Format != "table" || opts.OutFile != "") {
		fmt.Fprintln(opts.IO.ErrOut, "logs: "+report.CoverageLine(logs))
		fmt.Fprintln(opts.IO.ErrOut, "bill: "+report.CoverageLine(bill))
		if bl := report.BillCoverageLine(bill); bl != "" {
			fmt.Fprintln(opts.IO.ErrOut, "bill: "+strings.TrimPrefix(bl, "Bill: "))
		}
	}

	if opts.FailOnUntrackedPct >= 0 && doc.Totals.UntrackedPct > opts.FailOnUntrackedPct {
		return &cmdutil.ExitError{Code: cmdutil.ExitGateFailed,
			Err: fmt.Errorf("untracked spend %s is %s%% of the bill (over --fail-on-untracked-pct %s)",
				usd(doc.Totals.UntrackedUSD.Decimal), num(doc.Totals.UntrackedPct), num(opts.FailOnUntrackedPct))}
	}
	return nil
}
