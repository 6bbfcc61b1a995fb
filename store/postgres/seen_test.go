package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/briefings"
)

var _ bot.SeenSet = (*Store)(nil)

// First tells a key seen until it expires, on any connection to the
// database; keys may hold any bytes.
func TestSeenFirst(t *testing.T) {
	c := needCluster(t)
	url := c.NewDB(t)
	a, b := mustOpen(t, url), mustOpen(t, url) // two replicas
	ctx := context.Background()
	now := time.Now()
	steps := []struct {
		name    string
		s       *Store
		key     string
		expires time.Time
		want    bool
	}{
		{"new", a, "slack\x00v0=abc", now.Add(time.Minute), true},
		{"again, same replica", a, "slack\x00v0=abc", now.Add(time.Minute), false},
		{"again, other replica", b, "slack\x00v0=abc", now.Add(time.Minute), false},
		{"another key", b, "slack\x00v0=abd", now.Add(time.Minute), true},
		{"already expired when recorded", a, "discord\x00123", now.Add(-time.Second), true},
		{"expired: new again", b, "discord\x00123", now.Add(time.Minute), true},
		{"and then held", a, "discord\x00123", now.Add(time.Minute), false},
		{"empty key", a, "", now.Add(time.Minute), true},
	}
	for _, s := range steps {
		got, err := s.s.First(ctx, s.key, s.expires)
		if err != nil || got != s.want {
			t.Fatalf("%s: First(%q) = %v, %v; want %v", s.name, s.key, got, err, s.want)
		}
	}

	// Twenty goroutines on both replicas race for one key: one wins.
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			st := []*Store{a, b}[i%2]
			if ok, err := st.First(ctx, "race", now.Add(time.Minute)); err != nil {
				t.Error(err)
			} else if ok {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d of 20 racing calls were told the key is new", wins.Load())
	}

	// Expired rows are purged in bounded batches, held ones kept.
	if _, err := a.pool.Exec(ctx, `INSERT INTO seen SELECT sha256(i::text::bytea), $1 FROM generate_series(1, 2500) i`, now.Add(-time.Hour).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []int64{purgeBatch, purgeBatch, 500, 0} {
		n, err := a.purgeSeen(ctx, now)
		if err != nil || n != want {
			t.Fatalf("purge: %d, %v; want %d", n, err, want)
		}
	}
	var left int
	a.pool.QueryRow(ctx, `SELECT count(*) FROM seen`).Scan(&left)
	if left != 5 { // v0=abc, v0=abd, discord 123 (recorded again), "", race
		t.Fatalf("%d keys left after purging, want 5", left)
	}

	// A closed store cannot tell: an error, never "new".
	b.Close()
	if ok, err := b.First(ctx, "after close", now.Add(time.Minute)); err == nil || ok {
		t.Fatalf("closed store: %v, %v", ok, err)
	}
}

// slackAPI is a fake of Slack's Web API that counts chat.postMessage
// calls per thread.
type slackAPI struct {
	mu    sync.Mutex
	posts map[string]int
}

func (f *slackAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	if strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
		f.mu.Lock()
		f.posts[r.FormValue("channel")+"/"+r.FormValue("thread_ts")]++
		f.mu.Unlock()
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000001.000100"}`, r.FormValue("channel"))
		return
	}
	fmt.Fprint(w, `{"ok":true,"user_id":"UBOT","team_id":"T1","bot_id":"B1"}`)
}

const secret = "replica-signing-secret"

func signedSlack(t *testing.T, u string, ts time.Time, contentType, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sts := strconv.FormatInt(ts.Unix(), 10)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", sts)
	req.Header.Set("X-Slack-Signature", slack.Sign(secret, sts, []byte(body)))
	return req
}

func status(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// Two Slack adapters (two replicas, each with its own connection pool)
// sharing one PostgreSQL database: a signed request served by one is a
// replay at the other, and an app_mention Slack retries at the other is
// answered once. When the store cannot tell, both refuse with 503 (no
// ack, so Slack retries the event), never answer.
func TestReplicasShareSlackGuards(t *testing.T) {
	c := needCluster(t)
	dbURL := c.NewDB(t)
	b, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	api := &slackAPI{posts: map[string]int{}}
	apiSrv := httptest.NewServer(api)
	defer apiSrv.Close()
	var urls []string
	var adapters []*slack.Adapter
	var stores []*Store
	for range 2 {
		st := mustOpen(t, dbURL)
		a, err := slack.New(slack.Config{BotToken: "xoxb-r", SigningSecret: secret, APIURL: apiSrv.URL + "/api/",
			Log: slog.New(slog.DiscardHandler), Replays: st, Events: st}, bot.New(b))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Routes())
		t.Cleanup(srv.Close)
		urls, adapters, stores = append(urls, srv.URL), append(adapters, a), append(stores, st)
	}
	wait := func() {
		for _, a := range adapters {
			a.Wait()
		}
	}
	const form, js = "application/x-www-form-urlencoded", "application/json"
	now := time.Now()
	cmd := url.Values{"command": {"/guarantees"}, "text": {"actor trump"}, "user_id": {"U1"}, "channel_id": {"C1"},
		"team_id": {"T1"}, "response_url": {"https://hooks.slack.com/commands/1/2"}}.Encode()
	event := func(id, ts string) string {
		out, _ := json.Marshal(map[string]any{"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
			"event_id": id, "event_time": now.Unix(), "event": map[string]any{"type": "app_mention", "user": "U1",
				"text": "<@UBOT> what does macron want?", "ts": ts, "channel": "C1", "event_ts": ts}})
		return string(out)
	}

	steps := []struct {
		name    string
		replica int
		path    string
		ts      time.Time
		ct      string
		body    string
		retry   bool
		want    int
	}{
		{"a command", 0, "/slack/commands", now, form, cmd, false, 200},
		{"the same signed request at the other replica", 1, "/slack/commands", now, form, cmd, false, 401},
		{"and again at the first", 0, "/slack/commands", now, form, cmd, false, 401},
		{"the same command signed afresh", 1, "/slack/commands", now.Add(time.Second), form, cmd, false, 200},
		{"a mention", 0, "/slack/events", now, js, event("Ev1", "1700000000.000100"), false, 200},
		{"Slack retries it at the other replica", 1, "/slack/events", now.Add(time.Second), js, event("Ev1", "1700000000.000100"), true, 200},
		{"and again", 0, "/slack/events", now.Add(2 * time.Second), js, event("Ev1", "1700000000.000100"), true, 200},
		{"the first delivery replayed", 1, "/slack/events", now, js, event("Ev1", "1700000000.000100"), false, 401},
		{"another mention", 1, "/slack/events", now, js, event("Ev2", "1700000000.000200"), false, 200},
	}
	for _, s := range steps {
		req := signedSlack(t, urls[s.replica]+s.path, s.ts, s.ct, s.body)
		if s.retry {
			req.Header.Set("X-Slack-Retry-Num", "1")
			req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		if got := status(t, req); got != s.want {
			t.Fatalf("%s (replica %d): status %d, want %d", s.name, s.replica, got, s.want)
		}
	}
	wait()
	api.mu.Lock()
	if api.posts["C1/1700000000.000100"] != 1 || api.posts["C1/1700000000.000200"] != 1 || len(api.posts) != 2 {
		t.Fatalf("answers posted per thread: %v; want each mention once", api.posts)
	}
	api.mu.Unlock()

	// The store gone: the replay guard and the events refuse (503).
	stores[1].Close()
	if got := status(t, signedSlack(t, urls[1]+"/slack/commands", now.Add(3*time.Second), form, cmd)); got != http.StatusServiceUnavailable {
		t.Fatalf("command with the store down: status %d, want 503", got)
	}
	// (The replay guard refuses first; with replays allowed the event
	// de-duplication refuses on its own.)
	a, err := slack.New(slack.Config{BotToken: "xoxb-r", SigningSecret: secret, APIURL: apiSrv.URL + "/api/",
		Log: slog.New(slog.DiscardHandler), AllowReplays: true, Events: stores[1]}, bot.New(b))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Routes())
	defer srv.Close()
	if got := status(t, signedSlack(t, srv.URL+"/slack/events", now, js, event("Ev3", "1700000000.000300"))); got != http.StatusServiceUnavailable {
		t.Fatalf("event with the store down: status %d, want 503", got)
	}
	a.Wait()
	wait()
	api.mu.Lock()
	defer api.mu.Unlock()
	if api.posts["C1/1700000000.000300"] != 0 {
		t.Fatalf("an event the store could not check was answered: %v", api.posts)
	}
}
