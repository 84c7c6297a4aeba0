package breakeven

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"

	"github.com/llmcost/llmcost/pkg/chart"
	"github.com/llmcost/llmcost/pkg/gpu"
	"github.com/llmcost/llmcost/pkg/internal/numfmt"
	"github.com/llmcost/llmcost/pkg/report"
)

// htmlSamples is how many log-spaced volumes draw each curve; step edges
// are added exactly up to htmlSteps instances.
const (
	htmlSamples = 240
	htmlSteps   = 64
)

// HTMLPage builds the breakeven page: the monthly cost of the options
// against volume on log-log axes, each self-hosted option's crossing of
// an API price marked (the cheapest API that some option beats), then the
// tables and the working.
func HTMLPage(doc *Doc) *report.Page {
	wl := doc.Workload
	p := &report.Page{
		Title:    fmt.Sprintf("%s: self-hosting vs API", doc.Model.Name),
		Subtitle: fmt.Sprintf("%s (%s) · prices at %s · %s input + %s output tokens per request", doc.Model.Name, doc.Model.Alias, doc.At, numfmt.Int(int64(wl.InputTokens)), numfmt.Int(int64(wl.OutputTokens))),
	}
	cheapAPI := cheapestAPI(doc)
	if cheapAPI != nil {
		p.Facts = append(p.Facts, report.Fact{Label: "Cheapest API", Value: "$" + usd(cheapAPI.Per1M.Decimal, 3) + " / 1M", Note: apiName(*cheapAPI)})
	}
	if s := cheapestSelf(doc); s != nil {
		p.Facts = append(p.Facts, report.Fact{Label: "Cheapest self-hosted", Value: "$" + usd(s.Per1M.Decimal, 3) + " / 1M", Note: s.Label + ", at full fleets"})
	}
	if cheapAPI != nil && len(doc.SelfHost) > 0 {
		f := report.Fact{Label: "Break-even vs " + cheapAPI.Provider, Value: "never", Note: "no self-hosted option is cheaper per token", Tone: "warn"}
		var best *DocSelfHost
		var at int64
		for i := range doc.SelfHost {
			s := &doc.SelfHost[i]
			if b := s.BreakEven[0]; !b.Never && (best == nil || b.FirstTokens < at) {
				best, at = s, b.FirstTokens
			}
		}
		if best != nil {
			f = report.Fact{Label: "Break-even vs " + cheapAPI.Provider, Value: gpu.FormatTokens(float64(at)) + " tokens / month", Note: best.Label}
		}
		p.Facts = append(p.Facts, f)
	}
	sz := doc.Sizing
	p.Facts = append(p.Facts, report.Fact{Label: "Fleet sizing", Value: trimFloat(round(sz.MeanUtilization*100, 1)) + "% mean use",
		Note: fmt.Sprintf("peak %s× mean at %s%% of modelled throughput, %s h a day", trimFloat(sz.PeakFactor), trimFloat(sz.Utilization*100), trimFloat(sz.HoursPerDay))})

	sec := report.PageSection{ID: "monthly-cost", Title: "Monthly cost by volume"}
	if len(doc.API)+len(doc.SelfHost) > 0 && len(doc.Volumes) > 0 {
		shown := chartOptions(doc)
		ref := referenceAPI(doc, shown)
		sec.Intro = "Monthly cost of buying the model per token (dashed) and of running it on whole instances sized for the peak hour (solid), on log scales."
		if j := apiIndex(doc, ref); j >= 0 {
			crossing := false
			for _, i := range shown {
				crossing = crossing || !doc.SelfHost[i].BreakEven[j].Never
			}
			if crossing {
				sec.Intro += " Rings mark where each self-hosted option first costs no more than " + apiName(*ref) + "."
			} else {
				sec.Intro += " No self-hosted option ever costs less than " + apiName(*ref) + "."
			}
		}
		if len(shown) < len(doc.SelfHost) {
			sec.Intro += fmt.Sprintf(" The chart shows %d of the %d self-hosted options (each cloud's cheapest per token and each volume's cheapest); the tables list all.", len(shown), len(doc.SelfHost))
		}
		sec.Charts = []template.HTML{report.Chart(curveChart(doc, shown, ref))}
	}
	h, rows, tc := monthlyTable(doc)
	sec.Tables = append(sec.Tables, report.PageTable{Caption: "Monthly cost in USD; self-hosted: (instances)", Header: h, Rows: rows, TextCols: tc})
	if len(doc.SelfHost) > 0 && len(doc.API) > 0 {
		h, rows, tc := breakEvenTable(doc)
		sec.Tables = append(sec.Tables, report.PageTable{Caption: "Break-even monthly volume (\"; always ≥ X\": with whole instances it wins only part of the time until X)", Header: h, Rows: rows, TextCols: tc})
	}
	if len(doc.SelfHost) == 0 {
		sec.Notes = append(sec.Notes, "No self-hosted option fits: see the reasons below.")
	}
	p.Sections = append(p.Sections, sec)

	if len(doc.SelfHost) > 0 {
		w := report.PageSection{ID: "sizing", Title: "How each self-hosted option was sized"}
		for _, s := range doc.SelfHost {
			w.Items = append(w.Items, sizingLine(s))
			for _, n := range s.Notes {
				w.Items = append(w.Items, s.Label+" note: "+n)
			}
		}
		p.Sections = append(p.Sections, w)
	}
	if len(doc.NotFitting) > 0 {
		nf := report.PageSection{ID: "not-fitting", Title: "Does not fit"}
		for _, x := range doc.NotFitting {
			nf.Items = append(nf.Items, fmt.Sprintf("%s %s: %s", x.Provider, x.Instance, strings.Join(x.Reasons, "; ")))
		}
		p.Sections = append(p.Sections, nf)
	}
	src := report.PageSection{ID: "sources", Title: "Sources"}
	for _, a := range doc.API {
		src.Items = append(src.Items, fmt.Sprintf("%s: $%s input, $%s output per 1M (%s)", apiName(a), a.InputPer1M.String(), a.OutputPer1M.String(), a.Source))
	}
	src.Items = append(src.Items, fmt.Sprintf("model %s: %s B parameters, %s B active per token (%s)", doc.Model.Spec, trimFloat(doc.Model.ParamsB), trimFloat(doc.Model.ActiveParamsB), doc.Model.Source))
	seen := map[string]bool{}
	for _, s := range doc.SelfHost {
		if !seen[s.GPU] && s.GPUSource != "" {
			seen[s.GPU] = true
			src.Items = append(src.Items, fmt.Sprintf("GPU %s: %s", s.GPU, s.GPUSource))
		}
	}
	src.Items = append(src.Items, doc.Calibration)
	p.Sections = append(p.Sections, src)
	p.Footer = []string{doc.Caveat}
	return p
}

func cheapestAPI(doc *Doc) *DocAPI {
	if len(doc.API) == 0 {
		return nil
	}
	return &doc.API[0] // sorted by blended price
}

func cheapestSelf(doc *Doc) *DocSelfHost {
	var best *DocSelfHost
	for i := range doc.SelfHost {
		if s := &doc.SelfHost[i]; best == nil || s.Per1M.LessThan(best.Per1M.Decimal) {
			best = s
		}
	}
	return best
}

func sizingLine(s DocSelfHost) string {
	rep := fmt.Sprintf("tensor parallel %d", s.TP)
	if s.Replicas > 1 {
		rep += fmt.Sprintf(" × %d replicas", s.Replicas)
	}
	over := ""
	if s.PriceOverridden {
		over = " (--price-per-hour)"
	}
	return fmt.Sprintf("%s: %d× %s, %s, %s weights %.1f GiB per GPU; batch %d per replica at %s ms per output token (limited by %s); %s tokens/s per instance, %s tokens a month per instance; $%s an hour%s, $%s a month per instance, $%s per 1M tokens. Price: %s, %s, %s.",
		s.Label, s.GPUCount, s.GPU, rep, s.Precision, s.WeightsGiBPerGPU, s.BatchPerReplica, trimFloat(s.TPOTMs), s.LimitedBy,
		numfmt.Int(int64(s.TokensPerSecond+0.5)), gpu.FormatTokens(float64(s.TokensPerInstanceMonth)), usd(s.HourlyUSD.Decimal, 4), over,
		usd(s.MonthlyUSD.Decimal, 2), usd(s.Per1M.Decimal, 3), s.Region, s.PriceDate, s.PriceSource)
}

// selfCost is a self-hosted option's monthly bill at a volume, as
// gpu.SelfHost.MonthlyCost computes it, from the document's figures.
func selfCost(s DocSelfHost, ops, v float64) float64 {
	per := float64(s.TokensPerInstanceMonth)
	n := 1.0
	if per > 0 {
		n = math.Max(1, math.Ceil(v/per-1e-9))
	}
	return n*f64(s.MonthlyUSD) + ops
}

func f64(m report.Money) float64 { f, _ := m.Float64(); return f }

// maxChartOptions is how many self-hosted options the chart draws at most.
const maxChartOptions = 8

// chartOptions picks the self-hosted options the chart draws: all when
// they are few, else each volume's cheapest, then each cloud's cheapest
// per token, then the rest by price per token, up to maxChartOptions.
func chartOptions(doc *Doc) []int {
	n := len(doc.SelfHost)
	if n <= maxChartOptions {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	picked := map[int]bool{}
	var order []int
	pick := func(i int) {
		if !picked[i] && len(order) < maxChartOptions {
			picked[i] = true
			order = append(order, i)
		}
	}
	for _, c := range doc.Cheapest {
		for i, s := range doc.SelfHost {
			if c.Kind == "self_host" && s.Label == c.Option {
				pick(i)
			}
		}
	}
	byPrice := make([]int, n)
	for i := range byPrice {
		byPrice[i] = i
	}
	sort.SliceStable(byPrice, func(a, b int) bool {
		return doc.SelfHost[byPrice[a]].Per1M.LessThan(doc.SelfHost[byPrice[b]].Per1M.Decimal)
	})
	clouds := map[string]bool{}
	for _, i := range byPrice {
		if p := doc.SelfHost[i].Provider; !clouds[p] {
			clouds[p] = true
			pick(i)
		}
	}
	for _, i := range byPrice {
		pick(i)
	}
	sort.Ints(order)
	return order
}

// referenceAPI is the API whose crossings the chart marks: the cheapest
// that some drawn option beats, else the cheapest.
func referenceAPI(doc *Doc, shown []int) *DocAPI {
	for j := range doc.API {
		for _, i := range shown {
			if !doc.SelfHost[i].BreakEven[j].Never {
				return &doc.API[j]
			}
		}
	}
	return cheapestAPI(doc)
}

// apiIndex is the index of api in doc.API (and in each option's
// BreakEven), -1 when nil.
func apiIndex(doc *Doc, api *DocAPI) int {
	for j := range doc.API {
		if api != nil && &doc.API[j] == api {
			return j
		}
	}
	return -1
}

// curveChart draws the monthly cost of the API offers and of the shown
// self-hosted options against volume, marking crossings with ref.
func curveChart(doc *Doc, shown []int, ref *DocAPI) string {
	first, last := float64(doc.Volumes[0]), float64(doc.Volumes[len(doc.Volumes)-1])
	lo, hi := first, last
	ops := f64(doc.Sizing.OpsMonthlyUSD)
	var markers []chart.Marker
	if refIdx := apiIndex(doc, ref); refIdx >= 0 {
		for _, i := range shown {
			s := doc.SelfHost[i]
			b := s.BreakEven[refIdx]
			if b.Never {
				continue
			}
			x := float64(b.FirstTokens)
			markers = append(markers, chart.Marker{X: x, Y: f64(ref.Per1M) * x / 1e6, Label: s.Instance + " " + s.Precision + ": " + gpu.FormatTokens(x),
				Title: fmt.Sprintf("%s costs no more than %s from %s tokens a month", s.Label, apiName(*ref), gpu.FormatTokens(x))})
			// Show crossings up to two decades beyond the table's volumes.
			if x > hi && x <= last*100 {
				hi = max(hi, x*1.5)
			}
			if x < lo && x >= first/100 {
				lo = min(lo, x/1.5)
			}
		}
	}
	if hi <= lo {
		lo, hi = lo/10, hi*10
	}
	grid := make([]float64, 0, htmlSamples+1)
	for i := 0; i <= htmlSamples; i++ {
		grid = append(grid, lo*math.Pow(hi/lo, float64(i)/htmlSamples))
	}
	c := chart.Lines{ID: "breakeven", Title: "Monthly cost by monthly volume (input + output tokens)", LogX: true, LogY: true,
		XMin: lo, XMax: hi, XTitle: "tokens a month", YTitle: "USD a month", XFormat: chart.Count, YFormat: chart.USD, Markers: markers}
	for _, a := range doc.API {
		l := chart.Line{Name: "api " + apiName(a), Dash: true}
		per := f64(a.Per1M)
		pts := []chart.Point{{X: lo, Y: per * lo / 1e6}}
		for _, m := range a.Monthly {
			pts = append(pts, chart.Point{X: float64(m.Tokens), Y: f64(m.CostUSD), Key: true})
		}
		pts = append(pts, chart.Point{X: hi, Y: per * hi / 1e6})
		l.Points = sortPoints(pts)
		c.Lines = append(c.Lines, l)
	}
	for _, i := range shown {
		s := doc.SelfHost[i]
		l := chart.Line{Name: "self " + s.Label}
		var pts []chart.Point
		for _, v := range grid {
			pts = append(pts, chart.Point{X: v, Y: selfCost(s, ops, v)})
		}
		// Each added instance is a step: draw its edge exactly.
		per := float64(s.TokensPerInstanceMonth)
		for n := 1.0; per > 0 && n <= htmlSteps; n++ {
			if x := n * per; x > lo && x < hi {
				pts = append(pts, chart.Point{X: x, Y: n*f64(s.MonthlyUSD) + ops}, chart.Point{X: x * (1 + 1e-9), Y: (n+1)*f64(s.MonthlyUSD) + ops})
			}
		}
		for _, m := range s.Monthly {
			pts = append(pts, chart.Point{X: float64(m.Tokens), Y: f64(m.CostUSD), Key: true})
		}
		l.Points = sortPoints(pts)
		c.Lines = append(c.Lines, l)
	}
	return c.HTML()
}

func sortPoints(p []chart.Point) []chart.Point {
	sort.SliceStable(p, func(i, j int) bool { return p[i].X < p[j].X })
	return p
}
