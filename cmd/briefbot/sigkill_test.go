package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
)

// flakySlack is a fake of Slack's Web API for digests: chat.postMessage
// answers a quarter of posts with 429 (Retry-After: 1) and a quarter with
// 500, a third of those 500s after storing the message (an unknown
// outcome); conversations.history returns the stored messages with their
// metadata, as Slack does with include_all_metadata.
type flakySlack struct {
	mu     sync.Mutex
	msgs   map[string][]map[string]any // channel → messages
	posts  map[string]int              // channel|slot → times stored
	tries  map[string]int
	status map[string]int
	n      int
	// answers counts posts that are no digest (answers to mentions) per
	// channel and thread; they never fail.
	answers map[string]int
}

func (f *flakySlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := r.FormValue("channel")
	switch {
	case strings.HasSuffix(r.URL.Path, "/chat.postMessage"):
		var md struct {
			EventType    string         `json:"event_type"`
			EventPayload map[string]any `json:"event_payload"`
		}
		json.Unmarshal([]byte(r.FormValue("metadata")), &md)
		if md.EventType == "" {
			if f.answers == nil {
				f.answers = map[string]int{}
			}
			f.answers[ch+"/"+r.FormValue("thread_ts")]++
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1764662400.999999"}`, ch)
			return
		}
		k := fmt.Sprintf("%s|%v", ch, md.EventPayload["slot"])
		f.tries[k]++
		h := fnv.New32a()
		fmt.Fprint(h, k, f.tries[k])
		roll := h.Sum32() % 100
		store := func() string {
			f.n++
			ts := fmt.Sprintf("1764662400.%06d", f.n)
			f.msgs[ch] = append(f.msgs[ch], map[string]any{"type": "message", "ts": ts, "text": "digest",
				"metadata": map[string]any{"event_type": md.EventType, "event_payload": md.EventPayload}})
			f.posts[k]++
			return ts
		}
		switch {
		case roll < 25:
			f.status["429"]++
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
		case roll < 42:
			f.status["500"]++
			w.WriteHeader(http.StatusInternalServerError)
		case roll < 50:
			f.status["500 after posting"]++
			store()
			w.WriteHeader(http.StatusInternalServerError)
		default:
			f.status["200"]++
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, ch, store())
		}
	case strings.HasSuffix(r.URL.Path, "/conversations.history"):
		msgs := f.msgs[ch]
		if msgs == nil {
			msgs = []map[string]any{}
		}
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "messages": msgs, "has_more": false})
	default:
		fmt.Fprint(w, `{"ok":true,"user_id":"UBOT","team_id":"T1","bot_id":"B1"}`)
	}
}

// TestSIGKILLUnderFaults runs the built binary with four declared Slack
// digests on a 3-second schedule against a Slack that fails half its
// posts, and kills it with SIGKILL five times: every slot that fell while
// a process was serving is posted, none twice.
func TestSIGKILLUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it for about 35 s")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "briefbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fake := &flakySlack{msgs: map[string][]map[string]any{}, posts: map[string]int{}, tries: map[string]int{}, status: map[string]int{}}
	api := httptest.NewServer(fake)
	defer api.Close()
	const spec = "*/3 * * * * *" // every 3 s: a channel takes one post a second, retries included
	var cfg strings.Builder
	cfg.WriteString("digests:\n")
	channels := []string{"C1", "C2", "C3", "C4"}
	for _, ch := range channels {
		fmt.Fprintf(&cfg, "  - {platform: slack, channel: %s, schedule: %q}\n", ch, spec)
	}
	cfgPath := filepath.Join(dir, "briefbot.yaml")
	os.WriteFile(cfgPath, []byte(cfg.String()), 0o600)

	type span struct{ from, to time.Time }
	var up []span
	var logs syncBuffer
	for run := range 6 {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "serve")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "BRIEFBOT_CONFIG=" + cfgPath, "BRIEFBOT_DB=" + filepath.Join(dir, "b.db"),
			"SLACK_BOT_TOKEN=xoxb-kill", "SLACK_SIGNING_SECRET=s", "SLACK_API_URL=" + api.URL + "/api/", "BRIEFBOT_HTTP_ADDR=" + addr}
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var from time.Time
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
				resp.Body.Close()
				from = time.Now()
				break
			}
		}
		if from.IsZero() {
			cmd.Process.Kill()
			t.Fatalf("run %d did not start:\n%s", run, logs.String())
		}
		if run < 5 {
			time.Sleep(time.Duration(3000+run*400) * time.Millisecond)
		} else { // the last one runs until what fell before it settled (at most 40 s)
			sched, _ := digest.ParseSchedule(spec, time.UTC)
			for deadline := time.Now().Add(40 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
				missing := 0
				fake.mu.Lock()
				for _, s := range up {
					for slot := sched.Next(s.from); slot.Before(s.to); slot = sched.Next(slot) {
						for _, ch := range channels {
							if fake.posts[ch+"|"+slot.UTC().Format(time.RFC3339)] == 0 {
								missing++
							}
						}
					}
				}
				fake.mu.Unlock()
				if missing == 0 {
					break
				}
			}
			time.Sleep(2 * time.Second) // and a little longer, for any duplicate to show
		}
		to := time.Now()
		if run == 5 {
			cmd.Process.Signal(syscall.SIGTERM)
		} else {
			cmd.Process.Kill() // SIGKILL: no cleanup at all
		}
		cmd.Wait()
		up = append(up, span{from, to})
		time.Sleep(time.Duration(run%3) * 500 * time.Millisecond)
	}
	sched, _ := digest.ParseSchedule(spec, time.UTC)
	fake.mu.Lock()
	defer fake.mu.Unlock()
	checked, lost := 0, 0
	for _, s := range up[:len(up)-1] {
		for slot := sched.Next(s.from); slot.Before(s.to); slot = sched.Next(slot) {
			for _, ch := range channels {
				checked++
				if fake.posts[ch+"|"+slot.UTC().Format(time.RFC3339)] == 0 {
					lost++
					t.Errorf("lost: %s at %s", ch, slot.Format("15:04:05"))
				}
			}
		}
	}
	twice := 0
	for k, n := range fake.posts {
		if n > 1 {
			twice++
			t.Errorf("posted %d times: %s", n, k)
		}
	}
	t.Logf("5 SIGKILLs: %d slots that fell while serving checked, %d lost, %d posted twice; Slack answered %v", checked, lost, twice, fake.status)
	if t.Failed() {
		t.Logf("logs:\n%s", logs.String())
	}
}
