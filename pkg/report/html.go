package report

import (
	"html/template"
	"io"

	"github.com/llmcost/llmcost/pkg/chart"
)

// The HTML format is one self-contained page (no scripts, fonts or
// network): facts, then sections of inline SVG charts (pkg/chart) with
// their tables beneath, readable in light and dark colour schemes and in
// print. Each document kind builds a Page — AnalyzePage, DiffPage, and
// breakeven's in its command package, SimulatePage — and WritePage writes
// it; a new kind needs only a function from its document to a Page.

// HTMLFormat is the name of the HTML format (--format html). It is not in
// Formats, which commands without an HTML page share.
const HTMLFormat = "html"

// Page is an HTML report page.
type Page struct {
	Title    string
	Subtitle string
	Facts    []Fact
	// Alerts stand out above the sections: a failed gate, unpriced models.
	Alerts   []Alert
	Sections []PageSection
	// Footer lines close the page (coverage, key, how to reproduce).
	Footer []string
}

// Fact is one headline figure.
type Fact struct {
	Label, Value, Note string
	// Tone colours the value: "up" (cost grew: bad), "down", "warn" or "".
	Tone string
}

// Alert is a highlighted message with optional items.
type Alert struct {
	// Level is "fail", "warn" or "pass".
	Level string
	Text  string
	Items []string
}

// PageSection is a titled part of the page: charts, then tables, then a
// list and notes.
type PageSection struct {
	// ID is the section's element id (unique in the page).
	ID    string
	Title string
	Intro string
	// Alerts stand out right under the intro (a caveat on a figure).
	Alerts []Alert
	Charts []template.HTML
	Tables []PageTable
	// ItemsTitle heads the list ("Assumptions"); "" for none.
	ItemsTitle string
	Items      []string
	Notes      []string
}

// PageTable is a table of text cells; the first TextCols columns are text,
// the rest numbers (right-aligned).
type PageTable struct {
	Caption  string
	Header   []string
	Rows     [][]string
	TextCols int
	// More is a note under the table ("12 more rows …").
	More string
}

// Chart marks a chart fragment from pkg/chart as safe HTML (pkg/chart
// escapes every text it draws).
func Chart(fragment string) template.HTML { return template.HTML(fragment) }

// WritePage writes p as a complete HTML document.
func WritePage(w io.Writer, p *Page) error {
	return pageTemplate.Execute(w, struct {
		*Page
		CSS template.CSS
	}{p, template.CSS(pageCSS + chart.CSS)})
}

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"num": func(col, textCols int) bool { return col >= textCols },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="llmcost">
<title>{{.Title}}</title>
<style>
{{.CSS}}</style>
</head>
<body>
<main>
<header>
<h1>{{.Title}}</h1>
{{- if .Subtitle}}
<p class="subtitle">{{.Subtitle}}</p>
{{- end}}
</header>
{{- if .Facts}}
<dl class="facts">
{{- range .Facts}}
<div class="fact{{if .Tone}} {{.Tone}}{{end}}"><dt>{{.Label}}</dt><dd>{{.Value}}{{if .Note}}<span class="note">{{.Note}}</span>{{end}}</dd></div>
{{- end}}
</dl>
{{- end}}
{{- range .Alerts}}
<div class="alert {{.Level}}" role="status"><p>{{.Text}}</p>
{{- if .Items}}
<ul>
{{- range .Items}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
</div>
{{- end}}
{{- range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{- if .Intro}}
<p class="intro">{{.Intro}}</p>
{{- end}}
{{- range .Alerts}}
<div class="alert {{.Level}}"><p>{{.Text}}</p>
{{- if .Items}}
<ul>
{{- range .Items}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
</div>
{{- end}}
{{- range .Charts}}
{{.}}
{{- end}}
{{- range .Tables}}
{{- $t := .}}
<div class="table-wrap">
<table>
{{- if .Caption}}
<caption>{{.Caption}}</caption>
{{- end}}
<thead><tr>{{range $i, $h := .Header}}<th{{if num $i $t.TextCols}} class="num"{{end}} scope="col">{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range $i, $c := .}}<td{{if num $i $t.TextCols}} class="num"{{end}}>{{$c}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
{{- if .More}}
<p class="more">{{.More}}</p>
{{- end}}
{{- end}}
{{- if .Items}}
{{- if .ItemsTitle}}
<h3>{{.ItemsTitle}}</h3>
{{- end}}
<ul class="items">
{{- range .Items}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
</section>
{{- end}}
<footer>
{{- range .Footer}}
<p>{{.}}</p>
{{- end}}
<p>Made by llmcost: a self-contained page without scripts. Hover over a chart for its figures; <code>--format json</code> holds every row, exactly.</p>
</footer>
</main>
</body>
</html>
`))

const pageCSS = `:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--card:#f6f8fa;--accent:#0969da;--fail:#cf222e;--warn:#9a6700;--ok:#1a7f37}
@media (prefers-color-scheme: dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--border:#3d444d;--card:#151b23;--accent:#4493f8;--fail:#f85149;--warn:#d29922;--ok:#3fb950}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:2rem 1.5rem 3rem}
h1{font-size:1.65rem;line-height:1.25;margin:0 0 .25rem}
h2{font-size:1.2rem;margin:0 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid var(--border)}
h3{font-size:.95rem;margin:1rem 0 .25rem}
.subtitle,.intro,.note,.more{color:var(--muted)}
.subtitle{margin:0 0 1.5rem}
.intro{margin:.25rem 0 .75rem}
.note,.more{font-size:.85rem;margin:.25rem 0}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:.75rem;margin:0 0 1.5rem}
.fact{background:var(--card);border:1px solid var(--border);border-radius:8px;padding:.7rem 1rem}
.fact dt{color:var(--muted);font-size:.75rem;text-transform:uppercase;letter-spacing:.04em}
.fact dd{margin:.15rem 0 0;font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
.fact .note{display:block;margin:0;font-size:.8rem;font-weight:400}
.fact.up dd{color:var(--fail)}
.fact.down dd{color:var(--ok)}
.fact.warn dd{color:var(--warn)}
.alert{background:var(--card);border:1px solid var(--border);border-left:4px solid var(--accent);border-radius:6px;padding:.6rem 1rem;margin:0 0 1rem}
.alert p{margin:0;font-weight:600}
.alert ul{margin:.4rem 0 0;padding-left:1.2rem}
.alert.fail{border-left-color:var(--fail)}
.alert.warn{border-left-color:var(--warn)}
.alert.pass{border-left-color:var(--ok)}
section .alert p{font-weight:400}
section{margin:2.25rem 0}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.85rem;font-variant-numeric:tabular-nums;margin:.5rem 0}
caption{text-align:left;color:var(--muted);padding:.25rem 0}
th,td{padding:.3rem .6rem;border-bottom:1px solid var(--border);text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:var(--card);font-weight:600}
.num{text-align:right;white-space:nowrap;overflow-wrap:normal}
tbody tr:hover{background:var(--card)}
.items{padding-left:1.2rem;font-size:.9rem}
.items li{margin:.2rem 0}
code{font-size:.85em}
footer{margin-top:2.5rem;padding-top:.75rem;border-top:1px solid var(--border);color:var(--muted);font-size:.8rem}
footer p{margin:.2rem 0}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--border:#bbb;--card:#f3f3f3;--fail:#b00020;--warn:#8a5a00;--ok:#146c2e}
@page{margin:14mm 12mm}
body{font-size:10pt}
main{max-width:none;padding:0}
section{break-inside:auto;margin:1.25rem 0}
h2,h3{break-after:avoid;page-break-after:avoid}
thead{display:table-header-group}
tr,.fact,.alert{break-inside:avoid;page-break-inside:avoid}
.table-wrap{overflow:visible}
th,td{white-space:normal}
table{font-size:8.5pt}
tbody tr:hover{background:none}
}
`
