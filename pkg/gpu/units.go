package gpu

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// ParseTokens parses a token volume: a number with an optional k, M, B or
// T suffix (10M, 1.5B, 100B, 2T, 250000).
func ParseTokens(s string) (float64, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	if t != "" {
		switch t[len(t)-1] {
		case 'k', 'K':
			mult = 1e3
		case 'm', 'M':
			mult = 1e6
		case 'b', 'B', 'g', 'G':
			mult = 1e9
		case 't', 'T':
			mult = 1e12
		}
		if mult != 1 {
			t = t[:len(t)-1]
		}
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("invalid token volume %q (use a number with k, M, B or T: 10M, 1.5B)", s)
	}
	return v * mult, nil
}

// FormatTokens writes a volume with three significant digits and a
// suffix: 10M, 1.5B, 42.3B, 1.02T.
func FormatTokens(v float64) string {
	switch {
	case math.IsInf(v, 0) || math.IsNaN(v):
		return "-"
	case v >= 1e12:
		return sig3(v/1e12) + "T"
	case v >= 1e9:
		return sig3(v/1e9) + "B"
	case v >= 1e6:
		return sig3(v/1e6) + "M"
	case v >= 1e3:
		return sig3(v/1e3) + "k"
	}
	return sig3(v)
}

func sig3(x float64) string {
	var s string
	switch {
	case x >= 100:
		s = strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	case x >= 10:
		s = strconv.FormatFloat(x, 'f', 1, 64)
	default:
		s = strconv.FormatFloat(x, 'f', 2, 64)
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// ParseFraction parses a share written as a percentage ("30%") or a
// fraction ("0.3"); a bare number of 1 or more is rejected as ambiguous.
func ParseFraction(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		d, err := decimal.NewFromString(strings.TrimSpace(p))
		if err != nil {
			return decimal.Zero, fmt.Errorf("invalid percentage %q", s)
		}
		return d.Div(decimal.NewFromInt(100)), nil
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Zero, fmt.Errorf("invalid share %q (use 30%% or 0.3)", s)
	}
	if d.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return decimal.Zero, fmt.Errorf("share %q is 1 or more: write a percentage with %% (30%%) or a fraction below 1 (0.3)", s)
	}
	return d, nil
}

// Frontier keeps the options worth showing: those that no other option
// beats both on the monthly price of one instance (what small volumes pay)
// and on the cost per 1M tokens at full use (what large volumes pay). It
// returns them from the cheapest instance to the cheapest per token.
func Frontier(opts []SelfHost) []SelfHost {
	s := append([]SelfHost(nil), opts...)
	sort.SliceStable(s, func(i, j int) bool {
		if c := s[i].MonthlyUSD.Cmp(s[j].MonthlyUSD); c != 0 {
			return c < 0
		}
		if c := s[i].PerMillionUSD.Cmp(s[j].PerMillionUSD); c != 0 {
			return c < 0
		}
		return optionKey(s[i]) < optionKey(s[j])
	})
	var out []SelfHost
	for _, o := range s {
		if len(out) == 0 || o.PerMillionUSD.LessThan(out[len(out)-1].PerMillionUSD) {
			out = append(out, o)
		}
	}
	return out
}

func optionKey(o SelfHost) string {
	return o.Plan.Instance.Provider + "/" + o.Plan.Instance.Name + "/" + string(o.Plan.Precision)
}
