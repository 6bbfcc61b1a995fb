package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/metrics"
)

// shutdownGrace bounds how long in-flight answers and deliveries may take
// to finish after SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

// serve runs everything the configuration enables: every configured
// platform, the HTTP server with the operations endpoints, and the digest
// scheduler; the console when no chat platform is configured.
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
	specs := platforms(e)
	var active []bot.Spec
	for _, s := range specs {
		if !s.Fallback && cfg.Configured(string(s.Name)) {
			active = append(active, s)
		}
	}
	chat := len(active) > 0
	if !chat {
		for _, s := range specs {
			if s.Fallback {
				active = append(active, s)
			}
		}
	}
	// In the console, start-up lines would mix with the answers: debug only.
	started := log.Info
	if !chat {
		started = log.Debug
	}
	m := metrics.New()

	st, dbPath, err := openStore(ctx, cfg, chat)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return 1
	}
	defer st.Close()
	deliverer := &digest.Deliverer{
		Store: st, Senders: map[briefbot.Platform]digest.Sender{},
		Clock: digest.RealClock{}, Limits: digest.DefaultLimits(), Grace: cfg.Digests.Grace, Log: log, Observer: m,
	}
	runner := &digest.Runner{D: deliverer, Log: log}
	svc := &digest.Service{Store: st, Clock: digest.RealClock{}, Defaults: cfg.Digests.Defaults, Changed: func(ctx context.Context) {
		if err := runner.Sync(ctx); err != nil {
			log.Error("digest: re-scheduling", "err", err)
		}
	}}
	bt := bot.New(b, bot.WithLogger(log), bot.WithDigests(svc))
	deliverer.Briefing = bt.Briefing

	// Build every active platform, and the fallbacks for their digest
	// senders (a declared console digest prints even beside Slack).
	deps := bot.Deps{Handler: bt, Log: log, Observer: m}
	shared := sharedSeen(cfg, st)
	deps.Replays, deps.AllowReplays = replayGuard(cfg, shared, log)
	deps.Events = shared // nil on SQLite: each adapter de-duplicates in memory
	var running []bot.Platform
	for _, s := range specs {
		isActive := slices.ContainsFunc(active, func(a bot.Spec) bool { return a.Name == s.Name })
		if !isActive && !s.Fallback {
			continue
		}
		p, err := s.New(deps, cfg.Platform(string(s.Name)))
		if err != nil {
			fmt.Fprintf(e.stderr, "briefbot: %s: %v\n", s.Name, err)
			return 1
		}
		if snd := p.Sender(); snd != nil {
			deliverer.Senders[s.Name] = snd
		}
		if isActive {
			running = append(running, p)
		}
	}
	if err := declare(ctx, st, cfg); err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return 1
	}
	started("digests: scheduler", "db", dbPath, "declared", len(cfg.Digests.Declared), "grace", cfg.Digests.Grace)
	go watchBriefing(ctx, e.hup, cfg, bt, log, watchInterval)
	go pollFeeds(ctx, cfg, bt, deliverer.Senders, log)

	needHTTP := slices.ContainsFunc(active, func(s bot.Spec) bool { return !s.Local })
	locals := map[briefbot.Platform]bool{}
	for _, s := range specs {
		locals[s.Name] = s.Local
	}
	if err := runPlatforms(ctx, cfg, bt, st, runner, running, locals, needHTTP, m, started, log); err != nil {
		log.Error("stopped", "err", err)
		return 1
	}
	if chat {
		log.Info("stopped cleanly")
	}
	return 0
}

// readiness is one condition /readyz checks.
type readiness struct {
	name string
	fn   func(context.Context) error
}

// runPlatforms starts every platform, then runs them, the digest runner
// and (when a platform needs it) the HTTP server until ctx is done or one
// of them ends; then it shuts everything down within shutdownGrace.
//
// A local platform (the console) ending ends serve; any other that stops
// is reported on /readyz while the rest keep serving.
func runPlatforms(ctx context.Context, cfg config.Config, bt *bot.Bot, st digest.Store, runner *digest.Runner,
	running []bot.Platform, locals map[briefbot.Platform]bool, needHTTP bool, m *metrics.Metrics, started func(string, ...any), log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	mux := http.NewServeMux()
	checks := []readiness{
		{"briefing", func(context.Context) error {
			if bt.Briefing() == nil {
				return errors.New("not loaded")
			}
			return nil
		}},
		{"store", storeReady(st, runner)},
	}
	runners := []func(context.Context) error{runner.Run}
	for _, p := range running {
		st := &platformState{}
		checks = append(checks, readiness{string(p.Name()), func(ctx context.Context) error {
			if err := st.failed(); err != nil {
				return fmt.Errorf("failed: %v", err)
			}
			return p.Ready(ctx)
		}})
		if err := p.Start(ctx, mux); err != nil {
			log.Error("platform failed to start; the others keep serving", "platform", p.Name(), "err", err)
			st.fail(err)
			continue
		}
		if locals[p.Name()] {
			runners = append(runners, p.Run) // the console's end of input ends serve
			continue
		}
		runners = append(runners, func(ctx context.Context) error {
			// A platform that stops (Socket Mode refused, the gateway
			// gone) is reported on /readyz and in the log; the others
			// keep serving.
			err := p.Run(ctx)
			if ctx.Err() != nil {
				return nil
			}
			if err == nil {
				err = errors.New("stopped")
			}
			log.Error("platform stopped; the others keep serving", "platform", p.Name(), "err", err)
			st.fail(err)
			<-ctx.Done()
			return nil
		})
	}
	if needHTTP {
		// The matrix picture, for Slack image blocks (SLACK_PUBLIC_URL).
		mux.Handle("GET "+bot.PicturePath, bot.PictureHandler(bt, log))
		srv, err := opsServer(cfg, mux, checks, m, started, log)
		if err != nil {
			return err
		}
		runners = append(runners, srv)
	}

	errc := make(chan error, len(runners))
	for _, run := range runners {
		go func() { errc <- run(ctx) }()
	}
	sctx, scancel, first := awaitRunners(ctx, cancel, errc, len(runners), log)
	defer scancel()
	for _, p := range running { // background replies (mentions, shares)
		if err := p.Stop(sctx); err != nil {
			log.Error("stopping", "platform", p.Name(), "err", err)
		}
	}
	return first
}

// platformState remembers why a platform stopped serving.
type platformState struct {
	mu  sync.Mutex
	err error
}

func (s *platformState) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

func (s *platformState) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// opsServer adds /healthz, /readyz and /metrics to mux and returns the
// HTTP server as a runner.
func opsServer(cfg config.Config, mux *http.ServeMux, checks []readiness, m *metrics.Metrics, started func(string, ...any),
	log *slog.Logger) (func(context.Context) error, error) {
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

	ln, err := edgeListen(cfg.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("BRIEFBOT_HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	srv := edgeServer(mux, m, log) // the limits are in edge.go
	started("http: listening", "addr", ln.Addr().String(), "endpoints", "/healthz /readyz /metrics")
	return func(ctx context.Context) error { return serveEdge(ctx, srv, ln) }, nil
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
