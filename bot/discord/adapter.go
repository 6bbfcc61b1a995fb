package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings"
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
}

// Briefer is what the adapter needs of the bot: answers, and the briefing
// for autocomplete.
type Briefer interface {
	bot.Handler
	Briefing() *briefings.Briefing
}

// Adapter answers /guarantees on Discord.
type Adapter struct {
	cfg      Config
	h        Briefer
	verifier *Verifier
	log      *slog.Logger
	cache    *bot.ResponseCache

	restOnce sync.Once // the REST session for digests, made on first use
	rest     *discordgo.Session
	restErr  error

	gatewayUp atomic.Bool
}

// GatewayConnected reports whether the gateway connection is up.
func (a *Adapter) GatewayConnected() bool { return a.gatewayUp.Load() }

// request is the part of an interaction briefbot reads. Decoding only this
// is several times cheaper than discordgo's full Interaction.
type request struct {
	Type      discordgo.InteractionType `json:"type"`
	ChannelID string                    `json:"channel_id"`
	Member    *member                   `json:"member"` // in guilds
	User      *userRef                  `json:"user"`   // in DMs
	Data      struct {
		Name     string                                               `json:"name"`
		CustomID string                                               `json:"custom_id"`
		Options  []*discordgo.ApplicationCommandInteractionDataOption `json:"options"`
	} `json:"data"`
}

// kind names the request for metrics.
func (r request) kind() string {
	switch r.Type {
	case discordgo.InteractionPing:
		return "ping"
	case discordgo.InteractionApplicationCommand:
		return bot.Kind(text(r.Data.Options))
	case discordgo.InteractionMessageComponent:
		return "share"
	case discordgo.InteractionApplicationCommandAutocomplete:
		return "autocomplete"
	}
	return "other"
}

// caller is who sent the interaction, where. In a guild, changing a
// channel's digest needs Manage Channels; a DM is the user's own.
func (r request) caller() bot.Caller {
	c := bot.Caller{Platform: digest.Discord, Channel: r.ChannelID}
	switch {
	case r.Member != nil:
		c.User = r.Member.User.ID
		c.CanManage = r.Member.Permissions&discordgo.PermissionManageChannels != 0
	case r.User != nil:
		c.User, c.CanManage = r.User.ID, true
	}
	return c
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
	}
	return r
}

// New returns a Discord adapter answering through h.
func New(cfg Config, h Briefer) (*Adapter, error) {
	if cfg.AppID == "" {
		return nil, errors.New("discord: DISCORD_APP_ID is required")
	}
	if cfg.PublicKey == "" && cfg.BotToken == "" {
		return nil, errors.New("discord: DISCORD_PUBLIC_KEY is required for HTTP interactions, or set DISCORD_BOT_TOKEN for the gateway")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Observer == nil {
		cfg.Observer = bot.NopObserver{}
	}
	a := &Adapter{cfg: cfg, h: h, log: cfg.Log.With("adapter", "discord"), cache: bot.NewResponseCache(1024)}
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
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var req request
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	out := a.encoded(r.Context(), req)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
}

// encoded returns the JSON response to a request, from the cache when the
// same question was answered from the same briefing before.
func (a *Adapter) encoded(ctx context.Context, req request) []byte {
	start := time.Now()
	defer func() { a.cfg.Observer.Command("discord", req.kind(), time.Since(start)) }()
	key := cacheKey(req)
	gen := bot.Generation(a.h)
	if key != "" {
		if b, ok := a.cache.Get(gen, key); ok {
			return b
		}
	}
	out, err := json.Marshal(a.respond(ctx, req))
	if err != nil { // only if a response type cannot marshal: a programming error
		a.log.Error("encoding response", "err", err)
		return []byte(`{"type":4,"data":{"content":"Sorry, that answer could not be encoded.","flags":64}}`)
	}
	if key != "" {
		a.cache.Put(gen, key, out)
	}
	return out
}

// cacheKey identifies a request whose response depends only on its text
// and the briefing; "" for those that must not be cached (the digest
// depends on the date).
func cacheKey(req request) string {
	switch req.Type {
	case discordgo.InteractionApplicationCommand:
		q := text(req.Data.Options)
		if req.Data.Name != commandName || !bot.Cacheable(q) {
			return ""
		}
		return "c\x00" + q
	case discordgo.InteractionMessageComponent:
		if q, ok := strings.CutPrefix(req.Data.CustomID, ShareCustomIDPrefix); ok && bot.Cacheable(q) {
			return "s\x00" + q
		}
	}
	return ""
}

// noMentions allows no mention of any kind: nothing in an answer pings.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// respond builds the response to any interaction; it never fails: unknown
// kinds get a clear ephemeral message.
func (a *Adapter) respond(ctx context.Context, req request) *discordgo.InteractionResponse {
	switch req.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}
	case discordgo.InteractionApplicationCommand:
		if req.Data.Name != commandName {
			return notice(fmt.Sprintf("Unknown command %q: this bot only answers /%s.", req.Data.Name, commandName))
		}
		return a.answer(ctx, req.caller(), text(req.Data.Options), true)
	case discordgo.InteractionMessageComponent:
		q, ok := strings.CutPrefix(req.Data.CustomID, ShareCustomIDPrefix)
		if !ok {
			return notice("That button is not one of briefbot's.")
		}
		return a.answer(ctx, req.caller(), q, false)
	case discordgo.InteractionApplicationCommandAutocomplete:
		return a.autocomplete(req.Data.Options)
	default:
		return notice(fmt.Sprintf("briefbot cannot handle interactions of type %d.", req.Type))
	}
}

// answer answers a query: ephemerally with a Share button for lookups, or
// publicly when shared.
func (a *Adapter) answer(ctx context.Context, c bot.Caller, q string, lookup bool) *discordgo.InteractionResponse {
	data := &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{Render(a.h.AnswerFor(ctx, c, q))},
		AllowedMentions: noMentions(),
	}
	if bot.PerChannel(q) {
		data.Flags = discordgo.MessageFlagsEphemeral
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}
	}
	if lookup {
		data.Flags = discordgo.MessageFlagsEphemeral
		if id := ShareCustomIDPrefix + q; len(id) <= MaxCustomID {
			data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Share", Style: discordgo.SecondaryButton, CustomID: id},
			}}}
		}
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}
}

// autocomplete offers at most 25 names for the focused option, ranked by
// the same matching the queries use.
func (a *Adapter) autocomplete(opts []*discordgo.ApplicationCommandInteractionDataOption) *discordgo.InteractionResponse {
	var choices []*discordgo.ApplicationCommandOptionChoice
	if len(opts) > 0 {
		sub := opts[0]
		kind := map[string]briefings.EntityKind{"actor": briefings.EntityActor, "option": briefings.EntityOption}[sub.Name]
		typed := ""
		for _, o := range sub.Options {
			if o.Focused {
				typed, _ = o.Value.(string)
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
