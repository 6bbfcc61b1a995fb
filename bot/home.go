package bot

import (
	"context"
	"errors"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// MaxHomeChannels bounds the channels a home view looks up digests for.
const MaxHomeChannels = 100

// HomeView is what a user's home (Slack's App Home) shows: the briefing
// in brief and the digests of channels the user is in.
type HomeView struct {
	Answer briefings.Answer
	// Digests are the subscriptions of the channels asked about, in the
	// order asked.
	Digests []ChannelDigest
	// DigestsErr is set when the subscriptions could not be read.
	DigestsErr error
}

// ChannelDigest is one channel's digest as a home view shows it.
type ChannelDigest struct {
	Channel  string
	Schedule string
	// Status is "active, next Mon 1 Dec 07:30 Europe/Kyiv" or why it
	// stopped.
	Status string
}

// Home composes a user's home view on platform p; channels are those the
// user is in (at most MaxHomeChannels are looked up).
func (b *Bot) Home(ctx context.Context, p briefbot.Platform, channels []string) HomeView {
	var prev []string
	if k := b.prevKeys.Load(); k != nil {
		prev = *k
	}
	v := HomeView{Answer: b.briefing.Load().HomeAnswer(prev)}
	if b.digests == nil {
		return v
	}
	var errs []error
	for _, ch := range channels[:min(len(channels), MaxHomeChannels)] {
		st, err := b.digests.Status(ctx, p, ch)
		if errors.Is(err, digest.ErrNotFound) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d := ChannelDigest{Channel: ch, Schedule: st.Subscription.Schedule}
		if st.Subscription.Disabled != "" {
			d.Status = "stopped: " + st.Subscription.Disabled
		} else {
			d.Status = "active, next " + formatWhen(st.Next, st.Location)
		}
		v.Digests = append(v.Digests, d)
	}
	if len(errs) > 0 {
		b.log.ErrorContext(ctx, "digest store", "view", "home", "err", errors.Join(errs...))
		v.DigestsErr = errors.New("some subscriptions could not be read")
	}
	return v
}

// rememberKeys keeps the items of the briefing being replaced, so the
// home view can say what the update changed.
func (b *Bot) rememberKeys(old *briefings.Briefing) {
	if old == nil {
		return
	}
	k := old.ItemKeys()
	b.prevKeys.Store(&k)
}
