package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secretEnv are the settings whose values must never be repeated.
var secretEnv = []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_BOT_TOKEN"}

// otherEnv are the rest, for the fuzzer to set.
var otherEnv = []string{"BRIEFBOT_LOG_LEVEL", "BRIEFBOT_HTTP_ADDR", "BRIEFBOT_DIGEST_FREQUENCY", "BRIEFBOT_DIGEST_TIME", "BRIEFBOT_DIGEST_TZ",
	"BRIEFBOT_DIGEST_GRACE", "BRIEFBOT_ALLOW_REPLAYS", "DISCORD_APP_ID", "DISCORD_PUBLIC_KEY", "DISCORD_API_URL", "SLACK_API_URL", "BRIEFBOT_SLACK_RESPONSE"}

// FuzzLoad feeds any configuration file and any value of one setting to
// the loader: it reports or loads, never crashes, and neither its errors
// nor the printed configuration repeat a secret (a value containing
// "SECRET-" set in a secret variable).
func FuzzLoad(f *testing.F) {
	f.Add("", uint8(0), "xoxb-SECRET-1234")
	f.Add("slack:\n  bot_token: xoxb-1\n  signing_secret: s\n", uint8(2), "SECRET-signing")
	f.Add("log_level: loud\ndigest_defaults:\n  timezone: Mars/Base\n  grace: -1h\n", uint8(1), "xoxb-SECRET-app")
	f.Add("digests:\n  - platform: slack\n    channel: C1\n    schedule: \"CRON_TZ=Europe/Kyiv 0 8 * * 1-5\"\n", uint8(3), "SECRET-discord")
	f.Add("digests:\n  - platform: irc\n    schedule: \"@every 1s\"\n", uint8(4), "1h")
	f.Add("discord:\n  public_key: 00\n  app_id: 1\n", uint8(12), "0100000000000000000000000000000000000000000000000000000000000000")
	f.Add("slack: [1, 2]\nunknown: 1\n", uint8(9), "maybe")
	f.Add("\t- :\n{", uint8(5), "25:00")
	dir := f.TempDir()
	n := 0
	f.Fuzz(func(t *testing.T, file string, which uint8, value string) {
		n++
		path := filepath.Join(dir, fmt.Sprintf("c%d.yaml", n%4))
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		all := append(append([]string{}, secretEnv...), otherEnv...)
		name := all[int(which)%len(all)]
		cfg, err := load(path, func(k string) string {
			if k == name {
				return value
			}
			return ""
		})
		secret := strings.TrimSpace(value)
		isSecret := int(which)%len(all) < len(secretEnv) && strings.Contains(secret, "SECRET-")
		if err != nil {
			if isSecret && strings.Contains(err.Error(), secret) {
				t.Fatalf("%s's value repeated in: %v", name, err)
			}
			return
		}
		if isSecret && strings.Contains(fmt.Sprint(cfg.Redacted()), secret) {
			t.Fatalf("%s's value printed", name)
		}
		_ = cfg.ValidateServe() // must not crash either
	})
}
