// Package jsonx walks JSON documents in place, without decoding what the
// caller does not ask for: long strings (prompts, completions) are skipped
// with a vectorised byte search instead of being decoded.
package jsonx
