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
			ok, _, err := s.Claim(ctx, sub.ID, t0, t0)
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
	ok, d, err := s.Claim(ctx, sub.ID, t0, t0.Add(time.Minute))
	if err != nil || ok || d.Status != digest.Pending {
		t.Fatalf("second claim: %v %+v %v", ok, d, err)
	}
}

func ledger(t *testing.T, s digest.Store) {
	ctx := context.Background()
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: slackP, Channel: "C1", Schedule: "@daily", CreatedAt: t0})
	if ok, _, err := s.Claim(ctx, sub.ID, t0, t0); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	d := digest.Delivery{SubscriptionID: sub.ID, Slot: t0, Status: digest.Sent, MessageID: "1700.01", Attempts: 1,
		UpdatedAt: t0.Add(time.Second), Seen: []string{"source:a", "position:x/y"}}
	if err := s.Record(ctx, d); err != nil {
		t.Fatal(err)
	}
	ok, existing, err := s.Claim(ctx, sub.ID, t0, t0.Add(time.Hour))
	if err != nil || ok || existing.Status != digest.Sent || existing.MessageID != "1700.01" || len(existing.Seen) != 2 || existing.Attempts != 1 {
		t.Fatalf("re-claim: %v %v %+v", ok, err, existing)
	}
	if err := s.Record(ctx, digest.Delivery{SubscriptionID: sub.ID, Slot: t0.Add(time.Hour), Status: digest.Sent, UpdatedAt: t0}); err == nil {
		t.Fatal("recorded an unclaimed slot")
	}
	// Ledger order and last sent.
	s.Claim(ctx, sub.ID, t0.Add(24*time.Hour), t0)
	s.Record(ctx, digest.Delivery{SubscriptionID: sub.ID, Slot: t0.Add(24 * time.Hour), Status: digest.Failed, Error: "is_archived", UpdatedAt: t0})
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
			if ok, _, err := s.Claim(ctx, sub.ID, t0, t0); !ok || err != nil {
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
