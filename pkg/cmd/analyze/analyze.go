// Package analyze implements `llmcost analyze`: price request logs and
// report where the money goes.
package analyze

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/report"
)

// Options are the analyze command's inputs.
type Options struct {
	IO      *iostreams.IOStreams
	Catalog func() (*pricing.Catalog, error)

	Paths         []string
	Format        string
	OutFile       string
	Since, Until  string
	GroupBy       []string
	InputFormat   string
	Strict        bool
	Workers       int
	ShowSkipped   bool
	MaxSkippedPct float64
	// Partial makes a report meant to be merged (llmcost merge).
	Partial bool
	// MappingFile is a YAML column mapping for home-grown logs (--mapping-file);
	// Mapping is the one in force (that file, or llmcost.yaml's mapping:).
	MappingFile string
	Mapping     *ingest.Mapping
	// Quiet (--quiet) prints no progress and no warnings.
	Quiet bool
	// NoProgress turns the progress line off (callers writing JSON).
	NoProgress bool

	// ClaudeCode adds Claude Code's session logs to the inputs: those under
	// ClaudeCodeDirs, or by default those of $CLAUDE_CONFIG_DIR, else of
	// ~/.config/claude and ~/.claude (see ingest.ClaudeCodeDirs).
	ClaudeCode     bool
	ClaudeCodeDirs []string
	// Getenv is the environment (os.Getenv outside tests).
	Getenv func(string) string
}

// NewCmdAnalyze builds the command; runF replaces the run function in tests.
func NewCmdAnalyze(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	getenv := f.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog, Getenv: getenv}
	var formats []string
	for _, fm := range ingest.Formats() {
		formats = append(formats, fmt.Sprintf("  %-24s %s", fm.ID, fm.Description))
	}
	cmd := &cobra.Command{
		Use:   "analyze [<file>|<dir>|<glob>|-]...",
		Short: "Price request logs and show where the money goes",
		Long: `Price every call in the given logs against the pricing catalog and report
total cost, tokens by kind, and breakdowns by model, provider, tier, day, user,
project and tag, the top cost drivers, and how much of the input was served
from cache.

Files may be plain, gzip or zstd compressed (recognised by content); a
directory is walked for *.jsonl, *.ndjson, *.json and *.log files; "-" reads
standard input. Each file's format is detected from its first record:

` + strings.Join(formats, "\n") + `

Token counts come from the logs; nothing is tokenized when usage is present.
Each call is priced at the price in force at its timestamp, at its served tier
(batch files are priced at the batch rate), in its context band. A model the
catalog does not know is reported as unpriced, never counted as $0; --strict
turns it into an error. Malformed lines are reported as file:line, counted and
skipped; --strict stops at the first.

EXIT STATUS
  0    success
  1    error, or with --strict a malformed line or unknown model
  2    usage error
  4    malformed lines over --max-skipped-pct
  130  interrupted`,
		Example: `  llmcost analyze testdata/samples/openai-chat.jsonl testdata/samples/anthropic-messages.jsonl
  llmcost analyze --format json testdata/samples/ > report.json
  llmcost analyze --format html --out-file report.html testdata/samples/
  zcat logs.jsonl.gz | llmcost analyze -
  llmcost analyze --group-by day,model --since 2026-03-01 --until 2026-03-31 logs/
  llmcost analyze --claude-code --group-by day
  llmcost analyze --claude-code=testdata/samples/claude-code/.claude --group-by session`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths, opts.Quiet = args, f.Quiet
			m, err := LoadMapping(opts.MappingFile, f.ConfigValue)
			if err != nil {
				return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: err}
			}
			opts.Mapping = m
			if opts.InputFormat == "mapped" && m == nil {
				return cmdutil.FlagErrorf("--input-format mapped needs a column mapping: a mapping: key in llmcost.yaml, or --mapping-file")
			}
			if len(opts.Paths) == 0 && !opts.ClaudeCode {
				return cmdutil.FlagErrorf("no input: give log files, directories, globs, or - for standard input")
			}
			if len(opts.GroupBy) > cost.MaxGroupBy {
				return cmdutil.FlagErrorf("--group-by takes at most %d dimensions", cost.MaxGroupBy)
			}
			if opts.MaxSkippedPct < 0 || opts.MaxSkippedPct > 100 {
				return cmdutil.FlagErrorf("--max-skipped-pct must be between 0 and 100")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "table", append(append([]string(nil), report.Formats...), report.HTMLFormat), "output format (html: a self-contained page with charts, for --out-file)")
	fl.StringVarP(&opts.OutFile, "out-file", "o", "", "write the report to `<file>` instead of standard output")
	fl.StringVar(&opts.Since, "since", "", "only calls at or after this `<date>` (YYYY-MM-DD or RFC 3339, UTC)")
	fl.StringVar(&opts.Until, "until", "", "only calls before the end of this `<date>` (a bare date includes that day)")
	fl.StringSliceVar(&opts.GroupBy, "group-by", nil, "add a breakdown by these `<dims>`: model, provider, tier, day, month, user, project, conversation (session), tag:<key>")
	var ids []string
	for _, fm := range ingest.Formats() {
		ids = append(ids, fm.ID)
	}
	cmdutil.StringEnumFlag(cmd, &opts.InputFormat, "input-format", "", "", append([]string{""}, ids...), "force the input format instead of detecting it")
	fl.BoolVar(&opts.Strict, "strict", false, "fail on the first malformed line or on any unknown model")
	fl.IntVar(&opts.Workers, "workers", 0, "parsing goroutines (default: one per CPU)")
	fl.BoolVar(&opts.ShowSkipped, "show-skipped", false, "list every malformed line and unpriced model on standard error")
	fl.Float64Var(&opts.MaxSkippedPct, "max-skipped-pct", 100, "exit with status 4 when more than this percentage of lines is malformed")
	fl.StringVar(&opts.MappingFile, "mapping-file", "", "YAML `<file>` mapping a home-grown log's columns (default: the mapping: key of llmcost.yaml)")
	fl.BoolVar(&opts.Partial, "partial", false, "write a partial report for llmcost merge (JSON: keeps the whole drivers breakdown)")
	fl.Var(&claudeCodeFlag{opts}, "claude-code", "also read Claude Code session logs, from $CLAUDE_CONFIG_DIR, else ~/.config/claude and ~/.claude (--claude-code=<dir>[,<dir>] for other config or projects/ directories)")
	fl.Lookup("claude-code").NoOptDefVal = "true"
	return cmd
}

// claudeCodeFlag is --claude-code[=<dir>,…]: alone (or true) it reads the
// default location, with directories it reads those, false turns it off.
type claudeCodeFlag struct{ opts *Options }

func (f *claudeCodeFlag) String() string {
	if len(f.opts.ClaudeCodeDirs) > 0 {
		return strings.Join(f.opts.ClaudeCodeDirs, ",")
	}
	return strconv.FormatBool(f.opts.ClaudeCode)
}

func (f *claudeCodeFlag) Set(s string) error {
	if b, err := strconv.ParseBool(s); err == nil {
		f.opts.ClaudeCode, f.opts.ClaudeCodeDirs = b, nil
		return nil
	}
	var dirs []string
	for _, d := range strings.Split(s, ",") {
		if d = strings.TrimSpace(d); d != "" {
			dirs = append(dirs, d)
		}
	}
	f.opts.ClaudeCode, f.opts.ClaudeCodeDirs = true, dirs
	return nil
}

// Type is "bool" so that help shows the flag without a value placeholder;
// a value is still accepted, as --claude-code=<dir>.
func (f *claudeCodeFlag) Type() string { return "bool" }

// addClaudeCode appends the Claude Code transcripts to opts.Paths.
func addClaudeCode(opts *Options) error {
	if !opts.ClaudeCode {
		return nil
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	dirs, err := ingest.ClaudeCodeDirs(opts.ClaudeCodeDirs, getenv)
	if err != nil {
		return err
	}
	files, err := ingest.ClaudeCodeFiles(dirs)
	if err != nil {
		return err
	}
	opts.Paths = append(opts.Paths, files...)
	return nil
}

// problemsShown is how many problems are printed without --show-skipped.
const problemsShown = 5

func run(ctx context.Context, opts *Options) error {
	if err := addClaudeCode(opts); err != nil {
		return err
	}
	rep, err := Build(ctx, opts)
	if err != nil {
		return err
	}

	if opts.Strict && len(rep.Unpriced) > 0 {
		u := rep.Unpriced[0]
		return fmt.Errorf("%s %q (%s, %s): add it with --pricing-file or see `llmcost pricing list` (--strict)",
			u.Reason, u.Model, u.Provider, plural(u.Requests, "request"))
	}

	if err := writeReport(opts, rep); err != nil {
		return err
	}
	printDiagnostics(opts, rep)

	if t := rep.Coverage; t.Lines > 0 && opts.MaxSkippedPct < 100 {
		if pct := 100 * float64(t.Malformed) / float64(t.Lines); pct > opts.MaxSkippedPct {
			return &cmdutil.ExitError{Code: cmdutil.ExitTooManyBad,
				Err: fmt.Errorf("%.1f%% of lines are malformed (over --max-skipped-pct %.1f)", pct, opts.MaxSkippedPct)}
		}
	}
	return nil
}

func writeReport(opts *Options, rep *report.Report) error {
	var w io.Writer = opts.IO.Out
	color, tty := opts.IO.ColorEnabled(), opts.IO.IsStdoutTTY()
	var f *os.File
	if opts.OutFile != "" && opts.OutFile != "-" {
		var err error
		if f, err = os.Create(opts.OutFile); err != nil {
			return err
		}
		w, color, tty = f, false, false
	}
	err := report.Render(w, rep, opts.Format, report.Options{Color: color, TTY: tty})
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// printDiagnostics writes problems and unpriced models to stderr; the
// report itself carries them too, so machine formats stay complete.
func printDiagnostics(opts *Options, rep *report.Report) {
	if opts.Quiet {
		return
	}
	w := opts.IO.ErrOut
	n := len(rep.Problems)
	if !opts.ShowSkipped && n > problemsShown {
		n = problemsShown
	}
	for _, p := range rep.Problems[:n] {
		if p.Line == 0 {
			fmt.Fprintf(w, "warning: %s: %s\n", p.File, p.Error)
		} else {
			fmt.Fprintf(w, "warning: %s:%d: %s\n", p.File, p.Line, p.Error)
		}
	}
	if more := rep.ProblemsTotal - int64(n); more > 0 {
		fmt.Fprintf(w, "warning: %s more (--show-skipped lists them, --format json includes them)\n", plural(more, "problem"))
	}
	if len(rep.Unpriced) > 0 {
		var total int64
		var names []string
		for _, u := range rep.Unpriced {
			total += u.Requests
			names = append(names, u.Model)
		}
		if !opts.ShowSkipped && len(names) > 5 {
			names = append(names[:5], "…")
		}
		fmt.Fprintf(w, "warning: %s used %s with no price, not in the totals: %s (add them with --pricing-file)\n",
			plural(total, "request"), plural(int64(len(rep.Unpriced)), "model"), strings.Join(names, ", "))
	}
	for _, s := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
	if opts.Format != "table" || opts.OutFile != "" {
		fmt.Fprintln(w, report.CoverageLine(rep))
		if bl := report.BillCoverageLine(rep); bl != "" {
			fmt.Fprintln(w, bl)
		}
	}
}

func plural(n int64, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
