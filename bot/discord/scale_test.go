package discord

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings/synth"
)

// Every answer, page and digest of a briefing ten times today's size stays
// within Discord's limits (embeds, fields, custom_id, components), and
// every list item is reachable by pages.
func TestLimitsAtTenTimesTheBriefing(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a briefing ten times the size")
	}
	br, err := synth.Load(10)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(br)
	a, err := New(Config{AppID: "1"}, b)
	if err != nil {
		t.Fatal(err)
	}
	tb := b.Table()
	var reqs []bot.Request
	for _, q := range []string{"", "help", "what does trump think about troops", "who backs troops", "digest", "trump and putin"} {
		reqs = append(reqs, tb.Parse(q))
	}
	for _, x := range br.Actors {
		reqs = append(reqs, tb.Parse("actor "+x.ID))
	}
	for _, o := range br.Options {
		reqs = append(reqs, tb.Parse("option "+o.ID), tb.Parse("matrix "+o.ID))
	}
	reached := map[string]bool{}
	for _, list := range []string{"actors", "options", "sources", "timeline", "matrix"} {
		first := b.Handle(context.Background(), bot.Caller{}, tb.Parse(list)).Answer
		for p := 1; p <= max(first.Pages, 1); p++ {
			r := tb.Parse(list)
			r.Page = p
			reqs = append(reqs, r)
		}
	}
	for _, req := range reqs {
		for _, full := range []bool{false, true} {
			req.Full = full
			resp, _, _ := a.answer(context.Background(), bot.Caller{}, req, true)
			q := shareQuery(tb, req)
			checkEmbed(t, q, resp.Data.Embeds[0])
			raw, _ := json.Marshal(resp.Data.Components)
			var rows []map[string]any
			json.Unmarshal(raw, &rows)
			if len(rows) > 5 {
				t.Errorf("%q: %d action rows", q, len(rows))
			}
			for _, row := range rows {
				comps, _ := row["components"].([]any)
				if len(comps) > 5 {
					t.Errorf("%q: %d components in a row", q, len(comps))
				}
				for _, c := range comps {
					cm := c.(map[string]any)
					if id, _ := cm["custom_id"].(string); len(id) > MaxCustomID {
						t.Errorf("%q: custom_id of %d", q, len(id))
					}
					if opts, _ := cm["options"].([]any); len(opts) > 25 {
						t.Errorf("%q: %d select options", q, len(opts))
					}
				}
			}
			if req.Command == "actors" {
				ans := b.Handle(context.Background(), bot.Caller{}, req).Answer
				for _, c := range ans.Choices {
					reached[c.Query] = true
				}
			}
		}
	}
	for _, x := range br.Actors {
		if !reached["actor "+x.ID] {
			t.Errorf("actor %s is on no page", x.ID)
		}
	}
	checkEmbed(t, "digest", Render(br.DigestFor(testNow, nil, true)))
}
