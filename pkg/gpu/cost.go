package gpu

import (
	"errors"
	"fmt"
	"math"

	"github.com/shopspring/decimal"
)

// Money is decimal USD; throughput and token volumes are float64 physics.
// Costs are computed from whole instances: an instance is paid for every
// billed hour whether it is busy or not.

// Sizing is how a fleet is provisioned and paid for.
type Sizing struct {
	// HoursPerDay the instances run and are billed (24 for 24/7). The
	// month's traffic arrives in those hours.
	HoursPerDay float64
	// PeakFactor is the busiest hour's traffic over the mean hour's (of the
	// billed hours). The fleet is sized for the peak hour.
	PeakFactor float64
	// Utilization is the share of an instance's modelled throughput the
	// peak hour may use (headroom for bursts, uneven load balancing and
	// restarts).
	Utilization float64
	// Discount is the fraction off the on-demand hourly price (a savings
	// plan, reservation or spot), 0 for list prices.
	Discount decimal.Decimal
	// OpsMonthlyUSD is the monthly cost of running the service yourself
	// (engineering and on-call time), added to every self-hosted option.
	OpsMonthlyUSD decimal.Decimal
}

// DefaultSizing is 24/7, a peak hour 1.5× the mean hour, 80% of modelled
// throughput in the peak hour (so 53% on average), list prices and no ops
// cost. The peak factor is an assumption about the traffic's shape: 1.5
// suits traffic spread over several time zones; single-region business
// traffic peaks at 2–3× its 24-hour mean.
func DefaultSizing() Sizing {
	return Sizing{HoursPerDay: 24, PeakFactor: 1.5, Utilization: 0.8}
}

// Validate checks the sizing's ranges.
func (s Sizing) Validate() error {
	switch {
	case !(s.HoursPerDay > 0 && s.HoursPerDay <= 24):
		return fmt.Errorf("hours per day %g: want more than 0 and at most 24", s.HoursPerDay)
	case !(s.PeakFactor >= 1):
		return fmt.Errorf("peak factor %g: want at least 1 (the peak hour is never below the mean)", s.PeakFactor)
	case !(s.Utilization > 0 && s.Utilization <= 1):
		return fmt.Errorf("utilization %g: want more than 0 and at most 1", s.Utilization)
	case s.Discount.IsNegative() || s.Discount.GreaterThanOrEqual(decimal.NewFromInt(1)):
		return fmt.Errorf("discount %s: want at least 0 and less than 1", s.Discount)
	case s.OpsMonthlyUSD.IsNegative():
		return errors.New("ops cost must not be negative")
	}
	return nil
}

// HoursPerMonth are the billed hours of a month of 365/12 days: 730 for
// 24 hours a day.
func (s Sizing) HoursPerMonth() decimal.Decimal {
	return decimal.NewFromFloat(s.HoursPerDay).Mul(decimal.NewFromInt(365)).Div(decimal.NewFromInt(12))
}

// MeanUtilization is the share of provisioned throughput a perfectly
// sized fleet uses over the billed hours: Utilization / PeakFactor. Whole
// instances make it lower at small volumes.
func (s Sizing) MeanUtilization() float64 { return s.Utilization / s.PeakFactor }

// SelfHost is a plan priced for a sizing.
type SelfHost struct {
	Plan Plan
	// HourlyUSD is the instance's hourly price after the discount (or the
	// override), MonthlyUSD one instance's billed month.
	HourlyUSD, MonthlyUSD decimal.Decimal
	// PriceOverridden is set when the hourly price came from the user.
	PriceOverridden bool
	// PerMillionUSD is the cost of 1M tokens (input + output) on a fleet
	// sized exactly for the load, at the sizing's mean utilization.
	PerMillionUSD decimal.Decimal
	// TokensPerInstanceMonth is what one instance serves in a month of the
	// sizing (peak hour at Utilization).
	TokensPerInstanceMonth float64
	sizing                 Sizing
}

// Price prices a fitting plan. override, when non-nil, replaces the
// instance's on-demand hourly price (before the discount).
func Price(pl Plan, s Sizing, override *decimal.Decimal) (SelfHost, error) {
	if !pl.Fits {
		return SelfHost{}, fmt.Errorf("%s does not fit on %s", pl.Model.Name, pl.Instance.Name)
	}
	hourly := pl.Instance.HourlyUSD
	sh := SelfHost{Plan: pl, sizing: s}
	if override != nil {
		hourly, sh.PriceOverridden = *override, true
	}
	hourly = hourly.Mul(decimal.NewFromInt(1).Sub(s.Discount))
	sh.HourlyUSD = hourly
	sh.MonthlyUSD = hourly.Mul(s.HoursPerMonth()).Round(2)
	capacity := pl.Perf.TotalTokS * s.Utilization // tokens/s at the peak hour
	hours, _ := s.HoursPerMonth().Float64()
	sh.TokensPerInstanceMonth = capacity / s.PeakFactor * 3600 * hours
	perToken := hourly.Div(decimal.NewFromFloat(capacity / s.PeakFactor * 3600))
	sh.PerMillionUSD = perToken.Mul(decimal.NewFromInt(1_000_000)).Round(4)
	return sh, nil
}

// Instances is how many instances serve tokens a month: enough for the
// peak hour, at least one.
func (sh SelfHost) Instances(tokens float64) int {
	n := math.Ceil(tokens/sh.TokensPerInstanceMonth - 1e-9)
	return int(math.Max(1, n))
}

// MonthlyCost is the month's bill for serving tokens: whole instances plus
// the ops cost.
func (sh SelfHost) MonthlyCost(tokens float64) decimal.Decimal {
	n := decimal.NewFromInt(int64(sh.Instances(tokens)))
	return sh.MonthlyUSD.Mul(n).Add(sh.sizing.OpsMonthlyUSD)
}

// Utilization is the share of the provisioned throughput (every
// instance's full modelled throughput) the mean billed hour uses at a
// monthly volume.
func (sh SelfHost) Utilization(tokens float64) float64 {
	return tokens / (float64(sh.Instances(tokens)) * sh.TokensPerInstanceMonth) * sh.sizing.MeanUtilization()
}

// API is a per-token price for the workload's mix of input and output.
type API struct {
	Provider, ModelID string
	// InputPer1M and OutputPer1M are USD per 1M tokens.
	InputPer1M, OutputPer1M decimal.Decimal
	// Source is where the catalog has the price from.
	Source string
}

// PerMillion is the blended price of 1M tokens with input:output in the
// workload's ratio.
func (a API) PerMillion(w Workload) decimal.Decimal {
	in, out := decimal.NewFromInt(int64(w.InputTokens)), decimal.NewFromInt(int64(w.OutputTokens))
	return a.InputPer1M.Mul(in).Add(a.OutputPer1M.Mul(out)).Div(in.Add(out))
}

// MonthlyCost is what tokens a month (input + output, in the workload's
// ratio) cost at this price.
func (a API) MonthlyCost(w Workload, tokens float64) decimal.Decimal {
	return a.PerMillion(w).Mul(decimal.NewFromFloat(tokens)).Div(decimal.NewFromInt(1_000_000)).Round(2)
}

// BreakEven is where self-hosting starts to cost less than an API.
type BreakEven struct {
	// Never is set when self-hosting costs more at every volume: a full
	// instance costs more per token than the API, so more traffic only adds
	// instances.
	Never bool
	// First is the smallest monthly volume (tokens, input + output) at
	// which self-hosting costs no more than the API.
	First float64
	// Always is the volume from which it costs no more at every larger
	// volume. It exceeds First when whole instances make self-hosting win
	// only in the upper part of each instance count's range for a while.
	Always float64
}

// BreakEven compares the plan's monthly bill with the API's at every
// volume. Within the volumes n instances serve, (V(n−1), V(n)], the bill
// is fixed at C(n) = n·M + ops while the API's grows as p·v, so
// self-hosting wins from max(C(n)/p, V(n−1)) if that is at most V(n).
// From n* = ⌈(V1 + ops/p)/(V1 − M/p)⌉ on, every band is won from its
// start.
func (sh SelfHost) BreakEven(api API, w Workload) BreakEven {
	p, _ := api.PerMillion(w).Float64()
	p /= 1e6 // USD per token
	m, _ := sh.MonthlyUSD.Float64()
	ops, _ := sh.sizing.OpsMonthlyUSD.Float64()
	v1 := sh.TokensPerInstanceMonth
	if p <= 0 || v1 <= 0 || m/p >= v1 {
		return BreakEven{Never: true}
	}
	cost := func(n float64) float64 { return n*m + ops }
	vmax := func(n float64) float64 { return n * v1 }
	nStar := math.Max(1, math.Ceil((v1+ops/p)/(v1-m/p)))
	// wonFrom is where band n starts being won, or +Inf.
	wonFrom := func(n float64) float64 {
		start := math.Max(cost(n)/p, vmax(n-1))
		if start > vmax(n) {
			return math.Inf(1)
		}
		return start
	}
	var be BreakEven
	be.First = math.Inf(1)
	for n := 1.0; n <= nStar; n++ {
		if v := wonFrom(n); v < be.First {
			be.First = v
			break
		}
	}
	be.Always = wonFrom(nStar)
	for n := nStar - 1; n >= 1; n-- {
		v := wonFrom(n)
		if v > vmax(n-1) {
			if v <= vmax(n) {
				be.Always = v
			}
			break
		}
		be.Always = v
	}
	return be
}
