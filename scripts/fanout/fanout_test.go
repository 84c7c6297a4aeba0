// Package fanout holds the local fan-out recipe (fanout.sh) and its
// end-to-end test: analyze shards in parallel with --partial, merge, and get
// the report of one run over all shards.
package fanout

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestFanoutEqualsOneRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	for _, tool := range []string{"bash", "xargs"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "llmcost")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/llmcost")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	shards, _ := filepath.Glob("../../testdata/samples/*.jsonl")
	if len(shards) < 3 {
		t.Fatal("no sample shards")
	}
	for _, flags := range []string{"", "--group-by day,model"} {
		fan := exec.Command("bash", append([]string{"fanout.sh", "-j", "2"}, shards...)...)
		fan.Env = append(os.Environ(), "LLMCOST="+bin, "LLMCOST_ANALYZE_FLAGS="+flags)
		var stderr bytes.Buffer
		fan.Stderr = &stderr
		merged, err := fan.Output()
		if err != nil {
			t.Fatalf("fanout.sh (%s): %v\n%s", flags, err, stderr.String())
		}
		args := []string{"analyze", "--format", "json"}
		if flags != "" {
			args = append(args, "--group-by", "day,model")
		}
		whole, err := exec.Command(bin, append(args, shards...)...).Output()
		if err != nil {
			t.Fatal(err)
		}
		// Waste findings see repeats across the whole log; merged shards
		// can only add theirs up (and say so). Everything else is equal.
		if a, b := withoutWaste(t, merged), withoutWaste(t, whole); !bytes.Equal(a, b) {
			t.Errorf("fan-out report (%s) differs from one run over the shards", flags)
		}
	}
	// A shard that cannot be read fails the fan-out.
	fan := exec.Command("bash", "fanout.sh", shards[0], filepath.Join(dir, "missing.jsonl"))
	fan.Env = append(os.Environ(), "LLMCOST="+bin)
	if err := fan.Run(); err == nil {
		t.Error("fan-out with a missing shard succeeded")
	}
}

// withoutWaste re-encodes a JSON report without its "waste" member.
func withoutWaste(t *testing.T, doc []byte) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "waste")
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
