package ingest

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Billing exports (billing_*.go): what the vendors' usage and cost
// reports say, rather than what a log of requests says. Two kinds of rows:
//
//   - usage rows (OpenAI Usage API, Anthropic usage report, the OpenAI
//     dashboard's activity export) carry token counts for many calls:
//     HasUsage, Calls = the number of requests. They are priced by the
//     catalog like log records.
//   - cost rows (OpenAI Costs API and cost export, Anthropic cost report)
//     carry money the vendor charged: HasCharged, ChargedNanoUSD, NoCalls,
//     no usage. The money is kept apart from computed cost.
//
// An AWS Cost and Usage Report line item is both: the tokens of one kind
// and what they cost (billing_cur.go).
//
// Every record is at its bucket's start (UTC). Charged amounts are
// converted from their decimal text exactly, never through a float.

// Tag keys billing records use.
const (
	tagLineItem = "line_item"
	tagAPIKey   = "api_key"
)

// noModel names the model of a usage row exported without a model
// dimension: it cannot be priced, and the unpriced list says why.
const noModel = "(no model: export grouped by model)"

// chargedModel is the model of a cost row that names none.
const chargedModel = "(no model)"

// maxNano bounds a charged amount (about $9.2 billion in 1e-9 USD).
var maxNano = decimal.New(math.MaxInt64/2, 0)

// nanoUSD converts a decimal amount (as written: "0.069", "1.2E-5",
// "-3") in units of 10^-shift USD to 1e-9 USD, exactly (rounded half away
// from zero at the ninth decimal of a dollar). shift is 0 for dollars, 2
// for cents.
func nanoUSD(field string, s []byte, shift int32) (int64, error) {
	s = bytes.TrimSpace(s)
	s = bytes.TrimPrefix(s, []byte{'$'})
	if len(s) == 0 {
		return 0, fmt.Errorf("%s: empty amount", field)
	}
	if n, ok := fastNano(s, 9-int(shift)); ok {
		return n, nil
	}
	d, err := decimal.NewFromString(string(s))
	if err != nil {
		return 0, fmt.Errorf("%s: invalid amount %q", field, s)
	}
	d = d.Shift(9 - shift).Round(0)
	if d.Abs().GreaterThan(maxNano) {
		return 0, fmt.Errorf("%s: amount %s out of range", field, s)
	}
	return d.IntPart(), nil
}

// pow10 holds the powers of ten that fit an int64.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// fastNano is nanoUSD's allocation-free path for plain decimals
// ("-0.069", "12", "0.0000330000") of at most 18 digits: the value times
// 10^exp, rounded half away from zero. ok is false for anything else
// (exponents, long numbers), which the decimal path handles.
func fastNano(s []byte, exp int) (n int64, ok bool) {
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var mant int64
	digits, scale, dot := 0, 0, false
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			if digits == 18 {
				return 0, false
			}
			if mant != 0 || c != '0' {
				digits++
			}
			mant = mant*10 + int64(c-'0')
			if dot {
				scale++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if len(s) == 0 || len(s) == 1 && dot || scale > 18 || exp < 0 {
		return 0, false
	}
	switch d := exp - scale; {
	case d >= 0:
		if digits+d > 18 {
			return 0, false
		}
		n = mant * pow10[d]
	default:
		q, r := mant/pow10[-d], mant%pow10[-d]
		if 2*r >= pow10[-d] {
			q++
		}
		n = q
	}
	if neg {
		n = -n
	}
	return n, true
}

// jsonAmount is nanoUSD for a raw JSON value: a number, or a numeric
// string (Anthropic writes amounts as strings).
func jsonAmount(field string, v []byte, shift int32) (int64, error) {
	switch c := jsonx.Kind(v); {
	case c == '"':
		b, err := jsonx.StringBytes(v, nil)
		if err != nil {
			return 0, fieldErr(field, err)
		}
		return nanoUSD(field, b, shift)
	case c == '-' || c >= '0' && c <= '9':
		return nanoUSD(field, v, shift)
	}
	return 0, fmt.Errorf("%s: want an amount, got %s", field, v)
}

// textCount parses a token or request count written as text: "59200",
// "59200.0" (spreadsheets), "1.2e6"; "" is 0 and not present. Fractions
// are rounded to the nearest whole token.
func textCount(field string, s []byte) (n int64, present bool, err error) {
	s = bytes.TrimSpace(s)
	if len(s) == 0 {
		return 0, false, nil
	}
	if n, ok := fastNano(s, 0); ok && n >= 0 && n <= 1e15 {
		return n, true, nil // "59200", "59200.0", rounded
	}
	f, err := strconv.ParseFloat(string(bytes.ReplaceAll(s, []byte{','}, nil)), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, fmt.Errorf("%s: invalid count %q", field, s)
	}
	if f < 0 {
		return 0, false, fmt.Errorf("%s: negative value %s", field, s)
	}
	if f > 1e15 {
		return 0, false, fmt.Errorf("%s: count %s out of range", field, s)
	}
	return int64(math.Round(f)), true, nil
}

// textBool parses a boolean cell case-insensitively (true/false, 1/0,
// yes/no); known is false for an empty or other cell.
func textBool(s []byte) (v, known bool) {
	s = bytes.TrimSpace(s)
	switch {
	case bytes.EqualFold(s, []byte("true")), bytes.EqualFold(s, []byte("yes")), string(s) == "1":
		return true, true
	case bytes.EqualFold(s, []byte("false")), bytes.EqualFold(s, []byte("no")), string(s) == "0":
		return false, true
	}
	return false, false
}

// jsonBool reads a raw JSON boolean; a string "true"/"false" is accepted
// too, null is unknown.
func jsonBool(v []byte) (val, known bool) {
	switch {
	case string(v) == "true":
		return true, true
	case string(v) == "false":
		return false, true
	case jsonx.IsString(v):
		return textBool(rawStr(v))
	}
	return false, false
}

// addTag appends a tag when its value is set.
func addTag(r *record.Record, key, val string) {
	if val != "" && len(r.Tags) < maxTags {
		r.Tags = append(r.Tags, record.Tag{Key: key, Value: val})
	}
}

// billingTier maps a vendor's batch flag and service tier to a Tier.
func billingTier(batch bool, tier string) record.Tier {
	if batch {
		return record.TierBatch
	}
	return record.ParseTier(strings.ToLower(strings.TrimSpace(tier)))
}
