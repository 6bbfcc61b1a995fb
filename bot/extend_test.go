package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/plain"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/briefings"
)

// Adding a command is one table entry and its handler: it is parsed,
// answered, and appears in help, Slack's usage hint and Discord's
// registration with no other change.
func TestAddingACommand(t *testing.T) {
	br, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	echo := bot.Command{
		Name: "echo", Description: "Repeat the words back", Example: "echo hello",
		Params: []bot.Param{{Name: "words", Kind: bot.Text, Required: true, Usage: "WORDS", Description: "What to repeat"}},
		Rules:  bot.Rules{Cacheable: true},
		Handle: func(_ context.Context, in bot.Input) briefings.Answer {
			return briefings.Answer{Kind: in.Command.Name, Title: "Echo", Intro: in.Request.Arg("words")}
		},
	}
	b := bot.New(br, bot.WithCommands(echo))
	if got := plain.Render(b.Answer(context.Background(), "echo hello there"), ""); !strings.Contains(got, "hello there") {
		t.Errorf("answer: %s", got)
	}
	if got := plain.Render(b.Help(), bot.SlashCommand); !strings.Contains(got, "/guarantees echo WORDS: Repeat the words back") {
		t.Errorf("help lacks echo:\n%s", got)
	}
	if hint := slack.UsageHint(b.Table()); !strings.Contains(hint, "| echo WORDS") {
		t.Errorf("usage hint lacks echo: %s", hint)
	}
	reg, _ := json.Marshal(discord.Command(b.Table()))
	if !strings.Contains(string(reg), `"name":"echo"`) || !strings.Contains(string(reg), `"name":"words"`) {
		t.Errorf("discord registration lacks echo: %s", reg)
	}
	// The default bot has no such command.
	if _, ok := bot.New(br).Table().Lookup("echo"); ok {
		t.Error("echo leaked into the default table")
	}
}
