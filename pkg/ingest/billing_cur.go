package ingest

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// AWS Cost and Usage Report rows for Bedrock (shared/formats/bedrock.md §3,
// pricing-rules.md B6): CUR 2.0 (Data Exports, snake_case columns such as
// line_item_usage_type; gzip CSV, or Parquet through billing_cur_parquet.go)
// and legacy CUR (lineItem/UsageType …). Only Bedrock line items are read:
// a product code naming Bedrock (AmazonBedrock, AmazonBedrockService,
// AmazonBedrockFoundationModels …), a product name "… (Amazon Bedrock
// Edition)", or an AWS Marketplace token usage type. Every other row
// (EC2, S3, …) is left aside and counted as not billed, so that a whole
// account's report can be given as is.
//
// A Bedrock usage line item is the tokens of one kind for one model over
// the hour or day, and what they cost: a record with that usage and the
// charge (unblended cost; NoCalls: the report counts no requests). The
// usage type tells the kind (B6: *-input-tokens, *-output-tokens,
// *-cache-read-input-token-count, *-cache-write-input-token-count, the
// *-mantle-* variants, and the Marketplace InputTokenCount/OutputTokenCount
// dimensions), the tier (batch, flex, priority) and cross-Region routing
// (global, cross-region), wherever they stand: AWS writes them after the
// token kind ("USE1-Nova2.0Lite-output-tokens-cross-region-global-batch";
// verbatim examples and their sources in testdata/ingest/aws-cur/README.md).
// Its prefix is the Region's billing code (USE1, EU, APS3 …: awsregion.go),
// the record's Region, which prices models the catalog prices per Region;
// a usage type without one takes product_region_code, the product map's
// region, or the resource ARN's. A Marketplace "_long_ctx" dimension bills
// the long-context band. Usage types that name tokens but are not text
// inference (reserved capacity "…-reserved-…-tokens-per-minute",
// model customization, provisioned throughput, storage, images, video,
// audio, speech) are charges, not tokens. The model comes from, in order:
// the resource id when it is a foundation-model or inference-profile ARN
// (with "include resource IDs"); the usage type's model name
// ("Claude4.6Sonnet", "NovaPro", "Llama3.3-70B", "KimiK2.5", or a Bedrock
// id in the mantle style) mapped to the catalog's Bedrock id, with the
// us./eu./apac./global. profile for cross-Region rows; the product name
// for Marketplace rows ("Claude 3 Haiku (Amazon Bedrock Edition)"). A name
// that maps to nothing is kept as the usage type's model part, so it is
// reported unpriced under that name. The quantity is read in pricing_unit
// (tokens, 1K or 1M tokens; Marketplace "Units" priced at a cent or more
// each are millions of tokens: see curUnit).
//
// Bedrock rows that are not token usage — guardrails, provisioned
// throughput hours, storage, custom model import — are charge-only
// records of the model "(non-token charges)"; credits, refunds, taxes,
// fees and discounts are charge-only records of the model "(<type>)"
// ("(credit)", "(tax)"): they count in the charged total, never against a
// model. The usage type is the line_item tag; the IAM principal
// (line_item_iam_principal) is the user; the usage account is the tag
// account; resource tags (CUR 2.0 resource_tags map, serialized as JSON
// in CSV, or legacy resourceTags/user:<key> columns) are tags without
// their "user:" prefix, and a tag project (any case) is the project.
// Only USD is summed.

type curCols struct {
	start, typ, product, usageType, operation, resource, amount, unit, rate, cost, currency int
	desc, productName, productMap, entity, principal, account, tags, region                 int
	tagCols                                                                                 []curTagCol
	// usage and models cache what usage types and model names map to:
	// a report repeats a few of them over many rows.
	usage  map[string]curUsage
	models map[string]string
}

type curTagCol struct {
	col int
	key string
}

func curColumns(h []string) any {
	c := &curCols{
		start:       colIndex(h, "line_item_usage_start_date", "lineitem/usagestartdate"),
		typ:         colIndex(h, "line_item_line_item_type", "lineitem/lineitemtype"),
		product:     colIndex(h, "line_item_product_code", "lineitem/productcode"),
		usageType:   colIndex(h, "line_item_usage_type", "lineitem/usagetype"),
		operation:   colIndex(h, "line_item_operation", "lineitem/operation"),
		resource:    colIndex(h, "line_item_resource_id", "lineitem/resourceid"),
		amount:      colIndex(h, "line_item_usage_amount", "lineitem/usageamount"),
		unit:        colIndex(h, "pricing_unit", "pricing/unit"),
		rate:        colIndex(h, "line_item_unblended_rate", "lineitem/unblendedrate"),
		cost:        colIndex(h, "line_item_unblended_cost", "lineitem/unblendedcost"),
		currency:    colIndex(h, "line_item_currency_code", "lineitem/currencycode"),
		desc:        colIndex(h, "line_item_line_item_description", "lineitem/lineitemdescription"),
		productName: colIndex(h, "product_product_name", "product_name", "product/productname"),
		productMap:  colIndex(h, "product"),
		entity:      colIndex(h, "bill_billing_entity", "bill/billingentity"),
		principal:   colIndex(h, "line_item_iam_principal"),
		account:     colIndex(h, "line_item_usage_account_id", "lineitem/usageaccountid"),
		tags:        colIndex(h, "resource_tags"),
		region:      colIndex(h, "product_region_code", "product/regioncode", "product_region"),
		usage:       map[string]curUsage{},
		models:      map[string]string{},
	}
	for i, n := range h {
		if k, ok := strings.CutPrefix(n, "resourcetags/"); ok {
			c.tagCols = append(c.tagCols, curTagCol{i, strings.TrimPrefix(k, "user:")})
		}
	}
	return c
}

// curQuick are the bytes a Bedrock row holds somewhere (product code,
// product name, token usage type): a row without any is skipped before
// it is split into fields.
var curQuick = [...][]byte{[]byte("edrock"), []byte("oken")}

// curOtherService reports whether a row (not inside a quoted field) is
// another service's, whole, so that it can be skipped without being split
// into fields: it names neither Bedrock nor tokens — both words have a
// "k", which most other rows lack, so most are ruled out by one scan —
// and its quotes pair up (a quoted field that runs on to the next line
// leaves one unpaired). csvSplit asks the same question (Format.csvSkip),
// so that chunks are cut where this parser has no row pending.
func curOtherService(line []byte) bool {
	if bytes.IndexByte(line, 'k') >= 0 && (bytes.Contains(line, curQuick[0]) || bytes.Contains(line, curQuick[1])) {
		return false
	}
	return bytes.Count(line, []byte{'"'})%2 == 0
}

func parseCUR(p *parser, line []byte, rec *record.Record) error {
	if st, ok := p.fileState.(*csvFile); ok && st.names != nil && !st.open && curOtherService(line) {
		return errNoRecord // another service's row
	}
	st, fields, err := p.csvRow(line, rec, curColumns)
	if err != nil {
		return err
	}
	return p.curRow(st, st.cols.(*curCols), fields, rec)
}

// curRow turns one row of a report into a record.
func (p *parser) curRow(st *csvFile, c *curCols, fields [][]byte, rec *record.Record) error {
	product := cell(fields, c.product)
	usageType := cell(fields, c.usageType)
	// The product name (a column, or a key of CUR 2.0's product map) is
	// read only when needed: to select rows whose product code does not
	// name Bedrock, and for the model of Marketplace rows.
	var productName []byte
	nameRead := false
	name := func() []byte {
		if !nameRead {
			nameRead = true
			productName = cell(fields, c.productName)
			if len(productName) == 0 && c.productMap >= 0 {
				productName = mapValue(cell(fields, c.productMap), "product_name")
			}
		}
		return productName
	}
	entity := cell(fields, c.entity)
	marketplace := bytes.Contains(usageType, []byte("MP:")) || bytes.EqualFold(entity, []byte("AWS Marketplace"))
	if !bytes.Contains(product, []byte("Bedrock")) && !bytes.Contains(name(), []byte("Bedrock")) &&
		!(marketplace && curTokenKind(strings.ToLower(string(usageType))) != curNone) {
		return errNoRecord
	}

	var err error
	if rec.Time, err = cellTime("line_item_usage_start_date", cell(fields, c.start)); err != nil {
		return err
	}
	if cur := cell(fields, c.currency); len(cur) > 0 && !bytes.EqualFold(cur, []byte("USD")) {
		return fmt.Errorf("line_item_currency_code %s: only USD amounts are summed", cur)
	}
	costCell := cell(fields, c.cost)
	amountCell := cell(fields, c.amount)
	hasCost := len(costCell) > 0
	if hasCost {
		if rec.ChargedNanoUSD, err = nanoUSD("line_item_unblended_cost", st.num(costCell), 0); err != nil {
			return err
		}
	}
	rec.Provider = "bedrock"
	rec.HasCharged = hasCost
	rec.NoCalls = true
	ut := p.intern(usageType)
	rec.User = p.cellStr(fields, c.principal)
	addTag(rec, "account", p.cellStr(fields, c.account))
	p.curTags(c, fields, rec)

	typ := cell(fields, c.typ)
	switch {
	case len(typ) == 0, bytes.EqualFold(typ, []byte("Usage")), bytes.EqualFold(typ, []byte("DiscountedUsage")),
		bytes.EqualFold(typ, []byte("SavingsPlanCoveredUsage")):
	default:
		lt := strings.ToLower(string(typ))
		// Credits, refunds, taxes, fees, discounts: money, never a model's.
		if !hasCost {
			return errNoRecord
		}
		rec.Model = p.intern([]byte("(" + lt + ")"))
		li := string(typ)
		if d := cell(fields, c.desc); len(d) > 0 {
			li += ": " + string(d)
		}
		addTag(rec, tagLineItem, p.intern([]byte(li)))
		return nil
	}
	addTag(rec, tagLineItem, ut)

	u, ok := c.usage[ut]
	if !ok {
		if len(c.usage) > maxInterned {
			clear(c.usage)
		}
		u = parseUsageType(ut)
		c.usage[ut] = u
	}
	rec.Region = u.regionName
	if rec.Region == "" {
		rec.Region = p.curRegion(c, fields)
	}
	op := cell(fields, c.operation)
	if u.kind == curNone {
		if !hasCost {
			return errNoRecord
		}
		rec.Model = "(non-token charges)"
		return nil
	}
	if bytes.Contains(op, []byte("Batch")) || bytes.Contains(op, []byte("batch")) || bytes.Contains(op, []byte("ModelInvocationJob")) {
		u.tier = record.TierBatch
	}
	rec.Tier = u.tier

	amount := st.num(amountCell)
	if bytes.IndexByte(amountCell, ',') >= 0 {
		amount = append([]byte(nil), amount...) // num's buffer is reused for the rate
	}
	tokens, err := curTokens(amount, cell(fields, c.unit), st.num(cell(fields, c.rate)), marketplace)
	if err != nil {
		return err
	}
	if tokens == 0 && rec.ChargedNanoUSD == 0 {
		return errNoRecord
	}
	switch u.kind {
	case curInput:
		rec.InputTokens = tokens
	case curOutput:
		rec.OutputTokens = tokens
	case curCacheRead:
		rec.CacheReadTokens = tokens
	case curCacheWrite:
		rec.CacheWrite5mTokens = tokens
	case curCacheWrite1h:
		rec.CacheWrite1hTokens = tokens
	}
	rec.HasUsage = true
	if u.long {
		rec.LongContext = 1
	}
	resource := cell(fields, c.resource)
	var pn []byte
	if u.marketplace || u.stem == "" {
		pn = name()
	}
	// The cache key: usage type, resource, product name.
	k := append(append(append(append(p.scratch[:0], ut...), 0), resource...), 0)
	k = append(k, pn...)
	p.scratch = k[:0]
	if m, ok := c.models[string(k)]; ok {
		rec.Model = m
		return nil
	}
	if len(c.models) > maxInterned {
		clear(c.models)
	}
	rec.Model = p.curModel(u, resource, pn)
	c.models[string(k)] = rec.Model
	return nil
}

// curRegion is the Region of a line item whose usage type has no Region
// code: the product_region_code column, the product map's "region", or
// the Region of the resource ARN.
func (p *parser) curRegion(c *curCols, fields [][]byte) string {
	if r := p.region(cell(fields, c.region)); r != "" {
		return r
	}
	if c.productMap >= 0 {
		if r := p.region(mapValue(cell(fields, c.productMap), "region")); r != "" {
			return r
		}
	}
	return arnRegion(cell(fields, c.resource))
}

// curModel picks the model of a token line item (see the file comment).
func (p *parser) curModel(u curUsage, resource, productName []byte) string {
	if i := bytes.LastIndexByte(resource, '/'); i >= 0 && bytes.HasPrefix(resource, []byte("arn:")) &&
		(bytes.Contains(resource, []byte(":foundation-model/")) || bytes.Contains(resource, []byte(":inference-profile/"))) {
		return p.intern(resource[i+1:])
	}
	name := u.stem
	if u.marketplace || name == "" {
		if pn := bytes.TrimSpace(productName); len(pn) > 0 {
			pn, _, _ = bytes.Cut(pn, []byte(" (Amazon Bedrock"))
			name = string(pn)
		}
	}
	if id, ok := bedrockModelID(name); ok {
		if prof := u.profile(); prof != "" {
			id = prof + "." + id
		}
		return p.intern([]byte(id))
	}
	// A Bedrock model id in the usage type (the "mantle" style:
	// "USW2-anthropic.claude-opus-4-8-mantle-…-global-standard").
	if strings.IndexByte(name, '.') > 0 && !strings.ContainsAny(name, " /") {
		if prof := u.profile(); prof != "" && !strings.HasPrefix(name, prof+".") {
			return p.intern([]byte(prof + "." + name))
		}
	}
	if name == "" {
		return "(unknown Bedrock model)"
	}
	return p.intern([]byte(name))
}

// curTags reads the resource tags of a row.
func (p *parser) curTags(c *curCols, fields [][]byte, rec *record.Record) {
	add := func(k, v string) {
		k = strings.TrimPrefix(k, "user:")
		if k == "" || v == "" {
			return
		}
		if strings.EqualFold(k, "project") && rec.Project == "" {
			rec.Project = v
			return
		}
		addTag(rec, k, v)
	}
	for _, t := range c.tagCols {
		add(t.key, p.cellStr(fields, t.col))
	}
	if m := cell(fields, c.tags); len(m) > 0 {
		eachMapEntry(m, func(k, v []byte) {
			add(p.intern(k), p.intern(v))
		})
	}
}

// eachMapEntry calls fn for each entry of a CUR 2.0 map column as a CSV
// export writes it: a JSON object ({"user:team":"ml"}), or, leniently,
// key=value pairs separated by commas or semicolons.
func eachMapEntry(m []byte, fn func(k, v []byte)) {
	if jsonx.Kind(m) == '{' {
		var kb []byte
		_ = jsonx.ObjectEach(m, func(k, v []byte) error {
			if !jsonx.IsString(v) {
				return nil
			}
			kb = append(kb[:0], k...)
			if s, err := jsonx.StringBytes(v, nil); err == nil {
				fn(kb, s)
			}
			return nil
		})
		return
	}
	for _, part := range bytes.FieldsFunc(m, func(r rune) bool { return r == ',' || r == ';' }) {
		if k, v, ok := bytes.Cut(part, []byte{'='}); ok {
			fn(bytes.TrimSpace(k), bytes.TrimSpace(v))
		}
	}
}

// mapValue returns the value of key in a serialized map column, nil when
// absent.
func mapValue(m []byte, key string) []byte {
	var out []byte
	eachMapEntry(m, func(k, v []byte) {
		if out == nil && string(k) == key {
			out = v
		}
	})
	return out
}

// curTokens reads a line item's quantity as tokens: usage_amount in
// pricing_unit. Units naming thousands or millions scale it; "tokens",
// "count" and other plain units do not, except ambiguous units ("Units",
// empty) priced at a cent or more each — no price per single token comes
// near that, while per-million prices do (Marketplace dimensions are
// described as "Million Input Tokens") — and, below that, at 1e-4 or
// more (per thousand).
func curTokens(amount, unit, rate []byte, marketplace bool) (int64, error) {
	if len(amount) == 0 {
		return 0, nil
	}
	mult := curUnit(unit, rate, marketplace)
	exp := 0
	switch mult {
	case 1000:
		exp = 3
	case 1_000_000:
		exp = 6
	}
	if n, ok := fastNano(amount, exp); ok && n >= 0 && n <= 1e15 {
		return n, nil
	}
	a, err := decimal.NewFromString(string(amount))
	if err != nil {
		return 0, fmt.Errorf("line_item_usage_amount: invalid number %q", amount)
	}
	if a.IsNegative() {
		return 0, fmt.Errorf("line_item_usage_amount: negative value %s", amount)
	}
	a = a.Mul(decimal.New(mult, 0)).Round(0)
	if a.GreaterThan(decimal.New(1, 15)) {
		return 0, fmt.Errorf("line_item_usage_amount: %s tokens out of range", a)
	}
	return a.IntPart(), nil
}

// curUnit is the number of tokens one unit of usage stands for.
func curUnit(unit, rate []byte, marketplace bool) int64 {
	u := strings.ToLower(string(unit))
	switch {
	case strings.Contains(u, "million"), strings.Contains(u, "1m"), strings.Contains(u, "mtok"):
		return 1_000_000
	case strings.Contains(u, "thousand"), strings.Contains(u, "1k"), strings.Contains(u, "1,000"), strings.Contains(u, "1000"):
		return 1000
	case strings.Contains(u, "token") && !marketplace:
		return 1
	}
	r, err := strconv.ParseFloat(string(rate), 64)
	switch {
	case err != nil || r <= 0:
		return 1
	case r >= 0.01:
		return 1_000_000
	case r >= 1e-4:
		return 1000
	}
	return 1
}

type curKind uint8

const (
	curNone curKind = iota
	curInput
	curOutput
	curCacheRead
	curCacheWrite
	curCacheWrite1h
)

// curUsage is what a Bedrock usage type says.
type curUsage struct {
	region      string // "USE1"
	regionName  string // "us-east-1", from the code; "" when unknown
	kind        curKind
	long        bool // billed at the long-context rates (Marketplace _long_ctx)
	tier        record.Tier
	global, geo bool // cross-Region routing: global or geographic profile
	marketplace bool
	stem        string // the model part ("Claude4.6Sonnet")
}

// curKindWords maps usage-type spellings to token kinds, most specific
// first.
var curKindWords = []struct {
	w string
	k curKind
}{
	{"cache-read", curCacheRead}, {"cacheread", curCacheRead}, {"cache_read", curCacheRead},
	{"cache-write", curCacheWrite}, {"cachewrite", curCacheWrite}, {"cache_write", curCacheWrite},
	{"input-token", curInput}, {"inputtoken", curInput}, {"input_token", curInput},
	{"output-token", curOutput}, {"outputtoken", curOutput}, {"output_token", curOutput},
}

func curTokenKind(lower string) curKind {
	k, _ := curKindAt(lower)
	return k
}

func curKindAt(lower string) (curKind, int) {
	for _, kw := range curKindWords {
		if i := strings.Index(lower, kw.w); i >= 0 {
			return kw.k, i
		}
	}
	return curNone, -1
}

// curRoutingWords are the words of a usage type that are not the model's
// name.
var curRoutingWords = map[string]bool{
	"batch": true, "flex": true, "priority": true, "standard": true, "global": true, "cross": true,
	"region": true, "crossregion": true, "cris": true, "crossgeo": true, "geo": true, "mantle": true,
	"ondemand": true, "on": true, "demand": true, "latency": true, "optimized": true, "lc": true,
	"longcontext": true, "1h": true, "5m": true, "units": true,
}

// parseUsageType reads a Bedrock usage type (B6).
func parseUsageType(ut string) curUsage {
	var u curUsage
	rest := ut
	if i := strings.IndexByte(ut, '-'); i >= 2 && i <= 5 && isRegionCode(ut[:i]) {
		u.region, rest = ut[:i], ut[i+1:]
	}
	if r, ok := strings.CutPrefix(rest, "MP:"); ok {
		u.marketplace, rest = true, r
		if i := strings.IndexAny(rest, "_-"); i >= 2 && i <= 5 && isRegionCode(rest[:i]) {
			rest = rest[i+1:]
		}
	}
	u.regionName = regionByBillingCode[u.region]
	lower := strings.ToLower(rest)
	if curNotInference(lower) {
		return u // kind curNone: a charge, not text tokens of a call
	}
	var at int
	u.kind, at = curKindAt(lower)
	if u.kind == curCacheWrite && strings.Contains(lower, "1h") {
		u.kind = curCacheWrite1h
	}
	switch {
	case strings.Contains(lower, "batch"):
		u.tier = record.TierBatch
	case strings.Contains(lower, "flex"):
		u.tier = record.TierFlex
	case strings.Contains(lower, "priority"):
		u.tier = record.TierPriority
	}
	for _, w := range [...]string{"long_ctx", "long-ctx", "longctx", "longcontext", "long-context", "long_context"} {
		if strings.Contains(lower, w) {
			u.long = true
		}
	}
	u.global = strings.Contains(lower, "global")
	u.geo = !u.global && (strings.Contains(lower, "cross") || strings.Contains(lower, "cris") || strings.Contains(lower, "geo"))
	if u.marketplace {
		return u
	}
	name := rest
	if at >= 0 {
		name = rest[:at]
	}
	u.stem = stemWords(name, nil)
	if u.stem == "" && at >= 0 { // "mantle-input-tokens-<model>"
		u.stem = stemWords(rest[at:], curKindNames)
	}
	return u
}

// curNotInference reports whether a (lower-cased) usage type, though it
// may name tokens, is not per-token text inference: reserved capacity
// ("Claude4.5Sonnet-reserved-3-month-input-tokens-per-minute-cross-region-
// geo"), provisioned throughput, model customization (training tokens:
// "NovaMicro-Model-Customization-input-tokens"), storage, and other
// modalities (images, video, audio, speech), which the catalog does not
// price per text token.
func curNotInference(lower string) bool {
	for _, w := range [...]string{"reserved", "per-minute", "provisioned", "model-unit", "modelunit", "customization",
		"training", "storage", "image", "video", "audio", "speech"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// curKindNames are the words of a token kind ("cache-read-input-token-count").
var curKindNames = map[string]bool{"input": true, "output": true, "tokens": true, "token": true, "count": true,
	"cache": true, "read": true, "write": true, "inputtokencount": true, "outputtokencount": true}

// stemWords joins the words of s (split on - and _) with "-", leaving out
// routing words and the words in drop.
func stemWords(s string, drop map[string]bool) string {
	var keep []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' }) {
		lw := strings.ToLower(w)
		if !curRoutingWords[lw] && !drop[lw] {
			keep = append(keep, w)
		}
	}
	return strings.Join(keep, "-")
}

// isRegionCode reports whether s looks like a usage-type region prefix
// (USE1, USW2, EUC1, APN1, UGW1, CAN1, SAE1, EU, APS3…).
func isRegionCode(s string) bool {
	letters := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			letters++
		case c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return letters >= 2
}

// profile returns the inference-profile prefix of a cross-Region line item
// ("global", "us", "eu", "apac", "us-gov"), "" for in-Region.
func (u curUsage) profile() string {
	if u.global {
		return "global"
	}
	if !u.geo {
		return ""
	}
	r := u.region
	switch {
	case strings.HasPrefix(r, "UG"):
		return "us-gov"
	case strings.HasPrefix(r, "US"):
		return "us"
	case strings.HasPrefix(r, "EU"):
		return "eu"
	case strings.HasPrefix(r, "AP"):
		return "apac"
	case strings.HasPrefix(r, "CA"):
		return "us" // Canada routes through the US geography
	}
	return ""
}

// bedrockModelID maps a model name as a usage type or product name spells
// it ("Claude4.6Sonnet", "Claude 3 Haiku", "ClaudeSonnet4.5", "NovaPro",
// "Nova2Lite", "Llama3.3-70B") to the catalog's in-Region Bedrock id.
func bedrockModelID(name string) (string, bool) {
	toks := nameTokens(name)
	if len(toks) == 0 {
		return "", false
	}
	var nums []string
	var words []string
	v2 := false
	size := ""
	for i, t := range toks {
		switch {
		case t[0] >= '0' && t[0] <= '9':
			if i > 0 && toks[i-1] == "v" {
				v2 = t == "2"
				continue
			}
			if i+1 < len(toks) && toks[i+1] == "b" {
				size = t
				continue
			}
			if len(t) <= 2 {
				nums = append(nums, t)
			}
		case t != "v" && t != "b":
			words = append(words, t)
		}
	}
	has := func(w string) bool {
		for _, x := range words {
			if x == w {
				return true
			}
		}
		return false
	}
	pick := func(options ...string) string {
		for _, o := range options {
			if has(o) {
				return o
			}
		}
		return ""
	}
	switch words[0] {
	case "claude":
		fam := pick("sonnet", "opus", "haiku", "instant")
		if fam == "instant" {
			return "anthropic.claude-instant-v1", true
		}
		if len(nums) == 0 {
			return "", false
		}
		maj, min := nums[0], ""
		if len(nums) > 1 {
			min = nums[1]
		}
		if fam == "" {
			switch maj + "." + min {
			case "2.1":
				return "anthropic.claude-v2:1", true
			case "2.", "2.0": // "Claude2.0-input-tokens" in the price list
				return "anthropic.claude-v2", true
			}
			return "", false
		}
		key := fam + "-" + maj
		if min != "" && min != "0" {
			key += "." + min
		}
		if v2 {
			key += "-v2"
		}
		if id, ok := claudeOnBedrock[key]; ok {
			return id, true
		}
		ver := maj
		if min != "" && min != "0" {
			ver += "-" + min
		}
		if m, _ := strconv.Atoi(maj); m < 4 {
			return "anthropic.claude-" + ver + "-" + fam, true
		}
		return "anthropic.claude-" + fam + "-" + ver, true
	case "nova":
		fam := pick("micro", "lite", "pro", "premier", "sonic", "canvas", "reel")
		if fam == "" {
			return "", false
		}
		if len(nums) > 0 && nums[0] == "2" {
			return "amazon.nova-2-" + fam + "-v1:0", true
		}
		return "amazon.nova-" + fam + "-v1:0", true
	case "kimi":
		// "KimiK2.5", "KimiK2Thinking": the Bedrock ids are
		// moonshotai.kimi-k2.5 and moonshot.kimi-k2-thinking.
		if len(nums) == 0 {
			return "", false
		}
		if has("thinking") {
			return "moonshot.kimi-k" + nums[0] + "-thinking", true
		}
		id := "moonshotai.kimi-k" + nums[0]
		if len(nums) > 1 {
			id += "." + nums[1]
		}
		return id, true
	case "llama":
		if len(nums) == 0 || size == "" {
			return "", false
		}
		id := "meta.llama" + nums[0]
		if len(nums) > 1 {
			id += "-" + nums[1]
		}
		if v := pick("maverick", "scout"); v != "" {
			id += "-" + v
		}
		return id + "-" + size + "b-instruct-v1:0", true
	}
	return "", false
}

// claudeOnBedrock holds the Claude ids that carry a date (newer ones are
// undated: anthropic.claude-sonnet-4-6).
var claudeOnBedrock = map[string]string{
	"haiku-3":       "anthropic.claude-3-haiku-20240307-v1:0",
	"sonnet-3":      "anthropic.claude-3-sonnet-20240229-v1:0",
	"opus-3":        "anthropic.claude-3-opus-20240229-v1:0",
	"sonnet-3.5":    "anthropic.claude-3-5-sonnet-20240620-v1:0",
	"sonnet-3.5-v2": "anthropic.claude-3-5-sonnet-20241022-v2:0",
	"haiku-3.5":     "anthropic.claude-3-5-haiku-20241022-v1:0",
	"sonnet-3.7":    "anthropic.claude-3-7-sonnet-20250219-v1:0",
	"sonnet-4":      "anthropic.claude-sonnet-4-20250514-v1:0",
	"opus-4":        "anthropic.claude-opus-4-20250514-v1:0",
	"opus-4.1":      "anthropic.claude-opus-4-1-20250805-v1:0",
	"sonnet-4.5":    "anthropic.claude-sonnet-4-5-20250929-v1:0",
	"haiku-4.5":     "anthropic.claude-haiku-4-5-20251001-v1:0",
	"opus-4.5":      "anthropic.claude-opus-4-5-20251101-v1:0",
	"opus-4.6":      "anthropic.claude-opus-4-6-v1",
}

// nameTokens splits a model name into lower-case runs of letters and of
// digits: "Claude3.5SonnetV2" → claude 3 5 sonnet v 2.
func nameTokens(s string) []string {
	var out []string
	start, kind := -1, 0 // 1 letters, 2 digits
	flush := func(i int) {
		if start >= 0 {
			out = append(out, strings.ToLower(s[start:i]))
		}
		start, kind = -1, 0
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		k := 0
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			k = 1
		case c >= '0' && c <= '9':
			k = 2
		}
		if k == 0 {
			flush(i)
			continue
		}
		// A capital after a lower-case letter starts a word: "NovaPro".
		if k == 1 && kind == 1 && c >= 'A' && c <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z' {
			flush(i)
		}
		if k != kind {
			flush(i)
			start, kind = i, k
		}
	}
	flush(len(s))
	return out
}

func init() {
	register(&Format{
		ID:          "aws-cur",
		Description: "AWS Cost and Usage Report, CUR 2.0 or legacy (CSV, gzip CSV or Parquet): Bedrock line items, tokens and charges; other services left aside",
		Order:       30,
		Billing:     true,
		parse:       parseCUR,
		sequential:  true,
		csvRows:     true,
		csvSkip:     curOtherService,
		sniff: func(s *shape) bool {
			return s.hasColumns("line_item_usage_type") || s.hasColumns("lineitem/usagetype")
		},
	})
}
