package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	slackbot "github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/postgres/pgtest"
)

// replica is one briefbot serve process of the replicas test.
type replica struct {
	cmd  *exec.Cmd
	addr string
}

// TestThreeReplicasSIGKILLUnderFaults runs three built `briefbot serve`
// processes in HTTP mode on one throwaway PostgreSQL database, with four
// declared Slack digests on a 3-second schedule, against one fake Slack
// that fails a quarter of posts with 429 and a quarter with 500 (a third
// of those after storing the message). For about 24 s a random replica
// is killed with SIGKILL every 1.5 to 3.5 s and started again. Every slot
// that fell meanwhile (at least two replicas always ran) is posted, none
// twice; a signed request served by one replica is refused as a replay
// by another, and a mention Slack retries at another replica is answered
// once.
func TestThreeReplicasSIGKILLUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three replicas on PostgreSQL for about 100 s")
	}
	cluster, err := pgtest.Start()
	if err != nil {
		if os.Getenv("BRIEFBOT_REQUIRE_POSTGRES") != "" {
			t.Fatalf("BRIEFBOT_REQUIRE_POSTGRES is set and the test cluster did not start: %v", err)
		}
		t.Skipf("skipping: %v", err)
	}
	defer cluster.Stop()
	dbURL := cluster.NewDB(t)

	dir := t.TempDir()
	bin := filepath.Join(dir, "briefbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fake := &flakySlack{msgs: map[string][]map[string]any{}, posts: map[string]int{}, tries: map[string]int{}, status: map[string]int{}}
	api := httptest.NewServer(fake)
	defer api.Close()
	const spec = "*/3 * * * * *"
	var cfg strings.Builder
	cfg.WriteString("digests:\n")
	channels := []string{"C1", "C2", "C3", "C4"}
	for _, ch := range channels {
		fmt.Fprintf(&cfg, "  - {platform: slack, channel: %s, schedule: %q}\n", ch, spec)
	}
	cfgPath := filepath.Join(dir, "briefbot.yaml")
	os.WriteFile(cfgPath, []byte(cfg.String()), 0o600)

	var logs syncBuffer
	start := func(i int) *replica {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "serve")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "BRIEFBOT_CONFIG=" + cfgPath, "BRIEFBOT_DB=" + dbURL,
			"SLACK_BOT_TOKEN=xoxb-kill", "SLACK_SIGNING_SECRET=s", "SLACK_API_URL=" + api.URL + "/api/", "BRIEFBOT_HTTP_ADDR=" + addr}
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
				resp.Body.Close()
				return &replica{cmd, addr}
			}
		}
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("replica %d did not start:\n%s", i, logs.String())
		return nil
	}
	replicas := make([]*replica, 3)
	for i := range replicas {
		replicas[i] = start(i)
	}
	defer func() {
		for _, r := range replicas {
			if r != nil {
				r.cmd.Process.Kill()
				r.cmd.Wait()
			}
		}
	}()
	from := time.Now()

	rng := rand.New(rand.NewPCG(uint64(from.UnixNano()), 13))
	kills := 0
	for time.Since(from) < 24*time.Second {
		time.Sleep(1500*time.Millisecond + time.Duration(rng.IntN(2000))*time.Millisecond)
		i := rng.IntN(len(replicas))
		replicas[i].cmd.Process.Kill() // SIGKILL: no cleanup at all
		replicas[i].cmd.Wait()
		replicas[i] = nil
		kills++
		time.Sleep(time.Duration(rng.IntN(1000)) * time.Millisecond)
		replicas[i] = start(i)
	}
	to := time.Now()

	// Shared guards, through the running binaries: a signed command
	// served by one replica is a replay at another; a mention Slack
	// retries at another replica is answered once.
	cmdBody := url.Values{"command": {"/guarantees"}, "text": {"actor trump"}, "user_id": {"U1"}, "channel_id": {"C1"}}.Encode()
	req := signedSlack("http://"+replicas[0].addr+"/slack/commands", "s", cmdBody)
	replay := signedSlack("http://"+replicas[1].addr+"/slack/commands", "s", cmdBody)
	replay.Header = req.Header.Clone()
	for _, c := range []struct {
		req  *http.Request
		want int
	}{{req, 200}, {replay, 401}} {
		resp, err := http.DefaultClient.Do(c.req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("command at %s: status %d, want %d", c.req.URL.Host, resp.StatusCode, c.want)
		}
	}
	event, _ := json.Marshal(map[string]any{"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": "EvReplicas", "event_time": time.Now().Unix(), "event": map[string]any{"type": "app_mention", "user": "U1",
			"text": "<@UBOT> what does macron want?", "ts": "1764662400.000001", "channel": "CEV", "event_ts": "1764662400.000001"}})
	for i, r := range replicas { // the delivery, then Slack's retries, each signed afresh
		ts := strconv.FormatInt(time.Now().Unix()+int64(i), 10)
		req, _ := http.NewRequest(http.MethodPost, "http://"+r.addr+"/slack/events", strings.NewReader(string(event)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", slackbot.Sign("s", ts, event))
		if i > 0 {
			req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(i))
			req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("event at replica %d: status %d", i, resp.StatusCode)
		}
	}

	// Let what fell settle: a killed replica's claims are taken over
	// when their one-minute lease expires (at most 90 s).
	sched, _ := digest.ParseSchedule(spec, time.UTC)
	missing := func() int {
		n := 0
		for slot := sched.Next(from); slot.Before(to); slot = sched.Next(slot) {
			for _, ch := range channels {
				if fake.posts[ch+"|"+slot.UTC().Format(time.RFC3339)] == 0 {
					n++
				}
			}
		}
		return n
	}
	settleFrom := time.Now()
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		fake.mu.Lock()
		n := missing()
		fake.mu.Unlock()
		if n == 0 {
			break
		}
	}
	settled := time.Since(settleFrom)
	time.Sleep(2 * time.Second) // and a little longer, for any duplicate to show
	for _, r := range replicas {
		r.cmd.Process.Signal(syscall.SIGTERM)
	}
	for i, r := range replicas {
		r.cmd.Wait()
		replicas[i] = nil
	}

	fake.mu.Lock()
	defer fake.mu.Unlock()
	checked, lost := 0, 0
	for slot := sched.Next(from); slot.Before(to); slot = sched.Next(slot) {
		for _, ch := range channels {
			checked++
			if fake.posts[ch+"|"+slot.UTC().Format(time.RFC3339)] == 0 {
				lost++
				t.Errorf("lost: %s at %s", ch, slot.Format("15:04:05"))
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
	if n := fake.answers["CEV/1764662400.000001"]; n != 1 {
		t.Errorf("the mention delivered to three replicas was answered %d times, want 1", n)
	}
	t.Logf("3 replicas on PostgreSQL, %d SIGKILLs over %s: %d slots checked, %d lost, %d posted twice (all settled %s after the kills); Slack answered %v",
		kills, to.Sub(from).Round(time.Second), checked, lost, twice, settled.Round(time.Second), fake.status)
	if t.Failed() {
		t.Logf("logs:\n%s", logs.String())
	}
}
