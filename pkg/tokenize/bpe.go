package tokenize

import "math"

// noRank marks a pair of parts that the vocabulary cannot merge.
const noRank = math.MaxInt

// stackParts is the piece length up to which merge works in arrays on the
// stack; longer pieces (long runs of letters or spaces) use mergeLong.
const stackParts = 128

// rank returns the rank of b in the vocabulary, or noRank.
func (e *Encoding) rank(b []byte) int { return e.vocab.get(b) }

// merge runs byte-pair encoding on a piece that is not itself a token and
// returns the start offsets of the resulting tokens followed by len(p), in
// bounds (reused when large enough). Like tiktoken, it repeatedly merges
// the adjacent pair whose concatenation has the lowest rank, the leftmost
// one on ties, until no pair is in the vocabulary.
func (e *Encoding) merge(p []byte, bounds []int) []int {
	n := len(p)
	if n > stackParts {
		return e.mergeLong(p, bounds)
	}
	var rankBuf [stackParts + 1]int
	// parts[k] is where part k starts; the last entry is len(p).
	// ranks[k] is the rank of parts k and k+1 merged.
	parts := bounds[:0]
	for k := 0; k <= n; k++ {
		parts = append(parts, k)
	}
	ranks := rankBuf[:n+1]
	for k := 0; k+2 <= n; k++ {
		ranks[k] = e.vocab.pair(p[k], p[k+1])
	}
	ranks[n-1], ranks[n] = noRank, noRank
	for len(parts) > 2 {
		best, bi := noRank, -1
		for k := 0; k < len(parts)-2; k++ {
			if ranks[k] < best {
				best, bi = ranks[k], k
			}
		}
		if bi < 0 {
			break
		}
		copy(parts[bi+1:], parts[bi+2:])
		parts = parts[:len(parts)-1]
		copy(ranks[bi+1:], ranks[bi+2:])
		ranks = ranks[:len(ranks)-1]
		if bi+2 < len(parts) {
			ranks[bi] = e.rank(p[parts[bi]:parts[bi+2]])
		} else {
			ranks[bi] = noRank
		}
		if bi > 0 {
			ranks[bi-1] = e.rank(p[parts[bi-1]:parts[bi+1]])
		}
	}
	return parts
}

// mergeLong is merge in O(n log n) for long pieces: the parts form a linked
// list and the candidate pairs sit in a min-heap ordered by (rank, start),
// which selects the same pair as merge's scan. An entry is stale when its
// part was merged away or its pair changed; both show as a rank that is no
// longer the part's current rank, because a rank identifies its bytes.
func (e *Encoding) mergeLong(p []byte, bounds []int) []int {
	n := len(p)
	next := make([]int, n)  // start of the following part, n for the last
	prev := make([]int, n)  // start of the preceding part, -1 for the first
	ranks := make([]int, n) // rank of the pair starting here; -1 when merged away
	h := make(pairHeap, 0, n)
	for k := range n {
		next[k], prev[k] = k+1, k-1
		ranks[k] = noRank
		if k+2 <= n {
			ranks[k] = e.vocab.pair(p[k], p[k+1])
			if ranks[k] != noRank {
				h = append(h, pair{ranks[k], k})
			}
		}
	}
	h.init()
	for len(h) > 0 {
		top := h.pop()
		k := top.start
		if ranks[k] != top.rank {
			continue
		}
		j := next[k] // merge part j into part k
		nj := next[j]
		next[k] = nj
		if nj < n {
			prev[nj] = k
		}
		ranks[j] = -1
		ranks[k] = noRank
		if nj < n {
			if r := e.rank(p[k:next[nj]]); r != noRank {
				ranks[k] = r
				h.push(pair{r, k})
			}
		}
		if pk := prev[k]; pk >= 0 {
			ranks[pk] = e.rank(p[pk:nj])
			if ranks[pk] != noRank {
				h.push(pair{ranks[pk], pk})
			}
		}
	}
	bounds = bounds[:0]
	for k := 0; k < n; k = next[k] {
		bounds = append(bounds, k)
	}
	return append(bounds, n)
}

type pair struct{ rank, start int }

func (a pair) less(b pair) bool {
	return a.rank < b.rank || a.rank == b.rank && a.start < b.start
}

// pairHeap is a binary min-heap of pairs.
type pairHeap []pair

func (h pairHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *pairHeap) push(x pair) {
	*h = append(*h, x)
	s := *h
	i := len(s) - 1
	for i > 0 {
		up := (i - 1) / 2
		if !s[i].less(s[up]) {
			break
		}
		s[i], s[up] = s[up], s[i]
		i = up
	}
}

func (h *pairHeap) pop() pair {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	*h = s[:last]
	h.down(0)
	return top
}

func (h pairHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r].less(h[l]) {
			m = r
		}
		if !h[m].less(h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
