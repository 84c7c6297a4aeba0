package compress

import (
	"fmt"
	"strings"
	"testing"
)

// spansOf lists the protected spans of s as "kind:text".
func spansOf(s string) []string {
	var out []string
	for _, sp := range scan(s) {
		out = append(out, sp.kind.String()+":"+s[sp.start:sp.end])
	}
	return out
}

func TestScan(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"See https://example.com/a_(b)?q=1. Then www.example.org, ok", []string{"url:https://example.com/a_(b)?q=1", "url:www.example.org"}},
		{"(see https://x.io/docs)", []string{"url:https://x.io/docs"}},
		{"Mail ada.l+x@mail-1.example.co.uk.", []string{"email:ada.l+x@mail-1.example.co.uk"}},
		{"{name} {{ user.name }} {% if x %} {# c #} ${HOME} $VAR %(n)s {0} {} {x:>10}",
			[]string{"template:{name}", "template:{{ user.name }}", "template:{% if x %}", "template:{# c #}", "template:${HOME}",
				"template:$VAR", "template:%(n)s", "template:{0}", "template:{}", "template:{x:>10}"}},
		{"{{{raw}}}", []string{"template:{{{raw}}}"}},
		{`<tag> </tag> <tag a="x > y"> <br/> <ns:t-1 /> <!-- note --> <|im_start|>`,
			[]string{"tag:<tag>", "tag:</tag>", `tag:<tag a="x > y">`, "tag:<br/>", "tag:<ns:t-1 />", "tag:<!-- note -->", "tag:<|im_start|>"}},
		{"a < b and c > d, x<3", []string{"number:3"}},
		{`"double" 'single' “curly” ‘curly’`, []string{`quote:"double"`, "quote:'single'", "quote:“curly”", "quote:‘curly’"}},
		{"don't users' it’s", nil},
		{"'tis rock 'n' roll", []string{"quote:'tis rock 'n'"}},
		{`"escaped \" quote" end`, []string{`quote:"escaped \" quote"`}},
		{"\"unclosed\nnext\"", nil},
		{"10 1.5 3-5 $20 €7 10% 500ms 2026-04-01 v2.1 1,000.", []string{"number:10", "number:1.5", "number:3-5", "number:$20", "number:€7",
			"number:10%", "number:500ms", "number:2026-04-01", "number:2.1", "number:1,000"}},
		{"Use `x := 1` or ``a ` b``.", []string{"code:`x := 1`", "code:``a ` b``"}},
		{"`open\n\nnot closed`", nil},
		{"Text\n```go\nfmt.Println(\"hi\")\n```\nafter", []string{"fence:```go\nfmt.Println(\"hi\")\n```"}},
		{"~~~~\n```\nx\n~~~~ \nz", []string{"fence:~~~~\n```\nx\n~~~~ "}},
		{"  ```\nunclosed\n\nrest", []string{"fence:  ```\nunclosed\n\nrest"}},
		{"not ``` a fence", nil},
		{`Send {"a": [1, "b"]} now`, []string{`json:{"a": [1, "b"]}`}},
		{"[1, 2] {\"a\" 1}", []string{"number:1", "number:2", `quote:"a"`, "number:1"}},
		{"bad \xff\xfe bytes \ue000 private", []string{"raw:\xff\xfe", "raw:\ue000"}},
	}
	for _, tt := range tests {
		got := spansOf(tt.in)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("scan(%q):\ngot  %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// Masking and restoring gives the text back, and identical spans share a
// placeholder.
func TestDocRoundTrip(t *testing.T) {
	for _, s := range append(fuzzSeeds, "\ue000\ue010\ue001 forged placeholder", "{a} {a} {b}") {
		d := NewDoc(s)
		if got := d.String(); got != s {
			t.Errorf("round trip of %q gave %q", s, got)
		}
	}
	d := NewDoc("{a} and {a} and {b}")
	if strings.Count(d.Text, phString(0)) != 2 || !strings.Contains(d.Text, phString(1)) {
		t.Errorf("placeholders not shared: %q", d.Text)
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"One. Two! Three? Four", []string{"One.", "Two!", "Three?", "Four"}},
		{"Use e.g. JSON. Or i.e. YAML. Mr. Smith agrees.", []string{"Use e.g. JSON.", "Or i.e. YAML.", "Mr. Smith agrees."}},
		{"The U.S. team. J. Smith wrote it.", []string{"The U.S. team.", "J. Smith wrote it."}},
		{"Stop. then go.", []string{"Stop. then go."}},
		{"Wait... Really?! Yes (really.) Done", []string{"Wait...", "Really?!", "Yes (really.)", "Done"}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range sentences(tt.in) {
			got = append(got, tt.in[s.start:s.end])
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("sentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name, before, after string
		removed             []string
		wantErr             string
	}{
		{"same", "Never share 3 keys.", "Never share 3 keys.", nil, ""},
		{"whitespace and filler", "Please  never share 3 keys.", "Never share 3 keys.", nil, ""},
		{"json whitespace", "```json\n{ \"a\": 1 }\n```", "```json\n{\"a\":1}\n```", nil, ""},
		{"inline json whitespace", `Send {"a": 1}.`, `Send {"a":1}.`, nil, ""},
		{"duplicate removed", "Do not guess. Do not guess.", "Do not guess.", []string{"Do not guess."}, ""},
		{"number dropped", "Wait 5 days.", "Wait days.", nil, `lost number "5"`},
		{"number changed", "Wait 5 days.", "Wait 6 days.", nil, `number "6"`},
		{"numbers joined", "Codes 1 2.", "Codes 12.", nil, `number "12"`},
		{"negation dropped", "Do not guess.", "Do guess.", nil, `lost negation "not"`},
		{"contraction dropped", "Don't guess.", "Do guess.", nil, `negation "don't"`},
		{"code changed", "Run `make  test`.", "Run `make test`.", nil, "code"},
		{"fence changed", "```\na  b\n```", "```\na b\n```", nil, "fence"},
		{"quote changed", `Say "Hello  there".`, `Say "Hello there".`, nil, "quote"},
		{"variable dropped", "Hi {name}.", "Hi.", nil, `lost template "{name}"`},
		{"url changed", "See https://x.io/a.", "See https://x.io/b.", nil, "url"},
		{"tag dropped", "<rules>Be brief.</rules>", "Be brief.", nil, "tag"},
		{"json key changed", `{"name": 1}`, `{"Name": 1}`, nil, "json"},
		{"json value reformatted", `{"a": 1.0}`, `{"a": 1}`, nil, "json"},
		{"reordered", "Use {a} then {b}.", "Use {b} then {a}.", nil, "moved"},
		{"fake duplicate", "Do not guess.", "", []string{"Do not lie, never."}, "removed duplicates hold"},
		{"invalid utf-8", "ok", "ok\xff", nil, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.before, tt.after, tt.removed)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
