package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/plain"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/sqlite"
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

// FuzzSubscribe feeds any arguments to subscribe, against a real store:
// each gets a titled answer, quickly; a subscription made has a schedule
// the scheduler can parse, with a next delivery.
func FuzzSubscribe(f *testing.F) {
	for _, s := range []string{"", "weekdays", "daily 07:30", "weekdays 07:30 Europe/Kyiv", "at dawn", "25:00", "7:5", "08:00 Mars/Base",
		"daily 08:00 ../../etc/passwd", "weekdays 23:59 Local", "DAILY 00:00 UTC", "daily 08:00 Europe/Kyiv extra words", "--frequency=weekdays",
		"weekdays 07:30 America/Argentina/Buenos_Aires", "08:00 \x00"} {
		f.Add(s)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	br, err := briefings.LoadEmbedded()
	if err != nil {
		f.Fatal(err)
	}
	svc := &digest.Service{Store: st, Defaults: digest.DefaultDefaults(), Clock: digest.RealClock{}}
	b := bot.New(br, bot.WithDigests(svc))
	caller := bot.Caller{Platform: "slack", Channel: "C1", User: "U1", CanManage: true}
	f.Fuzz(func(t *testing.T, args string) {
		start := time.Now()
		a := b.AnswerFor(ctx, caller, "subscribe "+args)
		if a.Title == "" {
			t.Fatalf("untitled answer to subscribe %q", args)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("subscribe %q took %v", args, d)
		}
		if a.Title != "Subscribed to the daily digest" {
			return
		}
		sub, err := st.Subscription(ctx, "slack", "C1")
		if err != nil {
			t.Fatalf("subscribed but not stored: %v", err)
		}
		sched, err := digest.ParseSchedule(sub.Schedule, time.UTC)
		if err != nil {
			t.Fatalf("subscribe %q stored %q, which does not parse: %v", args, sub.Schedule, err)
		}
		if sched.Next(start).IsZero() {
			t.Fatalf("subscribe %q stored %q, which never fires", args, sub.Schedule)
		}
	})
}
