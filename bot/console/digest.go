package console

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/plain"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// Sender prints the digests of console subscriptions to the console.
type Sender struct {
	mu  sync.Mutex
	out io.Writer
}

// NewSender returns a sender writing to out.
func NewSender(out io.Writer) *Sender { return &Sender{out: out} }

// Send implements digest.Sender.
func (s *Sender) Send(ctx context.Context, sub digest.Subscription, slot time.Time, a briefings.Answer) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := fmt.Fprintf(s.out, "\n--- digest for %s, %s ---\n%s\n", sub.Channel, slot.UTC().Format(time.RFC3339), plain.Render(a, bot.SlashCommand)); err != nil {
		return "", fmt.Errorf("console: writing digest: %w", err)
	}
	return fmt.Sprintf("console-%d-%d", sub.ID, slot.Unix()), nil
}

// Find implements digest.Sender. The console keeps no history, so an
// unknown outcome is never repeated only thanks to the ledger's claim.
func (s *Sender) Find(context.Context, digest.Subscription, time.Time) (string, error) {
	return "", nil
}
