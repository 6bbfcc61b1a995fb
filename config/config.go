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
	Slack    Slack
	Discord  Discord
	Digests  Digests
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
	// Frequency, Time and Zone are what a bare `subscribe` gets
	// (BRIEFBOT_DIGEST_FREQUENCY daily|weekdays, BRIEFBOT_DIGEST_TIME HH:MM,
	// BRIEFBOT_DIGEST_TZ; default daily, 08:00, UTC).
	Frequency, Time, Zone string
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
	Slack    struct {
		BotToken      string `yaml:"bot_token"`      // SLACK_BOT_TOKEN
		AppToken      string `yaml:"app_token"`      // SLACK_APP_TOKEN
		SigningSecret string `yaml:"signing_secret"` // SLACK_SIGNING_SECRET
		APIURL        string `yaml:"api_url"`        // SLACK_API_URL
		Response      string `yaml:"response"`       // BRIEFBOT_SLACK_RESPONSE
	} `yaml:"slack"`
	Discord struct {
		AppID     string `yaml:"app_id"`     // DISCORD_APP_ID
		PublicKey string `yaml:"public_key"` // DISCORD_PUBLIC_KEY
		BotToken  string `yaml:"bot_token"`  // DISCORD_BOT_TOKEN
		GuildID   string `yaml:"guild_id"`   // DISCORD_GUILD_ID
		APIURL    string `yaml:"api_url"`    // DISCORD_API_URL
	} `yaml:"discord"`
	Digest struct {
		Frequency string `yaml:"frequency"` // BRIEFBOT_DIGEST_FREQUENCY
		Time      string `yaml:"time"`      // BRIEFBOT_DIGEST_TIME
		Timezone  string `yaml:"timezone"`  // BRIEFBOT_DIGEST_TZ
		Grace     string `yaml:"grace"`     // BRIEFBOT_DIGEST_GRACE
	} `yaml:"digest_defaults"`
	Digests []Declared `yaml:"digests"`
}

// byEnv maps each environment variable to the file's value for it.
func (f *file) byEnv() map[string]string {
	return map[string]string{
		"BRIEFBOT_BRIEFING": f.Briefing, "BRIEFBOT_LOG_LEVEL": f.LogLevel, "BRIEFBOT_HTTP_ADDR": f.HTTPAddr, "BRIEFBOT_DB": f.DB,
		"SLACK_BOT_TOKEN": f.Slack.BotToken, "SLACK_APP_TOKEN": f.Slack.AppToken, "SLACK_SIGNING_SECRET": f.Slack.SigningSecret,
		"SLACK_API_URL": f.Slack.APIURL, "BRIEFBOT_SLACK_RESPONSE": f.Slack.Response,
		"DISCORD_APP_ID": f.Discord.AppID, "DISCORD_PUBLIC_KEY": f.Discord.PublicKey, "DISCORD_BOT_TOKEN": f.Discord.BotToken,
		"DISCORD_GUILD_ID": f.Discord.GuildID, "DISCORD_API_URL": f.Discord.APIURL,
		"BRIEFBOT_DIGEST_FREQUENCY": f.Digest.Frequency, "BRIEFBOT_DIGEST_TIME": f.Digest.Time,
		"BRIEFBOT_DIGEST_TZ": f.Digest.Timezone, "BRIEFBOT_DIGEST_GRACE": f.Digest.Grace,
	}
}

// Load reads the configuration file at path (none when empty) and then the
// environment through getenv, which overrides the file. It reports every
// invalid setting at once, each naming the setting.
func Load(path string, getenv func(string) string) (Config, error) {
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
	c, err := FromEnv(merged)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	d := &c.Digests
	d.DB = merged("BRIEFBOT_DB")
	d.Frequency = merged("BRIEFBOT_DIGEST_FREQUENCY")
	d.Time = merged("BRIEFBOT_DIGEST_TIME")
	d.Zone = merged("BRIEFBOT_DIGEST_TZ")
	if d.Frequency == "" {
		d.Frequency = "daily"
	}
	if d.Time == "" {
		d.Time = "08:00"
	}
	if d.Zone == "" {
		d.Zone = "UTC"
	}
	if d.Frequency != "daily" && d.Frequency != "weekdays" {
		errs = append(errs, fmt.Errorf("BRIEFBOT_DIGEST_FREQUENCY: %q: use daily or weekdays", d.Frequency))
	}
	if _, err := time.LoadLocation(d.Zone); err != nil {
		errs = append(errs, fmt.Errorf("BRIEFBOT_DIGEST_TZ: %q is not an IANA time zone (such as Europe/Kyiv)", d.Zone))
	}
	d.Grace = 2 * time.Hour
	if g := merged("BRIEFBOT_DIGEST_GRACE"); g != "" {
		dur, err := time.ParseDuration(g)
		if err != nil || dur < 0 {
			errs = append(errs, fmt.Errorf("BRIEFBOT_DIGEST_GRACE: %q is not a duration such as 2h or 90m", g))
		} else {
			d.Grace = dur
		}
	}
	for i, s := range f.Digests {
		where := fmt.Sprintf("digests[%d]", i)
		switch s.Platform {
		case "slack", "discord", "console":
		default:
			errs = append(errs, fmt.Errorf("%s.platform: %q: use slack, discord or console", where, s.Platform))
		}
		if strings.TrimSpace(s.Channel) == "" && s.Platform != "console" {
			errs = append(errs, fmt.Errorf("%s.channel: required (a Slack channel id such as C0123456789, or a Discord channel id)", where))
		}
		if strings.TrimSpace(s.Schedule) == "" {
			errs = append(errs, fmt.Errorf("%s.schedule: required, such as \"CRON_TZ=Europe/Kyiv 0 8 * * 1-5\" or \"@daily\"", where))
		} else if _, err := digest.ParseSchedule(s.Schedule, time.UTC); err != nil {
			errs = append(errs, fmt.Errorf("%s.schedule: %v", where, err))
		}
		if s.Platform == "console" && s.Channel == "" {
			f.Digests[i].Channel = "console"
		}
	}
	d.Declared = f.Digests
	return c, errors.Join(errs...)
}

// Slack holds the Slack credentials.
type Slack struct {
	BotToken      string // SLACK_BOT_TOKEN
	AppToken      string // SLACK_APP_TOKEN (Socket Mode)
	SigningSecret string // SLACK_SIGNING_SECRET (HTTP mode)
	APIURL        string // SLACK_API_URL (default: Slack's own)
	// ResponseType is how /guarantees answers: "ephemeral" (default, with a
	// Share button) or "in_channel" (BRIEFBOT_SLACK_RESPONSE).
	ResponseType string
}

// Discord holds the Discord credentials.
type Discord struct {
	BotToken  string // DISCORD_BOT_TOKEN
	AppID     string // DISCORD_APP_ID
	PublicKey string // DISCORD_PUBLIC_KEY (HTTP interactions)
	GuildID   string // DISCORD_GUILD_ID (register the command in one guild)
	APIURL    string // DISCORD_API_URL (default: Discord's own)
}

// Configured reports whether any Slack credential is set.
func (s Slack) Configured() bool {
	return s.BotToken != "" || s.AppToken != "" || s.SigningSecret != ""
}

// Configured reports whether any Discord credential is set.
func (d Discord) Configured() bool { return d.BotToken != "" || d.AppID != "" || d.PublicKey != "" }

// ChatConfigured reports whether any chat platform has credentials; when
// none has, briefbot runs the console.
func (c Config) ChatConfigured() bool { return c.Slack.Configured() || c.Discord.Configured() }

// FromEnv reads the configuration from environment variables through
// getenv (os.Getenv in production, a map in tests). It reports every
// invalid setting at once.
func FromEnv(getenv func(string) string) (Config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c := Config{
		BriefingDir: get("BRIEFBOT_BRIEFING"),
		HTTPAddr:    get("BRIEFBOT_HTTP_ADDR"),
		Slack: Slack{
			APIURL:        get("SLACK_API_URL"),
			ResponseType:  get("BRIEFBOT_SLACK_RESPONSE"),
			BotToken:      get("SLACK_BOT_TOKEN"),
			AppToken:      get("SLACK_APP_TOKEN"),
			SigningSecret: get("SLACK_SIGNING_SECRET"),
		},
		Discord: Discord{
			BotToken:  get("DISCORD_BOT_TOKEN"),
			AppID:     get("DISCORD_APP_ID"),
			PublicKey: get("DISCORD_PUBLIC_KEY"),
			GuildID:   get("DISCORD_GUILD_ID"),
			APIURL:    get("DISCORD_API_URL"),
		},
	}
	if c.HTTPAddr == "" {
		c.HTTPAddr = ":8080"
	}
	if c.Slack.ResponseType == "" {
		c.Slack.ResponseType = "ephemeral"
	}
	var errs []error
	if c.Slack.ResponseType != "ephemeral" && c.Slack.ResponseType != "in_channel" {
		errs = append(errs, fmt.Errorf("BRIEFBOT_SLACK_RESPONSE: %q: use ephemeral or in_channel", c.Slack.ResponseType))
	}
	if u := c.Slack.APIURL; u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		errs = append(errs, errors.New("SLACK_API_URL: must start with http:// or https://"))
	}
	if lvl := get("BRIEFBOT_LOG_LEVEL"); lvl != "" {
		if err := c.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			errs = append(errs, fmt.Errorf("BRIEFBOT_LOG_LEVEL: %q is not a level: use debug, info, warn or error", lvl))
		}
	}
	if t := c.Slack.AppToken; t != "" && !strings.HasPrefix(t, "xapp-") {
		errs = append(errs, errors.New("SLACK_APP_TOKEN: an app-level token starts with xapp-"))
	}
	if t := c.Slack.BotToken; t != "" && !strings.HasPrefix(t, "xoxb-") {
		errs = append(errs, errors.New("SLACK_BOT_TOKEN: a bot token starts with xoxb-"))
	}
	return c, errors.Join(errs...)
}

// ValidateServe checks what `briefbot serve` needs beyond well-formed
// values: a complete set of credentials for each platform that has any.
func (c Config) ValidateServe() error {
	var errs []error
	if s := c.Slack; s.Configured() {
		if s.BotToken == "" {
			errs = append(errs, errors.New("slack: SLACK_BOT_TOKEN is required (the xoxb- token from OAuth & Permissions)"))
		}
		if s.SigningSecret == "" && s.AppToken == "" {
			errs = append(errs, errors.New("slack: SLACK_SIGNING_SECRET is required for HTTP mode, or set SLACK_APP_TOKEN for Socket Mode"))
		}
	}
	if d := c.Discord; d.Configured() {
		if d.AppID == "" {
			errs = append(errs, errors.New("discord: DISCORD_APP_ID is required (the Application ID from the developer portal)"))
		}
		if d.PublicKey == "" && d.BotToken == "" {
			errs = append(errs, errors.New("discord: DISCORD_PUBLIC_KEY is required for HTTP interactions, or set DISCORD_BOT_TOKEN for the gateway"))
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
	return map[string]any{
		"briefing":  c.BriefingDir,
		"log_level": strings.ToLower(c.LogLevel.String()),
		"http_addr": c.HTTPAddr,
		"db":        c.Digests.DB,
		"slack": map[string]string{
			"bot_token": redact(c.Slack.BotToken), "app_token": redact(c.Slack.AppToken),
			"signing_secret": redact(c.Slack.SigningSecret), "api_url": c.Slack.APIURL, "response": c.Slack.ResponseType,
		},
		"discord": map[string]string{
			"app_id": c.Discord.AppID, "public_key": c.Discord.PublicKey, "bot_token": redact(c.Discord.BotToken),
			"guild_id": c.Discord.GuildID, "api_url": c.Discord.APIURL,
		},
		"digest_defaults": map[string]string{
			"frequency": c.Digests.Frequency, "time": c.Digests.Time, "timezone": c.Digests.Zone, "grace": c.Digests.Grace.String(),
		},
		"digests": declared,
	}
}
