package pricing

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// SchemaVersion is the catalog file format version this package reads and
// the generator writes.
const SchemaVersion = 1

// The File* types mirror the JSON catalog format documented in
// pricing-data/README.md. They are exported so that the generator
// (scripts/gen-pricing) and hand-written override files share one
// definition. Prices are decimal strings in USD per 1,000,000 tokens.

// File is one catalog file: the models of one provider.
type File struct {
	SchemaVersion int         `json:"schema_version"`
	Provider      string      `json:"provider"`
	GeneratedBy   string      `json:"generated_by,omitempty"`
	Sources       []string    `json:"sources,omitempty"`
	Models        []FileModel `json:"models"`
}

// FileModel is one model entry of a File.
type FileModel struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitempty"`
	Aliases       []string `json:"aliases,omitempty"`
	ContextWindow int64    `json:"context_window,omitempty"`
	// Deprecated is a YYYY-MM-DD retirement date.
	Deprecated string `json:"deprecated,omitempty"`
	// GeoMultiplier maps an inference geography to a decimal multiplier.
	GeoMultiplier map[string]string `json:"geo_multiplier,omitempty"`
	Prices        []FilePrice       `json:"prices"`
}

// FileRates are the five per-token-kind rates of one tier, USD per 1M
// tokens. Input and output are required; in hand-written files a missing
// cache_read or cache_write_5m defaults to the input rate and a missing
// cache_write_1h to the cache_write_5m rate (the generator always writes all
// five).
type FileRates struct {
	InputPer1M        string `json:"input_per_1m"`
	OutputPer1M       string `json:"output_per_1m"`
	CacheReadPer1M    string `json:"cache_read_per_1m,omitempty"`
	CacheWrite5mPer1M string `json:"cache_write_5m_per_1m,omitempty"`
	CacheWrite1hPer1M string `json:"cache_write_1h_per_1m,omitempty"`
}

// FileBand is the standard rates (inlined) plus the optional tiers of one
// context band.
type FileBand struct {
	FileRates
	Batch    *FileRates `json:"batch,omitempty"`
	Flex     *FileRates `json:"flex,omitempty"`
	Priority *FileRates `json:"priority,omitempty"`
}

// FilePrice is one validity window of a model's prices.
type FilePrice struct {
	// From is inclusive and Until exclusive; each is a UTC date
	// (YYYY-MM-DD) or an RFC 3339 time; empty means unbounded.
	From  string `json:"from,omitempty"`
	Until string `json:"until,omitempty"`
	FileBand
	LongContext *FileLongContext `json:"long_context,omitempty"`
	// DefaultRegion is the AWS Region whose prices the window's own rates
	// are; Regions the rates of calls made from other Regions (Bedrock),
	// keyed by Region name ("eu-west-1"). Both are optional; see
	// Price.Regions.
	DefaultRegion string                 `json:"default_region,omitempty"`
	Regions       map[string]*FileRegion `json:"regions,omitempty"`
	Source        string                 `json:"source,omitempty"`
}

// FileRegion is the price of calls made from one AWS Region: a band (the
// standard rates inlined, optional tiers) and, required when the window has
// a long-context band, the Region's long-context band (same threshold).
type FileRegion struct {
	FileBand
	LongContext *FileBand `json:"long_context,omitempty"`
	Source      string    `json:"source,omitempty"`
}

// FileLongContext is the band used when a request's total input exceeds
// AboveInputTokens.
type FileLongContext struct {
	AboveInputTokens int64 `json:"above_input_tokens"`
	FileBand
}

// ParseTime parses a catalog date: "YYYY-MM-DD" (midnight UTC) or RFC 3339.
// The empty string is the zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) == len("2006-01-02") {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return time.Time{}, fmt.Errorf("bad date %q: %w", s, err)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// FormatTime is the inverse of ParseTime: a date when t is midnight UTC,
// RFC 3339 otherwise, "" for the zero time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339Nano)
}

// decCache memoises decimal parsing: catalog files repeat a few hundred
// distinct figures thousands of times, and parsing dominates Load.
type decCache map[string]decimal.Decimal

func (c decCache) parse(s string) (decimal.Decimal, error) {
	if d, ok := c[s]; ok {
		return d, nil
	}
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("bad decimal %q: %w", s, err)
	}
	c[s] = d
	return d, nil
}

func (c decCache) rates(fr *FileRates) (Rates, error) {
	var r Rates
	var err error
	if fr.InputPer1M == "" {
		return r, fmt.Errorf("input_per_1m missing")
	}
	if fr.OutputPer1M == "" {
		return r, fmt.Errorf("output_per_1m missing")
	}
	if r.Input, err = c.parse(fr.InputPer1M); err != nil {
		return r, fmt.Errorf("input_per_1m: %w", err)
	}
	if r.Output, err = c.parse(fr.OutputPer1M); err != nil {
		return r, fmt.Errorf("output_per_1m: %w", err)
	}
	r.CacheRead = r.Input
	if fr.CacheReadPer1M != "" {
		if r.CacheRead, err = c.parse(fr.CacheReadPer1M); err != nil {
			return r, fmt.Errorf("cache_read_per_1m: %w", err)
		}
	}
	r.CacheWrite5m = r.Input
	if fr.CacheWrite5mPer1M != "" {
		if r.CacheWrite5m, err = c.parse(fr.CacheWrite5mPer1M); err != nil {
			return r, fmt.Errorf("cache_write_5m_per_1m: %w", err)
		}
	}
	r.CacheWrite1h = r.CacheWrite5m
	if fr.CacheWrite1hPer1M != "" {
		if r.CacheWrite1h, err = c.parse(fr.CacheWrite1hPer1M); err != nil {
			return r, fmt.Errorf("cache_write_1h_per_1m: %w", err)
		}
	}
	return r, nil
}

func (c decCache) tier(name string, fr *FileRates) (*Rates, error) {
	if fr == nil {
		return nil, nil
	}
	r, err := c.rates(fr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &r, nil
}

func (c decCache) band(fb *FileBand) (Band, error) {
	var b Band
	var err error
	if b.Standard, err = c.rates(&fb.FileRates); err != nil {
		return b, err
	}
	if b.Batch, err = c.tier("batch", fb.Batch); err != nil {
		return b, err
	}
	if b.Flex, err = c.tier("flex", fb.Flex); err != nil {
		return b, err
	}
	if b.Priority, err = c.tier("priority", fb.Priority); err != nil {
		return b, err
	}
	return b, nil
}

// model converts one file entry; it does not validate (see Validate).
func (c decCache) model(provider string, fm *FileModel) (*Model, error) {
	m := &Model{
		ID:            strings.TrimSpace(fm.ID),
		Provider:      provider,
		Name:          fm.Name,
		ContextWindow: fm.ContextWindow,
	}
	if m.ID == "" {
		return nil, fmt.Errorf("model without id")
	}
	if len(fm.Aliases) > 0 {
		m.Aliases = append([]string(nil), fm.Aliases...)
	}
	var err error
	if m.Deprecated, err = ParseTime(fm.Deprecated); err != nil {
		return nil, fmt.Errorf("deprecated: %w", err)
	}
	if len(fm.GeoMultiplier) > 0 {
		m.GeoMultiplier = make(map[string]decimal.Decimal, len(fm.GeoMultiplier))
		for geo, s := range fm.GeoMultiplier {
			d, err := c.parse(s)
			if err != nil {
				return nil, fmt.Errorf("geo_multiplier %s: %w", geo, err)
			}
			m.GeoMultiplier[strings.ToLower(geo)] = d
		}
	}
	m.Prices = make([]Price, len(fm.Prices))
	for i := range fm.Prices {
		fp := &fm.Prices[i]
		p := &m.Prices[i]
		if p.From, err = ParseTime(fp.From); err != nil {
			return nil, fmt.Errorf("price %d: from: %w", i, err)
		}
		if p.Until, err = ParseTime(fp.Until); err != nil {
			return nil, fmt.Errorf("price %d: until: %w", i, err)
		}
		if p.Base, err = c.band(&fp.FileBand); err != nil {
			return nil, fmt.Errorf("price %d: %w", i, err)
		}
		if lc := fp.LongContext; lc != nil {
			p.LongContextAbove = lc.AboveInputTokens
			b, err := c.band(&lc.FileBand)
			if err != nil {
				return nil, fmt.Errorf("price %d: long_context: %w", i, err)
			}
			p.LongContext = &b
		}
		p.DefaultRegion = strings.ToLower(strings.TrimSpace(fp.DefaultRegion))
		if len(fp.Regions) > 0 {
			p.Regions = make(map[string]*RegionBands, len(fp.Regions))
			for name, fr := range fp.Regions {
				if fr == nil {
					return nil, fmt.Errorf("price %d: regions %s: no rates", i, name)
				}
				rb := &RegionBands{Source: fr.Source}
				if rb.Base, err = c.band(&fr.FileBand); err != nil {
					return nil, fmt.Errorf("price %d: regions %s: %w", i, name, err)
				}
				if fr.LongContext != nil {
					b, err := c.band(fr.LongContext)
					if err != nil {
						return nil, fmt.Errorf("price %d: regions %s: long_context: %w", i, name, err)
					}
					rb.LongContext = &b
				}
				key := strings.ToLower(strings.TrimSpace(name))
				if _, dup := p.Regions[key]; dup {
					return nil, fmt.Errorf("price %d: regions: %s listed twice", i, key)
				}
				p.Regions[key] = rb
			}
		}
		p.Source = fp.Source
	}
	return m, nil
}

// ToFile converts models back to the file format (the inverse of Load for
// one provider); it is used by tests and tools that write override files.
func ToFile(provider string, models []*Model) *File {
	f := &File{SchemaVersion: SchemaVersion, Provider: provider}
	for _, m := range models {
		fm := FileModel{
			ID:            m.ID,
			Name:          m.Name,
			Aliases:       append([]string(nil), m.Aliases...),
			ContextWindow: m.ContextWindow,
			Deprecated:    FormatTime(m.Deprecated),
		}
		if len(m.GeoMultiplier) > 0 {
			fm.GeoMultiplier = make(map[string]string, len(m.GeoMultiplier))
			for k, v := range m.GeoMultiplier {
				fm.GeoMultiplier[k] = v.String()
			}
		}
		for _, p := range m.Prices {
			fp := FilePrice{
				From:     FormatTime(p.From),
				Until:    FormatTime(p.Until),
				FileBand: fileBand(&p.Base),
				Source:   p.Source,
			}
			if p.LongContext != nil {
				fp.LongContext = &FileLongContext{AboveInputTokens: p.LongContextAbove, FileBand: fileBand(p.LongContext)}
			}
			fp.DefaultRegion = p.DefaultRegion
			if len(p.Regions) > 0 {
				fp.Regions = make(map[string]*FileRegion, len(p.Regions))
				for name, rb := range p.Regions {
					fr := &FileRegion{FileBand: fileBand(&rb.Base), Source: rb.Source}
					if rb.LongContext != nil {
						lb := fileBand(rb.LongContext)
						fr.LongContext = &lb
					}
					fp.Regions[name] = fr
				}
			}
			fm.Prices = append(fm.Prices, fp)
		}
		f.Models = append(f.Models, fm)
	}
	return f
}

func fileBand(b *Band) FileBand {
	return FileBand{
		FileRates: FileRatesOf(b.Standard),
		Batch:     fileRatesPtr(b.Batch),
		Flex:      fileRatesPtr(b.Flex),
		Priority:  fileRatesPtr(b.Priority),
	}
}

func fileRatesPtr(r *Rates) *FileRates {
	if r == nil {
		return nil
	}
	fr := FileRatesOf(*r)
	return &fr
}

// FileRatesOf renders r in the file format (all five rates).
func FileRatesOf(r Rates) FileRates {
	return FileRates{
		InputPer1M:        r.Input.String(),
		OutputPer1M:       r.Output.String(),
		CacheReadPer1M:    r.CacheRead.String(),
		CacheWrite5mPer1M: r.CacheWrite5m.String(),
		CacheWrite1hPer1M: r.CacheWrite1h.String(),
	}
}
