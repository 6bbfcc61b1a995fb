package bot

import (
	"sync"
	"sync/atomic"
)

// ResponseCache holds encoded answers by key for one briefing generation,
// so adapters can answer a repeated question with the same bytes. Reads are
// lock-free (an atomic load of an immutable map); a miss copies the map,
// which is rare and bounded by the size.
type ResponseCache struct {
	max int
	mu  sync.Mutex // serialises writers
	cur atomic.Pointer[cacheSnapshot]
}

type cacheSnapshot struct {
	gen uint64
	m   map[string][]byte
}

// NewResponseCache returns a cache of at most max entries; when full, it
// starts again empty.
func NewResponseCache(max int) *ResponseCache {
	c := &ResponseCache{max: max}
	c.cur.Store(&cacheSnapshot{m: map[string][]byte{}})
	return c
}

// Get returns the bytes cached for key in generation gen.
func (c *ResponseCache) Get(gen uint64, key string) ([]byte, bool) {
	s := c.cur.Load()
	if s.gen != gen {
		return nil, false
	}
	b, ok := s.m[key]
	return b, ok
}

// Put caches b for key in generation gen, dropping older generations.
func (c *ResponseCache) Put(gen uint64, key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.cur.Load()
	next := &cacheSnapshot{gen: gen, m: make(map[string][]byte, len(old.m)+1)}
	if old.gen == gen && len(old.m) < c.max {
		for k, v := range old.m {
			next.m[k] = v
		}
	}
	next.m[key] = b
	c.cur.Store(next)
}

// Generation identifies the briefing h answers from, when it can say (Bot
// can), so cached answers are dropped when the briefing changes.
func Generation(h Handler) uint64 {
	if g, ok := h.(interface{ Generation() uint64 }); ok {
		return g.Generation()
	}
	return 0
}
