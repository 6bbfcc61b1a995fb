package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeDiscord answers like Discord's REST API (JSON errors, 401 for a bad
// token, 429 with retry_after) and its gateway (hello, identify, READY,
// dispatches).
type fakeDiscord struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	rateLimited int
	commands    []json.RawMessage // bodies of command overwrites
	callbacks   []json.RawMessage // interaction responses
	identified  bool
	dispatch    chan map[string]any

	messages     map[string][]map[string]any // channel → messages, newest last
	nonces       map[string]string           // channel|nonce → message id
	channelError map[string][2]int           // channel → HTTP status, Discord error code
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	f := &fakeDiscord{t: t, dispatch: make(chan map[string]any, 4), messages: map[string][]map[string]any{},
		nonces: map[string]string{}, channelError: map[string][2]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/{ver}/gateway", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gw"})
	})
	mux.HandleFunc("PUT /api/{ver}/applications/{app}/guilds/{guild}/commands", f.overwrite)
	mux.HandleFunc("PUT /api/{ver}/applications/{app}/commands", f.overwrite)
	mux.HandleFunc("POST /api/{ver}/interactions/{id}/{token}/callback", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.callbacks = append(f.callbacks, b)
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /gw/", f.gateway)
	mux.HandleFunc("POST /api/{ver}/channels/{ch}/messages", f.createMessage)
	mux.HandleFunc("GET /api/{ver}/channels/{ch}/messages", f.listMessages) // discordgo appends "/?v=…&encoding=json"
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// createMessage posts a message; with enforce_nonce, a nonce seen before
// returns the message it created, as Discord does.
func (f *fakeDiscord) createMessage(w http.ResponseWriter, r *http.Request) {
	ch := r.PathValue("ch")
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		w.WriteHeader(400)
		io.WriteString(w, `{"message": "400: Bad Request", "code": 50109}`)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.channelError[ch]; ok {
		w.WriteHeader(e[0])
		fmt.Fprintf(w, `{"message": "error", "code": %d}`, e[1])
		return
	}
	if f.rateLimited > 0 {
		f.rateLimited--
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"message": "You are being rate limited.", "retry_after": 0.5, "global": false}`)
		return
	}
	nonce, _ := body["nonce"].(string)
	if id, ok := f.nonces[ch+"|"+nonce]; ok && body["enforce_nonce"] == true {
		for _, m := range f.messages[ch] {
			if m["id"] == id {
				json.NewEncoder(w).Encode(m)
				return
			}
		}
	}
	id := fmt.Sprintf("%d", 1500000000000000000+len(f.messages[ch])+1)
	m := map[string]any{"id": id, "channel_id": ch, "content": "", "embeds": body["embeds"], "nonce": nonce,
		"author": map[string]any{"id": "999", "username": "briefbot", "bot": true}}
	f.messages[ch] = append(f.messages[ch], m)
	f.nonces[ch+"|"+nonce] = id
	json.NewEncoder(w).Encode(m)
}

// listMessages returns the latest messages, newest first; history carries
// no nonces, as on Discord.
func (f *fakeDiscord) listMessages(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ms := f.messages[r.PathValue("ch")]
	out := []map[string]any{}
	for i := len(ms) - 1; i >= 0; i-- {
		m := map[string]any{}
		for k, v := range ms[i] {
			if k != "nonce" {
				m[k] = v
			}
		}
		out = append(out, m)
	}
	json.NewEncoder(w).Encode(out)
}

func (f *fakeDiscord) overwrite(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bot tok" {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message": "401: Unauthorized", "code": 0}`)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rateLimited > 0 {
		f.rateLimited--
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"message": "You are being rate limited.", "retry_after": 0.2, "global": false}`)
		return
	}
	b, _ := io.ReadAll(r.Body)
	f.commands = append(f.commands, b)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

func (f *fakeDiscord) gateway(w http.ResponseWriter, r *http.Request) {
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		f.t.Logf("fake gateway: %v", err)
		return
	}
	defer c.Close()
	c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
	var id struct {
		Op int `json:"op"`
		D  struct {
			Token string `json:"token"`
		} `json:"d"`
	}
	if err := c.ReadJSON(&id); err != nil || id.Op != 2 || id.D.Token != "Bot tok" {
		f.t.Errorf("expected identify, got op %d (%v)", id.Op, err)
		return
	}
	f.mu.Lock()
	f.identified = true
	f.mu.Unlock()
	seq := 1
	c.WriteJSON(map[string]any{"op": 0, "t": "READY", "s": seq, "d": map[string]any{
		"v": 10, "session_id": "sess", "resume_gateway_url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gw",
		"user": map[string]any{"id": "999", "username": "briefbot", "bot": true}, "guilds": []any{},
		"application": map[string]any{"id": "1234", "flags": 0}}})
	go func() { // keep reading: heartbeats and close frames
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}()
	for {
		select {
		case d := <-f.dispatch:
			seq++
			if err := c.WriteJSON(map[string]any{"op": 0, "t": "INTERACTION_CREATE", "s": seq, "d": d}); err != nil {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}

func (f *fakeDiscord) snapshot() (commands, callbacks []json.RawMessage) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]json.RawMessage(nil), f.commands...), append([]json.RawMessage(nil), f.callbacks...)
}

func newGatewayAdapter(t *testing.T, f *fakeDiscord, guild string) *Adapter {
	t.Helper()
	a, err := New(Config{AppID: "1234", BotToken: "tok", GuildID: guild, APIURL: f.srv.URL,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, newBot(t))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRegisterCommand(t *testing.T) {
	f := newFakeDiscord(t)
	f.rateLimited = 1 // the first try gets a 429, waited out
	ctx := context.Background()
	if err := newGatewayAdapter(t, f, "1100").RegisterCommand(ctx); err != nil {
		t.Fatal(err)
	}
	if err := newGatewayAdapter(t, f, "").RegisterCommand(ctx); err != nil {
		t.Fatal(err)
	}
	cmds, _ := f.snapshot()
	if len(cmds) != 2 || !strings.Contains(string(cmds[0]), `"name":"guarantees"`) || !strings.Contains(string(cmds[0]), `"autocomplete":true`) {
		t.Fatalf("overwrites: %s", cmds)
	}
	// 429s are bounded: a permanently rate-limited endpoint gives up.
	f.mu.Lock()
	f.rateLimited = 100
	f.mu.Unlock()
	start := time.Now()
	if err := newGatewayAdapter(t, f, "1100").RegisterCommand(ctx); err == nil {
		t.Fatal("want an error after bounded retries")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("gave up after %v", d)
	}
	// A bad token is a clear error.
	a, _ := New(Config{AppID: "1234", BotToken: "wrong", APIURL: f.srv.URL + "/", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, newBot(t))
	if err := a.RegisterCommand(ctx); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("bad token: %v", err)
	}
}

func TestGateway(t *testing.T) {
	f := newFakeDiscord(t)
	a := newGatewayAdapter(t, f, "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunGateway(ctx) }()

	var in map[string]any
	json.Unmarshal([]byte(interaction(2, sub("actor", map[string]any{"name": "name", "type": 3, "value": "zelensky"}), false)), &in)
	f.dispatch <- in
	var dm map[string]any
	json.Unmarshal([]byte(interaction(4, sub("option", map[string]any{"name": "name", "type": 3, "value": "tri", "focused": true}), true)), &dm)
	f.dispatch <- dm

	deadline := time.Now().Add(10 * time.Second)
	for {
		_, cbs := f.snapshot()
		if len(cbs) == 2 { // handlers run concurrently: either order
			all := string(cbs[0]) + string(cbs[1])
			if !strings.Contains(all, "on paper") || !strings.Contains(all, `"flags":64`) ||
				!strings.Contains(all, `{"type":8`) || !strings.Contains(all, `"value":"tripwire-force"`) {
				t.Fatalf("callbacks: %s", cbs)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d interaction responses", len(cbs))
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("gateway did not close")
	}
}
