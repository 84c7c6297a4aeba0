// Package semcache simulates a semantic cache in front of the API: a
// request whose last user message is close enough to an earlier one's
// (same model, system prompt, tools, parameters and earlier conversation,
// within a TTL) is answered with the earlier answer and makes no call.
//
// Deciding needs the log in time order, which the runner's goroutines do
// not see, so the scenario decides in first passes over the log: (1) the
// groups (model, system prompt, parameters, earlier turns) with more than
// one request, in fixed memory, and the document frequencies of character
// n-grams (the IDF, fitted on the log itself); (2) for each request of
// those groups an entry of about 160 bytes: a MinHash signature, the group
// hash, the time and the guards; then candidate pairs by LSH within group
// and TTL; (3) the TF-IDF vectors of the requests with candidates only. A
// replay in time order then decides, and Apply looks the decision up by
// simulate.RequestKey. With an embeddings endpoint, pass 2 embeds the
// prompts (cached on disk) and the cosine of embeddings replaces the
// lexical one.
package semcache

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unsafe"

	"github.com/cespare/xxhash/v2"

	"github.com/llmcost/llmcost/pkg/ingest"
	"github.com/llmcost/llmcost/pkg/record"
	"github.com/llmcost/llmcost/pkg/simulate"
)

// Config configures the semantic cache scenario (the semcache key of the
// simulate settings).
type Config struct {
	// Threshold is the similarity at or above which an earlier answer is
	// reused (default 0.9: see the README for its measured precision).
	Threshold *float64 `yaml:"threshold"`
	// TTL is how long a cached answer lives after it was written: a Go
	// duration ("24h", "90m") or days ("7d"). Default 24h.
	TTL string `yaml:"ttl"`
	// NGram is the character n-gram size of the lexical similarity
	// (default 3).
	NGram int `yaml:"ngram"`
	// MinChars is the shortest last user message (in characters, once
	// normalised) looked up in the cache (default 10): "yes" or "go on"
	// mean nothing alone.
	MinChars *int `yaml:"min_chars"`
	// Scope is what must be identical besides the compared message:
	// "conversation" (default: system prompt, tools, parameters and every
	// earlier message) or "last_message" (system prompt, tools and
	// parameters only; earlier turns are ignored, as many semantic caches
	// do — more hits, more risk).
	Scope string `yaml:"scope"`
	// Sample is how many riskiest hits and nearest misses the report lists
	// (default 10).
	Sample *int `yaml:"sample"`
	// MaxCandidates bounds the earlier requests compared with each request
	// (default 64): the most recent ones of its LSH buckets.
	MaxCandidates int `yaml:"max_candidates"`
	// Only limits the cache to matching requests (a route, a project…).
	Only simulate.Match `yaml:"only"`

	// EmbeddingsURL, when set, is an OpenAI-compatible embeddings endpoint
	// (".../v1/embeddings"): the cosine of embeddings replaces the lexical
	// similarity. The only network use of llmcost, and off by default.
	EmbeddingsURL string `yaml:"embeddings_url"`
	// EmbeddingsModel is the model asked for (default text-embedding-3-small).
	EmbeddingsModel string `yaml:"embeddings_model"`
	// EmbeddingsKeyEnv names the environment variable holding the API key
	// sent as a bearer token (none by default: a local server needs none).
	EmbeddingsKeyEnv string `yaml:"embeddings_key_env"`
	// CacheDir is where embeddings are cached (default: the user cache
	// directory's llmcost/embeddings).
	CacheDir string `yaml:"cache_dir"`

	// ShowPrompts puts the prompt text of the sampled pairs in the report
	// (simulate --show-prompts); never from a configuration file.
	ShowPrompts bool `yaml:"-"`
}

// Defaults.
const (
	DefaultThreshold     = 0.9
	DefaultTTL           = 24 * time.Hour
	DefaultNGram         = 3
	DefaultMinChars      = 10
	DefaultSample        = 10
	DefaultMaxCandidates = 64
	DefaultEmbedModel    = "text-embedding-3-small"
	// maxDF: grams in more than this share of the prompts are left out of
	// the MinHash signature (they are in the cosine, with a low IDF).
	maxDF = 0.2
	// shownChars is the longest prompt excerpt --show-prompts prints.
	shownChars = 160
)

// Scenario is the semantic cache lever.
type Scenario struct {
	cfg       Config
	threshold float64
	ttl       time.Duration
	ngram     int
	minChars  int
	sample    int
	maxCand   int
	lastOnly  bool
	emb       *Embedder

	// state of one run (reset by NeedsPrepare)
	pass     int
	df       DF
	groups   groupFilter
	entries  []entry
	cand     csr
	need     map[uint64]int32 // request key -> entry, for the requests needing a vector
	vecs     []Vector         // by entry (lexical)
	embs     [][]float32      // by entry (embeddings)
	planes   *hyperplanes
	planesMu sync.Mutex
	res      result
}

// New checks cfg and returns the scenario.
func New(cfg Config) (*Scenario, error) {
	s := &Scenario{cfg: cfg, threshold: DefaultThreshold, ttl: DefaultTTL, ngram: DefaultNGram,
		minChars: DefaultMinChars, sample: DefaultSample, maxCand: DefaultMaxCandidates}
	if cfg.Threshold != nil {
		s.threshold = *cfg.Threshold
		if s.threshold <= 0 || s.threshold > 1 || math.IsNaN(s.threshold) {
			return nil, fmt.Errorf("semcache: threshold %v: want a similarity above 0 and at most 1", s.threshold)
		}
	}
	if cfg.TTL != "" {
		d, err := ParseTTL(cfg.TTL)
		if err != nil {
			return nil, fmt.Errorf("semcache: ttl: %w", err)
		}
		s.ttl = d
	}
	if cfg.NGram != 0 {
		if cfg.NGram < 1 || cfg.NGram > 8 {
			return nil, fmt.Errorf("semcache: ngram %d: want 1 to 8 characters", cfg.NGram)
		}
		s.ngram = cfg.NGram
	}
	if cfg.MinChars != nil {
		if *cfg.MinChars < 0 {
			return nil, fmt.Errorf("semcache: min_chars must not be negative")
		}
		s.minChars = *cfg.MinChars
	}
	if cfg.Sample != nil {
		if *cfg.Sample < 0 || *cfg.Sample > 1000 {
			return nil, fmt.Errorf("semcache: sample %d: want 0 to 1000 pairs", *cfg.Sample)
		}
		s.sample = *cfg.Sample
	}
	if cfg.MaxCandidates != 0 {
		if cfg.MaxCandidates < 1 || cfg.MaxCandidates > 10000 {
			return nil, fmt.Errorf("semcache: max_candidates %d: want 1 to 10000", cfg.MaxCandidates)
		}
		s.maxCand = cfg.MaxCandidates
	}
	if err := s.cfg.Only.Compile(); err != nil {
		return nil, fmt.Errorf("semcache: only: %w", err)
	}
	switch cfg.Scope {
	case "", "conversation":
		s.cfg.Scope = "conversation"
	case "last_message":
		s.lastOnly = true
	default:
		return nil, fmt.Errorf("semcache: scope %q: want conversation or last_message", cfg.Scope)
	}
	if cfg.EmbeddingsURL != "" {
		if cfg.EmbeddingsModel == "" {
			s.cfg.EmbeddingsModel = DefaultEmbedModel
		}
		e, err := NewEmbedder(cfg.EmbeddingsURL, s.cfg.EmbeddingsModel, cfg.EmbeddingsKeyEnv, cfg.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("semcache: %w", err)
		}
		s.emb = e
	}
	return s, nil
}

// ParseTTL reads a Go duration ("24h", "90m") or a number of days ("7d").
func ParseTTL(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(v, "d"); ok {
		var f float64
		f, err = strconv.ParseFloat(n, 64)
		d = time.Duration(f * float64(24*time.Hour))
	} else {
		d, err = time.ParseDuration(v)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q: want a positive duration like 24h, 90m or 7d", v)
	}
	return d, nil
}

func (s *Scenario) Name() string    { return "semcache" }
func (s *Scenario) Title() string   { return "Semantic cache" }
func (s *Scenario) Order() int      { return simulate.OrderSemcache }
func (s *Scenario) NeedsText() bool { return true }

// Embedder is the embeddings client, nil without embeddings_url.
func (s *Scenario) Embedder() *Embedder { return s.emb }

// NeedsPrepare implements simulate.Preparer. Run asks it once as it
// starts, so it also forgets the previous run's state.
func (s *Scenario) NeedsPrepare() bool {
	s.pass, s.df, s.groups, s.entries, s.cand, s.need, s.vecs, s.embs, s.res = 0, DF{}, groupFilter{}, nil, csr{}, nil, nil, nil, result{}
	return true
}

// Passes implements simulate.MultiPass: (1) the groups that occur more
// than once and (lexical) document frequencies, (2) signatures (and
// embeddings) of the requests of those groups, (3) vectors of the
// requests with candidates.
func (s *Scenario) Passes() int { return 3 }

const (
	stageDF = iota
	stageSig
	stageVec
)

// stage is what the current first pass does.
func (s *Scenario) stage() int { return s.pass }

// NewObserver implements simulate.Preparer.
func (s *Scenario) NewObserver() simulate.Observer {
	o := &observer{s: s, stage: s.stage()}
	if o.stage == stageVec {
		o.vecs = map[int32]Vector{}
		o.embs = map[int32][]float32{}
	}
	return o
}

// Prepare implements simulate.Preparer: it ends each first pass.
func (s *Scenario) Prepare(obs []simulate.Observer) error {
	st := s.stage()
	s.pass++
	switch st {
	case stageDF:
		for _, x := range obs {
			o := x.(*observer)
			s.df.Merge(&o.df)
			s.groups.merge(&o.groups)
			o.groups = groupFilter{}
		}
	case stageSig:
		var n int
		for _, x := range obs {
			o := x.(*observer)
			if err := o.flush(); err != nil {
				return err
			}
			n += len(o.entries)
			s.res.skipped.add(&o.skipped)
			s.res.alone += o.alone
		}
		s.entries = make([]entry, 0, n)
		for _, x := range obs {
			s.entries = append(s.entries, x.(*observer).entries...)
			x.(*observer).entries = nil
		}
		s.candidates()
	case stageVec:
		if s.emb != nil {
			s.embs = make([][]float32, len(s.entries))
		} else {
			s.vecs = make([]Vector, len(s.entries))
		}
		for _, x := range obs {
			o := x.(*observer)
			if o.err != nil {
				return o.err
			}
			for i, v := range o.vecs {
				s.vecs[i] = v
				s.res.vecBytes += int64(v.Bytes())
			}
			for i, v := range o.embs {
				s.embs[i] = v
				s.res.vecBytes += int64(24 + 4*cap(v))
			}
		}
		s.replay()
		s.vecs, s.embs, s.cand, s.need = nil, nil, csr{}, nil
	}
	return nil
}

// entry is what the scenario keeps of one compared request between its
// first passes: about 150 bytes.
type entry struct {
	key   uint64 // simulate.RequestKey
	group uint64 // provider, model, system prompt, tools, parameters (and earlier turns)
	at    int64  // Unix nanoseconds
	file  string // shares the reader's string
	line  int64
	guard Guard
	sig   Signature
}

// why a request is not compared
const (
	skipNoText = iota
	skipNoUser
	skipShort
	skipNoTime
	skipMulti
	skipExcluded
	numSkip
)

var skipLabels = [numSkip]string{
	"left as logged: no prompt text in the log",
	"left as logged: no user message",
	"left as logged: user message too short",
	"left as logged: no timestamp",
	"left as logged: several calls on one line",
	"left as logged: not matched by only",
}

type skipCounts [numSkip]int64

func (c *skipCounts) add(o *skipCounts) {
	for i := range c {
		c[i] += o[i]
	}
}

// observer is one goroutine's state in a first pass.
type observer struct {
	s     *Scenario
	stage int
	facts simulate.Facts
	f     Features
	gh    xxhash.Digest

	df      DF
	groups  groupFilter
	entries []entry
	skipped skipCounts
	alone   int64

	// embeddings waiting for a batch call (stageSig with an embedder)
	pending     []entry
	pendingText []string

	vecs map[int32]Vector
	embs map[int32][]float32
	err  error
}

// embedBatch is how many prompts one embeddings call carries.
const embedBatch = 64

// Observe implements simulate.Observer.
func (o *observer) Observe(rec *record.Record) {
	s := o.s
	if o.stage == stageVec {
		i, ok := s.need[simulate.RequestKey(rec)]
		if !ok || o.err != nil {
			return
		}
		o.facts.Reset(rec)
		text, _, why := o.compared(rec)
		if why >= 0 {
			return // cannot happen: the same record was compared in the last pass
		}
		if s.emb != nil {
			v, err := s.emb.Embed([]string{string(text)})
			if err != nil {
				o.err = err
				return
			}
			o.embs[i] = v[0]
			return
		}
		o.f.Analyze(text, s.ngram)
		o.vecs[i] = TFIDF(&o.f, &s.df)
		return
	}
	o.facts.Reset(rec)
	text, group, why := o.compared(rec)
	if why >= 0 {
		if o.stage == stageSig {
			o.skipped[why] += rec.CallCount()
		}
		return
	}
	if o.stage == stageDF {
		o.groups.add(group)
		if s.emb == nil {
			o.f.Analyze(text, s.ngram)
			o.df.Add(&o.f)
		}
		return
	}
	if !s.groups.twice(group) {
		// the only request of its group: nothing can answer it, and it
		// answers nothing (no entry, no embedding)
		o.alone++
		return
	}
	o.f.Analyze(text, s.ngram)
	e := entry{key: simulate.RequestKey(rec), group: group, at: rec.Time.UnixNano(),
		file: rec.Loc.File, line: rec.Loc.Line, guard: o.f.Guard}
	if s.emb == nil {
		e.sig = MinHash(o.f.Distinct, &s.df, maxDF, group)
		o.entries = append(o.entries, e)
		return
	}
	o.pending = append(o.pending, e)
	o.pendingText = append(o.pendingText, string(text))
	if len(o.pending) >= embedBatch {
		if err := o.flush(); err != nil && o.err == nil {
			o.err = err
		}
	}
}

// flush embeds the pending prompts and makes their entries.
func (o *observer) flush() error {
	if o.err != nil {
		return o.err
	}
	if len(o.pending) == 0 {
		return nil
	}
	vs, err := o.s.emb.Embed(o.pendingText)
	if err != nil {
		o.err = err
		return err
	}
	for i := range o.pending {
		e := o.pending[i]
		e.sig = o.s.simHash(vs[i], e.group)
		o.entries = append(o.entries, e)
	}
	o.pending, o.pendingText = o.pending[:0], o.pendingText[:0]
	return nil
}

// skipParams are request members that do not change the answer (or are
// compared as text): everything else (max_tokens, temperature, top_p,
// seed, stop, response_format, tool_choice, reasoning effort, n…) must be
// equal for a hit.
var skipParams = map[string]bool{
	"messages": true, "input": true, "prompt": true, "system": true, "instructions": true,
	"tools": true, "functions": true, "model": true, "stream": true, "stream_options": true,
	"user": true, "metadata": true, "store": true, "service_tier": true, "safety_identifier": true,
	"prompt_cache_key": true, "prompt_cache_retention": true, "background": true,
}

// compared returns the text a request is looked up by (its last user
// message) and its group hash, or why it is not compared (>= 0).
func (o *observer) compared(rec *record.Record) (text []byte, group uint64, why int) {
	if rec.CallCount() != 1 {
		return nil, 0, skipMulti
	}
	if !o.s.cfg.Only.IsZero() && !o.s.cfg.Only.Matches(simulate.NewRequest(rec)) {
		return nil, 0, skipExcluded
	}
	t := o.facts.Text()
	if t == nil {
		return nil, 0, skipNoText
	}
	last := -1
	for i := len(t.Blocks) - 1; i >= 0; i-- {
		if t.Blocks[i].Role == ingest.RoleUser {
			last = i
			break
		}
	}
	if last < 0 {
		return nil, 0, skipNoUser
	}
	text = t.Text(last)
	if runes := normRunes(text); runes < o.s.minChars || runes == 0 {
		return nil, 0, skipShort
	}
	if rec.Time.IsZero() {
		return nil, 0, skipNoTime
	}
	h := &o.gh
	h.Reset()
	h.WriteString(rec.Provider)
	h.WriteString("\x00")
	h.WriteString(rec.Model)
	h.WriteString("\x00")
	for i, b := range t.Blocks {
		if i == last || o.s.lastOnly && b.Role != ingest.RoleSystem && b.Role != ingest.RoleTools {
			continue
		}
		h.WriteString(b.Role)
		h.WriteString("\x00")
		h.Write(t.Text(i))
		h.WriteString("\x00")
	}
	// parameters, in any order: a sum of member hashes
	var params uint64
	_ = ingest.EachRequestMember(rec.Request, func(k, v []byte) {
		if skipParams[string(k)] {
			return
		}
		params += mix(xxhash.Sum64(k) ^ mix(xxhash.Sum64(v)))
	})
	return text, mix(h.Sum64() ^ params), -1
}

// normRunes counts the letters and digits of a text (its length once
// normalised, spaces aside).
func normRunes(b []byte) int {
	n := 0
	for _, r := range string(b) {
		if r < 128 {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				n++
			}
			continue
		}
		if isWordRune(r) {
			n++
		}
	}
	return n
}

// csr is a compressed adjacency list: the candidates of entry i are
// to[start[i]:start[i+1]], most recent first.
type csr struct {
	start []int32
	to    []int32
}

func (c *csr) of(i int) []int32 {
	if c.start == nil {
		return nil
	}
	return c.to[c.start[i]:c.start[i+1]]
}

// candidates sorts the entries in time order and finds, for each, earlier
// entries of the same group within the TTL that share an LSH band with it
// and have another text (identical texts are matched exactly in the
// replay): in each band's bucket the most recent maxCand/4 distinct texts;
// over all bands, at most maxCand of those sharing at least minShared
// bands, most shared first. It marks those that need a vector for the next
// pass.
func (s *Scenario) candidates() {
	es := s.entries
	slices.SortFunc(es, func(a, b entry) int {
		if a.at != b.at {
			return cmpInt(a.at, b.at)
		}
		if c := strings.Compare(a.file, b.file); c != 0 {
			return c
		}
		return cmpInt(a.line, b.line)
	})
	n := len(es)
	ttl := int64(s.ttl)
	keys := make([]uint64, n)
	lists := make([][]cand, n) // candidates of each entry
	type seen struct {
		text uint64
		i    int32
	}
	window := max(s.maxCand/4, 4)
	recent := make([]seen, 0, window)
	for b := 0; b < bands; b++ {
		for i := range es {
			keys[i] = uint64(es[i].sig[b])<<32 | uint64(i)
		}
		slices.Sort(keys)
		for r := 0; r < n; {
			q := r
			for q < n && keys[q]>>32 == keys[r]>>32 {
				q++
			}
			if q-r < 2 {
				r = q
				continue
			}
			recent = recent[:0]
			for a := r; a < q; a++ {
				j := int32(uint32(keys[a]))
				e := &es[j]
				for _, x := range recent {
					k := &es[x.i]
					if e.at-k.at > ttl {
						break
					}
					if x.text != e.guard.Order && k.group == e.group && k.at < e.at {
						lists[j] = addCandidate(lists[j], x.i, s.maxCand)
					}
				}
				// j becomes its text's most recent occurrence
				at := len(recent)
				for i, x := range recent {
					if x.text == e.guard.Order {
						at = i
						break
					}
				}
				if at == len(recent) {
					if len(recent) < window {
						recent = append(recent, seen{})
					} else {
						at = len(recent) - 1
					}
				}
				copy(recent[1:at+1], recent[:at])
				recent[0] = seen{e.guard.Order, j}
			}
			r = q
		}
	}
	keys = nil
	s.cand = csr{start: make([]int32, n+1)}
	s.need = map[uint64]int32{}
	for j, l := range lists {
		// the earlier requests sharing the most bands (the likeliest to be
		// similar), then the most recent
		slices.SortFunc(l, func(a, b cand) int {
			if a.n != b.n {
				return int(b.n - a.n)
			}
			return int(b.k - a.k)
		})
		for _, c := range l {
			if c.n < minShared {
				break
			}
			s.cand.to = append(s.cand.to, c.k)
			s.need[es[c.k].key] = c.k
			s.need[es[j].key] = int32(j)
		}
		s.cand.start[j+1] = int32(len(s.cand.to))
		lists[j] = nil
	}
	s.res.candidatePairs = int64(len(s.cand.to))
	s.res.vectors = int64(len(s.need))
}

// minShared is how many LSH bands an earlier request must share with a
// request to be compared with it. A pair whose grams have a Jaccard
// similarity J shares each band with probability J^3: at J = 0.7 (about
// cosine 0.85) it shares 2 bands or more with probability 0.99, while
// requests that only share a template's boilerplate rarely do.
const minShared = 2

// cand is a candidate and how many bands it shares.
type cand struct{ k, n int32 }

// addCandidate counts one more shared band between an entry and k; a full
// list (max) drops its weakest candidate (fewest bands, then oldest) for a
// newer one.
func addCandidate(l []cand, k int32, max int) []cand {
	weak := -1
	for i := range l {
		if l[i].k == k {
			l[i].n++
			return l
		}
		if weak < 0 || l[i].n < l[weak].n || l[i].n == l[weak].n && l[i].k < l[weak].k {
			weak = i
		}
	}
	if len(l) < max {
		return append(l, cand{k, 1})
	}
	if l[weak].n == 1 && l[weak].k < k {
		l[weak] = cand{k, 1}
	}
	return l
}

func cmpInt[T int64 | uint64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// similarity of entries j and k (both needing vectors).
func (s *Scenario) similarity(j, k int32) float64 {
	if s.emb != nil {
		return denseCosine(s.embs[j], s.embs[k])
	}
	return Cosine(s.vecs[j], s.vecs[k])
}

// pairRef is one compared pair: the request j and the earlier one k.
type pairRef struct {
	j, k   int32
	sim    float32
	reason Reason
	exact  bool
}

// result is what the replay decided.
type result struct {
	hits     map[uint64]struct{} // keys of the requests answered from the cache
	compared int64
	exact    int64 // hits on an identical (normalised) message
	high     int64 // hits at 0.95 or more
	refused  [numReasons]int64
	skipped  skipCounts
	// hitPairs are the riskiest hits, missPairs the nearest misses.
	hitPairs, missPairs []pairRef
	entries             []entry         // of the sampled pairs, by index in the pairs
	sampled             map[uint64]bool // their request keys
	// alone are compared requests whose group has no other request
	alone          int64
	candidatePairs int64
	vectors        int64
	vecBytes       int64
	entryBytes     int64
}

// replay decides each compared request in time order against the cache
// entries written before it: misses write, hits only read, and an entry
// lives ttl after it was written.
func (s *Scenario) replay() {
	es := s.entries
	ttl := int64(s.ttl)
	r := &s.res
	r.hits = map[uint64]struct{}{}
	r.sampled = map[uint64]bool{}
	r.compared = int64(len(es)) + r.alone
	r.entryBytes = int64(cap(es)) * int64(entrySize)
	miss := make([]bool, len(es))
	// of[k] is the entry an exact hit k was answered by (-1: none): a
	// candidate k that was itself answered stands for that entry, whose
	// text is k's
	of := make([]int32, len(es))
	exact := map[uint64]int32{}
	var hits, misses []pairRef
	for j := range es {
		e := &es[j]
		xk := mix(e.group) ^ e.guard.Order
		best := pairRef{j: int32(j), k: -1}
		if k, ok := exact[xk]; ok && es[k].at < e.at && e.at-es[k].at <= ttl {
			best = pairRef{j: int32(j), k: k, sim: 1, exact: true}
		}
		near := pairRef{j: int32(j), k: -1, sim: -1}
		if best.k < 0 {
			for _, c := range s.cand.of(j) {
				k := c
				if !miss[k] {
					k = of[c]
				}
				if k < 0 || e.at-es[k].at > ttl {
					continue
				}
				sim := s.similarity(int32(j), c)
				why := BelowThreshold
				if sim >= s.threshold {
					why = e.guard.Check(es[k].guard)
				}
				if why == Accepted {
					if best.k < 0 || float32(sim) > best.sim {
						best = pairRef{j: int32(j), k: k, sim: float32(sim)}
					}
				} else if float32(sim) > near.sim {
					near = pairRef{j: int32(j), k: k, sim: float32(sim), reason: why}
				}
			}
		}
		of[j] = -1
		if best.k >= 0 {
			if best.exact {
				of[j] = best.k
			}
			r.hits[e.key] = struct{}{}
			switch {
			case best.exact:
				r.exact++
			case best.sim >= 0.95:
				r.high++
			}
			hits = append(hits, best)
			continue
		}
		miss[j] = true
		exact[xk] = int32(j)
		if near.k >= 0 {
			r.refused[near.reason]++
			misses = append(misses, near)
		}
	}
	// the riskiest hits: least similar first; the nearest misses: most
	// similar first; ties in log order
	loc := func(a, b pairRef) int {
		if c := strings.Compare(es[a.j].file, es[b.j].file); c != 0 {
			return c
		}
		return cmpInt(es[a.j].line, es[b.j].line)
	}
	slices.SortFunc(hits, func(a, b pairRef) int {
		if a.sim != b.sim {
			return cmpInt(int64(a.sim*1e6), int64(b.sim*1e6))
		}
		return loc(a, b)
	})
	slices.SortFunc(misses, func(a, b pairRef) int {
		if a.sim != b.sim {
			return cmpInt(int64(b.sim*1e6), int64(a.sim*1e6))
		}
		return loc(a, b)
	})
	keep := func(ps []pairRef) []pairRef {
		ps = ps[:min(len(ps), s.sample)]
		out := make([]pairRef, len(ps))
		for i, p := range ps {
			r.entries = append(r.entries, es[p.j], es[p.k])
			r.sampled[es[p.j].key], r.sampled[es[p.k].key] = true, true
			out[i] = pairRef{j: int32(len(r.entries) - 2), k: int32(len(r.entries) - 1), sim: p.sim, reason: p.reason, exact: p.exact}
		}
		return out
	}
	r.hitPairs, r.missPairs = keep(hits), keep(misses)
	s.entries = nil
}

// entrySize is the memory of one entry.
const entrySize = unsafe.Sizeof(entry{})

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// groupFilter tells the groups (provider, model, system prompt, tools,
// parameters, earlier turns) that occur more than once, in fixed memory
// (two bit sets of 2^23 bits, 1 MiB each, per goroutine): only their
// requests can answer or be answered, so only they are kept for the
// replay. In a log of conversations most groups hold one request. A
// request of a single group is kept now and then when its bits collide
// with others' (about 5% at a million groups): harmless, it only costs
// its entry.
type groupFilter struct {
	once, more []uint64
}

const groupBits = 23

func groupBitsOf(h uint64) [2]uint64 {
	h = mix(h)
	const mask = 1<<groupBits - 1
	return [2]uint64{h & mask, (h >> 32) & mask}
}

// add counts one request of group h.
func (g *groupFilter) add(h uint64) {
	if g.once == nil {
		g.once, g.more = make([]uint64, 1<<groupBits/64), make([]uint64, 1<<groupBits/64)
	}
	for _, i := range groupBitsOf(h) {
		w, m := i/64, uint64(1)<<(i%64)
		if g.once[w]&m != 0 {
			g.more[w] |= m
		}
		g.once[w] |= m
	}
}

// merge adds o's counts: a bit set twice in either, or once in both, is
// set twice. The outcome does not depend on how requests were split.
func (g *groupFilter) merge(o *groupFilter) {
	if o.once == nil {
		return
	}
	if g.once == nil {
		g.once, g.more = o.once, o.more
		return
	}
	for i := range g.once {
		g.more[i] |= o.more[i] | g.once[i]&o.once[i]
		g.once[i] |= o.once[i]
	}
}

// twice reports whether group h may occur more than once (false: surely
// not).
func (g *groupFilter) twice(h uint64) bool {
	if g.once == nil {
		return false
	}
	for _, i := range groupBitsOf(h) {
		if g.more[i/64]&(1<<(i%64)) == 0 {
			return false
		}
	}
	return true
}
