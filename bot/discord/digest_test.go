package discord

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
)

func TestDigestSender(t *testing.T) {
	f := newFakeDiscord(t)
	a := newGatewayAdapter(t, f, "")
	ctx := context.Background()
	slot := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	ans := newBot(t).Briefing().DigestFor(slot, nil, true)
	sub := digest.Subscription{ID: 3, Platform: Name, Channel: "1200"}

	id, err := a.Send(ctx, sub, slot, ans)
	if err != nil || id == "" {
		t.Fatalf("send: %q %v", id, err)
	}
	// The same slot again, as after a lost answer: the nonce returns the
	// same message instead of a second one.
	id2, err := a.Send(ctx, sub, slot, ans)
	if err != nil || id2 != id || len(f.messages["1200"]) != 1 {
		t.Fatalf("resend: %q vs %q, %d messages, %v", id2, id, len(f.messages["1200"]), err)
	}
	m := f.messages["1200"][0]
	if m["nonce"] != "bb3-1795334400" {
		t.Fatalf("nonce %v", m["nonce"])
	}
	if found, err := a.Find(ctx, sub, slot); err != nil || found != id {
		t.Fatalf("find: %q %v", found, err)
	}
	if found, _ := a.Find(ctx, sub, slot.Add(24*time.Hour)); found != "" {
		t.Fatalf("found another slot: %q", found)
	}
	// Markers are precise to the second: a slot two seconds later is
	// another digest, not the one already posted.
	if found, _ := a.Find(ctx, sub, slot.Add(2*time.Second)); found != "" {
		t.Fatalf("the slot two seconds later matched: %q", found)
	}
	next := slot.Add(2 * time.Second)
	id3, err := a.Send(ctx, sub, next, ans)
	if err != nil || id3 == id {
		t.Fatalf("send the next slot: %q %v", id3, err)
	}
	if found, _ := a.Find(ctx, sub, next); found != id3 {
		t.Fatalf("find the next slot: %q, want %q", found, id3)
	}
	for code, want := range map[int]string{10003: "Unknown Channel", 50001: "Missing Access", 50013: "Missing Permissions", 0: "401 Unauthorized"} {
		status := 403
		if code == 0 { // a revoked token: Discord answers 401 with code 0
			status = 401
		}
		f.mu.Lock()
		f.channelError["1300"] = [2]int{status, code}
		f.mu.Unlock()
		_, err := a.Send(ctx, digest.Subscription{ID: 4, Platform: Name, Channel: "1300"}, slot, ans)
		var perm *digest.PermanentError
		if !errors.As(err, &perm) || !strings.Contains(perm.Reason, want) {
			t.Errorf("%d: %v", code, err)
		}
	}
	f.mu.Lock()
	f.rateLimited = 1
	f.mu.Unlock()
	_, err = a.Send(ctx, digest.Subscription{ID: 5, Platform: Name, Channel: "1400"}, slot, ans)
	var ra *digest.RetryAfterError
	if !errors.As(err, &ra) || ra.After != 500*time.Millisecond {
		t.Fatalf("429: %v", err)
	}
}
