package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
)

// pictureOptions offers the matrix picture on an answer that has one: a
// "Post picture" button, and in HTTP mode with a public URL an image
// block showing GET /matrix.png.
func (a *Adapter) pictureOptions(r bot.Reply, opt *RenderOptions) {
	if !r.Picture {
		return
	}
	opt.Picture = true
	if a.cfg.PublicURL == "" {
		return
	}
	pic, err := a.h.Picture()
	if err != nil {
		a.log.Error("drawing the matrix picture", "err", err)
		return
	}
	// The generation in the URL makes Slack fetch the picture again after
	// the briefing changes, instead of showing a cached one.
	opt.ImageURL = strings.TrimRight(a.cfg.PublicURL, "/") + bot.PicturePath + "?v=" + strconv.FormatUint(a.h.Generation(), 10)
	opt.ImageAlt = pic.Alt
}

// upload posts the matrix picture to a channel (in a thread when thread
// is set) through Slack's upload flow: files.getUploadURLExternal, the
// upload itself, then files.completeUploadExternal. A bot that is not in
// a public channel joins it once and tries again.
func (a *Adapter) upload(ctx context.Context, channel, thread, comment string) error {
	pic, err := a.h.Picture()
	if err != nil {
		return err
	}
	up := func() error {
		return a.withRetry(ctx, "files upload", func() error {
			_, err := a.api.UploadFileContext(ctx, slack.UploadFileParameters{
				Reader: bytes.NewReader(pic.PNG), FileSize: len(pic.PNG), Filename: pic.Name,
				Title: "Who stands where", AltTxt: cut(pic.Alt, MaxAltText), Channel: channel,
				ThreadTimestamp: thread, InitialComment: comment,
			})
			return err
		})
	}
	err = up()
	if slackError(err) == "not_in_channel" {
		if _, _, _, jerr := a.api.JoinConversationContext(ctx, channel); jerr == nil {
			err = up()
		}
	}
	if err != nil {
		return fmt.Errorf("uploading the matrix picture to %s: %w", channel, err)
	}
	return nil
}

// postPicture answers a "Post picture" press: it uploads the picture to
// the channel, and on failure tells the presser why, privately.
func (a *Adapter) postPicture(ctx context.Context, cb slack.InteractionCallback) error {
	if cb.Channel.ID == "" {
		return errors.New("post picture: the interaction names no channel")
	}
	err := a.upload(ctx, cb.Channel.ID, "", "The matrix of stances, drawn by briefbot from its briefing.")
	if err == nil || cb.ResponseURL == "" {
		return err
	}
	why := "Slack refused it (" + slackError(err) + ")."
	if slackError(err) == "" {
		why = "Slack could not be reached."
	}
	if rerr := a.respond(ctx, cb.ResponseURL, "picture", &slack.WebhookMessage{ResponseType: Ephemeral, ReplaceOriginal: false,
		Text: "The picture could not be posted: " + why}); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}
