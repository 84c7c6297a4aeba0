// Command bench-ccusage compares `llmcost analyze --claude-code` with
// ccusage, the established reader of Claude Code session logs, on the same
// generated projects tree: wall time and peak memory (max RSS of the child,
// from its rusage) of each, on a warm page cache, and the totals each
// reports.
//
//	npm install --prefix /tmp/ccu ccusage@20.0.24   # outside the repository
//	go run ./scripts/bench-ccusage -ccusage /tmp/ccu [-records 1000000] [-runs 5] [-dir /tmp/llmcost-bench-ccusage]
//
// -ccusage is the native ccusage binary, or an npm prefix or node_modules
// directory holding it: ccusage 20 ships one per platform in
// @ccusage/ccusage-<os>-<arch>/bin/ccusage, behind a Node.js launcher
// (bin/ccusage → src/cli.js) that this benchmark bypasses, so that the
// rusage measured is ccusage's own and no Node.js start-up is counted.
//
// The tree is made by scripts/gen-logs -format claude-code (1M lines, about
// 4.4 GB by default) and kept in -dir for later runs. ccusage runs as
// `ccusage daily --json --offline --timezone UTC` with CLAUDE_CONFIG_DIR set
// to the tree and HOME set to an empty directory (so it finds no other
// agent's logs), llmcost as `llmcost analyze --claude-code --group-by day
// --format json` with the same environment. The two run in turn, -runs
// times each; the fastest run of each is reported, with the median, and the
// largest RSS.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	records := flag.Int64("records", 1_000_000, "lines in the generated projects tree (1M ≈ 4.4 GB)")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "llmcost-bench-ccusage"), "where to build binaries and keep the generated tree (reused when present)")
	ccusage := flag.String("ccusage", os.Getenv("CCUSAGE"), "ccusage native binary, or the npm prefix / node_modules directory it was installed in ($CCUSAGE)")
	runs := flag.Int("runs", 5, "runs of each tool")
	seed := flag.Uint64("seed", 1, "gen-logs seed")
	flag.Parse()
	if err := run(*records, *dir, *ccusage, *runs, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "bench-ccusage:", err)
		os.Exit(1)
	}
}

func run(records int64, dir, ccusage string, runs int, seed uint64) error {
	if ccusage == "" {
		return errors.New("-ccusage is required (install it outside the repository: npm install --prefix /tmp/ccu ccusage@20.0.24, then -ccusage /tmp/ccu)")
	}
	bin, err := nativeCcusage(ccusage)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	llmcost := filepath.Join(dir, "llmcost")
	gen := filepath.Join(dir, "gen-logs")
	for _, b := range [][2]string{{llmcost, "./cmd/llmcost"}, {gen, "./scripts/gen-logs"}} {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s (run from the repository root): %w", b[1], err)
		}
	}
	tree := filepath.Join(dir, fmt.Sprintf("claude-%d-seed%d", records, seed))
	if _, err := os.Stat(filepath.Join(tree, "projects")); err != nil {
		fmt.Fprintf(os.Stderr, "generating %d lines into %s …\n", records, tree)
		tmp := tree + ".tmp"
		os.RemoveAll(tmp)
		cmd := exec.Command(gen, "-format", "claude-code", "-records", strconv.FormatInt(records, 10), "-seed", strconv.FormatUint(seed, 10), "-o", tmp)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		if err := os.Rename(tmp, tree); err != nil {
			return err
		}
	}
	home := filepath.Join(dir, "empty-home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	files, size, err := warm(filepath.Join(tree, "projects"))
	if err != nil {
		return err
	}
	version, _ := exec.Command(bin, "--version").Output()
	env := append(os.Environ(), "CLAUDE_CONFIG_DIR="+tree, "HOME="+home, "TZ=UTC", "NO_COLOR=1")
	tools := []tool{
		{name: "ccusage " + strings.TrimPrefix(strings.TrimSpace(string(version)), "ccusage "), path: bin,
			args: []string{"daily", "--json", "--offline", "--timezone", "UTC"}, out: filepath.Join(dir, "ccusage-daily.json")},
		{name: "llmcost", path: llmcost,
			args: []string{"analyze", "--claude-code", "--group-by", "day", "--format", "json"}, out: filepath.Join(dir, "llmcost-daily.json")},
	}
	fmt.Printf("%d files, %.2f GB, %d lines (gen-logs -format claude-code -seed %d); warm page cache; %d runs each, in turn; GOMAXPROCS/CPUs: %d\n\n",
		files, float64(size)/1e9, records, seed, runs, runtime.NumCPU())
	loadavg0 := loadavg()
	for i := 0; i < runs; i++ {
		for t := range tools {
			if err := tools[t].run(env); err != nil {
				return err
			}
		}
	}
	fmt.Printf("%-18s %9s %9s %9s %12s %10s\n", "tool", "best s", "median s", "GB/s", "CPU s (best)", "max RSS")
	for _, t := range tools {
		fmt.Printf("%-18s %9.2f %9.2f %9.2f %12.2f %6.0f MiB\n", t.name, t.best().Seconds(), t.median().Seconds(),
			float64(size)/1e9/t.best().Seconds(), best(t.cpu).Seconds(), float64(t.rss)/(1<<20))
	}
	c, l := tools[0], tools[1]
	fmt.Printf("\nllmcost vs ccusage: %.1fx faster (best wall time), %.1fx (median); %.1fx less CPU time; %.1fx less memory (%.0f%% of ccusage's peak RSS)\n",
		c.best().Seconds()/l.best().Seconds(), c.median().Seconds()/l.median().Seconds(), best(c.cpu).Seconds()/best(l.cpu).Seconds(),
		float64(c.rss)/float64(l.rss), 100*float64(l.rss)/float64(c.rss))
	fmt.Printf("load average before/after: %s / %s\n\n", loadavg0, loadavg())
	return compare(c.out, l.out)
}

type tool struct {
	name, path string
	args       []string
	out        string
	times      []time.Duration
	cpu        []time.Duration // user + system CPU time of each run
	rss        int64
}

func (t *tool) run(env []string) error {
	f, err := os.Create(t.out)
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := exec.Command(t.path, t.args...)
	cmd.Env = env
	cmd.Stdout = f
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", t.name, err, stderr.String())
	}
	t.times = append(t.times, time.Since(start))
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss*1024 > t.rss {
		t.rss = ru.Maxrss * 1024 // Linux reports KiB
	}
	t.cpu = append(t.cpu, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
	return nil
}

func (t *tool) best() time.Duration   { return best(t.times) }
func (t *tool) median() time.Duration { return median(t.times) }

func best(ds []time.Duration) time.Duration {
	b := ds[0]
	for _, d := range ds {
		b = min(b, d)
	}
	return b
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// nativeCcusage finds the platform binary of ccusage 20 from a path that is
// the binary, or an npm prefix or node_modules directory.
func nativeCcusage(p string) (string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return p, nil
	}
	arch := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	osName := map[string]string{"windows": "win32"}[runtime.GOOS]
	if osName == "" {
		osName = runtime.GOOS
	}
	name := "ccusage"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	for _, nm := range []string{filepath.Join(p, "node_modules"), p} {
		b := filepath.Join(nm, "@ccusage", "ccusage-"+osName+"-"+arch, "bin", name)
		if _, err := os.Stat(b); err == nil {
			return b, nil
		}
	}
	return "", fmt.Errorf("no @ccusage/ccusage-%s-%s/bin/%s under %s (ccusage 20 installs its native binary as an optional dependency)", osName, arch, name, p)
}

// warm reads every file of the tree once, so each run sees a warm cache.
func warm(dir string) (files int, size int64, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		n, err := io.Copy(io.Discard, f)
		f.Close()
		files++
		size += n
		return err
	})
	return files, size, err
}

// compare prints the totals and the per-day differences of the two reports.
func compare(ccPath, llPath string) error {
	var cc struct {
		Daily []struct {
			Period, Date                                      string
			InputTokens, OutputTokens                         int64
			CacheCreationTokens, CacheReadTokens, TotalTokens int64
			TotalCost                                         float64
		}
		Totals struct {
			InputTokens, OutputTokens, CacheCreationTokens, CacheReadTokens int64
			TotalCost                                                       float64
		}
	}
	var ll struct {
		ByDay struct {
			Rows []struct {
				Key      map[string]string `json:"key"`
				Requests int64             `json:"requests"`
				Tokens   llTokens          `json:"tokens"`
				Cost     float64           `json:"cost_usd"`
			} `json:"rows"`
		} `json:"by_day"`
		Totals struct {
			Requests int64    `json:"requests"`
			Tokens   llTokens `json:"tokens"`
			Cost     float64  `json:"cost_usd"`
		} `json:"totals"`
		Coverage map[string]int64 `json:"coverage"`
	}
	for _, x := range []struct {
		path string
		v    any
	}{{ccPath, &cc}, {llPath, &ll}} {
		data, err := os.ReadFile(x.path)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(data, x.v); err != nil {
			return fmt.Errorf("%s: %w", x.path, err)
		}
	}
	t := ll.Totals.Tokens
	fmt.Printf("%-9s %14s %14s %14s %16s %14s\n", "totals", "input", "output", "cache write", "cache read", "cost USD")
	fmt.Printf("%-9s %14d %14d %14d %16d %14.2f\n", "ccusage", cc.Totals.InputTokens, cc.Totals.OutputTokens, cc.Totals.CacheCreationTokens, cc.Totals.CacheReadTokens, cc.Totals.TotalCost)
	fmt.Printf("%-9s %14d %14d %14d %16d %14.2f\n", "llmcost", t.Input, t.Output, t.CacheWrite5m+t.CacheWrite1h, t.CacheRead, ll.Totals.Cost)
	fmt.Printf("%-9s %+14d %+14d %+14d %+16d %+14.2f\n", "diff", t.Input-cc.Totals.InputTokens, t.Output-cc.Totals.OutputTokens,
		t.CacheWrite5m+t.CacheWrite1h-cc.Totals.CacheCreationTokens, t.CacheRead-cc.Totals.CacheReadTokens, ll.Totals.Cost-cc.Totals.TotalCost)
	fmt.Printf("llmcost: %d calls, %d duplicate lines, %d lines not billed, %d malformed; cache writes 1h: %d\n",
		ll.Totals.Requests, ll.Coverage["duplicates"], ll.Coverage["not_billed"], ll.Coverage["malformed"], t.CacheWrite1h)
	days := map[string]float64{}
	for _, d := range cc.Daily {
		day := d.Period
		if day == "" {
			day = d.Date
		}
		days[day] -= d.TotalCost
	}
	for _, r := range ll.ByDay.Rows {
		days[r.Key["day"]] += r.Cost
	}
	var worst string
	for d, v := range days {
		if worst == "" || abs(v) > abs(days[worst]) {
			worst = d
		}
	}
	fmt.Printf("%d days; largest daily cost difference (llmcost − ccusage): %s %+.4f USD\n", len(days), worst, days[worst])
	return nil
}

// loadavg returns the 1-minute load average (Linux), "?" elsewhere: the
// machine may be shared, and the figures are only as good as its quiet.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

type llTokens struct {
	Input        int64 `json:"input"`
	CacheRead    int64 `json:"cache_read"`
	CacheWrite5m int64 `json:"cache_write_5m"`
	CacheWrite1h int64 `json:"cache_write_1h"`
	Output       int64 `json:"output"`
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
