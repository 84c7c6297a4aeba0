package selfhost

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/gpu"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// Config configures the selfhost scenario. Every field is optional.
type Config struct {
	// Replace lists globs on the logged model (or its catalog id) whose
	// requests are served on your own GPUs; Match adds conditions (tags,
	// endpoints, projects …). With neither, the requests on open models
	// the catalog sells (Llama, Mixtral, Qwen, DeepSeek, gpt-oss, Mistral
	// Small on Bedrock, Together, Groq …) are replaced.
	Replace simulate.List  `yaml:"replace"`
	Match   simulate.Match `yaml:"match"`
	// Model is the open model that serves them (an alias of llmcost
	// breakeven: llama-70b, llama-8b, gpt-oss-120b, …). Default: the open
	// model each request is logged on; requests on closed models need it.
	Model string `yaml:"model"`
	// Instance pins the instance type (see llmcost gpu instances); default:
	// the instance and precision whose fleet for the peak costs least.
	Instance string `yaml:"instance"`
	// Clouds limits the instances considered (aws, gcp, azure, lambda,
	// runpod); default all.
	Clouds simulate.List `yaml:"clouds"`
	// Precision lists the weight precisions considered (default bf16 and
	// fp8: int8 and int4 change answers more, add them to allow them).
	Precision simulate.List `yaml:"precision"`
	// Utilization is the share of an instance's modelled throughput the
	// peak may use (default 0.8, as breakeven).
	Utilization *float64 `yaml:"utilization"`
	// LatencyTarget is the longest time per output token (default 50ms;
	// 0 for none).
	LatencyTarget string `yaml:"latency_target"`
	// KVCache is auto (default), bf16 or fp8.
	KVCache string `yaml:"kv_cache"`
	// Discount off the hourly price (savings plan, reservation, spot):
	// 30% or 0.3; default 0.
	Discount string `yaml:"discount"`
	// PricePerHour replaces the pinned instance's on-demand price.
	PricePerHour string `yaml:"price_per_hour"`
	// OpsCost is the monthly USD of engineering and on-call time, prorated
	// to the window (default 0, as breakeven's --ops-cost).
	OpsCost string `yaml:"ops_cost"`
	// Bucket is the arrival curve's resolution: hour (default) sizes for
	// the peak hour, minute for the peak minute.
	Bucket string `yaml:"bucket"`
}

// settings are the checked configuration.
type settings struct {
	model    *gpu.OpenModel // nil: each request's own open model
	spec     *gpu.Model     // with model
	instance *gpu.Instance  // nil: choose
	clouds   map[string]bool
	precs    []gpu.Precision
	util     float64
	tpot     time.Duration
	kv       gpu.KVCache
	discount decimal.Decimal
	override *decimal.Decimal
	ops      decimal.Decimal
	bucket   time.Duration
}

func (c *Config) check(data *gpu.Data) (*settings, error) {
	s := &settings{util: 0.8, tpot: 50 * time.Millisecond, kv: gpu.KVAuto, bucket: time.Hour}
	if err := c.Match.Compile(); err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	if m := strings.TrimSpace(c.Model); m != "" {
		om, ok := gpu.LookupOpenModel(m)
		if !ok {
			return nil, fmt.Errorf("model %q: unknown open model (known: %s)", c.Model, strings.Join(gpu.Aliases(), ", "))
		}
		s.model = &om
		if s.spec = data.Model(om.Spec); s.spec == nil {
			return nil, fmt.Errorf("model %s: no row %s in model-specs.csv", om.Alias, om.Spec)
		}
	}
	if c.Instance != "" {
		if s.instance = data.Instance(strings.TrimSpace(c.Instance)); s.instance == nil {
			return nil, fmt.Errorf("instance %q: unknown instance (see llmcost gpu instances)", c.Instance)
		}
	}
	known := map[string]bool{}
	for _, p := range data.Providers() {
		known[p] = true
	}
	for _, cl := range c.Clouds {
		cl = strings.ToLower(strings.TrimSpace(cl))
		if !known[cl] {
			return nil, fmt.Errorf("clouds: unknown GPU cloud %q (known: %s)", cl, strings.Join(data.Providers(), ", "))
		}
		if s.clouds == nil {
			s.clouds = map[string]bool{}
		}
		s.clouds[cl] = true
	}
	if s.instance != nil && s.clouds != nil && !s.clouds[s.instance.Provider] {
		return nil, fmt.Errorf("instance %s is on %s, which clouds leaves out", s.instance.Name, s.instance.Provider)
	}
	if len(c.Precision) == 0 {
		s.precs = []gpu.Precision{gpu.BF16, gpu.FP8}
	}
	for _, p := range c.Precision {
		pr, err := gpu.ParsePrecision(p)
		if err != nil {
			return nil, fmt.Errorf("precision: %w", err)
		}
		s.precs = append(s.precs, pr)
	}
	if c.Utilization != nil {
		s.util = *c.Utilization
		if !(s.util > 0 && s.util <= 1) {
			return nil, fmt.Errorf("utilization %v: want more than 0 and at most 1", s.util)
		}
	}
	if c.LatencyTarget != "" {
		d, err := parseLatency(c.LatencyTarget)
		if err != nil {
			return nil, fmt.Errorf("latency_target: %w", err)
		}
		s.tpot = d
	}
	switch strings.ToLower(strings.TrimSpace(c.KVCache)) {
	case "", "auto":
	case "bf16":
		s.kv = gpu.KVBF16
	case "fp8":
		s.kv = gpu.KVFP8
	default:
		return nil, fmt.Errorf("kv_cache %q: want auto, bf16 or fp8", c.KVCache)
	}
	if c.Discount != "" {
		d, err := gpu.ParseFraction(c.Discount)
		if err != nil {
			return nil, fmt.Errorf("discount: %w", err)
		}
		if d.IsNegative() || d.GreaterThanOrEqual(decimal.NewFromInt(1)) {
			return nil, fmt.Errorf("discount %s: want at least 0%% and below 100%%", c.Discount)
		}
		s.discount = d
	}
	if c.PricePerHour != "" {
		if s.instance == nil {
			return nil, fmt.Errorf("price_per_hour needs an instance: it replaces that instance's price")
		}
		d, err := usd(c.PricePerHour)
		if err != nil || !d.IsPositive() {
			return nil, fmt.Errorf("price_per_hour: invalid amount %q", c.PricePerHour)
		}
		s.override = &d
	}
	if c.OpsCost != "" {
		d, err := usd(c.OpsCost)
		if err != nil || d.IsNegative() {
			return nil, fmt.Errorf("ops_cost: invalid monthly amount %q", c.OpsCost)
		}
		s.ops = d
	}
	switch strings.ToLower(strings.TrimSpace(c.Bucket)) {
	case "", "hour", "hourly", "1h":
	case "minute", "1m":
		s.bucket = time.Minute
	default:
		return nil, fmt.Errorf("bucket %q: want hour or minute", c.Bucket)
	}
	// A pinned instance must hold the model at all (its weights at one of
	// the precisions); the logged request lengths are checked later.
	if s.instance != nil && s.spec != nil {
		if _, _, why := bestPlan(data, s, s.spec, []*gpu.Instance{s.instance}, gpu.Workload{InputTokens: 1000, OutputTokens: 200, TPOTTarget: s.tpot, KVCache: s.kv}, 0); why != "" {
			return nil, fmt.Errorf("instance %s cannot serve %s: %s", s.instance.Name, s.model.Alias, why)
		}
	}
	return s, nil
}

func usd(s string) (decimal.Decimal, error) {
	return decimal.NewFromString(strings.TrimPrefix(strings.TrimSpace(s), "$"))
}

// parseLatency reads a time per output token: a duration ("50ms"), a
// number of milliseconds, or 0/none for no target.
func parseLatency(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "0" || strings.EqualFold(t, "none") {
		return 0, nil
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		ms, ferr := strconv.ParseFloat(t, 64)
		if ferr != nil || ms != ms {
			return 0, fmt.Errorf("invalid duration %q (use 50ms, 0.1s, or 0 for none)", s)
		}
		if ms > float64(maxLatency/time.Millisecond) {
			return 0, fmt.Errorf("%q is over %s per output token", s, maxLatency)
		}
		d = time.Duration(ms * float64(time.Millisecond))
	}
	switch {
	case d < 0:
		return 0, fmt.Errorf("negative duration %q", s)
	case d > maxLatency:
		return 0, fmt.Errorf("%q is over %s per output token", s, maxLatency)
	}
	return d, nil
}

// maxLatency bounds the latency target: a token a minute is no service
// level (and larger numbers overflow a time.Duration).
const maxLatency = time.Minute
