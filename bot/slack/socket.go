package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot/bot"
)

// RunSocketMode connects over Socket Mode and serves until ctx is done:
// slash commands are answered in their ack, share buttons and app mentions
// are acked and answered through the Web API. slack-go reconnects on its
// own when the connection drops.
func (a *Adapter) RunSocketMode(ctx context.Context) error {
	if a.cfg.AppToken == "" {
		return errors.New("slack: Socket Mode needs SLACK_APP_TOKEN")
	}
	client := socketmode.New(a.api)
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			a.wg.Wait()
			return nil
		case err := <-errc:
			a.wg.Wait()
			if err == nil || errors.Is(err, context.Canceled) {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt, ok := <-client.Events:
			if !ok {
				return nil
			}
			a.handleSocketEvent(ctx, client, evt)
		}
	}
}

func (a *Adapter) handleSocketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.log.Info("connecting to Slack over Socket Mode")
	case socketmode.EventTypeConnected:
		a.socketUp.Store(true)
		a.log.Info("connected to Slack over Socket Mode")
	case socketmode.EventTypeDisconnect:
		a.socketUp.Store(false)
		a.log.Warn("disconnected from Slack's Socket Mode; reconnecting")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		a.socketUp.Store(false)
		a.log.Error("Socket Mode connection problem", "event", string(evt.Type), "detail", fmt.Sprint(evt.Data))
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		// The ack carries the answer, as an HTTP response would.
		if err := client.AckCtx(ctx, evt.Request.EnvelopeID, json.RawMessage(a.commandResponse(ctx, cmd.Text, func() bot.Caller { return caller(cmd.ChannelID, cmd.UserID) }))); err != nil {
			a.log.Error("acking slash command", "err", err)
		}
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if evt.Request != nil {
			if err := client.AckCtx(ctx, evt.Request.EnvelopeID, nil); err != nil {
				a.log.Error("acking interaction", "err", err)
			}
		}
		// Slack redelivers an envelope it saw no ack for in time: act once.
		if ok && (evt.Request == nil || a.seen.first("envelope\x00"+evt.Request.EnvelopeID, a.cfg.Now())) {
			a.dispatchAction(cb)
		}
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if evt.Request != nil {
			if err := client.AckCtx(ctx, evt.Request.EnvelopeID, nil); err != nil {
				a.log.Error("acking event", "err", err)
			}
		}
		if ok && ev.Type == slackevents.CallbackEvent {
			// Socket Mode runs in one process (refused with replicas):
			// the adapter's own memory de-duplicates.
			if cb, isCB := ev.Data.(*slackevents.EventsAPICallbackEvent); isCB && cb.EventID != "" && a.seen.first(cb.EventID, a.cfg.Now()) {
				a.dispatchEvent(ev)
			}
		}
	}
}
