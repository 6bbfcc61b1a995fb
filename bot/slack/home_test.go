package slack

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefings/synth"
	"github.com/briefbot/briefbot/digest"
)

func homeOpenedBody(id, user string) string {
	b, _ := json.Marshal(map[string]any{"token": "x", "team_id": "T0001", "api_app_id": "A123", "type": "event_callback",
		"event_id": id, "event_time": 1700000000,
		"event": map[string]any{"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home", "event_ts": "1700000000.1"}})
	return string(b)
}

// homeActionBody presses a Home tab button: a view action, with no
// response_url and no channel.
func homeActionBody(value string) string {
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1"}, "team": map[string]any{"id": "T0001"},
		"view": map[string]any{"id": "V1", "type": "home"}, "trigger_id": "1.2.3",
		"actions": []any{map[string]any{"action_id": HomeActionID, "block_id": "briefbot_home_nav", "type": "button", "value": value, "action_ts": "1.2"}},
	})
	return "payload=" + url.QueryEscape(string(payload))
}

// lastView returns the text of the last published view and its buttons'
// values by action id.
func lastView(t *testing.T, f *fakeSlack, n int) (string, map[string][]string) {
	t.Helper()
	waitFor(t, "views.publish", func() bool { f.mu.Lock(); defer f.mu.Unlock(); return len(f.views) >= n })
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.views[n-1]
	if v["user_id"] != "U1" {
		t.Fatalf("published for %v", v["user_id"])
	}
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	raw := buf.String()
	buttons := map[string][]string{}
	for _, b := range v["view"].(map[string]any)["blocks"].([]any) {
		bm := b.(map[string]any)
		if bm["type"] != "actions" {
			continue
		}
		for _, el := range bm["elements"].([]any) {
			em := el.(map[string]any)
			id, _ := em["action_id"].(string)
			val, _ := em["value"].(string)
			buttons[id] = append(buttons[id], val)
		}
	}
	return raw, buttons
}

// Opening the Home tab publishes the bottom line, the matrix in brief,
// what is newest, and the digests of the user's channels only; its
// buttons open answers in the tab, with pages, and lead back home.
func TestAppHome(t *testing.T) {
	b, svc := newDigestBot(t)
	ctx := context.Background()
	for _, ch := range []string{"C100", "C300"} {
		if _, err := svc.Subscribe(ctx, Name, ch, "U9", digest.ScheduleRequest{Frequency: "weekdays", Time: "07:30", Zone: "Europe/Kyiv"}); err != nil {
			t.Fatal(err)
		}
	}
	e := newTestEnvWith(t, b)
	e.fake.userChans["U1"] = []string{"C100", "C200"} // in C100 (subscribed) and C200 (not); not in C300

	code, _ := do(t, signed(t, e.srv.URL+"/slack/events", testSecret, testNow, "application/json", homeOpenedBody("Ev1", "U1")))
	if code != 200 {
		t.Fatalf("ack %d", code)
	}
	view, buttons := lastView(t, e.fake, 1)
	for _, want := range []string{"Bottom line", "The matrix in brief", "Newest in the briefing", "Digests in your channels", "<#C100>", "07:30 EET"} {
		if !strings.Contains(view, want) {
			t.Errorf("home view lacks %q: %s", want, view)
		}
	}
	if strings.Contains(view, "C300") || strings.Contains(view, "C200>") {
		t.Errorf("home view shows a digest of a channel the user is not in, or none: %s", view)
	}
	if !strings.Contains(strings.Join(buttons[HomeActionID], " "), "1|matrix") {
		t.Fatalf("home buttons %v", buttons)
	}

	// Matrix, in the tab, with Next; Next turns the page; ◀ Home goes back.
	do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded", homeActionBody("1|matrix")))
	view, buttons = lastView(t, e.fake, 2)
	if !strings.Contains(view, "Who stands where") || !strings.Contains(strings.Join(buttons[HomeActionID], " "), "2|matrix") {
		t.Fatalf("matrix in the tab: %v\n%s", buttons, view)
	}
	if len(buttons[PickActionID]) > 0 || len(buttons[ShareActionID]) > 0 {
		t.Fatalf("buttons that need a response_url in a view: %v", buttons)
	}
	do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded", homeActionBody("2|matrix")))
	view, buttons = lastView(t, e.fake, 3)
	if second := b.Briefing().Options[1].Name; !strings.Contains(view, second) || !strings.Contains(strings.Join(buttons[HomeActionID], " "), "1|matrix") {
		t.Fatalf("page 2 should show %q with a Previous button: %v\n%s", second, buttons, view)
	}
	do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded", homeActionBody("")))
	view, _ = lastView(t, e.fake, 4)
	if !strings.Contains(view, "The matrix in brief") {
		t.Fatalf("back home: %s", view)
	}

	// After a briefing update the home view says what it changed.
	bigger, err := synth.Load(2)
	if err != nil {
		t.Fatal(err)
	}
	b.SetBriefing(bigger)
	do(t, signed(t, e.srv.URL+"/slack/events", testSecret, testNow, "application/json", homeOpenedBody("Ev2", "U1")))
	view, _ = lastView(t, e.fake, 5)
	if !strings.Contains(view, "Changed in the last briefing update") || !strings.Contains(view, "copy 2") {
		t.Fatalf("after the update: %s", view)
	}
}

// The Home tab of a briefing ten times today's stays within Slack's view
// limits: 100 blocks, 3,000 characters a section, 150 a header.
func TestAppHomeAtTenTimes(t *testing.T) {
	big, err := synth.Load(10)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newDigestBot(t)
	b.SetBriefing(big)
	e := newTestEnvWith(t, b)
	for _, q := range []string{"", "matrix", "actors", "options", "timeline", "sources", "digest"} {
		if err := e.a.publishHome(context.Background(), "U1", q, 1); err != nil {
			t.Fatalf("%q: %v", q, err)
		}
	}
	e.fake.mu.Lock()
	defer e.fake.mu.Unlock()
	for _, v := range e.fake.views {
		blocks := v["view"].(map[string]any)["blocks"].([]any)
		if len(blocks) > MaxViewBlocks {
			t.Fatalf("%d blocks", len(blocks))
		}
		for _, bl := range blocks {
			bm := bl.(map[string]any)
			if txt, ok := bm["text"].(map[string]any); ok {
				limit := MaxSectionText
				if bm["type"] == "header" {
					limit = MaxHeaderText
				}
				if s, _ := txt["text"].(string); len(s) > limit || s == "" {
					t.Fatalf("%s block of %d characters", bm["type"], len(s))
				}
			}
		}
	}
}
