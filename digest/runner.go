package digest

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Runner fires each enabled subscription's digests on its schedule with
// robfig/cron. cron.Recover is in the chain (robfig's default chain does
// not recover a panicking job), and schedules are digest.Schedule, which
// fires once per local time across daylight-saving changes.
type Runner struct {
	D   *Deliverer
	Log *slog.Logger

	mu      sync.Mutex
	cron    *cron.Cron
	ctx     context.Context
	entries map[int64]cron.EntryID
	wg      sync.WaitGroup
}

// Run recovers missed slots, schedules every enabled subscription and
// serves until ctx is done; then it waits for deliveries in flight.
func (r *Runner) Run(ctx context.Context) error {
	logger := r.D.log()
	if r.Log != nil {
		logger = r.Log
	}
	r.mu.Lock()
	r.ctx = ctx
	r.cron = cron.New(
		cron.WithLocation(time.UTC),
		cron.WithChain(cron.Recover(cron.PrintfLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError)))),
	)
	r.entries = map[int64]cron.EntryID{}
	r.mu.Unlock()
	if err := r.D.Recover(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("digest: recovering missed slots", "err", err)
	}
	if err := r.Sync(ctx); err != nil {
		return err
	}
	r.cron.Start()
	<-ctx.Done()
	<-r.cron.Stop().Done()
	r.wg.Wait()
	return nil
}

// Sync makes the scheduled entries match the store: call it after a
// subscription changes.
func (r *Runner) Sync(ctx context.Context) error {
	subs, err := r.D.Store.Subscriptions(ctx)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cron == nil {
		return nil // not running yet: Run syncs at start
	}
	for _, id := range r.entries {
		r.cron.Remove(id)
	}
	clear(r.entries)
	for _, sub := range subs {
		if sub.Disabled != "" {
			continue
		}
		sched, err := ParseSchedule(sub.Schedule, r.D.loc())
		if err != nil {
			r.D.log().Error("digest: bad schedule; not scheduled", "subscription", sub.ID, "err", err)
			continue
		}
		r.entries[sub.ID] = r.cron.Schedule(sched, r.job(sub, sched))
	}
	return nil
}

// job delivers the slot that fired. robfig/cron does not tell a job its
// scheduled time, so the job tracks it: the latest slot not after now.
func (r *Runner) job(sub Subscription, sched Schedule) cron.Job {
	var mu sync.Mutex
	expected := sched.Next(r.D.Clock.Now())
	return cron.FuncJob(func() {
		now := r.D.Clock.Now()
		mu.Lock()
		slot := expected
		for n := sched.Next(slot); !n.IsZero() && !n.After(now); n = sched.Next(n) {
			slot = n
		}
		expected = sched.Next(slot)
		mu.Unlock()
		if slot.After(now) {
			return // fired early: nothing is due
		}
		r.wg.Add(1)
		defer r.wg.Done()
		cur, err := r.D.Store.Subscription(r.ctx, sub.Platform, sub.Channel)
		if err != nil || cur.ID != sub.ID || cur.Disabled != "" {
			return // unsubscribed, replaced or disabled since
		}
		if err := r.D.Deliver(r.ctx, cur, slot); err != nil && !errors.Is(err, context.Canceled) {
			r.D.log().Error("digest: delivery failed", "subscription", sub.ID, "err", err)
		}
	})
}
