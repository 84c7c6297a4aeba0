package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Per-AWS-Region Bedrock prices (pricing-rules.md B1, B5). LiteLLM lists
// them as "bedrock/<region>/<model id>" keys (bedrock/eu-west-1/meta.llama3-
// 70b-instruct-v1:0); the region-less key is the default price. They become
// the "regions" of the model's current price window:
//
//   - each Region key is derived like any entry (cache and batch rules of
//     the model's family), and attached to the catalog model whose id or
//     alias it names, or whose id differs only in the vendor word
//     ("moonshotai.kimi-k2-thinking" → "moonshot.kimi-k2-thinking");
//   - a window with a long-context band gets, for each Region, the default
//     long-context band scaled by the Region's ratio to the default (input
//     kinds by the input ratio, output by the output ratio): LiteLLM lists
//     no long-context Region prices (assumption, noted in the source);
//   - default_region is us-east-1: LiteLLM's region-less Bedrock price is
//     us-east-1's wherever both are listed (checked here: a model whose
//     us-east-1 key differs from its default gets no default_region); a
//     us-east-1 key equal to the default is then left out as redundant;
//   - a geographic cross-Region profile (us., eu., apac., jp., au., ca.,
//     us-gov.) is priced in its source Region (B5), so it takes the
//     in-Region model's prices for the Regions of its geography when its
//     own default price is the in-Region one; a profile priced apart (Claude 4.5+ geographic
//     profiles at 1.1x global) keeps its one price. Global profiles keep
//     their one global price (B5: global routing is priced apart).
//
// Commitment keys (bedrock/<region>/1-month-commitment/…, bedrock/*/…) are
// provisioned throughput, not per-token prices, and are skipped.

// regionDataErrors are LiteLLM Region keys left out as data errors: the
// call is then priced at the default rates, with the report's note that
// its Region has no price in the catalog.
var regionDataErrors = map[string]string{
	// Output $2.65/M is the 70B model's input price; every other Region
	// lists Llama 3 8B output at about twice its input ($0.60 in
	// us-east-1, the GovCloud 70B price being us-east-1's).
	"bedrock/us-gov-east-1/meta.llama3-8b-instruct-v1:0": "output $2.65/M, the 70B input price (copy error)",
	"bedrock/us-gov-west-1/meta.llama3-8b-instruct-v1:0": "output $2.65/M, the 70B input price (copy error)",
}

// regionX is one Region's prices in a window.
type regionX struct {
	band   bandX
	long   *bandX
	source string
}

var reRegionKey = regexp.MustCompile(`^bedrock/([a-z]{2}(?:-gov)?-[a-z]+-\d{1,2})/([^/]+)$`)

// defaultRegion is the Region whose prices LiteLLM's region-less Bedrock
// keys are (see above).
const defaultRegion = "us-east-1"

// regionKey splits a LiteLLM Region key into (region, model id).
func regionKey(key string) (region, id string, ok bool) {
	m := reRegionKey.FindStringSubmatch(key)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// bedrockPathSkip is classify's reason for a bedrock/… key.
func bedrockPathSkip(key string) string {
	switch {
	case strings.Contains(key, "-commitment/") || strings.HasPrefix(key, "bedrock/*/"):
		return "bedrock commitment (provisioned throughput)"
	case reRegionKey.MatchString(key):
		return "bedrock Region price (into regions)"
	}
	return "bedrock route path"
}

// addRegions attaches the Region keys of the current and the older LiteLLM
// copies (the older only for keys the current one lacks) to the models.
func addRegions(models map[string]*modelX, cur map[string]fields, curKeys []string, old map[string]fields, oldKeys []string, rep *Report) error {
	byName := map[string]*modelX{} // lower-case id or alias → Bedrock model
	byRest := map[string][]*modelX{}
	for _, k := range sortedKeys(models) {
		m := models[k]
		if m.provider != "bedrock" {
			continue
		}
		for _, n := range append([]string{m.id}, m.aliases...) {
			byName[strings.ToLower(n)] = m
		}
		if rest := vendorless(m.id); rest != "" && !reProfile.MatchString(m.id) {
			byRest[rest] = append(byRest[rest], m)
		}
	}
	target := func(id string) *modelX {
		if m := byName[strings.ToLower(id)]; m != nil {
			return m
		}
		if ms := byRest[vendorless(strings.ToLower(id))]; len(ms) == 1 {
			return ms[0]
		}
		if ms := byRest[strings.ToLower(id)]; len(ms) == 1 { // no vendor word: "claude-sonnet-4-5-…"
			return ms[0]
		}
		return nil
	}
	type item struct {
		key, origin, region, id string
		f                       fields
	}
	var items []item
	for _, k := range curKeys {
		if r, id, ok := regionKey(k); ok {
			items = append(items, item{k, originNew, r, id, cur[k]})
		}
	}
	for _, k := range oldKeys {
		if _, dup := cur[k]; dup {
			continue
		}
		if r, id, ok := regionKey(k); ok {
			items = append(items, item{k, originOld, r, id, old[k]})
		}
	}
	touched := map[*modelX]bool{}
	for _, it := range items {
		switch it.f.str("mode") {
		case "chat", "completion", "responses":
		default:
			continue
		}
		if why, bad := regionDataErrors[it.key]; bad {
			rep.Skipped["bedrock Region price with a data error"]++
			rep.Corrections = append(rep.Corrections, it.key+": left out, "+why)
			continue
		}
		in, okIn := it.f.num("input_cost_per_token")
		out, okOut := it.f.num("output_cost_per_token")
		if !okIn || !okOut || !in.IsPositive() || !out.IsPositive() {
			rep.Skipped["bedrock Region price without per-token prices"]++
			continue
		}
		m := target(it.id)
		if m == nil {
			rep.Skipped["bedrock Region price of a model not in the catalog"]++
			rep.Collisions = append(rep.Collisions, it.key+": Region price of a model not in the catalog, skipped")
			continue
		}
		d, err := derive(&entry{key: it.key, origin: it.origin, provider: "bedrock", id: m.id, f: it.f})
		if err != nil {
			return err
		}
		p := &m.prices[len(m.prices)-1]
		rx := &regionX{band: d.prices[0].base, source: d.prices[0].source + " (" + it.key + ")"}
		if p.long != nil {
			rx.long = scaleBand(p.long, p.base.std, rx.band.std)
			rx.source += "; long context scaled from the default by the Region's ratio (assumption: no Region long-context price listed)"
		}
		if p.regions == nil {
			p.regions = map[string]*regionX{}
		}
		if prev := p.regions[it.region]; prev != nil {
			if !bandEqual(prev.band, rx.band) {
				rep.Collisions = append(rep.Collisions, fmt.Sprintf("%s %s: kept %s over %s (prices differ)", m.id, it.region, prev.source, it.key))
			}
			continue
		}
		p.regions[it.region] = rx
		touched[m] = true
	}
	// The default Region.
	for _, k := range sortedKeys(models) {
		m := models[k]
		if !touched[m] {
			continue
		}
		p := &m.prices[len(m.prices)-1]
		if r := p.regions[defaultRegion]; r != nil {
			if !r.band.std.equal(p.base.std) {
				rep.Collisions = append(rep.Collisions, fmt.Sprintf("%s: %s Region price differs from the default: no default_region", m.id, defaultRegion))
				continue
			}
			if bandEqual(r.band, p.base) {
				delete(p.regions, defaultRegion)
			}
		}
		p.defaultRegion = defaultRegion
	}
	// Geographic cross-Region profiles take their in-Region model's Region
	// prices when priced alike.
	for _, k := range sortedKeys(models) {
		m := models[k]
		g := reProfile.FindString(m.id)
		if m.provider != "bedrock" || g == "" || g == "global." {
			continue
		}
		base := models["bedrock/"+strings.TrimPrefix(m.id, g)]
		if base == nil || !touched[base] {
			continue
		}
		bp, pp := &base.prices[len(base.prices)-1], &m.prices[len(m.prices)-1]
		if pp.regions != nil || !bp.base.std.equal(pp.base.std) || (bp.long == nil) != (pp.long == nil) {
			rep.Collisions = append(rep.Collisions, m.id+": priced apart from "+base.id+": its Region prices are not copied")
			continue
		}
		pp.regions = map[string]*regionX{}
		for r, x := range bp.regions {
			if !inGeography(strings.TrimSuffix(g, "."), r) {
				continue // a call through this profile is never made there
			}
			cp := *x
			cp.source += "; cross-Region profile priced in its source Region (rules B5)"
			pp.regions[r] = &cp
		}
		pp.defaultRegion = bp.defaultRegion
		if len(pp.regions) == 0 {
			pp.regions, pp.defaultRegion = nil, "" // one price in every Region it is called from
		}
	}
	sort.Strings(rep.Collisions)
	return nil
}

// inGeography reports whether AWS Region r is a source Region of the
// geographic inference profiles with prefix geo (cross-region-inference
// documentation: a profile routes within its geography, from Regions of it).
func inGeography(geo, r string) bool {
	switch geo {
	case "us":
		return strings.HasPrefix(r, "us-") && !strings.HasPrefix(r, "us-gov-")
	case "us-gov":
		return strings.HasPrefix(r, "us-gov-")
	case "ca":
		return strings.HasPrefix(r, "ca-")
	case "eu":
		return strings.HasPrefix(r, "eu-")
	case "apac":
		return strings.HasPrefix(r, "ap-")
	case "jp":
		return r == "ap-northeast-1" || r == "ap-northeast-3"
	case "au":
		return r == "ap-southeast-2" || r == "ap-southeast-4"
	}
	return false
}

// vendorless drops the vendor word of a Bedrock id ("meta.llama3-…" →
// "llama3-…"), "" when it has none.
func vendorless(id string) string {
	id = reProfile.ReplaceAllString(id, "")
	if i := strings.IndexByte(id, '.'); i > 0 && i < len(id)-1 {
		return id[i+1:]
	}
	return ""
}

// scaleBand scales a default long-context band to a Region whose standard
// rates are to, from a default whose standard rates are from: input kinds
// by the input ratio, output by the output ratio.
func scaleBand(b *bandX, from, to r5) *bandX {
	fi := to.in.Div(from.in)
	fo := to.out.Div(from.out)
	s := func(r r5) r5 {
		return r5{in: rd(r.in.Mul(fi)), out: rd(r.out.Mul(fo)), cr: rd(r.cr.Mul(fi)), w5: rd(r.w5.Mul(fi)), w1h: rd(r.w1h.Mul(fi))}
	}
	sp := func(r *r5) *r5 {
		if r == nil {
			return nil
		}
		x := s(*r)
		return &x
	}
	return &bandX{std: s(b.std), batch: sp(b.batch), flex: sp(b.flex), prio: sp(b.prio)}
}

func bandEqual(a, b bandX) bool {
	eq := func(x, y *r5) bool { return x == nil && y == nil || x != nil && y != nil && x.equal(*y) }
	return a.std.equal(b.std) && eq(a.batch, b.batch) && eq(a.flex, b.flex) && eq(a.prio, b.prio)
}
