package semcache

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/simulate"
)

// worker applies the replay's decisions; one per runner goroutine.
type worker struct {
	s    *Scenario
	hits int64
	// texts are excerpts of the sampled requests' messages (--show-prompts)
	texts map[uint64]string
}

// NewWorker implements simulate.Scenario.
func (s *Scenario) NewWorker(*simulate.Books) simulate.Worker {
	w := &worker{s: s}
	if s.cfg.ShowPrompts {
		w.texts = map[uint64]string{}
	}
	return w
}

// Apply answers a request from the cache (it makes no call) when the
// replay decided so.
func (w *worker) Apply(req *simulate.Request) bool {
	r := &w.s.res
	if len(req.Calls) == 0 || len(r.hits) == 0 && w.texts == nil {
		return false
	}
	key := simulate.RequestKey(req.Rec)
	if w.texts != nil && r.sampled[key] {
		w.texts[key] = excerpt(req.Facts().LastUserText())
	}
	if _, ok := r.hits[key]; !ok {
		return false
	}
	req.Calls = req.Calls[:0]
	w.hits += req.Rec.CallCount()
	return true
}

// excerpt is a message on one line, at most shownChars characters.
func excerpt(b []byte) string {
	s := strings.Join(strings.FieldsFunc(string(b), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(s); len(r) > shownChars {
		s = string(r[:shownChars]) + "…"
	}
	return s
}

// Stats are the replay's work and memory, for benchmarks.
type Stats struct {
	// Compared requests had an entry (EntryBytes each, in all).
	Compared, EntryBytes int64
	// CandidatePairs were compared by similarity; Vectors were kept for
	// them, VectorBytes in all.
	CandidatePairs, Vectors, VectorBytes int64
	Hits                                 int64
}

// Stats returns the last run's figures.
func (s *Scenario) Stats() Stats {
	r := &s.res
	return Stats{Compared: r.compared, EntryBytes: r.entryBytes, CandidatePairs: r.candidatePairs,
		Vectors: r.vectors, VectorBytes: r.vecBytes, Hits: int64(len(r.hits))}
}

func loc(e *entry) string { return e.file + ":" + strconv.FormatInt(e.line, 10) }

func plural(n int64, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + one + "s"
}

// Summarize implements simulate.Scenario.
func (s *Scenario) Summarize(ws []simulate.Worker) simulate.Summary {
	r := &s.res
	var hits int64
	texts := map[uint64]string{}
	for _, x := range ws {
		w := x.(*worker)
		hits += w.hits
		for k, v := range w.texts {
			texts[k] = v
		}
	}
	var skipped int64
	for _, n := range r.skipped {
		skipped += n
	}
	thr := decimal.NewFromFloat(s.threshold).Round(3)
	sum := simulate.Summary{Figures: []simulate.Figure{
		{Key: "compared_requests", Label: "Requests looked up in the cache (prompt text in the log)", Unit: simulate.UnitRequests, Value: simulate.Dec(r.compared)},
		{Key: "cache_hits", Label: "Requests answered from the cache (no call)", Unit: simulate.UnitRequests, Value: simulate.Dec(hits)},
		{Key: "hit_rate", Label: "Hit rate (of the requests looked up)", Unit: simulate.UnitShare, Value: simulate.Share(simulate.Dec(hits), simulate.Dec(r.compared)),
			Merge: simulate.MergeRatio, Of: [2]string{"cache_hits", "compared_requests"}},
		{Key: "refused_by_guard", Label: "Near-duplicates refused by a guard (numbers, negation or word order differ)", Unit: simulate.UnitRequests, Value: simulate.Dec(r.refused[NumbersDiffer] + r.refused[NegationDiffers] + r.refused[OrderDiffers])},
		{Key: "not_compared_requests", Label: "Requests left as logged (no prompt text, no user message, …)", Unit: simulate.UnitRequests, Value: simulate.Dec(skipped)},
		{Key: "threshold", Label: "Similarity threshold", Unit: simulate.UnitRatio, Value: thr, Merge: simulate.MergeMax},
	}}
	dec := simulate.Table{Key: "requests_by_decision", Title: "Requests by cache decision",
		Columns: []simulate.Column{{Key: "decision", Label: "decision", Unit: simulate.UnitText}, {Key: "requests", Label: "requests", Unit: simulate.UnitRequests}}}
	similar := int64(len(r.hits)) - r.exact - r.high
	sent := r.compared - int64(len(r.hits)) - r.refused[NumbersDiffer] - r.refused[NegationDiffers] - r.refused[OrderDiffers]
	rows := []struct {
		label string
		n     int64
	}{
		{"answered: identical message (once normalised)", r.exact},
		{"answered: similarity 0.95 or more", r.high},
		{"answered: similarity " + thr.StringFixed(2) + " to 0.95", similar},
		{"sent: no similar earlier request", sent},
		{"sent: nearest refused, numbers differ", r.refused[NumbersDiffer]},
		{"sent: nearest refused, negation differs", r.refused[NegationDiffers]},
		{"sent: nearest refused, same words in another order", r.refused[OrderDiffers]},
	}
	for _, x := range rows {
		if x.n > 0 {
			dec.Rows = append(dec.Rows, []any{x.label, simulate.Dec(x.n)})
		}
	}
	for i, n := range r.skipped {
		if n > 0 {
			label := skipLabels[i]
			if i == skipShort {
				label = fmt.Sprintf("left as logged: user message under %d characters", s.minChars)
			}
			dec.Rows = append(dec.Rows, []any{label, simulate.Dec(n)})
		}
	}
	sum.Tables = append(sum.Tables, dec)
	sum.Tables = append(sum.Tables, s.pairTable(r.hitPairs, texts, false), s.pairTable(r.missPairs, texts, true))

	sim := fmt.Sprintf("the cosine of character %d-gram TF-IDF vectors of the two messages (IDF fitted on this log)", s.ngram)
	if s.emb != nil {
		sim = fmt.Sprintf("the cosine of their embeddings (%s, from %s)", s.emb.Model(), s.emb.URL())
	}
	same := "the same provider, model, system prompt, tools, parameters (max_tokens, temperature, response format…) and earlier conversation"
	if s.lastOnly {
		same = "the same provider, model, system prompt, tools and parameters (max_tokens, temperature, response format…); earlier turns of the conversation are ignored (scope: last_message)"
	}
	sum.Assumptions = []string{
		fmt.Sprintf("A request is answered from the cache when an earlier request sent within the TTL (%s from when its answer was cached) had %s, and its last user message is identical once case, spacing and punctuation are normalised, or at least %s similar: %s.",
			formatTTL(s.ttl), same, thr.StringFixed(2), sim),
		"Guards: a different number (digits, number words, in order), a different count of negations (not, no, never, without, n't…) or the same words in another order is never a hit, whatever the similarity.",
		"Only requests that were sent write the cache; a hit reads it and makes no call (the cache's own costs are not counted). Its answer is the earlier one, which can be wrong for it: check the riskiest hits.",
		fmt.Sprintf("Earlier requests are found by locality-sensitive hashing among those of the same group, at most %d compared per request: a similar pair can be missed, so the hit rate is a lower bound for this threshold.", s.maxCand),
	}
	if s.emb == nil {
		sum.Assumptions = append(sum.Assumptions, "Lexical similarity catches rewordings that keep most characters (case, punctuation, typos, small rephrasing); it misses paraphrases in other words and can accept a one-word change (\"man\" for \"woman\"): the README gives its measured precision and recall.")
	}
	if r.compared == 0 && r.skipped[skipNoText] > 0 {
		sum.Warnings = append(sum.Warnings, "semcache: no request carries its prompt text (only request+response pair logs do): nothing was looked up in the cache")
	} else if n := r.skipped[skipNoText]; n > 0 {
		sum.Warnings = append(sum.Warnings, "semcache: "+plural(n, "request")+" carry no prompt text and are left as logged")
	}
	return sum
}

// pairTable lists sampled pairs: the riskiest hits (least similar first)
// or the nearest misses (most similar first, with the reason).
func (s *Scenario) pairTable(ps []pairRef, texts map[uint64]string, misses bool) simulate.Table {
	t := simulate.Table{Key: "riskiest_hits", Title: "Riskiest hits (least similar answered pairs)",
		Columns: []simulate.Column{{Key: "request", Label: "request", Unit: simulate.UnitText},
			{Key: "answered_by", Label: "answered by", Unit: simulate.UnitText}}}
	if misses {
		t = simulate.Table{Key: "nearest_misses", Title: "Nearest misses (most similar refused pairs)",
			Columns: []simulate.Column{{Key: "request", Label: "request", Unit: simulate.UnitText},
				{Key: "nearest", Label: "nearest earlier", Unit: simulate.UnitText},
				{Key: "reason", Label: "refused because", Unit: simulate.UnitText}}}
	}
	if s.cfg.ShowPrompts {
		t.Columns = append(t.Columns, simulate.Column{Key: "prompt", Label: "message", Unit: simulate.UnitText},
			simulate.Column{Key: "earlier_prompt", Label: "earlier message", Unit: simulate.UnitText})
	}
	// Each request is in one shard, so a merge (which sums) keeps each
	// pair's similarity as it is.
	t.Columns = append(t.Columns, simulate.Column{Key: "similarity", Label: "similarity", Unit: simulate.UnitRatio, Merge: simulate.MergeSum})
	es := s.res.entries
	for _, p := range ps {
		j, k := &es[p.j], &es[p.k]
		row := []any{loc(j), loc(k)}
		if misses {
			row = append(row, p.reason.String())
		}
		if s.cfg.ShowPrompts {
			row = append(row, texts[j.key], texts[k.key])
		}
		t.Rows = append(t.Rows, append(row, decimal.NewFromFloat32(p.sim).Round(3)))
	}
	return t
}

func formatTTL(d time.Duration) string {
	if d%(24*time.Hour) == 0 && d > 24*time.Hour {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	return strings.TrimSuffix(s, "0m")
}

// ShardSafety implements simulate.Sharder. Requests that can answer each
// other share a model and a system prompt, so a split by system (or by
// prefix) keeps them together; each shard still fits the IDF on its own
// prompts. A split by conversation or user puts a question and its earlier
// twin in different shards.
func (s *Scenario) ShardSafety(key string) (simulate.Safety, string) {
	switch key {
	case simulate.ShardSystem, simulate.ShardPrefix:
		if s.emb != nil {
			return simulate.Exact, ""
		}
		return simulate.Approximate, "each shard fits the IDF on its own prompts, so similarities near the threshold can differ from a whole-log run"
	}
	return simulate.Approximate, "an earlier request in another shard cannot answer, so the hits are understated (shard by system to keep every cache group whole)"
}
