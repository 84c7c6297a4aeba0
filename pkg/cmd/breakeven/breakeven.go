// Package breakeven implements `llmcost breakeven`: at what monthly volume
// does running an open-weight model yourself cost less than buying it per
// token from an API provider.
package breakeven

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/gpu"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/pricing"
)

// Options are the inputs of `llmcost breakeven`.
type Options struct {
	IO      *iostreams.IOStreams
	Catalog func() (*pricing.Catalog, error)
	GPUData func() (*gpu.Data, error)
	Now     func() time.Time

	Model        string
	Providers    []string
	Instances    []string
	Precisions   []string
	InputTokens  int
	OutputTokens int
	Utilization  float64
	PeakFactor   float64
	// LatencyTarget is the time per output token ("50ms"; "0" for none).
	LatencyTarget string
	Discount      string
	Hours         float64
	PricePerHour  string
	OpsCost       string
	Volumes       []string
	KVCache       string
	Format        string
	OutFile       string
	// Quiet (--quiet) prints no warnings.
	Quiet bool
}

// Formats are the output formats.
var Formats = []string{"table", "json", "csv", "markdown", "html"}

// DefaultVolumes are the monthly volumes of the table.
var DefaultVolumes = []string{"10M", "100M", "1B", "10B", "100B"}

// NewCmdBreakeven builds the command; runF replaces the run function in
// tests.
func NewCmdBreakeven(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog, GPUData: gpu.Default, Now: f.Now}
	def := gpu.DefaultSizing()
	cmd := &cobra.Command{
		Use:   "breakeven --model <model> [flags]",
		Short: "At what monthly volume does self-hosting an open model beat its API price",
		Long: `Compare buying an open-weight model per token from the API providers that
sell it (Bedrock, Vertex, Together, Groq, DeepInfra, Fireworks, … as the
pricing catalog has them) with running it on cloud GPU instances, for monthly
volumes from 10M to 100B tokens (input + output, in the request mix of
--input-tokens and --output-tokens).

For every instance and precision (bf16, fp8, int8, int4) the model checks
that weights, runtime buffers and the KV cache fit the GPUs' memory across a
tensor-parallel group, then estimates throughput with a roofline model
calibrated against published measurements (TensorRT-LLM and NIM tables, see
` + "`llmcost gpu fit`" + ` and the README): decode is bandwidth-bound at small batch
and compute-bound at large batch, prefill is compute-bound, tensor
parallelism pays for its all-reduces, and the batch is capped by the KV
cache and by the latency target (time per output token). Each option is the
best tensor-parallel layout on that instance, with replicas filling it.

The fleet is sized in whole instances for the peak hour (--peak-factor × the
mean hour, run at --utilization of the modelled throughput) and billed for
--hours a day at the on-demand list price less --discount, plus --ops-cost a
month. The table shows the API offer of each provider (its cheapest id for
the model) and the self-hosted options that are cheapest at some volume:
the cheapest instance that fits, and those cheaper per token at scale. The
break-even table gives, for each self-hosted option and API provider, the
smallest monthly volume from which self-hosting costs no more.

Models: ` + strings.Join(gpu.Aliases(), ", ") + `.

EXIT STATUS
  0  success
  1  error
  2  usage error (unknown model, provider, instance or precision; bad values)`,
		Example: `  llmcost breakeven --model llama-70b
  llmcost breakeven --model llama-3.1-70b --provider aws,bedrock
  llmcost breakeven --model llama-3.1-70b --provider aws,bedrock --format html --out-file breakeven.html
  llmcost breakeven --model llama-70b --input-tokens 4000 --output-tokens 500 --latency-target 100ms
  llmcost breakeven --model gpt-oss-120b --discount 40% --hours 12 --ops-cost 15000
  llmcost breakeven --model llama-8b --instance g6e.xlarge --price-per-hour 1.20 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Model == "" {
				return cmdutil.FlagErrorf("--model is required (one of %s)", strings.Join(gpu.Aliases(), ", "))
			}
			if opts.InputTokens < 0 || opts.OutputTokens < 1 {
				return cmdutil.FlagErrorf("--input-tokens must be at least 0 and --output-tokens at least 1")
			}
			if opts.PricePerHour != "" && len(opts.Instances) != 1 {
				return cmdutil.FlagErrorf("--price-per-hour needs exactly one --instance")
			}
			opts.Quiet = f.Quiet
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return breakevenRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Model, "model", "", "open model `<alias>` (llama-70b, llama-8b, gpt-oss-120b, …)")
	fl.StringSliceVar(&opts.Providers, "provider", nil, "only these `<providers>`: GPU clouds (aws, gcp, azure, lambda, runpod) and/or API providers (bedrock, together, groq, …)")
	fl.StringSliceVar(&opts.Instances, "instance", nil, "only these `<instances>` (see llmcost gpu instances)")
	fl.StringSliceVar(&opts.Precisions, "precision", nil, "only these weight `<precisions>`: bf16, fp8, int8, int4")
	fl.IntVar(&opts.InputTokens, "input-tokens", 1000, "input `<tokens>` per request")
	fl.IntVar(&opts.OutputTokens, "output-tokens", 1000, "output `<tokens>` per request")
	fl.Float64Var(&opts.Utilization, "utilization", def.Utilization, "share of modelled throughput an instance runs at in the peak hour")
	fl.Float64Var(&opts.PeakFactor, "peak-factor", def.PeakFactor, "peak-hour traffic ÷ mean-hour traffic; the fleet is sized for the peak")
	fl.StringVar(&opts.LatencyTarget, "latency-target", "50ms", "longest time per output token (`<duration>`, 0 for none)")
	fl.StringVar(&opts.Discount, "discount", "0", "discount on the hourly price (savings plan, reservation, spot): `<share>` as 30% or 0.3")
	fl.Float64Var(&opts.Hours, "hours", def.HoursPerDay, "`<hours>` a day the instances run and are billed (traffic arrives in those hours)")
	fl.StringVar(&opts.PricePerHour, "price-per-hour", "", "replace the --instance's on-demand price with this `<usd>` per hour")
	fl.StringVar(&opts.OpsCost, "ops-cost", "0", "monthly `<usd>` of engineering and on-call time, added to every self-hosted option")
	fl.StringSliceVar(&opts.Volumes, "volumes", DefaultVolumes, "monthly `<volumes>` (input + output tokens) of the table")
	cmdutil.StringEnumFlag(cmd, &opts.KVCache, "kv-cache", "", string(gpu.KVAuto), []string{"auto", "bf16", "fp8"}, "KV cache format (auto: fp8 with fp8 weights on GPUs with FP8)")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "table", Formats, "output format")
	fl.StringVarP(&opts.OutFile, "out-file", "o", "", "write to `<file>` instead of standard output")
	return cmd
}

// settings are the parsed flag values.
type settings struct {
	model     gpu.OpenModel
	spec      *gpu.Model
	workload  gpu.Workload
	sizing    gpu.Sizing
	override  *decimal.Decimal
	volumes   []float64
	clouds    map[string]bool // nil: all
	apis      map[string]bool // nil: all
	instances []*gpu.Instance // nil: all
	precs     []gpu.Precision
}

func parse(opts *Options, data *gpu.Data, cat *pricing.Catalog) (*settings, error) {
	s := &settings{}
	om, ok := gpu.LookupOpenModel(opts.Model)
	if !ok {
		return nil, cmdutil.FlagErrorf("--model: unknown model %q (known: %s)", opts.Model, strings.Join(gpu.Aliases(), ", "))
	}
	s.model = om
	if s.spec = data.Model(om.Spec); s.spec == nil {
		return nil, fmt.Errorf("model %s: no row %s in model-specs.csv", om.Alias, om.Spec)
	}
	tpot, err := ParseLatency(opts.LatencyTarget)
	if err != nil {
		return nil, cmdutil.FlagErrorf("--latency-target: %v", err)
	}
	s.workload = gpu.Workload{InputTokens: opts.InputTokens, OutputTokens: opts.OutputTokens, TPOTTarget: tpot, KVCache: gpu.KVCache(opts.KVCache)}
	switch {
	case !(opts.Utilization > 0 && opts.Utilization <= 1):
		return nil, cmdutil.FlagErrorf("--utilization %g: want more than 0 and at most 1", opts.Utilization)
	case !(opts.PeakFactor >= 1):
		return nil, cmdutil.FlagErrorf("--peak-factor %g: want at least 1 (the peak hour is never below the mean)", opts.PeakFactor)
	case !(opts.Hours > 0 && opts.Hours <= 24):
		return nil, cmdutil.FlagErrorf("--hours %g: want more than 0 and at most 24 hours a day", opts.Hours)
	}
	s.sizing = gpu.Sizing{HoursPerDay: opts.Hours, PeakFactor: opts.PeakFactor, Utilization: opts.Utilization}
	if s.sizing.Discount, err = gpu.ParseFraction(opts.Discount); err != nil {
		return nil, cmdutil.FlagErrorf("--discount: %v", err)
	}
	if s.sizing.OpsMonthlyUSD, err = decimal.NewFromString(strings.TrimPrefix(strings.TrimSpace(opts.OpsCost), "$")); err != nil {
		return nil, cmdutil.FlagErrorf("--ops-cost: invalid amount %q", opts.OpsCost)
	}
	if s.sizing.Discount.IsNegative() || s.sizing.Discount.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return nil, cmdutil.FlagErrorf("--discount %s: want at least 0%% and below 100%%", opts.Discount)
	}
	if s.sizing.OpsMonthlyUSD.IsNegative() {
		return nil, cmdutil.FlagErrorf("--ops-cost %s: must not be negative", opts.OpsCost)
	}
	if err := s.sizing.Validate(); err != nil {
		return nil, cmdutil.FlagErrorf("%v", err)
	}
	if opts.PricePerHour != "" {
		d, err := decimal.NewFromString(strings.TrimPrefix(strings.TrimSpace(opts.PricePerHour), "$"))
		if err != nil || !d.IsPositive() {
			return nil, cmdutil.FlagErrorf("--price-per-hour: invalid amount %q", opts.PricePerHour)
		}
		s.override = &d
	}
	for _, v := range opts.Volumes {
		t, err := gpu.ParseTokens(v)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--volumes: %v", err)
		}
		s.volumes = append(s.volumes, t)
	}
	sort.Float64s(s.volumes)
	if len(s.volumes) == 0 {
		return nil, cmdutil.FlagErrorf("--volumes: give at least one volume")
	}
	if s.clouds, s.apis, err = SplitProviders(opts.Providers, data, cat); err != nil {
		return nil, cmdutil.FlagErrorf("--provider: %v", err)
	}
	for _, name := range opts.Instances {
		in := data.Instance(name)
		if in == nil {
			return nil, cmdutil.FlagErrorf("--instance: unknown instance %q (see llmcost gpu instances)", name)
		}
		s.instances = append(s.instances, in)
	}
	if s.precs, err = ParsePrecisions(opts.Precisions); err != nil {
		return nil, cmdutil.FlagErrorf("--precision: %v", err)
	}
	return s, nil
}

// ParseLatency parses a time per output token: a duration ("50ms",
// "0.1s"), a bare number of milliseconds, or 0/"none" for no target.
func ParseLatency(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" || t == "0" || strings.EqualFold(t, "none") {
		return 0, nil
	}
	if d, err := time.ParseDuration(t); err == nil {
		if d < 0 {
			return 0, fmt.Errorf("negative duration %q", s)
		}
		return d, nil
	}
	ms, err := strconv.ParseFloat(t, 64)
	if err != nil || ms < 0 {
		return 0, fmt.Errorf("invalid duration %q (use 50ms, 0.1s, or 0 for none)", s)
	}
	return time.Duration(ms * float64(time.Millisecond)), nil
}

// ParsePrecisions parses --precision values (all precisions when empty).
func ParsePrecisions(vals []string) ([]gpu.Precision, error) {
	if len(vals) == 0 {
		return gpu.Precisions, nil
	}
	var out []gpu.Precision
	for _, v := range vals {
		p, err := gpu.ParsePrecision(v)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// SplitProviders sorts --provider values into GPU clouds and API
// providers; a nil map means no filter of that kind.
func SplitProviders(vals []string, data *gpu.Data, cat *pricing.Catalog) (clouds, apis map[string]bool, err error) {
	cloudSet := map[string]bool{}
	for _, p := range data.Providers() {
		cloudSet[p] = true
	}
	apiSet := map[string]bool{}
	if cat != nil {
		for _, m := range cat.Models() {
			apiSet[m.Provider] = true
		}
	}
	for _, v := range vals {
		v = strings.ToLower(strings.TrimSpace(v))
		switch {
		case v == "":
		case cloudSet[v]:
			if clouds == nil {
				clouds = map[string]bool{}
			}
			clouds[v] = true
		case apiSet[v]:
			if apis == nil {
				apis = map[string]bool{}
			}
			apis[v] = true
		default:
			known := "GPU clouds: " + strings.Join(sortedSet(cloudSet), ", ")
			if len(apiSet) > 0 {
				known += "; API providers: " + strings.Join(sortedSet(apiSet), ", ")
			}
			return nil, nil, fmt.Errorf("unknown provider %q (%s)", v, known)
		}
	}
	return clouds, apis, nil
}

func sortedSet(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func breakevenRun(_ context.Context, opts *Options) error {
	data, err := opts.GPUData()
	if err != nil {
		return fmt.Errorf("load GPU data: %w", err)
	}
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	s, err := parse(opts, data, cat)
	if err != nil {
		return err
	}
	doc, warnings := Compute(data, cat, s, opts.Now())
	for _, w := range warnings {
		if !opts.Quiet {
			fmt.Fprintln(opts.IO.ErrOut, "warning: "+w)
		}
	}
	out := opts.IO.Out
	if opts.OutFile != "" {
		f, err := os.Create(opts.OutFile)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	if err := Render(out, doc, opts.Format); err != nil {
		return err
	}
	if c, ok := out.(io.Closer); ok && opts.OutFile != "" {
		return c.Close()
	}
	return nil
}
