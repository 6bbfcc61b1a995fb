package config

import (
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
)

func TestFromEnv(t *testing.T) {
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
			cfg, err := FromEnv(func(k string) string { return c.vars[k] })
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
			if cfg.ChatConfigured() != c.chat || cfg.LogLevel != c.level {
				t.Fatalf("got chat=%v level=%v", cfg.ChatConfigured(), cfg.LogLevel)
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
	cfg, err := Load(good, func(k string) string { return map[string]string{"BRIEFBOT_DIGEST_TIME": "06:00"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Digests
	if cfg.LogLevel != slog.LevelDebug || d.DB != "/var/lib/briefbot/briefbot.db" || d.Frequency != "weekdays" || d.Time != "06:00" ||
		d.Zone != "Europe/Kyiv" || d.Grace != 90*time.Minute || len(d.Declared) != 2 || d.Declared[1].Channel != "console" {
		t.Fatalf("loaded: %+v", cfg)
	}
	bad := write(`
digest_defaults: {frequency: hourly, timezone: Mars/Olympus, grace: soon}
digests:
  - platform: irc
    channel: "#x"
    schedule: "@daily"
  - platform: slack
    schedule: "61 * * * *"
`)
	_, err = Load(bad, func(string) string { return "" })
	for _, want := range []string{"BRIEFBOT_DIGEST_FREQUENCY", "BRIEFBOT_DIGEST_TZ", "BRIEFBOT_DIGEST_GRACE", "digests[0].platform", "digests[1].channel", "digests[1].schedule"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if _, err := Load(write("unknown_key: 1\n"), func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "unknown_key") {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := Load(dir+"/missing.yaml", func(string) string { return "" }); err == nil {
		t.Error("missing file accepted")
	}
}
