package selfhost

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/gpu"
)

// option is one way to serve a fleet's peak: a plan (instance, precision,
// layout) and how many instances the peak needs.
type option struct {
	plan gpu.Plan
	// hourly is one instance's price after the discount (or the override).
	hourly decimal.Decimal
	// capacity is what one instance may serve at the peak (tokens/s):
	// its modelled throughput times the utilisation.
	capacity  float64
	instances int
}

// needed is how many instances serve peak tokens/s at capacity each: at
// least one.
func needed(peak, capacity float64) int {
	if capacity <= 0 {
		return 0
	}
	return int(math.Max(1, math.Ceil(peak/capacity-1e-9)))
}

// bestPlan finds the cheapest fleet for a peak of peak tokens/s among the
// instances and the settings' precisions: the fewest dollars an hour, then
// the most throughput, then the instance's name. why says why nothing fits
// (reasons grouped by precision, for at most a few instances).
func bestPlan(data *gpu.Data, s *settings, spec *gpu.Model, ins []*gpu.Instance, w gpu.Workload, peak float64) (best option, ok bool, why string) {
	prm := gpu.DefaultParams()
	one := decimal.NewFromInt(1)
	var reasons []string
	seen := map[string]bool{}
	for _, in := range ins {
		for _, p := range s.precs {
			pl := data.Evaluate(spec, in, p, w, prm)
			if !pl.Fits {
				for _, r := range pl.Reasons {
					line := fmt.Sprintf("%s %s: %s", in.Name, p, r)
					if !seen[line] {
						seen[line] = true
						reasons = append(reasons, line)
					}
				}
				continue
			}
			hourly := in.HourlyUSD
			if s.override != nil {
				hourly = *s.override
			}
			o := option{plan: pl, hourly: hourly.Mul(one.Sub(s.discount)), capacity: pl.Perf.TotalTokS * s.util}
			o.instances = needed(peak, o.capacity)
			if o.instances == 0 {
				continue
			}
			if !ok || better(o, best) {
				best, ok = o, true
			}
		}
	}
	if ok {
		return best, true, ""
	}
	if len(reasons) == 0 {
		return best, false, "no instance to consider"
	}
	if len(reasons) > 4 {
		reasons = append(reasons[:4], fmt.Sprintf("and %d more", len(reasons)-4))
	}
	return best, false, strings.Join(reasons, "; ")
}

func better(a, b option) bool {
	ca := a.hourly.Mul(decimal.NewFromInt(int64(a.instances)))
	cb := b.hourly.Mul(decimal.NewFromInt(int64(b.instances)))
	if c := ca.Cmp(cb); c != 0 {
		return c < 0
	}
	if a.capacity != b.capacity {
		return a.capacity > b.capacity
	}
	ka := a.plan.Instance.Provider + "/" + a.plan.Instance.Name + "/" + string(a.plan.Precision)
	kb := b.plan.Instance.Provider + "/" + b.plan.Instance.Name + "/" + string(b.plan.Precision)
	return ka < kb
}

// candidates are the instances a fleet may use.
func candidates(data *gpu.Data, s *settings) []*gpu.Instance {
	if s.instance != nil {
		return []*gpu.Instance{s.instance}
	}
	var out []*gpu.Instance
	for _, in := range data.Instances {
		if s.clouds == nil || s.clouds[in.Provider] {
			out = append(out, in)
		}
	}
	return out
}

// breakEven is the smallest multiple k of the logged traffic (same arrival
// shape) from which the fleet costs no more than the API: with the curve
// scaled by k the fleet needs n(k) = ⌈k/perInstance⌉ instances (perInstance
// is the multiple one instance carries at the peak) and costs n·m + ops,
// while the API costs k·api. As in gpu.SelfHost.BreakEven, within the band
// of n instances the fleet's cost is fixed, so band n is won from
// max((n·m+ops)/api, (n−1)·perInstance) if that is at most n·perInstance.
// never is set when no band is won: one instance costs more than the API
// charges for what it serves.
func breakEven(m, ops, api, perInstance float64) (k float64, never bool) {
	if api <= 0 || perInstance <= 0 || m/api >= perInstance {
		return 0, true
	}
	nStar := math.Max(1, math.Ceil((perInstance+ops/api)/(perInstance-m/api)))
	for n := 1.0; n <= nStar; n++ {
		start := math.Max((n*m+ops)/api, (n-1)*perInstance)
		if start <= n*perInstance {
			return start, false
		}
	}
	return 0, true
}

// percentile is the nearest-rank p-th percentile of sorted values.
func percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func sortedCopy(v []int64) []int64 {
	s := append([]int64(nil), v...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s
}
