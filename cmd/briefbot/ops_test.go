package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	slackbot "github.com/briefbot/briefbot/bot/slack"
)

// server runs `briefbot serve` in-process with Slack in HTTP mode.
type server struct {
	t      *testing.T
	addr   string
	stderr *syncBuffer
	hup    chan os.Signal
	cancel context.CancelFunc
	done   chan int
}

func startServer(t *testing.T, extra map[string]string, args ...string) *server {
	t.Helper()
	s := &server{t: t, addr: freeAddr(t), stderr: &syncBuffer{}, hup: make(chan os.Signal, 1), done: make(chan int, 1)}
	vars := map[string]string{"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "topsecret",
		"BRIEFBOT_HTTP_ADDR": s.addr, "BRIEFBOT_DB": filepath.Join(t.TempDir(), "b.db"), "SLACK_API_URL": "http://127.0.0.1:1/api/"}
	for k, v := range extra {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() {
		s.done <- run(ctx, args, env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: s.stderr,
			getenv: func(k string) string { return vars[k] }, hup: s.hup})
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", s.addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %s", s.stderr.String())
		}
	}
	t.Cleanup(s.stop)
	return s
}

// stop cancels serve and checks that it exits 0; calling it again is a
// no-op.
func (s *server) stop() {
	s.cancel()
	select {
	case code := <-s.done:
		if code != 0 {
			s.t.Errorf("exit %d: %s", code, s.stderr.String())
		}
		s.done <- code // for a second call
	case <-time.After(15 * time.Second):
		s.t.Error("serve did not stop")
	}
}

func (s *server) get(path string) (int, string) {
	resp, err := http.Get("http://" + s.addr + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (s *server) command(text string) string {
	// Slack gives every command its own trigger_id, so no two are alike
	// (the replay guard refuses a request served before).
	body := url.Values{"command": {"/guarantees"}, "text": {text}, "user_id": {"U1"}, "channel_id": {"C1"},
		"trigger_id": {strconv.FormatInt(time.Now().UnixNano(), 10)}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/slack/commands", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackbot.Sign("topsecret", ts, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestOperationsEndpoints(t *testing.T) {
	s := startServer(t, nil)
	if code, body := s.get("/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("healthz: %d %q", code, body)
	}
	if code, body := s.get("/readyz"); code != 200 || !strings.Contains(body, "briefing: ok") || !strings.Contains(body, "store: ok") {
		t.Fatalf("readyz: %d %q", code, body)
	}
	s.command("option troops")
	s.command("actor macron")
	s.command("actor trump")
	_, metrics := s.get("/metrics")
	for _, want := range []string{`briefbot_commands_total{kind="actor",platform="slack"} 2`, `briefbot_commands_total{kind="option",platform="slack"} 1`,
		`briefbot_answer_seconds_count{platform="slack"} 3`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(metrics, "topsecret") || strings.Contains(s.stderr.String(), "topsecret") || strings.Contains(s.stderr.String(), "xoxb-test") {
		t.Error("a secret leaked")
	}
	// The health check command, against this server and against nothing.
	if r := runWith(t, "", map[string]string{"BRIEFBOT_HTTP_ADDR": s.addr}, "healthcheck"); r.code != 0 {
		t.Fatalf("healthcheck: %d %s", r.code, r.stderr)
	}
	if r := runWith(t, "", map[string]string{"BRIEFBOT_HTTP_ADDR": freeAddr(t)}, "healthcheck"); r.code != 1 {
		t.Fatalf("healthcheck with nothing listening: %d", r.code)
	}
	for _, part := range []string{"slack: HTTP mode", "http: listening", "digests: scheduler"} {
		if !strings.Contains(s.stderr.String(), part) {
			t.Errorf("no start-up line for %q", part)
		}
	}
}

func TestReloadOnSIGHUP(t *testing.T) {
	dir := copyBriefing(t)
	s := startServer(t, nil, "--briefing", dir)
	if !strings.Contains(s.command("actor macron"), "President of France") {
		t.Fatal("initial briefing")
	}
	edit := func(old, new string) {
		p := filepath.Join(dir, "actors.yaml")
		b, _ := os.ReadFile(p)
		os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
	}
	waitFor := func(what string, cond func() bool) {
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s: %s", what, s.stderr.String())
			}
		}
	}
	edit("role: President of France", "role: President of the French Republic")
	s.hup <- os.Interrupt // any signal value: the channel stands for SIGHUP
	waitFor("the reload", func() bool { return strings.Contains(s.command("actor macron"), "President of the French Republic") })
	// An invalid briefing keeps the old one serving, and says why.
	edit("We must help Ukraine on the ground", "We must help Ukraine in the air")
	s.hup <- os.Interrupt
	waitFor("the failed reload", func() bool { return strings.Contains(s.stderr.String(), "briefing reload failed") })
	if !strings.Contains(s.command("actor macron"), "President of the French Republic") {
		t.Fatal("a failed reload replaced the briefing")
	}
	if !strings.Contains(s.stderr.String(), "quote not found verbatim") {
		t.Errorf("the log does not say why: %s", s.stderr.String())
	}
}

func TestConfigCommandRedactsSecrets(t *testing.T) {
	r := runWith(t, "", map[string]string{"SLACK_BOT_TOKEN": "xoxb-very-secret", "SLACK_SIGNING_SECRET": "signing-secret-value",
		"DISCORD_BOT_TOKEN": "discord-secret-token", "DISCORD_APP_ID": "1234", "BRIEFBOT_DIGEST_TZ": "Europe/Kyiv"}, "config")
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	for _, secret := range []string{"xoxb-very-secret", "signing-secret-value", "discord-secret-token"} {
		if strings.Contains(r.stdout, secret) {
			t.Errorf("config printed %q", secret)
		}
	}
	for _, want := range []string{"bot_token: (set, redacted)", "app_id: \"1234\"", "timezone: Europe/Kyiv", "http_addr: :8080"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("config lacks %q:\n%s", want, r.stdout)
		}
	}
}
