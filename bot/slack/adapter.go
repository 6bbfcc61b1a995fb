package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/config"
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
	// PublicURL is the https://host Slack reaches briefbot at in HTTP
	// mode; when set, matrix answers show the picture from
	// PublicURL/matrix.png in an image block.
	PublicURL string
	// HTTPClient is used for the Web API and response_url posts (default:
	// a client with a 10-second timeout).
	HTTPClient *http.Client
	// Now is the clock for signature timestamps (default time.Now).
	Now func() time.Time
	Log *slog.Logger
	// Observer receives commands, API errors and rate-limit waits
	// (default: none).
	Observer bot.Observer
	// Sleep waits between retries (default the real clock; tests
	// inject their own).
	Sleep func(ctx context.Context, d time.Duration) error
	// Replays remembers the signatures of requests served, so a replayed
	// one gets 401 (default: a set in memory of bot.DefaultSeenKeys).
	Replays bot.SeenSet
	// AllowReplays turns the replay check off (BRIEFBOT_ALLOW_REPLAYS,
	// for load tests that replay one signed request).
	AllowReplays bool
	// Events remembers the event_ids of Events API callbacks received
	// over HTTP, for EventTTL, so an event Slack retries (to this replica
	// or another) is handled once (default: in memory, 10,000 ids).
	Events bot.SeenSet
}

// EventTTL is how long an event_id is remembered: Slack retries an
// unacknowledged event three times, the last about 5 minutes after the
// first.
const EventTTL = 10 * time.Minute

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
	// bg is the context of background replies: the server's, cut
	// ReplyGrace after the server's context is done, or when Stop runs
	// out of time.
	bg       context.Context
	bgCancel context.CancelFunc
}

// ReplyGrace is how long background replies (mentions, shares, pages)
// may run on once the server stops; then they are cancelled.
const ReplyGrace = 5 * time.Second

// SocketConnected reports whether the Socket Mode connection is up.
func (a *Adapter) SocketConnected() bool { return a.socketUp.Load() }

// Name is Slack's platform name.
const Name briefbot.Platform = "slack"

// Section is Slack's part of the configuration: the file's slack: keys and
// their environment variables.
func Section() config.Section {
	return config.Section{
		Name: string(Name),
		Settings: []config.Setting{
			{Key: "bot_token", Env: "SLACK_BOT_TOKEN", Secret: true, Credential: true, Check: config.Prefix("xoxb-", "a bot token")},
			{Key: "app_token", Env: "SLACK_APP_TOKEN", Secret: true, Credential: true, Check: config.Prefix("xapp-", "an app-level token")},
			{Key: "signing_secret", Env: "SLACK_SIGNING_SECRET", Secret: true, Credential: true},
			{Key: "api_url", Env: "SLACK_API_URL", Check: config.HTTPURL},
			{Key: "response", Env: "BRIEFBOT_SLACK_RESPONSE", Default: Ephemeral, Check: config.OneOf(Ephemeral, InChannel)},
			{Key: "public_url", Env: "SLACK_PUBLIC_URL", Check: httpsURL},
		},
		Complete: func(v config.Values) error {
			var errs []error
			if v.Get("bot_token") == "" {
				errs = append(errs, errors.New("slack: SLACK_BOT_TOKEN is required (the xoxb- token from OAuth & Permissions)"))
			}
			if v.Get("signing_secret") == "" && v.Get("app_token") == "" {
				errs = append(errs, errors.New("slack: SLACK_SIGNING_SECRET is required for HTTP mode, or set SLACK_APP_TOKEN for Socket Mode"))
			}
			return errors.Join(errs...)
		},
	}
}

// httpsURL checks a public URL: Slack loads images over HTTPS only.
func httpsURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("must be https://host[:port][/path], where Slack reaches briefbot")
	}
	return nil
}

// Spec registers Slack as a platform.
func Spec() bot.Spec {
	return bot.Spec{Name: Name, Section: Section(), New: func(d bot.Deps, v config.Values) (bot.Platform, error) {
		return New(Config{
			BotToken: v.Get("bot_token"), AppToken: v.Get("app_token"), SigningSecret: v.Get("signing_secret"),
			APIURL: v.Get("api_url"), ResponseType: v.Get("response"), PublicURL: v.Get("public_url"), Log: d.Log, Observer: d.Observer,
			Replays: d.Replays, AllowReplays: d.AllowReplays, Events: d.Events,
		}, d.Handler)
	}}
}

// New returns a Slack adapter answering through h. The configuration is
// validated by config (Section); New only fills in defaults.
func New(cfg Config, h bot.Handler) (*Adapter, error) {
	if cfg.ResponseType == "" {
		cfg.ResponseType = Ephemeral
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
	if cfg.Sleep == nil {
		cfg.Sleep = digest.RealClock{}.Sleep
	}
	switch {
	case cfg.AllowReplays:
		cfg.Replays = nil
	case cfg.Replays == nil:
		cfg.Replays = bot.NewMemorySeen(bot.DefaultSeenKeys, cfg.Now)
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
		seen:  newDedupe(EventTTL, 10000, cfg.Now),
		cache: bot.NewResponseCache(1024),
	}
	if a.cfg.Events == nil {
		a.cfg.Events = a.seen
	}
	a.bg, a.bgCancel = context.WithCancel(context.Background()) // until Start ties it to the server's
	if cfg.SigningSecret != "" {
		a.verifier = NewVerifier(cfg.SigningSecret, cfg.Now)
	}
	return a, nil
}

var _ bot.Platform = (*Adapter)(nil)

// Name implements bot.Platform.
func (*Adapter) Name() briefbot.Platform { return Name }

// Start implements bot.Platform: in HTTP mode it adds the Slack endpoints
// to mux.
func (a *Adapter) Start(ctx context.Context, mux *http.ServeMux) error {
	// Background replies run under the server's context: once it is
	// done they have ReplyGrace to finish, then are cancelled.
	a.bg, a.bgCancel = context.WithCancel(context.WithoutCancel(ctx))
	context.AfterFunc(ctx, func() { time.AfterFunc(ReplyGrace, a.bgCancel) })
	if a.cfg.SigningSecret != "" {
		a.Register(mux)
		a.log.Info("slack: HTTP mode", "commands", "POST /slack/commands", "interactions", "POST /slack/interactions",
			"events", "POST /slack/events", "responses", a.cfg.ResponseType)
	}
	if a.cfg.AppToken != "" {
		a.log.Info("slack: Socket Mode", "responses", a.cfg.ResponseType)
	}
	return nil
}

// Run implements bot.Platform: Socket Mode when there is an app token;
// otherwise Slack calls the HTTP endpoints and Run waits for ctx.
func (a *Adapter) Run(ctx context.Context) error {
	if a.cfg.AppToken != "" {
		return a.RunSocketMode(ctx)
	}
	<-ctx.Done()
	return nil
}

// Stop implements bot.Platform: it waits for background replies (app
// mentions, shares) within ctx.
func (a *Adapter) Stop(ctx context.Context) error {
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		a.bgCancel() // out of time: cancel them
		return fmt.Errorf("slack: background replies still running: %w", ctx.Err())
	}
}

// Ready implements bot.Platform: Socket Mode must be connected.
func (a *Adapter) Ready(context.Context) error {
	if a.cfg.AppToken != "" && !a.socketUp.Load() {
		return errors.New("socket mode not connected")
	}
	return nil
}

// Sender implements bot.Platform.
func (a *Adapter) Sender() digest.Sender { return a }

// Wait blocks until background replies (app mentions, shares) finish.
func (a *Adapter) Wait() { a.wg.Wait() }

// commandResponse is the JSON answer to a slash command: the ack body in
// both modes. Text is parsed once, on a miss; cacheable answers are kept
// by text, so the same question gets the same bytes, unparsed, until the
// briefing changes. Per-channel commands (subscriptions) are answered for
// the caller and never cached.
func (a *Adapter) commandResponse(ctx context.Context, text string, caller func() bot.Caller) []byte {
	start := time.Now()
	gen := a.h.Generation()
	if c, ok := a.cache.Get(gen, text); ok {
		a.cfg.Observer.Command(string(Name), c.Command, time.Since(start))
		return c.Body
	}
	req := a.h.Table().Parse(text)
	r := a.h.Handle(ctx, caller(), req)
	defer func() { a.cfg.Observer.Command(string(Name), r.Command, time.Since(start)) }()
	opt := RenderOptions{}
	if a.cfg.ResponseType == Ephemeral && !r.Private {
		opt.ShareQuery = text
	}
	if r.More {
		opt.MoreQuery = text
	}
	opt.PageQuery = a.h.Table().Text(req)
	a.pictureOptions(r, &opt)
	msg := Render(r.Answer, opt)
	body, err := json.Marshal(struct {
		ResponseType string       `json:"response_type"`
		Text         string       `json:"text"`
		Blocks       slack.Blocks `json:"blocks"`
	}{a.responseType(r), msg.Text, slack.Blocks{BlockSet: msg.Blocks}})
	if err != nil { // only if a block type cannot marshal: a programming error
		a.log.Error("encoding answer", "err", err)
		body = []byte(`{"response_type":"ephemeral","text":"Sorry, that answer could not be encoded."}`)
	}
	if r.Cacheable {
		a.cache.Put(gen, text, bot.Cached{Body: body, Command: r.Command})
	}
	return body
}

// responseType is the configured visibility; private answers (a channel's
// subscription) stay with the caller whatever it is.
func (a *Adapter) responseType(r bot.Reply) string {
	if r.Private {
		return Ephemeral
	}
	return a.cfg.ResponseType
}

// caller describes a Slack user in a channel: anyone in a channel may
// change its digest.
func caller(channel, user string) bot.Caller {
	return bot.Caller{Platform: Name, Channel: channel, User: user, CanManage: true}
}

// share posts the answer to a shared query for everyone, through the
// interaction's response_url, and removes the ephemeral original.
func (a *Adapter) share(ctx context.Context, cb slack.InteractionCallback) error {
	query := actionValue(cb, ShareActionID)
	if cb.ResponseURL == "" {
		return errors.New("share: interaction has no response_url")
	}
	r := a.h.Handle(ctx, bot.Caller{Platform: Name, Channel: cb.Channel.ID, User: cb.User.ID}, a.h.Table().Parse(query))
	if r.Private {
		return errors.New("share: per-channel answers are not shared")
	}
	opt := RenderOptions{Footer: "Shared from " + bot.SlashCommand + " " + query}
	if r.More {
		opt.MoreQuery = query
	}
	msg := Render(r.Answer, opt)
	// Two calls, as Slack documents: post the answer for the channel, then
	// delete the ephemeral original. One call carrying both is not
	// dependable.
	err := a.withRetry(ctx, "response_url", func() error {
		return slack.PostWebhookCustomHTTPContext(ctx, cb.ResponseURL, a.cfg.HTTPClient, &slack.WebhookMessage{
			ResponseType:    InChannel,
			ReplaceOriginal: false,
			Text:            msg.Text,
			Blocks:          &slack.Blocks{BlockSet: msg.Blocks},
		})
	})
	if err != nil {
		return fmt.Errorf("share: posting to response_url: %w", err)
	}
	err = a.withRetry(ctx, "response_url", func() error {
		return slack.PostWebhookCustomHTTPContext(ctx, cb.ResponseURL, a.cfg.HTTPClient, &slack.WebhookMessage{DeleteOriginal: true})
	})
	if err != nil {
		// The answer is shared; only the ephemeral copy stays.
		return fmt.Errorf("share: deleting the ephemeral original: %w", err)
	}
	return nil
}

// more replaces a short answer with its full card, through the
// interaction's response_url; the Share button stays where it was.
func (a *Adapter) more(ctx context.Context, cb slack.InteractionCallback) error {
	query := actionValue(cb, MoreActionID)
	if cb.ResponseURL == "" {
		return errors.New("more: interaction has no response_url")
	}
	req := a.h.Table().Parse(query)
	req.Full = true
	r := a.h.Handle(ctx, caller(cb.Channel.ID, cb.User.ID), req)
	opt := RenderOptions{}
	if a.cfg.ResponseType == Ephemeral && !r.Private && hasAction(cb, ShareActionID) {
		opt.ShareQuery = query
	}
	msg := Render(r.Answer, opt)
	return a.respond(ctx, cb.ResponseURL, "more", &slack.WebhookMessage{ReplaceOriginal: true, Text: msg.Text,
		Blocks: &slack.Blocks{BlockSet: msg.Blocks}})
}

// page replaces a list answer with the page a Previous or Next button
// names ("N|query"), through response_url, keeping its buttons.
func (a *Adapter) page(ctx context.Context, cb slack.InteractionCallback) error {
	value := actionValue(cb, PageActionID)
	n, query, ok := strings.Cut(value, "|")
	page, err := strconv.Atoi(n)
	if !ok || err != nil || cb.ResponseURL == "" {
		return fmt.Errorf("page: malformed button value %q", value)
	}
	req := a.h.Table().Parse(query)
	req.Page = page
	r := a.h.Handle(ctx, caller(cb.Channel.ID, cb.User.ID), req)
	opt := RenderOptions{PageQuery: a.h.Table().Text(req)}
	if a.cfg.ResponseType == Ephemeral && !r.Private && hasAction(cb, ShareActionID) {
		opt.ShareQuery = a.h.Table().Text(req)
	}
	msg := Render(r.Answer, opt)
	return a.respond(ctx, cb.ResponseURL, "page", &slack.WebhookMessage{ReplaceOriginal: true, Text: msg.Text,
		Blocks: &slack.Blocks{BlockSet: msg.Blocks}})
}

// pick answers the item chosen in a list answer's menu, in a new message
// only the chooser sees.
func (a *Adapter) pick(ctx context.Context, cb slack.InteractionCallback) error {
	var query string
	for _, act := range cb.ActionCallback.BlockActions {
		if act.ActionID == PickActionID {
			query = act.SelectedOption.Value
		}
	}
	if cb.ResponseURL == "" || query == "" {
		return errors.New("pick: no response_url or no option chosen")
	}
	req := a.h.Table().Parse(query)
	r := a.h.Handle(ctx, caller(cb.Channel.ID, cb.User.ID), req)
	opt := RenderOptions{PageQuery: a.h.Table().Text(req)}
	if !r.Private {
		opt.ShareQuery = query
	}
	if r.More {
		opt.MoreQuery = query
	}
	msg := Render(r.Answer, opt)
	return a.respond(ctx, cb.ResponseURL, "pick", &slack.WebhookMessage{ResponseType: Ephemeral, Text: msg.Text,
		Blocks: &slack.Blocks{BlockSet: msg.Blocks}})
}

// respond posts to an interaction's response_url with the retry loop.
func (a *Adapter) respond(ctx context.Context, responseURL, what string, m *slack.WebhookMessage) error {
	err := a.withRetry(ctx, "response_url", func() error {
		return slack.PostWebhookCustomHTTPContext(ctx, responseURL, a.cfg.HTTPClient, m)
	})
	if err != nil {
		return fmt.Errorf("%s: posting to response_url: %w", what, err)
	}
	return nil
}

// actionValue is the value of the pressed button with the action id.
func actionValue(cb slack.InteractionCallback, id string) string {
	for _, act := range cb.ActionCallback.BlockActions {
		if act.ActionID == id {
			return act.Value
		}
	}
	return ""
}

// hasAction reports whether the message the interaction came from had a
// button with the action id.
func hasAction(cb slack.InteractionCallback, id string) bool {
	for _, b := range cb.Message.Blocks.BlockSet {
		if ab, ok := b.(*slack.ActionBlock); ok && ab.Elements != nil {
			for _, e := range ab.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok && btn.ActionID == id {
					return true
				}
			}
		}
	}
	return false
}

// slackDecoder undoes Slack's encoding of message text, once: "&amp;lt;"
// becomes "&lt;", not "<".
var slackDecoder = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// decodeText decodes text as Slack encodes it in messages.
func decodeText(s string) string { return slackDecoder.Replace(s) }

// leadingMentions matches the mentions that open an app_mention's text.
var leadingMentions = regexp.MustCompile(`^(\s*<@[A-Z0-9]+(\|[^>]*)?>)+`)

// mention answers an app mention in its thread.
func (a *Adapter) mention(ctx context.Context, ev *slackevents.AppMentionEvent) error {
	if ev.BotID != "" { // never answer bots, ourselves included
		return nil
	}
	// Slack sends message text with &, < and > encoded: decode it once,
	// after the leading mention (itself markup) is gone.
	text := decodeText(strings.TrimSpace(leadingMentions.ReplaceAllString(ev.Text, "")))
	start := time.Now()
	r := a.h.Handle(ctx, caller(ev.Channel, ev.User), a.h.Table().Parse(text))
	a.cfg.Observer.Command(string(Name), r.Command, time.Since(start))
	opt := RenderOptions{}
	if r.More {
		opt.MoreQuery = text
	}
	msg := Render(r.Answer, opt)
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

// withRetry runs call through the shared retry loop: a 429's Retry-After
// is waited out (at least 1 s, at most 30 s), a 5xx is retried once after
// 500 ms, three tries at most, and no wait follows the last try.
func (a *Adapter) withRetry(ctx context.Context, what string, call func() error) error {
	return bot.Retry{
		Tries: 3, MaxWait: 30 * time.Second, Sleep: a.cfg.Sleep,
		Classify: func(err error, try int) bot.Verdict {
			var rl *slack.RateLimitedError
			var se slack.StatusCodeError
			switch {
			case errors.As(err, &rl):
				return bot.Verdict{Retry: true, RateLimited: true, Wait: max(rl.RetryAfter, time.Second)}
			case errors.As(err, &se) && se.Code >= 500 && try < 2:
				return bot.Verdict{Retry: true, Wait: 500 * time.Millisecond}
			}
			return bot.Verdict{}
		},
		OnWait: func(v bot.Verdict, err error) {
			if v.RateLimited {
				a.cfg.Observer.RateLimited(string(Name))
				a.log.Warn("rate limited by Slack", "call", what, "retry_after", v.Wait)
			} else {
				a.log.Warn("Slack server error, retrying", "call", what, "err", err)
			}
		},
		OnGiveUp: func(error) { a.cfg.Observer.APIError(string(Name), what) },
	}.Do(ctx, call)
}

// background runs f outside the request, under the server's context
// (a.bg), bounded in time, tracked by Wait.
func (a *Adapter) background(what string, f func(ctx context.Context) error) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		ctx, cancel := context.WithTimeout(a.bg, time.Minute)
		defer cancel()
		if err := f(ctx); err != nil {
			a.log.Error(what, "err", err)
		}
	}()
}

// dedupe remembers event ids for a while, so an event Slack retries is
// handled once. It serves one process; replicas share their store's
// SeenSet instead (Config.Events).
type dedupe struct {
	mu   sync.Mutex
	ttl  time.Duration
	max  int
	now  func() time.Time
	seen map[string]time.Time
}

func newDedupe(ttl time.Duration, max int, now func() time.Time) *dedupe {
	return &dedupe{ttl: ttl, max: max, now: now, seen: map[string]time.Time{}}
}

// First implements bot.SeenSet, remembering id for the set's ttl (not
// until expires).
func (d *dedupe) First(_ context.Context, id string, _ time.Time) (bool, error) {
	return d.first(id, d.now()), nil
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
