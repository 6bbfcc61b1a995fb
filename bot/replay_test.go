package bot_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
)

func TestMemorySeen(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	s := bot.NewMemorySeen(3, func() time.Time { return now })
	first := func(key string, ttl time.Duration) (bool, error) { return s.First(ctx, key, now.Add(ttl)) }

	steps := []struct {
		advance time.Duration
		key     string
		ttl     time.Duration
		want    bool
		err     error
	}{
		{0, "a", 5 * time.Minute, true, nil},
		{0, "a", 5 * time.Minute, false, nil},               // a replay
		{4 * time.Minute, "a", 5 * time.Minute, false, nil}, // still within its window
		{0, "b", 10 * time.Minute, true, nil},
		{0, "c", 10 * time.Minute, true, nil},
		{0, "d", 10 * time.Minute, false, bot.ErrSeenFull}, // full of valid keys: refuse, forget none
		{0, "b", 10 * time.Minute, false, nil},
		{2 * time.Minute, "d", 10 * time.Minute, true, nil}, // a expired and is swept
		{0, "a", 5 * time.Minute, false, bot.ErrSeenFull},   // b, c, d still valid: full again
		{9 * time.Minute, "a", 5 * time.Minute, true, nil},  // all expired: a is new again
	}
	for i, st := range steps {
		now = now.Add(st.advance)
		got, err := first(st.key, st.ttl)
		if got != st.want || !errors.Is(err, st.err) {
			t.Fatalf("step %d (%s): got %v %v, want %v %v", i, st.key, got, err, st.want, st.err)
		}
	}
	if s.Len() > 3 {
		t.Fatalf("holds %d keys, bound 3", s.Len())
	}
}

func TestMemorySeenBoundedUnderFlood(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1700000000, 0)
	s := bot.NewMemorySeen(1000, func() time.Time { return now })
	refused := 0
	for i := range 100_000 {
		if i%100 == 0 {
			now = now.Add(time.Second) // 100 requests a second, each valid for 5 minutes
		}
		if _, err := s.First(ctx, fmt.Sprint(i), now.Add(5*time.Minute)); err != nil {
			refused++
		}
		if s.Len() > 1000 {
			t.Fatalf("grew to %d keys", s.Len())
		}
	}
	// 30,000 keys are valid at once, the bound is 1,000: most are refused
	// (503), never forgotten while valid.
	if refused == 0 {
		t.Fatal("a full set accepted keys: it must have forgotten valid ones")
	}
}
