package root

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newHelpTopicEnvironment is `llmcost help environment`: the environment
// variables and the configuration file. The LLMCOST_* list is made from
// the command tree when shown, so it names every flag there is.
func newHelpTopicEnvironment(root *cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "environment",
		Short: "Environment variables and configuration file keys",
		Long:  "Environment variables (LLMCOST_* for every flag, colour, config locations) and the keys of llmcost.yaml.",
	}
	cmd.SetHelpFunc(func(c *cobra.Command, _ []string) {
		fmt.Fprint(c.OutOrStdout(), environmentHelp(root))
	})
	return cmd
}

// envName is the variable that sets a flag.
func envName(flag string) string {
	return "LLMCOST_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// flagCommands maps each flag name to the commands that have it, "every
// command" for the root's persistent flags.
func flagCommands(root *cobra.Command) map[string][]string {
	uses := map[string][]string{}
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) { uses[f.Name] = []string{"every command"} })
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			name := strings.TrimPrefix(sub.CommandPath(), root.Name()+" ")
			sub.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
				if f.Hidden || (len(uses[f.Name]) == 1 && uses[f.Name][0] == "every command") {
					return
				}
				uses[f.Name] = append(uses[f.Name], name)
			})
			walk(sub)
		}
	}
	walk(root)
	delete(uses, "help")
	delete(uses, "version")
	return uses
}

// envLine writes a variable and the commands that read it, the commands
// in a column from envColumn, wrapped at envWidth.
func envLine(name string, commands []string) string {
	const envColumn, envWidth = 32, 80
	var b strings.Builder
	line := "  " + name
	if len(line) >= envColumn-1 {
		b.WriteString(line + "\n")
		line = ""
	}
	for i, w := range commands {
		if i < len(commands)-1 {
			w += ","
		}
		if len(line) > envColumn && len(line)+1+len(w) > envWidth {
			b.WriteString(line + "\n")
			line = ""
		}
		if len(line) < envColumn {
			line += strings.Repeat(" ", envColumn-len(line)) + w
		} else {
			line += " " + w
		}
	}
	b.WriteString(line + "\n")
	return b.String()
}

func environmentHelp(root *cobra.Command) string {
	uses := flagCommands(root)
	names := make([]string, 0, len(uses))
	for n := range uses {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(`ENVIRONMENT

Every flag can be set by an environment variable: LLMCOST_ and the flag's
name in capitals, with underscores for dashes (LLMCOST_OUT_FILE for
--out-file). A flag given on the command line wins over its variable, which
wins over the configuration file. Lists take commas
(LLMCOST_GROUP_BY=day,model), switches true or false (LLMCOST_STRICT=true);
an empty variable counts as unset. The variables and the commands that read
them:

`)
	for _, n := range names {
		b.WriteString(envLine(envName(n), uses[n]))
	}
	b.WriteString(`
  NO_COLOR           set to anything: no colour
  CLICOLOR           0: no colour
  CLICOLOR_FORCE     set and not 0: colour even when standard output is not a
                     terminal (NO_COLOR still wins)
  CI                 set (CI systems set it): no colour
  CLAUDE_CONFIG_DIR  Claude Code's configuration directories, comma-separated,
                     read by analyze --claude-code (default
                     $XDG_CONFIG_HOME/claude and ~/.claude)
  XDG_CONFIG_HOME    where llmcost.yaml is looked for
                     ($XDG_CONFIG_HOME/llmcost/), and Claude Code's logs
  HOME               ~/.config stands for XDG_CONFIG_HOME when it is unset

Progress is shown only when standard error is a terminal; colour and the bar
columns of tables only when standard output is one.

CONFIGURATION FILE

llmcost reads one llmcost.yaml, the first of:

  1. the file given by --config or LLMCOST_CONFIG
  2. ./llmcost.yaml
  3. $XDG_CONFIG_HOME/llmcost/llmcost.yaml (else ~/.config/llmcost/llmcost.yaml)

Its keys are flag names, at the top level (for every command that has the
flag) or under a command's name (that command only, which wins; for
subcommands the last word: list for pricing list). Lists may be YAML lists:

  pricing-file: prices/negotiated.json
  quiet: true
  analyze:
    format: markdown
    group-by: [day, model]

These keys are not flags:

  gate.rules   the rules of llmcost check, each with metric, above, level
               (fail or warn), message, and model or tag for per-model and
               per-tag metrics; --gate-file replaces them, threshold flags
               override them (llmcost check --help lists the metrics)
  prompts      for llmcost diff --prompts: each template's path with its
               model and calls_per_month:
                 prompts:
                   prompts/support.txt: {model: gpt-4o, calls_per_month: 2100000}
`)
	if c, _, err := root.Find([]string{"simulate"}); err == nil && c != root {
		b.WriteString("  simulate     scenario settings of llmcost simulate (llmcost simulate --help)\n")
	}
	return b.String()
}
