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
	m   map[string]Cached
}

// Cached is an encoded answer and the command that produced it (for
// metrics on a hit, which is answered without parsing).
type Cached struct {
	Body    []byte
	Command string
	// Picture is set when the answer's picture is sent after the body
	// (Discord attaches it by editing the response).
	Picture bool
}

// NewResponseCache returns a cache of at most max entries; when full, it
// starts again empty.
func NewResponseCache(max int) *ResponseCache {
	c := &ResponseCache{max: max}
	c.cur.Store(&cacheSnapshot{m: map[string]Cached{}})
	return c
}

// Get returns the bytes cached for key in generation gen.
func (c *ResponseCache) Get(gen uint64, key string) (Cached, bool) {
	s := c.cur.Load()
	if s.gen != gen {
		return Cached{}, false
	}
	b, ok := s.m[key]
	return b, ok
}

// Put caches b for key in generation gen, dropping older generations.
func (c *ResponseCache) Put(gen uint64, key string, b Cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.cur.Load()
	next := &cacheSnapshot{gen: gen, m: make(map[string]Cached, len(old.m)+1)}
	if old.gen == gen && len(old.m) < c.max {
		for k, v := range old.m {
			next.m[k] = v
		}
	}
	next.m[key] = b
	c.cur.Store(next)
}
