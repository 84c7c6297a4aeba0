package scenarios

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/llmcost/llmcost/pkg/simulate"
)

// benchLog returns a log to benchmark on: $LLMCOST_BENCH_FILE (e.g. made
// by scripts/gen-logs -format openai-pairs), or a generated pairs log of
// $LLMCOST_BENCH_RECORDS records (default 100,000): OpenAI and Anthropic
// request+response pairs with 1 to 24 messages of text, half of them with
// a user, so that every scenario has work to do.
func benchLog(b *testing.B) string {
	if p := os.Getenv("LLMCOST_BENCH_FILE"); p != "" {
		return p
	}
	n := 100_000
	if s := os.Getenv("LLMCOST_BENCH_RECORDS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	p := filepath.Join(b.TempDir(), "bench.jsonl")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewSource(1))
	words := strings.Fields("the quick brown fox jumps over the lazy dog summarize explain why debug this function " +
		"translate into French prove that the equation holds func main() { return x } SELECT * FROM calls café naïve")
	text := func(n int) string {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			sb.WriteString(words[rng.Intn(len(words))])
			sb.WriteByte(' ')
		}
		return sb.String()
	}
	openai := []string{"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini"}
	anthropic := []string{"claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-6"}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		msgs := 1 + rng.Intn(24)
		var ms []map[string]any
		for j := 0; j < msgs; j++ {
			role := "user"
			if j%2 == 1 {
				role = "assistant"
			}
			ms = append(ms, map[string]any{"role": role, "content": text(5 + rng.Intn(40))})
		}
		in, out := int64(200+rng.Intn(8000)), int64(20+rng.Intn(1500))
		cached := int64(0)
		if in > 1024 && rng.Intn(2) == 0 {
			cached = in / 2 / 128 * 128
		}
		req := map[string]any{"max_tokens": 4096}
		var resp map[string]any
		if rng.Intn(3) == 0 {
			model := anthropic[rng.Intn(len(anthropic))]
			req["model"], req["system"], req["messages"] = model, "You are a helpful assistant.", ms
			resp = map[string]any{"id": "msg_1", "type": "message", "role": "assistant", "model": model,
				"content": []any{map[string]any{"type": "text", "text": "ok"}},
				"usage":   map[string]any{"input_tokens": in - cached, "cache_read_input_tokens": cached, "output_tokens": out}}
		} else {
			model := openai[rng.Intn(len(openai))]
			req["model"] = model
			req["messages"] = append([]map[string]any{{"role": "system", "content": "You are a helpful assistant."}}, ms...)
			resp = map[string]any{"id": "chatcmpl-1", "object": "chat.completion", "created": 1772323200, "model": model,
				"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": "ok"}}},
				"usage":   map[string]any{"prompt_tokens": in, "completion_tokens": out, "prompt_tokens_details": map[string]any{"cached_tokens": cached}}}
		}
		if rng.Intn(2) == 0 {
			req["user"] = "u_" + strconv.Itoa(rng.Intn(500))
		}
		line := map[string]any{"timestamp": start.Add(time.Duration(i) * 2 * time.Second).Format(time.RFC3339), "request": req, "response": resp}
		data, _ := json.Marshal(line)
		w.Write(data)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return p
}

// BenchmarkSimulate simulates the default scenarios ($LLMCOST_BENCH_SCENARIOS
// to name others), alone and stacked, on
// a generated request+response log (see benchLog) and reports requests/s
// (by wall and by CPU time) and the largest live heap. The runner keeps
// sums per price cell, never records; the replays of prompt and semantic
// caching keep a compact trace per request with text (hashes and sizes,
// never the text), so the heap grows with the log by that much.
func BenchmarkSimulate(b *testing.B) {
	p := benchLog(b)
	cat := catalog(b)
	cfg := &Config{}
	names := Default()
	if v := os.Getenv("LLMCOST_BENCH_SCENARIOS"); v != "" { // e.g. promptcache,semcache
		names = strings.Split(v, ",")
	}
	scs, err := cfg.Build(names, cat)
	if err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if f, err := os.Open(p); err == nil { // warm the page cache
		io.Copy(io.Discard, f)
		f.Close()
	}
	b.SetBytes(fi.Size())
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		// runtime/metrics reads the heap without stopping the world.
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(20 * time.Millisecond)
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
	cpu0 := cpuTime()
	b.ResetTimer()
	var requests int64
	for i := 0; i < b.N; i++ {
		res, _, err := simulate.Run(context.Background(), []string{p}, simulate.Options{Catalog: cat, Scenarios: scs, Stack: true})
		if err != nil {
			b.Fatal(err)
		}
		requests = res.Baseline.Requests
		if i == 0 && testing.Verbose() {
			for _, o := range append(res.Outcomes, *res.Stack) {
				fmt.Printf("%-8s saves %s of %s (%d affected)\n", o.Name, o.Saving(&res.Baseline).StringFixed(2), res.Baseline.Total().StringFixed(2), o.Affected)
			}
		}
	}
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(requests)*float64(b.N)/b.Elapsed().Seconds(), "requests/s")
	if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
		// On a shared machine wall time varies; CPU time much less.
		b.ReportMetric(float64(requests)*float64(b.N)/cpu, "requests/cpu-s")
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "live-heap-MB")
}

// cpuTime is the CPU time the process has used (user + system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
