package scenarios

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// promptcache.jsonl: gpt-4o, automatic caching; exactly 3 requests hit and
// read 8,192 tokens at $1.25 instead of $2.50 per 1M: $0.01024.
func TestPromptCacheKnownAnswer(t *testing.T) {
	res := run(t, "scenarios: [promptcache]\n", false, "promptcache.jsonl")
	o := outcome(t, res, "promptcache")
	eq(t, "saving", o.Saving(&res.Baseline), "0.01024")
	eq(t, "hits", figure(t, o, "hit_requests"), "3")
	eq(t, "cache reads", figure(t, o, "simulated_cache_read_tokens"), "8192")
	eq(t, "writes billed apart", figure(t, o, "simulated_cache_write_tokens"), "0")
	if o.Affected != 3 {
		t.Errorf("affected = %d, want 3", o.Affected)
	}
	// Ten minutes of idle time keep the 09:02 prompt until 09:20.
	res = run(t, "scenarios: [promptcache]\npromptcache: {idle: 20m}\n", false, "promptcache.jsonl")
	o = outcome(t, res, "promptcache")
	eq(t, "idle 20m: hits", figure(t, o, "hit_requests"), "4")
	eq(t, "idle 20m: saving", o.Saving(&res.Baseline), "0.01536")
}

// promptcache-anthropic.jsonl: a three-turn conversation on Claude Sonnet
// 4.5 without breakpoints in the log.
func TestPromptCacheBreakpoints(t *testing.T) {
	tests := []struct {
		placement, saving string
		hits              string
	}{
		{"auto", "0.0234", "2"},
		{"last", "0.0234", "2"},
		{"static", "0.0093", "2"},
		{"logged", "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.placement, func(t *testing.T) {
			res := run(t, "scenarios: [promptcache]\npromptcache: {breakpoints: "+tt.placement+"}\n", false, "promptcache-anthropic.jsonl")
			eq(t, "baseline", res.Baseline.Total(), "0.07245")
			o := outcome(t, res, "promptcache")
			eq(t, "saving", o.Saving(&res.Baseline), tt.saving)
			eq(t, "hits", figure(t, o, "hit_requests"), tt.hits)
			var tbl *simulate.Table
			for i := range o.Tables {
				if o.Tables[i].Key == "breakpoint_placement" {
					tbl = &o.Tables[i]
				}
			}
			if tbl == nil || len(tbl.Rows) != 4 {
				t.Fatalf("placement table = %+v", tbl)
			}
			want := []string{"0.0486", "0.0627", "0.0486", "0.072"} // auto, static, last, logged
			for i, r := range tbl.Rows {
				eq(t, r[0].(string), r[4].(decimal.Decimal), want[i])
			}
		})
	}
	// 1-hour breakpoints: writes at 2× input ($6) instead of 1.25×.
	res := run(t, "scenarios: [promptcache]\npromptcache: {ttl: 1h}\n", false, "promptcache-anthropic.jsonl")
	o := outcome(t, res, "promptcache")
	eq(t, "1h saving", o.Saving(&res.Baseline), "-0.0036") // 12,000 read at 0.30, 12,000 written at 6: $0.0756 vs $0.072
}

// Stacked with batch, the cache discount is halved with everything else:
// nothing is counted twice.
func TestPromptCacheStacksWithBatch(t *testing.T) {
	res := run(t, "scenarios: [promptcache, batch]\nbatch: {interactive: none}\n", true, "promptcache.jsonl")
	want := res.Baseline.Total().Sub(usd("0.01024")).Div(decimal.NewFromInt(2))
	eq(t, "stacked", res.Stack.Simulated.Total(), want.String())
	if len(res.Stack.Stages) != 2 || res.Stack.Stages[0].Name != "promptcache" {
		t.Fatalf("stages = %+v", res.Stack.Stages)
	}
	eq(t, "after promptcache", res.Stack.Stages[0].Cost, res.Baseline.Total().Sub(usd("0.01024")).String())
}

// The replay runs in time order whatever the goroutine that reads each
// record, and over standard input as over files.
func TestPromptCacheWorkersAndStdin(t *testing.T) {
	cat := catalog(t)
	cfg, err := Decode(stringsReader("scenarios: [promptcache]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []decimal.Decimal
	for _, workers := range []int{1, 2, 3} {
		scs, err := cfg.Build([]string{"promptcache"}, cat)
		if err != nil {
			t.Fatal(err)
		}
		res, _, err := simulate.Run(context.Background(), []string{logs + "promptcache.jsonl", logs + "promptcache-anthropic.jsonl"},
			simulate.Options{Catalog: cat, Scenarios: scs, Ingest: ingest.Options{Workers: workers}})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, res.Outcomes[0].Saving(&res.Baseline))
	}
	for i, g := range got {
		eq(t, "saving with workers "+string(rune('1'+i)), g, "0.03364")
	}
	f, err := openFile(logs + "promptcache.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	scs, _ := cfg.Build([]string{"promptcache"}, cat)
	res, _, err := simulate.Run(context.Background(), []string{"-"}, simulate.Options{Catalog: cat, Scenarios: scs, Ingest: ingest.Options{Stdin: f}})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "stdin saving", res.Outcomes[0].Saving(&res.Baseline), "0.01024")
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func openFile(p string) (*os.File, error) { return os.Open(p) }
