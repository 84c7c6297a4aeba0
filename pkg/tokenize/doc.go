// Package tokenize counts tokens offline: exactly for OpenAI's published
// encodings, and as a stated estimate for every other model family.
package tokenize
