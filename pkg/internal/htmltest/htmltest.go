// Package htmltest parses HTML output in tests (golang.org/x/net/html) and
// finds elements by tag and attribute, so that tests can check the figures
// a page or chart carries.
package htmltest

import (
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Parse parses a document; a fragment is parsed as the body of one.
func Parse(t testing.TB, s string) *html.Node {
	t.Helper()
	if !strings.HasPrefix(strings.TrimSpace(s), "<!DOCTYPE") {
		s = "<!DOCTYPE html><html><body>" + s + "</body></html>"
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// All returns the elements under n (n included) named tag ("" for any)
// that have every attribute of attrs as key=value pairs ("key=" matches
// any value of key), in document order.
func All(n *html.Node, tag string, attrs ...string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (tag == "" || n.Data == tag) && matches(n, attrs) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func matches(n *html.Node, attrs []string) bool {
	for _, kv := range attrs {
		k, v, _ := strings.Cut(kv, "=")
		got, ok := Lookup(n, k)
		if !ok || (v != "" && got != v) {
			return false
		}
	}
	return true
}

// One is All expecting exactly one element.
func One(t testing.TB, n *html.Node, tag string, attrs ...string) *html.Node {
	t.Helper()
	all := All(n, tag, attrs...)
	if len(all) != 1 {
		t.Fatalf("%d <%s %s> elements, want 1", len(all), tag, strings.Join(attrs, " "))
	}
	return all[0]
}

// Lookup returns an attribute's value and whether it is set.
func Lookup(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// Attr returns an attribute's value ("" when unset).
func Attr(n *html.Node, key string) string {
	v, _ := Lookup(n, key)
	return v
}

// Float returns a numeric attribute.
func Float(t testing.TB, n *html.Node, key string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(Attr(n, key), 64)
	if err != nil {
		t.Fatalf("<%s> %s=%q: %v", n.Data, key, Attr(n, key), err)
	}
	return f
}

// Text returns the text under n, concatenated.
func Text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// Texts returns the text of each node.
func Texts(ns []*html.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = Text(n)
	}
	return out
}

// SelfContained parses page and checks that it is a whole, self-contained
// report page: a complete document without scripts or external resources,
// with a light and dark colour scheme and print styles, and every <svg>
// inside a chart <figure>.
func SelfContained(t testing.TB, page string) *html.Node {
	t.Helper()
	if !strings.HasPrefix(page, "<!DOCTYPE html>\n") || !strings.HasSuffix(page, "</html>\n") {
		t.Fatalf("not a whole document: %.80q … %.80q", page, page[max(0, len(page)-80):])
	}
	doc := Parse(t, page)
	if n := All(doc, "script"); len(n) > 0 {
		t.Errorf("page has %d <script> elements", len(n))
	}
	for _, n := range All(doc, "") {
		for _, a := range n.Attr {
			if (a.Key == "src" || a.Key == "href") && !strings.HasPrefix(a.Val, "#") {
				t.Errorf("<%s %s=%q>: external resource", n.Data, a.Key, a.Val)
			}
		}
	}
	style := Text(One(t, doc, "style"))
	for _, bad := range []string{"http://", "https://", "@import", "url("} {
		if strings.Contains(style, bad) {
			t.Errorf("stylesheet refers to %q", bad)
		}
	}
	One(t, doc, "meta", "name=color-scheme")
	for _, want := range []string{"prefers-color-scheme: dark", "@media print"} {
		if !strings.Contains(style, want) {
			t.Errorf("stylesheet lacks %q", want)
		}
	}
	for _, svg := range All(doc, "svg") {
		if p := svg.Parent; p == nil || p.Data != "figure" || Attr(p, "data-chart") == "" {
			t.Errorf("svg outside a chart figure")
		}
	}
	return doc
}
