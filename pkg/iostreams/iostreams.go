// Package iostreams holds the standard streams and decides, once, whether
// output is a terminal and whether it gets colour.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// IOStreams are a command's input and outputs.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY, errTTY bool
	getenv         func(string) string
}

// System returns the process's streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		outTTY: isTerminal(os.Stdout), errTTY: isTerminal(os.Stderr),
		getenv: os.Getenv,
	}
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Test returns streams backed by buffers, with no terminal and an empty
// environment, for tests.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, getenv: func(string) string { return "" }}, in, out, errOut
}

// SetTTY marks stdout and stderr as terminals (or not), for tests.
func (s *IOStreams) SetTTY(tty bool) { s.outTTY, s.errTTY = tty, tty }

// SetEnv replaces the environment lookup, for tests.
func (s *IOStreams) SetEnv(getenv func(string) string) { s.getenv = getenv }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// ColorEnabled decides colour for stdout: off when NO_COLOR is set to
// anything non-empty, when CLICOLOR=0 or in CI; on with CLICOLOR_FORCE
// (non-zero); otherwise on only when stdout is a terminal.
func (s *IOStreams) ColorEnabled() bool {
	if s.getenv("NO_COLOR") != "" {
		return false
	}
	if v := s.getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	if s.getenv("CLICOLOR") == "0" || s.getenv("CI") != "" {
		return false
	}
	return s.outTTY
}
