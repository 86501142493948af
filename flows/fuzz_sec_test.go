package flows

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/connectedapplab/connectedapplab/sfemu"
)

// FuzzParseCallbackURL: any string gives a loopback http URL with a port, or an error; never
// a panic, and never a non-loopback host.
func FuzzParseCallbackURL(f *testing.F) {
	for _, s := range []string{"http://localhost:1717/OauthRedirect", "http://127.0.0.1:0/cb", "http://[::1]:1717/x?y=1#z",
		"https://localhost:1717/cb", "http://a.localhost:1717/cb", "http://127.example.com:1/x", "http://localhost/cb",
		"http://localhost:99999/cb", "http://[::1%25lo]:1/x", "http://user:pw@localhost:1/x", "http://LOCALHOST:1717", "%zz", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := ParseCallbackURL(raw)
		if err != nil {
			if u != nil || strings.Contains(err.Error(), "\n") && !strings.Contains(raw, "\n") {
				t.Fatalf("error %q with URL %v", err, u)
			}
			return
		}
		if u.Scheme != "http" || !isLoopbackHost(u.Hostname()) || u.Port() == "" {
			t.Fatalf("accepted %q as %v", raw, u)
		}
	})
}

// FuzzListenerRawRequest: any bytes a local process or a page may send to the listener are
// parsed by net/http and answered by the listener's handler without a panic; a callback is
// delivered only with the right Host and state.
func FuzzListenerRawRequest(f *testing.F) {
	for _, s := range []string{
		"GET /callback?code=abc&state=st8 HTTP/1.1\r\nHost: localhost:1717\r\n\r\n",
		"GET /callback?code=abc&state=st8 HTTP/1.1\r\nHost: evil.example:1717\r\n\r\n",
		"GET /callback?code=abc&state=bad HTTP/1.1\r\nHost: localhost:1717\r\n\r\n",
		"POST /callback HTTP/1.1\r\nHost: localhost:1717\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 30\r\n\r\naccess_token=00D%21x&state=st8",
		"OPTIONS /callback HTTP/1.1\r\nHost: localhost:1717\r\nOrigin: https://login.salesforce.com\r\nAccess-Control-Request-Private-Network: true\r\n\r\n",
		"OPTIONS /callback HTTP/1.1\r\nHost: localhost:1717\r\nOrigin: https://evil.example\r\n\r\n",
		"GET /_connectedapplab/result HTTP/1.1\r\nHost: LOCALHOST:1717\r\n\r\n",
		"GET /callback?error=access_denied&state=st8 HTTP/1.0\r\n\r\n",
		"GET http://localhost:1717/callback?code=x&state=st8 HTTP/1.1\r\nHost: localhost:1717\r\n\r\n",
		"POST /callback HTTP/1.1\r\nHost: localhost:1717\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nstate\r\n0\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return // net/http answers 400 itself
		}
		for _, frag := range []bool{false, true} {
			l := &Listener{opts: ListenerOptions{State: "st8", Fragment: frag, Timeout: time.Second, Grace: time.Millisecond,
				AllowedOrigins: []string{"https://login.salesforce.com"}},
				path: "/callback", host: "localhost:1717", result: make(chan listenResult, 1), pageSeen: make(chan struct{})}
			w := httptest.NewRecorder()
			rr := r.Clone(context.Background())
			rr.Body = io.NopCloser(bytes.NewReader(nil))
			if r.Body != nil {
				b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
				r.Body = io.NopCloser(bytes.NewReader(b))
				rr.Body = io.NopCloser(bytes.NewReader(b))
			}
			l.serveHTTP(w, rr)
			if w.Code == 0 {
				t.Fatal("no status")
			}
			select {
			case res := <-l.result:
				if !strings.EqualFold(rr.Host, "localhost:1717") {
					t.Fatalf("delivered a callback for Host %q", rr.Host)
				}
				if res.cb == nil || res.cb.Params.Get("state") != "st8" {
					t.Fatalf("delivered a callback without the state: %+v", res.cb)
				}
			default:
			}
			if o := w.Header().Get("Access-Control-Allow-Origin"); o != "" && o != "https://login.salesforce.com" {
				t.Fatalf("CORS allowed origin %q", o)
			}
		}
	})
}

// FuzzRedactText: no panic, and a secret written under a secret field name, after any text
// that ends a word, is gone from the output whatever follows it.
func FuzzRedactText(f *testing.F) {
	for _, s := range [][3]string{{"", "access_token", `"}`}, {"{\"a\":1,\"", "client_secret", ""}, {"<input name=\"", "refresh_token", "\">"},
		{"x&", "password", "&y=1"}, {"Authorization: ", "Bearer", "\r\n"}, {"", "code", " "}, {"-----BEGIN RSA PRIVATE KEY-----\n", "", "\n-----END"}} {
		f.Add(s[0], s[1], s[2], "Zq9sEcReT0ken4Fuzz")
	}
	f.Fuzz(func(t *testing.T, prefix, name, suffix, secret string) {
		out := RedactText(prefix + name + secret + suffix)
		_ = out
		for _, field := range []string{"access_token", "client_secret", "password", "refresh_token", "sid"} {
			if len(secret) < 12 || strings.ContainsAny(secret, "\"'&,;}] \t\r\n<>\\=:[…$%") || strings.Contains(secret, "REDACTED") ||
				strings.Contains(prefix+suffix, secret) { // the secret is in the text around it too: not a leak of the field's value
				return
			}
			for _, sep := range []string{"=", `":"`, ": ", `" value="`} {
				p := prefix
				if p != "" && isWordByte(p[len(p)-1]) {
					p += " "
				}
				if p != "" && strings.ContainsRune("/-.", rune(p[len(p)-1])) && !strings.Contains(sep, "=") {
					continue // a path, a flag or a dotted name before a colon is not a field (pathOrFlag)
				}
				in := p + field + sep + secret + suffix
				if got := RedactText(in); strings.Contains(got, secret) {
					t.Fatalf("RedactText(%q) = %q keeps the secret", in, got)
				}
			}
		}
	})
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// answer is a transport that answers every request with one canned response.
type answer struct {
	status int
	ct     string
	body   []byte
}

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: a.status, Header: http.Header{"Content-Type": {a.ct}},
		Body: io.NopCloser(bytes.NewReader(a.body)), ContentLength: int64(len(a.body)), Request: r}, nil
}

var (
	fuzzKeysOnce       sync.Once
	fuzzRSAPEM, fuzzEC []byte
	fuzzRSAKey         *rsa.PrivateKey
)

func fuzzKeys() {
	fuzzKeysOnce.Do(func() {
		// The emulator's demo key: generating one in each fuzz worker (with coverage
		// instrumentation, on a busy machine) takes longer than CI fuzzes for.
		for _, a := range sfemu.Demo().Apps {
			if a.JWTPrivateKeyPEM != "" {
				k, err := jwt.ParseRSAPrivateKeyFromPEM([]byte(a.JWTPrivateKeyPEM))
				if err != nil {
					panic(err)
				}
				fuzzRSAKey = k
			}
		}
		if fuzzRSAKey == nil {
			panic("the demo org has no JWT key")
		}
		fuzzRSAPEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(fuzzRSAKey)})
		ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		b, _ := x509.MarshalPKCS8PrivateKey(ek)
		fuzzEC = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b})
	})
}

// FuzzJWTKeyPEM: any bytes as the JWT bearer flow's private key give a token request or a
// one-line error that holds none of the key's text; never a panic.
func FuzzJWTKeyPEM(f *testing.F) {
	fuzzKeys()
	p8, _ := x509.MarshalPKCS8PrivateKey(fuzzRSAKey)
	for _, s := range [][]byte{fuzzRSAPEM, fuzzEC, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}),
		fuzzRSAPEM[:len(fuzzRSAPEM)/2], []byte("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"),
		[]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), []byte("not a key"), {}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key []byte) {
		req := Request{Flow: JWTBearer, LoginURL: "https://login.salesforce.com", ClientID: "3MVGclient", Username: "u@example.com",
			JWTPrivateKeyPEM: key, Options: Options{Transport: answer{400, "application/json", []byte(`{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`)}}}
		res, err := Run(context.Background(), req, nil)
		if err == nil {
			t.Fatal("a 400 gave no error")
		}
		msg := err.Error() + res.String()
		if strings.Contains(msg, "\n") && !bytes.Contains(key, []byte("\n")) {
			t.Fatalf("multi-line error %q", msg)
		}
		for _, line := range strings.Split(string(key), "\n") {
			if line = strings.TrimSpace(line); len(line) >= 24 && !strings.HasPrefix(line, "-----") && strings.Contains(msg, line) {
				t.Fatalf("the error shows the key's text %q: %s", line, msg)
			}
		}
	})
}

// FuzzIDToken: any ID token checked against any key set (JWKS JSON) gives checks, never a
// panic; a signature only verifies with a key of the set.
func FuzzIDToken(f *testing.F) {
	fuzzKeys()
	tok, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": "https://login.salesforce.com", "aud": "3MVGclient",
		"exp": time.Now().Add(time.Hour).Unix()}).SignedString(fuzzRSAKey)
	f.Add(tok, `{"keys":[{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"}]}`)
	f.Add(tok, `{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}`)
	f.Add("eyJhbGciOiJFUzI1NiIsImtpZCI6ImsifQ.e30.AAAA", `{"keys":[{"kty":"EC","kid":"k","crv":"P-256","x":"AQ","y":"AQ"}]}`)
	f.Add("eyJhbGciOiJub25lIn0.e30.", `{"keys":[]}`)
	f.Add("a.b.c", `{"keys":[{"kty":"RSA","n":"","e":"AAAAAAAA"}]}`)
	f.Add(tok, `{"keys":[{"kty":"RSA","kid":"k","n":"AA","e":"AA"}]}`)
	f.Fuzz(func(t *testing.T, idToken, jwks string) {
		var s session
		res := &Result{}
		s.init(&Request{Flow: WebServer, LoginURL: "https://login.salesforce.com", ClientID: "3MVGclient",
			Options: Options{Transport: answer{200, "application/json", []byte(jwks)}}}, nil, res)
		checks := s.checkIDToken(context.Background(), &TokenResponse{IDToken: idToken, AccessToken: "00Dx!tok"})
		if len(checks) == 0 {
			t.Fatal("no checks")
		}
		if checks[0].OK && !strings.Contains(jwks, "kty") {
			t.Fatalf("verified without a key: %+v", checks)
		}
	})
}
