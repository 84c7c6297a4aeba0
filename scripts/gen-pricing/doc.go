// Command gen-pricing converts LiteLLM's model price catalog, with the corrections and vendor rules of pricing-rules.md, into llmcost's catalog files (pricing-data/<provider>.json).
//
// Usage, from the repository root:
//
//	go run ./scripts/gen-pricing \
//	    -litellm ../shared/data/litellm/2026-07-24/model_prices_and_context_window.json \
//	    -litellm-old ../shared/data/litellm/model_prices_and_context_window.json \
//	    -out pricing-data
//
// Besides the vendors' own APIs and the clouds, it takes the open-weight
// text chat models (Llama, Qwen, DeepSeek, Mistral/Mixtral, gpt-oss,
// Gemma, …) sold by the open-model hosts Together, Groq, DeepInfra and
// Fireworks (providers together, groq, deepinfra, fireworks; ids keep
// LiteLLM's route prefix, see openhosts.go): the API prices `llmcost
// breakeven` compares self-hosting with.
//
// With -check the catalog is regenerated in memory and the command fails if
// pricing-data differs (for CI where the sources are available); -v lists
// the corrections applied and the LiteLLM entries skipped.
package main
