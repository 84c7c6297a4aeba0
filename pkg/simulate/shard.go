package simulate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"

	"github.com/llmcost/llmcost/pkg/pricing"
	"github.com/llmcost/llmcost/pkg/record"
)

// Shard keys: what keeps the requests that share state in one shard.
const (
	// ShardConversation keeps each conversation whole (history trimming,
	// summaries).
	ShardConversation = "conversation"
	// ShardUser keeps each user's requests together.
	ShardUser = "user"
	// ShardSystem keeps requests to one model with one system prompt
	// together (semantic caching groups by both).
	ShardSystem = "system"
	// ShardPrefix keeps requests to one model whose prompts start with the
	// same block together: every request that can read another's cached
	// prefix (prompt caching) is in its shard.
	ShardPrefix = "prefix"
)

// ShardKeys are the keys a simulation can be sharded by.
var ShardKeys = []string{ShardConversation, ShardUser, ShardSystem, ShardPrefix}

// Shard selects the requests of one shard of a log: those whose Key hashes
// to Index modulo Count. Every shard reads the whole log and keeps its own
// requests, so shards are disjoint and together hold every request, and
// requests with equal keys are in the same shard. A request without the
// key (no conversation id, no user) is spread by its own location.
type Shard struct {
	Key          string
	Index, Count int
}

// Active reports whether the shard selects part of the log.
func (s Shard) Active() bool { return s.Count > 1 }

func (s Shard) String() string {
	if !s.Active() {
		return ""
	}
	return fmt.Sprintf("%d/%d by %s", s.Index, s.Count, s.Key)
}

// ParseShard reads "i/n" (0 <= i < n) for key.
func ParseShard(key, spec string) (Shard, error) {
	sh := Shard{Key: key}
	if !slices.Contains(ShardKeys, key) {
		return sh, fmt.Errorf("shard key %q: want one of %s", key, strings.Join(ShardKeys, ", "))
	}
	i, n, ok := strings.Cut(spec, "/")
	var err1, err2 error
	if ok {
		sh.Index, err1 = strconv.Atoi(strings.TrimSpace(i))
		sh.Count, err2 = strconv.Atoi(strings.TrimSpace(n))
	}
	if !ok || err1 != nil || err2 != nil || sh.Count < 1 || sh.Index < 0 || sh.Index >= sh.Count {
		return sh, fmt.Errorf("shard %q: want i/n with 0 <= i < n, e.g. 0/8", spec)
	}
	return sh, nil
}

// shardKeyer hashes records' shard keys for one goroutine.
type shardKeyer struct {
	cat    *pricing.Catalog
	models map[[2]string]string
	d      xxhash.Digest
}

// model is the catalog id of the record's model (its logged name when
// unknown): two spellings of one model share a cache, so a shard.
func (k *shardKeyer) model(rec *record.Record) string {
	key := [2]string{rec.Provider, rec.Model}
	id, ok := k.models[key]
	if !ok {
		id = rec.Provider + "\x00" + rec.Model
		if k.cat != nil {
			if m, found := k.cat.Resolve(rec.Provider, rec.Model); found {
				id = m.Provider + "\x00" + m.ID
			}
		}
		if k.models == nil {
			k.models = map[[2]string]string{}
		}
		k.models[key] = id
	}
	return id
}

// hash returns the record's shard-key hash.
func (k *shardKeyer) hash(key string, rec *record.Record, f *Facts) uint64 {
	switch key {
	case ShardConversation:
		if rec.ConversationID != "" {
			return xxhash.Sum64String(rec.ConversationID)
		}
	case ShardUser:
		if rec.User != "" {
			return xxhash.Sum64String(rec.User)
		}
	case ShardSystem:
		k.d.Reset()
		k.d.WriteString(k.model(rec))
		var b [8]byte
		for i := range b {
			b[i] = byte(rec.SystemHash >> (8 * i))
		}
		k.d.Write(b[:])
		return k.d.Sum64()
	case ShardPrefix:
		if t := f.Text(); t != nil {
			k.d.Reset()
			k.d.WriteString(k.model(rec))
			k.d.WriteString(t.Blocks[0].Role)
			k.d.Write([]byte{0})
			k.d.Write(t.Text(0))
			return k.d.Sum64()
		}
	}
	return RequestKey(rec)
}

// keep reports whether rec belongs to shard s; f must be reset to rec.
func (k *shardKeyer) keep(s Shard, rec *record.Record, f *Facts) bool {
	if !s.Active() {
		return true
	}
	// Mix the hash again: xxhash's low bits are fine, but RequestKey's
	// are a multiplication.
	h := k.hash(s.Key, rec, f)
	h ^= h >> 31
	h *= 0x7fb5d329728ea185
	h ^= h >> 27
	return h%uint64(s.Count) == uint64(s.Index)
}

// Safety is how a scenario's outcome on shards adds up to its outcome on
// the whole log.
type Safety uint8

const (
	// Exact: the shards' bills add up to the whole log's exactly.
	Exact Safety = iota
	// Approximate: state crosses shards (a prefix cached by one
	// conversation and read by another), so the sum differs; the note says
	// how.
	Approximate
	// Unsafe: the outcome on a shard means nothing for the whole (a GPU
	// fleet sized for part of the traffic).
	Unsafe
)

// Sharder is a Scenario whose requests share state. ShardSafety says how
// its outcome survives a split by key ("" for a split the simulator does
// not control, e.g. by file). A Scenario that is not a Sharder treats each
// request on its own: exact under any split.
type Sharder interface {
	ShardSafety(key string) (Safety, string)
}

// ShardNotes checks the scenarios against a split by key: notes for the
// approximate ones, an error for an unsafe one.
func ShardNotes(scs []Scenario, key string) (notes []string, err error) {
	for _, s := range scs {
		sh, ok := s.(Sharder)
		if !ok {
			continue
		}
		safety, why := sh.ShardSafety(key)
		switch safety {
		case Approximate:
			notes = append(notes, s.Name()+": "+why)
		case Unsafe:
			by := "by " + key
			if key == "" {
				by = "without a shard key"
			}
			return notes, fmt.Errorf("scenario %s cannot be simulated in shards %s: %s", s.Name(), by, why)
		}
	}
	return notes, nil
}
