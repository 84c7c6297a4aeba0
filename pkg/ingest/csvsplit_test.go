package ingest

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// The headers of the delimited billing formats, as the fixtures have them.
var csvHeaders = []string{
	"line_item_usage_start_date,line_item_product_code,line_item_usage_type,line_item_usage_amount,pricing_unit,line_item_unblended_cost,line_item_currency_code,line_item_line_item_description,product,resource_tags",
	"start_time,end_time,project_id,num_model_requests,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens",
	"start_time\tamount_value\tamount_currency\tline_item\tproject_id",
}

// csvOutcome is what a Run over a delimited file gives, in an order that
// does not depend on how its rows were spread over workers.
func csvOutcome(t *testing.T, path string, chunk, workers int) string {
	t.Helper()
	return csvOutcomeAs(t, path, chunk, workers, true)
}

// csvSequential is the reference outcome: the whole file on the
// sequential parser, as before rows went to the workers.
func csvSequential(t *testing.T, path string) string {
	t.Helper()
	return csvOutcomeAs(t, path, 1<<16, 1, false)
}

func csvOutcomeAs(t *testing.T, path string, chunk, workers int, parallel bool) string {
	t.Helper()
	csvRowsParallel = parallel
	defer func() { csvRowsParallel = true }()
	st, recs, _, err := runLines(t, []string{path}, Options{ChunkSize: chunk, Workers: workers, MaxProblems: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, fmt.Sprintf("rec %d %s %s %d/%d/%d/%d/%d %d %v %d %s %v", r.Loc.Line, r.Model, r.Tier, r.InputTokens, r.CacheReadTokens,
			r.CacheWrite5mTokens, r.CacheWrite1hTokens, r.OutputTokens, r.ChargedNanoUSD, r.HasUsage, r.CallCount(), r.Region, r.Tags))
	}
	for _, p := range st.Problems {
		out = append(out, fmt.Sprintf("problem %d %v", p.Line, p.Err))
	}
	sort.Strings(out)
	f := st.Files[0]
	return fmt.Sprintf("format %s lines %d records %d not billed %d malformed %d\n%s", f.Format, f.Lines, f.Records, f.NotBilled, f.Malformed, strings.Join(out, "\n"))
}

// randomCSV writes rows of a delimited export with every quoting case
// csvRow reads: quoted fields holding delimiters, doubled quotes and
// newlines (LF and CRLF), quotes inside unquoted fields, text after a
// closing quote, spaces before an opening quote, blank lines inside and
// between rows, repeated headers, and quotes left open.
func randomCSV(rng *rand.Rand, header string, rows int) string {
	delim := byte(',')
	if strings.Contains(header, "\t") {
		delim = '\t'
	}
	ncol := strings.Count(header, string(delim)) + 1
	nl := "\n"
	if rng.Intn(3) == 0 {
		nl = "\r\n"
	}
	var b strings.Builder
	b.WriteString(header + nl)
	values := []string{"2026-03-01T00:00:00Z", "AmazonBedrock", "USE1-Claude4.6Sonnet-input-tokens", "USW2-NovaPro-output-tokens",
		"1000", "tokens", "0.003", "USD", "gpt-4o", "12", "True", "default", "1730419200", "0.5", "web search", "Bedrock tokens", "oken", "edrock"}
	field := func() string {
		v := values[rng.Intn(len(values))]
		switch rng.Intn(12) {
		case 0:
			return `"` + v + `, with a comma"`
		case 1:
			return `"` + v + nl + "second line" + nl + `third"`
		case 2:
			return `"{""product_name"":""` + v + `""}"`
		case 3:
			return v + `" inch`
		case 4:
			return `  "` + v + `"`
		case 5:
			return `"` + v + `"tail`
		case 6:
			return `"` + v + nl + nl + `after a blank line"`
		case 7:
			return `"` + v // left open
		case 8:
			return `""`
		case 9:
			return `"ends with a quote"""`
		}
		return v
	}
	for i := 0; i < rows; i++ {
		switch rng.Intn(40) {
		case 0:
			b.WriteString(nl)
			continue
		case 1:
			b.WriteString(header + nl)
			continue
		}
		for c := 0; c < ncol; c++ {
			if c > 0 {
				b.WriteByte(delim)
			}
			b.WriteString(field())
		}
		b.WriteString(nl)
	}
	return b.String()
}

// Cutting a delimited file into chunks parsed on several workers gives
// exactly what parsing it in one piece gives: the same records at the
// same lines, the same problems, the same counts.
func TestCSVChunksMatchSequential(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 60; i++ {
		header := csvHeaders[i%len(csvHeaders)]
		data := randomCSV(rng, header, 20+rng.Intn(200))
		path := write(t, "in.csv", []byte(data))
		want := csvSequential(t, path)
		if one := csvOutcome(t, path, len(data)+1, 1); one != want {
			t.Fatalf("file %d, one chunk:\n%s\n\nwant (sequential):\n%s\n\ninput:\n%q", i, one, want, data)
		}
		for _, chunk := range []int{16, 64, 257, 1024} {
			if got := csvOutcome(t, path, chunk, 3); got != want {
				t.Fatalf("file %d, chunks of %d bytes:\n%s\n\nwant (sequential):\n%s\n\ninput:\n%q", i, chunk, got, want, data)
			}
		}
	}
}

// A quoted field open for more lines than csvRow waits for (or more
// bytes) is given up on the same line however the file is cut: the lines
// after it, which open and close quotes, are read as csvRow reads them.
func TestCSVChunksPendingLimits(t *testing.T) {
	row := "2026-03-01T00:00:00Z,AmazonBedrock,USE1-Claude4.6Sonnet-input-tokens,1000,tokens,0.003,USD,"
	// After the limit, lines that each hold one opening quote: csvRow
	// reads them in pairs (one opens a row, the next closes it), and a
	// splitter one line out of step would cut every chunk inside a row.
	// (The bytes case needs a long tail: the reader's buffer grows past the
	// megabyte of the unclosed row before it can cut.)
	for _, tc := range []struct {
		name, body string
		pairs      int
	}{
		// The row opens on its first line; csvRow gives up on the line
		// that makes it maxPendingLines+1 lines long, or longer than
		// maxPendingBytes.
		{"lines", strings.Repeat("x\n", maxPendingLines), 1500},
		{"bytes", strings.Repeat(strings.Repeat("y", 60000)+"\n", 18), 400_000},
	} {
		after := strings.Repeat("\"x\n", 2*tc.pairs+1) + row + "x,,\n" + row + "\"c\n" + "d\",,\n"
		data := csvHeaders[0] + "\n" + row + "\"open\n" + tc.body + after
		path := write(t, "in.csv", []byte(data))
		want := csvSequential(t, path)
		if !strings.Contains(want, "not closed after") {
			t.Fatalf("%s: the limit was not reached:\n%s", tc.name, want)
		}
		step := 37
		if testing.Short() || tc.name == "bytes" {
			step = 150
		}
		for chunk := 60; chunk < 400; chunk += step {
			if got := csvOutcome(t, path, chunk, 2); got != want {
				t.Fatalf("%s, chunks of %d bytes:\n%s\nwant:\n%s", tc.name, chunk, got, want)
			}
		}
	}
}

// A CUR row of another service that the parser passes over whole
// (Format.csvSkip: its quotes pair up) though, read as splitRow reads it,
// a quoted field runs on: the next line is then a row of its own, and the
// chunks must be cut as the parser reads the file, not as splitRow would.
func TestCSVChunksQuickSkip(t *testing.T) {
	skipped := "2026-03-01T00:00:00Z,AmazonEC2,BoxUsage,1,Hrs,0.1,USD,5\" TV,\"runs on,\n" // even quotes, but open for splitRow
	opens := "2026-03-01T00:00:00Z,AmazonBedrock,USE1-Claude4.6Sonnet-input-tokens,1000,tokens,0.003,USD,\"a\n"
	closes := "b\",,\n"
	bedrock := "2026-03-01T00:00:00Z,AmazonBedrock,USE1-Claude4.6Sonnet-input-tokens,2000,tokens,0.006,USD,x,,\n"
	data := csvHeaders[0] + "\n" + strings.Repeat(skipped+opens+closes+bedrock, 200)
	path := write(t, "in.csv", []byte(data))
	want := csvSequential(t, path)
	if !strings.Contains(want, "records 400") {
		t.Fatalf("unexpected reading:\n%.300s", want)
	}
	for chunk := 50; chunk < 1200; chunk += 23 {
		if got := csvOutcome(t, path, chunk, 2); got != want {
			t.Fatalf("chunks of %d bytes:\n%.600s\nwant:\n%.600s", chunk, got, want)
		}
	}
}

func TestRowOpen(t *testing.T) {
	for _, tc := range []struct {
		line    string
		inQuote bool
		want    bool
	}{
		{`a,b,c`, false, false},
		{`a,"b,c`, false, true},
		{`a,"b",c`, false, false},
		{`a,"b""",c`, false, false},
		{`a,"b""`, false, true},
		{`a,b" inch,"c`, false, true}, // a literal quote, then a quoted field
		{`a,b" inch,c"`, false, false},
		{`a,  "b`, false, true},            // spaces before the opening quote
		{`a,"b"tail"more,c`, false, false}, // text after the closing quote runs to the delimiter
		{`"`, false, true},
		{`""`, false, false},
		{`x"`, false, false},
		{`end",next`, true, false},
		{`end"",still`, true, true},
		{`no quote`, true, true},
		{`end","again`, true, true},
		{`a,`, false, false},
		{``, false, false},
	} {
		if got := rowOpen([]byte(tc.line), ',', tc.inQuote); got != tc.want {
			t.Errorf("rowOpen(%q, inQuote %v) = %v, want %v", tc.line, tc.inQuote, got, tc.want)
		}
		// splitRow, the reference, agrees on rows that start closed.
		if !tc.inQuote {
			_, _, err := splitRow([]byte(tc.line), ',', nil, nil)
			if (err != nil) != tc.want {
				t.Errorf("%q: splitRow open %v, rowOpen %v", tc.line, err != nil, tc.want)
			}
		}
	}
}

func TestCSVHeaderEnd(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"a,b\n1,2\n", 4},
		{"\n\n a,b\r\n1,2\n", 8},
		{"sep=;\na;b\n1;2\n", 10},
		{"\xef\xbb\xbfsep=,\r\na,b\n", 14},
		{"a,b", 3},
		{"\n\n", 2},
	} {
		if got := csvHeaderEnd([]byte(tc.in)); got != tc.want {
			t.Errorf("csvHeaderEnd(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// FuzzCSVChunks checks, on any input after a billing header, that chunked
// parsing on several workers gives what parsing in one piece gives.
func FuzzCSVChunks(f *testing.F) {
	f.Add(0, []byte("2026-03-01T00:00:00Z,AmazonBedrock,USE1-Claude4.6Sonnet-input-tokens,1000,tokens,0.003,USD,\"a\nb\",,\n"))
	f.Add(1, []byte("1730419200,1730419260,p,1,gpt-4o,False,default,10,2,\"3\n\"\n"))
	f.Add(2, []byte("1730419200\t0.5\tusd\t\"web\nsearch\"\tp\n"))
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 6; i++ {
		h := csvHeaders[i%len(csvHeaders)]
		f.Add(i, []byte(strings.TrimPrefix(randomCSV(rng, h, 15), h+"\n")))
	}
	f.Fuzz(func(t *testing.T, which int, body []byte) {
		if len(body) > 1<<16 {
			return
		}
		if which < 0 {
			which = -which
		}
		data := csvHeaders[which%len(csvHeaders)] + "\n" + string(body)
		path := write(t, "in.csv", []byte(data))
		want := csvSequential(t, path)
		for _, chunk := range []int{7, 61, len(data) + 1} {
			if got := csvOutcome(t, path, chunk, 3); got != want {
				t.Fatalf("chunks of %d bytes:\n%s\nwant:\n%s", chunk, got, want)
			}
		}
	})
}
