package chart

import (
	"fmt"
	"math"
	"strings"
)

// Step is one floating column of a waterfall: a change to the running
// total.
type Step struct {
	Label string
	// Delta is the change the step makes to the total: negative lowers it
	// (a saving), positive raises it (a lever that costs more).
	Delta float64
	// Estimated marks the value as an estimate ("~" before it).
	Estimated bool
	// Note is added to the tooltip ("41 requests affected").
	Note string
}

// Waterfall is a column chart of a total changed step by step: a first
// column at Start, one floating column per step from the running total
// before it to the one after, and a last column at the result (Start plus
// every Delta). Dashed connectors carry each level to the next column.
type Waterfall struct {
	// ID names the chart in the page (data-chart); unique.
	ID    string
	Title string
	Note  string
	// StartLabel and EndLabel name the first and last columns.
	StartLabel string
	Start      float64
	Steps      []Step
	EndLabel   string
	// EndEstimated marks the result as an estimate.
	EndEstimated bool
	// Format writes values (axis, labels, tooltips); steps are written
	// with their sign.
	Format Format
	// Width and Height are the drawing's size in CSS pixels (0: 960×340).
	Width, Height float64
}

// waterfallLines is how many lines a column label may take.
const waterfallLines = 3

// finite turns NaN and infinities into 0, so that one bad value cannot
// break the drawing's geometry.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// HTML returns the chart as a <figure>. Every column is a <rect> with
// data-kind (start, step or end), data-label, data-value (the total for
// start and end, the change for a step), data-from and data-to (the
// running total before and after), and a <title> tooltip.
func (c Waterfall) HTML() string {
	w, h := c.Width, c.Height
	if w == 0 {
		w = 960
	}
	if h == 0 {
		h = 340
	}
	format := c.Format
	if format == nil {
		format = Value
	}
	// levels[i] is the running total before column i+1 (levels[0] = Start).
	levels := []float64{finite(c.Start)}
	for _, s := range c.Steps {
		levels = append(levels, levels[len(levels)-1]+finite(s.Delta))
	}
	end := levels[len(levels)-1]
	lo, hi := 0.0, 0.0
	for _, l := range levels {
		lo, hi = math.Min(lo, l), math.Max(hi, l)
	}
	ticks := linearTicks(lo, hi, 5)
	ya, yb := ticks[0], ticks[len(ticks)-1]
	ylabel := 0.0
	for _, t := range ticks {
		ylabel = math.Max(ylabel, textWidth(format(t)))
	}

	n := len(c.Steps) + 2
	left, right, top := math.Max(40, ylabel+14), 12.0, 22.0
	col := (w - left - right) / float64(n)
	bar := math.Min(col*0.62, 120)
	labels := make([][]string, 0, n)
	names := append(append([]string{c.StartLabel}, stepLabels(c.Steps)...), c.EndLabel)
	nlines := 1
	for _, l := range names {
		ls := wrapLabel(l, col-8, waterfallLines)
		labels = append(labels, ls)
		nlines = max(nlines, len(ls))
	}
	bottom := 12 + 14*float64(nlines)
	ph := h - top - bottom
	y := func(v float64) float64 { return top + (yb-v)/(yb-ya)*ph }
	cx := func(i int) float64 { return left + (float64(i)+0.5)*col }

	var b strings.Builder
	figure(&b, c.ID, "waterfall", c.Title, c.Note)
	svgOpen(&b, w, h, c.Title)
	b.WriteString(`<g class="y-axis">`)
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(left), num(w-right), num(y(t)), num(y(t)))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`, num(left-6), num(y(t)), esc(format(t)))
	}
	b.WriteString("</g>\n")

	tilde := func(est bool) string {
		if est {
			return "~"
		}
		return ""
	}
	signed := func(v float64) string {
		if v > 0 {
			return "+" + format(v)
		}
		return format(v)
	}
	column := func(i int, kind, cls, label string, value, from, to float64, text, tip string) {
		y0, y1 := y(math.Max(from, to)), y(math.Min(from, to))
		x := cx(i) - bar/2
		fmt.Fprintf(&b, `<g class="step" data-kind="%s">`, kind)
		fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" data-kind="%s" data-label="%s" data-value="%s" data-from="%s" data-to="%s"><title>%s</title></rect>`,
			cls, num(x), num(y0), num(bar), num(math.Max(y1-y0, 1)), kind, esc(label), Value(value), Value(from), Value(to), esc(tip))
		// The value above the column's top, or below it when the column
		// hangs under the zero line.
		ty, base := y0-6, "auto"
		if math.Max(from, to) <= 0 && math.Min(from, to) < 0 {
			ty, base = y1+6, "hanging"
		}
		fmt.Fprintf(&b, `<text class="value" x="%s" y="%s" text-anchor="middle" dominant-baseline="%s">%s</text>`, num(cx(i)), num(ty), base, esc(text))
		fmt.Fprintf(&b, `<text class="label" x="%s" y="%s" text-anchor="middle">`, num(cx(i)), num(h-bottom+16))
		for j, l := range labels[i] {
			dy := "0"
			if j > 0 {
				dy = "14"
			}
			fmt.Fprintf(&b, `<tspan x="%s" dy="%s">%s</tspan>`, num(cx(i)), dy, esc(l))
		}
		b.WriteString("</text></g>\n")
	}

	start := levels[0]
	column(0, "start", "base", c.StartLabel, start, 0, start, format(start), c.StartLabel+": "+format(start))
	for i, s := range c.Steps {
		from, to := levels[i], levels[i+1]
		d := finite(s.Delta) // as given, not to-from (float noise)
		cls := "other"
		switch {
		case d < 0:
			cls = "down"
		case d > 0:
			cls = "up"
		}
		// The sign first: "-~$0.14" (about 14 cents less).
		text := signed(d)
		if s.Estimated {
			if strings.HasPrefix(text, "-") || strings.HasPrefix(text, "+") {
				text = text[:1] + "~" + text[1:]
			} else {
				text = "~" + text
			}
		}
		tip := s.Label + ": " + text + " (" + format(from) + " → " + tilde(s.Estimated) + format(to) + ")"
		if s.Note != "" {
			tip += "; " + s.Note
		}
		column(i+1, "step", cls, s.Label, d, from, to, text, tip)
	}
	endText := tilde(c.EndEstimated) + format(end)
	endTip := c.EndLabel + ": " + endText
	if start != 0 {
		endTip += fmt.Sprintf(" (%s from %s)", signed(end-start), format(start))
	}
	column(n-1, "end", "c0", c.EndLabel, end, 0, end, endText, endTip)

	// Connectors: each level, from one column's edge to the next one's.
	for i := 0; i < n-1; i++ {
		level := levels[min(i, len(levels)-1)]
		fmt.Fprintf(&b, `<line class="guide" x1="%s" x2="%s" y1="%s" y2="%s" data-level="%s"/>`,
			num(cx(i)+bar/2), num(cx(i+1)-bar/2), num(y(level)), num(y(level)), Value(level))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, `<line class="axis" x1="%s" x2="%s" y1="%s" y2="%s"/>`+"\n", num(left), num(w-right), num(y(0)), num(y(0)))
	b.WriteString("</svg>\n")
	items := []legendItem{{name: "total", class: "base"}}
	var saves, adds bool
	for _, s := range c.Steps {
		d := finite(s.Delta)
		saves, adds = saves || d < 0, adds || d > 0
	}
	if saves {
		items = append(items, legendItem{name: "saving", class: "down"})
	}
	if adds {
		items = append(items, legendItem{name: "added cost", class: "up"})
	}
	legend(&b, items)
	b.WriteString("</figure>\n")
	return b.String()
}

func stepLabels(steps []Step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.Label
	}
	return out
}

// wrapLabel breaks a label into at most lines lines of about width pixels
// (words longer than a line are cut); the last line ends with an ellipsis
// when the label does not fit.
func wrapLabel(s string, width float64, lines int) []string {
	chars := int(width / textWidth("x"))
	if chars < 4 {
		chars = 4
	}
	var out []string
	cur := ""
	for _, word := range strings.Fields(s) {
		if cur == "" {
			cur = word
		} else if len([]rune(cur))+1+len([]rune(word)) <= chars {
			cur += " " + word
		} else {
			out = append(out, cur)
			cur = word
		}
	}
	if cur != "" || len(out) == 0 {
		out = append(out, cur)
	}
	if len(out) > lines {
		// The rest is longer than a line: truncate adds the ellipsis.
		out[lines-1] = truncate(strings.Join(out[lines-1:], " "), chars)
		out = out[:lines]
	}
	for i, l := range out {
		out[i] = truncate(l, chars)
	}
	return out
}
