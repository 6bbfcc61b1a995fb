// Package config builds briefbot's configuration from the environment and
// validates it, with messages that name the setting at fault.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/digest"
)

// Config is briefbot's configuration.
type Config struct {
	// BriefingDir, when set, is a briefing directory used instead of the
	// briefing embedded in the binary (BRIEFBOT_BRIEFING, or --briefing).
	BriefingDir string
	// LogLevel is the minimum level logged (BRIEFBOT_LOG_LEVEL: debug,
	// info, warn, error; default info).
	LogLevel slog.Level
	// HTTPAddr is where the HTTP server listens when a platform needs it
	// (BRIEFBOT_HTTP_ADDR, default ":8080").
	HTTPAddr string
	// AllowReplays turns off the refusal of signed requests already
	// served (BRIEFBOT_ALLOW_REPLAYS=true; default false). Only for load
	// tests that replay one signed request.
	AllowReplays bool
	// Platforms are the registered platforms' sections, by name.
	Platforms map[string]Values
	Digests   Digests
	// Feeds are RSS or Atom feeds serve polls for new articles (feeds:).
	Feeds []Feed
	// Editors, when set, is the channel told about each new draft (editors:).
	Editors *Editors

	sections []Section
}

// Platform returns the values of the named platform's section.
func (c Config) Platform(name string) Values { return c.Platforms[name] }

// Configured reports whether the named platform has any credential set.
func (c Config) Configured(name string) bool {
	for _, s := range c.sections {
		if s.Name == name {
			return s.configured(c.Platforms[name])
		}
	}
	return false
}

// Digests configures scheduled digests.
type Digests struct {
	// DB is the SQLite database for subscriptions and the delivery ledger
	// (BRIEFBOT_DB, default ./briefbot.db; in-memory in console mode unless
	// set).
	DB string
	// Grace is how late a slot missed while the bot was down is still
	// delivered (BRIEFBOT_DIGEST_GRACE, default 2h).
	Grace time.Duration
	// Defaults are what a bare `subscribe` gets
	// (BRIEFBOT_DIGEST_FREQUENCY daily|weekdays, BRIEFBOT_DIGEST_TIME HH:MM,
	// BRIEFBOT_DIGEST_TZ; default digest.DefaultDefaults()).
	Defaults digest.Defaults
	// Declared are subscriptions the operator declares in the file.
	Declared []Declared
}

// Declared is a subscription from the configuration file.
type Declared struct {
	Platform string `yaml:"platform"`
	Channel  string `yaml:"channel"`
	Schedule string `yaml:"schedule"`
}

// file is the YAML configuration file's shape. Every key has an
// environment variable, which overrides it.
type file struct {
	Briefing string `yaml:"briefing"`  // BRIEFBOT_BRIEFING
	LogLevel string `yaml:"log_level"` // BRIEFBOT_LOG_LEVEL
	HTTPAddr string `yaml:"http_addr"` // BRIEFBOT_HTTP_ADDR
	DB       string `yaml:"db"`        // BRIEFBOT_DB
	// AllowReplays is BRIEFBOT_ALLOW_REPLAYS.
	AllowReplays string `yaml:"allow_replays"`
	// Platforms are the platforms' sections ("slack:", "discord:"), each
	// checked against its registered settings.
	Platforms map[string]yaml.Node `yaml:",inline"`
	Digest    struct {
		Frequency string `yaml:"frequency"` // BRIEFBOT_DIGEST_FREQUENCY
		Time      string `yaml:"time"`      // BRIEFBOT_DIGEST_TIME
		Timezone  string `yaml:"timezone"`  // BRIEFBOT_DIGEST_TZ
		Grace     string `yaml:"grace"`     // BRIEFBOT_DIGEST_GRACE
	} `yaml:"digest_defaults"`
	Digests []Declared `yaml:"digests"`
	Feeds   []feedFile `yaml:"feeds"`
	Editors *Editors   `yaml:"editors"`
}

// byEnv maps each environment variable to the file's value for it.
func (f *file) byEnv() map[string]string {
	return map[string]string{
		"BRIEFBOT_BRIEFING": f.Briefing, "BRIEFBOT_LOG_LEVEL": f.LogLevel, "BRIEFBOT_HTTP_ADDR": f.HTTPAddr, "BRIEFBOT_DB": f.DB,
		"BRIEFBOT_ALLOW_REPLAYS":    f.AllowReplays,
		"BRIEFBOT_DIGEST_FREQUENCY": f.Digest.Frequency, "BRIEFBOT_DIGEST_TIME": f.Digest.Time,
		"BRIEFBOT_DIGEST_TZ": f.Digest.Timezone, "BRIEFBOT_DIGEST_GRACE": f.Digest.Grace,
	}
}

// Load reads the configuration file at path (none when empty) and then the
// environment through getenv, which overrides the file, for the core
// settings and every registered platform section. It reports every
// invalid setting at once, each naming the setting.
func Load(path string, getenv func(string) string, sections ...Section) (Config, error) {
	var f file
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config file: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
			return Config{}, fmt.Errorf("config file %s: %w", path, err)
		}
	}
	fromFile := f.byEnv()
	merged := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return fromFile[name]
	}
	c := Config{
		BriefingDir: merged("BRIEFBOT_BRIEFING"),
		HTTPAddr:    merged("BRIEFBOT_HTTP_ADDR"),
		Platforms:   map[string]Values{},
		sections:    sections,
	}
	if c.HTTPAddr == "" {
		c.HTTPAddr = ":8080"
	}
	var errs []error
	switch v := strings.ToLower(merged("BRIEFBOT_ALLOW_REPLAYS")); v {
	case "", "false", "0", "no":
	case "true", "1", "yes":
		c.AllowReplays = true
	default:
		errs = append(errs, fmt.Errorf("BRIEFBOT_ALLOW_REPLAYS: %q: use true or false", v))
	}
	if lvl := merged("BRIEFBOT_LOG_LEVEL"); lvl != "" {
		if err := c.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			errs = append(errs, fmt.Errorf("BRIEFBOT_LOG_LEVEL: %q is not a level: use debug, info, warn or error", lvl))
		}
	}
	names := make([]string, 0, len(sections))
	for _, s := range sections {
		names = append(names, s.Name)
		var fromSection map[string]string
		if n, ok := f.Platforms[s.Name]; ok {
			if err := n.Decode(&fromSection); err != nil {
				errs = append(errs, fmt.Errorf("config file %s: %s: %w", path, s.Name, err))
			}
		}
		v, serrs := s.load(fromSection, getenv)
		c.Platforms[s.Name] = v
		errs = append(errs, serrs...)
	}
	for key := range f.Platforms {
		if !slices.Contains(names, key) {
			errs = append(errs, fmt.Errorf("config file %s: unknown key %q", path, key))
		}
	}

	d := &c.Digests
	def := digest.DefaultDefaults()
	d.DB = merged("BRIEFBOT_DB")
	d.Defaults = def
	// setting names where a value came from: the environment variable
	// when it is set, else the file's key.
	setting := func(env, key string) string {
		if strings.TrimSpace(getenv(env)) != "" {
			return env
		}
		return "config file " + path + ": " + key
	}
	if v := merged("BRIEFBOT_DIGEST_FREQUENCY"); v != "" {
		switch v {
		case digest.Daily, digest.Weekdays:
			d.Defaults.Weekdays = v == digest.Weekdays
		default:
			errs = append(errs, fmt.Errorf("%s: %q: use %s or %s", setting("BRIEFBOT_DIGEST_FREQUENCY", "digest_defaults.frequency"), v, digest.Daily, digest.Weekdays))
		}
	}
	if v := merged("BRIEFBOT_DIGEST_TIME"); v != "" {
		d.Defaults.Time = v
		if !digest.ValidTimeOfDay(v) {
			errs = append(errs, fmt.Errorf("%s: %q is not a time of day: use HH:MM, 24-hour, such as 08:00", setting("BRIEFBOT_DIGEST_TIME", "digest_defaults.time"), v))
		}
	}
	if v := merged("BRIEFBOT_DIGEST_TZ"); v != "" {
		d.Defaults.Zone = v
		if _, err := time.LoadLocation(v); err != nil || v == "Local" {
			errs = append(errs, fmt.Errorf("%s: %q is not an IANA time zone (such as Europe/Kyiv)", setting("BRIEFBOT_DIGEST_TZ", "digest_defaults.timezone"), v))
		}
	}
	d.Grace = 2 * time.Hour
	if g := merged("BRIEFBOT_DIGEST_GRACE"); g != "" {
		dur, err := time.ParseDuration(g)
		if err != nil || dur < 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a duration such as 2h or 90m", setting("BRIEFBOT_DIGEST_GRACE", "digest_defaults.grace"), g))
		} else {
			d.Grace = dur
		}
	}
	for i, s := range f.Digests {
		where := fmt.Sprintf("digests[%d]", i)
		if !slices.Contains(names, s.Platform) {
			errs = append(errs, fmt.Errorf("%s.platform: %q: use %s", where, s.Platform, orList(names)))
		}
		defChannel := ""
		if i := slices.IndexFunc(sections, func(x Section) bool { return x.Name == s.Platform }); i >= 0 {
			defChannel = sections[i].DefaultChannel
		}
		if strings.TrimSpace(s.Channel) == "" && defChannel == "" {
			errs = append(errs, fmt.Errorf("%s.channel: required (the platform's channel id, such as C0123456789 on Slack)", where))
		}
		if strings.TrimSpace(s.Schedule) == "" {
			errs = append(errs, fmt.Errorf("%s.schedule: required, such as \"CRON_TZ=Europe/Kyiv 0 8 * * 1-5\" or \"@daily\"", where))
		} else if _, err := digest.ParseSchedule(s.Schedule, time.UTC); err != nil {
			errs = append(errs, fmt.Errorf("%s.schedule: %v", where, err))
		}
		if s.Channel == "" {
			f.Digests[i].Channel = defChannel
		}
	}
	d.Declared = f.Digests
	c.Feeds, c.Editors = loadFeeds(&f, names, &errs)
	return c, errors.Join(errs...)
}

// ValidateServe checks what `briefbot serve` needs beyond well-formed
// values: a complete set of credentials for each platform that has any.
func (c Config) ValidateServe() error {
	var errs []error
	for _, s := range c.sections {
		if v := c.Platforms[s.Name]; s.configured(v) && s.Complete != nil {
			if err := s.Complete(v); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// redact shows whether a secret is set, never its value.
func redact(s string) string {
	if s == "" {
		return ""
	}
	return "(set, redacted)"
}

// Redacted returns the configuration as it would be printed: every
// setting, with secrets replaced by "(set, redacted)".
func (c Config) Redacted() map[string]any {
	declared := make([]map[string]string, 0, len(c.Digests.Declared))
	for _, d := range c.Digests.Declared {
		declared = append(declared, map[string]string{"platform": d.Platform, "channel": d.Channel, "schedule": d.Schedule})
	}
	out := map[string]any{
		"briefing":      c.BriefingDir,
		"log_level":     strings.ToLower(c.LogLevel.String()),
		"http_addr":     c.HTTPAddr,
		"db":            c.Digests.DB,
		"allow_replays": c.AllowReplays,
		"digest_defaults": map[string]string{
			"frequency": c.Digests.Defaults.Frequency(), "time": c.Digests.Defaults.Time, "timezone": c.Digests.Defaults.Zone,
			"grace": c.Digests.Grace.String(),
		},
		"digests": declared,
	}
	for _, s := range c.sections {
		if len(s.Settings) > 0 {
			out[s.Name] = s.redacted(c.Platforms[s.Name])
		}
	}
	return out
}
