// Package version holds the build's version, set at link time.
package version

// Set with -ldflags "-X github.com/llmcost/llmcost/pkg/version.Version=…".
var (
	Version = "dev"
	Commit  = ""
	Date    = ""
)
