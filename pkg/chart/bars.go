package chart

import (
	"fmt"
	"math"
	"strings"
)

// Bars is a horizontal bar chart: one row per label, one bar per series in
// each row (a single series, or e.g. baseline and current side by side).
// Values may be negative; bars then grow left of a zero line.
type Bars struct {
	// ID names the chart in the page (data-chart); unique.
	ID     string
	Title  string
	Note   string
	Labels []string
	Series []Series
	// Format writes the values at the bars' ends and in tooltips.
	Format Format
	// Signed colours each bar by its sign (up: above zero, down: below),
	// for changes, instead of by series.
	Signed bool
	// Width is the drawing's width in CSS pixels (0: 960).
	Width float64
}

// maxLabel is the longest label drawn (the tooltip keeps the whole).
const maxLabel = 40

// HTML returns the chart as a <figure>. Every bar is a <rect> with
// data-series, data-label and data-value, and a <title> tooltip.
func (c Bars) HTML() string {
	w := c.Width
	if w == 0 {
		w = 960
	}
	format := c.Format
	if format == nil {
		format = Value
	}
	ns := len(c.Series)
	barH, gap := 18.0, 8.0
	if ns > 1 {
		barH = 13
	}
	rowH := barH*float64(ns) + gap
	lo, hi := 0.0, 0.0
	valueW := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			valueW = math.Max(valueW, textWidth(format(v)))
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	labelW := 60.0
	for _, l := range c.Labels {
		labelW = math.Max(labelW, textWidth(truncate(l, maxLabel)))
	}
	labelW = math.Min(labelW, w*0.4) + 12
	valueW += 10
	left := labelW
	pw := w - left - 8 - valueW
	if lo < 0 {
		// Room for the value text left of a negative bar.
		left += valueW
		pw -= valueW
	}
	x := func(v float64) float64 { return left + (v-lo)/(hi-lo)*pw }
	h := 8 + rowH*float64(len(c.Labels)) + 4

	var b strings.Builder
	figure(&b, c.ID, "bars", c.Title, c.Note)
	svgOpen(&b, w, h, c.Title)
	for i, l := range c.Labels {
		top := 8 + float64(i)*rowH
		fmt.Fprintf(&b, `<g class="row" data-label="%s"><text class="label" x="%s" y="%s" text-anchor="end" dominant-baseline="middle">%s<title>%s</title></text>`,
			esc(l), num(labelW-8), num(top+barH*float64(ns)/2), esc(truncate(l, maxLabel)), esc(l))
		for si, s := range c.Series {
			if i >= len(s.Values) {
				continue
			}
			v := s.Values[i]
			x0, x1 := x(0), x(v)
			if x1 < x0 {
				x0, x1 = x1, x0
			}
			cls := colour(si, s.Class)
			if c.Signed {
				cls = "up"
				if v < 0 {
					cls = "down"
				}
			}
			by := top + float64(si)*barH
			name := s.Name
			tip := l + ": " + format(v)
			if name != "" && ns > 1 {
				tip = l + " · " + name + ": " + format(v)
			}
			fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" data-series="%s" data-label="%s" data-value="%s"><title>%s</title></rect>`,
				cls, num(x0), num(by+1), num(math.Max(x1-x0, 0.5)), num(barH-2), esc(name), esc(l), Value(v), esc(tip))
			tx, anchor := x1+5, "start"
			if v < 0 {
				tx, anchor = x0-5, "end"
			}
			fmt.Fprintf(&b, `<text class="value" x="%s" y="%s" text-anchor="%s" dominant-baseline="middle">%s</text>`, num(tx), num(by+barH/2), anchor, esc(format(v)))
		}
		b.WriteString("</g>\n")
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%s" x2="%s" y1="4" y2="%s"/>`+"\n", num(x(0)), num(x(0)), num(h-2))
	b.WriteString("</svg>\n")
	var items []legendItem
	if !c.Signed {
		for i, s := range c.Series {
			items = append(items, legendItem{name: s.Name, class: colour(i, s.Class)})
		}
	}
	legend(&b, items)
	b.WriteString("</figure>\n")
	return b.String()
}
