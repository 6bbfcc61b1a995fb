package digest_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// fullDisk is a real SQLite store whose writes fail, while full is set,
// with the error SQLite gives on a full disk (store/sqlite's TestFullDisk
// produces the real one).
type fullDisk struct {
	digest.Store
	full atomic.Bool
}

var errFull = errors.New("sqlite: database or disk is full (13)")

func (f *fullDisk) fail() error {
	if f.full.Load() {
		return errFull
	}
	return nil
}

func (f *fullDisk) Claim(ctx context.Context, id int64, slot time.Time, c digest.Claim) (bool, digest.Delivery, error) {
	if err := f.fail(); err != nil {
		return false, digest.Delivery{}, err
	}
	return f.Store.Claim(ctx, id, slot, c)
}
func (f *fullDisk) Record(ctx context.Context, d digest.Delivery) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.Record(ctx, d)
}
func (f *fullDisk) Advance(ctx context.Context, id int64, from, next time.Time) (bool, error) {
	if err := f.fail(); err != nil {
		return false, err
	}
	return f.Store.Advance(ctx, id, from, next)
}
func (f *fullDisk) Lead(ctx context.Context, c digest.Claim) (bool, time.Time, error) {
	if err := f.fail(); err != nil {
		return false, time.Time{}, err
	}
	return f.Store.Lead(ctx, c)
}

// fillsDisk posts, and the disk fills up right after the post of one slot.
type fillsDisk struct {
	*fakeSender
	at   time.Time
	disk *fullDisk
}

func (s *fillsDisk) Send(ctx context.Context, sub digest.Subscription, slot time.Time, a briefings.Answer) (string, error) {
	id, err := s.fakeSender.Send(ctx, sub, slot, a)
	if slot.Equal(s.at) {
		s.disk.full.Store(true)
	}
	return id, err
}

// A full disk while the bot runs: the digest already sent is recorded once
// writes work again (not sent twice), the slots that fell meanwhile are
// retried and delivered, and Ready reports the reason all along.
func TestFullDiskIsRetriedAndReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t, filepath.Join(t.TempDir(), "b.db"))
		disk := &fullDisk{Store: e.store}
		e.d.Store = disk
		now := time.Now()
		sched, _ := digest.ParseSchedule("*/10 * * * * *", time.UTC)
		sub, _ := disk.Subscribe(context.Background(), digest.Subscription{Platform: slackP, Channel: "C1", Schedule: "*/10 * * * * *", CreatedAt: now, Next: sched.Next(now)})
		first := sched.Next(now)
		snd := &fillsDisk{fakeSender: e.slack, at: first.Add(10 * time.Second), disk: disk}
		e.d.Senders = map[briefbot.Platform]digest.Sender{slackP: snd}
		ctx, cancel := context.WithCancel(context.Background())
		r := &digest.Runner{D: e.d}
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()

		time.Sleep(time.Until(first.Add(35 * time.Second))) // the disk filled at +10 s
		err := r.Ready(ctx)
		if err == nil || !strings.Contains(err.Error(), "disk is full") {
			t.Fatalf("ready while the disk is full: %v", err)
		}
		if n := e.slack.count(); n != 2 {
			t.Fatalf("%d posted while full, want the 2 before it filled", n)
		}
		disk.full.Store(false)
		time.Sleep(time.Minute)
		synctest.Wait()
		if err := r.Ready(ctx); err != nil {
			t.Fatalf("ready after room came back: %v", err)
		}
		cancel()
		<-done
		ds := status(t, e.store, sub)
		var got []string
		for _, d := range ds {
			if d.Status != digest.Sent {
				t.Errorf("%s: %s %s", d.Slot.Format("15:04:05"), d.Status, d.Error)
			}
			got = append(got, d.Slot.Format("05"))
		}
		if e.slack.dups != 0 {
			t.Fatalf("%d posted twice", e.slack.dups)
		}
		// Every 10 s from the first slot for 95 s: 10 slots, each once.
		if len(ds) != 10 || e.slack.count() != 10 {
			t.Fatalf("%d rows, %d posts: %v", len(ds), e.slack.count(), got)
		}
	})
}
