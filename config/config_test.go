package config_test

import (
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/console"
	discordbot "github.com/briefbot/briefbot/bot/discord"
	slackbot "github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/config"
)

// sections are the registered platforms' sections, as serve has them.
var sections = []config.Section{slackbot.Section(), discordbot.Section(), console.Spec(nil, nil, false).Section}

func load(path string, getenv func(string) string) (config.Config, error) {
	return config.Load(path, getenv, sections...)
}

func chatConfigured(c config.Config) bool { return c.Configured("slack") || c.Configured("discord") }

func TestEnvironment(t *testing.T) {
	cases := []struct {
		name    string
		vars    map[string]string
		chat    bool
		level   slog.Level
		wantErr []string
	}{
		{"nothing set: console", nil, false, slog.LevelInfo, nil},
		{"slack http", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, true, slog.LevelInfo, nil},
		{"discord", map[string]string{"DISCORD_APP_ID": "1", "DISCORD_PUBLIC_KEY": "ab"}, true, slog.LevelInfo, nil},
		{"log level", map[string]string{"BRIEFBOT_LOG_LEVEL": "debug"}, false, slog.LevelDebug, nil},
		{"all problems at once", map[string]string{"BRIEFBOT_LOG_LEVEL": "loud", "SLACK_APP_TOKEN": "xoxb-x", "SLACK_BOT_TOKEN": "xapp-y"}, true, 0,
			[]string{"BRIEFBOT_LOG_LEVEL", "SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := load("", func(k string) string { return c.vars[k] })
			if len(c.wantErr) > 0 {
				if err == nil {
					t.Fatal("want an error")
				}
				for _, w := range c.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q: %v", w, err)
					}
				}
				for _, v := range c.vars {
					if strings.Contains(err.Error(), v) && len(v) > 4 {
						t.Errorf("error repeats the value %q", v)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if chatConfigured(cfg) != c.chat || cfg.LogLevel != c.level {
				t.Fatalf("got chat=%v level=%v", chatConfigured(cfg), cfg.LogLevel)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		p := dir + "/briefbot.yaml"
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write(`
log_level: debug
db: /var/lib/briefbot/briefbot.db
digest_defaults: {frequency: weekdays, time: "07:30", timezone: Europe/Kyiv, grace: 90m}
digests:
  - platform: slack
    channel: C0123456789
    schedule: "CRON_TZ=Europe/Kyiv 0 8 * * 1-5"
  - platform: console
    schedule: "@daily"
`)
	cfg, err := load(good, func(k string) string { return map[string]string{"BRIEFBOT_DIGEST_TIME": "06:00"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Digests
	if cfg.LogLevel != slog.LevelDebug || d.DB != "/var/lib/briefbot/briefbot.db" || !d.Defaults.Weekdays || d.Defaults.Time != "06:00" ||
		d.Defaults.Zone != "Europe/Kyiv" || d.Grace != 90*time.Minute || len(d.Declared) != 2 || d.Declared[1].Channel != "console" {
		t.Fatalf("loaded: %+v", cfg)
	}
	bad := write(`
digest_defaults: {frequency: hourly, time: "25:99", timezone: Mars/Olympus, grace: soon}
digests:
  - platform: irc
    channel: "#x"
    schedule: "@daily"
  - platform: slack
    schedule: "61 * * * *"
`)
	_, err = load(bad, func(string) string { return "" })
	// Each error names the file's key, since the value came from the file.
	for _, want := range []string{"digest_defaults.frequency", "digest_defaults.time", "digest_defaults.timezone", "digest_defaults.grace",
		"digests[0].platform", "digests[1].channel", "digests[1].schedule"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	// The same values from the environment name the variables, and a time
	// of day out of range is refused at start, not at the first subscribe.
	_, err = load("", func(k string) string {
		return map[string]string{"BRIEFBOT_DIGEST_TIME": "25:99", "BRIEFBOT_DIGEST_TZ": "Mars/Olympus"}[k]
	})
	for _, want := range []string{"BRIEFBOT_DIGEST_TIME: \"25:99\"", "BRIEFBOT_DIGEST_TZ: \"Mars/Olympus\""} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if _, err := load(write("unknown_key: 1\n"), func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "unknown_key") {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := load(dir+"/missing.yaml", func(string) string { return "" }); err == nil {
		t.Error("missing file accepted")
	}
}

func TestPlatformSections(t *testing.T) {
	dir := t.TempDir()
	p := dir + "/briefbot.yaml"
	os.WriteFile(p, []byte("slack:\n  bot_token: xoxb-file\n  signing_secret: file-secret\ndiscord:\n  app_id: \"123\"\n"), 0o600)
	cfg, err := load(p, func(k string) string { return map[string]string{"SLACK_SIGNING_SECRET": "env-secret"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	sl := cfg.Platform("slack")
	if sl.Get("bot_token") != "xoxb-file" || sl.Get("signing_secret") != "env-secret" || sl.Get("response") != "ephemeral" {
		t.Fatalf("slack section: %v", sl)
	}
	if !cfg.Configured("slack") || !cfg.Configured("discord") || cfg.Configured("console") {
		t.Fatal("configured platforms wrong")
	}
	// Discord has an app id but neither key nor token: serve refuses,
	// naming the settings.
	err = cfg.ValidateServe()
	if err == nil || !strings.Contains(err.Error(), "DISCORD_PUBLIC_KEY is required") || strings.Contains(err.Error(), "SLACK_") {
		t.Fatalf("validate serve: %v", err)
	}
	out := cfg.Redacted()
	if sl := out["slack"].(map[string]string); sl["bot_token"] != "(set, redacted)" || sl["signing_secret"] != "(set, redacted)" {
		t.Fatalf("redacted: %v", sl)
	}
	for body, want := range map[string]string{
		"slack:\n  bot_tokn: x\n": "slack.bot_tokn: unknown key",
		"matrix:\n  token: x\n":   `unknown key "matrix"`,
		"unknown_key: 1\n":        "unknown_key",
	} {
		os.WriteFile(p, []byte(body), 0o600)
		if _, err := load(p, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", body, err, want)
		}
	}
	// A malformed public key is caught once, in config, naming the setting.
	cfg, _ = load("", func(k string) string {
		return map[string]string{"DISCORD_APP_ID": "1", "DISCORD_PUBLIC_KEY": "ab"}[k]
	})
	if err := cfg.ValidateServe(); err == nil || !strings.Contains(err.Error(), "DISCORD_PUBLIC_KEY must be 64 hex") {
		t.Errorf("short public key: %v", err)
	}
}

func TestAllowReplays(t *testing.T) {
	cases := []struct {
		v       string
		want    bool
		wantErr bool
	}{{"", false, false}, {"true", true, false}, {"TRUE", true, false}, {"false", false, false}, {"sometimes", false, true}}
	for _, c := range cases {
		cfg, err := load("", func(k string) string {
			if k == "BRIEFBOT_ALLOW_REPLAYS" {
				return c.v
			}
			return ""
		})
		if (err != nil) != c.wantErr || cfg.AllowReplays != c.want {
			t.Errorf("%q: got %v %v", c.v, cfg.AllowReplays, err)
		}
		if err != nil && !strings.Contains(err.Error(), "BRIEFBOT_ALLOW_REPLAYS") {
			t.Errorf("%q: message does not name the setting: %v", c.v, err)
		}
	}
}
