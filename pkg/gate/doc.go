// Package gate evaluates CI rules (cost caps, increases, per-request growth,
// unpriced input) against a diff of two reports.
package gate
