package reconcile

import (
	"regexp"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/report"
)

// SchemaVersion is the version of the reconcile JSON document; fields may
// be added within a version, existing ones keep their meaning.
const SchemaVersion = 1

// Classes, in the order reports list them.
const (
	ClassMissingFromLogs = "missing_from_logs"
	ClassPriceDrift      = "price_drift"
	ClassMissingFromBill = "missing_from_bill"
	ClassUnattributed    = "unattributed"
	ClassMatched         = "matched"
)

// classOrder is the order of the class tables.
var classOrder = []string{ClassMissingFromLogs, ClassPriceDrift, ClassMissingFromBill, ClassUnattributed, ClassMatched}

// classTitles name the classes for people.
var classTitles = map[string]string{
	ClassMissingFromLogs: "Missing from the logs (untracked spend)",
	ClassPriceDrift:      "Price drift (same tokens, different money)",
	ClassMissingFromBill: "Missing from the bill",
	ClassUnattributed:    "Bill charges without a model",
	ClassMatched:         "Matched",
}

// Doc is the reconcile document (--format json).
type Doc struct {
	SchemaVersion int    `json:"schema_version"`
	Kind          string `json:"kind"`
	// Period spans the days of both sides.
	Period    report.Period `json:"period"`
	Tolerance Tolerance     `json:"tolerance"`
	Logs      Side          `json:"logs"`
	Bill      Side          `json:"bill"`
	Totals    Totals        `json:"totals"`
	// One list per class, each sorted by day then model.
	MissingFromLogs []Row    `json:"missing_from_logs"`
	PriceDrift      []Row    `json:"price_drift"`
	MissingFromBill []Row    `json:"missing_from_bill"`
	Unattributed    []Row    `json:"unattributed"`
	Matched         []Row    `json:"matched"`
	Warnings        []string `json:"warnings"`
}

// Tolerance is what counts as matching: a difference of at most USD, or
// of at most Pct percent of the billed amount (tokens: of the billed
// tokens).
type Tolerance struct {
	Pct float64      `json:"pct"`
	USD report.Money `json:"usd"`
}

// Side describes the logs or the bill.
type Side struct {
	Inputs   []report.Input  `json:"inputs"`
	Coverage report.Coverage `json:"coverage"`
	Period   report.Period   `json:"period"`
	// TotalUSD is the logged cost (logs) or the billed amount (bill) of the
	// reconciled days.
	TotalUSD report.Money `json:"total_usd"`
	Requests int64        `json:"requests"`
	Tokens   int64        `json:"tokens"`
}

// Totals sum the rows.
type Totals struct {
	LoggedUSD report.Money `json:"logged_usd"`
	BilledUSD report.Money `json:"billed_usd"`
	// DifferenceUSD is BilledUSD − LoggedUSD.
	DifferenceUSD report.Money `json:"difference_usd"`
	// UntrackedUSD is what the bill charged beyond the logs on the rows
	// missing from the logs; UntrackedPct its share of BilledUSD, in
	// percent.
	UntrackedUSD report.Money `json:"untracked_usd"`
	UntrackedPct float64      `json:"untracked_pct"`
	// UnbilledUSD is what the logs priced beyond the bill on the rows
	// missing from the bill.
	UnbilledUSD report.Money `json:"unbilled_usd"`
	// DriftUSD is billed − logged over the price-drift rows.
	DriftUSD report.Money `json:"drift_usd"`
	// UnattributedUSD is billed money of bill lines without a model.
	UnattributedUSD report.Money `json:"unattributed_usd"`
	// ByClass sums each class.
	ByClass map[string]ClassTotal `json:"by_class"`
}

// ClassTotal sums the rows of a class.
type ClassTotal struct {
	Rows          int          `json:"rows"`
	LoggedUSD     report.Money `json:"logged_usd"`
	BilledUSD     report.Money `json:"billed_usd"`
	DifferenceUSD report.Money `json:"difference_usd"`
}

// Row is one day × model.
type Row struct {
	Day   string `json:"day"`
	Model string `json:"model"`
	Class string `json:"class"`
	// LoggedUSD is the catalog price of the logged calls; BilledUSD what
	// the bill charged, or, for bill lines without money (usage exports),
	// the catalog price of the billed tokens (BilledSource "computed").
	LoggedUSD     report.Money `json:"logged_usd"`
	BilledUSD     report.Money `json:"billed_usd"`
	DifferenceUSD report.Money `json:"difference_usd"`
	// BilledSource is "charged", "computed", or "" when the bill has no
	// line for the row.
	BilledSource   string `json:"billed_source"`
	LoggedRequests int64  `json:"logged_requests"`
	BilledRequests int64  `json:"billed_requests"`
	// Tokens are every input and output token; BilledTokens is null when
	// the bill counts none for the row (a costs export alone).
	LoggedTokens int64  `json:"logged_tokens"`
	BilledTokens *int64 `json:"billed_tokens"`
	// For price drift: the logged cost and the billed amount per million
	// tokens (rounded to 6 decimals), and how much the bill's unit price
	// is above (+) or below (−) the catalog's, in percent.
	CatalogUSDPer1M *report.Money `json:"catalog_usd_per_1m,omitempty"`
	ChargedUSDPer1M *report.Money `json:"charged_usd_per_1m,omitempty"`
	DriftPct        *float64      `json:"drift_pct,omitempty"`
	// LoggedUnpricedRequests were logged with a model the catalog has no
	// price for: they count as $0 in LoggedUSD.
	LoggedUnpricedRequests int64 `json:"logged_unpriced_requests,omitempty"`
}

// side is one report's day × model rows.
type side struct {
	rows map[key]*cell
	// noDay sums the rows without a timestamp.
	noDay        cell
	requests     int64
	tokens       int64
	total        decimal.Decimal
	unpricedName map[string]int64
}

type key struct{ day, model string }

type cell struct {
	cost, charged    decimal.Decimal
	hasCharged       bool
	requests, tokens int64
	unpriced         int64
	n                int // report rows folded in
}

// amount is what a bill cell charged, else the catalog price of its
// tokens; for logs, the catalog price.
func (c *cell) amount(bill bool) decimal.Decimal {
	if bill && c.hasCharged {
		return c.charged
	}
	return c.cost
}

// bedrockProfile is a Bedrock cross-Region inference-profile prefix: the
// routing, not the model, so both sides compare without it.
var bedrockProfile = regexp.MustCompile(`^(us|eu|apac|jp|au|ca|us-gov|global)\.([a-z0-9-]+\.)`)

// modelKey normalises a catalog model id for matching across the sides.
func modelKey(m string) string {
	if loc := bedrockProfile.FindStringSubmatchIndex(m); loc != nil {
		return m[loc[4]:]
	}
	return m
}

// unattributable reports whether a bill model is a placeholder for money
// of no model ("(no model)", "(credit)", "(tax)", "(non-token charges)",
// "(no model: export grouped by model)").
func unattributable(m string) bool { return strings.HasPrefix(m, "(") }

// collect reads the day × model rows of an analyze report.
func collect(rep *report.Report, bill bool) *side {
	s := &side{rows: map[key]*cell{}, unpricedName: map[string]int64{}, total: decimal.Zero}
	s.noDay = cell{cost: decimal.Zero, charged: decimal.Zero}
	if rep.Groups == nil {
		return s
	}
	for _, r := range rep.Groups.Rows {
		c := &s.noDay
		if day := r.Key["day"]; day != "" {
			k := key{day, modelKey(r.Key["model"])}
			c = s.rows[k]
			if c == nil {
				c = &cell{cost: decimal.Zero, charged: decimal.Zero}
				s.rows[k] = c
			}
		}
		c.cost = c.cost.Add(r.CostUSD.Decimal)
		if r.ChargedUSD != nil {
			c.charged = c.charged.Add(r.ChargedUSD.Decimal)
			c.hasCharged = true
		}
		c.requests += r.Requests
		c.tokens += r.Tokens.TotalInput + r.Tokens.Output
		c.unpriced += r.UnpricedRequests
		c.n++
		if r.UnpricedRequests > 0 && !bill {
			s.unpricedName[r.Key["model"]] += r.UnpricedRequests
		}
	}
	for _, c := range s.rows {
		s.requests += c.requests
		s.tokens += c.tokens
		s.total = s.total.Add(c.amount(bill))
	}
	return s
}

// within reports whether diff is within tolerance of base.
func (t Tolerance) within(diff, base decimal.Decimal) bool {
	d := diff.Abs()
	if d.LessThanOrEqual(t.USD.Decimal) {
		return true
	}
	return d.LessThanOrEqual(base.Abs().Mul(decimal.NewFromFloat(t.Pct)).Shift(-2))
}

// tokensWithin reports whether two token counts agree within Pct percent
// of the billed count.
func (t Tolerance) tokensWithin(logged, billed int64) bool {
	d := logged - billed
	if d < 0 {
		d = -d
	}
	return decimal.NewFromInt(d).LessThanOrEqual(decimal.NewFromInt(billed).Mul(decimal.NewFromFloat(t.Pct)).Shift(-2))
}

// Compute reconciles an analyze report of the logs with one of the bill,
// both grouped by day and model.
func Compute(logs, bill *report.Report, tol Tolerance) *Doc {
	ls, bs := collect(logs, false), collect(bill, true)
	d := &Doc{SchemaVersion: SchemaVersion, Kind: "reconcile", Tolerance: tol,
		MissingFromLogs: []Row{}, PriceDrift: []Row{}, MissingFromBill: []Row{}, Unattributed: []Row{}, Matched: []Row{},
		Warnings: []string{}}
	d.Logs = Side{Inputs: logs.Inputs, Coverage: logs.Coverage, Period: logs.Period, TotalUSD: report.Money{Decimal: ls.total},
		Requests: ls.requests, Tokens: ls.tokens}
	d.Bill = Side{Inputs: bill.Inputs, Coverage: bill.Coverage, Period: bill.Period, TotalUSD: report.Money{Decimal: bs.total},
		Requests: bs.requests, Tokens: bs.tokens}

	keys := map[key]bool{}
	for k := range ls.rows {
		keys[k] = true
	}
	for k := range bs.rows {
		keys[k] = true
	}
	sorted := make([]key, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].day != sorted[j].day {
			return sorted[i].day < sorted[j].day
		}
		return sorted[i].model < sorted[j].model
	})

	zero := decimal.Zero
	t := Totals{LoggedUSD: report.Money{Decimal: zero}, BilledUSD: report.Money{Decimal: zero}, ByClass: map[string]ClassTotal{}}
	untracked, unbilled, drift, unattributed := zero, zero, zero, zero
	for _, c := range classOrder {
		t.ByClass[c] = ClassTotal{LoggedUSD: report.Money{Decimal: zero}, BilledUSD: report.Money{Decimal: zero}, DifferenceUSD: report.Money{Decimal: zero}}
	}
	for _, k := range sorted {
		l, b := ls.rows[k], bs.rows[k]
		r := Row{Day: k.day, Model: k.model}
		logged, billed := zero, zero
		if l != nil {
			logged = l.amount(false)
			r.LoggedRequests, r.LoggedTokens, r.LoggedUnpricedRequests = l.requests, l.tokens, l.unpriced
		}
		if b != nil {
			billed = b.amount(true)
			r.BilledRequests = b.requests
			r.BilledSource = "computed"
			if b.hasCharged {
				r.BilledSource = "charged"
			}
			if b.tokens > 0 {
				n := b.tokens
				r.BilledTokens = &n
			}
		}
		diff := billed.Sub(logged)
		r.LoggedUSD, r.BilledUSD, r.DifferenceUSD = report.Money{Decimal: logged}, report.Money{Decimal: billed}, report.Money{Decimal: diff}
		switch {
		case b != nil && unattributable(k.model):
			r.Class = ClassUnattributed
			unattributed = unattributed.Add(billed)
		case l == nil:
			r.Class = ClassMissingFromLogs
			untracked = untracked.Add(diff)
		case b == nil:
			r.Class = ClassMissingFromBill
			unbilled = unbilled.Sub(diff)
		case tol.within(diff, billed):
			r.Class = ClassMatched
		case r.BilledTokens != nil && r.LoggedTokens > 0 && tol.tokensWithin(r.LoggedTokens, *r.BilledTokens):
			r.Class = ClassPriceDrift
			drift = drift.Add(diff)
			cat := logged.Div(decimal.NewFromInt(r.LoggedTokens)).Shift(6).Round(6)
			ch := billed.Div(decimal.NewFromInt(*r.BilledTokens)).Shift(6).Round(6)
			r.CatalogUSDPer1M, r.ChargedUSDPer1M = &report.Money{Decimal: cat}, &report.Money{Decimal: ch}
			if !cat.IsZero() {
				p, _ := ch.Sub(cat).Div(cat).Shift(2).Round(2).Float64()
				r.DriftPct = &p
			}
		case diff.IsPositive():
			r.Class = ClassMissingFromLogs
			untracked = untracked.Add(diff)
		default:
			r.Class = ClassMissingFromBill
			unbilled = unbilled.Sub(diff)
		}
		ct := t.ByClass[r.Class]
		ct.Rows++
		ct.LoggedUSD.Decimal = ct.LoggedUSD.Add(logged)
		ct.BilledUSD.Decimal = ct.BilledUSD.Add(billed)
		ct.DifferenceUSD.Decimal = ct.DifferenceUSD.Add(diff)
		t.ByClass[r.Class] = ct
		t.LoggedUSD.Decimal = t.LoggedUSD.Add(logged)
		t.BilledUSD.Decimal = t.BilledUSD.Add(billed)
		switch r.Class {
		case ClassMissingFromLogs:
			d.MissingFromLogs = append(d.MissingFromLogs, r)
		case ClassPriceDrift:
			d.PriceDrift = append(d.PriceDrift, r)
		case ClassMissingFromBill:
			d.MissingFromBill = append(d.MissingFromBill, r)
		case ClassUnattributed:
			d.Unattributed = append(d.Unattributed, r)
		default:
			d.Matched = append(d.Matched, r)
		}
		if d.Period.From == "" || k.day < d.Period.From {
			d.Period.From = k.day
		}
		if k.day > d.Period.To {
			d.Period.To = k.day
		}
	}
	t.DifferenceUSD = report.Money{Decimal: t.BilledUSD.Sub(t.LoggedUSD.Decimal)}
	t.UntrackedUSD, t.UnbilledUSD = report.Money{Decimal: untracked}, report.Money{Decimal: unbilled}
	t.DriftUSD, t.UnattributedUSD = report.Money{Decimal: drift}, report.Money{Decimal: unattributed}
	if t.BilledUSD.IsPositive() {
		t.UntrackedPct, _ = untracked.Div(t.BilledUSD.Decimal).Shift(2).Round(2).Float64()
	}
	d.Totals = t
	d.Warnings = warnings(d, ls, bs)
	return d
}

// billingFormats are the input formats of billing exports
// (pkg/ingest/billing_*.go).
var billingFormats = map[string]bool{
	"openai-usage": true, "openai-costs": true, "openai-usage-csv": true, "openai-costs-csv": true,
	"anthropic-usage": true, "anthropic-cost": true, "aws-cur": true,
}

// sameBill are formats that export the same bill: given together, it
// counts twice.
var sameBill = [][2]string{{"openai-usage", "openai-usage-csv"}, {"openai-costs", "openai-costs-csv"}}

func warnings(d *Doc, ls, bs *side) []string {
	w := []string{}
	formats := func(in []report.Input, billing bool) (ids []string, all map[string]bool) {
		all = map[string]bool{}
		for _, i := range in {
			if i.Format != "" && billingFormats[i.Format] == billing && !all[i.Format] {
				ids = append(ids, i.Format)
			}
			all[i.Format] = true
		}
		sort.Strings(ids)
		return ids, all
	}
	if ids, _ := formats(d.Logs.Inputs, true); len(ids) > 0 {
		w = append(w, "the logs hold billing exports ("+strings.Join(ids, ", ")+"): give them with --bill")
	}
	ids, all := formats(d.Bill.Inputs, false)
	if len(ids) > 0 {
		w = append(w, "the bill holds request logs ("+strings.Join(ids, ", ")+"): give them with --logs")
	}
	for _, p := range sameBill {
		if all[p[0]] && all[p[1]] {
			w = append(w, "the bill holds both "+p[0]+" and "+p[1]+": if they export the same period, it counts twice")
		}
	}
	if ls.noDay.n > 0 && ls.noDay.requests > 0 {
		w = append(w, plural(ls.noDay.requests, "logged request")+" without a timestamp ("+usd(ls.noDay.cost)+") cannot be matched to a bill day: left out")
	}
	if bs.noDay.n > 0 && (bs.noDay.tokens > 0 || bs.noDay.hasCharged) {
		w = append(w, "bill lines without a date ("+usd(bs.noDay.amount(true))+") cannot be matched to a day: left out")
	}
	names := make([]string, 0, len(ls.unpricedName))
	for m := range ls.unpricedName {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		w = append(w, plural(ls.unpricedName[m], "logged request")+" of "+m+verb(int(ls.unpricedName[m]), " has", " have")+" no catalog price: they count as $0 on the logs side (add the model with --pricing-file)")
	}
	var computed, tokenless int
	for _, rows := range [][]Row{d.MissingFromLogs, d.MissingFromBill, d.Matched, d.PriceDrift} {
		for _, r := range rows {
			if r.BilledSource == "computed" {
				computed++
			}
			if r.BilledSource == "charged" && r.BilledTokens == nil && r.LoggedTokens > 0 {
				tokenless++
			}
		}
	}
	if computed > 0 {
		w = append(w, plural(int64(computed), "bill row")+verb(computed, " carries", " carry")+" tokens but no money (a usage export): billed is the catalog price of the billed tokens, so price drift cannot show there (add the costs export)")
	}
	if tokenless > 0 {
		w = append(w, plural(int64(tokenless), "bill row")+verb(tokenless, " carries", " carry")+" money but no tokens (a costs export alone): price drift cannot be told from missing calls there (add the usage export)")
	}
	return w
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
