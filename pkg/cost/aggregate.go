package cost

import (
	"fmt"
	"strings"
	"time"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

// Dim is a dimension a breakdown groups by.
type Dim struct {
	Kind DimKind
	// TagKey names the tag for DimTag.
	TagKey string
}

// DimKind enumerates the dimensions.
type DimKind uint8

const (
	DimModel DimKind = iota
	DimProvider
	DimTier
	DimDay
	DimMonth
	DimUser
	DimProject
	DimConversation
	DimTag
)

var dimNames = map[DimKind]string{
	DimModel: "model", DimProvider: "provider", DimTier: "tier", DimDay: "day", DimMonth: "month",
	DimUser: "user", DimProject: "project", DimConversation: "conversation", DimTag: "tag",
}

func (d Dim) String() string {
	if d.Kind == DimTag {
		return "tag:" + d.TagKey
	}
	return dimNames[d.Kind]
}

// ParseDim parses a dimension name: model, provider, tier, day, month, user,
// project, conversation, or tag:<key>.
func ParseDim(s string) (Dim, error) {
	s = strings.TrimSpace(s)
	if len(s) > 4 && strings.EqualFold(s[:4], "tag:") {
		return Dim{Kind: DimTag, TagKey: s[4:]}, nil // tag keys keep their case
	}
	s = strings.ToLower(s)
	if s == "session" { // what agent tools call a conversation
		return Dim{Kind: DimConversation}, nil
	}
	for k, n := range dimNames {
		if n == s && k != DimTag {
			return Dim{Kind: k}, nil
		}
	}
	return Dim{}, fmt.Errorf("unknown dimension %q (use model, provider, tier, day, month, user, project, conversation (or session) or tag:<key>)", s)
}

// MaxGroupBy is the most dimensions one breakdown may combine.
const MaxGroupBy = 4

// maxDistinct bounds the distinct values kept per dimension per worker;
// further values are folded into Other, so memory stays bounded whatever
// the log holds.
const maxDistinct = 100_000

// Other is the value that stands for values past the distinct-value bound.
const Other = "(other)"

// Options configure an Aggregator.
type Options struct {
	Catalog *pricing.Catalog
	// GroupBy is the composite breakdown's dimensions (at most MaxGroupBy).
	GroupBy []Dim
	// Since and Until keep records with Since <= time < Until (zero: open).
	Since, Until time.Time
}

// cellKey identifies what a group is priced at: a model (or an unknown model
// name), a price window, a tier, a context band and a geography.
type cellKey struct {
	model int32 // index into Aggregator.models
	price int16 // index into Model.Prices; -1 when no price is in force
	tier  record.Tier
	long  bool
	geo   string
	// region is the call's AWS Region, kept only when the price window
	// lists per-Region prices ("" otherwise, or when unknown).
	region string
}

type modelRef struct {
	m        *pricing.Model // nil: unknown
	name     string         // as logged, for unknown models
	provider string
}

type resolveKey struct{ provider, model string }

// groupKey is one row of one breakdown: a cell plus dimension values.
type groupKey struct {
	set  uint8 // which breakdown
	cell int32
	vals [MaxGroupBy]uint32
}

// Breakdown sets maintained for every record.
const (
	setDay = iota // by day: yields totals, model, provider, tier, day
	setUser
	setProject
	setTag // vals[0] tag key, vals[1] value
	setGroup
	setDrivers // model × project × user: what the top cost drivers rank
	numSets
)

// Aggregator sums records into groups. It is not safe for concurrent use:
// give each worker its own and Merge the results.
type Aggregator struct {
	opts     Options
	resolved map[resolveKey]int32
	regions  map[resolveKey]string // Region named by a model string
	models   []modelRef
	modelIdx map[*pricing.Model]int32
	unknown  map[resolveKey]int32
	cells    map[cellKey]int32
	cellList []cellKey
	groups   map[groupKey]int32
	usage    []Usage
	strs     []map[string]uint32 // per dimension kind (+ tag keys) value ids
	strList  []string
	// Filtered counts records left out by Since/Until.
	Filtered int64
	// NoUsage counts records that carry no usage, by model name.
	NoUsage map[string]int64
	waste   *waste
}

// New returns an empty Aggregator.
func New(opts Options) *Aggregator {
	a := &Aggregator{
		opts:     opts,
		resolved: map[resolveKey]int32{},
		regions:  map[resolveKey]string{},
		modelIdx: map[*pricing.Model]int32{},
		unknown:  map[resolveKey]int32{},
		cells:    map[cellKey]int32{},
		groups:   map[groupKey]int32{},
		NoUsage:  map[string]int64{},
		strList:  []string{""},
		waste:    newWaste(),
	}
	a.strs = make([]map[string]uint32, DimTag+2)
	for i := range a.strs {
		a.strs[i] = map[string]uint32{}
	}
	return a
}

// id interns a dimension value; 0 is the empty value.
func (a *Aggregator) id(kind int, s string) uint32 {
	if s == "" {
		return 0
	}
	m := a.strs[kind]
	if v, ok := m[s]; ok {
		return v
	}
	if len(m) >= maxDistinct {
		s = Other
		if v, ok := m[s]; ok {
			return v
		}
	}
	v := uint32(len(a.strList))
	a.strList = append(a.strList, s)
	m[s] = v
	return v
}

const tagKeyKind = int(DimTag) + 1

func (a *Aggregator) model(r *record.Record) int32 {
	k := resolveKey{r.Provider, r.Model}
	if i, ok := a.resolved[k]; ok {
		return i
	}
	var i int32
	if m, ok := a.opts.Catalog.Resolve(r.Provider, r.Model); ok {
		j, seen := a.modelIdx[m]
		if !seen {
			j = int32(len(a.models))
			a.models = append(a.models, modelRef{m: m, provider: m.Provider})
			a.modelIdx[m] = j
		}
		i = j
	} else {
		i = int32(len(a.models))
		name := r.Model
		if name == "" {
			name = "(none)"
		}
		a.models = append(a.models, modelRef{name: name, provider: r.Provider})
	}
	a.resolved[k] = i
	return i
}

// modelRegion is the AWS Region a record's model string names (an ARN, a
// "bedrock/<region>/…" route), for records whose log states no Region.
func (a *Aggregator) modelRegion(r *record.Record) string {
	k := resolveKey{r.Provider, r.Model}
	if reg, ok := a.regions[k]; ok {
		return reg
	}
	if len(a.regions) > maxDistinct {
		clear(a.regions)
	}
	reg := pricing.RegionOf(r.Model)
	a.regions[k] = reg
	return reg
}

func (a *Aggregator) add(set uint8, cell int32, vals [MaxGroupBy]uint32, r *record.Record) {
	k := groupKey{set: set, cell: cell, vals: vals}
	i, ok := a.groups[k]
	if !ok {
		i = int32(len(a.usage))
		a.usage = append(a.usage, Usage{})
		a.groups[k] = i
	}
	a.usage[i].AddRecord(r)
}

// Add adds one record. It implements ingest.Sink.
func (a *Aggregator) Add(r *record.Record) {
	if !a.opts.Since.IsZero() || !a.opts.Until.IsZero() {
		if r.Time.IsZero() || r.Time.Before(a.opts.Since) || (!a.opts.Until.IsZero() && !r.Time.Before(a.opts.Until)) {
			a.Filtered++
			return
		}
	}
	if !r.HasUsage && !r.HasCharged {
		name := r.Model
		if name == "" {
			name = "(none)"
		}
		a.NoUsage[name] += r.CallCount()
		return
	}
	mi := a.model(r)
	ck := cellKey{model: mi, price: -1, tier: r.Tier}
	if m := a.models[mi].m; m != nil {
		ck.price = int16(m.PriceIndex(r.Time))
		if ck.price >= 0 {
			p := &m.Prices[ck.price]
			// The band is a property of one call: a row that stands for
			// many calls (a usage export) is long only if its calls are on
			// average, and a charge-only row never is.
			n := r.CallCount()
			switch {
			case r.LongContext != 0: // the log says which band it billed
				ck.long = p.LongContext != nil && r.LongContext > 0
			default:
				ck.long = p.LongContext != nil && p.LongContextAbove > 0 && n > 0 && r.TotalInput() > p.LongContextAbove*n
			}
		}
		if r.Geo != "" {
			if _, ok := m.GeoMultiplier[r.Geo]; ok {
				ck.geo = r.Geo
			}
		}
		if ck.price >= 0 && m.Prices[ck.price].HasRegions() {
			ck.region = r.Region
			if ck.region == "" {
				ck.region = a.modelRegion(r)
			}
		}
	}
	cell, ok := a.cells[ck]
	if !ok {
		cell = int32(len(a.cellList))
		a.cellList = append(a.cellList, ck)
		a.cells[ck] = cell
	}
	if r.HasUsage && r.CallCount() == 1 { // the findings are about single calls
		a.waste.add(cell, mi, r)
	}
	day := uint32(0)
	if !r.Time.IsZero() {
		day = uint32(r.Time.Unix()/86400 + 1<<20) // 0 stays "unknown"
	}
	a.add(setDay, cell, [MaxGroupBy]uint32{day}, r)
	if r.User != "" {
		a.add(setUser, cell, [MaxGroupBy]uint32{a.id(int(DimUser), r.User)}, r)
	}
	if r.Project != "" {
		a.add(setProject, cell, [MaxGroupBy]uint32{a.id(int(DimProject), r.Project)}, r)
	}
	for _, t := range r.Tags {
		a.add(setTag, cell, [MaxGroupBy]uint32{a.id(tagKeyKind, t.Key), a.id(int(DimTag), t.Value)}, r)
	}
	a.add(setDrivers, cell, [MaxGroupBy]uint32{0, a.id(int(DimProject), r.Project), a.id(int(DimUser), r.User)}, r)
	if len(a.opts.GroupBy) > 0 {
		var vals [MaxGroupBy]uint32
		for i, d := range a.opts.GroupBy {
			vals[i] = a.dimValue(d, r, day)
		}
		a.add(setGroup, cell, vals, r)
	}
}

// dimValue returns the id of r's value for d. Dimensions derived from the
// cell (model, provider, tier) are 0 here and filled in from the cell.
func (a *Aggregator) dimValue(d Dim, r *record.Record, day uint32) uint32 {
	switch d.Kind {
	case DimDay, DimMonth:
		return day
	case DimUser:
		return a.id(int(DimUser), r.User)
	case DimProject:
		return a.id(int(DimProject), r.Project)
	case DimConversation:
		return a.id(int(DimConversation), r.ConversationID)
	case DimTag:
		for _, t := range r.Tags {
			if t.Key == d.TagKey {
				return a.id(int(DimTag), t.Value)
			}
		}
	}
	return 0
}
