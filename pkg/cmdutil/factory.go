package cmdutil

import (
	"fmt"
	"sync"
	"time"

	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/pricing"
)

// Factory holds what commands get injected: streams, a clock and the
// pricing catalog loader.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Now is the clock; tests fix it.
	Now func() time.Time
	// PricingFile is an extra catalog file (--pricing-file) whose models
	// replace or extend the embedded catalog.
	PricingFile string
	// Getenv reads the environment (os.Getenv, or a map in tests).
	Getenv func(string) string
	// Quiet (--quiet) turns off progress and warnings on standard error;
	// errors still print. Commands read it when they run, after flags and
	// configuration are applied.
	Quiet bool
	// ConfigValue returns a value of the merged configuration file by key
	// ("gate.rules"), nil when unset. The root command sets it.
	ConfigValue func(key string) any

	once    sync.Once
	catalog *pricing.Catalog
	err     error
}

// Catalog loads the embedded catalog, merged with PricingFile if set.
func (f *Factory) Catalog() (*pricing.Catalog, error) {
	f.once.Do(func() {
		c, err := pricing.Default()
		if err != nil {
			f.err = fmt.Errorf("load the embedded pricing catalog: %w", err)
			return
		}
		if f.PricingFile != "" {
			extra, err := pricing.LoadFile(f.PricingFile)
			if err != nil {
				f.err = &ExitError{Code: ExitUsage, Err: fmt.Errorf("--pricing-file: %w", err)}
				return
			}
			c = c.Merge(extra)
		}
		f.catalog = c
	})
	return f.catalog, f.err
}
