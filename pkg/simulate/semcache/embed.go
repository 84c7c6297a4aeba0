package semcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Embedder asks an OpenAI-compatible embeddings endpoint (POST
// {"model", "input": [...]}, answer {"data": [{"index", "embedding"}]})
// for the embedding of each prompt, and caches every embedding on disk,
// one file per model and text (named by the SHA-256 of both), so a second
// run makes no call. It is the only code in llmcost that uses the network,
// and only when embeddings_url (or --embeddings-url) is set. Safe for
// concurrent use.
type Embedder struct {
	url, model, key, dir string
	client               *http.Client
	mu                   sync.Mutex // one call at a time: a local server is usually single-threaded

	// Calls counts the HTTP calls, Texts the prompts sent, Cached those read
	// from the disk cache.
	Calls, Texts, Cached atomic.Int64
}

// NewEmbedder returns a client for the endpoint at u; keyEnv names the
// environment variable holding an API key ("" for none); dir is the cache
// directory ("" for the user cache directory's llmcost/embeddings).
func NewEmbedder(u, model, keyEnv, dir string) (*Embedder, error) {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "http" && p.Scheme != "https" || p.Host == "" {
		return nil, fmt.Errorf("embeddings_url %q: want an http or https URL of an OpenAI-compatible embeddings endpoint", u)
	}
	e := &Embedder{url: u, model: model, dir: dir, client: &http.Client{Timeout: 2 * time.Minute}}
	if keyEnv != "" {
		e.key = os.Getenv(keyEnv)
		if e.key == "" {
			return nil, fmt.Errorf("embeddings_key_env: $%s is empty", keyEnv)
		}
	}
	if e.dir == "" {
		c, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("embeddings cache: %w (set cache_dir)", err)
		}
		e.dir = filepath.Join(c, "llmcost", "embeddings")
	}
	return e, nil
}

// Dir is the cache directory.
func (e *Embedder) Dir() string { return e.dir }

// Model is the embeddings model.
func (e *Embedder) Model() string { return e.model }

// URL is the endpoint.
func (e *Embedder) URL() string { return e.url }

// path is the cache file of one text.
func (e *Embedder) path(text string) string {
	h := sha256.New()
	h.Write([]byte(e.model))
	h.Write([]byte{0})
	h.Write([]byte(text))
	name := hex.EncodeToString(h.Sum(nil))
	return filepath.Join(e.dir, name[:2], name+".f32")
}

// cache file: "LLMCE1" magic, then little-endian float32s
var magic = []byte("LLMCE1")

func (e *Embedder) load(text string) []float32 {
	data, err := os.ReadFile(e.path(text))
	if err != nil || len(data) < len(magic) || !bytes.Equal(data[:len(magic)], magic) || (len(data)-len(magic))%4 != 0 {
		return nil
	}
	data = data[len(magic):]
	v := make([]float32, len(data)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return v
}

func (e *Embedder) store(text string, v []float32) error {
	p := e.path(text)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	data := make([]byte, len(magic)+4*len(v))
	copy(data, magic)
	for i, x := range v {
		binary.LittleEndian.PutUint32(data[len(magic)+4*i:], math.Float32bits(x))
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p) // atomic: a reader sees the whole file or none
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// Embed returns the embedding of each text, from the disk cache or else
// from the endpoint (batched), and caches what it fetched.
func (e *Embedder) Embed(texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var miss []int
	for i, t := range texts {
		if v := e.load(t); v != nil {
			out[i] = v
			e.Cached.Add(1)
			continue
		}
		miss = append(miss, i)
	}
	for len(miss) > 0 {
		n := min(len(miss), embedBatch)
		batch := make([]string, n)
		for i, m := range miss[:n] {
			batch[i] = texts[m]
		}
		vs, err := e.call(batch)
		if err != nil {
			return nil, err
		}
		for i, m := range miss[:n] {
			out[m] = vs[i]
			if err := e.store(texts[m], vs[i]); err != nil {
				return nil, fmt.Errorf("embeddings cache %s: %w", e.dir, err)
			}
		}
		miss = miss[n:]
	}
	return out, nil
}

type embedRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
}

type embedResponse struct {
	Data []struct {
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	} `json:"data"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// call makes one request; errors name the endpoint and status, never the
// prompts.
func (e *Embedder) call(texts []string) ([][]float32, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	body, err := json.Marshal(embedRequest{Model: e.model, Input: texts})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if e.key != "" {
		req.Header.Set("Authorization", "Bearer "+e.key)
	}
	e.Calls.Add(1)
	e.Texts.Add(int64(len(texts)))
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("embeddings: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
	if err != nil {
		return nil, fmt.Errorf("embeddings %s: %w", e.url, err)
	}
	var r embedResponse
	jerr := json.Unmarshal(data, &r)
	if resp.StatusCode/100 != 2 {
		msg := resp.Status
		if jerr == nil && r.Error != nil && r.Error.Message != "" {
			msg += ": " + truncate(r.Error.Message, 200)
		}
		return nil, fmt.Errorf("embeddings %s: %s", e.url, msg)
	}
	if jerr != nil {
		return nil, fmt.Errorf("embeddings %s: the answer is not an embeddings response: %v", e.url, jerr)
	}
	out := make([][]float32, len(texts))
	for _, d := range r.Data {
		if d.Index < 0 || d.Index >= len(texts) || len(d.Embedding) == 0 {
			return nil, fmt.Errorf("embeddings %s: the answer has a bad item (index %d of %d, %d dimensions)", e.url, d.Index, len(texts), len(d.Embedding))
		}
		out[d.Index] = d.Embedding
	}
	for i, v := range out {
		if v == nil {
			return nil, fmt.Errorf("embeddings %s: the answer has %d embeddings for %d texts (item %d missing)", e.url, len(r.Data), len(texts), i)
		}
	}
	return out, nil
}

func truncate(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// hyperplanes are the random directions of the embeddings' LSH (SimHash):
// bands × planeRows directions of the embeddings' dimension, made once
// from a fixed seed.
type hyperplanes struct {
	dim int
	v   [][]float32
}

// planeRows: bits per band of the embeddings' SimHash. Two embeddings
// at an angle θ agree on a bit with probability 1 - θ/π; with 8 bits and
// 20 bands a pair at cosine 0.9 is a candidate with probability 0.999, at
// 0.8 with 0.97, at 0.5 with 0.55.
const planeRows = 8

// simHash computes the band keys of an embedding.
func (s *Scenario) simHash(v []float32, group uint64) Signature {
	s.planesMu.Lock()
	if s.planes == nil || s.planes.dim != len(v) {
		rng := rand.New(rand.NewPCG(0x5eed, uint64(len(v))))
		p := &hyperplanes{dim: len(v), v: make([][]float32, bands*planeRows)}
		for i := range p.v {
			p.v[i] = make([]float32, len(v))
			for d := range p.v[i] {
				p.v[i][d] = float32(rng.NormFloat64())
			}
		}
		s.planes = p
	}
	planes := s.planes
	s.planesMu.Unlock()
	var sig Signature
	for b := range sig {
		var bits uint64
		for r := 0; r < planeRows; r++ {
			var dot float64
			for d, x := range planes.v[b*planeRows+r] {
				dot += float64(x) * float64(v[d])
			}
			if dot >= 0 {
				bits |= 1 << r
			}
		}
		sig[b] = uint32(mix(mix(group^uint64(b+1)*0x9e3779b97f4a7c15) ^ bits))
	}
	return sig
}
