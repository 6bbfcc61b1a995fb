package slack

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// DigestEventType marks digest messages in Slack message metadata.
const DigestEventType = "briefbot_digest"

// permanentErrors are Slack errors that retrying cannot fix: the
// subscription is disabled until someone subscribes again.
var permanentErrors = map[string]bool{
	"channel_not_found": true, "is_archived": true, "not_in_channel": true,
	"account_inactive": true, "invalid_auth": true, "token_revoked": true, "missing_scope": true,
}

// Send implements digest.Sender: it posts the digest with message metadata
// naming the subscription and slot. A bot that is not in a public channel
// joins it once and tries again.
func (a *Adapter) Send(ctx context.Context, sub digest.Subscription, slot time.Time, ans briefings.Answer) (string, error) {
	msg := Render(ans, RenderOptions{})
	post := func() (string, error) {
		_, ts, err := a.api.PostMessageContext(ctx, sub.Channel,
			slack.MsgOptionText(msg.Text, false),
			slack.MsgOptionBlocks(msg.Blocks...),
			slack.MsgOptionMetadata(slack.SlackMetadata{EventType: DigestEventType, EventPayload: map[string]any{
				"subscription": sub.ID, "slot": slot.UTC().Format(time.RFC3339),
			}}))
		return ts, err
	}
	ts, err := post()
	if slackError(err) == "not_in_channel" {
		if _, _, _, jerr := a.api.JoinConversationContext(ctx, sub.Channel); jerr == nil {
			ts, err = post()
		} else {
			a.log.Warn("joining the channel for a digest failed", "channel", sub.Channel, "err", slackError(jerr))
			a.cfg.Observer.APIError(string(Name), "conversations.join")
		}
	}
	if err == nil {
		// The picture goes in the digest's thread; the digest is sent
		// whether or not it can be.
		if uerr := a.upload(ctx, sub.Channel, ts, ""); uerr != nil {
			a.log.Warn("the digest went out without its picture", "channel", sub.Channel, "err", uerr)
		}
	}
	return ts, classify(err)
}

// Find implements digest.Sender: it looks through the channel's recent
// history for a message whose metadata names the subscription and slot.
func (a *Adapter) Find(ctx context.Context, sub digest.Subscription, slot time.Time) (string, error) {
	resp, err := a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: sub.Channel, Oldest: strconv.FormatInt(slot.Add(-time.Hour).Unix(), 10),
		IncludeAllMetadata: true, Limit: 200,
	})
	if err != nil {
		return "", classify(err)
	}
	want := slot.UTC().Format(time.RFC3339)
	for _, m := range resp.Messages {
		md := m.Metadata
		if md.EventType != DigestEventType || md.EventPayload["slot"] != want {
			continue
		}
		if id, ok := md.EventPayload["subscription"].(float64); ok && int64(id) == sub.ID {
			return m.Timestamp, nil
		}
	}
	return "", nil
}

func slackError(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// classify maps a Web API error to the digest package's kinds.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return &digest.RetryAfterError{After: rl.RetryAfter}
	}
	if code := slackError(err); permanentErrors[code] {
		return &digest.PermanentError{Reason: code}
	}
	return fmt.Errorf("slack: %w", err)
}
