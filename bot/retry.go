package bot

import (
	"context"
	"time"

	"github.com/briefbot/briefbot/digest"
)

// Verdict is what a Retry classifier says of a failed call.
type Verdict struct {
	// Retry the call after Wait (a 429's Retry-After, a backoff).
	Retry bool
	Wait  time.Duration
	// RateLimited marks a wait the platform imposed (counted apart).
	RateLimited bool
}

// Retry runs platform API calls with bounded retries. It is the one retry
// loop both platforms use: it never sleeps after the last try, waits
// exactly what the classifier says (clamped to MaxWait), and gives up when
// ctx is done.
type Retry struct {
	// Tries bounds the calls (default 3).
	Tries int
	// MaxWait caps a single wait (default 30 s), so the total is bounded
	// by Tries × MaxWait.
	MaxWait time.Duration
	// Sleep waits, or returns ctx's error (default: the real clock's).
	Sleep func(ctx context.Context, d time.Duration) error
	// Classify says whether a failure is worth another try.
	Classify func(err error, try int) Verdict
	// OnWait, when set, hears of each wait before it starts.
	OnWait func(v Verdict, err error)
	// OnGiveUp, when set, hears of the error returned.
	OnGiveUp func(err error)
}

// Do runs call until it succeeds, the classifier says stop, the tries run
// out or ctx is done; it returns the last error.
func (r Retry) Do(ctx context.Context, call func() error) error {
	tries := r.Tries
	if tries <= 0 {
		tries = 3
	}
	maxWait := r.MaxWait
	if maxWait <= 0 {
		maxWait = 30 * time.Second
	}
	sleep := r.Sleep
	if sleep == nil {
		sleep = digest.RealClock{}.Sleep
	}
	var err error
	for try := 1; ; try++ {
		if err = call(); err == nil {
			return nil
		}
		v := Verdict{}
		if r.Classify != nil {
			v = r.Classify(err, try)
		}
		if !v.Retry || try >= tries {
			break
		}
		v.Wait = min(max(v.Wait, 0), maxWait)
		if r.OnWait != nil {
			r.OnWait(v, err)
		}
		if sleep(ctx, v.Wait) != nil {
			break
		}
	}
	if r.OnGiveUp != nil {
		r.OnGiveUp(err)
	}
	return err
}
