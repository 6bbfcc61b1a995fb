package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/digest/storetest"
)

var t0 = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)

func mustOpen(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func by(owner string, now time.Time) digest.Claim {
	return digest.Claim{Owner: owner, Now: now, LeaseUntil: now.Add(time.Minute)}
}

// The store passes the conformance suite every digest.Store must pass,
// on a database file on disk.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) digest.Store { return mustOpen(t, filepath.Join(t.TempDir(), "b.db")) })
}

func TestPersistsAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "briefbot.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: "discord", Channel: "42", Schedule: "@daily", CreatedAt: t0})
	s.Claim(ctx, sub.ID, t0, by("first-process", t0.Add(time.Hour)))
	s.Close()
	s2 := mustOpen(t, path) // migrations must not run twice
	got, err := s2.Subscription(ctx, "discord", "42")
	if err != nil || got.ID != sub.ID {
		t.Fatalf("after reopen: %+v %v", got, err)
	}
	if ok, d, _ := s2.Claim(ctx, sub.ID, t0, by("x", t0)); ok || d.Status != digest.Pending {
		t.Fatalf("pending claim lost: %v %+v", ok, d)
	}
	// The lock proves the previous process is gone: its claims are
	// released for takeover at once, not a lease later.
	if ex, _ := s2.Expired(ctx, t0, 10); len(ex) != 1 {
		t.Fatalf("claims of the dead process not released: %+v", ex)
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

// A database of the first schema (the full item list in every row) is
// migrated: the last digest's items are kept once, as a version, so the
// next digest still says what is new.
func TestMigratesFromSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(migrations[0] + `; PRAGMA user_version = 1;
		INSERT INTO subscriptions (id, platform, channel, schedule, created_at) VALUES (1, 'slack', 'C1', '@daily', '2026-11-20T08:00:00Z');
		INSERT INTO deliveries VALUES (1, '2026-11-21T08:00:00Z', 'sent', 'm1', '', 1, '2026-11-21T08:00:01Z', '["source:a","source:b"]');
		INSERT INTO deliveries VALUES (1, '2026-11-22T08:00:00Z', 'pending', '', '', 0, '2026-11-22T08:00:00Z', '[]');`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := mustOpen(t, path)
	last, err := s.LastSent(ctx, 1)
	if err != nil || last.Version == "" {
		t.Fatalf("last sent: %+v %v", last, err)
	}
	items, err := s.Items(ctx, last.Version)
	if err != nil || strings.Join(items, ",") != "source:a,source:b" {
		t.Fatalf("items: %v %v", items, err)
	}
	if ex, _ := s.Expired(ctx, t0, 10); len(ex) != 1 || ex[0].Delivery.Status != digest.Pending {
		t.Fatalf("old pending row not up for takeover: %+v", ex)
	}
}

// A file that exists but is not a briefbot database is refused with a
// message that says so, and left as it was; a missing file is created.
func TestRefusesWhatIsNotABriefbotDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	s := mustOpen(t, good)
	for i := range 200 {
		s.Subscribe(ctx, digest.Subscription{Platform: "slack", Channel: fmt.Sprint("C", i), Schedule: "@daily", CreatedAt: t0})
	}
	s.Close()
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// A damaged last page: the b-tree page's header overwritten.
	corrupt := append([]byte(nil), data...)
	last := len(corrupt) - 4096
	for i := last; i < last+64; i++ {
		corrupt[i] = 0xA5
	}
	other := filepath.Join(dir, "other.db")
	odb, _ := sql.Open("sqlite", "file:"+other)
	if _, err := odb.Exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')"); err != nil {
		t.Fatal(err)
	}
	odb.Close()
	for _, tc := range []struct {
		name, body, want string
	}{
		{"empty", "", "empty (0 bytes)"},
		{"text", strings.Repeat("not a database\n", 300), "not a readable SQLite database"},
		{"corrupt", string(corrupt), "damaged"},
		{"other", "", "another program"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".db")
			if tc.name == "other" {
				path = other
			} else if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(path)
			_, err := Open(ctx, path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v, want an error naming the file and %q", err, tc.want)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Fatal("the refused file was changed")
			}
		})
	}
	missing := filepath.Join(dir, "new", "..", "fresh.db")
	s2 := mustOpen(t, missing)
	if _, err := s2.Subscriptions(ctx); err != nil {
		t.Fatal(err)
	}
	// A file that cannot be created leaves nothing behind.
	if _, err := Open(ctx, filepath.Join(dir, "no-such-dir", "b.db")); err == nil {
		t.Fatal("opened a file in a missing directory")
	}
}

// A second process on the same file is refused, pointing to PostgreSQL.
func TestSecondProcessRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.db")
	s := mustOpen(t, path)
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "another briefbot process") || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("second open: %v", err)
	}
	s.Close()
	mustOpen(t, path) // free again once the first one closed
}

// A full database fails writes with SQLite's own error; nothing already
// stored is lost, and writes work again once there is room.
func TestFullDisk(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "b.db"))
	sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: "slack", Channel: "C1", Schedule: "@daily", CreatedAt: t0})
	var pages int
	s.db.QueryRow("PRAGMA page_count").Scan(&pages)
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		_, err = s.Subscribe(ctx, digest.Subscription{Platform: "slack", Channel: fmt.Sprint("X", i), Schedule: "@daily", CreatedAt: t0})
	}
	if err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("no full-disk error: %v", err)
	}
	if got, err := s.Subscription(ctx, "slack", "C1"); err != nil || got.ID != sub.ID {
		t.Fatalf("lost: %v", err)
	}
	s.db.Exec("PRAGMA max_page_count = 1000000")
	if ok, _, err := s.Claim(ctx, sub.ID, t0, by("a", t0)); !ok || err != nil {
		t.Fatalf("after room came back: %v %v", ok, err)
	}
}

// TestDeliveryRowSize measures what one delivery adds to the database
// file: under 1 KB (the bound), whatever the briefing's size.
func TestDeliveryRowSize(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "b.db")
	s := mustOpen(t, path)
	const subs, days = 100, 20
	for i := range subs {
		sub, _ := s.Subscribe(ctx, digest.Subscription{Platform: "slack", Channel: fmt.Sprintf("C%010d", i), Schedule: "0 8 * * *", CreatedAt: t0})
		_ = sub
	}
	size := func() int64 {
		s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		var pages, pageSize int64
		s.db.QueryRow("PRAGMA page_count").Scan(&pages)
		s.db.QueryRow("PRAGMA page_size").Scan(&pageSize)
		return pages * pageSize
	}
	before := size()
	for d := range days {
		slot := t0.Add(time.Duration(d) * 24 * time.Hour)
		for id := int64(1); id <= subs; id++ {
			c := by("0123456789abcdef", slot)
			if _, _, err := s.Claim(ctx, id, slot, c); err != nil {
				t.Fatal(err)
			}
			if err := s.Record(ctx, digest.Delivery{SubscriptionID: id, Slot: slot, Status: digest.Sent, Owner: c.Owner,
				MessageID: "1764662400.123456", Attempts: 1, UpdatedAt: slot.Add(time.Second), Version: "0123456789abcdef"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	per := float64(size()-before) / (subs * days)
	t.Logf("%.0f bytes of database file per delivery (row and primary key)", per)
	if per >= 1024 {
		t.Fatalf("%.0f bytes per delivery, want under 1 KB", per)
	}
}

var _ = errors.New
