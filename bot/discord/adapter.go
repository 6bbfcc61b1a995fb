package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
)

// MaxBodyBytes is the largest interaction body accepted.
const MaxBodyBytes = 64 << 10

// Config configures the Discord adapter.
type Config struct {
	AppID     string // DISCORD_APP_ID
	PublicKey string // DISCORD_PUBLIC_KEY (hex): HTTP interactions mode
	BotToken  string // DISCORD_BOT_TOKEN: REST calls; gateway mode when there is no public key
	GuildID   string // DISCORD_GUILD_ID: register the command in one guild (instant updates)
	APIURL    string // DISCORD_API_URL: REST base URL (tests, proxies)
	Now       func() time.Time
	Log       *slog.Logger
	// Observer receives commands, API errors and rate-limit waits
	// (default: none).
	Observer bot.Observer
	// Sleep waits between retries (default the real clock).
	Sleep func(ctx context.Context, d time.Duration) error
	// Replays remembers the interactions served, so a replayed one gets
	// 401 (default: a set in memory of bot.DefaultSeenKeys).
	Replays bot.SeenSet
	// AllowReplays turns the replay check off (BRIEFBOT_ALLOW_REPLAYS,
	// for load tests that replay one signed request).
	AllowReplays bool
}

// Adapter answers /guarantees on Discord.
type Adapter struct {
	cfg      Config
	h        bot.Handler
	verifier *Verifier
	log      *slog.Logger
	cache    *bot.ResponseCache
	ids      *queryIDs // short ids for queries too long for a custom_id

	restOnce sync.Once // the REST session for digests, made on first use
	rest     *discordgo.Session
	restErr  error

	gatewayUp atomic.Bool

	// Work after a response (attaching a picture) runs under bg, tracked
	// by wg; Stop waits for it and then cancels what is left.
	bg       context.Context
	cancelBg context.CancelFunc
	wg       sync.WaitGroup
}

// GatewayConnected reports whether the gateway connection is up.
func (a *Adapter) GatewayConnected() bool { return a.gatewayUp.Load() }

var _ bot.Platform = (*Adapter)(nil)

// Name implements bot.Platform.
func (*Adapter) Name() briefbot.Platform { return Name }

// Start implements bot.Platform: it registers /guarantees when there is a
// bot token (a failed registration leaves the previous command in place,
// so it is logged, not fatal) and, in HTTP interactions mode, adds the
// endpoint to mux.
func (a *Adapter) Start(ctx context.Context, mux *http.ServeMux) error {
	if a.cfg.BotToken != "" {
		if err := a.RegisterCommand(ctx); err != nil {
			a.log.Error("discord: command registration failed; the previously registered command stays", "err", err)
		}
	}
	if a.verifier != nil {
		a.Register(mux)
		a.log.Info("discord: HTTP interactions", "endpoint", "POST /discord/interactions")
	} else {
		a.log.Info("discord: gateway")
	}
	return nil
}

// Run implements bot.Platform: the gateway when there is no public key;
// otherwise Discord calls the HTTP endpoint and Run waits for ctx.
func (a *Adapter) Run(ctx context.Context) error {
	if a.verifier == nil {
		return a.RunGateway(ctx)
	}
	<-ctx.Done()
	return nil
}

// Stop implements bot.Platform: it waits, within ctx, for work started
// after a response (attaching the matrix picture), then cancels what is
// left.
func (a *Adapter) Stop(ctx context.Context) error {
	defer a.cancelBg()
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("discord: background work still running: %w", ctx.Err())
	}
}

// Ready implements bot.Platform: in gateway mode the gateway must be up.
func (a *Adapter) Ready(context.Context) error {
	if a.verifier == nil && !a.gatewayUp.Load() {
		return errors.New("gateway not connected")
	}
	return nil
}

// Sender implements bot.Platform: digests need the bot token.
func (a *Adapter) Sender() digest.Sender {
	if a.cfg.BotToken == "" {
		return nil
	}
	return a
}

// MinInterval implements digest.Pacer: 40 requests a second, under
// Discord's global limit of 50.
func (*Adapter) MinInterval() time.Duration { return 25 * time.Millisecond }

// request is the part of an interaction briefbot reads. Decoding only this
// is several times cheaper than discordgo's full Interaction.
type request struct {
	Type      discordgo.InteractionType `json:"type"`
	ChannelID string                    `json:"channel_id"`
	Member    *member                   `json:"member"` // in guilds
	User      *userRef                  `json:"user"`   // in DMs
	// Message is the message a button was pressed on.
	Message *pressedOn `json:"message"`
	// AppID and Token address the response, for editing it afterwards
	// (attaching the matrix picture).
	AppID string `json:"application_id"`
	Token string `json:"token"`
	Data  struct {
		Name     string                                               `json:"name"`
		CustomID string                                               `json:"custom_id"`
		Values   []string                                             `json:"values"`
		Options  []*discordgo.ApplicationCommandInteractionDataOption `json:"options"`
	} `json:"data"`
}

// caller is who sent the interaction, where. In a guild, changing a
// channel's digest needs Manage Channels; a DM is the user's own.
func (r request) caller() bot.Caller {
	c := bot.Caller{Platform: Name, Channel: r.ChannelID, Permission: "Manage Channels"}
	switch {
	case r.Member != nil:
		c.User = r.Member.User.ID
		c.CanManage = r.Member.Permissions&discordgo.PermissionManageChannels != 0
	case r.User != nil:
		c.User, c.CanManage = r.User.ID, true
	}
	return c
}

// pressedOn is what briefbot reads of the message a button was pressed
// on: whether only its asker sees it, and its footer (which names a long
// query).
type pressedOn struct {
	Flags  discordgo.MessageFlags `json:"flags"`
	Embeds []struct {
		Footer *struct {
			Text string `json:"text"`
		} `json:"footer"`
	} `json:"embeds"`
}

// footer is the footer text of the message's first embed.
func (p *pressedOn) footer() string {
	if p == nil || len(p.Embeds) == 0 || p.Embeds[0].Footer == nil {
		return ""
	}
	return p.Embeds[0].Footer.Text
}

type member struct {
	Permissions int64   `json:"permissions,string"`
	User        userRef `json:"user"`
}

type userRef struct {
	ID string `json:"id"`
}

// fromInteraction takes the same fields from an interaction that arrived
// over the gateway.
func fromInteraction(in *discordgo.Interaction) request {
	r := request{Type: in.Type, ChannelID: in.ChannelID}
	if in.Member != nil {
		r.Member = &member{Permissions: in.Member.Permissions}
		if in.Member.User != nil {
			r.Member.User.ID = in.Member.User.ID
		}
	}
	if in.User != nil {
		r.User = &userRef{ID: in.User.ID}
	}
	switch in.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		d := in.ApplicationCommandData()
		r.Data.Name, r.Data.Options = d.Name, d.Options
	case discordgo.InteractionMessageComponent:
		r.Data.CustomID = in.MessageComponentData().CustomID
		r.Data.Values = in.MessageComponentData().Values
		if in.Message != nil {
			r.Message = &pressedOn{Flags: in.Message.Flags}
			for _, e := range in.Message.Embeds {
				var pe struct {
					Footer *struct {
						Text string `json:"text"`
					} `json:"footer"`
				}
				if e.Footer != nil {
					pe.Footer = &struct {
						Text string `json:"text"`
					}{e.Footer.Text}
				}
				r.Message.Embeds = append(r.Message.Embeds, pe)
			}
		}
	}
	return r
}

// Name is Discord's platform name.
const Name briefbot.Platform = "discord"

// Section is Discord's part of the configuration: the file's discord:
// keys and their environment variables.
func Section() config.Section {
	return config.Section{
		Name: string(Name),
		Settings: []config.Setting{
			{Key: "app_id", Env: "DISCORD_APP_ID", Credential: true},
			{Key: "public_key", Env: "DISCORD_PUBLIC_KEY", Credential: true},
			{Key: "bot_token", Env: "DISCORD_BOT_TOKEN", Secret: true, Credential: true},
			{Key: "guild_id", Env: "DISCORD_GUILD_ID"},
			{Key: "api_url", Env: "DISCORD_API_URL", Check: checkAPIURL},
		},
		Complete: func(v config.Values) error {
			var errs []error
			if v.Get("app_id") == "" {
				errs = append(errs, errors.New("discord: DISCORD_APP_ID is required (the Application ID from the developer portal)"))
			}
			if v.Get("public_key") == "" && v.Get("bot_token") == "" {
				errs = append(errs, errors.New("discord: DISCORD_PUBLIC_KEY is required for HTTP interactions, or set DISCORD_BOT_TOKEN for the gateway"))
			} else if k := v.Get("public_key"); k != "" {
				if _, err := NewVerifier(k, time.Now); err != nil {
					errs = append(errs, err)
				}
			}
			return errors.Join(errs...)
		},
	}
}

func checkAPIURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be http(s)://host[:port]")
	}
	return nil
}

// Spec registers Discord as a platform.
func Spec() bot.Spec {
	return bot.Spec{Name: Name, Section: Section(), New: func(d bot.Deps, v config.Values) (bot.Platform, error) {
		return New(Config{AppID: v.Get("app_id"), PublicKey: v.Get("public_key"), BotToken: v.Get("bot_token"),
			GuildID: v.Get("guild_id"), APIURL: v.Get("api_url"), Log: d.Log, Observer: d.Observer,
			Replays: d.Replays, AllowReplays: d.AllowReplays}, d.Handler)
	}}
}

// New returns a Discord adapter answering through h. The configuration is
// validated by config (Section); New fails only on a public key it cannot
// use.
func New(cfg Config, h bot.Handler) (*Adapter, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
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
	a := &Adapter{cfg: cfg, h: h, log: cfg.Log.With("adapter", "discord"), cache: bot.NewResponseCache(1024), ids: newQueryIDs(cfg.Now)}
	a.bg, a.cancelBg = context.WithCancel(context.Background())
	if cfg.PublicKey != "" {
		v, err := NewVerifier(cfg.PublicKey, cfg.Now)
		if err != nil {
			return nil, err
		}
		a.verifier = v
	}
	return a, nil
}

// Register adds POST /discord/interactions to mux.
func (a *Adapter) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /discord/interactions", a.serveInteraction)
}

// serveInteraction verifies the signature before anything else (Discord
// probes endpoints with bad signatures and drops those that accept them),
// then answers.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if a.verifier == nil {
		http.Error(w, "HTTP interactions are not configured (no public key)", http.StatusNotFound)
		return
	}
	body, ok := bot.ReadBody(w, r, MaxBodyBytes)
	if !ok {
		return
	}
	if err := a.verifier.Verify(r.Header, body); err != nil {
		a.log.Warn("rejected unverified interaction", "remote", r.RemoteAddr, "reason", err.Error())
		bot.ReportRejected(a.cfg.Observer, string(Name), bot.RejectSignature)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	if !a.firstUse(w, r) {
		return
	}
	var req request
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	out, pic := a.encoded(r.Context(), req)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
	if pic && a.cfg.BotToken != "" {
		// A response to an HTTP interaction cannot carry files: the
		// picture is attached by editing the response once it exists.
		a.background("attaching the matrix picture", func(ctx context.Context) error { return a.attachPicture(ctx, req) })
	}
}

// encoded returns the JSON response to a request, from the cache when the
// same request was answered from the same briefing before, and whether its
// picture is to be attached afterwards.
func (a *Adapter) encoded(ctx context.Context, req request) ([]byte, bool) {
	start := time.Now()
	gen := a.h.Generation()
	key, br := a.prepare(req)
	if key != "" {
		if c, ok := a.cache.Get(gen, key); ok {
			a.cfg.Observer.Command(string(Name), c.Command, time.Since(start))
			return c.Body, c.Picture
		}
	}
	resp, kind, cacheable := a.respond(ctx, req, br)
	defer func() { a.cfg.Observer.Command(string(Name), kind, time.Since(start)) }()
	pic := resp.Data != nil && len(resp.Data.Files) > 0
	if pic { // the JSON carries no file and names no attachment
		d := *resp.Data
		d.Files, d.Attachments = nil, nil
		resp = &discordgo.InteractionResponse{Type: resp.Type, Data: &d}
	}
	out, err := json.Marshal(resp)
	if err != nil { // only if a response type cannot marshal: a programming error
		a.log.Error("encoding response", "err", err)
		return []byte(`{"type":4,"data":{"content":"Sorry, that answer could not be encoded.","flags":64}}`), false
	}
	if key != "" && cacheable {
		a.cache.Put(gen, key, bot.Cached{Body: out, Command: kind, Picture: pic})
	}
	return out, pic
}

// prepare builds the core request an interaction carries, once, and the
// key its response may be cached under ("" for interactions that are not
// commands, and for commands whose answers must not be cached).
func (a *Adapter) prepare(req request) (string, *bot.Request) {
	t := a.h.Table()
	var br bot.Request
	var prefix string
	switch req.Type {
	case discordgo.InteractionApplicationCommand:
		if req.Data.Name != commandName {
			return "", nil
		}
		br, prefix = toRequest(t, req.Data.Options), "c\x00"
	case discordgo.InteractionMessageComponent:
		if carried, ok := strings.CutPrefix(req.Data.CustomID, MoreCustomIDPrefix); ok {
			// The full card replaces the short answer; whether it keeps a
			// Share button depends on the message, so it is not cached.
			q, ok := a.ids.query(carried, req.Message.footer())
			if !ok {
				return "", &bot.Request{Err: expired}
			}
			br = t.Parse(q)
			br.Full = true
			return "", &br
		}
		if rest, ok := strings.CutPrefix(req.Data.CustomID, PageCustomIDPrefix); ok {
			n, carried, _ := strings.Cut(rest, ":")
			q, ok := a.ids.query(carried, req.Message.footer())
			page, err := strconv.Atoi(n)
			if !ok || err != nil {
				return "", &bot.Request{Err: expired}
			}
			br = t.Parse(q)
			br.Page = page
			br.Err = paging // answered as an update of the message
			return "", &br
		}
		if req.Data.CustomID == PickCustomID {
			if len(req.Data.Values) == 0 {
				return "", nil
			}
			br = t.Parse(req.Data.Values[0])
			return "", &br
		}
		carried, ok := strings.CutPrefix(req.Data.CustomID, ShareCustomIDPrefix)
		if !ok {
			return "", nil
		}
		q, ok := a.ids.query(carried, req.Message.footer())
		if !ok {
			return "", &bot.Request{Err: expired}
		}
		br, prefix = t.Parse(q), "s\x00"
	default:
		return "", nil
	}
	if c, ok := t.Lookup(br.Command); !ok || !c.Rules.Cacheable {
		return "", &br
	}
	return prefix + br.Key(), &br
}

// noMentions allows no mention of any kind: nothing in an answer pings.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// respond builds the response to any interaction, with its kind for
// metrics and whether it may be cached; it never fails: unknown kinds get
// a clear ephemeral message.
func (a *Adapter) respond(ctx context.Context, req request, br *bot.Request) (*discordgo.InteractionResponse, string, bool) {
	switch req.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, "ping", false
	case discordgo.InteractionApplicationCommand:
		if br == nil {
			return notice(fmt.Sprintf("Unknown command %q: this bot only answers /%s.", req.Data.Name, commandName)), "other", false
		}
		return a.answer(ctx, req.caller(), *br, true)
	case discordgo.InteractionMessageComponent:
		if br == nil {
			return notice("That button is not one of briefbot's."), "other", false
		}
		if br.Err == expired {
			return notice("That button has expired: ask again with " + bot.SlashCommand + "."), "other", false
		}
		if br.Full {
			return a.more(ctx, req, *br), "more", false
		}
		if br.Err == paging {
			br.Err = ""
			return a.turn(ctx, req, *br), "page", false
		}
		if req.Data.CustomID == PickCustomID {
			resp, kind, _ := a.answer(ctx, req.caller(), *br, true)
			return resp, kind, false
		}
		resp, _, cacheable := a.answer(ctx, req.caller(), *br, false)
		return resp, "share", cacheable
	case discordgo.InteractionApplicationCommandAutocomplete:
		return a.autocomplete(req.Data.Options), "autocomplete", false
	default:
		return notice(fmt.Sprintf("briefbot cannot handle interactions of type %d.", req.Type)), "other", false
	}
}

// answer answers a request: ephemerally with a Share button for lookups,
// or publicly when shared; per-channel answers are for the caller only.
func (a *Adapter) answer(ctx context.Context, c bot.Caller, req bot.Request, lookup bool) (*discordgo.InteractionResponse, string, bool) {
	r := a.h.Handle(ctx, c, req)
	data := &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{Render(r.Answer)},
		AllowedMentions: noMentions(),
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}
	if r.Private {
		data.Flags = discordgo.MessageFlagsEphemeral
		return resp, r.Command, false
	}
	if lookup {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	data.Components = append(a.buttons(data.Embeds[0], shareQuery(a.h.Table(), req), r.More, lookup),
		a.navigation(data.Embeds[0], r.Answer, shareQuery(a.h.Table(), req))...)
	if r.Picture {
		a.withPicture(data)
	}
	return resp, r.Command, r.Cacheable
}

// expired marks a button whose long query is no longer known; paging a
// request answered by turning the page in place.
const (
	expired = "\x00expired"
	paging  = "\x00page"
)

// turn replaces a list answer with the page its Previous or Next button
// names (UPDATE_MESSAGE), with its buttons and menu.
func (a *Adapter) turn(ctx context.Context, req request, br bot.Request) *discordgo.InteractionResponse {
	r := a.h.Handle(ctx, req.caller(), br)
	ephemeral := req.Message != nil && req.Message.Flags&discordgo.MessageFlagsEphemeral != 0
	data := &discordgo.InteractionResponseData{Embeds: []*discordgo.MessageEmbed{Render(r.Answer)}, AllowedMentions: noMentions()}
	data.Components = append(a.buttons(data.Embeds[0], shareQuery(a.h.Table(), br), r.More, ephemeral && !r.Private),
		a.navigation(data.Embeds[0], r.Answer, shareQuery(a.h.Table(), br))...)
	if data.Components == nil {
		data.Components = []discordgo.MessageComponent{}
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: data}
}

// navigation is a paged answer's Previous and Next buttons and a list
// answer's menu of its items.
func (a *Adapter) navigation(e *discordgo.MessageEmbed, ans briefings.Answer, q string) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	if ans.Pages > 1 {
		var row []discordgo.MessageComponent
		id := a.ids.id(PageCustomIDPrefix+"999:", q)
		if id != q && e.Footer != nil && !strings.Contains(e.Footer.Text, askedPrefix) {
			e.Footer.Text = cut(e.Footer.Text+"\n"+askedPrefix+bot.SlashCommand+" "+q, MaxFooter)
		}
		if ans.Page > 1 {
			row = append(row, discordgo.Button{Label: "◀ Previous", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("%s%d:%s", PageCustomIDPrefix, ans.Page-1, id)})
		}
		if ans.Page < ans.Pages {
			row = append(row, discordgo.Button{Label: "Next ▶", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("%s%d:%s", PageCustomIDPrefix, ans.Page+1, id)})
		}
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	var opts []discordgo.SelectMenuOption
	for _, c := range ans.Choices {
		if len(opts) == maxSelectOptions || len(c.Query) > maxOptionText {
			continue
		}
		opts = append(opts, discordgo.SelectMenuOption{Label: cut(c.Label, maxOptionText), Value: c.Query})
	}
	if len(opts) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.SelectMenu{CustomID: PickCustomID, Placeholder: "Open one…", Options: opts}}})
	}
	return rows
}

// buttons are the More button (when the full card says more) and the
// Share button (on a lookup only the asker sees), each when its query fits
// Discord's custom_id.
//
// Any question gets them: a query too long for a custom_id travels as a
// short id, and the embed's footer names the query.
func (a *Adapter) buttons(e *discordgo.MessageEmbed, q string, more, share bool) []discordgo.MessageComponent {
	var row []discordgo.MessageComponent
	long := false
	if more {
		id := a.ids.id(MoreCustomIDPrefix, q)
		long = long || id != q
		row = append(row, discordgo.Button{Label: "More", Style: discordgo.PrimaryButton, CustomID: MoreCustomIDPrefix + id})
	}
	if share {
		id := a.ids.id(ShareCustomIDPrefix, q)
		long = long || id != q
		row = append(row, discordgo.Button{Label: "Share", Style: discordgo.SecondaryButton, CustomID: ShareCustomIDPrefix + id})
	}
	if len(row) == 0 {
		return nil
	}
	if long && e.Footer != nil {
		e.Footer.Text = cut(e.Footer.Text+"\n"+askedPrefix+bot.SlashCommand+" "+q, MaxFooter)
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}

// more replaces the message a More button was pressed on with the full
// card (an UPDATE_MESSAGE response); a message only its asker sees keeps
// its Share button.
func (a *Adapter) more(ctx context.Context, req request, br bot.Request) *discordgo.InteractionResponse {
	r := a.h.Handle(ctx, req.caller(), br)
	ephemeral := req.Message != nil && req.Message.Flags&discordgo.MessageFlagsEphemeral != 0
	data := &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{Render(r.Answer)},
		AllowedMentions: noMentions(),
	}
	data.Components = a.buttons(data.Embeds[0], shareQuery(a.h.Table(), br), false, ephemeral && !r.Private)
	if data.Components == nil {
		data.Components = []discordgo.MessageComponent{} // remove the More button
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: data}
}

// shareQuery is the text that asks the request again (the buttons carry
// it).
func shareQuery(t *bot.Table, req bot.Request) string { return t.Text(req) }

// autocomplete offers at most 25 names for the focused option, ranked by
// the same matching the queries use.
func (a *Adapter) autocomplete(opts []*discordgo.ApplicationCommandInteractionDataOption) *discordgo.InteractionResponse {
	var choices []*discordgo.ApplicationCommandOptionChoice
	if len(opts) > 0 {
		sub := opts[0]
		var kind briefings.EntityKind
		typed := ""
		cmd, _ := a.h.Table().Lookup(sub.Name)
		for _, o := range sub.Options {
			if !o.Focused {
				continue
			}
			typed, _ = o.Value.(string)
			if cmd != nil {
				for _, p := range cmd.Params {
					if p.Name == o.Name {
						kind = p.Complete
					}
				}
			}
		}
		for _, c := range a.h.Briefing().Complete(kind, typed, 25) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Name, Value: c.Value})
		}
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices}}
}

func notice(msg string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: cut(msg, MaxContent), Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}}
}
