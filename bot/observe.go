package bot

import "time"

// Observer receives operational events from adapters and the digest
// engine; the metrics package implements it. Implementations must be safe
// for concurrent use and fast: they are called on hot paths.
type Observer interface {
	// Command records an answered command: platform, command kind
	// (actor, option, ask, ...) and the time to answer.
	Command(platform, kind string, d time.Duration)
	// APIError records a failed platform API call.
	APIError(platform, op string)
	// RateLimited records a wait imposed by a platform's rate limit.
	RateLimited(platform string)
	// Digest records a digest delivery outcome (sent, failed, skipped).
	Digest(platform, status string)
}

// NopObserver discards every event.
type NopObserver struct{}

// Command implements Observer.
func (NopObserver) Command(string, string, time.Duration) {}

// APIError implements Observer.
func (NopObserver) APIError(string, string) {}

// RateLimited implements Observer.
func (NopObserver) RateLimited(string) {}

// Digest implements Observer.
func (NopObserver) Digest(string, string) {}
