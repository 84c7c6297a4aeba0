package gate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/llmcost/llmcost/pkg/report"
)

// Metrics a rule can watch. Rules fire when the value is strictly above
// the rule's threshold.
const (
	TotalUSD                     = "total_usd"                              // current total cost
	IncreaseUSD                  = "increase_usd"                           // current − baseline total
	IncreasePct                  = "increase_pct"                           // (current − baseline) / baseline × 100
	ModelUSD                     = "model_usd"                              // current cost of one model (Model)
	ModelIncreasePct             = "model_increase_pct"                     // one model's cost increase in percent
	TagUSD                       = "tag_usd"                                // current cost of one tag value (Tag: key=value)
	CostPerRequestIncreasePct    = "cost_per_request_increase_pct"          // total cost per priced request
	InputTokensPerRequestIncPct  = "input_tokens_per_request_increase_pct"  // all input tokens per request
	OutputTokensPerRequestIncPct = "output_tokens_per_request_increase_pct" // output tokens per request
	UnknownModels                = "unknown_models"                         // distinct unknown models in current
	UnpricedPct                  = "unpriced_pct"                           // unpriced requests / records × 100
	MalformedPct                 = "malformed_pct"                          // malformed lines / lines × 100
)

// Metrics lists every metric with a one-line description, for help text
// and validation.
var Metrics = map[string]string{
	TotalUSD:                     "current total cost in USD",
	IncreaseUSD:                  "total cost increase over the baseline in USD",
	IncreasePct:                  "total cost increase over the baseline in percent",
	ModelUSD:                     "current cost of the model named by `model`, in USD",
	ModelIncreasePct:             "cost increase of the model named by `model`, in percent",
	TagUSD:                       "current cost of the tag value named by `tag` (key=value), in USD",
	CostPerRequestIncreasePct:    "increase of the cost per request, in percent",
	InputTokensPerRequestIncPct:  "increase of input tokens per request (cached included), in percent",
	OutputTokensPerRequestIncPct: "increase of output tokens per request, in percent",
	UnknownModels:                "number of models the catalog does not know",
	UnpricedPct:                  "share of records that could not be priced, in percent",
	MalformedPct:                 "share of input lines that were malformed, in percent",
}

// Rule is one gate condition, from a flag or from the gate file.
type Rule struct {
	Metric string  `json:"metric" yaml:"metric"`
	Above  float64 `json:"above" yaml:"above"`
	// Level is "fail" (the default) or "warn".
	Level string `json:"level,omitempty" yaml:"level,omitempty"`
	// Message replaces the generated explanation.
	Message string `json:"message,omitempty" yaml:"message,omitempty"`
	// Model names the model of model_* rules; Tag the "key=value" of tag_*.
	Model string `json:"model,omitempty" yaml:"model,omitempty"`
	Tag   string `json:"tag,omitempty" yaml:"tag,omitempty"`
}

// ID identifies a rule for overriding: a flag's rule replaces the file's
// rule with the same ID.
func (r Rule) ID() string {
	id := r.Metric
	if r.Model != "" {
		id += "[" + r.Model + "]"
	}
	if r.Tag != "" {
		id += "[" + r.Tag + "]"
	}
	return id + ":" + r.level()
}

func (r Rule) level() string {
	if r.Level == "" {
		return "fail"
	}
	return r.Level
}

// Validate checks a rule's metric, level and subject.
func (r Rule) Validate() error {
	if _, ok := Metrics[r.Metric]; !ok {
		names := make([]string, 0, len(Metrics))
		for m := range Metrics {
			names = append(names, m)
		}
		sort.Strings(names)
		return fmt.Errorf("unknown metric %q (known: %s)", r.Metric, strings.Join(names, ", "))
	}
	if l := r.level(); l != "fail" && l != "warn" {
		return fmt.Errorf("rule %s: level %q, want fail or warn", r.Metric, r.Level)
	}
	if (r.Metric == ModelUSD || r.Metric == ModelIncreasePct) && r.Model == "" {
		return fmt.Errorf("rule %s needs a model", r.Metric)
	}
	if r.Metric == TagUSD {
		if k, v, ok := strings.Cut(r.Tag, "="); !ok || k == "" || v == "" {
			return fmt.Errorf("rule %s needs tag: key=value, got %q", r.Metric, r.Tag)
		}
	}
	if r.Above < 0 {
		return fmt.Errorf("rule %s: negative threshold %v", r.Metric, r.Above)
	}
	return nil
}

// Merge returns the file's rules with those of flags added, a flag rule
// replacing a file rule with the same ID. Order: file rules, then new ones.
func Merge(file, flags []Rule) []Rule {
	out := append([]Rule(nil), file...)
	for _, f := range flags {
		replaced := false
		for i := range out {
			if out[i].ID() == f.ID() {
				out[i] = f
				replaced = true
			}
		}
		if !replaced {
			out = append(out, f)
		}
	}
	return out
}

// Evaluate checks every rule against d, sets d.Findings (sorted: failures
// first) and d.Status, and returns the status: "pass", "warn" or "fail".
func Evaluate(d *report.Diff, rules []Rule) string {
	d.Findings = []report.Finding{}
	for _, r := range rules {
		v, ok, what := measure(d, r)
		if !ok || v <= r.Above {
			continue
		}
		msg := r.Message
		if msg == "" {
			msg = fmt.Sprintf("%s is %s, over the %s limit", what, format(r.Metric, v), format(r.Metric, r.Above))
		}
		d.Findings = append(d.Findings, report.Finding{Rule: strings.TrimSuffix(r.ID(), ":"+r.level()), Level: r.level(), Message: msg, Value: v, Threshold: r.Above})
	}
	sort.SliceStable(d.Findings, func(i, j int) bool {
		return d.Findings[i].Level == "fail" && d.Findings[j].Level != "fail"
	})
	d.Status = "pass"
	for _, f := range d.Findings {
		if f.Level == "fail" {
			d.Status = "fail"
			break
		}
		d.Status = "warn"
	}
	return d.Status
}

func format(metric string, v float64) string {
	switch {
	case strings.HasSuffix(metric, "_usd"):
		return "$" + strconv.FormatFloat(v, 'f', 2, 64)
	case strings.HasSuffix(metric, "_pct"):
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func f64(m report.Money) float64 { v, _ := m.Float64(); return v }

// measure returns the rule's value on d, whether it applies, and what it is
// in words. A percentage over a zero baseline does not apply (there is no
// increase to speak of; absolute rules catch new spend).
func measure(d *report.Diff, r Rule) (float64, bool, string) {
	t := d.Total
	pct := func(p *float64) (float64, bool) {
		if p == nil {
			return 0, false
		}
		return *p, true
	}
	switch r.Metric {
	case TotalUSD:
		return f64(t.Current.CostUSD), true, "total cost"
	case IncreaseUSD:
		return f64(t.DeltaUSD), true, "the total cost increase"
	case IncreasePct:
		v, ok := pct(t.DeltaPct)
		return v, ok, "the total cost increase"
	case CostPerRequestIncreasePct:
		v, ok := pct(t.CostPerRequestDeltaPct)
		return v, ok, "the cost-per-request increase"
	case InputTokensPerRequestIncPct:
		v, ok := pct(t.InputTokensPerRequestDeltaPct)
		return v, ok, "the input-tokens-per-request increase"
	case OutputTokensPerRequestIncPct:
		v, ok := pct(t.OutputTokensPerRequestDeltaPct)
		return v, ok, "the output-tokens-per-request increase"
	case ModelUSD, ModelIncreasePct:
		for _, row := range d.ByModel.Rows {
			if row.Key["model"] != r.Model {
				continue
			}
			if r.Metric == ModelUSD {
				return f64(row.Current.CostUSD), true, "the cost of " + r.Model
			}
			v, ok := pct(row.DeltaPct)
			return v, ok, "the cost increase of " + r.Model
		}
		return 0, false, ""
	case TagUSD:
		k, v, _ := strings.Cut(r.Tag, "=")
		for _, b := range d.ByTag {
			if len(b.Dims) != 1 || b.Dims[0] != "tag:"+k {
				continue
			}
			for _, row := range b.Rows {
				if row.Key["tag:"+k] == v {
					return f64(row.Current.CostUSD), true, "the cost of " + r.Tag
				}
			}
		}
		return 0, false, ""
	case UnknownModels:
		return float64(len(d.UnknownModels)), true, "the number of unknown models"
	case UnpricedPct:
		c := d.CurrentCoverage
		if c.Records == 0 {
			return 0, false, ""
		}
		return round2(100 * float64(c.UnknownModel+c.NoPrice) / float64(c.Records)), true, "the share of unpriced records"
	case MalformedPct:
		c := d.CurrentCoverage
		if c.Lines == 0 {
			return 0, false, ""
		}
		return round2(100 * float64(c.Malformed) / float64(c.Lines)), true, "the share of malformed lines"
	}
	return 0, false, ""
}

func round2(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 2, 64), 64)
	return v
}
