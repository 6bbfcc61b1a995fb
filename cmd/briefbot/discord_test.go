package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestServeDiscordHTTPInteractions(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	s := startServer(t, map[string]string{"DISCORD_APP_ID": "1234", "DISCORD_PUBLIC_KEY": hex.EncodeToString(pub)})
	post := func(body string, key ed25519.PrivateKey) (int, string) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/discord/interactions", strings.NewReader(body))
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, []byte(ts+body))))
		return do(t, req)
	}
	if code, body := post(`{"id":"1","application_id":"1234","type":1,"token":"t","version":1}`, priv); code != 200 || body != `{"type":1}` {
		t.Fatalf("PING: %d %s", code, body)
	}
	cmd := `{"id":"1","application_id":"1234","type":2,"token":"t","version":1,"guild_id":"1","member":{"user":{"id":"1","username":"u"}},` +
		`"data":{"id":"1","name":"guarantees","type":1,"options":[{"name":"option","type":1,"options":[{"name":"name","type":3,"value":"observers"}]}]}}`
	if code, body := post(cmd, priv); code != 200 || !strings.Contains(body, "satellites") {
		t.Fatalf("command: %d %s", code, body)
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	if code, _ := post(cmd, other); code != 401 {
		t.Fatalf("forged: %d", code)
	}
	s.stop()
	if !strings.Contains(s.stderr.String(), "discord: HTTP interactions") {
		t.Fatalf("start-up log: %s", s.stderr.String())
	}
}

func TestServeDiscordMissingCredentials(t *testing.T) {
	for vars, want := range map[string]string{
		"DISCORD_PUBLIC_KEY": "DISCORD_APP_ID is required",
		"DISCORD_APP_ID":     "DISCORD_PUBLIC_KEY is required for HTTP interactions, or set DISCORD_BOT_TOKEN for the gateway",
	} {
		r := runWith(t, "", map[string]string{vars: strings.Repeat("ab", 32)}, "serve")
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("%s only: code %d, %q", vars, r.code, r.stderr)
		}
	}
}

// A platform that fails (Socket Mode refused with invalid_auth) is
// reported on /readyz and in the log, while the others keep serving.
func TestServeKeepsServingWhenAPlatformFails(t *testing.T) {
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
	}))
	t.Cleanup(refuse.Close)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	s := startServer(t, map[string]string{"SLACK_APP_TOKEN": "xapp-test", "SLACK_API_URL": refuse.URL + "/api/",
		"DISCORD_APP_ID": "1234", "DISCORD_PUBLIC_KEY": hex.EncodeToString(pub)})
	var code int
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if code, body = s.get("/readyz"); strings.Contains(body, "slack: failed") {
			break
		}
	}
	if code != 503 || !strings.Contains(body, "slack: failed") || !strings.Contains(body, "discord: ok") {
		t.Fatalf("readyz: %d %s\nlog: %s", code, body, s.stderr.String())
	}
	// Discord and the Slack HTTP endpoints still answer.
	ping := `{"id":"1","application_id":"1234","type":1,"token":"t","version":1}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/discord/interactions", strings.NewReader(ping))
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(ts+ping))))
	if code, body := do(t, req); code != 200 || body != `{"type":1}` {
		t.Fatalf("discord after slack failed: %d %s", code, body)
	}
	if got := s.command("actor macron"); !strings.Contains(got, "on the ground") {
		t.Fatalf("slack HTTP after Socket Mode failed: %s", got)
	}
	if !strings.Contains(s.stderr.String(), "platform stopped; the others keep serving") {
		t.Fatalf("log: %s", s.stderr.String())
	}
}
