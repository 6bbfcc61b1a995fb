package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSlack behaves like Slack's side of the wire for our adapter: the Web
// API (chat.postMessage, apps.connections.open) with Slack's JSON bodies,
// status codes and 429s with Retry-After; response_url webhooks; and a
// Socket Mode websocket that says hello, pushes envelopes and collects acks.
type fakeSlack struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	posts       []url.Values      // chat.postMessage calls, form-encoded as slack-go sends them
	webhooks    []json.RawMessage // response_url posts
	rateLimited int               // answer this many chat.postMessage calls with 429
	serverError int               // then this many with 500

	envelopes chan any             // pushed to the Socket Mode client
	acks      chan json.RawMessage // acks read back

	channelError map[string]string // channel → error every post to it gets
	notIn        map[string]bool   // channels the bot has not joined
	joins        int
	hangOnce     map[string]bool // channel → post, then hang past the client's timeout once

	uploads   map[string]*upload // file id → upload, from files.getUploadURLExternal on
	views     []map[string]any   // views.publish bodies
	userChans map[string][]string
}

// upload is one file through Slack's upload flow.
type upload struct {
	Name, AltText     string
	Length            int
	Body              []byte // what was posted to the upload URL
	Channel, ThreadTS string // set by files.completeUploadExternal
	Comment           string
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{t: t, envelopes: make(chan any, 16), acks: make(chan json.RawMessage, 16),
		channelError: map[string]string{}, notIn: map[string]bool{}, hangOnce: map[string]bool{},
		uploads: map[string]*upload{}, userChans: map[string][]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/chat.postMessage", f.postMessage)
	mux.HandleFunc("POST /api/conversations.history", f.history)
	mux.HandleFunc("POST /api/conversations.join", f.join)
	mux.HandleFunc("POST /api/apps.connections.open", f.connectionsOpen)
	mux.HandleFunc("POST /response/", f.webhook)
	mux.HandleFunc("GET /ws", f.websocket)
	mux.HandleFunc("POST /api/files.getUploadURLExternal", f.getUploadURL)
	mux.HandleFunc("POST /upload/{id}", f.uploadFile)
	mux.HandleFunc("POST /api/files.completeUploadExternal", f.completeUpload)
	mux.HandleFunc("POST /api/views.publish", f.publishView)
	mux.HandleFunc("POST /api/users.conversations", f.usersConversations)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	// Slack takes the token as a bearer header or a form field.
	if r.Header.Get("Authorization") != "Bearer xoxb-test" && r.PostForm.Get("token") != "xoxb-test" {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rateLimited > 0 {
		f.rateLimited--
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "ratelimited"})
		return
	}
	if f.serverError > 0 {
		f.serverError--
		http.Error(w, `{"ok":false,"error":"internal_error"}`, http.StatusInternalServerError)
		return
	}
	ch := r.PostForm.Get("channel")
	if code := f.channelError[ch]; code != "" {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code})
		return
	}
	if f.notIn[ch] {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "not_in_channel"})
		return
	}
	f.posts = append(f.posts, r.PostForm)
	ts := fmt.Sprintf("1700000000.%06d", len(f.posts))
	if f.hangOnce[ch] {
		delete(f.hangOnce, ch)
		f.mu.Unlock()
		time.Sleep(2 * time.Second) // the message is posted; the answer comes too late
		f.mu.Lock()
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "channel": ch, "ts": ts})
}

// history returns the channel's messages, newest first, with metadata when
// include_all_metadata is set, as Slack does.
func (f *fakeSlack) history(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f.mu.Lock()
	defer f.mu.Unlock()
	var msgs []map[string]any
	for i := len(f.posts) - 1; i >= 0; i-- {
		p := f.posts[i]
		if p.Get("channel") != r.PostForm.Get("channel") {
			continue
		}
		m := map[string]any{"type": "message", "text": p.Get("text"), "ts": fmt.Sprintf("1700000000.%06d", i+1), "bot_id": "B1"}
		if inc := r.PostForm.Get("include_all_metadata"); (inc == "1" || inc == "true") && p.Get("metadata") != "" {
			var md any
			json.Unmarshal([]byte(p.Get("metadata")), &md)
			m["metadata"] = md
		}
		msgs = append(msgs, m)
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "messages": msgs, "has_more": false})
}

func (f *fakeSlack) join(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.joins++
	delete(f.notIn, r.PostForm.Get("channel"))
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "channel": map[string]any{"id": r.PostForm.Get("channel")}})
}

// authorized checks the bot token as Slack does, answering invalid_auth.
func (f *fakeSlack) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer xoxb-test" && r.PostForm.Get("token") != "xoxb-test" {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_auth"})
		return false
	}
	return true
}

// getUploadURL starts an upload: filename and length are required, and
// the URL returned is on this server.
func (f *fakeSlack) getUploadURL(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if !f.authorized(w, r) {
		return
	}
	n, err := strconv.Atoi(r.PostForm.Get("length"))
	if r.PostForm.Get("filename") == "" || err != nil || n <= 0 {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id := fmt.Sprintf("F%04d", len(f.uploads)+1)
	f.uploads[id] = &upload{Name: r.PostForm.Get("filename"), AltText: r.PostForm.Get("alt_txt"), Length: n}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "upload_url": f.srv.URL + "/upload/" + id, "file_id": id})
}

// uploadFile takes the file's bytes (multipart, field "file").
func (f *fakeSlack) uploadFile(w http.ResponseWriter, r *http.Request) {
	file, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "no file", http.StatusBadRequest)
		return
	}
	b, _ := io.ReadAll(file)
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.uploads[r.PathValue("id")]
	if !ok || len(b) != u.Length {
		http.Error(w, "unknown upload or wrong length", http.StatusBadRequest)
		return
	}
	u.Body = b
	io.WriteString(w, "OK - "+strconv.Itoa(len(b)))
}

// completeUpload shares uploaded files in a channel; a channel the bot is
// not in answers not_in_channel.
func (f *fakeSlack) completeUpload(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if !f.authorized(w, r) {
		return
	}
	var files []struct {
		ID string `json:"id"`
	}
	json.Unmarshal([]byte(r.PostForm.Get("files")), &files)
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := r.PostForm.Get("channel_id")
	if f.notIn[ch] {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "not_in_channel"})
		return
	}
	for _, fl := range files {
		u, ok := f.uploads[fl.ID]
		if !ok || u.Body == nil {
			json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "file_not_found"})
			return
		}
		u.Channel, u.ThreadTS, u.Comment = ch, r.PostForm.Get("thread_ts"), r.PostForm.Get("initial_comment")
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "files": files})
}

// publishView records a Home tab view; Slack refuses more than 100 blocks.
func (f *fakeSlack) publishView(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer xoxb-test" {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_json"})
		return
	}
	view, _ := body["view"].(map[string]any)
	blocks, _ := view["blocks"].([]any)
	if body["user_id"] == "" || view["type"] != "home" || len(blocks) == 0 || len(blocks) > 100 {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	f.mu.Lock()
	f.views = append(f.views, body)
	f.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "view": map[string]any{"id": "V1", "type": "home"}})
}

// usersConversations lists the channels a user is in.
func (f *fakeSlack) usersConversations(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if !f.authorized(w, r) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var chans []map[string]any
	for _, id := range f.userChans[r.PostForm.Get("user")] {
		chans = append(chans, map[string]any{"id": id, "name": strings.ToLower(id), "is_channel": true})
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "channels": chans, "response_metadata": map[string]any{"next_cursor": ""}})
}

func (f *fakeSlack) connectionsOpen(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer xapp-test" {
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"})
}

func (f *fakeSlack) webhook(w http.ResponseWriter, r *http.Request) {
	var m json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		http.Error(w, "invalid_payload", 400)
		return
	}
	f.mu.Lock()
	f.webhooks = append(f.webhooks, m)
	f.mu.Unlock()
	w.Write([]byte("ok"))
}

func (f *fakeSlack) websocket(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }} // slack-go sends Slack's own Origin
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		f.t.Logf("fake websocket: %v (%s %s)", err, r.Method, r.URL)
		return
	}
	defer c.Close()
	c.WriteJSON(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A123"}, "debug_info": map[string]any{"host": "fake"}})
	go func() {
		for {
			_, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			f.acks <- msg
		}
	}()
	for {
		select {
		case env := <-f.envelopes:
			if err := c.WriteJSON(env); err != nil {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}

func (f *fakeSlack) snapshot() ([]url.Values, []json.RawMessage) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.posts...), append([]json.RawMessage(nil), f.webhooks...)
}

// waitFor polls until cond holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// signed builds a request signed for real with secret at time ts.
func signed(t *testing.T, url, secret string, ts time.Time, contentType, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sts := strconv.FormatInt(ts.Unix(), 10)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", sts)
	req.Header.Set("X-Slack-Signature", Sign(secret, sts, []byte(body)))
	return req
}
