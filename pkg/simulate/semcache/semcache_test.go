package semcache

import (
	"context"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
)

const crafted = "../../../testdata/simulate/semcache/semcache.jsonl"

func ptr[T any](v T) *T { return &v }

// runOn simulates the scenario alone on files and returns the outcome and
// the scenario.
func runOn(t testing.TB, cfg Config, workers int, files ...string) (*simulate.Outcome, *simulate.Result, *Scenario) {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := simulate.Run(context.Background(), files, simulate.Options{Catalog: cat, Scenarios: []simulate.Scenario{s},
		Ingest: ingest.Options{Workers: workers}})
	if err != nil {
		t.Fatal(err)
	}
	return &res.Outcomes[0], res, s
}

func figure(t testing.TB, o *simulate.Outcome, key string) decimal.Decimal {
	t.Helper()
	for _, f := range o.Figures {
		if f.Key == key {
			return f.Value
		}
	}
	t.Fatalf("no figure %q", key)
	return decimal.Zero
}

// hitLines are the log lines answered from the cache, from the replay's
// decisions.
func hitLines(t testing.TB, s *Scenario, files ...string) []int64 {
	t.Helper()
	var lines []int64
	for _, f := range files {
		keys := map[uint64]int64{}
		// RequestKey hashes the file and the line's offset: recompute both
		r, err := ingest.Expand([]string{f})
		if err != nil {
			t.Fatal(err)
		}
		sink := &keySink{keys: keys}
		if _, err := ingest.Run(context.Background(), r, ingest.Options{Workers: 1}, func() ingest.Sink { return sink }); err != nil {
			t.Fatal(err)
		}
		for k, line := range keys {
			if _, ok := s.res.hits[k]; ok {
				lines = append(lines, line)
			}
		}
	}
	slices.Sort(lines)
	return lines
}

type keySink struct{ keys map[uint64]int64 }

func (k *keySink) Add(rec *record.Record) { k.keys[simulate.RequestKey(rec)] = rec.Loc.Line }

// The crafted log's known answers (testdata/simulate/gen.py): which
// requests hit, which guard refuses which, what it saves.
func TestKnownAnswer(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		hits      []int64
		saving    string
		numbers   int64
		negations int64
	}{
		{name: "defaults", hits: []int64{2, 3, 13}, saving: "0.00216", numbers: 1, negations: 1},
		{name: "ttl 48h: #11 hits #1", cfg: Config{TTL: "48h"}, hits: []int64{2, 3, 11, 13}, saving: "0.00288", numbers: 1, negations: 1},
		{name: "ttl 2d", cfg: Config{TTL: "2d"}, hits: []int64{2, 3, 11, 13}, saving: "0.00288", numbers: 1, negations: 1},
		{name: "scope last_message: #14 hits #11", cfg: Config{Scope: "last_message"}, hits: []int64{2, 3, 13, 14}, saving: "0.00288", numbers: 1, negations: 1},
		{name: "threshold 1: identical messages only", cfg: Config{Threshold: ptr(1.0)}, hits: []int64{2, 13}, saving: "0.00144"},
		{name: "ttl 1m: identical within a minute only", cfg: Config{TTL: "1m"}, hits: nil, saving: "0"},
		{name: "min_chars 0", cfg: Config{MinChars: ptr(0)}, hits: []int64{2, 3, 13}, saving: "0.00216", numbers: 1, negations: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, res, s := runOn(t, tt.cfg, 2, crafted)
			if got := hitLines(t, s, crafted); !slices.Equal(got, tt.hits) {
				t.Errorf("hit lines = %v, want %v", got, tt.hits)
			}
			if got := o.Saving(&res.Baseline); !got.Equal(decimal.RequireFromString(tt.saving)) {
				t.Errorf("saving = %s, want %s", got, tt.saving)
			}
			if o.Affected != int64(len(tt.hits)) {
				t.Errorf("affected = %d, want %d", o.Affected, len(tt.hits))
			}
			if got := figure(t, o, "cache_hits").IntPart(); got != int64(len(tt.hits)) {
				t.Errorf("cache_hits = %d, want %d", got, len(tt.hits))
			}
			if s.res.refused[NumbersDiffer] != tt.numbers || s.res.refused[NegationDiffers] != tt.negations {
				t.Errorf("refused: numbers %d, negation %d; want %d, %d", s.res.refused[NumbersDiffer], s.res.refused[NegationDiffers], tt.numbers, tt.negations)
			}
			if o.Simulated.Requests != res.Baseline.Requests {
				t.Errorf("simulated requests %d, want %d (a hit is a request without a call)", o.Simulated.Requests, res.Baseline.Requests)
			}
		})
	}
}
