package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	pricingdata "github.com/llmcost/llmcost/pricing-data"
)

// Catalog is a validated, indexed set of models. It is immutable after Load
// and safe for concurrent use.
type Catalog struct {
	models []*Model // sorted by provider, then id
	byID   map[string]*Model
	// keys maps a lower-case lookup key (id, alias or a derived spelling, see
	// resolve.go) to at most one model per provider, in provider precedence.
	keys map[string][]keyEntry
	// origin names the file each model came from, for error messages.
	origin map[*Model]string
}

type keyEntry struct {
	m     *Model
	exact bool // the key is the model's id or one of its aliases
}

// Load reads every *.json file in the root of fsys (other files are
// ignored), converts, validates and indexes them. Errors name the file and
// the model.
func Load(fsys fs.FS) (*Catalog, error) {
	ents, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("pricing: read catalog: %w", err)
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() && path.Ext(e.Name()) == ".json" {
			names = append(names, e.Name())
		}
	}
	// JSON decoding dominates start-up, so files are decoded in parallel.
	type result struct {
		models []*Model
		err    error
	}
	results := make([]result, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				results[i].err = fmt.Errorf("pricing: %w", err)
				return
			}
			results[i].models, results[i].err = decodeFile(make(decCache, 256), name, data)
		}()
	}
	wg.Wait()
	var models []*Model
	origin := make(map[*Model]string)
	for i, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		for _, m := range r.models {
			origin[m] = names[i]
		}
		models = append(models, r.models...)
	}
	return newCatalog(models, origin)
}

// LoadFile reads one catalog file in the format of pricing-data (one
// provider), typically a user's --pricing-file override to Merge over
// Default.
func LoadFile(name string) (*Catalog, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("pricing: %w", err)
	}
	base := filepath.Base(name)
	ms, err := decodeFile(make(decCache), base, data)
	if err != nil {
		return nil, err
	}
	origin := make(map[*Model]string, len(ms))
	for _, m := range ms {
		origin[m] = base
	}
	return newCatalog(ms, origin)
}

func decodeFile(dc decCache, name string, data []byte) ([]*Model, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("pricing: %s: %w", name, err)
	}
	if f.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("pricing: %s: schema_version %d, want %d", name, f.SchemaVersion, SchemaVersion)
	}
	provider := strings.ToLower(strings.TrimSpace(f.Provider))
	if provider == "" {
		return nil, fmt.Errorf("pricing: %s: provider missing", name)
	}
	models := make([]*Model, 0, len(f.Models))
	for i := range f.Models {
		m, err := dc.model(provider, &f.Models[i])
		if err != nil {
			id := f.Models[i].ID
			if id == "" {
				id = fmt.Sprintf("#%d", i)
			}
			return nil, fmt.Errorf("pricing: %s: model %s: %w", name, id, err)
		}
		models = append(models, m)
	}
	return models, nil
}

// newCatalog sorts, validates and indexes models.
func newCatalog(models []*Model, origin map[*Model]string) (*Catalog, error) {
	sort.Slice(models, func(i, j int) bool {
		if models[i].Provider != models[j].Provider {
			return models[i].Provider < models[j].Provider
		}
		return models[i].ID < models[j].ID
	})
	c := &Catalog{models: models, origin: origin}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.index()
	return c, nil
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
	defaultErr  error
)

// Default returns the catalog embedded in the binary (pricing-data), loaded
// once. The result is shared: do not modify its models.
func Default() (*Catalog, error) {
	defaultOnce.Do(func() {
		defaultCat, defaultErr = Load(pricingdata.FS)
	})
	return defaultCat, defaultErr
}

// Models returns every model sorted by provider, then id. The slice is a
// copy; the models are shared and must not be modified.
func (c *Catalog) Models() []*Model {
	return slices.Clone(c.models)
}

// Len is the number of models.
func (c *Catalog) Len() int { return len(c.models) }

// Lookup returns the model whose canonical id is id (case-insensitive), or
// nil. Use Resolve for ids as logs spell them.
func (c *Catalog) Lookup(id string) *Model {
	return c.byID[strings.ToLower(id)]
}

// Merge returns a new catalog holding c's models with other's layered on
// top (a --pricing-file over the embedded catalog): a model of other
// replaces the model of c whose id is one of its ids or aliases, and an
// id or alias of other is taken away from any model of c that had it as an
// alias. Neither c nor other is modified, so Merge is safe on the shared
// Default catalog; unchanged models are shared, not copied.
func (c *Catalog) Merge(other *Catalog) *Catalog {
	if other == nil || len(other.models) == 0 {
		return c
	}
	taken := make(map[string]bool)
	for _, m := range other.models {
		taken[strings.ToLower(m.ID)] = true
		for _, a := range m.Aliases {
			taken[strings.ToLower(a)] = true
		}
	}
	models := make([]*Model, 0, len(c.models)+len(other.models))
	origin := make(map[*Model]string, len(c.models)+len(other.models))
	for _, m := range c.models {
		if taken[strings.ToLower(m.ID)] {
			continue
		}
		f := c.origin[m]
		if slices.ContainsFunc(m.Aliases, func(a string) bool { return taken[strings.ToLower(a)] }) {
			cp := *m
			cp.Aliases = slices.DeleteFunc(slices.Clone(m.Aliases), func(a string) bool { return taken[strings.ToLower(a)] })
			m = &cp
		}
		models = append(models, m)
		origin[m] = f
	}
	for _, m := range other.models {
		models = append(models, m)
		origin[m] = other.origin[m]
	}
	out, err := newCatalog(models, origin)
	if err != nil {
		// Both inputs validated and clashes were removed above, so this
		// cannot happen; fail loudly rather than return a half catalog.
		panic(fmt.Sprintf("pricing: merge: %v", err))
	}
	return out
}

// index builds byID and keys. Exact keys (ids, aliases) are entered before
// derived ones so that a derived spelling never shadows a real id of the
// same provider.
func (c *Catalog) index() {
	c.byID = make(map[string]*Model, len(c.models))
	c.keys = make(map[string][]keyEntry, len(c.models)*4)
	add := func(key string, m *Model, exact bool) {
		if key == "" {
			return
		}
		list := c.keys[key]
		for _, e := range list {
			if e.m.Provider == m.Provider {
				return
			}
		}
		c.keys[key] = append(list, keyEntry{m: m, exact: exact})
	}
	for _, m := range c.models {
		c.byID[strings.ToLower(m.ID)] = m
		add(strings.ToLower(m.ID), m, true)
		for _, a := range m.Aliases {
			add(strings.ToLower(a), m, true)
		}
	}
	for _, m := range c.models {
		for _, k := range derivedKeys(m) {
			add(k, m, false)
		}
	}
	for k, list := range c.keys {
		if len(list) > 1 {
			sort.SliceStable(list, func(i, j int) bool {
				return providerRank(list[i].m.Provider) < providerRank(list[j].m.Provider)
			})
			c.keys[k] = list
		}
	}
}
