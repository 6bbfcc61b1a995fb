package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	slackadapter "github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/ingest"
)

// TestWatchReloadsAcceptedDraft: a serve-side watcher picks up an
// accepted draft by itself, the bot answers from the new article, and the
// next digest of a channel that saw the old briefing names the change.
func TestWatchReloadsAcceptedDraft(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "briefing")
	if r := runWith(t, "", nil, "export", dir); r.code != 0 {
		t.Fatal(r.stderr)
	}
	cfg := config.Config{BriefingDir: dir}
	old, err := loadBriefing(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bt := bot.New(old)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go watchBriefing(ctx, nil, cfg, bt, slog.New(slog.NewTextHandler(io.Discard, nil)), 20*time.Millisecond)

	r := runWith(t, "", nil, "--briefing", dir, "ingest", "--outlet", "Baltic Times", "--title", "Baltic states warn",
		"--date", "2025-09-12", "../../ingest/testdata/fresh/times.txt")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	time.Sleep(100 * time.Millisecond)
	if bt.Briefing() != old {
		t.Fatal("a new draft reloaded the briefing: drafts are not published")
	}
	if r := runWith(t, "", nil, "--briefing", dir, "accept", "baltic-times-2025-09-12"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	deadline := time.Now().Add(5 * time.Second)
	for bt.Briefing() == old && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	nb := bt.Briefing()
	if nb == old {
		t.Fatal("the accepted draft was not picked up")
	}
	req := bt.Table().Parse("what did lavrov say")
	req.Full = true
	res := bt.Handle(ctx, bot.Caller{}, req)
	if !strings.Contains(answerText(res.Answer), "unacceptable under any circumstances") {
		t.Errorf("answer about the new article does not quote it:\n%s", answerText(res.Answer))
	}
	dg := nb.DigestFor(time.Date(2025, 9, 13, 8, 0, 0, 0, time.UTC), old.ItemKeys(), false)
	if !strings.Contains(answerText(dg), "New source: Baltic Times, 2025-09-12") {
		t.Errorf("the next digest does not name the change:\n%s", answerText(dg))
	}
}

func answerText(a briefings.Answer) string {
	data, _ := json.Marshal(a)
	return string(data)
}

// TestPollFeedsNotifiesEditors: serve's feed poller drafts a new item and
// tells the editors' channel, through the platform's sender.
func TestPollFeedsNotifiesEditors(t *testing.T) {
	page, _ := os.ReadFile("../../ingest/testdata/fresh2/column.html")
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/atom" {
			w.Header().Set("Content-Type", "application/atom+xml")
			io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Times</title>
<entry><title>The long road to a guarantee</title><id>urn:1</id><link href="`+srv.URL+`/col"/><updated>2025-09-15T06:00:00Z</updated></entry></feed>`)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write(page)
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "briefing")
	runWith(t, "", nil, "export", dir)
	cfg := config.Config{BriefingDir: dir, Feeds: []config.Feed{{URL: srv.URL + "/atom", Every: time.Hour}},
		Editors: &config.Editors{Platform: "console", Channel: "editors"}}
	b, _ := loadBriefing(cfg)
	var out syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go pollFeeds(ctx, cfg, bot.New(b), map[briefbot.Platform]digest.Sender{"console": console.NewSender(&out)}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "New draft") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "New draft: The long road to a guarantee") {
		t.Fatalf("editors got: %q", out.String())
	}
	if r := runWith(t, "", nil, "--briefing", dir, "drafts"); !strings.Contains(r.stdout, "harbour-times-2025-09-15") {
		t.Fatalf("drafts: %s", r.stdout)
	}
}

// TestNotifyEditorsSlack: the editors' message goes out through the real
// Slack sender (slack-go against a local server that answers like
// chat.postMessage, with a 429 and Retry-After first), and an article
// title that tries to ping the channel reaches Slack escaped.
func TestNotifyEditorsSlack(t *testing.T) {
	var (
		mu    sync.Mutex
		posts []url.Values
		calls int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
			w.Write([]byte(`{"ok":false,"error":"unknown_method"}`))
			return
		}
		r.ParseForm()
		if r.Header.Get("Authorization") != "Bearer xoxb-test" && r.PostForm.Get("token") != "xoxb-test" {
			w.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if calls++; calls == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"ok":false,"error":"ratelimited"}`))
			return
		}
		posts = append(posts, r.PostForm)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true,"channel":"` + r.PostForm.Get("channel") + `","ts":"1700000000.000100"}`))
	}))
	defer srv.Close()
	a, err := slackadapter.New(slackadapter.Config{BotToken: "xoxb-test", SigningSecret: "s", APIURL: srv.URL + "/api/",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, bot.New(mustEmbedded(t)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{Editors: &config.Editors{Platform: "slack", Channel: "C0EDITORS"}}
	d := ingest.Draft{Source: ingest.DraftSource{ID: "harbour-times-2025-09-15", Outlet: "Harbour Times", Title: "<!channel> @everyone: a guarantee", Date: "2025-09-15"}}
	notifyEditors(context.Background(), cfg, map[briefbot.Platform]digest.Sender{"slack": a.Sender()}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 || len(posts) != 1 {
		t.Fatalf("calls %d, posts %d: want a retry after the 429, then one post", calls, len(posts))
	}
	p := posts[0]
	body := p.Get("text") + p.Get("blocks")
	if p.Get("channel") != "C0EDITORS" || !strings.Contains(body, "briefbot review harbour-times-2025-09-15") {
		t.Fatalf("post: %v", p)
	}
	if strings.Contains(body, "<!channel>") || !strings.Contains(body, "&lt;!channel&gt;") {
		t.Fatalf("the title's ping reached Slack unescaped: %s", body)
	}
}

func mustEmbedded(t *testing.T) *briefings.Briefing {
	t.Helper()
	b, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
