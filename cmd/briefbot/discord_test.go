package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"net/http"
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
