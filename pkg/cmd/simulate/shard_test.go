package simulate

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/report"
)

func loadSim(t *testing.T, s string) *report.SimulateReport {
	t.Helper()
	r, err := report.LoadSimulate(strings.NewReader(s))
	if err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	return r
}

// billsEqual compares what must add up exactly: every bill, line by line.
func billsEqual(t *testing.T, what string, got, want report.SimBill) {
	t.Helper()
	if !got.CostUSD.Equal(want.CostUSD.Decimal) || got.Requests != want.Requests || got.Calls != want.Calls || got.Tokens != want.Tokens {
		t.Errorf("%s: bill %s over %d requests (%d calls, %+v), want %s over %d (%d, %+v)", what,
			got.CostUSD, got.Requests, got.Calls, got.Tokens, want.CostUSD, want.Requests, want.Calls, want.Tokens)
	}
	if len(got.Lines) != len(want.Lines) {
		t.Errorf("%s: %d bill lines, want %d", what, len(got.Lines), len(want.Lines))
		return
	}
	for i := range got.Lines {
		g, w := got.Lines[i], want.Lines[i]
		if g.Model != w.Model || g.Tier != w.Tier || g.Calls != w.Calls || !g.CostUSD.Equal(w.CostUSD.Decimal) || g.Tokens != w.Tokens {
			t.Errorf("%s: line %d = %+v, want %+v", what, i, g, w)
		}
	}
}

// Simulating the shards of a log and merging them gives the simulation of
// the whole log: for every scenario that treats requests on their own, and
// for prompt caching split by prefix, the bills, affected requests, stages
// and additive figures are equal to the cent, whatever the number of
// shards.
func TestShardsMergeToTheWhole(t *testing.T) {
	logs := "../../../testdata/simulate/logs/"
	args := []string{"--scenario", "routing,history,promptcache,batch", "--format", "json", logs}
	whole := loadSim(t, simulateOut(t, args...))
	for _, n := range []int{1, 2, 3, 5} {
		t.Run(fmt.Sprint(n, " shards"), func(t *testing.T) {
			var parts []*report.SimulateReport
			order := rand.New(rand.NewSource(int64(n))).Perm(n) // the merge does not depend on the order
			for _, i := range order {
				out := simulateOut(t, append([]string{"--partial", "--shard-key", "prefix", "--shard", fmt.Sprintf("%d/%d", i, n)}, args...)...)
				p := loadSim(t, out)
				if p.Partial == nil || p.Partial.Shards != n || p.Partial.Shard != i || p.Partial.ShardKey != "prefix" {
					t.Fatalf("shard %d/%d: partial = %+v", i, n, p.Partial)
				}
				parts = append(parts, p)
			}
			m, err := report.MergeSimulate(parts...)
			if err != nil {
				t.Fatal(err)
			}
			billsEqual(t, "baseline", m.Baseline, whole.Baseline)
			if m.Coverage != whole.Coverage {
				t.Errorf("coverage = %+v, want %+v", m.Coverage, whole.Coverage)
			}
			if m.RequestText != whole.RequestText || m.Period != whole.Period {
				t.Errorf("text %+v period %+v, want %+v %+v", m.RequestText, m.Period, whole.RequestText, whole.Period)
			}
			scs := append(slices.Clone(m.Scenarios), *m.Stacked)
			want := append(slices.Clone(whole.Scenarios), *whole.Stacked)
			for i := range want {
				g, w := scs[i], want[i]
				billsEqual(t, w.Name, g.Bill, w.Bill)
				if !g.SavingsUSD.Equal(w.SavingsUSD.Decimal) || g.SavingsShare != w.SavingsShare || g.AffectedRequests != w.AffectedRequests ||
					!g.AffectedBaselineUSD.Equal(w.AffectedBaselineUSD.Decimal) || !g.AffectedSimulatedUSD.Equal(w.AffectedSimulatedUSD.Decimal) {
					t.Errorf("%s: saving %s (%v) on %d affected, want %s (%v) on %d", w.Name, g.SavingsUSD, g.SavingsShare, g.AffectedRequests,
						w.SavingsUSD, w.SavingsShare, w.AffectedRequests)
				}
				figs := map[string]report.Money{}
				for _, f := range g.Figures {
					figs[f.Key] = f.Value
				}
				for _, f := range w.Figures {
					v, ok := figs[f.Key]
					if !ok {
						if f.Key != "cache_entries_max" && !strings.Contains(f.Key, "random") {
							t.Errorf("%s: figure %s left out of the merge", w.Name, f.Key)
						}
						continue
					}
					if f.Key == "cache_entries_max" || strings.Contains(f.Key, "random_router") {
						continue // largest per shard; expectation under per-shard shares
					}
					if !v.Equal(f.Value.Decimal) {
						t.Errorf("%s: figure %s = %s, want %s", w.Name, f.Key, v, f.Value)
					}
				}
				for j := range g.Stages {
					if !g.Stages[j].CostUSD.Equal(w.Stages[j].CostUSD.Decimal) || g.Stages[j].AffectedRequests != w.Stages[j].AffectedRequests {
						t.Errorf("%s: stage %s = %s (%d), want %s (%d)", w.Name, g.Stages[j].Name, g.Stages[j].CostUSD, g.Stages[j].AffectedRequests,
							w.Stages[j].CostUSD, w.Stages[j].AffectedRequests)
					}
				}
			}
		})
	}
}

// Split by conversation, prompt caching loses the hits across shards: the
// merge says so, and the merged saving is at most the whole log's.
func TestShardsApproximate(t *testing.T) {
	logs := "../../../testdata/simulate/logs/promptcache.jsonl"
	args := []string{"--scenario", "promptcache", "--format", "json", logs}
	whole := loadSim(t, simulateOut(t, args...))
	var parts []*report.SimulateReport
	for i := 0; i < 4; i++ {
		parts = append(parts, loadSim(t, simulateOut(t, append([]string{"--partial", "--shard-key", "conversation", "--shard", fmt.Sprintf("%d/4", i)}, args...)...)))
	}
	if len(parts[0].Partial.Notes) != 1 || !strings.Contains(parts[0].Partial.Notes[0], "promptcache") {
		t.Errorf("notes = %q", parts[0].Partial.Notes)
	}
	m, err := report.MergeSimulate(parts...)
	if err != nil {
		t.Fatal(err)
	}
	if m.Scenarios[0].SavingsUSD.GreaterThan(whole.Scenarios[0].SavingsUSD.Decimal) {
		t.Errorf("merged saving %s above the whole log's %s", m.Scenarios[0].SavingsUSD, whole.Scenarios[0].SavingsUSD)
	}
	if !slices.ContainsFunc(m.Warnings, func(w string) bool { return strings.Contains(w, "merged from shards: promptcache") }) {
		t.Errorf("warnings = %q", m.Warnings)
	}
	billsEqual(t, "baseline", m.Baseline, whole.Baseline)
}

// The merge refuses what would be wrong: a missing or repeated shard, other
// settings, a report that is not partial.
func TestShardsMergeErrors(t *testing.T) {
	logs := "../../../testdata/simulate/logs/promptcache.jsonl"
	part := func(extra ...string) *report.SimulateReport {
		return loadSim(t, simulateOut(t, append(extra, "--scenario", "promptcache,batch", logs)...))
	}
	s0 := part("--partial", "--shard-key", "prefix", "--shard", "0/3")
	s1 := part("--partial", "--shard-key", "prefix", "--shard", "1/3")
	s2 := part("--partial", "--shard-key", "prefix", "--shard", "2/3")
	other := part("--partial", "--shard-key", "prefix", "--shard", "2/3", "--no-stack")
	byUser := part("--partial", "--shard-key", "user", "--shard", "2/3")
	whole := loadSim(t, simulateOut(t, "--format", "json", "--scenario", "promptcache,batch", logs))
	tests := []struct {
		name string
		reps []*report.SimulateReport
		want string
	}{
		{"missing", []*report.SimulateReport{s0, s2}, "shards 1 of 3 are missing"},
		{"twice", []*report.SimulateReport{s0, s1, s1, s2}, "are the same shard"},
		{"other settings", []*report.SimulateReport{s0, s1, other}, "other settings"},
		{"other key", []*report.SimulateReport{s0, s1, byUser}, "another split"},
		{"not partial", []*report.SimulateReport{s0, whole}, "not partial"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := report.MergeSimulate(tt.reps...); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// The command line: --shard needs a key and --partial; --partial writes
// JSON; merge and render read the shards' files.
func TestShardFlags(t *testing.T) {
	logs := "../../../testdata/simulate/logs/promptcache.jsonl"
	run := func(args ...string) (string, error) {
		ios, _, out, errOut := iostreams.Test()
		cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow, Quiet: true}, nil)
		cmd.SetArgs(args)
		err := cmd.ExecuteContext(context.Background())
		return out.String() + errOut.String(), err
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "0/2", logs}, "--shard needs --shard-key"},
		{[]string{"--shard", "0/2", "--shard-key", "user", logs}, "add --partial"},
		{[]string{"--partial", "--format", "markdown", logs}, "--partial writes a JSON report"},
		{[]string{"--partial", "--shard-key", "user", "--shard", "2/2", logs}, "want i/n"},
		{[]string{"--partial", "--shard-key", "session", "--shard", "0/2", logs}, "valid values are"},
	} {
		if _, err := run(tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.args, err, tt.want)
		}
	}
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		p := filepath.Join(dir, fmt.Sprintf("s%d.json", i))
		if _, err := run("--partial", "--shard-key", "prefix", "--shard", fmt.Sprintf("%d/2", i), "--scenario", "promptcache", "-o", p, logs); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(p); !strings.Contains(string(data), `"shard_key": "prefix"`) {
			t.Fatalf("%s: %s", p, data)
		}
	}
}
