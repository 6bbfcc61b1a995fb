package digest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
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
	// Attempts bounds tries per delivery; 0 retries a transient error
	// (a 429, a 5xx, a timeout) until the grace window after the slot
	// ends, so a slot that falls while the bot runs is not given up
	// while the platform is merely flaky.
	Attempts int
	// Backoff is the first retry delay after a server error or timeout;
	// it doubles each time, up to MaxBackoff (default five minutes).
	Backoff    time.Duration
	MaxBackoff time.Duration
}

// DefaultLimits stay within Slack's and Discord's published limits.
func DefaultLimits() Limits {
	return Limits{
		PerChannel:  time.Second,
		Concurrency: 16,
		Attempts:    0,
		Backoff:     time.Second,
		MaxBackoff:  5 * time.Minute,
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
// runs, and at most once always: a slot is claimed in the ledger (with an
// owner and a lease) before it is sent, a live owner renews its lease
// before each try, and a claim whose owner died is taken over only after
// its lease expired and the platform was asked whether the digest is
// already there.
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
	// Owner names this process in the claims it holds (default: a random
	// id per Deliverer). Lease is how long a claim lasts unless renewed
	// (default one minute).
	Owner string
	Lease time.Duration

	mu   sync.Mutex
	next map[string]time.Time // rate limiter: earliest next send per key

	healthMu  sync.Mutex
	storeErr  error     // the last failed store write, nil once one succeeds
	failSince time.Time // when writes started failing

	inflight sync.Map // "subID|slot" → struct{}: claims this process is delivering

	cacheMu  sync.Mutex
	versions map[*briefings.Briefing]string
	saved    map[string]bool             // versions whose items are stored
	items    map[string][]string         // version → item keys, read back
	composed map[string]briefings.Answer // one digest per version, zone, day and previous version
	ownerOne sync.Once
}

// owner returns this process's claim owner.
func (d *Deliverer) owner() string {
	d.ownerOne.Do(func() {
		if d.Owner == "" {
			var b [8]byte
			rand.Read(b[:])
			d.Owner = hex.EncodeToString(b[:])
		}
	})
	return d.Owner
}

func (d *Deliverer) lease() time.Duration {
	if d.Lease > 0 {
		return d.Lease
	}
	return time.Minute
}

func (d *Deliverer) grace() time.Duration {
	if d.Grace > 0 {
		return d.Grace
	}
	return 2 * time.Hour
}

// claim is this process's claim as of now.
func (d *Deliverer) claim() Claim {
	now := d.Clock.Now()
	return Claim{Owner: d.owner(), Now: now, LeaseUntil: now.Add(d.lease())}
}

// Ready reports whether the store takes writes: after a failed write (a
// full disk, a database error) it returns the reason until a write
// succeeds. /readyz uses it.
func (d *Deliverer) Ready(context.Context) error {
	d.healthMu.Lock()
	defer d.healthMu.Unlock()
	if d.storeErr != nil {
		return fmt.Errorf("store writes failing since %s (digests are retried): %w", d.failSince.UTC().Format(time.RFC3339), d.storeErr)
	}
	return nil
}

// stored notes the outcome of a store write for Ready.
func (d *Deliverer) stored(err error) error {
	d.healthMu.Lock()
	defer d.healthMu.Unlock()
	if err == nil || errors.Is(err, ErrNotOwner) || errors.Is(err, context.Canceled) {
		if err == nil {
			d.storeErr = nil
		}
		return err
	}
	if d.storeErr == nil {
		d.failSince = d.Clock.Now()
	}
	d.storeErr = err
	return err
}

// persist retries a store write until it succeeds or ctx ends: a digest
// that was sent must be recorded, or a restart would look for it again.
func (d *Deliverer) persist(ctx context.Context, what string, log *slog.Logger, write func() error) error {
	wait := time.Second
	for {
		err := d.stored(write())
		if err == nil || errors.Is(err, ErrNotOwner) {
			return err
		}
		log.Error("digest: store write failed; retrying", "op", what, "err", err, "retry_in", wait)
		if serr := d.Clock.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%s: %w (gave up at shutdown: %w)", what, err, serr)
		}
		wait = min(wait*2, 30*time.Second)
	}
}

func inflightKey(subID int64, slot time.Time) string {
	return fmt.Sprintf("%d|%d", subID, slot.UnixNano())
}

// Deliver delivers the digest of one slot, unless the ledger shows it was
// delivered, skipped or failed already, or another live owner holds it.
func (d *Deliverer) Deliver(ctx context.Context, sub Subscription, slot time.Time) error {
	if sub.Disabled != "" {
		return nil
	}
	claimed, row, err := d.Store.Claim(ctx, sub.ID, slot, d.claim())
	if d.stored(err) != nil {
		return err
	}
	unknown := false
	if !claimed {
		if row.Status != Pending {
			return nil // delivered, skipped or given up before
		}
		// Claimed earlier, outcome unknown (a crash or a timeout): take
		// it over only once its lease expired, then look before sending.
		c := d.claim()
		if !row.LeaseUntil.Before(c.Now) {
			return nil // a live owner is on it
		}
		ok, taken, err := d.Store.TakeOver(ctx, sub.ID, slot, c)
		if d.stored(err) != nil || !ok {
			return err
		}
		row, unknown = taken, true
	}
	return d.deliverClaimed(ctx, sub, row, unknown)
}

// deliverClaimed sends a slot this process holds the claim of. unknown
// says an earlier owner may have posted it already.
func (d *Deliverer) deliverClaimed(ctx context.Context, sub Subscription, row Delivery, unknown bool) error {
	k := inflightKey(sub.ID, row.Slot)
	if _, busy := d.inflight.LoadOrStore(k, struct{}{}); busy {
		return nil
	}
	defer d.inflight.Delete(k)
	slot := row.Slot
	log := d.log().With("subscription", sub.ID, "platform", sub.Platform, "channel", sub.Channel, "slot", slot.UTC().Format(time.RFC3339))
	sender, ok := d.Senders[sub.Platform]
	if !ok { // the platform is not configured in this process: settle, do not hold the claim
		return d.record(ctx, sub.Platform, row, Failed, "", fmt.Sprintf("no sender for platform %q: it is not configured", sub.Platform), "", log)
	}
	br := d.Briefing()
	version, err := d.version(ctx, br)
	if err != nil {
		return err
	}
	if unknown {
		id, err := d.lookup(ctx, sender, sub, slot, log)
		if err != nil {
			return d.unchecked(ctx, sub, row, err, log)
		}
		if id != "" {
			log.Info("digest found already posted", "message", id)
			return d.record(ctx, sub.Platform, row, Sent, id, "", version, log)
		}
		if d.Clock.Now().Sub(slot) > d.grace() {
			return d.record(ctx, sub.Platform, row, Skipped, "", "not found on the platform after a restart, and older than the grace window", "", log)
		}
		unknown = false // just looked
	}
	answer, err := d.compose(ctx, br, version, sub, slot)
	if err != nil {
		return err
	}

	backoff := d.Limits.Backoff
	var lastErr error
	maxBackoff := d.Limits.MaxBackoff
	if maxBackoff <= 0 {
		maxBackoff = 5 * time.Minute
	}
	for d.Limits.Attempts <= 0 && d.Clock.Now().Sub(slot) <= d.grace() || row.Attempts < d.Limits.Attempts {
		if unknown {
			id, err := d.lookup(ctx, sender, sub, slot, log)
			if err != nil {
				return d.unchecked(ctx, sub, row, err, log)
			}
			if id != "" {
				return d.record(ctx, sub.Platform, row, Sent, id, "", version, log)
			}
		}
		if err := d.wait(ctx, sub); err != nil {
			return err
		}
		// A live owner renews its lease before each try, so a send never
		// starts on a claim another replica may take over meanwhile.
		if c := d.claim(); row.LeaseUntil.Sub(c.Now) < d.lease()/2 {
			if err := d.stored(d.Store.Renew(ctx, sub.ID, slot, c)); err != nil {
				log.Warn("digest: could not renew the claim; not sending", "err", err)
				return err
			}
			row.LeaseUntil = c.LeaseUntil
		}
		row.Attempts++
		id, err := sender.Send(ctx, sub, slot, answer)
		if err == nil {
			return d.record(ctx, sub.Platform, row, Sent, id, "", version, log)
		}
		lastErr = err
		var perm *PermanentError
		var ra *RetryAfterError
		switch {
		case errors.As(err, &perm):
			log.Warn("digest: permanent error; disabling the subscription", "reason", perm.Reason)
			if derr := d.persist(ctx, "disable", log, func() error { return d.Store.Disable(ctx, sub.ID, perm.Reason) }); derr != nil && !errors.Is(derr, ErrNotFound) {
				return derr
			}
			return d.record(ctx, sub.Platform, row, Failed, "", perm.Reason, "", log)
		case errors.As(err, &ra):
			d.observe(func(o Observer) { o.RateLimited(string(sub.Platform)) })
			log.Warn("digest: rate limited", "retry_after", ra.After)
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
			backoff = min(backoff*2, maxBackoff)
		}
	}
	if unknown { // the last try may have posted
		id, err := d.lookup(ctx, sender, sub, slot, log)
		if err != nil {
			return d.unchecked(ctx, sub, row, err, log)
		}
		if id != "" {
			return d.record(ctx, sub.Platform, row, Sent, id, "", version, log)
		}
	}
	reason := "gave up: the grace window after the slot ended"
	if lastErr != nil {
		reason = lastErr.Error()
	}
	return d.record(ctx, sub.Platform, row, Failed, "", reason, "", log)
}

// maxError bounds the error text kept in a ledger row.
const maxError = 300

func (d *Deliverer) record(ctx context.Context, p briefbot.Platform, row Delivery, st Status, id, errText, version string, log *slog.Logger) error {
	if len(errText) > maxError {
		errText = errText[:maxError]
	}
	row.Status, row.MessageID, row.Error, row.UpdatedAt, row.Version, row.Owner = st, id, errText, d.Clock.Now(), version, d.owner()
	err := d.persist(ctx, "record delivery", log, func() error { return d.Store.Record(ctx, row) })
	if errors.Is(err, ErrNotOwner) {
		log.Warn("digest: the claim was taken over meanwhile; its new owner settles it", "status", st)
		return nil
	}
	if err != nil {
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

// version names a briefing by the items a digest covers, and stores those
// items once per version so that later digests can say what is new.
func (d *Deliverer) version(ctx context.Context, br *briefings.Briefing) (string, error) {
	d.cacheMu.Lock()
	v, ok := d.versions[br]
	saved := d.saved[v]
	d.cacheMu.Unlock()
	var keys []string
	if !ok {
		keys = br.ItemKeys()
		h := sha256.New()
		for _, k := range keys {
			h.Write([]byte(k))
			h.Write([]byte{0})
		}
		v = hex.EncodeToString(h.Sum(nil)[:8])
	}
	if !saved {
		if keys == nil {
			keys = br.ItemKeys()
		}
		if err := d.stored(d.Store.SaveItems(ctx, v, keys)); err != nil {
			return "", fmt.Errorf("digest: saving the briefing's items: %w", err)
		}
	}
	d.cacheMu.Lock()
	defer d.cacheMu.Unlock()
	if d.versions == nil || len(d.versions) > 16 {
		d.versions = map[*briefings.Briefing]string{}
	}
	if d.saved == nil {
		d.saved = map[string]bool{}
	}
	d.versions[br], d.saved[v] = v, true
	return v, nil
}

// compose returns the digest of a slot for a subscription, composed once
// per briefing version, time zone, day and previous version, and shared by
// every channel that gets the same one.
func (d *Deliverer) compose(ctx context.Context, br *briefings.Briefing, version string, sub Subscription, slot time.Time) (briefings.Answer, error) {
	loc := d.loc()
	if s, err := ParseSchedule(sub.Schedule, d.loc()); err == nil {
		loc = s.Location()
	}
	prev, first := "", true
	if last, err := d.Store.LastSent(ctx, sub.ID); err == nil {
		prev, first = last.Version, false
	} else if !errors.Is(err, ErrNotFound) {
		return briefings.Answer{}, err
	}
	day := slot.In(loc)
	key := fmt.Sprintf("%s|%s|%s|%t|%s", version, loc, day.Format(time.DateOnly), first, prev)
	d.cacheMu.Lock()
	a, ok := d.composed[key]
	d.cacheMu.Unlock()
	if ok {
		return a, nil
	}
	var seen []string
	if !first {
		var err error
		if seen, err = d.itemsOf(ctx, prev); err != nil {
			return briefings.Answer{}, err
		}
	}
	a = br.DigestFor(day, seen, first)
	d.cacheMu.Lock()
	defer d.cacheMu.Unlock()
	if d.composed == nil || len(d.composed) >= 256 {
		d.composed = map[string]briefings.Answer{}
	}
	d.composed[key] = a
	return a, nil
}

// itemsOf reads a version's items back (cached: there are few versions).
func (d *Deliverer) itemsOf(ctx context.Context, version string) ([]string, error) {
	d.cacheMu.Lock()
	items, ok := d.items[version]
	d.cacheMu.Unlock()
	if ok {
		return items, nil
	}
	items, err := d.Store.Items(ctx, version)
	if errors.Is(err, ErrNotFound) {
		items, err = nil, nil // an unknown version: everything reads as new
	}
	if err != nil {
		return nil, err
	}
	d.cacheMu.Lock()
	defer d.cacheMu.Unlock()
	if d.items == nil || len(d.items) >= 16 {
		d.items = map[string][]string{}
	}
	d.items[version] = items
	return items, nil
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
	if len(d.next) > 100_000 { // forget channels whose wait has passed
		for k, t := range d.next {
			if t.Before(now) {
				delete(d.next, k)
			}
		}
	}
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

// errUnchecked is a lookup that kept failing until the grace window
// ended: whether the digest was posted is unknown.
var errUnchecked = errors.New("could not check on the platform whether the digest was posted")

// lookup looks on the platform for a digest already posted for the slot.
// A failed lookup is logged and counted, and retried with backoff: the
// digest is never sent again without the check (that would risk a
// duplicate), and the lookup is given up only after the grace window.
func (d *Deliverer) lookup(ctx context.Context, s Sender, sub Subscription, slot time.Time, log *slog.Logger) (string, error) {
	wait := max(d.Limits.Backoff, 100*time.Millisecond)
	for {
		id, err := s.Find(ctx, sub, slot)
		if err == nil {
			return id, nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		log.Warn("digest: looking for an already posted digest failed; retrying before any resend", "err", err)
		d.observe(func(o Observer) { o.APIError(string(sub.Platform), "find digest") })
		if d.Clock.Now().Sub(slot) > d.grace() {
			return "", fmt.Errorf("%w: %w", errUnchecked, err)
		}
		if err := d.Clock.Sleep(ctx, wait); err != nil {
			return "", err
		}
		wait = min(wait*2, time.Minute)
	}
}

// unchecked settles a slot whose lookup could not run: failed, never
// resent blind.
func (d *Deliverer) unchecked(ctx context.Context, sub Subscription, row Delivery, err error, log *slog.Logger) error {
	if !errors.Is(err, errUnchecked) {
		return err
	}
	return d.record(ctx, sub.Platform, row, Failed, "", err.Error(), "", log)
}

// skip records a slot missed while no process ran as skipped.
func (d *Deliverer) skip(ctx context.Context, sub Subscription, slot time.Time) error {
	c := d.claim()
	claimed, _, err := d.Store.Claim(ctx, sub.ID, slot, c)
	if d.stored(err) != nil || !claimed {
		return err
	}
	d.observe(func(o Observer) { o.Digest(string(sub.Platform), string(Skipped)) })
	return d.stored(d.Store.Record(ctx, Delivery{SubscriptionID: sub.ID, Slot: slot.UTC(), Status: Skipped, Owner: c.Owner,
		Error: "missed while the bot was not running", UpdatedAt: d.Clock.Now()}))
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
