package promptcache

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/pricing"
)

var t0 = time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)

// prompt builds a prompt of blocks named by letters ("SAB": system S, then
// messages A and B), each `size` tokens, the first `static` blocks being
// tools or system; equal letter prefixes give equal hashes.
func prompt(at time.Duration, blocks string, size int64, static int) *Prompt {
	p := &Prompt{Time: t0.Add(at), Static: static}
	var h uint64 = 1469598103934665603
	for _, b := range []byte(blocks) {
		h = (h ^ uint64(b)) * 1099511628211
		p.Hashes = append(p.Hashes, h)
		p.Cum = append(p.Cum, size*int64(len(p.Cum)+1))
	}
	p.N = len(p.Hashes)
	p.Points = []Point{{int32(p.N - 1), int32(size * int64(p.N))}}
	return p
}

func TestAuto(t *testing.T) {
	openai := Rule{Kind: KindAuto, Min: 1024, Step: 128, TTL: 5 * time.Minute}
	type req struct {
		at     time.Duration
		blocks string
		size   int64
		read   int64
	}
	tests := []struct {
		name string
		rule Rule
		reqs []req
	}{
		{"shared system prompt, then the whole prompt again", openai, []req{
			{0, "SA", 2048, 0}, {time.Minute, "SB", 2048, 2048}, {2 * time.Minute, "SA", 2048, 4096}}},
		{"hits in 128-token steps", openai, []req{
			{0, "SA", 1100, 0}, {time.Minute, "SB", 1100, 1024}}},
		{"a prefix under 1,024 tokens is never read", openai, []req{
			{0, "SA", 1000, 0}, {time.Minute, "SB", 1000, 0}}},
		{"a prompt under 1,024 tokens is not cached", openai, []req{
			{0, "SA", 500, 0}, {time.Minute, "SABC", 500, 0}}},
		{"idle eviction, and a hit refreshes", openai, []req{
			{0, "SA", 2048, 0}, {4 * time.Minute, "SA", 2048, 4096}, {8 * time.Minute, "SA", 2048, 4096},
			{20 * time.Minute, "SA", 2048, 0}}},
		{"same start time: both write, neither reads", openai, []req{
			{0, "SA", 2048, 0}, {0, "SA", 2048, 0}, {time.Second, "SA", 2048, 4096}}},
		{"Gemini Pro minimum 4,096", Rule{Kind: KindAuto, Min: 4096, Step: 1, TTL: 5 * time.Minute}, []req{
			{0, "SAB", 2000, 0}, {time.Minute, "SAC", 2000, 0}, {2 * time.Minute, "SAB", 2000, 6000}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCache()
			for i, r := range tt.reqs {
				out := c.Auto(prompt(r.at, r.blocks, r.size, 1), &tt.rule)
				if out.Read != r.read {
					t.Errorf("request %d: read %d, want %d", i+1, out.Read, r.read)
				}
				if out.Write5m != 0 || out.Write1h != 0 {
					t.Errorf("request %d: writes %d/%d billed on a rule without write pricing", i+1, out.Write5m, out.Write1h)
				}
			}
		})
	}
}

func TestAutoWrites(t *testing.T) {
	r := Rule{Kind: KindAuto, Min: 1024, Step: 128, TTL: 5 * time.Minute, Writes: true}
	c := NewCache()
	if out := c.Auto(prompt(0, "SA", 1100, 1), &r); out.Write5m != 2176 {
		t.Errorf("first request writes %d, want 2,176 (2,200 in 128-token steps)", out.Write5m)
	}
	if out := c.Auto(prompt(time.Minute, "SA", 1100, 1), &r); out.Read != 2176 || out.Write5m != 0 {
		t.Errorf("second request reads %d writes %d, want 2,176 and 0", out.Read, out.Write5m)
	}
}

func TestExplicit(t *testing.T) {
	sonnet := Rule{Kind: KindExplicit, Min: 1024, Step: 1, TTL: 5 * time.Minute, Writes: true}
	type req struct {
		at                   time.Duration
		blocks               string
		read, write5, write1 int64
	}
	tests := []struct {
		name string
		rule Rule
		pl   Placement
		reqs []req
	}{
		{"conversation: each turn reads the last", sonnet, PlaceAuto, []req{
			{0, "SA", 0, 4000, 0}, {time.Minute, "SABC", 4000, 4000, 0}, {4 * time.Minute, "SABCDE", 8000, 4000, 0}}},
		{"expired after the TTL", sonnet, PlaceAuto, []req{
			{0, "SA", 0, 4000, 0}, {6 * time.Minute, "SABC", 0, 8000, 0}}},
		{"a hit refreshes the TTL", sonnet, PlaceStatic, []req{
			{0, "SA", 0, 2000, 0}, {4 * time.Minute, "SB", 2000, 0, 0}, {8 * time.Minute, "SC", 2000, 0, 0}}},
		{"static breakpoint only", sonnet, PlaceStatic, []req{
			{0, "SA", 0, 2000, 0}, {time.Minute, "SABC", 2000, 0, 0}}},
		{"1-hour TTL writes", Rule{Kind: KindExplicit, Min: 1024, Step: 1, TTL: time.Hour, Writes: true}, PlaceLast, []req{
			{0, "SA", 0, 0, 4000}, {50 * time.Minute, "SABC", 4000, 0, 4000}}},
		{"under the model's minimum: not cached", Rule{Kind: KindExplicit, Min: 4096, Step: 1, TTL: 5 * time.Minute, Writes: true}, PlaceAuto, []req{
			{0, "S", 0, 0, 0}, {0, "SA", 0, 0, 0}, {time.Minute, "SAB", 0, 6000, 0}, {2 * time.Minute, "SABC", 6000, 2000, 0}}},
		{"the lookback stops after 20 blocks", sonnet, PlaceLast, []req{
			{0, "SA", 0, 4000, 0}, {time.Minute, "SABCDEFGHIJKLMNOPQRSTU", 0, 44000, 0}}},
		{"within 20 blocks it finds the entry", sonnet, PlaceLast, []req{
			{0, "SA", 0, 4000, 0}, {time.Minute, "SABCDEFGHIJKLMNOPQRST", 4000, 38000, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCache()
			var bps []bp
			for i, r := range tt.reqs {
				var out Outcome
				out, bps = c.Explicit(prompt(r.at, r.blocks, 2000, 1), &tt.rule, tt.pl, bps)
				if out.Read != r.read || out.Write5m != r.write5 || out.Write1h != r.write1 {
					t.Errorf("request %d (%s): read %d, writes %d/%d; want %d, %d/%d", i+1, r.blocks, out.Read, out.Write5m, out.Write1h, r.read, r.write5, r.write1)
				}
			}
		})
	}
}

func TestExplicitLogged(t *testing.T) {
	r := Rule{Kind: KindExplicit, Min: 1024, Step: 1, TTL: 5 * time.Minute, Writes: true}
	c := NewCache()
	p := prompt(0, "TSAB", 1000, 2)
	p.Marks = []Mark{{1, time.Hour}, {3, 5 * time.Minute}} // tools and system: 1 hour; the conversation: 5 minutes
	out, _ := c.Explicit(p, &r, PlaceLogged, nil)
	if out.Write1h != 2000 || out.Write5m != 2000 || out.Breakpoints != 2 {
		t.Errorf("writes %d (1h) %d (5m) at %d breakpoints; want 2,000, 2,000 at 2", out.Write1h, out.Write5m, out.Breakpoints)
	}
	q := prompt(10*time.Minute, "TSAC", 1000, 2)
	q.Marks = []Mark{{1, time.Hour}, {3, 5 * time.Minute}}
	out, _ = c.Explicit(q, &r, PlaceLogged, nil)
	if out.Read != 2000 || out.StaticRead != 2000 || out.Write5m != 2000 {
		t.Errorf("10 minutes later: read %d (static %d), write %d; want the 1-hour prefix, 2,000, and 2,000 written", out.Read, out.StaticRead, out.Write5m)
	}
	none := prompt(11*time.Minute, "TSAD", 1000, 2)
	if out, _ = c.Explicit(none, &r, PlaceLogged, nil); out != (Outcome{}) {
		t.Errorf("no breakpoints set: %+v, want nothing cached", out)
	}
}

func TestCachePrunes(t *testing.T) {
	r := Rule{Kind: KindAuto, Min: 1024, Step: 128, TTL: time.Minute}
	c := NewCache()
	for i := 0; i < 200_000; i++ {
		p := prompt(time.Duration(i)*time.Second, "S", 2048, 1)
		p.Hashes[0] = uint64(i) + 1 // every prompt different
		c.Auto(p, &r)
	}
	if len(c.entries) > 1<<17 {
		t.Errorf("%d entries held; expired ones should be pruned (at most about 2^16 + 60 live)", len(c.entries))
	}
}

func TestRuleFor(t *testing.T) {
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := New(Config{}, cat)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		provider, model string
		kind            Kind
		min, step       int64
		writes          bool
	}{
		{"openai", "gpt-4o", KindAuto, 1024, 128, false},
		{"openai", "gpt-4.1-mini", KindAuto, 1024, 128, false},
		{"anthropic", "claude-sonnet-4-5", KindExplicit, 1024, 1, true},
		{"anthropic", "claude-haiku-4-5", KindExplicit, 4096, 1, true},
		{"anthropic", "claude-opus-4-6", KindExplicit, 4096, 1, true},
		{"anthropic", "claude-3-5-haiku-20241022", KindExplicit, 2048, 1, true},
		{"bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0", KindExplicit, 1024, 1, true},
		{"gemini", "gemini-2.5-pro", KindAuto, 4096, 1, false},
		{"gemini", "gemini-2.5-flash", KindAuto, 1024, 1, false},
		{"openai", "gpt-3.5-turbo", KindNone, 0, 0, false},
	}
	for _, tt := range tests {
		m, ok := cat.Resolve(tt.provider, tt.model)
		if !ok {
			t.Errorf("%s/%s not in the catalog", tt.provider, tt.model)
			continue
		}
		r := RuleFor(m, &cfg.cfg)
		if r.Kind != tt.kind || r.Min != tt.min || r.Step != tt.step || r.Writes != tt.writes {
			t.Errorf("%s/%s: %+v; want %v, min %d, step %d, writes %v", tt.provider, tt.model, r, tt.kind, tt.min, tt.step, tt.writes)
		}
	}
}

func TestNewErrors(t *testing.T) {
	for _, c := range []Config{{Breakpoints: "everywhere"}, {TTL: "10m"}, {Idle: "-1m"}, {Idle: "soon"}, {Retention: "forever"}} {
		if _, err := New(c, nil); err == nil {
			t.Errorf("New(%+v): no error", c)
		}
	}
}

// FuzzReplay replays random prompts: the outcome never bills more cached
// tokens than the prompt has, and nothing panics.
func FuzzReplay(f *testing.F) {
	f.Add([]byte("SA SB SAB SABC"), uint16(1500), uint8(0), uint8(3))
	f.Add([]byte("TSA TSB"), uint16(100), uint8(1), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, size uint16, pl uint8, gap uint8) {
		rules := []Rule{
			{Kind: KindAuto, Min: 1024, Step: 128, TTL: 5 * time.Minute, Writes: pl%2 == 0},
			{Kind: KindExplicit, Min: 1024, Step: 1, TTL: 5 * time.Minute, Writes: true},
		}
		c := NewCache()
		var bps []bp
		at := time.Duration(0)
		start := 0
		for i := 0; i <= len(data); i++ {
			if i < len(data) && data[i] != ' ' {
				continue
			}
			blocks := string(data[start:i])
			start = i + 1
			if blocks == "" {
				continue
			}
			at += time.Duration(gap) * time.Minute / 4
			p := prompt(at, blocks, int64(size)+1, int(pl)%3)
			if p.Static > len(p.Hashes) {
				p.Static = len(p.Hashes)
			}
			for j := 0; j < p.N; j++ {
				if (int(pl)+j)%3 == 0 {
					p.Marks = append(p.Marks, Mark{j, 5 * time.Minute})
				}
			}
			// Keep only a shared prefix of the blocks, as the second pass
			// does, with the points a placement needs.
			if k := int(gap) % (p.N + 1); k < p.N {
				var pts []Point
				for j := k; j < p.N; j++ {
					need := j == p.N-1 || j == p.Static-1
					for _, m := range p.Marks {
						need = need || m.Block == j
					}
					if need {
						pts = append(pts, Point{int32(j), int32(p.Cum[j])})
					}
				}
				p.Hashes, p.Cum, p.Points = p.Hashes[:k], p.Cum[:k], pts
			}
			r := &rules[int(pl)%2]
			var out Outcome
			if r.Kind == KindAuto {
				out = c.Auto(p, r)
			} else {
				out, bps = c.Explicit(p, r, Placement(pl%uint8(numPlacements)), bps)
			}
			total := p.total()
			if out.Read < 0 || out.Write5m < 0 || out.Write1h < 0 || out.Read+out.Write5m+out.Write1h > total || out.StaticRead > out.Read {
				t.Fatalf("%q: %+v of %d tokens", blocks, out, total)
			}
		}
	})
}

func TestStaticCache(t *testing.T) {
	r := Rule{Kind: KindAuto, Min: 1024, Step: 1, TTL: 5 * time.Minute, Gemini: true}
	c := NewStaticCache(time.Hour)
	reads := []int64{}
	for _, at := range []time.Duration{0, 30 * time.Minute, 50 * time.Minute, 3 * time.Hour} {
		reads = append(reads, c.Use(prompt(at, "SA", 2000, 1), &r).Read)
	}
	// Created at 0, read at 0:30 and 0:50 (each use extends it to an hour
	// later), dead by 3:00, where a second cache is made.
	if fmt.Sprint(reads) != "[0 2000 2000 0]" || c.Created != 2 {
		t.Errorf("reads %v, %d caches; want [0 2000 2000 0], 2", reads, c.Created)
	}
	// Lives: 0 to 1:50 and 3:00 to 4:00, 2,000 tokens each: 5,666.666… token-hours.
	if got := c.End(); !got.Equal(decimal.RequireFromString("5666.666666666667")) {
		t.Errorf("token-hours %s", got)
	}
	// A prefix under the minimum, or none, is not cached.
	if o := NewStaticCache(time.Hour).Use(prompt(0, "SA", 500, 1), &r); o != (Outcome{}) {
		t.Errorf("short prefix: %+v", o)
	}
	if o := NewStaticCache(time.Hour).Use(prompt(0, "SA", 2000, 0), &r); o != (Outcome{}) {
		t.Errorf("no static prefix: %+v", o)
	}
}
