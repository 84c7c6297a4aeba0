package ingest

import (
	"bytes"
	"strconv"
	"time"

	"github.com/llmcost/llmcost/pkg/record"
)

// The OpenAI dashboard's exports (shared/formats/openai.md §6): Usage page
// → Activity or Cost → Export, flat projections of the Usage and Costs API
// buckets (completions_usage_<from>_<to>.csv, cost_<from>_<to>.csv), as
// downloaded or after a spreadsheet (tab-separated, FALSE for false,
// numbers as floats: 59200.0). Columns are mapped by name (billing_csv.go).
// A row becomes the same record as the API result it projects
// (billing_openai_usage.go, billing_openai_costs.go). A bucket without
// usage is a row with only the time columns filled: no record. An export
// with no data at all is the header alone.

// cellTime parses a time cell: Unix seconds (possibly "1730419200.0") or
// RFC 3339 ("2025-10-05T00:00:00+00:00", or with a space).
func cellTime(field string, c []byte) (time.Time, error) {
	if len(c) == 0 {
		return time.Time{}, nil
	}
	if k := c[0]; k >= '0' && k <= '9' && bytes.IndexByte(c, '-') < 0 {
		f, err := strconv.ParseFloat(string(c), 64)
		if err != nil || f < 0 || f > 1e19 {
			return time.Time{}, fieldErr(field, errBadTime(c))
		}
		return fromUnix(f), nil
	}
	if t, ok := parseTimestamp(c); ok {
		return t, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, string(c)); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fieldErr(field, errBadTime(c))
}

type badTimeError string

func (e badTimeError) Error() string { return "unrecognised time " + strconv.Quote(string(e)) }

func errBadTime(c []byte) error { return badTimeError(c) }

// oaCSVTime reads a row's bucket start: start_time, else start_time_iso.
func oaCSVTime(fields [][]byte, start, iso int) (time.Time, error) {
	if c := cell(fields, start); len(c) > 0 {
		return cellTime("start_time", c)
	}
	return cellTime("start_time_iso", cell(fields, iso))
}

type oaUsageCols struct {
	start, iso, project, user, apiKey, model, batch, tier int
	requests, in, out, cached, write, uncached            int
}

func oaUsageColumns(h []string) any {
	return &oaUsageCols{
		start: colIndex(h, "start_time"), iso: colIndex(h, "start_time_iso"),
		project: colIndex(h, "project_id"), user: colIndex(h, "user_id"), apiKey: colIndex(h, "api_key_id"),
		model: colIndex(h, "model"), batch: colIndex(h, "batch"), tier: colIndex(h, "service_tier"),
		requests: colIndex(h, "num_model_requests"), in: colIndex(h, "input_tokens"), out: colIndex(h, "output_tokens"),
		cached: colIndex(h, "input_cached_tokens"), write: colIndex(h, "input_cache_write_tokens"),
		uncached: colIndex(h, "input_uncached_tokens"),
	}
}

func parseOpenAIUsageCSV(p *parser, line []byte, rec *record.Record) error {
	st, fields, err := p.csvRow(line, rec, oaUsageColumns)
	if err != nil {
		return err
	}
	c := st.cols.(*oaUsageCols)
	var u oaUsage
	for _, n := range [...]struct {
		name string
		col  int
		dst  *int64
		has  *bool
	}{
		{"input_tokens", c.in, &u.in, &u.hasIn},
		{"input_uncached_tokens", c.uncached, &u.uncached, &u.hasUncached},
		{"input_cached_tokens", c.cached, &u.cached, nil},
		{"input_cache_write_tokens", c.write, &u.write, nil},
		{"output_tokens", c.out, &u.out, nil},
		{"num_model_requests", c.requests, &u.requests, nil},
	} {
		v, present, err := textCount(n.name, st.num(cell(fields, n.col)))
		if err != nil {
			return err
		}
		*n.dst = v
		if n.has != nil {
			*n.has = present
		}
	}
	if u.in|u.cached|u.write|u.uncached|u.out|u.requests == 0 {
		return errNoRecord
	}
	if u.start, err = oaCSVTime(fields, c.start, c.iso); err != nil {
		return err
	}
	u.model, u.project, u.user = p.cellStr(fields, c.model), p.cellStr(fields, c.project), p.cellStr(fields, c.user)
	u.apiKey, u.tier = p.cellStr(fields, c.apiKey), p.cellStr(fields, c.tier)
	u.batch, _ = textBool(cell(fields, c.batch))
	return u.record(rec)
}

type oaCostCols struct {
	start, iso, amount, currency, lineItem, project, apiKey int
}

func oaCostColumns(h []string) any {
	return &oaCostCols{
		start: colIndex(h, "start_time"), iso: colIndex(h, "start_time_iso"),
		amount: colIndex(h, "amount_value", "amount"), currency: colIndex(h, "amount_currency", "currency"),
		lineItem: colIndex(h, "line_item"), project: colIndex(h, "project_id"), apiKey: colIndex(h, "api_key_id"),
	}
}

func parseOpenAICostsCSV(p *parser, line []byte, rec *record.Record) error {
	st, fields, err := p.csvRow(line, rec, oaCostColumns)
	if err != nil {
		return err
	}
	c := st.cols.(*oaCostCols)
	amount := cell(fields, c.amount)
	if len(amount) == 0 {
		return errNoRecord
	}
	cost := oaCost{hasAmount: true}
	if cost.nano, err = nanoUSD("amount_value", st.num(amount), 0); err != nil {
		return err
	}
	if cost.start, err = oaCSVTime(fields, c.start, c.iso); err != nil {
		return err
	}
	cost.currency, cost.lineItem = p.cellStr(fields, c.currency), p.cellStr(fields, c.lineItem)
	cost.project, cost.apiKey = p.cellStr(fields, c.project), p.cellStr(fields, c.apiKey)
	return cost.record(rec)
}

// oaCSVTimes reports whether a header has the bucket time columns, and
// only them (the header of an export with no data).
func oaCSVTimes(s *shape) (has, only bool) {
	has = s.hasColumns("start_time") || s.hasColumns("start_time_iso")
	only = has && len(s.csv) <= 4 && colIndex(s.csv, "start_time", "end_time", "start_time_iso", "end_time_iso") >= 0
	for _, c := range s.csv {
		switch c {
		case "start_time", "end_time", "start_time_iso", "end_time_iso":
		default:
			only = false
		}
	}
	return has, only
}

func init() {
	register(
		&Format{
			ID:          "openai-usage-csv",
			Description: "OpenAI dashboard activity export (CSV or TSV: start_time, model, num_model_requests, input_tokens, …), priced like logs",
			Order:       30,
			Billing:     true,
			parse:       parseOpenAIUsageCSV,
			sequential:  true,
			csvRows:     true,
			sniff: func(s *shape) bool {
				has, only := oaCSVTimes(s)
				return has && (only || colIndex(s.csv, "num_model_requests", "input_tokens", "output_tokens") >= 0) &&
					!s.hasColumns("amount_value")
			},
		},
		&Format{
			ID:          "openai-costs-csv",
			Description: "OpenAI dashboard cost export (CSV or TSV: start_time, amount_value, line_item, …): money charged",
			Order:       30,
			Billing:     true,
			parse:       parseOpenAICostsCSV,
			sequential:  true,
			csvRows:     true,
			sniff: func(s *shape) bool {
				has, _ := oaCSVTimes(s)
				return has && s.hasColumns("amount_value")
			},
		},
	)
}
