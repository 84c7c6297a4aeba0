package simulate

import (
	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/record"
)

// Stacking order: when scenarios are stacked, each request goes through
// them in this order, so that no saving is counted twice. A request
// answered from a semantic cache makes no call, so nothing after it
// applies; routing then picks the model; history trimming and output caps
// shrink what is sent and generated; prompt-cache discounts apply to the
// input that remains; the batch discount applies last, on top of cache
// prices where the provider allows it. Self-hosting comes after routing
// (it selects requests by their logged model, so a routed request is still
// served on the GPUs) and before the levers that shrink what is sent: a
// self-hosted request makes no per-token API call, so nothing after it
// applies to it; its GPU fleet is a fixed cost of the window.
const (
	OrderSemcache    = 10
	OrderRouting     = 20
	OrderSelfhost    = 25
	OrderHistory     = 30
	OrderOutput      = 40
	OrderPromptCache = 50
	OrderBatch       = 60
)

// Scenario is one saving lever. Its methods are called from one goroutine,
// except Worker.Apply, which the runner calls from each of its goroutines
// on that goroutine's own Worker.
type Scenario interface {
	// Name is the scenario's id ("batch"); Title names it for people.
	Name() string
	Title() string
	// Order places the scenario in the stack (Order* constants).
	Order() int
	// NeedsText reports whether the scenario reads request text, which
	// the runner then asks the reader for.
	NeedsText() bool
	// NewWorker returns the state of one goroutine; its ledgers are made
	// on b.
	NewWorker(b *Books) Worker
	// Summarize merges the state of workers this scenario made (for one
	// run: alone, or in the stack) and describes the outcome.
	Summarize(ws []Worker) Summary
}

// Worker applies a scenario to requests. It is used by one goroutine.
type Worker interface {
	// Apply rewrites req in place (model, tier, token counts, calls) and
	// reports whether it changed what the request pays for.
	Apply(req *Request) bool
}

// Preparer is a Scenario that needs a first pass over the log before it
// can apply (the output-length distribution of each model, a replay of the
// log in time order). Observers see request text when the scenario's
// NeedsText says so, and request ids when IDUser says so.
type Preparer interface {
	// NeedsPrepare reports whether a first pass is needed; Run asks it
	// once, when it starts.
	NeedsPrepare() bool
	// NewObserver returns the first pass's state for one goroutine.
	NewObserver() Observer
	// Prepare merges the observers; it is called once, after the first
	// pass and before any Worker is made.
	Prepare(obs []Observer) error
}

// MultiPass is a Preparer that needs more than one first pass (a statistic
// of the whole log, then a search that uses it): Run makes Passes() passes,
// each with new observers and ending with Prepare, before the simulation.
type MultiPass interface {
	Passes() int
}

// IDUser is a Scenario that reads request ids (Record.RequestID), which the
// runner then asks the reader for.
type IDUser interface {
	NeedsIDs() bool
}

// Observer sees every record with usage of a first pass; used by one
// goroutine. RequestKey(rec) names the record the same way in every pass.
type Observer interface {
	Observe(rec *record.Record)
}

// Unit is the unit of a figure or table column.
type Unit string

const (
	UnitUSD      Unit = "usd"
	UnitRequests Unit = "requests"
	UnitTokens   Unit = "tokens"
	UnitShare    Unit = "share" // 0..1, shown as a percentage
	UnitRatio    Unit = "ratio" // a plain number
	UnitCount    Unit = "count"
	UnitText     Unit = "" // table columns only
)

// Figure is one number a scenario reports (addressable spend, requests
// eligible, a bound).
type Figure struct {
	// Key is a stable snake_case id; Label says it for people.
	Key, Label string
	Unit       Unit
	Value      decimal.Decimal
	// Estimated marks a figure built on estimated counts.
	Estimated bool
	// Merge says how the figures of shards combine (llmcost merge); Of
	// names the numerator and denominator figures of a MergeRatio.
	Merge MergeRule
	Of    [2]string
}

// MergeRule says how a figure or a table column of shards combines.
type MergeRule uint8

const (
	// MergeAuto sums usd, requests, tokens and count values and leaves
	// shares and ratios out.
	MergeAuto MergeRule = iota
	// MergeSum sums.
	MergeSum
	// MergeMax takes the largest.
	MergeMax
	// MergeRatio divides two other figures of the merge (Figure.Of).
	MergeRatio
	// MergeNone: a statistic of each shard that does not combine (a
	// percentile); merged reports leave it out and say so.
	MergeNone
)

// Resolve returns the rule MergeAuto stands for with unit u.
func (m MergeRule) Resolve(u Unit) MergeRule {
	if m != MergeAuto {
		return m
	}
	switch u {
	case UnitUSD, UnitRequests, UnitTokens, UnitCount:
		return MergeSum
	case UnitText:
		return MergeAuto // the row's key
	}
	return MergeNone
}

func (m MergeRule) String() string {
	return [...]string{"auto", "sum", "max", "ratio", "none"}[m]
}

// Column is a table column. Text columns name a row; the others merge by
// Merge (sum for usd, requests, tokens, count).
type Column struct {
	Key, Label string
	Unit       Unit
	Merge      MergeRule
}

// Table is a scenario's detail table (requests by routing tier, output cap
// by model). Cells are strings for UnitText columns and decimal.Decimal
// otherwise; nil is an empty cell (no value).
type Table struct {
	Key, Title string
	Columns    []Column
	Rows       [][]any
}

// Summary is what a scenario says about its outcome, beyond the bill.
type Summary struct {
	Figures     []Figure
	Tables      []Table
	Assumptions []string
	// Estimated marks an outcome that rests on estimated token counts.
	Estimated bool
	// Warnings are things the reader must know (a setting that had no
	// data to work on).
	Warnings []string
	// Caveat qualifies the saving when it is not a figure to bank on its
	// own (routing without quality labels): renderers show it beside it.
	Caveat string
	// FixedCosts are costs of the simulated window that do not depend on
	// the tokens sent (self-hosted GPU instances, ops time). The runner
	// adds them to the scenario's bill, so its total includes them.
	FixedCosts []FixedCost
}

// FixedCost is a cost that does not depend on the tokens sent: instances
// paid for by the hour whether busy or not, a monthly cost prorated to the
// simulated window.
type FixedCost struct {
	// Key is a stable snake_case id ("gpu_instances"); Label says what it
	// is for people ("3 × g6e.12xlarge (aws), 168 h").
	Key, Label string
	// Quantity of Unit ("instance_hours", "months") at UnitUSD each;
	// CostUSD is what it adds to the bill.
	Quantity decimal.Decimal
	Unit     string
	UnitUSD  decimal.Decimal
	CostUSD  decimal.Decimal
}

// Dec is decimal.NewFromInt, for figures.
func Dec(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// Share is a/b rounded to 6 decimals, 0 when b is 0.
func Share(a, b decimal.Decimal) decimal.Decimal {
	if b.IsZero() {
		return decimal.Zero
	}
	return a.DivRound(b, 6)
}
