package sfemu

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Extra consumer keys of testOrg.
const (
	keyNoCCUser   = "3MVG9test.NoCCUser"
	keyAdminOnly  = "3MVG9test.AdminOnly"
	keyUninstall  = "3MVG9test.Uninstalled"
	keyExchange   = "3MVG9test.Exchange"
	keyWebOnly    = "3MVG9test.WebOnly"
	keyPolicyZero = "3MVG9test.PolicyZero"
	keyLifetime   = "3MVG9test.Lifetime"
	keyInactivity = "3MVG9test.Inactivity"
	keyAppTimeout = "3MVG9test.AppTimeout"
	keySelfJWT    = "3MVG9test.SelfJWT"
	keyPubKeyJWT  = "3MVG9test.PubKeyJWT"
	keyCustomCB   = "3MVG9test.CustomScheme"
	testSecret    = "TestSecret"
	cb            = "http://localhost:1717/OauthRedirect"

	userInactive   = "inactive@connectedapplab.example"
	userRestricted = "restricted@connectedapplab.example"
)

// testOrg is the demo org plus apps and users for the error catalogue.
func testOrg() *Org {
	o := Demo()
	o.Users = append(o.Users,
		User{ID: id18("0055g00000Inact"), Username: userInactive, Password: "p", SecurityToken: "t", Profile: "Standard User", Inactive: true},
		User{ID: id18("0055g00000Restr"), Username: userRestricted, Password: "p", SecurityToken: "t", Profile: "Standard User", RestrictedIP: true},
	)
	app := func(name, key string, mod func(a *App)) App {
		a := App{Name: name, Kind: KindConnectedApp, ConsumerKey: key, ConsumerSecret: testSecret,
			CallbackURLs: []string{cb}, Scopes: []string{"api", "refresh_token", "openid", "id", "web"},
			PermittedUsers: AllSelfAuthorized, Installed: true}
		if mod != nil {
			mod(&a)
		}
		return a
	}
	cert := strings.TrimSpace(demoJWTCertificate)
	o.Apps = append(o.Apps,
		app("No CC User", keyNoCCUser, func(a *App) { a.ClientCredentialsEnabled = true }),
		app("Admin Only", keyAdminOnly, func(a *App) {
			a.PermittedUsers = AdminApprovedPreAuthorized
			a.PermittedProfiles = []string{"System Administrator"}
		}),
		app("Uninstalled", keyUninstall, func(a *App) { a.Installed = false; a.DeviceFlowEnabled = true }),
		app("Exchange", keyExchange, func(a *App) { a.TokenExchangeEnabled = true }),
		app("Web Only", keyWebOnly, func(a *App) { a.Scopes = []string{"web", "openid", "id"} }),
		app("Policy Zero", keyPolicyZero, func(a *App) { a.RefreshTokenPolicy = "zero" }),
		app("Lifetime", keyLifetime, func(a *App) { a.RefreshTokenPolicy = "specific_lifetime:2:HOURS" }),
		app("Inactivity", keyInactivity, func(a *App) { a.RefreshTokenPolicy = "specific_inactivity:1:DAYS" }),
		app("App Timeout", keyAppTimeout, func(a *App) { a.SessionTimeoutMinutes = 15 }),
		app("Self JWT", keySelfJWT, func(a *App) { a.CertificatePEM = cert }),
		app("PubKey JWT", keyPubKeyJWT, func(a *App) {
			a.CertificatePEM = demoPublicKeyPEM()
			a.PermittedUsers = AdminApprovedPreAuthorized
			a.PermittedProfiles = []string{"Standard User"}
		}),
		app("Custom Scheme", keyCustomCB, func(a *App) { a.CallbackURLs = []string{"myapp://oauth/done"} }),
	)
	return o
}

func demoPublicKeyPEM() string {
	pub, err := parsePublicKey(demoJWTCertificate)
	if err != nil {
		panic(err)
	}
	return pemPublicKey(pub)
}

type env struct {
	t   *testing.T
	e   *Emulator
	clk *FakeClock
}

func newEnv(t *testing.T, org *Org) *env {
	t.Helper()
	if org == nil {
		org = testOrg()
	}
	clk := NewFakeClock(t0)
	e, err := Start(org, "127.0.0.1:0", Options{Clock: clk, EnableControl: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return &env{t: t, e: e, clk: clk}
}

// browser returns a client with a cookie jar that does not follow redirects.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var plain = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type resp struct {
	status int
	ct     string
	body   string
	loc    string
	m      map[string]any
}

func do(t *testing.T, c *http.Client, req *http.Request) resp {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, ct: res.Header.Get("Content-Type"), body: string(b), loc: res.Header.Get("Location")}
	if strings.HasPrefix(r.ct, "application/json") && strings.HasPrefix(r.body, "{") {
		d := json.NewDecoder(strings.NewReader(r.body))
		d.UseNumber()
		if err := d.Decode(&r.m); err != nil {
			t.Fatalf("JSON body: %v\n%s", err, b)
		}
	}
	return r
}

func (v *env) postForm(base, path string, form url.Values) resp {
	v.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(v.t, plain, req)
}

func (v *env) token(form url.Values) resp {
	v.t.Helper()
	return v.postForm(v.e.LoginURL, "/services/oauth2/token", form)
}

func keysOf(m map[string]any) string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return strings.Join(k, ",")
}

func sorted(s ...string) string {
	sort.Strings(s)
	return strings.Join(s, ",")
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// wantOAuthError asserts a §5 token error: status, JSON content type, exact body keys.
func wantOAuthError(t *testing.T, r resp, status int, code, desc string) {
	t.Helper()
	if r.status != status || r.ct != ctJSON || keysOf(r.m) != "error,error_description" ||
		str(r.m, "error") != code || str(r.m, "error_description") != desc {
		t.Fatalf("got %d %q %s; want %d %s %q", r.status, r.ct, r.body, status, code, desc)
	}
}

func wantOK(t *testing.T, r resp) {
	t.Helper()
	if r.status != 200 || r.ct != ctJSON {
		t.Fatalf("got %d %q %s; want 200 JSON", r.status, r.ct, r.body)
	}
}

var txRe = regexp.MustCompile(`name="tx" value="([^"]+)"`)

func formTx(t *testing.T, body string) string {
	t.Helper()
	m := txRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no tx field in page:\n%s", body)
	}
	return m[1]
}

// authorize drives the HTML pages like a browser (login, then Allow when asked) and returns
// the final redirect Location.
func (v *env) authorize(c *http.Client, params url.Values, username, password string) string {
	v.t.Helper()
	t := v.t
	req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+params.Encode(), nil)
	r := do(t, c, req)
	for i := 0; i < 4; i++ {
		switch {
		case r.status == http.StatusFound:
			return r.loc
		case strings.Contains(r.body, `id="password"`):
			if !strings.Contains(r.body, `id="username"`) || !strings.Contains(r.body, `type="submit"`) {
				t.Fatalf("login form lacks username input or submit button:\n%s", r.body)
			}
			r = v.submit(c, "/login", url.Values{"tx": {formTx(t, r.body)}, "username": {username}, "password": {password}})
		case strings.Contains(r.body, `id="approve"`):
			if !strings.Contains(r.body, `<button type="submit" id="approve"`) {
				t.Fatalf("approve button is not a submit button:\n%s", r.body)
			}
			r = v.submit(c, approvePath, url.Values{"tx": {formTx(t, r.body)}, "action": {"approve"}})
		default:
			t.Fatalf("unexpected page %d:\n%s", r.status, r.body)
		}
	}
	t.Fatal("too many pages")
	return ""
}

func (v *env) submit(c *http.Client, path string, form url.Values) resp {
	v.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, v.e.LoginURL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(v.t, c, req)
}

func pkcePair() (verifier, challenge string) {
	b := make([]byte, 96)
	rand.Read(b)
	verifier = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// codeFor runs the authorize pages and returns the code from the callback.
func (v *env) codeFor(clientID, user, pass string, extra url.Values) string {
	v.t.Helper()
	p := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {cb}, "state": {"st1"}}
	for k, x := range extra {
		p[k] = x
	}
	loc := v.authorize(browser(v.t), p, user, pass)
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(loc, cb+"?") || u.Query().Get("code") == "" || u.Query().Get("state") != "st1" {
		v.t.Fatalf("callback %q: want %s?code=…&state=st1", loc, cb)
	}
	return u.Query().Get("code")
}

// webServerTokens runs the web server flow (PKCE when the app needs it) and returns the
// token response.
func (v *env) webServerTokens(clientID, secret, user, pass string) resp {
	v.t.Helper()
	ver, ch := pkcePair()
	code := v.codeFor(clientID, user, pass, url.Values{"code_challenge": {ch}})
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {clientID},
		"redirect_uri": {cb}, "code_verifier": {ver}}
	if secret != "" {
		f.Set("client_secret", secret)
	}
	r := v.token(f)
	wantOK(v.t, r)
	return r
}

// password runs the username-password flow on the Web App.
func (v *env) password(user *User) resp {
	v.t.Helper()
	r := v.token(url.Values{"grant_type": {"password"}, "client_id": {DemoWebAppKey}, "client_secret": {"WebAppDemoSecret0001"},
		"username": {user.Username}, "password": {user.Password + user.SecurityToken}})
	wantOK(v.t, r)
	return r
}

func (v *env) user(name string) *User {
	u := v.e.Org().userByName(name)
	if u == nil {
		v.t.Fatalf("no user %s", name)
	}
	return u
}

func (v *env) rest(base, path, tok string) resp {
	v.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return do(v.t, plain, req)
}

func (v *env) introspect(clientID, secret, tok string) resp {
	v.t.Helper()
	r := v.postForm(v.e.LoginURL, "/services/oauth2/introspect",
		url.Values{"token": {tok}, "client_id": {clientID}, "client_secret": {secret}})
	return r
}

// makeJWT signs claims with the demo key (or key) using RS256.
func makeJWT(t *testing.T, key *rsa.PrivateKey, header, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	in := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	if key == nil {
		return in + "."
	}
	sum := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func demoKey(t *testing.T) *rsa.PrivateKey {
	k, err := parseRSAPrivateKey(demoJWTPrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func unixNum(m map[string]any, k string) int64 {
	n, _ := m[k].(json.Number)
	i, _ := n.Int64()
	return i
}

func pemPublicKey(pub *rsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func mustReq(method, target, body string) *http.Request {
	return httptest.NewRequest(method, target, strings.NewReader(body))
}
