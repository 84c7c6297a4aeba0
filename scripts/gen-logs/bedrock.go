package main

import (
	"time"
)

// Amazon Bedrock model invocation log records (schemaType
// ModelInvocationLog, as delivered to S3 one per line) and batch inference
// output lines, per shared/formats/bedrock.md.

// brModel is a Bedrock model as a log names it.
type brModel struct {
	id     string
	weight int
	family byte     // 'c' Claude, 'n' Nova, 'l' Llama, 'm' Mistral
	an     *anModel // Claude: the Anthropic model whose usage it mimics
	region string   // endpoint region ("" picks a US one)
}

var bedrockModels = []brModel{
	{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", 26, 'c', &anthropicModels[1], ""},
	{"global.anthropic.claude-sonnet-4-5-20250929-v1:0", 8, 'c', &anthropicModels[1], ""},
	{"us.anthropic.claude-haiku-4-5-20251001-v1:0", 20, 'c', &anthropicModels[0], ""},
	{"anthropic.claude-haiku-4-5-20251001-v1:0", 6, 'c', &anthropicModels[0], ""},
	{"global.anthropic.claude-opus-4-6-v1", 4, 'c', &anthropicModels[4], ""},
	{"eu.anthropic.claude-sonnet-4-5-20250929-v1:0", 6, 'c', &anthropicModels[1], "eu-central-1"},
	{"arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0", 3, 'c', &anthropicModels[1], "us-east-1"},
	{"anthropic.claude-3-5-haiku-20241022-v1:0", 3, 'c', &anthropicModels[3], ""},
	{"us.amazon.nova-pro-v1:0", 7, 'n', nil, ""},
	{"amazon.nova-lite-v1:0", 8, 'n', nil, ""},
	{"us.amazon.nova-micro-v1:0", 4, 'n', nil, ""},
	{"us.meta.llama3-3-70b-instruct-v1:0", 3, 'l', nil, ""},
	{"mistral.mistral-large-2407-v1:0", 1, 'm', nil, ""},
	// an application inference profile: opaque, reported as unknown
	{"arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/k2x9v4b7q1zt", 1, 'c', &anthropicModels[0], "us-east-1"},
}

var (
	bedrockCum       []int
	bedrockRoles     = []string{"app-backend", "support-bot", "etl-batch", "search-api", "eval-runner"}
	bedrockUsRegions = []string{"us-east-1", "us-east-1", "us-east-1", "us-west-2", "us-east-2"}
	awsAccounts      = []string{"111122223333", "444455556666"}
)

func init() {
	for _, m := range bedrockModels {
		bedrockCum = append(bedrockCum, last(bedrockCum)+m.weight)
	}
}

// brUsage is a call's tokens in Bedrock's terms: input is uncached.
type brUsage struct {
	in, read, write, w5, w1, out int64
}

func (g *gen) bedrockUsage(m *brModel, outText int) brUsage {
	if m.family == 'c' {
		u := g.anthropicUsage(m.an, 0, 0, outText, 0)
		return brUsage{in: u.input, read: u.cacheRead, write: u.cacheCreate, w5: u.c5m, w1: u.c1h, out: u.output}
	}
	return brUsage{in: g.logNormal(1200, 1.1, 8, 120_000), out: tokensOf(outText)}
}

// userText writes an escaped user turn and returns its size.
func (g *gen) userText() int {
	q := g.q.pick(g.r)
	doc := g.c.slice(g.r, g.textLen())
	g.bs(q)
	g.s(`\n\n`)
	g.bs(doc)
	return len(q) + len(doc) + 4
}

func (g *gen) bedrockInvocation(t time.Time) {
	m := &bedrockModels[pickCum(g.r, bedrockCum)]
	region := m.region
	if region == "" {
		region = g.pick(bedrockUsRegions)
	}
	acct := awsAccounts[0]
	if g.chance(0.2) {
		acct = awsAccounts[1]
	}
	ops := [...]string{"Converse", "Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"}
	op := ops[g.r.IntN(len(ops))]
	if m.family != 'c' && m.family != 'n' || m.family == 'n' && op == "InvokeModelWithResponseStream" {
		op = "Converse"
	}
	converse := op == "Converse" || op == "ConverseStream"
	stream := op == "ConverseStream" || op == "InvokeModelWithResponseStream"
	bodies := !g.chance(0.08) // text data delivery may be disabled
	failed := g.chance(0.01)

	g.s(`{"timestamp":`)
	g.rfc3339(t)
	g.s(`,"accountId":"`)
	g.s(acct)
	g.s(`","region":"`)
	g.s(region)
	g.s(`","requestId":"`)
	g.uuid()
	g.s(`","operation":"`)
	g.s(op)
	g.s(`","modelId":`)
	g.q1(m.id)
	if g.chance(0.4) {
		g.s(`,"requestMetadata":{"project":"`)
		g.s(g.pick(projects))
		g.s(`","team":"`)
		g.s(g.pick(teams))
		g.s(`","user_id":"`)
		g.s(g.skewed(users))
		g.s(`"}`)
	}
	if failed {
		g.s(`,"input":{"inputContentType":"application/json"},"output":{},"errorCode":"`)
		g.s([...]string{"ThrottlingException", "ValidationException", "ModelTimeoutException"}[g.r.IntN(3)])
		g.s(`"`)
		g.bedrockTail(acct, region)
		return
	}
	text := g.completionText()
	u := g.bedrockUsage(m, len(text))
	maxTok := [...]int64{512, 1024, 2048, 4096, 8192}[g.r.IntN(5)]

	g.s(`,"input":{"inputContentType":"application/json",`)
	switch {
	case !bodies:
	case g.chance(0.02): // body too large for the record: offloaded to S3
		g.s(`"inputBodyS3Path":"s3://bedrock-logs-`)
		g.s(acct)
		g.s(`/AWSLogs/`)
		g.s(acct)
		g.s(`/BedrockModelInvocationLogs/`)
		g.s(region)
		g.b = t.AppendFormat(g.b, "/2006/01/02/15/data/")
		g.uuid()
		g.s(`_input.json.gz",`)
	case converse:
		g.s(`"inputBodyJson":{"messages":[{"role":"user","content":[{"text":"`)
		g.userText()
		g.s(`"}]}],"system":[{"text":"`)
		g.bs(g.sys.pick(g.r))
		g.s(`"}],"inferenceConfig":{"maxTokens":`)
		g.i(maxTok)
		g.s(`,"temperature":0.2}},`)
	case m.family == 'c':
		g.s(`"inputBodyJson":{"anthropic_version":"bedrock-2023-05-31","max_tokens":`)
		g.i(maxTok)
		g.s(`,"system":"`)
		g.bs(g.sys.pick(g.r))
		g.s(`","messages":[{"role":"user","content":"`)
		g.userText()
		g.s(`"}]},`)
	default: // Nova InvokeModel
		g.s(`"inputBodyJson":{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"`)
		g.userText()
		g.s(`"}]}],"inferenceConfig":{"maxTokens":`)
		g.i(maxTok)
		g.s(`}},`)
	}
	g.s(`"inputTokenCount":`)
	g.i(u.in)
	if m.family == 'c' || g.chance(0.5) {
		g.s(`,"cacheReadInputTokenCount":`)
		g.i(u.read)
		g.s(`,"cacheWriteInputTokenCount":`)
		g.i(u.write)
	}
	g.s(`},"output":{"outputContentType":"application/json",`)
	if bodies {
		g.s(`"outputBodyJson":`)
		switch {
		case converse && stream:
			g.s(`[{"messageStart":{"role":"assistant"}},{"contentBlockDelta":{"delta":{"text":`)
			g.qb(text)
			g.s(`},"contentBlockIndex":0}},{"contentBlockStop":{"contentBlockIndex":0}},{"messageStop":{"stopReason":"end_turn"}},{"metadata":{`)
			g.converseUsage(&u)
			g.s(`,"metrics":{"latencyMs":`)
			g.i(g.logNormal(1800, 0.7, 120, 120_000))
			g.s(`}}}]`)
		case converse || m.family == 'n':
			g.s(`{"output":{"message":{"role":"assistant","content":[{"text":`)
			g.qb(text)
			g.s(`}]}},"stopReason":"end_turn",`)
			g.converseUsage(&u)
			g.s(`,"metrics":{"latencyMs":`)
			g.i(g.logNormal(1800, 0.7, 120, 120_000))
			g.s(`}}`)
		case stream:
			g.s(`[{"type":"message_start","message":{"id":"msg_bdrk_01`)
			g.rnd(22, alnum)
			g.s(`","type":"message","role":"assistant","model":`)
			g.q1(m.an.id)
			g.s(`,"content":[],"stop_reason":null,"usage":{"input_tokens":`)
			g.i(u.in)
			g.s(`,"cache_creation_input_tokens":`)
			g.i(u.write)
			g.s(`,"cache_read_input_tokens":`)
			g.i(u.read)
			g.s(`,"output_tokens":1}}},{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":`)
			g.qb(text)
			g.s(`}},{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":`)
			g.i(u.out)
			g.s(`}},{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":`)
			g.i(u.in)
			g.s(`,"outputTokenCount":`)
			g.i(u.out)
			g.s(`,"invocationLatency":`)
			g.i(g.logNormal(1800, 0.7, 120, 120_000))
			g.s(`,"firstByteLatency":`)
			g.i(g.logNormal(400, 0.5, 50, 10_000))
			g.s(`,"cacheReadInputTokenCount":`)
			g.i(u.read)
			g.s(`,"cacheWriteInputTokenCount":`)
			g.i(u.write)
			g.s(`}}]`)
		default: // Claude InvokeModel: an Anthropic Messages body
			g.s(`{"id":"msg_bdrk_01`)
			g.rnd(22, alnum)
			g.s(`","type":"message","role":"assistant","model":`)
			g.q1(m.an.id)
			g.s(`,"content":[{"type":"text","text":`)
			g.qb(text)
			g.s(`}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":`)
			g.i(u.in)
			g.s(`,"cache_creation_input_tokens":`)
			g.i(u.write)
			g.s(`,"cache_read_input_tokens":`)
			g.i(u.read)
			g.s(`,"cache_creation":{"ephemeral_5m_input_tokens":`)
			g.i(u.w5)
			g.s(`,"ephemeral_1h_input_tokens":`)
			g.i(u.w1)
			g.s(`},"output_tokens":`)
			g.i(u.out)
			g.s(`}}`)
		}
		g.s(`,`)
	}
	g.s(`"outputTokenCount":`)
	g.i(u.out)
	g.s(`}`)
	g.bedrockTail(acct, region)
}

// converseUsage writes a Converse TokenUsage member.
func (g *gen) converseUsage(u *brUsage) {
	g.s(`"usage":{"inputTokens":`)
	g.i(u.in)
	g.s(`,"outputTokens":`)
	g.i(u.out)
	g.s(`,"totalTokens":`)
	g.i(u.in + u.read + u.write + u.out)
	g.s(`,"cacheReadInputTokens":`)
	g.i(u.read)
	g.s(`,"cacheWriteInputTokens":`)
	g.i(u.write)
	if u.write > 0 {
		g.s(`,"cacheDetails":[`)
		if u.w1 > 0 {
			g.s(`{"inputTokens":`)
			g.i(u.w1)
			g.s(`,"ttl":"1h"}`)
			if u.w5 > 0 {
				g.s(`,`)
			}
		}
		if u.w5 > 0 {
			g.s(`{"inputTokens":`)
			g.i(u.w5)
			g.s(`,"ttl":"5m"}`)
		}
		g.s(`]`)
	}
	g.s(`}`)
}

// bedrockTail writes the identity, the regions and the schema members.
func (g *gen) bedrockTail(acct, region string) {
	g.s(`,"identity":{"arn":"arn:aws:sts::`)
	g.s(acct)
	g.s(`:assumed-role/`)
	role := g.r.IntN(len(bedrockRoles))
	g.s(bedrockRoles[role])
	g.s(`/i-0`) // a role's sessions: a few instances each
	g.hexOf(uint64(role*8+g.r.IntN(8))*0x9e3779b9, 8)
	g.s(`"},"inferenceRegion":"`)
	switch {
	case region[:2] == "eu":
		g.s([...]string{"eu-central-1", "eu-west-1", "eu-west-3"}[g.r.IntN(3)])
	default:
		g.s(g.pick(bedrockUsRegions))
	}
	g.s(`","schemaType":"ModelInvocationLog","schemaVersion":"1.0"}`)
}

// bedrockBatch writes one line of a batch inference job's output: Claude
// (Anthropic bodies) or Nova jobs; a few failed records.
func (g *gen) bedrockBatch() {
	g.s(`{"recordId":"CALL`)
	n := int64(g.anBatch.next(g.r)) // (the Anthropic batch numbering: formats are not mixed)
	for d := int64(1_000_000); d > 0; d /= 10 {
		g.b = append(g.b, byte('0'+n/d%10))
	}
	g.s(`","modelInput":`)
	nova := g.chance(0.2)
	if nova {
		g.s(`{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"`)
	} else {
		g.s(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":1024,"system":"`)
		g.bs(g.sys.pick(g.r))
		g.s(`","messages":[{"role":"user","content":[{"type":"text","text":"`)
	}
	g.userText()
	if nova {
		g.s(`"}]}],"inferenceConfig":{"maxTokens":1024}}`)
	} else {
		g.s(`"}]}]}`)
	}
	if g.chance(0.015) {
		g.s(`,"error":{"errorCode":400,"errorMessage":"Malformed input request, please reformat your input and try again."}}`)
		return
	}
	g.s(`,"modelOutput":`)
	if nova {
		text := g.completionText()
		g.s(`{"output":{"message":{"role":"assistant","content":[{"text":`)
		g.qb(text)
		g.s(`}]}},"stopReason":"end_turn","usage":{"inputTokens":`)
		in, out := g.logNormal(1200, 1.1, 8, 120_000), tokensOf(len(text))
		g.i(in)
		g.s(`,"outputTokens":`)
		g.i(out)
		g.s(`,"totalTokens":`)
		g.i(in + out)
		g.s(`,"cacheReadInputTokenCount":0,"cacheWriteInputTokenCount":0}}}`)
		return
	}
	m := &anthropicModels[pickCum(g.r, g.anCum)]
	c, n2 := g.anContent(m)
	u := g.anthropicUsage(m, 0, 0, n2, thinkingTokens(c))
	u.tier, u.geo, u.webSearch = "", "", 0
	g.anMessage(m, &c, &u)
	g.s(`}`)
}
