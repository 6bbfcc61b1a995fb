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
	"io/fs"
	"os"
	"strings"
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
	// 2: the next slot stored and indexed per subscription; claims with an
	// owner and a lease; a delivery records the briefing version it
	// carried, and each version's items are stored once.
	`ALTER TABLE subscriptions ADD COLUMN next_slot INTEGER NOT NULL DEFAULT 0;
	CREATE INDEX subscriptions_due ON subscriptions (next_slot) WHERE disabled = '';
	ALTER TABLE deliveries ADD COLUMN owner TEXT NOT NULL DEFAULT '';
	ALTER TABLE deliveries ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE deliveries ADD COLUMN version TEXT NOT NULL DEFAULT '';
	CREATE TABLE briefing_versions (version TEXT PRIMARY KEY, items TEXT NOT NULL);
	INSERT OR IGNORE INTO briefing_versions (version, items)
		SELECT 'legacy:' || subscription_id || ':' || slot, seen FROM deliveries WHERE status = 'sent' AND seen != '[]';
	UPDATE deliveries SET version = 'legacy:' || subscription_id || ':' || slot WHERE status = 'sent' AND seen != '[]';
	DROP INDEX deliveries_by_status;
	ALTER TABLE deliveries DROP COLUMN seen;
	CREATE INDEX deliveries_pending ON deliveries (lease_until) WHERE status = 'pending';
	CREATE TABLE scheduler (id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL, lease_until INTEGER NOT NULL);
	INSERT INTO scheduler VALUES (1, '', 0);`,
	// Signed requests and events already served (Store.First), for a
	// process that keeps them on disk rather than in memory.
	`CREATE TABLE seen (key BLOB PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID;
	CREATE INDEX seen_expires ON seen (expires);`,
}

// Store is a digest.Store on SQLite. One process at a time may open a
// database file (an exclusive lock on the file): SQLite does not make
// claims safe between processes, so replicas need store/postgres.
type Store struct {
	db   *sql.DB
	lock *os.File // holds the exclusive lock on the database file
}

var _ digest.Store = (*Store)(nil)

// Open opens the database at path and migrates it, creating the file when
// it is missing. It refuses a file that exists but is not a briefbot
// database (0 bytes, not SQLite, failing PRAGMA quick_check, or another
// program's tables) and a file another process has open, each with a
// message that says what to do. Use ":memory:" for a private in-memory
// database.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == ":memory:" {
		db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(1)")
		if err != nil {
			return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
		}
		db.SetMaxOpenConns(1) // one connection keeps it one database
		s := &Store{db: db}
		if err := s.migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("sqlite: migrating %s: %w", path, err)
		}
		return s, nil
	}
	fi, err := os.Stat(path)
	created := errors.Is(err, fs.ErrNotExist)
	switch {
	case created:
	case err != nil:
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	case fi.IsDir():
		return nil, fmt.Errorf("sqlite: %s is a directory, not a database file", path)
	case fi.Size() == 0:
		return nil, fmt.Errorf("sqlite: %s exists but is empty (0 bytes), so it is not a briefbot database; "+
			"refusing to start rather than run without its subscriptions: restore it from a backup, "+
			"or move it away to start with a new database", path)
	}
	s, err := openFile(ctx, path, created)
	if err != nil && created {
		os.Remove(path) // leave no empty file that the next start would refuse
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
	}
	return s, err
}

func openFile(ctx context.Context, path string, created bool) (*Store, error) {
	lock, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("sqlite: %s is in use by another briefbot process; SQLite serves one process at a time. "+
				"To run several replicas, use PostgreSQL (BRIEFBOT_DB=postgres://user:password@host/db)", path)
		}
		return nil, fmt.Errorf("sqlite: locking %s: %w", path, err)
	}
	if !created {
		// Read-only and without pragmas: a refused file is left as it was.
		if err := check(ctx, path); err != nil {
			lock.Close()
			return nil, err
		}
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	// One writer at a time is SQLite's model.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, lock: lock}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: migrating %s: %w", path, err)
	}
	// This process holds the file's lock, so no other process is alive to
	// hold a claim: release them for takeover (after the platform lookup
	// that guards each one).
	if _, err := s.db.ExecContext(ctx, `UPDATE deliveries SET lease_until = 0 WHERE status = 'pending';
		UPDATE scheduler SET owner = ''`); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: %s: releasing the claims of the previous process: %w", path, err)
	}
	return s, nil
}

// check refuses a file that is not a sound briefbot database.
func check(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return fmt.Errorf("sqlite: %s is not a readable SQLite database (%v); refusing to start: restore it from a backup, "+
			"or move it away to start with a new database", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("sqlite: %s is damaged (PRAGMA quick_check: %s); refusing to start: restore it from a backup, "+
			"or move it away to start with a new database", path, res)
	}
	var version, foreign int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table'
		AND name NOT IN ('subscriptions', 'deliveries', 'briefing_versions', 'scheduler', 'seen') AND name NOT LIKE 'sqlite_%'`).Scan(&foreign); err != nil {
		return fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if version == 0 && foreign > 0 {
		return fmt.Errorf("sqlite: %s is an SQLite database of another program (it has %d tables briefbot does not know); refusing to use it", path, foreign)
	}
	return nil
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

// Close closes the database and releases its lock.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.lock != nil {
		s.lock.Close()
	}
	return err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

const timeLayout = time.RFC3339Nano

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// ms stores an instant as Unix milliseconds (indexed, ordered); the zero
// time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// Subscribe creates or replaces a channel's subscription, enabled. An
// enabled subscription whose schedule is unchanged keeps its next slot.
func (s *Store) Subscribe(ctx context.Context, sub digest.Subscription) (digest.Subscription, error) {
	if sub.Platform == "" || sub.Channel == "" || sub.Schedule == "" {
		return sub, fmt.Errorf("sqlite: subscribe: platform, channel and schedule are required")
	}
	var next int64
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO subscriptions (platform, channel, schedule, from_config, created_by, created_at, disabled, next_slot)
		VALUES (?, ?, ?, ?, ?, ?, '', ?)
		ON CONFLICT (platform, channel) DO UPDATE SET
			next_slot = CASE WHEN subscriptions.schedule = excluded.schedule AND subscriptions.disabled = ''
				THEN subscriptions.next_slot ELSE excluded.next_slot END,
			schedule = excluded.schedule, from_config = excluded.from_config,
			created_by = excluded.created_by, created_at = excluded.created_at, disabled = ''
		RETURNING id, next_slot`,
		string(sub.Platform), sub.Channel, sub.Schedule, sub.FromConfig, sub.CreatedBy, fmtTime(sub.CreatedAt), ms(sub.Next)).Scan(&sub.ID, &next)
	if err != nil {
		return sub, fmt.Errorf("sqlite: subscribe %s/%s: %w", sub.Platform, sub.Channel, err)
	}
	sub.Disabled, sub.Next = "", fromMS(next)
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

const subColumns = `s.id, s.platform, s.channel, s.schedule, s.from_config, s.created_by, s.created_at, s.disabled, s.next_slot`

func subDest(sub *digest.Subscription, platform, created *string, next *int64) []any {
	return []any{&sub.ID, platform, &sub.Channel, &sub.Schedule, &sub.FromConfig, &sub.CreatedBy, created, &sub.Disabled, next}
}

func finishSub(sub *digest.Subscription, platform, created string, next int64) error {
	sub.Platform = briefbot.Platform(platform)
	t, err := parseTime(created)
	if err != nil {
		return fmt.Errorf("created_at %q: %w", created, err)
	}
	sub.CreatedAt, sub.Next = t, fromMS(next)
	return nil
}

func scanSub(row interface{ Scan(...any) error }) (digest.Subscription, error) {
	var sub digest.Subscription
	var platform, created string
	var next int64
	if err := row.Scan(subDest(&sub, &platform, &created, &next)...); err != nil {
		return sub, err
	}
	return sub, finishSub(&sub, platform, created, next)
}

// Subscription returns a channel's subscription.
func (s *Store) Subscription(ctx context.Context, p briefbot.Platform, channel string) (digest.Subscription, error) {
	sub, err := scanSub(s.db.QueryRowContext(ctx, `SELECT `+subColumns+` FROM subscriptions s WHERE platform = ? AND channel = ?`, string(p), channel))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, digest.ErrNotFound
	}
	if err != nil {
		return sub, fmt.Errorf("sqlite: subscription %s/%s: %w", p, channel, err)
	}
	return sub, nil
}

func (s *Store) subs(ctx context.Context, what, query string, args ...any) ([]digest.Subscription, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer rows.Close()
	var out []digest.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", what, err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Subscriptions returns every subscription, by id.
func (s *Store) Subscriptions(ctx context.Context) ([]digest.Subscription, error) {
	return s.subs(ctx, "subscriptions", `SELECT `+subColumns+` FROM subscriptions s ORDER BY id`)
}

// Due returns enabled subscriptions whose next slot is at or before now,
// earliest first, from the subscriptions_due index.
func (s *Store) Due(ctx context.Context, now time.Time, limit int) ([]digest.Subscription, error) {
	return s.subs(ctx, "due subscriptions", `SELECT `+subColumns+` FROM subscriptions s
		WHERE disabled = '' AND next_slot <= ? ORDER BY next_slot LIMIT ?`, ms(now), limit)
}

// Advance moves a subscription's next slot from from to next.
func (s *Store) Advance(ctx context.Context, id int64, from, next time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE subscriptions SET next_slot = ? WHERE id = ? AND next_slot = ?`, ms(next), id, ms(from))
	if err != nil {
		return false, fmt.Errorf("sqlite: advance %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
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
func (s *Store) Claim(ctx context.Context, subID int64, slot time.Time, c digest.Claim) (bool, digest.Delivery, error) {
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO deliveries (subscription_id, slot, status, updated_at, owner, lease_until) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (subscription_id, slot) DO NOTHING`,
		subID, fmtTime(slot), string(digest.Pending), fmtTime(c.Now), c.Owner, ms(c.LeaseUntil))
	if err != nil {
		return false, digest.Delivery{}, fmt.Errorf("sqlite: claim %d@%s: %w", subID, fmtTime(slot), err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, digest.Delivery{SubscriptionID: subID, Slot: slot.UTC(), Status: digest.Pending, UpdatedAt: c.Now.UTC(),
			Owner: c.Owner, LeaseUntil: fromMS(ms(c.LeaseUntil))}, nil
	}
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `SELECT `+delColumns+` FROM deliveries d WHERE subscription_id = ? AND slot = ?`, subID, fmtTime(slot)))
	if err != nil {
		return false, d, fmt.Errorf("sqlite: claim %d@%s: %w", subID, fmtTime(slot), err)
	}
	return false, d, nil
}

// Expired returns pending rows whose lease ended, with their
// subscriptions.
func (s *Store) Expired(ctx context.Context, now time.Time, limit int) ([]digest.Held, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+delColumns+`, `+subColumns+` FROM deliveries d
		JOIN subscriptions s ON s.id = d.subscription_id
		WHERE d.status = 'pending' AND d.lease_until < ? ORDER BY d.slot LIMIT ?`, ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: expired claims: %w", err)
	}
	defer rows.Close()
	var out []digest.Held
	for rows.Next() {
		var h digest.Held
		var slot, status, updated, platform, created string
		var lease, next int64
		dst := append(delDest(&h.Delivery, &slot, &status, &updated, &lease), subDest(&h.Sub, &platform, &created, &next)...)
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("sqlite: expired claims: %w", err)
		}
		if err := finishDelivery(&h.Delivery, slot, status, updated, lease); err != nil {
			return nil, err
		}
		if err := finishSub(&h.Sub, platform, created, next); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// TakeOver gives c.Owner an expired pending claim.
func (s *Store) TakeOver(ctx context.Context, subID int64, slot time.Time, c digest.Claim) (bool, digest.Delivery, error) {
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `UPDATE deliveries AS d SET owner = ?, lease_until = ?, updated_at = ?
		WHERE subscription_id = ? AND slot = ? AND status = 'pending' AND lease_until < ?
		RETURNING `+strings.ReplaceAll(delColumns, "d.", ""),
		c.Owner, ms(c.LeaseUntil), fmtTime(c.Now), subID, fmtTime(slot), ms(c.Now)))
	if errors.Is(err, sql.ErrNoRows) {
		return false, d, nil
	}
	if err != nil {
		return false, d, fmt.Errorf("sqlite: take over %d@%s: %w", subID, fmtTime(slot), err)
	}
	return true, d, nil
}

// Renew extends the lease of a pending claim c.Owner holds.
func (s *Store) Renew(ctx context.Context, subID int64, slot time.Time, c digest.Claim) error {
	res, err := s.db.ExecContext(ctx, `UPDATE deliveries SET lease_until = ?
		WHERE subscription_id = ? AND slot = ? AND status = 'pending' AND owner = ?`, ms(c.LeaseUntil), subID, fmtTime(slot), c.Owner)
	if err != nil {
		return fmt.Errorf("sqlite: renew %d@%s: %w", subID, fmtTime(slot), err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: renew %d@%s: %w", subID, fmtTime(slot), digest.ErrNotOwner)
	}
	return nil
}

// Record settles a pending claim d.Owner holds.
func (s *Store) Record(ctx context.Context, d digest.Delivery) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE deliveries SET status = ?, message_id = ?, error = ?, attempts = ?, updated_at = ?, version = ?, lease_until = 0
		WHERE subscription_id = ? AND slot = ? AND status = 'pending' AND owner = ?`,
		string(d.Status), d.MessageID, d.Error, d.Attempts, fmtTime(d.UpdatedAt), d.Version, d.SubscriptionID, fmtTime(d.Slot), d.Owner)
	if err != nil {
		return fmt.Errorf("sqlite: record %d@%s: %w", d.SubscriptionID, fmtTime(d.Slot), err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var exists int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE subscription_id = ? AND slot = ?`,
		d.SubscriptionID, fmtTime(d.Slot)).Scan(&exists); err != nil {
		return fmt.Errorf("sqlite: record %d@%s: %w", d.SubscriptionID, fmtTime(d.Slot), err)
	}
	if exists == 0 {
		return fmt.Errorf("sqlite: record %d@%s: slot was never claimed", d.SubscriptionID, fmtTime(d.Slot))
	}
	return fmt.Errorf("sqlite: record %d@%s: %w", d.SubscriptionID, fmtTime(d.Slot), digest.ErrNotOwner)
}

const delColumns = `d.subscription_id, d.slot, d.status, d.message_id, d.error, d.attempts, d.updated_at, d.owner, d.lease_until, d.version`

func delDest(d *digest.Delivery, slot, status, updated *string, lease *int64) []any {
	return []any{&d.SubscriptionID, slot, status, &d.MessageID, &d.Error, &d.Attempts, updated, &d.Owner, lease, &d.Version}
}

func finishDelivery(d *digest.Delivery, slot, status, updated string, lease int64) error {
	d.Status, d.LeaseUntil = digest.Status(status), fromMS(lease)
	var err error
	if d.Slot, err = parseTime(slot); err != nil {
		return err
	}
	if d.UpdatedAt, err = parseTime(updated); err != nil {
		return err
	}
	return nil
}

func scanDelivery(row interface{ Scan(...any) error }) (digest.Delivery, error) {
	var d digest.Delivery
	var slot, status, updated string
	var lease int64
	if err := row.Scan(delDest(&d, &slot, &status, &updated, &lease)...); err != nil {
		return d, err
	}
	return d, finishDelivery(&d, slot, status, updated, lease)
}

// Deliveries returns a subscription's latest rows, newest slot first.
func (s *Store) Deliveries(ctx context.Context, subID int64, limit int) ([]digest.Delivery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+delColumns+` FROM deliveries d WHERE subscription_id = ? ORDER BY slot DESC LIMIT ?`, subID, limit)
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
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `SELECT `+delColumns+` FROM deliveries d
		WHERE subscription_id = ? AND status = ? ORDER BY slot DESC LIMIT 1`, subID, string(digest.Sent)))
	if errors.Is(err, sql.ErrNoRows) {
		return d, digest.ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("sqlite: last sent of %d: %w", subID, err)
	}
	return d, nil
}

// SaveItems stores a briefing version's items once.
func (s *Store) SaveItems(ctx context.Context, version string, items []string) error {
	b, err := json.Marshal(items)
	if err != nil {
		return fmt.Errorf("sqlite: save items: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO briefing_versions (version, items) VALUES (?, ?) ON CONFLICT DO NOTHING`, version, string(b)); err != nil {
		return fmt.Errorf("sqlite: save items of %s: %w", version, err)
	}
	return nil
}

// Items returns a briefing version's items.
func (s *Store) Items(ctx context.Context, version string) ([]string, error) {
	var b string
	err := s.db.QueryRowContext(ctx, `SELECT items FROM briefing_versions WHERE version = ?`, version).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, digest.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: items of %s: %w", version, err)
	}
	var items []string
	if err := json.Unmarshal([]byte(b), &items); err != nil {
		return nil, fmt.Errorf("sqlite: items of %s: %w", version, err)
	}
	return items, nil
}

// Lead takes or renews the scheduler's lease.
func (s *Store) Lead(ctx context.Context, c digest.Claim) (bool, time.Time, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, time.Time{}, fmt.Errorf("sqlite: lead: %w", err)
	}
	defer tx.Rollback()
	var owner string
	var until int64
	if err := tx.QueryRowContext(ctx, `SELECT owner, lease_until FROM scheduler WHERE id = 1`).Scan(&owner, &until); err != nil {
		return false, time.Time{}, fmt.Errorf("sqlite: lead: %w", err)
	}
	if owner != c.Owner && owner != "" && until >= ms(c.Now) {
		return false, time.Time{}, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE scheduler SET owner = ?, lease_until = ? WHERE id = 1`, c.Owner, ms(c.LeaseUntil)); err != nil {
		return false, time.Time{}, fmt.Errorf("sqlite: lead: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, time.Time{}, fmt.Errorf("sqlite: lead: %w", err)
	}
	return true, fromMS(until), nil
}
