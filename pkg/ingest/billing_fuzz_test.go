package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/llmcost/llmcost/pkg/record"
)

// Fuzz targets of the billing formats. JSON pages go through fuzzMulti
// (every record of a line checked); delimited exports through fuzzTable,
// which feeds a whole file — header, rows, rows spanning lines — to one
// parser, as Run does.

func FuzzParseOpenAIUsage(f *testing.F) {
	fuzzMulti(f, "openai-usage", []string{
		`{"object":"page","data":[{"object":"bucket","start_time":1772323200,"results":[{"input_tokens":10,"input_cached_tokens":4,"input_cache_write_tokens":2,"output_tokens":1,"num_model_requests":1,"model":"gpt-4o","batch":true}]}]}`,
		`{"object":"bucket","start_time":1,"results":[{"input_tokens":3,"input_cached_tokens":9,"input_uncached_tokens":3}]}`,
	}, "ingest/openai-usage/*.jsonl")
}

func FuzzParseOpenAICosts(f *testing.F) {
	fuzzMulti(f, "openai-costs", []string{
		`{"object":"page","data":[{"object":"bucket","start_time":1772323200,"results":[{"object":"organization.costs.result","amount":{"value":1e-9,"currency":"usd"},"line_item":"gpt-4o, input"}]}]}`,
	}, "ingest/openai-costs/*.jsonl")
}

func FuzzParseAnthropicUsage(f *testing.F) {
	fuzzMulti(f, "anthropic-usage", []string{
		`{"data":[{"starting_at":"2026-03-01T00:00:00Z","results":[{"uncached_input_tokens":1,"cache_creation":{"ephemeral_5m_input_tokens":2},"cache_read_input_tokens":3,"output_tokens":4,"model":"claude-haiku-4-5"}]}],"has_more":false}`,
	}, "ingest/anthropic-usage/*.jsonl")
}

func FuzzParseAnthropicCost(f *testing.F) {
	fuzzMulti(f, "anthropic-cost", []string{
		`{"data":[{"starting_at":"2026-03-01T00:00:00Z","results":[{"amount":"123.45","currency":"USD","model":"claude-haiku-4-5"}]}],"has_more":false}`,
	}, "ingest/anthropic-cost/*.jsonl")
}

func FuzzParseOpenAIUsageCSV(f *testing.F) {
	fuzzTable(f, "openai-usage-csv", "ingest/openai-usage-csv/*.csv", "ingest/openai-usage-csv/*.tsv")
}

func FuzzParseOpenAICostsCSV(f *testing.F) {
	fuzzTable(f, "openai-costs-csv", "ingest/openai-costs-csv/*.csv", "ingest/openai-costs-csv/*.tsv")
}

func FuzzParseCUR(f *testing.F) {
	fuzzTable(f, "aws-cur", "ingest/aws-cur/*.csv")
}

// fuzzTable seeds with whole files and parses every line of the input
// with one parser, checking each record.
func fuzzTable(f *testing.F, id string, globs ...string) {
	for _, g := range globs {
		files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", g))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	fm, err := LookupFormat(id)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := newParser()
		var rec record.Record
		for i, l := range bytes.Split(data, []byte{'\n'}) {
			l = bytes.TrimSuffix(l, []byte{'\r'})
			if isBlank(l) {
				continue
			}
			rec.Reset()
			p.line = int64(i + 1)
			if err := fm.parse(p, l, &rec); err == nil {
				checkRecord(t, &rec)
				if !rec.HasUsage && !rec.HasCharged {
					t.Fatalf("line %d: a billing record with neither usage nor charge: %+v", i+1, rec)
				}
			}
		}
		_, _ = Detect(data)
	})
}

// A corrupt Parquet file is reported, never a crash.
func FuzzCURParquet(f *testing.F) {
	pq := filepath.Join(f.TempDir(), "seed.parquet")
	curCSVToParquet(f, "../../testdata/ingest/aws-cur/cur2.csv", pq)
	if data, err := os.ReadFile(pq); err == nil {
		f.Add(data)
	}
	f.Add([]byte("PAR1"))
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, parquetMagic) {
			return
		}
		p := filepath.Join(t.TempDir(), "f.parquet")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		st, recs, _, err := runLines(t, []string{p}, Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for i := range recs {
			checkRecord(t, &recs[i])
		}
		_ = st
	})
}
