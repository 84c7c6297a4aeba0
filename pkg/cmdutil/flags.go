package cmdutil

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// StringEnumFlag defines a string flag that only takes one of values, with
// shell completion of those values.
func StringEnumFlag(cmd *cobra.Command, p *string, name, short, def string, values []string, usage string) {
	cmd.Flags().VarP(&enumValue{p: p, values: values}, name, short, fmt.Sprintf("%s: {%s}", usage, strings.Join(values, "|")))
	*p = def
	_ = cmd.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	})
}

type enumValue struct {
	p      *string
	values []string
}

func (e *enumValue) String() string { return *e.p }
func (e *enumValue) Type() string   { return "string" }
func (e *enumValue) Set(s string) error {
	for _, v := range e.values {
		if s == v {
			*e.p = s
			return nil
		}
	}
	return fmt.Errorf("valid values are {%s}", strings.Join(e.values, "|"))
}

// ParseTime parses a --since/--until value: a date (YYYY-MM-DD, midnight
// UTC) or an RFC 3339 time. endOfDay moves a bare date to the next
// midnight, so that "--until 2026-01-31" includes that day.
func ParseTime(s string, endOfDay bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid time %q (use YYYY-MM-DD or RFC 3339)", s)
	}
	return t.UTC(), nil
}
