package scenarios

import "testing"

// Stacked, the semantic cache comes first: a request it answers makes no
// call, so batch (and every later lever) only prices what is still sent.
// semcache/semcache.jsonl: 16 calls, $0.01098 (see gen.py), 3 answered
// from the cache ($0.00216); the other 13 can all wait for a batch (no user, no
// session) at half price.
func TestSemcacheStacksFirst(t *testing.T) {
	res := run(t, "scenarios: [batch, semcache]\n", true, "../semcache/semcache.jsonl")
	eq(t, "baseline", res.Baseline.Total(), "0.01098")
	sc, b := outcome(t, res, "semcache"), outcome(t, res, "batch")
	eq(t, "semcache alone", sc.Saving(&res.Baseline), "0.00216")
	eq(t, "batch alone", b.Saving(&res.Baseline), "0.00549")
	s := res.Stack
	if s == nil || len(s.Stages) != 2 || s.Stages[0].Name != "semcache" || s.Stages[1].Name != "batch" {
		t.Fatalf("stack = %+v", s)
	}
	eq(t, "after semcache", s.Stages[0].Cost, "0.00882")
	eq(t, "after batch", s.Stages[1].Cost, "0.00441")
	if s.Stages[0].Affected != 3 || s.Stages[1].Affected != 13 {
		t.Errorf("stage affected = %d, %d; want 3 answered, then 13 batched", s.Stages[0].Affected, s.Stages[1].Affected)
	}
	if s.Simulated.Requests != 16 || s.Simulated.Usage.Requests != 13 {
		t.Errorf("stacked: %d requests, %d calls; want 16 requests and 13 calls", s.Simulated.Requests, s.Simulated.Usage.Requests)
	}
}
