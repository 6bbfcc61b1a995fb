package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/config"
)

// The public edge's limits, sized to what Slack and Discord send: about 1
// KiB of headers (a few hundred bytes of them signature and timestamp),
// bodies under 64 KiB (the adapters' MaxBodyBytes), answers computed
// within the request in milliseconds.
const (
	// maxHeaderBytes bounds request headers (Go reads up to 4 KiB more
	// before refusing with 431). Go's default of 1 MiB let 1,000
	// connections with unfinished headers take 1.8 GiB.
	maxHeaderBytes = 8 << 10
	// readHeaderTimeout cuts a client that has not sent its headers.
	readHeaderTimeout = 5 * time.Second
	// readTimeout bounds headers and body together.
	readTimeout = 10 * time.Second
	// writeTimeout bounds the answer, from the end of the headers: a
	// client that never reads its response is cut.
	writeTimeout = 15 * time.Second
	// idleTimeout closes kept-alive connections with no request.
	idleTimeout = 60 * time.Second
	// maxConns caps open connections; more wait in the kernel's accept
	// queue until one closes.
	maxConns = 4096
	// maxInFlight caps requests being served at once; more get 503 with
	// Retry-After.
	maxInFlight = 256
	// drainGrace is how long the server waits for requests in flight
	// after SIGTERM before closing every connection; the rest of
	// shutdownGrace is for background replies and the store.
	drainGrace = 5 * time.Second
)

// edgeServer is the HTTP server for the platforms' endpoints and the
// operations endpoints, with the edge's limits.
func edgeServer(h http.Handler, obs bot.Observer, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           limitInFlight(h, maxInFlight, func() { bot.ReportRejected(obs, "http", bot.RejectOverload) }),
		MaxHeaderBytes:    maxHeaderBytes,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// edgeListen listens on addr with at most maxConns connections open.
func edgeListen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return netutil.LimitListener(ln, maxConns), nil
}

// limitInFlight serves at most n requests at once; the others get 503
// with Retry-After: 1 at once, and full is called for each.
func limitInFlight(h http.Handler, n int, full func()) http.Handler {
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			h.ServeHTTP(w, r)
		default:
			full()
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy, try again", http.StatusServiceUnavailable)
		}
	})
}

// serveEdge serves srv on ln until ctx is done, then drains requests in
// flight for at most drainGrace and closes what remains.
func serveEdge(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// Slow clients still connected: cut them.
		srv.Close()
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("http server shutdown: %w", err)
		}
	}
	return nil
}

// replayGuard is the replay guard the platforms' HTTP endpoints share:
// shared is the store's seen-set with replicas (PostgreSQL), nil on
// SQLite, where one set in memory, bounded, serves the one process.
// BRIEFBOT_ALLOW_REPLAYS turns the check off, which is logged as a
// warning.
func replayGuard(cfg config.Config, shared bot.SeenSet, log *slog.Logger) (bot.SeenSet, bool) {
	if cfg.AllowReplays {
		log.Warn("BRIEFBOT_ALLOW_REPLAYS=true: a signed request replayed within its 5-minute window is served again; for load tests only, never in production")
		return nil, true
	}
	if shared != nil {
		return shared, false
	}
	return bot.NewMemorySeen(bot.DefaultSeenKeys, time.Now), false
}

// awaitRunners waits for the first of n runners to end, cancels the
// others and waits for them, all within shutdownGrace of that moment: a
// runner still running then is abandoned (in-flight deliveries are
// settled at the next start). It returns a context holding what is left
// of the grace, for the platforms' Stop, and the first real error.
func awaitRunners(ctx context.Context, cancel context.CancelFunc, errc <-chan error, n int, log *slog.Logger) (context.Context, context.CancelFunc, error) {
	var first error
	note := func(err error) {
		stopping := ctx.Err() != nil && errors.Is(err, context.Canceled) // cut short by the shutdown itself
		if err != nil && !stopping && first == nil {
			first = err
		}
	}
	note(<-errc)
	cancel() // one part ended (an error, the console's end of input, or ctx): stop the others
	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	for i := 1; i < n; i++ {
		select {
		case err := <-errc:
			note(err)
		case <-sctx.Done():
			log.Error("shutdown: parts still running after the grace period; exiting", "running", n-i, "grace", shutdownGrace)
			return sctx, scancel, first
		}
	}
	return sctx, scancel, first
}
