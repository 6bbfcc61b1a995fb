package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/digest/storetest"
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

// The store passes the conformance suite every digest.Store must pass,
// on a database file on disk.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) digest.Store { return open(t, filepath.Join(t.TempDir(), "b.db")) })
}

func TestPersistsAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "briefbot.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: "discord", Channel: "42", Schedule: "@daily", CreatedAt: t0})
	s.Claim(ctx, sub.ID, t0, t0)
	s.Close()
	s2 := open(t, path) // migrations must not run twice
	got, err := s2.Subscription(ctx, "discord", "42")
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
