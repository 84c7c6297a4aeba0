package breakeven

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/gpu"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/report"
)

// Doc is the breakeven result, rendered by Render. Its JSON form is the
// contract: "schema_version": 1; fields may be added, existing ones keep
// their meaning. Money is exact USD as JSON numbers; token volumes are
// integers.
type Doc struct {
	SchemaVersion int           `json:"schema_version"`
	Kind          string        `json:"kind"`
	At            string        `json:"prices_at"`
	Model         DocModel      `json:"model"`
	Workload      DocWorkload   `json:"workload"`
	Sizing        DocSizing     `json:"sizing"`
	Volumes       []int64       `json:"volumes"`
	API           []DocAPI      `json:"api"`
	SelfHost      []DocSelfHost `json:"self_host"`
	Cheapest      []DocCheapest `json:"cheapest"`
	// NotFitting lists the requested instances (--instance) that cannot
	// serve the model, or, when none fits at all, the reason for each
	// instance type.
	NotFitting  []DocNoFit `json:"not_fitting"`
	Caveat      string     `json:"caveat"`
	Calibration string     `json:"calibration"`
}

// DocModel is the model compared.
type DocModel struct {
	Alias         string  `json:"alias"`
	Name          string  `json:"name"`
	Spec          string  `json:"spec"`
	ParamsB       float64 `json:"params_b"`
	ActiveParamsB float64 `json:"active_params_b"`
	Source        string  `json:"spec_source"`
}

// DocWorkload is the request mix and latency target.
type DocWorkload struct {
	InputTokens     int     `json:"input_tokens"`
	OutputTokens    int     `json:"output_tokens"`
	LatencyTargetMs float64 `json:"latency_target_ms"`
	KVCache         string  `json:"kv_cache"`
}

// DocSizing is how the self-hosted fleet is sized and billed.
type DocSizing struct {
	HoursPerDay     float64       `json:"hours_per_day"`
	HoursPerMonth   float64       `json:"hours_per_month"`
	PeakFactor      float64       `json:"peak_factor"`
	Utilization     float64       `json:"utilization"`
	MeanUtilization float64       `json:"mean_utilization"`
	Discount        float64       `json:"discount"`
	OpsMonthlyUSD   report.Money  `json:"ops_monthly_usd"`
	PricePerHour    *report.Money `json:"price_per_hour_override,omitempty"`
}

// DocAPI is one provider's per-token offer.
type DocAPI struct {
	Provider    string       `json:"provider"`
	ModelID     string       `json:"model_id"`
	Name        string       `json:"name"`
	InputPer1M  report.Money `json:"input_per_1m_usd"`
	OutputPer1M report.Money `json:"output_per_1m_usd"`
	Per1M       report.Money `json:"blended_per_1m_usd"`
	Source      string       `json:"price_source"`
	Monthly     []DocCost    `json:"monthly"`
}

// DocCost is an option's bill at one monthly volume.
type DocCost struct {
	Tokens      int64        `json:"tokens"`
	CostUSD     report.Money `json:"cost_usd"`
	Instances   int          `json:"instances,omitempty"`
	Utilization float64      `json:"utilization,omitempty"`
}

// DocSelfHost is one self-hosted option with its working.
type DocSelfHost struct {
	Label                  string         `json:"label"`
	Provider               string         `json:"provider"`
	Instance               string         `json:"instance"`
	GPU                    string         `json:"gpu"`
	GPUCount               int            `json:"gpu_count"`
	Precision              string         `json:"precision"`
	KVCache                string         `json:"kv_cache"`
	TP                     int            `json:"tensor_parallel"`
	Replicas               int            `json:"replicas"`
	HourlyUSD              report.Money   `json:"hourly_usd"`
	MonthlyUSD             report.Money   `json:"monthly_per_instance_usd"`
	Per1M                  report.Money   `json:"per_1m_usd"`
	PriceOverridden        bool           `json:"price_overridden"`
	Region                 string         `json:"region"`
	PriceSource            string         `json:"price_source"`
	PriceDate              string         `json:"price_date"`
	GPUSource              string         `json:"gpu_spec_source"`
	TokensPerSecond        float64        `json:"tokens_per_second"`
	OutputTokensPerSecond  float64        `json:"output_tokens_per_second"`
	BatchPerReplica        int            `json:"batch_per_replica"`
	TPOTMs                 float64        `json:"tpot_ms"`
	Bound                  string         `json:"bound"`
	LimitedBy              string         `json:"limited_by"`
	WeightsGiBPerGPU       float64        `json:"weights_gib_per_gpu"`
	KVFreeGiBPerGPU        float64        `json:"kv_free_gib_per_gpu"`
	TokensPerInstanceMonth int64          `json:"tokens_per_instance_month"`
	Notes                  []string       `json:"notes"`
	Monthly                []DocCost      `json:"monthly"`
	BreakEven              []DocBreakEven `json:"break_even"`
}

// DocBreakEven is one self-hosted option against one API offer.
type DocBreakEven struct {
	APIProvider string `json:"api_provider"`
	APIModel    string `json:"api_model_id"`
	Never       bool   `json:"never"`
	// FirstTokens is the smallest monthly volume at which self-hosting
	// costs no more; AlwaysTokens the volume from which it never costs
	// more again. Both are 0 when Never.
	FirstTokens  int64 `json:"first_tokens"`
	AlwaysTokens int64 `json:"always_tokens"`
}

// DocCheapest is the winner at one volume.
type DocCheapest struct {
	Tokens  int64        `json:"tokens"`
	Kind    string       `json:"kind"` // "api" or "self_host"
	Option  string       `json:"option"`
	CostUSD report.Money `json:"cost_usd"`
}

// DocNoFit says why an instance cannot serve the model.
type DocNoFit struct {
	Provider string   `json:"provider"`
	Instance string   `json:"instance"`
	Reasons  []string `json:"reasons"`
}

// Calibration summarises the throughput model's calibration.
var Calibration = gpu.CalibrationNote()

// Compute builds the document. Warnings are for stderr.
func Compute(data *gpu.Data, cat *pricing.Catalog, s *settings, now time.Time) (*Doc, []string) {
	w, sz := s.workload, s.sizing
	doc := &Doc{
		SchemaVersion: 1,
		Kind:          "breakeven",
		At:            now.UTC().Format("2006-01-02"),
		Model: DocModel{Alias: s.model.Alias, Name: s.model.Display, Spec: s.spec.Name, ParamsB: s.spec.ParamsB,
			ActiveParamsB: s.spec.ActiveParamsB, Source: s.spec.Source},
		Workload: DocWorkload{InputTokens: w.InputTokens, OutputTokens: w.OutputTokens,
			LatencyTargetMs: float64(w.TPOTTarget) / float64(time.Millisecond), KVCache: string(w.KVCache)},
		API:        []DocAPI{},
		SelfHost:   []DocSelfHost{},
		Cheapest:   []DocCheapest{},
		NotFitting: []DocNoFit{},
	}
	hours, _ := sz.HoursPerMonth().Float64()
	disc, _ := sz.Discount.Float64()
	doc.Sizing = DocSizing{HoursPerDay: sz.HoursPerDay, HoursPerMonth: round(hours, 2), PeakFactor: sz.PeakFactor,
		Utilization: sz.Utilization, MeanUtilization: round(sz.MeanUtilization(), 4), Discount: disc,
		OpsMonthlyUSD: report.Money{Decimal: sz.OpsMonthlyUSD}}
	if s.override != nil {
		doc.Sizing.PricePerHour = &report.Money{Decimal: *s.override}
	}
	for _, v := range s.volumes {
		doc.Volumes = append(doc.Volumes, int64(math.Round(v)))
	}
	var warnings []string

	// API offers: the cheapest id of each provider for the workload's mix.
	best := map[string]gpu.API{}
	for _, id := range s.model.Offers {
		m := cat.Lookup(id)
		if m == nil {
			warnings = append(warnings, fmt.Sprintf("%s: %s is not in the pricing catalog", s.model.Alias, id))
			continue
		}
		if s.apis != nil && !s.apis[m.Provider] {
			continue
		}
		p := m.PriceAt(now)
		if p == nil {
			continue
		}
		a := gpu.API{Provider: m.Provider, ModelID: m.ID, InputPer1M: p.Base.Standard.Input, OutputPer1M: p.Base.Standard.Output, Source: p.Source}
		if cur, ok := best[m.Provider]; !ok || a.PerMillion(w).LessThan(cur.PerMillion(w)) {
			best[m.Provider] = a
		}
	}
	var apis []gpu.API
	for _, a := range best {
		apis = append(apis, a)
	}
	sort.Slice(apis, func(i, j int) bool {
		if c := apis[i].PerMillion(w).Cmp(apis[j].PerMillion(w)); c != 0 {
			return c < 0
		}
		return apis[i].Provider < apis[j].Provider
	})
	for _, a := range apis {
		da := DocAPI{Provider: a.Provider, ModelID: a.ModelID, InputPer1M: money(a.InputPer1M), OutputPer1M: money(a.OutputPer1M),
			Per1M: money(a.PerMillion(w).Round(6)), Source: a.Source}
		if m := cat.Lookup(a.ModelID); m != nil {
			da.Name = m.Name
		}
		for _, v := range s.volumes {
			da.Monthly = append(da.Monthly, DocCost{Tokens: int64(math.Round(v)), CostUSD: money(a.MonthlyCost(w, v))})
		}
		doc.API = append(doc.API, da)
	}

	// Self-hosted options.
	instances := s.instances
	named := instances != nil
	if !named {
		instances = data.Instances
	}
	prm := gpu.DefaultParams()
	var fitting []gpu.SelfHost
	var noFit []DocNoFit
	for _, in := range instances {
		if s.clouds != nil && !s.clouds[in.Provider] {
			continue
		}
		var bestOpt *gpu.SelfHost
		var why reasons
		for _, p := range s.precs {
			pl := data.Evaluate(s.spec, in, p, w, prm)
			if !pl.Fits {
				for _, r := range pl.Reasons {
					why.add(string(p), r)
				}
				continue
			}
			sh, err := gpu.Price(pl, sz, s.override)
			if err != nil {
				continue
			}
			fitting = append(fitting, sh)
			if bestOpt == nil || sh.PerMillionUSD.LessThan(bestOpt.PerMillionUSD) {
				c := sh
				bestOpt = &c
			}
		}
		if bestOpt == nil {
			noFit = append(noFit, DocNoFit{Provider: in.Provider, Instance: in.Name, Reasons: why.list()})
		}
	}
	var shown []gpu.SelfHost
	if named {
		// Every requested instance, at its cheapest precision per token.
		for _, in := range instances {
			var b *gpu.SelfHost
			for i := range fitting {
				if fitting[i].Plan.Instance == in && (b == nil || fitting[i].PerMillionUSD.LessThan(b.PerMillionUSD)) {
					b = &fitting[i]
				}
			}
			if b != nil {
				shown = append(shown, *b)
			}
		}
	} else {
		// Per GPU cloud, the options that are cheapest at some volume: the
		// cheapest instance that fits and those cheaper per token at scale.
		byCloud := map[string][]gpu.SelfHost{}
		var clouds []string
		for _, f := range fitting {
			p := f.Plan.Instance.Provider
			if byCloud[p] == nil {
				clouds = append(clouds, p)
			}
			byCloud[p] = append(byCloud[p], f)
		}
		sort.Strings(clouds)
		for _, c := range clouds {
			shown = append(shown, gpu.Frontier(byCloud[c])...)
		}
	}
	if named || len(fitting) == 0 {
		doc.NotFitting = noFit
	}

	// The cheapest option at each volume, over every fitting option; a
	// winner outside the frontier (whole instances can make one) is shown
	// too.
	for _, v := range s.volumes {
		c := DocCheapest{Tokens: int64(math.Round(v))}
		var min decimal.Decimal
		set := false
		for _, a := range apis {
			if cost := a.MonthlyCost(w, v); !set || cost.LessThan(min) {
				min, set, c.Kind, c.Option = cost, true, "api", apiLabel(a)
			}
		}
		for i := range fitting {
			if cost := fitting[i].MonthlyCost(v).Round(2); !set || cost.LessThan(min) {
				min, set, c.Kind, c.Option = cost, true, "self_host", label(fitting[i])
			}
		}
		if !set {
			continue
		}
		c.CostUSD = money(min)
		doc.Cheapest = append(doc.Cheapest, c)
	}
	if !named {
		shown = mergeWinners(shown, fitting, doc.Cheapest)
	}

	for _, sh := range shown {
		doc.SelfHost = append(doc.SelfHost, selfHostDoc(data, sh, apis, s))
	}
	doc.Caveat = fmt.Sprintf("Self-hosting pays only if you have ML engineering capacity to run it (deployment, upgrades, on-call): the self-hosted costs include $%s a month for that (--ops-cost).",
		sz.OpsMonthlyUSD.StringFixed(2))
	doc.Calibration = Calibration
	return doc, warnings
}

// reasons groups the precisions that fail for the same reason.
type reasons struct {
	order []string
	precs map[string][]string
}

func (r *reasons) add(prec, why string) {
	if r.precs == nil {
		r.precs = map[string][]string{}
	}
	if _, ok := r.precs[why]; !ok {
		r.order = append(r.order, why)
	}
	r.precs[why] = append(r.precs[why], prec)
}

func (r *reasons) list() []string {
	out := []string{}
	for _, why := range r.order {
		out = append(out, strings.Join(r.precs[why], ", ")+": "+why)
	}
	return out
}

// mergeWinners adds the volume winners that the frontiers dropped and
// orders the options by cloud, then by the monthly price of an instance.
func mergeWinners(shown, fitting []gpu.SelfHost, cheapest []DocCheapest) []gpu.SelfHost {
	for _, c := range cheapest {
		if c.Kind != "self_host" {
			continue
		}
		for _, f := range fitting {
			if label(f) == c.Option && !containsOption(shown, f) {
				shown = append(shown, f)
			}
		}
	}
	sort.SliceStable(shown, func(i, j int) bool {
		a, b := shown[i].Plan.Instance.Provider, shown[j].Plan.Instance.Provider
		if a != b {
			return a < b
		}
		if c := shown[i].MonthlyUSD.Cmp(shown[j].MonthlyUSD); c != 0 {
			return c < 0
		}
		return label(shown[i]) < label(shown[j])
	})
	return shown
}

func containsOption(list []gpu.SelfHost, o gpu.SelfHost) bool {
	for _, x := range list {
		if label(x) == label(o) {
			return true
		}
	}
	return false
}

func selfHostDoc(data *gpu.Data, sh gpu.SelfHost, apis []gpu.API, s *settings) DocSelfHost {
	pl, in := sh.Plan, sh.Plan.Instance
	d := DocSelfHost{
		Label: label(sh), Provider: in.Provider, Instance: in.Name, GPU: in.GPU, GPUCount: in.GPUCount,
		Precision: string(pl.Precision), KVCache: string(pl.KVCache), TP: pl.TP, Replicas: pl.Replicas,
		HourlyUSD: money(sh.HourlyUSD.Round(6)), MonthlyUSD: money(sh.MonthlyUSD), Per1M: money(sh.PerMillionUSD),
		PriceOverridden: sh.PriceOverridden, Region: in.Region, PriceSource: in.Source, PriceDate: in.PriceDate.Format("2006-01-02"),
		TokensPerSecond: round(pl.Perf.TotalTokS, 1), OutputTokensPerSecond: round(pl.Perf.OutputTokS, 1),
		BatchPerReplica: pl.Perf.Batch, TPOTMs: round(float64(pl.Perf.TPOT)/float64(time.Millisecond), 2),
		Bound: pl.Perf.Bound, LimitedBy: pl.Perf.LimitedBy,
		WeightsGiBPerGPU: round(pl.Memory.Weights, 2), KVFreeGiBPerGPU: round(pl.Memory.KVFree, 2),
		TokensPerInstanceMonth: int64(math.Round(sh.TokensPerInstanceMonth)),
		Notes:                  append([]string{}, pl.Notes...),
		BreakEven:              []DocBreakEven{},
	}
	if g := data.GPU(in.GPU); g != nil {
		d.GPUSource = g.Source
	}
	for _, v := range s.volumes {
		d.Monthly = append(d.Monthly, DocCost{Tokens: int64(math.Round(v)), CostUSD: money(sh.MonthlyCost(v)),
			Instances: sh.Instances(v), Utilization: round(sh.Utilization(v), 4)})
	}
	for _, a := range apis {
		be := sh.BreakEven(a, s.workload)
		b := DocBreakEven{APIProvider: a.Provider, APIModel: a.ModelID, Never: be.Never}
		if !be.Never {
			b.FirstTokens, b.AlwaysTokens = int64(math.Ceil(be.First)), int64(math.Ceil(be.Always))
		}
		d.BreakEven = append(d.BreakEven, b)
	}
	return d
}

func label(sh gpu.SelfHost) string {
	pl := sh.Plan
	par := fmt.Sprintf("TP%d", pl.TP)
	if pl.Replicas > 1 {
		par += fmt.Sprintf("×%d", pl.Replicas)
	}
	return strings.Join([]string{pl.Instance.Provider, pl.Instance.Name, string(pl.Precision), par}, " ")
}

func apiLabel(a gpu.API) string { return a.Provider + " " + ShortID(a.ModelID) }

// ShortID drops the route prefix LiteLLM puts on open-model hosts' ids
// ("together_ai/", "fireworks_ai/accounts/fireworks/models/", …): the
// provider column already says where the model is sold.
func ShortID(id string) string {
	for _, p := range []string{"fireworks_ai/accounts/fireworks/models/", "fireworks_ai/", "together_ai/", "deepinfra/", "groq/"} {
		if rest, ok := strings.CutPrefix(id, p); ok {
			return rest
		}
	}
	return id
}

func money(d decimal.Decimal) report.Money { return report.Money{Decimal: d} }

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
