// Package postgres implements digest.Store on PostgreSQL with pgx, for
// running several briefbot replicas on one database: claims are atomic
// row operations, in-flight claims have an owner and a lease, and one
// scheduler at a time holds the scheduler's lease (digest.Store.Lead).
// Schema migrations are versioned and applied at open under an advisory
// lock, so replicas starting together migrate once.
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/digest"
)

// migrations are applied in order, each once; version i+1 is recorded in
// briefbot_schema. Append, never edit.
var migrations = []string{
	`CREATE TABLE subscriptions (
		id          BIGSERIAL PRIMARY KEY,
		platform    TEXT NOT NULL,
		channel     TEXT NOT NULL,
		schedule    TEXT NOT NULL,
		from_config BOOLEAN NOT NULL DEFAULT false,
		created_by  TEXT NOT NULL DEFAULT '',
		created_at  TIMESTAMPTZ NOT NULL,
		disabled    TEXT NOT NULL DEFAULT '',
		next_slot   BIGINT NOT NULL DEFAULT 0, -- Unix ms; 0: not scheduled yet
		UNIQUE (platform, channel)
	);
	CREATE INDEX subscriptions_due ON subscriptions (next_slot) WHERE disabled = '';
	CREATE TABLE deliveries (
		subscription_id BIGINT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
		slot            TIMESTAMPTZ NOT NULL,
		status          TEXT NOT NULL,
		message_id      TEXT NOT NULL DEFAULT '',
		error           TEXT NOT NULL DEFAULT '',
		attempts        INTEGER NOT NULL DEFAULT 0,
		updated_at      TIMESTAMPTZ NOT NULL,
		owner           TEXT NOT NULL DEFAULT '',
		lease_until     BIGINT NOT NULL DEFAULT 0, -- Unix ms
		version         TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (subscription_id, slot)
	);
	CREATE INDEX deliveries_pending ON deliveries (lease_until) WHERE status = 'pending';
	CREATE TABLE briefing_versions (version TEXT PRIMARY KEY, items JSONB NOT NULL);
	CREATE TABLE scheduler (id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL, lease_until BIGINT NOT NULL);
	INSERT INTO scheduler VALUES (1, '', 0);`,
	// 2: signed requests and Slack events already served, shared by the
	// replicas (Store.First).
	`CREATE TABLE seen (
		key     BYTEA PRIMARY KEY, -- SHA-256 of the caller's key (which may hold NUL bytes)
		expires BIGINT NOT NULL   -- Unix ms
	);
	CREATE INDEX seen_expires ON seen (expires);`,
}

// migrationLock is the advisory lock key under which migrations run.
const migrationLock = 0x62726965 // "brie"

// Store is a digest.Store on PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
	// lastPurge is when First last purged expired keys (Unix ms).
	lastPurge atomic.Int64
}

var _ digest.Store = (*Store)(nil)

// Open connects to the database at url (postgres://user:password@host/db)
// and migrates it. Errors never include the password.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errors.New("postgres: the URL is not valid: use postgres://user:password@host:5432/dbname")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connecting to %s: %w", Describe(url), err)
	}
	s := &Store{pool: pool}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connecting to %s: %w", Describe(url), err)
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrating %s: %w", Describe(url), err)
	}
	return s, nil
}

// Describe names a database URL for logs: host, port and database, never
// the user's password.
func Describe(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return "postgres (invalid URL)"
	}
	return fmt.Sprintf("postgres://%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
}

func (s *Store) migrate(ctx context.Context) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS briefbot_schema (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var version int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM briefbot_schema`).Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this build knows (%d)", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.Exec(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO briefbot_schema (version) VALUES ($1)`, i+1); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

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
		return sub, fmt.Errorf("postgres: subscribe: platform, channel and schedule are required")
	}
	var next int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO subscriptions (platform, channel, schedule, from_config, created_by, created_at, disabled, next_slot)
		VALUES ($1, $2, $3, $4, $5, $6, '', $7)
		ON CONFLICT (platform, channel) DO UPDATE SET
			next_slot = CASE WHEN subscriptions.schedule = excluded.schedule AND subscriptions.disabled = ''
				THEN subscriptions.next_slot ELSE excluded.next_slot END,
			schedule = excluded.schedule, from_config = excluded.from_config,
			created_by = excluded.created_by, created_at = excluded.created_at, disabled = ''
		RETURNING id, next_slot`,
		string(sub.Platform), sub.Channel, sub.Schedule, sub.FromConfig, sub.CreatedBy, sub.CreatedAt.UTC(), ms(sub.Next)).Scan(&sub.ID, &next)
	if err != nil {
		return sub, fmt.Errorf("postgres: subscribe %s/%s: %w", sub.Platform, sub.Channel, err)
	}
	sub.Disabled, sub.Next = "", fromMS(next)
	return sub, nil
}

// Unsubscribe removes a channel's subscription and its ledger.
func (s *Store) Unsubscribe(ctx context.Context, p briefbot.Platform, channel string) (bool, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM subscriptions WHERE platform = $1 AND channel = $2`, string(p), channel)
	if err != nil {
		return false, fmt.Errorf("postgres: unsubscribe %s/%s: %w", p, channel, err)
	}
	return tag.RowsAffected() > 0, nil
}

const subColumns = `s.id, s.platform, s.channel, s.schedule, s.from_config, s.created_by, s.created_at, s.disabled, s.next_slot`

func subDest(sub *digest.Subscription, platform *string, next *int64) []any {
	return []any{&sub.ID, platform, &sub.Channel, &sub.Schedule, &sub.FromConfig, &sub.CreatedBy, &sub.CreatedAt, &sub.Disabled, next}
}

func finishSub(sub *digest.Subscription, platform string, next int64) {
	sub.Platform, sub.CreatedAt, sub.Next = briefbot.Platform(platform), sub.CreatedAt.UTC(), fromMS(next)
}

func scanSub(row pgx.Row) (digest.Subscription, error) {
	var sub digest.Subscription
	var platform string
	var next int64
	if err := row.Scan(subDest(&sub, &platform, &next)...); err != nil {
		return sub, err
	}
	finishSub(&sub, platform, next)
	return sub, nil
}

// Subscription returns a channel's subscription.
func (s *Store) Subscription(ctx context.Context, p briefbot.Platform, channel string) (digest.Subscription, error) {
	sub, err := scanSub(s.pool.QueryRow(ctx, `SELECT `+subColumns+` FROM subscriptions s WHERE platform = $1 AND channel = $2`, string(p), channel))
	if errors.Is(err, pgx.ErrNoRows) {
		return sub, digest.ErrNotFound
	}
	if err != nil {
		return sub, fmt.Errorf("postgres: subscription %s/%s: %w", p, channel, err)
	}
	return sub, nil
}

func (s *Store) subs(ctx context.Context, what, query string, args ...any) ([]digest.Subscription, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	defer rows.Close()
	var out []digest.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", what, err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Subscriptions returns every subscription, by id.
func (s *Store) Subscriptions(ctx context.Context) ([]digest.Subscription, error) {
	return s.subs(ctx, "subscriptions", `SELECT `+subColumns+` FROM subscriptions s ORDER BY id`)
}

// Due returns enabled subscriptions whose next slot is at or before now.
func (s *Store) Due(ctx context.Context, now time.Time, limit int) ([]digest.Subscription, error) {
	return s.subs(ctx, "due subscriptions", `SELECT `+subColumns+` FROM subscriptions s
		WHERE disabled = '' AND next_slot <= $1 ORDER BY next_slot, id LIMIT $2`, ms(now), limit)
}

// Advance moves a subscription's next slot from from to next.
func (s *Store) Advance(ctx context.Context, id int64, from, next time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE subscriptions SET next_slot = $1 WHERE id = $2 AND next_slot = $3`, ms(next), id, ms(from))
	if err != nil {
		return false, fmt.Errorf("postgres: advance %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Disable stops a subscription with a reason.
func (s *Store) Disable(ctx context.Context, id int64, reason string) error {
	if reason == "" {
		reason = "disabled"
	}
	tag, err := s.pool.Exec(ctx, `UPDATE subscriptions SET disabled = $1 WHERE id = $2`, reason, id)
	if err != nil {
		return fmt.Errorf("postgres: disable %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return digest.ErrNotFound
	}
	return nil
}

const delColumns = `d.subscription_id, d.slot, d.status, d.message_id, d.error, d.attempts, d.updated_at, d.owner, d.lease_until, d.version`

func delDest(d *digest.Delivery, status *string, lease *int64) []any {
	return []any{&d.SubscriptionID, &d.Slot, status, &d.MessageID, &d.Error, &d.Attempts, &d.UpdatedAt, &d.Owner, lease, &d.Version}
}

func finishDelivery(d *digest.Delivery, status string, lease int64) {
	d.Status, d.LeaseUntil, d.Slot, d.UpdatedAt = digest.Status(status), fromMS(lease), d.Slot.UTC(), d.UpdatedAt.UTC()
}

func scanDelivery(row pgx.Row) (digest.Delivery, error) {
	var d digest.Delivery
	var status string
	var lease int64
	if err := row.Scan(delDest(&d, &status, &lease)...); err != nil {
		return d, err
	}
	finishDelivery(&d, status, lease)
	return d, nil
}

// Claim inserts a pending row for (subscription, slot) unless one exists.
func (s *Store) Claim(ctx context.Context, subID int64, slot time.Time, c digest.Claim) (bool, digest.Delivery, error) {
	d, err := scanDelivery(s.pool.QueryRow(ctx, `
		INSERT INTO deliveries AS d (subscription_id, slot, status, updated_at, owner, lease_until) VALUES ($1, $2, 'pending', $3, $4, $5)
		ON CONFLICT (subscription_id, slot) DO NOTHING
		RETURNING `+delColumns, subID, slot.UTC(), c.Now.UTC(), c.Owner, ms(c.LeaseUntil)))
	if err == nil {
		return true, d, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return false, d, fmt.Errorf("postgres: claim %d@%s: %w", subID, slot.UTC().Format(time.RFC3339), err)
	}
	d, err = scanDelivery(s.pool.QueryRow(ctx, `SELECT `+delColumns+` FROM deliveries d WHERE subscription_id = $1 AND slot = $2`, subID, slot.UTC()))
	if err != nil {
		return false, d, fmt.Errorf("postgres: claim %d@%s: %w", subID, slot.UTC().Format(time.RFC3339), err)
	}
	return false, d, nil
}

// Expired returns pending rows whose lease ended, with their
// subscriptions.
func (s *Store) Expired(ctx context.Context, now time.Time, limit int) ([]digest.Held, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+delColumns+`, `+subColumns+` FROM deliveries d
		JOIN subscriptions s ON s.id = d.subscription_id
		WHERE d.status = 'pending' AND d.lease_until < $1 ORDER BY d.slot LIMIT $2`, ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: expired claims: %w", err)
	}
	defer rows.Close()
	var out []digest.Held
	for rows.Next() {
		var h digest.Held
		var status, platform string
		var lease, next int64
		if err := rows.Scan(append(delDest(&h.Delivery, &status, &lease), subDest(&h.Sub, &platform, &next)...)...); err != nil {
			return nil, fmt.Errorf("postgres: expired claims: %w", err)
		}
		finishDelivery(&h.Delivery, status, lease)
		finishSub(&h.Sub, platform, next)
		out = append(out, h)
	}
	return out, rows.Err()
}

// TakeOver gives c.Owner an expired pending claim; of concurrent takers,
// one wins (the others re-read the row after the winner's update).
func (s *Store) TakeOver(ctx context.Context, subID int64, slot time.Time, c digest.Claim) (bool, digest.Delivery, error) {
	d, err := scanDelivery(s.pool.QueryRow(ctx, `UPDATE deliveries AS d SET owner = $1, lease_until = $2, updated_at = $3
		WHERE subscription_id = $4 AND slot = $5 AND status = 'pending' AND lease_until < $6
		RETURNING `+delColumns,
		c.Owner, ms(c.LeaseUntil), c.Now.UTC(), subID, slot.UTC(), ms(c.Now)))
	if errors.Is(err, pgx.ErrNoRows) {
		return false, d, nil
	}
	if err != nil {
		return false, d, fmt.Errorf("postgres: take over %d@%s: %w", subID, slot.UTC().Format(time.RFC3339), err)
	}
	return true, d, nil
}

// Renew extends the lease of a pending claim c.Owner holds.
func (s *Store) Renew(ctx context.Context, subID int64, slot time.Time, c digest.Claim) error {
	tag, err := s.pool.Exec(ctx, `UPDATE deliveries SET lease_until = $1
		WHERE subscription_id = $2 AND slot = $3 AND status = 'pending' AND owner = $4`, ms(c.LeaseUntil), subID, slot.UTC(), c.Owner)
	if err != nil {
		return fmt.Errorf("postgres: renew %d@%s: %w", subID, slot.UTC().Format(time.RFC3339), err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: renew %d@%s: %w", subID, slot.UTC().Format(time.RFC3339), digest.ErrNotOwner)
	}
	return nil
}

// Record settles a pending claim d.Owner holds.
func (s *Store) Record(ctx context.Context, d digest.Delivery) error {
	tag, err := s.pool.Exec(ctx, `
		UPDATE deliveries SET status = $1, message_id = $2, error = $3, attempts = $4, updated_at = $5, version = $6, lease_until = 0
		WHERE subscription_id = $7 AND slot = $8 AND status = 'pending' AND owner = $9`,
		string(d.Status), d.MessageID, d.Error, d.Attempts, d.UpdatedAt.UTC(), d.Version, d.SubscriptionID, d.Slot.UTC(), d.Owner)
	at := fmt.Sprintf("%d@%s", d.SubscriptionID, d.Slot.UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("postgres: record %s: %w", at, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deliveries WHERE subscription_id = $1 AND slot = $2)`,
		d.SubscriptionID, d.Slot.UTC()).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: record %s: %w", at, err)
	}
	if !exists {
		return fmt.Errorf("postgres: record %s: slot was never claimed", at)
	}
	return fmt.Errorf("postgres: record %s: %w", at, digest.ErrNotOwner)
}

func (s *Store) deliveries(ctx context.Context, subID int64, query string, args ...any) ([]digest.Delivery, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: deliveries of %d: %w", subID, err)
	}
	defer rows.Close()
	var out []digest.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: deliveries of %d: %w", subID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Deliveries returns a subscription's latest rows, newest slot first.
func (s *Store) Deliveries(ctx context.Context, subID int64, limit int) ([]digest.Delivery, error) {
	return s.deliveries(ctx, subID, `SELECT `+delColumns+` FROM deliveries d WHERE subscription_id = $1 ORDER BY slot DESC LIMIT $2`, subID, limit)
}

// LastSent returns the latest sent delivery of a subscription.
func (s *Store) LastSent(ctx context.Context, subID int64) (digest.Delivery, error) {
	d, err := scanDelivery(s.pool.QueryRow(ctx, `SELECT `+delColumns+` FROM deliveries d
		WHERE subscription_id = $1 AND status = 'sent' ORDER BY slot DESC LIMIT 1`, subID))
	if errors.Is(err, pgx.ErrNoRows) {
		return d, digest.ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("postgres: last sent of %d: %w", subID, err)
	}
	return d, nil
}

// SaveItems stores a briefing version's items once.
func (s *Store) SaveItems(ctx context.Context, version string, items []string) error {
	b, err := json.Marshal(items)
	if err != nil {
		return fmt.Errorf("postgres: save items: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO briefing_versions (version, items) VALUES ($1, $2) ON CONFLICT DO NOTHING`, version, b); err != nil {
		return fmt.Errorf("postgres: save items of %s: %w", version, err)
	}
	return nil
}

// Items returns a briefing version's items.
func (s *Store) Items(ctx context.Context, version string) ([]string, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT items FROM briefing_versions WHERE version = $1`, version).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, digest.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: items of %s: %w", version, err)
	}
	var items []string
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, fmt.Errorf("postgres: items of %s: %w", version, err)
	}
	return items, nil
}

// Lead takes or renews the scheduler's lease, in one statement: the row
// lock serialises replicas, and the previous lease is returned.
func (s *Store) Lead(ctx context.Context, c digest.Claim) (bool, time.Time, error) {
	var prev int64
	err := s.pool.QueryRow(ctx, `
		WITH prev AS (SELECT owner, lease_until FROM scheduler WHERE id = 1 FOR UPDATE)
		UPDATE scheduler AS s SET owner = $1, lease_until = $2 FROM prev
		WHERE s.id = 1 AND (prev.owner = $1 OR prev.owner = '' OR prev.lease_until < $3)
		RETURNING prev.lease_until`, c.Owner, ms(c.LeaseUntil), ms(c.Now)).Scan(&prev)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, time.Time{}, nil
	}
	if err != nil {
		return false, time.Time{}, fmt.Errorf("postgres: lead: %w", err)
	}
	return true, fromMS(prev), nil
}
