package root

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	code = Run(context.Background(), ios, args, func(string) string { return "" })
	return code, out.String(), errOut.String()
}

// `llmcost help environment` names the variable of every flag of every
// command, the colour and location variables, and the config file's keys.
func TestHelpEnvironment(t *testing.T) {
	code, out, errOut := runCLI(t, "help", "environment")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	f := &cmdutil.Factory{IOStreams: iostreams.System(), Now: time.Now}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			if fl.Name == "help" || fl.Name == "version" {
				return
			}
			if !strings.Contains(out, "  "+envName(fl.Name)+" ") && !strings.Contains(out, "  "+envName(fl.Name)+"\n") {
				t.Errorf("%s --%s: %s missing", c.CommandPath(), fl.Name, envName(fl.Name))
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewCmdRoot(f, func(string) string { return "" }))
	for _, want := range []string{"NO_COLOR", "CLICOLOR ", "CLICOLOR_FORCE", "CI ", "CLAUDE_CONFIG_DIR", "XDG_CONFIG_HOME",
		"LLMCOST_QUIET", "LLMCOST_CONFIG", "llmcost.yaml", "gate.rules", "prompts", "group-by: [day, model]"} {
		if !strings.Contains(out, want) {
			t.Errorf("help environment lacks %q", want)
		}
	}
	// The commands that read a variable are listed with it.
	if !strings.Contains(out, "LLMCOST_GROUP_BY              analyze\n") {
		t.Errorf("LLMCOST_GROUP_BY line:\n%s", out)
	}
	// The same text from `llmcost environment` and its --help, and the root
	// help lists the topic.
	for _, args := range [][]string{{"environment"}, {"environment", "--help"}} {
		if _, got, _ := runCLI(t, args...); got != out {
			t.Errorf("llmcost %s differs from llmcost help environment", strings.Join(args, " "))
		}
	}
	if _, root, _ := runCLI(t, "--help"); !strings.Contains(root, "Additional help topics:") || !strings.Contains(root, "llmcost environment") {
		t.Errorf("root help does not list the topic:\n%s", root)
	}
}

// Each variable line keeps its commands in a column and wraps at 80.
func TestEnvLine(t *testing.T) {
	got := envLine("LLMCOST_FORMAT", []string{"analyze", "breakeven", "check", "compress", "diff", "gpu fit", "gpu instances", "merge", "pricing list"})
	want := "  LLMCOST_FORMAT                analyze, breakeven, check, compress, diff,\n" +
		"                                gpu fit, gpu instances, merge, pricing list\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := envLine("LLMCOST_FAIL_ON_OUTPUT_TOKENS_PER_REQUEST_PCT", []string{"check"}); got != "  LLMCOST_FAIL_ON_OUTPUT_TOKENS_PER_REQUEST_PCT\n                                check\n" {
		t.Errorf("long name: %q", got)
	}
}

// `llmcost completion <shell>` writes each shell's script (cobra's), and
// the script completes the --format values.
func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash":       "# bash completion V2 for llmcost",
		"zsh":        "#compdef llmcost",
		"fish":       "# fish completion for llmcost",
		"powershell": "# powershell completion for llmcost",
	} {
		code, out, errOut := runCLI(t, "completion", shell)
		if code != 0 || errOut != "" || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, stderr %q, output starts %.80q", shell, code, errOut, out)
		}
	}
	// An unknown shell gets the list of shells.
	if _, out, _ := runCLI(t, "completion", "tcsh"); !strings.Contains(out, "powershell") {
		t.Errorf("completion tcsh: %.200q", out)
	}
	// The scripts call back into llmcost: check the answers they get.
	code, out, _ := runCLI(t, "__complete", "analyze", "--format", "")
	if code != 0 || !strings.HasPrefix(out, "table\njson\ncsv\nmarkdown\nhtml\n:4\n") {
		t.Errorf("__complete analyze --format: exit %d\n%s", code, out)
	}
	_, out, _ = runCLI(t, "__complete", "")
	for _, cmd := range []string{"analyze", "breakeven", "completion", "diff"} {
		if !strings.Contains(out, "\n"+cmd+"\t") && !strings.HasPrefix(out, cmd+"\t") {
			t.Errorf("__complete lacks the %s command:\n%s", cmd, out)
		}
	}
}
