package gpu

import (
	"fmt"
	"math"
	"strings"
)

// Precision is the numeric format of the weights.
type Precision string

// Weight precisions. FP8 runs FP8 tensor-core GEMMs where the GPU has them
// (Ada, Hopper, Blackwell; W8A8) and weight-only kernels elsewhere; INT8 and
// INT4 are weight-only (W8A16, and AWQ/GPTQ-style W4A16 with group-128
// scales), computing in BF16.
const (
	BF16 Precision = "bf16"
	FP8  Precision = "fp8"
	INT8 Precision = "int8"
	INT4 Precision = "int4"
)

// Precisions lists every precision, widest first.
var Precisions = []Precision{BF16, FP8, INT8, INT4}

// ParsePrecision parses "bf16", "fp8", "int8" or "int4" (also "fp16",
// "4bit", "8bit" and "w4a16" style spellings).
func ParsePrecision(s string) (Precision, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "bf16", "fp16", "16bit":
		return BF16, nil
	case "fp8", "w8a8-fp8":
		return FP8, nil
	case "int8", "8bit", "w8a16":
		return INT8, nil
	case "int4", "4bit", "w4a16", "awq", "gptq":
		return INT4, nil
	}
	return "", fmt.Errorf("unknown precision %q (want bf16, fp8, int8 or int4)", s)
}

// WeightBytes is the bytes per quantised parameter: INT4 stores 4 bits plus
// an FP16 scale and zero point per group of 128 (4.25 bits).
func (p Precision) WeightBytes() float64 {
	switch p {
	case FP8, INT8:
		return 1
	case INT4:
		return 4.25 / 8
	}
	return 2
}

// KVCache is the KV cache element format.
type KVCache string

// KV cache formats. KVAuto is FP8 when the weights are FP8 on a GPU with
// FP8 tensor cores (TensorRT-LLM sets an FP8 cache with FP8 quantization),
// BF16 otherwise.
const (
	KVAuto KVCache = "auto"
	KVBF16 KVCache = "bf16"
	KVFP8  KVCache = "fp8"
)

func (k KVCache) resolve(p Precision, g *GPU) KVCache {
	if k == KVBF16 || k == KVFP8 {
		return k
	}
	if p == FP8 && g.FP8TFLOPS > 0 {
		return KVFP8
	}
	return KVBF16
}

func (k KVCache) bytes() float64 {
	if k == KVFP8 {
		return 1
	}
	return 2
}

const (
	giB = 1 << 30
	bil = 1e9
)

// embedParams is the input embedding table (and, untied, the output head):
// quantisation recipes keep them in BF16.
func (m *Model) embedParams() (input, head float64) {
	e := float64(m.Vocab) * float64(m.Hidden)
	if m.Arch.TiedEmbeddings {
		return e, 0
	}
	return e, e
}

// WeightBytes is the memory the weights take at precision p: every
// parameter (all experts of a MoE), with the embedding table and output
// head in BF16.
func (m *Model) WeightBytes(p Precision) float64 {
	in, head := m.embedParams()
	total := m.ParamsB * bil
	return (total-in-head)*p.WeightBytes() + (in+head)*2
}

// expertSplit returns the parameters outside the routed experts (always
// read) and inside them, derived from the total and active counts and the
// fraction of experts a token uses: active = dense + experts·k/E.
func (m *Model) expertSplit() (dense, experts float64) {
	total, active := m.ParamsB*bil, m.ActiveParamsB*bil
	if !m.IsMoE() {
		return total, 0
	}
	f := float64(m.Arch.ExpertsPerToken) / float64(m.Arch.Experts)
	dense = (active - total*f) / (1 - f)
	dense = math.Max(0, math.Min(dense, active))
	return dense, total - dense
}

// touchedExperts is the expected fraction of a layer's routed experts that
// n tokens use together, with uniform routing: 1-(1-k/E)^n. One token
// touches k/E of them (the active parameters); a large batch touches all.
func (m *Model) touchedExperts(n float64) float64 {
	if !m.IsMoE() {
		return 1
	}
	f := float64(m.Arch.ExpertsPerToken) / float64(m.Arch.Experts)
	return 1 - math.Pow(1-f, math.Max(n, 1))
}

// weightReadBytes is what one forward step over n tokens reads from
// memory: the dense weights, the experts those tokens route to, the output
// head; the input embedding is a lookup of n rows, not a full read.
func (m *Model) weightReadBytes(p Precision, n float64) float64 {
	in, head := m.embedParams()
	dense, experts := m.expertSplit()
	dense -= in + head
	return dense*p.WeightBytes() + experts*m.touchedExperts(n)*p.WeightBytes() + head*2
}

// KVBytesPerToken is the KV cache one token of context takes across all
// layers at format kv, ignoring sliding windows: 2 (K and V) × layers ×
// KV heads × head dim × bytes; for MLA, layers × (latent + rotary key) ×
// bytes.
func (m *Model) KVBytesPerToken(kv KVCache) float64 {
	return float64(m.Layers) * m.kvPerLayer(kv, 1)
}

// kvPerLayer is the cache one token takes in one layer on one GPU of a
// tensor-parallel group of tp: KV heads are split across the group
// (replicated when tp exceeds them); an MLA latent is not split.
func (m *Model) kvPerLayer(kv KVCache, tp int) float64 {
	if mla := m.Arch.MLA; mla != nil {
		return float64(mla.KVLoraRank+mla.RopeDim) * kv.bytes()
	}
	heads := (m.KVHeads + tp - 1) / tp
	return 2 * float64(heads) * float64(m.HeadDim) * kv.bytes()
}

// kvSeqBytes is the cache a sequence of n tokens holds on one GPU of a
// group of tp: sliding-window layers stop at their window.
func (m *Model) kvSeqBytes(kv KVCache, tp int, n float64) float64 {
	full := float64(m.Layers - m.Arch.SlidingLayers)
	win := float64(m.Arch.SlidingLayers) * math.Min(n, float64(m.Arch.SlidingWindow))
	return m.kvPerLayer(kv, tp) * (full*n + win)
}

// attnFLOPsPerCtx is the attention FLOPs one query token spends per token
// of context it attends to, over all layers (QK and PV products). MLA with
// absorbed projections works in the latent space (576 for scores, 512 for
// values per head).
func (m *Model) attnFLOPsPerCtx() float64 {
	qk, v := float64(m.HeadDim), float64(m.HeadDim)
	if mla := m.Arch.MLA; mla != nil {
		qk, v = float64(mla.KVLoraRank+mla.RopeDim), float64(mla.KVLoraRank)
	}
	return 2 * float64(m.Heads) * (qk + v)
}

// attnFLOPs is the attention FLOPs of one query token with ctx tokens of
// context, all layers (sliding layers see at most their window).
func (m *Model) attnFLOPs(ctx float64) float64 {
	full := float64(m.Layers - m.Arch.SlidingLayers)
	win := float64(m.Arch.SlidingLayers) * math.Min(ctx, float64(m.Arch.SlidingWindow))
	return m.attnFLOPsPerCtx() * (full*ctx + win)
}

// matmulFLOPs is 2 × active parameters per token, without the embedding
// lookup.
func (m *Model) matmulFLOPs() float64 {
	in, _ := m.embedParams()
	return 2 * (m.ActiveParamsB*bil - in)
}
