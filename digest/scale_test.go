package digest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/sqlite"
)

// populate subscribes n channels, half Slack and half Discord, each daily
// at a time of day spread over the day.
func populate(tb testing.TB, st digest.Store, n int, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	for i := range n {
		p, ch := slackP, fmt.Sprintf("C%07d", i)
		if i%2 == 1 {
			p, ch = discordP, fmt.Sprintf("D%07d", i)
		}
		spec := fmt.Sprintf("CRON_TZ=Europe/Kyiv %d %d * * *", i%60, (i/60)%24)
		sched, _ := digest.ParseSchedule(spec, time.UTC)
		if _, err := st.Subscribe(ctx, digest.Subscription{Platform: p, Channel: ch, Schedule: spec, CreatedAt: now, Next: sched.Next(now)}); err != nil {
			tb.Fatal(err)
		}
	}
}

// scaleDB is a database with 100,000 subscriptions, built once per test
// binary run (about 10 s) and copied for each benchmark.
func scaleDB(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(os.TempDir(), "briefbot-scale-100k-v2")
	path := filepath.Join(dir, "100k.db")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	os.MkdirAll(dir, 0o755)
	tmp := path + ".tmp"
	os.Remove(tmp)
	st, err := sqlite.Open(context.Background(), tmp)
	if err != nil {
		tb.Fatal(err)
	}
	populate(tb, st, 100_000, time.Now())
	st.Close()
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}

func copyDB(tb testing.TB, from string) string {
	tb.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		tb.Fatal(err)
	}
	to := filepath.Join(tb.TempDir(), "b.db")
	if err := os.WriteFile(to, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return to
}

// BenchmarkSubscribeAt100k is `/guarantees subscribe` (the service: the
// schedule, one row written, the scheduler woken) with 100,000
// subscriptions in the database. The bound is 50 ms.
//
//	go test ./digest -run '^$' -bench SubscribeAt100k -benchtime 2000x
func BenchmarkSubscribeAt100k(b *testing.B) {
	st, err := sqlite.Open(context.Background(), copyDB(b, scaleDB(b)))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	d := &digest.Deliverer{Store: st, Clock: digest.RealClock{}, Limits: digest.DefaultLimits()}
	r := &digest.Runner{D: d}
	svc := &digest.Service{Store: st, Clock: digest.RealClock{}, Defaults: digest.DefaultDefaults(),
		Changed: func(ctx context.Context) { r.Sync(ctx) }}
	ctx := context.Background()
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := svc.Subscribe(ctx, slackP, fmt.Sprintf("NEW%07d", i), "U1", digest.ScheduleRequest{Frequency: "weekdays", Time: "07:30", Zone: "Europe/Kyiv"}); err != nil {
			b.Fatal(err)
		}
		if i%2 == 1 {
			if _, err := svc.Unsubscribe(ctx, slackP, fmt.Sprintf("NEW%07d", i-1)); err != nil {
				b.Fatal(err)
			}
		}
		took = append(took, time.Since(start))
		i++
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

func rssMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return -1
}

// BenchmarkIdleMemoryAt100k runs the scheduler over 100,000 subscriptions
// (none due) for a few passes and reports the process's resident memory
// and Go heap. The bound is 150 MB for the idle process.
//
//	go test ./digest -run '^$' -bench IdleMemoryAt100k -benchtime 1x
func BenchmarkIdleMemoryAt100k(b *testing.B) {
	path := copyDB(b, scaleDB(b))
	for b.Loop() {
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		br, _ := briefings.LoadEmbedded()
		d := &digest.Deliverer{Store: st, Senders: map[briefbot.Platform]digest.Sender{slackP: newFakeSender(), discordP: newFakeSender()},
			Briefing: func() *briefings.Briefing { return br }, Clock: digest.RealClock{}, Limits: digest.DefaultLimits(),
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		r := &digest.Runner{D: d, Tick: 100 * time.Millisecond}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		r.Run(ctx)
		cancel()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(rssMB(), "rss-MB")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		b.ReportMetric(float64(runtime.NumGoroutine()), "goroutines")
		st.Close()
	}
}

// TestFanOut10k is 10,000 channels due at the same second, through the
// scheduler (not a list handed to DeliverAll), against the fakes: each
// digest goes out once, never more than 16 deliveries in flight, and the
// whole run takes within 10% of the minimum Discord's limit allows (5,000
// posts at one per 25 ms; Slack's limit is per channel).
func TestFanOut10k(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 deliveries: skipped with -short")
	}
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, filepath.Join(t.TempDir(), "fan.db"))
		now := time.Now()
		slot := now.Truncate(24 * time.Hour).Add(time.Minute) // 00:01, daily
		if !slot.After(now) {
			slot = slot.Add(24 * time.Hour)
		}
		ctx := context.Background()
		const n = 10_000
		for i := range n {
			p, ch := slackP, fmt.Sprintf("C%05d", i)
			if i%2 == 1 {
				p, ch = discordP, fmt.Sprintf("D%05d", i)
			}
			if _, err := e.store.Subscribe(ctx, digest.Subscription{Platform: p, Channel: ch, Schedule: "1 0 * * *", CreatedAt: now, Next: slot}); err != nil {
				t.Fatal(err)
			}
		}
		inflight := &gauge{mu: make(chan struct{}, 1)}
		e.d.Senders = map[briefbot.Platform]digest.Sender{slackP: inflight.wrap(e.slack), discordP: inflight.wrap(e.disc)}
		rctx, cancel := context.WithCancel(ctx)
		r := &digest.Runner{D: e.d}
		done := make(chan error, 1)
		go func() { done <- r.Run(rctx) }()
		time.Sleep(time.Until(slot))
		for e.slack.count()+e.disc.count() < n && time.Since(slot) < 10*time.Minute {
			time.Sleep(10 * time.Millisecond)
		}
		elapsed := time.Since(slot)
		cancel()
		<-done
		if e.slack.count() != n/2 || e.disc.count() != n/2 || e.slack.dups+e.disc.dups != 0 {
			counts := map[digest.Status]int{}
			all, _ := e.store.Subscriptions(ctx)
			for _, s := range all {
				ds, _ := e.store.Deliveries(ctx, s.ID, 5)
				for _, d := range ds {
					counts[d.Status]++
				}
				if len(ds) == 0 {
					counts["none"]++
				}
			}
			t.Logf("ledger: %v; ready: %v; first %+v", counts, r.Ready(ctx), all[0])
			t.Fatalf("posts: slack %d, discord %d, twice %d", e.slack.count(), e.disc.count(), e.slack.dups+e.disc.dups)
		}
		if inflight.peak > digest.DefaultLimits().Concurrency {
			t.Fatalf("%d deliveries in flight, cap %d", inflight.peak, digest.DefaultLimits().Concurrency)
		}
		minimum := time.Duration(n/2-1) * 25 * time.Millisecond
		t.Logf("10,000 digests in %v (fake time; the limits allow %v), at most %d in flight", elapsed, minimum, inflight.peak)
		if elapsed > minimum*11/10 {
			t.Fatalf("fan-out took %v, limits allow %v", elapsed, minimum)
		}
	})
}

// gauge counts sends in flight.
type gauge struct {
	mu        chan struct{}
	cur, peak int
}

func (g *gauge) wrap(s digest.Sender) digest.Sender { return &gauged{s, g} }

type gauged struct {
	digest.Sender
	g *gauge
}

func (s *gauged) Send(ctx context.Context, sub digest.Subscription, slot time.Time, a briefings.Answer) (string, error) {
	s.g.add(1)
	defer s.g.add(-1)
	time.Sleep(5 * time.Millisecond) // a platform's answer takes a while
	return s.Sender.Send(ctx, sub, slot, a)
}

func (g *gauge) add(n int) {
	if g.mu == nil {
		panic(errors.New("gauge not made"))
	}
	g.mu <- struct{}{}
	g.cur += n
	g.peak = max(g.peak, g.cur)
	<-g.mu
}
