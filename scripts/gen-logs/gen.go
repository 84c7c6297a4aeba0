package main

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// format is one output log format.
type format int

const (
	fOpenAIChat format = iota
	fOpenAIResponses
	fOpenAIPairs
	fAnthropicMessages
	fAnthropicPairs
	fOpenAIBatchOutput
	fAnthropicBatchResults
	fMixed
)

var formatNames = [...]string{
	fOpenAIChat:            "openai-chat",
	fOpenAIResponses:       "openai-responses",
	fOpenAIPairs:           "openai-pairs",
	fAnthropicMessages:     "anthropic-messages",
	fAnthropicPairs:        "anthropic-pairs",
	fOpenAIBatchOutput:     "openai-batch-output",
	fAnthropicBatchResults: "anthropic-batch-results",
	fMixed:                 "mixed",
	fBedrockInvocation:     "bedrock-invocation", // more.go
	fBedrockBatch:          "bedrock-batch-output",
	fLiteLLM:               "litellm",
	fLangfuse:              "langfuse",
	fHelicone:              "helicone",
	fOTel:                  "otel",
}

func (f format) String() string { return formatNames[f] }

func parseFormat(s string) (format, bool) {
	for i, n := range formatNames {
		if n == s {
			return format(i), true
		}
	}
	return 0, false
}

// mixedWeights is the share of each concrete format in -format mixed.
var mixedWeights = [...]int{
	fOpenAIChat:            30,
	fOpenAIResponses:       15,
	fOpenAIPairs:           15,
	fAnthropicMessages:     20,
	fAnthropicPairs:        10,
	fOpenAIBatchOutput:     5,
	fAnthropicBatchResults: 5,
}

// oaModel is an OpenAI model as requested (alias) and as returned (id).
type oaModel struct {
	alias, id string
	weight    int
	reasoning bool // emits reasoning tokens
	flex      bool // flex tier available
	longCtx   bool // context window well above 200k
}

// openaiModels is weighted like real traffic: mostly small models.
var openaiModels = []oaModel{
	{"gpt-4o-mini", "gpt-4o-mini-2024-07-18", 22, false, false, false},
	{"gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 14, false, false, true},
	{"gpt-5-mini", "gpt-5-mini-2025-08-07", 16, true, true, false},
	{"gpt-4.1-nano", "gpt-4.1-nano-2025-04-14", 8, false, false, true},
	{"gpt-5-nano", "gpt-5-nano-2025-08-07", 7, true, true, false},
	{"gpt-4o", "gpt-4o-2024-08-06", 9, false, false, false},
	{"gpt-4.1", "gpt-4.1-2025-04-14", 7, false, false, true},
	{"o4-mini", "o4-mini-2025-04-16", 5, true, true, false},
	{"gpt-5", "gpt-5-2025-08-07", 6, true, true, false},
	{"gpt-5.4", "gpt-5.4", 3, true, true, true},
	{"o3", "o3-2025-04-16", 2, true, true, false},
	{"gpt-4o", "gpt-4o-2024-11-20", 1, false, false, false},
}

// anModel is an Anthropic model as requested (alias) and as returned (id).
type anModel struct {
	alias, id string
	weight    int
	split     bool // usage carries the cache_creation TTL split
	geo       bool // usage carries inference_geo and output_tokens_details (4.6 models)
	thinking  bool // extended thinking available
	longCtx   bool // 1M context window (long-context pricing above 200k input)
	minCache  int64
}

var anthropicModels = []anModel{
	{"claude-haiku-4-5", "claude-haiku-4-5-20251001", 28, true, false, true, false, 2048},
	{"claude-sonnet-4-5", "claude-sonnet-4-5-20250929", 30, true, false, true, true, 1024},
	{"claude-sonnet-4-0", "claude-sonnet-4-20250514", 8, true, false, true, true, 1024},
	{"claude-3-5-haiku-latest", "claude-3-5-haiku-20241022", 8, false, false, false, false, 2048},
	{"claude-opus-4-6", "claude-opus-4-6", 6, true, true, true, true, 1024},
	{"claude-opus-4-5", "claude-opus-4-5-20251101", 4, true, false, true, false, 1024},
	{"claude-opus-4-1", "claude-opus-4-1-20250805", 1, true, false, true, false, 1024},
}

var (
	users    = mkPool("u_", 48)
	projects = []string{"search", "support-bot", "summarizer", "codegen", "data-extraction", "agent", "eval-harness", "translate"}
	teams    = []string{"growth", "platform", "research", "support", "ml-infra"}
	envs     = []string{"prod", "prod", "prod", "staging"}
	// anthropicUsers are opaque metadata.user_id values (hashes, as the docs advise).
	anthropicUsers = mkHexPool(48)
	batchJobs      = []string{"nightly-summaries", "ticket-triage", "doc-embed-prep", "eval-run", "catalog-enrich"}
	tools          = []string{"lookup_order", "search_kb", "get_weather", "create_ticket", "run_sql"}
	// toolArgs are function-call arguments: a JSON document inside a JSON
	// string, hence the escaped quotes.
	toolArgs = []string{
		`{\"order_id\":\"A-10293\"}`,
		`{\"query\":\"refund policy EU\",\"limit\":5}`,
		`{\"location\":\"Paris, FR\",\"unit\":\"celsius\"}`,
		`{\"title\":\"Export button broken on Safari\",\"priority\":\"high\"}`,
		`{\"sql\":\"SELECT count(*) FROM events WHERE day = '2026-01-02'\"}`,
	}
)

func mkPool(prefix string, n int) []string {
	p := make([]string, n)
	for i := range p {
		p[i] = prefix + strconv.Itoa(100+i*7)
	}
	return p
}

func mkHexPool(n int) []string {
	r := rand.New(rand.NewPCG(7, 7)) // fixed: pools do not depend on -seed
	p := make([]string, n)
	for i := range p {
		b := make([]byte, 0, 32)
		for range 32 {
			b = append(b, hexDigits[r.IntN(16)])
		}
		p[i] = "usr_" + string(b)
	}
	return p
}

const (
	hexDigits = "0123456789abcdef"
	alnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// clock maps progress in [0,1] to a timestamp inside the span, with a
// day/night traffic pattern. The mapping is monotonic, so timestamps never go
// backwards.
type clock struct {
	start time.Time
	days  int
	cdf   [1441]float64 // cumulative traffic share by minute of day
}

func newClock(start time.Time, days int) *clock {
	c := &clock{start: start.UTC(), days: days}
	sum := 0.0
	for m := range 1440 {
		h := float64(m) / 60
		// Night floor plus a working-hours peak (UTC 14:00) and an evening bump.
		d := 0.25 + 1.6*math.Exp(-sq(h-14)/(2*sq(3.5))) + 0.4*math.Exp(-sq(h-20.5)/(2*sq(1.5)))
		sum += d
		c.cdf[m+1] = sum
	}
	for m := range c.cdf {
		c.cdf[m] /= sum
	}
	return c
}

func sq(x float64) float64 { return x * x }

func (c *clock) at(p float64) time.Time {
	if p < 0 {
		p = 0
	}
	if p >= 1 {
		p = 0.999999999
	}
	x := p * float64(c.days)
	day := math.Floor(x)
	f := x - day
	// Invert the CDF: binary search for the minute, interpolate inside it.
	lo, hi := 0, 1440
	for lo < hi {
		mid := (lo + hi) / 2
		if c.cdf[mid+1] < f {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	w := c.cdf[lo+1] - c.cdf[lo]
	within := 0.0
	if w > 0 {
		within = (f - c.cdf[lo]) / w
	}
	ms := int64(day)*86_400_000 + int64(lo)*60_000 + int64(within*60_000)
	return c.start.Add(time.Duration(ms) * time.Millisecond)
}

// gen builds one log line at a time into a reused buffer.
type gen struct {
	r *rand.Rand
	// texts is the escaping style of the current line: raw UTF-8 for most
	// lines, ASCII-only for some (Go's encoding/json, Python's json.dumps).
	*texts
	raw, ascii texts
	b          []byte
	// scratch holds a copy of text that is written twice in one line.
	scratch []byte
	oaCum   []int
	anCum   []int
	mixCum  []int

	oaBatch, anBatch batchIDs
}

// batchIDs hands out custom_id numbers in a locally shuffled order, because
// batch outputs are not in input order.
type batchIDs struct {
	perm []int
	base int
	i    int
}

func (b *batchIDs) next(r *rand.Rand) int {
	if b.i == len(b.perm) {
		if b.perm != nil {
			b.base += len(b.perm)
		}
		b.perm = r.Perm(64)
		b.i = 0
	}
	n := b.base + b.perm[b.i]
	b.i++
	return n
}

func newGen(seed uint64) *gen {
	g := &gen{
		r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		b: make([]byte, 0, 256<<10),
	}
	rc, ac := newCorpora(g.r, 6<<20)
	g.raw = texts{rc, newEscapedPool(systemPrompts, false), newEscapedPool(questions, false), newEscapedPool(shortAnswers, false)}
	g.ascii = texts{ac, newEscapedPool(systemPrompts, true), newEscapedPool(questions, true), newEscapedPool(shortAnswers, true)}
	g.texts = &g.raw
	for _, m := range openaiModels {
		g.oaCum = append(g.oaCum, last(g.oaCum)+m.weight)
	}
	for _, m := range anthropicModels {
		g.anCum = append(g.anCum, last(g.anCum)+m.weight)
	}
	for _, w := range mixedWeights {
		g.mixCum = append(g.mixCum, last(g.mixCum)+w)
	}
	return g
}

func last(s []int) int {
	if len(s) == 0 {
		return 0
	}
	return s[len(s)-1]
}

func pickCum(r *rand.Rand, cum []int) int {
	x := r.IntN(cum[len(cum)-1])
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

// --- random helpers ---

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// logNormal returns exp(N(ln median, sigma)) clamped to [lo, hi].
func (g *gen) logNormal(median, sigma float64, lo, hi int64) int64 {
	v := int64(median * math.Exp(sigma*g.r.NormFloat64()))
	return min(max(v, lo), hi)
}

func (g *gen) between(lo, hi int64) int64 { return lo + g.r.Int64N(hi-lo+1) }

// skewed picks from a pool with a heavy head (a few users make most calls).
func (g *gen) skewed(pool []string) string {
	f := g.r.Float64()
	return pool[int(f*f*float64(len(pool)))]
}

func (g *gen) pick(pool []string) string { return pool[g.r.IntN(len(pool))] }

// textLen is the length in bytes of a typical completion or prompt turn:
// mostly 200–3000, sometimes 20–100 KB.
func (g *gen) textLen() int {
	if g.chance(0.012) {
		return int(g.between(20_000, 100_000))
	}
	return int(g.logNormal(900, 0.75, 20, 15_000))
}

// --- byte building ---

func (g *gen) s(x string)   { g.b = append(g.b, x...) }
func (g *gen) bs(x []byte)  { g.b = append(g.b, x...) }
func (g *gen) i(n int64)    { g.b = strconv.AppendInt(g.b, n, 10) }
func (g *gen) q1(x string)  { g.b = append(append(append(g.b, '"'), x...), '"') }
func (g *gen) qb(x []byte)  { g.b = append(append(append(g.b, '"'), x...), '"') }
func (g *gen) f2(x float64) { g.b = strconv.AppendFloat(g.b, x, 'f', -1, 64) }

func (g *gen) rnd(n int, set string) {
	for range n {
		g.b = append(g.b, set[g.r.IntN(len(set))])
	}
}

func (g *gen) hexOf(v uint64, width int) {
	for k := width - 1; k >= 0; k-- {
		g.b = append(g.b, hexDigits[(v>>(4*uint(k)))&0xf])
	}
}

func (g *gen) ts(t time.Time) { // RFC 3339 with milliseconds, UTC
	g.b = append(g.b, '"')
	g.b = t.AppendFormat(g.b, "2006-01-02T15:04:05.000Z")
	g.b = append(g.b, '"')
}

// --- token accounting ---

// tokensOf approximates the token count of escaped text (~4 bytes a token).
func tokensOf(n int) int64 { return int64(n)/4 + 1 }

type oaUsage struct {
	prompt, cached, cacheWrite, completion, reasoning int64
	style                                             int // 0 details, 1 details null, 2 details absent
	withCacheWrite                                    bool
}

func (g *gen) openaiUsage(m *oaModel, prompt int64, outText int) oaUsage {
	var u oaUsage
	if prompt == 0 {
		prompt = g.logNormal(900, 1.2, 12, 120_000)
		if m.longCtx && g.chance(0.004) {
			prompt = g.between(200_000, 900_000)
		}
	}
	u.prompt = prompt
	if prompt >= 1024 && g.chance(0.35) {
		frac := 0.4 + 0.55*g.r.Float64()
		u.cached = max(1024, int64(float64(prompt)*frac)/128*128)
	}
	u.withCacheWrite = g.chance(0.2)
	if u.withCacheWrite && u.cached == 0 && prompt >= 1024 && g.chance(0.5) {
		u.cacheWrite = int64(float64(prompt)*0.8) / 128 * 128
	}
	if m.reasoning && !g.chance(0.08) {
		u.reasoning = g.logNormal(384, 1.1, 64, 40_000) / 64 * 64
	}
	u.completion = tokensOf(outText) + u.reasoning
	switch x := g.r.IntN(100); {
	case x < 4:
		u.style = 1
	case x < 7:
		u.style = 2
	}
	if u.style != 0 {
		u.cached, u.cacheWrite, u.withCacheWrite = 0, 0, false
	}
	return u
}

func (g *gen) chatUsage(u *oaUsage) {
	g.s(`"usage":{"prompt_tokens":`)
	g.i(u.prompt)
	g.s(`,"completion_tokens":`)
	g.i(u.completion)
	g.s(`,"total_tokens":`)
	g.i(u.prompt + u.completion)
	switch u.style {
	case 0:
		g.s(`,"prompt_tokens_details":{"cached_tokens":`)
		g.i(u.cached)
		if u.withCacheWrite {
			g.s(`,"cache_write_tokens":`)
			g.i(u.cacheWrite)
		}
		g.s(`,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":`)
		g.i(u.reasoning)
		g.s(`,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}`)
	case 1:
		g.s(`,"prompt_tokens_details":null,"completion_tokens_details":null`)
	}
	g.s(`}`)
}

func (g *gen) responsesUsage(u *oaUsage) {
	g.s(`"usage":{"input_tokens":`)
	g.i(u.prompt)
	g.s(`,"input_tokens_details":{"cached_tokens":`)
	g.i(u.cached)
	if u.withCacheWrite {
		g.s(`,"cache_write_tokens":`)
		g.i(u.cacheWrite)
	}
	g.s(`},"output_tokens":`)
	g.i(u.completion)
	g.s(`,"output_tokens_details":{"reasoning_tokens":`)
	g.i(u.reasoning)
	g.s(`},"total_tokens":`)
	g.i(u.prompt + u.completion)
	g.s(`}`)
}

// openaiTier returns the service_tier value to write: "" omits the key,
// "null" writes null.
func (g *gen) openaiTier(m *oaModel) string {
	switch x := g.r.IntN(100); {
	case x < 10:
		return ""
	case x < 18:
		return "null"
	case x < 24:
		if m.flex {
			return "flex"
		}
	case x < 27:
		return "priority"
	}
	return "default"
}

func (g *gen) tierField(tier string) {
	switch tier {
	case "":
	case "null":
		g.s(`"service_tier":null,`)
	default:
		g.s(`"service_tier":"`)
		g.s(tier)
		g.s(`",`)
	}
}

// completionText returns the assistant text for a response.
func (g *gen) completionText() []byte {
	if g.chance(0.08) {
		return g.short.pick(g.r)
	}
	return g.c.slice(g.r, g.textLen())
}

// --- OpenAI bodies ---

type chatOpts struct {
	tier  string
	chunk bool // final streaming chunk (no content, empty choices)
	tool  bool
}

func (g *gen) chatBody(m *oaModel, created int64, text []byte, u *oaUsage, o chatOpts) {
	g.s(`{"id":"chatcmpl-`)
	g.rnd(29, alnum)
	if o.chunk {
		g.s(`","object":"chat.completion.chunk","created":`)
	} else {
		g.s(`","object":"chat.completion","created":`)
	}
	g.i(created)
	g.s(`,"model":`)
	g.q1(m.id)
	g.s(`,`)
	if o.chunk {
		g.tierField(o.tier)
		g.s(`"system_fingerprint":"fp_`)
		g.rnd(10, hexDigits)
		g.s(`","choices":[],`)
		g.chatUsage(u)
		g.s(`}`)
		return
	}
	g.s(`"choices":[{"index":0,"message":{"role":"assistant",`)
	if o.tool {
		g.s(`"content":null,"tool_calls":[{"id":"call_`)
		g.rnd(24, alnum)
		g.s(`","type":"function","function":{"name":"`)
		g.s(g.pick(tools))
		g.s(`","arguments":"`)
		g.s(toolArgs[g.r.IntN(len(toolArgs))])
		g.s(`"}}],"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"tool_calls"}],`)
	} else {
		g.s(`"content":`)
		g.qb(text)
		g.s(`,"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":`)
		if g.chance(0.03) {
			g.s(`"length"}],`)
		} else {
			g.s(`"stop"}],`)
		}
	}
	g.chatUsage(u)
	g.s(`,`)
	g.tierField(o.tier)
	g.s(`"system_fingerprint":"fp_`)
	g.rnd(10, hexDigits)
	g.s(`"}`)
}

type respOpts struct {
	tier         string
	instructions []byte // echoed instructions, nil for null
	maxOut       int64
	user         string
	project      string
	team         string
	noMeta       bool
}

func (g *gen) responseBody(m *oaModel, created int64, text []byte, u *oaUsage, o respOpts) {
	g.s(`{"id":"resp_`)
	g.hexOf(uint64(created), 8)
	g.rnd(40, hexDigits)
	g.s(`","object":"response","created_at":`)
	g.i(created)
	incomplete := g.chance(0.03)
	if incomplete {
		g.s(`,"status":"incomplete","completed_at":null,"error":null,"incomplete_details":{"reason":"max_output_tokens"},"instructions":`)
	} else {
		g.s(`,"status":"completed","completed_at":`)
		g.i(created + 1 + u.completion/80)
		g.s(`,"error":null,"incomplete_details":null,"instructions":`)
	}
	if o.instructions != nil {
		g.qb(o.instructions)
	} else {
		g.s(`null`)
	}
	g.s(`,"max_output_tokens":`)
	if o.maxOut > 0 {
		g.i(o.maxOut)
	} else {
		g.s(`null`)
	}
	g.s(`,"model":`)
	g.q1(m.id)
	g.s(`,"output":[`)
	if m.reasoning {
		g.s(`{"id":"rs_`)
		g.hexOf(uint64(created), 8)
		g.rnd(40, hexDigits)
		g.s(`","type":"reasoning","summary":[]},`)
	}
	if g.chance(0.04) {
		g.s(`{"id":"ws_`)
		g.hexOf(uint64(created), 8)
		g.rnd(40, hexDigits)
		g.s(`","type":"web_search_call","status":"completed","action":{"type":"search","query":"`)
		g.bs(g.q.pick(g.r))
		g.s(`"}},`)
	}
	g.s(`{"id":"msg_`)
	g.hexOf(uint64(created), 8)
	g.rnd(40, hexDigits)
	g.s(`","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":`)
	g.qb(text)
	g.s(`}],"role":"assistant"}],"parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,"reasoning":{"effort":`)
	if m.reasoning {
		g.s(`"medium"`)
	} else {
		g.s(`null`)
	}
	g.s(`,"summary":null},"safety_identifier":null,`)
	if o.tier == "" {
		g.s(`"service_tier":"default",`)
	} else {
		g.tierField(o.tier)
	}
	g.s(`"store":true,"temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[],"top_logprobs":0,"top_p":1.0,"truncation":"disabled",`)
	g.responsesUsage(u)
	g.s(`,"user":null,"metadata":{`)
	if !o.noMeta {
		g.s(`"user":"`)
		g.s(o.user)
		g.s(`","project":"`)
		g.s(o.project)
		g.s(`","team":"`)
		g.s(o.team)
		g.s(`"`)
	}
	g.s(`}}`)
}

// --- Anthropic bodies ---

type anUsage struct {
	input, cacheCreate, cacheRead, c5m, c1h, output, thinking int64
	split, nullCache                                          bool
	tier, geo                                                 string
	webSearch                                                 int64
}

// anthropicUsage fills the disjoint input buckets for a call with total input
// tokens total (0: draw one) whose cacheable prefix is prefix tokens (0: draw).
func (g *gen) anthropicUsage(m *anModel, total, prefix int64, outText int, thinking int64) anUsage {
	u := anUsage{split: m.split && !g.chance(0.1), tier: "standard"}
	if total == 0 {
		total = g.logNormal(2500, 1.2, 8, 190_000)
		if m.longCtx && g.chance(0.006) {
			total = g.between(200_001, 900_000)
		}
	}
	if prefix == 0 && g.chance(0.45) {
		prefix = int64(float64(total) * (0.5 + 0.47*g.r.Float64()))
	}
	if prefix >= m.minCache && prefix < total {
		if g.chance(0.75) {
			u.cacheRead = prefix
			u.cacheCreate = min(total-prefix-1, int64(float64(total)*0.1*g.r.Float64()))
		} else {
			u.cacheCreate = prefix
		}
	}
	u.input = total - u.cacheRead - u.cacheCreate
	switch {
	case u.cacheCreate == 0:
	case g.chance(0.04):
		u.c1h = u.cacheCreate / 2
		u.c5m = u.cacheCreate - u.c1h
	case g.chance(0.15):
		u.c1h = u.cacheCreate
	default:
		u.c5m = u.cacheCreate
	}
	if !m.split && u.cacheCreate == 0 && u.cacheRead == 0 && g.chance(0.3) {
		u.nullCache = true
	}
	u.thinking = thinking
	u.output = tokensOf(outText) + thinking
	if g.chance(0.03) {
		u.tier = "priority"
	}
	if m.geo {
		u.geo = "global"
		if g.chance(0.12) {
			u.geo = "us"
		}
	}
	if m.thinking && g.chance(0.02) {
		u.webSearch = g.between(1, 4)
	}
	return u
}

func (g *gen) anUsage(m *anModel, u *anUsage) {
	g.s(`"usage":{"input_tokens":`)
	g.i(u.input)
	if u.nullCache {
		g.s(`,"cache_creation_input_tokens":null,"cache_read_input_tokens":null`)
	} else {
		g.s(`,"cache_creation_input_tokens":`)
		g.i(u.cacheCreate)
		g.s(`,"cache_read_input_tokens":`)
		g.i(u.cacheRead)
	}
	if u.split {
		g.s(`,"cache_creation":{"ephemeral_5m_input_tokens":`)
		g.i(u.c5m)
		g.s(`,"ephemeral_1h_input_tokens":`)
		g.i(u.c1h)
		g.s(`}`)
	}
	g.s(`,"output_tokens":`)
	g.i(u.output)
	if m.geo {
		g.s(`,"output_tokens_details":{"thinking_tokens":`)
		g.i(u.thinking)
		g.s(`}`)
	}
	if u.webSearch > 0 {
		g.s(`,"server_tool_use":{"web_search_requests":`)
		g.i(u.webSearch)
		g.s(`,"web_fetch_requests":0}`)
	}
	if u.tier != "" {
		g.s(`,"service_tier":"`)
		g.s(u.tier)
		g.s(`"`)
	}
	if u.geo != "" {
		g.s(`,"inference_geo":"`)
		g.s(u.geo)
		g.s(`"`)
	}
	g.s(`}`)
}

type anContent struct {
	thinking []byte
	text     []byte
	tool     bool
}

func (g *gen) anContent(m *anModel) (anContent, int) {
	var c anContent
	n := 0
	if m.thinking && g.chance(0.15) {
		c.thinking = g.c.slice(g.r, int(g.logNormal(1500, 0.8, 100, 20_000)))
	}
	c.tool = g.chance(0.08)
	if !c.tool || g.chance(0.5) {
		c.text = g.completionText()
		n += len(c.text)
	}
	return c, n
}

func (g *gen) anMessage(m *anModel, c *anContent, u *anUsage) {
	g.s(`{"id":"msg_01`)
	g.rnd(22, alnum)
	g.s(`","type":"message","role":"assistant","model":`)
	g.q1(m.id)
	g.s(`,"content":[`)
	sep := false
	if c.thinking != nil {
		g.s(`{"type":"thinking","thinking":`)
		g.qb(c.thinking)
		g.s(`,"signature":"Eq`)
		g.rnd(180, alnum)
		g.s(`=="}`)
		sep = true
	}
	if c.text != nil {
		if sep {
			g.s(`,`)
		}
		g.s(`{"type":"text","text":`)
		g.qb(c.text)
		g.s(`}`)
		sep = true
	}
	stop := `"end_turn"`
	if c.tool {
		if sep {
			g.s(`,`)
		}
		g.s(`{"type":"tool_use","id":"toolu_01`)
		g.rnd(22, alnum)
		g.s(`","name":"`)
		g.s(g.pick(tools))
		g.s(`","input":{"query":"`)
		g.bs(g.q.pick(g.r))
		g.s(`"}}`)
		stop = `"tool_use"`
	} else if g.chance(0.03) {
		stop = `"max_tokens"`
	}
	g.s(`],"stop_reason":`)
	g.s(stop)
	g.s(`,"stop_sequence":null,`)
	g.anUsage(m, u)
	g.s(`}`)
}

// --- whole lines ---

// line renders one record of format f (never fMixed) at time t into g.b and
// returns it, newline included. The slice is reused by the next call.
func (g *gen) line(f format, t time.Time) []byte {
	g.b = g.b[:0]
	g.texts = &g.raw
	if g.r.IntN(100) < 15 {
		g.texts = &g.ascii
	}
	switch f {
	case fOpenAIChat:
		g.openaiChat(t)
	case fOpenAIResponses:
		g.openaiResponses(t)
	case fOpenAIPairs:
		g.openaiPair(t)
	case fAnthropicMessages:
		m := &anthropicModels[pickCum(g.r, g.anCum)]
		c, n := g.anContent(m)
		u := g.anthropicUsage(m, 0, 0, n, thinkingTokens(c))
		g.anMessage(m, &c, &u)
	case fAnthropicPairs:
		g.anthropicPair(t)
	case fOpenAIBatchOutput:
		g.openaiBatchOutput(t)
	case fAnthropicBatchResults:
		g.anthropicBatchResult()
	default:
		g.moreLine(f, t)
	}
	g.b = append(g.b, '\n')
	return g.b
}

func thinkingTokens(c anContent) int64 {
	if c.thinking == nil {
		return 0
	}
	return tokensOf(len(c.thinking))
}

func (g *gen) openaiChat(t time.Time) {
	m := &openaiModels[pickCum(g.r, g.oaCum)]
	o := chatOpts{tier: g.openaiTier(m), chunk: g.chance(0.06), tool: g.chance(0.07)}
	var text []byte
	if !o.chunk && !o.tool {
		text = g.completionText()
	}
	n := len(text)
	if o.chunk {
		n = g.textLen() // the streamed text was in earlier chunks
	}
	u := g.openaiUsage(m, 0, n)
	g.chatBody(m, t.Unix(), text, &u, o)
}

func (g *gen) openaiResponses(t time.Time) {
	m := &openaiModels[pickCum(g.r, g.oaCum)]
	text := g.completionText()
	u := g.openaiUsage(m, 0, len(text))
	u.style = 0
	o := respOpts{
		tier:    g.openaiTier(m),
		user:    g.skewed(users),
		project: g.pick(projects),
		team:    g.pick(teams),
		noMeta:  g.chance(0.15),
		maxOut:  [...]int64{0, 0, 1024, 4096, 16384}[g.r.IntN(5)],
	}
	if o.tier == "null" {
		o.tier = "default"
	}
	if g.chance(0.3) {
		o.instructions = g.sys.pick(g.r)
	}
	if g.chance(0.25) {
		g.s(`{"type":"response.completed","sequence_number":`)
		g.i(g.between(8, 2400))
		g.s(`,"response":`)
		g.responseBody(m, t.Unix(), text, &u, o)
		g.s(`}`)
		return
	}
	g.responseBody(m, t.Unix(), text, &u, o)
}

// turns writes n prior exchanges of a chat as user/assistant messages (after the
// system message) and returns their byte size. firstSep says whether a comma
// must precede the first message.
func (g *gen) turns(n int, firstSep bool, blocks bool) int {
	size := 0
	for k := 0; k < n; k++ {
		if firstSep || k > 0 {
			g.s(`,`)
		}
		q := g.q.pick(g.r)
		doc := g.c.slice(g.r, int(g.logNormal(600, 1.0, 0, 60_000)))
		blk := blocks && g.chance(0.3)
		if blk {
			g.s(`{"role":"user","content":[{"type":"text","text":"`)
		} else {
			g.s(`{"role":"user","content":"`)
		}
		g.bs(q)
		g.s(`\n\n`)
		g.bs(doc)
		if blk {
			g.s(`"}]},`)
		} else {
			g.s(`"},`)
		}
		a := g.completionText()
		g.s(`{"role":"assistant","content":`)
		g.qb(a)
		g.s(`}`)
		size += len(q) + len(doc) + len(a) + 40
	}
	return size
}

// systemText writes a system prompt, sometimes followed by a retrieved
// document block, as escaped content, and returns its size.
func (g *gen) systemText() int {
	start := len(g.b)
	g.bs(g.sys.pick(g.r))
	if g.chance(0.3) {
		g.s(`\n\n<documents>\n`)
		g.bs(g.c.slice(g.r, int(g.logNormal(8000, 0.6, 2000, 60_000))))
		g.s(`\n</documents>`)
	}
	return len(g.b) - start
}

func (g *gen) nTurns() int {
	switch x := g.r.IntN(100); {
	case x < 55:
		return 0
	case x < 88:
		return int(g.between(1, 3))
	}
	return int(g.between(4, 8))
}

func (g *gen) openaiPair(t time.Time) {
	m := &openaiModels[pickCum(g.r, g.oaCum)]
	user, project, team := g.skewed(users), g.pick(projects), g.pick(teams)
	g.s(`{"timestamp":`)
	g.ts(t)
	g.s(`,"latency_ms":`)
	g.i(g.logNormal(1800, 0.7, 120, 120_000))
	g.s(`,"request":{"model":`)
	g.q1(m.alias)
	long := m.longCtx && g.chance(0.006)
	var size int
	var sysStart, sysLen int
	responses := g.chance(0.2)
	if responses {
		g.s(`,"instructions":"`)
		sysStart = len(g.b)
		sysLen = g.systemText()
		g.s(`","input":[`)
		nt := g.nTurns()
		size = sysLen + g.turns(nt, false, false)
		if nt > 0 {
			g.s(`,`)
		}
		q := g.q.pick(g.r)
		g.s(`{"role":"user","content":"`)
		g.bs(q)
		g.s(`"}`)
		size += len(q)
		if long {
			g.s(`,{"role":"user","content":[{"type":"input_file","file_id":"file-`)
			g.rnd(22, alnum)
			g.s(`"}]}`)
		}
		g.s(`],"max_output_tokens":`)
		maxOut := [...]int64{1024, 2048, 4096, 16384}[g.r.IntN(4)]
		g.i(maxOut)
		if m.reasoning {
			g.s(`,"reasoning":{"effort":"`)
			g.s([...]string{"minimal", "low", "medium", "high"}[g.r.IntN(4)])
			g.s(`"}`)
		}
		g.s(`,"metadata":{"user":"`)
		g.s(user)
		g.s(`","project":"`)
		g.s(project)
		g.s(`","team":"`)
		g.s(team)
		g.s(`"},"store":true},"response":`)
		prompt := tokensOf(size) + 8
		if long {
			prompt += g.between(200_000, 800_000)
		}
		text := g.completionText()
		u := g.openaiUsage(m, prompt, len(text))
		u.style = 0
		g.scratch = append(g.scratch[:0], g.b[sysStart:sysStart+sysLen]...)
		sys := g.scratch
		g.responseBody(m, t.Unix(), text, &u, respOpts{tier: "default", instructions: sys, maxOut: maxOut, user: user, project: project, team: team})
		g.s(`}`)
		return
	}
	g.s(`,"messages":[{"role":"system","content":"`)
	size = g.systemText()
	g.s(`"}`)
	size += g.turns(g.nTurns(), true, true)
	q := g.q.pick(g.r)
	doc := g.c.slice(g.r, g.textLen())
	g.s(`,{"role":"user","content":`)
	if long {
		g.s(`[{"type":"text","text":"`)
		g.bs(q)
		g.s(`"},{"type":"file","file":{"file_id":"file-`)
		g.rnd(22, alnum)
		g.s(`"}}]}`)
	} else {
		g.s(`"`)
		g.bs(q)
		g.s(`\n\n`)
		g.bs(doc)
		g.s(`"}`)
		size += len(q) + len(doc)
	}
	g.s(`]`)
	if m.reasoning {
		g.s(`,"max_completion_tokens":`)
		g.i([...]int64{4096, 8192, 16384, 32768}[g.r.IntN(4)])
		g.s(`,"reasoning_effort":"`)
		g.s([...]string{"minimal", "low", "medium", "high"}[g.r.IntN(4)])
		g.s(`"`)
	} else {
		if g.chance(0.5) {
			g.s(`,"max_tokens":`)
		} else {
			g.s(`,"max_completion_tokens":`)
		}
		g.i([...]int64{256, 512, 1024, 2048, 4096}[g.r.IntN(5)])
		g.s(`,"temperature":`)
		g.f2([...]float64{0, 0.2, 0.7, 1}[g.r.IntN(4)])
	}
	tier := g.openaiTier(m)
	switch tier {
	case "flex", "priority":
		g.s(`,"service_tier":"`)
		g.s(tier)
		g.s(`"`)
	}
	stream := g.chance(0.2)
	if stream {
		g.s(`,"stream":true,"stream_options":{"include_usage":true}`)
	}
	g.s(`,"user":"`)
	g.s(user)
	g.s(`","metadata":{"project":"`)
	g.s(project)
	g.s(`","team":"`)
	g.s(team)
	g.s(`","env":"`)
	g.s(g.pick(envs))
	g.s(`"},"store":true},"response":`)
	prompt := tokensOf(size) + 4*int64(2+size/2000)
	if long {
		prompt += g.between(200_000, 800_000)
	}
	o := chatOpts{tier: tier, chunk: stream, tool: !stream && g.chance(0.05)}
	var text []byte
	if !o.chunk && !o.tool {
		text = g.completionText()
	}
	n := len(text)
	if stream {
		n = g.textLen()
	}
	u := g.openaiUsage(m, prompt, n)
	g.chatBody(m, t.Unix(), text, &u, o)
	g.s(`}`)
}

func (g *gen) anthropicPair(t time.Time) {
	m := &anthropicModels[pickCum(g.r, g.anCum)]
	g.s(`{"timestamp":`)
	g.ts(t)
	g.s(`,"latency_ms":`)
	g.i(g.logNormal(2500, 0.7, 150, 300_000))
	g.s(`,"request":{"model":`)
	if g.chance(0.5) {
		g.q1(m.alias)
	} else {
		g.q1(m.id)
	}
	g.s(`,"max_tokens":`)
	g.i([...]int64{1024, 2048, 4096, 8192, 16000, 32000}[g.r.IntN(6)])
	cache := g.chance(0.5)
	ttl1h := cache && g.chance(0.15)
	var sysLen int
	if cache {
		g.s(`,"system":[{"type":"text","text":"`)
		sysLen = g.systemText()
		if ttl1h {
			g.s(`","cache_control":{"type":"ephemeral","ttl":"1h"}}]`)
		} else {
			g.s(`","cache_control":{"type":"ephemeral"}}]`)
		}
	} else {
		g.s(`,"system":"`)
		sysLen = g.systemText()
		g.s(`"`)
	}
	thinking := m.thinking && g.chance(0.15)
	if thinking {
		g.s(`,"thinking":{"type":"enabled","budget_tokens":`)
		g.i([...]int64{1024, 4096, 8192, 16000}[g.r.IntN(4)])
		g.s(`}`)
	} else {
		g.s(`,"temperature":`)
		g.f2([...]float64{0, 0.3, 0.7, 1}[g.r.IntN(4)])
	}
	g.s(`,"messages":[`)
	nt := g.nTurns()
	hist := g.turns(nt, false, true)
	long := m.longCtx && g.chance(0.006)
	if nt > 0 {
		g.s(`,`)
	}
	q := g.q.pick(g.r)
	doc := g.c.slice(g.r, g.textLen())
	g.s(`{"role":"user","content":[`)
	if long {
		g.s(`{"type":"document","source":{"type":"file","file_id":"file_011C`)
		g.rnd(20, alnum)
		g.s(`"},"title":"annual-report.pdf"},`)
	}
	g.s(`{"type":"text","text":"`)
	g.bs(q)
	g.s(`\n\n`)
	g.bs(doc)
	g.s(`"}]}],"metadata":{"user_id":"`)
	g.s(g.skewed(anthropicUsers))
	g.s(`"}},"response":`)

	total := tokensOf(sysLen+hist+len(q)+len(doc)) + 8
	if long {
		total += g.between(200_000, 800_000)
	}
	var prefix int64 = -1 // no cache breakpoint
	if cache {
		prefix = tokensOf(sysLen)
		if hist > 0 && g.chance(0.7) {
			prefix += tokensOf(hist)
		}
	}
	var c anContent
	if thinking {
		c.thinking = g.c.slice(g.r, int(g.logNormal(1500, 0.8, 100, 20_000)))
	}
	c.tool = g.chance(0.08)
	if !c.tool || g.chance(0.5) {
		c.text = g.completionText()
	}
	u := g.anthropicUsage(m, total, max(prefix, 1), len(c.text), thinkingTokens(c))
	if !cache {
		u.input += u.cacheRead + u.cacheCreate
		u.cacheRead, u.cacheCreate, u.c5m, u.c1h = 0, 0, 0, 0
	} else if ttl1h {
		u.c1h += u.c5m
		u.c5m = 0
	}
	g.anMessage(m, &c, &u)
	g.s(`}`)
}

func (g *gen) openaiBatchOutput(t time.Time) {
	m := &openaiModels[pickCum(g.r, g.oaCum)]
	g.s(`{"id":"batch_req_`)
	g.rnd(32, hexDigits)
	g.s(`","custom_id":"request-`)
	g.i(int64(g.oaBatch.next(g.r)))
	g.s(`","response":`)
	switch x := g.r.IntN(1000); {
	case x < 12:
		g.s(`null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}`)
		return
	case x < 20:
		g.s(`{"status_code":400,"request_id":"`)
		g.rnd(32, hexDigits)
		g.s(`","body":{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}},"error":null}`)
		return
	}
	g.s(`{"status_code":200,"request_id":"`)
	if g.chance(0.3) {
		g.s(`req_`)
	}
	g.rnd(32, hexDigits)
	g.s(`","body":`)
	text := g.completionText()
	u := g.openaiUsage(m, 0, len(text))
	if g.chance(0.15) {
		u.style = 0
		g.responseBody(m, t.Unix(), text, &u, respOpts{tier: "default", noMeta: true})
	} else {
		g.chatBody(m, t.Unix(), text, &u, chatOpts{tier: "default"})
	}
	g.s(`},"error":null}`)
}

func (g *gen) anthropicBatchResult() {
	g.s(`{"custom_id":"`)
	g.s(g.pick(batchJobs))
	g.s(`-`)
	n := int64(g.anBatch.next(g.r))
	g.b = append(g.b, byte('0'+n/100000%10), byte('0'+n/10000%10), byte('0'+n/1000%10), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
	g.s(`","result":`)
	switch x := g.r.IntN(1000); {
	case x < 15:
		g.s(`{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for this model"}}}}`)
		return
	case x < 22:
		g.s(`{"type":"canceled"}}`)
		return
	case x < 32:
		g.s(`{"type":"expired"}}`)
		return
	}
	m := &anthropicModels[pickCum(g.r, g.anCum)]
	c, n2 := g.anContent(m)
	u := g.anthropicUsage(m, 0, 0, n2, thinkingTokens(c))
	u.tier = "batch"
	if g.chance(0.2) {
		u.tier = ""
	}
	g.s(`{"type":"succeeded","message":`)
	g.anMessage(m, &c, &u)
	g.s(`}}`)
}
