// Package scenarios reads the simulate configuration (YAML) and builds the
// scenarios it names.
package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/simulate"
	"github.com/llmcost/llmcost/pkg/simulate/batch"
	"github.com/llmcost/llmcost/pkg/simulate/history"
	"github.com/llmcost/llmcost/pkg/simulate/output"
	"github.com/llmcost/llmcost/pkg/simulate/promptcache"
	"github.com/llmcost/llmcost/pkg/simulate/routing"
	"github.com/llmcost/llmcost/pkg/simulate/selfhost"
	"github.com/llmcost/llmcost/pkg/simulate/semcache"
)

// Config is the simulate configuration: which scenarios run, and each
// scenario's settings (see testdata/simulate/scenarios.yaml).
type Config struct {
	// Scenarios lists the scenarios to run (default: every available one);
	// --scenario overrides it.
	Scenarios simulate.List `yaml:"scenarios"`
	// Stack also runs the scenarios stacked (default true).
	Stack *bool `yaml:"stack"`

	Routing routing.Config `yaml:"routing"`
	History history.Config `yaml:"history"`
	Output  output.Config  `yaml:"output"`
	Batch   batch.Config   `yaml:"batch"`

	PromptCache promptcache.Config `yaml:"promptcache"`
	Selfhost    selfhost.Config    `yaml:"selfhost"`
	Semcache    semcache.Config    `yaml:"semcache"`
}

// Available are the scenarios this version simulates, in stacking order.
var Available = []string{"semcache", "routing", "selfhost", "history", "output", "promptcache", "batch"}

// OptIn are available scenarios that run only when named (--scenario or
// the configuration's list), never by default nor under "all": self-hosting
// swaps the model and adds a GPU fleet, a decision to ask for, not a lever
// to stack silently.
var OptIn = map[string]bool{"selfhost": true}

// Default are the scenarios that run when none is named: Available less
// OptIn.
func Default() []string {
	var out []string
	for _, a := range Available {
		if !OptIn[a] {
			out = append(out, a)
		}
	}
	return out
}

// Later are scenarios the issue plans that are not simulated yet.
var Later = map[string]string{}

// aliases map other names to a scenario.
var aliases = map[string]string{
	"context": "history", "context-management": "history", "window": "history", "summarize": "history",
	"max-tokens": "output", "output-control": "output", "router": "routing", "route": "routing",
	"prompt-cache": "promptcache", "prompt-caching": "promptcache", "semantic-cache": "semcache",
	"self-host": "selfhost", "self-hosting": "selfhost", "gpu": "selfhost",
}

// Canonical returns the scenario id for a name or alias.
func Canonical(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[n]; ok {
		return a
	}
	return n
}

// Decode reads a configuration; unknown keys are errors.
func Decode(r io.Reader) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return &c, nil
}

// Load reads a configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// FromValue reads a configuration from a generic value (the simulate key of
// llmcost.yaml, as the config library hands it back).
func FromValue(v any) (*Config, error) {
	data, err := yaml.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Decode(bytes.NewReader(data))
}

// Names resolves the scenarios to run: names (from --scenario) or else the
// configuration's list or else the default ones; "all" stands for the
// default ones (opt-in scenarios may be named beside it).
func (c *Config) Names(names []string) ([]string, error) {
	if len(names) == 0 {
		names = c.Scenarios
	}
	if len(names) == 0 {
		return Default(), nil
	}
	var all []string
	for _, n := range names {
		if strings.TrimSpace(n) == "all" {
			all = append(all, Default()...)
		} else {
			all = append(all, n)
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range all {
		id := Canonical(n)
		if why, ok := Later[id]; ok {
			return nil, fmt.Errorf("scenario %q: %s; available now: %s", n, why, strings.Join(Available, ", "))
		}
		known := false
		for _, a := range Available {
			known = known || a == id
		}
		if !known {
			return nil, fmt.Errorf("unknown scenario %q (available: %s)", n, strings.Join(Available, ", "))
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// Build makes the named scenarios.
func (c *Config) Build(names []string, cat *pricing.Catalog) ([]simulate.Scenario, error) {
	var out []simulate.Scenario
	for _, n := range names {
		var s simulate.Scenario
		var err error
		switch n {
		case "routing":
			s, err = routing.New(c.Routing, cat)
		case "history":
			s, err = history.New(c.History)
		case "output":
			s, err = output.New(c.Output, cat)
		case "batch":
			s, err = batch.New(c.Batch)
		case "promptcache":
			s, err = promptcache.New(c.PromptCache, cat)
		case "selfhost":
			s, err = selfhost.New(c.Selfhost, cat, nil)
		case "semcache":
			s, err = semcache.New(c.Semcache)
		default:
			err = fmt.Errorf("unknown scenario %q", n)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Stacked reports whether the stacked run is wanted.
func (c *Config) Stacked() bool { return c.Stack == nil || *c.Stack }
