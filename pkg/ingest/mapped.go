package ingest

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Home-grown logs: a CSV/TSV file with a header, or JSON lines, whose
// columns (or members: dotted names reach into nested objects, e.g.
// "usage.prompt_tokens") the user maps to record fields in llmcost.yaml:
//
//	mapping:
//	  model: llm_model
//	  input_tokens: prompt_tok
//	  output_tokens: completion_tok
//	  cached_tokens: cached_tok
//	  time: ts
//	  input_includes_cached: true
//	  tags: [feature, env]
//
// The format is used when asked for (--input-format mapped), or for a file
// no other format recognises when a mapping is configured.

// Mapping names the columns of a home-grown log. Empty names are absent.
type Mapping struct {
	Model            string `json:"model" yaml:"model"`
	Provider         string `json:"provider" yaml:"provider"`
	Time             string `json:"time" yaml:"time"`
	InputTokens      string `json:"input_tokens" yaml:"input_tokens"`
	OutputTokens     string `json:"output_tokens" yaml:"output_tokens"`
	CachedTokens     string `json:"cached_tokens" yaml:"cached_tokens"`
	CacheWriteTokens string `json:"cache_write_tokens" yaml:"cache_write_tokens"`
	ReasoningTokens  string `json:"reasoning_tokens" yaml:"reasoning_tokens"`
	Requests         string `json:"requests" yaml:"requests"`
	Tier             string `json:"tier" yaml:"tier"`
	User             string `json:"user" yaml:"user"`
	Project          string `json:"project" yaml:"project"`
	Conversation     string `json:"conversation" yaml:"conversation"`
	// InputIncludesCached says the input column counts cached and
	// cache-write tokens too (OpenAI's convention); false means the columns
	// are disjoint (Anthropic's).
	InputIncludesCached bool `json:"input_includes_cached" yaml:"input_includes_cached"`
	// DefaultProvider is the provider when no column gives one.
	DefaultProvider string `json:"default_provider" yaml:"default_provider"`
	// Tags are further columns kept as tags (breakdowns by tag).
	Tags []string `json:"tags" yaml:"tags"`
}

// fields lists the mapped columns with the record field each fills.
func (m *Mapping) fields() []mappedField {
	var out []mappedField
	for _, f := range []mappedField{
		{m.Model, fModel}, {m.Provider, fProvider}, {m.Time, fTime}, {m.InputTokens, fInput}, {m.OutputTokens, fOutput},
		{m.CachedTokens, fCached}, {m.CacheWriteTokens, fCacheWrite}, {m.ReasoningTokens, fReasoning}, {m.Requests, fRequests},
		{m.Tier, fTier}, {m.User, fUser}, {m.Project, fProject}, {m.Conversation, fConversation},
	} {
		if f.name != "" {
			f.name = strings.ToLower(strings.TrimSpace(f.name))
			out = append(out, f)
		}
	}
	for _, t := range m.Tags {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			out = append(out, mappedField{t, fTag})
		}
	}
	return out
}

// Validate checks that the mapping can give a priced record.
func (m *Mapping) Validate() error {
	if m.Model == "" {
		return fmt.Errorf("mapping: no model column")
	}
	if m.InputTokens == "" && m.OutputTokens == "" {
		return fmt.Errorf("mapping: neither input_tokens nor output_tokens is mapped")
	}
	return nil
}

type fieldKind uint8

const (
	fModel fieldKind = iota
	fProvider
	fTime
	fInput
	fOutput
	fCached
	fCacheWrite
	fReasoning
	fRequests
	fTier
	fUser
	fProject
	fConversation
	fTag
)

type mappedField struct {
	name string
	kind fieldKind
}

// mappedState is the per-file state: CSV (through csvRow) or JSON lines.
type mappedState struct {
	json   bool
	fields []mappedField
}

// mappedFormat is registered in init.
var mappedFormat = &Format{
	ID:          "mapped",
	Description: "home-grown CSV/TSV or JSON lines with columns mapped in llmcost.yaml (mapping:)",
	Order:       1000,
	parse:       parseMapped,
	sequential:  true,
	sniff:       func(*shape) bool { return false }, // only when asked, or as a fallback
}

func init() { register(mappedFormat) }

// mappedValues collects one row's values before they become a record.
type mappedValues struct {
	in, out, cached, write, reasoning, calls int64
	hasTokens                                bool
}

func parseMapped(p *parser, line []byte, rec *record.Record) error {
	m := p.mapping
	if m == nil {
		return fmt.Errorf("the mapped format needs a column mapping (mapping: in llmcost.yaml, or --mapping-file)")
	}
	fields := m.fields()
	if st, ok := p.fileState.(*mappedState); ok && st.json {
		return p.mappedJSON(line, rec, m, fields)
	}
	if p.fileState == nil {
		if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && t[0] == '{' {
			p.fileState = &mappedState{json: true, fields: fields}
			return p.mappedJSON(line, rec, m, fields)
		}
	}
	st, row, err := p.csvRow(line, rec, func(names []string) any {
		idx := make([]int, len(fields))
		for i, f := range fields {
			idx[i] = colIndex(names, f.name)
		}
		return idx
	})
	if err != nil {
		return err
	}
	idx := st.cols.([]int)
	var v mappedValues
	for i, f := range fields {
		c := cell(row, idx[i])
		if len(c) == 0 {
			continue
		}
		if err := p.mappedSet(rec, &v, f, c, false); err != nil {
			return err
		}
	}
	return finishMapped(rec, &v, m)
}

// mappedJSON reads a JSON line, reaching into nested objects for dotted
// names.
func (p *parser) mappedJSON(line []byte, rec *record.Record, m *Mapping, fields []mappedField) error {
	var v mappedValues
	var walk func(prefix string, obj []byte, depth int) error
	walk = func(prefix string, obj []byte, depth int) error {
		return jsonx.ObjectEach(obj, func(k, val []byte) error {
			name := prefix + strings.ToLower(string(k))
			for _, f := range fields {
				if f.name == name {
					if jsonx.IsNull(val) {
						return nil
					}
					return p.mappedSet(rec, &v, f, val, true)
				}
			}
			if jsonx.Kind(val) == '{' && depth < 3 {
				for _, f := range fields {
					if strings.HasPrefix(f.name, name+".") {
						return walk(name+".", val, depth+1)
					}
				}
			}
			return nil
		})
	}
	if err := walk("", line, 0); err != nil {
		return err
	}
	return finishMapped(rec, &v, m)
}

// mappedSet stores one value; raw is JSON when isJSON, cell text otherwise.
func (p *parser) mappedSet(rec *record.Record, v *mappedValues, f mappedField, raw []byte, isJSON bool) error {
	text := raw
	if isJSON && jsonx.IsString(raw) {
		b, err := jsonx.StringBytes(raw, nil)
		if err != nil {
			return fieldErr(f.name, err)
		}
		text = b
	}
	switch f.kind {
	case fInput, fOutput, fCached, fCacheWrite, fReasoning, fRequests:
		n, present, err := textCount(f.name, text)
		if err != nil {
			return err
		}
		if !present {
			return nil
		}
		switch f.kind {
		case fInput:
			v.in, v.hasTokens = n, true
		case fOutput:
			v.out, v.hasTokens = n, true
		case fCached:
			v.cached = n
		case fCacheWrite:
			v.write = n
		case fReasoning:
			v.reasoning = n
		case fRequests:
			v.calls = n
		}
	case fTime:
		q := raw
		if !isJSON {
			q = append(append([]byte{'"'}, text...), '"')
		}
		t, err := anyTime(f.name, q)
		if err != nil {
			return err
		}
		rec.Time = t
	case fTier:
		rec.Tier = record.ParseTier(strings.ToLower(string(text)))
	case fTag:
		if len(rec.Tags) < maxTags {
			rec.Tags = append(rec.Tags, record.Tag{Key: p.intern([]byte(f.name)), Value: p.intern(text)})
		}
	default:
		s := p.intern(text)
		switch f.kind {
		case fModel:
			rec.Model = s
		case fProvider:
			rec.Provider = s
		case fUser:
			rec.User = s
		case fProject:
			rec.Project = s
		case fConversation:
			rec.ConversationID = s
		}
	}
	return nil
}

func finishMapped(rec *record.Record, v *mappedValues, m *Mapping) error {
	if rec.Provider == "" {
		rec.Provider = m.DefaultProvider
	}
	if v.calls > 0 {
		rec.Calls = v.calls
	}
	if !v.hasTokens {
		return nil // a call without usage: counted, not priced
	}
	in := v.in
	if m.InputIncludesCached {
		in -= v.cached + v.write
		if in < 0 {
			return fmt.Errorf("%s: cached and cache-write tokens (%d) exceed the input (%d); set input_includes_cached: false if the columns are disjoint", m.InputTokens, v.cached+v.write, v.in)
		}
	}
	if v.reasoning > v.out {
		return fmt.Errorf("%s: reasoning tokens (%d) exceed the output (%d)", m.ReasoningTokens, v.reasoning, v.out)
	}
	rec.InputTokens, rec.CacheReadTokens, rec.CacheWrite5mTokens = in, v.cached, v.write
	rec.OutputTokens, rec.ReasoningTokens = v.out, v.reasoning
	rec.HasUsage = true
	return nil
}
