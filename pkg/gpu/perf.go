package gpu

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Workload is the traffic a plan is sized for.
type Workload struct {
	// InputTokens and OutputTokens are per request.
	InputTokens, OutputTokens int
	// TPOTTarget is the latency target: the longest acceptable time per
	// output token once a request streams (0: no target, maximum
	// throughput).
	TPOTTarget time.Duration
	// KVCache is the KV cache format (KVAuto when empty).
	KVCache KVCache
	// Concurrency is how many requests each model replica must hold at
	// once for the configuration to count as fitting (at least 1).
	Concurrency int
}

// Params are the efficiency factors and serving-engine settings of the
// model. DefaultParams are calibrated against published measurements
// (testdata/gpu/calibration.csv; see the calibration test).
type Params struct {
	// MemUtilization is the share of GPU memory the engine may use for
	// weights, activations and KV cache (vLLM gpu_memory_utilization).
	MemUtilization float64
	// KVFreeFraction, when set, replaces MemUtilization the way
	// TensorRT-LLM sizes its cache: this share of the memory left after
	// the weights and runtime buffers (kv_cache_free_gpu_mem_fraction).
	KVFreeFraction float64
	// RuntimeGiB per GPU is taken from that share for activations, CUDA
	// graphs and communication buffers.
	RuntimeGiB float64
	// BandwidthEff is the share of peak memory bandwidth a decode step
	// achieves.
	BandwidthEff float64
	// ComputeEff is the share of dense tensor peak GEMMs achieve, for
	// BF16/FP16 and for FP8; WeightOnlyEff multiplies the BF16 figure for
	// weight-only quantised kernels (dequantising costs).
	ComputeEffBF16, ComputeEffFP8, WeightOnlyEff float64
	// StepOverhead is fixed time per engine step (scheduling, sampling,
	// kernel launches) and SeqOverhead the time per sequence in the step.
	StepOverhead, SeqOverhead time.Duration
	// LinkEff is the share of link bandwidth an all-reduce achieves and
	// LinkLatency the fixed cost of one all-reduce, by link kind.
	LinkEff     map[string]float64
	LinkLatency map[string]time.Duration
	// Ridge softens the roofline near its ridge point (see roof).
	Ridge float64
	// MaxBatch caps concurrent sequences per replica (vLLM max_num_seqs);
	// MaxStepTokens caps the tokens of one step (max_num_batched_tokens),
	// prompts longer than what is left are prefilled over several steps.
	MaxBatch, MaxStepTokens int
}

// DefaultParams returns the calibrated defaults. Every figure is global,
// not per GPU or model, so that a good fit means the model explains the
// measurements rather than memorises them.
func DefaultParams() Params {
	return Params{
		MemUtilization: 0.90,
		RuntimeGiB:     1.5,
		BandwidthEff:   0.75,
		ComputeEffBF16: 0.65,
		ComputeEffFP8:  0.55,
		WeightOnlyEff:  0.70,
		StepOverhead:   2500 * time.Microsecond,
		SeqOverhead:    0,
		LinkEff:        map[string]float64{"nvlink": 0.70, "xgmi": 0.60, "pcie": 0.50},
		LinkLatency:    map[string]time.Duration{"nvlink": 8 * time.Microsecond, "xgmi": 12 * time.Microsecond, "pcie": 25 * time.Microsecond},
		Ridge:          1.25,
		MaxBatch:       256,
		MaxStepTokens:  8192,
	}
}

// Memory is the per-GPU memory budget of a configuration, in GiB.
type Memory struct {
	Usable, Weights, Runtime, KVFree float64
	// KVPerRequest is what one request of input+output tokens holds at its
	// end, per GPU.
	KVPerRequest float64
	// MaxRequests is how many such requests one replica holds at once.
	MaxRequests int
}

// Perf is the steady state of one replica at a batch, and of the instance.
type Perf struct {
	// Batch is the concurrent requests per replica.
	Batch int
	// TPOT is the time per output token; Step splits one decode step.
	TPOT time.Duration
	// GEMMTime, AttnTime, CommTime and Overhead split one decode step.
	GEMMTime, AttnTime, CommTime, Overhead time.Duration
	// Bound says whether the GEMMs are "memory" or "compute" bound.
	Bound                                     string
	LimitedBy                                 string // what stops a larger batch
	OutputTokS, InputTokS, TotalTokS, ReqPerS float64
}

// Plan is one way to serve a model on an instance: a precision, a
// tensor-parallel degree and as many replicas as the GPUs allow.
type Plan struct {
	Model     *Model
	Instance  *Instance
	GPU       *GPU
	Precision Precision
	KVCache   KVCache
	// TP GPUs per replica, Replicas per instance.
	TP, Replicas int
	Memory       Memory
	// Fits reports whether the plan holds the model and the workload and
	// meets the latency target; Reasons say why not.
	Fits    bool
	Reasons []string
	// Notes are caveats that do not prevent a fit (weight-only kernels).
	Notes []string
	Perf  Perf // per instance (all replicas) when Fits

	// stage is how far the checks got: 0 weights, 1 KV cache, 2 latency.
	stage int
}

// tpOptions are the tensor-parallel degrees an instance allows for m: a
// divisor of the GPU count that also divides the attention heads.
func tpOptions(m *Model, gpus int) []int {
	var out []int
	for t := 1; t <= gpus; t++ {
		if gpus%t == 0 && m.Heads%t == 0 {
			out = append(out, t)
		}
	}
	return out
}

// Evaluate finds the best plan for model m on instance in at precision p:
// the tensor-parallel degree (with replicas filling the instance) that
// serves the most tokens per second within the latency target. When no
// degree works, the returned plan has Fits false and says why.
func (d *Data) Evaluate(m *Model, in *Instance, p Precision, w Workload, prm Params) Plan {
	g := d.GPUs[in.GPU]
	base := Plan{Model: m, Instance: in, GPU: g, Precision: p}
	if g == nil {
		base.Reasons = []string{fmt.Sprintf("no specification for GPU %s", in.GPU)}
		return base
	}
	base.KVCache = w.KVCache.resolve(p, g)
	if ok, why := modelled(g); !ok {
		base.Reasons = []string{why}
		return base
	}
	tps := tpOptions(m, in.GPUCount) // always holds 1
	var best, closest *Plan
	for _, t := range tps {
		pl := base
		pl.TP, pl.Replicas = t, in.GPUCount/t
		d.plan(&pl, w, prm)
		cp := pl
		switch {
		case pl.Fits:
			if best == nil || pl.Perf.TotalTokS > best.Perf.TotalTokS*(1+1e-9) {
				best = &cp
			}
		case closest == nil || pl.stage >= closest.stage:
			// Why it does not fit, at the degree that got furthest (for
			// memory, the widest one).
			closest = &cp
		}
	}
	if best != nil {
		return *best
	}
	return *closest
}

// PlanFor evaluates model m on tp GPUs g at precision p as one replica
// (no instance price): the calibration test and `llmcost gpu fit` without
// an instance use it.
func (d *Data) PlanFor(m *Model, g *GPU, tp int, p Precision, w Workload, prm Params) Plan {
	in := &Instance{Provider: "-", Name: fmt.Sprintf("%dx%s", tp, g.Name), GPU: g.Name, GPUCount: tp, GPUMemGiB: g.MemGiB}
	pl := Plan{Model: m, Instance: in, GPU: g, Precision: p, KVCache: w.KVCache.resolve(p, g), TP: tp, Replicas: 1}
	if ok, why := modelled(g); !ok {
		pl.Reasons = []string{why}
		return pl
	}
	if m.Heads%tp != 0 {
		pl.Reasons = []string{fmt.Sprintf("tensor parallel %d does not divide the %d attention heads", tp, m.Heads)}
		return pl
	}
	d.plan(&pl, w, prm)
	return pl
}

// plan fills pl's memory budget and, when the model fits, its
// performance at the largest batch the memory, the engine and the latency
// target allow.
func (d *Data) plan(pl *Plan, w Workload, prm Params) {
	m, g, t := pl.Model, pl.GPU, pl.TP
	if _, weightOnly := peakTFLOPS(g, pl.Precision); weightOnly && pl.Precision != BF16 {
		pl.Notes = append(pl.Notes, fmt.Sprintf("%s has no %s tensor cores: weight-only kernels, computing in BF16", g.Name, pl.Precision))
	}
	mem := &pl.Memory
	mem.Usable = g.MemGiB * prm.MemUtilization
	mem.Runtime = prm.RuntimeGiB
	mem.Weights = m.WeightBytes(pl.Precision) / float64(t) / giB
	mem.KVFree = mem.Usable - mem.Runtime - mem.Weights
	if prm.KVFreeFraction > 0 {
		// TensorRT-LLM: a fraction of what is free after weights and
		// runtime buffers.
		mem.Usable = g.MemGiB
		mem.KVFree = prm.KVFreeFraction * (g.MemGiB - mem.Runtime - mem.Weights)
	}
	seq := float64(w.InputTokens + w.OutputTokens)
	mem.KVPerRequest = m.kvSeqBytes(pl.KVCache, t, seq) / giB
	if mem.KVFree > 0 {
		mem.MaxRequests = int(mem.KVFree / mem.KVPerRequest)
	}
	need := max(w.Concurrency, 1)
	switch {
	case mem.KVFree <= 0:
		pl.Reasons = append(pl.Reasons, fmt.Sprintf("weights take %.1f GiB per GPU at TP%d, over the %.1f GiB usable (%.0f GiB × %.2f − %.1f GiB runtime)",
			mem.Weights, t, mem.Usable-mem.Runtime, g.MemGiB, prm.MemUtilization, mem.Runtime))
		return
	case mem.MaxRequests < need:
		pl.stage = 1
		pl.Reasons = append(pl.Reasons, fmt.Sprintf("after the weights (%.1f GiB per GPU at TP%d) %.1f GiB is left for the KV cache; %d request(s) of %d tokens need %.1f GiB",
			mem.Weights, t, mem.KVFree, need, int(seq), float64(need)*mem.KVPerRequest))
		return
	}
	limit, limitedBy := mem.MaxRequests, "KV cache memory"
	if prm.MaxBatch > 0 && prm.MaxBatch < limit {
		limit, limitedBy = prm.MaxBatch, "engine batch limit"
	}
	pl.stage = 2
	if w.TPOTTarget > 0 {
		first := d.step(pl, w, prm, float64(need))
		if first.TPOT > w.TPOTTarget {
			pl.Reasons = append(pl.Reasons, fmt.Sprintf("at batch %d a token takes %s at TP%d, over the %s latency target",
				need, fmtDur(first.TPOT), t, fmtDur(w.TPOTTarget)))
			return
		}
		// TPOT grows with the batch: the largest batch within the target.
		n := sort.Search(limit, func(i int) bool { return d.step(pl, w, prm, float64(i+1)).TPOT > w.TPOTTarget })
		if n < limit {
			limit, limitedBy = n, "latency target"
		}
	}
	pl.Fits = true
	pf := d.step(pl, w, prm, float64(limit))
	pf.LimitedBy = limitedBy
	r := float64(pl.Replicas)
	pf.OutputTokS *= r
	pf.InputTokS *= r
	pf.TotalTokS *= r
	pf.ReqPerS *= r
	pl.Perf = pf
}

// peakTFLOPS is the dense peak the GEMMs of precision p run at on g, and
// whether they are weight-only (dequantised to BF16).
func peakTFLOPS(g *GPU, p Precision) (float64, bool) {
	switch p {
	case FP8:
		if g.FP8TFLOPS > 0 {
			return g.FP8TFLOPS, false
		}
		return g.BF16TFLOPS, true
	case INT8, INT4:
		return g.BF16TFLOPS, true
	}
	return g.BF16TFLOPS, false
}

// step is the steady state of one replica holding b requests (fractional
// b is allowed for the arrival-rate solver): per decode step every request
// emits one token while the prompts of the requests that replace finished
// ones are prefilled in chunks alongside (chunked prefill / in-flight
// batching). A step runs the GEMMs, which read the weights (the experts
// its tokens route to) and multiply every token; the attention kernels,
// which read each request's KV cache; and two all-reduces per layer across
// the tensor-parallel group. GEMMs and attention are separate kernels, so
// each is its own roofline and the times add:
//
//	step = max(weight bytes / BW, GEMM FLOPs / peak)
//	     + max(KV bytes / BW, attention FLOPs / peak) + comm + overhead
//
// with BW and peak derated by the efficiency factors. Decode GEMMs are
// memory-bound at small batch and compute-bound at large batch; prefill is
// compute-bound.
func (d *Data) step(pl *Plan, w Workload, prm Params, b float64) Perf {
	m, g, t := pl.Model, pl.GPU, float64(pl.TP)
	S, O := float64(w.InputTokens), float64(max(w.OutputTokens, 1))
	ctx := S + O/2 // mean context of a decode token

	// Prefill tokens per decode step, within the step token budget; the
	// rest runs in prefill-only steps.
	prefill := b * S / O
	budget := math.Max(float64(prm.MaxStepTokens)-b, 0)
	chunk := math.Min(prefill, budget)
	extraSteps := 0.0
	if prefill > chunk && prm.MaxStepTokens > 0 {
		extraSteps = (prefill - chunk) * O / float64(prm.MaxStepTokens) // per round of O steps
	}

	gemmRate := gemmFLOPRate(g, pl.Precision, prm) * t
	attnRate := g.BF16TFLOPS * 1e12 * prm.ComputeEffBF16 * t
	byteRate := g.BandwidthGBs * 1e9 * prm.BandwidthEff

	type parts struct{ wMem, wComp, aMem, aComp, comm float64 }
	one := func(dec, pre float64) parts {
		tokens := dec + pre
		var p parts
		p.wMem = m.weightReadBytes(pl.Precision, tokens) / t / byteRate
		p.wComp = m.matmulFLOPs() * tokens / gemmRate
		p.aMem = dec * m.kvSeqBytes(pl.KVCache, pl.TP, ctx) / byteRate
		p.aComp = (dec*m.attnFLOPs(ctx) + pre*m.attnFLOPs(S/2)) / attnRate
		if pl.TP > 1 {
			link := links[g.Name]
			msg := tokens * float64(m.Hidden) * 2 // BF16 activations
			bw := link.GBs * 1e9 * prm.LinkEff[link.Kind]
			per := prm.LinkLatency[link.Kind].Seconds() + 2*(t-1)/t*msg/bw
			p.comm = 2 * float64(m.Layers) * per
		}
		return p
	}
	total := func(p parts) float64 {
		return roof(p.wMem, p.wComp, prm.Ridge) + roof(p.aMem, p.aComp, prm.Ridge) + p.comm
	}
	over := prm.StepOverhead.Seconds() + b*prm.SeqOverhead.Seconds()
	p := one(b, chunk)
	round := O * (total(p) + over)
	if extraSteps > 0 {
		round += extraSteps * (total(one(0, float64(prm.MaxStepTokens))) + prm.StepOverhead.Seconds())
	}
	tpot := round / O
	sec := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	pf := Perf{
		Batch:      int(math.Round(b)),
		TPOT:       sec(tpot),
		GEMMTime:   sec(roof(p.wMem, p.wComp, prm.Ridge)),
		AttnTime:   sec(roof(p.aMem, p.aComp, prm.Ridge)),
		CommTime:   sec(p.comm),
		Overhead:   sec(over),
		Bound:      "memory",
		OutputTokS: b / tpot,
	}
	if p.wComp > p.wMem {
		pf.Bound = "compute"
	}
	pf.ReqPerS = pf.OutputTokS / O
	pf.InputTokS = pf.ReqPerS * S
	pf.TotalTokS = pf.OutputTokS + pf.InputTokS
	return pf
}

// roof combines the memory and compute times of a kernel: the roofline's
// max, softened near the ridge point where neither bound is reached
// ((x^p + y^p)^(1/p); p → ∞ is the plain max).
func roof(mem, comp, p float64) float64 {
	if p <= 0 || mem == 0 || comp == 0 {
		return math.Max(mem, comp)
	}
	hi := math.Max(mem, comp)
	return hi * math.Pow(math.Pow(mem/hi, p)+math.Pow(comp/hi, p), 1/p)
}

// gemmFLOPRate is the FLOP/s one GPU's GEMMs run at for precision p:
// FP8 tensor cores where the GPU has them, else BF16, derated for
// weight-only dequantisation.
func gemmFLOPRate(g *GPU, p Precision, prm Params) float64 {
	peak, weightOnly := peakTFLOPS(g, p)
	eff := prm.ComputeEffBF16
	if p == FP8 && !weightOnly {
		eff = prm.ComputeEffFP8
	}
	if weightOnly {
		eff *= prm.WeightOnlyEff
	}
	return peak * 1e12 * eff
}

// AtRate is the steady state of one replica of pl receiving rate requests
// per second: the concurrency solves Little's law, b = rate × (TTFT + O ×
// TPOT(b)). ok is false when the replica cannot keep up.
func (d *Data) AtRate(pl *Plan, w Workload, prm Params, rate float64) (Perf, bool) {
	O := float64(max(w.OutputTokens, 1))
	b := 1.0
	for i := 0; i < 200; i++ {
		pf := d.step(pl, w, prm, b)
		ttft := d.prefillTime(pl, w, prm)
		nb := rate * (ttft + O*pf.TPOT.Seconds())
		if nb > float64(pl.Memory.MaxRequests) {
			return pf, false
		}
		if math.Abs(nb-b) < 1e-4 {
			return pf, true
		}
		b = math.Max(nb, 1e-3)
	}
	return d.step(pl, w, prm, b), true
}

// prefillTime is the time to prefill one prompt alone (the floor of the
// time to first token).
func (d *Data) prefillTime(pl *Plan, w Workload, prm Params) float64 {
	m, g, t := pl.Model, pl.GPU, float64(pl.TP)
	S := float64(w.InputTokens)
	comp := S * m.matmulFLOPs() / (gemmFLOPRate(g, pl.Precision, prm) * t)
	mem := m.weightReadBytes(pl.Precision, S) / t / (g.BandwidthGBs * 1e9 * prm.BandwidthEff)
	attn := S * m.attnFLOPs(S/2) / (g.BF16TFLOPS * 1e12 * prm.ComputeEffBF16 * t)
	return math.Max(comp, mem) + attn + prm.StepOverhead.Seconds()
}

func fmtDur(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms >= 100:
		return fmt.Sprintf("%.0f ms", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.2f ms", ms)
}

// The calibration of DefaultParams against testdata/gpu/calibration.csv,
// as TestCalibration measures it (the test fails when these drift).
const (
	CalibrationRows         = 45
	CalibrationMeanErrorPct = 7.6
	CalibrationMaxErrorPct  = 18.6
)

// CalibrationNote summarises the calibration for reports.
func CalibrationNote() string {
	return fmt.Sprintf("throughput model calibrated against %d published measurements (TensorRT-LLM 0.14/0.17 and NIM 1.8 tables; testdata/gpu/calibration.csv): mean error %.1f%%, worst %.1f%%; int4/int8 weight-only kernels, A10G and L4 GPUs are not covered by a measurement",
		CalibrationRows, CalibrationMeanErrorPct, CalibrationMaxErrorPct)
}
