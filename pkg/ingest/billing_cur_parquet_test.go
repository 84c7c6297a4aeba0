package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/llmcost/llmcost/pkg/internal/golden"
	"github.com/llmcost/llmcost/pkg/record"
)

// curParquetRow is a CUR 2.0 row as Data Exports writes it in Parquet:
// optional strings, timestamps, doubles, and map columns.
type curParquetRow struct {
	IdentityLineItemID  string            `parquet:"identity_line_item_id,optional"`
	BillBillingEntity   string            `parquet:"bill_billing_entity,optional"`
	UsageAccountID      string            `parquet:"line_item_usage_account_id,optional"`
	LineItemType        string            `parquet:"line_item_line_item_type,optional"`
	UsageStartDate      time.Time         `parquet:"line_item_usage_start_date,timestamp(millisecond)"`
	UsageEndDate        time.Time         `parquet:"line_item_usage_end_date,timestamp(millisecond)"`
	ProductCode         string            `parquet:"line_item_product_code,optional"`
	UsageType           string            `parquet:"line_item_usage_type,optional"`
	Operation           string            `parquet:"line_item_operation,optional"`
	ResourceID          string            `parquet:"line_item_resource_id,optional"`
	UsageAmount         *float64          `parquet:"line_item_usage_amount,optional"`
	PricingUnit         string            `parquet:"pricing_unit,optional"`
	UnblendedRate       *float64          `parquet:"line_item_unblended_rate,optional"`
	UnblendedCost       *float64          `parquet:"line_item_unblended_cost,optional"`
	CurrencyCode        string            `parquet:"line_item_currency_code,optional"`
	LineItemDescription string            `parquet:"line_item_line_item_description,optional"`
	IAMPrincipal        string            `parquet:"line_item_iam_principal,optional"`
	Product             map[string]string `parquet:"product"`
	ResourceTags        map[string]string `parquet:"resource_tags"`
}

// curCSVToParquet writes the rows of a CUR 2.0 CSV file as Parquet, in
// row groups of 5 rows (so that a small file spans several).
func curCSVToParquet(t testing.TB, csvPath, out string) { curCSVToParquetGroups(t, csvPath, out, 5) }

func curCSVToParquetGroups(t testing.TB, csvPath, out string, group int64) {
	t.Helper()
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	get := func(r []string, name string) string {
		if i, ok := col[name]; ok && i < len(r) {
			return r[i]
		}
		return ""
	}
	num := func(r []string, name string) *float64 {
		s := get(r, name)
		if s == "" {
			return nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return &v
	}
	when := func(r []string, name string) time.Time {
		v, err := time.Parse(time.RFC3339, get(r, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	dict := func(r []string, name string) map[string]string {
		s := get(r, name)
		if s == "" {
			return nil
		}
		var m map[string]string
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	var rows []curParquetRow
	for _, r := range recs[1:] {
		rows = append(rows, curParquetRow{
			IdentityLineItemID: get(r, "identity_line_item_id"), BillBillingEntity: get(r, "bill_billing_entity"),
			UsageAccountID: get(r, "line_item_usage_account_id"), LineItemType: get(r, "line_item_line_item_type"),
			UsageStartDate: when(r, "line_item_usage_start_date"), UsageEndDate: when(r, "line_item_usage_end_date"),
			ProductCode: get(r, "line_item_product_code"), UsageType: get(r, "line_item_usage_type"),
			Operation: get(r, "line_item_operation"), ResourceID: get(r, "line_item_resource_id"),
			UsageAmount: num(r, "line_item_usage_amount"), PricingUnit: get(r, "pricing_unit"),
			UnblendedRate: num(r, "line_item_unblended_rate"), UnblendedCost: num(r, "line_item_unblended_cost"),
			CurrencyCode: get(r, "line_item_currency_code"), LineItemDescription: get(r, "line_item_line_item_description"),
			IAMPrincipal: get(r, "line_item_iam_principal"), Product: dict(r, "product"), ResourceTags: dict(r, "resource_tags"),
		})
	}
	o, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[curParquetRow](o, parquet.MaxRowsPerRowGroup(group))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
}

// A Parquet CUR gives the records of the same report in CSV, line for
// row; so does a gzip-compressed one, read through a temporary copy.
func TestCURParquet(t *testing.T) {
	src := "../../testdata/ingest/aws-cur/cur2.csv"
	pq := filepath.Join(t.TempDir(), "cur2.parquet")
	curCSVToParquet(t, src, pq)
	data, err := os.ReadFile(pq)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	pqgz := write(t, "cur2.parquet.gz", gz.Bytes())

	_, want, _, err := runLines(t, []string{src}, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{pq, pqgz} {
		for _, chunk := range []int{0, 200} {
			st, got, _, err := runLines(t, []string{p}, Options{Workers: 1, ChunkSize: chunk})
			if err != nil {
				t.Fatal(err)
			}
			f := st.Files[0]
			if f.Format != "aws-cur" || f.Malformed != 0 || f.NotBilled != 2 || st.ProblemsTotal != 0 {
				t.Fatalf("%s: stats %+v, problems %v", p, f, st.Problems)
			}
			if len(got) != len(want) {
				t.Fatalf("%s: %d records, want %d", p, len(got), len(want))
			}
			for i := range want {
				if !sameBilling(got[i], want[i]) {
					t.Errorf("%s record %d:\n got %+v\nwant %+v", p, i, got[i], want[i])
				}
			}
		}
	}
}

func sameBilling(a, b record.Record) bool {
	return a.Loc.Line == b.Loc.Line && a.Model == b.Model && a.Time.Equal(b.Time) && a.Tier == b.Tier &&
		tokens(a) == tokens(b) && a.HasUsage == b.HasUsage && a.HasCharged == b.HasCharged &&
		a.ChargedNanoUSD == b.ChargedNanoUSD && a.User == b.User && a.Project == b.Project && tagsOf(a) == tagsOf(b)
}

// A Parquet file forced to another format, or not a Parquet file past its
// magic, is an unreadable file, not a crash.
func TestCURParquetErrors(t *testing.T) {
	fm, _ := LookupFormat("openai-chat")
	pq := filepath.Join(t.TempDir(), "cur2.parquet")
	curCSVToParquet(t, "../../testdata/ingest/aws-cur/cur2.csv", pq)
	st, _, _, err := runLines(t, []string{pq}, Options{Format: fm})
	if err != nil || st.Files[0].Err == "" {
		t.Errorf("forced format: %v, stats %+v", err, st.Files[0])
	}
	bad := write(t, "bad.parquet", []byte("PAR1 this is not parquet"))
	st, _, _, err = runLines(t, []string{bad}, Options{})
	if err != nil || st.Files[0].Err == "" {
		t.Errorf("truncated: %v, stats %+v", err, st.Files[0])
	}
}

// The Parquet sample under testdata/billing is its CSV twin written as
// Data Exports writes Parquet; `go test ./pkg/ingest -run
// TestCURParquetSample -update` rewrites it. Both give the same records.
func TestCURParquetSample(t *testing.T) {
	src := "../../testdata/billing/aws-cur/bedrock-2026-03-00001.csv"
	dst := "../../testdata/billing/aws-cur-parquet/bedrock-2026-03-00001.parquet"
	_, want, _, err := runLines(t, []string{src}, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, got, _, err := runLines(t, []string{dst}, Options{Workers: 1})
	if golden.Update() && (err != nil || !sameRecords(got, want)) {
		// Rewritten only when it differs: map columns are written in Go's
		// map order, so the bytes change from run to run.
		curCSVToParquet(t, src, dst)
		_, got, _, err = runLines(t, []string{dst}, Options{Workers: 1})
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("%d records from Parquet, %d from CSV", len(got), len(want))
	}
	for i := range want {
		if !sameBilling(got[i], want[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func sameRecords(a, b []record.Record) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameBilling(a[i], b[i]) {
			return false
		}
	}
	return true
}
