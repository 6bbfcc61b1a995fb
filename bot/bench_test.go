package bot_test

import (
	"context"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/plain"
	"github.com/briefbot/briefbot/briefings"
)

// BenchmarkAnswer measures one answer to each example question, including
// plain-text rendering. Target: median under 50 µs per answer.
func BenchmarkAnswer(b *testing.B) {
	set := loadEval(b)
	bt := newBot(b)
	ctx := context.Background()
	for _, c := range set.Cases {
		b.Run(c.ID, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = plain.Render(bt.Answer(ctx, c.Ask), bot.SlashCommand)
			}
		})
	}
}

// BenchmarkLoadEmbedded measures loading and validating the shipped
// briefing, every quote checked. Target: under 50 ms.
func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := briefings.LoadEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}
