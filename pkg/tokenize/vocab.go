package tokenize

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
)

// vocab is a read-only hash table from token bytes to rank, built from the
// loader's map[string]int. It is faster than the map for this workload
// (most lookups are of short byte strings, about half of them misses during
// merges): a slot holds the first eight bytes of its key inline, so a probe
// compares two integers and touches the key's remaining bytes (in arena)
// only for keys longer than eight bytes.
type vocab struct {
	slots  []slot
	mask   uint64
	arena  []byte // bytes 8.. of the keys longer than eight bytes
	maxLen int
	// bytes and pairs hold the ranks of the one- and two-byte tokens, -1
	// for the others: merges start by looking up each adjacent pair of
	// bytes, and this 257 KiB stays in cache where the table does not.
	bytes [256]int32
	pairs []int32
}

type slot struct {
	tag  uint64 // key8 of the key: its bytes when up to 8, else its first 8
	info uint32 // rank+1 in the low 24 bits (0: empty slot), length in the high 8
	off  uint32 // offset of the key's bytes 8.. in arena
}

const (
	maxTokenLen = 255       // the length field has 8 bits
	maxRank     = 1<<24 - 2 // the rank field has 24 bits, with 0 meaning empty
)

func newVocab(ranks map[string]int) (*vocab, error) {
	size := 1
	for size < 2*len(ranks)+2 { // load factor at most 1/2
		size <<= 1
	}
	v := &vocab{slots: make([]slot, size), mask: uint64(size - 1), pairs: make([]int32, 1<<16)}
	for i := range v.pairs {
		v.pairs[i] = -1
	}
	for i := range v.bytes {
		v.bytes[i] = -1
	}
	for k, r := range ranks {
		if len(k) == 0 || len(k) > maxTokenLen || r < 0 || r > maxRank {
			return nil, fmt.Errorf("token %q with rank %d does not fit the table", k, r)
		}
		b := []byte(k)
		switch len(b) {
		case 1:
			v.bytes[b[0]] = int32(r)
		case 2:
			v.pairs[int(b[0])<<8|int(b[1])] = int32(r)
		}
		tag, h := keyHash(b)
		s := slot{tag: tag, info: uint32(len(b))<<24 | uint32(r+1)}
		if len(b) > 8 {
			if len(v.arena) > 1<<32-1-maxTokenLen {
				return nil, fmt.Errorf("vocabulary too large")
			}
			s.off = uint32(len(v.arena))
			v.arena = append(v.arena, b[8:]...)
		}
		i := h & v.mask
		for v.slots[i].info != 0 {
			i = (i + 1) & v.mask
		}
		v.slots[i] = s
		v.maxLen = max(v.maxLen, len(b))
	}
	return v, nil
}

// get returns the rank of b, or noRank when b is not a token.
func (v *vocab) get(b []byte) int {
	n := len(b)
	switch {
	case n == 1:
		if r := v.bytes[b[0]]; r >= 0 {
			return int(r)
		}
		return noRank
	case n == 2:
		return v.pair(b[0], b[1])
	case n > v.maxLen || n == 0:
		return noRank
	}
	tag, h := keyHash(b)
	want := uint32(n) << 24
	for i := h & v.mask; ; i = (i + 1) & v.mask {
		s := &v.slots[i]
		if s.info == 0 {
			return noRank
		}
		if s.tag == tag && s.info&0xFF000000 == want &&
			(n <= 8 || bytes.Equal(v.arena[s.off:s.off+uint32(n-8)], b[8:])) {
			return int(s.info&0xFFFFFF) - 1
		}
	}
}

// pair returns the rank of the two bytes a, b, or noRank.
func (v *vocab) pair(a, b byte) int {
	if r := v.pairs[int(a)<<8|int(b)]; r >= 0 {
		return int(r)
	}
	return noRank
}

// keyHash returns the inline tag of b and its hash. For up to eight bytes
// the tag determines b given its length: lengths 1 to 3 keep the first,
// middle and last bytes, 4 to 7 two overlapping 4-byte words.
func keyHash(b []byte) (tag, h uint64) {
	n := len(b)
	switch {
	case n >= 8:
		tag = binary.LittleEndian.Uint64(b)
	case n >= 4:
		tag = uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint32(b[n-4:]))<<32
	case n > 0:
		tag = uint64(b[0]) | uint64(b[n/2])<<8 | uint64(b[n-1])<<16
	}
	h = mix(tag ^ uint64(n)*0x9E3779B97F4A7C15)
	for b = b[min(n, 8):]; len(b) >= 8; b = b[8:] {
		h = mix(h ^ binary.LittleEndian.Uint64(b))
	}
	if len(b) > 0 {
		var w [8]byte
		copy(w[:], b)
		h = mix(h ^ binary.LittleEndian.Uint64(w[:]))
	}
	return tag, h
}

// mix is a 64-bit multiply-fold: fast, and it spreads every input bit.
func mix(x uint64) uint64 {
	hi, lo := bits.Mul64(x^0x2d358dccaa6c78a5, 0x8bb84b93962eacc9)
	return hi ^ lo
}
