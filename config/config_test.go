package config

import (
	"log/slog"
	"strings"
	"testing"
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
