// Package storetest is the conformance suite every digest.Store must pass:
// subscriptions, the ledger's claims and records, and their behaviour
// under concurrency. A storage backend's tests call Run with a function
// that opens a fresh, empty store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/digest"
)

// Platform names used by the suite; a store keeps any non-empty name.
const (
	slackP   briefbot.Platform = "slack"
	discordP briefbot.Platform = "discord"
)

var t0 = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)

// by is a claim by owner at now, for a minute.
func by(owner string, now time.Time) digest.Claim {
	return digest.Claim{Owner: owner, Now: now, LeaseUntil: now.Add(time.Minute)}
}

// Run runs the suite; open returns a new, empty store for each test and
// arranges its closing.
func Run(t *testing.T, open func(t *testing.T) digest.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s digest.Store)
	}{
		{"Subscriptions", subscriptions},
		{"ClaimOnceUnderConcurrency", claimOnce},
		{"RecordAndLedger", ledger},
		{"ConcurrentSubscribers", concurrentSubscribers},
		{"NotFound", notFound},
		{"DueAndAdvance", dueAndAdvance},
		{"LeasesAndTakeOver", leases},
		{"ConcurrentTakeOver", concurrentTakeOver},
		{"VersionItems", versionItems},
		{"SchedulerLease", schedulerLease},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func subscriptions(t *testing.T, s digest.Store) {
	ctx := context.Background()
	a, err := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "C1", Schedule: "0 8 * * *", CreatedBy: "U1", CreatedAt: t0})
	if err != nil || a.ID == 0 {
		t.Fatalf("subscribe: %v %+v", err, a)
	}
	if _, err := s.Subscribe(ctx, digest.Subscription{Platform: discordP, Channel: "C1", Schedule: "@daily", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	// Subscribing again replaces the schedule and re-enables.
	if err := s.Disable(ctx, a.ID, "channel_not_found"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Subscription(ctx, slackP, "C1")
	if got.Disabled != "channel_not_found" {
		t.Fatalf("disabled: %+v", got)
	}
	b, err := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "C1", Schedule: "CRON_TZ=Europe/Kyiv 30 7 * * 1-5", CreatedAt: t0})
	if err != nil || b.ID != a.ID {
		t.Fatalf("resubscribe: %v, id %d vs %d", err, b.ID, a.ID)
	}
	got, _ = s.Subscription(ctx, slackP, "C1")
	if got.Disabled != "" || got.Schedule != "CRON_TZ=Europe/Kyiv 30 7 * * 1-5" || !got.CreatedAt.Equal(t0) || got.CreatedBy != "U1" && got.CreatedBy != "" {
		t.Fatalf("after resubscribe: %+v", got)
	}
	all, _ := s.Subscriptions(ctx)
	if len(all) != 2 {
		t.Fatalf("%d subscriptions", len(all))
	}
	if ok, _ := s.Unsubscribe(ctx, slackP, "C1"); !ok {
		t.Fatal("unsubscribe: not found")
	}
	if ok, _ := s.Unsubscribe(ctx, slackP, "C1"); ok {
		t.Fatal("unsubscribe twice")
	}
	if _, err := s.Subscription(ctx, slackP, "C1"); !errors.Is(err, digest.ErrNotFound) {
		t.Fatalf("got %v", err)
	}
	for _, bad := range []digest.Subscription{
		{Platform: "", Channel: "#x", Schedule: "@daily"},
		{Platform: slackP, Channel: "", Schedule: "@daily"},
		{Platform: slackP, Channel: "C9", Schedule: ""},
	} {
		if _, err := s.Subscribe(ctx, bad); err == nil {
			t.Errorf("accepted an incomplete subscription %+v", bad)
		}
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func claimOnce(t *testing.T, s digest.Store) {
	ctx := context.Background()
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "C1", Schedule: "@daily", CreatedAt: t0})
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 20 {
		wg.Go(func() {
			ok, _, err := s.Claim(ctx, sub.ID, t0, by(fmt.Sprint("owner-", time.Now().UnixNano()), t0))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d claims won, want 1", won)
	}
	ok, d, err := s.Claim(ctx, sub.ID, t0, by("late", t0.Add(time.Minute)))
	if err != nil || ok || d.Status != digest.Pending {
		t.Fatalf("second claim: %v %+v %v", ok, d, err)
	}
}

func ledger(t *testing.T, s digest.Store) {
	ctx := context.Background()
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "C1", Schedule: "@daily", CreatedAt: t0})
	if ok, _, err := s.Claim(ctx, sub.ID, t0, by("a", t0)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	d := digest.Delivery{SubscriptionID: sub.ID, Slot: t0, Status: digest.Sent, MessageID: "1700.01", Attempts: 1,
		UpdatedAt: t0.Add(time.Second), Owner: "a", Version: "v1"}
	if err := s.Record(ctx, d); err != nil {
		t.Fatal(err)
	}
	ok, existing, err := s.Claim(ctx, sub.ID, t0, by("b", t0.Add(time.Hour)))
	if err != nil || ok || existing.Status != digest.Sent || existing.MessageID != "1700.01" || existing.Version != "v1" || existing.Attempts != 1 {
		t.Fatalf("re-claim: %v %v %+v", ok, err, existing)
	}
	if err := s.Record(ctx, digest.Delivery{SubscriptionID: sub.ID, Slot: t0.Add(time.Hour), Status: digest.Sent, UpdatedAt: t0, Owner: "a"}); err == nil {
		t.Fatal("recorded an unclaimed slot")
	}
	// A settled row is not recorded again.
	if err := s.Record(ctx, digest.Delivery{SubscriptionID: sub.ID, Slot: t0, Status: digest.Failed, UpdatedAt: t0, Owner: "a"}); err == nil {
		t.Fatal("re-recorded a sent slot")
	}
	// Ledger order and last sent.
	s.Claim(ctx, sub.ID, t0.Add(24*time.Hour), by("a", t0))
	s.Record(ctx, digest.Delivery{SubscriptionID: sub.ID, Slot: t0.Add(24 * time.Hour), Status: digest.Failed, Error: "is_archived", UpdatedAt: t0, Owner: "a"})
	ds, _ := s.Deliveries(ctx, sub.ID, 10)
	if len(ds) != 2 || !ds[0].Slot.Equal(t0.Add(24*time.Hour)) || ds[0].Error != "is_archived" {
		t.Fatalf("deliveries: %+v", ds)
	}
	if ds, _ := s.Deliveries(ctx, sub.ID, 1); len(ds) != 1 {
		t.Fatalf("limit 1: %d rows", len(ds))
	}
	last, err := s.LastSent(ctx, sub.ID)
	if err != nil || !last.Slot.Equal(t0) || last.MessageID != "1700.01" {
		t.Fatalf("last sent: %+v %v", last, err)
	}
}

// Many channels subscribing and claiming at once lose nothing.
func concurrentSubscribers(t *testing.T, s digest.Store) {
	ctx := context.Background()
	const n = 32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sub, err := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: fmt.Sprintf("C%02d", i), Schedule: "@daily", CreatedAt: t0})
			if err != nil {
				t.Error(err)
				return
			}
			if ok, _, err := s.Claim(ctx, sub.ID, t0, by("a", t0)); !ok || err != nil {
				t.Errorf("claim %d: %v %v", i, ok, err)
			}
		})
	}
	wg.Wait()
	all, err := s.Subscriptions(ctx)
	if err != nil || len(all) != n {
		t.Fatalf("%d subscriptions, %v", len(all), err)
	}
}

func notFound(t *testing.T, s digest.Store) {
	ctx := context.Background()
	if err := s.Disable(ctx, 999, "x"); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("disable unknown: %v", err)
	}
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "C1", Schedule: "@daily", CreatedAt: t0})
	if _, err := s.LastSent(ctx, sub.ID); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("last sent with none: %v", err)
	}
	if ds, err := s.Deliveries(ctx, sub.ID, 5); err != nil || len(ds) != 0 {
		t.Errorf("deliveries with none: %+v %v", ds, err)
	}
}

// The next slot is stored and indexed: Due returns what is due, earliest
// first; Advance moves it only from the value the caller read.
func dueAndAdvance(t *testing.T, s digest.Store) {
	ctx := context.Background()
	a, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "A", Schedule: "@daily", CreatedAt: t0, Next: t0.Add(2 * time.Hour)})
	b, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "B", Schedule: "@daily", CreatedAt: t0, Next: t0.Add(time.Hour)})
	c, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "C", Schedule: "@daily", CreatedAt: t0}) // not scheduled yet
	late, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "L", Schedule: "@daily", CreatedAt: t0, Next: t0.Add(48 * time.Hour)})
	off, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "O", Schedule: "@daily", CreatedAt: t0, Next: t0})
	if !a.Next.Equal(t0.Add(2 * time.Hour)) {
		t.Fatalf("subscribe returned next %v", a.Next)
	}
	s.Disable(ctx, off.ID, "gone")
	due, err := s.Due(ctx, t0.Add(2*time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, d := range due {
		got = append(got, d.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint([]int64{c.ID, b.ID, a.ID}) {
		t.Fatalf("due: %v, want %v (unscheduled first, then by next slot; not %d or the disabled %d)", got, []int64{c.ID, b.ID, a.ID}, late.ID, off.ID)
	}
	if !due[1].Next.Equal(t0.Add(time.Hour)) {
		t.Fatalf("due next: %v", due[1].Next)
	}
	if due, _ := s.Due(ctx, t0.Add(2*time.Hour), 1); len(due) != 1 {
		t.Fatalf("limit 1: %d", len(due))
	}
	if ok, err := s.Advance(ctx, b.ID, t0.Add(time.Hour), t0.Add(25*time.Hour)); !ok || err != nil {
		t.Fatalf("advance: %v %v", ok, err)
	}
	if ok, _ := s.Advance(ctx, b.ID, t0.Add(time.Hour), t0.Add(49*time.Hour)); ok {
		t.Fatal("advanced from a stale next slot")
	}
	if ok, err := s.Advance(ctx, c.ID, time.Time{}, digest.Never); !ok || err != nil {
		t.Fatalf("advance from unscheduled: %v %v", ok, err)
	}
	got2, _ := s.Subscription(ctx, slackP, "C")
	if !got2.Next.Equal(digest.Never) {
		t.Fatalf("never: %v", got2.Next)
	}
	// Re-declaring with the same schedule keeps the stored next slot; a
	// new schedule takes the given one.
	again, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "B", Schedule: "@daily", CreatedAt: t0, Next: t0.Add(99 * time.Hour)})
	if !again.Next.Equal(t0.Add(25 * time.Hour)) {
		t.Fatalf("same schedule: next %v", again.Next)
	}
	changed, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "B", Schedule: "@weekly", CreatedAt: t0, Next: t0.Add(99 * time.Hour)})
	if !changed.Next.Equal(t0.Add(99 * time.Hour)) {
		t.Fatalf("new schedule: next %v", changed.Next)
	}
	re, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "O", Schedule: "@daily", CreatedAt: t0, Next: t0.Add(30 * time.Hour)})
	if !re.Next.Equal(t0.Add(30 * time.Hour)) {
		t.Fatalf("re-enabled: next %v", re.Next)
	}
}

// A claim has an owner and a lease: only its owner renews or records it,
// and only an expired lease is taken over, by one taker.
func leases(t *testing.T, s digest.Store) {
	ctx := context.Background()
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "C1", Schedule: "@daily", CreatedAt: t0})
	ok, row, err := s.Claim(ctx, sub.ID, t0, by("a", t0))
	if !ok || err != nil || row.Owner != "a" || !row.LeaseUntil.Equal(t0.Add(time.Minute)) {
		t.Fatalf("claim: %v %v %+v", ok, err, row)
	}
	if ex, _ := s.Expired(ctx, t0.Add(30*time.Second), 10); len(ex) != 0 {
		t.Fatalf("expired while live: %+v", ex)
	}
	if ok, _, _ := s.TakeOver(ctx, sub.ID, t0, by("b", t0.Add(30*time.Second))); ok {
		t.Fatal("took over a live lease")
	}
	if err := s.Renew(ctx, sub.ID, t0, by("b", t0)); !errors.Is(err, digest.ErrNotOwner) {
		t.Fatalf("renewed by a stranger: %v", err)
	}
	if err := s.Renew(ctx, sub.ID, t0, by("a", t0.Add(50*time.Second))); err != nil {
		t.Fatal(err)
	}
	if ex, _ := s.Expired(ctx, t0.Add(90*time.Second), 10); len(ex) != 0 {
		t.Fatalf("expired after renewal: %+v", ex)
	}
	later := t0.Add(3 * time.Minute)
	ex, err := s.Expired(ctx, later, 10)
	if err != nil || len(ex) != 1 || ex[0].Sub.ID != sub.ID || ex[0].Sub.Channel != "C1" || !ex[0].Delivery.Slot.Equal(t0) || ex[0].Delivery.Owner != "a" {
		t.Fatalf("expired: %+v %v", ex, err)
	}
	ok, row, err = s.TakeOver(ctx, sub.ID, t0, by("b", later))
	if !ok || err != nil || row.Owner != "b" || row.Status != digest.Pending {
		t.Fatalf("take over: %v %v %+v", ok, err, row)
	}
	if err := s.Record(ctx, digest.Delivery{SubscriptionID: sub.ID, Slot: t0, Status: digest.Sent, UpdatedAt: later, Owner: "a"}); !errors.Is(err, digest.ErrNotOwner) {
		t.Fatalf("the old owner recorded: %v", err)
	}
	if err := s.Renew(ctx, sub.ID, t0, by("a", later)); !errors.Is(err, digest.ErrNotOwner) {
		t.Fatalf("the old owner renewed: %v", err)
	}
	if err := s.Record(ctx, digest.Delivery{SubscriptionID: sub.ID, Slot: t0, Status: digest.Sent, MessageID: "m1", UpdatedAt: later, Owner: "b", Attempts: 2}); err != nil {
		t.Fatal(err)
	}
	if ex, _ := s.Expired(ctx, later.Add(time.Hour), 10); len(ex) != 0 {
		t.Fatalf("a settled row is expired: %+v", ex)
	}
	if ok, _, _ := s.TakeOver(ctx, sub.ID, t0, by("c", later.Add(time.Hour))); ok {
		t.Fatal("took over a settled row")
	}
}

// Many takers of one expired claim: exactly one wins.
func concurrentTakeOver(t *testing.T, s digest.Store) {
	ctx := context.Background()
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "C1", Schedule: "@daily", CreatedAt: t0})
	s.Claim(ctx, sub.ID, t0, by("dead", t0))
	later := t0.Add(time.Hour)
	var mu sync.Mutex
	won := 0
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			ok, _, err := s.TakeOver(ctx, sub.ID, t0, by(fmt.Sprint("r", i), later))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d takeovers won, want 1", won)
	}
}

// A briefing version's items are stored once and read back.
func versionItems(t *testing.T, s digest.Store) {
	ctx := context.Background()
	if _, err := s.Items(ctx, "v1"); !errors.Is(err, digest.ErrNotFound) {
		t.Fatalf("unknown version: %v", err)
	}
	items := []string{"source:a", "position:x/y/supports", "event:2026-01-01:A \"quoted\" line"}
	for range 2 {
		if err := s.SaveItems(ctx, "v1", items); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Items(ctx, "v1")
	if err != nil || fmt.Sprint(got) != fmt.Sprint(items) {
		t.Fatalf("items: %q %v", got, err)
	}
}

// One scheduler holds the lease; another takes it only once it expired,
// and learns how far the previous one had promised to schedule.
func schedulerLease(t *testing.T, s digest.Store) {
	ctx := context.Background()
	held, _, err := s.Lead(ctx, by("a", t0))
	if !held || err != nil {
		t.Fatalf("first lead: %v %v", held, err)
	}
	if held, _, _ := s.Lead(ctx, by("b", t0.Add(30*time.Second))); held {
		t.Fatal("b took a live lease")
	}
	held, prev, err := s.Lead(ctx, by("a", t0.Add(30*time.Second)))
	if !held || err != nil || !prev.Equal(t0.Add(time.Minute)) {
		t.Fatalf("renew: %v %v %v", held, prev, err)
	}
	held, prev, err = s.Lead(ctx, by("b", t0.Add(2*time.Minute)))
	if !held || err != nil || !prev.Equal(t0.Add(90*time.Second)) {
		t.Fatalf("take over an expired lease: %v %v %v", held, prev, err)
	}
	var mu sync.Mutex
	won := 0
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			held, _, err := s.Lead(ctx, by(fmt.Sprint("r", i), t0.Add(time.Hour)))
			if err != nil {
				t.Error(err)
			}
			if held {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d schedulers elected at once, want 1", won)
	}
}
