package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"filippo.io/edwards25519"
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
// portal shows it). It refuses a key that is not a canonically encoded
// point of the prime-order subgroup, other than the identity: with the
// identity or another small-order point as the key, signatures anyone can
// make verify, and a point with a small-order component makes signatures
// malleable.
func NewVerifier(publicKeyHex string, now func() time.Time) (*Verifier, error) {
	k, err := hex.DecodeString(publicKeyHex)
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("discord: DISCORD_PUBLIC_KEY must be %d hex characters", 2*ed25519.PublicKeySize)
	}
	if err := checkKey(k); err != nil {
		return nil, fmt.Errorf("discord: DISCORD_PUBLIC_KEY is not a usable Ed25519 public key (%w); copy the Public Key from the developer portal's General Information page", err)
	}
	return &Verifier{key: k, now: now}, nil
}

// orderMinusOne is ℓ-1, little-endian, where ℓ = 2^252 +
// 27742317777372353535851937790883648493 is the order of the base point.
var orderMinusOne = [32]byte{0xec, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}

// checkKey reports why k is not a full-order Ed25519 public key: not a
// point, not its canonical encoding, of small order (the identity
// included), or with a small-order component ([ℓ]P is not the identity).
func checkKey(k []byte) error {
	p, err := new(edwards25519.Point).SetBytes(k)
	if err != nil {
		return errors.New("not a point on the curve")
	}
	if !bytes.Equal(p.Bytes(), k) {
		return errors.New("not the canonical encoding of its point")
	}
	id := edwards25519.NewIdentityPoint()
	if new(edwards25519.Point).MultByCofactor(p).Equal(id) == 1 {
		return errors.New("a point of small order")
	}
	s, err := edwards25519.NewScalar().SetCanonicalBytes(orderMinusOne[:])
	if err != nil {
		return fmt.Errorf("the group order: %w", err) // cannot happen: ℓ-1 is canonical
	}
	// [ℓ]P = [ℓ-1]P + P is the identity exactly when P is in the
	// prime-order subgroup.
	lp := new(edwards25519.Point).ScalarMult(s, p)
	if lp.Add(lp, p).Equal(id) != 1 {
		return errors.New("a point with a small-order component")
	}
	return nil
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
