package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkSignedInteraction measures the whole interactions handler for a
// signed /guarantees actor trump: Ed25519 verification, decoding, answer,
// embed and JSON. Target: median under 150 µs.
func BenchmarkSignedInteraction(b *testing.B) {
	seed := make([]byte, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	now := time.Unix(1_800_000_000, 0)
	a, err := New(Config{AppID: "1234", PublicKey: hex.EncodeToString(priv.Public().(ed25519.PublicKey)),
		Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, newBot(b))
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Register(mux)
	body := interaction(2, sub("actor", map[string]any{"name": "name", "type": 3, "value": "trump"}), false)
	ts := strconv.FormatInt(now.Unix(), 10)
	sig := hex.EncodeToString(ed25519.Sign(priv, []byte(ts+body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/discord/interactions", strings.NewReader(body))
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", sig)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}
