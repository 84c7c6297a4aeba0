package ingest

import "sync"

// dedupSet remembers 64-bit keys of records already seen, for formats whose
// logs repeat a billed call (Claude Code writes one line per content block
// of a message, each carrying the message's usage). It is safe for
// concurrent use: keys are spread over shards, each an open-addressing
// table of uint64 (8 bytes a key at most half full, so a million distinct
// keys take about 16 MB).
type dedupSet struct {
	shards [dedupShards]dedupShard
}

const dedupShards = 64

type dedupShard struct {
	mu    sync.Mutex
	slots []uint64 // 0 = empty; key 0 is stored as 1
	n     int
}

// add records key and reports whether it was new.
func (s *dedupSet) add(key uint64) bool {
	if key == 0 {
		key = 1
	}
	sh := &s.shards[key%dedupShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if 2*(sh.n+1) > len(sh.slots) {
		sh.grow()
	}
	mask := uint64(len(sh.slots) - 1)
	for i := (key / dedupShards) & mask; ; i = (i + 1) & mask {
		switch sh.slots[i] {
		case key:
			return false
		case 0:
			sh.slots[i] = key
			sh.n++
			return true
		}
	}
}

func (sh *dedupShard) grow() {
	old := sh.slots
	size := 2 * len(old)
	if size == 0 {
		size = 1024
	}
	sh.slots = make([]uint64, size)
	mask := uint64(size - 1)
	for _, k := range old {
		if k == 0 {
			continue
		}
		for i := (k / dedupShards) & mask; ; i = (i + 1) & mask {
			if sh.slots[i] == 0 {
				sh.slots[i] = k
				break
			}
		}
	}
}
