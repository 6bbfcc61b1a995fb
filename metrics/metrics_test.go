package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetricsExposition(t *testing.T) {
	m := New()
	m.Command("slack", "actor", 20*time.Microsecond)
	m.Command("slack", "actor", 30*time.Microsecond)
	m.Command("discord", "ask", time.Millisecond)
	m.Digest("slack", "sent")
	m.APIError("discord", "chat.postMessage")
	m.RateLimited("slack")
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`briefbot_commands_total{kind="actor",platform="slack"} 2`,
		`briefbot_commands_total{kind="ask",platform="discord"} 1`,
		`briefbot_answer_seconds_count{platform="slack"} 2`,
		`briefbot_digests_total{platform="slack",status="sent"} 1`,
		`briefbot_platform_api_errors_total{op="chat.postMessage",platform="discord"} 1`,
		`briefbot_rate_limit_waits_total{platform="slack"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func BenchmarkCommand(b *testing.B) {
	m := New()
	b.ReportAllocs()
	for b.Loop() {
		m.Command("slack", "actor", 20*time.Microsecond)
	}
}
