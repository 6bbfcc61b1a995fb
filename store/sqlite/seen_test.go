package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// First tells a key seen until it expires, across a restart of the
// process on the same file, and purges expired keys in bounded batches.
func TestSeenFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.db")
	s := mustOpen(t, path)
	ctx := context.Background()
	now := time.Now()
	for _, step := range []struct {
		name    string
		key     string
		expires time.Time
		want    bool
	}{
		{"new", "slack\x00v0=abc", now.Add(time.Minute), true},
		{"again", "slack\x00v0=abc", now.Add(time.Minute), false},
		{"another", "slack\x00v0=abd", now.Add(time.Minute), true},
		{"recorded expired", "discord\x001", now.Add(-time.Second), true},
		{"expired: new again", "discord\x001", now.Add(time.Minute), true},
		{"then held", "discord\x001", now.Add(time.Minute), false},
	} {
		if got, err := s.First(ctx, step.key, step.expires); err != nil || got != step.want {
			t.Fatalf("%s: First(%q) = %v, %v; want %v", step.name, step.key, got, err, step.want)
		}
	}
	if _, err := s.db.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 1500)
		INSERT INTO seen SELECT randomblob(32), ? FROM n`, now.Add(-time.Hour).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		s.db.QueryRowContext(ctx, `SELECT count(*) FROM seen`).Scan(&n)
		return n
	}
	for i, want := range []int{3 + 1 + 500, 3 + 2} { // each new key purges up to 1,000 expired ones
		if _, err := s.First(ctx, "k"+string(rune('0'+i)), now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != want {
			t.Fatalf("after purge %d: %d keys, want %d", i+1, got, want)
		}
	}
	s.Close()
	s = mustOpen(t, path)
	if got, err := s.First(ctx, "slack\x00v0=abc", now.Add(time.Minute)); err != nil || got {
		t.Fatalf("after reopening: %v, %v; want seen", got, err)
	}
}
