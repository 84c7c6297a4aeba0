package chart

import (
	"fmt"
	"strings"
)

// Colours of the series, light and dark (Tableau 10, lifted for dark
// backgrounds). Each is a CSS custom property --cN.
var (
	lightColours = [Palette]string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#c9a400", "#b07aa1", "#ff9da7", "#9c755f", "#7f7f7f"}
	darkColours  = [Palette]string{"#78a6d8", "#ffa552", "#ff7b7d", "#8fd3cd", "#7fc974", "#f1cf45", "#d19ec3", "#ffb3bb", "#c49a82", "#b5b5b5"}
)

// CSS is the stylesheet the charts need, for the host page's <style>: the
// colour variables (light by default, dark under prefers-color-scheme,
// light again in print) and the chart rules.
var CSS = buildCSS()

func vars(b *strings.Builder, colours [Palette]string) {
	for i, c := range colours {
		fmt.Fprintf(b, "--c%d:%s;", i, c)
	}
}

func buildCSS() string {
	var b strings.Builder
	b.WriteString(":root{")
	vars(&b, lightColours)
	b.WriteString("--other:#bab0ac;--base:#a9b4c2;--up:#d1495b;--down:#2a9d5c;--chart-fg:#3b3f46;--chart-muted:#6b7280;--chart-grid:#e5e7eb;--chart-axis:#9ca3af;--chart-bg:#ffffff}\n")
	b.WriteString("@media (prefers-color-scheme: dark){:root{")
	vars(&b, darkColours)
	b.WriteString("--other:#8a8480;--base:#5f6b7a;--up:#ff6b7d;--down:#4cc48a;--chart-fg:#e5e7eb;--chart-muted:#9ca3af;--chart-grid:#2f3540;--chart-axis:#6b7280;--chart-bg:#161a20}}\n")
	b.WriteString("@media print{:root{")
	vars(&b, lightColours)
	b.WriteString("--other:#bab0ac;--base:#a9b4c2;--up:#d1495b;--down:#2a9d5c;--chart-fg:#000;--chart-muted:#444;--chart-grid:#ddd;--chart-axis:#888;--chart-bg:#fff}}\n")
	b.WriteString(`.chart{margin:1rem 0 1.5rem;break-inside:avoid;page-break-inside:avoid}
.chart figcaption{font-weight:600;margin-bottom:.4rem}
.chart figcaption small{font-weight:400;color:var(--chart-muted);margin-left:.4rem}
.chart svg{display:block;width:100%;height:auto;max-width:100%;font-family:inherit;font-size:12px;fill:var(--chart-fg)}
.chart text{fill:var(--chart-muted)}
.chart text.label{fill:var(--chart-fg)}
.chart text.value{fill:var(--chart-fg);font-variant-numeric:tabular-nums}
.chart .grid{stroke:var(--chart-grid);stroke-width:1}
.chart .axis{stroke:var(--chart-axis);stroke-width:1}
.chart .guide{stroke:var(--chart-axis);stroke-width:1;stroke-dasharray:3 3}
.chart path.line{fill:none;stroke-width:2;stroke-linejoin:round}
.chart path.line.dash{stroke-dasharray:7 4}
.chart circle.pt{stroke:var(--chart-bg);stroke-width:1}
.chart .marker circle{fill:var(--chart-bg);stroke:var(--chart-fg);stroke-width:2}
.chart .marker text{fill:var(--chart-fg);font-weight:600;paint-order:stroke;stroke:var(--chart-bg);stroke-width:4px;stroke-linejoin:round}
.chart .legend{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.5rem 0 0;padding:0;font-size:.85rem}
.chart .legend li{display:flex;align-items:center;gap:.35rem}
.chart .sw{display:inline-block;width:.8rem;height:.8rem;border-radius:2px}
.chart .sw.dash{height:0;border-top:3px dashed;background:none!important;width:1.2rem}
`)
	var classes []string
	for i := 0; i < Palette; i++ {
		classes = append(classes, fmt.Sprintf("c%d", i))
	}
	for _, c := range append(classes, "other", "base", "up", "down") {
		fmt.Fprintf(&b, ".chart .%[1]s{fill:var(--%[1]s)}\n.chart path.line.%[1]s{stroke:var(--%[1]s)}\n.chart .sw.%[1]s{background:var(--%[1]s);color:var(--%[1]s)}\n", c)
	}
	return b.String()
}
