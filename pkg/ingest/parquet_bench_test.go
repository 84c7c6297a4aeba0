package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/pricing"
)

// benchSpendLog is a LiteLLM_SpendLogs row (scripts/gen-parquet-fixtures
// has the full layout); metadata is JSONB exported as text.
type benchSpendLog struct {
	RequestID         string  `parquet:"request_id" json:"request_id"`
	CallType          string  `parquet:"call_type" json:"call_type"`
	APIKey            string  `parquet:"api_key" json:"api_key"`
	Spend             float64 `parquet:"spend" json:"spend"`
	TotalTokens       int32   `parquet:"total_tokens" json:"total_tokens"`
	PromptTokens      int32   `parquet:"prompt_tokens" json:"prompt_tokens"`
	CompletionTokens  int32   `parquet:"completion_tokens" json:"completion_tokens"`
	StartTime         int64   `parquet:"startTime,timestamp(microsecond:local)" json:"-"`
	Model             string  `parquet:"model" json:"model"`
	CustomLLMProvider string  `parquet:"custom_llm_provider" json:"custom_llm_provider"`
	User              string  `parquet:"user" json:"user"`
	Metadata          string  `parquet:"metadata" json:"metadata"`
	CacheHit          string  `parquet:"cache_hit" json:"cache_hit"`
	RequestTags       string  `parquet:"request_tags" json:"request_tags"`
	EndUser           *string `parquet:"end_user,optional" json:"end_user"`
	Status            string  `parquet:"status" json:"status"`
}

// genSpendLogs writes n rows as Parquet (Snappy, row groups of 64k rows, as
// warehouse exports write them) and as the proxy's JSON lines.
func genSpendLogs(b *testing.B, dir string, n int) (pq, jsonl string) {
	b.Helper()
	models := []struct{ model, provider string }{
		{"gpt-4o", "openai"}, {"gpt-4o-mini", "openai"}, {"claude-sonnet-4-5", "anthropic"},
		{"us.anthropic.claude-haiku-4-5-20251001-v1:0", "bedrock"},
	}
	rows := make([]benchSpendLog, n)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		m := models[i%len(models)]
		prompt, completion, cached := int32(500+i%7000), int32(20+i%900), (i%5)*256
		meta := fmt.Sprintf(`{"user_api_key_alias":"key-%d","user_api_key_team_alias":"team-%d","user_api_key_user_id":"user-%d",`+
			`"usage_object":{"prompt_tokens":%d,"completion_tokens":%d,"prompt_tokens_details":{"cached_tokens":%d}},"applied_guardrails":[]}`,
			i%20, i%6, i%500, prompt, completion, cached)
		rows[i] = benchSpendLog{
			RequestID: fmt.Sprintf("chatcmpl-%016x", i), CallType: "acompletion", APIKey: "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
			Spend: float64(prompt) * 2.5e-6, TotalTokens: prompt + completion, PromptTokens: prompt, CompletionTokens: completion,
			StartTime: start.Add(time.Duration(i) * time.Second).UnixMicro(), Model: m.model, CustomLLMProvider: m.provider,
			User: fmt.Sprintf("user-%d", i%500), Metadata: meta, CacheHit: "None", RequestTags: `["prod"]`, Status: "success",
		}
	}
	pq = filepath.Join(dir, "spendlogs.parquet")
	writeParquet(b, pq, rows, 64<<10, parquet.Compression(&parquet.Snappy))
	jsonl = filepath.Join(dir, "spendlogs.jsonl")
	f, err := os.Create(jsonl)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, r := range rows {
		line := struct {
			benchSpendLog
			StartTime string `json:"startTime"`
		}{r, time.UnixMicro(r.StartTime).UTC().Format("2006-01-02 15:04:05.000000")}
		if err := enc.Encode(line); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return pq, jsonl
}

// BenchmarkParquetRows reads the same LiteLLM spend logs as JSON lines and
// as Parquet, end to end (ingest and aggregation): rows/s compares them;
// MB/s is of the data as JSON lines in both (as BenchmarkBilling sizes a
// Parquet CUR by its CSV twin: the Parquet file is 15 times smaller);
// rows/cpu-s (rows per second of CPU the process used) compares them on a
// machine shared with other work.
func BenchmarkParquetRows(b *testing.B) {
	const rows = 200_000
	dir := b.TempDir()
	pq, jsonl := genSpendLogs(b, dir, rows)
	cat, err := pricing.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, path string }{{"jsonl", jsonl}, {"parquet", pq}} {
		b.Run(c.name, func(b *testing.B) {
			fi, err := os.Stat(jsonl)
			if err != nil {
				b.Fatal(err)
			}
			os.ReadFile(c.path) // warm the page cache
			b.SetBytes(fi.Size())
			b.ResetTimer()
			cpu0 := processCPU()
			var records int64
			for i := 0; i < b.N; i++ {
				var aggs []*cost.Aggregator
				st, err := Run(context.Background(), []string{c.path}, Options{}, func() Sink {
					a := cost.New(cost.Options{Catalog: cat})
					aggs = append(aggs, a)
					return a
				})
				if err != nil {
					b.Fatal(err)
				}
				if st.ProblemsTotal > 0 || st.Files[0].Format != "litellm" {
					b.Fatalf("%s: %+v, %v", c.name, st.Files[0], st.Problems)
				}
				cost.Summarize(cost.Merge(aggs...))
				records = st.Totals().Records
			}
			if records != rows {
				b.Fatalf("%d records, want %d", records, rows)
			}
			b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			if cpu := processCPU() - cpu0; cpu > 0 {
				b.ReportMetric(float64(records)*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
			}
		})
	}
}

// processCPU is the CPU time the process has used (user + system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
