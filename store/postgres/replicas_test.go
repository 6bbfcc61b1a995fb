package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// platform plays Slack or Discord for the replicas: a quarter of posts
// answered 429, a quarter 500 (a third of those after posting: an unknown
// outcome), 20 ms per post, and a post cut by a kill lands half the time.
// It counts posts per (channel, slot) and which replica sent each.
type platform struct {
	mu     sync.Mutex
	posts  map[string]int
	tries  map[string]int
	status map[string]int
	by     map[string]int // replica → posts
}

func newPlatform() *platform {
	return &platform{posts: map[string]int{}, tries: map[string]int{}, status: map[string]int{}, by: map[string]int{}}
}

func slotKey(sub digest.Subscription, slot time.Time) string {
	return fmt.Sprintf("%s/%s|%s", sub.Platform, sub.Channel, slot.UTC().Format(time.RFC3339))
}

func roll(parts ...any) int {
	h := fnv.New32a()
	fmt.Fprint(h, parts...)
	return int(h.Sum32() % 100)
}

// replicaSender is one replica's client of the platform.
type replicaSender struct {
	p       *platform
	replica string
}

func (s replicaSender) Send(ctx context.Context, sub digest.Subscription, slot time.Time, a briefings.Answer) (string, error) {
	k := slotKey(sub, slot)
	p := s.p
	p.mu.Lock()
	p.tries[k]++
	r := roll(k, p.tries[k])
	p.mu.Unlock()
	post := func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.posts[k]++
		p.by[s.replica]++
	}
	select {
	case <-time.After(20 * time.Millisecond):
	case <-ctx.Done():
		if r%2 == 0 {
			post()
		}
		return "", ctx.Err()
	}
	switch {
	case r < 25:
		p.mu.Lock()
		p.status["429"]++
		p.mu.Unlock()
		return "", &digest.RetryAfterError{After: 200 * time.Millisecond}
	case r < 42:
		p.mu.Lock()
		p.status["500"]++
		p.mu.Unlock()
		return "", errors.New("HTTP 500")
	case r < 50:
		post()
		p.mu.Lock()
		p.status["500 after posting"]++
		p.mu.Unlock()
		return "", errors.New("HTTP 500")
	}
	post()
	p.mu.Lock()
	p.status["200"]++
	p.mu.Unlock()
	return "m-" + k, nil
}

func (s replicaSender) Find(ctx context.Context, sub digest.Subscription, slot time.Time) (string, error) {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	if s.p.posts[slotKey(sub, slot)] > 0 {
		return "m-" + slotKey(sub, slot), nil
	}
	return "", nil
}

// TestThreeReplicasKilledAtRandom runs three replicas on one PostgreSQL
// database, delivering a 4-second schedule to twelve channels against
// platforms failing half their posts, and kills a random replica every 1
// to 3 seconds (its context cut mid-request, its connections closed), then
// starts it again as a new process. Every slot is delivered, none twice.
func TestThreeReplicasKilledAtRandom(t *testing.T) {
	c := needCluster(t)
	if testing.Short() {
		t.Skip("runs for about 30 s of real time: skipped with -short")
	}
	url := c.NewDB(t)
	ctx := context.Background()
	setup := mustOpen(t, url)
	const spec = "*/4 * * * * *" // every 4 s: each channel takes one post a second, retries included
	sched, _ := digest.ParseSchedule(spec, time.UTC)
	begin := time.Now()
	var subs []digest.Subscription
	for i := range 12 {
		p, ch := briefbot.Platform("slack"), fmt.Sprintf("C%d", i)
		if i%2 == 1 {
			p, ch = "discord", fmt.Sprintf("D%d", i)
		}
		sub, err := setup.Subscribe(ctx, digest.Subscription{Platform: p, Channel: ch, Schedule: spec, CreatedAt: begin, Next: sched.Next(begin)})
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	br, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	slack, disc := newPlatform(), newPlatform()
	type replica struct {
		kill func()
		done chan struct{}
	}
	gen := 0
	start := func(name string) replica {
		gen++
		owner := fmt.Sprintf("%s-%d", name, gen)
		st, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		d := &digest.Deliverer{Store: st, Owner: owner, Lease: 2 * time.Second,
			Senders:  map[briefbot.Platform]digest.Sender{"slack": replicaSender{slack, owner}, "discord": replicaSender{disc, owner}},
			Briefing: func() *briefings.Briefing { return br }, Clock: digest.RealClock{}, Limits: digest.DefaultLimits(),
			Grace: time.Hour, Log: slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelInfo})).With("replica", owner)}
		d.Limits.Backoff, d.Limits.MaxBackoff = 50*time.Millisecond, 500*time.Millisecond
		rctx, cancel := context.WithCancel(ctx)
		r := &digest.Runner{D: d, Tick: 100 * time.Millisecond}
		done := make(chan struct{})
		go func() {
			r.Run(rctx)
			st.Close()
			close(done)
		}()
		return replica{kill: cancel, done: done}
	}
	names := []string{"a", "b", "c"}
	reps := map[string]replica{}
	for _, n := range names {
		reps[n] = start(n)
	}
	rng := rand.New(rand.NewPCG(13, 13))
	kills := 0
	for time.Since(begin) < 20*time.Second {
		time.Sleep(time.Duration(1000+rng.IntN(2000)) * time.Millisecond)
		n := names[rng.IntN(3)]
		reps[n].kill()
		<-reps[n].done
		kills++
		time.Sleep(time.Duration(200+rng.IntN(800)) * time.Millisecond)
		reps[n] = start(n)
	}
	stopKilling := time.Now()
	time.Sleep(10 * time.Second) // let the last retries and takeovers settle
	for _, n := range names {
		reps[n].kill()
		<-reps[n].done
	}
	checked, lost, twice := 0, 0, 0
	for slot := sched.Next(begin); slot.Before(stopKilling); slot = sched.Next(slot) {
		for _, sub := range subs {
			p := slack
			if sub.Platform == "discord" {
				p = disc
			}
			checked++
			switch n := p.posts[slotKey(sub, slot)]; {
			case n == 0:
				lost++
				ds, _ := setup.Deliveries(ctx, sub.ID, 100)
				row := "no ledger row"
				for _, d := range ds {
					if d.Slot.Equal(slot) {
						row = fmt.Sprintf("%+v", d)
					}
				}
				t.Errorf("lost: %s: %s", slotKey(sub, slot), row)
			case n > 1:
				twice++
				t.Errorf("posted %d times: %s", n, slotKey(sub, slot))
			}
		}
	}
	t.Logf("3 replicas, %d kills: %d slots checked, %d lost, %d posted twice; slack answered %v; posts by replica %v %v",
		kills, checked, lost, twice, slack.status, slack.by, disc.by)
}

func init() {
	if os.Getenv("BRIEFBOT_TEST_LOG") != "" {
		logw = os.Stderr
	}
}
