package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings"
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
	a := &Adapter{cfg: cfg, h: h, log: cfg.Log.With("adapter", "discord")}
	if cfg.PublicKey != "" {
		v, err := NewVerifier(cfg.PublicKey, cfg.Now)
		if err != nil {
			return nil, err
		}
		a.verifier = v
	}
	return a, nil
}

// Name implements bot.Adapter.
func (*Adapter) Name() string { return "discord" }

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
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read request", http.StatusBadRequest)
		return
	}
	if err := a.verifier.Verify(r.Header, body); err != nil {
		a.log.Warn("rejected unverified interaction", "remote", r.RemoteAddr, "reason", err.Error())
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var in discordgo.Interaction
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	resp := a.respond(r.Context(), &in)
	out, err := json.Marshal(resp)
	if err != nil {
		a.log.Error("encoding response", "err", err)
		http.Error(w, "cannot encode response", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
}

// noMentions allows no mention of any kind: nothing in an answer pings.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// respond builds the response to any interaction; it never fails: unknown
// kinds get a clear ephemeral message.
func (a *Adapter) respond(ctx context.Context, in *discordgo.Interaction) *discordgo.InteractionResponse {
	switch in.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}
	case discordgo.InteractionApplicationCommand:
		data := in.ApplicationCommandData()
		if data.Name != commandName {
			return notice(fmt.Sprintf("Unknown command %q: this bot only answers /%s.", data.Name, commandName))
		}
		q := text(data)
		return a.answer(ctx, q, true)
	case discordgo.InteractionMessageComponent:
		id := in.MessageComponentData().CustomID
		q, ok := strings.CutPrefix(id, ShareCustomIDPrefix)
		if !ok {
			return notice("That button is not one of briefbot's.")
		}
		return a.answer(ctx, q, false)
	case discordgo.InteractionApplicationCommandAutocomplete:
		return a.autocomplete(in.ApplicationCommandData())
	default:
		return notice(fmt.Sprintf("briefbot cannot handle interactions of type %d.", in.Type))
	}
}

// answer answers a query: ephemerally with a Share button for lookups, or
// publicly when shared.
func (a *Adapter) answer(ctx context.Context, q string, lookup bool) *discordgo.InteractionResponse {
	data := &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{Render(a.h.Answer(ctx, q))},
		AllowedMentions: noMentions(),
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
func (a *Adapter) autocomplete(data discordgo.ApplicationCommandInteractionData) *discordgo.InteractionResponse {
	var choices []*discordgo.ApplicationCommandOptionChoice
	if len(data.Options) > 0 {
		sub := data.Options[0]
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
