// Package gpu implements `llmcost gpu fit` and `llmcost gpu instances`:
// the working behind `llmcost breakeven` — which instances can hold an
// open model at which precision, and how fast they serve it.
package gpu

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmd/breakeven"
	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/gpu"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/report"
)

// NewCmdGPU builds `llmcost gpu` and its subcommands.
func NewCmdGPU(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gpu <command>",
		Short: "GPU instances and whether an open model fits them",
		Long: `The data and the model behind llmcost breakeven: cloud GPU instances with
their prices, and for an open-weight model which instances can hold it at
which precision and how many tokens per second they serve.`,
	}
	cmd.AddCommand(newCmdFit(f, nil), newCmdInstances(f, nil))
	return cmd
}

// Formats are the output formats of both subcommands.
var Formats = []string{"table", "json", "csv", "markdown"}

// FitOptions are the inputs of `gpu fit`.
type FitOptions struct {
	IO      *iostreams.IOStreams
	GPUData func() (*gpu.Data, error)

	Model         string
	Instances     []string
	Providers     []string
	Precisions    []string
	InputTokens   int
	OutputTokens  int
	LatencyTarget string
	KVCache       string
	Rate          float64
	Format        string
	OutFile       string
}

func newCmdFit(f *cmdutil.Factory, runF func(context.Context, *FitOptions) error) *cobra.Command {
	opts := &FitOptions{IO: f.IOStreams, GPUData: gpu.Default}
	cmd := &cobra.Command{
		Use:   "fit --model <model> [--instance <instance>] [flags]",
		Short: "Which instances hold an open model, at which precision, and how fast",
		Long: `For an open-weight model, check each instance (or the --instance ones) at
each weight precision: do the weights (all experts of a mixture of experts,
embeddings in BF16), the runtime buffers and the KV cache of at least one
request of --input-tokens + --output-tokens fit the usable memory (90% of
each GPU) across a tensor-parallel group, and does one token take less than
--latency-target? If not, it says why. If so, it gives the tensor-parallel
layout, the largest batch the KV cache, the engine (256 requests) and the
latency target allow, the time per output token and the tokens per second.

Without --instance each instance shows its best precision (lowest cost per
token at full load); with --instance every precision is shown, with the
split of a decode step into weights GEMMs, attention, communication and
overhead. The cost per 1M tokens here assumes the instance is busy all the
time; llmcost breakeven sizes a fleet for a peak hour instead.

With --rate (requests per second at peak) the instances needed at full load
are shown.

EXIT STATUS
  0  success
  1  error
  2  usage error`,
		Example: `  llmcost gpu fit --model llama-70b --instance g5.12xlarge
  llmcost gpu fit --model llama-70b --provider aws
  llmcost gpu fit --model deepseek-v3 --precision fp8 --format json
  llmcost gpu fit --model llama-8b --instance g6e.xlarge --rate 20 --latency-target 0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Model == "" {
				return cmdutil.FlagErrorf("--model is required (one of %s, or a model-specs.csv name)", strings.Join(gpu.Aliases(), ", "))
			}
			if opts.InputTokens < 0 || opts.OutputTokens < 1 {
				return cmdutil.FlagErrorf("--input-tokens must be at least 0 and --output-tokens at least 1")
			}
			if opts.Rate < 0 {
				return cmdutil.FlagErrorf("--rate must not be negative")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runFit(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Model, "model", "", "open model `<alias>` or model-specs.csv name (llama-70b, Llama-3.1-8B, …)")
	fl.StringSliceVar(&opts.Instances, "instance", nil, "only these `<instances>`, every precision shown")
	fl.StringSliceVar(&opts.Providers, "provider", nil, "only instances of these GPU clouds `<providers>` (aws, gcp, azure, lambda, runpod)")
	fl.StringSliceVar(&opts.Precisions, "precision", nil, "only these weight `<precisions>`: bf16, fp8, int8, int4")
	fl.IntVar(&opts.InputTokens, "input-tokens", 1000, "input `<tokens>` per request")
	fl.IntVar(&opts.OutputTokens, "output-tokens", 1000, "output `<tokens>` per request")
	fl.StringVar(&opts.LatencyTarget, "latency-target", "50ms", "longest time per output token (`<duration>`, 0 for none)")
	cmdutil.StringEnumFlag(cmd, &opts.KVCache, "kv-cache", "", string(gpu.KVAuto), []string{"auto", "bf16", "fp8"}, "KV cache format (auto: fp8 with fp8 weights on GPUs with FP8)")
	fl.Float64Var(&opts.Rate, "rate", 0, "peak `<requests>` per second to size for (instances needed at full load)")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "table", Formats, "output format")
	fl.StringVarP(&opts.OutFile, "out-file", "o", "", "write to `<file>` instead of standard output")
	return cmd
}

// FitDoc is `gpu fit --format json`: schema_version 1, fields may be
// added, existing ones keep their meaning.
type FitDoc struct {
	SchemaVersion int      `json:"schema_version"`
	Kind          string   `json:"kind"`
	Model         FitModel `json:"model"`
	Workload      struct {
		InputTokens     int     `json:"input_tokens"`
		OutputTokens    int     `json:"output_tokens"`
		LatencyTargetMs float64 `json:"latency_target_ms"`
		KVCache         string  `json:"kv_cache"`
		RatePerSecond   float64 `json:"rate_per_second,omitempty"`
	} `json:"workload"`
	Rows []FitRow `json:"rows"`
}

// FitModel is the model's architecture as the memory model sees it.
type FitModel struct {
	Name          string          `json:"name"`
	Spec          string          `json:"spec"`
	ParamsB       float64         `json:"params_b"`
	ActiveParamsB float64         `json:"active_params_b"`
	KVPerToken    KVBytesPerToken `json:"kv_bytes_per_token"`
	Attention     string          `json:"attention"`
	Source        string          `json:"source"`
}

// KVBytesPerToken is the KV cache of one token, all layers, by format.
type KVBytesPerToken struct {
	BF16 float64 `json:"bf16"`
	FP8  float64 `json:"fp8"`
}

// FitRow is one instance × precision.
type FitRow struct {
	Provider         string   `json:"provider"`
	Instance         string   `json:"instance"`
	GPU              string   `json:"gpu"`
	GPUCount         int      `json:"gpu_count"`
	Precision        string   `json:"precision"`
	Fits             bool     `json:"fits"`
	Reasons          []string `json:"reasons"`
	Notes            []string `json:"notes"`
	KVCache          string   `json:"kv_cache"`
	TP               int      `json:"tensor_parallel"`
	Replicas         int      `json:"replicas"`
	UsableGiBPerGPU  float64  `json:"usable_gib_per_gpu"`
	WeightsGiBPerGPU float64  `json:"weights_gib_per_gpu"`
	RuntimeGiBPerGPU float64  `json:"runtime_gib_per_gpu"`
	KVFreeGiBPerGPU  float64  `json:"kv_free_gib_per_gpu"`
	MaxRequests      int      `json:"max_requests_per_replica"`
	Batch            int      `json:"batch_per_replica"`
	TPOTMs           float64  `json:"tpot_ms"`
	GEMMMs           float64  `json:"gemm_ms"`
	AttentionMs      float64  `json:"attention_ms"`
	CommMs           float64  `json:"comm_ms"`
	OverheadMs       float64  `json:"overhead_ms"`
	Bound            string   `json:"bound"`
	LimitedBy        string   `json:"limited_by"`
	TokensPerSecond  float64  `json:"tokens_per_second"`
	OutputPerSecond  float64  `json:"output_tokens_per_second"`
	RequestsPerSec   float64  `json:"requests_per_second"`
	HourlyUSD        string   `json:"hourly_usd"`
	PerMillionFull   string   `json:"per_1m_usd_at_full_load"`
	InstancesForRate int      `json:"instances_for_rate,omitempty"`
	PriceDate        string   `json:"price_date"`
	PriceSource      string   `json:"price_source"`
}

func lookupModel(data *gpu.Data, name string) (*gpu.Model, string, error) {
	if om, ok := gpu.LookupOpenModel(name); ok {
		m := data.Model(om.Spec)
		if m == nil {
			return nil, "", fmt.Errorf("model %s: no row %s in model-specs.csv", om.Alias, om.Spec)
		}
		return m, om.Display, nil
	}
	if m := data.Model(name); m != nil {
		return m, m.Name, nil
	}
	var specs []string
	for _, m := range data.Models {
		specs = append(specs, m.Name)
	}
	return nil, "", cmdutil.FlagErrorf("--model: unknown model %q (aliases: %s; specs: %s)", name, strings.Join(gpu.Aliases(), ", "), strings.Join(specs, ", "))
}

func runFit(opts *FitOptions) error {
	data, err := opts.GPUData()
	if err != nil {
		return fmt.Errorf("load GPU data: %w", err)
	}
	m, display, err := lookupModel(data, opts.Model)
	if err != nil {
		return err
	}
	tpot, err := breakeven.ParseLatency(opts.LatencyTarget)
	if err != nil {
		return cmdutil.FlagErrorf("--latency-target: %v", err)
	}
	precs, err := breakeven.ParsePrecisions(opts.Precisions)
	if err != nil {
		return cmdutil.FlagErrorf("--precision: %v", err)
	}
	clouds, _, err := breakeven.SplitProviders(opts.Providers, data, nil)
	if err != nil {
		return cmdutil.FlagErrorf("--provider: %v", err)
	}
	var instances []*gpu.Instance
	for _, name := range opts.Instances {
		in := data.Instance(name)
		if in == nil {
			return cmdutil.FlagErrorf("--instance: unknown instance %q (see llmcost gpu instances)", name)
		}
		instances = append(instances, in)
	}
	named := instances != nil
	if !named {
		instances = data.Instances
	}
	w := gpu.Workload{InputTokens: opts.InputTokens, OutputTokens: opts.OutputTokens, TPOTTarget: tpot, KVCache: gpu.KVCache(opts.KVCache)}
	doc := &FitDoc{SchemaVersion: 1, Kind: "gpu_fit", Rows: []FitRow{}}
	doc.Model = FitModel{Name: display, Spec: m.Name, ParamsB: m.ParamsB, ActiveParamsB: m.ActiveParamsB,
		KVPerToken: KVBytesPerToken{BF16: m.KVBytesPerToken(gpu.KVBF16), FP8: m.KVBytesPerToken(gpu.KVFP8)},
		Attention:  attention(m), Source: m.Source}
	doc.Workload.InputTokens, doc.Workload.OutputTokens = w.InputTokens, w.OutputTokens
	doc.Workload.LatencyTargetMs = float64(tpot) / float64(time.Millisecond)
	doc.Workload.KVCache = opts.KVCache
	doc.Workload.RatePerSecond = opts.Rate
	prm := gpu.DefaultParams()
	for _, in := range instances {
		if clouds != nil && !clouds[in.Provider] {
			continue
		}
		var rows []FitRow
		for _, p := range precs {
			rows = append(rows, fitRow(data.Evaluate(m, in, p, w, prm), opts.Rate))
		}
		if named {
			doc.Rows = append(doc.Rows, rows...)
			continue
		}
		doc.Rows = append(doc.Rows, bestRow(rows))
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
	if err := renderFit(out, doc, opts.Format, named); err != nil {
		return err
	}
	if c, ok := out.(io.Closer); ok && opts.OutFile != "" {
		return c.Close()
	}
	return nil
}

func attention(m *gpu.Model) string {
	s := fmt.Sprintf("GQA, %d query heads, %d KV heads of %d", m.Heads, m.KVHeads, m.HeadDim)
	if m.Arch.MLA != nil {
		s = fmt.Sprintf("MLA, latent %d + rotary %d per token and layer", m.Arch.MLA.KVLoraRank, m.Arch.MLA.RopeDim)
	}
	if m.Arch.SlidingLayers > 0 {
		s += fmt.Sprintf("; %d of %d layers slide over %d tokens", m.Arch.SlidingLayers, m.Layers, m.Arch.SlidingWindow)
	}
	if m.IsMoE() {
		s += fmt.Sprintf("; mixture of experts, %d of %d experts per token", m.Arch.ExpertsPerToken, m.Arch.Experts)
	}
	return s
}

// bestRow is the fitting row with the lowest cost per token, else the
// row of the narrowest precision (its reasons say the least is missing).
func bestRow(rows []FitRow) FitRow {
	best := -1
	for i, r := range rows {
		if !r.Fits {
			continue
		}
		if best < 0 || perMillion(r) < perMillion(rows[best]) {
			best = i
		}
	}
	if best >= 0 {
		return rows[best]
	}
	return rows[len(rows)-1]
}

func perMillion(r FitRow) float64 {
	v, err := strconv.ParseFloat(r.PerMillionFull, 64)
	if err != nil {
		return math.Inf(1)
	}
	return v
}

func fitRow(pl gpu.Plan, rate float64) FitRow {
	in := pl.Instance
	r := FitRow{Provider: in.Provider, Instance: in.Name, GPU: in.GPU, GPUCount: in.GPUCount, Precision: string(pl.Precision),
		Fits: pl.Fits, Reasons: append([]string{}, pl.Reasons...), Notes: append([]string{}, pl.Notes...),
		KVCache: string(pl.KVCache), TP: pl.TP, Replicas: pl.Replicas, HourlyUSD: in.HourlyUSD.String(),
		PriceDate: in.PriceDate.Format("2006-01-02"), PriceSource: in.Source}
	mem := pl.Memory
	r.UsableGiBPerGPU, r.WeightsGiBPerGPU, r.RuntimeGiBPerGPU = round2(mem.Usable), round2(mem.Weights), round2(mem.Runtime)
	r.KVFreeGiBPerGPU, r.MaxRequests = round2(mem.KVFree), mem.MaxRequests
	if !pl.Fits {
		return r
	}
	pf := pl.Perf
	ms := func(d time.Duration) float64 { return round2(float64(d) / float64(time.Millisecond)) }
	r.Batch, r.TPOTMs, r.GEMMMs, r.AttentionMs, r.CommMs, r.OverheadMs = pf.Batch, ms(pf.TPOT), ms(pf.GEMMTime), ms(pf.AttnTime), ms(pf.CommTime), ms(pf.Overhead)
	r.Bound, r.LimitedBy = pf.Bound, pf.LimitedBy
	r.TokensPerSecond, r.OutputPerSecond, r.RequestsPerSec = round1(pf.TotalTokS), round1(pf.OutputTokS), round2(pf.ReqPerS)
	hourly, _ := in.HourlyUSD.Float64()
	r.PerMillionFull = strconv.FormatFloat(hourly/(pf.TotalTokS*3600)*1e6, 'f', 4, 64)
	if rate > 0 && pf.ReqPerS > 0 {
		r.InstancesForRate = int(math.Max(1, math.Ceil(rate/pf.ReqPerS-1e-9)))
	}
	return r
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round2(x float64) float64 { return math.Round(x*100) / 100 }

func renderFit(w io.Writer, doc *FitDoc, format string, detail bool) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(doc)
	}
	header := []string{"provider", "instance", "gpus", "precision", "fits", "layout", "weights GiB/GPU", "KV free GiB/GPU", "batch", "ms/token", "tokens/s", "limited by", "$/h", "$/1M full load"}
	if doc.Workload.RatePerSecond > 0 {
		header = append(header, "instances")
	}
	var rows [][]string
	for _, r := range doc.Rows {
		row := []string{r.Provider, r.Instance, fmt.Sprintf("%d× %s", r.GPUCount, r.GPU), r.Precision}
		if r.Fits {
			layout := fmt.Sprintf("TP%d", r.TP)
			if r.Replicas > 1 {
				layout += fmt.Sprintf("×%d", r.Replicas)
			}
			row = append(row, "yes", layout, f1(r.WeightsGiBPerGPU), f1(r.KVFreeGiBPerGPU), strconv.Itoa(r.Batch),
				f1(r.TPOTMs), strconv.FormatFloat(r.TokensPerSecond, 'f', 0, 64), r.LimitedBy, r.HourlyUSD, f2(perMillion(r)))
		} else {
			weights := "-"
			if r.UsableGiBPerGPU > 0 {
				weights = f1(r.WeightsGiBPerGPU)
			}
			row = append(row, "no", "-", weights, "-", "-", "-", "-", "-", r.HourlyUSD, "-")
		}
		if doc.Workload.RatePerSecond > 0 {
			n := "-"
			if r.InstancesForRate > 0 {
				n = strconv.Itoa(r.InstancesForRate)
			}
			row = append(row, n)
		}
		rows = append(rows, row)
	}
	if format == "csv" {
		cw := csv.NewWriter(w)
		_ = cw.Write(append(header, "reasons"))
		for i, r := range rows {
			_ = cw.Write(append(r, strings.Join(doc.Rows[i].Reasons, "; ")))
		}
		cw.Flush()
		return cw.Error()
	}
	md := format == "markdown"
	var b strings.Builder
	lat := "no latency target"
	if doc.Workload.LatencyTargetMs > 0 {
		lat = fmt.Sprintf("latency target %s ms per output token", strconv.FormatFloat(doc.Workload.LatencyTargetMs, 'f', -1, 64))
	}
	fmt.Fprintf(&b, "%s (%s): %s B parameters (%s B active); %s; KV cache per token %s (bf16) / %s (fp8).\n",
		doc.Model.Name, doc.Model.Spec, fnum(doc.Model.ParamsB), fnum(doc.Model.ActiveParamsB), doc.Model.Attention,
		bytesStr(doc.Model.KVPerToken.BF16), bytesStr(doc.Model.KVPerToken.FP8))
	fmt.Fprintf(&b, "Requests of %d input + %d output tokens; %s.", doc.Workload.InputTokens, doc.Workload.OutputTokens, lat)
	if doc.Workload.RatePerSecond > 0 {
		fmt.Fprintf(&b, " Instances for %s requests/s at full load.", fnum(doc.Workload.RatePerSecond))
	}
	b.WriteString("\n")
	if md {
		b.WriteString("\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if md {
		if _, err := io.WriteString(w, mdTable(header, rows)); err != nil {
			return err
		}
	} else if err := report.WriteTable(w, header, rows, 4); err != nil {
		return err
	}
	b.Reset()
	b.WriteString("\n")
	bullet := "  "
	if md {
		bullet = "- "
	}
	for _, r := range doc.Rows {
		switch {
		case !r.Fits:
			fmt.Fprintf(&b, "%s%s %s %s does not fit: %s\n", bullet, r.Provider, r.Instance, r.Precision, strings.Join(r.Reasons, "; "))
		case detail:
			fmt.Fprintf(&b, "%s%s %s %s: %.1f GiB usable per GPU = %.1f weights + %.1f runtime + %.1f KV cache (%s, room for %d requests per replica); a decode step at batch %d: GEMMs %s ms (%s-bound), attention %s ms, all-reduce %s ms, overhead %s ms.\n",
				bullet, r.Provider, r.Instance, r.Precision, r.UsableGiBPerGPU, r.WeightsGiBPerGPU, r.RuntimeGiBPerGPU, r.KVFreeGiBPerGPU, r.KVCache, r.MaxRequests,
				r.Batch, f2(r.GEMMMs), r.Bound, f2(r.AttentionMs), f2(r.CommMs), f2(r.OverheadMs))
		}
		for _, n := range r.Notes {
			if r.Fits && detail {
				fmt.Fprintf(&b, "%s  note: %s\n", bullet, n)
			}
		}
	}
	if detail && len(doc.Rows) > 0 {
		fmt.Fprintf(&b, "%sprice: %s, %s\n", bullet, doc.Rows[0].PriceDate, doc.Rows[0].PriceSource)
	}
	fmt.Fprintf(&b, "%s%s\n", bullet, breakeven.Calibration)
	_, err := io.WriteString(w, b.String())
	return err
}

func mdTable(header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for i := range header {
		if i < 4 {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

func f1(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
func f2(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

func fnum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func bytesStr(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.2f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.0f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

// InstancesOptions are the inputs of `gpu instances`.
type InstancesOptions struct {
	IO        *iostreams.IOStreams
	GPUData   func() (*gpu.Data, error)
	Providers []string
	GPU       string
	Format    string
	OutFile   string
}

func newCmdInstances(f *cmdutil.Factory, runF func(context.Context, *InstancesOptions) error) *cobra.Command {
	opts := &InstancesOptions{IO: f.IOStreams, GPUData: gpu.Default}
	cmd := &cobra.Command{
		Use:   "instances",
		Short: "List the GPU instances, their GPUs and on-demand prices",
		Long: `List the cloud GPU instances llmcost knows (pricing-data/gpu-instances.csv):
GPUs and their memory, bandwidth and dense BF16/FP8 throughput
(gpu-specs.csv), the link between them, the on-demand hourly price, the
region, and the date and source of the price.

EXIT STATUS
  0  success
  1  error
  2  usage error`,
		Example: `  llmcost gpu instances
  llmcost gpu instances --provider aws --gpu H100-SXM
  llmcost gpu instances --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runInstances(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.Providers, "provider", nil, "only these GPU clouds `<providers>` (aws, gcp, azure, lambda, runpod)")
	fl.StringVar(&opts.GPU, "gpu", "", "only instances with this `<gpu>` (H100-SXM, L40S, A10G, …)")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "table", Formats, "output format")
	fl.StringVarP(&opts.OutFile, "out-file", "o", "", "write to `<file>` instead of standard output")
	return cmd
}

// InstanceRow is one row of `gpu instances`.
type InstanceRow struct {
	Provider        string  `json:"provider"`
	Instance        string  `json:"instance"`
	GPU             string  `json:"gpu"`
	GPUCount        int     `json:"gpu_count"`
	GPUMemGiB       float64 `json:"gpu_mem_gib_each"`
	BandwidthGBs    float64 `json:"mem_bandwidth_gbs"`
	BF16TFLOPS      float64 `json:"bf16_dense_tflops"`
	FP8TFLOPS       float64 `json:"fp8_dense_tflops"`
	VCPUs           int     `json:"vcpus"`
	RAMGiB          float64 `json:"ram_gib"`
	HourlyUSD       string  `json:"on_demand_usd_per_hour"`
	Region          string  `json:"region"`
	PriceDate       string  `json:"price_date"`
	PriceSource     string  `json:"price_source"`
	GPUSpecSource   string  `json:"gpu_spec_source"`
	ThroughputModel bool    `json:"throughput_modelled"`
}

func runInstances(opts *InstancesOptions) error {
	data, err := opts.GPUData()
	if err != nil {
		return fmt.Errorf("load GPU data: %w", err)
	}
	clouds, _, err := breakeven.SplitProviders(opts.Providers, data, nil)
	if err != nil {
		return cmdutil.FlagErrorf("--provider: %v", err)
	}
	if opts.GPU != "" && data.GPU(opts.GPU) == nil {
		var names []string
		for n := range data.GPUs {
			names = append(names, n)
		}
		sort.Strings(names)
		return cmdutil.FlagErrorf("--gpu: unknown GPU %q (known: %s)", opts.GPU, strings.Join(names, ", "))
	}
	rows := []InstanceRow{}
	for _, in := range data.Instances {
		if clouds != nil && !clouds[in.Provider] || opts.GPU != "" && in.GPU != opts.GPU {
			continue
		}
		g := data.GPU(in.GPU)
		r := InstanceRow{Provider: in.Provider, Instance: in.Name, GPU: in.GPU, GPUCount: in.GPUCount, GPUMemGiB: in.GPUMemGiB,
			VCPUs: in.VCPUs, RAMGiB: in.RAMGiB, HourlyUSD: in.HourlyUSD.String(), Region: in.Region,
			PriceDate: in.PriceDate.Format("2006-01-02"), PriceSource: in.Source, ThroughputModel: in.GPU != "Inferentia2"}
		if g != nil {
			r.BandwidthGBs, r.BF16TFLOPS, r.FP8TFLOPS, r.GPUSpecSource = g.BandwidthGBs, g.BF16TFLOPS, g.FP8TFLOPS, g.Source
		}
		rows = append(rows, r)
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
	if err := renderInstances(out, rows, opts.Format); err != nil {
		return err
	}
	if c, ok := out.(io.Closer); ok && opts.OutFile != "" {
		return c.Close()
	}
	return nil
}

func renderInstances(w io.Writer, rows []InstanceRow, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(map[string]any{"schema_version": 1, "kind": "gpu_instances", "instances": rows})
	}
	header := []string{"provider", "instance", "gpus", "GiB/GPU", "GB/s/GPU", "BF16 TFLOPS", "FP8 TFLOPS", "$/h", "region", "price date"}
	var cells [][]string
	for _, r := range rows {
		fp8 := fnum(r.FP8TFLOPS)
		if r.FP8TFLOPS == 0 {
			fp8 = "-"
		}
		cells = append(cells, []string{r.Provider, r.Instance, fmt.Sprintf("%d× %s", r.GPUCount, r.GPU), fnum(r.GPUMemGiB),
			fnum(r.BandwidthGBs), fnum(r.BF16TFLOPS), fp8, r.HourlyUSD, r.Region, r.PriceDate})
	}
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(append(header, "price_source", "gpu_spec_source"))
		for i, c := range cells {
			_ = cw.Write(append(c, rows[i].PriceSource, rows[i].GPUSpecSource))
		}
		cw.Flush()
		return cw.Error()
	case "markdown":
		if _, err := io.WriteString(w, mdTable(header, cells)); err != nil {
			return err
		}
	default:
		if err := report.WriteTable(w, header, cells, 3); err != nil {
			return err
		}
	}
	// Sources, once each.
	var b strings.Builder
	b.WriteString("\nSources:\n")
	seen := map[string]bool{}
	for _, r := range rows {
		key := r.Provider + " " + r.PriceSource
		if !seen[key] {
			seen[key] = true
			fmt.Fprintf(&b, "  %s prices: %s\n", r.Provider, r.PriceSource)
		}
	}
	seen = map[string]bool{}
	for _, r := range rows {
		if !seen[r.GPU] && r.GPUSpecSource != "" {
			seen[r.GPU] = true
			fmt.Fprintf(&b, "  %s spec: %s\n", r.GPU, r.GPUSpecSource)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
