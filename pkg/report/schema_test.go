package report

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateReadme = flag.Bool("update", false, "rewrite the README schema block and golden files")

const (
	schemaBegin = "<!-- schema:begin -->"
	schemaEnd   = "<!-- schema:end -->"
)

// TestReadmeSchema keeps the README's list of JSON fields in step with the
// Go types (a contract test: a renamed or removed field fails here).
func TestReadmeSchema(t *testing.T) {
	path := "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i, j := strings.Index(s, schemaBegin), strings.Index(s, schemaEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %s … %s block", schemaBegin, schemaEnd)
	}
	want := schemaBegin + "\n```\n" + strings.Join(SchemaLines(), "\n") + "\n```\n"
	got := s[i:j]
	if got == want {
		return
	}
	if *updateReadme {
		if err := os.WriteFile(path, []byte(s[:i]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's JSON schema is out of date with the Go types; run go test ./pkg/report -update")
}

// TestSchemaStable pins the top-level fields of schema version 1: removing
// or renaming one breaks users and needs a new SchemaVersion.
func TestSchemaStable(t *testing.T) {
	lines := strings.Join(SchemaLines(), "\n") + "\n"
	for _, f := range []string{
		"schema_version integer", "kind string", "period object", "inputs array of objects", "coverage object",
		"coverage.priced integer", "coverage.unknown_model integer", "coverage.malformed integer",
		"totals object", "totals.cost_usd number (USD)", "totals.cache_hit_share number", "totals.output_input_ratio number",
		"totals.tokens object, as by_day.rows[].tokens", "by_model object, as by_day", "by_day.rows[].key map of string",
		"by_day.rows[].cost_usd number (USD)", "by_day.rows[].tokens.cache_write_1h integer", "by_day object",
		"by_tag array of objects, as by_day", "groups object, as by_day", "top_drivers object, as by_day", "unpriced array of objects", "problems array of objects", "warnings array of string",
	} {
		if !strings.Contains(lines, f+"\n") {
			t.Errorf("schema lacks %q", f)
		}
	}
}
