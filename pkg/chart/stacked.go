package chart

import (
	"fmt"
	"math"
	"strings"
)

// Stacked is a column chart: one column per category (a day), each the
// stack of the series' values (cost per model). Values below zero count
// as zero.
type Stacked struct {
	// ID names the chart in the page (data-chart, element ids); unique.
	ID    string
	Title string
	// Note is a short remark after the title.
	Note       string
	Categories []string
	Series     []Series
	// Format writes values (axis labels, tooltips); Category, when set,
	// writes the category labels under the columns (the tooltips keep the
	// full category).
	Format   Format
	Category func(string) string
	// Width and Height are the drawing's size in CSS pixels (0: 960×300).
	Width, Height float64
}

// HTML returns the chart as a <figure> holding the SVG and the legend.
// Every drawn segment is a <rect> with data-series, data-category and
// data-value, and a <title> tooltip; every column a <g> with data-category
// and data-total.
func (c Stacked) HTML() string {
	w, h := c.Width, c.Height
	if w == 0 {
		w = 960
	}
	if h == 0 {
		h = 300
	}
	format := c.Format
	if format == nil {
		format = Value
	}
	n := len(c.Categories)
	totals := make([]float64, n)
	for _, s := range c.Series {
		for i := 0; i < n && i < len(s.Values); i++ {
			totals[i] += math.Max(0, s.Values[i])
		}
	}
	max := 0.0
	for _, t := range totals {
		max = math.Max(max, t)
	}
	ticks := linearTicks(0, max, 5)
	top := ticks[len(ticks)-1]
	var ylabel float64
	for _, t := range ticks {
		ylabel = math.Max(ylabel, textWidth(format(t)))
	}
	left, right, topM, bottom := math.Max(40, ylabel+14), 12.0, 10.0, 28.0
	pw, ph := w-left-right, h-topM-bottom
	y := func(v float64) float64 { return topM + ph - v/top*ph }

	var b strings.Builder
	figure(&b, c.ID, "stacked", c.Title, c.Note)
	svgOpen(&b, w, h, c.Title)
	b.WriteString(`<g class="y-axis">`)
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(left), num(w-right), num(y(t)), num(y(t)))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`, num(left-6), num(y(t)), esc(format(t)))
	}
	b.WriteString("</g>\n")
	if n == 0 {
		b.WriteString("</svg>\n</figure>\n")
		return b.String()
	}
	col := pw / float64(n)
	bar := col * 0.75
	if col < 4 {
		bar = col
	}
	label := c.Category
	if label == nil {
		label = func(s string) string { return s }
	}
	// Label every k-th column so that labels do not overlap.
	widest := 0.0
	for _, cat := range c.Categories {
		widest = math.Max(widest, textWidth(label(cat)))
	}
	every := int(math.Ceil((widest + 12) / col))
	if every < 1 {
		every = 1
	}
	for i, cat := range c.Categories {
		x := left + float64(i)*col + (col-bar)/2
		fmt.Fprintf(&b, `<g class="col" data-category="%s" data-total="%s"><title>%s: %s</title>`, esc(cat), Value(totals[i]), esc(cat), esc(format(totals[i])))
		base := y(0)
		for si, s := range c.Series {
			if i >= len(s.Values) || s.Values[i] <= 0 {
				continue
			}
			v := s.Values[i]
			hgt := v / top * ph
			base -= hgt
			fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" data-series="%s" data-category="%s" data-value="%s"><title>%s · %s: %s</title></rect>`,
				colour(si, s.Class), num(x), num(base), num(bar), num(hgt), esc(s.Name), esc(cat), Value(v), esc(cat), esc(s.Name), esc(format(v)))
		}
		b.WriteString("</g>\n")
		if i%every == 0 {
			fmt.Fprintf(&b, `<text class="x-label" x="%s" y="%s" text-anchor="middle">%s</text>`+"\n", num(x+bar/2), num(h-bottom+16), esc(label(cat)))
		}
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%s" x2="%s" y1="%s" y2="%s"/>`+"\n", num(left), num(w-right), num(y(0)), num(y(0)))
	b.WriteString("</svg>\n")
	var items []legendItem
	for i, s := range c.Series {
		items = append(items, legendItem{name: s.Name, class: colour(i, s.Class)})
	}
	legend(&b, items)
	b.WriteString("</figure>\n")
	return b.String()
}
