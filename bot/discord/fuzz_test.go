package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fuzzKey is a fixed key pair, so that the fuzzer's inputs replay.
var fuzzKey = ed25519.NewKeyFromSeed([]byte("briefbot-fuzz-seed-0123456789abc"))

func FuzzVerify(f *testing.F) {
	pub := fuzzKey.Public().(ed25519.PublicKey)
	ts := strconv.FormatInt(testNow.Unix(), 10)
	ping := []byte(`{"id":"1","type":1}`)
	good := hex.EncodeToString(ed25519.Sign(fuzzKey, append([]byte(ts), ping...)))
	f.Add(ts, good, ping)
	f.Add(ts, strings.ToUpper(good), ping)
	f.Add(ts, good[:len(good)-1]+"0", ping)
	f.Add("+"+ts, good, ping)
	f.Add(ts, good, append(ping, ' '))
	f.Add("", "", []byte{})
	f.Add("-9223372036854775808", strings.Repeat("00", 64), []byte("x"))
	v, err := NewVerifier(hex.EncodeToString(pub), func() time.Time { return testNow })
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ts, sigHex string, body []byte) {
		h := http.Header{}
		h.Set("X-Signature-Timestamp", ts)
		h.Set("X-Signature-Ed25519", sigHex)
		ts = h.Get("X-Signature-Timestamp")
		sec, perr := strconv.ParseInt(ts, 10, 64)
		inWindow := perr == nil && testNow.Sub(time.Unix(sec, 0)).Abs() <= MaxSkew
		if v.Verify(h, body) == nil {
			sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
			if err != nil || !ed25519.Verify(pub, append([]byte(ts), body...), sig) || !inWindow {
				t.Fatalf("forgery accepted: ts %q sig %q", ts, sigHex)
			}
		}
		if inWindow {
			h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(fuzzKey, append([]byte(ts), body...))))
			if err := v.Verify(h, body); err != nil {
				t.Fatalf("genuine signature refused: %v", err)
			}
		}
	})
}

// FuzzInteraction sends any body, signed, to the interactions endpoint:
// it is answered (200) or refused as malformed (400), never a crash, and
// every message it answers with allows no mention.
func FuzzInteraction(f *testing.F) {
	f.Add([]byte(interaction(1, nil, false)))
	f.Add([]byte(interaction(2, sub("actor", map[string]any{"name": "name", "type": 3, "value": "zelensky"}), false)))
	f.Add([]byte(interaction(2, sub("ask", map[string]any{"name": "question", "type": 3, "value": "@everyone what does trump want?"}), true)))
	f.Add([]byte(interaction(2, sub("subscribe", map[string]any{"name": "frequency", "type": 3, "value": "weekdays"}), false)))
	f.Add([]byte(interaction(3, map[string]any{"custom_id": ShareCustomIDPrefix + "actor macron", "component_type": 2}, false)))
	f.Add([]byte(interaction(3, map[string]any{"custom_id": PageCustomIDPrefix + "2:matrix", "component_type": 2}, false)))
	f.Add([]byte(interaction(3, map[string]any{"custom_id": PickCustomID, "component_type": 3, "values": []string{"actor trump"}}, false)))
	f.Add([]byte(interaction(4, sub("option", map[string]any{"name": "name", "type": 3, "value": "tri", "focused": true}), true)))
	f.Add([]byte(`{"type":2,"data":{"name":"guarantees","options":[{"name":"actor","type":1,"options":[{"name":"name","type":3,"value":5}]}]}}`))
	f.Add([]byte(`{"type":99}`))
	f.Add([]byte(`{`))
	pub := fuzzKey.Public().(ed25519.PublicKey)
	a, err := New(Config{AppID: "1234", PublicKey: hex.EncodeToString(pub), Now: func() time.Time { return testNow }, AllowReplays: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, newBot(f))
	if err != nil {
		f.Fatal(err)
	}
	ts := strconv.FormatInt(testNow.Unix(), 10)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/discord/interactions", strings.NewReader(string(body)))
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(fuzzKey, append([]byte(ts), body...))))
		rec := httptest.NewRecorder()
		a.serveInteraction(rec, req)
		switch rec.Code {
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			return
		case http.StatusOK:
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		var resp struct {
			Type int `json:"type"`
			Data *struct {
				Content         string            `json:"content"`
				Embeds          []json.RawMessage `json:"embeds"`
				AllowedMentions *struct {
					Parse []string `json:"parse"`
				} `json:"allowed_mentions"`
			} `json:"data"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("response is not JSON: %v", err)
		}
		if (resp.Type == 4 || resp.Type == 7) && resp.Data != nil && (resp.Data.AllowedMentions == nil || resp.Data.AllowedMentions.Parse == nil || len(resp.Data.AllowedMentions.Parse) > 0) {
			t.Fatalf("a message that may mention: %s", rec.Body.Bytes())
		}
	})
}
