package fanout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const simLogs = "../../testdata/simulate/logs/"

// buildLLMCost builds the binary once per test.
func buildLLMCost(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "llmcost")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/llmcost").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// bills reduces a simulate JSON report to what shards must add up to
// exactly: every bill (cost, requests, tokens, lines) and saving.
func bills(t *testing.T, doc []byte) string {
	t.Helper()
	var r struct {
		Baseline  json.RawMessage `json:"baseline"`
		Scenarios []struct {
			Name     string          `json:"name"`
			Savings  json.RawMessage `json:"savings_usd"`
			Affected int64           `json:"affected_requests"`
			Bill     json.RawMessage `json:"bill"`
		} `json:"scenarios"`
		Stacked *struct {
			Savings json.RawMessage `json:"savings_usd"`
			Bill    json.RawMessage `json:"bill"`
		} `json:"stacked"`
	}
	if err := json.Unmarshal(doc, &r); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "baseline %s\n", r.Baseline)
	for _, s := range r.Scenarios {
		fmt.Fprintf(&b, "%s %s %d %s\n", s.Name, s.Savings, s.Affected, s.Bill)
	}
	if r.Stacked != nil {
		fmt.Fprintf(&b, "stacked %s %s\n", r.Stacked.Savings, r.Stacked.Bill)
	}
	return b.String()
}

func oneRun(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, append([]string{"simulate", "--quiet", "--format", "json"}, args...)...).Output()
	if err != nil {
		t.Fatalf("simulate: %v", err)
	}
	return bills(t, out)
}

// The fixed cap keeps the output lever exact under a split.
const exactFlags = "--scenario routing,history,promptcache,batch"

// simulate.sh: shards simulated in parallel and merged give the bills of
// one run over the whole log.
func TestSimulateFanout(t *testing.T) {
	bin := buildLLMCost(t)
	for _, n := range []string{"1", "3"} {
		fan := exec.Command("bash", "simulate.sh", "-n", n, "-j", "2", "-f", "json", simLogs)
		fan.Env = append(os.Environ(), "LLMCOST="+bin, "LLMCOST_SIMULATE_FLAGS="+exactFlags)
		var stderr bytes.Buffer
		fan.Stderr = &stderr
		merged, err := fan.Output()
		if err != nil {
			t.Fatalf("simulate.sh -n %s: %v\n%s", n, err, stderr.String())
		}
		if got, want := bills(t, merged), oneRun(t, bin, append(strings.Fields(exactFlags), simLogs)...); got != want {
			t.Errorf("%s shards merged:\n%s\nwant:\n%s", n, got, want)
		}
	}
	// A shard that fails (an unknown scenario) fails the fan-out.
	fan := exec.Command("bash", "simulate.sh", "-n", "2", simLogs)
	fan.Env = append(os.Environ(), "LLMCOST="+bin, "LLMCOST_SIMULATE_FLAGS=--scenario teleport")
	if err := fan.Run(); err == nil {
		t.Error("fan-out with failing shards succeeded")
	}
}

// k8s-job.yaml and k8s-merge-job.yaml: their arguments, run locally for
// every completion index with the volumes mapped to local directories,
// merge into the simulation of the whole log.
func TestKubernetesRecipe(t *testing.T) {
	bin := buildLLMCost(t)
	type container struct {
		Args []string `yaml:"args"`
		Env  []struct {
			Name, Value string
		} `yaml:"env"`
	}
	type job struct {
		Kind     string `yaml:"kind"`
		Metadata struct {
			Name string `yaml:"name"`
		} `yaml:"metadata"`
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int    `yaml:"completions"`
			Template       struct {
				Spec struct {
					Containers []container `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	read := func(p string) job {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var j job
		if err := yaml.Unmarshal(data, &j); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if j.Kind != "Job" || len(j.Spec.Template.Spec.Containers) != 1 {
			t.Fatalf("%s: not a one-container Job: %+v", p, j)
		}
		return j
	}
	shards, merge := read("k8s-job.yaml"), read("k8s-merge-job.yaml")
	if shards.Spec.CompletionMode != "Indexed" || shards.Spec.Completions < 2 {
		t.Fatalf("shard job: completionMode %q, %d completions", shards.Spec.CompletionMode, shards.Spec.Completions)
	}
	out := t.TempDir()
	logs, _ := filepath.Abs(simLogs)
	// The ConfigMap: levers whose outcomes add up exactly over a split by
	// prefix (a fixed output cap rather than a percentile).
	config := filepath.Join(t.TempDir(), "scenarios.yaml")
	if err := os.WriteFile(config, []byte("scenarios: [routing, history, output, promptcache, batch]\noutput: {cap: 1000}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	local := func(arg string, env map[string]string) string {
		for k, v := range env {
			arg = strings.ReplaceAll(arg, "$("+k+")", v)
		}
		arg = strings.ReplaceAll(arg, "/logs/", logs+"/")
		arg = strings.ReplaceAll(arg, "/config/scenarios.yaml", config)
		return strings.ReplaceAll(arg, "/out/", out+"/")
	}
	c := shards.Spec.Template.Spec.Containers[0]
	for i := 0; i < shards.Spec.Completions; i++ {
		env := map[string]string{"JOB_COMPLETION_INDEX": strconv.Itoa(i)}
		for _, e := range c.Env {
			env[e.Name] = e.Value
		}
		var args []string
		for _, a := range c.Args {
			args = append(args, local(a, env))
		}
		if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("pod %d: llmcost %q: %v\n%s", i, args, err, b)
		}
	}
	var margs []string
	for _, a := range merge.Spec.Template.Spec.Containers[0].Args {
		margs = append(margs, local(a, nil))
	}
	if b, err := exec.Command(bin, margs...).CombinedOutput(); err != nil {
		t.Fatalf("merge: llmcost %q: %v\n%s", margs, err, b)
	}
	md, err := os.ReadFile(filepath.Join(out, "savings.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The same merge as JSON equals one run with the same configuration.
	jargs := []string{"merge", "--format", "json", filepath.Join(out, "shard-*.json")}
	merged, err := exec.Command(bin, jargs...).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := oneRun(t, bin, "--config", config, logs)
	if got := bills(t, merged); got != want {
		t.Errorf("Kubernetes recipe merged:\n%s\nwant:\n%s", got, want)
	}
	if !bytes.Contains(md, []byte("# LLM savings simulation")) {
		t.Errorf("savings.md:\n%s", md)
	}
}

// spark-shard.sh, fed the lines spark_pipe.py pipes to it, prints one JSON
// report a line; merged, they give the simulation of the whole log.
func TestSparkShardScript(t *testing.T) {
	bin := buildLLMCost(t)
	const n = 3
	var in strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&in, "%d %d %s\n", i, n, simLogs)
	}
	cmd := exec.Command("sh", "spark-shard.sh")
	cmd.Env = append(os.Environ(), "LLMCOST="+bin, "LLMCOST_SIMULATE_FLAGS="+exactFlags)
	cmd.Stdin = strings.NewReader(in.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("spark-shard.sh: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d lines for %d shards", len(lines), n)
	}
	dir := t.TempDir()
	var paths []string
	for i, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Fatalf("line %d is not one JSON document", i+1)
		}
		p := filepath.Join(dir, fmt.Sprintf("shard-%d.json", i))
		if err := os.WriteFile(p, []byte(l+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	merged, err := exec.Command(bin, append([]string{"merge", "--format", "json"}, paths...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := bills(t, merged), oneRun(t, bin, append(strings.Fields(exactFlags), simLogs)...); got != want {
		t.Errorf("Spark shards merged:\n%s\nwant:\n%s", got, want)
	}
}
