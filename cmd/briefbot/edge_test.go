package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	slackbot "github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/metrics"
)

// startEdge serves h with the edge's limits on a loopback port until the
// test ends.
func startEdge(t *testing.T, h http.Handler, obs bot.Observer) string {
	t.Helper()
	ln, err := edgeListen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveEdge(ctx, edgeServer(h, obs, slog.New(slog.NewTextHandler(io.Discard, nil))), ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

func TestEdgeRefusesOversizedHeaders(t *testing.T) {
	addr := startEdge(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }), bot.NopObserver{})
	send := func(headerBytes int) int {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		go func() {
			fmt.Fprintf(c, "POST /slack/commands HTTP/1.1\r\nHost: x\r\nX-Pad: %s\r\nContent-Length: 0\r\n\r\n", strings.Repeat("a", headerBytes))
		}()
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("%d bytes of headers: %v", headerBytes, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// What Slack and Discord send (about 1 KiB) passes; 64 KiB, which Go's
	// default of 1 MiB let through, does not.
	if code := send(2 << 10); code != 200 {
		t.Fatalf("2 KiB of headers: %d", code)
	}
	if code := send(64 << 10); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("64 KiB of headers: %d, want 431", code)
	}
}

func TestEdgeTimeoutsSet(t *testing.T) {
	srv := edgeServer(http.NotFoundHandler(), bot.NopObserver{}, slog.Default())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 ||
		srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 16<<10 {
		t.Fatalf("unbounded server: %+v", srv)
	}
	if srv.WriteTimeout+drainGrace > shutdownGrace+readTimeout {
		t.Fatal("timeouts out of proportion")
	}
}

func TestEdgeInFlightCap(t *testing.T) {
	release := make(chan struct{})
	var inside atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inside.Add(1)
		<-release
		io.WriteString(w, "ok")
	})
	m := metrics.New()
	srv := httptest.NewServer(limitInFlight(h, 2, func() { bot.ReportRejected(m, "http", bot.RejectOverload) }))
	defer srv.Close()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			resp, err := http.Get(srv.URL)
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	for inside.Load() < 2 {
		time.Sleep(5 * time.Millisecond)
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("third request: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	close(release)
	wg.Wait()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `briefbot_requests_rejected_total{platform="http",reason="overload"} 1`) {
		t.Fatal("the 503 was not counted")
	}
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// binary builds briefbot once per test run, as the Dockerfile does
// (CGO_ENABLED=0).
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "briefbot-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "briefbot")
		build := exec.Command("go", "build", "-o", builtBin, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// proc is briefbot serve running as a subprocess on loopback.
type proc struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	exited chan error
}

func startBinary(t *testing.T, vars map[string]string) *proc {
	t.Helper()
	bin := binary(t)
	addr := freeAddr(t)
	env := []string{"PATH=" + os.Getenv("PATH"), "BRIEFBOT_HTTP_ADDR=" + addr, "BRIEFBOT_DB=" + filepath.Join(t.TempDir(), "b.db")}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	p := &proc{cmd: exec.Command(bin, "serve"), base: "http://" + addr, stderr: &syncBuffer{}, exited: make(chan error, 1)}
	p.cmd.Env = env
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(p.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		select {
		case err := <-p.exited:
			t.Fatalf("briefbot exited at start (%v): %s", err, p.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no /healthz: %s", p.stderr.String())
		}
	}
}

var triggers atomic.Int64

// slackCommand is a slash command signed now, with its own trigger_id as
// Slack gives every command.
func slackCommand(base, secret, text string) *http.Request {
	body := url.Values{"command": {"/guarantees"}, "text": {text}, "user_id": {"U1"}, "channel_id": {"C1"},
		"trigger_id": {strconv.FormatInt(triggers.Add(1), 10)}}.Encode()
	return signedSlack(base+"/slack/commands", secret, body)
}

func signedSlack(u, secret, body string) *http.Request {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackbot.Sign(secret, ts, []byte(body)))
	return req
}

// TestShutdownUnderLoad sends SIGTERM to briefbot while it answers
// commands, holds a request whose body trickles in, and has Share replies
// in the background stuck on a response_url that never answers: it must
// exit within 10 s, as the README promises.
func TestShutdownUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	hang := make(chan struct{})
	var hung atomic.Int32
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hung.Add(1)
		select { // a response_url, or Slack's API, that never answers
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer stuck.Close()
	defer close(hang)
	const secret = "shutdown-secret"
	p := startBinary(t, map[string]string{"SLACK_BOT_TOKEN": "xoxb-t", "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": stuck.URL + "/api/"})

	// Shares stuck in the background.
	for i := range 4 {
		payload := fmt.Sprintf(`{"type":"block_actions","response_url":%q,"channel":{"id":"C1"},"user":{"id":"U1"},"trigger_id":"%d",`+
			`"message":{"type":"message","blocks":[]},"actions":[{"action_id":%q,"block_id":"briefbot_actions","type":"button","value":"actor macron","action_ts":"1.2"}]}`,
			stuck.URL+"/response/"+strconv.Itoa(i), i, slackbot.ShareActionID)
		resp, err := http.DefaultClient.Do(signedSlack(p.base+"/slack/interactions", secret, "payload="+url.QueryEscape(payload)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("share: %d", resp.StatusCode)
		}
	}
	// A request whose body trickles in, a byte a second.
	slow, err := net.Dial("tcp", strings.TrimPrefix(p.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "POST /slack/commands HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
	go func() {
		for range 30 {
			if _, err := slow.Write([]byte("a")); err != nil {
				return
			}
			time.Sleep(time.Second)
		}
	}()
	// Commands, eight at a time, until the process is gone.
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	var answered atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			client := &http.Client{Timeout: 2 * time.Second}
			for ctx.Err() == nil {
				resp, err := client.Do(slackCommand(p.base, secret, "actor trump"))
				if err != nil {
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					answered.Add(1)
				}
			}
		})
	}
	for deadline := time.Now().Add(10 * time.Second); answered.Load() < 200 || hung.Load() < 4; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("load did not start: %d answered, %d stuck: %s", answered.Load(), hung.Load(), p.stderr.String())
		}
	}
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		took := time.Since(start)
		t.Logf("exited %v after SIGTERM (%d commands answered under load)", took, answered.Load())
		if took > 10*time.Second {
			t.Fatalf("took %v to exit", took)
		}
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, p.stderr.String())
		}
	case <-time.After(25 * time.Second):
		t.Fatalf("still running 25 s after SIGTERM: %s", p.stderr.String())
	}
	stopLoad()
	wg.Wait()
}
