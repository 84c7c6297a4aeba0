package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Load reads an analyze report document and checks its kind and version.
func Load(r io.Reader) (*Report, error) {
	var rep Report
	dec := json.NewDecoder(r)
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("not a report document: %w", err)
	}
	if rep.Kind != "analyze" {
		return nil, fmt.Errorf("report kind %q, want \"analyze\" (make it with llmcost analyze --format json)", rep.Kind)
	}
	if rep.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("report schema version %d, this llmcost reads %d", rep.SchemaVersion, SchemaVersion)
	}
	return &rep, nil
}

// LoadFile is Load on a file.
func LoadFile(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}

// Change says how a row moved between baseline and current.
type Change string

const (
	Added     Change = "added"
	Removed   Change = "removed"
	Changed   Change = "changed"
	Unchanged Change = "unchanged"
)

// Symbol is the one-character key used in tables: + - ~ or space.
func (c Change) Symbol() string {
	switch c {
	case Added:
		return "+"
	case Removed:
		return "-"
	case Changed:
		return "~"
	}
	return " "
}

// Side is one side (baseline or current) of a diff row.
type Side struct {
	Requests int64 `json:"requests"`
	CostUSD  Money `json:"cost_usd"`
	// CostPerRequestUSD is CostUSD over priced requests (0 without any).
	CostPerRequestUSD Money `json:"cost_per_request_usd"`
	// InputTokensPerRequest counts every input token (cached or not).
	InputTokensPerRequest  float64 `json:"input_tokens_per_request"`
	OutputTokensPerRequest float64 `json:"output_tokens_per_request"`
	UnpricedRequests       int64   `json:"unpriced_requests"`
}

// DiffRow compares one group between the two reports. Percentages are
// null where the baseline value is 0.
type DiffRow struct {
	Key      map[string]string `json:"key"`
	Change   Change            `json:"change"`
	Baseline Side              `json:"baseline"`
	Current  Side              `json:"current"`
	DeltaUSD Money             `json:"delta_usd"`
	DeltaPct *float64          `json:"delta_pct"`
	// Per-request deltas show a prompt that grew even when traffic differs.
	CostPerRequestDeltaPct         *float64 `json:"cost_per_request_delta_pct"`
	InputTokensPerRequestDeltaPct  *float64 `json:"input_tokens_per_request_delta_pct"`
	OutputTokensPerRequestDeltaPct *float64 `json:"output_tokens_per_request_delta_pct"`
}

// DiffBreakdown compares one breakdown.
type DiffBreakdown struct {
	Dims []string  `json:"dims"`
	Rows []DiffRow `json:"rows"`
}

// Finding is a gate rule the current report broke.
type Finding struct {
	// Rule names the rule: its metric, and subject for per-model/tag rules.
	Rule    string `json:"rule"`
	Level   string `json:"level"` // "warn" or "fail"
	Message string `json:"message"`
	// Value is the measured value; Threshold the rule's limit.
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
}

// Diff is the document `llmcost diff` and `llmcost check` produce.
type Diff struct {
	SchemaVersion int             `json:"schema_version"`
	Kind          string          `json:"kind"`
	Baseline      Period          `json:"baseline_period"`
	Current       Period          `json:"current_period"`
	Total         DiffRow         `json:"total"`
	ByModel       DiffBreakdown   `json:"by_model"`
	ByProvider    DiffBreakdown   `json:"by_provider"`
	ByTag         []DiffBreakdown `json:"by_tag"`
	// Coverage of each side: unknown models, unpriced and malformed input.
	BaselineCoverage Coverage `json:"baseline_coverage"`
	CurrentCoverage  Coverage `json:"current_coverage"`
	// UnknownModels lists the current report's unpriced models.
	UnknownModels []string `json:"unknown_models"`
	// Status is "pass", "warn" or "fail" once rules were checked, "" for a
	// plain diff.
	Status   string    `json:"status,omitempty"`
	Findings []Finding `json:"findings"`
}

func side(r *Row) Side {
	if r == nil {
		return Side{CostUSD: Money{decimal.Zero}, CostPerRequestUSD: Money{decimal.Zero}}
	}
	// Money is compared at the precision the JSON document keeps, so that a
	// report built in-process equals the same report saved and loaded.
	cost := r.CostUSD.Round(6)
	s := Side{Requests: r.Requests, CostUSD: Money{cost}, UnpricedRequests: r.UnpricedRequests, CostPerRequestUSD: Money{decimal.Zero}}
	if priced := r.Requests - r.UnpricedRequests; priced > 0 {
		s.CostPerRequestUSD = Money{cost.DivRound(decimal.NewFromInt(priced), 6)}
	}
	if r.Requests > 0 {
		s.InputTokensPerRequest = round6(float64(r.Tokens.TotalInput) / float64(r.Requests))
		s.OutputTokensPerRequest = round6(float64(r.Tokens.Output) / float64(r.Requests))
	}
	return s
}

func round6(f float64) float64 { return math.Round(f*1e6) / 1e6 }

// pctChange is (cur-base)/base in percent, nil when base is 0.
func pctChange(base, cur float64) *float64 {
	if base == 0 {
		return nil
	}
	v := round6((cur - base) / base * 100)
	return &v
}

func dec2f(d decimal.Decimal) float64 { f, _ := d.Float64(); return f }

func diffRow(key map[string]string, b, c *Row) DiffRow {
	d := DiffRow{Key: key, Baseline: side(b), Current: side(c)}
	d.DeltaUSD = Money{d.Current.CostUSD.Sub(d.Baseline.CostUSD.Decimal)}
	d.DeltaPct = pctChange(dec2f(d.Baseline.CostUSD.Decimal), dec2f(d.Current.CostUSD.Decimal))
	d.CostPerRequestDeltaPct = pctChange(dec2f(d.Baseline.CostPerRequestUSD.Decimal), dec2f(d.Current.CostPerRequestUSD.Decimal))
	d.InputTokensPerRequestDeltaPct = pctChange(d.Baseline.InputTokensPerRequest, d.Current.InputTokensPerRequest)
	d.OutputTokensPerRequestDeltaPct = pctChange(d.Baseline.OutputTokensPerRequest, d.Current.OutputTokensPerRequest)
	switch {
	case b == nil || b.Requests == 0:
		d.Change = Added
	case c == nil || c.Requests == 0:
		d.Change = Removed
	case !d.DeltaUSD.IsZero() || d.Baseline.Requests != d.Current.Requests ||
		d.Baseline.InputTokensPerRequest != d.Current.InputTokensPerRequest ||
		d.Baseline.OutputTokensPerRequest != d.Current.OutputTokensPerRequest:
		d.Change = Changed
	default:
		d.Change = Unchanged
	}
	return d
}

func keyString(dims []string, key map[string]string) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = key[d]
	}
	return strings.Join(parts, "\x00")
}

func diffBreakdown(b, c Breakdown) DiffBreakdown {
	dims := c.Dims
	if len(dims) == 0 {
		dims = b.Dims
	}
	out := DiffBreakdown{Dims: dims, Rows: []DiffRow{}}
	base := map[string]*Row{}
	for i := range b.Rows {
		base[keyString(dims, b.Rows[i].Key)] = &b.Rows[i]
	}
	seen := map[string]bool{}
	for i := range c.Rows {
		k := keyString(dims, c.Rows[i].Key)
		seen[k] = true
		out.Rows = append(out.Rows, diffRow(c.Rows[i].Key, base[k], &c.Rows[i]))
	}
	for i := range b.Rows {
		if k := keyString(dims, b.Rows[i].Key); !seen[k] {
			out.Rows = append(out.Rows, diffRow(b.Rows[i].Key, &b.Rows[i], nil))
		}
	}
	sort.Slice(out.Rows, func(i, j int) bool {
		x, y := out.Rows[i].DeltaUSD.Abs(), out.Rows[j].DeltaUSD.Abs()
		if c := x.Cmp(y); c != 0 {
			return c > 0
		}
		return keyString(dims, out.Rows[i].Key) < keyString(dims, out.Rows[j].Key)
	})
	return out
}

func totalRow(r *Report) *Row {
	t := r.Totals
	return &Row{Key: map[string]string{}, Requests: t.Requests, Tokens: t.Tokens, CostUSD: t.CostUSD, UnpricedRequests: t.UnpricedRequests}
}

// Compare diffs the current report against the baseline.
func Compare(baseline, current *Report) *Diff {
	d := &Diff{SchemaVersion: SchemaVersion, Kind: "diff", Baseline: baseline.Period, Current: current.Period,
		BaselineCoverage: baseline.Coverage, CurrentCoverage: current.Coverage, Findings: []Finding{}, ByTag: []DiffBreakdown{},
		UnknownModels: []string{}}
	d.Total = diffRow(map[string]string{}, totalRow(baseline), totalRow(current))
	d.ByModel = diffBreakdown(baseline.ByModel, current.ByModel)
	d.ByProvider = diffBreakdown(baseline.ByProvider, current.ByProvider)
	tags := map[string][2]Breakdown{}
	for _, b := range baseline.ByTag {
		p := tags[strings.Join(b.Dims, ",")]
		p[0] = b
		tags[strings.Join(b.Dims, ",")] = p
	}
	for _, c := range current.ByTag {
		p := tags[strings.Join(c.Dims, ",")]
		p[1] = c
		tags[strings.Join(c.Dims, ",")] = p
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := tags[k]
		d.ByTag = append(d.ByTag, diffBreakdown(p[0], p[1]))
	}
	seen := map[string]bool{}
	for _, u := range current.Unpriced {
		if u.Reason == "unknown model" && !seen[u.Model] {
			seen[u.Model] = true
			d.UnknownModels = append(d.UnknownModels, u.Model)
		}
	}
	sort.Strings(d.UnknownModels)
	return d
}
