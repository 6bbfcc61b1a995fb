package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	discordbot "github.com/briefbot/briefbot/bot/discord"
	slackbot "github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/metrics"
	"github.com/briefbot/briefbot/store/sqlite"
)

// shutdownGrace bounds how long in-flight answers and deliveries may take
// to finish after SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

// serve runs everything the configuration enables: the chat platforms, the
// HTTP server with the operations endpoints, the digest scheduler, and the
// console when no chat platform is configured.
func serve(ctx context.Context, cfg config.Config, args []string, e env, log *slog.Logger) int {
	if _, code, ok := subFlags("serve", &cfg, args, e, nil); !ok {
		return code
	}
	if err := cfg.ValidateServe(); err != nil {
		fmt.Fprintf(e.stderr, "briefbot: configuration:\n  %s\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
		return 2
	}
	b, err := loadBriefing(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return 1
	}
	chat := cfg.ChatConfigured()
	// In the console, start-up lines would mix with the answers: debug only.
	started := log.Info
	if !chat {
		started = log.Debug
	}
	m := metrics.New()

	dbPath := cfg.Digests.DB
	if dbPath == "" {
		dbPath = "briefbot.db"
		if !chat && len(cfg.Digests.Declared) == 0 {
			dbPath = ":memory:" // trying the console leaves no files behind
		}
	}
	st, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: BRIEFBOT_DB: %v\n", err)
		return 1
	}
	defer st.Close()
	deliverer := &digest.Deliverer{
		Store: st, Senders: map[digest.Platform]digest.Sender{digest.Console: console.NewSender(e.stdout)},
		Clock: digest.RealClock{}, Limits: digest.DefaultLimits(), Grace: cfg.Digests.Grace, Log: log, Observer: m,
	}
	runner := &digest.Runner{D: deliverer, Log: log}
	svc := &digest.Service{Store: st, Clock: digest.RealClock{}, Changed: func(ctx context.Context) {
		if err := runner.Sync(ctx); err != nil {
			log.Error("digest: re-scheduling", "err", err)
		}
	}, Defaults: digest.Defaults{Weekdays: cfg.Digests.Frequency == "weekdays", Time: cfg.Digests.Time, Zone: cfg.Digests.Zone}}
	bt := bot.New(b, bot.WithLogger(log), bot.WithDigests(svc))
	deliverer.Briefing = bt.Briefing
	for _, d := range cfg.Digests.Declared {
		if _, err := st.Subscribe(ctx, digest.Subscription{Platform: digest.Platform(d.Platform), Channel: d.Channel,
			Schedule: d.Schedule, FromConfig: true, CreatedBy: "configuration", CreatedAt: time.Now()}); err != nil {
			fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
			return 1
		}
	}
	started("digests: scheduler", "db", dbPath, "declared", len(cfg.Digests.Declared), "grace", cfg.Digests.Grace)
	go reloadOnHUP(ctx, e.hup, cfg, bt, log)

	if !chat {
		var adapter bot.Adapter = console.New(e.stdin, e.stdout, e.interactive)
		started("console: reading commands from standard input")
		rctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- runner.Run(rctx) }()
		err := adapter.Run(ctx, bt)
		stop()
		<-done
		if err != nil {
			log.Error("adapter stopped", "adapter", adapter.Name(), "err", err)
			return 1
		}
		return 0
	}
	if err := serveChat(ctx, cfg, bt, st, deliverer, runner, m, started, log); err != nil {
		log.Error("stopped", "err", err)
		return 1
	}
	log.Info("stopped cleanly")
	return 0
}

// reloadOnHUP reloads the briefing on SIGHUP, validated first: an invalid
// new briefing keeps the old one serving.
func reloadOnHUP(ctx context.Context, hup <-chan os.Signal, cfg config.Config, bt *bot.Bot, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-hup:
			if !ok {
				return
			}
			b, err := loadBriefing(cfg)
			if err != nil {
				log.Error("briefing reload failed; the current briefing keeps serving", "err", err)
				continue
			}
			bt.SetBriefing(b)
			log.Info("briefing reloaded", "sources", len(b.Sources), "actors", len(b.Actors), "options", len(b.Options), "positions", len(b.Positions))
		}
	}
}

// readiness is one condition /readyz checks.
type readiness struct {
	name string
	fn   func(context.Context) error
}

// serveChat runs the configured chat platforms and the HTTP server until
// ctx is done, then shuts down gracefully.
func serveChat(ctx context.Context, cfg config.Config, bt *bot.Bot, st *sqlite.Store, deliverer *digest.Deliverer,
	runner *digest.Runner, m *metrics.Metrics, started func(string, ...any), log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	mux := http.NewServeMux()
	runners := []func(context.Context) error{runner.Run}
	checks := []readiness{
		{"briefing", func(context.Context) error {
			if bt.Briefing() == nil {
				return errors.New("not loaded")
			}
			return nil
		}},
		{"store", st.Ping},
	}
	var waits []func()

	if d := cfg.Discord; d.Configured() {
		da, err := discordbot.New(discordbot.Config{AppID: d.AppID, PublicKey: d.PublicKey, BotToken: d.BotToken,
			GuildID: d.GuildID, APIURL: d.APIURL, Log: log, Observer: m}, bt)
		if err != nil {
			return err
		}
		if d.BotToken != "" {
			deliverer.Senders[digest.Discord] = da
			// A failed registration leaves the previous command in place:
			// log it and keep serving.
			if err := da.RegisterCommand(ctx); err != nil {
				log.Error("discord: command registration failed; the previously registered command stays", "err", err)
			}
		}
		if d.PublicKey != "" {
			da.Register(mux)
			started("discord: HTTP interactions", "endpoint", "POST /discord/interactions")
		} else {
			runners = append(runners, da.RunGateway)
			checks = append(checks, readiness{"discord gateway", connected(da.GatewayConnected)})
			started("discord: gateway")
		}
	}
	if s := cfg.Slack; s.Configured() {
		sa, err := slackbot.New(slackbot.Config{
			BotToken: s.BotToken, AppToken: s.AppToken, SigningSecret: s.SigningSecret,
			APIURL: s.APIURL, ResponseType: s.ResponseType, Log: log, Observer: m,
		}, bt)
		if err != nil {
			return err
		}
		waits = append(waits, sa.Wait)
		deliverer.Senders[digest.Slack] = sa
		if s.SigningSecret != "" {
			sa.Register(mux)
			started("slack: HTTP mode", "commands", "POST /slack/commands", "interactions", "POST /slack/interactions", "events", "POST /slack/events", "responses", s.ResponseType)
		}
		if s.AppToken != "" {
			runners = append(runners, sa.RunSocketMode)
			checks = append(checks, readiness{"slack socket mode", connected(sa.SocketConnected)})
			started("slack: Socket Mode", "responses", s.ResponseType)
		}
	}

	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		rctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		var b strings.Builder
		ready := true
		for _, c := range checks {
			if err := c.fn(rctx); err != nil {
				ready = false
				fmt.Fprintf(&b, "%s: %v\n", c.name, err)
			} else {
				fmt.Fprintf(&b, "%s: ok\n", c.name)
			}
		}
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		io.WriteString(w, b.String())
	})
	mux.Handle("GET /metrics", m.Handler())

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("BRIEFBOT_HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	// ReadTimeout bounds headers and body together against slow clients.
	// No WriteTimeout: answers (at most ~12 KB) fit the socket's send
	// buffer, so a slow reader cannot stall a write, and each timeout costs
	// a socket deadline per request.
	srv := &http.Server{Handler: mux, ReadTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	started("http: listening", "addr", ln.Addr().String(), "endpoints", "/healthz /readyz /metrics")
	runners = append(runners, func(ctx context.Context) error {
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case err := <-errc:
			return fmt.Errorf("http server: %w", err)
		case <-ctx.Done():
			// Stop taking requests; let those in flight finish.
			sctx, scancel := context.WithTimeout(context.Background(), shutdownGrace)
			defer scancel()
			if err := srv.Shutdown(sctx); err != nil {
				return fmt.Errorf("http server shutdown: %w", err)
			}
			return nil
		}
	})

	errc := make(chan error, len(runners))
	for _, run := range runners {
		go func() { errc <- run(ctx) }()
	}
	var first error
	for range runners {
		if err := <-errc; err != nil && first == nil {
			first = err
			cancel() // one part failed: stop the others
		}
	}
	for _, w := range waits { // background replies (mentions, shares)
		w()
	}
	return first
}

func connected(up func() bool) func(context.Context) error {
	return func(context.Context) error {
		if !up() {
			return errors.New("not connected")
		}
		return nil
	}
}

// healthcheck asks /healthz on BRIEFBOT_HTTP_ADDR, for container health
// checks in an image without a shell.
func healthcheck(cfg config.Config, e env) int {
	host, port, err := net.SplitHostPort(cfg.HTTPAddr)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot healthcheck: BRIEFBOT_HTTP_ADDR %q: %v\n", cfg.HTTPAddr, err)
		return 2
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot healthcheck: %v\n", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(e.stderr, "briefbot healthcheck: /healthz answered %s\n", resp.Status)
		return 1
	}
	return 0
}

// printConfig prints the effective configuration, every secret redacted.
func printConfig(cfg config.Config, e env) int {
	out, err := yaml.Marshal(cfg.Redacted())
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot config: %v\n", err)
		return 1
	}
	e.stdout.Write(out)
	return 0
}
