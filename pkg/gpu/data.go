package gpu

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	pricingdata "github.com/llmcost/llmcost/pricing-data"
)

// Files of the data set, at the root of the fs.FS given to Load.
const (
	InstancesFile = "gpu-instances.csv"
	GPUsFile      = "gpu-specs.csv"
	ModelsFile    = "model-specs.csv"
)

// Headers are the exact CSV headers of the three files, in order.
var (
	InstancesHeader = []string{"provider", "instance", "gpu", "gpu_count", "gpu_mem_gib_each", "vcpus", "ram_gib", "on_demand_usd_per_hour", "region", "price_source_url", "price_date"}
	GPUsHeader      = []string{"gpu", "mem_gib", "mem_bandwidth_gbs", "bf16_dense_tflops", "fp8_dense_tflops", "int4_or_fp4_note", "source_url"}
	ModelsHeader    = []string{"model", "params_b", "active_params_b", "layers", "hidden", "heads", "kv_heads", "head_dim", "vocab", "max_context", "source_url"}
)

// GPU is one accelerator's datasheet figures (gpu-specs.csv).
type GPU struct {
	Name string
	// MemGiB is the memory per GPU in GiB as the data set gives it.
	MemGiB float64
	// BandwidthGBs is the peak memory bandwidth in GB/s (1e9 bytes/s).
	BandwidthGBs float64
	// BF16TFLOPS and FP8TFLOPS are dense (not sparse) tensor-core peaks;
	// FP8TFLOPS is 0 when the GPU has no FP8 tensor cores.
	BF16TFLOPS, FP8TFLOPS float64
	Note, Source          string
}

// Instance is one cloud instance type (gpu-instances.csv).
type Instance struct {
	Provider  string // aws, gcp, azure, lambda, runpod
	Name      string
	GPU       string
	GPUCount  int
	GPUMemGiB float64
	VCPUs     int
	RAMGiB    float64
	// HourlyUSD is the on-demand list price of the whole instance.
	HourlyUSD decimal.Decimal
	Region    string
	Source    string
	PriceDate time.Time
}

// Model is one open-weight model architecture (model-specs.csv), with the
// attention and mixture-of-experts details of arch.go.
type Model struct {
	Name string
	// ParamsB is every parameter (what must be in memory); ActiveParamsB is
	// what one token goes through (equal to ParamsB for dense models).
	ParamsB, ActiveParamsB float64
	Layers, Hidden         int
	Heads, KVHeads         int
	HeadDim, Vocab         int
	MaxContext             int
	Source                 string
	Arch                   Arch
}

// IsMoE reports whether the model is a mixture of experts.
func (m *Model) IsMoE() bool { return m.Arch.Experts > 0 }

// Data is the loaded data set. It is immutable after Load and safe for
// concurrent use.
type Data struct {
	Instances []*Instance // sorted by provider, then hourly price, then name
	GPUs      map[string]*GPU
	Models    []*Model // in file order
	byModel   map[string]*Model
}

// GPU returns the spec of name, or nil.
func (d *Data) GPU(name string) *GPU { return d.GPUs[name] }

// Model returns the model spec named name (case-insensitive), or nil.
func (d *Data) Model(name string) *Model { return d.byModel[strings.ToLower(name)] }

// Instance returns the instance named name (case-insensitive), or nil.
// Names are unique across providers.
func (d *Data) Instance(name string) *Instance {
	for _, in := range d.Instances {
		if strings.EqualFold(in.Name, name) {
			return in
		}
	}
	return nil
}

// Providers returns the instance providers, sorted.
func (d *Data) Providers() []string {
	seen := map[string]bool{}
	var out []string
	for _, in := range d.Instances {
		if !seen[in.Provider] {
			seen[in.Provider] = true
			out = append(out, in.Provider)
		}
	}
	sort.Strings(out)
	return out
}

var (
	defaultOnce sync.Once
	defaultData *Data
	defaultErr  error
)

// Default returns the data set embedded in the binary (pricing-data), loaded
// once and shared: do not modify it.
func Default() (*Data, error) {
	defaultOnce.Do(func() {
		defaultData, defaultErr = Load(pricingdata.GPUFS)
	})
	return defaultData, defaultErr
}

// Load reads and validates the three CSV files at the root of fsys. Errors
// name the file and line.
func Load(fsys fs.FS) (*Data, error) {
	open := func(name string) (io.ReadCloser, error) {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("gpu: %w", err)
		}
		return f, nil
	}
	d := &Data{GPUs: map[string]*GPU{}, byModel: map[string]*Model{}}
	f, err := open(GPUsFile)
	if err != nil {
		return nil, err
	}
	gpus, err := ParseGPUs(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	for _, g := range gpus {
		d.GPUs[g.Name] = g
	}
	for _, g := range extraGPUs {
		if d.GPUs[g.Name] == nil {
			d.GPUs[g.Name] = g
		}
	}
	if f, err = open(InstancesFile); err != nil {
		return nil, err
	}
	d.Instances, err = ParseInstances(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	if f, err = open(ModelsFile); err != nil {
		return nil, err
	}
	d.Models, err = ParseModels(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	for _, m := range d.Models {
		d.byModel[strings.ToLower(m.Name)] = m
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	sort.SliceStable(d.Instances, func(i, j int) bool {
		a, b := d.Instances[i], d.Instances[j]
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		if c := a.HourlyUSD.Cmp(b.HourlyUSD); c != 0 {
			return c < 0
		}
		return a.Name < b.Name
	})
	return d, nil
}

// validate checks what spans files: every instance's GPU has a spec whose
// memory matches, and every model has its architecture details.
func (d *Data) validate() error {
	var errs []error
	names := map[string]bool{}
	for _, in := range d.Instances {
		key := strings.ToLower(in.Name)
		if names[key] {
			errs = append(errs, fmt.Errorf("gpu: %s: instance %s listed twice", InstancesFile, in.Name))
		}
		names[key] = true
		g := d.GPUs[in.GPU]
		if g == nil {
			errs = append(errs, fmt.Errorf("gpu: %s: instance %s: gpu %q has no row in %s", InstancesFile, in.Name, in.GPU, GPUsFile))
			continue
		}
		// The instance lists the memory the provider reports; it must be
		// close to the datasheet (B200: AWS lists 179 of 180 GiB).
		if diff := in.GPUMemGiB - g.MemGiB; diff > 1.5 || diff < -1.5 {
			errs = append(errs, fmt.Errorf("gpu: %s: instance %s: %g GiB per GPU, but %s has %g GiB", InstancesFile, in.Name, in.GPUMemGiB, g.Name, g.MemGiB))
		}
	}
	for _, m := range d.Models {
		if _, ok := archs[m.Name]; !ok {
			errs = append(errs, fmt.Errorf("gpu: %s: model %s: no architecture entry in pkg/gpu/arch.go (attention and experts)", ModelsFile, m.Name))
		}
	}
	return errors.Join(errs...)
}

// rows reads a CSV with exactly header and calls row for each record with
// its line number.
func rows(r io.Reader, file string, header []string, row func(line int, rec []string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(header)
	h, err := cr.Read()
	if err != nil {
		return fmt.Errorf("gpu: %s: header: %w", file, err)
	}
	if strings.Join(h, ",") != strings.Join(header, ",") {
		return fmt.Errorf("gpu: %s: header is %q, want %q", file, strings.Join(h, ","), strings.Join(header, ","))
	}
	var errs []error
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return fmt.Errorf("gpu: %s: %w", file, err)
		}
		if err := row(line, rec); err != nil {
			errs = append(errs, fmt.Errorf("gpu: %s:%d: %w", file, line, err))
		}
	}
	return errors.Join(errs...)
}

// fieldParser parses the columns of one record, keeping the first error.
type fieldParser struct {
	rec    []string
	header []string
	err    error
}

func (p *fieldParser) fail(i int, format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("%s: %s", p.header[i], fmt.Sprintf(format, args...))
	}
}

func (p *fieldParser) str(i int) string {
	s := strings.TrimSpace(p.rec[i])
	if s == "" {
		p.fail(i, "empty")
	}
	return s
}

func (p *fieldParser) pos(i int) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(p.rec[i]), 64)
	if err != nil || v <= 0 {
		p.fail(i, "%q is not a positive number", p.rec[i])
	}
	return v
}

func (p *fieldParser) nonNeg(i int) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(p.rec[i]), 64)
	if err != nil || v < 0 {
		p.fail(i, "%q is not a number >= 0", p.rec[i])
	}
	return v
}

func (p *fieldParser) posInt(i int) int {
	v, err := strconv.Atoi(strings.TrimSpace(p.rec[i]))
	if err != nil || v <= 0 {
		p.fail(i, "%q is not a positive integer", p.rec[i])
	}
	return v
}

func (p *fieldParser) url(i int) string {
	s := p.str(i)
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		p.fail(i, "%q is not an https URL", s)
	}
	return s
}

// ParseGPUs reads gpu-specs.csv.
func ParseGPUs(r io.Reader) ([]*GPU, error) {
	var out []*GPU
	seen := map[string]bool{}
	err := rows(r, GPUsFile, GPUsHeader, func(line int, rec []string) error {
		p := &fieldParser{rec: rec, header: GPUsHeader}
		g := &GPU{
			Name: p.str(0), MemGiB: p.pos(1), BandwidthGBs: p.pos(2),
			BF16TFLOPS: p.pos(3), FP8TFLOPS: p.nonNeg(4), Note: strings.TrimSpace(rec[5]), Source: p.url(6),
		}
		if p.err != nil {
			return p.err
		}
		if seen[g.Name] {
			return fmt.Errorf("gpu %s listed twice", g.Name)
		}
		seen[g.Name] = true
		out = append(out, g)
		return nil
	})
	return out, err
}

// ParseInstances reads gpu-instances.csv.
func ParseInstances(r io.Reader) ([]*Instance, error) {
	var out []*Instance
	err := rows(r, InstancesFile, InstancesHeader, func(line int, rec []string) error {
		p := &fieldParser{rec: rec, header: InstancesHeader}
		in := &Instance{
			Provider: strings.ToLower(p.str(0)), Name: p.str(1), GPU: p.str(2), GPUCount: p.posInt(3),
			GPUMemGiB: p.pos(4), VCPUs: p.posInt(5), RAMGiB: p.pos(6), Region: p.str(8), Source: p.url(9),
		}
		price, err := decimal.NewFromString(strings.TrimSpace(rec[7]))
		if err != nil || !price.IsPositive() {
			p.fail(7, "%q is not a positive price", rec[7])
		}
		in.HourlyUSD = price
		d, err := time.Parse("2006-01-02", strings.TrimSpace(rec[10]))
		if err != nil {
			p.fail(10, "%q is not a YYYY-MM-DD date", rec[10])
		}
		in.PriceDate = d
		if p.err != nil {
			return p.err
		}
		out = append(out, in)
		return nil
	})
	return out, err
}

// ParseModels reads model-specs.csv.
func ParseModels(r io.Reader) ([]*Model, error) {
	var out []*Model
	seen := map[string]bool{}
	err := rows(r, ModelsFile, ModelsHeader, func(line int, rec []string) error {
		p := &fieldParser{rec: rec, header: ModelsHeader}
		m := &Model{
			Name: p.str(0), ParamsB: p.pos(1), ActiveParamsB: p.pos(2), Layers: p.posInt(3), Hidden: p.posInt(4),
			Heads: p.posInt(5), KVHeads: p.posInt(6), HeadDim: p.posInt(7), Vocab: p.posInt(8), MaxContext: p.posInt(9),
			Source: p.url(10),
		}
		if p.err != nil {
			return p.err
		}
		switch {
		case m.ActiveParamsB > m.ParamsB:
			return fmt.Errorf("active_params_b %g exceeds params_b %g", m.ActiveParamsB, m.ParamsB)
		case m.KVHeads > m.Heads:
			return fmt.Errorf("kv_heads %d exceeds heads %d", m.KVHeads, m.Heads)
		case m.Heads%m.KVHeads != 0:
			return fmt.Errorf("heads %d is not a multiple of kv_heads %d", m.Heads, m.KVHeads)
		case seen[strings.ToLower(m.Name)]:
			return fmt.Errorf("model %s listed twice", m.Name)
		}
		seen[strings.ToLower(m.Name)] = true
		m.Arch = archs[m.Name]
		out = append(out, m)
		return nil
	})
	return out, err
}
