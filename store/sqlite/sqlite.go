// Package sqlite implements digest.Store on an embedded SQLite database
// (modernc.org/sqlite: pure Go, so CGO_ENABLED=0 builds keep working), with
// schema migrations applied at open.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/digest"
)

// migrations are applied in order, each once; the index+1 is the schema
// version recorded in PRAGMA user_version. Append, never edit.
var migrations = []string{
	`CREATE TABLE subscriptions (
		id          INTEGER PRIMARY KEY,
		platform    TEXT NOT NULL,
		channel     TEXT NOT NULL,
		schedule    TEXT NOT NULL,
		from_config INTEGER NOT NULL DEFAULT 0,
		created_by  TEXT NOT NULL DEFAULT '',
		created_at  TEXT NOT NULL,
		disabled    TEXT NOT NULL DEFAULT '',
		UNIQUE (platform, channel)
	);
	CREATE TABLE deliveries (
		subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
		slot            TEXT NOT NULL,
		status          TEXT NOT NULL,
		message_id      TEXT NOT NULL DEFAULT '',
		error           TEXT NOT NULL DEFAULT '',
		attempts        INTEGER NOT NULL DEFAULT 0,
		updated_at      TEXT NOT NULL,
		seen            TEXT NOT NULL DEFAULT '[]',
		PRIMARY KEY (subscription_id, slot)
	);
	CREATE INDEX deliveries_by_status ON deliveries (status);`,
}

// Store is a digest.Store on SQLite.
type Store struct {
	db *sql.DB
}

var _ digest.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path and migrates it.
// Use ":memory:" for a private in-memory database.
func Open(ctx context.Context, path string) (*Store, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	if path == ":memory:" {
		dsn = "file::memory:?_pragma=foreign_keys(1)"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	// One writer at a time is SQLite's model; one connection also keeps an
	// in-memory database a single database.
	db.SetMaxOpenConns(1)
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: migrating %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this build knows (%d)", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

const timeLayout = time.RFC3339Nano

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// Subscribe creates or replaces a channel's subscription, enabled.
func (s *Store) Subscribe(ctx context.Context, sub digest.Subscription) (digest.Subscription, error) {
	if sub.Platform == "" || sub.Channel == "" || sub.Schedule == "" {
		return sub, fmt.Errorf("sqlite: subscribe: platform, channel and schedule are required")
	}
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO subscriptions (platform, channel, schedule, from_config, created_by, created_at, disabled)
		VALUES (?, ?, ?, ?, ?, ?, '')
		ON CONFLICT (platform, channel) DO UPDATE SET
			schedule = excluded.schedule, from_config = excluded.from_config,
			created_by = excluded.created_by, created_at = excluded.created_at, disabled = ''
		RETURNING id`,
		string(sub.Platform), sub.Channel, sub.Schedule, sub.FromConfig, sub.CreatedBy, fmtTime(sub.CreatedAt)).Scan(&sub.ID)
	if err != nil {
		return sub, fmt.Errorf("sqlite: subscribe %s/%s: %w", sub.Platform, sub.Channel, err)
	}
	sub.Disabled = ""
	return sub, nil
}

// Unsubscribe removes a channel's subscription and its ledger.
func (s *Store) Unsubscribe(ctx context.Context, p briefbot.Platform, channel string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM subscriptions WHERE platform = ? AND channel = ?`, string(p), channel)
	if err != nil {
		return false, fmt.Errorf("sqlite: unsubscribe %s/%s: %w", p, channel, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

const subColumns = `id, platform, channel, schedule, from_config, created_by, created_at, disabled`

func scanSub(row interface{ Scan(...any) error }) (digest.Subscription, error) {
	var sub digest.Subscription
	var platform, created string
	if err := row.Scan(&sub.ID, &platform, &sub.Channel, &sub.Schedule, &sub.FromConfig, &sub.CreatedBy, &created, &sub.Disabled); err != nil {
		return sub, err
	}
	sub.Platform = briefbot.Platform(platform)
	t, err := parseTime(created)
	if err != nil {
		return sub, fmt.Errorf("created_at %q: %w", created, err)
	}
	sub.CreatedAt = t
	return sub, nil
}

// Subscription returns a channel's subscription.
func (s *Store) Subscription(ctx context.Context, p briefbot.Platform, channel string) (digest.Subscription, error) {
	sub, err := scanSub(s.db.QueryRowContext(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE platform = ? AND channel = ?`, string(p), channel))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, digest.ErrNotFound
	}
	if err != nil {
		return sub, fmt.Errorf("sqlite: subscription %s/%s: %w", p, channel, err)
	}
	return sub, nil
}

// Subscriptions returns every subscription, by id.
func (s *Store) Subscriptions(ctx context.Context) ([]digest.Subscription, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+subColumns+` FROM subscriptions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
	}
	defer rows.Close()
	var out []digest.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Disable stops a subscription with a reason.
func (s *Store) Disable(ctx context.Context, id int64, reason string) error {
	if reason == "" {
		reason = "disabled"
	}
	res, err := s.db.ExecContext(ctx, `UPDATE subscriptions SET disabled = ? WHERE id = ?`, reason, id)
	if err != nil {
		return fmt.Errorf("sqlite: disable %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return digest.ErrNotFound
	}
	return nil
}

// Claim inserts a pending row for (subscription, slot) unless one exists.
func (s *Store) Claim(ctx context.Context, subID int64, slot, now time.Time) (bool, digest.Delivery, error) {
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO deliveries (subscription_id, slot, status, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (subscription_id, slot) DO NOTHING`,
		subID, fmtTime(slot), string(digest.Pending), fmtTime(now))
	if err != nil {
		return false, digest.Delivery{}, fmt.Errorf("sqlite: claim %d@%s: %w", subID, fmtTime(slot), err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, digest.Delivery{SubscriptionID: subID, Slot: slot.UTC(), Status: digest.Pending, UpdatedAt: now.UTC()}, nil
	}
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `SELECT `+delColumns+` FROM deliveries WHERE subscription_id = ? AND slot = ?`, subID, fmtTime(slot)))
	if err != nil {
		return false, d, fmt.Errorf("sqlite: claim %d@%s: %w", subID, fmtTime(slot), err)
	}
	return false, d, nil
}

// Record updates a claimed slot.
func (s *Store) Record(ctx context.Context, d digest.Delivery) error {
	seen, err := json.Marshal(d.Seen)
	if err != nil {
		return fmt.Errorf("sqlite: record: %w", err)
	}
	if d.Seen == nil {
		seen = []byte("[]")
	}
	res, err := s.db.ExecContext(ctx, `
		UPDATE deliveries SET status = ?, message_id = ?, error = ?, attempts = ?, updated_at = ?, seen = ?
		WHERE subscription_id = ? AND slot = ?`,
		string(d.Status), d.MessageID, d.Error, d.Attempts, fmtTime(d.UpdatedAt), string(seen), d.SubscriptionID, fmtTime(d.Slot))
	if err != nil {
		return fmt.Errorf("sqlite: record %d@%s: %w", d.SubscriptionID, fmtTime(d.Slot), err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: record %d@%s: slot was never claimed", d.SubscriptionID, fmtTime(d.Slot))
	}
	return nil
}

const delColumns = `subscription_id, slot, status, message_id, error, attempts, updated_at, seen`

func scanDelivery(row interface{ Scan(...any) error }) (digest.Delivery, error) {
	var d digest.Delivery
	var slot, status, updated, seen string
	if err := row.Scan(&d.SubscriptionID, &slot, &status, &d.MessageID, &d.Error, &d.Attempts, &updated, &seen); err != nil {
		return d, err
	}
	d.Status = digest.Status(status)
	var err error
	if d.Slot, err = parseTime(slot); err != nil {
		return d, err
	}
	if d.UpdatedAt, err = parseTime(updated); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(seen), &d.Seen); err != nil {
		return d, fmt.Errorf("seen: %w", err)
	}
	return d, nil
}

// Deliveries returns a subscription's latest rows, newest slot first.
func (s *Store) Deliveries(ctx context.Context, subID int64, limit int) ([]digest.Delivery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+delColumns+` FROM deliveries WHERE subscription_id = ? ORDER BY slot DESC LIMIT ?`, subID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: deliveries of %d: %w", subID, err)
	}
	defer rows.Close()
	var out []digest.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: deliveries of %d: %w", subID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// LastSent returns the latest sent delivery of a subscription.
func (s *Store) LastSent(ctx context.Context, subID int64) (digest.Delivery, error) {
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `SELECT `+delColumns+` FROM deliveries
		WHERE subscription_id = ? AND status = ? ORDER BY slot DESC LIMIT 1`, subID, string(digest.Sent)))
	if errors.Is(err, sql.ErrNoRows) {
		return d, digest.ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("sqlite: last sent of %d: %w", subID, err)
	}
	return d, nil
}
