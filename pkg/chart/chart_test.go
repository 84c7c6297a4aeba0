package chart

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/llmcost/llmcost/pkg/internal/htmltest"
)

var (
	all  = htmltest.All
	attr = htmltest.Attr
	text = htmltest.Text
)

func parse(t *testing.T, frag string) *html.Node { return htmltest.Parse(t, frag) }

func find(n *html.Node, tag string) []*html.Node { return all(n, tag) }

func fattr(t *testing.T, n *html.Node, key string) float64 { return htmltest.Float(t, n, key) }

func TestStacked(t *testing.T) {
	c := Stacked{ID: "days", Title: "Cost by day", Categories: []string{"2026-03-01", "2026-03-02", "2026-03-03"},
		Series: []Series{{Name: "gpt-4o", Values: []float64{1, 0, 3}}, {Name: "<b>claude</b>", Values: []float64{2, 0.5, 1}}, {Name: "other", Values: []float64{0, 0, 4}, Class: "other"}},
		Format: USD}
	out := c.HTML()
	if strings.Contains(out, "<b>claude") {
		t.Fatal("series name not escaped")
	}
	doc := parse(t, out)
	figs := find(doc, "figure")
	if len(figs) != 1 || attr(figs[0], "data-chart") != "days" || attr(figs[0], "data-kind") != "stacked" {
		t.Fatalf("figure: %v", figs)
	}
	got := map[string]float64{}
	heights := map[string]float64{}
	for _, r := range find(doc, "rect") {
		k := attr(r, "data-category") + "|" + attr(r, "data-series")
		got[k] = fattr(t, r, "data-value")
		heights[attr(r, "data-category")] += fattr(t, r, "height")
		if find(r, "title") == nil {
			t.Errorf("%s: no title", k)
		}
	}
	want := map[string]float64{"2026-03-01|gpt-4o": 1, "2026-03-01|<b>claude</b>": 2, "2026-03-02|<b>claude</b>": 0.5,
		"2026-03-03|gpt-4o": 3, "2026-03-03|<b>claude</b>": 1, "2026-03-03|other": 4}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("segments %v, want %v (zero values draw nothing)", got, want)
	}
	// Stacks are proportional to the column totals.
	if r := heights["2026-03-03"] / heights["2026-03-01"]; math.Abs(r-8.0/3) > 0.01 {
		t.Errorf("column heights ratio %.3f, want %.3f", r, 8.0/3)
	}
	var totals []string
	for _, g := range find(doc, "g") {
		if attr(g, "class") == "col" {
			totals = append(totals, attr(g, "data-total"))
		}
	}
	if !reflect.DeepEqual(totals, []string{"3", "0.5", "8"}) {
		t.Errorf("totals %v", totals)
	}
	if lis := find(doc, "li"); len(lis) != 3 || text(lis[1]) != "<b>claude</b>" {
		t.Errorf("legend %d items", len(lis))
	}
	// The y axis reaches the largest column and is labelled in dollars.
	var labels []string
	for _, tx := range find(doc, "text") {
		labels = append(labels, text(tx))
	}
	if !strings.Contains(strings.Join(labels, " "), "$8") {
		t.Errorf("y labels %v lack $8", labels)
	}
}

func TestStackedThinsLabels(t *testing.T) {
	var cats []string
	var vals []float64
	for i := 0; i < 90; i++ {
		cats = append(cats, "2026-01-"+strconv.Itoa(i))
		vals = append(vals, float64(i))
	}
	doc := parse(t, Stacked{ID: "x", Categories: cats, Series: []Series{{Name: "a", Values: vals}}}.HTML())
	n := 0
	for _, tx := range find(doc, "text") {
		if attr(tx, "class") == "x-label" {
			n++
		}
	}
	if n == 0 || n > 20 {
		t.Errorf("%d x labels for 90 columns", n)
	}
	if r := find(doc, "rect"); len(r) != 89 {
		t.Errorf("%d rects, want 89", len(r))
	}
}

func TestBars(t *testing.T) {
	c := Bars{ID: "delta", Labels: []string{"gpt-4o", "a-very-long-model-name-that-goes-on-and-on-and-on-forever"},
		Series: []Series{{Name: "change", Values: []float64{12.5, -3}}}, Format: USD, Signed: true}
	doc := parse(t, c.HTML())
	rects := find(doc, "rect")
	if len(rects) != 2 {
		t.Fatalf("%d rects", len(rects))
	}
	if attr(rects[0], "class") != "up" || attr(rects[1], "class") != "down" {
		t.Errorf("classes %q %q", attr(rects[0], "class"), attr(rects[1], "class"))
	}
	if fattr(t, rects[1], "data-value") != -3 || attr(rects[1], "data-label") != c.Labels[1] {
		t.Errorf("second bar: %v", rects[1].Attr)
	}
	// The negative bar ends where the positive one starts (the zero line).
	if math.Abs(fattr(t, rects[1], "x")+fattr(t, rects[1], "width")-fattr(t, rects[0], "x")) > 0.02 {
		t.Errorf("bars do not meet at zero")
	}
	// Widths are proportional to the values.
	if r := fattr(t, rects[0], "width") / fattr(t, rects[1], "width"); math.Abs(r-12.5/3) > 0.01 {
		t.Errorf("width ratio %.3f", r)
	}
	for _, tx := range find(doc, "text") {
		if strings.Contains(text(tx), "forever") && !strings.Contains(text(tx), "…") {
			t.Errorf("long label not truncated: %q", text(tx))
		}
	}
	if find(doc, "ul") != nil {
		t.Error("signed bars have no legend")
	}
}

func TestBarsGrouped(t *testing.T) {
	c := Bars{ID: "g", Labels: []string{"a", "b"}, Series: []Series{{Name: "baseline", Values: []float64{1, 2}, Class: "base"}, {Name: "current", Values: []float64{3, 0}}}}
	doc := parse(t, c.HTML())
	var got []string
	for _, r := range find(doc, "rect") {
		got = append(got, attr(r, "data-label")+"/"+attr(r, "data-series")+"/"+attr(r, "data-value")+"/"+attr(r, "class"))
	}
	want := []string{"a/baseline/1/base", "a/current/3/c1", "b/baseline/2/base", "b/current/0/c1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bars %v, want %v", got, want)
	}
	if len(find(doc, "li")) != 2 {
		t.Error("legend")
	}
}

func TestLines(t *testing.T) {
	api := Line{Name: "bedrock", Dash: true, Points: []Point{{X: 1e7, Y: 10, Key: true}, {X: 1e9, Y: 1000, Key: true}, {X: 1e11, Y: 1e5, Key: true}}}
	self := Line{Name: "p5 fp8", Points: []Point{{X: 1e7, Y: 5000}, {X: 1e11, Y: 5000}}}
	c := Lines{ID: "be", LogX: true, LogY: true, Lines: []Line{api, self}, Markers: []Marker{{X: 5e9, Y: 5000, Label: "5B"}},
		XFormat: Count, YFormat: USD, XMin: 1e7, XMax: 1e11}
	doc := parse(t, c.HTML())
	paths := find(doc, "path")
	if len(paths) != 2 || attr(paths[0], "data-series") != "bedrock" || !strings.Contains(attr(paths[0], "class"), "dash") {
		t.Fatalf("paths %v", paths)
	}
	pts := find(doc, "circle")
	var keys []string
	for _, p := range pts {
		if attr(p, "data-series") != "" {
			keys = append(keys, attr(p, "data-x")+":"+attr(p, "data-y"))
		}
	}
	if !reflect.DeepEqual(keys, []string{"10000000:10", "1000000000:1000", "100000000000:100000"}) {
		t.Errorf("key points %v", keys)
	}
	// On log-log axes a straight price line is straight: equal steps
	// between decades.
	x0, x1, x2 := fattr(t, pts[0], "cx"), fattr(t, pts[1], "cx"), fattr(t, pts[2], "cx")
	y0, y1, y2 := fattr(t, pts[0], "cy"), fattr(t, pts[1], "cy"), fattr(t, pts[2], "cy")
	if math.Abs((x1-x0)-(x2-x1)) > 0.02 || math.Abs((y1-y0)-(y2-y1)) > 0.02 {
		t.Errorf("log scale not even: x %v %v %v, y %v %v %v", x0, x1, x2, y0, y1, y2)
	}
	var marker *html.Node
	for _, g := range find(doc, "g") {
		if attr(g, "class") == "marker" {
			marker = g
		}
	}
	if marker == nil || attr(marker, "data-x") != "5000000000" || attr(marker, "data-label") != "5B" {
		t.Fatalf("marker %v", marker)
	}
	// The marker sits on the flat self-hosted line.
	mc := find(marker, "circle")[0]
	if d := attr(paths[1], "d"); !strings.Contains(d, " "+attr(mc, "cy")) {
		t.Errorf("marker cy %s not on the line %s", attr(mc, "cy"), d)
	}
	var xlabels []string
	for _, tx := range find(doc, "text") {
		xlabels = append(xlabels, text(tx))
	}
	for _, want := range []string{"10M", "100M", "1B", "10B", "100B", "$10", "$100k"} {
		if !strings.Contains(strings.Join(xlabels, "|")+"|", want+"|") {
			t.Errorf("axis label %s missing from %v", want, xlabels)
		}
	}
}

func TestLinesDropsNonPositiveOnLogAxes(t *testing.T) {
	c := Lines{ID: "z", LogY: true, Lines: []Line{{Name: "a", Points: []Point{{X: 1, Y: 0, Key: true}, {X: 2, Y: 10, Key: true}, {X: 3, Y: 100, Key: true}}}}}
	out := c.HTML()
	doc := parse(t, out)
	if n := len(find(doc, "circle")); n != 2 {
		t.Errorf("%d points drawn, want 2", n)
	}
	if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
		t.Error("NaN or Inf in output")
	}
}

func TestTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 8, []float64{0, 2, 4, 6, 8}},
		{0, 0.037, []float64{0, 0.01, 0.02, 0.03, 0.04}},
		{0, 1234, []float64{0, 500, 1000, 1500}},
		{-3, 12.5, []float64{-5, 0, 5, 10, 15}},
	} {
		if got := linearTicks(c.lo, c.hi, 5); !reflect.DeepEqual(got, c.want) {
			t.Errorf("linearTicks(%v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
	if got := logTicks(1e7, 1e11); !reflect.DeepEqual(got, []float64{1e7, 1e8, 1e9, 1e10, 1e11}) {
		t.Errorf("logTicks = %v", got)
	}
	if got := logTicks(3, 40); !reflect.DeepEqual(got, []float64{1, 2, 5, 10, 20, 50, 100}) {
		t.Errorf("logTicks(3, 40) = %v", got)
	}
}

func TestFormats(t *testing.T) {
	for v, want := range map[float64]string{0: "$0", 0.0012345: "$0.00123", 0.5: "$0.5", 3.456: "$3.46", 12: "$12", 1234: "$1.2k", 3.4e6: "$3.4M", 1.5e9: "$1.5B", -2000: "-$2k"} {
		if got := USD(v); got != want {
			t.Errorf("USD(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{950: "950", 12000: "12k", 4.5e6: "4.5M", 1e10: "10B"} {
		if got := Count(v); got != want {
			t.Errorf("Count(%v) = %q, want %q", v, got, want)
		}
	}
}

// The stylesheet defines every colour class for light, dark and print.
func TestCSS(t *testing.T) {
	for _, want := range []string{"prefers-color-scheme: dark", "@media print", ".chart .c9{fill:var(--c9)}", ".chart path.line.c0{stroke:var(--c0)}", ".chart .other{"} {
		if !strings.Contains(CSS, want) {
			t.Errorf("CSS lacks %q", want)
		}
	}
}
