package gpu

import (
	"strings"
	"testing"
	"time"
)

func mustInstance(t *testing.T, d *Data, name string) *Instance {
	t.Helper()
	in := d.Instance(name)
	if in == nil {
		t.Fatalf("no instance %s", name)
	}
	return in
}

var chat = Workload{InputTokens: 1000, OutputTokens: 1000, TPOTTarget: 50 * time.Millisecond}

func TestFit(t *testing.T) {
	d := mustData(t)
	long := Workload{InputTokens: 20000, OutputTokens: 2000}
	for _, tt := range []struct {
		name, model, instance string
		p                     Precision
		w                     Workload
		fits                  bool
		want                  string // reason substring, or "TP<n>" layout when it fits
	}{
		{"70B bf16 weights exceed 4×A10G", "Llama-3.1-70B", "g5.12xlarge", BF16, chat, false, "weights take 32.9 GiB per GPU at TP4, over the 20.1 GiB usable (24 GiB × 0.90 − 1.5 GiB runtime)"},
		{"70B int4 on 4×A10G", "Llama-3.1-70B", "g5.12xlarge", INT4, chat, true, "TP4x1"},
		{"70B fp8 on one H100: weights fit, a 22k-token request does not", "Llama-3.1-70B", "p5.4xlarge", FP8, long, false, "left for the KV cache; 1 request(s) of 22000 tokens need"},
		{"70B fp8 on one H100, short requests", "Llama-3.1-70B", "p5.4xlarge", FP8, chat, true, "TP1x1"},
		{"70B int4 on one L40S misses 50 ms", "Llama-3.1-70B", "g6e.xlarge", INT4, chat, false, "over the 50.0 ms latency target"},
		{"70B int4 on one L40S without a target", "Llama-3.1-70B", "g6e.xlarge", INT4, Workload{InputTokens: 1000, OutputTokens: 1000}, true, "TP1x1"},
		{"70B fp8 on 4×L4 misses 50 ms", "Llama-3.1-70B", "g6.12xlarge", FP8, chat, false, "latency target"},
		{"Inferentia is not modelled", "Llama-3.1-8B", "inf2.48xlarge", BF16, chat, false, "Neuron"},
		{"DeepSeek-V3 fp8 exceeds 8×H100", "DeepSeek-V3", "p5.48xlarge", FP8, chat, false, "weights take 78.3 GiB per GPU at TP8"},
		{"DeepSeek-V3 fp8 on 8×H200", "DeepSeek-V3", "p5en.48xlarge", FP8, chat, true, "TP8x1"},
		{"405B bf16 needs more than 8×H100", "Llama-3.1-405B", "p5.48xlarge", BF16, chat, false, "weights take 94.5 GiB per GPU at TP8"},
		{"405B bf16 fits 8×H200", "Llama-3.1-405B", "p5en.48xlarge", BF16, chat, true, "TP8x1"},
		{"gpt-oss-120b at 4 bits on one H100", "gpt-oss-120b", "p5.4xlarge", INT4, chat, true, "TP1x1"},
		{"Qwen2.5-7B's 28 heads rule out TP8", "Qwen2.5-7B", "p5.48xlarge", BF16, chat, true, "TP1x8"},
		{"concurrency the KV cache cannot hold", "Llama-3.1-70B", "p5.4xlarge", FP8, Workload{InputTokens: 1000, OutputTokens: 1000, Concurrency: 100}, false, "100 request(s) of 2000 tokens need"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pl := d.Evaluate(mustModel(t, d, tt.model), mustInstance(t, d, tt.instance), tt.p, tt.w, DefaultParams())
			if pl.Fits != tt.fits {
				t.Fatalf("fits=%v, want %v; reasons %v", pl.Fits, tt.fits, pl.Reasons)
			}
			if !tt.fits {
				if len(pl.Reasons) == 0 || !strings.Contains(strings.Join(pl.Reasons, "; "), tt.want) {
					t.Errorf("reasons %q, want %q", pl.Reasons, tt.want)
				}
				return
			}
			if got := "TP" + itoa(pl.TP) + "x" + itoa(pl.Replicas); got != tt.want {
				t.Errorf("layout %s, want %s", got, tt.want)
			}
			if pl.TP*pl.Replicas != pl.Instance.GPUCount || pl.Model.Heads%pl.TP != 0 {
				t.Errorf("layout TP%d×%d on %d GPUs", pl.TP, pl.Replicas, pl.Instance.GPUCount)
			}
			if tt.w.TPOTTarget > 0 && pl.Perf.TPOT > tt.w.TPOTTarget {
				t.Errorf("TPOT %v over the target", pl.Perf.TPOT)
			}
			if pl.Perf.Batch < 1 || pl.Perf.Batch > pl.Memory.MaxRequests {
				t.Errorf("batch %d outside 1..%d", pl.Perf.Batch, pl.Memory.MaxRequests)
			}
		})
	}
	// Weight-only kernels are noted.
	pl := d.Evaluate(mustModel(t, d, "Llama-3.1-70B"), mustInstance(t, d, "g5.12xlarge"), INT4, chat, DefaultParams())
	if len(pl.Notes) != 1 || !strings.Contains(pl.Notes[0], "weight-only") {
		t.Errorf("notes %q", pl.Notes)
	}
	// FP8 weights get an FP8 KV cache on Hopper, BF16 on Ampere.
	if pl := d.Evaluate(mustModel(t, d, "Llama-3.1-8B"), mustInstance(t, d, "p5.4xlarge"), FP8, chat, DefaultParams()); pl.KVCache != KVFP8 {
		t.Errorf("H100 fp8 KV cache %s", pl.KVCache)
	}
	if pl := d.Evaluate(mustModel(t, d, "Llama-3.1-8B"), mustInstance(t, d, "g5.xlarge"), FP8, chat, DefaultParams()); pl.KVCache != KVBF16 {
		t.Errorf("A10G fp8 KV cache %s", pl.KVCache)
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

func plan70BFP8(t *testing.T, d *Data, gpu string, tp int) Plan {
	t.Helper()
	w := Workload{InputTokens: 1000, OutputTokens: 1000}
	prm := DefaultParams()
	prm.MaxBatch = 2048
	pl := d.PlanFor(mustModel(t, d, "Llama-3.1-70B"), d.GPU(gpu), tp, FP8, w, prm)
	if !pl.Fits {
		t.Fatalf("%s TP%d: %v", gpu, tp, pl.Reasons)
	}
	return pl
}

// TestThroughputRegimes: decode is bandwidth-bound at small batch (a step
// costs about one read of the weights) and compute-bound at large batch.
func TestThroughputRegimes(t *testing.T) {
	d := mustData(t)
	prm := DefaultParams()
	prm.MaxBatch = 2048
	w := Workload{InputTokens: 1000, OutputTokens: 1000}
	pl := plan70BFP8(t, d, "H100-SXM", 2)
	small := d.step(&pl, w, prm, 1)
	if small.Bound != "memory" {
		t.Errorf("batch 1 is %s-bound", small.Bound)
	}
	// Half the FP8 weights per GPU at 75% of 3.35 TB/s.
	want := pl.Model.weightReadBytes(FP8, 2) / 2 / (3350e9 * 0.75)
	if got := small.GEMMTime.Seconds(); !near(got, want, 0.02) {
		t.Errorf("batch 1 GEMMs %v, want about %.4fs", small.GEMMTime, want)
	}
	large := d.step(&pl, w, prm, 1024)
	if large.Bound != "compute" {
		t.Errorf("batch 1024 is %s-bound", large.Bound)
	}
	// Time per token grows with the batch, throughput too, with
	// diminishing returns once compute-bound.
	prev := Perf{}
	for _, b := range []float64{1, 2, 8, 32, 128, 512, 1024} {
		pf := d.step(&pl, w, prm, b)
		if pf.TPOT <= prev.TPOT || pf.OutputTokS <= prev.OutputTokS {
			t.Errorf("batch %g: TPOT %v, %.0f tok/s after %v, %.0f", b, pf.TPOT, pf.OutputTokS, prev.TPOT, prev.OutputTokS)
		}
		prev = pf
	}
	gain := func(a, b float64) float64 {
		return d.step(&pl, w, prm, b).OutputTokS / d.step(&pl, w, prm, a).OutputTokS
	}
	if g1, g2 := gain(1, 8), gain(256, 2048); g1 < 5 || g2 > 2 {
		t.Errorf("8× batch gives %.1f× at small batch and %.1f× at large batch", g1, g2)
	}
	// Input and output lengths matter: long prompts cost prefill compute,
	// long outputs a larger KV cache.
	short := d.step(&pl, Workload{InputTokens: 100, OutputTokens: 1000}, prm, 64)
	long := d.step(&pl, Workload{InputTokens: 5000, OutputTokens: 1000}, prm, 64)
	if long.OutputTokS >= short.OutputTokS || long.InputTokS <= short.InputTokS {
		t.Errorf("5000-token prompts: %.0f out / %.0f in tok/s; 100-token: %.0f / %.0f", long.OutputTokS, long.InputTokS, short.OutputTokS, short.InputTokS)
	}
}

// TestCommunication: tensor parallelism pays two all-reduces per layer,
// latency plus a ring's 2(t−1)/t of the activations over the link.
func TestCommunication(t *testing.T) {
	d := mustData(t)
	prm := DefaultParams()
	w := Workload{InputTokens: 1000, OutputTokens: 1000}
	for _, tt := range []struct {
		gpu  string
		tp   int
		want float64 // seconds
	}{
		// Batch 1 with one prefill token alongside: 2 tokens × 8192 × 2 bytes.
		{"H100-SXM", 1, 0},
		{"H100-SXM", 2, 160 * (8e-6 + 1*32768/(450e9*0.70))},
		{"H100-SXM", 8, 160 * (8e-6 + 1.75*32768/(450e9*0.70))},
		{"L40S", 2, 160 * (25e-6 + 1*32768/(32e9*0.50))},
	} {
		pl := plan70BFP8(t, d, tt.gpu, tt.tp)
		got := d.step(&pl, w, prm, 1).CommTime
		if diff := got.Seconds() - tt.want; diff > 1e-6 || diff < -1e-6 {
			t.Errorf("%s TP%d: all-reduce time %v, want %gs", tt.gpu, tt.tp, got, tt.want)
		}
	}
	// On PCIe, more tensor parallelism stops paying: 8×L40S serve 70B
	// better as two TP4 replicas than as one TP8 group.
	in := &Instance{Provider: "test", Name: "8xL40S", GPU: "L40S", GPUCount: 8, GPUMemGiB: 48}
	pl := d.Evaluate(mustModel(t, d, "Llama-3.1-70B"), in, FP8, Workload{InputTokens: 1000, OutputTokens: 1000}, prm)
	if !pl.Fits || pl.TP != 4 || pl.Replicas != 2 {
		t.Errorf("8×L40S layout TP%d×%d (fits %v)", pl.TP, pl.Replicas, pl.Fits)
	}
}

func TestLatencyTargetCapsBatch(t *testing.T) {
	d := mustData(t)
	m, in := mustModel(t, d, "Llama-3.1-70B"), mustInstance(t, d, "p5.48xlarge")
	var prevBatch, prevTPS float64
	for i, target := range []time.Duration{25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 0} {
		w := Workload{InputTokens: 1000, OutputTokens: 1000, TPOTTarget: target}
		pl := d.Evaluate(m, in, FP8, w, DefaultParams())
		if !pl.Fits {
			t.Fatalf("%v: %v", target, pl.Reasons)
		}
		if target > 0 && pl.Perf.TPOT > target {
			t.Errorf("%v: TPOT %v limited by %s", target, pl.Perf.TPOT, pl.Perf.LimitedBy)
		}
		if i > 0 && (float64(pl.Perf.Batch) < prevBatch || pl.Perf.TotalTokS < prevTPS) {
			t.Errorf("%v: batch %d, %.0f tok/s: a looser target served less", target, pl.Perf.Batch, pl.Perf.TotalTokS)
		}
		prevBatch, prevTPS = float64(pl.Perf.Batch), pl.Perf.TotalTokS
	}
}

func TestAtRate(t *testing.T) {
	d := mustData(t)
	w := Workload{InputTokens: 467, OutputTokens: 256}
	prm := DefaultParams()
	pl := d.PlanFor(mustModel(t, d, "Llama-3.1-8B"), d.GPU("H100-SXM"), 1, BF16, w, prm)
	low, ok1 := d.AtRate(&pl, w, prm, 1)
	high, ok2 := d.AtRate(&pl, w, prm, 20)
	if !ok1 || !ok2 {
		t.Fatal("cannot keep up")
	}
	if !(high.TPOT > low.TPOT && high.Batch > low.Batch) {
		t.Errorf("rate 1: %v at batch %d; rate 20: %v at batch %d", low.TPOT, low.Batch, high.TPOT, high.Batch)
	}
	// Little's law: the concurrency is the rate times the time in system.
	if got := float64(high.Batch); !near(got, 20*(d.prefillTime(&pl, w, prm)+256*high.TPOT.Seconds()), 0.05) {
		t.Errorf("batch %v at 20 req/s with TPOT %v", high.Batch, high.TPOT)
	}
	if _, ok := d.AtRate(&pl, w, prm, 1e6); ok {
		t.Error("a million requests a second fit")
	}
}

func TestRoof(t *testing.T) {
	if roof(3, 1, 0) != 3 || roof(0, 2, 1.25) != 2 {
		t.Error("plain max")
	}
	if got := roof(1, 1, 1); got != 2 {
		t.Errorf("p=1 adds: %g", got)
	}
	if got := roof(10, 1, 1.25); got <= 10 || got >= 11 {
		t.Errorf("far from the ridge the larger time dominates: %g", got)
	}
}
