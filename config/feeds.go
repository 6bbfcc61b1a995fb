package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Feed is an RSS or Atom feed that serve polls; each new item becomes a
// draft for the editors, never published by itself.
type Feed struct {
	URL string
	// Every is the polling interval (every:, default 30m, at least 1m).
	Every time.Duration
}

// Editors is the channel that gets a short message per new draft.
type Editors struct {
	Platform string `yaml:"platform"`
	Channel  string `yaml:"channel"`
}

type feedFile struct {
	URL   string `yaml:"url"`
	Every string `yaml:"every"`
}

// DefaultFeedInterval is how often a feed is polled when every: is not set.
const DefaultFeedInterval = 30 * time.Minute

func loadFeeds(f *file, platforms []string, errs *[]error) ([]Feed, *Editors) {
	var out []Feed
	for i, ff := range f.Feeds {
		where := fmt.Sprintf("feeds[%d]", i)
		u, err := url.Parse(strings.TrimSpace(ff.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			*errs = append(*errs, fmt.Errorf("%s.url: %q is not an http(s) URL", where, ff.URL))
			continue
		}
		every := DefaultFeedInterval
		if ff.Every != "" {
			d, err := time.ParseDuration(ff.Every)
			if err != nil || d < time.Minute {
				*errs = append(*errs, fmt.Errorf("%s.every: %q: use a duration of at least 1m, such as 30m", where, ff.Every))
				continue
			}
			every = d
		}
		out = append(out, Feed{URL: u.String(), Every: every})
	}
	ed := f.Editors
	if ed != nil {
		if !slices.Contains(platforms, ed.Platform) {
			*errs = append(*errs, fmt.Errorf("editors.platform: %q: use %s", ed.Platform, orList(platforms)))
		}
		if strings.TrimSpace(ed.Channel) == "" {
			*errs = append(*errs, fmt.Errorf("editors.channel: required (the channel id that gets a message per new draft)"))
		}
	}
	return out, ed
}
