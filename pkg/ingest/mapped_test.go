package ingest

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
)

var testMapping = &Mapping{Model: "llm_model", Provider: "vendor", Time: "ts", InputTokens: "prompt_tok", CachedTokens: "cached_tok",
	OutputTokens: "completion_tok", Requests: "n", InputIncludesCached: true, Tags: []string{"feature"}}

func TestMapped(t *testing.T) {
	tests := []struct {
		name    string
		mapping *Mapping
		in      string
		want    []string // model/provider in cached out calls tag
		bad     []int64
	}{
		{"csv with quotes and a mapped tag", testMapping,
			"ts,llm_model,vendor,prompt_tok,cached_tok,completion_tok,feature,n\n" +
				"2026-03-02T10:00:00Z,gpt-4o-mini,openai,1200,1024,80,\"a, b\",\n" +
				"2026-03-02T10:00:01Z,gpt-4o,openai,\"3,000\",0,400,x,12\n",
			[]string{"gpt-4o-mini/openai 176 1024 80 1 a, b", "gpt-4o/openai 3000 0 400 12 x"}, nil},
		{"tsv, columns in another order, missing columns", testMapping,
			"completion_tok\tllm_model\tprompt_tok\n5\tgpt-4o\t10\n",
			[]string{"gpt-4o/ 10 0 5 1 "}, nil},
		{"cached over input is malformed", testMapping,
			"llm_model,prompt_tok,cached_tok,completion_tok\ngpt-4o,10,20,1\ngpt-4o,30,20,1\n",
			[]string{"gpt-4o/ 10 20 1 1 "}, []int64{2}},
		{"disjoint columns", &Mapping{Model: "m", InputTokens: "i", CachedTokens: "c", OutputTokens: "o"},
			"m,i,c,o\ngpt-4o,10,20,1\n", []string{"gpt-4o/ 10 20 1 1 "}, nil},
		{"json lines with nested members", &Mapping{Model: "engine.name", InputTokens: "usage.in", OutputTokens: "usage.out", DefaultProvider: "openai"},
			`{"engine": {"name": "gpt-4o"}, "usage": {"in": 100, "out": "7"}}` + "\n" + `{"engine": {"name": "gpt-4o"}, "usage": {"in": -1}}` + "\n",
			[]string{"gpt-4o/openai 100 0 7 1 "}, []int64{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, "log.txt", []byte(tt.in))
			st, recs, _, err := runLines(t, []string{p}, Options{Mapping: tt.mapping})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				tag := ""
				for _, tg := range r.Tags {
					tag = tg.Value
				}
				got = append(got, strings.Join([]string{r.Model + "/" + r.Provider, strconv.FormatInt(r.InputTokens, 10), strconv.FormatInt(r.CacheReadTokens, 10), strconv.FormatInt(r.OutputTokens, 10), strconv.FormatInt(r.CallCount(), 10), tag}, " "))
			}
			sort.Strings(got)
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("records:\n got %q\nwant %q", got, want)
			}
			var bad []int64
			for _, pr := range st.Problems {
				bad = append(bad, pr.Line)
			}
			if !equalInts(bad, tt.bad) {
				t.Errorf("malformed lines %v, want %v (%v)", bad, tt.bad, st.Problems)
			}
			if st.Files[0].Format != "mapped" {
				t.Errorf("format %q", st.Files[0].Format)
			}
		})
	}
}

// Without a mapping an unknown table is an unreadable file, as before.
func TestMappedOnlyWithMapping(t *testing.T) {
	p := write(t, "log.csv", []byte("llm_model,prompt_tok\ngpt-4o,1\n"))
	st, recs, _, _ := runLines(t, []string{p}, Options{})
	if len(recs) != 0 || st.Files[0].Err == "" || !strings.Contains(st.Files[0].Err, "map the columns") {
		t.Fatalf("records %d, err %q", len(recs), st.Files[0].Err)
	}
}

func TestMappingValidate(t *testing.T) {
	if err := (&Mapping{InputTokens: "i"}).Validate(); err == nil {
		t.Error("no model: want an error")
	}
	if err := (&Mapping{Model: "m"}).Validate(); err == nil {
		t.Error("no tokens: want an error")
	}
}

func FuzzParseMapped(f *testing.F) {
	f.Add([]byte("ts,llm_model,vendor,prompt_tok,cached_tok,completion_tok,feature,n\n2026-03-02T10:00:00Z,gpt-4o,openai,1200,1024,80,x,2\n"))
	f.Add([]byte(`{"llm_model":"gpt-4o","prompt_tok":3,"completion_tok":"1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := newParser()
		p.mapping = testMapping
		var rec record.Record
		for _, l := range strings.Split(string(data), "\n") {
			rec.Reset()
			if err := parseMapped(p, []byte(l), &rec); err == nil {
				for _, n := range []int64{rec.InputTokens, rec.CacheReadTokens, rec.CacheWrite5mTokens, rec.OutputTokens, rec.ReasoningTokens} {
					if n < 0 {
						t.Fatalf("negative count in %+v", rec)
					}
				}
			}
		}
	})
}
