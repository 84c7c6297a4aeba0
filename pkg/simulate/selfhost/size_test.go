package selfhost

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/llmcost/llmcost/pkg/gpu"
)

func TestBreakEven(t *testing.T) {
	for _, tt := range []struct {
		name                    string
		m, ops, api, perInst, k float64
		never                   bool
	}{
		// One instance ($10 for the window) carries 100× the logged traffic,
		// which costs $1 at the API: break-even at 10×.
		{"first band", 10, 0, 1, 100, 10, false},
		// $95 of ops: one instance ($105) is never enough below 100×; two
		// ($115) win from 115×.
		{"ops push to the second band", 10, 95, 1, 100, 115, false},
		{"an instance costs more than its traffic", 150, 0, 1, 100, 0, true},
		{"no API cost", 10, 0, 0, 100, 0, true},
		{"no peak", 10, 0, 1, 0, 0, true},
	} {
		k, never := breakEven(tt.m, tt.ops, tt.api, tt.perInst)
		if never != tt.never || k != tt.k {
			t.Errorf("%s: k %v never %v, want %v %v", tt.name, k, never, tt.k, tt.never)
		}
	}
}

func TestSpreadOver(t *testing.T) {
	c := make([]int64, 5)
	spreadOver(c, 1, 3, 10) // 4, 3, 3
	spreadOver(c, 3, 24, 5) // clamped to buckets 3 and 4: 3, 2
	want := []int64{0, 4, 3, 6, 2}
	for i := range c {
		if c[i] != want[i] {
			t.Fatalf("curve %v, want %v", c, want)
		}
	}
	spreadOver(c, 5, 3, 7) // past the end: nothing
	spreadOver(c, 0, 0, 7)
	if c[0] != 0 {
		t.Errorf("curve %v", c)
	}
}

func TestPercentile(t *testing.T) {
	v := sortedCopy([]int64{5, 1, 4, 2, 3, 10, 6, 7, 8, 9})
	for p, want := range map[float64]int64{50: 5, 90: 9, 99: 10, 100: 10, 1: 1} {
		if got := percentile(v, p); got != want {
			t.Errorf("p%v = %d, want %d", p, got, want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("empty")
	}
	if needed(0, 100) != 1 || needed(100, 100) != 1 || needed(100.5, 100) != 2 || needed(1, 0) != 0 {
		t.Error("needed")
	}
}

func TestFormats(t *testing.T) {
	for x, want := range map[float64]float64{2771924998: 2.78e9, 1098686869: 1.1e9, 123: 123, 0.5: 0.5, 0: 0} {
		if got := ceil3(x); math.Abs(got-want) > 1e-6*want {
			t.Errorf("ceil3(%v) = %v, want %v", x, got, want)
		}
	}
	for d, want := range map[string]string{"10000": "$10,000", "12345.678": "$12,345.68", "0.5": "$0.50", "9.999": "$10"} {
		if got := dollars(decimal.RequireFromString(d)); got != want {
			t.Errorf("dollars(%s) = %s, want %s", d, got, want)
		}
	}
}

func TestParseLatency(t *testing.T) {
	for in, want := range map[string]time.Duration{"50ms": 50 * time.Millisecond, "0.1s": 100 * time.Millisecond, "75": 75 * time.Millisecond, "0": 0, "none": 0} {
		if got, err := parseLatency(in); err != nil || got != want {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"-5ms", "-3", "soon", "", "2m", "10000000000000", "NaN"} {
		if _, err := parseLatency(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// FuzzConfig: any YAML decodes to an error or a checked configuration
// whose ranges hold; nothing panics.
func FuzzConfig(f *testing.F) {
	for _, s := range []string{
		"{}", "{replace: [gpt-4o*], model: llama-70b}", "{model: llama-70b, instance: g5.xlarge}",
		"{instance: g6e.xlarge, price_per_hour: 1.2, discount: 30%, ops_cost: $5000}", "{bucket: minute, utilization: 0.5, latency_target: 0}",
		"{match: {tag: [team=x], hours: [22-6]}, precision: [int4, fp8], clouds: aws}", "{kv_cache: fp8, latency_target: 20}",
	} {
		f.Add(s)
	}
	data, err := gpu.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var c Config
		dec := yaml.NewDecoder(strings.NewReader(src))
		dec.KnownFields(true)
		if dec.Decode(&c) != nil {
			return
		}
		s, err := c.check(data)
		if err != nil {
			return
		}
		if !(s.util > 0 && s.util <= 1) || s.tpot < 0 || s.discount.IsNegative() || s.ops.IsNegative() || len(s.precs) == 0 ||
			(s.bucket != time.Hour && s.bucket != time.Minute) || (s.override != nil && s.instance == nil) {
			t.Fatalf("%q: checked settings out of range: %+v", src, s)
		}
	})
}
