package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/briefbot/briefbot/bot"
)

// MaxBodyBytes is the largest request body accepted; larger ones get 413.
const MaxBodyBytes = 64 << 10

// Register adds the HTTP-mode endpoints to mux: POST /slack/commands,
// /slack/interactions and /slack/events. Every request is verified before
// anything else; anything unsigned, badly signed or stale gets 401.
func (a *Adapter) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /slack/commands", a.verified(a.serveCommand))
	mux.HandleFunc("POST /slack/interactions", a.verified(a.serveInteraction))
	mux.HandleFunc("POST /slack/events", a.verified(a.serveEvent))
}

// Routes returns a handler serving only the Slack endpoints.
func (a *Adapter) Routes() http.Handler {
	mux := http.NewServeMux()
	a.Register(mux)
	return mux
}

// verified reads the body (at most MaxBodyBytes), checks the signature,
// and only then calls next with the body.
func (a *Adapter) verified(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.verifier == nil {
			http.Error(w, "HTTP mode is not configured (no signing secret)", http.StatusNotFound)
			return
		}
		body, ok := bot.ReadBody(w, r, MaxBodyBytes)
		if !ok {
			return
		}
		if err := a.verifier.Verify(r.Header, body); err != nil {
			a.log.Warn("rejected unverified request", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", err.Error())
			bot.ReportRejected(a.cfg.Observer, string(Name), bot.RejectSignature)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		if !a.firstUse(w, r) {
			return
		}
		next(w, r, body)
	}
}

// firstUse refuses a verified request whose signature was served before
// within its validity window: a recorded request replayed, 401. The
// signature covers the timestamp and the body, so Slack's own retries
// (re-signed) are not replays. When the guard cannot tell, it answers 503
// rather than let a replay through.
func (a *Adapter) firstUse(w http.ResponseWriter, r *http.Request) bool {
	if a.cfg.Replays == nil {
		return true
	}
	sec, _ := strconv.ParseInt(r.Header.Get("X-Slack-Request-Timestamp"), 10, 64) // Verify parsed it
	expires := time.Unix(sec, 0).Add(MaxSkew + time.Second)
	first, err := a.cfg.Replays.First(r.Context(), string(Name)+"\x00"+r.Header.Get("X-Slack-Signature"), expires)
	switch {
	case err != nil:
		a.log.Error("replay guard", "err", err)
		bot.ReportRejected(a.cfg.Observer, string(Name), bot.RejectOverload)
		w.Header().Set("Retry-After", "1")
		http.Error(w, "busy, try again", http.StatusServiceUnavailable)
		return false
	case !first:
		a.log.Warn("rejected replayed request", "path", r.URL.Path, "remote", r.RemoteAddr)
		bot.ReportRejected(a.cfg.Observer, string(Name), bot.RejectReplay)
		http.Error(w, "request already served (replay)", http.StatusUnauthorized)
		return false
	}
	return true
}

func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	text, err := formValue(body, "text")
	if err != nil {
		http.Error(w, "malformed form body", http.StatusBadRequest)
		return
	}
	resp := a.commandResponse(r.Context(), text, func() bot.Caller {
		ch, _ := formValue(body, "channel_id")
		user, _ := formValue(body, "user_id")
		return caller(ch, user)
	})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	// A known length spares answers over 2 KiB chunked encoding.
	h.Set("Content-Length", strconv.Itoa(len(resp)))
	w.Write(resp)
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "malformed form body", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "malformed interaction payload", http.StatusBadRequest)
		return
	}
	// Ack at once; the shared answer goes out through response_url.
	w.WriteHeader(http.StatusOK)
	a.dispatchAction(cb)
}

// dispatchAction carries out a button press after the ack: Share posts the
// answer for everyone, More replaces a short answer with the full card.
func (a *Adapter) dispatchAction(cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions {
		return
	}
	switch {
	case pressed(cb, ShareActionID):
		a.background("sharing answer", func(ctx context.Context) error { return a.share(ctx, cb) })
	case pressed(cb, MoreActionID):
		a.background("showing the full card", func(ctx context.Context) error { return a.more(ctx, cb) })
	case pressed(cb, PageActionID):
		a.background("turning the page", func(ctx context.Context) error { return a.page(ctx, cb) })
	case pressed(cb, HomeActionID):
		a.background("updating the Home tab", func(ctx context.Context) error { return a.home(ctx, cb) })
	case pressed(cb, PictureActionID):
		a.background("posting the matrix picture", func(ctx context.Context) error { return a.postPicture(ctx, cb) })
	case pressed(cb, PickActionID):
		a.background("answering the item chosen", func(ctx context.Context) error { return a.pick(ctx, cb) })
	}
}

// pressed reports whether the interaction is a press of the button.
func pressed(cb slack.InteractionCallback, id string) bool {
	for _, act := range cb.ActionCallback.BlockActions {
		if act.ActionID == id {
			return true
		}
	}
	return false
}

func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		var ch slackevents.ChallengeResponse
		if err := json.Unmarshal(body, &ch); err != nil {
			http.Error(w, "malformed challenge", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, ch.Challenge)
	case slackevents.CallbackEvent:
		first, err := a.firstEvent(r.Context(), ev)
		if err != nil {
			// The store cannot tell whether another replica handled
			// it: no ack, so Slack retries it (same event_id) in a
			// minute, when the store may answer. An event is never
			// answered twice; if the failed write did land, the retry
			// is taken as seen and the event goes unanswered.
			a.log.Error("event de-duplication; not acknowledged, so Slack retries it", "err", err)
			bot.ReportRejected(a.cfg.Observer, string(Name), bot.RejectOverload)
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy, try again", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK) // ack at once: Slack retries anything slower than 3 s
		if first {
			a.dispatchEvent(ev)
		}
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// eventWait bounds the de-duplication lookup, so the ack still reaches
// Slack within its 3 seconds.
const eventWait = 2 * time.Second

// firstEvent reports whether an Events API callback is new: its event_id
// (the same on Slack's retries) recorded in Config.Events for EventTTL.
// A callback with no event_id is not handled.
func (a *Adapter) firstEvent(ctx context.Context, ev slackevents.EventsAPIEvent) (bool, error) {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || cb.EventID == "" {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, eventWait)
	defer cancel()
	return a.cfg.Events.First(ctx, string(Name)+"\x00event\x00"+cb.EventID, a.cfg.Now().Add(EventTTL))
}

// dispatchEvent handles an Events API callback already found new.
func (a *Adapter) dispatchEvent(ev slackevents.EventsAPIEvent) {
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		a.background("answering app mention", func(ctx context.Context) error { return a.mention(ctx, e) })
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab == "home" && e.User != "" {
			a.background("publishing the Home tab", func(ctx context.Context) error { return a.publishHome(ctx, e.User, "", 0) })
		}
	}
}

// formValue returns the first value of key in a form-encoded body. It is
// url.ParseQuery for one key: a slash command carries a dozen fields and we
// need one, on the hottest path, without copying the body.
func formValue(body []byte, key string) (string, error) {
	for len(body) > 0 {
		var pair []byte
		pair, body, _ = bytes.Cut(body, []byte("&"))
		k, v, _ := bytes.Cut(pair, []byte("="))
		if string(k) != key {
			continue
		}
		return url.QueryUnescape(string(v))
	}
	return "", nil
}
