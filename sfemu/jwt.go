package sfemu

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"time"
)

// signRS256 returns a compact JWS over the header and claims.
func signRS256(key *rsa.PrivateKey, header, claims obj) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// idToken builds the OIDC ID token (§2, §11.8): RS256, sub = identity URL, aud = client_id,
// iss = the base URL of the host the flow ran on, exp per the app's ID token validity
// (default 2 minutes), nonce echoed, at_hash of the access token.
func (e *Emulator) idToken(a *App, u *User, issuer, nonce, accessToken string, now time.Time) string {
	sum := sha256.Sum256([]byte(accessToken))
	claims := obj{
		{"at_hash", base64.RawURLEncoding.EncodeToString(sum[:16])},
		{"sub", e.identityURL(u)},
		{"aud", a.ConsumerKey},
		{"iss", orStr(issuer, e.loginURL())},
		{"name", strings.TrimSpace(u.FirstName + " " + u.LastName)},
		{"preferred_username", u.Username},
		{"given_name", u.FirstName},
		{"family_name", u.LastName},
		{"email", u.Email},
		{"email_verified", true},
		{"user_id", u.ID},
		{"organization_id", e.org.ID},
	}
	if nonce != "" {
		claims = append(claims, field{"nonce", nonce})
	}
	claims = append(claims, field{"exp", now.Add(a.idTokenValidity()).Unix()}, field{"iat", now.Unix()},
		field{"auth_time", now.Unix()})
	tok, err := signRS256(e.key, obj{{"kid", e.kid}, {"typ", "JWT"}, {"alg", "RS256"}}, claims)
	if err != nil {
		panic(err) // a 2048-bit key cannot fail to sign
	}
	return tok
}

// jwtParts is a decoded (not yet verified) compact JWS.
type jwtParts struct {
	header map[string]any
	claims map[string]any
	input  string
	sig    []byte
}

func parseJWT(s string) (*jwtParts, error) {
	p := strings.Split(strings.TrimSpace(s), ".")
	if len(p) != 3 {
		return nil, errors.New("not a compact JWS")
	}
	hb, err := b64url(p[0])
	if err != nil {
		return nil, err
	}
	cb, err := b64url(p[1])
	if err != nil {
		return nil, err
	}
	sig, err := b64url(p[2])
	if err != nil {
		return nil, err
	}
	j := &jwtParts{input: p[0] + "." + p[1], sig: sig}
	if err := json.Unmarshal(hb, &j.header); err != nil || j.header == nil {
		return nil, errors.New("bad header")
	}
	d := json.NewDecoder(strings.NewReader(string(cb)))
	d.UseNumber()
	if err := d.Decode(&j.claims); err != nil || j.claims == nil {
		return nil, errors.New("bad claims")
	}
	return j, nil
}

func b64url(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// verifyRS256 checks the signature; only RS256 is accepted (§3.5).
func (j *jwtParts) verifyRS256(pub *rsa.PublicKey) bool {
	if alg, _ := j.header["alg"].(string); alg != "RS256" {
		return false
	}
	sum := sha256.Sum256([]byte(j.input))
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], j.sig) == nil
}

func (j *jwtParts) str(k string) string {
	s, _ := j.claims[k].(string)
	return s
}

// audiences returns aud as a list (string or array).
func (j *jwtParts) audiences() []string {
	switch v := j.claims["aud"].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// numeric returns a NumericDate claim: a JSON number, or a JSON string holding a decimal
// number. Salesforce's own JWT bearer help example writes "exp": "1333685628" and widely
// used clients send a numeric string (reference §15.5, help "OAuth 2.0 JWT Bearer Flow for
// Server-to-Server Integration"). Anything else (a bool, an object, "soon", "1e400") is
// not a date, and the grant answers invalid_grant "invalid assertion".
func (j *jwtParts) numeric(k string) (float64, bool) {
	var n json.Number
	switch v := j.claims[k].(type) {
	case json.Number:
		n = v
	case string:
		s := strings.TrimSpace(v)
		if s == "" || len(s) > 32 || strings.ContainsAny(s, "eE+") {
			return 0, false
		}
		n = json.Number(s)
	default:
		return 0, false
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// jwk is the JWKS entry of an RSA public key (§1.4).
func jwk(pub *rsa.PublicKey, kid string) obj {
	return obj{
		{"kty", "RSA"},
		{"n", base64.RawURLEncoding.EncodeToString(pub.N.Bytes())},
		{"e", base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())},
		{"alg", "RS256"},
		{"use", "sig"},
		{"kid", kid},
	}
}
