package sfemu

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestJWTBearer covers §3.5: RS256 only, iss = consumer key, sub/prn, aud, exp,
// pre-authorization, and its errors.
func TestJWTBearer(t *testing.T) {
	v := newEnv(t, nil)
	key := demoKey(t)
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	exp := t0.Add(3 * time.Minute).Unix()
	claims := func(mod func(map[string]any)) map[string]any {
		c := map[string]any{"iss": DemoIntegrationAppKey, "sub": DemoUser, "aud": "https://login.salesforce.com", "exp": exp}
		if mod != nil {
			mod(c)
		}
		return c
	}
	rs := map[string]any{"alg": "RS256"}
	hs256 := func() string {
		h, _ := json.Marshal(map[string]any{"alg": "HS256"})
		c, _ := json.Marshal(claims(nil))
		in := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
		m := hmac.New(sha256.New, []byte("IntegrationAppDemoSecret0003"))
		m.Write([]byte(in))
		return in + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	rows := []struct {
		name       string
		assertion  string
		code, desc string // "" = success
		user       string
	}{
		{name: "login.salesforce.com audience", assertion: makeJWT(t, key, rs, claims(nil)), user: DemoUser},
		{name: "test.salesforce.com audience", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["aud"] = "https://test.salesforce.com" })), user: DemoUser},
		{name: "My Domain audience (array)", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["aud"] = []string{"https://connectedapplab-demo.my.salesforce.com"} })), user: DemoUser},
		{name: "emulator base URL audience", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["aud"] = v.e.LoginURL })), user: DemoUser},
		{name: "exp in milliseconds (CLI) accepted", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["exp"] = t0.UnixMilli() + 300 })), user: DemoUser},
		{name: "exp as a numeric string (Salesforce's help example)", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["exp"] = strconv.FormatInt(exp, 10) })), user: DemoUser},
		{name: "exp as a numeric string in milliseconds", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["exp"] = strconv.FormatInt(t0.UnixMilli()+300, 10) })), user: DemoUser},
		{name: "exp as an expired numeric string", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["exp"] = strconv.FormatInt(t0.Add(-time.Second).Unix(), 10) })),
			code: "invalid_grant", desc: "expired authorization code"},
		{name: "exp as a non-numeric string", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["exp"] = "tomorrow" })),
			code: "invalid_grant", desc: "invalid assertion"},
		{name: "exp as an empty string", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["exp"] = "" })),
			code: "invalid_grant", desc: "invalid assertion"},
		{name: "exp as a boolean", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["exp"] = true })),
			code: "invalid_grant", desc: "invalid assertion"},
		{name: "exp as an exponent string", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["exp"] = "1e400" })),
			code: "invalid_grant", desc: "invalid assertion"},
		{name: "prn wins over sub", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["prn"] = DemoShortUser })), user: DemoShortUser},
		{name: "wrong audience", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["aud"] = "https://evil.example" })),
			code: "invalid_grant", desc: "audience is invalid"},
		{name: "expired", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["exp"] = t0.Add(-time.Second).Unix() })),
			code: "invalid_grant", desc: "expired authorization code"},
		{name: "missing exp", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { delete(c, "exp") })),
			code: "invalid_grant", desc: "invalid assertion"},
		{name: "unsigned (alg none)", assertion: makeJWT(t, nil, map[string]any{"alg": "none"}, claims(nil)),
			code: "invalid_grant", desc: "invalid assertion"},
		{name: "HS256 with the secret", assertion: hs256(), code: "invalid_grant", desc: "invalid assertion"},
		{name: "signed with the wrong key", assertion: makeJWT(t, other, rs, claims(nil)), code: "invalid_grant", desc: "invalid assertion"},
		{name: "tampered claims", assertion: tamper(makeJWT(t, key, rs, claims(nil))), code: "invalid_grant", desc: "invalid assertion"},
		{name: "garbage", assertion: "not.a.jwt", code: "invalid_grant", desc: "invalid assertion"},
		{name: "unknown iss", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["iss"] = "3MVG9nope" })),
			code: "invalid_client_id", desc: "client identifier invalid"},
		{name: "admin-approved app, profile not assigned", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["sub"] = DemoIntegration })),
			code: "invalid_app_access", desc: "user is not admin approved to access this app"},
		{name: "self-authorized app never approved", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["iss"] = keySelfJWT })),
			code: "invalid_grant", desc: "user hasn't approved this consumer"},
		{name: "PEM public key instead of a certificate", assertion: makeJWT(t, key, rs, claims(func(c map[string]any) { c["iss"] = keyPubKeyJWT })), user: DemoUser},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			r := v.token(url.Values{"grant_type": {grantJWT}, "assertion": {row.assertion}})
			if row.code != "" {
				wantOAuthError(t, r, 400, row.code, row.desc)
				return
			}
			wantOK(t, r)
			if keysOf(r.m) != sorted("access_token", "scope", "instance_url", "id", "token_type") ||
				str(r.m, "scope") == "" || strings.Contains(str(r.m, "scope"), "refresh_token") {
				t.Fatalf("JWT response: %s", r.body)
			}
			if !strings.HasSuffix(str(r.m, "id"), "/"+v.user(row.user).ID) {
				t.Fatalf("id %s, want user %s", str(r.m, "id"), row.user)
			}
		})
	}
	// After an interactive approval that included refresh_token, the self-authorized app works.
	v.webServerTokens(keySelfJWT, testSecret, DemoUser, "Demo-Pass-1")
	wantOK(t, v.token(url.Values{"grant_type": {grantJWT}, "assertion": {makeJWT(t, key, rs, claims(func(c map[string]any) { c["iss"] = keySelfJWT }))}}))
}

func tamper(jws string) string {
	p := strings.Split(jws, ".")
	c, _ := base64.RawURLEncoding.DecodeString(p[1])
	c = []byte(strings.Replace(string(c), DemoUser, DemoAdminUser, 1))
	p[1] = base64.RawURLEncoding.EncodeToString(c)
	return strings.Join(p, ".")
}

// JWT bearer's issued_at/signature are a setting ([UNCONF] §3.5).
func TestJWTBearerIssuedAtSetting(t *testing.T) {
	o := Demo()
	o.Behaviour.JWTBearerIssuedAt = true
	v := newEnv(t, o)
	r := v.token(url.Values{"grant_type": {grantJWT}, "assertion": {makeJWT(t, demoKey(t), map[string]any{"alg": "RS256"},
		map[string]any{"iss": DemoIntegrationAppKey, "sub": DemoUser, "aud": "https://login.salesforce.com", "exp": t0.Add(time.Minute).Unix()})}})
	wantOK(t, r)
	if str(r.m, "signature") != signature("IntegrationAppDemoSecret0003", str(r.m, "id"), str(r.m, "issued_at")) {
		t.Fatalf("signature/issued_at: %s", r.body)
	}
}

// The ID token verifies against /id/keys and carries §11.8's claims.
func TestIDTokenAndJWKS(t *testing.T) {
	v := newEnv(t, nil)
	ver, ch := pkcePair()
	code := v.codeFor(DemoWebAppKey, DemoUser, "Demo-Pass-1", url.Values{"code_challenge": {ch}, "nonce": {"n-123"}})
	r := v.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {DemoWebAppKey},
		"client_secret": {"WebAppDemoSecret0001"}, "redirect_uri": {cb}, "code_verifier": {ver}})
	wantOK(t, r)
	keys := v.rest(v.e.LoginURL, "/id/keys", "")
	wantOK(t, keys)
	var jwks struct {
		Keys []struct{ Kty, N, E, Alg, Use, Kid string }
	}
	json.Unmarshal([]byte(keys.body), &jwks)
	if len(jwks.Keys) != 1 || jwks.Keys[0].Kid != "248" || jwks.Keys[0].Alg != "RS256" || jwks.Keys[0].Kty != "RSA" {
		t.Fatalf("JWKS: %s", keys.body)
	}
	nb, _ := base64.RawURLEncoding.DecodeString(jwks.Keys[0].N)
	eb, _ := base64.RawURLEncoding.DecodeString(jwks.Keys[0].E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: int(new(big.Int).SetBytes(eb).Int64())}
	parts := strings.Split(str(r.m, "id_token"), ".")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("ID token does not verify with /id/keys: %v", err)
	}
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if string(hb) != `{"kid":"248","typ":"JWT","alg":"RS256"}` {
		t.Errorf("header %s", hb)
	}
	cbytes, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c map[string]any
	d := json.NewDecoder(strings.NewReader(string(cbytes)))
	d.UseNumber()
	d.Decode(&c)
	at := sha256.Sum256([]byte(str(r.m, "access_token")))
	if str(c, "sub") != str(r.m, "id") || str(c, "aud") != DemoWebAppKey || str(c, "iss") != v.e.LoginURL || str(c, "nonce") != "n-123" ||
		str(c, "at_hash") != base64.RawURLEncoding.EncodeToString(at[:16]) || unixNum(c, "exp")-unixNum(c, "iat") != 120 {
		t.Fatalf("ID token claims: %s", cbytes)
	}
}

// Client credentials: only on My Domain; body or Basic; no refresh token (§3.6).
func TestClientCredentialsHosts(t *testing.T) {
	v := newEnv(t, nil)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoIntegrationAppKey}, "client_secret": {"IntegrationAppDemoSecret0003"}}
	wantOAuthError(t, v.postForm(v.e.LoginURL, "/services/oauth2/token", form), 400, "invalid_grant", "request not supported on this domain")
	r := v.postForm(v.e.MyDomainURL, "/services/oauth2/token", form)
	wantOK(t, r)
	if r.m["refresh_token"] != nil || !strings.HasSuffix(str(r.m, "id"), "/"+v.user(DemoIntegration).ID) {
		t.Fatalf("client credentials: %s", r.body)
	}
	wantOK(t, v.rest(v.e.MyDomainURL, "/services/data/v65.0/limits", str(r.m, "access_token")))
	// Handler() routes by port: a request whose Host is the My Domain host works in-process.
	rec := newRecorder()
	req := mustReq(http.MethodPost, v.e.MyDomainURL+"/services/oauth2/token", form.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	v.e.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("in-process My Domain: %d %s", rec.Code, rec.Body)
	}
}
