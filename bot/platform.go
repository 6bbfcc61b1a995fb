package bot

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
)

// Platform is one place briefbot answers: a chat platform or the console.
// serve runs every configured platform through this contract alone.
type Platform interface {
	// Name identifies the platform in logs, metrics and the ledger.
	Name() briefbot.Platform
	// Start does the one-off set-up (Discord: command registration) and
	// adds the platform's HTTP endpoints to mux; it does not block.
	Start(ctx context.Context, mux *http.ServeMux) error
	// Run serves the platform's own connections (Socket Mode, the
	// gateway, standard input) until ctx is done or they end; a platform
	// served only over HTTP waits for ctx.
	Run(ctx context.Context) error
	// Stop waits, within ctx, for work started in the background
	// (replies sent after the ack).
	Stop(ctx context.Context) error
	// Ready reports why the platform cannot serve now, or nil.
	Ready(ctx context.Context) error
	// Sender posts digests to the platform; nil when it cannot.
	Sender() digest.Sender
}

// Deps are what the core gives every platform it builds.
type Deps struct {
	Handler  Handler
	Log      *slog.Logger
	Observer Observer
	// Replays is the replay guard the HTTP endpoints share (nil: each
	// adapter keeps its own in memory).
	Replays SeenSet
	// AllowReplays turns the replay check off (BRIEFBOT_ALLOW_REPLAYS).
	AllowReplays bool
	// Events remembers the platform events handled (Slack's event_id),
	// so a retried event is handled once; with replicas it is the shared
	// store (nil: each adapter keeps its own in memory).
	Events SeenSet
}

// Spec registers a platform: its name, its configuration section, and how
// to build it from that section's values. Adding a platform is a package
// that exports a Spec, and one line in cmd/briefbot's list of them.
type Spec struct {
	Name    briefbot.Platform
	Section config.Section
	New     func(d Deps, v config.Values) (Platform, error)
	// Fallback platforms (the console) are run only when no other
	// platform is configured; their digest sender is always available.
	Fallback bool
	// Local platforms need no HTTP server.
	Local bool
}
