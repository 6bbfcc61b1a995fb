package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/slack-go/slack"

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

// blockTexts returns every text in the blocks, by kind.
func blockTexts(t *testing.T, blocks []slack.Block) (header string, texts []string) {
	t.Helper()
	for _, b := range blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			header = b.Text.Text
			texts = append(texts, b.Text.Text)
		case *slack.SectionBlock:
			texts = append(texts, b.Text.Text)
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				if to, ok := e.(*slack.TextBlockObject); ok {
					texts = append(texts, to.Text)
				}
			}
		case *slack.ActionBlock:
		default:
			t.Fatalf("unexpected block %T", b)
		}
	}
	return header, texts
}

// checkLimits asserts Slack's limits on a rendered message.
func checkLimits(t *testing.T, m Message) string {
	t.Helper()
	if len(m.Blocks) == 0 || len(m.Blocks) > MaxBlocks {
		t.Errorf("%d blocks", len(m.Blocks))
	}
	header, texts := blockTexts(t, m.Blocks)
	if header == "" || len([]rune(header)) > MaxHeaderText {
		t.Errorf("header %q", header)
	}
	total := 0
	for _, s := range texts {
		if len([]rune(s)) > MaxSectionText {
			t.Errorf("text of %d characters", len([]rune(s)))
		}
		total += len([]rune(s))
	}
	if total > 12000 {
		t.Errorf("message text totals %d characters", total)
	}
	if m.Text == "" {
		t.Error("no fallback text")
	}
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestRenderEveryAnswerWithinLimits(t *testing.T) {
	b := newBot(t)
	br := b.Briefing()
	queries := []string{"", "help", "actors", "options", "matrix", "timeline", "sources", "digest", "trump and putin and macron and zelensky",
		"war economy", "what did bloomberg report", "actor angela merkel"}
	data, err := os.ReadFile("../testdata/questions.json")
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Cases []struct{ Ask string } }
	if err := json.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	for _, c := range set.Cases {
		queries = append(queries, c.Ask)
	}
	for _, a := range br.Actors {
		queries = append(queries, "actor "+a.ID)
	}
	for _, o := range br.Options {
		queries = append(queries, "option "+o.ID)
	}
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			checkLimits(t, Render(b.Answer(context.Background(), q), RenderOptions{ShareQuery: q + " "}))
		})
	}
}

func TestRenderShortensWhatDoesNotFit(t *testing.T) {
	long := strings.Repeat("A long paragraph of analysis. ", 150) // ~4,500 characters
	a := briefings.Answer{Title: strings.Repeat("Title ", 60), Next: []string{"actor trump"},
		Sources: []briefings.SourceRef{{ID: "s", Outlet: "SME", Title: "T", URL: "https://www.sme.sk/"}}}
	for range 80 {
		a.Sections = append(a.Sections, briefings.Section{Heading: "Part", Text: long})
	}
	m := Render(a, RenderOptions{ShareQuery: "matrix"})
	raw := checkLimits(t, m)
	if !strings.Contains(raw, "longer than a Slack message allows") || !strings.Contains(raw, "/guarantees actor trump") {
		t.Error("no pointer to a narrower command")
	}
	if !strings.Contains(raw, ShareActionID) || !strings.Contains(raw, "Sources:") {
		t.Error("the sources line or share button was lost when shortening")
	}
}

func TestRenderEscapesEverything(t *testing.T) {
	evil := "<!channel> <!here|here> <@U024BE7LH> <#C123> <https://evil.example|click> & more"
	a := briefings.Answer{Title: evil, Intro: evil, Notes: []string{evil},
		Sections: []briefings.Section{{Heading: evil, Text: evil, Items: []briefings.Item{{Text: evil}},
			Fields: []briefings.Field{{Label: evil, Value: evil}}, Quotes: []briefings.Quote{{Text: evil, Attribution: evil}}}}}
	m := Render(a, RenderOptions{Footer: evil})
	raw, _ := json.Marshal(m)
	for _, bad := range []string{"<!", "<@", "<#", "<https"} {
		if strings.Contains(string(raw), bad) {
			t.Errorf("%q survived rendering: %s", bad, raw)
		}
	}
	// Through the whole bot, as a user would type it.
	m = Render(newBot(t).Answer(context.Background(), "actor <!channel> <@U024BE7LH>"), RenderOptions{})
	raw, _ = json.Marshal(m)
	if strings.Contains(string(raw), "<!channel>") || strings.Contains(string(raw), "<@U024BE7LH>") {
		t.Errorf("a mention survived: %s", raw)
	}
}

// Limits hold however long an answer grows: at most 50 blocks with the
// tail and the notice included, a sources line cut only between whole
// sources (never inside a link) with "+N more", and never an empty header.
func TestRenderLimitsForLongAnswers(t *testing.T) {
	long := briefings.Answer{Title: "", Next: []string{"actor trump"}}
	for i := range 80 {
		long.Sections = append(long.Sections, briefings.Section{Heading: fmt.Sprintf("Section %d", i), Text: "text"})
	}
	for i := range 120 {
		long.Sources = append(long.Sources, briefings.SourceRef{ID: fmt.Sprint(i), Outlet: "Outlet", Title: strings.Repeat("long title ", 4),
			Date: "2025-08-20", URL: fmt.Sprintf("https://example.org/articles/%d?x=1", i)})
	}
	msg := Render(long, RenderOptions{ShareQuery: "matrix", MoreQuery: "matrix"})
	if len(msg.Blocks) > MaxBlocks {
		t.Fatalf("%d blocks", len(msg.Blocks))
	}
	raw, _ := json.Marshal(msg.Blocks)
	var blocks []map[string]any
	json.Unmarshal(raw, &blocks)
	if h := blocks[0]["text"].(map[string]any)["text"]; h == "" {
		t.Fatal("empty header")
	}
	var sources string
	for _, b := range blocks {
		if b["type"] != "context" {
			continue
		}
		for _, el := range b["elements"].([]any) {
			if text := el.(map[string]any)["text"].(string); strings.HasPrefix(text, "*Sources:*") {
				sources = text
			}
		}
	}
	if len(sources) > MaxContextText || !strings.Contains(sources, " more") || strings.Count(sources, "<") != strings.Count(sources, ">") {
		t.Fatalf("sources line (%d bytes): %s", len(sources), sources)
	}
	if !strings.Contains(string(raw), "longer than a Slack message allows") {
		t.Fatal("no notice that the answer was cut")
	}
}
