package semcache

import (
	"bufio"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// benchLog writes a request+response pairs log of n support questions
// made from templates (so most share their boilerplate: the hard case for
// candidate search), a tenth asked again verbatim and a tenth again with a
// typo, over three days.
func benchLog(b *testing.B, n int) string {
	p := filepath.Join(b.TempDir(), "semcache-bench.jsonl")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewSource(1))
	verbs := strings.Fields("reset change recover delete export import update verify cancel renew transfer share")
	objects := strings.Fields("password email account invoice subscription profile order address payment plan team project")
	where := []string{"on the mobile app", "from the website", "without my phone", "for my whole team", "after the last update", "in the admin console"}
	var asked []string
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		var q string
		switch r := rng.Intn(10); {
		case r == 0 && len(asked) > 0:
			q = asked[rng.Intn(len(asked))]
		case r == 1 && len(asked) > 0:
			q = asked[rng.Intn(len(asked))]
			k := rng.Intn(len(q)-2) + 1
			q = q[:k] + q[k+1:] // a typo
		default:
			q = "How do I " + verbs[rng.Intn(len(verbs))] + " my " + objects[rng.Intn(len(objects))] + " " + where[rng.Intn(len(where))] +
				" if order " + strconv.Itoa(rng.Intn(5000)) + " is still open?"
			asked = append(asked, q)
		}
		req := map[string]any{"model": "gpt-4.1-mini", "max_tokens": 300, "messages": []map[string]string{
			{"role": "system", "content": "You are a support assistant."}, {"role": "user", "content": q}}}
		resp := map[string]any{"id": "chatcmpl-" + strconv.Itoa(i), "object": "chat.completion", "created": 1772323200, "model": "gpt-4.1-mini",
			"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": "ok"}}},
			"usage":   map[string]any{"prompt_tokens": 1000, "completion_tokens": 200}}
		ts := start.Add(time.Duration(i) * 3 * 24 * time.Hour / time.Duration(n))
		data, _ := json.Marshal(map[string]any{"timestamp": ts.Format(time.RFC3339), "request": req, "response": resp})
		w.Write(data)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return p
}

// BenchmarkScenario simulates the semantic cache alone on a generated log
// ($LLMCOST_BENCH_RECORDS requests, default 20,000) and reports requests/s,
// the largest live heap, and the memory the replay kept per compared
// request: its entry, plus the vectors of the requests that had candidates.
func BenchmarkScenario(b *testing.B) {
	n := 20_000
	if s := os.Getenv("LLMCOST_BENCH_RECORDS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	p := benchLog(b, n)
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	b.ResetTimer()
	var st Stats
	for i := 0; i < b.N; i++ {
		_, _, s := runOn(b, Config{}, 0, p)
		st = s.Stats()
	}
	close(stop)
	<-done
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(peak.Load())/(1<<20), "live-heap-MB")
	if st.Compared > 0 {
		b.ReportMetric(float64(st.EntryBytes)/float64(st.Compared), "entry-B/req")
		b.ReportMetric(float64(st.VectorBytes)/float64(st.Compared), "vector-B/req")
		b.ReportMetric(float64(st.Vectors)/float64(st.Compared), "vectors/req")
		b.ReportMetric(float64(st.Hits)/float64(st.Compared), "hit-rate")
		b.ReportMetric(float64(st.CandidatePairs)/float64(st.Compared), "pairs/req")
	}
}
