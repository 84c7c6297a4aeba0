package ingest

import (
	"fmt"
	"strings"
	"time"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// OpenAI Costs API pages (shared/formats/openai.md §5): GET
// /v1/organization/costs, saved as returned (a page, or its buckets). Each
// organization.costs.result is one charge-only record: amount.value is
// money in dollars (a JSON number, read exactly from its text), at the
// day bucket's start. The line item (with group_by=line_item, e.g.
// "gpt-4o-2024-08-06, input") is kept as the tag line_item, and the model
// it names (the text before ", ") as the record's model, so that charges
// sum per model and per line item; a line item naming no model, or a
// result not grouped by line item, is the model chargedModel. quantity is
// not read: its unit varies and the tokens come from the Usage API. Only
// USD amounts are summed; another currency is an error.

// oaCost is one costs result, from an API page or a cost export row.
type oaCost struct {
	start                     time.Time
	nano                      int64
	hasAmount                 bool
	currency                  string
	lineItem, project, apiKey string
}

func (c *oaCost) record(rec *record.Record) error {
	if !c.hasAmount {
		return errNoRecord
	}
	if c.currency != "" && !strings.EqualFold(c.currency, "usd") {
		return fmt.Errorf("amount in %s: only USD amounts are summed", c.currency)
	}
	model, kind := oaLineItem(c.lineItem)
	if c.lineItem == "" {
		model = chargedModel
	}
	rec.Time = c.start
	rec.Provider = "openai"
	rec.Model = model
	rec.Tier = costTier(kind)
	rec.NoCalls, rec.HasCharged, rec.ChargedNanoUSD = true, true, c.nano
	rec.Project = c.project
	addTag(rec, tagLineItem, c.lineItem)
	addTag(rec, tagAPIKey, c.apiKey)
	return nil
}

// costTier reads the tier a charge's description names ("batch input").
func costTier(kind string) record.Tier {
	k := strings.ToLower(kind)
	switch {
	case strings.Contains(k, "batch"):
		return record.TierBatch
	case strings.Contains(k, "flex"):
		return record.TierFlex
	case strings.Contains(k, "priority"):
		return record.TierPriority
	}
	return record.TierStandard
}

func parseOpenAICosts(p *parser, line []byte, rec *record.Record, out *emitter) error {
	err := eachDoc(line, func(d []byte, i int) (int, error) {
		return p.oaPage(d, i, rec, out, p.oaCostResult)
	})
	return out.finish(rec, err)
}

func (p *parser) oaCostResult(d []byte, i int, start time.Time, rec *record.Record, out *emitter) (int, error) {
	c := oaCost{start: start}
	end, err := members(d, i, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "amount":
			if jsonx.IsNull(v) {
				return nil
			}
			if jsonx.Kind(v) != '{' {
				return fmt.Errorf("amount: want an object, got %.20s", v)
			}
			return jsonx.ObjectEach(v, func(k, v []byte) error {
				var err error
				switch string(k) {
				case "value":
					if jsonx.IsNull(v) {
						return nil
					}
					c.nano, err = jsonAmount("amount.value", v, 0)
					c.hasAmount = err == nil
				case "currency":
					c.currency, err = p.str("amount.currency", v)
				}
				return err
			})
		case "line_item":
			c.lineItem, err = p.str("line_item", v)
		case "project_id":
			c.project, err = p.str("project_id", v)
		case "api_key_id":
			c.apiKey, err = p.str("api_key_id", v)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	r := out.start()
	switch err := c.record(r); err {
	case nil:
		out.keep(rec)
	case errNoRecord:
	default:
		return 0, err
	}
	return end, nil
}

func init() {
	registerMulti(&Format{
		ID:          "openai-costs",
		Description: "OpenAI Costs API pages (/v1/organization/costs): money charged per day and line item",
		Order:       15,
		Billing:     true,
		sniff: func(s *shape) bool {
			return oaSniffPage(s, `"organization.costs.result"`, `"amount"`)
		},
	}, parseOpenAICosts)
}
