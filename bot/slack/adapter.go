package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// Response visibilities for /guarantees answers.
const (
	Ephemeral = "ephemeral"  // only the asker sees it; a Share button posts it for everyone
	InChannel = "in_channel" // everyone in the channel sees it
)

// Config configures the Slack adapter.
type Config struct {
	BotToken      string // xoxb-…, for the Web API (app mentions, sharing)
	AppToken      string // xapp-…, for Socket Mode
	SigningSecret string // for HTTP mode
	// APIURL points the Web API client elsewhere (tests, proxies); with or
	// without a trailing slash. Empty means Slack's own.
	APIURL string
	// ResponseType is Ephemeral (default) or InChannel.
	ResponseType string
	// HTTPClient is used for the Web API and response_url posts (default:
	// a client with a 10-second timeout).
	HTTPClient *http.Client
	// Now is the clock for signature timestamps (default time.Now).
	Now func() time.Time
	Log *slog.Logger
	// Observer receives commands, API errors and rate-limit waits
	// (default: none).
	Observer bot.Observer
}

// Adapter answers /guarantees on Slack.
type Adapter struct {
	cfg      Config
	api      *slack.Client
	verifier *Verifier
	h        bot.Handler
	log      *slog.Logger
	seen     *dedupe
	cache    *bot.ResponseCache
	wg       sync.WaitGroup // background replies (mentions, shares)
	socketUp atomic.Bool    // Socket Mode connected
}

// SocketConnected reports whether the Socket Mode connection is up.
func (a *Adapter) SocketConnected() bool { return a.socketUp.Load() }

// New returns a Slack adapter answering through h.
func New(cfg Config, h bot.Handler) (*Adapter, error) {
	if cfg.BotToken == "" {
		return nil, errors.New("slack: SLACK_BOT_TOKEN is required")
	}
	if cfg.AppToken == "" && cfg.SigningSecret == "" {
		return nil, errors.New("slack: SLACK_SIGNING_SECRET is required for HTTP mode, or set SLACK_APP_TOKEN for Socket Mode")
	}
	switch cfg.ResponseType {
	case "":
		cfg.ResponseType = Ephemeral
	case Ephemeral, InChannel:
	default:
		return nil, fmt.Errorf("slack: response type %q: use %s or %s", cfg.ResponseType, Ephemeral, InChannel)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Observer == nil {
		cfg.Observer = bot.NopObserver{}
	}
	opts := []slack.Option{slack.OptionHTTPClient(cfg.HTTPClient)}
	if cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(strings.TrimRight(cfg.APIURL, "/")+"/"))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	a := &Adapter{
		cfg:   cfg,
		api:   slack.New(cfg.BotToken, opts...),
		h:     h,
		log:   cfg.Log.With("adapter", "slack"),
		seen:  newDedupe(10*time.Minute, 10000),
		cache: bot.NewResponseCache(1024),
	}
	if cfg.SigningSecret != "" {
		a.verifier = NewVerifier(cfg.SigningSecret, cfg.Now)
	}
	return a, nil
}

// Wait blocks until background replies (app mentions, shares) finish.
func (a *Adapter) Wait() { a.wg.Wait() }

// commandResponse is the JSON answer to a slash command: the ack body in
// both modes. Lookups are cached by text: the same question always gets the
// same bytes until the briefing changes. Per-channel commands (digests,
// subscriptions) are answered for the caller and never cached.
func (a *Adapter) commandResponse(ctx context.Context, text string, caller func() bot.Caller) []byte {
	start := time.Now()
	defer func() { a.cfg.Observer.Command("slack", bot.Kind(text), time.Since(start)) }()
	gen := bot.Generation(a.h)
	if b, ok := a.cache.Get(gen, text); ok {
		return b
	}
	cacheable := bot.Cacheable(text)
	var ans briefings.Answer
	if cacheable {
		ans = a.h.Answer(ctx, text)
	} else {
		ans = a.h.AnswerFor(ctx, caller(), text)
	}
	opt := RenderOptions{}
	if a.cfg.ResponseType == Ephemeral && !bot.PerChannel(text) {
		opt.ShareQuery = text
	}
	msg := Render(ans, opt)
	body, err := json.Marshal(struct {
		ResponseType string       `json:"response_type"`
		Text         string       `json:"text"`
		Blocks       slack.Blocks `json:"blocks"`
	}{a.cfg.ResponseType, msg.Text, slack.Blocks{BlockSet: msg.Blocks}})
	if err != nil { // only if a block type cannot marshal: a programming error
		a.log.Error("encoding answer", "err", err)
		body = []byte(`{"response_type":"ephemeral","text":"Sorry, that answer could not be encoded."}`)
	}
	if cacheable {
		a.cache.Put(gen, text, body)
	}
	return body
}

// caller describes a Slack user in a channel: anyone in a channel may
// change its digest.
func caller(channel, user string) bot.Caller {
	return bot.Caller{Platform: digest.Slack, Channel: channel, User: user, CanManage: true}
}

// share posts the answer to a shared query for everyone, through the
// interaction's response_url, and removes the ephemeral original.
func (a *Adapter) share(ctx context.Context, cb slack.InteractionCallback) error {
	var query string
	for _, act := range cb.ActionCallback.BlockActions {
		if act.ActionID == ShareActionID {
			query = act.Value
		}
	}
	if cb.ResponseURL == "" {
		return errors.New("share: interaction has no response_url")
	}
	msg := Render(a.h.Answer(ctx, query), RenderOptions{Footer: "Shared from " + bot.SlashCommand + " " + query})
	err := a.withRetry(ctx, "response_url", func() error {
		return slack.PostWebhookCustomHTTPContext(ctx, cb.ResponseURL, a.cfg.HTTPClient, &slack.WebhookMessage{
			ResponseType:   InChannel,
			DeleteOriginal: true,
			Text:           msg.Text,
			Blocks:         &slack.Blocks{BlockSet: msg.Blocks},
		})
	})
	if err != nil {
		return fmt.Errorf("share: posting to response_url: %w", err)
	}
	return nil
}

// leadingMentions matches the mentions that open an app_mention's text.
var leadingMentions = regexp.MustCompile(`^(\s*<@[A-Z0-9]+(\|[^>]*)?>)+`)

// mention answers an app mention in its thread.
func (a *Adapter) mention(ctx context.Context, ev *slackevents.AppMentionEvent) error {
	if ev.BotID != "" { // never answer bots, ourselves included
		return nil
	}
	text := strings.TrimSpace(leadingMentions.ReplaceAllString(ev.Text, ""))
	start := time.Now()
	defer func() { a.cfg.Observer.Command("slack", bot.Kind(text), time.Since(start)) }()
	msg := Render(a.h.AnswerFor(ctx, caller(ev.Channel, ev.User), text), RenderOptions{})
	thread := ev.ThreadTimeStamp
	if thread == "" {
		thread = ev.TimeStamp
	}
	err := a.withRetry(ctx, "chat.postMessage", func() error {
		_, _, err := a.api.PostMessageContext(ctx, ev.Channel,
			slack.MsgOptionText(msg.Text, false),
			slack.MsgOptionBlocks(msg.Blocks...),
			slack.MsgOptionTS(thread))
		return err
	})
	if err != nil {
		return fmt.Errorf("answering app mention in %s: %w", ev.Channel, err)
	}
	return nil
}

// withRetry runs call, waiting out a 429's Retry-After (at most 30 s, at
// most 3 tries) and retrying 5xx once.
func (a *Adapter) withRetry(ctx context.Context, what string, call func() error) error {
	var err error
	for try := 1; try <= 3; try++ {
		err = call()
		var rl *slack.RateLimitedError
		var se slack.StatusCodeError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &rl):
			a.cfg.Observer.RateLimited("slack")
			wait := min(max(rl.RetryAfter, time.Second), 30*time.Second)
			a.log.Warn("rate limited by Slack", "call", what, "retry_after", wait)
			if werr := (digest.RealClock{}).Sleep(ctx, wait); werr != nil {
				return err
			}
		case errors.As(err, &se) && se.Code >= 500 && try < 2:
			a.log.Warn("Slack server error, retrying", "call", what, "status", se.Code)
			if werr := (digest.RealClock{}).Sleep(ctx, 500*time.Millisecond); werr != nil {
				return err
			}
		default:
			a.cfg.Observer.APIError("slack", what)
			return err
		}
	}
	a.cfg.Observer.APIError("slack", what)
	return err
}

// background runs f outside the request, bounded in time, tracked by Wait.
func (a *Adapter) background(what string, f func(ctx context.Context) error) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := f(ctx); err != nil {
			a.log.Error(what, "err", err)
		}
	}()
}

// dedupe remembers event ids for a while, so an event Slack retries is
// handled once.
type dedupe struct {
	mu   sync.Mutex
	ttl  time.Duration
	max  int
	seen map[string]time.Time
}

func newDedupe(ttl time.Duration, max int) *dedupe {
	return &dedupe{ttl: ttl, max: max, seen: map[string]time.Time{}}
}

// first reports whether id is new, and remembers it.
func (d *dedupe) first(id string, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.seen[id]; ok && now.Sub(t) < d.ttl {
		return false
	}
	if len(d.seen) >= d.max {
		for k, t := range d.seen {
			if now.Sub(t) >= d.ttl {
				delete(d.seen, k)
			}
		}
		if len(d.seen) >= d.max { // all recent: forget the lot rather than grow
			clear(d.seen)
		}
	}
	d.seen[id] = now
	return true
}
