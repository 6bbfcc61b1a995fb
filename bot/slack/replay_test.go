package slack

import (
	"context"
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
// the recorded subscribe replayed 100 times within its window. Every
// replay gets 401 and is counted; the subscription stays removed.
func TestReplaysRefused(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir()+"/replay.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := metrics.New()
	now := testNow
	a, err := New(Config{BotToken: "xoxb-test", SigningSecret: testSecret, Now: func() time.Time { return now }, Observer: m,
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
	u := srv.URL + "/slack/commands"
	const form = "application/x-www-form-urlencoded"
	subAt := now
	if code, body := do(t, signed(t, u, testSecret, subAt, form, commandBody("subscribe"))); code != 200 || !strings.Contains(body, "Subscribed") {
		t.Fatalf("subscribe: %d %s", code, body)
	}
	now = now.Add(time.Minute)
	if code, body := do(t, signed(t, u, testSecret, now, form, commandBody("unsubscribe"))); code != 200 || !strings.Contains(body, "Unsubscribed") {
		t.Fatalf("unsubscribe: %d %s", code, body)
	}
	accepted := 0
	for i := range 100 {
		now = testNow.Add(time.Minute + time.Duration(i)*2*time.Second) // within the 5-minute window
		if code, _ := do(t, signed(t, u, testSecret, subAt, form, commandBody("subscribe"))); code != http.StatusUnauthorized {
			accepted++
		}
	}
	if accepted != 0 {
		t.Fatalf("%d of 100 replays accepted", accepted)
	}
	if _, err := st.Subscription(ctx, Name, "C2147483705"); err == nil {
		t.Fatal("the replayed subscribe re-created the subscription")
	}
	_, metricsText := do(t, mustGet(t, srv.URL+"/metrics"))
	if !strings.Contains(metricsText, `briefbot_requests_rejected_total{platform="slack",reason="replay"} 100`) {
		t.Fatalf("replays not counted")
	}
	// The same command asked again is a new request (Slack signs each
	// anew), and is served.
	if code, body := do(t, signed(t, u, testSecret, now, form, commandBody("subscribe"))); code != 200 || !strings.Contains(body, "Subscribed") {
		t.Fatalf("a fresh subscribe: %d %s", code, body)
	}
}

// TestReplaysAllowed: with the check off (BRIEFBOT_ALLOW_REPLAYS) the
// same signed request is served every time, as load tests need.
func TestReplaysAllowed(t *testing.T) {
	a, err := New(Config{BotToken: "xoxb-test", SigningSecret: testSecret, Now: func() time.Time { return testNow }, AllowReplays: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, newBot(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Routes())
	defer srv.Close()
	for range 5 {
		if code, body := do(t, signed(t, srv.URL+"/slack/commands", testSecret, testNow, "application/x-www-form-urlencoded", commandBody("actor trump"))); code != 200 {
			t.Fatalf("replay with replays allowed: %d %s", code, body)
		}
	}
}

func mustGet(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
