package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	slackbot "github.com/briefbot/briefbot/bot/slack"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeSlackHTTPMode(t *testing.T) {
	addr := freeAddr(t)
	vars := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "topsecret", "BRIEFBOT_HTTP_ADDR": addr, "BRIEFBOT_DB": filepath.Join(t.TempDir(), "b.db"),
		"SLACK_API_URL": "http://127.0.0.1:1/api/",
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, nil, env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, getenv: func(k string) string { return vars[k] }})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	body := url.Values{"command": {"/guarantees"}, "text": {"option air defense"}, "user_id": {"U1"}, "channel_id": {"C1"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackbot.Sign("topsecret", ts, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(out), "Poland") {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	req.Header.Set("X-Slack-Signature", slackbot.Sign("wrong", ts, []byte(body)))
	req.Body = io.NopCloser(strings.NewReader(body))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("forged request: %v %v", resp.StatusCode, err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(stderr.String(), "slack: HTTP mode") || strings.Contains(stderr.String(), "topsecret") {
		t.Fatalf("start-up log: %s", stderr.String())
	}
}

func TestServeSlackMissingCredentials(t *testing.T) {
	cases := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is required for HTTP mode, or set SLACK_APP_TOKEN for Socket Mode"},
		{map[string]string{"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is required"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "BRIEFBOT_SLACK_RESPONSE": "loud"}, "BRIEFBOT_SLACK_RESPONSE"},
	}
	for _, c := range cases {
		r := runWith(t, "", c.vars, "serve")
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: code %d, stderr %q", c.vars, r.code, r.stderr)
		}
	}
}
