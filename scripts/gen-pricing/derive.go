package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Units: LiteLLM stores USD per token; everything below is USD per 1M
// tokens, rounded to 6 decimals (a micro-dollar per million tokens).
const places = 6

var (
	dZero = decimal.Zero
	dOne  = decimal.NewFromInt(1)
	dHalf = decimal.RequireFromString("0.5")
	d1_1  = decimal.RequireFromString("1.1")
	d1_25 = decimal.RequireFromString("1.25")
	d2    = decimal.NewFromInt(2)
)

// r5 are the five rates of one tier, USD per 1M tokens.
type r5 struct{ in, out, cr, w5, w1h decimal.Decimal }

func (r r5) mul(f decimal.Decimal) r5 {
	return r5{rd(r.in.Mul(f)), rd(r.out.Mul(f)), rd(r.cr.Mul(f)), rd(r.w5.Mul(f)), rd(r.w1h.Mul(f))}
}

func (r r5) equal(o r5) bool {
	return r.in.Equal(o.in) && r.out.Equal(o.out) && r.cr.Equal(o.cr) && r.w5.Equal(o.w5) && r.w1h.Equal(o.w1h)
}

type bandX struct {
	std               r5
	batch, flex, prio *r5
}

type priceX struct {
	from, until string
	base        bandX
	longAbove   int64
	long        *bandX
	// regions are per-AWS-Region prices (regions.go), defaultRegion the
	// Region of base and long.
	regions       map[string]*regionX
	defaultRegion string
	source        string
}

// modelX is one catalog model being built.
type modelX struct {
	provider, id, name string
	key, origin        string // LiteLLM key and copy it came from
	aliases            []string
	ctx                int64
	deprecated         string
	geo                map[string]string
	prices             []priceX
}

func rd(d decimal.Decimal) decimal.Decimal { return d.Round(places) }

// fields is one LiteLLM entry, decoded with json.Decoder.UseNumber so that
// numbers keep their exact source text.
type fields map[string]any

// num returns field name in USD per 1M tokens.
func (f fields) num(name string) (decimal.Decimal, bool) {
	n, ok := f[name].(json.Number)
	if !ok {
		return dZero, false
	}
	d, err := decimal.NewFromString(n.String())
	if err != nil {
		return dZero, false
	}
	return rd(d.Shift(6)), true
}

// pos is num restricted to positive values: LiteLLM writes 0 for "no such
// price" in cache fields.
func (f fields) pos(name string) (decimal.Decimal, bool) {
	d, ok := f.num(name)
	if !ok || !d.IsPositive() {
		return dZero, false
	}
	return d, true
}

// raw returns a field as a plain number (multipliers, token counts).
func (f fields) raw(name string) (decimal.Decimal, bool) {
	n, ok := f[name].(json.Number)
	if !ok {
		return dZero, false
	}
	d, err := decimal.NewFromString(n.String())
	return d, err == nil
}

func (f fields) str(name string) string {
	s, _ := f[name].(string)
	return s
}

func (f fields) int(name string) int64 {
	n, ok := f[name].(json.Number)
	if !ok {
		return 0
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		fl, err := n.Float64()
		if err != nil {
			return 0
		}
		return int64(fl)
	}
	return i
}

// family says which vendor's rules apply to an entry.
type family int

const (
	famOther family = iota
	famClaude
	famOpenAI
	famGemini
	famNova
)

func familyOf(provider, id string) family {
	switch provider {
	case "anthropic":
		return famClaude
	case "openai":
		return famOpenAI
	case "gemini":
		return famGemini
	case "vertex":
		switch {
		case strings.Contains(id, "claude"):
			return famClaude
		case strings.Contains(id, "gemini"):
			return famGemini
		}
	case "bedrock":
		rest := stripProfile(id)
		switch {
		case strings.HasPrefix(rest, "anthropic.claude"):
			return famClaude
		case strings.HasPrefix(rest, "amazon.nova"):
			return famNova
		}
	}
	return famOther
}

var reProfile = regexp.MustCompile(`^(us|eu|apac|jp|au|ca|us-gov|global)\.`)

func stripProfile(id string) string { return reProfile.ReplaceAllString(id, "") }

// notes collects the rules and fixes applied to one price, for its source.
type notes struct{ list []string }

func (n *notes) add(s string) {
	for _, x := range n.list {
		if x == s {
			return
		}
	}
	n.list = append(n.list, s)
}

// derive builds the model for one LiteLLM entry, filling every rate the
// entry lacks from the vendor rules (pricing-rules.md).
func derive(e *entry) (*modelX, error) {
	f := e.f
	fam := familyOf(e.provider, e.id)
	var nt notes
	for _, p := range e.patches {
		nt.add("fix: " + p)
	}

	in, okIn := f.num("input_cost_per_token")
	out, okOut := f.num("output_cost_per_token")
	if !okIn || !okOut {
		return nil, fmt.Errorf("%s: no token prices", e.key)
	}
	std := r5{in: in, out: out}

	// Cache read.
	if cr, ok := f.pos("cache_read_input_token_cost"); ok {
		std.cr = cr
	} else if cr, ok := f.pos("input_cost_per_token_cache_hit"); ok {
		std.cr = cr
	} else {
		switch {
		case fam == famClaude && isHaiku3(e.id):
			// rules A1 exception: Haiku 3's table read is $0.03 (0.12x).
			std.cr = rd(in.Mul(decimal.RequireFromString("0.12")))
			nt.add("cache read $0.03 Haiku 3 table (rules A1)")
		case fam == famClaude:
			std.cr = rd(in.Mul(decimal.RequireFromString("0.1")))
			nt.add("cache read 0.1x (rules A1)")
		case fam == famOpenAI:
			if frac, ok := openAICacheFraction(e.id); ok {
				std.cr = rd(in.Mul(frac))
				nt.add("cache read " + frac.String() + "x (rules O3)")
			} else {
				std.cr = in
				nt.add("no cached-input discount")
			}
		case fam == famGemini:
			if frac, ok := geminiCacheFraction(e.id); ok {
				std.cr = rd(in.Mul(frac))
				nt.add("cache read " + frac.String() + "x (rules G2)")
			} else {
				std.cr = in
				nt.add("no cached-input discount")
			}
		case fam == famNova:
			std.cr = rd(in.Mul(decimal.RequireFromString("0.25")))
			nt.add("cache read 0.25x (rules B2)")
		default:
			std.cr = in
			nt.add("no cached-input discount")
		}
	}

	// Cache writes.
	switch fam {
	case famClaude:
		if w, ok := f.pos("cache_creation_input_token_cost"); ok {
			std.w5 = w
		} else if isHaiku3(e.id) {
			std.w5 = rd(in.Mul(decimal.RequireFromString("1.2")))
			nt.add("5m write $0.30 Haiku 3 table (rules A1)")
		} else {
			std.w5 = rd(in.Mul(d1_25))
			nt.add("5m write 1.25x (rules A1)")
		}
		std.w1h = rd(in.Mul(d2))
		if w, ok := f.pos("cache_creation_input_token_cost_above_1hr"); ok && !w.Equal(std.w1h) {
			nt.add("fix: 1h write 2x input, LiteLLM " + w.String() + " (rules A1)")
		} else if !ok {
			nt.add("1h write 2x (rules A1)")
		}
	case famOpenAI:
		if w, ok := f.pos("cache_creation_input_token_cost"); ok {
			std.w5 = w
		} else if gpt56Plus(e.id) {
			std.w5 = rd(in.Mul(d1_25))
			nt.add("cache write 1.25x (rules O2)")
		} else {
			std.w5 = in
			nt.add("cache write = input (rules O2)")
		}
		std.w1h = std.w5
	case famGemini:
		// rules G2: creating a cache bills its tokens once at input price.
		std.w5, std.w1h = in, in
		nt.add("cache write = input (rules G2)")
	default:
		if w, ok := f.pos("cache_creation_input_token_cost"); ok {
			std.w5 = w
		} else {
			std.w5 = in
			nt.add("cache write = input")
		}
		std.w1h = std.w5
		if w, ok := f.pos("cache_creation_input_token_cost_above_1hr"); ok {
			std.w1h = w
		}
	}

	base := bandX{std: std}

	// Batch.
	if bi, ok := f.num("input_cost_per_token_batches"); ok {
		bo, _ := f.num("output_cost_per_token_batches")
		base.batch = tierOf(std, bi, bo, nil, nil)
		nt.add("batch LiteLLM, cache 0.5x (rules A5/O5)")
	} else if offersBatch(e.provider, fam, e.id) {
		b := std.mul(dHalf)
		base.batch = &b
		nt.add("batch 50% (" + batchRule(e.provider) + ")")
	}

	// Flex.
	if fi, ok := f.num("input_cost_per_token_flex"); ok {
		fo, _ := f.num("output_cost_per_token_flex")
		base.flex = tierOf(std, fi, fo, opt(f, "cache_read_input_token_cost_flex"), opt(f, "cache_creation_input_token_cost_flex"))
	} else if fam == famOpenAI && openAIFlex(e.id) {
		fl := std.mul(dHalf)
		base.flex = &fl
		nt.add("flex = batch rates (rules O6)")
	}

	// Priority. Anthropic's usage.service_tier "priority" is the Priority
	// Tier: committed capacity billed at the list per-token rates, so it is
	// priced as standard. (Fast mode, LiteLLM's provider_specific_entry.fast
	// multiple, is a separate "speed" dimension that logs do not report as a
	// service tier; it is not mapped onto priority.)
	if e.provider == "anthropic" {
		p := std
		base.prio = &p
		nt.add("priority = standard rates (Anthropic Priority Tier bills list prices under a commitment)")
	} else if pi, ok := f.num("input_cost_per_token_priority"); ok {
		po, _ := f.num("output_cost_per_token_priority")
		base.prio = tierOf(std, pi, po, opt(f, "cache_read_input_token_cost_priority"), opt(f, "cache_creation_input_token_cost_priority"))
	}

	price := priceX{base: base}

	// Long context.
	if above, suffix, ok := longContext(f); ok {
		if fam == famClaude && !claudeLongContext(e.id) {
			nt.add("fix: long-context tier dropped (rules A6: Sonnet 4/4.5 only)")
		} else {
			lin, _ := f.num("input_cost_per_token" + suffix)
			lout, ok := f.num("output_cost_per_token" + suffix)
			if !ok {
				lout = rd(out.Mul(lin).Div(in))
			}
			ratio := func(k decimal.Decimal) decimal.Decimal { return rd(lin.Mul(k).Div(in)) }
			l := r5{in: lin, out: lout}
			if v, ok := f.pos("cache_read_input_token_cost" + suffix); ok {
				l.cr = v
			} else {
				l.cr = ratio(std.cr)
			}
			if v, ok := f.pos("cache_creation_input_token_cost" + suffix); ok && fam != famGemini {
				l.w5 = v
			} else {
				l.w5 = ratio(std.w5)
			}
			if fam == famClaude {
				l.w1h = rd(lin.Mul(d2))
			} else {
				l.w1h = ratio(std.w1h)
			}
			lb := bandX{std: l}
			if base.batch != nil {
				b := l.mul(base.batch.in.Div(std.in))
				lb.batch = &b
			}
			if base.flex != nil {
				fl := l.mul(base.flex.in.Div(std.in))
				lb.flex = &fl
			}
			if pi, ok := f.num("input_cost_per_token" + suffix + "_priority"); ok && base.prio != nil {
				po, ok := f.num("output_cost_per_token" + suffix + "_priority")
				if !ok {
					po = rd(lout.Mul(pi).Div(lin))
				}
				lb.prio = tierOf(l, pi, po, opt(f, "cache_read_input_token_cost"+suffix+"_priority"), nil)
			} else if e.provider == "anthropic" {
				p := l // Priority Tier: list rates, in this band too
				lb.prio = &p
			}
			price.longAbove = above
			price.long = &lb
		}
	}

	src := "LiteLLM " + e.origin
	if len(nt.list) > 0 {
		src += "; " + strings.Join(nt.list, "; ")
	}
	price.source = src

	m := &modelX{
		provider:   e.provider,
		id:         e.id,
		key:        e.key,
		origin:     e.origin,
		ctx:        f.int("max_input_tokens"),
		deprecated: f.str("deprecation_date"),
		prices:     []priceX{price},
	}
	if m.ctx == 0 {
		m.ctx = f.int("max_tokens")
	}
	m.geo = geoOf(e)
	return m, nil
}

func opt(f fields, name string) *decimal.Decimal {
	if v, ok := f.pos(name); ok {
		return &v
	}
	return nil
}

// tierOf builds a tier from its input and output rates; cache rates not
// given keep the standard tier's ratio to input (the tier discount stacks
// with the cache multipliers: rules A5, O5, O6).
func tierOf(std r5, in, out decimal.Decimal, cr, w *decimal.Decimal) *r5 {
	scale := func(k decimal.Decimal) decimal.Decimal { return rd(in.Mul(k).Div(std.in)) }
	t := r5{in: in, out: out}
	if out.IsZero() && !std.out.IsZero() {
		t.out = scale(std.out)
	}
	if cr != nil {
		t.cr = *cr
	} else {
		t.cr = scale(std.cr)
	}
	if w != nil {
		t.w5 = *w
		t.w1h = rd(std.w1h.Mul(*w).Div(std.w5))
	} else {
		t.w5 = scale(std.w5)
		t.w1h = scale(std.w1h)
	}
	return &t
}

func providerSpecific(f fields, name string) (decimal.Decimal, bool) {
	ps, ok := f["provider_specific_entry"].(map[string]any)
	if !ok {
		return dZero, false
	}
	n, ok := ps[name].(json.Number)
	if !ok {
		return dZero, false
	}
	d, err := decimal.NewFromString(n.String())
	return d, err == nil && d.IsPositive()
}

// longContext finds the long-context threshold of an entry from its
// "input_cost_per_token_above_<N>k_tokens" field.
func longContext(f fields) (above int64, suffix string, ok bool) {
	for _, n := range []int64{128, 200, 272} {
		s := fmt.Sprintf("_above_%dk_tokens", n)
		if v, has := f.num("input_cost_per_token" + s); has && v.IsPositive() {
			if ok {
				return 0, "", false // several thresholds: not representable
			}
			above, suffix, ok = n*1000, s, true
		}
	}
	return above, suffix, ok
}

// claudeLongContext: rules A6, only Sonnet 4 and 4.5 have a >200K tier.
var reClaudeLong = regexp.MustCompile(`claude-(sonnet-4|4-sonnet)(-5)?($|[-@](\d{8}|v\d|default|latest))`)

func claudeLongContext(id string) bool { return reClaudeLong.MatchString(id) }

// openAICacheFraction is rules O3: cached input as a fraction of input by
// family. Models without a cached-input price (the -pro models, the
// 2024-05-13 GPT-4o snapshot, GPT-4 and GPT-3.5) get none.
func openAICacheFraction(id string) (decimal.Decimal, bool) {
	fam := func(f string) bool { return id == f || strings.HasPrefix(id, f+"-") }
	switch {
	case strings.Contains(id, "-pro"), id == "gpt-4o-2024-05-13":
		return dZero, false
	case fam("o3-mini"), fam("gpt-4o"), fam("gpt-4o-mini"), fam("o1"), fam("o1-mini"), fam("o1-preview"):
		return dHalf, true
	case fam("gpt-4.1"), fam("o3"), fam("o4-mini"):
		return decimal.RequireFromString("0.25"), true
	case fam("gpt-5"), strings.HasPrefix(id, "gpt-5."), fam("gpt-realtime"):
		return decimal.RequireFromString("0.1"), true
	}
	return dZero, false
}

// geminiCacheFraction is rules G2: 90% off for Gemini 2.5+, 75% for 2.0.
func geminiCacheFraction(id string) (decimal.Decimal, bool) {
	switch {
	case strings.Contains(id, "gemini-2.0"):
		return decimal.RequireFromString("0.25"), true
	case strings.Contains(id, "gemini-2.5"), strings.Contains(id, "gemini-3"):
		return decimal.RequireFromString("0.1"), true
	}
	return dZero, false
}

var reGPTVersion = regexp.MustCompile(`(^|\.)gpt-(\d+)(\.(\d+))?`)

// gpt56Plus: rules O2, GPT-5.6 and later bill cache writes at 1.25x.
func gpt56Plus(id string) bool {
	m := reGPTVersion.FindStringSubmatch(id)
	if m == nil {
		return false
	}
	major, _ := strconv.Atoi(m[2])
	minor := 0
	if m[4] != "" {
		minor, _ = strconv.Atoi(m[4])
	}
	return major > 5 || major == 5 && minor >= 6
}

// openAIFlex: rules O6, flex is offered on o3, o4-mini and the GPT-5.x
// families. Not derived for the ChatGPT "-chat" snapshots, search, deep
// research and -pro models (LiteLLM's own flex prices are kept).
func openAIFlex(id string) bool {
	for _, x := range []string{"chat", "search", "deep-research", "-pro"} {
		if strings.Contains(id, x) {
			return false
		}
	}
	return id == "o3" || strings.HasPrefix(id, "o3-") && !strings.HasPrefix(id, "o3-mini") ||
		id == "o4-mini" || strings.HasPrefix(id, "o4-mini-") ||
		id == "gpt-5" || strings.HasPrefix(id, "gpt-5-") || strings.HasPrefix(id, "gpt-5.")
}

// offersBatch says whether a 50% batch tier is derived when LiteLLM has no
// batch price: OpenAI (rules O5; SOURCE.md: apply 50% when missing),
// Anthropic (A5), the Gemini API (G3), Gemini and Claude on Vertex (G3,
// A5), and on Bedrock the Anthropic, Meta, Mistral and Amazon Nova models
// (B1 says "select models"; assumption documented in README).
func offersBatch(provider string, fam family, id string) bool {
	switch provider {
	case "openai", "anthropic", "gemini":
		return true
	case "vertex":
		return fam == famClaude || fam == famGemini
	case "bedrock":
		rest := stripProfile(id)
		for _, v := range []string{"anthropic.", "meta.", "mistral.", "amazon.nova"} {
			if strings.HasPrefix(rest, v) {
				return true
			}
		}
	}
	return false
}

func batchRule(provider string) string {
	switch provider {
	case "openai":
		return "rules O5"
	case "anthropic":
		return "rules A5"
	case "gemini":
		return "rules G3"
	case "vertex":
		return "rules G3/A5"
	case "bedrock":
		return "rules B1, assumed for this vendor"
	}
	return "rules"
}

// reClaudeVersion parses Claude 4+ ids for rules A7.
var reClaudeVersion = regexp.MustCompile(`^claude-(opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d{1,2}))?(?:-|$)`)

// geoOf: rules A7, Anthropic inference_geo=us costs 1.1x on Opus 4.6 /
// Sonnet 4.6 and later (and wherever LiteLLM's provider_specific_entry
// says so); OpenAI regional processing uplifts from LiteLLM.
func geoOf(e *entry) map[string]string {
	geo := map[string]string{}
	if e.provider == "anthropic" {
		if m := reClaudeVersion.FindStringSubmatch(e.id); m != nil {
			major, _ := strconv.Atoi(m[2])
			minor := 0
			if m[3] != "" {
				minor, _ = strconv.Atoi(m[3])
			}
			if major > 4 || major == 4 && minor >= 6 {
				geo["us"] = d1_1.String()
			}
		}
		if us, ok := providerSpecific(e.f, "us"); ok {
			geo["us"] = us.String()
		}
	}
	for _, g := range []string{"us", "eu"} {
		if v, ok := e.f.raw("regional_processing_uplift_multiplier_" + g); ok && v.GreaterThan(dOne) {
			geo[g] = v.String()
		}
	}
	if len(geo) == 0 {
		return nil
	}
	return geo
}

// isHaiku3: Claude 3 Haiku breaks the cache multipliers (rules A1).
func isHaiku3(id string) bool { return strings.Contains(id, "claude-3-haiku") }
