//go:build abuse

package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	slackbot "github.com/briefbot/briefbot/bot/slack"
)

// TestAbuse attacks briefbot serve, built and run on loopback, as the
// security review did, and prints what got through. Bounded: about a
// minute, 1,000 connections at most. Run it with
//
//	go test -tags abuse -run Abuse -v -count=1 ./cmd/briefbot
//
// (or scripts/abuse.sh). ABUSE_CONNS and ABUSE_SECONDS scale the header
// flood.
func TestAbuse(t *testing.T) {
	conns := envInt("ABUSE_CONNS", 1000)
	floodFor := time.Duration(envInt("ABUSE_SECONDS", 10)) * time.Second
	const secret = "abuse-secret"
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	p := startBinary(t, map[string]string{"SLACK_BOT_TOKEN": "xoxb-abuse", "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": "http://127.0.0.1:1/api/",
		"DISCORD_APP_ID": "1234", "DISCORD_PUBLIC_KEY": hex.EncodeToString(pub)})
	pid := p.cmd.Process.Pid
	addr := strings.TrimPrefix(p.base, "http://")
	t.Logf("briefbot pid %d on %s; RSS at start %.1f MiB", pid, addr, rssMiB(pid, "VmRSS"))

	// 0. The baseline: signed commands with no attack, for comparison on
	// a shared machine.
	bctx, bcancel := context.WithTimeout(context.Background(), 5*time.Second)
	base := signedLoad(bctx, p.base, secret, 4)
	bcancel()
	slices.Sort(base)
	t.Logf("baseline, no attack: %d signed commands answered, p50 %v, p99 %v", len(base), pct(base, 50), pct(base, 99))

	// 1. Oversized headers from many connections, while signed commands
	// keep being asked.
	var peak atomic.Int64 // KiB
	stopSampling := sampleRSS(pid, &peak)
	ctx, cancel := context.WithTimeout(context.Background(), floodFor)
	var cut, opened atomic.Int64
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() { headerFlood(ctx, addr, &opened, &cut) })
	}
	lat := signedLoad(ctx, p.base, secret, 4)
	wg.Wait()
	cancel()
	stopSampling()
	slices.Sort(lat)
	t.Logf("header flood: %d connections x 1 MiB unfinished headers for %v: %d connections opened, %d cut by the server", conns, floodFor, opened.Load(), cut.Load())
	t.Logf("signed commands meanwhile: %d answered, p50 %v, p99 %v", len(lat), pct(lat, 50), pct(lat, 99))
	t.Logf("peak RSS during the flood: %.1f MiB (VmHWM %.1f MiB)", float64(peak.Load())/1024, rssMiB(pid, "VmHWM"))
	if peak.Load() > 150*1024 {
		t.Errorf("peak RSS %.1f MiB, over 150 MiB", float64(peak.Load())/1024)
	}
	if len(lat) == 0 || pct(lat, 99) > 50*time.Millisecond {
		t.Errorf("signed commands p99 %v (%d answered), want under 50 ms", pct(lat, 99), len(lat))
	}

	// 2. Slow readers: 200 connections pipeline requests with a small
	// receive window and never read the answers. The write timeout cuts
	// those whose answers do not fit the kernel's buffers, the idle
	// timeout the others: the server's open file descriptors come back
	// down.
	time.Sleep(2 * time.Second) // the flood's last connections close
	fdsBefore := openFDs(pid)
	readers := make([]net.Conn, 0, 200)
	for range 200 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.(*net.TCPConn).SetReadBuffer(4096)
		readers = append(readers, c)
		go func() {
			req := []byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			for range 50 {
				if _, err := c.Write(req); err != nil {
					return
				}
			}
		}()
	}
	slowStart := time.Now()
	bound := idleTimeout + 15*time.Second
	peakFDs, fds := 0, 0
	for time.Since(slowStart) < bound {
		time.Sleep(500 * time.Millisecond)
		fds = openFDs(pid)
		peakFDs = max(peakFDs, fds)
		if peakFDs >= fdsBefore+100 && fds <= fdsBefore+10 {
			break
		}
	}
	released := time.Since(slowStart)
	for _, c := range readers {
		c.Close()
	}
	held := max(0, fds-fdsBefore)
	t.Logf("slow readers: server fds %d before, %d at most, %d after %v", fdsBefore, peakFDs, fds, released.Round(100*time.Millisecond))
	if peakFDs < fdsBefore+100 {
		t.Errorf("the slow readers never held connections (fds peaked at %d): the test is wrong", peakFDs)
	}
	if held > 10 {
		t.Errorf("%d connections still held %v after the slow readers stopped reading", held, bound)
	}

	// 3. Replays: one signed subscribe, then unsubscribe, then the
	// subscribe replayed 100 times on each platform.
	replays := 0
	subscribe := slackCommand(p.base, secret, "subscribe")
	body, _ := io.ReadAll(subscribe.Body)
	again := func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, subscribe.URL.String(), strings.NewReader(string(body)))
		r.Header = subscribe.Header.Clone()
		return r
	}
	status(t, again())
	status(t, slackCommand(p.base, secret, "unsubscribe"))
	for range 100 {
		if status(t, again()) != http.StatusUnauthorized {
			replays++
		}
	}
	in := `{"id":"77","application_id":"1234","type":2,"token":"t","version":1,"channel_id":"5","guild_id":"99","member":{"user":{"id":"7"},"permissions":"16"},` +
		`"data":{"id":"1","name":"guarantees","type":1,"options":[{"name":"subscribe","type":1}]}}`
	dts := strconv.FormatInt(time.Now().Unix(), 10)
	dsig := hex.EncodeToString(ed25519.Sign(priv, []byte(dts+in)))
	discord := func(ts, sig, body string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, p.base+"/discord/interactions", strings.NewReader(body))
		r.Header.Set("X-Signature-Timestamp", ts)
		r.Header.Set("X-Signature-Ed25519", sig)
		return r
	}
	status(t, discord(dts, dsig, in))
	for i := range 100 {
		sig := dsig
		if i%2 == 1 {
			sig = strings.ToUpper(sig)
		}
		if status(t, discord(dts, sig, in)) != http.StatusUnauthorized {
			replays++
		}
	}
	t.Logf("replays: %d of 200 accepted", replays)
	if replays != 0 {
		t.Errorf("%d replays accepted", replays)
	}

	// 4. Forgeries: tampered, re-keyed, stale and missing signatures.
	forged, tried := 0, 0
	try := func(r *http.Request) {
		tried++
		if c := status(t, r); c != http.StatusUnauthorized {
			forged++
			t.Logf("forgery accepted (%d): %s %v", c, r.URL.Path, r.Header)
		}
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	stale := strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10)
	form := "command=%2Fguarantees&text=subscribe&channel_id=C9&user_id=U9&trigger_id=forged"
	good := slackbot.Sign(secret, now, []byte(form))
	for _, c := range []struct{ ts, sig, body string }{
		{now, slackbot.Sign("wrong", now, []byte(form)), form},
		{now, good, form + "&x=1"},
		{now, strings.ToUpper(good), form},
		{now, "v1" + good[2:], form},
		{now, good[:len(good)-1], form},
		{now, "", form},
		{"", good, form},
		{stale, slackbot.Sign(secret, stale, []byte(form)), form},
		{now + "0", good, form},
	} {
		r, _ := http.NewRequest(http.MethodPost, p.base+"/slack/commands", strings.NewReader(c.body))
		r.Header.Set("X-Slack-Request-Timestamp", c.ts)
		r.Header.Set("X-Slack-Signature", c.sig)
		try(r)
	}
	for i := range 64 { // the low four bits of the signature's first 16 hex digits, each flipped
		b := []byte(good)
		b[3+i/4] ^= 1 << (i % 4) // stays printable
		r, _ := http.NewRequest(http.MethodPost, p.base+"/slack/commands", strings.NewReader(form))
		r.Header.Set("X-Slack-Request-Timestamp", now)
		r.Header.Set("X-Slack-Signature", string(b))
		try(r)
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	dgood := ed25519.Sign(priv, []byte(now+in))
	try(discord(now, hex.EncodeToString(ed25519.Sign(other, []byte(now+in))), in))
	try(discord(now, hex.EncodeToString(dgood), in+" "))
	try(discord(stale, hex.EncodeToString(ed25519.Sign(priv, []byte(stale+in))), in))
	try(discord(now, hex.EncodeToString(forgeIdentity()), in))
	try(discord(now, strings.Repeat("00", 64), in))
	for i := range 64 {
		b := slices.Clone(dgood)
		b[i] ^= 0x01
		try(discord(now, hex.EncodeToString(b), in))
	}
	t.Logf("forgeries: %d of %d accepted", forged, tried)
	if forged != 0 {
		t.Errorf("%d forgeries accepted", forged)
	}

	// 5. Weak keys: briefbot must refuse to start with a small-order
	// Discord key; had it started, the identity forgery would pass.
	started := 0
	for _, k := range []string{"0100000000000000000000000000000000000000000000000000000000000000",
		"0000000000000000000000000000000000000000000000000000000000000000",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
		"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"} {
		out, code := runOnce(t, map[string]string{"DISCORD_APP_ID": "1", "DISCORD_PUBLIC_KEY": k, "BRIEFBOT_HTTP_ADDR": freeAddr(t)})
		if code != 2 || !strings.Contains(out, "DISCORD_PUBLIC_KEY") {
			started++
			t.Logf("weak key %s: exit %d: %s", k, code, out)
		}
	}
	t.Logf("weak keys: %d of 6 accepted at start", started)
	if started != 0 {
		t.Errorf("%d weak keys accepted", started)
	}
	t.Logf("SUMMARY peak_rss_mib=%.1f baseline_p99=%v signed_p99=%v accepted_forgeries=%d accepted_replays=%d weak_keys_accepted=%d slow_readers_held=%d",
		float64(peak.Load())/1024, pct(base, 99), pct(lat, 99), forged, replays, started, held)
}

// headerFlood opens a connection that sends 1 MiB of header in 16 KiB
// pieces 20 ms apart without ever ending it, and opens another a second
// after the server cuts it, until ctx is done.
func headerFlood(ctx context.Context, addr string, opened, cut *atomic.Int64) {
	chunk := []byte(strings.Repeat("a", 16<<10))
	pause := func(d time.Duration) {
		select {
		case <-ctx.Done():
		case <-time.After(d):
		}
	}
	for ctx.Err() == nil {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err != nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		opened.Add(1)
		stop := context.AfterFunc(ctx, func() { c.Close() })
		_, err = io.WriteString(c, "POST /slack/commands HTTP/1.1\r\nHost: x\r\nX-Pad: ")
		for sent := 0; err == nil && sent < 1<<20 && ctx.Err() == nil; sent += len(chunk) {
			_, err = c.Write(chunk)
			pause(20 * time.Millisecond)
		}
		if err == nil { // all sent, unfinished: wait to be cut
			c.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, err = io.Copy(io.Discard, c)
		}
		if ctx.Err() == nil {
			cut.Add(1)
		}
		stop()
		c.Close()
		pause(time.Second)
	}
}

// signedLoad asks fresh signed commands from workers until ctx is done,
// returning each answer's latency.
func signedLoad(ctx context.Context, base, secret string, workers int) []time.Duration {
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			// One kept-alive connection per worker, as a platform's
			// sender keeps.
			client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			defer client.CloseIdleConnections()
			for ctx.Err() == nil {
				req := slackCommand(base, secret, "actor trump")
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				if resp.StatusCode == 200 {
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	return lat
}

func status(t *testing.T, r *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// runOnce runs briefbot serve with vars and returns its output and exit
// code (killing it after 5 s if it started).
func runOnce(t *testing.T, vars map[string]string) (string, int) {
	t.Helper()
	env := []string{"PATH=" + os.Getenv("PATH"), "BRIEFBOT_DB=" + t.TempDir() + "/b.db"}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = env
	var out syncBuffer
	cmd.Stderr, cmd.Stdout = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
	return out.String(), cmd.ProcessState.ExitCode()
}

func forgeIdentity() []byte {
	// R = [1]B, S = 1: valid for any message under the identity key.
	s := make([]byte, 32)
	s[0] = 1
	b, _ := hex.DecodeString("5866666666666666666666666666666666666666666666666666666666666666")
	return append(b, s...)
}

func sampleRSS(pid int, peak *atomic.Int64) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			if kb := int64(rssMiB(pid, "VmRSS") * 1024); kb > peak.Load() {
				peak.Store(kb)
			}
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-finished }
}

// rssMiB reads a memory field (VmRSS, VmHWM) of a process, in MiB.
func rssMiB(pid int, field string) float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// openFDs counts a process's open file descriptors.
func openFDs(pid int) int {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(ents)
}
