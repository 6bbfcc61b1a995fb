package postgres

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/digest/storetest"
	"github.com/briefbot/briefbot/store/postgres/pgtest"
)

var cluster *pgtest.Cluster

var logw io.Writer = io.Discard

func TestMain(m *testing.M) {
	c, err := pgtest.Start()
	if err != nil {
		if os.Getenv("BRIEFBOT_REQUIRE_POSTGRES") != "" {
			fmt.Fprintf(os.Stderr, "store/postgres: BRIEFBOT_REQUIRE_POSTGRES is set and the test cluster did not start: %v\n", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "store/postgres: skipping the PostgreSQL tests: %v\n", err)
	}
	cluster = c
	code := m.Run()
	if c != nil {
		c.Stop()
	}
	os.Exit(code)
}

func needCluster(t *testing.T) *pgtest.Cluster {
	t.Helper()
	if cluster == nil {
		t.Skip(pgtest.ErrNoServer)
	}
	return cluster
}

func mustOpen(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The store passes the same conformance suite as SQLite, unchanged, on a
// real PostgreSQL server.
func TestConformance(t *testing.T) {
	c := needCluster(t)
	storetest.Run(t, func(t *testing.T) digest.Store { return mustOpen(t, c.NewDB(t)) })
}

// Replicas starting together migrate once; a newer schema is refused; a
// bad URL or an unreachable server gives a message without the password.
func TestMigrationsAndErrors(t *testing.T) {
	c := needCluster(t)
	url := c.NewDB(t)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			s, err := Open(context.Background(), url)
			if err != nil {
				t.Error(err)
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	s := mustOpen(t, url)
	var n int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM briefbot_schema`).Scan(&n); err != nil || n != len(migrations) {
		t.Fatalf("%d migration rows, %v", n, err)
	}
	s.pool.Exec(context.Background(), `INSERT INTO briefbot_schema VALUES (99)`)
	if _, err := Open(context.Background(), url); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("newer schema: %v", err)
	}
	_, err := Open(context.Background(), "postgres://bob:s3cret@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "127.0.0.1:1/x") {
		t.Fatalf("unreachable: %v", err)
	}
	if _, err := Open(context.Background(), "postgres://%zz"); err == nil || strings.Contains(err.Error(), "%zz") {
		t.Fatalf("bad URL: %v", err)
	}
}
