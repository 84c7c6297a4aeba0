// Package root builds the llmcost command tree and merges configuration
// (llmcost.yaml, LLMCOST_* environment variables) into flag defaults.
package root

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/llmcost/llmcost/pkg/cmd/analyze"
	"github.com/llmcost/llmcost/pkg/cmd/breakeven"
	"github.com/llmcost/llmcost/pkg/cmd/check"
	"github.com/llmcost/llmcost/pkg/cmd/compress"
	"github.com/llmcost/llmcost/pkg/cmd/diff"
	gpucmd "github.com/llmcost/llmcost/pkg/cmd/gpu"
	pricingcmd "github.com/llmcost/llmcost/pkg/cmd/pricing"
	"github.com/llmcost/llmcost/pkg/cmd/reconcile"
	"github.com/llmcost/llmcost/pkg/cmd/render"
	"github.com/llmcost/llmcost/pkg/cmd/simulate"
	"github.com/llmcost/llmcost/pkg/cmd/tokens"
	"github.com/llmcost/llmcost/pkg/cmdutil"
	"github.com/llmcost/llmcost/pkg/version"
)

// NewCmdRoot returns the root command. getenv is the environment (os.Getenv
// in main, a map in tests).
func NewCmdRoot(f *cmdutil.Factory, getenv func(string) string) *cobra.Command {
	var configFile string
	cmd := &cobra.Command{
		Use:   "llmcost <command> [flags]",
		Short: "See where your LLM API money goes, and what each saving lever is worth",
		Long: `llmcost reads the request logs and billing exports a team already has,
prices every call against a catalog of vendor prices (batch, cache reads and
writes, long-context tiers, prices in force at each call's date), and reports
where the money goes. It runs offline: prompts never leave the machine.

Configuration: flags, then LLMCOST_<FLAG> environment variables (e.g.
LLMCOST_PRICING_FILE, LLMCOST_FORMAT), then llmcost.yaml (in the current
directory, or $XDG_CONFIG_HOME/llmcost/, or --config), whose keys are flag
names at the top level or under a command name (analyze: {format: json}).

EXIT STATUS
  0    success
  1    error
  2    usage or configuration error
  3    cost gate failed
  4    too much unreadable input (over --max-skipped-pct)
  130  interrupted
  Any other code means failure.`,
		Version:       version.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(f, cmd, configFile, getenv); err != nil {
				return err
			}
			return nil
		},
	}
	cmd.SetVersionTemplate("llmcost {{.Version}}\n")
	cmd.PersistentFlags().StringVar(&configFile, "config", "", "config file (default ./llmcost.yaml or $XDG_CONFIG_HOME/llmcost/llmcost.yaml)")
	cmd.PersistentFlags().StringVar(&f.PricingFile, "pricing-file", "", "extra pricing catalog `<file>` whose models replace or extend the built-in ones")
	cmd.PersistentFlags().BoolVar(&f.Quiet, "quiet", false, "print no progress and no warnings on standard error (errors still print)")
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.FlagError{Err: err}
	})
	cmd.AddCommand(analyze.NewCmdAnalyze(f, nil))
	cmd.AddCommand(reconcile.NewCmdReconcile(f, nil))
	cmd.AddCommand(pricingcmd.NewCmdPricing(f))
	cmd.AddCommand(tokens.NewCmdTokens(f, nil))
	cmd.AddCommand(diff.NewCmdDiff(f, nil))
	cmd.AddCommand(check.NewCmdCheck(f, nil))
	cmd.AddCommand(render.NewCmdRender(f, nil))
	cmd.AddCommand(render.NewCmdMerge(f, nil))
	cmd.AddCommand(breakeven.NewCmdBreakeven(f, nil))
	cmd.AddCommand(simulate.NewCmdSimulate(f, nil))
	cmd.AddCommand(gpucmd.NewCmdGPU(f))
	cmd.AddCommand(compress.NewCmdCompress(f, nil))
	cmd.AddCommand(newHelpTopicEnvironment(cmd))
	cmd.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintf(f.IOStreams.Out, "llmcost %s", version.Version)
			if version.Commit != "" {
				fmt.Fprintf(f.IOStreams.Out, " (%s, %s)", version.Commit, version.Date)
			}
			fmt.Fprintln(f.IOStreams.Out)
		},
	})
	return cmd
}

// applyConfig sets every flag the user did not pass from LLMCOST_* env or
// the config file, in that order of precedence.
func applyConfig(f *cmdutil.Factory, cmd *cobra.Command, configFile string, getenv func(string) string) error {
	v := viper.New()
	f.ConfigValue = v.Get
	if configFile == "" {
		configFile = getenv("LLMCOST_CONFIG")
	}
	if configFile != "" {
		v.SetConfigFile(configFile)
		if err := v.ReadInConfig(); err != nil {
			return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: fmt.Errorf("config %s: %w", configFile, err)}
		}
	} else {
		for _, dir := range configDirs(getenv) {
			p := filepath.Join(dir, "llmcost.yaml")
			if _, err := os.Stat(p); err == nil {
				v.SetConfigFile(p)
				if err := v.ReadInConfig(); err != nil {
					return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: fmt.Errorf("config %s: %w", p, err)}
				}
				break
			} else if !errors.Is(err, fs.ErrNotExist) {
				return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: fmt.Errorf("config %s: %w", p, err)}
			}
		}
	}
	var errs []error
	set := func(fl *pflag.Flag) {
		if fl.Changed || fl.Name == "config" || fl.Name == "help" {
			return
		}
		env := "LLMCOST_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
		val, ok := getenv(env), false
		ok = val != ""
		src := env
		if !ok {
			for _, key := range []string{cmd.Name() + "." + fl.Name, fl.Name} {
				if v.IsSet(key) {
					val, ok, src = configString(v.Get(key)), true, "config key "+key
					break
				}
			}
		}
		if !ok {
			return
		}
		if err := fl.Value.Set(val); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", src, err))
		}
	}
	cmd.Flags().VisitAll(set)
	cmd.InheritedFlags().VisitAll(set)
	if len(errs) > 0 {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: errors.Join(errs...)}
	}
	return nil
}

func configString(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, ",")
	case []string:
		return strings.Join(x, ",")
	}
	return fmt.Sprint(v)
}

func configDirs(getenv func(string) string) []string {
	dirs := []string{"."}
	if x := getenv("XDG_CONFIG_HOME"); x != "" {
		dirs = append(dirs, filepath.Join(x, "llmcost"))
	} else if h := getenv("HOME"); h != "" {
		dirs = append(dirs, filepath.Join(h, ".config", "llmcost"))
	}
	return dirs
}
