package compress

import (
	"context"
	"os"
	"strings"
	"testing"
)

// BenchmarkCompress compresses all testdata prompts concatenated 20 times
// (about 230 KB) at the aggressive level.
func BenchmarkCompress(b *testing.B) {
	var sb strings.Builder
	for _, p := range promptFiles(b) {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(data)
	}
	in := strings.Repeat(sb.String(), 20)
	c := counter(b)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Compress(context.Background(), in, Options{Level: Aggressive, Counter: c}); err != nil {
			b.Fatal(err)
		}
	}
}
