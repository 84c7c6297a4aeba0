package pricing

import (
	"testing"

	pricingdata "github.com/llmcost/llmcost/pricing-data"
)

// BenchmarkLoad measures start-up cost: parsing, validating and indexing
// the embedded catalog (target < 20 ms).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(pricingdata.FS); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	ids := []string{"gpt-4o-2024-08-06", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5@20250929", "unknown-model-x"}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.Resolve("", ids[i%len(ids)])
	}
}
