package slack

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/bot"
)

// UsageHint is the slash command's usage hint, generated from the command
// table: the default command is what an empty command runs, so it is left
// out, and the fallback's word is optional, so it shows as "a question".
func UsageHint(t *bot.Table) string {
	var parts []string
	for _, c := range t.Commands() {
		switch {
		case c.Default:
		case c.Fallback:
			parts = append(parts, "a "+strings.ToLower(c.Params[0].Usage))
		default:
			parts = append(parts, c.Usage())
		}
	}
	return "[" + strings.Join(parts, " | ") + "]"
}

// webMethod is a Web API method the adapter calls, with the bot scopes it
// needs.
type webMethod struct {
	Method string
	Scopes []string
}

// WebAPIMethods lists every Web API method the adapter calls (a test
// checks the list against the calls in the code) and the bot scopes each
// needs, per Slack's method documentation.
func WebAPIMethods() []webMethod {
	return []webMethod{
		{"chat.postMessage", []string{"chat:write"}},                              // app mention replies, digests
		{"conversations.join", []string{"channels:join"}},                         // a digest to a public channel the bot is not in
		{"conversations.history", []string{"channels:history", "groups:history"}}, // finding a digest whose send had an unknown outcome
		{"files.getUploadURLExternal", []string{"files:write"}},                   // the matrix picture: digests, "Post picture"
		{"files.completeUploadExternal", []string{"files:write"}},
		{"views.publish", nil},                                            // the Home tab: no scope beyond the app_home_opened event
		{"users.conversations", []string{"channels:read", "groups:read"}}, // the Home tab: the user's channels, for their digests
	}
}

// BotScopes are the bot token scopes the manifest asks for: those of the
// Web API methods called, the slash command, and the app_mention event.
func BotScopes() []string {
	set := map[string]bool{"commands": true, "app_mentions:read": true}
	for _, m := range WebAPIMethods() {
		for _, sc := range m.Scopes {
			set[sc] = true
		}
	}
	out := make([]string, 0, len(set))
	for sc := range set {
		out = append(out, sc)
	}
	slices.Sort(out)
	return out
}

type manifest struct {
	DisplayInformation struct {
		Name            string `yaml:"name"`
		Description     string `yaml:"description"`
		LongDescription string `yaml:"long_description"`
		BackgroundColor string `yaml:"background_color"`
	} `yaml:"display_information"`
	Features struct {
		BotUser struct {
			DisplayName  string `yaml:"display_name"`
			AlwaysOnline bool   `yaml:"always_online"`
		} `yaml:"bot_user"`
		AppHome struct {
			HomeTabEnabled     bool `yaml:"home_tab_enabled"`
			MessagesTabEnabled bool `yaml:"messages_tab_enabled"`
		} `yaml:"app_home"`
		SlashCommands []slashCommand `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuthConfig struct {
		Scopes struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		EventSubscriptions struct {
			RequestURL string   `yaml:"request_url,omitempty"`
			BotEvents  []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			IsEnabled  bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url,omitempty"`
		} `yaml:"interactivity"`
		OrgDeployEnabled     bool `yaml:"org_deploy_enabled"`
		SocketModeEnabled    bool `yaml:"socket_mode_enabled"`
		TokenRotationEnabled bool `yaml:"token_rotation_enabled"`
	} `yaml:"settings"`
}

type slashCommand struct {
	Command      string `yaml:"command"`
	URL          string `yaml:"url,omitempty"`
	Description  string `yaml:"description"`
	UsageHint    string `yaml:"usage_hint"`
	ShouldEscape bool   `yaml:"should_escape"`
}

// Manifest returns the Slack app manifest as YAML. With an empty base URL
// it is for Socket Mode; with a base URL (https://host) it is for HTTP mode
// and points Slack at base/slack/commands, /slack/interactions and
// /slack/events.
func Manifest(base string, t *bot.Table) ([]byte, error) {
	var m manifest
	d := &m.DisplayInformation
	d.Name = "briefbot"
	d.Description = "Briefs your team on security guarantees for Ukraine after a ceasefire, with sources."
	d.LongDescription = "Type /guarantees to see who proposes or rejects each way of guaranteeing Ukraine's security after a ceasefire, " +
		"and what each leader actually said. Every answer quotes its sources verbatim and says who said it, who reports it " +
		"and what an article only infers. Ask about a leader (/guarantees actor macron), an option (/guarantees option troops), " +
		"or in plain words (/guarantees what does trump think about troops); mention @briefbot to get an answer in a thread."
	d.BackgroundColor = "#1d3557"
	m.Features.BotUser.DisplayName = "briefbot"
	m.Features.BotUser.AlwaysOnline = true
	cmd := slashCommand{Command: bot.SlashCommand, Description: "Who backs which security guarantee for Ukraine, with quotes", UsageHint: UsageHint(t)}
	m.OAuthConfig.Scopes.Bot = BotScopes()
	m.Features.AppHome.HomeTabEnabled = true
	m.Settings.EventSubscriptions.BotEvents = []string{"app_home_opened", "app_mention"}
	m.Settings.Interactivity.IsEnabled = true
	if base == "" {
		m.Settings.SocketModeEnabled = true
	} else {
		u, err := url.Parse(base)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("slack manifest: base URL %q must be https://host (Slack only calls HTTPS endpoints)", base)
		}
		b := strings.TrimRight(base, "/")
		cmd.URL = b + "/slack/commands"
		m.Settings.Interactivity.RequestURL = b + "/slack/interactions"
		m.Settings.EventSubscriptions.RequestURL = b + "/slack/events"
	}
	m.Features.SlashCommands = []slashCommand{cmd}
	out, err := yaml.Marshal(&m)
	if err != nil {
		return nil, fmt.Errorf("slack manifest: %w", err)
	}
	mode, cmdline := "Socket Mode", "briefbot slack-manifest"
	if base != "" {
		mode, cmdline = "HTTP mode ("+base+")", cmdline+" --url "+base
	}
	head := "# Slack app manifest for briefbot, " + mode + ".\n# Generated by `" + cmdline +
		"`; create the app at https://api.slack.com/apps with \"From an app manifest\".\n"
	return append([]byte(head), out...), nil
}
