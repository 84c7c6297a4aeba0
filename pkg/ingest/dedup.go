package ingest

import "sync"

// dedupSet remembers 64-bit keys of records already seen, for formats whose
// logs repeat a billed call (Claude Code writes one line per content block
// of a message, each carrying the message's usage). It is safe for
// concurrent use: keys are spread over shards, each an open-addressing
// table of uint64 keys and int32 owners (12 bytes a key at most half
// full, so a million distinct keys take about 24 MB).
type dedupSet struct {
	shards [dedupShards]dedupShard
	// files are the run's files by index. A key seen in several files is a
	// record of the first of them in input order and a duplicate in the
	// others, whichever worker reads it first, so each file's counts are
	// the same from run to run.
	files []*fileState
}

const dedupShards = 64

type dedupShard struct {
	mu     sync.Mutex
	slots  []uint64 // 0 = empty; key 0 is stored as 1
	owners []int32  // the file each key counts as a record of
	n      int
}

// add records key, read in file (its index in files). isNew reports that
// the key was not seen before: the call is to be counted. owns reports
// that it was, but only in later files: the call is already counted, and
// now belongs to this file's records rather than to the later file's,
// whose counts add says are a duplicate instead.
func (s *dedupSet) add(key uint64, file int) (isNew, owns bool) {
	if key == 0 {
		key = 1
	}
	sh := &s.shards[key%dedupShards]
	sh.mu.Lock()
	if 2*(sh.n+1) > len(sh.slots) {
		sh.grow()
	}
	mask := uint64(len(sh.slots) - 1)
	prev := int32(-1)
	for i := (key / dedupShards) & mask; ; i = (i + 1) & mask {
		if sh.slots[i] == 0 {
			sh.slots[i], sh.owners[i] = key, int32(file)
			sh.n++
			isNew = true
			break
		}
		if sh.slots[i] == key {
			if int32(file) < sh.owners[i] {
				prev, sh.owners[i] = sh.owners[i], int32(file)
				owns = true
			}
			break
		}
	}
	sh.mu.Unlock()
	if owns && int(prev) < len(s.files) {
		s.files[prev].records.Add(-1)
		s.files[prev].duplicates.Add(1)
	}
	return isNew, owns
}

func (sh *dedupShard) grow() {
	old, oldOwners := sh.slots, sh.owners
	size := 2 * len(old)
	if size == 0 {
		size = 1024
	}
	sh.slots, sh.owners = make([]uint64, size), make([]int32, size)
	mask := uint64(size - 1)
	for j, k := range old {
		if k == 0 {
			continue
		}
		for i := (k / dedupShards) & mask; ; i = (i + 1) & mask {
			if sh.slots[i] == 0 {
				sh.slots[i], sh.owners[i] = k, oldOwners[j]
				break
			}
		}
	}
}
