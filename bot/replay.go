package bot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrSeenFull is returned by a SeenSet that cannot remember one more key
// without forgetting one still valid: the request is refused (503) rather
// than let a replay through.
var ErrSeenFull = errors.New("replay guard full")

// SeenSet remembers signed requests already served, so that a recorded
// request replayed within its validity window is refused. A memory set
// serves one process; a store shared by replicas can implement it too.
type SeenSet interface {
	// First records key until expires and reports whether it was new.
	// It returns ErrSeenFull (or a store's error) when it cannot tell;
	// callers then refuse the request.
	First(ctx context.Context, key string, expires time.Time) (bool, error)
}

// MemorySeen is a SeenSet in memory, bounded to a number of keys. Keys
// are forgotten once expired; when the set is full of unexpired keys it
// refuses new ones (ErrSeenFull) rather than forget a key that could
// still be replayed.
type MemorySeen struct {
	mu    sync.Mutex
	max   int
	now   func() time.Time
	seen  map[string]time.Time
	swept time.Time // last full sweep, so a full set sweeps at most once a second
}

// NewMemorySeen returns a set holding at most max keys; now is the clock
// (time.Now in production).
func NewMemorySeen(max int, now func() time.Time) *MemorySeen {
	if now == nil {
		now = time.Now
	}
	return &MemorySeen{max: max, now: now, seen: make(map[string]time.Time)}
}

// DefaultSeenKeys bounds the in-memory replay guard: 100,000 keys of
// about 100 bytes (under 16 MiB), more than 300 signed requests a second
// sustained over a ten-minute window.
const DefaultSeenKeys = 100_000

// First implements SeenSet.
func (s *MemorySeen) First(_ context.Context, key string, expires time.Time) (bool, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if exp, ok := s.seen[key]; ok && now.Before(exp) {
		return false, nil
	}
	if len(s.seen) >= s.max {
		if now.Sub(s.swept) >= time.Second || now.Before(s.swept) {
			s.swept = now
			for k, exp := range s.seen {
				if !now.Before(exp) {
					delete(s.seen, k)
				}
			}
		}
		if len(s.seen) >= s.max {
			return false, ErrSeenFull
		}
	}
	s.seen[key] = expires
	return true, nil
}

// Len is the number of keys held, expired ones included until swept.
func (s *MemorySeen) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// Rejecter is implemented by observers that count refused requests
// (metrics); adapters report through it when their observer has it.
type Rejecter interface {
	// Rejected records a request refused before it was served, by
	// platform and reason (signature, replay, overload).
	Rejected(platform, reason string)
}

// Reject reasons.
const (
	RejectSignature = "signature"
	RejectReplay    = "replay"
	RejectOverload  = "overload"
)

// ReportRejected tells o about a refused request when it counts them.
func ReportRejected(o Observer, platform, reason string) {
	if r, ok := o.(Rejecter); ok {
		r.Rejected(platform, reason)
	}
}
