package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/sqlite"
)

var testNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

type httpEnv struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
	srv  *httptest.Server
	logs *bytes.Buffer
	a    *Adapter
}

func newHTTPEnv(t *testing.T) *httpEnv {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	a, err := New(Config{AppID: "1234", PublicKey: hex.EncodeToString(pub), Now: func() time.Time { return testNow },
		Log: slog.New(slog.NewTextHandler(logs, nil))}, newBot(t))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &httpEnv{pub, priv, srv, logs, a}
}

// signedReq signs body at ts with key, as Discord does.
func signedReq(t *testing.T, url string, key ed25519.PrivateKey, ts time.Time, body string) *http.Request {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	sts := strconv.FormatInt(ts.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", sts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, []byte(sts+body))))
	return req
}

func send(t *testing.T, req *http.Request) (int, map[string]any, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	json.Unmarshal(raw, &m)
	return resp.StatusCode, m, string(raw)
}

// interaction builds an interaction body; guild interactions carry member,
// DMs carry user.
func interaction(typ int, data any, dm bool) string {
	in := map[string]any{"id": "1300", "application_id": "1234", "type": typ, "token": "tok", "version": 1, "channel_id": "1200"}
	if data != nil {
		in["data"] = data
	}
	if dm {
		in["user"] = map[string]any{"id": "1000", "username": "steve"}
	} else {
		in["guild_id"] = "1100"
		in["member"] = map[string]any{"user": map[string]any{"id": "1000", "username": "steve"}, "roles": []string{}, "permissions": "0"}
	}
	b, _ := json.Marshal(in)
	return string(b)
}

func sub(name string, opts ...map[string]any) map[string]any {
	o := map[string]any{"name": name, "type": 1}
	if len(opts) > 0 {
		o["options"] = opts
	}
	return map[string]any{"id": "1400", "name": "guarantees", "type": 1, "options": []any{o}}
}

func TestPingAndSignatures(t *testing.T) {
	e := newHTTPEnv(t)
	u := e.srv.URL + "/discord/interactions"
	ping := `{"id":"1","application_id":"1234","type":1,"token":"t","version":1}`
	if code, m, raw := send(t, signedReq(t, u, e.priv, testNow, ping)); code != 200 || m["type"] != float64(1) {
		t.Fatalf("PING: %d %s", code, raw)
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	unsigned, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(ping))
	tampered := signedReq(t, u, e.priv, testNow, ping)
	tampered.Body = io.NopCloser(strings.NewReader(strings.Replace(ping, `"type":1`, `"type":2`, 1)))
	flipped := signedReq(t, u, e.priv, testNow, ping)
	sig := flipped.Header.Get("X-Signature-Ed25519")
	flipped.Header.Set("X-Signature-Ed25519", sig[:len(sig)-1]+map[bool]string{true: "1", false: "0"}[sig[len(sig)-1] == '0'])
	notHex := signedReq(t, u, e.priv, testNow, ping)
	notHex.Header.Set("X-Signature-Ed25519", strings.Repeat("zz", 64))
	for name, req := range map[string]*http.Request{
		"unsigned": unsigned, "forged": signedReq(t, u, other, testNow, ping), "tampered": tampered, "flipped digit": flipped,
		"not hex": notHex, "stale": signedReq(t, u, e.priv, testNow.Add(-6*time.Minute), ping),
		"future": signedReq(t, u, e.priv, testNow.Add(6*time.Minute), ping),
	} {
		if code, _, raw := send(t, req); code != 401 {
			t.Errorf("%s: status %d: %s", name, code, raw)
		}
	}
	big := interaction(2, sub("ask", map[string]any{"name": "question", "type": 3, "value": strings.Repeat("x", MaxBodyBytes)}), false)
	if code, _, _ := send(t, signedReq(t, u, e.priv, testNow, big)); code != 413 {
		t.Errorf("oversized: status %d", code)
	}
	if strings.Contains(e.logs.String(), hex.EncodeToString(e.pub)) == false && !strings.Contains(e.logs.String(), "rejected unverified interaction") {
		t.Error("no log line for rejected interactions")
	}
}

func TestCommands(t *testing.T) {
	e := newHTTPEnv(t)
	u := e.srv.URL + "/discord/interactions"
	cases := []struct {
		name string
		data any
		dm   bool
		want string
	}{
		{"bare command is the overview", map[string]any{"id": "1400", "name": "guarantees", "type": 1}, false, "Bottom line"},
		{"actor, in a guild", sub("actor", map[string]any{"name": "name", "type": 3, "value": "macron"}), false, "on the ground"},
		{"actor, in a DM", sub("actor", map[string]any{"name": "name", "type": 3, "value": "trmup"}), true, "offensive"},
		{"option by autocomplete id", sub("option", map[string]any{"name": "name", "type": 3, "value": "us-air-defence"}), false, "Poland"},
		{"ask", sub("ask", map[string]any{"name": "question", "type": 3, "value": "what does russia say about nato troops"}), false, "Zakharova"},
		{"matrix", sub("matrix"), false, "rules out"},
		{"sources", sub("sources"), false, "Slovakia"}, // the SME article has no link of its own: the stored text gives only the site
		{"help", sub("help"), false, "actor NAME"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, m, raw := send(t, signedReq(t, u, e.priv, testNow, interaction(2, c.data, c.dm)))
			if code != 200 || m["type"] != float64(4) || !strings.Contains(raw, c.want) {
				t.Fatalf("status %d: %s", code, raw)
			}
			data := m["data"].(map[string]any)
			if data["flags"] != float64(64) {
				t.Errorf("lookup not ephemeral: %v", data["flags"])
			}
			am, _ := data["allowed_mentions"].(map[string]any)
			if parse, ok := am["parse"].([]any); !ok || len(parse) != 0 {
				t.Errorf("allowed_mentions: %v", data["allowed_mentions"])
			}
			if !strings.Contains(raw, ShareCustomIDPrefix) {
				t.Error("no Share button")
			}
		})
	}
}

func TestShareAutocompleteAndUnknown(t *testing.T) {
	e := newHTTPEnv(t)
	u := e.srv.URL + "/discord/interactions"
	// Share: the same answer, for everyone.
	_, m, raw := send(t, signedReq(t, u, e.priv, testNow, interaction(3, map[string]any{"custom_id": ShareCustomIDPrefix + "option troops", "component_type": 2}, false)))
	if m["type"] != float64(4) || !strings.Contains(raw, "reassuring force") || strings.Contains(raw, `"flags":64`) || strings.Contains(raw, ShareCustomIDPrefix) {
		t.Fatalf("share: %s", raw)
	}
	// More replaces the short answer with the full card (UPDATE_MESSAGE);
	// an ephemeral lookup keeps its Share button, the More button goes.
	_, _, short := send(t, signedReq(t, u, e.priv, testNow, interaction(2, sub("actor", map[string]any{"name": "name", "type": 3, "value": "zelensky"}), false)))
	if !strings.Contains(short, MoreCustomIDPrefix+"actor zelensky") {
		t.Fatalf("short answer without More: %s", short)
	}
	press := map[string]any{"id": "1300", "application_id": "1234", "type": 3, "token": "tok", "version": 1, "channel_id": "1200",
		"data":    map[string]any{"custom_id": MoreCustomIDPrefix + "actor zelensky", "component_type": 2},
		"message": map[string]any{"id": "9", "flags": 64},
		"member":  map[string]any{"user": map[string]any{"id": "1000"}, "permissions": "0"}}
	pb, _ := json.Marshal(press)
	_, m, raw = send(t, signedReq(t, u, e.priv, testNow, string(pb)))
	if m["type"] != float64(7) || strings.Contains(raw, MoreCustomIDPrefix) || !strings.Contains(raw, ShareCustomIDPrefix) ||
		!strings.Contains(raw, `"name":"Who"`) || len(raw) <= len(short) {
		t.Fatalf("more: %s", raw)
	}
	// Autocomplete: at most 25 choices, best first.
	for typed, first := range map[string]string{"mac": "macron", "": "zelensky", "kreml": "russia"} {
		data := sub("actor", map[string]any{"name": "name", "type": 3, "value": typed, "focused": true})
		_, m, raw := send(t, signedReq(t, u, e.priv, testNow, interaction(4, data, false)))
		choices, _ := m["data"].(map[string]any)["choices"].([]any)
		if m["type"] != float64(8) || len(choices) == 0 || len(choices) > 25 || choices[0].(map[string]any)["value"] != first {
			t.Errorf("autocomplete %q: %s", typed, raw)
		}
	}
	// Unknown kinds get a clear message, never a crash.
	for name, body := range map[string]string{
		"other command":     interaction(2, map[string]any{"id": "1", "name": "weather", "type": 1}, false),
		"foreign button":    interaction(3, map[string]any{"custom_id": "someone_else", "component_type": 2}, false),
		"modal submit":      interaction(5, map[string]any{"custom_id": "x", "components": []any{}}, true),
		"unknown type":      interaction(99, nil, false),
		"no member or user": `{"id":"1","application_id":"1234","type":2,"token":"t","version":1,"data":{"id":"1","name":"guarantees","type":1}}`,
	} {
		code, m, raw := send(t, signedReq(t, u, e.priv, testNow, body))
		if code != 200 || m["type"] != float64(4) {
			t.Errorf("%s: %d %s", name, code, raw)
		}
	}
	if code, _, _ := send(t, signedReq(t, u, e.priv, testNow, "{not json")); code != 400 {
		t.Errorf("malformed: %d", code)
	}
}

// Discord's settings are validated once, by config, through Section.
func TestSectionValidates(t *testing.T) {
	for _, c := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32)}, "DISCORD_APP_ID is required"},
		{map[string]string{"DISCORD_APP_ID": "1"}, "DISCORD_PUBLIC_KEY is required for HTTP interactions, or set DISCORD_BOT_TOKEN for the gateway"},
		{map[string]string{"DISCORD_APP_ID": "1", "DISCORD_PUBLIC_KEY": "nothex"}, "64 hex characters"},
		{map[string]string{"DISCORD_APP_ID": "1", "DISCORD_BOT_TOKEN": "t", "DISCORD_API_URL": "ftp://x"}, "DISCORD_API_URL: must be http(s)://host[:port]"},
	} {
		cfg, err := config.Load("", func(k string) string { return c.vars[k] }, Section())
		if err == nil {
			err = cfg.ValidateServe()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.vars, err, c.want)
		}
	}
}

func TestSubscribeNeedsManageChannels(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := newHTTPEnv(t)
	pub := hex.EncodeToString(e.pub)
	a, err := New(Config{AppID: "1234", PublicKey: pub, Now: func() time.Time { return testNow }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		bot.New(newBot(t).Briefing(), bot.WithDigests(&digest.Service{Store: st, Defaults: digest.DefaultDefaults(), Clock: digest.RealClock{}})))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	u := srv.URL + "/discord/interactions"
	body := func(perms string) string {
		b, _ := json.Marshal(map[string]any{"id": "1", "application_id": "1234", "type": 2, "token": "t", "version": 1, "channel_id": "1200", "guild_id": "1",
			"member": map[string]any{"user": map[string]any{"id": "5"}, "permissions": perms},
			"data":   sub("subscribe", map[string]any{"name": "frequency", "type": 3, "value": "weekdays"})})
		return string(b)
	}
	_, _, raw := send(t, signedReq(t, u, e.priv, testNow, body("0")))
	if !strings.Contains(raw, "needs the Manage Channels permission") || !strings.Contains(raw, `"flags":64`) {
		t.Fatalf("without permission: %s", raw)
	}
	// With Manage Channels (16) the channel is subscribed.
	_, _, raw = send(t, signedReq(t, u, e.priv, testNow, body("16")))
	if !strings.Contains(raw, "weekdays at 08:00 UTC") || strings.Contains(raw, ShareCustomIDPrefix) {
		t.Fatalf("with permission: %s", raw)
	}
	if sub, err := st.Subscription(ctx, Name, "1200"); err != nil || sub.CreatedBy != "5" {
		t.Fatalf("stored: %+v %v", sub, err)
	}
	// The subscribe subcommand declares its options, frequency with choices.
	for _, s := range Command(newBot(t).Table()).Options {
		if s.Name == "subscribe" && (len(s.Options) != 3 || len(s.Options[0].Choices) != 2) {
			t.Fatalf("subscribe options: %+v", s.Options)
		}
	}
}

// Share and More work for a question of any length: the button carries a
// short id, the adapter maps it back, and the footer carries the query for
// when the map has forgotten it (a restart).
func TestButtonsForLongQuestions(t *testing.T) {
	e := newHTTPEnv(t)
	u := e.srv.URL + "/discord/interactions"
	long := "what does the president of france think about sending soldiers of the coalition of the willing to ukraine after a ceasefire"
	_, m, raw := send(t, signedReq(t, u, e.priv, testNow, interaction(2, sub("ask", map[string]any{"name": "question", "type": 3, "value": long}), false)))
	data := m["data"].(map[string]any)
	var shareID string
	for _, row := range data["components"].([]any) {
		for _, c := range row.(map[string]any)["components"].([]any) {
			id := c.(map[string]any)["custom_id"].(string)
			if len(id) > MaxCustomID {
				t.Fatalf("custom_id of %d characters: %s", len(id), id)
			}
			if strings.HasPrefix(id, ShareCustomIDPrefix) {
				shareID = id
			}
		}
	}
	if shareID == "" || !strings.Contains(raw, "Asked: /guarantees ask "+long) {
		t.Fatalf("no share button or no query in the footer: %s", raw)
	}
	footer := data["embeds"].([]any)[0].(map[string]any)["footer"]
	press := func(a string, withFooter bool) (map[string]any, string) {
		in := map[string]any{"id": "1301", "application_id": "1234", "type": 3, "token": "tok", "version": 1, "channel_id": "1200",
			"data":   map[string]any{"custom_id": a, "component_type": 2},
			"member": map[string]any{"user": map[string]any{"id": "1000"}, "permissions": "0"}}
		if withFooter {
			in["message"] = map[string]any{"id": "9", "flags": 64, "embeds": []any{map[string]any{"footer": footer}}}
		}
		b, _ := json.Marshal(in)
		_, m, raw := send(t, signedReq(t, u, e.priv, testNow, string(b)))
		return m, raw
	}
	if m, raw := press(shareID, false); m["type"] != float64(4) || !strings.Contains(raw, "Emmanuel Macron") || strings.Contains(raw, `"flags":64`) {
		t.Fatalf("share from the map: %s", raw)
	}
	e.a.ids = newQueryIDs(func() time.Time { return testNow }) // a restart forgets the map
	e.a.cfg.Replays = bot.NewMemorySeen(10, e.a.cfg.Now)       // and the requests it served
	if _, raw := press(shareID, true); !strings.Contains(raw, "Emmanuel Macron") {
		t.Fatalf("share from the footer: %s", raw)
	}
	if _, raw := press(shareID, false); !strings.Contains(raw, "expired") {
		t.Fatalf("unknown short id: %s", raw)
	}
}

func TestQueryIDsBounded(t *testing.T) {
	now := testNow
	q := newQueryIDs(func() time.Time { return now })
	first := q.id(ShareCustomIDPrefix, strings.Repeat("q", 200))
	for i := range maxQueryIDs + 10 {
		now = now.Add(time.Millisecond)
		q.id(ShareCustomIDPrefix, fmt.Sprintf("%0200d", i))
	}
	if len(q.m) > maxQueryIDs {
		t.Fatalf("%d entries", len(q.m))
	}
	if _, ok := q.query(first, ""); ok {
		t.Fatal("the oldest entry survived")
	}
	// An entry lives a day and more, then expires.
	q = newQueryIDs(func() time.Time { return now })
	id := q.id(ShareCustomIDPrefix, strings.Repeat("x", 200))
	now = now.Add(25 * time.Hour)
	if got, ok := q.query(id, ""); !ok || got != strings.Repeat("x", 200) {
		t.Fatal("forgotten within a day")
	}
	now = now.Add(queryIDTTL)
	if _, ok := q.query(id, ""); ok {
		t.Fatal("never expires")
	}
}

// Previous and Next update a paged answer in place; the menu opens an item.
func TestPagesAndMenu(t *testing.T) {
	e := newHTTPEnv(t)
	u := e.srv.URL + "/discord/interactions"
	_, _, raw := send(t, signedReq(t, u, e.priv, testNow, interaction(2, sub("matrix"), false)))
	if !strings.Contains(raw, PageCustomIDPrefix+"2:matrix") || !strings.Contains(raw, PickCustomID) {
		t.Fatalf("matrix without Next or menu: %s", raw)
	}
	press := func(data map[string]any) (map[string]any, string) {
		in := map[string]any{"id": "1302", "application_id": "1234", "type": 3, "token": "tok", "version": 1, "channel_id": "1200",
			"data": data, "message": map[string]any{"id": "9", "flags": 64},
			"member": map[string]any{"user": map[string]any{"id": "1000"}, "permissions": "0"}}
		b, _ := json.Marshal(in)
		_, m, raw := send(t, signedReq(t, u, e.priv, testNow, string(b)))
		return m, raw
	}
	m, raw := press(map[string]any{"custom_id": PageCustomIDPrefix + "2:matrix", "component_type": 2})
	if m["type"] != float64(7) || !strings.Contains(raw, PageCustomIDPrefix+"1:matrix") || !strings.Contains(raw, PageCustomIDPrefix+"3:matrix") {
		t.Fatalf("page 2: %s", raw)
	}
	m, raw = press(map[string]any{"custom_id": PickCustomID, "component_type": 3, "values": []string{"actor macron"}})
	if m["type"] != float64(4) || !strings.Contains(raw, "Emmanuel Macron") {
		t.Fatalf("pick: %s", raw)
	}
}
