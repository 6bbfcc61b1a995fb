package slack

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestCheckedInManifestsAreCurrent keeps deploy/slack in step with the
// command schema: regenerate with the commands in the README.
func TestCheckedInManifestsAreCurrent(t *testing.T) {
	for file, base := range map[string]string{
		"../../deploy/slack/manifest.socket-mode.yaml": "",
		"../../deploy/slack/manifest.http-mode.yaml":   "https://briefbot.example.com",
	} {
		want, err := Manifest(base, newBot(t).Table())
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is stale: run briefbot slack-manifest and commit the output", file)
		}
	}
}

func TestManifestFitsSlack(t *testing.T) {
	for _, base := range []string{"", "https://bot.example.org/"} {
		raw, err := Manifest(base, newBot(t).Table())
		if err != nil {
			t.Fatal(err)
		}
		var m manifest
		if err := yaml.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		d := m.DisplayInformation
		cmd := m.Features.SlashCommands[0]
		switch {
		case len(d.Description) > 139, len(d.LongDescription) < 175 || len(d.LongDescription) > 4000,
			len(cmd.Description) > 2000, len(cmd.UsageHint) > 1000, cmd.Command != "/guarantees":
			t.Errorf("%q: outside Slack's manifest limits: %+v", base, m)
		}
		if m.Settings.SocketModeEnabled != (base == "") {
			t.Errorf("%q: socket mode %v", base, m.Settings.SocketModeEnabled)
		}
		if base != "" && (cmd.URL != "https://bot.example.org/slack/commands" || m.Settings.Interactivity.RequestURL != "https://bot.example.org/slack/interactions" ||
			m.Settings.EventSubscriptions.RequestURL != "https://bot.example.org/slack/events") {
			t.Errorf("request URLs: %+v", m.Settings)
		}
		for _, s := range []string{"commands", "chat:write", "app_mentions:read"} {
			if !strings.Contains(strings.Join(m.OAuthConfig.Scopes.Bot, " "), s) {
				t.Errorf("missing scope %s", s)
			}
		}
	}
	for _, bad := range []string{"http://insecure.example", "ftp://x", "not a url"} {
		if _, err := Manifest(bad, newBot(t).Table()); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
