// Command bench measures `llmcost analyze` end to end: it generates logs
// with scripts/gen-logs, warms the page cache, runs the built binary and
// reports MB/s, records/s and peak memory (max RSS) per format.
//
//	go run ./scripts/bench [-size 1GB] [-formats openai-chat,anthropic-messages] [-dir /tmp/llmcost-bench] [-runs 3]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	size := flag.String("size", "1GB", "size of each generated log")
	formats := flag.String("formats", "openai-chat,openai-responses,openai-pairs,anthropic-messages,anthropic-pairs,openai-batch-output,bedrock-invocation,bedrock-batch-output,litellm,langfuse,helicone,otel,mixed", "comma-separated gen-logs formats")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "llmcost-bench"), "where to keep generated logs (reused when present)")
	runs := flag.Int("runs", 3, "runs per format; the fastest is reported")
	flag.Parse()
	if err := run(*size, strings.Split(*formats, ","), *dir, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(size string, formats []string, dir string, runs int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(dir, "llmcost")
	gen := filepath.Join(dir, "gen-logs")
	for _, b := range [][2]string{{bin, "./cmd/llmcost"}, {gen, "./scripts/gen-logs"}} {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s: %w", b[1], err)
		}
	}
	fmt.Printf("llmcost analyze --format json, %s per format, best of %d runs, GOMAXPROCS=%s\n", size, runs, procs())
	fmt.Printf("vs read: analyze MB/s over reading the file; vs enc/json: over encoding/json decoding its lines (one goroutine)\n\n")
	fmt.Printf("%-22s %8s %8s %9s %11s %8s %12s %12s\n", "format", "MB", "seconds", "MB/s", "records/s", "max RSS", "vs read", "vs enc/json")
	for _, f := range formats {
		log := filepath.Join(dir, f+"-"+size+".jsonl")
		if _, err := os.Stat(log); err != nil {
			cmd := exec.Command(gen, "-format", f, "-size", size, "-seed", "1", "-o", log)
			cmd.Stderr = io.Discard
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("generate %s: %w", f, err)
			}
		}
		fi, err := os.Stat(log)
		if err != nil {
			return err
		}
		warm(log)
		best := time.Duration(1<<63 - 1)
		var rss int64
		var records int64
		for i := 0; i < runs; i++ {
			out := filepath.Join(dir, "report.json")
			cmd := exec.Command(bin, "analyze", "--format", "json", "--out-file", out, log)
			cmd.Stderr = io.Discard
			start := time.Now()
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("analyze %s: %w", f, err)
			}
			el := time.Since(start)
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss*1024 > rss {
				rss = ru.Maxrss * 1024
			}
			if el < best {
				best = el
			}
			records = readRecords(out)
		}
		mb := float64(fi.Size()) / 1e6
		mbs := mb / best.Seconds()
		readMBs, jsonMBs := baselines(log)
		fmt.Printf("%-22s %8.0f %8.2f %9.0f %11.0f %6.0fMB %11.2fx %11.1fx\n", f, mb, best.Seconds(), mbs, float64(records)/best.Seconds(),
			float64(rss)/(1<<20), mbs/readMBs, mbs/jsonMBs)
	}
	return nil
}

// baselines measures, in this process and in the same run, how fast the
// file is read (MB/s, warm cache) and how fast encoding/json decodes its
// lines into a struct holding only the usage fields, on one goroutine, over
// the first 256 MB: the yardsticks the analyze figures are given against.
func baselines(path string) (readMBs, jsonMBs float64) {
	f, err := os.Open(path)
	if err != nil {
		return 1, 1
	}
	start := time.Now()
	n, _ := io.Copy(io.Discard, f)
	readMBs = float64(n) / 1e6 / time.Since(start).Seconds()
	f.Seek(0, io.SeekStart)
	defer f.Close()
	type usage struct {
		PromptTokens, CompletionTokens, InputTokens, OutputTokens int64
	}
	var line struct {
		Model string `json:"model"`
		Usage *usage `json:"usage"`
	}
	sc := bufio.NewScanner(io.LimitReader(f, 256<<20))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	var bytes int64
	start = time.Now()
	for sc.Scan() {
		bytes += int64(len(sc.Bytes())) + 1
		_ = json.Unmarshal(sc.Bytes(), &line)
	}
	jsonMBs = float64(bytes) / 1e6 / time.Since(start).Seconds()
	return readMBs, jsonMBs
}

func procs() string {
	if v := os.Getenv("GOMAXPROCS"); v != "" {
		return v
	}
	return "all cores"
}

// warm reads the file once so every run sees a warm page cache.
func warm(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	io.Copy(io.Discard, f)
}

func readRecords(path string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	var r struct {
		Coverage struct {
			Records int64 `json:"records"`
		} `json:"coverage"`
	}
	json.Unmarshal(data, &r)
	return r.Coverage.Records
}
