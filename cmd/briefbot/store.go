package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/postgres"
	"github.com/briefbot/briefbot/store/sqlite"
)

// openStore opens the digest store BRIEFBOT_DB names: a PostgreSQL URL
// (postgres://…, for several replicas), or a SQLite file (default
// ./briefbot.db; in memory for a console try-out without declared
// digests). It returns the store and a name for the logs, never with a
// password.
func openStore(ctx context.Context, cfg config.Config, chat bool) (digest.Store, string, error) {
	db := cfg.Digests.DB
	if isPostgres(db) {
		if err := replicaModes(cfg); err != nil {
			return nil, "", err
		}
		st, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, "", fmt.Errorf("BRIEFBOT_DB: %w", err)
		}
		return st, postgres.Describe(db), nil
	}
	if db == "" {
		db = "briefbot.db"
		if !chat && len(cfg.Digests.Declared) == 0 {
			db = ":memory:" // trying the console leaves no files behind
		}
	}
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		return nil, "", fmt.Errorf("BRIEFBOT_DB: %w", err)
	}
	return st, db, nil
}

// replicaModes refuses, with PostgreSQL (that is, with replicas), the
// platform modes that hold one connection per process: each replica's
// Socket Mode connection or gateway session would receive events on its
// own, and the replicas would answer them more than once. HTTP modes
// behind a load balancer send each request to one replica.
func replicaModes(cfg config.Config) error {
	var errs []error
	if cfg.Configured("slack") && cfg.Platform("slack").Get("app_token") != "" {
		errs = append(errs, errors.New("BRIEFBOT_DB is PostgreSQL, which is for running several replicas: Slack must then use HTTP mode "+
			"(SLACK_SIGNING_SECRET, the request URLs pointing at the load balancer), not Socket Mode: unset SLACK_APP_TOKEN"))
	}
	if cfg.Configured("discord") && cfg.Platform("discord").Get("public_key") == "" {
		errs = append(errs, errors.New("BRIEFBOT_DB is PostgreSQL, which is for running several replicas: Discord must then use HTTP interactions "+
			"(DISCORD_PUBLIC_KEY, the interactions endpoint pointing at the load balancer), not the gateway"))
	}
	return errors.Join(errs...)
}

// sharedSeen is the store's seen-set when replicas may share the
// database (PostgreSQL): the replay guard and Slack's event
// de-duplication then hold across replicas. On SQLite (one process) it is
// nil and the adapters remember in memory.
func sharedSeen(cfg config.Config, st digest.Store) bot.SeenSet {
	if s, ok := st.(bot.SeenSet); ok && isPostgres(cfg.Digests.DB) {
		return s
	}
	return nil
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// declare stores the digests the configuration declares. One whose
// schedule did not change keeps its stored next slot, so a restart loses
// none.
func declare(ctx context.Context, st digest.Store, cfg config.Config) error {
	now := time.Now()
	for _, d := range cfg.Digests.Declared {
		sub := digest.Subscription{Platform: briefbot.Platform(d.Platform), Channel: d.Channel,
			Schedule: d.Schedule, FromConfig: true, CreatedBy: "configuration", CreatedAt: now}
		if sched, err := digest.ParseSchedule(d.Schedule, time.UTC); err == nil {
			sub.Next = sched.Next(now)
		}
		if _, err := st.Subscribe(ctx, sub); err != nil {
			return err
		}
	}
	return nil
}

// storeReady is the store's /readyz check: it answers, and its writes
// succeed (a full disk or a database error fails it with the reason until
// a write succeeds again).
func storeReady(st digest.Store, runner *digest.Runner) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := st.Ping(ctx); err != nil {
			return err
		}
		return runner.Ready(ctx)
	}
}
