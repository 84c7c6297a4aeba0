package main

import (
	"regexp"

	"github.com/shopspring/decimal"
)

// Regional endpoints of Claude 4.5 and later on Bedrock (pricing-rules.md
// B5). From Claude Sonnet 4.5, Haiku 4.5 and Opus 4.5 on, Bedrock offers a
// global endpoint (global. profiles) and regional ones — in-Region calls and
// geographic profiles (us., eu., …) — priced 10% above global, input and
// output alike. LiteLLM has the geographic profiles at 1.1x but most
// in-Region ids at the global price; AWS's own Cost and Usage Report rows
// charge in-Region Claude 4.6 at 1.1x global (see
// testdata/ingest/aws-cur/README.md), as does a gateway's summary of the
// Bedrock pricing page (clauder-navi.com/en/bedrock-claude-cost: "regional
// priced 10% higher than global"). So an in-Region id whose global profile
// exists and that LiteLLM prices exactly like it gets 1.1x every rate of
// its current window: base, long context, batch and flex, and the Region
// tables that equal the global price (a Region LiteLLM prices apart, such
// as GovCloud, keeps its figure).

// reInRegionClaude45 matches in-Region ids of Claude 4.5 and later
// (anthropic.claude-sonnet-4-5-…, anthropic.claude-opus-4-6-v1,
// anthropic.claude-sonnet-5); Claude 4 and 4.1 keep one price everywhere.
var reInRegionClaude45 = regexp.MustCompile(`^anthropic\.claude-[a-z]+-(?:4-[5-9]|[5-9])(?:$|[-.:])`)

var regionalPremium = decimal.RequireFromString("1.1")

// addRegionalPremium applies the rule to the Bedrock models of groups
// (keyed provider/id) and lists the models it changed.
func addRegionalPremium(groups map[string]*modelX, rep *Report) {
	for _, k := range sortedKeys(groups) {
		m := groups[k]
		if m.provider != "bedrock" || !reInRegionClaude45.MatchString(m.id) {
			continue
		}
		g := groups["bedrock/global."+m.id]
		if g == nil || len(m.prices) == 0 || len(g.prices) == 0 {
			continue
		}
		p, gp := &m.prices[len(m.prices)-1], &g.prices[len(g.prices)-1]
		if !p.base.std.equal(gp.base.std) {
			continue // LiteLLM prices it apart already
		}
		global := p.base.std
		p.base = p.base.mul(regionalPremium)
		if p.long != nil {
			l := p.long.mul(regionalPremium)
			p.long = &l
		}
		for _, r := range p.regions {
			if r.band.std.equal(global) {
				r.band = r.band.mul(regionalPremium)
				if r.long != nil {
					l := r.long.mul(regionalPremium)
					r.long = &l
				}
			}
		}
		p.source += "; regional endpoint 1.1x the global profile (rules B5; AWS CUR rows, Bedrock pricing)"
		rep.Corrections = append(rep.Corrections, "bedrock/"+m.id+": regional endpoint 1.1x global (rules B5)")
	}
}

// mul scales every tier of the band.
func (b bandX) mul(f decimal.Decimal) bandX {
	out := bandX{std: b.std.mul(f)}
	for _, t := range []struct{ src, dst **r5 }{{&b.batch, &out.batch}, {&b.flex, &out.flex}, {&b.prio, &out.prio}} {
		if *t.src != nil {
			x := (*t.src).mul(f)
			*t.dst = &x
		}
	}
	return out
}
