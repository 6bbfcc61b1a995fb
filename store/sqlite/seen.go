package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// seenPurgeBatch bounds how many expired keys one First deletes.
const seenPurgeBatch = 1000

// First records key until expires and reports whether it was new (it
// implements bot.SeenSet, like store/postgres, so one process may keep
// its replay guard on disk). A key whose row expired counts as new
// again; each call deletes up to seenPurgeBatch expired rows. serve uses
// memory on SQLite: one process needs nothing shared.
func (s *Store) First(ctx context.Context, key string, expires time.Time) (bool, error) {
	now := time.Now().UnixMilli()
	sum := sha256.Sum256([]byte(key))
	var one int
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO seen (key, expires) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE seen.expires <= ?
		RETURNING 1`, sum[:], expires.UnixMilli(), now).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("sqlite: replay guard: %w", err)
	}
	// The key is recorded; a failed purge only leaves rows for the next one.
	s.db.ExecContext(ctx, `DELETE FROM seen WHERE key IN (SELECT key FROM seen WHERE expires <= ? LIMIT ?)`, now, seenPurgeBatch) //nolint:errcheck
	return true, nil
}
