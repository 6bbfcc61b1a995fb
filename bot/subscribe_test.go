package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/plain"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/sqlite"
)

func TestSubscriptionCommands(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	br, _ := briefings.LoadEmbedded()
	synced := 0
	svc := &digest.Service{Store: st, Defaults: digest.DefaultDefaults(), Clock: digest.RealClock{}, Changed: func(context.Context) { synced++ }}
	b := bot.New(br, bot.WithDigests(svc))
	slack := bot.Caller{Platform: "slack", Channel: "C1", User: "U1", CanManage: true}
	viewer := bot.Caller{Platform: "discord", Channel: "42", User: "7", Permission: "Manage Channels"}
	ask := func(c bot.Caller, text string) string {
		return plain.Render(b.AnswerFor(ctx, c, text), bot.SlashCommand)
	}

	cases := []struct {
		c    bot.Caller
		text string
		want string
	}{
		{slack, "subscriptions", "No subscription"},
		{slack, "/guarantees subscribe weekdays 07:30 Europe/Kyiv", "weekdays at 07:30 Europe/Kyiv"},
		{slack, "subscriptions", "CRON_TZ=Europe/Kyiv 30 7 * * 1-5"},
		{slack, "subscribe at dawn", "is not daily, weekdays"},
		{viewer, "subscribe", "needs the Manage Channels permission"},
		{viewer, "unsubscribe", "needs the Manage Channels permission"},
		{viewer, "subscriptions", "No subscription"},
		{bot.Caller{}, "subscribe", "use this command in the channel"},
		{slack, "unsubscribe", "Unsubscribed"},
	}
	for _, c := range cases {
		if got := ask(c.c, c.text); !strings.Contains(got, c.want) {
			t.Errorf("%q: %s", c.text, got)
		}
	}
	if synced != 2 {
		t.Errorf("runner synced %d times, want 2", synced)
	}
	// Without a digest service the commands say so.
	if got := plain.Render(bot.New(br).AnswerFor(ctx, slack, "subscribe"), ""); !strings.Contains(got, "not enabled") {
		t.Errorf("no service: %s", got)
	}
	for text, want := range map[string][2]bool{"actor trump": {true, false}, "digest": {false, false}, "subscribe": {false, true},
		"subscriptions": {false, true}, "": {true, false}} {
		r := b.Handle(ctx, slack, b.Table().Parse(text))
		if r.Cacheable != want[0] || r.Private != want[1] {
			t.Errorf("%q: cacheable %v, private %v; want %v", text, r.Cacheable, r.Private, want)
		}
	}
	// The store's failures are worded for users; the cause stays in the log.
	st.Close()
	if got := ask(slack, "subscribe"); !strings.Contains(got, "could not be saved; please try again") || strings.Contains(got, "sql") {
		t.Errorf("store failure: %s", got)
	}
}
