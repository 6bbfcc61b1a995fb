package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/config"
)

const testSecret = "s3cret-signing"

var testNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

type testEnv struct {
	fake *fakeSlack
	a    *Adapter
	srv  *httptest.Server
	logs *bytes.Buffer
}

func newTestEnv(t *testing.T, mutate ...func(*Config)) *testEnv {
	t.Helper()
	return newTestEnvWith(t, newBot(t), mutate...)
}

// newTestEnvWith is newTestEnv answering through h.
func newTestEnvWith(t *testing.T, h bot.Handler, mutate ...func(*Config)) *testEnv {
	t.Helper()
	fake := newFakeSlack(t)
	logs := &bytes.Buffer{}
	cfg := Config{
		BotToken: "xoxb-test", SigningSecret: testSecret, AppToken: "xapp-test",
		APIURL: fake.srv.URL + "/api", // no trailing slash: the adapter adds it
		Now:    func() time.Time { return testNow },
		Log:    slog.New(slog.NewTextHandler(logs, nil)),
	}
	for _, m := range mutate {
		m(&cfg)
	}
	a, err := New(cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Routes())
	t.Cleanup(srv.Close)
	t.Cleanup(a.Wait)
	return &testEnv{fake, a, srv, logs}
}

func commandBody(text string) string {
	return url.Values{
		"command": {"/guarantees"}, "text": {text}, "user_id": {"U2147483697"}, "channel_id": {"C2147483705"},
		"team_id": {"T0001"}, "response_url": {"https://hooks.slack.com/commands/1234/5678"}, "trigger_id": {"1.2.3"},
	}.Encode()
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSlashCommandOverHTTP(t *testing.T) {
	e := newTestEnv(t)
	const form = "application/x-www-form-urlencoded"
	code, body := do(t, signed(t, e.srv.URL+"/slack/commands", testSecret, testNow, form, commandBody("actor trump")))
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var msg struct {
		ResponseType string          `json:"response_type"`
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(body), &msg); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	var blocks slack.Blocks
	if err := json.Unmarshal(msg.Blocks, &blocks); err != nil {
		t.Fatalf("blocks do not decode as Block Kit: %v", err)
	}
	if msg.ResponseType != Ephemeral || msg.Text != "Donald Trump" || len(blocks.BlockSet) < 3 {
		t.Fatalf("unexpected answer: %s", body)
	}
	for _, want := range []string{`"type":"header"`, "offensive", `\u003e “`, ShareActionID, `"value":"actor trump"`, "Sources:"} {
		if !strings.Contains(body, want) {
			t.Errorf("answer lacks %q", want)
		}
	}
}

func TestSlashCommandRejectsWhatIsNotSlack(t *testing.T) {
	e := newTestEnv(t)
	const form = "application/x-www-form-urlencoded"
	u := e.srv.URL + "/slack/commands"
	body := commandBody("actor trump")
	unsigned, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	tampered := signed(t, u, testSecret, testNow, form, body)
	tampered.Body = io.NopCloser(strings.NewReader(strings.Replace(body, "trump", "putin", 1)))
	cases := []struct {
		name string
		req  *http.Request
		want int
	}{
		{"unsigned", unsigned, 401},
		{"wrong secret", signed(t, u, "not-the-secret", testNow, form, body), 401},
		{"stale", signed(t, u, testSecret, testNow.Add(-6*time.Minute), form, body), 401},
		{"future", signed(t, u, testSecret, testNow.Add(6*time.Minute), form, body), 401},
		{"tampered", tampered, 401},
		{"too large", signed(t, u, testSecret, testNow, form, commandBody(strings.Repeat("x", MaxBodyBytes))), 413},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, resp := do(t, c.req)
			if code != c.want {
				t.Fatalf("status %d, want %d: %s", code, c.want, resp)
			}
			if strings.Contains(resp, "Trump") {
				t.Fatal("answered an unverified request")
			}
		})
	}
	if strings.Contains(e.logs.String(), testSecret) {
		t.Fatal("the signing secret reached the logs")
	}
	if !strings.Contains(e.logs.String(), "rejected unverified request") {
		t.Fatal("no log line for rejected requests")
	}
	// Wrong method and path.
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if code, _ := do(t, req); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET: status %d", code)
	}
}

func TestUserTextNeverPings(t *testing.T) {
	e := newTestEnv(t)
	for _, text := range []string{"<!channel> actor trump", "actor <!everyone>", "<@U024BE7LH> option <!here>", "what about <https://evil.example|this>"} {
		code, body := do(t, signed(t, e.srv.URL+"/slack/commands", testSecret, testNow, "application/x-www-form-urlencoded", commandBody(text)))
		if code != 200 {
			t.Fatalf("%q: status %d", text, code)
		}
		var msg struct{ Blocks slack.Blocks }
		json.Unmarshal([]byte(body), &msg)
		raw, _ := json.Marshal(msg.Blocks.BlockSet)
		// The share button's value echoes the text verbatim: values are
		// never rendered as mrkdwn. Everything rendered must be escaped.
		rendered := strings.ReplaceAll(string(raw), `"value":`+jsonString(text), "")
		for _, bad := range []string{"<!", "<@", "<https"} {
			if strings.Contains(rendered, bad) {
				t.Errorf("%q: %q survived in %s", text, bad, rendered)
			}
		}
	}
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestInChannelResponses(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.ResponseType = InChannel })
	_, body := do(t, signed(t, e.srv.URL+"/slack/commands", testSecret, testNow, "application/x-www-form-urlencoded", commandBody("ukraine options")))
	if !strings.Contains(body, `"response_type":"in_channel"`) || strings.Contains(body, ShareActionID) {
		t.Fatalf("want an in-channel answer without a share button: %s", body)
	}
}

func interactionBody(responseURL, value string) string {
	return actionBody(responseURL, ShareActionID, value, nil)
}

// actionBody is a block_actions interaction pressing the button with the
// action id, on a message with the given blocks.
func actionBody(responseURL, actionID, value string, blocks []any) string {
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U2147483697"}, "team": map[string]any{"id": "T0001"},
		"channel": map[string]any{"id": "C2147483705"}, "response_url": responseURL, "trigger_id": "1.2.3",
		"message": map[string]any{"type": "message", "blocks": blocks},
		"actions": []any{map[string]any{"action_id": actionID, "block_id": "briefbot_actions", "type": "button", "value": value, "action_ts": "1.2"}},
	})
	return url.Values{"payload": {string(payload)}}.Encode()
}

// A short answer has a More button; pressing it replaces the answer with
// the full card through response_url, keeping the Share button.
func TestMoreShowsTheFullCard(t *testing.T) {
	e := newTestEnv(t)
	_, body := do(t, signed(t, e.srv.URL+"/slack/commands", testSecret, testNow, "application/x-www-form-urlencoded", commandBody("actor zelensky")))
	var short struct {
		Blocks []json.RawMessage `json:"blocks"`
	}
	json.Unmarshal([]byte(body), &short)
	if !strings.Contains(body, MoreActionID) || !strings.Contains(body, `"value":"actor zelensky"`) {
		t.Fatalf("short answer without More: %s", body)
	}
	var blocks []any
	for _, b := range short.Blocks {
		var v any
		json.Unmarshal(b, &v)
		blocks = append(blocks, v)
	}
	code, _ := do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded",
		actionBody(e.fake.srv.URL+"/response/more", MoreActionID, "actor zelensky", blocks)))
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	e.a.Wait()
	_, hooks := e.fake.snapshot()
	if len(hooks) != 1 {
		t.Fatalf("%d response_url posts; logs:\n%s", len(hooks), e.logs)
	}
	var m slack.WebhookMessage
	json.Unmarshal(hooks[0], &m)
	raw := string(hooks[0])
	if !m.ReplaceOriginal || m.DeleteOriginal || strings.Contains(raw, MoreActionID) || !strings.Contains(raw, ShareActionID) ||
		len(raw) <= len(body) || !strings.Contains(raw, "*Who*") {
		t.Fatalf("unexpected full card (%d bytes, short %d): %s", len(raw), len(body), raw)
	}
	// A per-channel answer has neither More nor Share.
	_, body = do(t, signed(t, e.srv.URL+"/slack/commands", testSecret, testNow, "application/x-www-form-urlencoded", commandBody("subscriptions")))
	if strings.Contains(body, MoreActionID) || strings.Contains(body, ShareActionID) {
		t.Fatalf("per-channel answer with buttons: %s", body)
	}
}

func TestShareInChannel(t *testing.T) {
	e := newTestEnv(t)
	code, _ := do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded",
		interactionBody(e.fake.srv.URL+"/response/abc", "option troops")))
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	e.a.Wait()
	// Two calls: the answer for the channel, then the ephemeral original
	// deleted.
	_, hooks := e.fake.snapshot()
	if len(hooks) != 2 {
		t.Fatalf("%d response_url posts, want 2", len(hooks))
	}
	var m, del slack.WebhookMessage
	if err := json.Unmarshal(hooks[0], &m); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(hooks[1], &del)
	raw := string(hooks[0])
	if m.ResponseType != InChannel || m.DeleteOriginal || m.ReplaceOriginal || !strings.Contains(raw, "Foreign troops") ||
		strings.Contains(raw, ShareActionID) || !strings.Contains(raw, "Shared from /guarantees option troops") {
		t.Fatalf("unexpected shared message: %s", raw)
	}
	if !del.DeleteOriginal || del.ResponseType != "" || del.Text != "" {
		t.Fatalf("second call is not a bare delete_original: %s", hooks[1])
	}
	// A malformed payload is a clear 400, not a crash.
	code, _ = do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded", "payload=%7Bnot-json"))
	if code != 400 {
		t.Fatalf("malformed payload: status %d", code)
	}
}

func eventBody(id, text, ts, threadTS string) string {
	ev := map[string]any{"type": "app_mention", "user": "U2147483697", "text": text, "ts": ts, "channel": "C2147483705", "event_ts": ts}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	b, _ := json.Marshal(map[string]any{"token": "x", "team_id": "T0001", "api_app_id": "A123", "type": "event_callback",
		"event_id": id, "event_time": 1700000000, "event": ev})
	return string(b)
}

func TestEvents(t *testing.T) {
	e := newTestEnv(t)
	u := e.srv.URL + "/slack/events"
	const js = "application/json"

	// URL verification echoes the challenge.
	code, body := do(t, signed(t, u, testSecret, testNow, js, `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`))
	if code != 200 || body != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("url_verification: %d %q", code, body)
	}

	// An app mention is answered in its thread, once, even when Slack
	// retries it; a 429 is waited out.
	e.fake.mu.Lock()
	e.fake.rateLimited = 1
	e.fake.mu.Unlock()
	ev := eventBody("Ev01", "<@U0BOT> what does macron want?", "1700000000.000100", "")
	for retry := range 3 {
		// Each delivery is signed afresh, retries too.
		req := signed(t, u, testSecret, testNow.Add(time.Duration(retry)*time.Second), js, ev)
		if retry > 0 {
			req.Header.Set("X-Slack-Retry-Num", "1")
			req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		if code, _ := do(t, req); code != 200 {
			t.Fatalf("event: status %d", code)
		}
	}
	e.a.Wait()
	posts, _ := e.fake.snapshot()
	if len(posts) != 1 {
		t.Fatalf("%d posts for one event; logs:\n%s", len(posts), e.logs)
	}
	p := posts[0]
	if p.Get("channel") != "C2147483705" || p.Get("thread_ts") != "1700000000.000100" || !strings.Contains(p.Get("blocks"), "on the ground") {
		t.Fatalf("unexpected post: %v", p)
	}
	if !strings.Contains(e.logs.String(), "rate limited by Slack") {
		t.Error("the 429 was not logged")
	}

	// A mention inside a thread answers in that thread; a 500 is retried.
	e.fake.mu.Lock()
	e.fake.serverError = 1
	e.fake.mu.Unlock()
	do(t, signed(t, u, testSecret, testNow, js, eventBody("Ev02", "<@U0BOT> actor putin", "1700000001.000100", "1700000000.000100")))
	e.a.Wait()
	posts, _ = e.fake.snapshot()
	if len(posts) != 2 || posts[1].Get("thread_ts") != "1700000000.000100" || !strings.Contains(posts[1].Get("blocks"), "Alaska") {
		t.Fatalf("thread reply: %v", posts)
	}

	// Malformed events get 400.
	if code, _ := do(t, signed(t, u, testSecret, testNow, js, "{")); code != 400 {
		t.Fatalf("malformed event: status %d", code)
	}
}

// Slack's settings are validated once, by config, through Section.
func TestSectionValidates(t *testing.T) {
	cases := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is required"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is required for HTTP mode, or set SLACK_APP_TOKEN for Socket Mode"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "BRIEFBOT_SLACK_RESPONSE": "loud"}, `BRIEFBOT_SLACK_RESPONSE: "loud": use ephemeral or in_channel`},
		{map[string]string{"SLACK_BOT_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN: a bot token starts with xoxb-"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN: an app-level token starts with xapp-"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "localhost"}, "SLACK_API_URL: must start with http:// or https://"},
	}
	for _, c := range cases {
		cfg, err := config.Load("", func(k string) string { return c.vars[k] }, Section())
		if err == nil {
			err = cfg.ValidateServe()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.vars, err, c.want)
		}
	}
}

func TestSocketMode(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.SigningSecret = "" })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.RunSocketMode(ctx) }()

	// A slash command: the ack carries the answer.
	cmd := map[string]any{"command": "/guarantees", "text": "option observers", "user_id": "U1", "channel_id": "C1",
		"team_id": "T1", "response_url": e.fake.srv.URL + "/response/x", "trigger_id": "1.2.3"}
	e.fake.envelopes <- map[string]any{"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": true, "payload": cmd}
	var ack struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	select {
	case raw := <-e.fake.acks:
		if err := json.Unmarshal(raw, &ack); err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no ack; logs:\n%s", e.logs)
	}
	if ack.EnvelopeID != "env-1" || !strings.Contains(string(ack.Payload), "satellites") || !strings.Contains(string(ack.Payload), `"response_type":"ephemeral"`) {
		t.Fatalf("ack: %s %s", ack.EnvelopeID, ack.Payload)
	}

	// An app mention: acked, then answered in the thread.
	var inner map[string]any
	json.Unmarshal([]byte(eventBody("Ev10", "<@U0BOT> kallas", "1700000002.000100", "")), &inner)
	e.fake.envelopes <- map[string]any{"envelope_id": "env-2", "type": "events_api", "payload": inner}
	select {
	case raw := <-e.fake.acks:
		if !strings.Contains(string(raw), "env-2") {
			t.Fatalf("ack: %s", raw)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no ack for the event")
	}
	waitFor(t, "the mention's answer", func() bool { p, _ := e.fake.snapshot(); return len(p) == 1 })
	posts, _ := e.fake.snapshot()
	if !strings.Contains(posts[0].Get("blocks"), "sanction") || posts[0].Get("thread_ts") != "1700000002.000100" {
		t.Fatalf("post: %v", posts[0])
	}

	// The share button: acked, then posted through response_url.
	var cb map[string]any
	form, _ := url.ParseQuery(interactionBody(e.fake.srv.URL+"/response/y", "actor macron"))
	json.Unmarshal([]byte(form.Get("payload")), &cb)
	e.fake.envelopes <- map[string]any{"envelope_id": "env-3", "type": "interactive", "payload": cb}
	<-e.fake.acks
	waitFor(t, "the shared answer and the deletion", func() bool { _, h := e.fake.snapshot(); return len(h) == 2 })

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Socket Mode did not stop")
	}
}

func TestFormValue(t *testing.T) {
	cases := []struct {
		body, want string
		ok         bool
	}{
		{"command=%2Fguarantees&text=actor+trump&user_id=U1", "actor trump", true},
		{"text=", "", true},
		{"user_id=U1", "", true},
		{"texts=x&text=%3C%21channel%3E", "<!channel>", true},
		{"text=a%2", "", false},
		{"text=%E2%80%9Ctrump%E2%80%9D&text=second", "“trump”", true},
	}
	for _, c := range cases {
		got, err := formValue([]byte(c.body), "text")
		want, _ := url.ParseQuery(c.body)
		if (err == nil) != c.ok || got != c.want || (c.ok && got != want.Get("text")) {
			t.Errorf("formValue(%q) = %q, %v; want %q (ParseQuery: %q)", c.body, got, err, c.want, want.Get("text"))
		}
	}
}

// App-mention text arrives encoded; it is decoded once: "&amp;lt;" reads
// as "&lt;", and "&amp;" as "&".
func TestMentionTextDecodedOnce(t *testing.T) {
	for in, want := range map[string]string{
		"macron &amp; trump":  "macron & trump",
		"a &lt;b&gt; c":       "a <b> c",
		"&amp;lt;channel&gt;": "&lt;channel>",
		"plain":               "plain",
	} {
		if got := decodeText(in); got != want {
			t.Errorf("decodeText(%q) = %q, want %q", in, got, want)
		}
	}
}

// A paged list answer has Next; pressing it replaces the message with the
// next page; the menu answers the chosen item in a new message.
func TestPagesAndMenu(t *testing.T) {
	e := newTestEnv(t)
	_, body := do(t, signed(t, e.srv.URL+"/slack/commands", testSecret, testNow, "application/x-www-form-urlencoded", commandBody("matrix")))
	if !strings.Contains(body, PageActionID) || !strings.Contains(body, `"value":"2|matrix"`) || !strings.Contains(body, PickActionID) {
		t.Fatalf("matrix page 1 without Next or menu: %s", body)
	}
	do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded",
		actionBody(e.fake.srv.URL+"/response/p", PageActionID, "2|matrix", nil)))
	e.a.Wait()
	_, hooks := e.fake.snapshot()
	if len(hooks) != 1 || !strings.Contains(string(hooks[0]), `"replace_original":true`) || !strings.Contains(string(hooks[0]), `"value":"3|matrix"`) ||
		!strings.Contains(string(hooks[0]), `"value":"1|matrix"`) {
		t.Fatalf("page 2: %s", hooks)
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1"}, "channel": map[string]any{"id": "C1"},
		"response_url": e.fake.srv.URL + "/response/q",
		"actions": []any{map[string]any{"action_id": PickActionID, "block_id": "briefbot_actions", "type": "static_select",
			"selected_option": map[string]any{"value": "matrix skies", "text": map[string]any{"type": "plain_text", "text": "Protecting the skies"}}}},
	})
	do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded", url.Values{"payload": {string(payload)}}.Encode()))
	e.a.Wait()
	_, hooks = e.fake.snapshot()
	if len(hooks) != 2 || !strings.Contains(string(hooks[1]), "Protecting the skies") || strings.Contains(string(hooks[1]), `"replace_original":true`) {
		t.Fatalf("pick: %s", hooks[len(hooks)-1])
	}
}
