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

// promptcache.jsonl: gpt-4.1, automatic caching. The log shows the 8,192
// cached tokens OpenAI's in-memory cache gave, and the replay of today's
// caching finds the same; prompt_cache_retention 24h (the default
// proposal) adds one hit of 4,096 tokens at $0.50 instead of $2 per 1M:
// $0.006144.
func TestPromptCacheKnownAnswer(t *testing.T) {
	res := run(t, "scenarios: [promptcache]\n", false, "promptcache.jsonl")
	o := outcome(t, res, "promptcache")
	eq(t, "saving", o.Saving(&res.Baseline), "0.006144")
	eq(t, "logged reads", figure(t, o, "logged_cache_read_tokens"), "8192")
	eq(t, "today's replay", figure(t, o, "replay_today_read_tokens"), "8192")
	eq(t, "proposed replay", figure(t, o, "replay_proposed_read_tokens"), "12288")
	eq(t, "cache reads", figure(t, o, "simulated_cache_read_tokens"), "12288")
	eq(t, "hits", figure(t, o, "hit_requests"), "4")
	eq(t, "writes billed apart", figure(t, o, "simulated_cache_write_tokens"), "0")
	if o.Affected != 1 || len(o.Warnings) != 0 {
		t.Errorf("affected = %d, warnings %q; want 1 and none", o.Affected, o.Warnings)
	}
	// Today's retention proposed: nothing changes, to the cent.
	res = run(t, "scenarios: [promptcache]\npromptcache: {retention: in_memory}\n", false, "promptcache.jsonl")
	o = outcome(t, res, "promptcache")
	if !o.Simulated.Total().Equal(res.Baseline.Total()) || o.Affected != 0 {
		t.Errorf("in-memory retention: %s (%d affected), baseline %s", o.Simulated.Total(), o.Affected, res.Baseline.Total())
	}
	// A provider that keeps prefixes 20 minutes: the replay of today now
	// finds the 09:20 hit the log does not show, and so does the proposal:
	// the difference, hence the saving, is 0; the report says the replay
	// and the log disagree only when the replay finds less.
	res = run(t, "scenarios: [promptcache]\npromptcache: {idle: 20m}\n", false, "promptcache.jsonl")
	o = outcome(t, res, "promptcache")
	eq(t, "idle 20m: today's replay", figure(t, o, "replay_today_read_tokens"), "12288")
	eq(t, "idle 20m: saving", o.Saving(&res.Baseline), "0")
}

// promptcache-anthropic.jsonl: a three-turn conversation on Claude Sonnet
// 4.5 without breakpoints in the log.
func TestPromptCacheBreakpoints(t *testing.T) {
	tests := []struct {
		placement, saving string
		hits              string
	}{
		{"best", "0.0234", "2"},
		{"auto", "0.0234", "2"},
		{"last", "0.0234", "2"},
		{"static", "0.0093", "2"},
		{"logged", "0", "0"},
		{"none", "0", "0"},
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
			if tbl == nil || len(tbl.Rows) != 5 {
				t.Fatalf("placement table = %+v", tbl)
			}
			want := []string{"0.0486", "0.0627", "0.0486", "0.072", "0.072"} // auto, static, last, logged, none
			for i, r := range tbl.Rows {
				eq(t, r[0].(string), r[4].(decimal.Decimal), want[i])
			}
		})
	}
	// 1-hour breakpoints: writes at 2× input ($6) instead of 1.25×. At the
	// end of the prompt (auto) they cost more than they save: 12,000 read at
	// $0.30 and 12,000 written at $6, $0.0756 against $0.072 uncached. The
	// default (best) takes the cheapest placement instead: the system
	// prompt only, 4,000 read, 2,000 written, 18,000 uncached: $0.0672.
	res := run(t, "scenarios: [promptcache]\npromptcache: {ttl: 1h, breakpoints: auto}\n", false, "promptcache-anthropic.jsonl")
	eq(t, "1h auto saving", outcome(t, res, "promptcache").Saving(&res.Baseline), "-0.0036")
	res = run(t, "scenarios: [promptcache]\npromptcache: {ttl: 1h}\n", false, "promptcache-anthropic.jsonl")
	eq(t, "1h best saving", outcome(t, res, "promptcache").Saving(&res.Baseline), "0.0048")
}

// Stacked with batch, the cache discount is halved with everything else
// (gpt-4.1 has batch prices for cached input too):
// nothing is counted twice.
func TestPromptCacheStacksWithBatch(t *testing.T) {
	res := run(t, "scenarios: [promptcache, batch]\nbatch: {interactive: none}\n", true, "promptcache.jsonl")
	want := res.Baseline.Total().Sub(usd("0.006144")).Div(decimal.NewFromInt(2))
	eq(t, "stacked", res.Stack.Simulated.Total(), want.String())
	if len(res.Stack.Stages) != 2 || res.Stack.Stages[0].Name != "promptcache" {
		t.Fatalf("stages = %+v", res.Stack.Stages)
	}
	eq(t, "after promptcache", res.Stack.Stages[0].Cost, res.Baseline.Total().Sub(usd("0.006144")).String())
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
		eq(t, "saving with workers "+string(rune('1'+i)), g, "0.029544")
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
	eq(t, "stdin saving", res.Outcomes[0].Saving(&res.Baseline), "0.006144")
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func openFile(p string) (*os.File, error) { return os.Open(p) }

// promptcache-gemini.jsonl: 30 gemini-2.5-flash calls 12 minutes apart
// sharing a 4,000-token system prefix. Implicit caching (today) never hits;
// an explicit context cache of the prefix costs $0.02268 of input plus
// $0.029376 of storage (27,200 token-hours) against $0.054: best takes it.
func TestPromptCacheGeminiExplicit(t *testing.T) {
	res := run(t, "scenarios: [promptcache]\n", false, "promptcache-gemini.jsonl")
	o := outcome(t, res, "promptcache")
	eq(t, "saving", o.Saving(&res.Baseline), "0.001944")
	eq(t, "storage", o.Simulated.FixedTotal(), "0.029376")
	if len(o.FixedCosts) != 1 || !o.FixedCosts[0].Quantity.Equal(usd("0.0272")) || o.FixedCosts[0].Unit != "mtok_hours" {
		t.Errorf("fixed costs = %+v", o.FixedCosts)
	}
	eq(t, "hits", figure(t, o, "hit_requests"), "29")
	// Today's implicit caching proposed: no change.
	res = run(t, "scenarios: [promptcache]\npromptcache: {gemini: implicit}\n", false, "promptcache-gemini.jsonl")
	if o := outcome(t, res, "promptcache"); o.Affected != 0 || !o.Saving(&res.Baseline).IsZero() {
		t.Errorf("implicit: %d affected, saving %s", o.Affected, o.Saving(&res.Baseline))
	}
	// Caches that live 5 minutes die between calls 12 minutes apart: each
	// call creates one and pays storage for nothing, so best stays implicit
	// and explicit costs more.
	res = run(t, "scenarios: [promptcache]\npromptcache: {gemini_ttl: 5m}\n", false, "promptcache-gemini.jsonl")
	eq(t, "5m best", outcome(t, res, "promptcache").Saving(&res.Baseline), "0")
	res = run(t, "scenarios: [promptcache]\npromptcache: {gemini: explicit, gemini_ttl: 5m}\n", false, "promptcache-gemini.jsonl")
	// 30 caches of 4,000 tokens for 5 minutes each: 10,000 token-hours,
	// $0.0108 of storage, nothing read.
	eq(t, "5m explicit", outcome(t, res, "promptcache").Saving(&res.Baseline), "-0.0108")
}

// After routing, the change prompt caching makes is billed on the model
// the router chose: the 09:20 request moved to gpt-4.1-nano reads its
// 4,096 tokens at $0.025 instead of $0.10, $0.0003072.
func TestPromptCacheAfterRouting(t *testing.T) {
	res := run(t, "scenarios: [routing, promptcache]\n", true, "promptcache.jsonl")
	st := res.Stack.Stages
	if len(st) != 2 || st[1].Name != "promptcache" || st[1].Affected != 1 {
		t.Fatalf("stages = %+v", st)
	}
	eq(t, "prompt caching after routing", st[0].Cost.Sub(st[1].Cost), "0.0003072")
}
