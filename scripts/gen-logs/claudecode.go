package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// -format claude-code writes Claude Code session transcripts (see
// shared/formats/claude-code.md) as Claude Code 2.x lays them out: a config
// directory (-o) holding projects/<encoded cwd>/<sessionId>.jsonl, and for
// sessions that ran subagents <sessionId>/subagents/agent-<id>.jsonl. With
// -o - every line goes to standard output, session after session.
//
// Sessions are agent loops: a user prompt, then API calls, each written as
// one assistant line per content block (thinking, text, tool_use) sharing
// message.id and requestId, each followed by a user line with the tool
// result (the bulk of the bytes: file contents, command output, written
// twice, in message.content and toolUseResult). Usage is what Claude Code
// sees: a few uncached input tokens, the conversation read from the cache and
// the new turn written to it (the 5-minute TTL, sometimes 1 hour), the
// context growing until it is compacted. Versions 2.1.x write streaming
// snapshots: earlier lines of a response carry a partial output_tokens, the
// last the final one; 2.0.x lines repeat the final usage. Some calls run
// above 200k input tokens, a few are <synthetic> API error lines, and
// subagent transcripts (isSidechain) hold their own calls.
//
// -records counts lines (every line, billed or not); -size counts bytes.

const claudeCodeFormat = "claude-code"

type ccProject struct {
	cwd, dir string
}

var ccProjects = func() []ccProject {
	var ps []ccProject
	for i, name := range []string{"webshop", "llmcost", "infra", "data-pipeline", "mobile-app", "docs-site", "auth-service",
		"ml-experiments", "billing", "search-api", "design-system", "cli-tools"} {
		user := []string{"sam", "alex"}[i%2]
		cwd := "/Users/" + user + "/src/" + name
		ps = append(ps, ccProject{cwd: cwd, dir: ccEncodeDir(cwd)})
	}
	return ps
}()

// ccEncodeDir is Claude Code's project directory name for a working
// directory: every character other than a letter or digit becomes '-'.
func ccEncodeDir(cwd string) string {
	b := []byte(cwd)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '-'
		}
	}
	return string(b)
}

type ccModel struct {
	id     string
	weight int
	long   bool // 1M context: calls above 200k input occur
}

var ccModels = []ccModel{
	{"claude-sonnet-4-5-20250929", 55, true},
	{"claude-opus-4-6", 18, true},
	{"claude-opus-4-5-20251101", 8, false},
	{"claude-sonnet-4-20250514", 6, true},
	{"claude-haiku-4-5-20251001", 13, false},
}

var (
	ccBranches = []string{"main", "main", "main", "feat/checkout-rounding", "fix/flaky-test", "chore/deps", "HEAD", ""}
	ccTools    = []string{"Read", "Read", "Read", "Bash", "Bash", "Grep", "Edit", "Edit", "Glob", "Write", "TodoWrite", "WebFetch"}
)

// ccCode is code-like text: what tool results and edits hold.
var ccCode = []string{
	"package cart\n\nimport (\n\t\"errors\"\n\t\"math\"\n)\n\n// Total returns the cart total in cents, coupons applied after tax.\nfunc Total(items []Item, c *Coupon) (int64, error) {\n\tvar sum float64\n\tfor _, it := range items {\n\t\tif it.Qty < 0 {\n\t\t\treturn 0, errors.New(\"negative quantity\")\n\t\t}\n\t\tsum += it.Price * float64(it.Qty)\n\t}\n\treturn int64(math.Round(sum)), nil\n}\n",
	"export async function fetchOrders(userId: string): Promise<Order[]> {\n  const res = await fetch(`/api/users/${userId}/orders`, { headers: { \"Accept\": \"application/json\" } });\n  if (!res.ok) throw new Error(`HTTP ${res.status}`);\n  return (await res.json()).orders.map((o: RawOrder) => ({ ...o, total: o.total_cents / 100 }));\n}\n",
	"def load_events(path: str) -> list[dict]:\n    \"\"\"Read a JSONL file of events, skipping blank lines.\"\"\"\n    out = []\n    with open(path, encoding=\"utf-8\") as f:\n        for line in f:\n            if line.strip():\n                out.append(json.loads(line))\n    return out\n",
	"$ go test ./...\nok  \tgithub.com/acme/webshop/cart\t0.412s\n--- FAIL: TestCheckout (0.02s)\n    checkout_test.go:88: total = 1999, want 2000\nFAIL\tgithub.com/acme/webshop/checkout\t0.118s\n",
	"src/cart/total.ts:42:    const rounded = round(price) * qty; // \"rounds per line\"\nsrc/cart/coupon.ts:17:export function applyCoupon(total: number, c: Coupon) {\nsrc/api/orders.go:203:\t\treturn fmt.Errorf(\"order %q: %w\", id, err)\n",
	"     1\t# Webshop\n     2\t\n     3\tRun `make dev` and open http://localhost:8080.\n     4\t\n     5\t| variable | meaning |\n     6\t|---|---|\n     7\t| `SHOP_DB` | Postgres DSN |\n     8\t| `SHOP_KEY` | signing key (never commit it) |\n",
	"CREATE TABLE orders (\n  id bigserial PRIMARY KEY,\n  user_id bigint NOT NULL REFERENCES users(id),\n  total_cents bigint NOT NULL CHECK (total_cents >= 0),\n  created_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX orders_user_idx ON orders (user_id, created_at DESC);\n",
	"{\n  \"name\": \"webshop\",\n  \"scripts\": { \"test\": \"vitest run\", \"build\": \"tsc -p .\" },\n  \"dependencies\": { \"react\": \"^19.1.0\", \"zod\": \"^3.24.1\" }\n}\n",
	"The edit applied cleanly. Next I will run the tests to confirm the rounding fix, then update the changelog entry under \"Unreleased\".",
	"I found the cause: each line item is rounded before the coupon is applied, so a 10% coupon on three items priced 3.33 loses a cent. Rounding once, at the end, fixes it.",
	"Café naïve façade — 日本語のコメント — emoji 🚀 in a commit message\\n",
}

type ccGen struct {
	*gen
	code    *corpus
	cfg     config
	clk     *clock
	dir     string // config directory, "" for a single stream
	out     *bufio.Writer
	st      stats
	done    bool
	modCum  []int
	prevID  [36]byte // uuid of the previous line of the transcript
	hasPrev bool
	curID   [36]byte
	lineID  bool // the line in g.b has a uuid (curID)
	session [36]byte
	proj    *ccProject
	branch  string
	version string
	stream  bool // 2.1.x streaming snapshots
	sub     *bytes.Buffer
	now     time.Time
}

// genClaudeCode writes Claude Code transcripts until cfg.records lines or
// cfg.size bytes, under dir/projects (dir != "") or to w.
func genClaudeCode(cfg config, dir string, w io.Writer) (stats, error) {
	g := &ccGen{gen: newGen(cfg.seed), cfg: cfg, clk: newClock(cfg.start, cfg.days), dir: dir}
	// The code corpus: escaped snippets in random order, each a fragment.
	code := &corpus{data: make([]byte, 0, 4<<20+4096)}
	for len(code.data) < 4<<20 {
		code.starts = append(code.starts, int32(len(code.data)))
		code.data = escapeJSON(code.data, ccCode[g.r.IntN(len(ccCode))], false)
		code.ends = append(code.ends, int32(len(code.data)))
	}
	g.code = code
	for _, m := range ccModels {
		g.modCum = append(g.modCum, last(g.modCum)+m.weight)
	}
	if dir == "" {
		g.out = bufio.NewWriterSize(w, 1<<20)
	}
	for !g.done {
		if err := g.writeSession(); err != nil {
			return g.st, err
		}
	}
	if dir == "" {
		return g.st, g.out.Flush()
	}
	return g.st, nil
}

func (g *ccGen) progress() float64 {
	p := 0.0
	if g.cfg.records > 0 {
		p = float64(g.st.records) / float64(g.cfg.records)
	}
	if g.cfg.size > 0 {
		p = max(p, float64(g.st.bytes)/float64(g.cfg.size))
	}
	return p
}

// emit ends the line in g.b and writes it to dst (the session file, or a
// subagent buffer), unless the limits are reached.
func (g *ccGen) emit(dst io.Writer) error {
	g.b = append(g.b, '\n')
	if g.cfg.records > 0 && g.st.records >= g.cfg.records ||
		g.cfg.size > 0 && g.st.bytes+int64(len(g.b)) > g.cfg.size && g.st.records > 0 {
		g.done = true
		return nil
	}
	if _, err := dst.Write(g.b); err != nil {
		return err
	}
	g.st.records++
	g.st.bytes += int64(len(g.b))
	if g.lineID {
		g.prevID, g.hasPrev, g.lineID = g.curID, true, false
	}
	return nil
}

func (g *ccGen) uuid(dst *[36]byte) {
	for i := range dst {
		switch i {
		case 8, 13, 18, 23:
			dst[i] = '-'
		case 14:
			dst[i] = '4'
		default:
			dst[i] = hexDigits[g.r.IntN(16)]
		}
	}
}

func (g *ccGen) tick(lo, hi time.Duration) {
	g.now = g.now.Add(lo + time.Duration(g.r.Int64N(int64(hi-lo)+1)))
}

func (g *ccGen) writeSession() error {
	g.proj = &ccProjects[int(float64(len(ccProjects))*sq(g.r.Float64()))]
	g.branch = g.pick(ccBranches)
	g.version = "2.1.63"
	g.stream = true
	if g.chance(0.4) {
		g.version, g.stream = "2.0.46", false
	}
	g.uuid(&g.session)
	g.hasPrev = false
	g.now = g.clk.at(g.progress())
	model := &ccModels[pickCum(g.r, g.modCum)]

	var f *os.File
	if g.dir != "" {
		p := filepath.Join(g.dir, "projects", g.proj.dir, string(g.session[:])+".jsonl")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		var err error
		if f, err = os.Create(p); err != nil {
			return err
		}
		g.out = bufio.NewWriterSize(f, 256<<10)
	}
	err := g.sessionLines(model)
	if f != nil {
		if ferr := g.out.Flush(); err == nil {
			err = ferr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (g *ccGen) sessionLines(model *ccModel) error {
	w := g.out
	if g.chance(0.1) {
		g.b = g.b[:0]
		g.s(`{"type":"summary","summary":"`)
		g.bs(g.q.pick(g.r))
		g.s(`","leafUuid":"`)
		var l [36]byte
		g.uuid(&l)
		g.bs(l[:])
		g.s(`"}`)
		if err := g.emit(w); err != nil || g.done {
			return err
		}
	}
	// ctx is the conversation so far, in tokens: system prompt and tools
	// first, then every turn; cached is the part already in the cache.
	ctx := g.between(14_000, 22_000)
	var cached int64
	turns := int(g.logNormal(5, 0.9, 1, 60))
	for range turns {
		g.tick(10*time.Second, 8*time.Minute)
		if g.chance(0.5) {
			g.snapshot()
			if err := g.emit(w); err != nil || g.done {
				return err
			}
		}
		g.user(false, "", nil)
		ctx += g.between(20, 400)
		if err := g.emit(w); err != nil || g.done {
			return err
		}
		calls := int(g.logNormal(5, 0.8, 1, 40))
		for c := range calls {
			last := c == calls-1
			var err error
			ctx, cached, err = g.call(w, model, ctx, cached, last, false, "")
			if err != nil || g.done {
				return err
			}
			if ctx > 160_000 && !(model.long && g.chance(0.1)) {
				// Auto-compaction: a boundary, a summary, a fresh context.
				g.tick(time.Second, 20*time.Second)
				g.system("compact_boundary", "Conversation compacted")
				if err := g.emit(w); err != nil || g.done {
					return err
				}
				ctx, cached = g.between(20_000, 30_000), 0
			}
		}
		if g.chance(0.004) {
			g.synthetic()
			if err := g.emit(w); err != nil || g.done {
				return err
			}
		}
	}
	return nil
}

// call writes one API call: its assistant lines and, when it used a tool,
// the tool result; it returns the new context size and cached part.
func (g *ccGen) call(w io.Writer, model *ccModel, ctx, cached int64, last, side bool, agent string) (int64, int64, error) {
	g.tick(2*time.Second, 25*time.Second)
	think := g.chance(0.25)
	text := last || g.chance(0.6)
	tool := !last
	var thinking, answer []byte
	if think {
		thinking = g.c.slice(g.r, int(g.logNormal(900, 0.8, 80, 12_000)))
	}
	if text {
		answer = g.c.slice(g.r, int(g.logNormal(500, 0.9, 20, 8_000)))
	}
	toolName := g.pick(ccTools)
	var toolInput []byte
	if tool {
		switch toolName {
		case "Edit", "Write":
			toolInput = g.code.slice(g.r, int(g.logNormal(900, 1.0, 60, 30_000)))
		default:
			toolInput = g.q.pick(g.r)
		}
	}
	// Usage: the new part of the context is written to the cache, the rest
	// read from it.
	write := ctx - cached
	read := cached
	input := g.between(1, 12)
	if write > input {
		write -= input
	} else {
		input, write = write, 0
	}
	if model.long && g.chance(0.01) {
		read = g.between(200_001, 600_000) // a long-context call (1M window)
	}
	out := tokensOf(len(thinking)+len(answer)+len(toolInput)) + g.between(5, 40)
	var w1h int64
	if g.chance(0.15) {
		w1h = write
	}
	var mid, req [22]byte
	for i := range mid {
		mid[i] = alnum[g.r.IntN(len(alnum))]
		req[i] = alnum[g.r.IntN(len(alnum))]
	}
	blocks := 0
	for _, b := range []bool{think, text, tool} {
		if b {
			blocks++
		}
	}
	k := 0
	emitBlock := func(kind byte) error {
		k++
		final := k == blocks
		o := out
		if g.stream && !final {
			o = max(1, out*int64(k)/int64(blocks+2)/4)
		}
		stop := `null`
		if final || !g.stream {
			stop = `"end_turn"`
			if tool {
				stop = `"tool_use"`
			}
		}
		g.b = g.b[:0]
		g.envelope(side, agent)
		g.s(`"message":{"model":`)
		g.q1(model.id)
		g.s(`,"id":"msg_01`)
		g.bs(mid[:])
		g.s(`","type":"message","role":"assistant","content":[`)
		switch kind {
		case 'k':
			g.s(`{"type":"thinking","thinking":"`)
			g.bs(thinking)
			g.s(`","signature":"Eq`)
			g.rnd(300, alnum)
			g.s(`"}`)
		case 't':
			g.s(`{"type":"text","text":"`)
			g.bs(answer)
			g.s(`"}`)
		case 'u':
			g.s(`{"type":"tool_use","id":"toolu_01`)
			g.rnd(22, alnum)
			g.s(`","name":"`)
			g.s(toolName)
			g.s(`","input":{`)
			switch toolName {
			case "Edit":
				g.s(`"file_path":"`)
				g.s(g.proj.cwd)
				g.s(`/src/cart/total.ts","old_string":"`)
				g.bs(g.code.slice(g.r, len(toolInput)/2))
				g.s(`","new_string":"`)
				g.bs(toolInput)
				g.s(`"`)
			case "Write":
				g.s(`"file_path":"`)
				g.s(g.proj.cwd)
				g.s(`/src/new_file.ts","content":"`)
				g.bs(toolInput)
				g.s(`"`)
			case "Bash":
				g.s(`"command":"go test ./...","description":"`)
				g.bs(toolInput)
				g.s(`"`)
			default:
				g.s(`"file_path":"`)
				g.s(g.proj.cwd)
				g.s(`/README.md","pattern":"`)
				g.bs(toolInput)
				g.s(`"`)
			}
			g.s(`}}`)
		}
		g.s(`],"stop_reason":`)
		g.s(stop)
		g.s(`,"stop_sequence":null,"usage":{"input_tokens":`)
		g.i(input)
		g.s(`,"cache_creation_input_tokens":`)
		g.i(write)
		g.s(`,"cache_read_input_tokens":`)
		g.i(read)
		g.s(`,"cache_creation":{"ephemeral_5m_input_tokens":`)
		g.i(write - w1h)
		g.s(`,"ephemeral_1h_input_tokens":`)
		g.i(w1h)
		g.s(`},"output_tokens":`)
		g.i(o)
		g.s(`,"service_tier":"standard"}},"requestId":"req_011C`)
		g.bs(req[:])
		g.s(`","type":"assistant",`)
		g.tail()
		err := g.emit(w)
		g.tick(50*time.Millisecond, 3*time.Second)
		return err
	}
	for _, kind := range []struct {
		on bool
		k  byte
	}{{think, 'k'}, {text, 't'}, {tool, 'u'}} {
		if kind.on {
			if err := emitBlock(kind.k); err != nil || g.done {
				return ctx, cached, err
			}
		}
	}
	cached = ctx
	ctx += out
	if !tool {
		return ctx, cached, nil
	}
	// The tool result; a Task tool runs a subagent first.
	var result []byte
	if !side && g.chance(0.03) {
		var err error
		if result, err = g.subagent(); err != nil || g.done {
			return ctx, cached, err
		}
	} else {
		n := int(g.logNormal(2100, 1.1, 20, 60_000))
		if g.chance(0.02) {
			n = int(g.between(30_000, 120_000))
		}
		result = g.code.slice(g.r, n)
	}
	g.tick(100*time.Millisecond, 20*time.Second)
	g.user(side, agent, result)
	ctx += tokensOf(len(result)) + 20
	return ctx, cached, g.emit(w)
}

// user writes a user line: the prompt when res is nil, else a tool result
// holding res (escaped), also echoed in toolUseResult as Claude Code does.
func (g *ccGen) user(side bool, agent string, res []byte) {
	g.b = g.b[:0]
	g.envelope(side, agent)
	g.s(`"type":"user","message":{"role":"user","content":`)
	if res == nil {
		g.s(`"`)
		g.bs(g.q.pick(g.r))
		g.s(`"},`)
		g.tail()
		return
	}
	g.s(`[{"tool_use_id":"toolu_01`)
	g.rnd(22, alnum)
	g.s(`","type":"tool_result","content":"`)
	g.bs(res)
	g.s(`"}]},`)
	g.s(`"uuid":"`)
	g.uuid(&g.curID)
	g.lineID = true
	g.bs(g.curID[:])
	g.s(`","timestamp":`)
	g.ts(g.now)
	g.s(`,"toolUseResult":{"type":"text","file":{"filePath":"`)
	g.s(g.proj.cwd)
	g.s(`/src/cart/total.ts","content":"`)
	g.bs(res)
	g.s(`","numLines":`)
	g.i(int64(bytes.Count(res, []byte(`\n`)) + 1))
	g.s(`,"startLine":1,"totalLines":`)
	g.i(int64(bytes.Count(res, []byte(`\n`)) + 1))
	g.s(`}}}`)
}

// envelope writes the members every transcript line starts with, through
// gitBranch, and a trailing comma.
func (g *ccGen) envelope(side bool, agent string) {
	g.s(`{"parentUuid":`)
	if g.hasPrev {
		g.s(`"`)
		g.bs(g.prevID[:])
		g.s(`"`)
	} else {
		g.s(`null`)
	}
	if side {
		g.s(`,"isSidechain":true`)
	} else {
		g.s(`,"isSidechain":false`)
	}
	g.s(`,"userType":"external","cwd":"`)
	g.s(g.proj.cwd)
	g.s(`","sessionId":"`)
	g.bs(g.session[:])
	g.s(`","version":"`)
	g.s(g.version)
	g.s(`","gitBranch":"`)
	g.s(g.branch)
	g.s(`",`)
	if agent != "" {
		g.s(`"agentId":"`)
		g.s(agent)
		g.s(`",`)
	}
}

// tail writes the uuid and timestamp that end a line.
func (g *ccGen) tail() {
	g.s(`"uuid":"`)
	g.uuid(&g.curID)
	g.lineID = true
	g.bs(g.curID[:])
	g.s(`","timestamp":`)
	g.ts(g.now)
	g.s(`}`)
}

func (g *ccGen) snapshot() {
	g.b = g.b[:0]
	var id [36]byte
	g.uuid(&id)
	g.s(`{"type":"file-history-snapshot","messageId":"`)
	g.bs(id[:])
	g.s(`","snapshot":{"messageId":"`)
	g.bs(id[:])
	g.s(`","trackedFileBackups":{},"timestamp":`)
	g.ts(g.now)
	g.s(`},"isSnapshotUpdate":false}`)
}

func (g *ccGen) system(subtype, content string) {
	g.b = g.b[:0]
	g.envelope(false, "")
	g.s(`"type":"system","subtype":"`)
	g.s(subtype)
	g.s(`","content":"`)
	g.s(content)
	g.s(`","isMeta":false,"level":"info",`)
	g.tail()
}

// synthetic writes a locally generated API error message (no API call).
func (g *ccGen) synthetic() {
	g.b = g.b[:0]
	g.envelope(false, "")
	g.s(`"type":"assistant","message":{"id":"`)
	var id [36]byte
	g.uuid(&id)
	g.bs(id[:])
	g.s(`","model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","stop_sequence":"","type":"message","usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"server_tool_use":{"web_search_requests":0},"service_tier":null},"content":[{"type":"text","text":"Claude AI usage limit reached|`)
	g.i(g.now.Add(3 * time.Hour).Unix())
	g.s(`"}]},"isApiErrorMessage":true,`)
	g.tail()
}

// subagent writes a subagent transcript (its own calls, isSidechain) and
// returns its final answer, the parent's tool result.
func (g *ccGen) subagent() ([]byte, error) {
	var agent [8]byte
	for i := range agent {
		agent[i] = hexDigits[g.r.IntN(16)]
	}
	id := string(agent[:])
	buf := &bytes.Buffer{}
	saved, savedHas := g.prevID, g.hasPrev
	g.hasPrev = false
	model := &ccModels[len(ccModels)-1] // Haiku, or the session's Sonnet
	if g.chance(0.4) {
		model = &ccModels[0]
	}
	g.user(true, id, nil)
	if err := g.emit(buf); err != nil || g.done {
		return nil, err
	}
	ctx, cached := g.between(8_000, 14_000), int64(0)
	calls := int(g.logNormal(6, 0.7, 1, 40))
	for c := range calls {
		var err error
		ctx, cached, err = g.call(buf, model, ctx, cached, c == calls-1, true, id)
		if err != nil {
			return nil, err
		}
		if g.done {
			break
		}
	}
	g.prevID, g.hasPrev = saved, savedHas
	if g.dir == "" {
		_, err := g.out.Write(buf.Bytes())
		return g.c.slice(g.r, 400), err
	}
	p := filepath.Join(g.dir, "projects", g.proj.dir, string(g.session[:]), "subagents", "agent-"+id+".jsonl")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	return g.c.slice(g.r, 400), os.WriteFile(p, buf.Bytes(), 0o644)
}

// runClaudeCode is main's -format claude-code: out is the config directory
// to create, or - for standard output.
func runClaudeCode(cfg config, out string, stdout, stderr io.Writer, quiet bool) error {
	dir := ""
	if out != "-" {
		if strings.HasSuffix(out, ".gz") {
			return fmt.Errorf("-format %s writes a directory tree: -o names the Claude config directory to create", claudeCodeFormat)
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		dir = out
	}
	began := time.Now()
	st, err := genClaudeCode(cfg, dir, stdout)
	if err != nil {
		return err
	}
	if !quiet {
		secs := time.Since(began).Seconds()
		fmt.Fprintf(stderr, "gen-logs: %s: %d lines, %d bytes (%.1f MB, avg %d B/line) in %.2fs\n",
			claudeCodeFormat, st.records, st.bytes, float64(st.bytes)/1e6, st.bytes/max(st.records, 1), secs)
	}
	return nil
}
