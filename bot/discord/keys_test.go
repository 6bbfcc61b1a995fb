package discord

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"filippo.io/edwards25519"
)

// smallOrder are the encodings of the eight points of small order, the
// identity first, and non-canonical encodings of some of them: each is a
// public key for which anyone can make signatures that verify.
var smallOrder = []struct{ name, hex string }{
	{"identity", "0100000000000000000000000000000000000000000000000000000000000000"},
	{"all zeros (order 4)", "0000000000000000000000000000000000000000000000000000000000000000"},
	{"order 4, negative x", "0000000000000000000000000000000000000000000000000000000000000080"},
	{"order 2", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
	{"order 8 (1)", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"},
	{"order 8 (2)", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"},
	{"order 8 (3)", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"},
	{"order 8 (4)", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"},
	{"identity, y = p+1 (non-canonical)", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
	{"identity, negative zero x (non-canonical)", "0100000000000000000000000000000000000000000000000000000000000080"},
	{"order 4, y = p (non-canonical)", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
	{"order 2, y = p-1 with sign bit", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
}

// forgeForIdentity makes the signature that verifies for any message
// under the identity key: R = [s]B, S = s.
func forgeForIdentity(t *testing.T) []byte {
	t.Helper()
	var seed [64]byte
	rand.Read(seed[:])
	s, err := edwards25519.NewScalar().SetUniformBytes(seed[:])
	if err != nil {
		t.Fatal(err)
	}
	r := new(edwards25519.Point).ScalarBaseMult(s)
	return append(r.Bytes(), s.Bytes()...)
}

func TestWeakKeysRefused(t *testing.T) {
	// The forgery is real: the standard library accepts it under the
	// identity key, for a message nobody signed.
	forged := forgeForIdentity(t)
	identity, _ := hex.DecodeString(smallOrder[0].hex)
	if !ed25519.Verify(identity, []byte("1700000000{\"type\":2}"), forged) {
		t.Fatal("the identity-key forgery does not verify; the test is wrong")
	}

	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	good, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		t.Fatal(err)
	}
	order2, _ := new(edwards25519.Point).SetBytes(mustHex(t, smallOrder[3].hex))
	mixed := new(edwards25519.Point).Add(good, order2).Bytes()

	cases := smallOrder
	cases = append(cases, struct{ name, hex string }{"mixed order: a real key plus a point of order 2", hex.EncodeToString(mixed)},
		struct{ name, hex string }{"not on the curve", "0200000000000000000000000000000000000000000000000000000000000000"})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewVerifier(c.hex, time.Now)
			if err == nil {
				t.Fatalf("weak key %s accepted", c.hex)
			}
			if !strings.Contains(err.Error(), "DISCORD_PUBLIC_KEY") || strings.Contains(err.Error(), c.hex) {
				t.Fatalf("message should name DISCORD_PUBLIC_KEY and not repeat the key: %v", err)
			}
			// And start-up refuses it, naming the setting.
			if err := Section().Complete(map[string]string{"app_id": "1", "public_key": c.hex}); err == nil ||
				!strings.Contains(err.Error(), "DISCORD_PUBLIC_KEY") {
				t.Fatalf("configuration accepted weak key: %v", err)
			}
		})
	}
	// Real keys still work, and the identity forgery fails under them.
	for range 20 {
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		v, err := NewVerifier(hex.EncodeToString(pub), func() time.Time { return time.Unix(1700000000, 0) })
		if err != nil {
			t.Fatalf("real key refused: %v", err)
		}
		body := []byte(`{"type":1}`)
		h := http.Header{}
		h.Set("X-Signature-Timestamp", "1700000000")
		h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte("1700000000"), body...))))
		if err := v.Verify(h, body); err != nil {
			t.Fatalf("real signature refused: %v", err)
		}
		h.Set("X-Signature-Ed25519", hex.EncodeToString(forged))
		if v.Verify(h, body) == nil {
			t.Fatal("forgery accepted under a real key")
		}
	}
}

// TestWeakKeyForgeryRejectedOverHTTP is the attack end to end: with the
// identity as the configured key, the adapter cannot even be built, so
// the forged subscribe never runs.
func TestWeakKeyForgeryRejectedOverHTTP(t *testing.T) {
	if _, err := New(Config{AppID: "1", PublicKey: smallOrder[0].hex}, newBot(t)); err == nil {
		t.Fatal("adapter built with the identity as its public key: anyone could forge interactions")
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *httpEnv) pubHex() string { return hex.EncodeToString(e.pub) }
