package slack

import (
	"github.com/briefbot/briefbot/bot"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkSignedCommand measures the whole HTTP handler for a signed
// "/guarantees actor trump": body read, signature check, form parse,
// answer, Block Kit and JSON. Target: median under 100 µs.
func BenchmarkSignedCommand(b *testing.B) {
	for _, c := range []struct {
		name, text string
		uncached   bool
	}{{"actor-trump", "actor trump", false}, {"actor-trump-uncached", "actor trump", true}, {"question", "what does russia say about nato troops", false}} {
		b.Run(c.name, func(b *testing.B) {
			now := time.Unix(1_800_000_000, 0)
			a, err := New(Config{BotToken: "xoxb-b", SigningSecret: "benchsecret", Now: func() time.Time { return now },
				Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, newBot(b))
			if err != nil {
				b.Fatal(err)
			}
			h := a.Routes()
			ts := strconv.FormatInt(now.Unix(), 10)
			// Uncached: alternate two texts with the same answer through a
			// one-entry cache, so every request computes its answer.
			bodies := []string{commandBody(c.text)}
			if c.uncached {
				a.cache = bot.NewResponseCache(1)
				bodies = append(bodies, commandBody(c.text+" "))
			}
			sigs := make([]string, len(bodies))
			for i, body := range bodies {
				sigs[i] = Sign("benchsecret", ts, []byte(body))
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				body, sig := bodies[i%len(bodies)], sigs[i%len(bodies)]
				req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Slack-Request-Timestamp", ts)
				req.Header.Set("X-Slack-Signature", sig)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

// BenchmarkRender measures Block Kit rendering and encoding alone, without
// the response cache.
func BenchmarkRender(b *testing.B) {
	ans := newBot(b).Answer(b.Context(), "actor trump")
	b.ReportAllocs()
	for b.Loop() {
		_ = Render(ans, RenderOptions{ShareQuery: "actor trump"})
	}
}
