package ingest

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/pricing"
)

// benchFile returns a log to benchmark on: $LLMCOST_BENCH_FILE (e.g. made
// by scripts/gen-logs), or a 64 MB generated Chat Completions log.
func benchFile(b *testing.B) string {
	if p := os.Getenv("LLMCOST_BENCH_FILE"); p != "" {
		return p
	}
	p := filepath.Join(b.TempDir(), "bench.jsonl")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	words := strings.Fields("the quick brown fox jumps over the lazy dog \\\"quoted\\\" caf\\u00e9 naïve line\\nbreak func main() { return x }")
	models := []string{"gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06", "gpt-4.1-mini", "o4-mini", "gpt-5"}
	size := 0
	for size < 64<<20 {
		var sb strings.Builder
		n := 50 + rng.Intn(600)
		for i := 0; i < n; i++ {
			sb.WriteString(words[rng.Intn(len(words))])
			sb.WriteByte(' ')
		}
		line := fmt.Sprintf(`{"id":"chatcmpl-%d","object":"chat.completion","created":%d,"model":"%s","choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":0,"prompt_tokens_details":{"cached_tokens":%d},"completion_tokens_details":{"reasoning_tokens":0}},"service_tier":"default"}`+"\n",
			size, 1767225600+size/1000, models[rng.Intn(len(models))], sb.String(), 2000+rng.Intn(3000), n, 128*rng.Intn(10))
		f.WriteString(line)
		size += len(line)
	}
	f.Close()
	return p
}

// BenchmarkAnalyze measures ingest + aggregation end to end on a warm file:
// the bytes/s it reports is the analyze throughput target (see README).
func BenchmarkAnalyze(b *testing.B) {
	p := benchFile(b)
	fi, _ := os.Stat(p)
	cat, err := pricing.Default()
	if err != nil {
		b.Fatal(err)
	}
	os.ReadFile(p) // warm the page cache
	b.SetBytes(fi.Size())
	b.ResetTimer()
	var records int64
	for i := 0; i < b.N; i++ {
		var aggs []*cost.Aggregator
		st, err := Run(context.Background(), []string{p}, Options{}, func() Sink {
			a := cost.New(cost.Options{Catalog: cat})
			aggs = append(aggs, a)
			return a
		})
		if err != nil {
			b.Fatal(err)
		}
		cost.Summarize(cost.Merge(aggs...))
		records = st.Totals().Records
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
