package discord

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
)

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// The matrix over HTTP interactions: the response is JSON (Discord takes
// no files there), then the response is edited to attach the picture with
// its alt text.
func TestMatrixPictureOverHTTP(t *testing.T) {
	f := newFakeDiscord(t)
	env := newHTTPEnv(t)
	env.a.cfg.BotToken, env.a.cfg.APIURL = "tok", f.srv.URL
	code, resp, raw := send(t, signedReq(t, env.srv.URL+"/discord/interactions", env.priv, testNow, interaction(2, sub("matrix"), false)))
	if code != 200 || resp["type"] != float64(4) {
		t.Fatalf("%d %s", code, raw)
	}
	if strings.Contains(raw, "attachments") || strings.Contains(raw, "attachment://") {
		t.Fatalf("the JSON response names an attachment it cannot carry: %s", raw)
	}
	waitFor(t, "the edit attaching the picture", func() bool { f.mu.Lock(); defer f.mu.Unlock(); return len(f.edits) == 1 })
	f.mu.Lock()
	e := f.edits[0]
	f.mu.Unlock()
	if e["app"] != "1234" || e["token"] != "tok" || e["message"] != "@original" {
		t.Fatalf("edited %v/%v/%v, want the original response", e["app"], e["token"], e["message"])
	}
	checkAttachment(t, e)
	if _, ok := e["embeds"]; ok {
		t.Error("the edit replaces the embeds it should leave alone")
	}

	// Other answers carry no picture and cause no edit. (Each interaction
	// has its own id: a repeated one is refused as a replay.)
	send(t, signedReq(t, env.srv.URL+"/discord/interactions", env.priv, testNow, withID(interaction(2, sub("actors"), false), "1301")))
	// A cached matrix answer still gets its picture.
	code, _, raw = send(t, signedReq(t, env.srv.URL+"/discord/interactions", env.priv, testNow, withID(interaction(2, sub("matrix"), false), "1302")))
	if code != 200 {
		t.Fatalf("second matrix: %d %s", code, raw)
	}
	waitFor(t, "the second edit", func() bool { f.mu.Lock(); defer f.mu.Unlock(); return len(f.edits) == 2 })
	if err := env.a.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(f.edits) != 2 {
		t.Fatalf("%d edits, want 2", len(f.edits))
	}
}

// withID gives an interaction body another interaction id.
func withID(body, id string) string {
	return strings.Replace(body, `"id":"1300"`, `"id":"`+id+`"`, 1)
}

func checkAttachment(t *testing.T, body map[string]any) {
	t.Helper()
	files, _ := body["_files"].(map[string]any)
	if size, _ := files["0"].(float64); size < 10_000 {
		t.Fatalf("files[0] is %v bytes: %v", files["0"], files)
	}
	atts, _ := body["attachments"].([]any)
	if d, ok := body["data"].(map[string]any); ok {
		atts, _ = d["attachments"].([]any)
	}
	if len(atts) != 1 {
		t.Fatalf("attachments %v", atts)
	}
	att := atts[0].(map[string]any)
	desc, _ := att["description"].(string)
	if !strings.Contains(desc, "Foreign troops") || !strings.Contains(desc, "proposes") || att["filename"] != "briefbot-matrix.png" {
		t.Fatalf("attachment %v", att)
	}
}

// Through the gateway the response and the picture go in one multipart
// callback.
func TestMatrixPictureOverGateway(t *testing.T) {
	f := newFakeDiscord(t)
	a := newGatewayAdapter(t, f, "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunGateway(ctx) }()
	var in map[string]any
	json.Unmarshal([]byte(interaction(2, sub("matrix"), false)), &in)
	f.dispatch <- in
	waitFor(t, "the callback", func() bool { _, cbs := f.snapshot(); return len(cbs) == 1 })
	cancel()
	<-done
	_, cbs := f.snapshot()
	var body map[string]any
	json.Unmarshal(cbs[0], &body)
	if !strings.Contains(string(cbs[0]), "Who stands where") {
		t.Fatalf("callback without the answer: %s", cbs[0])
	}
	d := body["data"].(map[string]any)
	atts, _ := d["attachments"].([]any)
	if len(atts) != 1 {
		t.Fatalf("callback attachments: %s", cbs[0])
	}
}

// Digests carry the picture; the fake, like Discord, refuses an
// attachment without its file.
func TestDigestCarriesPicture(t *testing.T) {
	f := newFakeDiscord(t)
	a := newGatewayAdapter(t, f, "")
	slot := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	ans := newBot(t).Briefing().DigestFor(slot, nil, true)
	if _, err := a.Send(context.Background(), digest.Subscription{ID: 3, Platform: Name, Channel: "1200"}, slot, ans); err != nil {
		t.Fatal(err)
	}
	m := f.messages["1200"][0]
	atts, _ := m["attachments"].([]map[string]any)
	if len(atts) != 1 || !strings.Contains(atts[0]["description"].(string), "proposes") {
		t.Fatalf("digest attachments %v", m["attachments"])
	}
}

// The fake refuses what Discord refuses: an attachment with no file.
func TestFakeRefusesAttachmentWithoutFile(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := readPayload(r); err != nil {
			badForm(w, err)
		}
	}))
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"attachments":[{"id":0}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "50035") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
}
