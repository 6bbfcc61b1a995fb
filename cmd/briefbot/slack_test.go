package main

import (
	"net"
	"net/http"
	"net/url"
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
	s := startServer(t, nil)
	if out := s.command("option air defense"); !strings.Contains(out, "Poland") {
		t.Fatalf("answer: %s", out)
	}
	body := url.Values{"command": {"/guarantees"}, "text": {"actor trump"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/slack/commands", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackbot.Sign("wrong", ts, []byte(body)))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("forged request: %v %v", resp, err)
	}
	s.stop()
	if !strings.Contains(s.stderr.String(), "slack: HTTP mode") || strings.Contains(s.stderr.String(), "topsecret") {
		t.Fatalf("start-up log: %s", s.stderr.String())
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
