package tokenize

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"testing"

	tiktoken "github.com/pkoukk/tiktoken-go"
)

// TestOffline proves that loading every encoding, through this package and
// through tiktoken-go itself, never touches the network: it runs the loads
// in a fresh process (nothing cached in memory) whose HTTP transport fails
// the test on any request, with tiktoken-go's download cache pointed at an
// empty directory that must stay empty.
func TestOffline(t *testing.T) {
	if os.Getenv("LLMCOST_TOKENIZE_OFFLINE_CHILD") == "1" {
		offlineChild(t)
		return
	}
	cache := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestOffline$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"LLMCOST_TOKENIZE_OFFLINE_CHILD=1",
		"TIKTOKEN_CACHE_DIR="+cache,
		"DATA_GYM_CACHE_DIR="+cache,
		"HTTPS_PROXY=http://127.0.0.1:1", "HTTP_PROXY=http://127.0.0.1:1", "NO_PROXY=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("offline child: %v\n%s", err, out)
	}
	ents, err := os.ReadDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) > 0 {
		t.Fatalf("tiktoken-go wrote %d files to its download cache", len(ents))
	}
}

type failTransport struct{ t *testing.T }

func (f failTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.t.Errorf("network access: %s %s", r.Method, r.URL)
	return nil, errors.New("network access is forbidden")
}

func offlineChild(t *testing.T) {
	http.DefaultTransport = failTransport{t}
	for _, name := range Encodings() {
		e, err := ForEncoding(name)
		if err != nil {
			t.Fatal(err)
		}
		tk, err := tiktoken.GetEncoding(name)
		if err != nil {
			t.Fatal(err)
		}
		text := "offline, always"
		if got, want := e.Count([]byte(text)), len(tk.EncodeOrdinary(text)); got != want {
			t.Fatalf("%s: %d tokens, tiktoken-go %d", name, got, want)
		}
	}
}
