package discord

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// firstUse refuses a verified interaction already served within its
// validity window: a recorded request replayed, 401.
//
// The key is the signature, checked before the body is decoded. It is as
// good as the interaction's id and needs no decoding: with a full-order
// key (NewVerifier) and Go's strict verification (canonical R and S), a
// signed message has exactly one signature that verifies, so a replay
// carries the same one, and the signature covers the id.
func (a *Adapter) firstUse(w http.ResponseWriter, r *http.Request) bool {
	if a.cfg.Replays == nil {
		return true
	}
	sig := strings.ToLower(r.Header.Get("X-Signature-Ed25519")) // hex is case-blind: one key per signature
	key := string(Name) + "\x00" + sig
	sec, _ := strconv.ParseInt(r.Header.Get("X-Signature-Timestamp"), 10, 64) // Verify parsed it
	first, err := a.cfg.Replays.First(r.Context(), key, time.Unix(sec, 0).Add(MaxSkew+time.Second))
	switch {
	case err != nil:
		a.log.Error("replay guard", "err", err)
		bot.ReportRejected(a.cfg.Observer, string(Name), bot.RejectOverload)
		w.Header().Set("Retry-After", "1")
		http.Error(w, "busy, try again", http.StatusServiceUnavailable)
		return false
	case !first:
		a.log.Warn("rejected replayed interaction", "remote", r.RemoteAddr)
		bot.ReportRejected(a.cfg.Observer, string(Name), bot.RejectReplay)
		http.Error(w, "interaction already served (replay)", http.StatusUnauthorized)
		return false
	}
	return true
}
