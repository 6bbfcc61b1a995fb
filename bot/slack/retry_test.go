package slack

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slackevents"
)

// Web API calls go through the shared retry loop: a 429's Retry-After is
// waited out, a 5xx is retried once, and nothing waits after the last try.
func TestRetryBounds(t *testing.T) {
	cases := []struct {
		name        string
		rateLimited int
		serverError int
		wantErr     bool
		wantWaits   []time.Duration
	}{
		{"ok", 0, 0, false, nil},
		{"one 429", 1, 0, false, []time.Duration{time.Second}},
		{"429 forever: three tries, two waits", 9, 0, true, []time.Duration{time.Second, time.Second}},
		{"one 500", 0, 1, false, []time.Duration{500 * time.Millisecond}},
		{"500 twice: retried once only", 0, 2, true, []time.Duration{500 * time.Millisecond}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			var waits []time.Duration
			e := newTestEnv(t, func(cfg *Config) {
				cfg.Sleep = func(_ context.Context, d time.Duration) error {
					mu.Lock()
					waits = append(waits, d)
					mu.Unlock()
					return nil
				}
			})
			e.fake.mu.Lock()
			e.fake.rateLimited, e.fake.serverError = c.rateLimited, c.serverError
			e.fake.mu.Unlock()
			err := e.a.mention(context.Background(), &slackevents.AppMentionEvent{Channel: "C1", User: "U1", Text: "<@U0BOT> matrix", TimeStamp: "1.1"})
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if len(waits) != len(c.wantWaits) {
				t.Fatalf("waits %v, want %v", waits, c.wantWaits)
			}
			for i := range waits {
				if waits[i] != c.wantWaits[i] {
					t.Fatalf("waits %v, want %v", waits, c.wantWaits)
				}
			}
		})
	}
}
