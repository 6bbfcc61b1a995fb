package main

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	slackbot "github.com/briefbot/briefbot/bot/slack"
)

// dockerBuild returns the Dockerfile's build command (the line with
// "go build"), so the test builds the binary exactly as the image does.
func dockerBuild(t *testing.T) (env []string, args []string) {
	t.Helper()
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "RUN ") || !strings.Contains(line, " go build ") {
			continue
		}
		fields := strings.Fields(strings.TrimPrefix(line, "RUN "))
		for len(fields) > 0 && strings.Contains(fields[0], "=") {
			env, fields = append(env, fields[0]), fields[1:]
		}
		if len(fields) < 2 || fields[0] != "go" || fields[1] != "build" {
			t.Fatalf("unexpected build line: %s", line)
		}
		return env, fields[2:]
	}
	t.Fatal("no go build line in the Dockerfile")
	return nil, nil
}

// TestEndToEnd builds briefbot as the Dockerfile does, runs it as a
// subprocess with Slack HTTP mode and Discord HTTP interactions against
// local fakes of both APIs, sends signed commands, checks the operations
// endpoints and that metrics counted them, then stops it with SIGTERM.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "briefbot")
	benv, bargs := dockerBuild(t)
	for i, a := range bargs {
		if a == "-o" && i+1 < len(bargs) {
			bargs[i+1] = bin
		}
		if a == "./cmd/briefbot" {
			bargs[i] = "."
		}
	}
	build := exec.Command("go", append([]string{"build"}, bargs...)...)
	build.Env = append(os.Environ(), benv...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build %v: %v\n%s", bargs, err, out)
	}

	// Fakes of the two platforms' APIs: Discord's command registration is
	// all the start-up needs.
	var mu sync.Mutex
	var registered []string
	discordAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/commands") {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			registered = append(registered, string(b))
			mu.Unlock()
			w.Write(b)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message": "404: Not Found", "code": 0}`)
	}))
	defer discordAPI.Close()
	slackAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
	}))
	defer slackAPI.Close()

	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"SLACK_BOT_TOKEN=xoxb-e2e", "SLACK_SIGNING_SECRET=e2e-secret", "SLACK_API_URL=" + slackAPI.URL + "/api",
		"DISCORD_APP_ID=1234", "DISCORD_PUBLIC_KEY=" + hex.EncodeToString(pub), "DISCORD_BOT_TOKEN=discord-e2e", "DISCORD_GUILD_ID=99",
		"DISCORD_API_URL=" + discordAPI.URL, "BRIEFBOT_HTTP_ADDR=" + addr, "BRIEFBOT_DB=" + filepath.Join(dir, "briefbot.db"),
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()

	base := "http://" + addr
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no /healthz: %s", stderr.String())
		}
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/readyz"); code != 200 {
		t.Fatalf("readyz: %d %s", code, body)
	}

	// A signed Slack command.
	form := url.Values{"command": {"/guarantees"}, "text": {"actor zelensky"}, "user_id": {"U1"}, "channel_id": {"C1"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(form))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackbot.Sign("e2e-secret", ts, []byte(form)))
	if code, body := do(t, req); code != 200 || !strings.Contains(body, "on paper") {
		t.Fatalf("slack: %d %s", code, body)
	}
	// A signed Discord command, and a forged one.
	in := `{"id":"1","application_id":"1234","type":2,"token":"t","version":1,"channel_id":"5","guild_id":"99","member":{"user":{"id":"7"},"permissions":"0"},` +
		`"data":{"id":"1","name":"guarantees","type":1,"options":[{"name":"option","type":1,"options":[{"name":"name","type":3,"value":"tripwire"}]}]}}`
	sign := func(key ed25519.PrivateKey) *http.Request {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest(http.MethodPost, base+"/discord/interactions", strings.NewReader(in))
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, []byte(ts+in))))
		return req
	}
	if code, body := do(t, sign(priv)); code != 200 || !strings.Contains(body, "Tripwire force") {
		t.Fatalf("discord: %d %s", code, body)
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	if code, _ := do(t, sign(other)); code != 401 {
		t.Fatalf("forged discord: %d", code)
	}
	_, metrics := get("/metrics")
	for _, want := range []string{`briefbot_commands_total{kind="actor",platform="slack"} 1`, `briefbot_commands_total{kind="option",platform="discord"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	mu.Lock()
	if len(registered) != 1 || !strings.Contains(registered[0], `"name":"guarantees"`) {
		t.Errorf("registration: %v", registered)
	}
	mu.Unlock()

	// SIGTERM: a clean exit.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("no exit after SIGTERM: %s", stderr.String())
	}
	for _, s := range []string{"stopped cleanly", "slack: HTTP mode", "discord: HTTP interactions", "http: listening"} {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("log lacks %q", s)
		}
	}
	if strings.Contains(stderr.String(), "e2e-secret") || strings.Contains(stderr.String(), "xoxb-e2e") || strings.Contains(stderr.String(), "discord-e2e") {
		t.Error("a secret reached the log")
	}
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
