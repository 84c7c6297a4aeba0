// Package simulate re-prices the record stream of analyze under "what if"
// scenarios (routing, history trimming, output caps, batch): a one-pass
// runner hands each request to every scenario alone and to all of them
// stacked in a fixed order, and prices what they return exactly as package
// cost prices the baseline.
package simulate
