package main

import (
	"time"
)

// Gateway and tracing-tool logs (shared/formats/observability.md): LiteLLM
// StandardLoggingPayload and LiteLLM_SpendLogs rows, Langfuse observations,
// Helicone request exports. Each wraps an OpenAI or Anthropic call, with the
// usage written in that tool's convention.

// gwCall is one upstream call, its tokens disjoint (uncached input).
type gwCall struct {
	anthropic                  bool
	model, alias               string
	text                       []byte // the completion
	in, read, w5, w1, out, rsn int64
}

func (g *gen) gatewayCall() gwCall {
	var c gwCall
	c.text = g.completionText()
	if g.chance(0.4) {
		m := &anthropicModels[pickCum(g.r, g.anCum)]
		u := g.anthropicUsage(m, 0, 0, len(c.text), 0)
		c.anthropic, c.model, c.alias = true, m.id, m.alias
		c.in, c.read, c.w5, c.w1, c.out = u.input, u.cacheRead, u.c5m, u.c1h, u.output
		return c
	}
	m := &openaiModels[pickCum(g.r, g.oaCum)]
	u := g.openaiUsage(m, 0, len(c.text))
	c.model, c.alias = m.id, m.alias
	c.in, c.read, c.out, c.rsn = u.prompt-u.cached, u.cached, u.completion, u.reasoning
	return c
}

func (c *gwCall) write() int64 { return c.w5 + c.w1 }

// cost is a plausible USD amount the tool would log (never read back).
func (g *gen) cost(c *gwCall) {
	g.f2(float64((c.in+c.write())*3+c.read/3+c.out*15) / 1e6)
}

// messages writes a system and a user message, OpenAI style.
func (g *gen) messages() {
	g.s(`[{"role":"system","content":"`)
	g.bs(g.sys.pick(g.r))
	g.s(`"},{"role":"user","content":"`)
	g.userText()
	g.s(`"}]`)
}

// litellmUsage writes LiteLLM's OpenAI-shaped usage object (the 2026
// Anthropic mapping: prompt_tokens counts reads and writes, text_tokens is
// Anthropic's input_tokens).
func (g *gen) litellmUsage(c *gwCall) {
	if c.anthropic {
		p := c.in + c.read + c.write()
		g.s(`{"completion_tokens":`)
		g.i(c.out)
		g.s(`,"prompt_tokens":`)
		g.i(p)
		g.s(`,"total_tokens":`)
		g.i(p + c.out)
		g.s(`,"completion_tokens_details":{"reasoning_tokens":0,"text_tokens":`)
		g.i(c.out)
		g.s(`},"prompt_tokens_details":{"cached_tokens":`)
		g.i(c.read)
		g.s(`,"cache_creation_tokens":`)
		g.i(c.write())
		g.s(`,"cache_creation_token_details":{"ephemeral_5m_input_tokens":`)
		g.i(c.w5)
		g.s(`,"ephemeral_1h_input_tokens":`)
		g.i(c.w1)
		g.s(`},"text_tokens":`)
		g.i(c.in)
		g.s(`},"cache_creation_input_tokens":`)
		g.i(c.write())
		g.s(`,"cache_read_input_tokens":`)
		g.i(c.read)
		g.s(`}`)
		return
	}
	p := c.in + c.read
	g.s(`{"completion_tokens":`)
	g.i(c.out)
	g.s(`,"prompt_tokens":`)
	g.i(p)
	g.s(`,"total_tokens":`)
	g.i(p + c.out)
	g.s(`,"completion_tokens_details":{"accepted_prediction_tokens":0,"audio_tokens":0,"reasoning_tokens":`)
	g.i(c.rsn)
	g.s(`,"rejected_prediction_tokens":0},"prompt_tokens_details":{"audio_tokens":0,"cached_tokens":`)
	g.i(c.read)
	g.s(`}}`)
}

// litellmTotals writes the payload's or row's own token columns.
func (g *gen) litellmTotals(c *gwCall) {
	p := c.in + c.read
	if c.anthropic {
		p += c.write()
	}
	g.s(`,"total_tokens":`)
	g.i(p + c.out)
	g.s(`,"prompt_tokens":`)
	g.i(p)
	g.s(`,"completion_tokens":`)
	g.i(c.out)
}

func (g *gen) litellm(t time.Time) {
	c := g.gatewayCall()
	provider := "openai"
	if c.anthropic {
		provider = "anthropic"
	}
	team, project := g.pick(teams), g.pick(projects)
	user := g.skewed(users)
	if g.chance(0.2) {
		g.litellmSpendLog(t, &c, provider, team, project, user)
		return
	}
	failed := g.chance(0.01)
	g.s(`{"id":"`)
	if c.anthropic {
		g.s(`msg_01`)
		g.rnd(22, alnum)
	} else {
		g.s(`chatcmpl-`)
		g.uuid()
	}
	g.s(`","trace_id":"`)
	g.uuid()
	g.s(`","call_type":"acompletion","cache_hit":null,"stream":`)
	if g.chance(0.3) {
		g.s(`true`)
	} else {
		g.s(`false`)
	}
	g.s(`,"status":`)
	if failed {
		g.s(`"failure"`)
	} else {
		g.s(`"success"`)
	}
	g.s(`,"custom_llm_provider":"`)
	g.s(provider)
	g.s(`","saved_cache_cost":0.0,"startTime":`)
	g.unixFrac(t)
	g.s(`,"endTime":`)
	g.unixFrac(t.Add(time.Duration(g.logNormal(1800, 0.7, 120, 120_000)) * time.Millisecond))
	g.s(`,"completionStartTime":`)
	g.unixFrac(t.Add(300 * time.Millisecond))
	g.s(`,"response_time":1.8,"model":`)
	g.q1(c.model)
	g.s(`,"metadata":{"user_api_key_hash":"`)
	g.rnd(64, hexDigits)
	g.s(`","user_api_key_alias":"`)
	g.s(project)
	g.s(`-key","user_api_key_user_id":"`)
	g.s(user)
	g.s(`","user_api_key_team_id":"team-`)
	g.s(team)
	g.s(`","user_api_key_team_alias":"`)
	g.s(team)
	g.s(`","spend_logs_metadata":{"project":"`)
	g.s(project)
	g.s(`"},"requester_ip_address":null,"applied_guardrails":[]},"cache_key":null,"response_cost":`)
	g.cost(&c)
	g.litellmTotals(&c)
	g.s(`,"request_tags":["`)
	g.s(g.pick(envs))
	g.s(`"],"end_user":"","api_base":"","model_group":`)
	g.q1(c.alias)
	g.s(`,"model_id":"`)
	g.rnd(12, hexDigits)
	g.s(`","requester_ip_address":null,"messages":`)
	g.messages()
	if failed {
		g.s(`,"response":null,"error_str":"litellm.RateLimitError: Rate limit reached, please retry","error_information":{"error_code":"429","error_class":"RateLimitError","llm_provider":"`)
		g.s(provider)
		g.s(`"}}`)
		return
	}
	g.s(`,"response":{"id":"chatcmpl-`)
	g.uuid()
	g.s(`","created":`)
	g.i(t.Unix())
	g.s(`,"model":`)
	g.q1(c.model)
	g.s(`,"object":"chat.completion","system_fingerprint":null,"choices":[{"finish_reason":"stop","index":0,"message":{"content":`)
	g.qb(c.text)
	g.s(`,"role":"assistant","tool_calls":null,"function_call":null}}],"usage":`)
	g.litellmUsage(&c)
	g.s(`},"model_parameters":{"temperature":0.2,"max_tokens":1024},"hidden_params":{"model_id":null,"cache_key":null,"api_base":"`)
	if c.anthropic {
		g.s(`https://api.anthropic.com/v1/messages`)
	} else {
		g.s(`https://api.openai.com`)
	}
	g.s(`","response_cost":`)
	g.cost(&c)
	g.s(`,"additional_headers":{},"litellm_overhead_time_ms":null,"batch_models":null,"litellm_model_name":`)
	g.q1(c.model)
	g.s(`},"model_map_information":{"model_map_key":`)
	g.q1(c.model)
	g.s(`,"model_map_value":null},"error_str":null}`)
}

// litellmSpendLog writes a LiteLLM_SpendLogs row: metadata and request_tags
// are JSON documents in strings.
func (g *gen) litellmSpendLog(t time.Time, c *gwCall, provider, team, project, user string) {
	g.s(`{"request_id":"chatcmpl-`)
	g.uuid()
	g.s(`","call_type":"acompletion","api_key":"`)
	g.rnd(64, hexDigits)
	g.s(`","spend":`)
	g.cost(c)
	g.litellmTotals(c)
	g.s(`,"startTime":"`)
	g.b = t.AppendFormat(g.b, "2006-01-02 15:04:05.000000")
	g.s(`","endTime":"`)
	g.b = t.Add(1500*time.Millisecond).AppendFormat(g.b, "2006-01-02 15:04:05.000000")
	g.s(`","completionStartTime":"","model":`)
	g.q1(c.model)
	g.s(`,"model_id":"","model_group":`)
	g.q1(c.alias)
	g.s(`,"custom_llm_provider":"`)
	g.s(provider)
	g.s(`","api_base":"","user":"`)
	g.s(user)
	g.s(`","team_id":"team-`)
	g.s(team)
	g.s(`","organization_id":"","end_user":"","metadata":"`)
	m := g.mark()
	g.s(`{"usage_object":`)
	g.litellmUsage(c)
	g.s(`,"user_api_key_alias":"`)
	g.s(project)
	g.s(`-key","user_api_key_team_alias":"`)
	g.s(team)
	g.s(`","spend_logs_metadata":{"project":"`)
	g.s(project)
	g.s(`"},"applied_guardrails":[]}`)
	g.esc2From(m)
	g.s(`","cache_hit":"False","cache_key":"","request_tags":"[\"`)
	g.s(g.pick(envs))
	g.s(`\"]","requester_ip_address":"","messages":"{}","response":"{}","proxy_server_request":"{}","session_id":"","status":"success"}`)
}

func (g *gen) langfuse(t time.Time) {
	g.s(`{"id":"`)
	g.uuid()
	g.s(`","traceId":"`)
	g.rnd(32, hexDigits)
	g.s(`","type":`)
	if g.chance(0.1) { // a span of the same traces, without usage
		g.s(`"SPAN","name":"retrieve-context","startTime":`)
		g.ts(t)
		g.s(`,"endTime":`)
		g.ts(t.Add(120 * time.Millisecond))
		g.s(`,"model":null,"input":{"query":"`)
		g.bs(g.q.pick(g.r))
		g.s(`"},"output":{"documents":3},"metadata":{},"level":"DEFAULT","parentObservationId":null,"environment":"production","usageDetails":{},"costDetails":{}}`)
		return
	}
	c := g.gatewayCall()
	g.s(`"GENERATION","name":"chat","startTime":`)
	g.ts(t)
	g.s(`,"endTime":`)
	g.ts(t.Add(time.Duration(g.logNormal(1800, 0.7, 120, 120_000)) * time.Millisecond))
	g.s(`,"completionStartTime":null,"model":`)
	g.q1(c.model)
	g.s(`,"modelParameters":{"temperature":"0.2","max_tokens":"1024"},"input":`)
	g.messages()
	g.s(`,"output":{"role":"assistant","content":`)
	g.qb(c.text)
	g.s(`},"metadata":{"project":"`)
	g.s(g.pick(projects))
	g.s(`","feature":"`)
	g.s(g.pick(teams))
	g.s(`"},"level":"DEFAULT","statusMessage":null,"parentObservationId":null,"version":null,"environment":"production","promptId":null,"promptName":null,"promptVersion":null,"modelId":"cm`)
	g.rnd(23, alnum)
	g.s(`","usageDetails":{"input":`)
	g.i(c.in)
	if c.anthropic {
		g.s(`,"input_cache_read":`)
		g.i(c.read)
		g.s(`,"input_cache_creation":`)
		g.i(c.write())
	} else {
		g.s(`,"input_cached_tokens":`)
		g.i(c.read)
	}
	g.s(`,"output":`)
	g.i(c.out - c.rsn)
	if c.rsn > 0 {
		g.s(`,"output_reasoning_tokens":`)
		g.i(c.rsn)
	}
	total := c.in + c.read + c.write() + c.out
	g.s(`,"total":`)
	g.i(total)
	g.s(`},"costDetails":{"total":`)
	g.cost(&c)
	g.s(`},"usage":{"input":`)
	g.i(c.in + c.read + c.write())
	g.s(`,"output":`)
	g.i(c.out)
	g.s(`,"total":`)
	g.i(total)
	g.s(`,"unit":"TOKENS"},"latency":1.8,"timeToFirstToken":null}`)
}

func (g *gen) helicone(t time.Time) {
	c := g.gatewayCall()
	status := 200
	if g.chance(0.01) {
		status = 429
	}
	bodies := g.chance(0.5) // exported with --include-body
	g.s(`{"response_id":"`)
	g.uuid()
	g.s(`","response_created_at":`)
	g.ts(t.Add(time.Duration(g.logNormal(1800, 0.7, 120, 120_000)) * time.Millisecond))
	g.s(`,"response_status":`)
	g.i(int64(status))
	g.s(`,"response_model":`)
	g.q1(c.model)
	g.s(`,"request_id":"`)
	g.uuid()
	g.s(`","request_created_at":`)
	g.ts(t)
	path := "/v1/chat/completions"
	if c.anthropic {
		path = "/v1/messages"
	}
	g.s(`,"request_path":"`)
	g.s(path)
	g.s(`","request_user_id":"`)
	g.s(g.skewed(users))
	g.s(`","request_properties":{"environment":"`)
	g.s(g.pick(envs))
	g.s(`","project":"`)
	g.s(g.pick(projects))
	g.s(`","Helicone-Session-Id":"sess-`) // sessions span several requests
	g.hexOf(uint64(g.r.IntN(4096))*0x9e3779b97f4a7c15, 16)
	g.s(`"},"request_model":`)
	g.q1(c.alias)
	g.s(`,"model_override":null,"helicone_user":"`)
	g.uuid()
	g.s(`","provider":"`)
	if c.anthropic {
		g.s(`ANTHROPIC`)
	} else {
		g.s(`OPENAI`)
	}
	g.s(`","delay_ms":`)
	g.i(g.logNormal(1800, 0.7, 120, 120_000))
	g.s(`,"time_to_first_token":`)
	g.i(g.logNormal(400, 0.5, 50, 10_000))
	if status != 200 {
		g.s(`,"total_tokens":null,"prompt_tokens":null,"prompt_cache_write_tokens":null,"prompt_cache_read_tokens":null,"completion_tokens":null,"cost":null`)
	} else {
		g.s(`,"total_tokens":`)
		g.i(c.in + c.read + c.write() + c.out)
		g.s(`,"prompt_tokens":`)
		g.i(c.in)
		g.s(`,"prompt_cache_write_tokens":`)
		g.i(c.write())
		g.s(`,"prompt_cache_read_tokens":`)
		g.i(c.read)
		g.s(`,"completion_tokens":`)
		g.i(c.out)
		g.s(`,"cost":`)
		g.cost(&c)
	}
	g.s(`,"prompt_audio_tokens":0,"completion_audio_tokens":0,"prompt_id":null,"prompt_version":null,"feedback_created_at":null,"feedback_id":null,"feedback_rating":null,"signed_body_url":null,"country_code":"US","scores":{},"properties":{},"assets":[],"target_url":"https://`)
	if c.anthropic {
		g.s(`api.anthropic.com`)
	} else {
		g.s(`api.openai.com`)
	}
	g.s(path)
	g.s(`","model":`)
	g.q1(c.model)
	g.s(`,"cache_reference_id":"00000000-0000-0000-0000-000000000000","cache_enabled":false`)
	if bodies {
		g.s(`,"request_body":{"model":`)
		g.q1(c.alias)
		g.s(`,"max_tokens":1024,"messages":`)
		g.messages()
		g.s(`},"response_body":{"id":"`)
		g.uuid()
		g.s(`","role":"assistant","content":`)
		g.qb(c.text)
		g.s(`}`)
	}
	g.s(`}`)
}
