package slack

import (
	"context"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings/synth"
)

// scaledQueries are every answer a user can reach in a briefing: the
// example kinds, every actor and option, every page of every list, and
// the full cards.
func scaledQueries(t *testing.T, b *bot.Bot) []bot.Request {
	t.Helper()
	tb := b.Table()
	var out []bot.Request
	add := func(text string, page int, full bool) {
		r := tb.Parse(text)
		r.Page, r.Full = page, full
		out = append(out, r)
	}
	br := b.Briefing()
	for _, q := range []string{"", "help", "what does trump think about troops", "who backs troops", "digest", "trump and putin", "war economy"} {
		add(q, 0, false)
		add(q, 0, true)
	}
	for _, a := range br.Actors {
		add("actor "+a.ID, 0, false)
		add("actor "+a.ID, 0, true)
	}
	for _, o := range br.Options {
		add("option "+o.ID, 0, false)
		add("option "+o.ID, 0, true)
		add("matrix "+o.ID, 0, false)
	}
	for _, list := range []string{"actors", "options", "sources", "timeline", "matrix"} {
		a := b.Handle(context.Background(), bot.Caller{}, tb.Parse(list)).Answer
		for p := 1; p <= max(a.Pages, 1); p++ {
			add(list, p, false)
		}
	}
	return out
}

// Every answer, page and digest of a briefing ten times today's size stays
// within Block Kit's limits, and every list item is reachable by pages.
func TestLimitsAtTenTimesTheBriefing(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a briefing ten times the size")
	}
	br, err := synth.Load(10)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(br)
	reached := map[string]bool{}
	for _, req := range scaledQueries(t, b) {
		r := b.Handle(context.Background(), bot.Caller{}, req)
		text := b.Table().Text(req)
		checkLimits(t, Render(r.Answer, RenderOptions{ShareQuery: text, MoreQuery: text, PageQuery: text}))
		if req.Command == "actors" {
			for _, c := range r.Answer.Choices {
				reached[c.Query] = true
			}
		}
	}
	for _, a := range br.Actors {
		if !reached["actor "+a.ID] {
			t.Errorf("actor %s is on no page of actors", a.ID)
		}
	}
	checkLimits(t, Render(br.DigestFor(testNow, nil, true), RenderOptions{}))
}
