package promptcache

import (
	"time"

	"github.com/shopspring/decimal"
)

// Prompt is one request as the replay sees it: its prompt as a chain of
// block hashes (the hash of each block chained with its parent's, as
// inference engines key their prefix caches, so equal hashes mean equal
// prefixes) and the input tokens up to the end of each block.
//
// Only the blocks of a prefix some other request shares can ever be read:
// Hashes and Cum may cover just the first blocks (the shared ones), and
// Points give the tokens at the later blocks that still matter (the end of
// the static prefix, the end of the prompt, the request's own breakpoints).
type Prompt struct {
	Time time.Time
	// N is the number of blocks. Hashes[i] is the chained hash of blocks
	// 0..i and Cum[i] the input tokens of blocks 0..i, for i < len(Hashes).
	N      int
	Hashes []uint64
	Cum    []int64
	// Points are (block, tokens up to its end) for blocks at or after
	// len(Hashes) that a placement may need; the last block always.
	Points []Point
	// Static is the number of leading blocks that are tools or system
	// prompt (the prefix every turn of a conversation shares).
	Static int
	// Marks are the breakpoints the request itself set (block and TTL),
	// ascending; used by the "logged" placement.
	Marks []Mark
}

// Point is the input tokens up to the end of a block.
type Point struct {
	Block, Cum int32
}

// Mark is a breakpoint a request set.
type Mark struct {
	Block int
	TTL   time.Duration
}

// cumAt returns the tokens up to the end of block i.
func (p *Prompt) cumAt(i int) int64 {
	if i < len(p.Cum) {
		return p.Cum[i]
	}
	for _, pt := range p.Points {
		if int(pt.Block) == i {
			return int64(pt.Cum)
		}
	}
	return p.total() // not reached: every needed point is kept
}

func (p *Prompt) total() int64 {
	if len(p.Points) > 0 {
		return int64(p.Points[len(p.Points)-1].Cum)
	}
	if len(p.Cum) > 0 {
		return p.Cum[len(p.Cum)-1]
	}
	return 0
}

// Outcome is how the replay bills one request's input: Read tokens are
// cache hits, Write5m and Write1h written to the cache (billed apart only
// when the rule says so), the rest uncached. StaticRead is the part of Read
// within the static prefix.
type Outcome struct {
	Read, Write5m, Write1h, StaticRead int64
	// Breakpoints is the number of breakpoints the placement set.
	Breakpoints int
}

// Placement says where breakpoints go for explicit caching.
type Placement uint8

const (
	// PlaceAuto: at the end of the static prefix and at the end of the
	// prompt (the next turn of the conversation reads the whole prompt).
	PlaceAuto Placement = iota
	// PlaceStatic: at the end of the static prefix only.
	PlaceStatic
	// PlaceLast: at the end of the prompt only.
	PlaceLast
	// PlaceLogged: where the request set them (no caching without any).
	PlaceLogged
	// PlaceNone: no breakpoints, nothing cached.
	PlaceNone
	numPlacements
)

var placementNames = [numPlacements]string{"auto", "static", "last", "logged", "none"}

func (p Placement) String() string { return placementNames[p] }

// lookback is how many blocks before a breakpoint Anthropic checks for an
// earlier entry (pricing-rules.md A4).
const lookback = 20

type entry struct {
	avail, expires int64 // unix ns: readable after avail, until expires
	ttl            time.Duration
}

// Cache replays prompts of one model family in time order. Entries become
// readable only after the request that wrote them started (parallel
// identical requests all write, A2) and live TTL after their last use.
type Cache struct {
	entries map[uint64]entry
	// inserts since the last prune, which kept kept entries: pruning again
	// only after as many inserts keeps its cost linear.
	inserts, kept int
	// Live is the largest number of entries held at once (after pruning).
	Live int
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{entries: map[uint64]entry{}} }

func (c *Cache) alive(h uint64, now int64) (entry, bool) {
	e, ok := c.entries[h]
	return e, ok && now > e.avail && now <= e.expires
}

func (c *Cache) put(h uint64, now int64, ttl time.Duration) {
	c.entries[h] = entry{avail: now, expires: now + int64(ttl), ttl: ttl}
	c.inserts++
	if c.inserts >= 1<<16 && c.inserts >= c.kept {
		c.prune(now)
	}
	c.Live = max(c.Live, len(c.entries))
}

// prune drops expired entries, so memory follows the live set, not the log.
func (c *Cache) prune(now int64) {
	for h, e := range c.entries {
		if now > e.expires {
			delete(c.entries, h)
		}
	}
	c.inserts, c.kept = 0, len(c.entries)
}

func (c *Cache) touch(h uint64, now int64) {
	e := c.entries[h]
	e.expires = max(e.expires, now+int64(e.ttl))
	c.entries[h] = e
}

// Auto replays one prompt under automatic prefix caching: the longest
// cached prefix of at least r.Min tokens is read (rounded down to r.Step),
// then every prefix of the prompt is cached.
func (c *Cache) Auto(p *Prompt, r *Rule) Outcome {
	now := p.Time.UnixNano()
	var out Outcome
	if p.N == 0 {
		return out
	}
	total := p.total()
	hit := -1
	for i := len(p.Hashes) - 1; i >= 0 && p.Cum[i] >= r.Min; i-- {
		if _, ok := c.alive(p.Hashes[i], now); ok {
			hit = i
			break
		}
	}
	if hit >= 0 {
		out.Read = p.Cum[hit] / r.Step * r.Step
		if out.Read < r.Min {
			out.Read = 0
		}
		out.StaticRead = min(out.Read, p.staticTokens())
	}
	if total >= r.Min {
		// Blocks past len(Hashes) are this prompt's own: nobody reads them.
		for i := range p.Hashes {
			if p.Cum[i] >= r.Min {
				c.put(p.Hashes[i], now, r.TTL)
			}
		}
		if r.Writes {
			out.Write5m = max(total/r.Step*r.Step-out.Read, 0)
		}
	}
	return out
}

func (p *Prompt) staticTokens() int64 {
	if p.Static == 0 {
		return 0
	}
	return p.cumAt(p.Static - 1)
}

// breakpoints returns the blocks that get a breakpoint under placement pl,
// ascending, with their TTLs; ttl is the simulated breakpoints' TTL.
func (p *Prompt) breakpoints(pl Placement, ttl time.Duration, buf []bp) []bp {
	n := p.N
	buf = buf[:0]
	switch pl {
	case PlaceLogged:
		for _, m := range p.Marks {
			if len(buf) < 4 {
				buf = append(buf, bp{m.Block, m.TTL})
			}
		}
	case PlaceStatic:
		if p.Static > 0 {
			buf = append(buf, bp{p.Static - 1, ttl})
		}
	case PlaceLast:
		buf = append(buf, bp{n - 1, ttl})
	case PlaceAuto:
		if p.Static > 0 && p.Static < n {
			buf = append(buf, bp{p.Static - 1, ttl})
		}
		buf = append(buf, bp{n - 1, ttl})
	}
	return buf
}

type bp struct {
	block int
	ttl   time.Duration
}

// Explicit replays one prompt under explicit caching with breakpoints
// placed by pl: each breakpoint looks back up to 20 blocks for a live
// entry, the longest hit is read (and its TTL refreshed), and the prompt up
// to its last breakpoint is written, when at least r.Min tokens long.
func (c *Cache) Explicit(p *Prompt, r *Rule, pl Placement, bps []bp) (Outcome, []bp) {
	now := p.Time.UnixNano()
	var out Outcome
	if p.N == 0 {
		return out, bps
	}
	bps = p.breakpoints(pl, r.TTL, bps)
	out.Breakpoints = len(bps)
	hit := -1
	for _, b := range bps {
		// Blocks past len(Hashes) are this prompt's own: nobody wrote them.
		for j := min(b.block, len(p.Hashes)-1); j >= 0 && j > b.block-lookback; j-- {
			if j <= hit {
				break
			}
			if _, ok := c.alive(p.Hashes[j], now); ok {
				hit = j
				break
			}
		}
	}
	var read int64
	if hit >= 0 && p.Cum[hit] >= r.Min {
		read = p.Cum[hit]
		c.touch(p.Hashes[hit], now)
	}
	out.Read = read
	out.StaticRead = min(read, p.staticTokens())
	prev := read
	for _, b := range bps {
		end := p.cumAt(b.block)
		if end < r.Min || end <= prev {
			continue
		}
		if b.block < len(p.Hashes) {
			if _, ok := c.alive(p.Hashes[b.block], now); !ok {
				c.put(p.Hashes[b.block], now, b.ttl)
			}
		}
		if b.ttl > 5*time.Minute {
			out.Write1h += end - prev
		} else {
			out.Write5m += end - prev
		}
		prev = end
	}
	if !r.Writes {
		out.Write5m, out.Write1h = 0, 0
	}
	return out, bps
}

// StaticCache replays Gemini's explicit context caching of each prompt's
// static prefix (tools and system prompt): the first request with a prefix
// creates a cache of it (billed as input), later ones read it while it
// lives, each use extending its life to TTL after it; storage is billed
// for every hour a cache lives (G2).
type StaticCache struct {
	ttl   time.Duration
	lives map[uint64]*life
	// tokenNS are the prefix tokens × nanoseconds of the caches that ended
	// (End adds the live ones): exact, divided into hours once.
	tokenNS decimal.Decimal
	// Created counts the caches made.
	Created int64
}

type life struct {
	start, expires int64
	tokens         int64
}

// NewStaticCache returns an empty cache whose entries live ttl after use.
func NewStaticCache(ttl time.Duration) *StaticCache {
	return &StaticCache{ttl: ttl, lives: map[uint64]*life{}, tokenNS: decimal.Zero}
}

// Use bills one prompt: the static prefix is read when a cache of it
// lives, else a cache is created (the prompt pays its prefix as input).
// Prompts whose static prefix is under r.Min tokens, or that have none,
// are not cached.
func (c *StaticCache) Use(p *Prompt, r *Rule) Outcome {
	var out Outcome
	if p.Static == 0 || p.Static > len(p.Hashes) {
		return out // no static prefix, or one nobody else shares
	}
	tokens := p.staticTokens()
	if tokens < r.Min {
		return out
	}
	now := p.Time.UnixNano()
	h := p.Hashes[p.Static-1]
	l := c.lives[h]
	if l != nil && now > l.start && now <= l.expires {
		out.Read, out.StaticRead = tokens, tokens
		l.expires = max(l.expires, now+int64(c.ttl))
		return out
	}
	if l != nil {
		c.end(l)
	}
	c.lives[h] = &life{start: now, expires: now + int64(c.ttl), tokens: tokens}
	c.Created++
	return out
}

func (c *StaticCache) end(l *life) {
	c.tokenNS = c.tokenNS.Add(decimal.NewFromInt(l.expires - l.start).Mul(decimal.NewFromInt(l.tokens)))
}

// End closes every cache still alive (each lives its TTL after its last
// use) and returns the token-hours stored in all (rounded to 12 places).
func (c *StaticCache) End() decimal.Decimal {
	for h, l := range c.lives {
		c.end(l)
		delete(c.lives, h)
	}
	return c.tokenNS.DivRound(decimal.NewFromInt(int64(time.Hour)), 12)
}
