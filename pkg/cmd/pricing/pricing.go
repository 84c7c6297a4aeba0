// Package pricing implements `llmcost pricing list` and `llmcost pricing
// show`: browse the catalog the reports are priced with.
package pricing

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/report"
)

// NewCmdPricing builds `llmcost pricing` and its subcommands.
func NewCmdPricing(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pricing <command>",
		Short: "Browse the pricing catalog",
		Long: `Browse the catalog of model prices that reports are priced with. Prices are
USD per 1M tokens. The catalog is built into the binary; --pricing-file adds
or replaces models (same format as pricing-data/*.json, see its README).`,
	}
	cmd.AddCommand(newCmdList(f), newCmdShow(f))
	return cmd
}

// ListOptions are the inputs of `pricing list`.
type ListOptions struct {
	Provider string
	Model    string
	Format   string
	At       string
}

var listFormats = []string{"table", "json", "csv", "markdown"}

func newCmdList(f *cmdutil.Factory) *cobra.Command {
	opts := &ListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List models and their current prices",
		Long: `List catalog models with the prices in force now (or at --at): input,
cached-input read, 5-minute and 1-hour cache write, output, and batch input and
output, in USD per 1M tokens.

EXIT STATUS
  0  success
  1  error
  2  usage error`,
		Example: `  llmcost pricing list --provider anthropic
  llmcost pricing list --model 'gpt-5*' --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := path.Match(opts.Model, ""); err != nil {
				return cmdutil.FlagErrorf("--model: bad pattern %q", opts.Model)
			}
			at, err := cmdutil.ParseTime(opts.At, false)
			if err != nil {
				return cmdutil.FlagErrorf("--at: %v", err)
			}
			if at.IsZero() {
				at = f.Now()
			}
			cat, err := f.Catalog()
			if err != nil {
				return err
			}
			return list(f.IOStreams.Out, cat, opts, at)
		},
	}
	cmd.Flags().StringVar(&opts.Provider, "provider", "", "only this `<provider>` (openai, anthropic, gemini, vertex, mistral, deepseek, xai, bedrock, …)")
	cmd.Flags().StringVar(&opts.Model, "model", "", "only model ids matching this `<glob>`")
	cmd.Flags().StringVar(&opts.At, "at", "", "show prices in force at this `<date>` instead of now")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "table", listFormats, "output format")
	return cmd
}

type listRow struct {
	Provider      string  `json:"provider"`
	Model         string  `json:"model"`
	Input         *string `json:"input_per_1m"`
	CacheRead     *string `json:"cache_read_per_1m"`
	CacheWrite5m  *string `json:"cache_write_5m_per_1m"`
	CacheWrite1h  *string `json:"cache_write_1h_per_1m"`
	Output        *string `json:"output_per_1m"`
	BatchInput    *string `json:"batch_input_per_1m"`
	BatchOutput   *string `json:"batch_output_per_1m"`
	LongAbove     int64   `json:"long_context_above_tokens,omitempty"`
	ContextWindow int64   `json:"context_window,omitempty"`
	Deprecated    string  `json:"deprecated,omitempty"`
}

func ds(d decimal.Decimal) *string { s := d.String(); return &s }

func list(w io.Writer, cat *pricing.Catalog, opts *ListOptions, at time.Time) error {
	var rows []listRow
	for _, m := range cat.Models() {
		if opts.Provider != "" && !strings.EqualFold(m.Provider, opts.Provider) {
			continue
		}
		if opts.Model != "" {
			if ok, _ := path.Match(opts.Model, m.ID); !ok {
				continue
			}
		}
		r := listRow{Provider: m.Provider, Model: m.ID, ContextWindow: m.ContextWindow}
		if !m.Deprecated.IsZero() {
			r.Deprecated = m.Deprecated.Format("2006-01-02")
		}
		if p := m.PriceAt(at); p != nil {
			s := p.Base.Standard
			r.Input, r.CacheRead, r.CacheWrite5m, r.CacheWrite1h, r.Output = ds(s.Input), ds(s.CacheRead), ds(s.CacheWrite5m), ds(s.CacheWrite1h), ds(s.Output)
			if b := p.Base.Batch; b != nil {
				r.BatchInput, r.BatchOutput = ds(b.Input), ds(b.Output)
			}
			if p.LongContext != nil {
				r.LongAbove = p.LongContextAbove
			}
		}
		rows = append(rows, r)
	}
	if rows == nil {
		rows = []listRow{}
	}
	switch opts.Format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"schema_version": 1, "at": at.UTC().Format(time.RFC3339), "models": rows})
	}
	header := []string{"provider", "model", "input", "cache read", "write 5m", "write 1h", "output", "batch in", "batch out", "long ctx >", "deprecated"}
	var cells [][]string
	for _, r := range rows {
		long := ""
		if r.LongAbove > 0 {
			long = strconv.FormatInt(r.LongAbove, 10)
		}
		cells = append(cells, []string{r.Provider, r.Model, str(r.Input), str(r.CacheRead), str(r.CacheWrite5m), str(r.CacheWrite1h),
			str(r.Output), str(r.BatchInput), str(r.BatchOutput), long, r.Deprecated})
	}
	switch opts.Format {
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(header)
		_ = cw.WriteAll(cells)
		return cw.Error()
	case "markdown":
		fmt.Fprintln(w, "| "+strings.Join(header, " | ")+" |")
		fmt.Fprintln(w, "|---|---|"+strings.Repeat("---:|", len(header)-3)+"---|")
		for _, c := range cells {
			fmt.Fprintln(w, "| "+strings.Join(c, " | ")+" |")
		}
		return nil
	}
	fmt.Fprintf(w, "Prices in USD per 1M tokens, in force at %s.\n", at.UTC().Format("2006-01-02"))
	return report.WriteTable(w, header, cells, 2)
}

func str(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

func newCmdShow(f *cmdutil.Factory) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show <model>",
		Short: "Show every price of one model, with its history and tiers",
		Long: `Resolve a model id as logs spell it (dated ids, provider prefixes, Bedrock ids
and ARNs, -latest aliases) and show all its prices: each validity window, each
tier (standard, batch, flex, priority), the long-context band, and the prices of
calls made from particular AWS Regions (Bedrock).

EXIT STATUS
  0  success
  1  error, or the model is not in the catalog
  2  usage error`,
		Example: `  llmcost pricing show gpt-4o-2024-08-06
  llmcost pricing show us.anthropic.claude-sonnet-4-5-20250929-v1:0
  llmcost pricing show o3 --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := f.Catalog()
			if err != nil {
				return err
			}
			m, ok := cat.Resolve("", args[0])
			if !ok {
				return fmt.Errorf("unknown model %q (see `llmcost pricing list`, or add it with --pricing-file)", args[0])
			}
			return show(f.IOStreams.Out, m, format)
		},
	}
	cmdutil.StringEnumFlag(cmd, &format, "format", "", "table", []string{"table", "json"}, "output format")
	return cmd
}

func show(w io.Writer, m *pricing.Model, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(pricing.ToFile(m.Provider, []*pricing.Model{m}))
	}
	fmt.Fprintf(w, "%s (%s)", m.ID, m.Provider)
	if m.Name != "" {
		fmt.Fprintf(w, " · %s", m.Name)
	}
	fmt.Fprintln(w)
	if len(m.Aliases) > 0 {
		fmt.Fprintf(w, "aliases: %s\n", strings.Join(m.Aliases, ", "))
	}
	if m.ContextWindow > 0 {
		fmt.Fprintf(w, "context window: %d tokens\n", m.ContextWindow)
	}
	if !m.Deprecated.IsZero() {
		fmt.Fprintf(w, "deprecated: %s\n", m.Deprecated.Format("2006-01-02"))
	}
	for g, mult := range m.GeoMultiplier {
		fmt.Fprintf(w, "inference geography %s: ×%s\n", g, mult)
	}
	header := []string{"band", "tier", "input", "cache read", "write 5m", "write 1h", "output"}
	for _, p := range m.Prices {
		from, until := "launch", "now"
		if !p.From.IsZero() {
			from = p.From.Format("2006-01-02")
		}
		if !p.Until.IsZero() {
			until = p.Until.Format("2006-01-02")
		}
		fmt.Fprintf(w, "\nPrices from %s to %s (USD per 1M tokens)", from, until)
		if p.Source != "" {
			fmt.Fprintf(w, "; source: %s", p.Source)
		}
		fmt.Fprintln(w)
		var rows [][]string
		addBand := func(name string, b *pricing.Band) {
			for _, t := range []record.Tier{record.TierStandard, record.TierBatch, record.TierFlex, record.TierPriority} {
				r, ok := b.Tier(t)
				if !ok {
					continue
				}
				rows = append(rows, []string{name, t.String(), r.Input.String(), r.CacheRead.String(), r.CacheWrite5m.String(), r.CacheWrite1h.String(), r.Output.String()})
			}
		}
		base := "base"
		if p.DefaultRegion != "" {
			base += " (" + p.DefaultRegion + ")"
		}
		addBand(base, &p.Base)
		if p.LongContext != nil {
			addBand(fmt.Sprintf("input > %d", p.LongContextAbove), p.LongContext)
		}
		regions := make([]string, 0, len(p.Regions))
		for r := range p.Regions {
			regions = append(regions, r)
		}
		sort.Strings(regions)
		for _, r := range regions {
			rb := p.Regions[r]
			addBand(r, &rb.Base)
			if rb.LongContext != nil {
				addBand(fmt.Sprintf("%s, input > %d", r, p.LongContextAbove), rb.LongContext)
			}
		}
		if err := report.WriteTable(w, header, rows, 2); err != nil {
			return err
		}
		if len(regions) > 0 {
			fmt.Fprintln(w, "Calls are priced in the AWS Region they are made from; a Region not listed gets the base rates.")
		}
	}
	return nil
}
