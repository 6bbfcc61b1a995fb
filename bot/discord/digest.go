package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// Discord error codes that retrying cannot fix.
var permanentCodes = map[int]string{
	10003: "10003 Unknown Channel",
	50001: "50001 Missing Access",
	50013: "50013 Missing Permissions",
}

// digestMarker goes in a digest's footer so Find can recognise it later,
// after the nonce's few minutes of deduplication have passed. It is
// precise to the second: schedules may fire more than once a minute.
func digestMarker(sub digest.Subscription, slot time.Time) string {
	return fmt.Sprintf("digest %d@%s", sub.ID, slot.UTC().Format("2006-01-02T15:04:05Z"))
}

// markers are the footers that identify a slot's digest: today's, and for
// a slot on the minute the minute-precise form earlier versions wrote.
func markers(sub digest.Subscription, slot time.Time) []string {
	m := []string{digestMarker(sub, slot)}
	if slot.Second() == 0 {
		m = append(m, fmt.Sprintf("digest %d@%s", sub.ID, slot.UTC().Format("2006-01-02T15:04Z")))
	}
	return m
}

// digestNonce is derived from subscription and slot (Discord allows 25
// characters): a repeated send within Discord's window returns the first
// message instead of posting a second.
func digestNonce(sub digest.Subscription, slot time.Time) string {
	return fmt.Sprintf("bb%d-%d", sub.ID, slot.Unix())
}

// restSession returns the adapter's REST session, made once.
func (a *Adapter) restSession() (*discordgo.Session, error) {
	a.restOnce.Do(func() { a.rest, a.restErr = a.session() })
	return a.rest, a.restErr
}

// Send implements digest.Sender. discordgo's MessageSend has no nonce or
// enforce_nonce, so the request is made through the session directly.
func (a *Adapter) Send(ctx context.Context, sub digest.Subscription, slot time.Time, ans briefings.Answer) (string, error) {
	s, err := a.restSession()
	if err != nil {
		return "", err
	}
	e := Render(ans)
	e.Footer.Text += " · " + digestMarker(sub, slot)
	body := struct {
		Embeds          []*discordgo.MessageEmbed         `json:"embeds"`
		AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
		Nonce           string                            `json:"nonce"`
		EnforceNonce    bool                              `json:"enforce_nonce"`
	}{[]*discordgo.MessageEmbed{e}, noMentions(), digestNonce(sub, slot), true}
	ep := discordgo.EndpointChannelMessages(sub.Channel)
	var raw []byte
	if pic, perr := a.h.Picture(); perr == nil {
		// The digest carries the matrix picture; if it cannot be drawn
		// the digest goes out as text.
		ct, mp, merr := withFile(body, "", pic)
		if merr != nil {
			return "", merr
		}
		raw, err = s.RequestRaw("POST", ep, ct, mp, ep, 0, discordgo.WithContext(ctx))
	} else {
		a.log.Error("drawing the matrix picture for a digest", "err", perr)
		raw, err = s.RequestWithBucketID("POST", ep, body, ep, discordgo.WithContext(ctx))
	}
	if err != nil {
		return "", classify(err)
	}
	var m discordgo.Message
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", fmt.Errorf("discord: decoding the created message: %w", err)
	}
	return m.ID, nil
}

// Find implements digest.Sender: it looks through the channel's latest
// messages for the digest's marker.
func (a *Adapter) Find(ctx context.Context, sub digest.Subscription, slot time.Time) (string, error) {
	s, err := a.restSession()
	if err != nil {
		return "", err
	}
	msgs, err := s.ChannelMessages(sub.Channel, 50, "", "", "", discordgo.WithContext(ctx))
	if err != nil {
		return "", classify(err)
	}
	want := markers(sub, slot)
	for _, m := range msgs {
		for _, e := range m.Embeds {
			if e.Footer != nil && slices.ContainsFunc(want, func(mk string) bool { return strings.HasSuffix(e.Footer.Text, mk) }) {
				return m.ID, nil
			}
		}
	}
	return "", nil
}

// classify maps a REST error to the digest package's kinds.
func classify(err error) error {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		return &digest.RetryAfterError{After: rl.RetryAfter}
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		// The token is invalid or revoked: every later slot would fail the
		// same way, as Slack's invalid_auth does.
		return &digest.PermanentError{Reason: "401 Unauthorized: the bot token is invalid or revoked"}
	}
	if errors.As(err, &re) && re.Message != nil {
		if reason, ok := permanentCodes[re.Message.Code]; ok {
			return &digest.PermanentError{Reason: reason}
		}
	}
	return fmt.Errorf("discord: %w", err)
}
