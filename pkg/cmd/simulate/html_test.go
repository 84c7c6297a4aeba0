package simulate

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/internal/htmltest"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/report"
)

// simulateOut runs the command and returns its standard output.
func simulateOut(t *testing.T, args ...string) string {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	cmd := newTestCmd(&cmdutil.Factory{IOStreams: ios, Now: testNow, Quiet: true}, nil)
	cmd.SetArgs(append([]string{"--workers", "2"}, args...))
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	return out.String()
}

func near(t *testing.T, what string, got float64, want report.Money) {
	t.Helper()
	w, _ := want.Float64()
	if math.Abs(got-w) > 1e-9*math.Max(1, math.Abs(w)) {
		t.Errorf("%s: %v, want %s", what, got, want)
	}
}

// The HTML page of the crafted logs carries the JSON report's numbers: the
// waterfall's steps are the stack's stages, the levers-alone bars each
// scenario's simulated cost, and every scenario has its section with its
// figures; routing's caveat stands next to its saving. The page is written
// to --out-file like any other format.
func TestSimulateHTMLPage(t *testing.T) {
	t.Chdir("../../..")
	args := []string{"--config", "testdata/simulate/scenarios.yaml", "testdata/simulate/logs/"}
	var doc report.SimulateReport
	if err := json.Unmarshal([]byte(simulateOut(t, append(args, "--format", "json")...)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Stacked == nil || len(doc.Scenarios) < 2 {
		t.Fatalf("the fixture should stack several levers: %d scenarios", len(doc.Scenarios))
	}
	file := filepath.Join(t.TempDir(), "savings.html")
	if out := simulateOut(t, append(args, "--format", "html", "--out-file", file)...); out != "" {
		t.Errorf("stdout %q with --out-file", out)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	h := htmltest.SelfContained(t, page)

	wf := htmltest.One(t, h, "figure", "data-chart=savings-waterfall")
	cols := htmltest.All(wf, "rect", "data-kind=")
	if len(cols) != len(doc.Stacked.Stages)+2 {
		t.Fatalf("%d waterfall columns for %d stages", len(cols), len(doc.Stacked.Stages))
	}
	near(t, "start", htmltest.Float(t, cols[0], "data-value"), doc.Baseline.CostUSD)
	for i, st := range doc.Stacked.Stages {
		c := cols[i+1]
		if htmltest.Attr(c, "data-kind") != "step" || htmltest.Attr(c, "data-label") != st.Title {
			t.Errorf("step %d: %v, want %s", i, c.Attr, st.Title)
		}
		near(t, st.Name+" step", htmltest.Float(t, c, "data-value"), report.Money{Decimal: st.SavingsUSD.Neg()})
		near(t, st.Name+" level", htmltest.Float(t, c, "data-to"), st.CostUSD)
	}
	end := cols[len(cols)-1]
	if htmltest.Attr(end, "data-kind") != "end" {
		t.Errorf("last column %v", end.Attr)
	}
	near(t, "end", htmltest.Float(t, end, "data-value"), doc.Stacked.SimulatedUSD)

	sims := htmltest.All(htmltest.One(t, h, "figure", "data-chart=levers-alone"), "rect", "data-series=simulated")
	all := append(append([]report.SimScenario(nil), doc.Scenarios...), *doc.Stacked)
	if len(sims) != len(all) {
		t.Fatalf("%d levers-alone bars for %d scenarios and the stack", len(sims), len(all))
	}
	for i, s := range all {
		if !strings.HasPrefix(htmltest.Attr(sims[i], "data-label"), s.Title+" (") {
			t.Errorf("bar %d: %q, want %s", i, htmltest.Attr(sims[i], "data-label"), s.Title)
		}
		near(t, s.Name+" alone", htmltest.Float(t, sims[i], "data-value"), s.SimulatedUSD)
	}

	for _, s := range all {
		sec := htmltest.One(t, h, "section", "id=scenario-"+s.Name)
		txt := htmltest.Text(sec)
		for _, f := range s.Figures {
			if !strings.Contains(txt, f.Label) {
				t.Errorf("%s: figure %q missing", s.Name, f.Label)
			}
		}
		for _, tb := range s.Tables {
			if len(tb.Rows) > 0 && !strings.Contains(txt, tb.Title) {
				t.Errorf("%s: table %q missing", s.Name, tb.Title)
			}
		}
		for _, a := range s.Assumptions {
			if !strings.Contains(txt, a) {
				t.Errorf("%s: assumption %.40q… missing", s.Name, a)
			}
		}
		if s.Caveat != "" {
			alert := htmltest.All(sec, "div", "class=alert warn")
			if len(alert) == 0 || !strings.Contains(htmltest.Text(alert[0]), s.Caveat) {
				t.Errorf("%s: caveat not beside the saving", s.Name)
			}
		}
		if s.Estimated && !strings.Contains(txt, "~$"+usdText(s.SimulatedUSD)) {
			t.Errorf("%s: estimated simulated cost not marked", s.Name)
		}
	}
	head := htmltest.Text(htmltest.One(t, h, "header"))
	if doc.Period.From == "" || !strings.Contains(head, "Logs "+doc.Period.From+" to "+doc.Period.To+" · ") ||
		!strings.Contains(head, "baseline $"+usdText(doc.Baseline.CostUSD)) {
		t.Errorf("the header lacks the log window or the baseline: %q", head)
	}
	for _, secret := range []string{"Summarize this quarterly update", "Why is this query slow", "Prove step by step"} {
		if strings.Contains(page, secret) {
			t.Errorf("prompt text %q in the page", secret)
		}
	}
}

// usdText is the page's money format for amounts of a dollar or more
// (two decimals), enough to find a figure.
func usdText(m report.Money) string {
	if m.Abs().LessThan(decimal.NewFromInt(1)) {
		return m.StringFixed(4)
	}
	return m.StringFixed(2)
}
