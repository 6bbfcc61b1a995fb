package discord

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/metrics"
	"github.com/briefbot/briefbot/store/sqlite"
)

// TestReplaysRefused is the recorded attack: subscribe, unsubscribe, then
// the recorded subscribe replayed (100 times) within its window. Every
// replay gets 401 and is counted; the subscription stays removed.
func TestReplaysRefused(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir()+"/replay.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := newHTTPEnv(t)
	m := metrics.New()
	now := testNow
	a, err := New(Config{AppID: "1234", PublicKey: e.pubHex(), Now: func() time.Time { return now }, Observer: m,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		bot.New(newBot(t).Briefing(), bot.WithDigests(&digest.Service{Store: st, Defaults: digest.DefaultDefaults(), Clock: digest.RealClock{}})))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Register(mux)
	mux.Handle("GET /metrics", m.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	u := srv.URL + "/discord/interactions"
	cmd := func(id, name string) string {
		b, _ := json.Marshal(map[string]any{"id": id, "application_id": "1234", "type": 2, "token": "t", "version": 1, "channel_id": "1200",
			"guild_id": "1", "member": map[string]any{"user": map[string]any{"id": "5"}, "permissions": "16"}, "data": sub(name)})
		return string(b)
	}
	subscribe, unsubscribe := cmd("2001", "subscribe"), cmd("2002", "unsubscribe")
	subAt := now
	if code, _, raw := send(t, signedReq(t, u, e.priv, subAt, subscribe)); code != 200 || !strings.Contains(raw, "Subscribed") {
		t.Fatalf("subscribe: %d %s", code, raw)
	}
	now = now.Add(time.Minute)
	if code, _, raw := send(t, signedReq(t, u, e.priv, now, unsubscribe)); code != 200 || !strings.Contains(raw, "Unsubscribed") {
		t.Fatalf("unsubscribe: %d %s", code, raw)
	}
	accepted := 0
	for i := range 100 {
		now = testNow.Add(time.Minute + time.Duration(i)*2*time.Second) // within the 5-minute window
		req := signedReq(t, u, e.priv, subAt, subscribe)
		if i%2 == 1 { // hex is case-blind: the upper-case spelling is the same signature
			req.Header.Set("X-Signature-Ed25519", strings.ToUpper(req.Header.Get("X-Signature-Ed25519")))
		}
		if code, _, _ := send(t, req); code != http.StatusUnauthorized {
			accepted++
		}
	}
	if accepted != 0 {
		t.Fatalf("%d of 100 replays accepted", accepted)
	}
	if _, err := st.Subscription(ctx, Name, "1200"); err == nil {
		t.Fatal("the replayed subscribe re-created the subscription")
	}
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `briefbot_requests_rejected_total{platform="discord",reason="replay"} 100`) {
		t.Fatalf("replays not counted:\n%s", grepLines(string(b), "rejected"))
	}
	// Past the window the request is stale, not a replay.
	now = subAt.Add(MaxSkew + 2*time.Second)
	if code, _, raw := send(t, signedReq(t, u, e.priv, subAt, subscribe)); code != 401 || !strings.Contains(raw, "invalid request signature") {
		t.Fatalf("stale replay: %d %s", code, raw)
	}
}

// TestReplaysAllowed: with the check off (BRIEFBOT_ALLOW_REPLAYS) the
// same signed request is served every time, as load tests need.
func TestReplaysAllowed(t *testing.T) {
	e := newHTTPEnv(t)
	a, err := New(Config{AppID: "1234", PublicKey: e.pubHex(), Now: func() time.Time { return testNow }, AllowReplays: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, newBot(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(a.serveInteraction))
	defer srv.Close()
	ping := `{"id":"1","application_id":"1234","type":1,"token":"t","version":1}`
	for range 5 {
		if code, m, raw := send(t, signedReq(t, srv.URL, e.priv, testNow, ping)); code != 200 || m["type"] != float64(1) {
			t.Fatalf("replayed PING with replays allowed: %d %s", code, raw)
		}
	}
}

func grepLines(s, word string) string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
