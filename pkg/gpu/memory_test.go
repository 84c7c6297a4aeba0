package gpu

import (
	"math"
	"strings"
	"testing"
	"testing/fstest"
)

func near(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b)) }

func mustModel(t *testing.T, d *Data, name string) *Model {
	t.Helper()
	m := d.Model(name)
	if m == nil {
		t.Fatalf("no model %s", name)
	}
	return m
}

func TestLoadDefault(t *testing.T) {
	d := mustData(t)
	if len(d.Instances) != 62 || len(d.Models) != 12 {
		t.Fatalf("%d instances, %d models", len(d.Instances), len(d.Models))
	}
	for _, in := range d.Instances {
		if d.GPU(in.GPU) == nil {
			t.Errorf("%s: no spec for %s", in.Name, in.GPU)
		}
		if _, ok := links[in.GPU]; !ok && in.GPU != "Inferentia2" {
			t.Errorf("%s: no link entry for %s", in.Name, in.GPU)
		}
		if in.Source == "" || in.PriceDate.IsZero() {
			t.Errorf("%s: no source or date", in.Name)
		}
	}
	// Sorted by provider, then price.
	for i := 1; i < len(d.Instances); i++ {
		a, b := d.Instances[i-1], d.Instances[i]
		if a.Provider > b.Provider || a.Provider == b.Provider && a.HourlyUSD.GreaterThan(b.HourlyUSD) {
			t.Errorf("%s before %s", a.Name, b.Name)
		}
	}
	if got := strings.Join(d.Providers(), ","); got != "aws,azure,gcp,lambda,runpod" {
		t.Errorf("providers %s", got)
	}
	if d.Instance("P5.48XLARGE") == nil || d.Model("llama-3.1-70b") == nil {
		t.Error("lookups are not case-insensitive")
	}
	// GPUs the instances use but gpu-specs.csv lacks come from arch.go.
	for _, name := range []string{"A100-80GB-PCIe", "A10", "GH200"} {
		if g := d.GPU(name); g == nil || g.Source == "" {
			t.Errorf("%s: no derived spec", name)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	base := map[string]string{}
	for _, name := range []string{InstancesFile, GPUsFile, ModelsFile} {
		f, err := mustDataFS(t).ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		base[name] = string(f)
	}
	for _, tt := range []struct {
		file, old, new, want string
	}{
		{GPUsFile, "H100-SXM,80,3350", "H100-SXM,80,fast", "gpu-specs.csv:7: mem_bandwidth_gbs"},
		{ModelsFile, "Llama-3.1-8B,8.03,8.03", "Llama-3.1-8B,8.03,9.03", "active_params_b 9.03 exceeds params_b 8.03"},
		{ModelsFile, "Qwen2.5-7B,7.61,7.61,28,3584,28,4,", "Qwen2.5-7B,7.61,7.61,28,3584,28,3,", "not a multiple of kv_heads"},
		{InstancesFile, "aws,p5.48xlarge,H100-SXM,8,80,", "aws,p5.48xlarge,H100-SXM,8,40,", "40 GiB per GPU, but H100-SXM has 80 GiB"},
		{InstancesFile, "aws,g5.xlarge,A10G,1,", "aws,g5.xlarge,A10G,0,", "gpu_count"},
	} {
		fsys := fstest.MapFS{}
		for name, s := range base {
			if name == tt.file {
				if !strings.Contains(s, tt.old) {
					t.Fatalf("%s lacks %q", name, tt.old)
				}
				s = strings.Replace(s, tt.old, tt.new, 1)
			}
			fsys[name] = &fstest.MapFile{Data: []byte(s)}
		}
		_, err := Load(fsys)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.want, err, tt.want)
		}
	}
	if _, err := Load(fstest.MapFS{}); err == nil {
		t.Error("empty FS loaded")
	}
}

func TestKVBytes(t *testing.T) {
	d := mustData(t)
	for _, tt := range []struct {
		model      string
		kv         KVCache
		perToken   float64
		tp         int
		seq        float64
		seqPerGPU  float64 // bytes one sequence of seq tokens holds per GPU
		comment    string
		perLayerTP float64
	}{
		// 2 (K,V) × 80 layers × 8 KV heads × 128 × 2 bytes.
		{"Llama-3.1-70B", KVBF16, 327680, 4, 2000, 80 * 2000 * 1024, "TP4: 2 KV heads per GPU", 1024},
		{"Llama-3.1-70B", KVFP8, 163840, 8, 2000, 80 * 2000 * 256, "TP8: 1 KV head per GPU", 256},
		// More GPUs than KV heads: each GPU keeps one head (replicated).
		{"Llama-3.1-70B", KVFP8, 163840, 16, 2000, 80 * 2000 * 256, "TP16 replicates", 256},
		{"Llama-3.1-8B", KVBF16, 131072, 1, 100, 131072 * 100, "", 4096},
		{"Qwen2.5-7B", KVBF16, 57344, 2, 10, 28 * 10 * 1024, "4 KV heads", 1024},
		// MLA: 61 layers × (512 latent + 64 rotary) × 2 bytes, not split by TP.
		{"DeepSeek-V3", KVBF16, 70272, 8, 1000, 70272 * 1000, "MLA replicated", 1152},
		// gpt-oss: 18 of 36 layers slide over 128 tokens.
		{"gpt-oss-120b", KVBF16, 73728, 1, 2000, 2048 * (18*2000 + 18*128), "sliding window", 2048},
		{"gpt-oss-120b", KVBF16, 73728, 1, 100, 2048 * 36 * 100, "shorter than the window", 2048},
	} {
		m := mustModel(t, d, tt.model)
		if got := m.KVBytesPerToken(tt.kv); got != tt.perToken {
			t.Errorf("%s %s: %g bytes per token, want %g", tt.model, tt.kv, got, tt.perToken)
		}
		if got := m.kvPerLayer(tt.kv, tt.tp); got != tt.perLayerTP {
			t.Errorf("%s %s TP%d: %g bytes per layer per GPU, want %g (%s)", tt.model, tt.kv, tt.tp, got, tt.perLayerTP, tt.comment)
		}
		if got := m.kvSeqBytes(tt.kv, tt.tp, tt.seq); got != tt.seqPerGPU {
			t.Errorf("%s %s TP%d %g tokens: %g bytes per GPU, want %g (%s)", tt.model, tt.kv, tt.tp, tt.seq, got, tt.seqPerGPU, tt.comment)
		}
	}
}

func TestWeightBytes(t *testing.T) {
	d := mustData(t)
	m := mustModel(t, d, "Llama-3.1-70B")
	embed := 128256.0 * 8192 // input table; the output head is as large
	for _, tt := range []struct {
		p    Precision
		want float64
	}{
		{BF16, 70.55e9 * 2},
		{FP8, (70.55e9 - 2*embed) + 2*embed*2},
		{INT8, (70.55e9 - 2*embed) + 2*embed*2},
		{INT4, (70.55e9-2*embed)*4.25/8 + 2*embed*2},
	} {
		if got := m.WeightBytes(tt.p); !near(got, tt.want, 1e-12) {
			t.Errorf("%s: %g, want %g", tt.p, got, tt.want)
		}
	}
	// A mixture of experts keeps every expert in memory.
	mx := mustModel(t, d, "Mixtral-8x7B")
	if got := mx.WeightBytes(BF16); !near(got, 46.7e9*2, 1e-12) {
		t.Errorf("Mixtral bf16 %g", got)
	}
}

func TestMoE(t *testing.T) {
	d := mustData(t)
	mx := mustModel(t, d, "Mixtral-8x7B")
	dense, experts := mx.expertSplit()
	// active = dense + experts × 2/8: 12.9 = dense + (46.7 − dense)/4.
	if !near(dense, (12.9e9-46.7e9/4)/0.75, 1e-9) || !near(dense+experts, 46.7e9, 1e-12) {
		t.Errorf("split %g + %g", dense, experts)
	}
	if got := mx.touchedExperts(1); got != 0.25 {
		t.Errorf("one token touches %g of the experts", got)
	}
	if got := mx.touchedExperts(64); got < 0.999 {
		t.Errorf("64 tokens touch %g of the experts", got)
	}
	in, _ := mx.embedParams()
	// One token reads the active parameters (less the embedding lookup)…
	if got, want := mx.weightReadBytes(BF16, 1), (12.9e9-in)*2; !near(got, want, 1e-9) {
		t.Errorf("batch 1 reads %g, want %g", got, want)
	}
	// …a large batch reads nearly every expert, and FLOPs stay per token
	// at the active size.
	if got, want := mx.weightReadBytes(BF16, 512), (46.7e9-in)*2; !near(got, want, 1e-6) {
		t.Errorf("batch 512 reads %g, want %g", got, want)
	}
	if got, want := mx.matmulFLOPs(), 2*(12.9e9-in); !near(got, want, 1e-12) {
		t.Errorf("FLOPs per token %g, want %g", got, want)
	}
	// DeepSeek-V3: 37B active of 671B.
	ds := mustModel(t, d, "DeepSeek-V3")
	if got := ds.weightReadBytes(FP8, 1); got > 40e9 || got < 30e9 {
		t.Errorf("DeepSeek-V3 batch 1 reads %g bytes", got)
	}
	// A dense model reads everything whatever the batch.
	l := mustModel(t, d, "Llama-3.1-8B")
	if l.touchedExperts(1) != 1 || l.IsMoE() {
		t.Error("dense model treated as MoE")
	}
}

func TestParsePrecision(t *testing.T) {
	for in, want := range map[string]Precision{"bf16": BF16, "FP16": BF16, "fp8": FP8, "int8": INT8, "w4a16": INT4, "AWQ": INT4, "4bit": INT4} {
		if got, err := ParsePrecision(in); err != nil || got != want {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
	if _, err := ParsePrecision("fp4"); err == nil {
		t.Error("fp4 accepted")
	}
}

func mustDataFS(t *testing.T) interface{ ReadFile(string) ([]byte, error) } {
	t.Helper()
	return pricingdataFS{}
}
