package slack

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

// The manifest asks for a scope for every Web API method the code calls,
// and nothing more: the calls are read from the adapter's own source.
func TestScopesCoverTheMethodsCalled(t *testing.T) {
	// slack-go's client methods and the Web API methods they call.
	apiOf := map[string][]string{
		"PostMessageContext":             {"chat.postMessage"},
		"JoinConversationContext":        {"conversations.join"},
		"GetConversationHistoryContext":  {"conversations.history"},
		"UploadFileContext":              {"files.getUploadURLExternal", "files.completeUploadExternal"},
		"PublishViewContext":             {"views.publish"},
		"GetConversationsForUserContext": {"users.conversations"},
	}
	call := regexp.MustCompile(`a\.api\.(\w+)\(`)
	files, _ := filepath.Glob("*.go")
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllSubmatch(src, -1) {
			methods, ok := apiOf[string(m[1])]
			if !ok {
				t.Errorf("%s calls %s: add the Web API method it calls to this test and to WebAPIMethods", f, m[1])
				continue
			}
			for _, method := range methods {
				used[method] = true
			}
		}
	}
	declared := map[string]bool{}
	for _, m := range WebAPIMethods() {
		declared[m.Method] = true
		if !used[m.Method] {
			t.Errorf("WebAPIMethods lists %s, which the code never calls", m.Method)
		}
	}
	for m := range used {
		if !declared[m] {
			t.Errorf("the code calls %s, which WebAPIMethods does not list", m)
		}
	}
	want := []string{"app_mentions:read", "channels:history", "channels:join", "channels:read", "chat:write", "commands",
		"files:write", "groups:history", "groups:read"}
	if got := BotScopes(); !slices.Equal(got, want) {
		t.Errorf("scopes %v, want %v", got, want)
	}
}
