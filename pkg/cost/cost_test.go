package cost

import (
	"math/rand"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

func testCatalog(t testing.TB) *pricing.Catalog {
	t.Helper()
	data, err := os.ReadFile("testdata/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := pricing.Load(fstest.MapFS{"test.json": {Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func summarize(t testing.TB, opts Options, recs ...record.Record) *Summary {
	t.Helper()
	if opts.Catalog == nil {
		opts.Catalog = testCatalog(t)
	}
	a := New(opts)
	for i := range recs {
		a.Add(&recs[i])
	}
	return Summarize(Merge(a))
}

func TestPricing(t *testing.T) {
	tests := []struct {
		name string
		rec  record.Record
		want string // total USD
	}{
		{"openai cached input at the cached rate",
			record.Record{Model: "gpt-4o", Provider: "openai", InputTokens: 86, CacheReadTokens: 1920, OutputTokens: 300, HasUsage: true},
			"0.005615"}, // 86*2.5 + 1920*1.25 + 300*10, per 1M
		{"batch tier at batch rates",
			record.Record{Model: "gpt-4o", Tier: record.TierBatch, InputTokens: 1_000_000, OutputTokens: 1_000_000, HasUsage: true},
			"6.25"},
		{"o3 before the June 2025 cut",
			record.Record{Model: "o3", Time: at("2025-06-09T23:59:59Z"), InputTokens: 1_000_000, OutputTokens: 1_000_000, HasUsage: true},
			"50"},
		{"o3 after the cut",
			record.Record{Model: "o3", Time: at("2025-06-10T00:00:00Z"), InputTokens: 1_000_000, OutputTokens: 1_000_000, HasUsage: true},
			"10"},
		{"long context: whole request at the >200k rates when total input exceeds 200k",
			record.Record{Model: "claude-sonnet-4-5", InputTokens: 1000, CacheReadTokens: 199_001, OutputTokens: 1000, HasUsage: true},
			"0.1479006"}, // 1000*6 + 199001*0.6 + 1000*22.5
		{"exactly 200k stays in the base band",
			record.Record{Model: "claude-sonnet-4-5", InputTokens: 1000, CacheReadTokens: 199_000, OutputTokens: 1000, HasUsage: true},
			"0.0777"}, // 1000*3 + 199000*0.3 + 1000*15
		{"cache writes by TTL",
			record.Record{Model: "claude-sonnet-4-5", CacheWrite5mTokens: 100_000, CacheWrite1hTokens: 100_000, HasUsage: true},
			"0.975"}, // 100k*3.75 + 100k*6
		{"inference_geo us uplift",
			record.Record{Model: "claude-sonnet-4-5", Geo: "us", InputTokens: 100_000, HasUsage: true},
			"0.33"},
		{"geo uplift stacks on the long-context band",
			record.Record{Model: "claude-sonnet-4-5", Geo: "us", InputTokens: 1_000_000, HasUsage: true},
			"6.6"},
		{"tier not offered falls back to standard",
			record.Record{Model: "o3", Tier: record.TierPriority, InputTokens: 1_000_000, HasUsage: true},
			"2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := summarize(t, Options{}, tt.rec)
			want := decimal.RequireFromString(tt.want)
			if got := s.Total.Total(); !got.Equal(want) {
				t.Fatalf("total = %s, want %s", got, want)
			}
			if s.Total.Unpriced.Requests != 0 {
				t.Fatalf("unpriced = %d", s.Total.Unpriced.Requests)
			}
		})
	}
}

func TestUnknownModelIsReportedNotFree(t *testing.T) {
	s := summarize(t, Options{},
		record.Record{Model: "gpt-4o", InputTokens: 1_000_000, HasUsage: true},
		record.Record{Model: "foo-9", Provider: "acme", InputTokens: 500, OutputTokens: 7, HasUsage: true},
		record.Record{Model: "foo-9", Provider: "acme", InputTokens: 500, HasUsage: true},
		record.Record{Model: "gpt-4o", HasUsage: false},
	)
	if len(s.Unpriced) != 1 || s.Unpriced[0].Model != "foo-9" || s.Unpriced[0].Usage.Requests != 2 || s.Unpriced[0].Usage.Input != 1000 || s.Unpriced[0].Reason != "unknown model" {
		t.Fatalf("unpriced = %+v", s.Unpriced)
	}
	if !s.Total.Total().Equal(decimal.RequireFromString("2.5")) || s.Total.Unpriced.Requests != 2 {
		t.Fatalf("total = %s, unpriced requests = %d", s.Total.Total(), s.Total.Unpriced.Requests)
	}
	if s.NoUsage["gpt-4o"] != 1 {
		t.Fatalf("no usage = %v", s.NoUsage)
	}
}

// Totals must not depend on record order or on how records are spread over
// workers: tokens are summed as integers and priced once per group.
func TestOrderAndSplitIndependence(t *testing.T) {
	cat := testCatalog(t)
	rng := rand.New(rand.NewSource(1))
	models := []string{"gpt-4o", "o3", "claude-sonnet-4-5", "unknown-x"}
	var recs []record.Record
	for i := 0; i < 5000; i++ {
		recs = append(recs, record.Record{
			Model: models[rng.Intn(len(models))], Time: at("2025-06-01T00:00:00Z").Add(time.Duration(rng.Intn(30*24)) * time.Hour),
			InputTokens: rng.Int63n(300_000), CacheReadTokens: rng.Int63n(5000), OutputTokens: rng.Int63n(4000),
			Tier: record.Tier(rng.Intn(2)), User: []string{"a", "b", "c"}[rng.Intn(3)], HasUsage: true,
		})
	}
	opts := Options{Catalog: cat, GroupBy: []Dim{{Kind: DimDay}, {Kind: DimModel}}}
	one := New(opts)
	for i := range recs {
		one.Add(&recs[i])
	}
	base := Summarize(Merge(one))

	rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	parts := []*Aggregator{New(opts), New(opts), New(opts)}
	for i := range recs {
		parts[i%3].Add(&recs[i])
	}
	split := Summarize(Merge(parts...))
	if !base.Total.Total().Equal(split.Total.Total()) || base.Total.Usage != split.Total.Usage {
		t.Fatalf("total %s vs %s", base.Total.Total(), split.Total.Total())
	}
	// Every breakdown adds up to the total.
	for name, b := range map[string]Breakdown{"model": base.ByModel, "day": base.ByDay, "tier": base.ByTier, "provider": base.ByProvider, "user": base.ByUser, "groups": *base.Groups} {
		sum := decimal.Zero
		var reqs int64
		for _, l := range b.Lines {
			sum = sum.Add(l.Total())
			reqs += l.Usage.Requests
		}
		if !sum.Equal(base.Total.Total()) || reqs != base.Total.Usage.Requests {
			t.Errorf("%s: sums to %s / %d requests, total %s / %d", name, sum, reqs, base.Total.Total(), base.Total.Usage.Requests)
		}
	}
	if len(base.ByModel.Lines) != len(split.ByModel.Lines) {
		t.Fatal("by-model lines differ")
	}
	for i := range base.ByModel.Lines {
		if !base.ByModel.Lines[i].Total().Equal(split.ByModel.Lines[i].Total()) {
			t.Errorf("by model %v: %s vs %s", base.ByModel.Lines[i].Key, base.ByModel.Lines[i].Total(), split.ByModel.Lines[i].Total())
		}
	}
}

func TestSinceUntilAndGroups(t *testing.T) {
	s := summarize(t, Options{Since: at("2025-07-01T00:00:00Z"), Until: at("2025-07-03T00:00:00Z"), GroupBy: []Dim{{Kind: DimMonth}, {Kind: DimTag, TagKey: "team"}}},
		record.Record{Model: "gpt-4o", Time: at("2025-06-30T23:00:00Z"), InputTokens: 1, HasUsage: true},
		record.Record{Model: "gpt-4o", Time: at("2025-07-01T00:00:00Z"), InputTokens: 1_000_000, HasUsage: true, Tags: []record.Tag{{Key: "team", Value: "growth"}}},
		record.Record{Model: "gpt-4o", Time: at("2025-07-02T10:00:00Z"), InputTokens: 1_000_000, HasUsage: true, Tags: []record.Tag{{Key: "team", Value: "growth"}}},
		record.Record{Model: "gpt-4o", Time: at("2025-07-02T11:00:00Z"), OutputTokens: 1_000_000, HasUsage: true},
		record.Record{Model: "gpt-4o", Time: at("2025-07-03T00:00:00Z"), InputTokens: 1, HasUsage: true},
		record.Record{Model: "gpt-4o", InputTokens: 1, HasUsage: true}, // no time: outside any window
	)
	if s.Filtered != 3 || s.Total.Usage.Requests != 3 {
		t.Fatalf("filtered = %d, requests = %d", s.Filtered, s.Total.Usage.Requests)
	}
	if len(s.ByDay.Lines) != 2 || s.ByDay.Lines[0].Key[0] != "2025-07-01" {
		t.Fatalf("by day = %+v", s.ByDay.Lines)
	}
	g := s.Groups.Lines
	if len(g) != 2 || g[0].Key[0] != "2025-07" || g[0].Key[1] != "" || !g[0].Total().Equal(decimal.NewFromInt(10)) ||
		g[1].Key[1] != "growth" || !g[1].Total().Equal(decimal.NewFromInt(5)) {
		t.Fatalf("groups = %+v", g)
	}
	if len(s.ByTag) != 1 || s.ByTag[0].Lines[0].Key[0] != "growth" {
		t.Fatalf("by tag = %+v", s.ByTag)
	}
}

func TestParseDim(t *testing.T) {
	for in, want := range map[string]string{"model": "model", " Day ": "day", "tag:Team": "tag:Team", "conversation": "conversation", "session": "conversation"} {
		d, err := ParseDim(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDim(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, bad := range []string{"", "tag:", "colour"} {
		if _, err := ParseDim(bad); err == nil {
			t.Errorf("ParseDim(%q): want error", bad)
		}
	}
}

func BenchmarkAggregatorAdd(b *testing.B) {
	a := New(Options{Catalog: testCatalog(b)})
	rec := record.Record{Model: "gpt-4o", Provider: "openai", Time: at("2025-07-01T00:00:00Z"), InputTokens: 1000, OutputTokens: 100, HasUsage: true, User: "u1"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		a.Add(&rec)
	}
}

// Billing rows: charged money is summed apart from computed cost, usage
// rows that aggregate many calls count them all, and a charge-only row for
// a model the catalog lacks is not listed as unpriced.
func TestChargedAndCalls(t *testing.T) {
	s := summarize(t, Options{},
		record.Record{Model: "gpt-4o", InputTokens: 1_000_000, Calls: 40, HasUsage: true},
		record.Record{Model: "gpt-4o", NoCalls: true, HasCharged: true, ChargedNanoUSD: 2_500_000_000, Tags: []record.Tag{{Key: "line_item", Value: "input"}}},
		record.Record{Model: "acme-llm-9", NoCalls: true, HasCharged: true, ChargedNanoUSD: 1_000_000},
	)
	if s.Total.Usage.Requests != 40 || s.Total.Usage.ChargedNano != 2_501_000_000 || s.Total.Usage.Charged != 2 {
		t.Fatalf("usage = %+v", s.Total.Usage)
	}
	if !s.Total.Total().Equal(decimal.RequireFromString("2.5")) {
		t.Fatalf("computed cost = %s", s.Total.Total())
	}
	if len(s.Unpriced) != 0 {
		t.Fatalf("unpriced = %+v", s.Unpriced)
	}
	if len(s.ByTag) != 1 || s.ByTag[0].Lines[0].Usage.ChargedNano != 2_500_000_000 {
		t.Fatalf("by tag = %+v", s.ByTag)
	}
}

// A usage-export row standing for many calls is in the long-context band
// only if its calls are on average (regression: a day's usage was priced at
// the >200k rates).
func TestLongContextPerCall(t *testing.T) {
	s := summarize(t, Options{},
		record.Record{Model: "claude-sonnet-4-5", InputTokens: 1_000_000, Calls: 100, HasUsage: true},
		record.Record{Model: "claude-sonnet-4-5", InputTokens: 1_000_000, NoCalls: true, HasUsage: true})
	if !s.Total.Total().Equal(decimal.NewFromInt(6)) {
		t.Fatalf("total = %s, want 6 (3 + 3 at the base rate)", s.Total.Total())
	}
	// A usage report row that says it was billed in the long band is.
	s = summarize(t, Options{},
		record.Record{Model: "claude-sonnet-4-5", InputTokens: 1_000_000, NoCalls: true, HasUsage: true, LongContext: 1},
		record.Record{Model: "claude-sonnet-4-5", InputTokens: 1_000_000, Calls: 1, HasUsage: true, LongContext: -1})
	if !s.Total.Total().Equal(decimal.NewFromInt(9)) {
		t.Fatalf("total = %s, want 9 (6 long + 3 base)", s.Total.Total())
	}
}

// Bedrock prices some models per AWS Region (pricing-rules.md B1, B5): a
// call is priced at the rates of the Region it was made from, known
// answers from the embedded catalog (LiteLLM's bedrock/<region>/… keys).
func TestRegionPricing(t *testing.T) {
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	llama := "meta.llama3-70b-instruct-v1:0"
	m := func(model, region string) record.Record {
		return record.Record{Provider: "bedrock", Model: model, Region: region, InputTokens: 1_000_000, OutputTokens: 1_000_000, HasUsage: true}
	}
	tests := []struct {
		name    string
		rec     record.Record
		want    string // total USD
		regDflt int64  // requests priced at the default for want of a Region price
	}{
		{"us-east-1 is the default price", m(llama, "us-east-1"), "6.15", 0}, // 2.65 + 3.5
		{"eu-west-1 is dearer", m(llama, "eu-west-1"), "6.64", 0},            // 2.86 + 3.78
		{"sa-east-1 dearer still", m(llama, "sa-east-1"), "10.33", 0},        // 4.45 + 5.88
		{"batch halves the Region's rates", func() record.Record { r := m(llama, "eu-west-1"); r.Tier = record.TierBatch; return r }(), "3.32", 0},
		{"a Region without a price: the default, noted", m(llama, "eu-central-2"), "6.15", 1},
		{"no Region: the default, noted", m(llama, ""), "6.15", 1},
		{"the Region of an ARN", m("arn:aws:bedrock:ap-south-1::foundation-model/"+llama, ""), "7.38", 0}, // 3.18 + 4.2
		{"a LiteLLM Region route", m("bedrock/eu-west-2/"+llama, ""), "8", 0},                             // 3.45 + 4.55
		{"the record's Region wins over the ARN's", m("arn:aws:bedrock:ap-south-1::foundation-model/"+llama, "eu-west-1"), "6.64", 0},
		// B5: a geographic profile is priced in its source Region.
		{"us. profile from us-west-2", m("us.deepseek.v3.2", "us-west-2"), "2.47", 0},     // 0.62 + 1.85
		{"in-Region DeepSeek in ap-south-1", m("deepseek.v3.2", "ap-south-1"), "2.96", 0}, // 0.74 + 2.22
		// GovCloud Claude: 1.2x the default, caches included; above 200k
		// input, the Region's long-context band (also 1.2x).
		{"GovCloud Claude", record.Record{Provider: "bedrock", Model: "anthropic.claude-sonnet-4-5-20250929-v1:0", Region: "us-gov-west-1",
			InputTokens: 100_000, CacheReadTokens: 100_000, CacheWrite5mTokens: 0, OutputTokens: 100_000, HasUsage: true}, "2.196", 0}, // (3.6+0.36+18)/10
		{"GovCloud Claude, long context", record.Record{Provider: "bedrock", Model: "anthropic.claude-sonnet-4-5-20250929-v1:0", Region: "us-gov-west-1",
			InputTokens: 1_000_000, CacheReadTokens: 1_000_000, CacheWrite5mTokens: 1_000_000, OutputTokens: 1_000_000, HasUsage: true}, "43.92", 0}, // 7.2+0.72+9+27
		// A model with one price everywhere: no note, whatever the Region.
		{"one price everywhere", m("amazon.nova-lite-v1:0", "eu-west-3"), "0.3", 0}, // 0.06 + 0.24
		// A billing row (no calls) counts one.
		{"CUR row in an unlisted Region", record.Record{Provider: "bedrock", Model: llama, Region: "me-south-1", InputTokens: 1_000_000,
			HasUsage: true, NoCalls: true, HasCharged: true, ChargedNanoUSD: 3e9}, "2.65", 1},
	}
	for _, tt := range tests {
		s := summarize(t, Options{Catalog: cat}, tt.rec)
		if got := s.Total.Total(); !got.Equal(decimal.RequireFromString(tt.want)) {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
		if s.Total.RegionDefault != tt.regDflt {
			t.Errorf("%s: %d priced at the default for want of a Region price, want %d", tt.name, s.Total.RegionDefault, tt.regDflt)
		}
	}
	// Calls from several Regions: each priced at its own, in any order.
	recs := []record.Record{m(llama, "eu-west-1"), m(llama, "us-east-1"), m(llama, "eu-west-1"), m(llama, "")}
	a, b := New(Options{Catalog: cat}), New(Options{Catalog: cat})
	for i := range recs {
		a.Add(&recs[i])
		b.Add(&recs[len(recs)-1-i])
	}
	sa, sb := Summarize(Merge(a)), Summarize(Merge(b))
	if !sa.Total.Total().Equal(decimal.RequireFromString("25.58")) || !sa.Total.Total().Equal(sb.Total.Total()) { // 2*6.64 + 2*6.15
		t.Errorf("mixed Regions: %s and %s, want 25.58", sa.Total.Total(), sb.Total.Total())
	}
	if sa.ByModel.Lines[0].RegionDefault != 1 {
		t.Errorf("mixed Regions: %d at the default, want 1", sa.ByModel.Lines[0].RegionDefault)
	}
}
