package flows

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

// TestHMACSHA256 checks the stack-buffer HMAC against crypto/hmac for keys and messages
// around every size boundary of both paths.
func TestHMACSHA256(t *testing.T) {
	for _, kl := range []int{0, 1, 20, 63, 64, 65, 100, 200} {
		for _, ml := range []int{0, 1, 55, 56, 64, 100, 191, 192, 193, 400} {
			key, msg := pattern(kl, 7), pattern(ml, 13)
			for _, split := range []int{0, ml / 2, ml} {
				m := hmac.New(sha256.New, []byte(key))
				m.Write([]byte(msg))
				want := m.Sum(nil)
				got := hmacSHA256(key, msg[:split], msg[split:])
				if !hmac.Equal(got[:], want) {
					t.Fatalf("key %d bytes, message %d bytes split at %d: got %x, want %x", kl, ml, split, got, want)
				}
			}
		}
	}
}

func pattern(n, step int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*step + n)
	}
	return string(b)
}

// TestCheckSignature: Salesforce's signature verifies with the right secret and fails with
// a wrong secret, a changed issued_at or a signature that is not base64 of 32 bytes.
func TestCheckSignature(t *testing.T) {
	id, at, secret := "https://login.salesforce.com/id/00D5g00000CALabEAH/0055g00000Demo1AAB", "1767348000000", "C0FFEE5ECRET0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123"
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(id + at))
	sig := base64.StdEncoding.EncodeToString(m.Sum(nil))
	for _, c := range []struct {
		name, secret, at, sig string
		ok                    bool
	}{
		{"right secret", secret, at, sig, true},
		{"wrong secret", secret + "x", at, sig, false},
		{"changed issued_at", secret, "1767348000001", sig, false},
		{"not base64", secret, at, "!!" + sig[2:], false},
		{"short", secret, at, sig[:20], false},
	} {
		chk, made := checkSignature(&TokenResponse{ID: id, IssuedAt: c.at, Signature: c.sig}, c.secret)
		if !made || chk.OK != c.ok {
			t.Errorf("%s: check made %v, OK %v (%s), want OK %v", c.name, made, chk.OK, chk.Detail, c.ok)
		}
	}
}

// The password and security token are sent joined; the redactor notes the pair without
// joining it and must still replace the joined value (and its escaped form) wherever it
// shows up, before the password alone.
func TestRedactorJoinsPasswordAndToken(t *testing.T) {
	r := &redactor{}
	r.addRequest(&Request{ClientSecret: "s3cr3t-value", Password: "p@ss w0rd", SecurityToken: "TOKEN123xyz"})
	got := r.scrub("echo p@ss w0rdTOKEN123xyz | p%40ss+w0rdTOKEN123xyz | p@ss w0rd | s3cr3t-value")
	want := "echo " + Redacted + " | " + Redacted + " | " + Redacted + " | " + Redacted
	if got != want {
		t.Fatalf("scrub: got %q, want %q", got, want)
	}
}
