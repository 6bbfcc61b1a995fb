package digest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/sqlite"
)

// fakeSender plays a platform: it posts, remembers what it posted (so Find
// works as it does with Slack metadata or a Discord nonce), and fails as
// scripted per channel.
type fakeSender struct {
	mu      sync.Mutex
	posts   map[string]string      // channel|slot → message id
	sends   map[string][]time.Time // channel → send times
	script  map[string][]error     // channel → errors for the next sends
	lost    map[string]int         // channel → sends that post but report a timeout
	findErr error                  // what Find returns, when set
	n       int
	dups    int // attempts to post a slot twice: must stay 0
}

func newFakeSender() *fakeSender {
	return &fakeSender{posts: map[string]string{}, sends: map[string][]time.Time{}, script: map[string][]error{}, lost: map[string]int{}}
}

func key(sub digest.Subscription, slot time.Time) string {
	return string(sub.Platform) + "/" + sub.Channel + "|" + slot.UTC().Format(time.RFC3339)
}

func (f *fakeSender) Send(ctx context.Context, sub digest.Subscription, slot time.Time, a briefings.Answer) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := string(sub.Platform) + "/" + sub.Channel
	f.sends[ch] = append(f.sends[ch], time.Now())
	if s := f.script[ch]; len(s) > 0 {
		f.script[ch] = s[1:]
		return "", s[0]
	}
	if a.Title == "" || a.Kind != "digest" {
		return "", errors.New("not a digest")
	}
	f.n++
	id := fmt.Sprintf("m%d", f.n)
	if _, dup := f.posts[key(sub, slot)]; dup {
		f.dups++
		return "", errors.New("DUPLICATE POST")
	}
	f.posts[key(sub, slot)] = id
	if f.lost[ch] > 0 {
		f.lost[ch]--
		return "", context.DeadlineExceeded // posted, but the answer never came
	}
	return id, nil
}

func (f *fakeSender) Find(ctx context.Context, sub digest.Subscription, slot time.Time) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.findErr; err != nil {
		f.findErr = nil // fails once
		return "", err
	}
	return f.posts[key(sub, slot)], nil
}

// countingObserver counts API errors by platform and operation.
type countingObserver struct {
	mu   sync.Mutex
	errs map[string]int
}

func (o *countingObserver) APIError(p, op string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.errs == nil {
		o.errs = map[string]int{}
	}
	o.errs[p+"/"+op]++
}
func (o *countingObserver) RateLimited(string)    {}
func (o *countingObserver) Digest(string, string) {}

// A failed lookup for an already posted digest is logged and counted,
// not ignored, and retried before any resend: the duplicate check must
// run.
func TestFailedLookupIsCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		e := newEnv(t, ":memory:")
		obs := &countingObserver{}
		e.d.Observer = obs
		now := time.Now()
		sub := e.subscribe(t, slackP, "C1", "* * * * *", now)
		slot := now.Truncate(time.Minute)
		// A claim from a crashed run: the outcome is unknown.
		if ok, _, err := e.store.Claim(ctx, sub.ID, slot, digest.Claim{Owner: "crashed", Now: now, LeaseUntil: now.Add(-time.Second)}); !ok || err != nil {
			t.Fatal(ok, err)
		}
		e.slack.findErr = errors.New("history: internal_error")
		if err := e.d.Deliver(ctx, sub, slot); err != nil {
			t.Fatal(err)
		}
		if obs.errs["slack/find digest"] != 1 || e.slack.count() != 1 {
			t.Fatalf("lookup failures counted: %v; %d posted", obs.errs, e.slack.count())
		}
	})
}

func (f *fakeSender) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.posts)
}

type env struct {
	store *sqlite.Store
	slack *fakeSender
	disc  *fakeSender
	d     *digest.Deliverer
}

func newEnv(t *testing.T, path string) *env {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	br, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{store: st, slack: newFakeSender(), disc: newFakeSender()}
	e.d = &digest.Deliverer{
		Store: st, Senders: map[briefbot.Platform]digest.Sender{slackP: e.slack, discordP: e.disc},
		Briefing: func() *briefings.Briefing { return br }, Clock: digest.RealClock{}, Limits: digest.DefaultLimits(),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	e.d.Limits.PerPlatform = map[briefbot.Platform]time.Duration{discordP: 25 * time.Millisecond}
	return e
}

func (e *env) subscribe(t *testing.T, p briefbot.Platform, ch, spec string, created time.Time) digest.Subscription {
	t.Helper()
	s, err := e.store.Subscribe(context.Background(), digest.Subscription{Platform: p, Channel: ch, Schedule: spec, CreatedAt: created})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func status(t *testing.T, st *sqlite.Store, sub digest.Subscription) []digest.Delivery {
	t.Helper()
	ds, err := st.Deliveries(context.Background(), sub.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestDeliverOnceWithRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		e := newEnv(t, ":memory:")
		now := time.Now()
		slot := now.Truncate(time.Minute)
		a := e.subscribe(t, slackP, "C1", "* * * * *", now)
		b := e.subscribe(t, slackP, "C2", "* * * * *", now)
		c := e.subscribe(t, discordP, "D1", "* * * * *", now)
		e.slack.script["slack/C1"] = []error{&digest.RetryAfterError{After: 30 * time.Second}, errors.New("HTTP 503")}
		e.slack.lost["slack/C2"] = 1 // first send posts but times out: must not post again
		e.disc.script["discord/D1"] = []error{&digest.PermanentError{Reason: "50013 Missing Permissions"}}

		for range 3 { // delivering the same slot again does nothing
			if err := e.d.DeliverAll(ctx, []digest.Due{{a, slot}, {b, slot}, {c, slot}}); err != nil {
				t.Fatal(err)
			}
		}
		if e.slack.count() != 2 || e.disc.count() != 0 {
			t.Fatalf("posts: slack %d, discord %d", e.slack.count(), e.disc.count())
		}
		if ds := status(t, e.store, a); len(ds) != 1 || ds[0].Status != digest.Sent || ds[0].Attempts != 3 || ds[0].Version == "" {
			t.Fatalf("C1: %+v", ds)
		}
		if ds := status(t, e.store, b); ds[0].Status != digest.Sent || ds[0].MessageID == "" {
			t.Fatalf("C2: %+v", ds)
		}
		sub, _ := e.store.Subscription(ctx, discordP, "D1")
		if ds := status(t, e.store, c); ds[0].Status != digest.Failed || sub.Disabled != "50013 Missing Permissions" {
			t.Fatalf("D1: %+v, disabled %q", ds, sub.Disabled)
		}
		// Disabled until someone subscribes again.
		if err := e.d.Deliver(ctx, sub, slot.Add(time.Minute)); err != nil || e.disc.count() != 0 {
			t.Fatalf("sent to a disabled subscription: %v", err)
		}
	})
}

func TestCrashAndRecovery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "b.db")
		e := newEnv(t, path)
		day := time.Now().Truncate(24 * time.Hour).Add(24 * time.Hour) // next midnight UTC
		created := day.Add(-5 * 24 * time.Hour)
		// Daily at 08:00 UTC; the bot was down since two days ago.
		daily := e.subscribe(t, slackP, "C-daily", "0 8 * * *", created)
		// Crashed after posting, before recording: pending in the ledger, posted on the platform.
		crashedAfter := e.subscribe(t, slackP, "C-after", "0 8 * * *", created)
		// Crashed after claiming, before posting.
		crashedBefore := e.subscribe(t, discordP, "D-before", "0 8 * * *", created)
		slot := day.Add(8 * time.Hour)
		dead := digest.Claim{Owner: "dead", Now: slot, LeaseUntil: slot.Add(time.Minute)}
		e.store.Claim(ctx, crashedAfter.ID, slot, dead)
		e.slack.posts[key(crashedAfter, slot)] = "posted-before-crash"
		e.store.Claim(ctx, crashedBefore.ID, slot, dead)
		e.store.Close() // the process dies

		time.Sleep(time.Until(slot.Add(90 * time.Minute))) // restart at 09:30, within the 2-hour grace
		e2 := newEnv(t, path)                              // a new process: same database and platforms
		e2.slack, e2.disc = e.slack, e.disc
		e2.d.Senders = map[briefbot.Platform]digest.Sender{slackP: e.slack, discordP: e.disc}
		if err := e2.d.Recover(ctx); err != nil {
			t.Fatal(err)
		}
		ds := status(t, e2.store, daily)
		if ds[0].Status != digest.Sent || !ds[0].Slot.Equal(slot) {
			t.Fatalf("today's slot: %+v", ds[0])
		}
		for _, d := range ds[1:] {
			if d.Status != digest.Skipped {
				t.Fatalf("older missed slot not skipped: %+v", d)
			}
		}
		if len(ds) != 6 { // created five days ago at midnight: five missed 08:00s skipped, today's sent
			t.Fatalf("%d ledger rows", len(ds))
		}
		if d := status(t, e2.store, crashedAfter)[0]; d.Status != digest.Sent || d.MessageID != "posted-before-crash" {
			t.Fatalf("crashed after posting: %+v", d)
		}
		if d := status(t, e2.store, crashedBefore)[0]; d.Status != digest.Sent {
			t.Fatalf("crashed before posting: %+v", d)
		}
		if e.slack.count() != 2 || e.disc.count() != 1 || e.slack.dups+e.disc.dups != 0 {
			t.Fatalf("posts: slack %d, discord %d, duplicates %d", e.slack.count(), e.disc.count(), e.slack.dups+e.disc.dups)
		}
		// Recovering again changes nothing.
		if err := e2.d.Recover(ctx); err != nil || e.slack.count() != 2 || e.disc.count() != 1 {
			t.Fatalf("second recovery: %v", err)
		}
	})
}

func TestFanOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		e := newEnv(t, filepath.Join(t.TempDir(), "fan.db"))
		now := time.Now()
		slot := now.Truncate(time.Minute)
		var due []digest.Due
		for i := range 1000 {
			// Half Slack, half Discord, one channel each.
			p, ch := slackP, fmt.Sprintf("C%04d", i)
			if i%2 == 1 {
				p, ch = discordP, fmt.Sprintf("D%04d", i)
			}
			sub := e.subscribe(t, p, ch, "* * * * *", now)
			due = append(due, digest.Due{Sub: sub, Slot: slot})
			// A few transient failures along the way.
			if i%50 == 0 {
				e.slack.script["slack/"+ch] = []error{errors.New("HTTP 500")}
				e.disc.script["discord/"+ch] = []error{&digest.RetryAfterError{After: 2 * time.Second}}
			}
		}
		start := time.Now()
		if err := e.d.DeliverAll(ctx, due); err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(start)
		if e.slack.dups+e.disc.dups != 0 {
			t.Fatalf("%d attempts to post a digest twice", e.slack.dups+e.disc.dups)
		}
		if e.slack.count() != 500 || e.disc.count() != 500 {
			t.Fatalf("posts: slack %d, discord %d", e.slack.count(), e.disc.count())
		}
		for _, x := range due {
			if d := status(t, e.store, x.Sub); len(d) != 1 || d[0].Status != digest.Sent {
				t.Fatalf("%s: %+v", x.Sub.Channel, d)
			}
		}
		// No channel above one message a second; Discord as a whole under 50/s.
		var all []time.Time
		for _, ts := range e.disc.sends {
			all = append(all, ts...)
		}
		for ch, ts := range e.slack.sends {
			for i := 1; i < len(ts); i++ {
				if ts[i].Sub(ts[i-1]) < time.Second {
					t.Fatalf("%s: two sends %v apart", ch, ts[i].Sub(ts[i-1]))
				}
			}
		}
		perSecond := map[int64]int{}
		for _, ts := range all {
			perSecond[ts.Unix()]++
		}
		for s, n := range perSecond {
			if n > 50 {
				t.Fatalf("%d Discord requests in second %d", n, s)
			}
		}
		// The run takes what the limits allow, within 10%: 510 Discord
		// requests (500 plus 10 retried after 429) at one per 25 ms.
		minimum := time.Duration(len(all)-1) * 25 * time.Millisecond
		if elapsed > minimum*11/10 {
			t.Fatalf("fan-out took %v, limits allow %v", elapsed, minimum)
		}
		t.Logf("1,000 digests in %v (fake time); the limits allow %v", elapsed, minimum)
	})
}

// TestStopMidFanOut stops the bot in the middle of a fan-out, without any
// cleanup, and starts it again on the same database: every digest is
// delivered exactly once, none lost, none repeated.
func TestStopMidFanOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "crash.db")
		e := newEnv(t, path)
		now := time.Now()
		slot := now.Truncate(time.Minute)
		var due []digest.Due
		for i := range 300 {
			p, ch := slackP, fmt.Sprintf("C%03d", i)
			if i%2 == 1 {
				p, ch = discordP, fmt.Sprintf("D%03d", i)
			}
			sub := e.subscribe(t, p, ch, "* * * * *", now.Add(-time.Minute))
			due = append(due, digest.Due{Sub: sub, Slot: slot})
			if i%10 == 0 { // some sends time out after posting, as a crash mid-request would
				e.slack.lost["slack/"+ch] = 1
				e.disc.lost["discord/"+ch] = 1
			}
		}
		ctx, stop := context.WithCancel(context.Background())
		go func() {
			time.Sleep(2 * time.Second) // mid-way: Discord alone needs ~3.75 s
			stop()
		}()
		e.d.DeliverAll(ctx, due)
		first := e.slack.count() + e.disc.count()
		if first == 0 || first == 300 {
			t.Fatalf("the stop did not land mid-fan-out: %d posted", first)
		}
		// A new process on the same database and platforms.
		e.store.Close()
		e2 := newEnv(t, path)
		e2.d.Senders = map[briefbot.Platform]digest.Sender{slackP: e.slack, discordP: e.disc}
		time.Sleep(30 * time.Second) // the restart takes a while; still within the grace window
		if err := e2.d.Recover(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := e.slack.count() + e.disc.count(); n != 300 {
			t.Fatalf("%d of 300 digests posted after the restart (%d before it)", n, first)
		}
		for _, x := range due {
			ds := status(t, e2.store, x.Sub)
			if len(ds) != 1 || ds[0].Status != digest.Sent {
				t.Fatalf("%s: %+v", x.Sub.Channel, ds)
			}
		}
		if e.slack.dups+e.disc.dups != 0 {
			t.Fatalf("%d attempts to post a digest twice", e.slack.dups+e.disc.dups)
		}
		t.Logf("%d posted before the stop, %d after the restart, none twice", first, 300-first)
	})
}
