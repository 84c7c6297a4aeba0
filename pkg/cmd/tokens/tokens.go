// Package tokens implements `llmcost tokens`: count the tokens of files
// offline and price them as input to chosen models.
package tokens

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/report"
	"github.com/llmcost/llmcost/pkg/tokenize"
)

// DefaultModels are priced when neither --model nor --encoding is given.
var DefaultModels = []string{"gpt-4o-mini", "gpt-4o", "claude-sonnet-4-5", "gemini-2.5-pro"}

// Formats lists the output formats.
var Formats = []string{"table", "json", "csv", "markdown"}

// Options are the tokens command's inputs.
type Options struct {
	// Quiet (--quiet) prints no warnings.
	Quiet   bool
	IO      *iostreams.IOStreams
	Catalog func() (*pricing.Catalog, error)
	Now     func() time.Time

	Paths     []string
	Models    []string
	Encodings []string
	Format    string
	At        string
}

// NewCmdTokens builds the command; runF replaces the run function in tests.
func NewCmdTokens(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "tokens [<file>|-]...",
		Short: "Count the tokens of files and what they would cost as input",
		Long: `Count the tokens of each file (or of standard input, "-") offline, and price
the text as the input of one request to each --model, at the model's standard
input rate in force now (or at --at), in its long-context band when the count
is above the threshold. The text itself is never printed.

OpenAI models are counted exactly, with the encoding the model uses
(o200k_base for GPT-4o, GPT-4.1, GPT-5 and the o-series; cl100k_base for
GPT-4 and GPT-3.5 Turbo), identical to tiktoken. Other vendors do not publish
their tokenizers, so their counts are estimates: an exact count times a
per-family factor, marked "~" in tables and "estimated": true in JSON, with
the error bound stated for English prose and code:

` + familyTable() + `

Other languages and scripts can fall outside these bounds. --encoding counts
with an encoding directly (` + strings.Join(tokenize.Encodings(), ", ") + `).
Files may be gzip or zstd compressed (recognised by content); large files are
read in chunks.

EXIT STATUS
  0    success
  1    error: unreadable file, unknown model, or no tokenizer for a model
  2    usage error
  130  interrupted`,
		Example: `  llmcost tokens testdata/tokenize/prose-en.txt
  llmcost tokens --model gpt-4o,claude-opus-4-7 --model gemini-2.5-flash testdata/tokenize/*.txt
  llmcost tokens --encoding cl100k_base --format json testdata/tokenize/multilingual.txt
  cat testdata/tokenize/notes.md | llmcost tokens --model gpt-4.1-mini -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths, opts.Quiet = args, f.Quiet
			if len(opts.Paths) == 0 {
				return cmdutil.FlagErrorf("no input: give files, or - for standard input")
			}
			for _, e := range opts.Encodings {
				if _, err := tokenize.ForEncoding(e); err != nil {
					return cmdutil.FlagErrorf("--encoding: %v", err)
				}
			}
			if len(opts.Models) == 0 && len(opts.Encodings) == 0 {
				opts.Models = DefaultModels
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVarP(&opts.Models, "model", "m", nil, "price as input to these `<models>` (repeatable or comma-separated; default "+strings.Join(DefaultModels, ",")+")")
	fl.StringSliceVarP(&opts.Encodings, "encoding", "e", nil, "also count with these `<encodings>`: "+strings.Join(tokenize.Encodings(), ", "))
	fl.StringVar(&opts.At, "at", "", "use the prices in force at this `<date>` instead of now")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "table", Formats, "output format")
	return cmd
}

// familyTable lists the estimate families for the help text.
func familyTable() string {
	var lines []string
	for _, f := range tokenize.Families() {
		lines = append(lines, fmt.Sprintf("  %-26s %-11s × %.2f  ±%.0f%%", f.Models, f.Base, f.Factor, f.Bound*100))
	}
	return strings.Join(lines, "\n")
}

// column is one counter of the output: a model priced with its tokenizer,
// or a bare encoding (Model nil).
type column struct {
	Name    string
	Model   *pricing.Model
	Price   *pricing.Price
	Counter tokenize.Counter
}

// Count is one file's count for one column. JSON field names are part of
// the output contract (schema_version 1).
type Count struct {
	Model      string        `json:"model,omitempty"`
	Provider   string        `json:"provider,omitempty"`
	Tokenizer  string        `json:"tokenizer"`
	Tokens     int64         `json:"tokens"`
	Estimated  bool          `json:"estimated"`
	ErrorBound float64       `json:"error_bound"`
	InputPer1M *report.Money `json:"input_per_1m"`
	InputCost  *report.Money `json:"input_cost_usd"`
	// LongContext is set when the count is above the model's long-context
	// threshold, so the long-context input rate applies.
	LongContext bool `json:"long_context,omitempty"`
	// OverContextWindow is set when the count exceeds the model's context
	// window: the request would be rejected.
	OverContextWindow bool `json:"over_context_window,omitempty"`
}

// File holds the counts of one input.
type File struct {
	Path   string  `json:"path"`
	Bytes  int64   `json:"bytes"`
	Counts []Count `json:"counts"`
}

// Document is the JSON output.
type Document struct {
	SchemaVersion int    `json:"schema_version"`
	PricesAt      string `json:"prices_at"`
	Files         []File `json:"files"`
	// Total sums the files; its costs are the sum of one request per file.
	Total File `json:"total"`
}

func run(ctx context.Context, opts *Options) error {
	at, err := cmdutil.ParseTime(opts.At, false)
	if err != nil {
		return cmdutil.FlagErrorf("--at: %v", err)
	}
	if at.IsZero() {
		at = opts.Now()
	}
	cols, err := columns(opts, at)
	if err != nil {
		return err
	}
	paths, err := expand(opts.Paths)
	if err != nil {
		return err
	}
	counters := make([]tokenize.Counter, len(cols))
	for i, c := range cols {
		counters[i] = c.Counter
	}
	doc := Document{SchemaVersion: 1, PricesAt: at.UTC().Format(time.RFC3339), Total: File{Path: "total"}}
	totals := make([]int64, len(cols))
	totalCost := make([]decimal.Decimal, len(cols))
	for _, p := range paths {
		n, size, err := countFile(ctx, p, opts.IO.In, counters)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return &cmdutil.ExitError{Code: cmdutil.ExitInterrupted, Err: errors.New("interrupted")}
			}
			return err
		}
		f := File{Path: displayPath(p), Bytes: size}
		for i, c := range cols {
			cnt, cost := makeCount(c, n[i])
			f.Counts = append(f.Counts, cnt)
			totals[i] += n[i]
			totalCost[i] = totalCost[i].Add(cost)
			if cnt.OverContextWindow {
				if !opts.Quiet {
					fmt.Fprintf(opts.IO.ErrOut, "warning: %s: %d tokens exceed the context window of %s (%d)\n", f.Path, n[i], c.Name, c.Model.ContextWindow)
				}
			}
		}
		doc.Files = append(doc.Files, f)
		doc.Total.Bytes += size
	}
	for i, c := range cols {
		cnt, _ := makeCount(c, totals[i])
		// One request per file: the total cost sums the files' costs (each
		// in its own context band), not the cost of the summed tokens.
		if cnt.InputCost != nil {
			cnt.InputCost = &report.Money{Decimal: totalCost[i]}
		}
		cnt.LongContext, cnt.OverContextWindow = false, false
		doc.Total.Counts = append(doc.Total.Counts, cnt)
	}
	return render(opts, &doc, cols)
}

// columns resolves the models and encodings to counters and prices.
func columns(opts *Options, at time.Time) ([]column, error) {
	var cols []column
	if len(opts.Models) > 0 {
		cat, err := opts.Catalog()
		if err != nil {
			return nil, err
		}
		for _, name := range opts.Models {
			m, ok := cat.Resolve("", name)
			if !ok {
				return nil, fmt.Errorf("unknown model %q (see `llmcost pricing list`, or add it with --pricing-file)", name)
			}
			p := m.PriceAt(at)
			if p == nil {
				return nil, fmt.Errorf("model %q has no price on %s (see `llmcost pricing show %s`)", name, at.UTC().Format("2006-01-02"), m.ID)
			}
			c, err := tokenize.ForModel(m.Provider, m.ID)
			if errors.Is(err, tokenize.ErrUnknownModel) {
				return nil, fmt.Errorf("no tokenizer known for model %q (count it with --encoding o200k_base or cl100k_base instead)", name)
			}
			if err != nil {
				return nil, err
			}
			cols = append(cols, column{Name: name, Model: m, Price: p, Counter: c})
		}
	}
	for _, e := range opts.Encodings {
		c, err := tokenize.ForEncoding(e)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--encoding: %v", err)
		}
		cols = append(cols, column{Name: e, Counter: c})
	}
	return cols, nil
}

// makeCount builds the output of column c for n tokens and returns the cost
// as an exact decimal too.
func makeCount(c column, n int64) (Count, decimal.Decimal) {
	cnt := Count{Tokenizer: c.Counter.Name(), Tokens: n, Estimated: !c.Counter.Exact()}
	if est, ok := c.Counter.(*tokenize.Estimate); ok {
		cnt.ErrorBound = est.Bound
	}
	if c.Model == nil {
		return cnt, decimal.Zero
	}
	cnt.Model, cnt.Provider = c.Name, c.Model.Provider
	rate := c.Price.Base.Standard.Input
	if c.Price.LongContext != nil && c.Price.LongContextAbove > 0 && n > c.Price.LongContextAbove {
		rate = c.Price.LongContext.Standard.Input
		cnt.LongContext = true
	}
	// A model with a long-context band takes input beyond the window the
	// catalog lists for its standard band.
	cnt.OverContextWindow = c.Model.ContextWindow > 0 && n > c.Model.ContextWindow && !cnt.LongContext
	cost := rate.Mul(decimal.NewFromInt(n)).Div(decimal.NewFromInt(1_000_000))
	cnt.InputPer1M = &report.Money{Decimal: rate}
	cnt.InputCost = &report.Money{Decimal: cost}
	return cnt, cost
}

// expand turns the arguments into files: "-" is standard input and a
// pattern with *, ? or [ is globbed; directories are refused.
func expand(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		matches := []string{a}
		if a != "-" && strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, cmdutil.FlagErrorf("bad pattern %q: %v", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("%s: no files match", a)
			}
			matches = m
		}
		for _, m := range matches {
			if m == "-" {
				out = append(out, m)
				continue
			}
			st, err := os.Stat(m)
			if err != nil {
				return nil, fmt.Errorf("cannot read input: %w", err)
			}
			if st.IsDir() {
				return nil, fmt.Errorf("%s is a directory (give files, e.g. %s)", m, filepath.Join(m, "*.txt"))
			}
			out = append(out, m)
		}
	}
	return out, nil
}

func displayPath(p string) string {
	if p == "-" {
		return "<stdin>"
	}
	return p
}

// countFile counts one input with every counter in one pass and returns
// the counts and the number of (decompressed) bytes read.
func countFile(ctx context.Context, path string, stdin io.Reader, cs []tokenize.Counter) ([]int64, int64, error) {
	r, closeFn, err := open(path, stdin)
	if err != nil {
		return nil, 0, err
	}
	defer closeFn()
	cr := &countingReader{r: r}
	n, err := tokenize.CountReaderAll(ctx, cr, cs...)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, 0, err
		}
		return nil, 0, fmt.Errorf("%s: %w", displayPath(path), err)
	}
	return n, cr.n, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// open opens a file (or stdin) and undoes gzip or zstd compression,
// recognised by its magic bytes.
func open(path string, stdin io.Reader) (io.Reader, func() error, error) {
	var r io.Reader = stdin
	closeFn := func() error { return nil }
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot read input: %w", err)
		}
		r, closeFn = f, f.Close
	}
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeFn()
			return nil, nil, fmt.Errorf("%s: gzip: %w", displayPath(path), err)
		}
		return zr, func() error { zr.Close(); return closeFn() }, nil
	case bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			closeFn()
			return nil, nil, fmt.Errorf("%s: zstd: %w", displayPath(path), err)
		}
		return zr, func() error { zr.Close(); return closeFn() }, nil
	}
	return br, closeFn, nil
}

func render(opts *Options, doc *Document, cols []column) error {
	w := opts.IO.Out
	switch opts.Format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"section", "file", "bytes", "model", "provider", "tokenizer", "tokens", "estimated", "error_bound", "input_per_1m", "input_cost_usd", "long_context"})
		write := func(section string, f File) {
			for _, c := range f.Counts {
				_ = cw.Write([]string{section, f.Path, itoa(f.Bytes), c.Model, c.Provider, c.Tokenizer, itoa(c.Tokens),
					strconv.FormatBool(c.Estimated), strconv.FormatFloat(c.ErrorBound, 'f', -1, 64),
					money(c.InputPer1M), money(c.InputCost), strconv.FormatBool(c.LongContext)})
			}
		}
		for _, f := range doc.Files {
			write("file", f)
		}
		if len(doc.Files) > 1 {
			write("total", doc.Total)
		}
		cw.Flush()
		return cw.Error()
	}
	tty := opts.IO.IsStdoutTTY()
	header := []string{"file", "model", "tokenizer", "tokens", "input $/1M", "input cost"}
	var rows [][]string
	add := func(f File) {
		for _, c := range f.Counts {
			model, rate, cost := c.Model, "-", "-"
			if model == "" {
				model = "-"
			}
			tokens := formatTokens(c.Tokens, tty)
			if c.InputPer1M != nil {
				rate = c.InputPer1M.String()
				cost = usd(c.InputCost.Decimal)
				if c.LongContext {
					rate += " (long ctx)"
				}
			}
			if c.Estimated {
				tokens, cost = "~"+tokens, "~"+cost
			}
			rows = append(rows, []string{f.Path, model, c.Tokenizer, tokens, rate, cost})
		}
	}
	for _, f := range doc.Files {
		add(f)
	}
	if len(doc.Files) > 1 {
		add(doc.Total)
	}
	notes := legend(cols)
	if opts.Format == "markdown" {
		fmt.Fprintln(w, "| "+strings.Join(header, " | ")+" |")
		fmt.Fprintln(w, "|---|---|---|---:|---:|---:|")
		for _, r := range rows {
			for i := range r {
				r[i] = strings.ReplaceAll(r[i], "|", `\|`)
			}
			fmt.Fprintln(w, "| "+strings.Join(r, " | ")+" |")
		}
		if len(notes) > 0 {
			fmt.Fprintln(w)
			for _, n := range notes {
				fmt.Fprintln(w, "- "+n)
			}
		}
		return nil
	}
	if err := report.WriteTable(w, header, rows, 3); err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
	return nil
}

// legend explains each estimate in the output once.
func legend(cols []column) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cols {
		est, ok := c.Counter.(*tokenize.Estimate)
		if !ok || seen[est.Name()] {
			continue
		}
		seen[est.Name()] = true
		out = append(out, fmt.Sprintf("~ estimate: %s, error bound ±%.0f%% for English prose and code (see llmcost tokens --help)", est.Name(), est.Bound*100))
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func money(m *report.Money) string {
	if m == nil {
		return ""
	}
	return m.String()
}

// formatTokens groups thousands on a terminal ("12,345") and writes raw
// numbers otherwise.
func formatTokens(n int64, tty bool) string {
	s := itoa(n)
	if !tty || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// usd formats a cost for people: $12.34, with more decimals for amounts
// below a dollar and a cent so that small costs do not read as zero.
func usd(d decimal.Decimal) string {
	switch {
	case d.IsZero():
		return "$0.00"
	case d.LessThan(decimal.New(1, -2)):
		return "$" + d.StringFixed(6)
	case d.LessThan(decimal.NewFromInt(1)):
		return "$" + d.StringFixed(4)
	}
	return "$" + d.StringFixed(2)
}
