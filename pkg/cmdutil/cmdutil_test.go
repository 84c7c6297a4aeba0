package cmdutil

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("boom"), ExitFailure},
		{FlagErrorf("bad flag"), ExitUsage},
		{fmt.Errorf("wrapped: %w", FlagErrorf("bad")), ExitUsage},
		{&ExitError{Code: ExitGateFailed}, ExitGateFailed},
		{fmt.Errorf("ctx: %w", &ExitError{Code: ExitTooManyBad, Err: errors.New("x")}), ExitTooManyBad},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in       string
		endOfDay bool
		want     string
		ok       bool
	}{
		{"", false, "0001-01-01T00:00:00Z", true},
		{"2026-03-01", false, "2026-03-01T00:00:00Z", true},
		{"2026-03-01", true, "2026-03-02T00:00:00Z", true},
		{"2026-03-01T10:00:00+02:00", true, "2026-03-01T08:00:00Z", true},
		{"March 1", false, "", false},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in, tt.endOfDay)
		if (err == nil) != tt.ok || (tt.ok && got.Format(time.RFC3339) != tt.want) {
			t.Errorf("ParseTime(%q, %v) = %v, %v; want %s", tt.in, tt.endOfDay, got, err, tt.want)
		}
	}
}
