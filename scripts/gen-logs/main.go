// Command gen-logs writes synthetic LLM API request logs in the real vendor
// formats (OpenAI Chat Completions / Responses / Batch, Anthropic Messages /
// Message Batches, and request+response pairs), of any size, for load tests
// and benchmarks of llmcost.
//
//	go run ./scripts/gen-logs -format openai-chat -size 1GB -seed 42 -o out.jsonl
//	go run ./scripts/gen-logs -format mixed -records 100000 -o logs.jsonl.gz
//	go run ./scripts/gen-logs -format anthropic-pairs -records 10 -o -
//
// Output is deterministic for a given -seed and flags, is written in a single
// streaming pass (memory stays flat whatever the size), and is gzip-compressed
// when the output name ends in .gz. All ids, users and text are synthetic.
package main

import (
	"bufio"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

type config struct {
	format  format
	records int64 // stop after this many records (0: no limit)
	size    int64 // stop before the output exceeds this many bytes (0: no limit)
	seed    uint64
	start   time.Time
	days    int
}

type stats struct {
	records int64
	bytes   int64 // uncompressed
}

func main() {
	if err := mainErr(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen-logs:", err)
		os.Exit(1)
	}
}

func mainErr(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen-logs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		formatFlag = fs.String("format", "mixed", "output format: "+strings.Join(formatNames[:], "|")+"|"+claudeCodeFormat+" (a directory tree: see claudecode.go)")
		sizeFlag   = fs.String("size", "", "approximate output size (uncompressed), e.g. 1GB, 500MB, 64KiB")
		records    = fs.Int64("records", 0, "number of records to write")
		seed       = fs.Uint64("seed", 42, "random seed; the same seed and flags give byte-identical output")
		out        = fs.String("o", "-", "output file (- for stdout); a name ending in .gz is gzip-compressed")
		days       = fs.Int("days", 30, "timestamps span this many days")
		startFlag  = fs.String("start", "2026-01-01", "first timestamp: YYYY-MM-DD or RFC 3339")
		quiet      = fs.Bool("q", false, "do not print the summary to stderr")
	)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: gen-logs -format <format> {-size <size>|-records <n>} [-seed <n>] [-days <n>] [-start <date>] [-o <file>]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	f, ok := parseFormat(*formatFlag)
	if !ok && *formatFlag != claudeCodeFormat {
		return fmt.Errorf("unknown -format %q (want one of %s)", *formatFlag, strings.Join(formatNames[:], ", "))
	}
	cfg := config{format: f, records: *records, seed: *seed, days: *days}
	if *sizeFlag != "" {
		n, err := parseSize(*sizeFlag)
		if err != nil {
			return err
		}
		cfg.size = n
	}
	if cfg.records < 0 {
		return errors.New("-records must not be negative")
	}
	if cfg.size == 0 && cfg.records == 0 {
		cfg.records = 1000
	}
	if cfg.days < 1 {
		return errors.New("-days must be at least 1")
	}
	start, err := parseStart(*startFlag)
	if err != nil {
		return err
	}
	cfg.start = start
	if *formatFlag == claudeCodeFormat {
		return runClaudeCode(cfg, *out, stdout, stderr, *quiet)
	}

	var w io.Writer = stdout
	var file *os.File
	if *out != "-" {
		file, err = os.Create(*out)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	var gz *gzip.Writer
	if strings.HasSuffix(*out, ".gz") {
		gz, _ = gzip.NewWriterLevel(w, gzip.BestSpeed)
		w = gz
	}

	began := time.Now()
	st, err := generate(cfg, w)
	if err != nil {
		return err
	}
	if gz != nil {
		if err := gz.Close(); err != nil {
			return err
		}
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return err
		}
	}
	if !*quiet {
		secs := time.Since(began).Seconds()
		fmt.Fprintf(stderr, "gen-logs: %s: %d records, %d bytes (%.1f MB, avg %d B/line) in %.2fs, %.0f MB/s\n",
			f, st.records, st.bytes, float64(st.bytes)/1e6, st.bytes/max(st.records, 1), secs, float64(st.bytes)/1e6/max(secs, 1e-9))
	}
	return nil
}

// generate writes records to w until cfg.records or cfg.size is reached.
func generate(cfg config, w io.Writer) (stats, error) {
	var st stats
	g := newGen(cfg.seed)
	clk := newClock(cfg.start, cfg.days)
	bw := bufio.NewWriterSize(w, 1<<20)
	for cfg.records == 0 || st.records < cfg.records {
		// Progress through the span: by records or by bytes, whichever is
		// further along, so timestamps fill the span and never go back.
		p := 0.0
		if cfg.records > 0 {
			p = float64(st.records) / float64(cfg.records)
		}
		if cfg.size > 0 {
			p = max(p, float64(st.bytes)/float64(cfg.size))
		}
		f := cfg.format
		if f == fMixed {
			f = format(pickCum(g.r, g.mixCum))
		}
		line := g.line(f, clk.at(p))
		if cfg.size > 0 && st.bytes+int64(len(line)) > cfg.size && st.records > 0 {
			break
		}
		if _, err := bw.Write(line); err != nil {
			return st, err
		}
		st.records++
		st.bytes += int64(len(line))
	}
	return st, bw.Flush()
}

// parseSize reads 1GB, 500MB, 64KB (powers of 1000), 1GiB, 64KiB (powers of
// 1024) or a plain byte count.
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{
		{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1},
	} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("invalid -size %q (want e.g. 1GB, 500MB, 64KiB)", s)
	}
	return int64(v * float64(mult)), nil
}

func parseStart(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid -start %q (want YYYY-MM-DD or RFC 3339)", s)
	}
	return t.UTC(), nil
}
