package bot_test

import (
	"bytes"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/briefings/synth"
)

func TestPictureHandler(t *testing.T) {
	br, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(br)
	srv := httptest.NewServer(bot.PictureHandler(b, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	get := func(etag string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get("")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, err := png.DecodeConfig(bytes.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	etag := resp.Header.Get("ETag")
	if resp, _ := get(etag); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("same briefing, status %d", resp.StatusCode)
	}
	bigger, err := synth.Load(2)
	if err != nil {
		t.Fatal(err)
	}
	b.SetBriefing(bigger)
	resp, body2 := get(etag)
	if resp.StatusCode != 200 || bytes.Equal(body, body2) || resp.Header.Get("ETag") == etag {
		t.Fatalf("a new briefing kept the old picture: %d", resp.StatusCode)
	}
}
