// Package check implements `llmcost check`: diff against a baseline and
// fail (exit 3) when a cost rule is broken — the CI gate.
package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/llmcost/llmcost/pkg/cmd/diff"
	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/gate"
)

// Options are check's inputs: the diff's, plus the rules.
type Options struct {
	diff.Options
	GateFile string
	// FileRules come from --gate-file or the config's gate.rules.
	FileRules []gate.Rule
	// FlagRules come from the threshold flags and override FileRules.
	FlagRules []gate.Rule
}

// threshold flags: flag name → metric and level.
var thresholds = []struct {
	flag, metric, level, usage string
}{
	{"fail-on-increase", gate.IncreaseUSD, "fail", "fail when the total cost grew by more than `<usd>`"},
	{"warn-on-increase", gate.IncreaseUSD, "warn", "warn when the total cost grew by more than `<usd>`"},
	{"fail-on-increase-pct", gate.IncreasePct, "fail", "fail when the total cost grew by more than `<pct>` percent"},
	{"warn-on-increase-pct", gate.IncreasePct, "warn", "warn when the total cost grew by more than `<pct>` percent"},
	{"fail-on-total", gate.TotalUSD, "fail", "fail when the current total cost is over `<usd>`"},
	{"warn-on-total", gate.TotalUSD, "warn", "warn when the current total cost is over `<usd>`"},
	{"fail-on-cost-per-request-pct", gate.CostPerRequestIncreasePct, "fail", "fail when the cost per request grew by more than `<pct>` percent"},
	{"fail-on-input-tokens-per-request-pct", gate.InputTokensPerRequestIncPct, "fail", "fail when input tokens per request grew by more than `<pct>` percent"},
	{"fail-on-output-tokens-per-request-pct", gate.OutputTokensPerRequestIncPct, "fail", "fail when output tokens per request grew by more than `<pct>` percent"},
	{"max-unknown-models", gate.UnknownModels, "fail", "fail when more than `<n>` models are unknown to the catalog"},
	{"max-unpriced-pct", gate.UnpricedPct, "fail", "fail when more than `<pct>` percent of records are unpriced"},
	{"max-malformed-pct", gate.MalformedPct, "fail", "fail when more than `<pct>` percent of lines are malformed"},
}

// NewCmdCheck builds `llmcost check`; runF replaces the run function in tests.
func NewCmdCheck(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	o := &Options{Options: diff.Options{IO: f.IOStreams, Catalog: f.Catalog}}
	values := make([]float64, len(thresholds))
	var metrics []string
	for m, d := range gate.Metrics {
		metrics = append(metrics, fmt.Sprintf("  %-40s %s", m, d))
	}
	sort.Strings(metrics)
	cmd := &cobra.Command{
		Use:   "check --baseline <report.json> {<logs>... | --current <report.json>} [rules]",
		Short: "Fail a CI build when LLM cost regresses",
		Long: `Diff the current logs (or report) against a baseline, like 'llmcost diff', and
check rules. A rule watches a metric and fires when it is above a threshold; it
has a level (fail or warn) and a message. Rules come from threshold flags, and
from a gate file (--gate-file, or the gate.rules key of llmcost.yaml):

  gate:
    rules:
      - metric: increase_pct
        above: 10
        level: fail
        message: "LLM spend grew by more than 10%"
      - metric: model_usd
        model: gpt-4o
        above: 500
        level: warn

A flag replaces the file's rule with the same metric, subject and level.
Metrics:
` + strings.Join(metrics, "\n") + `

Percent rules do not fire when the baseline value is 0. Failed rules and
warnings are listed on stderr and in the output (markdown for PR comments).

EXIT STATUS
  0  all rules passed (warnings may have fired)
  1  error
  2  usage error, or an invalid gate file
  3  the cost gate failed: at least one fail rule fired`,
		Example: `  llmcost check --baseline baseline.json logs/ --fail-on-increase-pct 10 --fail-on-total 500
  llmcost check --baseline testdata/gate/baseline.json --current testdata/gate/current-up.json --gate-file testdata/gate/gate.yaml --format markdown`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.Validate(args); err != nil {
				return err
			}
			o.Reproduce, o.Quiet = diff.ReproduceLine(cmd, args), f.Quiet
			for i, t := range thresholds {
				if cmd.Flags().Changed(t.flag) {
					o.FlagRules = append(o.FlagRules, gate.Rule{Metric: t.metric, Above: values[i], Level: t.level})
				}
			}
			var err error
			if o.FileRules, err = loadRules(o.GateFile, f.ConfigValue); err != nil {
				return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: err}
			}
			if len(o.FileRules)+len(o.FlagRules) == 0 {
				return cmdutil.FlagErrorf("no rules: pass a threshold flag (e.g. --fail-on-increase-pct 10) or a gate file")
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return run(cmd.Context(), o)
		},
	}
	diff.AddFlags(cmd, &o.Options)
	cmd.Flags().StringVar(&o.GateFile, "gate-file", "", "YAML `<file>` with gate rules (rules: [...]), instead of llmcost.yaml's gate.rules")
	for i, t := range thresholds {
		cmd.Flags().Float64Var(&values[i], t.flag, 0, t.usage)
	}
	return cmd
}

// loadRules reads rules from the gate file, or else from the config's
// gate.rules, and validates them.
func loadRules(path string, config func(string) any) ([]gate.Rule, error) {
	var rules []gate.Rule
	switch {
	case path != "":
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--gate-file: %w", err)
		}
		var doc struct {
			Rules []gate.Rule `yaml:"rules"`
			Gate  struct {
				Rules []gate.Rule `yaml:"rules"`
			} `yaml:"gate"`
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("--gate-file %s: %w", path, err)
		}
		rules = append(doc.Rules, doc.Gate.Rules...)
	case config != nil:
		v := config("gate.rules")
		if v == nil {
			return nil, nil
		}
		// The config library hands back generic maps: round-trip through
		// JSON into the typed rules.
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("llmcost.yaml gate.rules: %w", err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rules); err != nil {
			return nil, fmt.Errorf("llmcost.yaml gate.rules: %w", err)
		}
	}
	for i, r := range rules {
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("gate rule %d: %w", i+1, err)
		}
	}
	return rules, nil
}

func run(ctx context.Context, o *Options) error {
	d, err := diff.Compare(ctx, &o.Options)
	if err != nil {
		return err
	}
	status := gate.Evaluate(d, gate.Merge(o.FileRules, o.FlagRules))
	if err := diff.Write(&o.Options, d); err != nil {
		return err
	}
	w := o.IO.ErrOut
	for _, f := range d.Findings {
		fmt.Fprintf(w, "%s: %s: %s\n", f.Level, f.Rule, f.Message)
	}
	if status == "fail" {
		return &cmdutil.ExitError{Code: cmdutil.ExitGateFailed, Err: errors.New("cost gate failed")}
	}
	return nil
}
