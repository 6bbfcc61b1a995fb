package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// rewriteHost sends every request to another scheme and host: discordgo
// computes its endpoint URLs from package variables at start-up, so
// pointing the REST client elsewhere (DISCORD_API_URL) is done in the
// transport.
type rewriteHost struct {
	base *url.URL
	next http.RoundTripper
}

func (t rewriteHost) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
	return t.next.RoundTrip(r)
}

// session returns a discordgo session for REST (and the gateway), with 429
// retries turned off in discordgo, where they are unbounded, and bounded in
// withRetry instead.
func (a *Adapter) session() (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + a.cfg.BotToken)
	if err != nil {
		return nil, fmt.Errorf("discord: session: %w", err)
	}
	s.ShouldRetryOnRateLimit = false
	s.MaxRestRetries = 1
	client := &http.Client{Timeout: 10 * time.Second}
	if a.cfg.APIURL != "" {
		u, err := url.Parse(a.cfg.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("discord: DISCORD_API_URL %q must be http(s)://host[:port]", a.cfg.APIURL)
		}
		client.Transport = rewriteHost{base: u, next: http.DefaultTransport}
	}
	s.Client = client
	s.Identify.Intents = discordgo.IntentsGuilds // interactions need no privileged intents
	return s, nil
}

// withRetry runs call through the shared retry loop: a 429's retry_after
// is waited out (at least 100 ms, at most 30 s), three tries at most, and
// no wait follows the last try.
func (a *Adapter) withRetry(ctx context.Context, what string, call func() error) error {
	return bot.Retry{
		Tries: 3, MaxWait: 30 * time.Second, Sleep: a.cfg.Sleep,
		Classify: func(err error, _ int) bot.Verdict {
			var rl *discordgo.RateLimitError
			if errors.As(err, &rl) {
				return bot.Verdict{Retry: true, RateLimited: true, Wait: max(rl.RetryAfter, 100*time.Millisecond)}
			}
			return bot.Verdict{}
		},
		OnWait: func(v bot.Verdict, _ error) {
			a.cfg.Observer.RateLimited(string(Name))
			a.log.Warn("rate limited by Discord", "call", what, "retry_after", v.Wait)
		},
		OnGiveUp: func(error) { a.cfg.Observer.APIError(string(Name), what) },
	}.Do(ctx, call)
}

// RegisterCommand overwrites the application's commands with /guarantees:
// in one guild when DISCORD_GUILD_ID is set (instant while developing),
// globally otherwise.
func (a *Adapter) RegisterCommand(ctx context.Context) error {
	if a.cfg.BotToken == "" {
		return errors.New("discord: registering /guarantees needs DISCORD_BOT_TOKEN")
	}
	s, err := a.session()
	if err != nil {
		return err
	}
	err = a.withRetry(ctx, "bulk overwrite commands", func() error {
		_, err := s.ApplicationCommandBulkOverwrite(a.cfg.AppID, a.cfg.GuildID, []*discordgo.ApplicationCommand{Command(a.h.Table())}, discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		return fmt.Errorf("discord: registering /%s: %w", commandName, err)
	}
	scope := "globally"
	if a.cfg.GuildID != "" {
		scope = "in guild " + a.cfg.GuildID
	}
	a.log.Info("registered /"+commandName, "scope", scope)
	return nil
}

// RunGateway connects to the gateway and answers interactions that arrive
// there until ctx is done; discordgo reconnects after errors.
func (a *Adapter) RunGateway(ctx context.Context) error {
	s, err := a.session()
	if err != nil {
		return err
	}
	s.AddHandler(func(s *discordgo.Session, r *discordgo.Ready) {
		a.gatewayUp.Store(true)
		a.log.Info("connected to the Discord gateway", "user", r.User.Username)
	})
	s.AddHandler(func(s *discordgo.Session, _ *discordgo.Disconnect) {
		a.gatewayUp.Store(false)
		a.log.Warn("disconnected from the Discord gateway; reconnecting")
	})
	s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		// Every interaction gets its response within Discord's 3 seconds.
		rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		start := time.Now()
		req := fromInteraction(ic.Interaction)
		_, br := a.prepare(req)
		resp, kind, _ := a.respond(rctx, req, br)
		a.cfg.Observer.Command(string(Name), kind, time.Since(start))
		err := a.withRetry(rctx, "interaction response", func() error {
			if resp.Data != nil && len(resp.Data.Files) > 0 {
				return a.respondWithPicture(rctx, s, ic.Interaction, resp)
			}
			return s.InteractionRespond(ic.Interaction, resp, discordgo.WithContext(rctx))
		})
		if err != nil {
			a.log.Error("responding to interaction", "err", err)
		}
	})
	if err := s.Open(); err != nil {
		return fmt.Errorf("discord: opening the gateway: %w", err)
	}
	<-ctx.Done()
	if err := s.Close(); err != nil {
		return fmt.Errorf("discord: closing the gateway: %w", err)
	}
	return nil
}
