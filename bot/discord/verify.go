package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// MaxSkew is how far an interaction's timestamp may be from our clock.
const MaxSkew = 5 * time.Minute

// Verification errors.
var (
	ErrNoSignature  = errors.New("missing X-Signature-Ed25519 or X-Signature-Timestamp")
	ErrBadSignature = errors.New("signature is malformed or does not match")
	ErrStale        = errors.New("timestamp is more than 5 minutes from now")
)

// Verifier checks Discord's Ed25519 signatures over timestamp + body, and
// that the timestamp is recent.
type Verifier struct {
	key ed25519.PublicKey
	now func() time.Time
}

// NewVerifier parses the application's public key (hex, as the developer
// portal shows it).
func NewVerifier(publicKeyHex string, now func() time.Time) (*Verifier, error) {
	k, err := hex.DecodeString(publicKeyHex)
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("discord: DISCORD_PUBLIC_KEY must be %d hex characters", 2*ed25519.PublicKeySize)
	}
	return &Verifier{key: k, now: now}, nil
}

// Verify checks the signature headers against the raw body.
func (v *Verifier) Verify(h http.Header, body []byte) error {
	sigHex, ts := h.Get("X-Signature-Ed25519"), h.Get("X-Signature-Timestamp")
	if sigHex == "" || ts == "" {
		return ErrNoSignature
	}
	var sig [ed25519.SignatureSize]byte
	if len(sigHex) != 2*len(sig) {
		return ErrBadSignature
	}
	if _, err := hex.Decode(sig[:], []byte(sigHex)); err != nil {
		return ErrBadSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrBadSignature
	}
	if d := v.now().Sub(time.Unix(sec, 0)); d > MaxSkew || d < -MaxSkew {
		return ErrStale
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(v.key, msg, sig[:]) {
		return ErrBadSignature
	}
	return nil
}
