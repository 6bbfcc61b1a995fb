package discord

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings"
)

func newBot(t testing.TB) *bot.Bot {
	t.Helper()
	b, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(b)
}

// Discord's naming rule for chat commands and options (lowercase).
var discordName = regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)

func TestCommandFollowsDiscordRules(t *testing.T) {
	if "/"+commandName != bot.SlashCommand {
		t.Fatalf("command name %q does not match %q", commandName, bot.SlashCommand)
	}
	cmd := Command(newBot(t).Table())
	check := func(name, desc string) {
		if !discordName.MatchString(name) {
			t.Errorf("name %q breaks Discord's naming rules", name)
		}
		if n := len([]rune(desc)); n < 1 || n > 100 {
			t.Errorf("%q: description of %d characters", name, n)
		}
	}
	check(cmd.Name, cmd.Description)
	want := map[string]bool{"overview": true, "actor": true, "option": true, "ask": true, "matrix": true, "timeline": true, "sources": true, "digest": true, "help": true}
	if len(cmd.Options) > 25 {
		t.Errorf("%d subcommands", len(cmd.Options))
	}
	for _, sub := range cmd.Options {
		check(sub.Name, sub.Description)
		delete(want, sub.Name)
		for _, o := range sub.Options {
			check(o.Name, o.Description)
			if (sub.Name == "actor" || sub.Name == "option" || sub.Name == "matrix") && o.Name == "name" != o.Autocomplete {
				t.Errorf("%s %s: autocomplete %v", sub.Name, o.Name, o.Autocomplete)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("missing subcommands: %v", want)
	}
}

// Typed options become the request directly, equal to what the same
// words typed as text would give.
func TestRequestFromOptions(t *testing.T) {
	opt := func(name string, v any, sub ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Value: v, Options: sub}
	}
	type opts = []*discordgo.ApplicationCommandInteractionDataOption
	cases := []struct {
		opts opts
		text string
	}{
		{nil, ""},
		{opts{opt("overview", nil)}, ""},
		{opts{opt("actor", nil, opt("name", "macron"))}, "actor macron"},
		{opts{opt("ask", nil, opt("question", "what does trump think"))}, "ask what does trump think"},
		{opts{opt("matrix", nil)}, "matrix"},
		{opts{opt("subscribe", nil)}, "subscribe"},
		{opts{opt("subscribe", nil, opt("timezone", "Europe/Kyiv"))}, "subscribe Europe/Kyiv"},
		{opts{opt("subscribe", nil, opt("time", "07:30"))}, "subscribe 07:30"},
		{opts{opt("subscribe", nil, opt("frequency", "weekdays"), opt("time", "07:30"), opt("timezone", "Europe/Kyiv"))}, "subscribe weekdays 07:30 Europe/Kyiv"},
		{opts{opt("subscribe", nil, opt("timezone", "America/New_York"), opt("frequency", "daily"))}, "subscribe daily America/New_York"},
	}
	tb := newBot(t).Table()
	for _, c := range cases {
		got, want := toRequest(tb, c.opts), tb.Parse(c.text)
		if got.Key() != want.Key() || got.Err != want.Err {
			t.Errorf("%q: got %+v, want %+v", c.text, got, want)
		}
	}
}

func TestRenderWithinDiscordLimits(t *testing.T) {
	b := newBot(t)
	queries := []string{"", "help", "actors", "options", "matrix", "timeline", "sources", "digest", "trump and putin and macron", "war economy"}
	data, err := os.ReadFile("../testdata/questions.json")
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Cases []struct{ Ask string } }
	json.Unmarshal(data, &set)
	for _, c := range set.Cases {
		queries = append(queries, c.Ask)
	}
	for _, a := range b.Briefing().Actors {
		queries = append(queries, "actor "+a.ID)
	}
	for _, o := range b.Briefing().Options {
		queries = append(queries, "option "+o.ID)
	}
	for _, q := range queries {
		e := Render(b.Answer(context.Background(), q))
		checkEmbed(t, q, e)
	}
	// A very long answer is cut with a pointer.
	long := briefings.Answer{Title: "T", Next: []string{"actor trump"}}
	for range 40 {
		long.Sections = append(long.Sections, briefings.Section{Heading: "H", Text: string(make([]rune, 900))})
	}
	e := Render(long)
	checkEmbed(t, "long", e)
	if e.Fields[len(e.Fields)-1].Name != "More" {
		t.Error("no pointer to a narrower command")
	}
}

func checkEmbed(t *testing.T, q string, e *discordgo.MessageEmbed) {
	t.Helper()
	if len([]rune(e.Title)) > MaxTitle || len([]rune(e.Description)) > MaxDescription || len(e.Fields) > MaxFields ||
		e.Footer == nil || len([]rune(e.Footer.Text)) > MaxFooter || embedText(e) > MaxEmbedsText {
		t.Errorf("%q: outside Discord's limits (%d characters, %d fields)", q, embedText(e), len(e.Fields))
	}
	for _, f := range e.Fields {
		if n, v := len([]rune(f.Name)), len([]rune(f.Value)); n == 0 || n > MaxFieldName || v == 0 || v > MaxFieldValue {
			t.Errorf("%q: field %q of %d/%d characters", q, f.Name, n, v)
		}
	}
}

// embedText counts the characters Discord counts toward its 6,000 limit.
func embedText(e *discordgo.MessageEmbed) int {
	n := len([]rune(e.Title)) + len([]rune(e.Description))
	for _, f := range e.Fields {
		n += len([]rune(f.Name)) + len([]rune(f.Value))
	}
	if e.Footer != nil {
		n += len([]rune(e.Footer.Text))
	}
	return n
}
