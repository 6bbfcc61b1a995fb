package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefings"
)

type result struct {
	code           int
	stdout, stderr string
}

func runWith(t *testing.T, stdin string, vars map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return vars[k] },
	})
	return result{code, out.String(), errb.String()}
}

// copyBriefing writes the embedded briefing to a directory and applies the
// edits (file, old, new) to it.
func copyBriefing(t *testing.T, edits ...[3]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, briefings.Embedded()); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		path := filepath.Join(dir, e[0])
		data, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(data, []byte(e[1])) {
			t.Fatalf("%q not in %s (%v)", e[1], e[0], err)
		}
		if err := os.WriteFile(path, bytes.Replace(data, []byte(e[1]), []byte(e[2]), 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestAsk(t *testing.T) {
	r := runWith(t, "", nil, "ask", "actor", "macron")
	if r.code != 0 || !strings.Contains(r.stdout, "on the ground") {
		t.Fatalf("code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Nothing found is still an answer: exit 0.
	r = runWith(t, "", nil, "ask", "actor angela merkel")
	if r.code != 0 || !strings.Contains(r.stdout, "Not covered") {
		t.Fatalf("code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// No text at all is the overview.
	if r = runWith(t, "", nil, "ask"); r.code != 0 || !strings.Contains(r.stdout, "Bottom line") {
		t.Fatalf("code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestAskJSON(t *testing.T) {
	r := runWith(t, "", nil, "ask", "--format", "json", "what", "does", "trump", "think", "about", "troops")
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	var a briefings.Answer
	if err := json.Unmarshal([]byte(r.stdout), &a); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	// The short answer leads with the stance and its quote; --full adds
	// the card.
	if a.Kind != "pair" || len(a.Lead) == 0 || a.Lead[0].Quote == nil || a.Lead[0].Date == "" || len(a.Sources) == 0 || !a.More {
		t.Fatalf("unexpected answer: %+v", a)
	}
	r = runWith(t, "", nil, "ask", "--format", "json", "--full", "what does trump think about troops")
	var full briefings.Answer
	if err := json.Unmarshal([]byte(r.stdout), &full); err != nil || len(full.Sections) == 0 || full.More {
		t.Fatalf("--full: %v %+v", err, full)
	}
	if r := runWith(t, "", nil, "ask", "--format", "xml", "trump"); r.code != 2 || !strings.Contains(r.stderr, "use text or json") {
		t.Fatalf("bad format: code %d, %s", r.code, r.stderr)
	}
}

func TestCheck(t *testing.T) {
	r := runWith(t, "", nil, "check")
	if r.code != 0 || !strings.Contains(r.stdout, "OK") {
		t.Fatalf("embedded: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	good := copyBriefing(t)
	if r := runWith(t, "", nil, "check", "--briefing", good); r.code != 0 {
		t.Fatalf("copy: code %d\n%s", r.code, r.stderr)
	}
	if r := runWith(t, "", nil, "--briefing", good, "check"); r.code != 0 {
		t.Fatalf("copy, global flag: code %d\n%s", r.code, r.stderr)
	}
	bad := copyBriefing(t,
		[3]string{"positions.yaml", "actor: macron", "actor: macronn"},
		[3]string{"actors.yaml", "We must help Ukraine on the ground", "We must help Ukraine in the air"})
	r = runWith(t, "", nil, "check", "--briefing", bad)
	if r.code != 1 {
		t.Fatalf("bad briefing: want exit 1, got %d", r.code)
	}
	for _, want := range []string{`positions.yaml:`, `unknown actor id "macronn"`, `actors.yaml:`, "quote not found verbatim"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r := runWith(t, "", nil, "check", "--briefing", filepath.Join(good, "nope")); r.code != 1 {
		t.Fatalf("missing dir: want exit 1, got %d", r.code)
	}
}

func TestBriefingFromDisk(t *testing.T) {
	dir := copyBriefing(t, [3]string{"actors.yaml", "role: President of France", "role: President of the French Republic"})
	for _, r := range []result{
		runWith(t, "", nil, "--briefing", dir, "ask", "actor macron"),
		runWith(t, "", map[string]string{"BRIEFBOT_BRIEFING": dir}, "ask", "actor macron"),
		runWith(t, "actor macron\n", nil, "--briefing", dir),
	} {
		if r.code != 0 || !strings.Contains(r.stdout, "President of the French Republic") {
			t.Fatalf("code %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	}
}

func TestServeRunsTheConsoleWithoutCredentials(t *testing.T) {
	r := runWith(t, "/guarantees actor trump\nsources\n", nil)
	if r.code != 0 || !strings.Contains(r.stdout, "offensive") || !strings.Contains(r.stdout, "VideoElephant") {
		t.Fatalf("code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runWith(t, "help\n", nil, "serve"); r.code != 0 || !strings.Contains(r.stdout, "How to use") {
		t.Fatalf("serve: code %d\n%s", r.code, r.stderr)
	}
}

func TestBadInvocation(t *testing.T) {
	cases := []struct {
		args []string
		vars map[string]string
		code int
		msg  string
	}{
		{[]string{"frobnicate"}, nil, 2, `unknown command "frobnicate"`},
		{[]string{"--nope"}, nil, 2, "flag provided but not defined"},
		{[]string{"check", "extra"}, nil, 2, "unexpected argument"},
		{nil, map[string]string{"BRIEFBOT_LOG_LEVEL": "loud"}, 2, "BRIEFBOT_LOG_LEVEL"},
		{nil, map[string]string{"SLACK_APP_TOKEN": "xoxb-secret-value"}, 2, "SLACK_APP_TOKEN: an app-level token starts with xapp-"},
	}
	for _, c := range cases {
		r := runWith(t, "", c.vars, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: code %d, stderr %q", c.args, r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "secret-value") {
			t.Errorf("%v: a secret leaked into the error: %q", c.args, r.stderr)
		}
	}
	if r := runWith(t, "", nil, "help"); r.code != 0 || !strings.Contains(r.stdout, "Usage") {
		t.Errorf("help: code %d", r.code)
	}
}

// TestBinary builds briefbot and runs it as a user would.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "briefbot")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no chat credentials
	cmd.Stdin = strings.NewReader("actor zelensky\noption troops\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("briefbot: %v", err)
	}
	for _, want := range []string{"on paper", "Donetsk", "Foreign troops", "reassuring force"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output lacks %q", want)
		}
	}
	check := exec.Command(bin, "check")
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("briefbot check: %v\n%s", err, out)
	}
}

// TestConsoleDigest runs the console with a declared console subscription:
// its digest is printed while the console is open.
func TestConsoleDigest(t *testing.T) {
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "briefbot.yaml")
	os.WriteFile(cfgFile, []byte("digests:\n  - platform: console\n    schedule: \"@every 1s\"\n"), 0o600)
	pr, pw := io.Pipe()
	var out syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), []string{"--config", cfgFile}, env{stdin: pr, stdout: &out, stderr: io.Discard,
			getenv: func(k string) string { return map[string]string{"BRIEFBOT_DB": filepath.Join(dir, "b.db")}[k] }})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "--- digest for console") {
		if time.Now().After(deadline) {
			t.Fatalf("no digest printed: %s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	pw.Close()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), "Daily digest") || !strings.Contains(out.String(), "Bottom line") {
		t.Fatalf("digest: %s", out.String())
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
