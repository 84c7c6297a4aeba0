package chart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Why not a charting library: go-echarts needs echarts.js, which its module
// does not ship (so a page could not be self-contained); wcharczuk/go-chart
// is archived; its maintained fork go-analyze/charts has category-only x
// axes and linear value axes (a break-even curve spans 10M–100B tokens and
// $10–$1M, so it needs log axes), writes fixed colours inline (no
// prefers-color-scheme without drawing every chart twice) and gives no hook
// for per-mark <title> tooltips or data attributes. What the report needs is
// small: four chart kinds, drawn here and tested in chart_test.go.

// Format writes a value for people ("$1.2k", "10M").
type Format func(float64) string

// Series is a named list of values, one per category (or label).
type Series struct {
	Name   string
	Values []float64
	// Class is the colour class; "" picks one by the series' index
	// (c0…c9). "other" is grey, "base" a muted colour for a baseline.
	Class string
}

// Palette is how many series colours CSS defines (c0…c9).
const Palette = 10

func colour(i int, class string) string {
	if class != "" {
		return class
	}
	return "c" + strconv.Itoa(i%Palette)
}

// esc escapes text for HTML and for SVG inside HTML.
func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate with at most two decimals.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

// Value writes a data value exactly as data-* attributes hold it (the
// shortest decimal that reads back as the same float64).
func Value(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// truncate shortens s to n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// textWidth estimates the width in pixels of s at the charts' 12px font;
// good enough to lay out labels (the browser draws the real glyphs).
func textWidth(s string) float64 { return 6.8 * float64(len([]rune(s))) }

// niceNum rounds x to 1, 2, 5 or 10 times a power of ten (round: nearest,
// else the next one up).
func niceNum(x float64, round bool) float64 {
	if x <= 0 {
		return 1
	}
	exp := math.Floor(math.Log10(x))
	f := x / math.Pow(10, exp)
	var nf float64
	switch {
	case round && f < 1.5, !round && f <= 1:
		nf = 1
	case round && f < 3, !round && f <= 2:
		nf = 2
	case round && f < 7, !round && f <= 5:
		nf = 5
	default:
		nf = 10
	}
	return nf * math.Pow(10, exp)
}

// linearTicks returns about n round tick values from 0 (or lo when it is
// negative) to at least hi.
func linearTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	step := niceNum(niceNum(hi-lo, false)/float64(n-1), true)
	start := math.Floor(lo/step) * step
	var ticks []float64
	for i := 0; ; i++ {
		v := start + float64(i)*step
		ticks = append(ticks, math.Round(v/step)*step)
		if v >= hi-step*1e-9 || i > 50 {
			break
		}
	}
	return ticks
}

// logTicks returns the powers of ten from 10^floor(log lo) to
// 10^ceil(log hi), with 2× and 5× steps when that spans at most two
// decades.
func logTicks(lo, hi float64) []float64 {
	a, b := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if b <= a {
		b = a + 1
	}
	var ticks []float64
	for e := a; e <= b; e++ {
		p := math.Pow(10, e)
		ticks = append(ticks, p)
		if b-a <= 2 && e < b {
			ticks = append(ticks, 2*p, 5*p)
		}
	}
	return ticks
}

// legend writes the HTML legend of the series names.
func legend(b *strings.Builder, items []legendItem) {
	if len(items) < 2 {
		return
	}
	b.WriteString(`<ul class="legend">`)
	for _, it := range items {
		cls := "sw " + it.class
		if it.dash {
			cls += " dash"
		}
		fmt.Fprintf(b, `<li><span class="%s"></span>%s</li>`, cls, esc(it.name))
	}
	b.WriteString("</ul>\n")
}

type legendItem struct {
	name, class string
	dash        bool
}

// figure opens the <figure> that holds a chart.
func figure(b *strings.Builder, id, kind, title, note string) {
	fmt.Fprintf(b, `<figure class="chart" id="chart-%s" data-chart="%s" data-kind="%s">`+"\n", esc(id), esc(id), kind)
	fmt.Fprintf(b, "<figcaption>%s", esc(title))
	if note != "" {
		fmt.Fprintf(b, ` <small>%s</small>`, esc(note))
	}
	b.WriteString("</figcaption>\n")
}

func svgOpen(b *strings.Builder, w, h float64, title string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">`+"\n",
		num(w), num(h), num(w), num(h), esc(title))
}

// USD writes an amount compactly for axes: $0, $0.0012, $3.5, $12, $1.2k,
// $3.4M, $1.5B.
func USD(v float64) string {
	if v < 0 {
		return "-" + USD(-v)
	}
	return "$" + compact(v)
}

// Count writes a count compactly: 950, 12k, 4.5M, 10B.
func Count(v float64) string {
	if v < 0 {
		return "-" + Count(-v)
	}
	return compact(v)
}

func compact(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 1e12:
		return trimFloat(v/1e12, 1) + "T"
	case v >= 1e9:
		return trimFloat(v/1e9, 1) + "B"
	case v >= 1e6:
		return trimFloat(v/1e6, 1) + "M"
	case v >= 1e3:
		return trimFloat(v/1e3, 1) + "k"
	case v >= 1:
		return trimFloat(v, 2)
	}
	// Three significant digits below 1.
	places := int(-math.Floor(math.Log10(v))) + 2
	return trimFloat(v, places)
}

func trimFloat(v float64, places int) string {
	s := strconv.FormatFloat(v, 'f', places, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
