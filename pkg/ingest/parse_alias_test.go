package ingest

import "testing"

// p.str must not keep a slice of its input as scratch space: a later
// escaped string would be decoded into an earlier line's read buffer.
func TestStrDoesNotWriteIntoInput(t *testing.T) {
	p := newParser()
	bufA := []byte(`"claude-sonnet-4-5" and then other data that must stay intact`)
	before := string(bufA)
	if _, err := p.str("model", bufA[:19]); err != nil {
		t.Fatal(err)
	}
	if _, err := p.str("cwd", []byte(`"e:\\Workspace\\src"`)); err != nil {
		t.Fatal(err)
	}
	if string(bufA) != before {
		t.Fatalf("p.str wrote into an earlier line's buffer: %s", bufA)
	}
}
