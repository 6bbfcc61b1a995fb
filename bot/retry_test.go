package bot

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRetry(t *testing.T) {
	errRL := errors.New("rate limited")
	errFatal := errors.New("fatal")
	cases := []struct {
		name      string
		fails     []error // what each call returns; nil after the list
		wantCalls int
		wantWaits []time.Duration
		wantErr   error
	}{
		{"first try", nil, 1, nil, nil},
		{"retried then ok", []error{errRL}, 2, []time.Duration{2 * time.Second}, nil},
		{"gives up after the last try without waiting", []error{errRL, errRL, errRL, errRL}, 3, []time.Duration{2 * time.Second, 2 * time.Second}, errRL},
		{"not retryable", []error{errFatal}, 1, nil, errFatal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls, gaveUp := 0, 0
			var waits []time.Duration
			err := Retry{
				Tries: 3,
				Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
				Classify: func(err error, _ int) Verdict {
					return Verdict{Retry: errors.Is(err, errRL), Wait: 2 * time.Second, RateLimited: true}
				},
				OnGiveUp: func(error) { gaveUp++ },
			}.Do(context.Background(), func() error {
				calls++
				if calls <= len(c.fails) {
					return c.fails[calls-1]
				}
				return nil
			})
			if !errors.Is(err, c.wantErr) || calls != c.wantCalls || len(waits) != len(c.wantWaits) {
				t.Fatalf("err %v calls %d waits %v", err, calls, waits)
			}
			if (c.wantErr != nil) != (gaveUp == 1) {
				t.Fatalf("gave up %d times", gaveUp)
			}
		})
	}
	// A wait is capped, and a cancelled context stops the loop.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := Retry{MaxWait: time.Millisecond, Classify: func(error, int) Verdict { return Verdict{Retry: true, Wait: time.Hour} }}.
		Do(ctx, func() error { calls++; return errRL })
	if !errors.Is(err, errRL) || calls != 1 {
		t.Fatalf("cancelled: %v after %d calls", err, calls)
	}
}
