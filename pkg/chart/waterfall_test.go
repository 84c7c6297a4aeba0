package chart

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// column is a waterfall column read back from the drawing.
type column struct {
	kind, label, class string
	value, from, to    float64
	top, bottom        float64 // pixel y of the rect's edges
	title              string
}

func waterfallColumns(t *testing.T, doc *html.Node) []column {
	t.Helper()
	var out []column
	for _, r := range find(doc, "rect") {
		if attr(r, "data-kind") == "" {
			continue
		}
		y, h := fattr(t, r, "y"), fattr(t, r, "height")
		c := column{kind: attr(r, "data-kind"), label: attr(r, "data-label"), class: attr(r, "class"),
			value: fattr(t, r, "data-value"), from: fattr(t, r, "data-from"), to: fattr(t, r, "data-to"), top: y, bottom: y + h}
		if ts := find(r, "title"); len(ts) == 1 {
			c.title = text(ts[0])
		}
		out = append(out, c)
	}
	return out
}

// zeroY is the pixel y of the zero line (the axis).
func zeroY(t *testing.T, doc *html.Node) float64 {
	t.Helper()
	for _, l := range find(doc, "line") {
		if attr(l, "class") == "axis" {
			return fattr(t, l, "y1")
		}
	}
	t.Fatal("no zero line")
	return 0
}

func TestWaterfall(t *testing.T) {
	c := Waterfall{ID: "wf", Title: "Savings", StartLabel: "baseline", Start: 100, EndLabel: "stacked", EndEstimated: true, Format: USD,
		Steps: []Step{{Label: "routing", Delta: -30, Estimated: true, Note: "41 requests affected"}, {Label: "history", Delta: 10}, {Label: "<batch>", Delta: -50}}}
	out := c.HTML()
	if strings.Contains(out, "<batch>") {
		t.Fatal("label not escaped")
	}
	doc := parse(t, out)
	if f := find(doc, "figure"); len(f) != 1 || attr(f[0], "data-kind") != "waterfall" || attr(f[0], "data-chart") != "wf" {
		t.Fatalf("figure %v", f)
	}
	cols := waterfallColumns(t, doc)
	var got []string
	for _, c := range cols {
		got = append(got, c.kind+" "+c.label+" "+c.class+" "+Value(c.value)+" "+Value(c.from)+"→"+Value(c.to))
	}
	want := []string{"start baseline base 100 0→100", "step routing down -30 100→70", "step history up 10 70→80",
		"step <batch> down -50 80→30", "end stacked c0 30 0→30"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("columns\n got %q\nwant %q", got, want)
	}
	// Geometry: every column spans its from and to levels on one linear
	// scale whose zero is the axis.
	zero := zeroY(t, doc)
	ppu := (zero - cols[0].top) / 100
	if ppu <= 0 || math.Abs(cols[0].bottom-zero) > 0.01 {
		t.Fatalf("start column %+v, zero at %v", cols[0], zero)
	}
	for _, c := range cols {
		hi, lo := math.Max(c.from, c.to), math.Min(c.from, c.to)
		if math.Abs(c.top-(zero-hi*ppu)) > 0.02 || math.Abs(c.bottom-(zero-lo*ppu)) > 0.02 {
			t.Errorf("%s: spans %v..%v px, want %v..%v", c.label, c.top, c.bottom, zero-hi*ppu, zero-lo*ppu)
		}
	}
	// Columns run left to right, without overlapping.
	xs := find(doc, "rect")
	for i := 1; i < len(xs); i++ {
		if fattr(t, xs[i], "x") <= fattr(t, xs[i-1], "x")+fattr(t, xs[i-1], "width") {
			t.Errorf("column %d overlaps the one before", i)
		}
	}
	// Values written above the columns, steps signed, estimates marked.
	var values []string
	for _, tx := range find(doc, "text") {
		if attr(tx, "class") == "value" {
			values = append(values, text(tx))
		}
	}
	if want := []string{"$100", "-~$30", "+$10", "-$50", "~$30"}; !reflect.DeepEqual(values, want) {
		t.Errorf("values %q, want %q", values, want)
	}
	if want := "routing: -~$30 ($100 → ~$70); 41 requests affected"; cols[1].title != want {
		t.Errorf("tooltip %q, want %q", cols[1].title, want)
	}
	if want := "stacked: ~$30 (-$70 from $100)"; cols[4].title != want {
		t.Errorf("end tooltip %q, want %q", cols[4].title, want)
	}
	// A dashed connector carries each level to the next column.
	var levels []string
	for _, l := range find(doc, "line") {
		if attr(l, "class") == "guide" {
			levels = append(levels, attr(l, "data-level"))
			if y := fattr(t, l, "y1"); math.Abs(y-(zero-fattr(t, l, "data-level")*ppu)) > 0.02 {
				t.Errorf("connector at %v px for level %s", y, attr(l, "data-level"))
			}
		}
	}
	if want := []string{"100", "70", "80", "30"}; !reflect.DeepEqual(levels, want) {
		t.Errorf("connector levels %v, want %v", levels, want)
	}
	if lis := text(find(doc, "ul")[0]); lis != "totalsavingadded cost" {
		t.Errorf("legend %q", lis)
	}
}

// One step (a single scenario), no legend entry for added cost.
func TestWaterfallOneStep(t *testing.T) {
	doc := parse(t, Waterfall{ID: "one", StartLabel: "baseline", Start: 1.47, EndLabel: "batch", Format: USD,
		Steps: []Step{{Label: "Batch API", Delta: -0.7}}}.HTML())
	cols := waterfallColumns(t, doc)
	if len(cols) != 3 || cols[2].value != 1.47-0.7 || cols[1].class != "down" {
		t.Fatalf("columns %+v", cols)
	}
	if lis := text(find(doc, "ul")[0]); lis != "totalsaving" {
		t.Errorf("legend %q", lis)
	}
}

// A total that goes below zero: the axis includes the negative range and
// the end column hangs under the zero line. A zero step still shows.
func TestWaterfallNegative(t *testing.T) {
	doc := parse(t, Waterfall{ID: "neg", StartLabel: "a", Start: 10, EndLabel: "b",
		Steps: []Step{{Label: "x", Delta: -30}, {Label: "nothing", Delta: 0}, {Label: "bad", Delta: math.NaN()}}}.HTML())
	cols := waterfallColumns(t, doc)
	zero := zeroY(t, doc)
	end := cols[len(cols)-1]
	if end.value != -20 || math.Abs(end.top-zero) > 0.01 || end.bottom <= zero {
		t.Errorf("end column %+v, zero at %v", end, zero)
	}
	if cols[2].class != "other" || cols[2].bottom-cols[2].top < 1 || cols[3].value != 0 {
		t.Errorf("zero steps %+v %+v", cols[2], cols[3])
	}
	for _, tx := range find(doc, "text") {
		if attr(tx, "class") == "value" && text(tx) == "-20" && attr(tx, "dominant-baseline") != "hanging" {
			t.Error("the negative end's value is not under its column")
		}
	}
}

// Long labels wrap onto at most three lines that fit their column.
func TestWaterfallLabels(t *testing.T) {
	var steps []Step
	for i := 0; i < 9; i++ {
		steps = append(steps, Step{Label: "Provider prompt caching with a very long explanation of what it does", Delta: -1})
	}
	c := Waterfall{ID: "many", StartLabel: "baseline (as logged)", Start: 20, Steps: steps, EndLabel: "All levers stacked"}
	doc := parse(t, c.HTML())
	col := (960 - 40 - 12) / 11.0
	for _, tx := range find(doc, "text") {
		if attr(tx, "class") != "label" {
			continue
		}
		spans := find(tx, "tspan")
		if len(spans) == 0 || len(spans) > waterfallLines {
			t.Errorf("%d lines", len(spans))
		}
		for _, s := range spans {
			if w := textWidth(text(s)); w > col {
				t.Errorf("line %q (%v px) wider than its column (%v px)", text(s), w, col)
			}
		}
	}
	if got := wrapLabel("Context management", 200, 3); !reflect.DeepEqual(got, []string{"Context management"}) {
		t.Errorf("wrap %q", got)
	}
	if got := wrapLabel("Context management", 80, 3); !reflect.DeepEqual(got, []string{"Context", "management"}) {
		t.Errorf("wrap %q", got)
	}
	if got := wrapLabel("a b c d e f g h", 30, 2); len(got) != 2 || !strings.HasSuffix(got[1], "…") {
		t.Errorf("wrap %q", got)
	}
	if got := wrapLabel("", 30, 2); !reflect.DeepEqual(got, []string{""}) {
		t.Errorf("wrap %q", got)
	}
}
