package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

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

	edits        []map[string]any            // edits of interaction responses (webhook PATCH)
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
		_, b, err := readPayloadRaw(r)
		if err != nil {
			badForm(w, err)
			return
		}
		f.mu.Lock()
		f.callbacks = append(f.callbacks, b)
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("PATCH /api/{ver}/webhooks/{app}/{token}/messages/{msg}", func(w http.ResponseWriter, r *http.Request) {
		body, err := readPayload(r)
		if err != nil {
			badForm(w, err)
			return
		}
		body["app"], body["token"], body["message"] = r.PathValue("app"), r.PathValue("token"), r.PathValue("msg")
		f.mu.Lock()
		f.edits = append(f.edits, body)
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"id": "1600", "channel_id": "1200"})
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
	body, err := readPayload(r)
	if err != nil {
		badForm(w, err)
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
	m := map[string]any{"id": id, "channel_id": ch, "content": "", "embeds": body["embeds"], "nonce": nonce, "attachments": stored(body),
		"author": map[string]any{"id": "999", "username": "briefbot", "bot": true}}
	f.messages[ch] = append(f.messages[ch], m)
	f.nonces[ch+"|"+nonce] = id
	json.NewEncoder(w).Encode(m)
}

// readPayload reads a JSON body, or a multipart one as Discord takes it
// with files: payload_json and files[n] parts, each attachment in the
// payload naming the index of a part that exists, with a description of
// at most 1,024 characters. Uploaded files are returned under
// "_files" (name → size).
func readPayload(r *http.Request) (map[string]any, error) {
	body, _, err := readPayloadRaw(r)
	return body, err
}

// readPayloadRaw is readPayload that also returns the JSON as sent.
func readPayloadRaw(r *http.Request) (map[string]any, []byte, error) {
	var body map[string]any
	var raw []byte
	files := map[string]any{}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		raw, _ = io.ReadAll(r.Body)
		if err := json.Unmarshal(raw, &body); err != nil {
			return nil, nil, fmt.Errorf("body is not JSON: %w", err)
		}
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for mt == "multipart/form-data" {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("multipart: %w", err)
		}
		b, _ := io.ReadAll(p)
		switch name := p.FormName(); {
		case name == "payload_json":
			raw = b
			if err := json.Unmarshal(b, &body); err != nil {
				return nil, nil, fmt.Errorf("payload_json: %w", err)
			}
		case strings.HasPrefix(name, "files["):
			if !bytes.HasPrefix(b, []byte("\x89PNG")) && p.Header.Get("Content-Type") == "image/png" {
				return nil, nil, errors.New(name + " is not a PNG")
			}
			files[strings.TrimSuffix(strings.TrimPrefix(name, "files["), "]")] = float64(len(b))
		}
	}
	if body == nil {
		return nil, nil, errors.New("no payload_json")
	}
	atts := body["attachments"]
	if d, ok := body["data"].(map[string]any); ok && atts == nil {
		atts = d["attachments"]
	}
	list, _ := atts.([]any)
	for _, a := range list {
		att, _ := a.(map[string]any)
		id := fmt.Sprint(att["id"])
		if _, ok := files[id]; !ok {
			return nil, nil, fmt.Errorf("attachment %s has no files[%s]", id, id)
		}
		if d, _ := att["description"].(string); utf8.RuneCountInString(d) > 1024 {
			return nil, nil, fmt.Errorf("attachment description is %d characters", utf8.RuneCountInString(d))
		}
	}
	if len(files) != len(list) {
		return nil, nil, fmt.Errorf("%d files for %d attachments", len(files), len(list))
	}
	if len(files) > 0 {
		body["_files"] = files
	}
	return body, raw, nil
}

// stored is the attachments of a created message as Discord returns
// them: with snowflake ids (strings), file names and descriptions.
func stored(body map[string]any) []map[string]any {
	list, _ := body["attachments"].([]any)
	out := []map[string]any{}
	for i, a := range list {
		att, _ := a.(map[string]any)
		out = append(out, map[string]any{"id": fmt.Sprintf("17000000000000000%02d", i), "filename": att["filename"],
			"description": att["description"], "content_type": "image/png"})
	}
	return out
}

// badForm answers as Discord does a body it cannot read.
func badForm(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `{"message": "Invalid Form Body", "code": 50035, "errors": %q}`, err.Error())
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
