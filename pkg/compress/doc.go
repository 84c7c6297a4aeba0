// Package compress rewrites prompts with fewer tokens using deterministic,
// offline rules that never drop or alter numbers, negations, code, quoted
// strings, template variables, tags, URLs or JSON keys (see Verify).
package compress
