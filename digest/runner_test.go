package digest_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// panicky panics on its first send: the runner must recover and keep going.
type panicky struct {
	*fakeSender
	once sync.Once
}

func (p *panicky) Send(ctx context.Context, sub digest.Subscription, slot time.Time, a briefings.Answer) (string, error) {
	p.once.Do(func() { panic("boom") })
	return p.fakeSender.Send(ctx, sub, slot, a)
}

func TestRunnerFiresOnScheduleAndRecovers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		e := newEnv(t, ":memory:")
		p := &panicky{fakeSender: e.slack}
		e.d.Senders[slackP] = p
		now := time.Now()
		a := e.subscribe(t, slackP, "C1", "*/10 * * * *", now)
		b := e.subscribe(t, discordP, "D1", "0 * * * *", now)
		r := &digest.Runner{D: e.d}
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()

		time.Sleep(3*time.Hour + time.Second)
		synctest.Wait()
		// A third subscription added while running, then synced.
		c := e.subscribe(t, discordP, "D2", "30 * * * *", time.Now())
		if err := r.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		// C1: every 10 minutes for 4 hours = 24 slots; the one whose send
		// panicked (recovered) is taken over once its lease expired.
		sent := func(s digest.Subscription) (n, pending int) {
			for _, d := range status(t, e.store, s) {
				switch d.Status {
				case digest.Sent:
					n++
				case digest.Pending:
					pending++
				}
			}
			return
		}
		if n, pend := sent(a); n != 24 || pend != 0 {
			t.Errorf("C1: %d sent, %d pending", n, pend)
		}
		if n, _ := sent(b); n != 4 {
			t.Errorf("D1: %d sent", n)
		}
		if n, _ := sent(c); n != 1 {
			t.Errorf("D2: %d sent", n)
		}
	})
}
