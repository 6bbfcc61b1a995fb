package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serve refuses, before connecting anywhere, the platform modes that are
// wrong with replicas (PostgreSQL), and a database file that is not a
// briefbot database, each with a message that says what to do.
func TestServeRefusesBadStores(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		vars map[string]string
		want []string
	}{
		{"socket mode with replicas", map[string]string{"BRIEFBOT_DB": "postgres://u:secret@127.0.0.1:1/b", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"},
			[]string{"Slack must then use HTTP mode", "unset SLACK_APP_TOKEN"}},
		{"gateway with replicas", map[string]string{"BRIEFBOT_DB": "postgresql://u:secret@127.0.0.1:1/b", "DISCORD_APP_ID": "1", "DISCORD_BOT_TOKEN": "t"},
			[]string{"Discord must then use HTTP interactions", "DISCORD_PUBLIC_KEY"}},
		{"unreachable postgres", map[string]string{"BRIEFBOT_DB": "postgres://u:secret@127.0.0.1:1/b?connect_timeout=2"},
			[]string{"BRIEFBOT_DB: postgres: connecting to postgres://127.0.0.1:1/b"}},
		{"empty sqlite file", map[string]string{"BRIEFBOT_DB": empty}, []string{"BRIEFBOT_DB", "empty (0 bytes)", "not a briefbot database"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWith(t, "", tc.vars, "serve")
			if r.code != 1 || strings.Contains(r.stderr, "secret") {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q: %s", w, r.stderr)
				}
			}
		})
	}
	if fi, _ := os.Stat(empty); fi.Size() != 0 {
		t.Fatal("the refused file was changed")
	}
}
