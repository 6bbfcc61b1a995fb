package ingest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefings"
)

// TestPollTwoProcesses: two pollers with their own state (as serve and
// "briefbot ingest --feed" are) polling one feed at once make each item a
// draft once, and the state file keeps every item seen; a second poll
// sends the validators and makes nothing.
func TestPollTwoProcesses(t *testing.T) {
	pages := map[string][]byte{}
	for path, file := range map[string]string{"/a": "testdata/fresh2/column.html", "/b": "testdata/fresh3/letter.html"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		pages[path] = data
	}
	var srv *httptest.Server
	var conditional sync.Map
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/atom":
			if r.Header.Get("If-None-Match") == `"v1"` {
				conditional.Store("etag", true)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "application/atom+xml")
			io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Times</title>
<entry><title>The long road to a guarantee</title><id>urn:1</id><link href="`+srv.URL+`/a"/><updated>2025-09-15T06:00:00Z</updated></entry>
<entry><title>A second look at the force</title><id>urn:2</id><link href="`+srv.URL+`/b"/><updated>2025-09-16T06:00:00Z</updated></entry></feed>`)
		default:
			time.Sleep(30 * time.Millisecond) // widen the window two pollers share
			w.Header().Set("Content-Type", "text/html")
			w.Write(pages[r.URL.Path])
		}
	}))
	defer srv.Close()
	b, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	newPoller := func() *Poller {
		return &Poller{Client: srv.Client(), Drafts: Drafts{Dir: dir}, State: filepath.Join(dir, DraftsDir, "feeds.json"),
			Now: func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }}
	}
	var wg sync.WaitGroup
	made := make([][]Draft, 2)
	for i := range made {
		p := newPoller()
		wg.Go(func() {
			d, err := p.Poll(context.Background(), b, srv.URL+"/atom")
			if err != nil {
				t.Error(err)
			}
			made[i] = d
		})
	}
	wg.Wait()
	if n := len(made[0]) + len(made[1]); n != 2 {
		t.Fatalf("made %d drafts between the two pollers, want 2 (one per item)", n)
	}
	var st map[string]*feedState
	data, err := os.ReadFile(filepath.Join(dir, DraftsDir, "feeds.json"))
	if err != nil || json.Unmarshal(data, &st) != nil {
		t.Fatalf("state: %v %s", err, data)
	}
	if s := st[srv.URL+"/atom"]; s == nil || len(s.Seen) != 2 || s.ETag != `"v1"` {
		t.Fatalf("state: %s", data)
	}
	if d, err := newPoller().Poll(context.Background(), b, srv.URL+"/atom"); err != nil || len(d) != 0 {
		t.Fatalf("second poll: %d drafts, %v", len(d), err)
	}
	if _, ok := conditional.Load("etag"); !ok {
		t.Fatal("the second poll sent no If-None-Match")
	}
}
