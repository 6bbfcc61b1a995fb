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
	// Next is the next slot to deliver, stored and indexed so that the
	// scheduler reads only what is due. Zero means "not scheduled yet":
	// the scheduler computes it from the ledger and CreatedAt.
	Next time.Time
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

// Delivery is one row of the ledger: a subscription's scheduled slot. It
// stays small (well under 1 KB): the items a digest covered are stored
// once per briefing version (Store.SaveItems), not per delivery.
type Delivery struct {
	SubscriptionID int64
	// Slot is the scheduled time of the digest, in UTC.
	Slot      time.Time
	Status    Status
	MessageID string
	Error     string
	Attempts  int
	UpdatedAt time.Time
	// Owner is the process that holds the claim of a pending row, and
	// LeaseUntil is when the claim expires unless the owner renews it.
	Owner      string
	LeaseUntil time.Time
	// Version is the briefing version the digest carried; the next digest
	// reads that version's items to say what is new.
	Version string
}

// Claim is an owner's hold on a slot.
type Claim struct {
	Owner      string
	Now        time.Time
	LeaseUntil time.Time
}

// Held is a pending ledger row with its subscription.
type Held struct {
	Sub      Subscription
	Delivery Delivery
}

// Never is the Next of a schedule that has no slot left (within five
// years); a store keeps it as a far-future time.
var Never = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// ErrNotFound is returned when a subscription does not exist.
var ErrNotFound = errors.New("not found")

// ErrNotOwner is returned by Record and Renew when the caller no longer
// holds the slot's claim (another owner took over an expired lease).
var ErrNotOwner = errors.New("the claim is held by another owner")

// Store keeps subscriptions and the delivery ledger.
type Store interface {
	// Subscribe creates or replaces the subscription of a channel and
	// enables it; the returned value has its ID. A subscription whose
	// schedule did not change keeps its stored Next, so re-declaring it
	// at start loses no slot; otherwise Next is set from s.Next.
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

	// Due returns up to limit enabled subscriptions whose Next is at or
	// before now (or zero), earliest first.
	Due(ctx context.Context, now time.Time, limit int) ([]Subscription, error)
	// Advance moves a subscription's Next from from to next; false when
	// its Next was no longer from (another replica or a resubscribe moved
	// it).
	Advance(ctx context.Context, id int64, from, next time.Time) (bool, error)

	// Claim records a slot as pending, held by c.Owner until
	// c.LeaseUntil, before it is sent. It returns true when this call
	// claimed it, and false with the existing row when the slot was
	// claimed before (sent, failed, skipped or still pending).
	Claim(ctx context.Context, subID int64, slot time.Time, c Claim) (bool, Delivery, error)
	// Expired returns up to limit pending rows whose lease ended before
	// now, with their subscriptions, oldest slot first.
	Expired(ctx context.Context, now time.Time, limit int) ([]Held, error)
	// TakeOver gives c.Owner the claim of a pending row whose lease ended
	// before c.Now; false when it is no longer pending or expired.
	TakeOver(ctx context.Context, subID int64, slot time.Time, c Claim) (bool, Delivery, error)
	// Renew extends the lease of a pending row c.Owner holds, or returns
	// ErrNotOwner.
	Renew(ctx context.Context, subID int64, slot time.Time, c Claim) error
	// Record updates a claimed slot's status, message id, error, attempts
	// and version; d.Owner must hold the claim (ErrNotOwner otherwise).
	Record(ctx context.Context, d Delivery) error
	// Deliveries returns a subscription's latest ledger rows, newest first.
	Deliveries(ctx context.Context, subID int64, limit int) ([]Delivery, error)
	// LastSent returns the subscription's latest sent delivery, or
	// ErrNotFound.
	LastSent(ctx context.Context, subID int64) (Delivery, error)

	// Lead takes or renews the scheduler's lease for c.Owner: one
	// scheduler at a time sends, deployment-wide, so the platforms' rate
	// limits hold for every replica together. It succeeds when the lease
	// is free, expired (before c.Now) or already c.Owner's, and then
	// returns the previous holder's LeaseUntil: the time up to which that
	// holder had promised to schedule, so slots until then fell while a
	// scheduler was up.
	Lead(ctx context.Context, c Claim) (held bool, prevUntil time.Time, err error)

	// SaveItems stores the item keys of a briefing version, once.
	SaveItems(ctx context.Context, version string, items []string) error
	// Items returns a briefing version's item keys, or ErrNotFound.
	Items(ctx context.Context, version string) ([]string, error)

	// Ping checks that the store is reachable.
	Ping(ctx context.Context) error
	Close() error
}
