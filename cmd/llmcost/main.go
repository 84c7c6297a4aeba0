// Command llmcost prices LLM API logs and reports where the money goes.
package main

import (
	"os"

	"github.com/llmcost/llmcost/pkg/cmd/root"
)

func main() {
	os.Exit(root.Main(os.Args[1:], os.Getenv))
}
