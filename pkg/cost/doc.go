// Package cost turns streams of records into priced breakdowns: it sums
// integer token counts per group and prices each group once, exactly.
package cost
