// Package cmdutil holds what every command shares: the Factory, typed CLI
// errors with their exit codes, and flag helpers.
package cmdutil
