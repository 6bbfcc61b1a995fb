package slack

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/sqlite"
)

func TestDigestSender(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	br := newBot(t).Briefing()
	slot := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	ans := br.DigestFor(slot, nil, true)
	sub := digest.Subscription{ID: 7, Platform: Name, Channel: "C1", Schedule: "0 8 * * *"}

	ts, err := e.a.Send(ctx, sub, slot, ans)
	if err != nil || ts == "" {
		t.Fatalf("send: %q %v", ts, err)
	}
	posts, _ := e.fake.snapshot()
	if md := posts[0].Get("metadata"); !strings.Contains(md, `"event_type":"briefbot_digest"`) || !strings.Contains(md, `"slot":"2026-11-22T08:00:00Z"`) || !strings.Contains(md, `"subscription":7`) {
		t.Fatalf("metadata: %s", md)
	}
	if found, err := e.a.Find(ctx, sub, slot); err != nil || found != ts {
		t.Fatalf("find: %q %v, want %q", found, err, ts)
	}
	if found, _ := e.a.Find(ctx, sub, slot.Add(24*time.Hour)); found != "" {
		t.Fatalf("found a digest for another slot: %q", found)
	}
	other := sub
	other.ID = 8
	if found, _ := e.a.Find(ctx, other, slot); found != "" {
		t.Fatal("found another subscription's digest")
	}

	// Not in a public channel: join once, then post.
	e.fake.notIn["C2"] = true
	if _, err := e.a.Send(ctx, digest.Subscription{ID: 9, Platform: Name, Channel: "C2"}, slot, ans); err != nil || e.fake.joins != 1 {
		t.Fatalf("not_in_channel: %v, joins %d", err, e.fake.joins)
	}
	// Permanent errors.
	for _, code := range []string{"channel_not_found", "is_archived", "account_inactive"} {
		e.fake.channelError["C3"] = code
		_, err := e.a.Send(ctx, digest.Subscription{ID: 10, Platform: Name, Channel: "C3"}, slot, ans)
		var perm *digest.PermanentError
		if !errors.As(err, &perm) || perm.Reason != code {
			t.Errorf("%s: %v", code, err)
		}
	}
	// Rate limits become RetryAfterError.
	e.fake.rateLimited = 1
	_, err = e.a.Send(ctx, digest.Subscription{ID: 11, Platform: Name, Channel: "C4"}, slot, ans)
	var ra *digest.RetryAfterError
	if !errors.As(err, &ra) || ra.After != time.Second {
		t.Fatalf("429: %v", err)
	}
}

// TestDigestUnknownOutcomeIsNotRepeated runs the whole delivery against the
// fake Slack: the first post lands but its answer times out; the retry
// finds it through conversations.history instead of posting again.
func TestDigestUnknownOutcomeIsNotRepeated(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.HTTPClient = &http.Client{Timeout: 500 * time.Millisecond} })
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sub, _ := st.Subscribe(ctx, digest.Subscription{Platform: Name, Channel: "C9", Schedule: "0 8 * * *", CreatedAt: time.Now()})
	e.fake.hangOnce["C9"] = true
	br := newBot(t).Briefing()
	limits := digest.DefaultLimits()
	limits.Backoff = 10 * time.Millisecond
	d := &digest.Deliverer{Store: st, Senders: map[briefbot.Platform]digest.Sender{Name: e.a},
		Briefing: func() *briefings.Briefing { return br }, Clock: digest.RealClock{}, Limits: limits,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	slot := time.Now().Truncate(time.Minute)
	if err := d.Deliver(ctx, sub, slot); err != nil {
		t.Fatal(err)
	}
	posts, _ := e.fake.snapshot()
	if len(posts) != 1 {
		t.Fatalf("%d posts for one slot", len(posts))
	}
	rows, _ := st.Deliveries(ctx, sub.ID, 5)
	if rows[0].Status != digest.Sent || rows[0].MessageID != "1700000000.000001" {
		t.Fatalf("ledger: %+v", rows[0])
	}
}
