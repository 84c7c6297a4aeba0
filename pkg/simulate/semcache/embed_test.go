package semcache

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// fakeEmbeddings serves /v1/embeddings with a bag-of-words embedding of
// the normalised text (64 dimensions): texts with the same words embed
// alike, whatever their case and punctuation.
func fakeEmbeddings(t *testing.T, calls *atomic.Int64, status int) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/v1/embeddings" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if status != 0 {
			w.WriteHeader(status)
			w.Write([]byte(`{"error":{"message":"model not loaded"}}`))
			return
		}
		var req struct {
			Model string   `json:"model"`
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "test-embed" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		type item struct {
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		var resp struct {
			Data []item `json:"data"`
		}
		for i, s := range req.Input {
			v := make([]float32, 64)
			for _, w := range strings.Fields(string(Normalize(nil, []byte(s)))) {
				v[xxhash.Sum64String(w)%64]++
			}
			resp.Data = append(resp.Data, item{Index: i, Embedding: v})
		}
		slices.Reverse(resp.Data) // any order: items carry their index
		json.NewEncoder(w).Encode(resp)
	}))
}

// With an embeddings endpoint the cosine of embeddings decides; the
// embeddings are cached on disk, so a second run makes no call.
func TestEmbeddings(t *testing.T) {
	var calls atomic.Int64
	srv := fakeEmbeddings(t, &calls, 0)
	defer srv.Close()
	dir := t.TempDir()
	cfg := Config{EmbeddingsURL: srv.URL + "/v1/embeddings", EmbeddingsModel: "test-embed", CacheDir: dir}
	o, _, s := runOn(t, cfg, 2, crafted)
	// bag of words: #3's typo changes one word of 16; the guards refuse
	// #5 and #7 as in the lexical run
	if got := hitLines(t, s, crafted); !slices.Equal(got, []int64{2, 3, 13}) {
		t.Errorf("hit lines = %v, want [2 3 13]", got)
	}
	if s.res.refused[NumbersDiffer] != 1 || s.res.refused[NegationDiffers] != 1 {
		t.Errorf("refused = %v, want one by numbers and one by negation", s.res.refused)
	}
	// only group A's 11 messages (#8, #9, #10 and #14 are alone in their
	// groups; #15 is too short) are embedded
	if calls.Load() == 0 || s.Embedder().Texts.Load() != 11 {
		t.Fatalf("%d calls, %d texts embedded; want 11 texts", calls.Load(), s.Embedder().Texts.Load())
	}
	if !strings.Contains(strings.Join(o.Assumptions, " "), "test-embed") {
		t.Errorf("assumptions do not name the embeddings model: %q", o.Assumptions)
	}
	first := calls.Load()
	_, _, s2 := runOn(t, cfg, 2, crafted)
	if calls.Load() != first {
		t.Errorf("second run made %d calls, want none (disk cache)", calls.Load()-first)
	}
	if s2.Embedder().Cached.Load() == 0 {
		t.Error("second run read nothing from the disk cache")
	}
	if got := hitLines(t, s2, crafted); !slices.Equal(got, []int64{2, 3, 13}) {
		t.Errorf("second run: hit lines = %v", got)
	}
}

func TestEmbeddingsErrors(t *testing.T) {
	var calls atomic.Int64
	srv := fakeEmbeddings(t, &calls, http.StatusServiceUnavailable)
	defer srv.Close()
	e, err := NewEmbedder(srv.URL+"/v1/embeddings", "test-embed", "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Embed([]string{"a secret prompt"})
	if err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "model not loaded") {
		t.Errorf("err = %v, want the status and the server's message", err)
	}
	if err != nil && strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q shows the prompt", err)
	}
	for _, u := range []string{"", "localhost:8080", "ftp://x/v1/embeddings", "http://"} {
		if _, err := NewEmbedder(u, "m", "", t.TempDir()); err == nil {
			t.Errorf("NewEmbedder(%q): no error", u)
		}
	}
	if _, err := NewEmbedder("http://localhost/v1/embeddings", "m", "LLMCOST_TEST_SURELY_UNSET", t.TempDir()); err == nil {
		t.Error("an empty key variable is not an error")
	}
	if got := denseCosine([]float32{1, 0}, []float32{1, 0}); math.Abs(got-1) > 1e-9 {
		t.Errorf("denseCosine = %v", got)
	}
	if got := denseCosine([]float32{1, 0}, []float32{1}); got != 0 {
		t.Errorf("denseCosine of different lengths = %v", got)
	}
}
