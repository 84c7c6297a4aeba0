package report

import (
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/internal/numfmt"
)

// SchemaVersion is the version of the JSON document. Fields may be added
// within a version; existing fields keep their meaning.
const SchemaVersion = 1

// Money is a USD amount, written to JSON as an exact decimal number (token
// counts times rates with at most 6 decimals per 1M tokens, so a handful
// of decimals): saved reports merge and compare without rounding drift.
type Money struct{ decimal.Decimal }

// MarshalJSON writes the amount as a JSON number.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number.
func (m *Money) UnmarshalJSON(b []byte) error { return m.Decimal.UnmarshalJSON(b) }

// Tokens are token counts by kind; TotalInput sums the four input kinds.
type Tokens struct {
	Input        int64 `json:"input"`
	CacheRead    int64 `json:"cache_read"`
	CacheWrite5m int64 `json:"cache_write_5m"`
	CacheWrite1h int64 `json:"cache_write_1h"`
	Output       int64 `json:"output"`
	Reasoning    int64 `json:"reasoning"`
	TotalInput   int64 `json:"total_input"`
}

// CostByKind splits a cost by token kind.
type CostByKind struct {
	Input        Money `json:"input"`
	CacheRead    Money `json:"cache_read"`
	CacheWrite5m Money `json:"cache_write_5m"`
	CacheWrite1h Money `json:"cache_write_1h"`
	Output       Money `json:"output"`
}

// Row is one line of a breakdown.
type Row struct {
	// Key maps each dimension name to this row's value ("" = not set).
	Key      map[string]string `json:"key"`
	Requests int64             `json:"requests"`
	Tokens   Tokens            `json:"tokens"`
	CostUSD  Money             `json:"cost_usd"`
	// CostShare is this row's share of the report's total cost (0..1).
	CostShare float64 `json:"cost_share"`
	// UnpricedRequests could not be priced and are not in CostUSD.
	UnpricedRequests int64 `json:"unpriced_requests"`
	// ChargedUSD is money the vendor billed (billing exports), apart from
	// the computed CostUSD; absent when the inputs carry no billed amounts.
	ChargedUSD *Money `json:"charged_usd,omitempty"`
	// TierFallbackRequests were priced at standard rates because the model
	// has no price for the tier they were served at.
	TierFallbackRequests int64 `json:"tier_fallback_requests,omitempty"`
	// RegionDefaultRequests were priced at the model's default rates
	// although it has per-AWS-Region prices (Bedrock), because their Region
	// is unknown or has no price in the catalog; a billing line item that
	// counts no request (AWS CUR) counts one.
	RegionDefaultRequests int64 `json:"region_default_requests,omitempty"`
}

// Breakdown is a table of rows grouped by dimensions.
type Breakdown struct {
	Dims []string `json:"dims"`
	Rows []Row    `json:"rows"`
}

// Totals summarise the whole report.
type Totals struct {
	Requests   int64      `json:"requests"`
	Tokens     Tokens     `json:"tokens"`
	CostUSD    Money      `json:"cost_usd"`
	CostByKind CostByKind `json:"cost_by_kind_usd"`
	// CacheHitShare is cache-read tokens over all input tokens (0..1).
	CacheHitShare float64 `json:"cache_hit_share"`
	// OutputInputRatio is output tokens over all input tokens.
	OutputInputRatio float64 `json:"output_input_ratio"`
	UnpricedRequests int64   `json:"unpriced_requests"`
	// ChargedUSD is money billed by the vendor (billing exports); absent
	// when the inputs carry none.
	ChargedUSD *Money `json:"charged_usd,omitempty"`
}

// Coverage says how much of the input was priced.
type Coverage struct {
	Lines int64 `json:"lines"`
	// Records describe calls; Priced + UnknownModel + NoPrice + NoUsage +
	// Filtered = Records.
	Records      int64 `json:"records"`
	Priced       int64 `json:"priced"`
	UnknownModel int64 `json:"unknown_model"`
	NoPrice      int64 `json:"no_price"`
	NoUsage      int64 `json:"no_usage"`
	Filtered     int64 `json:"filtered"`
	// NotBilled lines are well-formed but describe no billable call.
	NotBilled int64 `json:"not_billed"`
	// Duplicates are records of a call already counted (e.g. Claude Code
	// logs one line per content block of a message).
	Duplicates      int64 `json:"duplicates"`
	Malformed       int64 `json:"malformed"`
	UnreadableFiles int64 `json:"unreadable_files"`
	// Charged counts records that carry a billed amount (billing exports).
	Charged int64 `json:"charged,omitempty"`
	// Bill accounts for billing exports: what share of the money charged
	// the report attributes to a model; absent when no input is a bill.
	Bill *BillCoverage `json:"bill,omitempty"`
}

// BillCoverage says how much of a bill the report attributes to models.
// Line items are the billing records that carry a charged amount (a CUR
// line item, a cost row). Charges before credits are KnownModel +
// UnknownModel + NoModel; with Credits they make ChargedUSD.
type BillCoverage struct {
	// ChargedUSD is all money charged, credits deducted
	// (totals.charged_usd; 0 for a usage export, which carries tokens).
	ChargedUSD Money `json:"charged_usd"`
	// KnownModel is charged on a model the catalog knows (priced or not at
	// its date); KnownModelShare is its share of the charges before
	// credits (0..1).
	KnownModelUSD   Money   `json:"known_model_usd"`
	KnownModelItems int64   `json:"known_model_items"`
	KnownModelShare float64 `json:"known_model_share"`
	// UnknownModel is charged on a model the catalog does not know (listed
	// under unpriced when it has usage).
	UnknownModelUSD   Money `json:"unknown_model_usd"`
	UnknownModelItems int64 `json:"unknown_model_items"`
	// NoModel is charged on no model: taxes, fees, non-token charges
	// (guardrails, provisioned throughput), cost rows exported without a
	// model.
	NoModelUSD   Money `json:"no_model_usd"`
	NoModelItems int64 `json:"no_model_items"`
	// Credits are amounts that reduce the bill (credits, refunds,
	// discounts), negative.
	CreditsUSD   Money `json:"credits_usd"`
	CreditsItems int64 `json:"credits_items"`
	// LeftAside counts well-formed lines of billing inputs that carry
	// nothing billed for LLM use: other services' rows of a whole-account
	// Cost and Usage Report, rows without usage or cost, empty pages.
	LeftAside int64 `json:"left_aside"`
}

// billSums are a BillCoverage's amounts (1e-9 USD) and item counts.
type billSums struct {
	known, unknown, noModel, credits            int64
	knownN, unknownN, noModelN, creditsN, aside int64
}

func (b *BillCoverage) sums() billSums {
	nano := func(m Money) int64 { return m.Shift(9).IntPart() }
	return billSums{nano(b.KnownModelUSD), nano(b.UnknownModelUSD), nano(b.NoModelUSD), nano(b.CreditsUSD),
		b.KnownModelItems, b.UnknownModelItems, b.NoModelItems, b.CreditsItems, b.LeftAside}
}

func (s billSums) add(o billSums) billSums {
	return billSums{s.known + o.known, s.unknown + o.unknown, s.noModel + o.noModel, s.credits + o.credits,
		s.knownN + o.knownN, s.unknownN + o.unknownN, s.noModelN + o.noModelN, s.creditsN + o.creditsN, s.aside + o.aside}
}

// bill returns the coverage of these sums, with totals and share.
func (s billSums) bill() *BillCoverage {
	m := func(n int64) Money { return Money{decimal.New(n, -9)} }
	b := &BillCoverage{
		ChargedUSD:    m(s.known + s.unknown + s.noModel + s.credits),
		KnownModelUSD: m(s.known), KnownModelItems: s.knownN,
		UnknownModelUSD: m(s.unknown), UnknownModelItems: s.unknownN,
		NoModelUSD: m(s.noModel), NoModelItems: s.noModelN,
		CreditsUSD: m(s.credits), CreditsItems: s.creditsN,
		LeftAside: s.aside,
	}
	b.KnownModelShare = share(b.KnownModelUSD.Decimal, decimal.New(s.known+s.unknown+s.noModel, -9))
	return b
}

// Input describes one input file.
type Input struct {
	Path       string `json:"path"`
	Format     string `json:"format"`
	Bytes      int64  `json:"bytes"`
	Lines      int64  `json:"lines"`
	Records    int64  `json:"records"`
	NotBilled  int64  `json:"not_billed"`
	Duplicates int64  `json:"duplicates"`
	Malformed  int64  `json:"malformed"`
	Error      string `json:"error,omitempty"`
}

// Unpriced lists a model whose calls have no price.
type Unpriced struct {
	Model    string `json:"model"`
	Provider string `json:"provider"`
	Reason   string `json:"reason"`
	Requests int64  `json:"requests"`
	Tokens   Tokens `json:"tokens"`
}

// Problem is a malformed line or unreadable file.
type Problem struct {
	File  string `json:"file"`
	Line  int64  `json:"line"`
	Error string `json:"error"`
}

// Period is the first and last day (UTC, YYYY-MM-DD) with calls.
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Report is the analyze document.
type Report struct {
	SchemaVersion int         `json:"schema_version"`
	Kind          string      `json:"kind"`
	Period        Period      `json:"period"`
	Inputs        []Input     `json:"inputs"`
	Coverage      Coverage    `json:"coverage"`
	Totals        Totals      `json:"totals"`
	ByModel       Breakdown   `json:"by_model"`
	ByProvider    Breakdown   `json:"by_provider"`
	ByTier        Breakdown   `json:"by_tier"`
	ByDay         Breakdown   `json:"by_day"`
	ByUser        Breakdown   `json:"by_user"`
	ByProject     Breakdown   `json:"by_project"`
	ByTag         []Breakdown `json:"by_tag"`
	// Groups is the --group-by breakdown, null when not asked for.
	Groups *Breakdown `json:"groups"`
	// TopDrivers are the costliest rows of Groups, or without --group-by of
	// the model × project × user breakdown (dimensions no record carries are
	// left out).
	TopDrivers Breakdown  `json:"top_drivers"`
	Unpriced   []Unpriced `json:"unpriced"`
	// Waste lists avoidable spend the log shows, with the estimated saving
	// of each remedy, largest first.
	Waste    []Waste   `json:"waste"`
	NoUsage  []NoUsage `json:"no_usage"`
	Problems []Problem `json:"problems"`
	// ProblemsTotal counts every problem; Problems keeps the first ones.
	ProblemsTotal int64    `json:"problems_total"`
	Warnings      []string `json:"warnings"`
	// drivers is the whole drivers breakdown, kept for BuildPartial.
	drivers Breakdown
	// dayModel is day × model, for the HTML report's cost over time (not
	// in the JSON document: saved reports fall back to Groups or ByDay).
	dayModel Breakdown

	// Partial marks a report made with --partial, meant to be merged
	// (llmcost merge). Drivers, present only then, is the whole model ×
	// project × user breakdown, so that merged top drivers are exact.
	Partial bool       `json:"partial,omitempty"`
	Drivers *Breakdown `json:"drivers,omitempty"`
}

// MaxProblems is how many problems a report lists (all are counted).
const MaxProblems = 1000

// Waste is one finding of the waste finder.
type Waste struct {
	// Kind is history_resend, duplicate_requests, uncached_system_prompts,
	// no_max_tokens or verbose_outputs.
	Kind     string `json:"kind"`
	Requests int64  `json:"requests"`
	// SpendUSD is what the concerned calls cost (0 where not meaningful);
	// SavingUSD the estimated saving of the remedy.
	SpendUSD  Money  `json:"spend_usd"`
	SavingUSD Money  `json:"saving_usd"`
	Detail    string `json:"detail"`
	// Partial is set when memory bounds stopped tracking (huge logs), or
	// for merged reports, where repeats across shards are not seen.
	Partial bool `json:"partial,omitempty"`
}

// NoUsage counts records of a model that carried no usage.
type NoUsage struct {
	Model    string `json:"model"`
	Requests int64  `json:"requests"`
}

// TopDriverCount is how many rows TopDrivers holds at most.
const TopDriverCount = 10

func tokens(u cost.Usage) Tokens {
	return Tokens{Input: u.Input, CacheRead: u.CacheRead, CacheWrite5m: u.CacheWrite5m, CacheWrite1h: u.CacheWrite1h,
		Output: u.Output, Reasoning: u.Reasoning, TotalInput: u.TotalInput()}
}

func share(part, whole decimal.Decimal) float64 {
	if whole.IsZero() {
		return 0
	}
	f, _ := part.Div(whole).Round(6).Float64()
	return f
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	f, _ := decimal.NewFromInt(a).Div(decimal.NewFromInt(b)).Round(6).Float64()
	return f
}

// charged is the billed money of u, nil when none of its records had any.
func charged(u cost.Usage) *Money {
	if u.Charged == 0 {
		return nil
	}
	return &Money{decimal.New(u.ChargedNano, -9)}
}

func breakdown(b cost.Breakdown, total decimal.Decimal) Breakdown {
	out := Breakdown{Dims: b.Dims, Rows: []Row{}}
	for _, l := range b.Lines {
		key := make(map[string]string, len(b.Dims))
		for i, d := range b.Dims {
			key[d] = l.Key[i]
		}
		c := l.Total()
		out.Rows = append(out.Rows, Row{Key: key, Requests: l.Usage.Requests, Tokens: tokens(l.Usage), CostUSD: Money{c},
			CostShare: share(c, total), UnpricedRequests: l.Unpriced.Requests, TierFallbackRequests: l.TierFallback,
			RegionDefaultRequests: l.RegionDefault, ChargedUSD: charged(l.Usage)})
	}
	return out
}

// Build assembles the analyze report from a cost summary and ingest stats.
func Build(s *cost.Summary, st *ingest.Stats) *Report {
	total := s.Total.Total()
	r := &Report{SchemaVersion: SchemaVersion, Kind: "analyze", ByTag: []Breakdown{}, Unpriced: []Unpriced{}, Waste: []Waste{},
		NoUsage: []NoUsage{}, Problems: []Problem{}, Warnings: []string{}, Inputs: []Input{}}
	r.Totals = Totals{
		Requests: s.Total.Usage.Requests,
		Tokens:   tokens(s.Total.Usage),
		CostUSD:  Money{total},
		CostByKind: CostByKind{Input: Money{s.Total.Cost[cost.KindInput]}, CacheRead: Money{s.Total.Cost[cost.KindCacheRead]},
			CacheWrite5m: Money{s.Total.Cost[cost.KindCacheWrite5m]}, CacheWrite1h: Money{s.Total.Cost[cost.KindCacheWrite1h]},
			Output: Money{s.Total.Cost[cost.KindOutput]}},
		CacheHitShare:    ratio(s.Total.Usage.CacheRead, s.Total.Usage.TotalInput()),
		OutputInputRatio: ratio(s.Total.Usage.Output, s.Total.Usage.TotalInput()),
		UnpricedRequests: s.Total.Unpriced.Requests,
		ChargedUSD:       charged(s.Total.Usage),
	}
	r.Coverage.Charged = s.Total.Usage.Charged
	r.ByModel = breakdown(s.ByModel, total)
	r.ByProvider = breakdown(s.ByProvider, total)
	r.ByTier = breakdown(s.ByTier, total)
	r.ByDay = breakdown(s.ByDay, total)
	r.ByUser = breakdown(s.ByUser, total)
	r.ByProject = breakdown(s.ByProject, total)
	for _, b := range s.ByTag {
		r.ByTag = append(r.ByTag, breakdown(b, total))
	}
	drivers := trimDims(breakdown(s.Drivers, total))
	if s.Groups != nil {
		g := breakdown(*s.Groups, total)
		r.Groups = &g
		drivers = g
	}
	r.TopDrivers = topDrivers(drivers)
	for _, l := range s.ByDay.Lines {
		if d := l.Key[0]; d != "" {
			if r.Period.From == "" || d < r.Period.From {
				r.Period.From = d
			}
			if d > r.Period.To {
				r.Period.To = d
			}
		}
	}
	for _, u := range s.Unpriced {
		r.Unpriced = append(r.Unpriced, Unpriced{Model: u.Model, Provider: u.Provider, Reason: u.Reason, Requests: u.Usage.Requests, Tokens: tokens(u.Usage)})
		if u.Reason == "unknown model" {
			r.Coverage.UnknownModel += u.Usage.Requests
		} else {
			r.Coverage.NoPrice += u.Usage.Requests
		}
	}
	models := make([]string, 0, len(s.NoUsage))
	for m, n := range s.NoUsage {
		models = append(models, m)
		r.Coverage.NoUsage += n
	}
	sort.Strings(models)
	for _, m := range models {
		r.NoUsage = append(r.NoUsage, NoUsage{Model: m, Requests: s.NoUsage[m]})
	}
	r.Coverage.Priced = s.Total.Usage.Requests - s.Total.Unpriced.Requests
	r.Coverage.Filtered = s.Filtered
	bills, leftAside := false, int64(0)
	if st != nil {
		for _, f := range st.Files {
			r.Inputs = append(r.Inputs, Input{Path: f.Path, Format: f.Format, Bytes: f.Bytes, Lines: f.Lines, Records: f.Records,
				NotBilled: f.NotBilled, Duplicates: f.Duplicates, Malformed: f.Malformed, Error: f.Err})
			if f.Err != "" {
				r.Coverage.UnreadableFiles++
			}
			if fm, err := ingest.LookupFormat(f.Format); err == nil && fm.Billing {
				bills = true
				leftAside += f.NotBilled
			}
		}
		t := st.Totals()
		r.Coverage.Lines, r.Coverage.Records, r.Coverage.NotBilled, r.Coverage.Malformed = t.Lines, t.Records, t.NotBilled, t.Malformed
		r.Coverage.Duplicates = t.Duplicates
		for _, p := range st.Problems {
			r.Problems = append(r.Problems, Problem{File: p.File, Line: p.Line, Error: p.Err.Error()})
		}
		r.ProblemsTotal = st.ProblemsTotal
	}
	if ch := s.Charges; bills || ch.Known.Items+ch.Unknown.Items+ch.NoModel.Items+ch.Credits.Items > 0 {
		r.Coverage.Bill = billSums{ch.Known.Nano, ch.Unknown.Nano, ch.NoModel.Nano, ch.Credits.Nano,
			ch.Known.Items, ch.Unknown.Items, ch.NoModel.Items, ch.Credits.Items, leftAside}.bill()
	}
	for _, f := range s.Findings {
		r.Waste = append(r.Waste, Waste{Kind: f.Kind, Requests: f.Requests, SpendUSD: Money{f.Spend}, SavingUSD: Money{f.Saving}, Detail: f.Detail, Partial: f.Partial})
	}
	r.Warnings = r.derivedWarnings()
	r.drivers = breakdown(s.Drivers, total)
	r.dayModel = breakdown(s.ByDayModel, total)
	return r
}

// BuildPartial is Build for a report meant to be merged: it keeps the whole
// drivers breakdown.
func BuildPartial(s *cost.Summary, st *ingest.Stats) *Report {
	r := Build(s, st)
	r.Partial = true
	r.Drivers = &r.drivers
	return r
}

// derivedWarnings are the warnings that follow from the report's own
// figures (so a merged report states them for the whole).
func (r *Report) derivedWarnings() []string {
	w := []string{}
	for _, row := range r.ByDay.Rows {
		if row.Key["day"] == "" {
			w = append(w, plural(row.Requests, "request")+" without a timestamp (response bodies carry none): priced at the newest catalog price")
		}
	}
	var fallback int64
	for _, row := range r.ByModel.Rows {
		fallback += row.TierFallbackRequests
	}
	if fallback > 0 {
		w = append(w, plural(fallback, "request")+" priced at standard rates: the model has no price for the tier they were served at")
	}
	var regional int64
	var models []string
	for _, row := range r.ByModel.Rows {
		if row.RegionDefaultRequests > 0 {
			regional += row.RegionDefaultRequests
			models = append(models, row.Key["model"])
		}
	}
	if regional > 0 {
		sort.Strings(models)
		w = append(w, regionDefaultWarning(regional, models))
	}
	return w
}

func regionDefaultWarning(n int64, models []string) string {
	return plural(n, "request") + " priced at their model's default rates: the catalog prices " +
		strings.Join(models, ", ") + " per AWS Region, and their Region is unknown or has no price listed"
}

// trimDims leaves out the dimensions that are empty in every row (the
// drivers of logs without users or projects rank models alone). The first
// dimension always stays.
func trimDims(b Breakdown) Breakdown {
	var dims []string
	for i, d := range b.Dims {
		keep := i == 0
		for _, r := range b.Rows {
			keep = keep || r.Key[d] != ""
		}
		if keep {
			dims = append(dims, d)
		}
	}
	if len(dims) == len(b.Dims) {
		return b
	}
	out := Breakdown{Dims: dims, Rows: make([]Row, len(b.Rows))}
	for i, r := range b.Rows {
		key := make(map[string]string, len(dims))
		for _, d := range dims {
			key[d] = r.Key[d]
		}
		r.Key = key
		out.Rows[i] = r
	}
	return out
}

func topDrivers(b Breakdown) Breakdown {
	out := Breakdown{Dims: b.Dims, Rows: []Row{}}
	for _, row := range b.Rows {
		if len(out.Rows) == TopDriverCount {
			break
		}
		if row.CostUSD.IsZero() {
			continue
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

func plural(n int64, word string) string {
	s := formatInt(n) + " " + word
	if n != 1 {
		s += "s"
	}
	return s
}

// formatInt writes n with thousands separators.
func formatInt(n int64) string { return numfmt.Int(n) }
