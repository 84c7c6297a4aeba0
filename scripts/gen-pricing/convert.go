package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/pricing"
)

// Copy dates of the two LiteLLM inputs, used in "source" fields.
const (
	originNew = "2026-07-24"
	originOld = "2025-11-21"
)

// providers are the catalog files written, in order.
var providers = []string{"anthropic", "bedrock", "deepinfra", "deepseek", "fireworks", "gemini", "groq", "mistral", "openai", "together", "vertex", "xai"}

// fileSources are the "sources" of each provider file. Vendor pages are the
// ones pricing-rules.md cites for that vendor.
var fileSources = func() map[string][]string {
	common := []string{
		"LiteLLM model_prices_and_context_window.json, 2026-07-24 (mirror github.com/RoCry/llm-api-price@8442b939a6ead479f7995b5d74d8dce488bd0966), MIT, Copyright (c) 2023 Berri AI",
		"LiteLLM model_prices_and_context_window.json, 2025-11-21 (github.com/BerriAI/litellm@caddc6dd0fc26931b3fcc4e91e81a3d90080f3ef), MIT, for models retired since",
		"llmcost pricing-rules.md (compiled 2026-11-26) for derived rates and corrections; see scripts/gen-pricing/overrides.go",
	}
	vendor := map[string][]string{
		"anthropic": {"https://platform.claude.com/docs/en/about-claude/pricing", "https://platform.claude.com/docs/en/build-with-claude/batch-processing", "https://platform.claude.com/docs/en/build-with-claude/data-residency"},
		"bedrock":   {"https://aws.amazon.com/bedrock/pricing/", "https://docs.aws.amazon.com/bedrock/latest/userguide/cross-region-inference.html", "https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html"},
		"gemini":    {"https://ai.google.dev/gemini-api/docs/pricing", "https://ai.google.dev/gemini-api/docs/caching", "https://ai.google.dev/gemini-api/docs/batch-mode"},
		"openai":    {"https://developers.openai.com/api/docs/pricing", "https://developers.openai.com/api/docs/guides/prompt-caching", "https://developers.openai.com/api/docs/guides/flex-processing", "https://openai.com/api-priority-processing/"},
		"vertex":    {"https://cloud.google.com/vertex-ai/generative-ai/pricing", "https://cloud.google.com/vertex-ai/generative-ai/docs/context-cache/context-cache-overview"},
	}
	// Hosts of open-weight models: LiteLLM is the only source of their
	// figures; pricing-rules.md has no rules for them (no batch tier, cache
	// writes = input). The vendor page is where a figure can be checked.
	for p, page := range openHostPages {
		vendor[p] = []string{page + " (vendor page; LiteLLM figures not re-checked against it)"}
	}
	out := map[string][]string{}
	for _, p := range providers {
		out[p] = append(append([]string(nil), common...), vendor[p]...)
	}
	return out
}()

// entry is one LiteLLM key selected for the catalog.
type entry struct {
	key, origin  string
	provider, id string
	f            fields
	patches      []string
}

// Report says what a conversion did, for -v and tests.
type Report struct {
	Models      map[string]int // per provider
	Skipped     map[string]int // reason → count
	Collisions  []string
	Corrections []string
}

// nonText matches keys of audio, realtime, image and other non-text models
// that LiteLLM files under mode "chat".
var nonText = regexp.MustCompile(`(^|[-/._])(audio|realtime|tts|transcribe|native-audio|live|lyria|image|imagen|veo|embedding|moderation|whisper|dall-e|sora)([-/._@]|$)`)

var (
	reBedrockKey = regexp.MustCompile(`^((us|eu|apac|jp|au|ca|us-gov|global)\.)?[a-z0-9-]+\.[a-z0-9]`)
	// PaLM-era Vertex families (chat-bison, code-gecko, text-unicorn …):
	// retired, and priced per character, not per token.
	palmProviders = map[string]bool{
		"vertex_ai-chat-models": true, "vertex_ai-code-text-models": true,
		"vertex_ai-code-chat-models": true, "vertex_ai-text-models": true,
	}
)

// classify maps a LiteLLM key to (provider, id), or gives the reason to
// skip it.
func classify(key string, f fields) (provider, id, skip string) {
	switch f.str("mode") {
	case "chat", "completion", "responses":
	default:
		return "", "", "mode " + f.str("mode")
	}
	if r, ok := skipKeys[key]; ok {
		return "", "", r
	}
	if strings.HasPrefix(key, "ft:") {
		return "", "", "fine-tune"
	}
	if nonText.MatchString(key) {
		return "", "", "non-text model"
	}
	lp := f.str("litellm_provider")
	switch {
	case lp == "openai" || lp == "text-completion-openai":
		if strings.Contains(key, "/") {
			return "", "", "not a model"
		}
		return "openai", key, ""
	case lp == "anthropic":
		return "anthropic", key, ""
	case lp == "gemini":
		id := strings.TrimPrefix(key, "gemini/")
		if strings.Contains(id, "/") {
			return "", "", "not a model"
		}
		return "gemini", id, ""
	case strings.HasPrefix(lp, "vertex_ai"):
		if palmProviders[lp] {
			return "", "", "PaLM (per-character pricing)"
		}
		return "vertex", "vertex_ai/" + strings.TrimPrefix(key, "vertex_ai/"), ""
	case lp == "mistral":
		return "mistral", strings.TrimPrefix(key, "mistral/"), ""
	case lp == "deepseek":
		return "deepseek", strings.TrimPrefix(key, "deepseek/"), ""
	case lp == "xai":
		return "xai", strings.TrimPrefix(key, "xai/"), ""
	case openHosts[lp] != "":
		return classifyOpenHost(lp, key)
	case lp == "bedrock" || lp == "bedrock_converse" || lp == "bedrock_mantle":
		if strings.HasPrefix(key, "bedrock/") {
			return "", "", bedrockPathSkip(key)
		}
		id := strings.TrimPrefix(key, "bedrock_mantle/")
		if !reBedrockKey.MatchString(id) || strings.Contains(id, "@") {
			return "", "", "not a Bedrock model id"
		}
		return "bedrock", id, ""
	}
	return "", "", "provider not covered"
}

// decodeLiteLLM parses a LiteLLM catalog keeping numbers exact, and returns
// its keys in sorted order.
func decodeLiteLLM(data []byte) (map[string]fields, []string, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, nil, fmt.Errorf("decode litellm: %w", err)
	}
	out := make(map[string]fields, len(raw))
	keys := make([]string, 0, len(raw))
	for k, v := range raw {
		if k == "sample_spec" || k == "last_updated" || len(v) == 0 || v[0] != '{' {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		var f fields
		if err := dec.Decode(&f); err != nil {
			return nil, nil, fmt.Errorf("decode litellm %s: %w", k, err)
		}
		out[k] = f
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return out, keys, nil
}

// Convert builds the catalog files (file name → bytes) from the current
// and the older LiteLLM catalogs. It is deterministic.
func Convert(newJSON, oldJSON []byte) (map[string][]byte, *Report, error) {
	rep := &Report{Models: map[string]int{}, Skipped: map[string]int{}}
	cur, curKeys, err := decodeLiteLLM(newJSON)
	if err != nil {
		return nil, nil, err
	}
	var old map[string]fields
	var oldKeys []string
	if oldJSON != nil {
		if old, oldKeys, err = decodeLiteLLM(oldJSON); err != nil {
			return nil, nil, err
		}
	}

	// 1. Select entries; the older copy only contributes keys the current
	// one dropped.
	byID := map[string][]*entry{} // provider/id → candidates
	collect := func(keys []string, src map[string]fields, origin string) {
		for _, k := range keys {
			f := src[k]
			prov, id, skip := classify(k, f)
			if origin == originOld && cur[k] != nil {
				// Still listed today: the current entry decides, unless it is
				// no longer a text model (gemini/gemini-1.5-flash became an
				// embedding entry with output 0 in the 2026 copy).
				if _, _, curSkip := classify(k, cur[k]); curSkip == "" || skip != "" {
					continue
				}
			}
			if skip != "" {
				rep.Skipped[skip]++
				continue
			}
			e := &entry{key: k, origin: origin, provider: prov, id: id, f: f}
			byID[prov+"/"+id] = append(byID[prov+"/"+id], e)
		}
	}
	collect(curKeys, cur, originNew)
	collect(oldKeys, old, originOld)

	// 2. Several keys for one id (deepseek-chat and deepseek/deepseek-chat,
	// gemini-flash-latest and gemini/gemini-flash-latest): keep the current
	// copy, then the key with the provider's route prefix, then the richer.
	var entries []*entry
	ids := sortedKeys(byID)
	for _, id := range ids {
		cands := byID[id]
		sort.SliceStable(cands, func(i, j int) bool { return better(cands[i], cands[j]) })
		if len(cands) > 1 {
			var lost []string
			for _, c := range cands[1:] {
				lost = append(lost, c.key)
			}
			rep.Collisions = append(rep.Collisions, fmt.Sprintf("%s: kept %s over %s", id, cands[0].key, strings.Join(lost, ", ")))
		}
		entries = append(entries, cands[0])
	}

	// 3. Patch, drop unpriced entries, derive.
	patchIndex := map[string][]*rawPatch{}
	for i := range rawPatches {
		for _, k := range rawPatches[i].keys {
			patchIndex[k] = append(patchIndex[k], &rawPatches[i])
		}
	}
	models := map[string]*modelX{}
	for _, e := range entries {
		if ps := patchIndex[e.key]; len(ps) > 0 {
			f := make(fields, len(e.f))
			for k, v := range e.f {
				f[k] = v
			}
			for _, p := range ps {
				for k, v := range p.set {
					f[k] = json.Number(v)
				}
				for _, k := range p.del {
					delete(f, k)
				}
				e.patches = append(e.patches, p.note)
				rep.Corrections = append(rep.Corrections, e.key+": "+p.note)
			}
			e.f = f
		}
		in, okIn := e.f.num("input_cost_per_token")
		out, okOut := e.f.num("output_cost_per_token")
		if !okIn || !okOut {
			rep.Skipped["no per-token prices"]++
			continue
		}
		if !in.IsPositive() || !out.IsPositive() {
			rep.Skipped["zero price (free preview or data error)"]++
			continue
		}
		m, err := derive(e)
		if err != nil {
			return nil, nil, err
		}
		for _, n := range strings.Split(m.prices[0].source, "; ") {
			if fix, ok := strings.CutPrefix(n, "fix: "); ok && !containsNote(e.patches, fix) {
				rep.Corrections = append(rep.Corrections, e.key+": "+fix)
			}
		}
		models[e.provider+"/"+e.id] = m
	}

	// 4. Merge snapshots and aliases into their family entry.
	groups, err := groupAliases(models, append(append([]extraAlias(nil), extraAliases...), fireworksAliases(models)...))
	if err != nil {
		return nil, nil, err
	}

	// 5. Price history.
	for key, windows := range history {
		m := groups[key]
		if m == nil {
			return nil, nil, fmt.Errorf("history for unknown model %s", key)
		}
		if err := addHistory(m, windows); err != nil {
			return nil, nil, fmt.Errorf("history %s: %w", key, err)
		}
		rep.Corrections = append(rep.Corrections, key+": price history added")
	}

	// 5b. Per-AWS-Region Bedrock prices (regions.go).
	if err := addRegions(groups, cur, curKeys, old, oldKeys, rep); err != nil {
		return nil, nil, err
	}

	// 5c. Bedrock's regional endpoints of Claude 4.5+ (regional.go).
	addRegionalPremium(groups, rep)

	// 6. Render one file per provider.
	files := map[string][]byte{}
	perProvider := map[string][]*modelX{}
	for _, k := range sortedKeys(groups) {
		m := groups[k]
		m.name = prettyName(m.provider, m.id)
		perProvider[m.provider] = append(perProvider[m.provider], m)
	}
	for _, p := range providers {
		ms := perProvider[p]
		sort.Slice(ms, func(i, j int) bool { return ms[i].id < ms[j].id })
		rep.Models[p] = len(ms)
		data, err := render(p, ms)
		if err != nil {
			return nil, nil, err
		}
		files[p+".json"] = data
	}
	for p := range perProvider {
		if _, ok := rep.Models[p]; !ok {
			return nil, nil, fmt.Errorf("models for unlisted provider %s", p)
		}
	}

	// 7. The output must load and validate.
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	if _, err := pricing.Load(fs.FS(fsys)); err != nil {
		return nil, nil, fmt.Errorf("generated catalog is invalid: %w", err)
	}
	sort.Strings(rep.Collisions)
	sort.Strings(rep.Corrections)
	return files, rep, nil
}

func containsNote(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// better orders candidate keys for one id.
func better(a, b *entry) bool {
	if a.origin != b.origin {
		return a.origin == originNew
	}
	// Bedrock: the Converse/Invoke runtime over the OpenAI-compatible
	// "mantle" endpoint; elsewhere the key with the route prefix.
	am, bm := strings.HasPrefix(a.key, "bedrock_mantle/"), strings.HasPrefix(b.key, "bedrock_mantle/")
	if am != bm {
		return bm
	}
	ap, bp := strings.Contains(a.key, "/"), strings.Contains(b.key, "/")
	if ap != bp {
		return ap
	}
	if len(a.f) != len(b.f) {
		return len(a.f) > len(b.f)
	}
	return a.key < b.key
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// reParentSuffix are the suffixes whose removal gives a model's family id:
// OpenAI dates, Anthropic dates, "-latest", OpenAI/Mistral/xAI "-0613"/"-2411"
// and Gemini "-001".
var reParentSuffix = regexp.MustCompile(`(-\d{4}-\d{2}-\d{2}|-\d{8}|-latest|-\d{4}|-\d{3})$`)

// parents lists the ids id may be an alias of, nearest first.
func parents(id string) []string {
	var out []string
	add := func(s string) {
		if s != "" && s != id && !containsNote(out, s) {
			out = append(out, s)
		}
	}
	base := id
	if strings.HasPrefix(id, "vertex_ai/") {
		rest := strings.TrimPrefix(id, "vertex_ai/")
		if i := strings.IndexByte(rest, '@'); i > 0 {
			add("vertex_ai/" + rest[:i])
			rest = rest[:i]
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			add("vertex_ai/" + rest[i+1:])
			rest = rest[i+1:]
		}
		base = "vertex_ai/" + rest
	}
	add(base)
	add(reParentSuffix.ReplaceAllString(base, ""))
	return out
}

// samePrice compares the single current price of two models (standard
// rates of both bands); tiers may differ (they are unioned).
func samePrice(a, b *modelX) bool {
	if len(a.prices) != 1 || len(b.prices) != 1 {
		return false
	}
	pa, pb := a.prices[0], b.prices[0]
	if !pa.base.std.equal(pb.base.std) {
		return false
	}
	if pa.long != nil && pb.long != nil {
		return pa.longAbove == pb.longAbove && pa.long.std.equal(pb.long.std)
	}
	return true
}

// groupAliases merges models priced identically into their family entry:
// a dated snapshot or "@version" into the undated id, a "-latest" without
// an undated id into the newest snapshot with its price, and the pairs of
// extraAliases. It returns the surviving models by provider/id.
func groupAliases(models map[string]*modelX, extraAliases []extraAlias) (map[string]*modelX, error) {
	parent := map[string]string{}
	var find func(string) string
	find = func(k string) string {
		if p, ok := parent[k]; ok && p != k {
			r := find(p)
			parent[k] = r
			return r
		}
		return k
	}
	union := func(child, root string) {
		c, r := find(child), find(root)
		if c != r {
			parent[c] = r
		}
	}
	keys := sortedKeys(models)
	for _, k := range keys {
		m := models[k]
		for _, p := range parents(m.id) {
			pk := m.provider + "/" + p
			if pm, ok := models[pk]; ok && samePrice(m, pm) {
				union(k, pk)
				break
			}
		}
	}
	// "-latest" without an undated id: the newest snapshot with its price.
	for _, k := range keys {
		m := models[k]
		if !strings.HasSuffix(m.id, "-latest") || find(k) != k {
			continue
		}
		stem := strings.TrimSuffix(m.id, "-latest")
		best := ""
		for _, k2 := range keys {
			m2 := models[k2]
			if k2 == k || m2.provider != m.provider || strings.HasSuffix(m2.id, "-latest") {
				continue
			}
			if reParentSuffix.ReplaceAllString(m2.id, "") == stem && samePrice(m, m2) && k2 > best {
				best = k2
			}
		}
		if best != "" {
			union(k, best)
		}
	}
	extra := map[string][]string{}
	for _, a := range extraAliases {
		ck := a.provider + "/" + a.canonical
		cm, ok := models[ck]
		if !ok {
			return nil, fmt.Errorf("extra alias %s: no model %s", a.alias, ck)
		}
		ak := a.provider + "/" + a.alias
		if am, ok := models[ak]; ok {
			if !samePrice(am, cm) {
				return nil, fmt.Errorf("extra alias %s: price differs from %s", ak, ck)
			}
			if find(ak) == ak {
				parent[ak] = find(ck)
			} else if find(ak) != find(ck) {
				return nil, fmt.Errorf("extra alias %s already belongs to %s", ak, find(ak))
			}
			continue
		}
		extra[ck] = append(extra[ck], a.alias)
	}

	members := map[string][]string{}
	for _, k := range keys {
		r := find(k)
		if r != k {
			members[r] = append(members[r], k)
		}
	}
	out := map[string]*modelX{}
	for _, k := range keys {
		if find(k) != k {
			continue
		}
		m := models[k]
		ms := members[k]
		var deps []string
		for _, mk := range ms {
			a := models[mk]
			m.aliases = append(m.aliases, a.id)
			mergeFeatures(m, a)
			if a.deprecated != "" && !containsNote(deps, a.deprecated) {
				deps = append(deps, a.deprecated)
			}
		}
		// A family id takes the retirement date only when one snapshot
		// carries it (Anthropic's undated alias of a single snapshot).
		if m.deprecated == "" && len(deps) == 1 && len(ms) == 1 {
			m.deprecated = deps[0]
		}
		out[k] = m
	}
	// Extra aliases go to the model their target was merged into (a dated
	// Fireworks snapshot priced like its family, for instance).
	for _, ck := range sortedKeys(extra) {
		m := out[find(ck)]
		for _, a := range extra[ck] {
			if !containsNote(m.aliases, a) && a != m.id {
				m.aliases = append(m.aliases, a)
			}
		}
	}
	for _, m := range out {
		sort.Strings(m.aliases)
	}
	return out, nil
}

// mergeFeatures fills tiers, long context, context window and geography
// multipliers that the family entry lacks from one of its aliases.
func mergeFeatures(m, a *modelX) {
	p, q := &m.prices[0], &a.prices[0]
	if p.base.batch == nil {
		p.base.batch = q.base.batch
	}
	if p.base.flex == nil {
		p.base.flex = q.base.flex
	}
	if p.base.prio == nil {
		p.base.prio = q.base.prio
	}
	if p.long == nil && q.long != nil {
		p.long, p.longAbove = q.long, q.longAbove
	}
	if m.ctx == 0 {
		m.ctx = a.ctx
	}
	if m.geo == nil {
		m.geo = a.geo
	}
}

// addHistory prepends earlier windows to m's current price.
func addHistory(m *modelX, windows []historyWindow) error {
	cur := m.prices[0]
	var out []priceX
	from := ""
	for _, w := range windows {
		in, err := decimal.NewFromString(w.input)
		if err != nil {
			return err
		}
		outR, err := decimal.NewFromString(w.output)
		if err != nil {
			return err
		}
		cr, err := decimal.NewFromString(w.cached)
		if err != nil {
			return err
		}
		// Cache writes keep the current window's ratio to input.
		std := r5{in: in, out: outR, cr: cr,
			w5:  rd(in.Mul(cur.base.std.w5).Div(cur.base.std.in)),
			w1h: rd(in.Mul(cur.base.std.w1h).Div(cur.base.std.in))}
		p := priceX{from: from, until: w.until, base: bandX{std: std}, source: w.source}
		for _, t := range w.tiers {
			h := std.mul(dHalf)
			switch t {
			case "batch":
				p.base.batch = &h
			case "flex":
				p.base.flex = &h
			default:
				return fmt.Errorf("unknown tier %s", t)
			}
		}
		out = append(out, p)
		from = w.until
	}
	cur.from = from
	m.prices = append(out, cur)
	return nil
}

func render(provider string, ms []*modelX) ([]byte, error) {
	f := pricing.File{
		SchemaVersion: pricing.SchemaVersion,
		Provider:      provider,
		GeneratedBy:   "scripts/gen-pricing",
		Sources:       fileSources[provider],
		Models:        []pricing.FileModel{},
	}
	for _, m := range ms {
		fm := pricing.FileModel{
			ID:            m.id,
			Name:          m.name,
			Aliases:       m.aliases,
			ContextWindow: m.ctx,
			Deprecated:    m.deprecated,
			GeoMultiplier: m.geo,
		}
		for _, p := range m.prices {
			fp := pricing.FilePrice{From: p.from, Until: p.until, FileBand: fileBand(&p.base), Source: p.source}
			if p.long != nil {
				fp.LongContext = &pricing.FileLongContext{AboveInputTokens: p.longAbove, FileBand: fileBand(p.long)}
			}
			fp.DefaultRegion = p.defaultRegion
			for name, r := range p.regions {
				if fp.Regions == nil {
					fp.Regions = map[string]*pricing.FileRegion{}
				}
				fr := &pricing.FileRegion{FileBand: fileBand(&r.band), Source: r.source}
				if r.long != nil {
					lb := fileBand(r.long)
					fr.LongContext = &lb
				}
				fp.Regions[name] = fr
			}
			fm.Prices = append(fm.Prices, fp)
		}
		f.Models = append(f.Models, fm)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&f); err != nil {
		return nil, fmt.Errorf("render %s: %w", provider, err)
	}
	return buf.Bytes(), nil
}

func fileBand(b *bandX) pricing.FileBand {
	return pricing.FileBand{
		FileRates: fileRates(b.std),
		Batch:     fileRatesPtr(b.batch),
		Flex:      fileRatesPtr(b.flex),
		Priority:  fileRatesPtr(b.prio),
	}
}

func fileRatesPtr(r *r5) *pricing.FileRates {
	if r == nil {
		return nil
	}
	fr := fileRates(*r)
	return &fr
}

func fileRates(r r5) pricing.FileRates {
	return pricing.FileRates{
		InputPer1M:        r.in.String(),
		OutputPer1M:       r.out.String(),
		CacheReadPer1M:    r.cr.String(),
		CacheWrite5mPer1M: r.w5.String(),
		CacheWrite1hPer1M: r.w1h.String(),
	}
}
