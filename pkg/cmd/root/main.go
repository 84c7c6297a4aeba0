package root

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/iostreams"
)

// Main runs llmcost with args on the process's streams and returns the exit
// code.
func Main(args []string, getenv func(string) string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return Run(ctx, iostreams.System(), args, getenv)
}

// Run runs llmcost in-process (tests use it with iostreams.Test()).
func Run(ctx context.Context, ios *iostreams.IOStreams, args []string, getenv func(string) string) int {
	f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, Getenv: getenv}
	cmd := NewCmdRoot(f, getenv)
	cmd.SetArgs(args)
	cmd.SetIn(ios.In)
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if ctx.Err() != nil && cmdutil.ExitCode(err) == cmdutil.ExitFailure {
		err = &cmdutil.ExitError{Code: cmdutil.ExitInterrupted, Err: errors.New("interrupted")}
	}
	code := cmdutil.ExitCode(err)
	fmt.Fprintf(ios.ErrOut, "error: %v\n", err)
	var fe *cmdutil.FlagError
	if errors.As(err, &fe) {
		fmt.Fprintln(ios.ErrOut, "Run 'llmcost --help' or 'llmcost <command> --help' for usage.")
	}
	if wantsJSON(args) {
		b, _ := json.Marshal(map[string]any{"error": err.Error(), "exit_code": code})
		fmt.Fprintln(ios.ErrOut, string(b))
	}
	return code
}

// wantsJSON reports whether the command line asked for JSON output, in which
// case the error is also written to stderr as one JSON object.
func wantsJSON(args []string) bool {
	for i, a := range args {
		if a == "--format=json" || (a == "--format" && i+1 < len(args) && args[i+1] == "json") {
			return true
		}
	}
	return false
}
