// Package digest is the domain of scheduled digests: subscriptions (a
// channel on a platform with a cron schedule), the delivery ledger that
// makes each (subscription, slot) go out once, and the Store they live in.
// Storage engines live in their own packages (store/sqlite).
package digest

import (
	"context"
	"errors"
	"time"

	"github.com/briefbot/briefbot"
)

// Subscription is a channel that receives digests on a schedule.
type Subscription struct {
	ID       int64
	Platform briefbot.Platform
	Channel  string
	// Schedule is a robfig/cron spec: five fields (or six with seconds),
	// a descriptor such as @daily, optionally led by CRON_TZ=Zone.
	Schedule string
	// FromConfig marks subscriptions declared by the operator in the
	// configuration file rather than with /guarantees subscribe.
	FromConfig bool
	CreatedBy  string
	CreatedAt  time.Time
	// Disabled holds the reason a permanent platform error stopped the
	// subscription; empty while it is active.
	Disabled string
}

// Status is the state of one delivery.
type Status string

// Delivery states. A slot is claimed as pending before sending and becomes
// sent (with the platform's message id), failed (given up, with the error)
// or skipped (missed beyond the grace window).
const (
	Pending Status = "pending"
	Sent    Status = "sent"
	Failed  Status = "failed"
	Skipped Status = "skipped"
)

// Delivery is one row of the ledger: a subscription's scheduled slot.
type Delivery struct {
	SubscriptionID int64
	// Slot is the scheduled time of the digest, in UTC.
	Slot      time.Time
	Status    Status
	MessageID string
	Error     string
	Attempts  int
	UpdatedAt time.Time
	// Seen lists the briefing items (sources, positions, timeline entries)
	// the digest covered, so the next one can say what is new.
	Seen []string
}

// ErrNotFound is returned when a subscription does not exist.
var ErrNotFound = errors.New("not found")

// Store keeps subscriptions and the delivery ledger.
type Store interface {
	// Subscribe creates or replaces the subscription of a channel and
	// enables it; the returned value has its ID.
	Subscribe(ctx context.Context, s Subscription) (Subscription, error)
	// Unsubscribe removes a channel's subscription; false if it had none.
	Unsubscribe(ctx context.Context, p briefbot.Platform, channel string) (bool, error)
	// Subscription returns a channel's subscription, or ErrNotFound.
	Subscription(ctx context.Context, p briefbot.Platform, channel string) (Subscription, error)
	// Subscriptions returns every subscription, enabled or not.
	Subscriptions(ctx context.Context) ([]Subscription, error)
	// Disable stops a subscription with the reason, until someone
	// subscribes again.
	Disable(ctx context.Context, id int64, reason string) error

	// Claim records a slot as pending before it is sent. It returns true
	// when this call claimed it, and false with the existing row when the
	// slot was claimed before (sent, failed, skipped or still pending).
	Claim(ctx context.Context, subID int64, slot, now time.Time) (bool, Delivery, error)
	// Record updates a claimed slot's status, message id, error, attempts
	// and seen items.
	Record(ctx context.Context, d Delivery) error
	// Deliveries returns a subscription's latest ledger rows, newest first.
	Deliveries(ctx context.Context, subID int64, limit int) ([]Delivery, error)
	// LastSent returns the subscription's latest sent delivery, or
	// ErrNotFound.
	LastSent(ctx context.Context, subID int64) (Delivery, error)
	// Ping checks that the store is reachable.
	Ping(ctx context.Context) error
	Close() error
}
