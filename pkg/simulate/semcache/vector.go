package semcache

import (
	"math"
	"slices"
)

// dfBits sizes the document-frequency table: n-gram hashes fall in 2^18
// buckets (1 MiB of counts per goroutine). Natural text has a few tens of
// thousands of distinct character trigrams, so buckets rarely share.
const dfBits = 18

// DF counts, for each n-gram bucket, the texts it occurs in: the statistic
// the IDF weights come from, fitted on the log itself. Not safe for
// concurrent use; Merge the counts of several goroutines.
type DF struct {
	N      int64 // texts counted
	counts []uint32
}

// Add counts the distinct grams of one text (sorted and deduplicated by
// Features).
func (d *DF) Add(f *Features) {
	if d.counts == nil {
		d.counts = make([]uint32, 1<<dfBits)
	}
	d.N++
	prev := -1
	for _, h := range f.Grams {
		b := int(h >> (64 - dfBits))
		if b != prev { // grams are sorted, so a bucket's grams are adjacent
			d.counts[b]++
			prev = b
		}
	}
}

// Merge adds o's counts to d.
func (d *DF) Merge(o *DF) {
	if o.counts == nil {
		return
	}
	if d.counts == nil {
		d.counts = make([]uint32, 1<<dfBits)
	}
	d.N += o.N
	for i, c := range o.counts {
		d.counts[i] += c
	}
}

// IDF returns the smoothed inverse document frequency of a gram,
// ln((1+N)/(1+df)) + 1, as scikit-learn's TfidfVectorizer computes it.
func (d *DF) IDF(h uint64) float64 {
	var df uint32
	if d.counts != nil {
		df = d.counts[h>>(64-dfBits)]
	}
	return math.Log(float64(1+d.N)/float64(1+df)) + 1
}

// Common reports whether a gram occurs in more than share of the texts
// (a template's or a language's filler, left out of the signature).
func (d *DF) Common(h uint64, share float64) bool {
	if d.counts == nil || d.N < 20 {
		return false
	}
	return float64(d.counts[h>>(64-dfBits)]) > share*float64(d.N)
}

// Features are what one prompt is compared by: its normalised text's hash,
// its guard and its character n-grams. Reusable: Analyze each text into
// the same Features.
type Features struct {
	// Text hashes the normalised text: equal hashes, equal prompts.
	Text  uint64
	Guard Guard
	// Grams are the hashes of the character n-grams, sorted, duplicates
	// kept (term counts).
	Grams []uint64
	// Distinct are the distinct grams, sorted.
	Distinct []uint64
	// Norm is the normalised text.
	Norm    []byte
	scratch []byte
}

// Analyze fills f from a prompt's text with n-grams of n runes.
func (f *Features) Analyze(text []byte, n int) {
	f.Norm = Normalize(f.Norm[:0], text)
	f.Guard = GuardOf(f.Norm)
	f.Text = f.Guard.Order
	f.Grams, f.scratch = grams(f.Grams[:0], f.scratch, f.Norm, n)
	slices.Sort(f.Grams)
	f.Distinct = f.Distinct[:0]
	for i, h := range f.Grams {
		if i == 0 || h != f.Grams[i-1] {
			f.Distinct = append(f.Distinct, h)
		}
	}
}

// Vector is a TF-IDF vector of unit length: sorted gram keys (the low 32
// bits of the gram hash) and their weights. 8 bytes a distinct gram.
type Vector struct {
	Keys []uint32
	W    []float32
}

// Bytes is the vector's memory.
func (v *Vector) Bytes() int { return 24*2 + 4*cap(v.Keys) + 4*cap(v.W) }

// TFIDF returns f's vector: each distinct gram weighted by
// (1 + ln count) × IDF, then scaled to unit length.
func TFIDF(f *Features, df *DF) Vector {
	type kw struct {
		k uint32
		w float64
	}
	tmp := make([]kw, 0, len(f.Distinct))
	for i := 0; i < len(f.Grams); {
		j := i
		for j < len(f.Grams) && f.Grams[j] == f.Grams[i] {
			j++
		}
		w := (1 + math.Log(float64(j-i))) * df.IDF(f.Grams[i])
		tmp = append(tmp, kw{uint32(f.Grams[i]), w})
		i = j
	}
	slices.SortFunc(tmp, func(a, b kw) int {
		switch {
		case a.k < b.k:
			return -1
		case a.k > b.k:
			return 1
		}
		return 0
	})
	// two grams whose hashes share their low 32 bits add up
	v := Vector{Keys: make([]uint32, 0, len(tmp)), W: make([]float32, 0, len(tmp))}
	var norm float64
	for i := 0; i < len(tmp); {
		j, w := i, 0.0
		for j < len(tmp) && tmp[j].k == tmp[i].k {
			w += tmp[j].w
			j++
		}
		v.Keys = append(v.Keys, tmp[i].k)
		v.W = append(v.W, float32(w))
		norm += w * w
		i = j
	}
	if norm > 0 {
		s := 1 / math.Sqrt(norm)
		for i := range v.W {
			v.W[i] = float32(float64(v.W[i]) * s)
		}
	}
	return v
}

// Cosine is the cosine similarity of two unit vectors (their dot
// product), in [0, 1] for TF-IDF vectors.
func Cosine(a, b Vector) float64 {
	var dot float64
	i, j := 0, 0
	for i < len(a.Keys) && j < len(b.Keys) {
		switch {
		case a.Keys[i] < b.Keys[j]:
			i++
		case a.Keys[i] > b.Keys[j]:
			j++
		default:
			dot += float64(a.W[i]) * float64(b.W[j])
			i++
			j++
		}
	}
	return min(max(dot, 0), 1)
}

// Dense cosine of two embeddings (any length; 0 when either is zero or
// their lengths differ).
func denseCosine(a, b []float32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return min(max(dot/math.Sqrt(na*nb), -1), 1)
}

// LSH parameters: a MinHash signature of bands × rows hash minima; two
// texts become candidates when all rows of one band agree. With 20 bands
// of 3 rows, a pair whose informative grams have a Jaccard similarity of
// 0.5 is a candidate with probability 0.93, of 0.3 with 0.42, of 0.1 with
// 0.02 (1 - (1 - J^3)^20); the exact cosine decides among candidates.
const (
	bands = 20
	rows  = 3
)

// seeds are the MinHash functions (hash ^ seed, then mixed).
var seeds = func() [bands * rows]uint64 {
	var s [bands * rows]uint64
	x := uint64(0x243f6a8885a308d3) // splitmix64 from a fixed start
	for i := range s {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		s[i] = z ^ z>>31
	}
	return s
}()

func mix(z uint64) uint64 {
	z = (z ^ z>>33) * 0xff51afd7ed558ccd
	z = (z ^ z>>33) * 0xc4ceb9fe1a85ec53
	return z ^ z>>33
}

// Signature holds one text's band keys: a hash of each band's minima and
// of the group the text belongs to (so texts of different groups rarely
// share a key).
type Signature [bands]uint32

// MinHash computes the band keys of a set of distinct gram hashes; grams
// common to more than maxDF of the log's texts are left out (a template's
// boilerplate would make every text a candidate), unless that leaves none.
func MinHash(distinct []uint64, df *DF, maxDF float64, group uint64) Signature {
	var mins [bands * rows]uint64
	for i := range mins {
		mins[i] = math.MaxUint64
	}
	used := 0
	for pass := 0; pass < 2 && used == 0; pass++ {
		for _, h := range distinct {
			if pass == 0 && df != nil && df.Common(h, maxDF) {
				continue
			}
			used++
			for i, s := range seeds {
				if m := mix(h ^ s); m < mins[i] {
					mins[i] = m
				}
			}
		}
	}
	var sig Signature
	for b := range sig {
		h := mix(group ^ uint64(b+1)*0x9e3779b97f4a7c15)
		for r := 0; r < rows; r++ {
			h = mix(h ^ mins[b*rows+r])
		}
		sig[b] = uint32(h)
	}
	return sig
}
