package main

import (
	"time"
)

// OpenTelemetry GenAI traces in OTLP/JSON, one ExportTraceServiceRequest a
// line as the Collector's file exporter writes them: single chat spans,
// agent traces (invoke_agent with chat and execute_tool children, the agent
// span repeating its children's usage) and HTTP server spans around a chat
// span. Prompts and completions are in gen_ai.input.messages /
// gen_ai.output.messages, JSON documents in string attributes.

func (g *gen) otel(t time.Time) {
	g.s(`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"`)
	g.s(g.pick(projects))
	g.s(`"}},{"key":"service.version","value":{"stringValue":"1.`)
	g.i(g.between(0, 9))
	g.s(`.0"}},{"key":"telemetry.sdk.language","value":{"stringValue":"python"}},{"key":"telemetry.sdk.name","value":{"stringValue":"opentelemetry"}},{"key":"telemetry.sdk.version","value":{"stringValue":"1.36.0"}},{"key":"deployment.environment.name","value":{"stringValue":"`)
	g.s(g.pick(envs))
	g.s(`"}}]},"scopeSpans":[{"scope":{"name":"opentelemetry.instrumentation.`)
	c := g.gatewayCall()
	if c.anthropic {
		g.s(`anthropic","version":"0.3b0"},"spans":[`)
	} else {
		g.s(`openai_v2","version":"2.1b0"},"spans":[`)
	}
	var trace [32]byte
	for i := range trace {
		trace[i] = hexDigits[g.r.IntN(16)]
	}
	switch x := g.r.IntN(100); {
	case x < 45:
		g.otelChat(trace[:], nil, t, &c)
	case x < 75:
		root := g.otelSpanID()
		n := int(g.between(1, 3))
		calls := make([]gwCall, n)
		calls[0] = c
		var in, out int64
		for k := range calls {
			if k > 0 {
				calls[k] = g.gatewayCall()
				calls[k].anthropic, calls[k].model, calls[k].alias = c.anthropic, c.model, c.alias
			}
			in += calls[k].in + calls[k].read + calls[k].write()
			out += calls[k].out
		}
		g.otelSpanStart(trace[:], root, nil, "invoke_agent support-agent", 1, t, 4*time.Second)
		g.otelStr("gen_ai.operation.name", "invoke_agent")
		g.s(`,`)
		g.otelStr("gen_ai.agent.name", "support-agent")
		g.s(`,`)
		g.otelStr("gen_ai.request.model", c.alias)
		g.s(`,`)
		g.otelInt("gen_ai.usage.input_tokens", in)
		g.s(`,`)
		g.otelInt("gen_ai.usage.output_tokens", out)
		g.s(`],"status":{}}`)
		at := t
		for k := range calls {
			g.s(`,`)
			at = at.Add(time.Duration(g.between(50, 900)) * time.Millisecond)
			g.otelChat(trace[:], root, at, &calls[k])
			if k < n-1 || g.chance(0.5) {
				g.s(`,`)
				g.otelSpanStart(trace[:], g.otelSpanID(), root, "execute_tool "+tools[g.r.IntN(len(tools))], 1, at, 80*time.Millisecond)
				g.otelStr("gen_ai.operation.name", "execute_tool")
				g.s(`,`)
				g.otelStr("gen_ai.tool.name", tools[g.r.IntN(len(tools))])
				g.s(`],"status":{}}`)
			}
		}
	default:
		root := g.otelSpanID()
		g.otelSpanStart(trace[:], root, nil, "POST /api/chat", 2, t, 3*time.Second)
		g.otelStr("http.request.method", "POST")
		g.s(`,`)
		g.otelStr("url.path", "/api/chat")
		g.s(`,`)
		g.otelInt("http.response.status_code", 200)
		g.s(`],"status":{}},`)
		g.otelChat(trace[:], root, t.Add(20*time.Millisecond), &c)
	}
	g.s(`]}],"schemaUrl":"https://opentelemetry.io/schemas/1.37.0"}]}`)
}

func (g *gen) otelSpanID() []byte {
	id := make([]byte, 16)
	for i := range id {
		id[i] = hexDigits[g.r.IntN(16)]
	}
	return id
}

// otelSpanStart writes a span up to the opening of its attribute list.
func (g *gen) otelSpanStart(trace, id, parent []byte, name string, kind int64, start time.Time, d time.Duration) {
	g.s(`{"traceId":"`)
	g.bs(trace)
	g.s(`","spanId":"`)
	g.bs(id)
	if parent != nil {
		g.s(`","parentSpanId":"`)
		g.bs(parent)
	}
	g.s(`","flags":257,"name":`)
	g.q1(name)
	g.s(`,"kind":`)
	g.i(kind)
	g.s(`,"startTimeUnixNano":"`)
	g.i(start.UnixNano())
	g.s(`","endTimeUnixNano":"`)
	g.i(start.Add(d).UnixNano())
	g.s(`","attributes":[`)
}

func (g *gen) otelStr(k, v string) {
	g.s(`{"key":"`)
	g.s(k)
	g.s(`","value":{"stringValue":`)
	g.q1(v)
	g.s(`}}`)
}

func (g *gen) otelInt(k string, v int64) {
	g.s(`{"key":"`)
	g.s(k)
	g.s(`","value":{"intValue":"`)
	g.i(v)
	g.s(`"}}`)
}

// otelChat writes a chat span. Input counts follow the convention (cached
// tokens inside input_tokens), except that some Anthropic spans carry
// Anthropic's raw, uncached input_tokens, as some instrumentations do.
func (g *gen) otelChat(trace, parent []byte, t time.Time, c *gwCall) {
	g.otelSpanStart(trace, g.otelSpanID(), parent, "chat "+c.alias, 3, t, time.Duration(g.logNormal(1800, 0.7, 120, 120_000))*time.Millisecond)
	g.otelStr("gen_ai.operation.name", "chat")
	g.s(`,`)
	host := "api.openai.com"
	if c.anthropic {
		g.otelStr("gen_ai.provider.name", "anthropic")
		host = "api.anthropic.com"
	} else {
		g.otelStr("gen_ai.provider.name", "openai")
	}
	g.s(`,`)
	g.otelStr("gen_ai.request.model", c.alias)
	g.s(`,`)
	g.otelInt("gen_ai.request.max_tokens", 1024)
	g.s(`,{"key":"gen_ai.request.temperature","value":{"doubleValue":0.2}},`)
	g.otelStr("server.address", host)
	g.s(`,`)
	g.otelInt("server.port", 443)
	g.s(`,{"key":"gen_ai.response.id","value":{"stringValue":"`)
	if c.anthropic {
		g.s(`msg_01`)
		g.rnd(22, alnum)
	} else {
		g.s(`chatcmpl-`)
		g.rnd(29, alnum)
	}
	g.s(`"}},`)
	g.otelStr("gen_ai.response.model", c.model)
	g.s(`,{"key":"gen_ai.response.finish_reasons","value":{"arrayValue":{"values":[{"stringValue":"stop"}]}}},`)
	in := c.in + c.read + c.write()
	if c.anthropic && g.chance(0.3) {
		in = c.in
	}
	g.otelInt("gen_ai.usage.input_tokens", in)
	g.s(`,`)
	g.otelInt("gen_ai.usage.output_tokens", c.out)
	if c.read > 0 {
		g.s(`,`)
		g.otelInt("gen_ai.usage.cache_read.input_tokens", c.read)
	}
	if c.write() > 0 {
		g.s(`,`)
		g.otelInt("gen_ai.usage.cache_creation.input_tokens", c.write())
	}
	if c.rsn > 0 {
		g.s(`,`)
		g.otelInt("gen_ai.usage.reasoning.output_tokens", c.rsn)
	}
	g.s(`,{"key":"gen_ai.input.messages","value":{"stringValue":"`)
	m := g.mark()
	g.s(`[{"role":"system","parts":[{"type":"text","content":"`)
	g.bs(g.sys.pick(g.r))
	g.s(`"}]},{"role":"user","parts":[{"type":"text","content":"`)
	g.userText()
	g.s(`"}]}]`)
	g.esc2From(m)
	g.s(`"}},{"key":"gen_ai.output.messages","value":{"stringValue":"`)
	m = g.mark()
	g.s(`[{"role":"assistant","parts":[{"type":"text","content":`)
	g.qb(c.text)
	g.s(`}],"finish_reason":"stop"}]`)
	g.esc2From(m)
	g.s(`"}}],"status":{}}`)
}
