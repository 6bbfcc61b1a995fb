package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/plain"
)

// FuzzAnswer feeds arbitrary text through the whole query path: parsing,
// matching, searching and plain-text rendering. Every input must get a
// titled answer, quickly, without a panic. Seeds live in
// testdata/fuzz/FuzzAnswer; CI runs it briefly with -fuzz.
func FuzzAnswer(f *testing.F) {
	for _, s := range []string{"", "help", "actor trump", "option troops", "what does trump think about troops", "trmup",
		"<!channel> @everyone", "actor \x00\xff", strings.Repeat("zelensky ", 300), "’s 's ' . U.S. us", "🇺🇦 Київ"} {
		f.Add(s)
	}
	b := newBot(f)
	f.Fuzz(func(t *testing.T, text string) {
		start := time.Now()
		a := b.Answer(context.Background(), text)
		out := plain.Render(a, bot.SlashCommand)
		if a.Title == "" {
			t.Fatalf("untitled answer for %q", text)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 in answer to %q", text)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("answer took %v for %d bytes", d, len(text))
		}
		// The full card (More, ask --full) holds up too, and quotes each
		// quote once.
		req := b.Table().Parse(text)
		req.Full = true
		full := b.Handle(context.Background(), bot.Caller{}, req).Answer
		if full.Title == "" || full.More {
			t.Fatalf("full card for %q: %+v", text, full)
		}
		seen := map[string]bool{}
		for _, c := range full.Lead {
			if c.Quote != nil {
				seen[c.Quote.Text] = true
			}
		}
		for _, s := range full.Sections {
			for _, q := range s.Quotes {
				if seen[q.Text] && q.Text != "" {
					t.Fatalf("quote twice in the answer to %q: %q", text, q.Text)
				}
				seen[q.Text] = true
			}
		}
	})
}
