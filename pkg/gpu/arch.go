package gpu

// Architecture details model-specs.csv does not carry, and GPU details
// gpu-specs.csv does not carry, each with its source.

// Arch is what the memory and throughput model needs beyond the size
// columns of model-specs.csv.
type Arch struct {
	// MLA is set for multi-head latent attention (DeepSeek-V3/R1): the KV
	// cache holds one compressed latent per token and layer instead of K
	// and V per KV head, and it is not split by tensor parallelism.
	MLA *MLA
	// SlidingLayers of the Layers attend over a window of SlidingWindow
	// tokens only, so their KV cache stops growing at that length.
	SlidingLayers, SlidingWindow int
	// Experts and ExpertsPerToken describe a mixture of experts: routed
	// experts per layer and how many each token uses (0 for dense models).
	Experts, ExpertsPerToken int
	// TiedEmbeddings: the output head shares the input embedding matrix.
	TiedEmbeddings bool
	Source         string
}

// MLA is DeepSeek's multi-head latent attention.
type MLA struct {
	// KVLoraRank is the latent width, RopeDim the decoupled rotary key
	// width; the cache holds KVLoraRank+RopeDim values per token and layer.
	KVLoraRank, RopeDim int
}

// archs is keyed by model-specs.csv's model column; Load fails for a model
// without an entry, so a new row cannot be modelled by accident as dense
// GQA. Figures from each model's Hugging Face config.json.
var archs = map[string]Arch{
	"Llama-3.1-8B":           {Source: "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/config.json"},
	"Llama-3.1-70B":          {Source: "https://huggingface.co/meta-llama/Llama-3.1-70B-Instruct/blob/main/config.json"},
	"Llama-3.1-405B":         {Source: "https://huggingface.co/meta-llama/Llama-3.1-405B-Instruct/blob/main/config.json"},
	"Llama-3.3-70B":          {Source: "https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct/blob/main/config.json"},
	"Qwen2.5-7B":             {Source: "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/config.json"},
	"Qwen2.5-72B":            {Source: "https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/config.json"},
	"Mistral-Small-2409":     {Source: "https://huggingface.co/mistralai/Mistral-Small-Instruct-2409/blob/main/config.json"},
	"Mistral-Small-24B-2501": {Source: "https://huggingface.co/mistralai/Mistral-Small-24B-Instruct-2501/blob/main/config.json"},
	// num_local_experts 8, num_experts_per_tok 2.
	"Mixtral-8x7B": {Experts: 8, ExpertsPerToken: 2,
		Source: "https://huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1/blob/main/config.json"},
	// kv_lora_rank 512, qk_rope_head_dim 64, n_routed_experts 256,
	// num_experts_per_tok 8 (plus one shared expert, inside the active
	// parameters). model-specs.csv's kv_heads/head_dim (128/192) describe
	// the attention heads, not the cache.
	"DeepSeek-V3": {MLA: &MLA{KVLoraRank: 512, RopeDim: 64}, Experts: 256, ExpertsPerToken: 8,
		Source: "https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json"},
	// num_local_experts 32/128, experts_per_token 4, sliding_window 128 on
	// every other layer (layer_types).
	"gpt-oss-20b": {Experts: 32, ExpertsPerToken: 4, SlidingLayers: 12, SlidingWindow: 128,
		Source: "https://huggingface.co/openai/gpt-oss-20b/blob/main/config.json"},
	"gpt-oss-120b": {Experts: 128, ExpertsPerToken: 4, SlidingLayers: 18, SlidingWindow: 128,
		Source: "https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json"},
}

// Link is how the GPUs of one instance exchange tensor-parallel
// activations.
type Link struct {
	Kind string // "nvlink", "xgmi", "pcie" or "none"
	// GBs is the peak per-GPU bandwidth in one direction, GB/s.
	GBs    float64
	Source string
}

// links by GPU name. NVLink figures are the datasheets' bidirectional
// per-GPU totals halved; PCIe is x16 per direction. Cards sold without a
// bridge on these instances (g5, g6, g6e, PCIe A100/H100) talk over PCIe.
var links = map[string]Link{
	"H100-SXM":       {"nvlink", 450, "https://www.nvidia.com/en-us/data-center/h100/ (NVLink 900 GB/s)"},
	"H200":           {"nvlink", 450, "https://www.nvidia.com/en-us/data-center/h200/ (NVLink 900 GB/s)"},
	"B200":           {"nvlink", 900, "https://www.nvidia.com/en-us/data-center/hgx/ (NVLink 1.8 TB/s per GPU)"},
	"A100-40GB-SXM":  {"nvlink", 300, "https://www.nvidia.com/en-us/data-center/a100/ (NVLink 600 GB/s)"},
	"A100-80GB-SXM":  {"nvlink", 300, "https://www.nvidia.com/en-us/data-center/a100/ (NVLink 600 GB/s)"},
	"MI300X":         {"xgmi", 448, "https://www.amd.com/content/dam/amd/en/documents/instinct-tech-docs/data-sheets/amd-instinct-mi300x-data-sheet.pdf (896 GB/s peak Infinity Fabric)"},
	"H100-PCIe":      {"pcie", 64, "https://github.com/cli99/llm-analysis/blob/main/llm_analysis/gpu_configs/h100-pcie-80gb.json (PCIe Gen5 x16)"},
	"A100-80GB-PCIe": {"pcie", 32, "https://www.nvidia.com/en-us/data-center/a100/ (PCIe Gen4 x16)"},
	"L40S":           {"pcie", 32, "https://www.nvidia.com/en-us/data-center/l40s/ (PCIe Gen4 x16, no NVLink)"},
	"L4":             {"pcie", 32, "https://www.nvidia.com/en-us/data-center/l4/ (PCIe Gen4 x16)"},
	"A10G":           {"pcie", 32, "https://github.com/cli99/llm-analysis/blob/main/llm_analysis/gpu_configs/a10g-pcie-24gb.json (PCIe Gen4 x16)"},
	"A10":            {"pcie", 32, "https://www.nvidia.com/en-us/data-center/products/a10-gpu/ (PCIe Gen4 x16)"},
	"GH200":          {"none", 0, "single GPU instances only"},
}

// extraGPUs are GPUs that instances use but gpu-specs.csv has no row for.
// Each is derived from a row of gpu-specs.csv or a datasheet, as cited.
var extraGPUs = []*GPU{
	{Name: "A100-80GB-PCIe", MemGiB: 80, BandwidthGBs: 1935, BF16TFLOPS: 312, FP8TFLOPS: 0,
		Note:   "A100-80GB-SXM row with the PCIe variant's 1935 GB/s (that row's note); no FP8.",
		Source: "https://github.com/cli99/llm-analysis/blob/main/llm_analysis/gpu_configs/a100-sxm-80gb.json"},
	{Name: "A10", MemGiB: 24, BandwidthGBs: 600, BF16TFLOPS: 125, FP8TFLOPS: 0,
		Note:   "NVIDIA A10 datasheet: 125 TFLOPS BF16 dense (250 sparse), 600 GB/s GDDR6 (the A10G row's note); no FP8.",
		Source: "https://www.nvidia.com/en-us/data-center/products/a10-gpu/"},
	{Name: "GH200", MemGiB: 96, BandwidthGBs: 4000, BF16TFLOPS: 989, FP8TFLOPS: 1979,
		Note:   "Grace Hopper 96 GB HBM3 at 4 TB/s; H100 compute (the H200 row's note: same GH100 compute).",
		Source: "https://www.nvidia.com/en-us/data-center/grace-hopper-superchip/"},
}

// modelled reports whether the throughput model applies to g: NVIDIA GPUs
// served with vLLM/TensorRT-LLM-class engines. AWS Inferentia2 runs a
// different stack (Neuron) that the calibration does not cover.
func modelled(g *GPU) (bool, string) {
	if g.Name == "Inferentia2" {
		return false, "AWS Inferentia2 runs the Neuron SDK, not a CUDA serving engine; its throughput is not modelled or calibrated"
	}
	return true, ""
}
