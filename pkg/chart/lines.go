package chart

import (
	"fmt"
	"math"
	"strings"
)

// Point is one point of a line. Key points (the volumes of a table) are
// drawn as dots with a tooltip and data attributes.
type Point struct {
	X, Y float64
	Key  bool
}

// Line is one series of a line chart.
type Line struct {
	Name   string
	Points []Point
	Dash   bool
	// Class is the colour class ("" picks one by index).
	Class string
}

// Marker is a point of interest (a crossing), drawn as a ring with a label
// and a dashed guide down to the x axis.
type Marker struct {
	X, Y  float64
	Label string
	// Title is the tooltip (default Label).
	Title string
}

// Lines is a line chart with linear or log axes.
type Lines struct {
	// ID names the chart in the page (data-chart, the clip path); unique.
	ID             string
	Title          string
	Note           string
	XTitle, YTitle string
	LogX, LogY     bool
	// XMin…YMax fix the axes' ranges (0: from the data).
	XMin, XMax, YMin, YMax float64
	Lines                  []Line
	Markers                []Marker
	XFormat, YFormat       Format
	// Width and Height are the drawing's size in CSS pixels (0: 960×440).
	Width, Height float64
}

type scale struct {
	log         bool
	lo, hi      float64
	start, size float64
	flip        bool
}

func (s scale) at(v float64) float64 {
	var f float64
	if s.log {
		f = (math.Log10(v) - math.Log10(s.lo)) / (math.Log10(s.hi) - math.Log10(s.lo))
	} else {
		f = (v - s.lo) / (s.hi - s.lo)
	}
	if s.flip {
		f = 1 - f
	}
	return s.start + f*s.size
}

// ok reports whether v can be drawn (log axes drop values ≤ 0).
func (s scale) ok(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && (!s.log || v > 0)
}

func (c Lines) domain(x bool) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	log := c.LogY
	if x {
		log = c.LogX
	}
	see := func(v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || (log && v <= 0) {
			return
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for _, l := range c.Lines {
		for _, p := range l.Points {
			if x {
				see(p.X)
			} else {
				see(p.Y)
			}
		}
	}
	for _, m := range c.Markers {
		if x {
			see(m.X)
		} else {
			see(m.Y)
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 1, 10
	}
	return lo, hi
}

func axisTicks(log bool, lo, hi float64) (ticks []float64, a, b float64) {
	if log {
		t := logTicks(lo, hi)
		return t, t[0], t[len(t)-1]
	}
	if lo > 0 {
		lo = 0
	}
	t := linearTicks(lo, hi, 6)
	return t, t[0], t[len(t)-1]
}

// HTML returns the chart as a <figure>. Each line is a <path> with
// data-series; key points are <circle>s with data-series, data-x and
// data-y; markers are <g class="marker"> with data-x, data-y and
// data-label; all with <title> tooltips.
func (c Lines) HTML() string {
	w, h := c.Width, c.Height
	if w == 0 {
		w = 960
	}
	if h == 0 {
		h = 440
	}
	xf, yf := c.XFormat, c.YFormat
	if xf == nil {
		xf = Value
	}
	if yf == nil {
		yf = Value
	}
	xlo, xhi := c.domain(true)
	ylo, yhi := c.domain(false)
	if c.XMin != 0 {
		xlo = c.XMin
	}
	if c.XMax != 0 {
		xhi = c.XMax
	}
	if c.YMin != 0 {
		ylo = c.YMin
	}
	if c.YMax != 0 {
		yhi = c.YMax
	}
	xt, xa, xb := axisTicks(c.LogX, xlo, xhi)
	if c.XMin != 0 && c.XMax != 0 {
		xa, xb = c.XMin, c.XMax
	}
	yt, ya, yb := axisTicks(c.LogY, ylo, yhi)
	ylabel := 0.0
	for _, t := range yt {
		ylabel = math.Max(ylabel, textWidth(yf(t)))
	}
	left, right, top, bottom := ylabel+16, 16.0, 14.0, 42.0
	if c.YTitle != "" {
		left += 16
	}
	pw, ph := w-left-right, h-top-bottom
	sx := scale{log: c.LogX, lo: xa, hi: xb, start: left, size: pw}
	sy := scale{log: c.LogY, lo: ya, hi: yb, start: top, size: ph, flip: true}

	var b strings.Builder
	figure(&b, c.ID, "lines", c.Title, c.Note)
	svgOpen(&b, w, h, c.Title)
	fmt.Fprintf(&b, `<defs><clipPath id="clip-%s"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath></defs>`+"\n",
		esc(c.ID), num(left), num(top-6), num(pw), num(ph+6))
	b.WriteString(`<g class="axes">`)
	for _, t := range yt {
		if t < ya || t > yb {
			continue
		}
		y := sy.at(t)
		fmt.Fprintf(&b, `<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(left), num(w-right), num(y), num(y))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`, num(left-6), num(y), esc(yf(t)))
	}
	for _, t := range xt {
		if t < xa*(1-1e-9) || t > xb*(1+1e-9) {
			continue
		}
		x := sx.at(t)
		fmt.Fprintf(&b, `<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(x), num(x), num(top), num(top+ph))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle">%s</text>`, num(x), num(top+ph+16), esc(xf(t)))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(left), num(w-right), num(top+ph), num(top+ph))
	fmt.Fprintf(&b, `<line class="axis" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(left), num(left), num(top), num(top+ph))
	if c.XTitle != "" {
		fmt.Fprintf(&b, `<text class="label" x="%s" y="%s" text-anchor="middle">%s</text>`, num(left+pw/2), num(h-6), esc(c.XTitle))
	}
	if c.YTitle != "" {
		fmt.Fprintf(&b, `<text class="label" transform="translate(12 %s) rotate(-90)" text-anchor="middle">%s</text>`, num(top+ph/2), esc(c.YTitle))
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<g clip-path="url(#clip-%s)">`+"\n", esc(c.ID))
	var items []legendItem
	for i, l := range c.Lines {
		cls := colour(i, l.Class)
		items = append(items, legendItem{name: l.Name, class: cls, dash: l.Dash})
		var d strings.Builder
		for _, p := range l.Points {
			if !sx.ok(p.X) || !sy.ok(p.Y) {
				continue
			}
			cmd := "L"
			if d.Len() == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s", cmd, num(sx.at(p.X)), num(sy.at(p.Y)))
		}
		lc := "line " + cls
		if l.Dash {
			lc += " dash"
		}
		fmt.Fprintf(&b, `<path class="%s" d="%s" data-series="%s"><title>%s</title></path>`+"\n", lc, d.String(), esc(l.Name), esc(l.Name))
		for _, p := range l.Points {
			if !p.Key || !sx.ok(p.X) || !sy.ok(p.Y) {
				continue
			}
			fmt.Fprintf(&b, `<circle class="pt %s" cx="%s" cy="%s" r="3.5" data-series="%s" data-x="%s" data-y="%s"><title>%s at %s: %s</title></circle>`+"\n",
				cls, num(sx.at(p.X)), num(sy.at(p.Y)), esc(l.Name), Value(p.X), Value(p.Y), esc(l.Name), esc(xf(p.X)), esc(yf(p.Y)))
		}
	}
	b.WriteString("</g>\n")
	for i, m := range c.Markers {
		if !sx.ok(m.X) || !sy.ok(m.Y) {
			continue
		}
		x, y := sx.at(m.X), sy.at(m.Y)
		title := m.Title
		if title == "" {
			title = m.Label
		}
		anchor, tx := "start", x+8
		if x > left+pw*0.75 {
			anchor, tx = "end", x-8
		}
		ty := y - 10 - float64(i%3)*13
		fmt.Fprintf(&b, `<g class="marker" data-x="%s" data-y="%s" data-label="%s"><title>%s</title><line class="guide" x1="%s" x2="%s" y1="%s" y2="%s"/><circle cx="%s" cy="%s" r="5"/><text x="%s" y="%s" text-anchor="%s">%s</text></g>`+"\n",
			Value(m.X), Value(m.Y), esc(m.Label), esc(title), num(x), num(x), num(y+5), num(top+ph), num(x), num(y), num(tx), num(ty), anchor, esc(m.Label))
	}
	b.WriteString("</svg>\n")
	legend(&b, items)
	b.WriteString("</figure>\n")
	return b.String()
}
