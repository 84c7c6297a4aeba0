// Package compress implements `llmcost compress`: rewrite a prompt with
// deterministic, offline rules that keep its meaning, and show what it
// saves.
package compress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	pcompress "github.com/llmcost/llmcost/pkg/compress"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/report"
	"github.com/llmcost/llmcost/pkg/tokenize"
)

// DefaultModel counts and prices the prompt when --model is not given.
const DefaultModel = "gpt-4o"

// Formats lists the output formats: the rewritten prompt, or a JSON
// document that holds it.
var Formats = []string{"text", "json"}

// Options are the compress command's inputs.
type Options struct {
	// Quiet (--quiet) prints no stats unless --stats asks for them.
	Quiet   bool
	IO      *iostreams.IOStreams
	Catalog func() (*pricing.Catalog, error)
	Now     func() time.Time

	Path          string
	Level         string
	Model         string
	CallsPerMonth int64
	Format        string
	// Stats writes the diff and the summary to stderr even when it is not
	// a terminal.
	Stats bool
}

// NewCmdCompress builds the command; runF replaces the run function in
// tests.
func NewCmdCompress(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	// Defaults set before the flags are defined show up in --help.
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog, Now: f.Now, Level: "safe", Format: "text"}
	cmd := &cobra.Command{
		Use:   "compress [flags] {<file>|-}",
		Short: "Rewrite a prompt with fewer tokens, keeping its meaning",
		Long: `Rewrite a prompt (a file, or standard input with "-") with deterministic,
offline rules, and write the rewritten prompt, and only it, to standard
output, byte for byte: "llmcost compress p.txt > p.min.txt" just works.

On a terminal (or with --stats), standard error gets a unified diff and a
summary: tokens before and after for --model, the cost per call at the
model's input rate in force now, the saving per month for --calls-per-month
calls, and the tokens each rule saved. With --format json, standard output
gets one JSON document that holds the same figures and the rewritten prompt
(field "output").

Rules (--level safe runs the safe ones; aggressive runs all, in this order):

` + ruleTable() + `

Guarantees, checked after every rule (a rewrite that fails a check is
dropped): numbers, negation words (not, never, no, don't, without, unless,
…), fenced and inline code, quoted strings, template variables ({x}, {{x}},
{%…%}, ${X}, $VAR), <tags>, URLs, e-mail addresses and JSON keys and values
are kept, in order (JSON may lose whitespace only); only exact duplicates
are removed, and the first copy stays; the output never has more tokens than
the input; running compress on its own output changes nothing. Aggressive
rules leave example data (<example> blocks, "Input:/Output:" lines, sections
under an "Examples" heading) and sentences with a negation or a restriction
(only, unless, if, but, …) as they are. The text never leaves the machine.

Token counts are exact for OpenAI models and estimates for others (see
llmcost tokens --help).

EXIT STATUS
  0    success
  1    error: unreadable input, unknown model, or no tokenizer for the model
  2    usage error
  130  interrupted
  Any other code means failure.`,
		Example: `  llmcost compress testdata/compress/support-bot.md > support-bot.min.md
  llmcost compress --level aggressive --stats testdata/compress/support-bot.md
  llmcost compress --format json --model claude-sonnet-4-5 testdata/compress/extraction-invoice.md
  llmcost compress --level aggressive --calls-per-month 200000 --stats testdata/compress/rag-answer.xml.txt
  cat testdata/compress/few-shot-sentiment.txt | llmcost compress - > few-shot.min.txt`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.FlagErrorf("give one prompt file, or - for standard input")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path, opts.Quiet = args[0], f.Quiet
			if opts.CallsPerMonth < 0 {
				return cmdutil.FlagErrorf("--calls-per-month: must not be negative")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.StringEnumFlag(cmd, &opts.Level, "level", "l", "safe", pcompress.Levels, "which rules run")
	fl.StringVarP(&opts.Model, "model", "m", DefaultModel, "count tokens and price input for this `<model>`")
	fl.Int64Var(&opts.CallsPerMonth, "calls-per-month", 0, "show the monthly saving for this `<number>` of calls")
	fl.BoolVar(&opts.Stats, "stats", false, "write the diff and the summary to stderr even when it is not a terminal")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "text", Formats, "output format")
	return cmd
}

// ruleTable lists the rules for the help text, descriptions wrapped.
func ruleTable() string {
	var b strings.Builder
	for i, r := range pcompress.Rules(pcompress.Aggressive) {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "  %s (%s)\n", r.Name(), r.Level())
		line := "     "
		for _, w := range strings.Fields(r.Description()) {
			if len(line)+1+len(w) > 78 {
				b.WriteString(line + "\n")
				line = "     "
			}
			line += " " + w
		}
		b.WriteString(line)
	}
	return b.String()
}

// Rule is what one rule did, in the JSON document.
type Rule struct {
	Name  string `json:"name"`
	Level string `json:"level"`
	// Applied counts the edits the rule made.
	Applied int `json:"applied"`
	// TokensSaved is the drop in tokens the rule caused, measured after
	// the rules before it; the rules' savings add up to tokens_saved.
	TokensSaved int64 `json:"tokens_saved"`
}

// Document is the JSON output. Field names are part of the output
// contract (schema_version 1): fields may be added, existing ones keep
// their name, type and meaning.
type Document struct {
	SchemaVersion int    `json:"schema_version"`
	Kind          string `json:"kind"`
	Input         string `json:"input"`
	Level         string `json:"level"`
	Model         string `json:"model"`
	Provider      string `json:"provider"`
	Tokenizer     string `json:"tokenizer"`
	// Estimated is true when the tokenizer is an estimate (not OpenAI).
	Estimated    bool   `json:"estimated"`
	PricesAt     string `json:"prices_at"`
	BytesBefore  int    `json:"bytes_before"`
	BytesAfter   int    `json:"bytes_after"`
	TokensBefore int64  `json:"tokens_before"`
	TokensAfter  int64  `json:"tokens_after"`
	TokensSaved  int64  `json:"tokens_saved"`
	// SavedRatio is tokens_saved / tokens_before (0..1).
	SavedRatio float64 `json:"saved_ratio"`
	// InputPer1M is the input rate the costs use (USD per 1M tokens).
	InputPer1M        report.Money `json:"input_per_1m_usd"`
	CostPerCallBefore report.Money `json:"cost_per_call_before_usd"`
	CostPerCallAfter  report.Money `json:"cost_per_call_after_usd"`
	SavingPerCall     report.Money `json:"saving_per_call_usd"`
	// CallsPerMonth and MonthlySaving are present with --calls-per-month.
	CallsPerMonth *int64        `json:"calls_per_month,omitempty"`
	MonthlySaving *report.Money `json:"monthly_saving_usd,omitempty"`
	Rules         []Rule        `json:"rules"`
	// RemovedDuplicates counts the exact duplicates removed.
	RemovedDuplicates int `json:"removed_duplicates"`
	// Output is the rewritten prompt, exactly as --format text writes it.
	Output string `json:"output"`
}

func run(ctx context.Context, opts *Options) error {
	level, err := pcompress.ParseLevel(opts.Level)
	if err != nil {
		return cmdutil.FlagErrorf("--level: %v", err)
	}
	at := opts.Now()
	m, price, counter, err := resolve(opts, at)
	if err != nil {
		return err
	}
	in, err := readInput(opts.Path, opts.IO.In)
	if err != nil {
		return err
	}
	res, err := pcompress.Compress(ctx, string(in), pcompress.Options{Level: level, Counter: counter})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return &cmdutil.ExitError{Code: cmdutil.ExitInterrupted, Err: errors.New("interrupted")}
		}
		return err
	}
	doc := document(opts, level, m, price, counter, at, len(in), res)
	w := opts.IO.Out
	if opts.Format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			return err
		}
	} else if _, err := io.WriteString(w, res.Output); err != nil {
		return err
	}
	if opts.Stats || opts.Format == "text" && opts.IO.IsStderrTTY() && !opts.Quiet {
		return writeStats(opts.IO.ErrOut, string(in), doc)
	}
	return nil
}

// resolve finds the model, its price at at, and its tokenizer.
func resolve(opts *Options, at time.Time) (*pricing.Model, *pricing.Price, tokenize.Counter, error) {
	cat, err := opts.Catalog()
	if err != nil {
		return nil, nil, nil, err
	}
	m, ok := cat.Resolve("", opts.Model)
	if !ok {
		return nil, nil, nil, fmt.Errorf("unknown model %q (see `llmcost pricing list`, or add it with --pricing-file)", opts.Model)
	}
	p := m.PriceAt(at)
	if p == nil {
		return nil, nil, nil, fmt.Errorf("model %q has no price on %s (see `llmcost pricing show %s`)", opts.Model, at.UTC().Format("2006-01-02"), m.ID)
	}
	c, err := tokenize.ForModel(m.Provider, m.ID)
	if errors.Is(err, tokenize.ErrUnknownModel) {
		return nil, nil, nil, fmt.Errorf("no tokenizer known for model %q (pick another --model, e.g. %s)", opts.Model, DefaultModel)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return m, p, c, nil
}

func readInput(path string, stdin io.Reader) ([]byte, error) {
	if path == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("cannot read standard input: %w", err)
		}
		return b, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read input: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory (give one prompt file)", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read input: %w", err)
	}
	return b, nil
}

func displayPath(p string) string {
	if p == "-" {
		return "<stdin>"
	}
	return p
}

// inputRate is the model's standard input rate for a request of n input
// tokens: the long-context rate above the model's threshold.
func inputRate(p *pricing.Price, n int64) decimal.Decimal {
	if p.LongContext != nil && p.LongContextAbove > 0 && n > p.LongContextAbove {
		return p.LongContext.Standard.Input
	}
	return p.Base.Standard.Input
}

func perCall(p *pricing.Price, n int64) decimal.Decimal {
	return inputRate(p, n).Mul(decimal.NewFromInt(n)).Div(decimal.NewFromInt(1_000_000))
}

func document(opts *Options, level pcompress.Level, m *pricing.Model, p *pricing.Price, c tokenize.Counter,
	at time.Time, size int, res *pcompress.Result) *Document {
	before, after := int64(res.TokensBefore), int64(res.TokensAfter)
	costBefore, costAfter := perCall(p, before), perCall(p, after)
	doc := &Document{
		SchemaVersion:     1,
		Kind:              "compress",
		Input:             displayPath(opts.Path),
		Level:             level.String(),
		Model:             opts.Model,
		Provider:          m.Provider,
		Tokenizer:         c.Name(),
		Estimated:         !c.Exact(),
		PricesAt:          at.UTC().Format(time.RFC3339),
		BytesBefore:       size,
		BytesAfter:        len(res.Output),
		TokensBefore:      before,
		TokensAfter:       after,
		TokensSaved:       before - after,
		InputPer1M:        report.Money{Decimal: inputRate(p, before)},
		CostPerCallBefore: report.Money{Decimal: costBefore},
		CostPerCallAfter:  report.Money{Decimal: costAfter},
		SavingPerCall:     report.Money{Decimal: costBefore.Sub(costAfter)},
		RemovedDuplicates: len(res.Removed),
		Output:            res.Output,
		Rules:             []Rule{},
	}
	if before > 0 {
		doc.SavedRatio = float64(before-after) / float64(before)
	}
	if opts.CallsPerMonth > 0 {
		n := opts.CallsPerMonth
		monthly := report.Money{Decimal: doc.SavingPerCall.Mul(decimal.NewFromInt(n))}
		doc.CallsPerMonth, doc.MonthlySaving = &n, &monthly
	}
	for _, r := range res.Rules {
		doc.Rules = append(doc.Rules, Rule{Name: r.Name, Level: r.Level.String(), Applied: r.Applied, TokensSaved: int64(r.TokensSaved)})
	}
	return doc
}

// writeStats writes the diff and the summary tables.
func writeStats(w io.Writer, in string, doc *Document) error {
	writeUnified(w, doc.Input, doc.Input+" (compressed, "+doc.Level+")", in, doc.Output)
	if in != doc.Output {
		fmt.Fprintln(w)
	}
	est := ""
	if doc.Estimated {
		est = "~"
	}
	tokenizer := doc.Tokenizer
	if doc.Estimated {
		tokenizer += ", estimate"
	}
	fmt.Fprintf(w, "%s: level %s, %s (%s), input $%s per 1M tokens\n", doc.Input, doc.Level, doc.Model, tokenizer, doc.InputPer1M.String())
	rows := [][]string{
		{"tokens", est + itoa(doc.TokensBefore), est + itoa(doc.TokensAfter), fmt.Sprintf("%s%d (%.1f%%)", est, doc.TokensSaved, doc.SavedRatio*100)},
		{"bytes", itoa(int64(doc.BytesBefore)), itoa(int64(doc.BytesAfter)), itoa(int64(doc.BytesBefore - doc.BytesAfter))},
		{"cost per call", est + usd(doc.CostPerCallBefore.Decimal), est + usd(doc.CostPerCallAfter.Decimal), est + usd(doc.SavingPerCall.Decimal)},
	}
	if doc.CallsPerMonth != nil {
		n := decimal.NewFromInt(*doc.CallsPerMonth)
		rows = append(rows, []string{"per month (" + itoa(*doc.CallsPerMonth) + " calls)",
			est + usd(doc.CostPerCallBefore.Mul(n)), est + usd(doc.CostPerCallAfter.Mul(n)), est + usd(doc.MonthlySaving.Decimal)})
	}
	if err := report.WriteTable(w, []string{"", "before", "after", "saved"}, rows, 1); err != nil {
		return err
	}
	rows = rows[:0]
	for _, r := range doc.Rules {
		rows = append(rows, []string{r.Name, r.Level, itoa(int64(r.Applied)), est + itoa(r.TokensSaved)})
	}
	return report.WriteTable(w, []string{"rule", "level", "edits", "tokens saved"}, rows, 2)
}

func itoa(n int64) string { return fmt.Sprint(n) }

// usd formats a cost for people: $12.34, with more decimals below a
// dollar and a cent so that small costs do not read as zero.
func usd(d decimal.Decimal) string {
	switch {
	case d.IsZero():
		return "$0.00"
	case d.Abs().LessThan(decimal.New(1, -2)):
		return "$" + d.StringFixed(6)
	case d.Abs().LessThan(decimal.NewFromInt(1)):
		return "$" + d.StringFixed(4)
	}
	return "$" + d.StringFixed(2)
}
