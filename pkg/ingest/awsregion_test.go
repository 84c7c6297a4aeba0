package ingest

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/pricing"
)

func TestRegionNames(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"us-east-1", "us-east-1"}, {"US-WEST-2", "us-west-2"}, {"us-gov-west-1", "us-gov-west-1"},
		{"ap-southeast-5", "ap-southeast-5"}, {"eu-central-12", "eu-central-12"},
		{"", ""}, {"us-east", ""}, {"use1", ""}, {"us-east-1a", ""}, {"us-east-123", ""}, {"u-east-1", ""},
		{"us--east-1", ""}, {"us-e4st-1", ""}, {"us-gov-1", ""}, {"global", ""}, {"us east 1", ""},
	} {
		if got := regionName([]byte(tt.in)); got != tt.want {
			t.Errorf("regionName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ arn, want string }{
		{"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.x", "eu-west-1"},
		{"arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/x", "us-gov-west-1"},
		{"arn:aws:bedrock::123:x", ""}, {"arn:aws:bedrock", ""}, {"i-0abc", ""}, {"", ""},
	} {
		if got := arnRegion([]byte(tt.arn)); got != tt.want {
			t.Errorf("arnRegion(%q) = %q, want %q", tt.arn, got, tt.want)
		}
	}
	// Every billing code names a Region, and each Region has one code but
	// eu-west-1 (EU, and EUW1 as some write it).
	seen := map[string]string{}
	for code, r := range regionByBillingCode {
		if regionName([]byte(r)) != r {
			t.Errorf("%s: %q is not a Region", code, r)
		}
		if prev, dup := seen[r]; dup && r != "eu-west-1" {
			t.Errorf("%s and %s both name %s", prev, code, r)
		}
		seen[r] = code
	}
}

// Calls priced in the Region they were made from, end to end: invocation
// logs (region member, ARN) and CUR line items (usage-type billing code,
// product_region_code), with the embedded catalog's per-Region prices.
func TestRegionPricedEndToEnd(t *testing.T) {
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	line := func(region, model string) string {
		return `{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-03-02T07:52:59Z","accountId":"111122223333","region":"` + region +
			`","requestId":"` + region + model + `","operation":"Converse","modelId":"` + model +
			`","input":{"inputTokenCount":1000000},"output":{"outputTokenCount":1000000}}`
	}
	llama := "meta.llama3-70b-instruct-v1:0"
	logs := strings.Join([]string{
		line("eu-west-1", llama),  // 2.86 + 3.78
		line("us-east-1", llama),  // 2.65 + 3.5, the default
		line("sa-east-1", llama),  // 4.45 + 5.88
		line("me-south-1", llama), // not listed: the default, noted
		line("", "arn:aws:bedrock:ap-south-1:111122223333:foundation-model/"+llama), // 3.18 + 4.2, the ARN's Region
	}, "\n")
	cur := write(t, "cur.csv", []byte("line_item_usage_start_date,line_item_product_code,line_item_usage_type,line_item_usage_amount,pricing_unit,line_item_unblended_rate,line_item_unblended_cost,line_item_currency_code,product_region_code\n"+
		"2026-03-02T00:00:00Z,AmazonBedrock,EU-Llama3-70B-input-tokens,1000,1K tokens,0.00286,2.86,USD,\n"+ // eu-west-1 by its billing code
		"2026-03-02T00:00:00Z,AmazonBedrock,Llama3-70B-output-tokens,1000,1K tokens,0.00588,5.88,USD,sa-east-1\n")) // no code: product_region_code
	for _, tt := range []struct {
		name, path string
		computed   string
		charged    string
		regionDflt int64
	}{
		{"invocation logs", write(t, "logs.jsonl", []byte(logs)), "36.65", "", 1}, // 6.64 + 6.15 + 10.33 + 6.15 + 7.38
		{"CUR", cur, "8.74", "8.74", 0},                                           // 2.86 + 5.88: computed = charged
	} {
		var aggs []*cost.Aggregator
		st, err := Run(context.Background(), []string{tt.path}, Options{}, func() Sink {
			a := cost.New(cost.Options{Catalog: cat})
			aggs = append(aggs, a)
			return a
		})
		if err != nil || st.ProblemsTotal > 0 {
			t.Fatalf("%s: %v %v", tt.name, err, st.Problems)
		}
		s := cost.Summarize(cost.Merge(aggs...))
		if got := s.Total.Total(); !got.Equal(decimal.RequireFromString(tt.computed)) {
			t.Errorf("%s: computed %s, want %s", tt.name, got, tt.computed)
		}
		if tt.charged != "" && !decimal.New(s.Total.Usage.ChargedNano, -9).Equal(decimal.RequireFromString(tt.charged)) {
			t.Errorf("%s: charged %d nano, want %s", tt.name, s.Total.Usage.ChargedNano, tt.charged)
		}
		if s.Total.RegionDefault != tt.regionDflt {
			t.Errorf("%s: %d priced at the default for want of a Region price, want %d", tt.name, s.Total.RegionDefault, tt.regionDflt)
		}
	}
}
