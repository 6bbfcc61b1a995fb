package main

import (
	"log/slog"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/config"
)

// replayGuard is the replay guard the platforms' HTTP endpoints share:
// one set in memory, bounded, unless BRIEFBOT_ALLOW_REPLAYS turns the
// check off, which is logged as a warning.
func replayGuard(cfg config.Config, log *slog.Logger) (bot.SeenSet, bool) {
	if cfg.AllowReplays {
		log.Warn("BRIEFBOT_ALLOW_REPLAYS=true: a signed request replayed within its 5-minute window is served again; for load tests only, never in production")
		return nil, true
	}
	return bot.NewMemorySeen(bot.DefaultSeenKeys, time.Now), false
}
