package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Runner is the one scheduler: it asks the store which subscriptions are
// due (their next slot is stored and indexed), claims those slots, and
// delivers them with at most Limits.Concurrency in flight; it also takes
// over the claims whose owner died once their lease expired. It holds no
// per-subscription state in memory, so subscribing touches one row and
// 100,000 subscriptions cost no more memory than ten. robfig/cron remains
// the schedule language (ParseSchedule).
//
// Because the next slot lives in the store, there is no gap between
// recovery and scheduling: a slot that falls while a catch-up is being
// delivered is simply due at the next pass.
type Runner struct {
	D   *Deliverer
	Log *slog.Logger
	// Tick is how often the store is asked what is due (default one
	// second); Sync wakes the runner at once.
	Tick time.Duration

	once sync.Once
	poke chan struct{}
	sem  chan struct{}
	wg   sync.WaitGroup
	// While this runner holds the scheduler's lease (Store.Lead), it
	// is the one that sends. start is when it took the lease, downFrom
	// how far the previous holder had promised to schedule: slots
	// between the two fell while no scheduler was up.
	leading         bool
	start, downFrom time.Time
	lost            atomic.Bool // the lease was lost during a pass: claim nothing more

	errMu sync.Mutex
	errs  []error
}

func (r *Runner) init() {
	r.once.Do(func() {
		r.poke = make(chan struct{}, 1)
		r.sem = make(chan struct{}, max(r.D.Limits.Concurrency, 1))
	})
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return r.D.log()
}

// Run schedules and delivers until ctx is done; then it waits for the
// deliveries in flight. Slots that fell while no process ran are caught
// up as Recover describes; every slot that falls while it runs is
// delivered.
func (r *Runner) Run(ctx context.Context) error {
	r.init()
	tick := r.tick()
	wait := tick
	go r.keepLease(ctx, tick)
	for {
		more, err := r.pass(ctx)
		switch {
		case ctx.Err() != nil:
			r.wg.Wait()
			return nil
		case err != nil:
			r.log().Error("digest: scheduler pass failed; retrying", "err", err, "retry_in", wait)
			wait = min(wait*2, 30*time.Second)
		case more:
			continue // a full batch: there may be more due right now
		default:
			wait = tick
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			r.wg.Wait()
			return nil
		case <-r.poke:
			t.Stop()
		case <-t.C:
		}
	}
}

// keepLease renews the scheduler's lease every tick while a pass may be
// blocked on the concurrency cap (a large fan-out), so that a standby
// replica does not take it over and send beside this one.
func (r *Runner) keepLease(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := r.D.Clock.Now()
		held, _, err := r.D.Store.Lead(ctx, Claim{Owner: r.D.owner(), Now: now, LeaseUntil: now.Add(r.leaseLen())})
		if err == nil && !held {
			r.lost.Store(true)
		}
	}
}

func (r *Runner) leaseLen() time.Duration { return max(3*r.tick(), 3*time.Second) }

func (r *Runner) tick() time.Duration {
	if r.Tick > 0 {
		return r.Tick
	}
	return time.Second
}

// Sync wakes the scheduler after a subscription changed. It never blocks
// and never fails; the error is kept for the callers that expect one.
func (r *Runner) Sync(context.Context) error {
	r.init()
	select {
	case r.poke <- struct{}{}:
	default:
	}
	return nil
}

// Ready reports the store's health as the deliveries see it.
func (r *Runner) Ready(ctx context.Context) error { return r.D.Ready(ctx) }

// Recover is one catch-up, run to the end: each claim whose owner died
// (its lease expired) is looked for on the platform and settled (sent if
// it is there, sent again within the grace window, skipped after it);
// for each due subscription the most recent slot missed within the grace
// window is delivered once, and older missed slots are recorded as
// skipped.
func (d *Deliverer) Recover(ctx context.Context) error {
	r := &Runner{D: d}
	r.init()
	var err error
	for more := true; more && err == nil; {
		more, err = r.pass(ctx)
	}
	r.wg.Wait()
	r.errMu.Lock()
	defer r.errMu.Unlock()
	return errors.Join(append(r.errs, err)...)
}

// pass takes one batch of expired claims and one of due subscriptions; it
// reports whether a batch was full.
func (r *Runner) pass(ctx context.Context) (bool, error) {
	d := r.D
	// One scheduler sends, deployment-wide: the others stand by, and
	// take over when its lease expires.
	now := d.Clock.Now()
	lead, prev, err := d.Store.Lead(ctx, Claim{Owner: d.owner(), Now: now, LeaseUntil: now.Add(r.leaseLen())})
	if d.stored(err) != nil {
		return false, fmt.Errorf("digest: taking the scheduler's lease: %w", err)
	}
	r.lost.Store(!lead)
	if !lead {
		if r.leading {
			r.log().Warn("digest: another replica took the scheduler's lease; standing by")
		}
		r.leading = false
		return false, nil
	}
	if !r.leading {
		r.leading, r.start, r.downFrom = true, now, prev
		r.log().Debug("digest: scheduling", "owner", d.owner(), "previous_scheduler_until", prev)
	}
	batch := 4 * cap(r.sem)
	held, err := d.Store.Expired(ctx, now, batch)
	if err != nil {
		return false, fmt.Errorf("digest: reading expired claims: %w", err)
	}
	for _, h := range held {
		if r.lost.Load() {
			return false, nil
		}
		if _, busy := d.inflight.Load(inflightKey(h.Sub.ID, h.Delivery.Slot)); busy {
			continue
		}
		if err := r.acquire(ctx); err != nil {
			return false, err
		}
		ok, row, err := d.Store.TakeOver(ctx, h.Sub.ID, h.Delivery.Slot, d.claim())
		if d.stored(err) != nil || !ok {
			<-r.sem
			if err != nil {
				return false, err
			}
			continue
		}
		r.spawn(ctx, h.Sub, row, true)
	}
	subs, err := d.Store.Due(ctx, now, batch)
	if err != nil {
		return false, fmt.Errorf("digest: reading due subscriptions: %w", err)
	}
	for _, sub := range subs {
		if r.lost.Load() {
			return false, nil
		}
		if err := r.schedule(ctx, sub, now); err != nil {
			return false, err
		}
	}
	if len(held)+len(subs) > 0 {
		r.log().Debug("digest: pass", "expired", len(held), "due", len(subs), "took", d.Clock.Now().Sub(now))
	}
	return len(held) == batch || len(subs) == batch, nil
}

// acquire takes a delivery slot under the concurrency cap.
func (r *Runner) acquire(ctx context.Context) error {
	select {
	case r.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// spawn delivers a claimed slot in the background; a panic is logged and
// the claim is left to expire and be taken over.
func (r *Runner) spawn(ctx context.Context, sub Subscription, row Delivery, unknown bool) {
	r.wg.Add(1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				r.log().Error("digest: delivery panicked; the claim will be taken over when its lease expires",
					"subscription", sub.ID, "panic", p, "stack", string(debug.Stack()))
			}
			<-r.sem
			r.wg.Done()
		}()
		if err := r.D.deliverClaimed(ctx, sub, row, unknown); err != nil && !errors.Is(err, context.Canceled) {
			r.log().Error("digest: delivery failed", "subscription", sub.ID, "err", err)
			r.errMu.Lock()
			r.errs = append(r.errs, err)
			r.errMu.Unlock()
		}
	}()
}

// maxSkipped bounds the skipped rows recorded for one subscription at
// once, so a long outage of an every-minute schedule cannot flood the
// ledger.
const maxSkipped = 100

// schedule claims and starts the due slots of one subscription, then moves
// its stored next slot past now. Every slot within the grace window that
// fell while a scheduler was up (this one, or the previous holder of the
// lease up to the time it promised) is delivered; of those that fell while
// none was, only the latest within the grace window is (the others are
// recorded as skipped).
func (r *Runner) schedule(ctx context.Context, sub Subscription, now time.Time) error {
	d := r.D
	sched, err := ParseSchedule(sub.Schedule, d.loc())
	if err != nil {
		r.log().Error("digest: bad schedule; disabling", "subscription", sub.ID, "err", err)
		return d.stored(d.Store.Disable(ctx, sub.ID, "bad schedule: "+err.Error()))
	}
	first := sub.Next
	if first.IsZero() { // not scheduled yet: from the ledger's last slot or the creation
		from := sub.CreatedAt
		rows, err := d.Store.Deliveries(ctx, sub.ID, 1)
		if err != nil {
			return err
		}
		if len(rows) > 0 && rows[0].Slot.After(from) {
			from = rows[0].Slot
		}
		first = sched.Next(from)
	}
	grace := d.grace()
	var deliver []time.Time
	var lastBefore time.Time // the latest slot missed while down, within grace
	skipped := 0
	skip := func(t time.Time) error {
		skipped++
		if skipped > maxSkipped {
			return nil
		}
		return d.skip(ctx, sub, t)
	}
	t := first
	for ; !t.IsZero() && !t.After(now); t = sched.Next(t) {
		switch {
		case now.Sub(t) > grace:
			err = skip(t)
		case t.After(r.downFrom) && t.Before(r.start):
			if !lastBefore.IsZero() {
				err = skip(lastBefore)
			}
			lastBefore = t
		default:
			deliver = append(deliver, t)
		}
		if err != nil {
			return err
		}
	}
	if !lastBefore.IsZero() {
		deliver = append([]time.Time{lastBefore}, deliver...)
	}
	for _, slot := range deliver {
		if err := r.acquire(ctx); err != nil {
			return err
		}
		if r.lost.Load() { // another replica leads now; the slot is still due for it
			<-r.sem
			return nil
		}
		claimed, row, err := d.Store.Claim(ctx, sub.ID, slot, d.claim())
		if d.stored(err) != nil || !claimed {
			<-r.sem // an existing row: done, or pending and settled by its owner or a takeover
			if err != nil {
				return err
			}
			continue
		}
		r.spawn(ctx, sub, row, false)
	}
	next := t
	if next.IsZero() {
		next = Never
	}
	_, err = d.Store.Advance(ctx, sub.ID, sub.Next, next)
	return d.stored(err)
}
