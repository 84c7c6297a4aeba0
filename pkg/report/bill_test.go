package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

// billReport builds the report of a small bill: line items on known and
// unknown models, on no model, a credit; and a CUR whose other services'
// rows were left aside.
func billReport(t *testing.T) *Report {
	t.Helper()
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	a := cost.New(cost.Options{Catalog: cat})
	item := func(model string, nano, input int64) {
		r := record.Record{Provider: "bedrock", Model: model, NoCalls: true, HasCharged: true, ChargedNanoUSD: nano,
			InputTokens: input, HasUsage: input > 0}
		a.Add(&r)
	}
	item("anthropic.claude-sonnet-4-6", 3_000_000_000, 1_000_000) // $3, known
	item("anthropic.claude-sonnet-4-6", 1_500_000_000, 500_000)   // $1.50, known
	item("MistralLarge", 400_000_000, 100_000)                    // $0.40, not in the catalog
	item("(tax)", 500_000_000, 0)                                 // $0.50, no model
	item("(non-token charges)", 100_000_000, 0)                   // $0.10, no model
	item("(credit)", -1_000_000_000, 0)                           // -$1, a credit
	st := &ingest.Stats{Files: []ingest.FileStats{{Path: "cur.csv", Format: "aws-cur", Lines: 10, Records: 6, NotBilled: 4}}}
	return Build(cost.Summarize(cost.Merge(a)), st)
}

// The bill's coverage: a known answer, and the same account in every
// format.
func TestBillCoverage(t *testing.T) {
	r := billReport(t)
	b := r.Coverage.Bill
	if b == nil {
		t.Fatal("no bill coverage")
	}
	want := BillCoverage{ChargedUSD: usdOf("4.5"), KnownModelUSD: usdOf("4.5"), KnownModelItems: 2, KnownModelShare: 0.818182, // 4.5 / 5.5 before the credit
		UnknownModelUSD: usdOf("0.4"), UnknownModelItems: 1, NoModelUSD: usdOf("0.6"), NoModelItems: 2, CreditsUSD: usdOf("-1"), CreditsItems: 1, LeftAside: 4}
	if !billEqual(*b, want) {
		t.Fatalf("bill coverage %+v, want %+v", *b, want)
	}
	if !b.ChargedUSD.Equal(r.Totals.ChargedUSD.Decimal) {
		t.Errorf("bill charged %s, totals %s", b.ChargedUSD, r.Totals.ChargedUSD)
	}
	line := BillCoverageLine(r)
	const wantLine = "Bill: $4.50 charged in 6 line items: 81.8% ($4.50, 2) on known models, $0.4000 (1) on models the catalog does not know, $0.6000 (2) on no model (taxes, fees, non-token charges), credits and refunds -$1.00 (1); 4 lines left aside (other services' line items, rows with nothing billed)"
	if line != wantLine {
		t.Errorf("line:\n%s\nwant:\n%s", line, wantLine)
	}
	// The generic coverage line leaves the bill's lines to it.
	if c := CoverageLine(r); strings.Contains(c, "not billed") {
		t.Errorf("coverage line counts the bill's lines left aside as not billed: %s", c)
	}
	for _, format := range []string{"table", "markdown", HTMLFormat} {
		var buf bytes.Buffer
		if err := Render(&buf, r, format, Options{}); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		if format == HTMLFormat {
			text = strings.ReplaceAll(text, "&#39;", "'")
		}
		if !strings.Contains(text, wantLine) {
			t.Errorf("%s output lacks the bill line", format)
		}
	}
	var csv bytes.Buffer
	if err := Render(&csv, r, "csv", Options{}); err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{
		"bill,attribution,known_model,2,0,0,0,0,0,0,0,0.818182,0,4.5\n",
		"bill,attribution,unknown_model,1,0,0,0,0,0,0,0,0,0,0.4\n",
		"bill,attribution,no_model,2,0,0,0,0,0,0,0,0,0,0.6\n",
		"bill,attribution,credits,1,0,0,0,0,0,0,0,0,0,-1\n",
		"bill,attribution,left_aside,4,0,0,0,0,0,0,0,0,0,\n",
	} {
		if !strings.Contains(csv.String(), row) {
			t.Errorf("csv lacks %q", row)
		}
	}
	var js bytes.Buffer
	if err := JSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Coverage.Bill == nil || !billEqual(*back.Coverage.Bill, want) {
		t.Errorf("JSON round trip: %+v", back.Coverage.Bill)
	}
	// Merging two copies doubles the amounts; the share stays.
	merged, err := Merge(r, &back)
	if err != nil {
		t.Fatal(err)
	}
	mb := merged.Coverage.Bill
	if mb == nil || !mb.ChargedUSD.Equal(decimal.RequireFromString("9")) || mb.KnownModelItems != 4 || mb.LeftAside != 8 || mb.KnownModelShare != want.KnownModelShare {
		t.Errorf("merged bill %+v", mb)
	}
}

// A report of logs has no bill coverage; a usage export (tokens, no
// money) has one that says so.
func TestBillCoverageAbsentOrEmpty(t *testing.T) {
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	a := cost.New(cost.Options{Catalog: cat})
	r := record.Record{Provider: "openai", Model: "gpt-4o", InputTokens: 10, HasUsage: true}
	a.Add(&r)
	logs := Build(cost.Summarize(cost.Merge(a)), &ingest.Stats{Files: []ingest.FileStats{{Path: "a.jsonl", Format: "openai-chat", NotBilled: 2}}})
	if logs.Coverage.Bill != nil || BillCoverageLine(logs) != "" || !strings.Contains(CoverageLine(logs), "2 not billed") {
		t.Errorf("logs: bill %+v, coverage %q", logs.Coverage.Bill, CoverageLine(logs))
	}
	usage := Build(cost.Summarize(cost.Merge(a)), &ingest.Stats{Files: []ingest.FileStats{{Path: "u.csv", Format: "openai-usage-csv", NotBilled: 1}}})
	if got := BillCoverageLine(usage); got != "Bill: no amount charged (usage exports carry tokens, priced like logs); 1 line left aside (other services' line items, rows with nothing billed)" {
		t.Errorf("usage export: %q", got)
	}
}

func usdOf(s string) Money { return Money{decimal.RequireFromString(s)} }

func billEqual(a, b BillCoverage) bool {
	return a.ChargedUSD.Equal(b.ChargedUSD.Decimal) && a.KnownModelUSD.Equal(b.KnownModelUSD.Decimal) && a.KnownModelItems == b.KnownModelItems &&
		a.KnownModelShare == b.KnownModelShare && a.UnknownModelUSD.Equal(b.UnknownModelUSD.Decimal) && a.UnknownModelItems == b.UnknownModelItems &&
		a.NoModelUSD.Equal(b.NoModelUSD.Decimal) && a.NoModelItems == b.NoModelItems && a.CreditsUSD.Equal(b.CreditsUSD.Decimal) &&
		a.CreditsItems == b.CreditsItems && a.LeftAside == b.LeftAside
}
