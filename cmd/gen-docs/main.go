// Command gen-docs writes llmcost's manual pages and Markdown reference
// from the command tree: one page per command, plus the environment help
// topic.
//
//	go run ./cmd/gen-docs --dir bin/docs    # bin/docs/man/*.1, bin/docs/markdown/*.md
//
// The pages' date is SOURCE_DATE_EPOCH when set (for reproducible builds),
// else today. Generated pages are not committed.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/llmcost/llmcost/pkg/cmd/root"
	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
	"github.com/llmcost/llmcost/pkg/version"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen-docs:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen-docs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "write man/ and markdown/ into this `directory` (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("give --dir and no arguments")
	}
	cmd := tree()
	man, md := filepath.Join(*dir, "man"), filepath.Join(*dir, "markdown")
	for _, d := range []string{man, md} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	header := &doc.GenManHeader{Title: "LLMCOST", Section: "1", Source: "llmcost " + version.Version, Manual: "llmcost manual"}
	if err := doc.GenManTree(cmd, header, man); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	if err := doc.GenMarkdownTree(cmd, md); err != nil {
		return fmt.Errorf("markdown: %w", err)
	}
	// Help topics are left out of the trees: write them one by one.
	for _, c := range cmd.Commands() {
		if !c.IsAdditionalHelpTopicCommand() {
			continue
		}
		if err := topic(c, header, man, md); err != nil {
			return err
		}
	}
	return nil
}

// tree builds the command tree as llmcost runs it, with cobra's help and
// completion commands, independent of the caller's environment.
func tree() *cobra.Command {
	f := &cmdutil.Factory{IOStreams: iostreams.System()}
	cmd := root.NewCmdRoot(f, func(string) string { return "" })
	cmd.InitDefaultHelpCmd()
	cmd.InitDefaultCompletionCmd()
	cmd.DisableAutoGenTag = true
	return cmd
}

// topic writes a help topic's pages; its text is what `llmcost help
// <topic>` prints, kept as preformatted text.
func topic(c *cobra.Command, header *doc.GenManHeader, man, md string) error {
	var text bytes.Buffer
	c.SetOut(&text)
	c.HelpFunc()(c, nil)
	c.Long = "```\n" + text.String() + "```"
	h := *header
	write := func(path string, gen func(io.Writer) error) error {
		var b bytes.Buffer
		if err := gen(&b); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return os.WriteFile(path, b.Bytes(), 0o644)
	}
	if err := write(filepath.Join(man, "llmcost-"+c.Name()+".1"), func(w io.Writer) error { return doc.GenMan(c, &h, w) }); err != nil {
		return err
	}
	return write(filepath.Join(md, "llmcost_"+c.Name()+".md"), func(w io.Writer) error { return doc.GenMarkdown(c, w) })
}
