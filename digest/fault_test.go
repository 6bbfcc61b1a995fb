package digest_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
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

// flaky plays a platform that fails a quarter of posts with 429 and a
// quarter with 500, a third of those 500s after the message was posted
// (an unknown outcome), takes 50 ms per post, and may or may not have
// posted when the process dies mid-request. Its decisions hash (channel,
// slot, try), so a run is the same every time.
type flaky struct {
	mu     sync.Mutex
	posts  map[string]int // channel|slot → times posted: must never exceed 1
	tries  map[string]int
	status map[string]int // what the posts were answered with, by kind
}

func newFlaky() *flaky {
	return &flaky{posts: map[string]int{}, tries: map[string]int{}, status: map[string]int{}}
}

func roll(parts ...any) int {
	h := fnv.New32a()
	fmt.Fprint(h, parts...)
	return int(h.Sum32() % 100)
}

func (f *flaky) Send(ctx context.Context, sub digest.Subscription, slot time.Time, a briefings.Answer) (string, error) {
	k := key(sub, slot)
	f.mu.Lock()
	f.tries[k]++
	r := roll(k, f.tries[k])
	f.mu.Unlock()
	post := func() string {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.posts[k]++
		return fmt.Sprintf("m-%s", k)
	}
	select {
	case <-time.After(50 * time.Millisecond):
	case <-ctx.Done(): // killed mid-request: half the time the post landed
		if r%2 == 0 {
			post()
		}
		return "", ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r < 25:
		f.status["429"]++
		return "", &digest.RetryAfterError{After: time.Second}
	case r < 42:
		f.status["500"]++
		return "", errors.New("HTTP 500")
	case r < 50:
		f.status["500 after posting"]++
		f.posts[k]++
		return "", errors.New("HTTP 500")
	}
	f.status["200"]++
	f.posts[k]++
	return "m-" + k, nil
}

func (f *flaky) Find(ctx context.Context, sub digest.Subscription, slot time.Time) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.posts[key(sub, slot)] > 0 {
		return "m-" + key(sub, slot), nil
	}
	return "", nil
}

// TestExactlyOnceUnderFaultsAndRestarts runs the scheduler on a 2-second
// schedule against platforms failing half their posts, and kills it ten
// times (the process's context cut mid-flight, the database closed without
// any cleanup, a new process on the same file): every slot that fell while
// a process was up is delivered, none is delivered twice.
func TestExactlyOnceUnderFaultsAndRestarts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "faults.db")
		slack, disc := newFlaky(), newFlaky()
		br, err := briefings.LoadEmbedded()
		if err != nil {
			t.Fatal(err)
		}
		const spec = "*/2 * * * * *" // every 2 seconds
		var subs []digest.Subscription
		type span struct{ from, to time.Time }
		var up []span
		for run := range 11 {
			st, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if run == 0 {
				now := time.Now()
				sched, _ := digest.ParseSchedule(spec, time.UTC)
				for i := range 4 {
					p, ch := slackP, fmt.Sprintf("C%d", i)
					if i%2 == 1 {
						p, ch = discordP, fmt.Sprintf("D%d", i)
					}
					sub, err := st.Subscribe(context.Background(), digest.Subscription{Platform: p, Channel: ch, Schedule: spec, CreatedAt: now, Next: sched.Next(now)})
					if err != nil {
						t.Fatal(err)
					}
					subs = append(subs, sub)
				}
			}
			d := &digest.Deliverer{Store: st, Senders: map[briefbot.Platform]digest.Sender{slackP: slack, discordP: disc},
				Briefing: func() *briefings.Briefing { return br }, Clock: digest.RealClock{}, Limits: digest.DefaultLimits(),
				Grace: time.Hour, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			d.Limits.Backoff, d.Limits.MaxBackoff = 200*time.Millisecond, 2*time.Second
			ctx, kill := context.WithCancel(context.Background())
			r := &digest.Runner{D: d}
			done := make(chan error, 1)
			start := time.Now()
			go func() { done <- r.Run(ctx) }()
			life := time.Duration(3000+roll("life", run)*100) * time.Millisecond // 3 to 13 s
			if run == 10 {
				life = 2 * time.Minute // the last process runs until everything settled
			}
			time.Sleep(life)
			stop := time.Now()
			kill()
			<-done
			st.Close()
			up = append(up, span{start, stop})
			time.Sleep(time.Duration(roll("down", run)*30) * time.Millisecond) // down 0 to 3 s
		}
		// Every slot that fell while a process was up (and not in the last
		// run's final minute, which it may still be retrying) was posted;
		// nothing was posted twice.
		sched, _ := digest.ParseSchedule(spec, time.UTC)
		lost, checked := 0, 0
		for _, s := range up[:len(up)-1] {
			for slot := sched.Next(s.from); slot.Before(s.to); slot = sched.Next(slot) {
				for _, sub := range subs {
					f := slack
					if sub.Platform == discordP {
						f = disc
					}
					checked++
					if f.posts[key(sub, slot)] == 0 {
						lost++
						t.Errorf("lost: %s at %s", sub.Channel, slot.Format("15:04:05"))
					}
				}
			}
		}
		twice := 0
		for _, f := range []*flaky{slack, disc} {
			for k, n := range f.posts {
				if n > 1 {
					twice++
					t.Errorf("posted %d times: %s", n, k)
				}
			}
		}
		t.Logf("%d slots checked across 10 kills: %d lost, %d posted twice; slack answered %v, discord %v", checked, lost, twice, slack.status, disc.status)
	})
}
