package root

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
)

// splitWords splits a command line as a shell would for the examples we
// write: words separated by blanks, single and double quotes grouping.
func splitWords(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	in := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// TestHelpExamplesRun runs every example of every command's help that works
// on the repository's testdata/ (an example that names files of the
// reader's own, such as logs/, is illustrative and skipped): each must
// succeed (or, for check and reconcile, fail the gate on purpose with exit
// 3). Files an
// example writes (-o, --out-file) go to a temporary directory.
func TestHelpExamplesRun(t *testing.T) {
	t.Chdir("../../..")
	f := &cmdutil.Factory{Now: time.Now, Getenv: func(string) string { return "" }}
	ios, _, _, _ := iostreams.Test()
	f.IOStreams = ios
	var cmds []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		cmds = append(cmds, c)
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(NewCmdRoot(f, func(string) string { return "" }))
	tmp := t.TempDir()
	ran := 0
	for _, c := range cmds {
		// A line ending with a backslash goes on on the next.
		example := strings.ReplaceAll(c.Example, "\\\n", " ")
		for _, line := range strings.Split(example, "\n") {
			line = strings.TrimSpace(line)
			if i := strings.Index(line, " #"); i >= 0 {
				line = strings.TrimSpace(line[:i])
			}
			if !strings.HasPrefix(line, "llmcost ") || strings.ContainsAny(line, "|<>$;`&") || strings.Contains(line, "...") {
				continue
			}
			args := splitWords(line)[1:]
			if !runnable(args, embedded[c.Name()]) {
				continue
			}
			for i := 0; i+1 < len(args); i++ {
				if args[i] == "-o" || args[i] == "--out-file" {
					args[i+1] = filepath.Join(tmp, filepath.Base(args[i+1]))
				}
			}
			ran++
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				ios, _, _, errOut := iostreams.Test()
				code := Run(context.Background(), ios, args, func(string) string { return "" })
				if code != 0 && !((c.Name() == "check" || c.Name() == "reconcile") && code == 3) {
					t.Errorf("%q (in the help of %s) exits %d:\n%s", line, c.CommandPath(), code, errOut)
				}
			})
		}
	}
	if ran < 20 {
		t.Errorf("only %d help examples run on testdata/: examples should show the commands on the bundled data", ran)
	}
}

// embedded are the commands whose examples work on the embedded catalog
// and GPU data alone, without a file.
var embedded = map[string]bool{"breakeven": true, "fit": true, "instances": true, "list": true, "show": true, "version": true}

// runnable reports whether an example works on this repository: it reads
// testdata/ (or, for a command on embedded data, no file at all), and
// every file or directory it names exists.
func runnable(args []string, noFiles bool) bool {
	uses := noFiles
	for i, a := range args {
		if _, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(a, "-") {
			a = v
		} else if strings.HasPrefix(a, "-") {
			continue
		}
		if i > 0 && (args[i-1] == "-o" || args[i-1] == "--out-file") {
			continue
		}
		if strings.Contains(a, "testdata/") {
			uses = true
		}
		looksLikePath := strings.HasSuffix(a, "/") || strings.Contains(a, "/") && filepath.Ext(a) != "" ||
			strings.ContainsAny(filepath.Ext(a), "jycgz") && len(filepath.Ext(a)) > 2
		if !looksLikePath {
			continue
		}
		if strings.ContainsAny(a, "*?[") {
			if m, _ := filepath.Glob(a); len(m) == 0 {
				return false
			}
			continue
		}
		if _, err := os.Stat(a); err != nil {
			return false
		}
	}
	return uses
}
