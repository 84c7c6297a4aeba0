package report

import (
	"strings"
	"testing"
)

// TestSimulateSchemaStable pins the fields of the simulate document, schema
// version 1: removing or renaming one breaks users and needs a new
// SchemaVersion.
func TestSimulateSchemaStable(t *testing.T) {
	lines := strings.Join(SimulateSchemaLines(), "\n") + "\n"
	for _, f := range []string{
		"schema_version integer", "kind string", "period object", "inputs array of objects", "coverage object",
		"baseline object", "baseline.cost_usd number (USD)", "baseline.requests integer", "baseline.calls integer",
		"baseline.lines array of objects", "baseline.lines[].model string", "baseline.lines[].tier string",
		"scenarios array of objects", "scenarios[].name string", "scenarios[].baseline_usd number (USD)",
		"scenarios[].simulated_usd number (USD)", "scenarios[].savings_usd number (USD)", "scenarios[].savings_share number",
		"scenarios[].affected_requests integer", "scenarios[].estimated boolean", "scenarios[].caveat string",
		"scenarios[].figures array of objects", "scenarios[].figures[].key string", "scenarios[].figures[].value number (USD)",
		"scenarios[].tables array of objects", "scenarios[].tables[].rows array of map",
		"scenarios[].assumptions array of string", "scenarios[].stages array of objects", "scenarios[].bill object, as baseline",
		"stacked object, as scenarios[]", "request_text object", "unpriced array of objects", "warnings array of string",
		"partial object", "partial.settings string", "partial.shard_key string", "partial.shard integer", "partial.shards integer",
		"partial.other_shard_records integer", "partial.notes array of string", "scenarios[].figures[].merge string",
		"scenarios[].figures[].ratio_of array of string", "scenarios[].tables[].columns[].merge string",
	} {
		if !strings.Contains(lines, f+"\n") {
			t.Errorf("simulate schema lacks %q", f)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("  - ", "    ", "one two three four five six", 14)
	want := "  - one two\n    three four\n    five six"
	if got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

func TestMergeWarnings(t *testing.T) {
	got := mergeWarnings([][]string{
		{"352 requests carry no prompt text", "routing: no labels", "output: 20 models have fewer than 20 requests"},
		{"routing: no labels", "1,048 requests carry no prompt text", "output: 3 models have fewer than 20 requests"},
		{"output: 5 models have fewer than 20 requests"},
		{"output: 7 models have fewer than 20 requests"},
	})
	want := []string{
		"1,400 requests carry no prompt text",
		"routing: no labels",
		"output: 20 models have fewer than 20 requests (in other shards: output: 3 models have fewer than 20 requests; output: 5 models have fewer than 20 requests; …)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("mergeWarnings =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
