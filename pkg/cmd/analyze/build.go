package analyze

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/cost"
	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/report"
)

// Build runs the analyze pipeline (expand paths, parse on all cores, price,
// summarise) and returns the report document, without rendering it. Other
// commands (diff, check) use it to analyze logs in-process.
func Build(ctx context.Context, opts *Options) (*report.Report, error) {
	since, err := cmdutil.ParseTime(opts.Since, false)
	if err != nil {
		return nil, cmdutil.FlagErrorf("--since: %v", err)
	}
	until, err := cmdutil.ParseTime(opts.Until, true)
	if err != nil {
		return nil, cmdutil.FlagErrorf("--until: %v", err)
	}
	var dims []cost.Dim
	for _, g := range opts.GroupBy {
		d, err := cost.ParseDim(g)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--group-by: %v", err)
		}
		dims = append(dims, d)
	}
	var format *ingest.Format
	if opts.InputFormat != "" {
		if format, err = ingest.LookupFormat(opts.InputFormat); err != nil {
			return nil, cmdutil.FlagErrorf("--input-format: %v", err)
		}
	}
	cat, err := opts.Catalog()
	if err != nil {
		return nil, err
	}
	paths, err := ingest.Expand(opts.Paths)
	if err != nil {
		return nil, err
	}

	var aggs []*cost.Aggregator
	var prog *progress
	newSink := func() ingest.Sink {
		a := cost.New(cost.Options{Catalog: cat, GroupBy: dims, Since: since, Until: until})
		aggs = append(aggs, a)
		if prog != nil {
			return &countingSink{Sink: a, records: &prog.records}
		}
		return a
	}
	iopts := ingest.Options{Format: format, Workers: opts.Workers, Strict: opts.Strict, Stdin: opts.IO.In, Mapping: opts.Mapping}
	stopProgress := func() {}
	if showsProgress(opts) {
		prog = &progress{ingest: &ingest.Progress{}, files: len(paths), total: inputSize(paths)}
		iopts.Progress = prog.ingest
		stopProgress = showProgress(opts.IO.ErrOut, prog)
	}
	st, runErr := ingest.Run(ctx, paths, iopts, newSink)
	stopProgress()
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			return nil, &cmdutil.ExitError{Code: cmdutil.ExitInterrupted, Err: errors.New("interrupted")}
		}
		var pr ingest.Problem
		if errors.As(runErr, &pr) {
			return nil, fmt.Errorf("%w (--strict)", runErr)
		}
		return nil, runErr
	}
	sum := cost.Summarize(cost.Merge(aggs...))
	if opts.Partial {
		return report.BuildPartial(sum, st), nil
	}
	return report.Build(sum, st), nil
}

// PrintDiagnostics writes the warnings of a report built with Build
// (malformed lines, unpriced models) and its coverage line to stderr.
func PrintDiagnostics(opts *Options, rep *report.Report) { printDiagnostics(opts, rep) }

// LoadMapping reads a column mapping for home-grown logs from a YAML file,
// or else from the mapping: key of the configuration; nil when neither
// has one.
func LoadMapping(file string, config func(string) any) (*ingest.Mapping, error) {
	var m ingest.Mapping
	switch {
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--mapping-file: %w", err)
		}
		var doc struct {
			Mapping *ingest.Mapping `yaml:"mapping"`
		}
		if err := yaml.Unmarshal(data, &doc); err == nil && doc.Mapping != nil {
			m = *doc.Mapping
		} else if err := yaml.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("--mapping-file %s: %w", file, err)
		}
	case config != nil:
		v := config("mapping")
		if v == nil {
			return nil, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("llmcost.yaml mapping: %w", err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("llmcost.yaml mapping: %w", err)
		}
	default:
		return nil, nil
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}
