package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/report"
	"github.com/llmcost/llmcost/pkg/tokenize"
)

// Prompt diffs: how much a change to prompt templates costs a month, as the
// token delta of each template × its expected calls a month × the model's
// input price. The old side is a git ref (the prompts as they are there) or
// a file/directory; the new side is the working tree or a file/directory.

// PromptCommentMarker is the hidden first line of a prompt diff's Markdown,
// distinct from the cost diff's so both comments can live on one PR.
const PromptCommentMarker = "<!-- llmcost-prompt-diff -->"

// PromptOptions are the inputs of `llmcost diff --prompts`.
type PromptOptions struct {
	IO      *iostreams.IOStreams
	Catalog func() (*pricing.Catalog, error)
	Config  func(string) any
	Now     func() time.Time

	// Ref is a git revision (old side) when Old is empty.
	Ref      string
	Old, New string
	Paths    []string
	// Model and CallsPerMonth apply to prompts the config does not describe.
	Model         string
	CallsPerMonth float64
	Format        string
	OutFile       string
}

// PromptConfig describes one template in llmcost.yaml:
//
//	prompts:
//	  prompts/support.txt: {model: gpt-4o, calls_per_month: 2100000}
type PromptConfig struct {
	Model         string  `json:"model"`
	CallsPerMonth float64 `json:"calls_per_month"`
}

// PromptChange is one template's row of the document.
type PromptChange struct {
	Path          string  `json:"path"`
	Change        string  `json:"change"` // added, removed, changed, unchanged
	Model         string  `json:"model"`
	TokensBefore  int64   `json:"tokens_before"`
	TokensAfter   int64   `json:"tokens_after"`
	TokensDelta   int64   `json:"tokens_delta"`
	Estimated     bool    `json:"estimated"`
	CallsPerMonth float64 `json:"calls_per_month"`
	// InputPer1M is the model's input price used, USD per 1M tokens.
	InputPer1M        report.Money `json:"input_per_1m_usd"`
	MonthlyDeltaUSD   report.Money `json:"monthly_delta_usd"`
	PerCallDeltaUSD   report.Money `json:"per_call_delta_usd"`
	CallsFromDefaults bool         `json:"calls_from_defaults"`
}

// PromptDiff is the document.
type PromptDiff struct {
	SchemaVersion   int            `json:"schema_version"`
	Kind            string         `json:"kind"`
	Old             string         `json:"old"`
	New             string         `json:"new"`
	Prompts         []PromptChange `json:"prompts"`
	MonthlyDeltaUSD report.Money   `json:"monthly_delta_usd"`
}

// AddPromptFlags binds the prompt-diff flags.
func AddPromptFlags(cmd *cobra.Command, o *PromptOptions) {
	fl := cmd.Flags()
	fl.StringVar(&o.Ref, "prompts", "", "diff prompt templates against this git `<ref>` (e.g. origin/main) instead of reports")
	fl.StringVar(&o.Old, "prompts-old", "", "old prompt `<file|dir>` (instead of a git ref)")
	fl.StringVar(&o.New, "prompts-new", "", "new prompt `<file|dir>` (default: the working tree)")
	fl.StringVar(&o.Model, "model", "gpt-4o", "model of templates the config does not describe")
	fl.Float64Var(&o.CallsPerMonth, "calls-per-month", 0, "expected calls a month of templates the config does not describe")
}

// Enabled reports whether the command line asked for a prompt diff.
func (o *PromptOptions) Enabled() bool { return o.Ref != "" || o.Old != "" }

// source reads prompt files of one side.
type source interface {
	list(paths []string) ([]string, error)
	read(path string) ([]byte, bool, error)
	name() string
}

type dirSource struct{ root string }

func (d dirSource) name() string { return d.root }

func (d dirSource) list(_ []string) ([]string, error) {
	st, err := os.Stat(d.root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{""}, nil
	}
	var out []string
	err = filepath.WalkDir(d.root, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(d.root, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	return out, err
}

func (d dirSource) read(rel string) ([]byte, bool, error) {
	p := d.root
	if rel != "" {
		p = filepath.Join(d.root, rel)
	}
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// treeSource reads the working tree at the given paths.
type treeSource struct{}

func (treeSource) name() string { return "working tree" }

func (treeSource) list(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, filepath.ToSlash(p))
			continue
		}
		err = filepath.WalkDir(p, func(q string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				out = append(out, filepath.ToSlash(q))
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (treeSource) read(p string) ([]byte, bool, error) {
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// gitSource reads files as they are at a git revision.
type gitSource struct{ ref string }

func (g gitSource) name() string { return g.ref }

func (g gitSource) list(paths []string) ([]string, error) {
	args := append([]string{"ls-tree", "-r", "--name-only", "--full-tree", g.ref, "--"}, paths...)
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-tree %s: %w", g.ref, gitErr(err))
	}
	var files []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			files = append(files, l)
		}
	}
	return files, nil
}

func (g gitSource) read(p string) ([]byte, bool, error) {
	out, err := exec.Command("git", "show", g.ref+":"+p).Output()
	if err != nil {
		return nil, false, nil // not in that revision
	}
	return out, true, nil
}

func gitErr(err error) error {
	if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
		return fmt.Errorf("%s", strings.TrimSpace(string(ee.Stderr)))
	}
	return err
}

// ComparePrompts builds the prompt diff.
func ComparePrompts(ctx context.Context, o *PromptOptions) (*PromptDiff, error) {
	var oldSrc, newSrc source
	switch {
	case o.Old != "":
		oldSrc = dirSource{o.Old}
		if o.New == "" {
			return nil, cmdutil.FlagErrorf("--prompts-old needs --prompts-new")
		}
		newSrc = dirSource{o.New}
	default:
		oldSrc = gitSource{o.Ref}
		newSrc = treeSource{}
		if o.New != "" {
			newSrc = dirSource{o.New}
		}
		if len(o.Paths) == 0 {
			return nil, cmdutil.FlagErrorf("--prompts needs the prompt files or directories to compare")
		}
	}
	oldFiles, err := oldSrc.list(o.Paths)
	if err != nil {
		return nil, err
	}
	newFiles, err := newSrc.list(o.Paths)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, f := range append(oldFiles, newFiles...) {
		set[f] = true
	}
	files := make([]string, 0, len(set))
	for f := range set {
		files = append(files, f)
	}
	sort.Strings(files)

	cat, err := o.Catalog()
	if err != nil {
		return nil, err
	}
	conf := promptConfig(o.Config)
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	doc := &PromptDiff{SchemaVersion: report.SchemaVersion, Kind: "prompt-diff", Old: oldSrc.name(), New: newSrc.name(),
		Prompts: []PromptChange{}, MonthlyDeltaUSD: report.Money{Decimal: decimal.Zero}}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		before, inOld, err := oldSrc.read(f)
		if err != nil {
			return nil, err
		}
		after, inNew, err := newSrc.read(f)
		if err != nil {
			return nil, err
		}
		pc := PromptChange{Path: f, Model: o.Model, CallsPerMonth: o.CallsPerMonth, CallsFromDefaults: true}
		if pc.Path == "" {
			pc.Path = filepath.Base(o.New)
		}
		if c, ok := conf[pc.Path]; ok {
			if c.Model != "" {
				pc.Model = c.Model
			}
			if c.CallsPerMonth > 0 {
				pc.CallsPerMonth, pc.CallsFromDefaults = c.CallsPerMonth, false
			}
		}
		counter, err := tokenize.ForModel("", pc.Model)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pc.Path, err)
		}
		m, ok := cat.Resolve("", pc.Model)
		if !ok {
			return nil, fmt.Errorf("%s: unknown model %q (see `llmcost pricing list`)", pc.Path, pc.Model)
		}
		p := m.PriceAt(now())
		if p == nil {
			return nil, fmt.Errorf("%s: no price in force for %s", pc.Path, pc.Model)
		}
		pc.Estimated = !counter.Exact()
		pc.TokensBefore, pc.TokensAfter = int64(counter.Count(before)), int64(counter.Count(after))
		pc.TokensDelta = pc.TokensAfter - pc.TokensBefore
		switch {
		case !inOld:
			pc.Change = "added"
		case !inNew:
			pc.Change = "removed"
		case bytes.Equal(before, after):
			pc.Change = "unchanged"
		default:
			pc.Change = "changed"
		}
		price := p.Base.Standard.Input
		pc.InputPer1M = report.Money{Decimal: price}
		perCall := decimal.NewFromInt(pc.TokensDelta).Mul(price).Shift(-6)
		pc.PerCallDeltaUSD = report.Money{Decimal: perCall}
		pc.MonthlyDeltaUSD = report.Money{Decimal: perCall.Mul(decimal.NewFromFloat(pc.CallsPerMonth)).Round(6)}
		doc.MonthlyDeltaUSD = report.Money{Decimal: doc.MonthlyDeltaUSD.Add(pc.MonthlyDeltaUSD.Decimal)}
		doc.Prompts = append(doc.Prompts, pc)
	}
	return doc, nil
}

func promptConfig(get func(string) any) map[string]PromptConfig {
	out := map[string]PromptConfig{}
	if get == nil {
		return out
	}
	v := get("prompts")
	if v == nil {
		return out
	}
	b, err := json.Marshal(v)
	if err != nil {
		return out
	}
	_ = json.Unmarshal(b, &out)
	return out
}

// Sentence says in words what a change costs, e.g. "adds 340 tokens to
// prompts/support.txt: +$1,240.00/month at 2.1M calls".
func (pc PromptChange) Sentence() string {
	verb := "adds"
	n := pc.TokensDelta
	if n < 0 {
		verb, n = "removes", -n
	}
	est := ""
	if pc.Estimated {
		est = "~"
	}
	s := fmt.Sprintf("%s %s%d tokens %s %s", verb, est, n, map[bool]string{true: "to", false: "from"}[verb == "adds"], pc.Path)
	if pc.CallsPerMonth > 0 {
		s += fmt.Sprintf(": %s/month at %s calls (%s)", signed(pc.MonthlyDeltaUSD), calls(pc.CallsPerMonth), pc.Model)
	} else {
		s += fmt.Sprintf(": %s per call (%s; set calls_per_month to get a monthly figure)", signed(pc.PerCallDeltaUSD), pc.Model)
	}
	return s
}

func signed(m report.Money) string {
	s := "$" + m.Abs().StringFixed(2)
	if m.Abs().LessThan(decimal.NewFromFloat(0.01)) && !m.IsZero() {
		s = "$" + m.Abs().StringFixed(6)
	}
	if m.IsNegative() {
		return "-" + s
	}
	return "+" + s
}

func calls(n float64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1fB", n/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", n/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1fk", n/1e3)
	}
	return fmt.Sprintf("%.0f", n)
}

// WritePrompts renders the prompt diff.
func WritePrompts(w io.Writer, d *PromptDiff, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	case "markdown":
		var b strings.Builder
		b.WriteString(PromptCommentMarker + "\n")
		fmt.Fprintf(&b, "## Prompt changes: %s/month\n\n", signed(d.MonthlyDeltaUSD))
		for _, pc := range d.Prompts {
			if pc.Change != "unchanged" {
				fmt.Fprintf(&b, "- This change %s\n", pc.Sentence())
			}
		}
		b.WriteString("\n| template | change | model | tokens | Δ tokens | calls/month | Δ per month |\n|---|---|---|---:|---:|---:|---:|\n")
		for _, pc := range d.Prompts {
			fmt.Fprintf(&b, "| %s | %s | %s | %d → %d | %+d | %s | %s |\n", pc.Path, pc.Change, pc.Model, pc.TokensBefore, pc.TokensAfter, pc.TokensDelta, calls(pc.CallsPerMonth), signed(pc.MonthlyDeltaUSD))
		}
		_, err := io.WriteString(w, b.String())
		return err
	case "table", "diff", "":
		fmt.Fprintf(w, "Prompt templates: %s → %s\n", d.Old, d.New)
		for _, pc := range d.Prompts {
			sym := map[string]string{"added": "+", "removed": "-", "changed": "~", "unchanged": " "}[pc.Change]
			est := ""
			if pc.Estimated {
				est = " (estimated tokens)"
			}
			fmt.Fprintf(w, "%s %-40s %6d → %6d tokens (%+d)%s, %s, %s calls/month: %s/month\n", sym, pc.Path, pc.TokensBefore, pc.TokensAfter,
				pc.TokensDelta, est, pc.Model, calls(pc.CallsPerMonth), signed(pc.MonthlyDeltaUSD))
		}
		fmt.Fprintf(w, "Total: %s/month\n", signed(d.MonthlyDeltaUSD))
		for _, pc := range d.Prompts {
			if pc.Change != "unchanged" && pc.TokensDelta != 0 {
				fmt.Fprintf(w, "This change %s\n", pc.Sentence())
			}
		}
		return nil
	}
	return fmt.Errorf("unknown format %q", format)
}
