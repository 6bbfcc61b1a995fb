package main

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/ingest"
)

// watchInterval is how often serve looks at the briefing directory.
const watchInterval = 2 * time.Second

// briefingStamp sums up the briefing directory's files (names, sizes,
// modification times), drafts left out, so a change shows as a new stamp.
func briefingStamp(dir string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ingest.DraftsDir {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		if info, err := d.Info(); err == nil {
			b.WriteString(path + "\x00" + info.ModTime().String() + "\x00" + strconv.FormatInt(info.Size(), 10) + "\n")
		}
		return nil
	})
	return b.String()
}

// watchBriefing reloads the briefing when a file of its directory changes
// (an accepted draft, an editor's save) and on SIGHUP: polling
// modification times needs no platform support and sees edits made over a
// network share. An invalid briefing keeps the current one serving. Both
// triggers share this one loop, so at most one new copy is ever being
// loaded beside the one serving; the old copy goes as soon as the bot
// swaps (in-flight answers finish with it).
func watchBriefing(ctx context.Context, hup <-chan os.Signal, cfg config.Config, bt *bot.Bot, log *slog.Logger, every time.Duration) {
	var tick <-chan time.Time
	var last string
	if cfg.BriefingDir != "" {
		last = briefingStamp(cfg.BriefingDir)
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	for {
		why := "briefing changed on disk: reloaded"
		select {
		case <-ctx.Done():
			return
		case _, ok := <-hup:
			if !ok {
				hup = nil // no more signals; keep watching the directory
				continue
			}
			why = "briefing reloaded"
			if cfg.BriefingDir != "" {
				last = briefingStamp(cfg.BriefingDir)
			}
		case <-tick:
			now := briefingStamp(cfg.BriefingDir)
			if now == last {
				continue
			}
			last = now
		}
		b, err := loadBriefing(cfg)
		if err != nil {
			log.Error("briefing reload failed; the current briefing keeps serving", "err", err)
			continue
		}
		bt.SetBriefing(b)
		log.Info(why, "sources", len(b.Sources), "actors", len(b.Actors), "options", len(b.Options), "positions", len(b.Positions))
	}
}

// pollFeeds polls each configured feed on its interval; each new item
// becomes a draft and, when editors: is set, a short message there.
func pollFeeds(ctx context.Context, cfg config.Config, bt *bot.Bot, senders map[briefbot.Platform]digest.Sender, log *slog.Logger) {
	if len(cfg.Feeds) == 0 {
		return
	}
	if cfg.BriefingDir == "" {
		log.Error("feeds: configured, but drafts need an editable briefing (BRIEFBOT_BRIEFING); not polling")
		return
	}
	p := &ingest.Poller{Client: &http.Client{Timeout: 30 * time.Second}, Drafts: ingest.Drafts{Dir: cfg.BriefingDir},
		State: filepath.Join(cfg.BriefingDir, ingest.DraftsDir, "feeds.json"), Now: time.Now}
	for _, f := range cfg.Feeds {
		go func() {
			t := time.NewTicker(f.Every)
			defer t.Stop()
			for {
				made, err := p.Poll(ctx, bt.Briefing(), f.URL)
				if err != nil {
					log.Warn("feed: poll", "feed", f.URL, "err", err)
				}
				for _, d := range made {
					log.Info("feed: new draft", "feed", f.URL, "draft", d.Source.ID)
					notifyEditors(ctx, cfg, senders, d, log)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
}

// notifyEditors posts a short message about a new draft to the editors'
// channel through the platform's digest sender.
func notifyEditors(ctx context.Context, cfg config.Config, senders map[briefbot.Platform]digest.Sender, d ingest.Draft, log *slog.Logger) {
	if cfg.Editors == nil {
		return
	}
	snd := senders[briefbot.Platform(cfg.Editors.Platform)]
	if snd == nil {
		log.Warn("editors: no sender for the platform", "platform", cfg.Editors.Platform)
		return
	}
	a := briefings.Answer{Kind: "draft", Title: "New draft: " + d.Source.Title,
		Sections: []briefings.Section{{Text: draftSummary(d) + "\nReview it: briefbot review " + d.Source.ID}}}
	sub := digest.Subscription{Platform: briefbot.Platform(cfg.Editors.Platform), Channel: cfg.Editors.Channel}
	// A rate limit is waited out (up to three tries, a minute each at
	// most); any other error is logged, not retried, since the message may
	// have gone out.
	for try := 1; ; try++ {
		_, err := snd.Send(ctx, sub, time.Now(), a)
		var ra *digest.RetryAfterError
		if err == nil {
			return
		}
		if !errors.As(err, &ra) || try == 3 {
			log.Warn("editors: sending", "draft", d.Source.ID, "err", err)
			return
		}
		log.Info("editors: rate limited", "retry_after", ra.After)
		select {
		case <-ctx.Done():
			return
		case <-time.After(min(ra.After, time.Minute)):
		}
	}
}

func draftSummary(d ingest.Draft) string {
	return d.Source.ID + " (" + or(d.Source.Outlet, "?") + ", " + or(d.Source.Date, "undated") + "): " +
		itoa(len(d.Quotes)) + " quotes, " + itoa(len(d.NewActors)) + " new actors, " + itoa(len(d.Positions)) + " suggested positions"
}

func itoa(n int) string { return strconv.Itoa(n) }
