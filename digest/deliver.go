package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
)

// Sender posts digests to one platform.
type Sender interface {
	// Send posts the digest for a slot and returns the platform's message
	// id. The message must carry the slot (Slack: message metadata;
	// Discord: a nonce) so that Find can recognise it.
	Send(ctx context.Context, sub Subscription, slot time.Time, a briefings.Answer) (string, error)
	// Find returns the id of a digest already posted for the slot, or ""
	// when there is none: used when a send's outcome is unknown.
	Find(ctx context.Context, sub Subscription, slot time.Time) (string, error)
}

// PermanentError is a platform error that retrying cannot fix (an archived
// channel, missing access): the subscription is disabled with Reason.
type PermanentError struct{ Reason string }

func (e *PermanentError) Error() string { return "permanent: " + e.Reason }

// RetryAfterError is a rate limit: retry after the given time.
type RetryAfterError struct{ After time.Duration }

func (e *RetryAfterError) Error() string { return fmt.Sprintf("rate limited: retry after %v", e.After) }

// Clock is the time source of the delivery logic, injected so tests control
// it.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the system clock.
type RealClock struct{}

// Now returns the current time.
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Limits bound sending: per channel, per platform, and in parallel.
type Limits struct {
	// PerChannel is the least time between two messages to one channel
	// (Slack allows one a second).
	PerChannel time.Duration
	// PerPlatform is the least time between two requests to a platform;
	// a platform missing here uses its sender's MinInterval when the sender
	// is a Pacer (Discord paces itself under its global 50 a second).
	PerPlatform map[briefbot.Platform]time.Duration
	// Concurrency bounds deliveries in flight.
	Concurrency int
	// Attempts bounds tries per delivery.
	Attempts int
	// Backoff is the first retry delay after a server error or timeout;
	// it doubles each time.
	Backoff time.Duration
}

// DefaultLimits stay within Slack's and Discord's published limits.
func DefaultLimits() Limits {
	return Limits{
		PerChannel:  time.Second,
		Concurrency: 16,
		Attempts:    5,
		Backoff:     time.Second,
	}
}

// Pacer is a Sender whose platform limits requests across all channels.
type Pacer interface {
	// MinInterval is the least time between two requests to the platform.
	MinInterval() time.Duration
}

// Observer receives the delivery engine's events (bot.Observer satisfies
// it).
type Observer interface {
	APIError(platform, op string)
	RateLimited(platform string)
	Digest(platform, status string)
}

// Deliverer delivers digests exactly once per (subscription, slot) while it
// runs, and at most once always: a slot is claimed in the ledger before it
// is sent, and a claimed slot whose send had an unknown outcome is looked
// for on the platform before it is sent again.
type Deliverer struct {
	Store    Store
	Senders  map[briefbot.Platform]Sender
	Briefing func() *briefings.Briefing
	Clock    Clock
	Limits   Limits
	// Grace is how late a missed slot may still be delivered after a
	// restart (default 2 hours); older ones are recorded as skipped.
	Grace time.Duration
	// Location dates the digest when a schedule has no time zone.
	Location *time.Location
	Log      *slog.Logger
	// Observer receives delivery outcomes, API errors and rate-limit
	// waits; it may be nil.
	Observer Observer

	mu   sync.Mutex
	next map[string]time.Time // rate limiter: earliest next send per key
}

// Deliver delivers the digest of one slot, unless the ledger shows it was
// delivered, skipped or failed already.
func (d *Deliverer) Deliver(ctx context.Context, sub Subscription, slot time.Time) error {
	if sub.Disabled != "" {
		return nil
	}
	sender, ok := d.Senders[sub.Platform]
	if !ok {
		return fmt.Errorf("digest: no sender for platform %q", sub.Platform)
	}
	log := d.log().With("subscription", sub.ID, "platform", sub.Platform, "channel", sub.Channel, "slot", slot.UTC().Format(time.RFC3339))
	claimed, existing, err := d.Store.Claim(ctx, sub.ID, slot, d.Clock.Now())
	if err != nil {
		return err
	}
	row := existing
	if !claimed {
		if existing.Status != Pending {
			return nil // delivered, skipped or given up before
		}
		// Claimed earlier, outcome unknown (a crash or a timeout): look
		// before sending again.
		if id := d.find(ctx, sender, sub, slot, log); id != "" {
			existing.Status, existing.MessageID, existing.UpdatedAt = Sent, id, d.Clock.Now()
			existing.Seen = d.Briefing().ItemKeys()
			log.Info("digest found already posted", "message", id)
			return d.Store.Record(ctx, existing)
		}
	} else {
		row = Delivery{SubscriptionID: sub.ID, Slot: slot.UTC(), Status: Pending}
	}

	br := d.Briefing()
	seen, first := []string(nil), true
	if last, err := d.Store.LastSent(ctx, sub.ID); err == nil {
		seen, first = last.Seen, false
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	loc := d.Location
	if s, err := ParseSchedule(sub.Schedule, d.loc()); err == nil {
		loc = s.Location()
	}
	answer := br.DigestFor(slot.In(loc), seen, first)

	backoff := d.Limits.Backoff
	var lastErr error
	unknown := false // whether an earlier try may have posted
	for row.Attempts < max(d.Limits.Attempts, 1) {
		if unknown {
			if id := d.find(ctx, sender, sub, slot, log); id != "" {
				return d.record(ctx, sub.Platform, row, Sent, id, "", br.ItemKeys(), log)
			}
		}
		if err := d.wait(ctx, sub); err != nil {
			return err
		}
		row.Attempts++
		id, err := sender.Send(ctx, sub, slot, answer)
		if err == nil {
			return d.record(ctx, sub.Platform, row, Sent, id, "", br.ItemKeys(), log)
		}
		lastErr = err
		var perm *PermanentError
		var ra *RetryAfterError
		switch {
		case errors.As(err, &perm):
			log.Warn("digest: permanent error; disabling the subscription", "reason", perm.Reason)
			if derr := d.Store.Disable(ctx, sub.ID, perm.Reason); derr != nil {
				return derr
			}
			return d.record(ctx, sub.Platform, row, Failed, "", perm.Reason, nil, log)
		case errors.As(err, &ra):
			d.observe(func(o Observer) { o.RateLimited(string(sub.Platform)) })
			log.Warn("digest: rate limited", "retry_after", ra.After)
			unknown = false
			if err := d.Clock.Sleep(ctx, ra.After); err != nil {
				return err
			}
		default:
			d.observe(func(o Observer) { o.APIError(string(sub.Platform), "send digest") })
			log.Warn("digest: send failed; will retry", "attempt", row.Attempts, "err", err)
			unknown = true
			if err := d.Clock.Sleep(ctx, backoff); err != nil {
				return err
			}
			backoff *= 2
		}
	}
	return d.record(ctx, sub.Platform, row, Failed, "", lastErr.Error(), nil, log)
}

func (d *Deliverer) record(ctx context.Context, p briefbot.Platform, row Delivery, st Status, id, errText string, seen []string, log *slog.Logger) error {
	row.Status, row.MessageID, row.Error, row.UpdatedAt, row.Seen = st, id, errText, d.Clock.Now(), seen
	if err := d.Store.Record(ctx, row); err != nil {
		return err
	}
	d.observe(func(o Observer) { o.Digest(string(p), string(st)) })
	if st == Sent {
		log.Info("digest delivered", "message", id, "attempts", row.Attempts)
	} else {
		log.Error("digest not delivered", "status", st, "err", errText)
	}
	return nil
}

// wait blocks until the subscription's channel and platform may be sent to,
// reserving the slot it waited for.
func (d *Deliverer) wait(ctx context.Context, sub Subscription) error {
	now := d.Clock.Now()
	d.mu.Lock()
	if d.next == nil {
		d.next = map[string]time.Time{}
	}
	at := now
	chKey := string(sub.Platform) + "/" + sub.Channel
	if t := d.next[chKey]; t.After(at) {
		at = t
	}
	pf := d.Limits.PerPlatform[sub.Platform]
	if pc, ok := d.Senders[sub.Platform].(Pacer); ok && pf == 0 {
		pf = pc.MinInterval()
	}
	if pf > 0 {
		if t := d.next[string(sub.Platform)]; t.After(at) {
			at = t
		}
		d.next[string(sub.Platform)] = at.Add(pf)
	}
	d.next[chKey] = at.Add(d.Limits.PerChannel)
	d.mu.Unlock()
	return d.Clock.Sleep(ctx, at.Sub(now))
}

// Due is a slot to deliver.
type Due struct {
	Sub  Subscription
	Slot time.Time
}

// DeliverAll delivers many slots with bounded concurrency and returns the
// errors joined.
func (d *Deliverer) DeliverAll(ctx context.Context, due []Due) error {
	sem := make(chan struct{}, max(d.Limits.Concurrency, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, x := range due {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := d.Deliver(ctx, x.Sub, x.Slot); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// maxSkipped bounds the skipped rows recorded for one subscription at
// recovery, so a long outage of an every-minute schedule cannot flood the
// ledger.
const maxSkipped = 100

// Recover runs after a restart: for each enabled subscription, the most
// recent slot missed within the grace window is delivered once, and older
// missed slots (since the subscription's last ledger row) are recorded as
// skipped.
func (d *Deliverer) Recover(ctx context.Context) error {
	subs, err := d.Store.Subscriptions(ctx)
	if err != nil {
		return err
	}
	now := d.Clock.Now()
	grace := d.Grace
	if grace <= 0 {
		grace = 2 * time.Hour
	}
	var due []Due
	for _, sub := range subs {
		if sub.Disabled != "" {
			continue
		}
		sched, err := ParseSchedule(sub.Schedule, d.loc())
		if err != nil {
			d.log().Error("digest: bad schedule", "subscription", sub.ID, "err", err)
			continue
		}
		from := sub.CreatedAt
		if rows, err := d.Store.Deliveries(ctx, sub.ID, 1); err == nil && len(rows) > 0 {
			from = rows[0].Slot
			if rows[0].Status == Pending { // a crash mid-send: settle it first
				if now.Sub(from) <= grace {
					due = append(due, Due{sub, from})
				} else if err := d.settle(ctx, sub, rows[0]); err != nil {
					return err
				}
			}
		}
		var latest time.Time
		skipped := 0
		for t := sched.Next(from); !t.IsZero() && !t.After(now); t = sched.Next(t) {
			if now.Sub(t) <= grace {
				if !latest.IsZero() {
					if err := d.skip(ctx, sub, latest); err != nil {
						return err
					}
				}
				latest = t
				continue
			}
			if skipped < maxSkipped {
				if err := d.skip(ctx, sub, t); err != nil {
					return err
				}
			}
			skipped++
		}
		if !latest.IsZero() {
			due = append(due, Due{sub, latest})
		}
	}
	return d.DeliverAll(ctx, due)
}

// settle resolves a pending row older than the grace window: sent if the
// platform has it, skipped otherwise.
func (d *Deliverer) settle(ctx context.Context, sub Subscription, row Delivery) error {
	row.Status, row.UpdatedAt = Skipped, d.Clock.Now()
	if s, ok := d.Senders[sub.Platform]; ok {
		if id := d.find(ctx, s, sub, row.Slot, d.log().With("subscription", sub.ID)); id != "" {
			row.Status, row.MessageID = Sent, id
		}
	}
	return d.Store.Record(ctx, row)
}

// find looks on the platform for a digest already posted for the slot. A
// failed lookup is logged and counted (it means the duplicate check could
// not run), and reads as "not found".
func (d *Deliverer) find(ctx context.Context, s Sender, sub Subscription, slot time.Time, log *slog.Logger) string {
	id, err := s.Find(ctx, sub, slot)
	if err != nil {
		log.Warn("digest: looking for an already posted digest failed", "err", err)
		d.observe(func(o Observer) { o.APIError(string(sub.Platform), "find digest") })
		return ""
	}
	return id
}

func (d *Deliverer) skip(ctx context.Context, sub Subscription, slot time.Time) error {
	claimed, _, err := d.Store.Claim(ctx, sub.ID, slot, d.Clock.Now())
	if err != nil || !claimed {
		return err
	}
	d.observe(func(o Observer) { o.Digest(string(sub.Platform), string(Skipped)) })
	return d.Store.Record(ctx, Delivery{SubscriptionID: sub.ID, Slot: slot.UTC(), Status: Skipped,
		Error: "missed while the bot was not running", UpdatedAt: d.Clock.Now()})
}

func (d *Deliverer) observe(f func(Observer)) {
	if d.Observer != nil {
		f(d.Observer)
	}
}

func (d *Deliverer) loc() *time.Location {
	if d.Location != nil {
		return d.Location
	}
	return time.UTC
}

func (d *Deliverer) log() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}
