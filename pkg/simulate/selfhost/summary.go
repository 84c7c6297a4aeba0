package selfhost

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/gpu"
	"github.com/llmcost/llmcost/pkg/internal/numfmt"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// summary describes the outcome: figures, the fleets, the arrival curve,
// the fixed costs the bill includes, and what the reader must know.
func (s *Scenario) summary(count [numWhy]int64, foreign int64, closed map[string]int64, removed map[string][]*simulate.Ledger) simulate.Summary {
	sum := simulate.Summary{}
	bucketSecs := s.set.bucket.Seconds()
	unit := "hour"
	if s.set.bucket == time.Minute {
		unit = "minute"
	}
	hours := s.win.n * int64(s.set.bucket/time.Second) / 3600
	H := decimal.NewFromInt(hours)

	// What the API no longer charges, per fleet.
	apiBy := map[string]decimal.Decimal{}
	apiTotal := decimal.Zero
	for _, a := range s.aliases {
		b := simulate.Price(removed[a]...)
		apiBy[a] = b.Total()
		apiTotal = apiTotal.Add(b.Total())
	}
	opsWindow := decimal.Zero
	if hours > 0 {
		opsWindow = s.set.ops.Mul(H).DivRound(decimal.NewFromInt(hoursPerMonth), 6)
	}

	var gpuTotal, hourlyTotal decimal.Decimal
	var tokens, instances int64
	var capacity, meanTokS float64
	fleets := simulate.Table{Key: "fleets", Title: "Fleet sized for the peak " + unit,
		Columns: []simulate.Column{
			{Key: "open_model", Label: "open model", Unit: simulate.UnitText},
			{Key: "instance", Label: "instance", Unit: simulate.UnitText},
			{Key: "precision", Label: "precision", Unit: simulate.UnitText},
			{Key: "instances", Label: "instances", Unit: simulate.UnitCount},
			{Key: "hourly_usd", Label: "$/hour each", Unit: simulate.UnitUSD},
			{Key: "tokens_per_s", Label: "tokens/s each", Unit: simulate.UnitRatio},
			{Key: "utilization", Label: "mean use", Unit: simulate.UnitShare},
			{Key: "api_usd", Label: "API cost removed", Unit: simulate.UnitUSD},
			{Key: "gpu_usd", Label: "GPU cost", Unit: simulate.UnitUSD},
			{Key: "break_even_multiple", Label: "break-even ×", Unit: simulate.UnitRatio},
		}}
	curve := simulate.Table{Key: "arrival_curve", Title: fmt.Sprintf("Arrival curve: tokens per %s (input + output) over the %d h window", unit, hours),
		Columns: []simulate.Column{
			{Key: "open_model", Label: "open model", Unit: simulate.UnitText},
			{Key: "statistic", Label: unit, Unit: simulate.UnitText},
			{Key: "tokens", Label: "tokens", Unit: simulate.UnitTokens},
			{Key: "tokens_per_s", Label: "tokens/s", Unit: simulate.UnitRatio},
			{Key: "instances", Label: "instances needed", Unit: simulate.UnitCount},
		}}
	var beK, beMonthly float64
	beSet, beNever := false, false
	for _, a := range s.aliases {
		f := s.fleets[a]
		o := f.opt
		pl := o.plan
		t := f.input + f.output
		tokens += t
		instances += int64(o.instances)
		capacity += pl.Perf.TotalTokS * float64(o.instances)
		mean := float64(t) / (float64(hours) * 3600)
		meanTokS += mean
		n := decimal.NewFromInt(int64(o.instances))
		cost := o.hourly.Mul(n).Mul(H)
		gpuTotal = gpuTotal.Add(cost)
		hourlyTotal = hourlyTotal.Add(o.hourly.Mul(n))
		layout := fmt.Sprintf("TP%d", pl.TP)
		if pl.Replicas > 1 {
			layout += fmt.Sprintf("×%d", pl.Replicas)
		}
		key := "gpu_instances"
		if len(s.aliases) > 1 {
			key += "_" + strings.NewReplacer("-", "_", ".", "_").Replace(a)
		}
		sum.FixedCosts = append(sum.FixedCosts, simulate.FixedCost{Key: key,
			Label:    fmt.Sprintf("%d × %s (%s) for %s at %s, %s", o.instances, pl.Instance.Name, pl.Instance.Provider, f.om.Alias, pl.Precision, layout),
			Quantity: n.Mul(H), Unit: "instance_hours", UnitUSD: o.hourly, CostUSD: cost})

		// Break-even: the multiple of the logged traffic, same shape.
		var be any
		peakTokS := float64(f.peak) / bucketSecs
		api, _ := apiBy[a].Float64()
		m, _ := o.hourly.Mul(H).Float64()
		ops := 0.0
		if len(s.aliases) == 1 {
			ops, _ = opsWindow.Float64()
		}
		if peakTokS > 0 {
			k, never := breakEven(m, ops, api, o.capacity/peakTokS)
			if !never {
				be = dec(k, 2)
				beK, beMonthly, beSet = k, k*float64(t)*hoursPerMonth/float64(hours), true
			} else {
				beNever = true
			}
		}
		fleets.Rows = append(fleets.Rows, []any{f.om.Alias, pl.Instance.Name + " (" + pl.Instance.Provider + ")", string(pl.Precision),
			simulate.Dec(int64(o.instances)), o.hourly, dec(pl.Perf.TotalTokS, 1),
			dec(mean/(pl.Perf.TotalTokS*float64(o.instances)), 4), apiBy[a], cost, be})

		sorted := sortedCopy(f.curve)
		row := func(label string, v float64) {
			tokS := v / bucketSecs
			curve.Rows = append(curve.Rows, []any{f.om.Alias, label, decimal.NewFromFloat(v).Round(0), dec(tokS, 1), simulate.Dec(int64(needed(tokS, o.capacity)))})
		}
		row("mean", float64(t)/float64(len(f.curve)))
		for _, p := range []float64{50, 90, 99} {
			row(fmt.Sprintf("p%g", p), float64(percentile(sorted, p)))
		}
		row("peak ("+f.peakAt.Format("2006-01-02 15:04")+" UTC)", float64(f.peak))
	}
	if s.set.ops.IsPositive() && len(s.aliases) > 0 {
		sum.FixedCosts = append(sum.FixedCosts, simulate.FixedCost{Key: "ops_time",
			Label:    "Ops time (engineering, on-call) at " + dollars(s.set.ops) + " a month",
			Quantity: H.DivRound(decimal.NewFromInt(hoursPerMonth), 6), Unit: "months", UnitUSD: s.set.ops, CostUSD: opsWindow})
	}
	fixed := gpuTotal
	if len(s.aliases) > 0 {
		fixed = fixed.Add(opsWindow)
	}

	sum.Figures = []simulate.Figure{
		{Key: "served_requests", Label: "Requests served on your GPUs", Unit: simulate.UnitRequests, Value: simulate.Dec(count[whyServed])},
		{Key: "served_tokens", Label: "Their tokens (input + output)", Unit: simulate.UnitTokens, Value: simulate.Dec(tokens)},
		{Key: "api_removed_usd", Label: "API cost removed", Unit: simulate.UnitUSD, Value: apiTotal},
		{Key: "gpu_usd", Label: "GPU instances for the window", Unit: simulate.UnitUSD, Value: gpuTotal},
		{Key: "ops_usd", Label: "Ops time for the window", Unit: simulate.UnitUSD, Value: opsWindow},
		{Key: "net_saving_usd", Label: "Net saving (API cost removed − GPU and ops)", Unit: simulate.UnitUSD, Value: apiTotal.Sub(fixed)},
		{Key: "window_hours", Label: "Window billed (hours)", Unit: simulate.UnitCount, Value: simulate.Dec(hours)},
		{Key: "instances", Label: "Instances (sized for the peak " + unit + ")", Unit: simulate.UnitCount, Value: simulate.Dec(instances)},
		{Key: "fleet_hourly_usd", Label: "Fleet cost per hour", Unit: simulate.UnitUSD, Value: hourlyTotal},
	}
	if len(s.aliases) > 0 {
		var peak int64
		comb := make([]int64, s.win.n)
		for _, a := range s.aliases {
			for i, v := range s.fleets[a].curve {
				comb[i] += v
			}
		}
		for _, v := range comb {
			peak = max(peak, v)
		}
		peakTokS := float64(peak) / bucketSecs
		sum.Figures = append(sum.Figures,
			simulate.Figure{Key: "peak_tokens_per_s", Label: "Peak " + unit + " tokens/s", Unit: simulate.UnitRatio, Value: dec(peakTokS, 1)},
			simulate.Figure{Key: "mean_tokens_per_s", Label: "Mean tokens/s over the window", Unit: simulate.UnitRatio, Value: dec(meanTokS, 1)},
			simulate.Figure{Key: "fleet_tokens_per_s", Label: "Fleet throughput, modelled at full load (tokens/s)", Unit: simulate.UnitRatio, Value: dec(capacity, 1)},
			simulate.Figure{Key: "mean_utilization", Label: "Utilisation at the average hour", Unit: simulate.UnitShare, Value: dec(meanTokS/capacity, 4)},
		)
		if meanTokS > 0 {
			sum.Figures = append(sum.Figures, simulate.Figure{Key: "peak_to_mean", Label: "Peak " + unit + " ÷ mean", Unit: simulate.UnitRatio, Value: dec(peakTokS/meanTokS, 2)})
		}
		if len(s.aliases) == 1 && beSet {
			sum.Figures = append(sum.Figures,
				simulate.Figure{Key: "break_even_multiple", Label: "Break-even traffic (× the logged, same curve)", Unit: simulate.UnitRatio, Value: dec(beK, 2)},
				simulate.Figure{Key: "break_even_monthly_tokens", Label: "Break-even monthly volume (tokens)", Unit: simulate.UnitTokens, Value: decimal.NewFromFloat(ceil3(beMonthly))})
		}
		sum.Tables = append(sum.Tables, fleets, curve)
	}
	t := simulate.Table{Key: "requests_by_decision", Title: "Requests by decision",
		Columns: []simulate.Column{{Key: "decision", Label: "decision", Unit: simulate.UnitText}, {Key: "requests", Label: "requests", Unit: simulate.UnitRequests}}}
	for i := range count {
		if count[i] > 0 {
			t.Rows = append(t.Rows, []any{whyLabels[i], simulate.Dec(count[i])})
		}
	}
	sum.Tables = append(sum.Tables, t)

	s.assumptions(&sum, hours, beNever && len(s.aliases) == 1, foreign)
	s.warnings(&sum, count, closed)
	sum.Caveat = s.caveat(foreign)
	return sum
}

func (s *Scenario) assumptions(sum *simulate.Summary, hours int64, never bool, foreign int64) {
	who := "Requests on open models the catalog sells"
	if len(s.cfg.Replace) > 0 {
		who = "Requests on " + strings.Join(s.cfg.Replace, ", ")
	}
	if !s.cfg.Match.IsZero() {
		who += " (and the match block)"
	}
	served := "the open model they are logged on"
	if s.set.model != nil {
		served = s.set.model.Display + " (" + s.set.model.Alias + ")"
	}
	a := []string{
		who + " are served on your own GPUs by " + served + " and pay no per-token price; the levers after this one (context, output caps, caching, batch) do not apply to them.",
	}
	unit := "hour"
	if s.set.bucket == time.Minute {
		unit = "minute"
	}
	for _, alias := range s.aliases {
		f := s.fleets[alias]
		o := f.opt
		in := o.plan.Instance
		price := fmt.Sprintf("$%s an hour each (%s on-demand list price, %s, %s)", o.hourly.StringFixed(4), in.Provider, in.Region, in.PriceDate.Format("2006-01-02"))
		if s.set.override != nil {
			price = fmt.Sprintf("$%s an hour each (price_per_hour)", o.hourly.StringFixed(4))
		}
		if s.set.discount.IsPositive() {
			price += " after a " + s.set.discount.Mul(decimal.NewFromInt(100)).String() + "% discount"
		}
		choice := fmt.Sprintf("the cheapest fleet for the peak among %s instance types at %s", cloudsText(s.set), precisions(s.set.precs))
		if s.set.instance != nil {
			choice = "the instance set in the configuration"
		}
		a = append(a, fmt.Sprintf("%s: %d × %s at %s, %s: sized for the busiest %s of the log (%s UTC, %s tokens/s), each instance at most %.0f%% of its modelled %s tokens/s for the logged mean request (%s input + %s output tokens) within %s per output token; %s. Bursts within the %s queue.",
			f.om.Alias, o.instances, in.Name, o.plan.Precision, price, unit, f.peakAt.Format("2006-01-02 15:04"), rate(float64(f.peak)/s.set.bucket.Seconds()),
			s.set.util*100, numfmt.Int(int64(math.Round(o.plan.Perf.TotalTokS))), numfmt.Int(int64(f.workload.InputTokens)), numfmt.Int(int64(f.workload.OutputTokens)), latency(s.set.tpot), choice, unit))
	}
	a = append(a,
		fmt.Sprintf("The fleet runs, and is paid for, every hour of the window: %d h, from the hour of the first call to the end of the hour of the last (a log that stops at night still pays for the night).", hours),
		"Throughput comes from llmcost's roofline model (see llmcost gpu fit): "+gpu.CalibrationNote()+".")
	if s.set.ops.IsPositive() {
		a = append(a, "Ops time (engineering, on-call) is "+dollars(s.set.ops)+" a month, prorated to the window.")
	} else {
		a = append(a, "No ops time is counted (ops_cost: 0): self-hosting pays only if you have the ML engineering capacity to run it; set ops_cost to a monthly figure.")
	}
	if foreign > 0 {
		a = append(a, fmt.Sprintf("%s logged on another model keep their logged token counts: the open model's tokenizer counts somewhat differently, and its answers may be longer or shorter.", plural(foreign, "request")))
	}
	a = append(a, "The break-even multiple scales the logged traffic with the same arrival curve, adding whole instances at the peak as needed.")
	if never {
		a = append(a, "Self-hosting never breaks even here: one instance costs more for the window than the API charges for all the traffic it can serve.")
	}
	sum.Assumptions = a
}

func cloudsText(s *settings) string {
	if s.clouds == nil {
		return "all"
	}
	var c []string
	for k := range s.clouds {
		c = append(c, k)
	}
	sort.Strings(c)
	return strings.Join(c, ", ")
}

func (s *Scenario) warnings(sum *simulate.Summary, count [numWhy]int64, closed map[string]int64) {
	w := &sum.Warnings
	if count[whyNoWindow] > 0 {
		*w = append(*w, fmt.Sprintf("selfhost: %s selected, but the log has no call times: without a window and an arrival curve nothing is self-hosted", plural(count[whyNoWindow], "request")))
	}
	var served int64
	for _, c := range count {
		served += c
	}
	if served == 0 {
		if len(s.cfg.Replace) == 0 && s.cfg.Match.IsZero() {
			*w = append(*w, "selfhost: no request is on an open model the catalog sells: nothing to self-host (list the models to replace with selfhost.replace and the open model with selfhost.model)")
		} else {
			*w = append(*w, "selfhost: no request matches selfhost.replace/match: nothing to self-host")
		}
	}
	if count[whyClosed] > 0 {
		var names []string
		for m := range closed {
			names = append(names, m)
		}
		sort.Strings(names)
		if len(names) > 5 {
			names = append(names[:5], "…")
		}
		*w = append(*w, fmt.Sprintf("selfhost: %s on closed models (%s) match but have no open model to serve them: set selfhost.model", plural(count[whyClosed], "request"), strings.Join(names, ", ")))
	}
	if count[whyTooLong] > 0 {
		*w = append(*w, fmt.Sprintf("selfhost: %s are longer than the open model's context window: they stay on the API", plural(count[whyTooLong], "request")))
	}
	if count[whyUnpriced] > 0 {
		*w = append(*w, fmt.Sprintf("selfhost: %s match but their model has no price (they are not in the baseline): they stay as logged", plural(count[whyUnpriced], "request")))
	}
	if s.untimed > 0 {
		*w = append(*w, fmt.Sprintf("selfhost: %s have no call time: spread evenly over the window", plural(s.untimed, "request")))
	}
	if s.aggregated > 0 && s.spread > 1 {
		width := time.Duration(s.spread) * s.set.bucket
		*w = append(*w, fmt.Sprintf("selfhost: %s come from usage rows of %s buckets: spread evenly within each bucket, so a peak inside a bucket is not seen (export hourly buckets to size the fleet)", plural(s.aggregated, "request"), strings.TrimSuffix(strings.TrimSuffix(width.String(), "0s"), "0m")))
	}
}

// caveat says the self-hosted model is not the one logged: its answers
// differ (another model, or the same weights quantised).
func (s *Scenario) caveat(foreign int64) string {
	if len(s.aliases) == 0 {
		return ""
	}
	var names []string
	for _, a := range s.aliases {
		names = append(names, s.fleets[a].om.Display+" at "+string(s.fleets[a].opt.plan.Precision))
	}
	served := strings.Join(names, ", ")
	if foreign > 0 {
		return fmt.Sprintf("%s is not the model %s were logged on: check its answers on your own traffic before banking this figure", served, plural(foreign, "request"))
	}
	return served + " runs the open weights the requests were logged on, but another serving stack and quantisation can change answers: check them before switching"
}

// rate formats tokens/s: whole above 100, one decimal below.
func rate(x float64) string {
	if x >= 100 {
		return numfmt.Int(int64(math.Round(x)))
	}
	return dec(x, 1).String()
}

// dollars formats a monthly amount: $10,000 or $12,345.67.
func dollars(d decimal.Decimal) string {
	d = d.Round(2)
	s := "$" + numfmt.Int(d.IntPart())
	if c := d.Sub(decimal.NewFromInt(d.IntPart())); !c.IsZero() {
		s += strings.TrimPrefix(c.Abs().StringFixed(2), "0")
	}
	return s
}

// ceil3 rounds x up to three significant digits (a volume, not a count).
func ceil3(x float64) float64 {
	if x <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(x))-2)
	return math.Ceil(x/p-1e-9) * p
}

func plural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return numfmt.Int(n) + " " + what + "s"
}
