package pricing

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// maxErrors caps how many problems Validate reports at once.
const maxErrors = 20

// Validate checks the catalog's invariants and returns every problem found
// (up to a limit), joined:
//
//   - ids are non-empty, and ids and aliases are unique across the whole
//     catalog, case-insensitively, so that resolution is unambiguous;
//   - every model has at least one price; windows are ordered by From, do not
//     overlap, and only the first may start at "launch" (zero From);
//   - rates are non-negative; cache reads cost no more than uncached input
//     (equal means "no caching discount");
//   - each batch rate is at most the standard rate of the same kind and band;
//   - a long-context band has a positive threshold, and a threshold has a band;
//   - geo multipliers are positive;
//   - per-Region prices are keyed by AWS Region names and hold the same
//     rate invariants, with a long-context band exactly when the window
//     has one.
func (c *Catalog) Validate() error {
	var errs []error
	report := func(err error) bool {
		errs = append(errs, err)
		return len(errs) < maxErrors
	}
	where := func(m *Model) string {
		if f := c.origin[m]; f != "" {
			return f
		}
		return m.Provider
	}
	owner := make(map[string]*Model, len(c.models)*3)
	for _, m := range c.models {
		if m.ID == "" {
			if !report(fmt.Errorf("pricing: %s: model with empty id", where(m))) {
				break
			}
			continue
		}
		keys := append([]string{m.ID}, m.Aliases...)
		for i, k := range keys {
			lk := strings.ToLower(strings.TrimSpace(k))
			if lk == "" {
				report(fmt.Errorf("pricing: %s: model %s: empty alias", where(m), m.ID))
				continue
			}
			if prev, ok := owner[lk]; ok {
				if prev == m {
					if i > 0 {
						report(fmt.Errorf("pricing: %s: model %s: duplicate alias %q", where(m), m.ID, k))
					}
					continue
				}
				report(fmt.Errorf("pricing: %s: model %s: %q is already used by model %s (%s)", where(m), m.ID, k, prev.ID, where(prev)))
				continue
			}
			owner[lk] = m
		}
		if err := m.Validate(); err != nil {
			if !report(fmt.Errorf("pricing: %s: %w", where(m), err)) {
				break
			}
		}
		if len(errs) >= maxErrors {
			break
		}
	}
	return errors.Join(errs...)
}

// Validate checks one model's invariants (see Catalog.Validate); the error
// names the model.
func (m *Model) Validate() error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("model %s: %s", m.ID, fmt.Sprintf(format, args...))
	}
	if m.ID == "" {
		return errors.New("model with empty id")
	}
	if len(m.Prices) == 0 {
		return fail("no prices")
	}
	for geo, f := range m.GeoMultiplier {
		if !f.IsPositive() {
			return fail("geo_multiplier %s: %s is not positive", geo, f)
		}
	}
	for i := range m.Prices {
		p := &m.Prices[i]
		if i > 0 && p.From.IsZero() {
			return fail("price %d: only the first price may omit from", i)
		}
		if !p.From.IsZero() && !p.Until.IsZero() && !p.From.Before(p.Until) {
			return fail("price %d: from %s is not before until %s", i, FormatTime(p.From), FormatTime(p.Until))
		}
		if i > 0 {
			prev := &m.Prices[i-1]
			if prev.Until.IsZero() {
				return fail("price %d: previous price has no until but is followed by another", i)
			}
			if p.From.Before(prev.Until) {
				return fail("price %d: from %s overlaps the previous price (until %s)", i, FormatTime(p.From), FormatTime(prev.Until))
			}
		}
		if err := validateBand(&p.Base); err != nil {
			return fail("price %d: %v", i, err)
		}
		switch {
		case p.LongContext != nil && p.LongContextAbove <= 0:
			return fail("price %d: long_context needs above_input_tokens > 0", i)
		case p.LongContext == nil && p.LongContextAbove != 0:
			return fail("price %d: above_input_tokens set without long_context rates", i)
		case p.LongContext != nil:
			if err := validateBand(p.LongContext); err != nil {
				return fail("price %d: long_context: %v", i, err)
			}
		}
		if err := validateRegions(p); err != nil {
			return fail("price %d: %v", i, err)
		}
	}
	return nil
}

// validateRegions checks a window's per-Region prices: Region names are
// spelled like AWS Regions, each band holds the rate invariants, and a
// Region has a long-context band exactly when the window does (a long
// request from that Region must not fall back to another Region's rates).
func validateRegions(p *Price) error {
	if p.DefaultRegion != "" && !IsRegion(p.DefaultRegion) {
		return fmt.Errorf("default_region %q is not an AWS Region name (like us-east-1)", p.DefaultRegion)
	}
	if len(p.Regions) == 0 {
		return nil
	}
	names := make([]string, 0, len(p.Regions))
	for name := range p.Regions {
		names = append(names, name)
	}
	sort.Strings(names) // the first problem reported does not depend on map order
	for _, name := range names {
		rb := p.Regions[name]
		if !IsRegion(name) {
			return fmt.Errorf("regions: %q is not an AWS Region name (like eu-west-1)", name)
		}
		if err := validateBand(&rb.Base); err != nil {
			return fmt.Errorf("regions %s: %v", name, err)
		}
		switch {
		case p.LongContext != nil && rb.LongContext == nil:
			return fmt.Errorf("regions %s: long_context missing (the window has a long-context band)", name)
		case p.LongContext == nil && rb.LongContext != nil:
			return fmt.Errorf("regions %s: long_context given but the window has no long-context band", name)
		case rb.LongContext != nil:
			if err := validateBand(rb.LongContext); err != nil {
				return fmt.Errorf("regions %s: long_context: %v", name, err)
			}
		}
	}
	return nil
}

func validateBand(b *Band) error {
	if err := validateRates(&b.Standard); err != nil {
		return err
	}
	tiers := []struct {
		name string
		r    *Rates
	}{{"batch", b.Batch}, {"flex", b.Flex}, {"priority", b.Priority}}
	for _, t := range tiers {
		if t.r == nil {
			continue
		}
		if err := validateRates(t.r); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	if b.Batch != nil {
		bk, sk := b.Batch.kinds(), b.Standard.kinds()
		for i := range bk {
			if bk[i].v.GreaterThan(sk[i].v) {
				return fmt.Errorf("batch %s %s exceeds standard %s", bk[i].name, bk[i].v, sk[i].v)
			}
		}
	}
	return nil
}

func validateRates(r *Rates) error {
	for _, k := range r.kinds() {
		if k.v.IsNegative() {
			return fmt.Errorf("%s is negative (%s)", k.name, k.v)
		}
	}
	if r.CacheRead.GreaterThan(r.Input) {
		return fmt.Errorf("cache_read %s exceeds input %s", r.CacheRead, r.Input)
	}
	return nil
}

type namedRate struct {
	name string
	v    decimal.Decimal
}

func (r *Rates) kinds() [5]namedRate {
	return [5]namedRate{
		{"input", r.Input},
		{"output", r.Output},
		{"cache_read", r.CacheRead},
		{"cache_write_5m", r.CacheWrite5m},
		{"cache_write_1h", r.CacheWrite1h},
	}
}
