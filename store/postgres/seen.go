package postgres

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Purging expired keys: at most once per purgeEvery per process, at most
// purgeBatch rows per statement, so a First never waits on a long delete.
const (
	purgeEvery = 10 * time.Second
	purgeBatch = 1000
)

// First records key until expires and reports whether it was new: the
// replay guard and Slack's event de-duplication shared by every replica
// on the database (it implements bot.SeenSet). The insert is atomic, so
// of two replicas given the same key at once exactly one is told it is
// new. A key whose row expired counts as new again. Expired rows are
// purged in bounded batches on the way. An error means the store cannot
// tell; the caller refuses the request.
func (s *Store) First(ctx context.Context, key string, expires time.Time) (bool, error) {
	now := time.Now()
	sum := sha256.Sum256([]byte(key))
	var one int
	err := s.pool.QueryRow(ctx, `
		INSERT INTO seen (key, expires) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE seen.expires <= $3
		RETURNING 1`, sum[:], expires.UnixMilli(), now.UnixMilli()).Scan(&one)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil // held and unexpired: seen
	case err != nil:
		return false, fmt.Errorf("postgres: replay guard: %w", err)
	}
	if last := s.lastPurge.Load(); now.UnixMilli()-last >= purgeEvery.Milliseconds() && s.lastPurge.CompareAndSwap(last, now.UnixMilli()) {
		// The key is recorded; a failed purge only leaves rows for the next one.
		s.purgeSeen(ctx, now) //nolint:errcheck
	}
	return true, nil
}

// purgeSeen deletes up to purgeBatch keys expired at now and returns how
// many it deleted.
func (s *Store) purgeSeen(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		DELETE FROM seen WHERE key IN (
			SELECT key FROM seen WHERE expires <= $1 ORDER BY expires LIMIT $2 FOR UPDATE SKIP LOCKED)`,
		now.UnixMilli(), purgeBatch)
	if err != nil {
		return 0, fmt.Errorf("postgres: purging the replay guard: %w", err)
	}
	return tag.RowsAffected(), nil
}
