package main

import (
	"math/rand/v2"
	"sort"
	"unicode/utf8"
)

// corpus is a large block of pre-escaped JSON string content, built once at
// start-up. Records copy slices of it, so generating text costs a memmove
// instead of per-byte work. Slices always start and end on fragment
// boundaries, so they never split an escape sequence or a UTF-8 sequence.
type corpus struct {
	data   []byte
	starts []int32 // offset of each fragment
	ends   []int32 // end offset (exclusive) of each fragment, ascending
}

// fragments is the raw (unescaped) text that the corpus is shuffled from:
// prose, markdown, code with quotes and backslashes, accented and non-Latin
// text, emoji. Everything here is synthetic.
var fragments = []string{
	"Sure! Here's a quick summary of the main points.",
	"The short answer is yes, but there are a few caveats worth knowing about before you roll this out to production.",
	"Based on the document you shared, the contract renews automatically on the first day of each quarter unless either party gives 30 days' notice.",
	"I couldn't find an order with that ID. Could you double-check the number on your confirmation email?",
	"Here are three options, ordered from cheapest to most robust:\n\n1. Cache the results in memory for five minutes.\n2. Put a CDN in front of the endpoint.\n3. Precompute the report nightly and serve it from object storage.",
	"The error means the client closed the connection before the server finished writing the response; it is usually harmless.",
	"To fix the failing test, update the fixture so that the timestamp is in UTC:\n\n```go\nts := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)\n```",
	"You can parse the file line by line with a scanner, but remember that the default buffer stops at 64 KiB.",
	"```python\nimport json\n\nwith open(\"events.jsonl\") as f:\n    for line in f:\n        event = json.loads(line)\n        print(event[\"type\"], event.get(\"usage\", {}))\n```",
	"In your config, the path should be escaped: \"C:\\\\Users\\\\build\\\\logs\\\\app.log\" rather than \"C:\\Users\\build\".",
	"The regex `^\\d{4}-\\d{2}-\\d{2}$` matches an ISO date but not a full timestamp.",
	"Le café est fermé le lundi, mais la crème brûlée reste disponible à emporter.",
	"Voici le résumé de la réunion : l'équipe a validé le budget et la mise en production est prévue pour la semaine prochaine.",
	"¿Podría enviarme la factura del mes pasado? La dirección de facturación cambió en febrero.",
	"Die Größe der Datei überschreitet das Limit von 25 MB; bitte teilen Sie sie in kleinere Abschnitte auf.",
	"こんにちは！ご質問ありがとうございます。注文番号を教えていただけますか？",
	"这个函数的时间复杂度是 O(n log n)，因为排序占主导地位。",
	"Great news 🎉 your refund has been processed and should appear within 5–7 business days.",
	"Deployment finished ✅ — 3 services updated, 0 errors, p95 latency 184 ms.",
	"Summary of the ticket: customer reports that the \"Export\" button does nothing on Safari 17; console shows `TypeError: undefined is not a function`.",
	"The quarterly revenue grew 12% year over year, driven mainly by the enterprise segment, while churn stayed flat at 2.1%.",
	"Step 1: open the settings page.\nStep 2: choose \"API keys\".\nStep 3: create a new key with read-only scope.",
	"| Metric | Before | After |\n|---|---|---|\n| p50 latency | 420 ms | 210 ms |\n| cost / 1k req | $0.84 | $0.31 |",
	"<div class=\"alert\">Your session has expired & you need to sign in again.</div>",
	"I'd recommend keeping the system prompt stable across requests so that the prefix can be cached; put the variable parts at the end.",
	"Here is the SQL you asked for:\n\nSELECT user_id, COUNT(*) AS n\nFROM events\nWHERE created_at >= '2026-01-01'\nGROUP BY user_id\nORDER BY n DESC\nLIMIT 20;",
	"The JSON you posted is missing a closing brace after \"items\": [ ... ] — that's why the parser fails at line 14.",
	"Thanks for your patience. I've escalated this to the billing team and they will get back to you within one business day.",
	"Translation: \"Merci pour votre retour, nous corrigeons le problème dès que possible.\" → \"Thanks for the feedback, we are fixing the issue as soon as possible.\"",
	"The model returned an empty string because max_tokens was reached during reasoning; raise the limit or lower the effort.",
	"Key risks: (a) vendor lock-in, (b) data residency for EU customers, (c) the 1-hour cache TTL doubles the write price.",
	"def tokenize(text: str) -> list[str]:\n    \"\"\"Split on whitespace and punctuation.\"\"\"\n    return re.findall(r\"\\w+|[^\\w\\s]\", text)",
	"const url = `https://example.com/api/v1/items?page=${page}&limit=50`;\nconst res = await fetch(url, { headers: { \"Accept\": \"application/json\" } });",
	"Tab-separated output:\nname\tcount\tshare\nalpha\t120\t0.42\nbeta\t80\t0.28",
	"Naïve approaches rarely work here; a coöperative scheduler with back-pressure is more predictable.",
	"Résumé highlights: 8 years of backend experience, led the migration to Kubernetes, mentors two junior engineers.",
	"Ø 12 mm, tolerance ±0.05 mm, surface Ra ≤ 0.8 µm; material: stainless steel 1.4301.",
	"The meeting is moved to Thursday at 14:30 CET. Agenda: roadmap review, hiring plan, Q&A.",
	"Short answer: no. Long answer: it depends on whether the upstream API guarantees idempotency for retries.",
	"Here's a haiku about caching:\nWarm prefix returns —\nthe same tokens, half the price,\nlatency falls still.",
	"Please note that prices are in USD and exclude VAT; invoices are issued on the 1st of each month.",
	"I've rewritten the paragraph to be more concise while keeping the legal wording intact.",
	"Error: {\"code\": \"rate_limit_exceeded\", \"message\": \"Too many requests, retry after 2s\"}",
	"The log line `2026-02-11T08:15:42Z WARN pool exhausted (size=32, waiting=118)` suggests the connection pool is too small.",
	"Ελπίζω αυτό να βοηθάει· αν χρειαστείτε κάτι άλλο, ενημερώστε με.",
	"Спасибо за обращение! Мы проверим статус заказа и ответим в течение часа.",
	"नमस्ते! आपका ऑर्डर कल तक पहुँच जाएगा।",
	"The test suite passed (412 tests, 3 skipped) in 48.2 s; coverage went from 71.4% to 73.0%.",
	"Consider the edge case where the list is empty: the function should return 0, not raise IndexError.",
	"As a backslash-heavy example, the Windows path \\\\server\\share\\reports\\2026\\Q1 must be quoted in PowerShell.",
	"Action items:\n- Alice: draft the RFC by Friday\n- Bob: benchmark the new parser on 1 GB of logs\n- Chloé: update the pricing table",
	"A 200k-token prompt costs more per token on long-context tiers, so split the document if you can.",
	"Unfortunately I can't help with that request, but I can suggest some general resources on the topic.",
	"Let me think about this step by step. First, compute the total input tokens; then subtract the cached ones; finally apply the rates.",
	"The customer wrote: \"I was charged twice for the same subscription — please refund the duplicate.\"",
	"Emoji test: 🚀 launch, 🔥 hot path, 🐛 bug, 👍 approved, 🇫🇷 French locale.",
	"Your account is on the Pro plan (billed annually). The next renewal is on 2026-06-30.",
	"Total: 1 234,56 € TTC — paiement reçu le 12/02/2026.",
}

// questions open user turns.
var questions = []string{
	"Can you summarize the following text in three bullet points?",
	"What does this error mean and how do I fix it?",
	"Translate this into English, keeping the tone formal:",
	"Write a unit test for the function below.",
	"Is there a cheaper way to do this?",
	"Please extract the invoice number, date and total as JSON.",
	"Why is my query slow? Here is the plan:",
	"Rewrite this paragraph to be shorter.",
	"Classify this support ticket as billing, bug, feature request or other.",
	"Explain the difference between these two approaches.",
	"Où se trouve le fichier de configuration ?",
	"Can you review this PR description?",
	"What's the status of order A-10293?",
	"Give me a regex that matches these lines:",
	"Draft a polite reply to this customer email:",
}

// shortAnswers are terse completions (classifiers, extractors).
var shortAnswers = []string{
	"billing",
	"bug",
	"feature_request",
	"NO_CONTENT",
	"{\"invoice_number\": \"INV-2026-0142\", \"date\": \"2026-02-03\", \"total\": 1234.56, \"currency\": \"EUR\"}",
	"{\"sentiment\":\"negative\",\"confidence\":0.91}",
	"Yes.",
	"I don't know.",
	"Café Müller — Zürich",
}

// systemPrompts are the system prompts/instructions used by request bodies.
var systemPrompts = []string{
	"You are a helpful assistant.",
	"You are a customer support agent for Acme Cloud. Be concise, friendly and accurate. Never promise refunds; escalate billing disputes to a human. If you do not know the answer, say so and offer to open a ticket.",
	"You are an expert software engineer. Answer with working code and a short explanation. Prefer the standard library. Use Go unless the user asks for another language. When you show code, include imports and keep functions small.",
	"You are a summarization engine. Output exactly three bullet points, each under 25 words. Do not add opinions. If the input is empty or not text, reply with \"NO_CONTENT\".",
	"You extract structured data from documents. Reply with a single JSON object with the keys \"invoice_number\", \"date\" (YYYY-MM-DD), \"total\" (number) and \"currency\" (ISO 4217). Use null for missing values. Never include explanations.",
	"Tu es un assistant qui répond en français. Sois précis et poli ; utilise le vouvoiement.",
	"You are a classifier. Categories: billing, bug, feature_request, account, other. Reply with the category name only, in lower case.",
	"You are a senior data analyst. When asked about metrics, first restate the definition you are using, then compute, then give a one-sentence interpretation. Use tables for comparisons. Round percentages to one decimal place.\n\nRules:\n1. Never invent numbers.\n2. If data is missing, list what is needed.\n3. Prefer medians to means for latency.\n4. Call out seasonality when comparing months.",
	"You are a code reviewer. For each issue, give the file, the line, the severity (nit, minor, major, blocker) and a suggested fix. Be direct but kind. Do not comment on formatting that gofmt would fix.",
	"You are a retrieval-augmented assistant. Answer only from the provided context documents, cite them as [doc-N], and answer \"I don't know\" when the context does not contain the answer.\n\n<context>\n[doc-1] The refund policy allows returns within 30 days of delivery for unused items.\n[doc-2] Shipping to the EU takes 3–5 business days; customs fees are included.\n[doc-3] Premium members get free express shipping on orders over €50.\n</context>",
}

// escapeJSON appends s to b as JSON string content (without quotes). When
// asciiOnly is set, every non-ASCII rune and <, >, & are written as \uXXXX
// escapes (surrogate pairs above U+FFFF), as Go's encoding/json and Python's
// json.dumps(ensure_ascii=True) do; otherwise UTF-8 is written raw.
func escapeJSON(b []byte, s string, asciiOnly bool) []byte {
	const hex = "0123456789abcdef"
	u := func(b []byte, r rune) []byte {
		return append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
	}
	for _, r := range s {
		switch {
		case r == '"':
			b = append(b, '\\', '"')
		case r == '\\':
			b = append(b, '\\', '\\')
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r < 0x20:
			b = u(b, r)
		case asciiOnly && (r == '<' || r == '>' || r == '&'):
			b = u(b, r)
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
		case !asciiOnly:
			b = utf8.AppendRune(b, r)
		case r > 0xffff:
			r -= 0x10000
			b = u(b, 0xd800+(r>>10))
			b = u(b, 0xdc00+(r&0x3ff))
		default:
			b = u(b, r)
		}
	}
	return b
}

// escapedPool holds the escaped form of a list of strings.
type escapedPool [][]byte

func newEscapedPool(list []string, asciiOnly bool) escapedPool {
	p := make(escapedPool, len(list))
	for i, s := range list {
		p[i] = escapeJSON(nil, s, asciiOnly)
	}
	return p
}

func (p escapedPool) pick(r *rand.Rand) []byte { return p[r.IntN(len(p))] }

// texts is one escaping style of all generated text.
type texts struct {
	c             *corpus
	sys, q, short escapedPool
}

// newCorpora builds two corpora of about size bytes from the same shuffled
// stream of fragments: one with raw UTF-8, one ASCII-only (\u escapes), so a
// line can be written consistently in either style, as real loggers do.
func newCorpora(r *rand.Rand, size int) (raw, ascii *corpus) {
	raw = &corpus{data: make([]byte, 0, size+4096)}
	ascii = &corpus{data: make([]byte, 0, size*5/4+4096)}
	prev := -1
	for len(raw.data) < size {
		k := r.IntN(len(fragments))
		if k == prev {
			continue
		}
		prev = k
		para := r.IntN(4) == 0
		for _, c := range [...]*corpus{raw, ascii} {
			start := len(c.data)
			c.data = escapeJSON(c.data, fragments[k], c == ascii)
			c.starts = append(c.starts, int32(start))
			c.ends = append(c.ends, int32(len(c.data)))
			if para {
				c.data = append(c.data, `\n\n`...)
			} else {
				c.data = append(c.data, ' ')
			}
		}
	}
	return raw, ascii
}

// slice returns escaped text of at least n bytes (unless n exceeds the
// corpus), starting at a fragment start and ending at a fragment end.
func (c *corpus) slice(r *rand.Rand, n int) []byte {
	if n <= 0 {
		return c.data[:0]
	}
	if n > len(c.data)/2 {
		n = len(c.data) / 2
	}
	// Last fragment index whose start leaves room for n bytes.
	limit := int32(len(c.data) - n - 1)
	maxI := sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > limit })
	i := r.IntN(maxI)
	s := c.starts[i]
	want := s + int32(n)
	j := sort.Search(len(c.ends), func(k int) bool { return c.ends[k] >= want })
	if j >= len(c.ends) {
		j = len(c.ends) - 1
	}
	return c.data[s:c.ends[j]]
}
