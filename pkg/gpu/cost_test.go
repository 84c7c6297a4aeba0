package gpu

import (
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/pricing"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fakePlan is a fitting plan on a $10/hour instance serving tps tokens/s.
func fakePlan(hourly string, tps float64) Plan {
	return Plan{
		Model:    &Model{Name: "test"},
		Instance: &Instance{Provider: "test", Name: "box", GPUCount: 1, HourlyUSD: dec(hourly)},
		Fits:     true,
		Perf:     Perf{TotalTokS: tps},
	}
}

func TestPriceAndSizing(t *testing.T) {
	pl := fakePlan("10", 1000)
	for _, tt := range []struct {
		name                    string
		s                       Sizing
		override                *decimal.Decimal
		hourly, monthly, perM   string
		perInstanceMonth, meanU float64
	}{
		// 1000 tok/s × 0.5 at the peak, peak 2× the mean: 250 tok/s mean,
		// 657M tokens in 730 hours; $7,300 a month; $10 / 0.9M tokens.
		{"24/7", Sizing{HoursPerDay: 24, PeakFactor: 2, Utilization: 0.5}, nil, "10", "7300", "11.1111", 250 * 3600 * 730, 0.25},
		{"discount", Sizing{HoursPerDay: 24, PeakFactor: 2, Utilization: 0.5, Discount: dec("0.3")}, nil, "7", "5110", "7.7778", 250 * 3600 * 730, 0.25},
		// Half the hours: half the bill and half the tokens per instance.
		{"12 h a day", Sizing{HoursPerDay: 12, PeakFactor: 2, Utilization: 0.5}, nil, "10", "3650", "11.1111", 250 * 3600 * 365, 0.25},
		{"flat traffic, full use", Sizing{HoursPerDay: 24, PeakFactor: 1, Utilization: 1}, nil, "10", "7300", "2.7778", 1000 * 3600 * 730, 1},
		{"price override with discount", Sizing{HoursPerDay: 24, PeakFactor: 2, Utilization: 0.5, Discount: dec("0.5")}, ptr(dec("4")), "2", "1460", "2.2222", 250 * 3600 * 730, 0.25},
	} {
		sh, err := Price(pl, tt.s, tt.override)
		if err != nil {
			t.Fatal(err)
		}
		if !sh.HourlyUSD.Equal(dec(tt.hourly)) || !sh.MonthlyUSD.Equal(dec(tt.monthly)) || !sh.PerMillionUSD.Equal(dec(tt.perM)) {
			t.Errorf("%s: $%s/h, $%s/month, $%s/1M; want %s, %s, %s", tt.name, sh.HourlyUSD, sh.MonthlyUSD, sh.PerMillionUSD, tt.hourly, tt.monthly, tt.perM)
		}
		if !near(sh.TokensPerInstanceMonth, tt.perInstanceMonth, 1e-9) || !near(tt.s.MeanUtilization(), tt.meanU, 1e-12) {
			t.Errorf("%s: %g tokens per instance-month, mean utilization %g", tt.name, sh.TokensPerInstanceMonth, tt.s.MeanUtilization())
		}
		if sh.PriceOverridden != (tt.override != nil) {
			t.Errorf("%s: overridden %v", tt.name, sh.PriceOverridden)
		}
	}
	if _, err := Price(Plan{Model: &Model{}, Instance: &Instance{}}, DefaultSizing(), nil); err == nil {
		t.Error("priced a plan that does not fit")
	}
}

func ptr(d decimal.Decimal) *decimal.Decimal { return &d }

// TestPeakSizing: whole instances, sized for the peak hour, at least one.
func TestPeakSizing(t *testing.T) {
	s := Sizing{HoursPerDay: 24, PeakFactor: 2, Utilization: 0.5, OpsMonthlyUSD: dec("1000")}
	sh, _ := Price(fakePlan("10", 1000), s, nil)
	v1 := sh.TokensPerInstanceMonth // 657M
	for _, tt := range []struct {
		tokens    float64
		instances int
		cost      string
		util      float64
	}{
		{0, 1, "8300", 0},
		{1e6, 1, "8300", 0.25 * 1e6 / v1},
		{v1, 1, "8300", 0.25},
		{v1 + 1, 2, "15600", 0.25 * (v1 + 1) / (2 * v1)},
		{10 * v1, 10, "74000", 0.25},
		{10.5 * v1, 11, "81300", 0.25 * 10.5 / 11},
	} {
		if n := sh.Instances(tt.tokens); n != tt.instances {
			t.Errorf("%g tokens: %d instances, want %d", tt.tokens, n, tt.instances)
		}
		if c := sh.MonthlyCost(tt.tokens); !c.Equal(dec(tt.cost)) {
			t.Errorf("%g tokens: $%s, want $%s (instances plus $1000 ops)", tt.tokens, c, tt.cost)
		}
		if u := sh.Utilization(tt.tokens); !near(u, tt.util, 1e-9) && !(u == 0 && tt.util == 0) {
			t.Errorf("%g tokens: utilization %g, want %g", tt.tokens, u, tt.util)
		}
	}
	// The peak, not the mean, decides: the same volume with a sharper
	// peak needs more instances.
	sharp := s
	sharp.PeakFactor = 4
	sh4, _ := Price(fakePlan("10", 1000), sharp, nil)
	if sh4.Instances(10*v1) != 20 {
		t.Errorf("peak 4×: %d instances", sh4.Instances(10*v1))
	}
}

func TestSizingValidate(t *testing.T) {
	if err := DefaultSizing().Validate(); err != nil {
		t.Fatal(err)
	}
	if got := DefaultSizing().HoursPerMonth(); !got.Equal(dec("730")) {
		t.Errorf("24 h a day is %s h a month", got)
	}
	for _, tt := range []struct {
		s    Sizing
		want string
	}{
		{Sizing{HoursPerDay: 25, PeakFactor: 1, Utilization: 1}, "hours per day"},
		{Sizing{HoursPerDay: 0, PeakFactor: 1, Utilization: 1}, "hours per day"},
		{Sizing{HoursPerDay: 24, PeakFactor: 0.5, Utilization: 1}, "peak factor"},
		{Sizing{HoursPerDay: 24, PeakFactor: 1, Utilization: 1.2}, "utilization"},
		{Sizing{HoursPerDay: 24, PeakFactor: 1, Utilization: 0.8, Discount: dec("1")}, "discount"},
		{Sizing{HoursPerDay: 24, PeakFactor: 1, Utilization: 0.8, OpsMonthlyUSD: dec("-1")}, "ops cost"},
	} {
		if err := tt.s.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.s, err, tt.want)
		}
	}
}

func TestAPIPerMillion(t *testing.T) {
	a := API{InputPer1M: dec("3"), OutputPer1M: dec("15")}
	w := Workload{InputTokens: 3000, OutputTokens: 1000}
	if got := a.PerMillion(w); !got.Equal(dec("6")) {
		t.Errorf("blended %s, want 6", got)
	}
	if got := a.MonthlyCost(w, 2e9); !got.Equal(dec("12000")) {
		t.Errorf("2B tokens cost %s", got)
	}
}

// TestBreakEven checks the closed form against a scan of volumes.
func TestBreakEven(t *testing.T) {
	w := Workload{InputTokens: 1000, OutputTokens: 1000}
	for _, tt := range []struct {
		name     string
		hourly   string
		tps      float64
		ops      string
		api      string
		never    bool
		sameBoth bool // First == Always
	}{
		{"cheap per token: wins from one instance's cost on", "10", 1000, "0", "50", false, true},
		{"close per-token costs: wins in windows first", "10", 1000, "0", "12", false, false},
		{"ops cost pushes it out", "10", 1000, "20000", "30", false, false},
		{"a full instance costs more per token", "10", 1000, "0", "11", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := Sizing{HoursPerDay: 24, PeakFactor: 2, Utilization: 0.5, OpsMonthlyUSD: dec(tt.ops)}
			sh, _ := Price(fakePlan(tt.hourly, tt.tps), s, nil) // $11.11 per 1M at best
			a := API{Provider: "x", ModelID: "m", InputPer1M: dec(tt.api), OutputPer1M: dec(tt.api)}
			be := sh.BreakEven(a, w)
			if be.Never != tt.never {
				t.Fatalf("never=%v, want %v (%+v)", be.Never, tt.never, be)
			}
			wins := func(v float64) bool { return !sh.MonthlyCost(v).GreaterThan(a.MonthlyCost(w, v).Round(2)) }
			step := sh.TokensPerInstanceMonth / 500
			limit := 20 * sh.TokensPerInstanceMonth
			if tt.never {
				for v := step; v < limit; v += step {
					if wins(v) {
						t.Fatalf("self-hosting wins at %g", v)
					}
				}
				return
			}
			if tt.sameBoth != (math.Abs(be.First-be.Always) < 1) {
				t.Errorf("first %g, always %g", be.First, be.Always)
			}
			first, lastLoss := math.Inf(1), 0.0
			for v := step; v < 2*be.Always+limit/10; v += step {
				if wins(v) {
					first = math.Min(first, v)
				} else {
					lastLoss = v
				}
			}
			if math.Abs(first-be.First) > step*1.01 {
				t.Errorf("first win at %g by scan, %g by formula", first, be.First)
			}
			if math.Abs(lastLoss-be.Always) > step*1.01 {
				t.Errorf("last loss at %g by scan, always from %g by formula", lastLoss, be.Always)
			}
		})
	}
}

func TestFrontier(t *testing.T) {
	mk := func(name, monthly, perM string) SelfHost {
		return SelfHost{Plan: Plan{Instance: &Instance{Provider: "p", Name: name}, Precision: BF16}, MonthlyUSD: dec(monthly), PerMillionUSD: dec(perM)}
	}
	opts := []SelfHost{
		mk("big-efficient", "40000", "0.5"),
		mk("small", "1000", "5"),
		mk("dominated", "2000", "6"),
		mk("mid", "5000", "2"),
		mk("mid-same-price-worse", "5000", "3"),
		mk("huge-worse", "90000", "0.6"),
	}
	var got []string
	for _, o := range Frontier(opts) {
		got = append(got, o.Plan.Instance.Name)
	}
	if strings.Join(got, ",") != "small,mid,big-efficient" {
		t.Errorf("frontier %v", got)
	}
}

// TestOpenModels: every alias names a spec, and every offer is a catalog
// id of the provider its prefix says.
func TestOpenModels(t *testing.T) {
	d := mustData(t)
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, om := range OpenModels() {
		if d.Model(om.Spec) == nil {
			t.Errorf("%s: spec %s not in model-specs.csv", om.Alias, om.Spec)
		}
		for _, n := range append([]string{om.Alias}, om.Names...) {
			k := strings.ToLower(n)
			if prev, ok := seen[k]; ok {
				t.Errorf("%s: name %s already used by %s", om.Alias, n, prev)
			}
			seen[k] = om.Alias
			if got, ok := LookupOpenModel(strings.ToUpper(n)); !ok || got.Alias != om.Alias {
				t.Errorf("lookup %s: %v %v", n, got.Alias, ok)
			}
		}
		providers := map[string]bool{}
		for _, id := range om.Offers {
			m := cat.Lookup(id)
			if m == nil {
				t.Errorf("%s: offer %s not in the catalog", om.Alias, id)
				continue
			}
			providers[m.Provider] = true
			if !m.Deprecated.IsZero() {
				t.Errorf("%s: offer %s is deprecated (%s)", om.Alias, id, m.Deprecated.Format("2006-01-02"))
			}
		}
		if len(om.Offers) > 0 && len(providers) < 2 {
			t.Errorf("%s: offers from %d provider(s)", om.Alias, len(providers))
		}
	}
	// The example: llama-70b is Llama 3.1/3.3 70B Instruct, sold by
	// Bedrock, Together, Groq, DeepInfra and Fireworks.
	om, ok := LookupOpenModel("llama-70b")
	if !ok || om.Spec != "Llama-3.3-70B" {
		t.Fatalf("llama-70b: %+v", om)
	}
	provs := map[string]bool{}
	for _, id := range om.Offers {
		provs[cat.Lookup(id).Provider] = true
	}
	for _, p := range []string{"bedrock", "together", "groq", "deepinfra", "fireworks"} {
		if !provs[p] {
			t.Errorf("llama-70b: no %s offer", p)
		}
	}
	if _, ok := LookupOpenModel("gpt-9"); ok {
		t.Error("unknown alias found")
	}
	if a := Aliases(); len(a) != len(openModels) || a[0] > a[len(a)-1] {
		t.Errorf("aliases %v", a)
	}
}

func TestUnits(t *testing.T) {
	for in, want := range map[string]float64{"10M": 1e7, "1.5B": 1.5e9, "100b": 1e11, "2T": 2e12, "250000": 250000, "250k": 250000, "1_000": 1000} {
		if got, err := ParseTokens(in); err != nil || got != want {
			t.Errorf("ParseTokens(%s) = %g, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "-1M", "x", "0", "1Q"} {
		if _, err := ParseTokens(bad); err == nil {
			t.Errorf("ParseTokens(%q) accepted", bad)
		}
	}
	for v, want := range map[float64]string{1e7: "10M", 1.5e9: "1.5B", 42.34e9: "42.3B", 1.024e12: "1.02T", 999: "999", 123456: "123k", math.Inf(1): "-"} {
		if got := FormatTokens(v); got != want {
			t.Errorf("FormatTokens(%g) = %s, want %s", v, got, want)
		}
	}
	for in, want := range map[string]string{"30%": "0.3", "0.3": "0.3", "0": "0", "12.5%": "0.125"} {
		if got, err := ParseFraction(in); err != nil || !got.Equal(dec(want)) {
			t.Errorf("ParseFraction(%s) = %s, %v", in, got, err)
		}
	}
	for _, bad := range []string{"30", "x%", "abc"} {
		if _, err := ParseFraction(bad); err == nil {
			t.Errorf("ParseFraction(%q) accepted", bad)
		}
	}
}
