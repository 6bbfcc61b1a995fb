package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestIngestReviewAccept follows the README's "Adding an article": export,
// ingest a page from a local HTTP server, review, accept (which passes
// check), ask about the new article, and re-ingest (already a source).
func TestIngestReviewAccept(t *testing.T) {
	page, err := os.ReadFile("../../ingest/testdata/heldout/daily.html")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/article":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		case "/image":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "briefing")
	if r := runWith(t, "", nil, "export", dir); r.code != 0 {
		t.Fatalf("export: %d %s", r.code, r.stderr)
	}
	if r := runWith(t, "", nil, "--briefing", dir, "ingest", srv.URL+"/image"); r.code == 0 || !strings.Contains(r.stderr, "content type") {
		t.Fatalf("ingest of an image: %d %s", r.code, r.stderr)
	}
	r := runWith(t, "", nil, "--briefing", dir, "ingest", "--json", srv.URL+"/article")
	if r.code != 0 || !strings.Contains(r.stdout, `"alexander-stubb"`) || !strings.Contains(r.stdout, `"new_actors"`) {
		t.Fatalf("ingest: %d %s %s", r.code, r.stdout, r.stderr)
	}
	id := "the-northern-daily-2025-09-10"
	if r := runWith(t, "", nil, "--briefing", dir, "drafts"); !strings.Contains(r.stdout, id) {
		t.Fatalf("drafts: %s %s", r.stdout, r.stderr)
	}
	if r := runWith(t, "", nil, "--briefing", dir, "review", id); r.code != 0 || !strings.Contains(r.stdout, "New source") {
		t.Fatalf("review: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := runWith(t, "", nil, "--briefing", dir, "accept", id); r.code != 0 {
		t.Fatalf("accept: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := runWith(t, "", nil, "--briefing", dir, "check"); r.code != 0 {
		t.Fatalf("check after accept: %d %s", r.code, r.stderr)
	}
	if r := runWith(t, "", nil, "--briefing", dir, "ask", "--full", "who", "is", "alexander", "stubb"); r.code != 0 || !strings.Contains(r.stdout, "Finland is ready to do its part") {
		t.Fatalf("ask about the new article: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := runWith(t, "", nil, "--briefing", dir, "ingest", srv.URL+"/article"); r.code != 0 || !strings.Contains(r.stdout, "already a source: source "+id) {
		t.Fatalf("re-ingest: %d %s %s", r.code, r.stdout, r.stderr)
	}
}

// TestIngestFeed polls a feed twice: the first poll drafts its item, the
// second sends the validators and gets 304 Not Modified.
func TestIngestFeed(t *testing.T) {
	page, _ := os.ReadFile("../../ingest/testdata/heldout/daily.html")
	var conditional atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			if r.Header.Get("If-None-Match") == `"v1"` {
				conditional.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>The Northern Daily</title>
<item><title>Nordic leaders back a ceasefire force</title><link>` + srv.URL + `/a</link><guid>a1</guid><pubDate>Wed, 10 Sep 2025 08:30:00 GMT</pubDate></item>
</channel></rss>`))
		case "/a":
			w.Header().Set("Content-Type", "text/html")
			w.Write(page)
		}
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "briefing")
	runWith(t, "", nil, "export", dir)
	r := runWith(t, "", nil, "--briefing", dir, "ingest", "--feed", srv.URL+"/feed.xml")
	if r.code != 0 || !strings.Contains(r.stdout, "draft ") {
		t.Fatalf("first poll: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runWith(t, "", nil, "--briefing", dir, "ingest", "--feed", srv.URL+"/feed.xml")
	if r.code != 0 || !strings.Contains(r.stdout, "no new items") || conditional.Load() != 1 {
		t.Fatalf("second poll: %d %s %s (conditional %d)", r.code, r.stdout, r.stderr, conditional.Load())
	}
}
