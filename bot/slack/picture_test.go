package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/sqlite"
)

// The matrix answer offers "Post picture"; pressing it uploads the PNG
// through the upload flow, joining a public channel the bot is not in.
func TestPostPicture(t *testing.T) {
	e := newTestEnv(t)
	_, body := do(t, signed(t, e.srv.URL+"/slack/commands", testSecret, testNow, "application/x-www-form-urlencoded", commandBody("matrix")))
	if !strings.Contains(body, `"action_id":"`+PictureActionID+`"`) {
		t.Fatalf("no Post picture button: %s", body)
	}
	if strings.Contains(body, `"type":"image"`) {
		t.Fatalf("an image block without a public URL: %s", body)
	}
	_, other := do(t, signed(t, e.srv.URL+"/slack/commands", testSecret, testNow, "application/x-www-form-urlencoded", commandBody("actors")))
	if strings.Contains(other, PictureActionID) {
		t.Fatal("a list with no picture offers one")
	}

	e.fake.mu.Lock()
	e.fake.notIn["C2147483705"] = true
	e.fake.mu.Unlock()
	code, _ := do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded",
		actionBody(e.fake.srv.URL+"/response/1", PictureActionID, "matrix", nil)))
	if code != 200 {
		t.Fatalf("ack %d", code)
	}
	e.a.Wait()
	e.fake.mu.Lock()
	defer e.fake.mu.Unlock()
	var shared []*upload
	for _, u := range e.fake.uploads {
		if u.Channel != "" {
			shared = append(shared, u)
		}
	}
	if len(shared) != 1 || e.fake.joins != 1 {
		t.Fatalf("%d uploads shared, %d joins; want 1 and 1", len(shared), e.fake.joins)
	}
	u := shared[0]
	if u.Channel != "C2147483705" || u.ThreadTS != "" || !strings.Contains(u.AltText, "proposes") || u.Name != "briefbot-matrix.png" {
		t.Fatalf("upload %+v", u)
	}
	if _, err := png.DecodeConfig(bytes.NewReader(u.Body)); err != nil {
		t.Fatalf("the upload is not a PNG: %v", err)
	}
	if strings.Contains(u.Comment, "<@") || strings.Contains(u.Comment, "<!") {
		t.Fatalf("the comment pings: %q", u.Comment)
	}
}

// A failed upload is explained to the presser, privately.
func TestPostPictureFailureIsExplained(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.BotToken = "xoxb-revoked" })
	do(t, signed(t, e.srv.URL+"/slack/interactions", testSecret, testNow, "application/x-www-form-urlencoded",
		actionBody(e.fake.srv.URL+"/response/1", PictureActionID, "matrix", nil)))
	e.a.Wait()
	_, hooks := e.fake.snapshot()
	if len(hooks) != 1 || !strings.Contains(string(hooks[0]), "invalid_auth") || !strings.Contains(string(hooks[0]), `"response_type":"ephemeral"`) {
		t.Fatalf("webhooks %s", hooks)
	}
}

// With a public URL (HTTP mode), the matrix answer shows the picture in an
// image block, with the alt text, at a URL that changes with the briefing.
func TestImageBlockWithPublicURL(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.PublicURL = "https://briefbot.example.com/" })
	_, body := do(t, signed(t, e.srv.URL+"/slack/commands", testSecret, testNow, "application/x-www-form-urlencoded", commandBody("matrix")))
	var msg struct {
		Blocks []map[string]any `json:"blocks"`
	}
	json.Unmarshal([]byte(body), &msg)
	var img map[string]any
	for _, b := range msg.Blocks {
		if b["type"] == "image" {
			img = b
		}
	}
	if img == nil || img["image_url"] != "https://briefbot.example.com"+bot.PicturePath+"?v=0" {
		t.Fatalf("image block %v in %s", img, body)
	}
	if alt, _ := img["alt_text"].(string); !strings.Contains(alt, "proposes") || len(alt) > MaxAltText {
		t.Fatalf("alt text %q", alt)
	}
	if len(msg.Blocks) > MaxBlocks {
		t.Fatalf("%d blocks", len(msg.Blocks))
	}
}

func TestPublicURLMustBeHTTPS(t *testing.T) {
	for v, ok := range map[string]bool{"https://b.example.com": true, "https://b.example.com/bot": true,
		"http://b.example.com": false, "https://": false, "https://b.example.com/?x=1": false} {
		if err := httpsURL(v); (err == nil) != ok {
			t.Errorf("%q: %v", v, err)
		}
	}
}

// A digest's picture goes in its thread.
func TestDigestPictureInThread(t *testing.T) {
	e := newTestEnv(t)
	slot := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	ts, err := e.a.Send(context.Background(), digest.Subscription{ID: 7, Platform: Name, Channel: "C1"}, slot, newBot(t).Briefing().DigestFor(slot, nil, true))
	if err != nil {
		t.Fatal(err)
	}
	e.fake.mu.Lock()
	defer e.fake.mu.Unlock()
	if len(e.fake.uploads) != 1 {
		t.Fatalf("%d uploads", len(e.fake.uploads))
	}
	for _, u := range e.fake.uploads {
		if u.Channel != "C1" || u.ThreadTS != ts {
			t.Fatalf("picture in %s thread %q, want C1 thread %q", u.Channel, u.ThreadTS, ts)
		}
	}
}

// newDigestBot is a bot with a digest service on SQLite on disk.
func newDigestBot(t *testing.T) (*bot.Bot, *digest.Service) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "briefbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := &digest.Service{Store: st, Defaults: digest.DefaultDefaults(), Clock: digest.RealClock{}}
	return bot.New(newBot(t).Briefing(), bot.WithDigests(svc)), svc
}
