package main

import (
	"time"
)

// Formats of Amazon Bedrock and of LLM gateways and tracing tools (see
// bedrock.go, gateways.go, otel.go here and the parsers of the same names
// in pkg/ingest). They come after fMixed, so -format mixed and the
// per-format tests of gen.go are unchanged.
const (
	fBedrockInvocation format = fMixed + 1 + iota
	fBedrockBatch
	fLiteLLM
	fLangfuse
	fHelicone
	fOTel
)

// moreLine writes one record of a format of this file set.
func (g *gen) moreLine(f format, t time.Time) {
	switch f {
	case fBedrockInvocation:
		g.bedrockInvocation(t)
	case fBedrockBatch:
		g.bedrockBatch()
	case fLiteLLM:
		g.litellm(t)
	case fLangfuse:
		g.langfuse(t)
	case fHelicone:
		g.helicone(t)
	case fOTel:
		g.otel(t)
	}
}

// uuid writes a random version-4 UUID.
func (g *gen) uuid() {
	g.rnd(8, hexDigits)
	g.s("-")
	g.rnd(4, hexDigits)
	g.s("-4")
	g.rnd(3, hexDigits)
	g.b = append(g.b, '-', "89ab"[g.r.IntN(4)])
	g.rnd(3, hexDigits)
	g.s("-")
	g.rnd(12, hexDigits)
}

// esc2 writes escaped JSON string content escaped once more, for a JSON
// document held in a JSON string (OTel message attributes, LiteLLM's
// metadata column).
func (g *gen) esc2(x []byte) {
	for _, c := range x {
		switch c {
		case '\\':
			g.b = append(g.b, '\\', '\\')
		case '"':
			g.b = append(g.b, '\\', '"')
		default:
			g.b = append(g.b, c)
		}
	}
}

// mark returns the current length of the line, for esc2From.
func (g *gen) mark() int { return len(g.b) }

// esc2From re-escapes what was written since mark m (a JSON document about
// to be held in a string). It copies through g.scratch.
func (g *gen) esc2From(m int) {
	g.scratch = append(g.scratch[:0], g.b[m:]...)
	g.b = g.b[:m]
	g.esc2(g.scratch)
}

// rfc3339 writes t in whole seconds, as Bedrock logs it.
func (g *gen) rfc3339(t time.Time) {
	g.b = append(g.b, '"')
	g.b = t.AppendFormat(g.b, "2006-01-02T15:04:05Z")
	g.b = append(g.b, '"')
}

// unixFrac writes t as Unix seconds with microseconds, as LiteLLM does.
func (g *gen) unixFrac(t time.Time) {
	g.i(t.Unix())
	g.b = append(g.b, '.')
	us := t.Nanosecond() / 1000
	for d := 100000; d > 0; d /= 10 {
		g.b = append(g.b, byte('0'+us/d%10))
	}
}
