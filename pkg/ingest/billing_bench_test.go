package ingest

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/pricing"
)

// Throughput of the billing formats, end to end (read, parse, price,
// aggregate) like BenchmarkAnalyze, on generated bills of about 64 MB:
//
//	go test ./pkg/ingest -run '^$' -bench Billing -benchtime 3x
//
// aws-cur is a whole-account CUR 2.0 export in which one row in ten is
// Bedrock (the others are skipped before being split into fields);
// aws-cur-bedrock has Bedrock rows only; the Parquet file holds the
// aws-cur-bedrock rows (its MB/s are of the CSV it stands for).

const benchBillBytes = 64 << 20

func genCUR(b *testing.B, dir string, bedrockShare int) string {
	p := filepath.Join(dir, fmt.Sprintf("cur-%d.csv", bedrockShare))
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewSource(1))
	fmt.Fprintln(w, "identity_line_item_id,identity_time_interval,bill_billing_entity,line_item_usage_account_id,line_item_line_item_type,line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,line_item_usage_type,line_item_operation,line_item_resource_id,line_item_usage_amount,pricing_unit,line_item_unblended_rate,line_item_unblended_cost,line_item_currency_code,line_item_line_item_description,line_item_iam_principal,product,resource_tags")
	types := []struct{ ut, rate string }{
		{"USE1-Claude4.6Sonnet-input-tokens", "0.000003"}, {"USE1-Claude4.6Sonnet-output-tokens", "0.000015"},
		{"USE1-Claude4.5Haiku-cross-region-input-tokens", "0.0000011"}, {"USE1-Claude4.5Haiku-cross-region-cache-read-input-token-count", "0.00000011"},
		{"USW2-NovaPro-input-tokens", "0.0000008"}, {"USW2-Llama3.3-70B-output-tokens", "0.00000072"},
	}
	size := 0
	for i := 0; size < benchBillBytes; i++ {
		h := i % 24
		var line string
		if rng.Intn(100) < bedrockShare {
			t := types[rng.Intn(len(types))]
			n := 1000 + rng.Intn(2_000_000)
			line = fmt.Sprintf(`li-%d,2026-03-01T%02d:00:00Z/2026-03-01T%02d:59:59Z,AWS,123456789012,Usage,2026-03-01T%02d:00:00.000Z,2026-03-01T%02d:59:59.000Z,AmazonBedrock,%s,InvokeModel,,%d,tokens,%s,%d.%06d,USD,Bedrock tokens,arn:aws:iam::123456789012:user/u%d,"{""product_name"":""Amazon Bedrock"",""region"":""us-east-1""}","{""user:team"":""t%d""}"`,
				i, h, h, h, h, t.ut, n, t.rate, rng.Intn(3), rng.Intn(1e6), rng.Intn(50), rng.Intn(8))
		} else {
			line = fmt.Sprintf(`li-%d,2026-03-01T%02d:00:00Z/2026-03-01T%02d:59:59Z,AWS,123456789012,Usage,2026-03-01T%02d:00:00.000Z,2026-03-01T%02d:59:59.000Z,AmazonEC2,USE1-BoxUsage:m5.large,RunInstances,i-%08x,1,Hrs,0.096,0.096,USD,$0.096 per On Demand Linux m5.large Instance Hour,,"{""product_name"":""Amazon Elastic Compute Cloud"",""region"":""us-east-1""}","{""user:team"":""t%d""}"`,
				i, h, h, h, h, rng.Uint32(), rng.Intn(8))
		}
		w.WriteString(line)
		w.WriteByte('\n')
		size += len(line) + 1
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return p
}

func genOpenAIUsageCSV(b *testing.B, dir string) string {
	p := filepath.Join(dir, "usage.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewSource(1))
	fmt.Fprintln(w, "start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens")
	models := []string{"gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "o4-mini-2025-04-16"}
	size := 0
	for i := 0; size < benchBillBytes; i++ {
		t := 1772323200 + 60*(i%43200)
		in := 1000 + rng.Intn(1_000_000)
		c := rng.Intn(in)
		line := fmt.Sprintf("%d,%d,,,proj_%d,%d,user_%d,key_%d,%s,%s,default,%d.0,%d.0,%d,%d",
			t, t+60, rng.Intn(20), 1+rng.Intn(500), rng.Intn(200), rng.Intn(10), models[rng.Intn(len(models))],
			[]string{"False", "True"}[rng.Intn(2)], in, rng.Intn(100000), c, in-c)
		w.WriteString(line)
		w.WriteByte('\n')
		size += len(line) + 1
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return p
}

func genOpenAIUsagePages(b *testing.B, dir string) string {
	p := filepath.Join(dir, "usage.jsonl")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewSource(1))
	models := []string{"gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "o4-mini-2025-04-16"}
	size := 0
	for page := 0; size < benchBillBytes; page++ {
		// One page of 60 one-minute buckets of 8 results, as
		// bucket_width=1m&limit=60 returns them.
		bw := &sizeWriter{w: w}
		fmt.Fprint(bw, `{"object":"page","data":[`)
		for k := 0; k < 60; k++ {
			t := 1772323200 + 60*(page*60+k)
			if k > 0 {
				fmt.Fprint(bw, ",")
			}
			fmt.Fprintf(bw, `{"object":"bucket","start_time":%d,"end_time":%d,"results":[`, t, t+60)
			for r := 0; r < 8; r++ {
				if r > 0 {
					fmt.Fprint(bw, ",")
				}
				in := 1000 + rng.Intn(1_000_000)
				c := rng.Intn(in)
				fmt.Fprintf(bw, `{"object":"organization.usage.completions.result","input_tokens":%d,"input_cached_tokens":%d,"input_cache_write_tokens":0,"input_uncached_tokens":%d,"output_tokens":%d,"num_model_requests":%d,"project_id":"proj_%d","user_id":null,"api_key_id":"key_%d","model":"%s","batch":%t,"service_tier":"default"}`,
					in, c, in-c, rng.Intn(100000), 1+rng.Intn(500), rng.Intn(20), rng.Intn(10), models[rng.Intn(len(models))], rng.Intn(2) == 0)
			}
			fmt.Fprint(bw, "]}")
		}
		fmt.Fprintln(bw, `],"has_more":true,"next_page":"page_x"}`)
		size += bw.n
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return p
}

type sizeWriter struct {
	w *bufio.Writer
	n int
}

func (s *sizeWriter) Write(p []byte) (int, error) {
	s.n += len(p)
	return s.w.Write(p)
}

func BenchmarkBilling(b *testing.B) {
	dir := b.TempDir()
	cat, err := pricing.Default()
	if err != nil {
		b.Fatal(err)
	}
	curBedrock := genCUR(b, dir, 100)
	pq := filepath.Join(dir, "cur.parquet")
	curCSVToParquetGroups(b, curBedrock, pq, 100_000)
	for _, c := range []struct {
		name, path string
		bytes      string // whose size is reported
	}{
		{"aws-cur", genCUR(b, dir, 10), ""},
		{"aws-cur-bedrock", curBedrock, ""},
		{"aws-cur-parquet", pq, curBedrock},
		{"openai-usage-csv", genOpenAIUsageCSV(b, dir), ""},
		{"openai-usage-pages", genOpenAIUsagePages(b, dir), ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			sized := c.path
			if c.bytes != "" {
				sized = c.bytes
			}
			fi, err := os.Stat(sized)
			if err != nil {
				b.Fatal(err)
			}
			os.ReadFile(c.path) // warm the page cache
			b.SetBytes(fi.Size())
			b.ResetTimer()
			var records int64
			for i := 0; i < b.N; i++ {
				var aggs []*cost.Aggregator
				st, err := Run(context.Background(), []string{c.path}, Options{}, func() Sink {
					a := cost.New(cost.Options{Catalog: cat})
					aggs = append(aggs, a)
					return a
				})
				if err != nil {
					b.Fatal(err)
				}
				if st.ProblemsTotal > 0 {
					b.Fatalf("%d problems: %v", st.ProblemsTotal, st.Problems[0])
				}
				cost.Summarize(cost.Merge(aggs...))
				records = st.Totals().Records
			}
			b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
