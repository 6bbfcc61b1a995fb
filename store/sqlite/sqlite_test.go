package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
)

var t0 = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSubscriptions(t *testing.T) {
	ctx := context.Background()
	s := open(t, ":memory:")
	a, err := s.Subscribe(ctx, digest.Subscription{Platform: digest.Slack, Channel: "C1", Schedule: "0 8 * * *", CreatedBy: "U1", CreatedAt: t0})
	if err != nil || a.ID == 0 {
		t.Fatalf("subscribe: %v %+v", err, a)
	}
	if _, err := s.Subscribe(ctx, digest.Subscription{Platform: digest.Discord, Channel: "C1", Schedule: "@daily", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	// Subscribing again replaces the schedule and re-enables.
	if err := s.Disable(ctx, a.ID, "channel_not_found"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Subscription(ctx, digest.Slack, "C1")
	if got.Disabled != "channel_not_found" {
		t.Fatalf("disabled: %+v", got)
	}
	b, err := s.Subscribe(ctx, digest.Subscription{Platform: digest.Slack, Channel: "C1", Schedule: "CRON_TZ=Europe/Kyiv 30 7 * * 1-5", CreatedAt: t0})
	if err != nil || b.ID != a.ID {
		t.Fatalf("resubscribe: %v, id %d vs %d", err, b.ID, a.ID)
	}
	got, _ = s.Subscription(ctx, digest.Slack, "C1")
	if got.Disabled != "" || got.Schedule != "CRON_TZ=Europe/Kyiv 30 7 * * 1-5" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("after resubscribe: %+v", got)
	}
	all, _ := s.Subscriptions(ctx)
	if len(all) != 2 {
		t.Fatalf("%d subscriptions", len(all))
	}
	if ok, _ := s.Unsubscribe(ctx, digest.Slack, "C1"); !ok {
		t.Fatal("unsubscribe: not found")
	}
	if ok, _ := s.Unsubscribe(ctx, digest.Slack, "C1"); ok {
		t.Fatal("unsubscribe twice")
	}
	if _, err := s.Subscription(ctx, digest.Slack, "C1"); !errors.Is(err, digest.ErrNotFound) {
		t.Fatalf("got %v", err)
	}
	if err := s.Disable(ctx, 999, "x"); !errors.Is(err, digest.ErrNotFound) {
		t.Fatalf("disable unknown: %v", err)
	}
	if _, err := s.Subscribe(ctx, digest.Subscription{Platform: "irc", Channel: "#x", Schedule: "@daily"}); err == nil {
		t.Fatal("unknown platform accepted")
	}
}

func TestClaimOnceUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: digest.Slack, Channel: "C1", Schedule: "@daily", CreatedAt: t0})
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, _, err := s.Claim(ctx, sub.ID, t0, t0)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d claims won, want 1", won)
	}
	d := digest.Delivery{SubscriptionID: sub.ID, Slot: t0, Status: digest.Sent, MessageID: "1700.01", Attempts: 1, UpdatedAt: t0.Add(time.Second), Seen: []string{"source:a", "position:x/y"}}
	if err := s.Record(ctx, d); err != nil {
		t.Fatal(err)
	}
	ok, existing, err := s.Claim(ctx, sub.ID, t0, t0.Add(time.Hour))
	if err != nil || ok || existing.Status != digest.Sent || existing.MessageID != "1700.01" || len(existing.Seen) != 2 {
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
	last, err := s.LastSent(ctx, sub.ID)
	if err != nil || !last.Slot.Equal(t0) {
		t.Fatalf("last sent: %+v %v", last, err)
	}
}

func TestPersistsAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "briefbot.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: digest.Discord, Channel: "42", Schedule: "@daily", CreatedAt: t0})
	s.Claim(ctx, sub.ID, t0, t0)
	s.Close()
	s2 := open(t, path) // migrations must not run twice
	got, err := s2.Subscription(ctx, digest.Discord, "42")
	if err != nil || got.ID != sub.ID {
		t.Fatalf("after reopen: %+v %v", got, err)
	}
	if ok, d, _ := s2.Claim(ctx, sub.ID, t0, t0); ok || d.Status != digest.Pending {
		t.Fatalf("pending claim lost: %v %+v", ok, d)
	}
	if err := s2.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	// A database from a newer build is refused, not damaged.
	if _, err := s2.db.ExecContext(ctx, "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if _, err := Open(ctx, path); err == nil {
		t.Fatal("opened a newer schema")
	}
}
