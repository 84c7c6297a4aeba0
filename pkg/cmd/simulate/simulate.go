// Package simulate implements `llmcost simulate`: re-price request logs
// under saving levers (routing, history trimming, output caps, batch),
// alone and stacked.
package simulate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/llmcost/llmcost/pkg/cmd/analyze"
	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/report"
	"github.com/llmcost/llmcost/pkg/simulate"
	"github.com/llmcost/llmcost/pkg/simulate/scenarios"
)

// Options are the simulate command's inputs.
type Options struct {
	// Quiet (--quiet) prints no progress and no warnings.
	Quiet   bool
	IO      *iostreams.IOStreams
	Catalog func() (*pricing.Catalog, error)
	// ConfigValue reads llmcost.yaml (its simulate key); nil in tests.
	ConfigValue func(string) any

	Paths []string
	// Scenarios are the --scenario names; empty: the configuration's.
	Scenarios []string
	// ConfigFile is the scenario configuration (--config).
	ConfigFile string
	// Labels is a quality labels file for routing (--labels).
	Labels      string
	NoStack     bool
	Format      string
	OutFile     string
	Since       string
	Until       string
	InputFormat string
	Strict      bool
	Workers     int
	ShowSkipped bool
	// Partial writes a partial report for llmcost merge; ShardKey and
	// Shard ("i/n") select one shard of the log.
	Partial  bool
	ShardKey string
	Shard    string

	// EmbeddingsURL is semcache's embeddings endpoint (--embeddings-url);
	// ShowPrompts prints the prompts of its sampled pairs (--show-prompts).
	EmbeddingsURL string
	ShowPrompts   bool

	// flags are the command's flag names: llmcost.yaml's simulate key may
	// hold flag defaults (format: json) beside the scenario settings.
	flags map[string]bool
}

// NewCmdSimulate builds the command; runF replaces the run function in tests.
func NewCmdSimulate(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog}
	cmd := &cobra.Command{
		Use:   "simulate [<file>|<dir>|<glob>|-]... [--scenario <names>] [--config <file>]",
		Short: "Show what each saving lever would save on your logs, alone and stacked",
		Long: `Re-price the calls of the given logs (read as analyze reads them, priced with the
same catalog) under saving levers, and report for each lever alone and for all
of them stacked: the baseline cost, the simulated cost, the savings in dollars
and percent, the requests affected, and the assumptions used. A lever that
changes nothing costs exactly the baseline.

Scenarios (--scenario, comma-separated; default, and all: every one but
selfhost, which runs only when named):
  semcache  a semantic cache: a request whose last user message is close
            enough to an earlier one's (same model, system prompt, tools,
            parameters and earlier turns; within a TTL, 24h) is answered
            from the cache and makes no call. Offline by default: character
            3-gram TF-IDF cosine (threshold 0.9), and never a hit when a
            number, a negation or the word order differs. Reports the hit
            rate and the risk: the riskiest hits and nearest misses, by
            file:line (--show-prompts adds their text). --embeddings-url
            compares embeddings from an OpenAI-compatible endpoint instead,
            cached on disk: the only network use, off by default.
  routing   a router sends each request to a tier (simple, standard, complex,
            expert) by rules and a heuristic complexity classifier, each tier
            to a model; optional cascade (cheap first, escalate). Without
            quality labels it reports the addressable spend and bounds (all
            cheap; a random router with the same shares), not one figure;
            with --labels (quality per request) it measures the cost-quality
            curve: PGR, APGR, CPT(50%), CPT(80%), against random and oracle.
  selfhost  chosen requests (open models by default, or replace: globs with
            an open model: to serve them) run on your own GPUs: the fleet is
            sized in whole instances for the peak hour of the log's own
            arrival curve and paid for every hour of the window, a fixed
            cost in the bill; reports the curve, instances, utilisation,
            break-even traffic, and that the model is not the same.
  history   context management for conversations: a sliding window of the
            last N messages, or a summary every K turns (summary calls paid).
  output    output control: max_tokens at a percentile of each model's own
            output lengths, and an optional concise-format instruction.
  promptcache
            provider prompt caching: the log replayed in time order through
            each provider's cache (OpenAI and Gemini automatic, Anthropic
            breakpoints) under today's caching and a proposed one (Anthropic
            breakpoints placed for you, OpenAI's 24h retention, Gemini
            context caches billed for storage, each only where it pays);
            the difference is added to the caching the log shows.
  batch     requests nobody waits for (no user or session by default; rules
            on tags, endpoints, hours) at the providers' batch rates.
Stacked, the levers apply in this order, each to what the ones before it
left, so no saving is counted twice.

Settings come from --config <file> (YAML: see testdata/simulate/scenarios.yaml;
a file with a simulate: key, such as llmcost.yaml, works too), or else from the
simulate key of llmcost.yaml, or else the built-in defaults.

Semcache, routing and history read the prompt text of request+response pair
logs to compare, classify requests and size messages; the text is never
printed unless --show-prompts asks for semcache's sampled pairs. Other logs
are simulated from their token and message counts, and the report says so.

SHARDS
  Logs too large for one machine simulate in shards, merged with llmcost
  merge. --shard i/n --shard-key KEY keeps the requests whose KEY hashes to
  shard i of n (every shard reads the whole log; requests sharing a key stay
  together): conversation, user, system (model and system prompt) or prefix
  (model and first prompt block: every prompt-cache hit stays in its shard).
  --partial writes the shard's JSON report. The merge checks that every
  shard is there once, with the same settings; scenarios whose state crosses
  shards under the key (prompt caching split by conversation, percentile
  caps) are merged with a warning saying how; others add up exactly.

EXIT STATUS
  0    success
  1    error, or with --strict a malformed line
  2    usage or configuration error
  130  interrupted`,
		Example: `  llmcost simulate testdata/samples/
  llmcost simulate testdata/samples/ --scenario routing,batch
  llmcost simulate testdata/simulate/logs/routing.jsonl --scenario routing --labels testdata/simulate/labels.jsonl
  llmcost simulate testdata/simulate/logs/ --config testdata/simulate/scenarios.yaml --format markdown
  llmcost simulate logs/ --scenario output --format json --out-file savings.json
  llmcost simulate testdata/simulate/selfhost/peaky.jsonl --config testdata/simulate/presets/selfhost-llama.yaml
  llmcost simulate testdata/simulate/semcache/ --scenario semcache --show-prompts
  llmcost simulate logs/ --scenario semcache --embeddings-url http://localhost:8080/v1/embeddings
  llmcost simulate testdata/simulate/logs/ --format html --out-file savings.html
  llmcost simulate logs/ --partial --shard-key prefix --shard 0/4 -o shard-0.json
  llmcost merge 'shard-*.json' --format markdown`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths, opts.Quiet = args, f.Quiet
			opts.ConfigValue = f.ConfigValue
			if len(opts.Paths) == 0 {
				return cmdutil.FlagErrorf("no input: give log files, directories, globs, or - for standard input")
			}
			if opts.Shard != "" && opts.ShardKey == "" {
				return cmdutil.FlagErrorf("--shard needs --shard-key: the key requests are split by (%s)", strings.Join(simulate.ShardKeys, ", "))
			}
			if opts.Shard != "" && !opts.Partial {
				return cmdutil.FlagErrorf("--shard simulates part of the log: add --partial, and merge the shards' reports with llmcost merge")
			}
			if opts.Partial {
				if cmd.Flags().Changed("format") && opts.Format != "json" {
					return cmdutil.FlagErrorf("--partial writes a JSON report (for llmcost merge), not %s", opts.Format)
				}
				opts.Format = "json"
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVarP(&opts.Scenarios, "scenario", "s", nil, "levers to simulate: `<names>` among semcache, routing, selfhost, history, output, promptcache, batch, or all (every one but selfhost)")
	fl.StringVar(&opts.ConfigFile, "config", "", "scenario settings `<file>` (YAML; see testdata/simulate/scenarios.yaml)")
	fl.StringVar(&opts.Labels, "labels", "", "quality labels `<file>` for routing (JSON Lines: request_id with acceptable models or judge scores)")
	fl.BoolVar(&opts.NoStack, "no-stack", false, "simulate each lever alone only")
	fl.StringVar(&opts.EmbeddingsURL, "embeddings-url", "", "semcache compares the embeddings of this OpenAI-compatible `<url>` (e.g. http://localhost:8080/v1/embeddings), cached on disk: the only network use")
	fl.BoolVar(&opts.ShowPrompts, "show-prompts", false, "print the text of semcache's riskiest hits and nearest misses (default: file:line only)")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "table", append(append([]string(nil), report.Formats...), report.HTMLFormat), "output format (html: a self-contained page with charts, for --out-file)")
	fl.StringVarP(&opts.OutFile, "out-file", "o", "", "write the report to `<file>` instead of standard output")
	fl.StringVar(&opts.Since, "since", "", "only calls at or after this `<date>` (YYYY-MM-DD or RFC 3339, UTC)")
	fl.StringVar(&opts.Until, "until", "", "only calls before the end of this `<date>` (a bare date includes that day)")
	var ids []string
	for _, fm := range ingest.Formats() {
		ids = append(ids, fm.ID)
	}
	cmdutil.StringEnumFlag(cmd, &opts.InputFormat, "input-format", "", "", append([]string{""}, ids...), "force the input format instead of detecting it")
	fl.BoolVar(&opts.Strict, "strict", false, "fail on the first malformed line")
	fl.IntVar(&opts.Workers, "workers", 0, "parsing goroutines (default: one per CPU)")
	fl.BoolVar(&opts.ShowSkipped, "show-skipped", false, "list every malformed line on standard error")
	fl.BoolVar(&opts.Partial, "partial", false, "write a partial JSON report of a shard, for llmcost merge")
	cmdutil.StringEnumFlag(cmd, &opts.ShardKey, "shard-key", "", "", append([]string{""}, simulate.ShardKeys...), "the key the log is split by: requests with equal keys stay in one shard")
	fl.StringVar(&opts.Shard, "shard", "", "simulate only shard `<i/n>` of the log (0 <= i < n), split by --shard-key")
	opts.flags = map[string]bool{}
	fl.VisitAll(func(f *pflag.Flag) { opts.flags[f.Name] = true })
	return cmd
}

// settings drops flag defaults from a simulate section of llmcost.yaml,
// leaving the scenario settings.
func (opts *Options) settings(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range m {
		if !opts.flags[k] {
			out[k] = x
		}
	}
	return out
}

// loadConfig reads the scenario settings: --config, else llmcost.yaml's
// simulate key, else defaults. A file may hold the settings at the top
// level or under a simulate key.
func loadConfig(opts *Options) (*scenarios.Config, error) {
	if opts.ConfigFile != "" {
		data, err := os.ReadFile(opts.ConfigFile)
		if err != nil {
			return nil, usageErr(fmt.Errorf("--config: %w", err))
		}
		var probe map[string]yaml.Node
		if err := yaml.Unmarshal(data, &probe); err == nil {
			if n, ok := probe["simulate"]; ok {
				var v any
				if err := n.Decode(&v); err != nil {
					return nil, usageErr(fmt.Errorf("--config %s: %w", opts.ConfigFile, err))
				}
				c, err := scenarios.FromValue(opts.settings(v))
				if err != nil {
					return nil, usageErr(fmt.Errorf("--config %s: simulate: %w", opts.ConfigFile, err))
				}
				return c, nil
			}
		}
		c, err := scenarios.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, usageErr(fmt.Errorf("--config %s: %w", opts.ConfigFile, err))
		}
		return c, nil
	}
	if opts.ConfigValue != nil {
		if v := opts.ConfigValue("simulate"); v != nil {
			c, err := scenarios.FromValue(opts.settings(v))
			if err != nil {
				return nil, usageErr(fmt.Errorf("llmcost.yaml simulate: %w", err))
			}
			return c, nil
		}
	}
	return &scenarios.Config{}, nil
}

func usageErr(err error) error { return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: err} }

// Build runs the simulation and returns the report document.
func Build(ctx context.Context, opts *Options) (*report.SimulateReport, error) {
	since, err := cmdutil.ParseTime(opts.Since, false)
	if err != nil {
		return nil, cmdutil.FlagErrorf("--since: %v", err)
	}
	until, err := cmdutil.ParseTime(opts.Until, true)
	if err != nil {
		return nil, cmdutil.FlagErrorf("--until: %v", err)
	}
	var format *ingest.Format
	if opts.InputFormat != "" {
		if format, err = ingest.LookupFormat(opts.InputFormat); err != nil {
			return nil, cmdutil.FlagErrorf("--input-format: %v", err)
		}
	}
	cfg, err := loadConfig(opts)
	if err != nil {
		return nil, err
	}
	if opts.Labels != "" {
		cfg.Routing.Labels = opts.Labels
	}
	if opts.EmbeddingsURL != "" {
		cfg.Semcache.EmbeddingsURL = opts.EmbeddingsURL
	}
	cfg.Semcache.ShowPrompts = opts.ShowPrompts
	names, err := cfg.Names(opts.Scenarios)
	if err != nil {
		if len(opts.Scenarios) > 0 {
			return nil, cmdutil.FlagErrorf("--scenario: %v", err)
		}
		return nil, usageErr(err)
	}
	cat, err := opts.Catalog()
	if err != nil {
		return nil, err
	}
	scs, err := cfg.Build(names, cat)
	if err != nil {
		return nil, usageErr(err)
	}
	var shard simulate.Shard
	if opts.Shard != "" {
		if shard, err = simulate.ParseShard(opts.ShardKey, opts.Shard); err != nil {
			return nil, cmdutil.FlagErrorf("--shard: %v", err)
		}
	}
	var notes []string
	if opts.Partial {
		if notes, err = simulate.ShardNotes(scs, opts.ShardKey); err != nil {
			return nil, usageErr(err)
		}
	}
	paths, err := ingest.Expand(opts.Paths)
	if err != nil {
		return nil, err
	}
	iopts := ingest.Options{Format: format, Workers: opts.Workers, Strict: opts.Strict, Stdin: opts.IO.In}
	stop := func() {}
	if opts.IO.IsStderrTTY() && !opts.Quiet {
		iopts.Progress = &ingest.Progress{}
		stop = analyze.StartProgress(opts.IO.ErrOut, iopts.Progress, paths)
	}
	stack := cfg.Stacked() && !opts.NoStack
	res, st, err := simulate.Run(ctx, paths, simulate.Options{Catalog: cat, Scenarios: scs, Stack: stack,
		Since: since, Until: until, Ingest: iopts, Shard: shard})
	stop()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, &cmdutil.ExitError{Code: cmdutil.ExitInterrupted, Err: errors.New("interrupted")}
		}
		var pr ingest.Problem
		if errors.As(err, &pr) {
			return nil, fmt.Errorf("%w (--strict)", err)
		}
		return nil, err
	}
	rep := report.BuildSimulate(res, st)
	if opts.Partial {
		p := report.SimPartial{Settings: settingsID(cfg, names, stack, opts), ShardKey: opts.ShardKey, Notes: notes}
		if opts.Shard != "" {
			p.Shard, p.Shards = shard.Index, shard.Count
		}
		report.MarkPartial(rep, res, p)
	}
	return rep, nil
}

// settingsID identifies what a partial report simulated: the scenarios,
// their settings, the stack, the window and the labels, so that only
// partials of one simulation merge.
func settingsID(cfg *scenarios.Config, names []string, stack bool, opts *Options) string {
	d := xxhash.New()
	y, _ := yaml.Marshal(cfg)
	d.Write(y)
	fmt.Fprintf(d, "\x00%q\x00%v\x00%s\x00%s\x00", names, stack, opts.Since, opts.Until)
	if cfg.Routing.Labels != "" {
		if data, err := os.ReadFile(cfg.Routing.Labels); err == nil {
			d.Write(data)
		}
	}
	return fmt.Sprintf("%016x", d.Sum64())
}

func run(ctx context.Context, opts *Options) error {
	rep, err := Build(ctx, opts)
	if err != nil {
		return err
	}
	var w io.Writer = opts.IO.Out
	color := opts.IO.ColorEnabled()
	var f *os.File
	if opts.OutFile != "" && opts.OutFile != "-" {
		if f, err = os.Create(opts.OutFile); err != nil {
			return err
		}
		w, color = f, false
	}
	err = report.RenderSimulate(w, rep, opts.Format, report.Options{Color: color})
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	printDiagnostics(opts, rep)
	return nil
}

// problemsShown is how many problems are printed without --show-skipped.
const problemsShown = 5

// printDiagnostics writes problems, unpriced models and warnings to stderr;
// the report carries them too, so machine formats stay complete.
func printDiagnostics(opts *Options, rep *report.SimulateReport) {
	if opts.Quiet {
		return
	}
	w := opts.IO.ErrOut
	n := len(rep.Problems)
	if !opts.ShowSkipped && n > problemsShown {
		n = problemsShown
	}
	for _, p := range rep.Problems[:n] {
		if p.Line == 0 {
			fmt.Fprintf(w, "warning: %s: %s\n", p.File, p.Error)
		} else {
			fmt.Fprintf(w, "warning: %s:%d: %s\n", p.File, p.Line, p.Error)
		}
	}
	if more := rep.ProblemsTotal - int64(n); more > 0 {
		fmt.Fprintf(w, "warning: %d more problems (--show-skipped lists them, --format json includes them)\n", more)
	}
	if len(rep.Unpriced) > 0 {
		var total int64
		var names []string
		for _, u := range rep.Unpriced {
			total += u.Requests
			names = append(names, u.Model)
		}
		if len(names) > 5 {
			names = append(names[:5], "…")
		}
		fmt.Fprintf(w, "warning: %d requests used models with no price, not simulated: %s (add them with --pricing-file)\n", total, strings.Join(names, ", "))
	}
	for _, s := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
	if opts.Format != "table" || opts.OutFile != "" {
		fmt.Fprintln(w, report.SimulateCoverageLine(rep))
	}
}
