package flows

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// checkSignature verifies Salesforce's signature field: base64(HMAC-SHA256(consumer secret,
// id + issued_at)) (reference §2). It needs the secret; without one there is no check.
func checkSignature(tr *TokenResponse, secret string) (Check, bool) {
	if tr.Signature == "" || secret == "" {
		return Check{}, false
	}
	if tr.ID == "" || tr.IssuedAt == "" {
		return Check{Name: "signature", OK: false, Detail: "signature sent without id and issued_at to verify it against"}, true
	}
	var got [sha256.Size]byte
	n, err := base64.StdEncoding.Decode(got[:], []byte(tr.Signature))
	sum := hmacSHA256(secret, tr.ID, tr.IssuedAt)
	if err == nil && n == len(got) && hmac.Equal(got[:], sum[:]) {
		return Check{Name: "signature", OK: true, Detail: "HMAC-SHA256 of id + issued_at with the consumer secret matches"}, true
	}
	return Check{Name: "signature", OK: false, Detail: "HMAC-SHA256 of id + issued_at with the consumer secret does not match: the secret differs from the app's, or the response was altered"}, true
}

// hmacSHA256 is HMAC-SHA256(key, a+b) (RFC 2104). For the usual sizes (a key of at most
// one block, a message that fits a small buffer) it is the RFC's two hashes over stack
// buffers: crypto/hmac allocates two digests and its FIPS wrappers on every call, which was a
// quarter of the client's work on a token request. Other sizes go to crypto/hmac; a test
// checks both paths against it.
func hmacSHA256(key, a, b string) [sha256.Size]byte {
	const block = 64
	var inner [block + 192]byte
	if len(key) > block || len(a)+len(b) > len(inner)-block {
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(a))
		m.Write([]byte(b))
		var out [sha256.Size]byte
		m.Sum(out[:0])
		return out
	}
	var outer [block + sha256.Size]byte
	copy(inner[:], key)
	copy(outer[:], key)
	for i := 0; i < block; i++ {
		inner[i] ^= 0x36
		outer[i] ^= 0x5c
	}
	n := block + copy(inner[block:], a)
	n += copy(inner[n:], b)
	ih := sha256.Sum256(inner[:n])
	copy(outer[block:], ih[:])
	return sha256.Sum256(outer[:])
}

// JWK is one key of a JSON Web Key Set.
type JWK struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// PublicKey returns the key as *rsa.PublicKey or *ecdsa.PublicKey.
func (k JWK) PublicKey() (crypto.PublicKey, error) {
	dec := base64.RawURLEncoding.DecodeString
	switch k.Kty {
	case "RSA":
		n, err1 := dec(k.N)
		e, err2 := dec(k.E)
		if err1 != nil || err2 != nil || len(n) == 0 || len(e) == 0 || len(e) > 4 {
			return nil, fmt.Errorf("key %q: bad RSA modulus or exponent", k.Kid)
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	case "EC":
		var c elliptic.Curve
		switch k.Crv {
		case "P-256":
			c = elliptic.P256()
		case "P-384":
			c = elliptic.P384()
		case "P-521":
			c = elliptic.P521()
		default:
			return nil, fmt.Errorf("key %q: unsupported curve %q", k.Kid, k.Crv)
		}
		x, err1 := dec(k.X)
		y, err2 := dec(k.Y)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("key %q: bad EC point", k.Kid)
		}
		return &ecdsa.PublicKey{Curve: c, X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}, nil //nolint:staticcheck // only verification
	}
	return nil, fmt.Errorf("key %q: unsupported key type %q", k.Kid, k.Kty)
}

// fetchJWKS GETs the key set.
func (s *session) fetchJWKS(ctx context.Context) ([]JWK, error) {
	resp, body, err := s.get(ctx, "jwks", s.ep.JWKS, "")
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, parseErrorResponse("jwks", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var set struct {
		Keys []JWK `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, &HTTPError{Step: "jwks", Status: resp.StatusCode, Err: fmt.Errorf("%w: %v", ErrNotJSON, err), Snippet: snippet(body)}
	}
	return set.Keys, nil
}

// checkIDToken verifies the ID token's signature against the server's keys (Salesforce's
// /id/keys) and its claims: issuer, audience, expiry, nonce and at_hash.
func (s *session) checkIDToken(ctx context.Context, tr *TokenResponse) []Check {
	keys, err := s.fetchJWKS(ctx)
	if err != nil {
		return []Check{{Name: "id_token_signature", OK: false, Detail: "could not fetch the signing keys from " + s.ep.JWKS + ": " + s.red.scrub(err.Error())}}
	}
	var usedKid string
	tok, err := jwt.Parse(tr.IDToken, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		for _, k := range keys {
			if (kid == "" && len(keys) == 1) || k.Kid == kid {
				if k.Use != "" && k.Use != "sig" {
					continue
				}
				usedKid = k.Kid
				return k.PublicKey()
			}
		}
		return nil, fmt.Errorf("no key with kid %q in %s", kid, s.ep.JWKS)
	}, jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "PS256", "ES256", "ES384"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return []Check{{Name: "id_token_signature", OK: false, Detail: "the ID token's signature does not verify: " + err.Error()}}
	}
	checks := []Check{{Name: "id_token_signature", OK: true,
		Detail: fmt.Sprintf("%s signature verified with key %q from %s", tok.Method.Alg(), usedKid, s.ep.JWKS)}}
	claims, _ := tok.Claims.(jwt.MapClaims)
	var problems []string
	now := s.o.Now()
	const skew = time.Minute

	iss, _ := claims["iss"].(string)
	okIss := false
	for _, want := range []string{s.ep.Issuer, s.req.MyDomainURL, tr.InstanceURL, "https://login.salesforce.com", "https://test.salesforce.com"} {
		if want != "" && strings.TrimRight(want, "/") == strings.TrimRight(iss, "/") {
			okIss = true
		}
	}
	if !okIss {
		problems = append(problems, fmt.Sprintf("iss %q is not the login host %q", iss, s.ep.Issuer))
	}
	aud, _ := claims.GetAudience()
	if !hasScope(aud, s.req.ClientID) {
		problems = append(problems, fmt.Sprintf("aud %v does not include the client ID", []string(aud)))
	}
	if exp, err := claims.GetExpirationTime(); err != nil || exp == nil {
		problems = append(problems, "no exp claim")
	} else if now.After(exp.Add(skew)) {
		problems = append(problems, fmt.Sprintf("expired at %s", exp.UTC().Format(time.RFC3339)))
	}
	if iat, err := claims.GetIssuedAt(); err == nil && iat != nil && iat.After(now.Add(5*time.Minute)) {
		problems = append(problems, fmt.Sprintf("issued in the future (%s): check this machine's clock", iat.UTC().Format(time.RFC3339)))
	}
	if s.nonce != "" {
		if n, _ := claims["nonce"].(string); n != s.nonce {
			problems = append(problems, "nonce does not match the one sent")
		}
	}
	if ah, _ := claims["at_hash"].(string); ah != "" && tr.AccessToken != "" {
		if want := atHash(tok.Method.Alg(), tr.AccessToken); want != "" && want != ah {
			problems = append(problems, "at_hash does not match the access token")
		}
	}
	if len(problems) == 0 {
		checks = append(checks, Check{Name: "id_token_claims", OK: true,
			Detail: fmt.Sprintf("iss %s, aud includes the client ID, not expired", iss) + map[bool]string{true: ", nonce matches", false: ""}[s.nonce != ""]})
	} else {
		checks = append(checks, Check{Name: "id_token_claims", OK: false, Detail: strings.Join(problems, "; ")})
	}
	return checks
}

// atHash is the OIDC at_hash: the left half of the access token's hash, base64url.
func atHash(alg, accessToken string) string {
	var sum []byte
	switch {
	case strings.HasSuffix(alg, "256"):
		h := sha256.Sum256([]byte(accessToken))
		sum = h[:]
	case strings.HasSuffix(alg, "384"):
		h := sha512.Sum384([]byte(accessToken))
		sum = h[:]
	case strings.HasSuffix(alg, "512"):
		h := sha512.Sum512([]byte(accessToken))
		sum = h[:]
	default:
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}
