package slack

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

// Slack's documented example, from "Verifying requests from Slack".
const (
	exampleSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	exampleTS     = "1531420618"
	exampleBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	exampleSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestVerifierSlackExample(t *testing.T) {
	at := func(d time.Duration) func() time.Time {
		return func() time.Time { return time.Unix(1531420618, 0).Add(d) }
	}
	hdr := func(ts, sig string) http.Header {
		h := http.Header{}
		if ts != "" {
			h.Set("X-Slack-Request-Timestamp", ts)
		}
		if sig != "" {
			h.Set("X-Slack-Signature", sig)
		}
		return h
	}
	cases := []struct {
		name string
		now  func() time.Time
		h    http.Header
		body string
		want error
	}{
		{"documented example", at(0), hdr(exampleTS, exampleSig), exampleBody, nil},
		{"4m59s later", at(4*time.Minute + 59*time.Second), hdr(exampleTS, exampleSig), exampleBody, nil},
		{"clock 4m behind", at(-4 * time.Minute), hdr(exampleTS, exampleSig), exampleBody, nil},
		{"stale: 5m1s later", at(5*time.Minute + time.Second), hdr(exampleTS, exampleSig), exampleBody, ErrStale},
		{"from the future", at(-6 * time.Minute), hdr(exampleTS, exampleSig), exampleBody, ErrStale},
		{"tampered body", at(0), hdr(exampleTS, exampleSig), exampleBody + "x", ErrBadSignature},
		{"flipped digit", at(0), hdr(exampleTS, exampleSig[:len(exampleSig)-1]+"4"), exampleBody, ErrBadSignature},
		{"other timestamp", at(0), hdr("1531420619", exampleSig), exampleBody, ErrBadSignature},
		{"v1 scheme", at(0), hdr(exampleTS, "v1"+exampleSig[2:]), exampleBody, ErrBadSignature},
		{"no signature", at(0), hdr(exampleTS, ""), exampleBody, ErrNoSignature},
		{"no timestamp", at(0), hdr("", exampleSig), exampleBody, ErrNoSignature},
		{"bad timestamp", at(0), hdr("yesterday", exampleSig), exampleBody, ErrBadTimestamp},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := NewVerifier(exampleSecret, c.now).Verify(c.h, []byte(c.body))
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
	if got := Sign(exampleSecret, exampleTS, []byte(exampleBody)); got != exampleSig {
		t.Fatalf("Sign = %s, want %s", got, exampleSig)
	}
}
