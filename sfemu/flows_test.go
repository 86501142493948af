package sfemu

import (
	"bytes"
	"encoding/base64"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// obtainDevice runs the whole device flow and returns the success response.
func (v *env) deviceTokens(c *http.Client, clientID string) resp {
	v.t.Helper()
	t := v.t
	start := v.token(url.Values{"response_type": {"device_code"}, "client_id": {clientID}, "scope": {"api refresh_token openid"}})
	wantOK(t, start)
	dc := str(start.m, "device_code")
	v.approveDevice(c, str(start.m, "user_code"), DemoUser, "Demo-Pass-1")
	v.clk.Advance(6 * time.Second)
	r := v.token(url.Values{"grant_type": {"device"}, "client_id": {clientID}, "code": {dc}})
	wantOK(t, r)
	return r
}

// approveDevice drives /setup/connect: code page, login form, Allow.
func (v *env) approveDevice(c *http.Client, userCode, user, pass string) {
	v.t.Helper()
	t := v.t
	req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/setup/connect?user_code="+userCode, nil)
	page := do(t, c, req)
	if !strings.Contains(page.body, `id="user_code"`) || !strings.Contains(page.body, `value="`+userCode+`"`) ||
		!strings.Contains(page.body, `type="submit"`) {
		t.Fatalf("connect page does not prefill user_code:\n%s", page.body)
	}
	r := v.submit(c, "/setup/connect", url.Values{"user_code": {userCode}})
	for i := 0; i < 3 && !strings.Contains(r.body, `id="connected"`); i++ {
		switch {
		case strings.Contains(r.body, `id="password"`):
			r = v.submit(c, "/login", url.Values{"tx": {formTx(t, r.body)}, "username": {user}, "password": {pass}})
		case strings.Contains(r.body, `id="approve"`):
			r = v.submit(c, approvePath, url.Values{"tx": {formTx(t, r.body)}, "action": {"approve"}})
		default:
			t.Fatalf("unexpected device page %d:\n%s", r.status, r.body)
		}
	}
	if !strings.Contains(r.body, `id="connected"`) {
		t.Fatalf("device not connected:\n%s", r.body)
	}
}

func samlAssertionFor(issuer, user, aud string, notOnOrAfter time.Time) string {
	x := `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Version="2.0">` +
		`<saml:Issuer>` + issuer + `</saml:Issuer><saml:Subject><saml:NameID>` + user + `</saml:NameID></saml:Subject>` +
		`<saml:Conditions NotBefore="2000-01-01T00:00:00Z" NotOnOrAfter="` + notOnOrAfter.UTC().Format(time.RFC3339) + `">` +
		`<saml:AudienceRestriction><saml:Audience>` + aud + `</saml:Audience></saml:AudienceRestriction></saml:Conditions></saml:Assertion>`
	return base64.RawURLEncoding.EncodeToString([]byte(x))
}

// TestFlowMatrix checks every row of reference §3.11: which fields each flow returns.
func TestFlowMatrix(t *testing.T) {
	v := newEnv(t, nil)
	demo, short := v.user(DemoUser), v.user(DemoShortUser)
	rows := []struct {
		name string
		run  func(t *testing.T) map[string]any
		keys string
		user *User
		hmac string // consumer secret when issued_at/signature are present
	}{
		{"web server", func(t *testing.T) map[string]any {
			return v.webServerTokens(DemoWebAppKey, "WebAppDemoSecret0001", DemoUser, "Demo-Pass-1").m
		}, sorted("access_token", "refresh_token", "signature", "scope", "id_token", "instance_url", "id", "token_type", "issued_at"), demo, "WebAppDemoSecret0001"},
		{"web server + PKCE, ECA public client", func(t *testing.T) map[string]any {
			return v.webServerTokens(DemoECAKey, "", DemoShortUser, "Short-Pass-1").m
		}, sorted("access_token", "refresh_token", "signature", "scope", "id_token", "instance_url", "id", "token_type", "issued_at"), short, "EcaPkceDemoSecret0005"},
		{"web server, app without refresh_token scope", func(t *testing.T) map[string]any {
			return v.webServerTokens(DemoMobileAppKey, "", DemoUser, "Demo-Pass-1").m
		}, sorted("access_token", "signature", "scope", "id_token", "instance_url", "id", "token_type", "issued_at"), demo, "MobileAppDemoSecret0002"},
		{"user-agent token id_token (fragment, http callback: no refresh)", func(t *testing.T) map[string]any {
			loc := v.authorize(browser(t), url.Values{"response_type": {"token id_token"}, "client_id": {DemoWebAppKey},
				"redirect_uri": {cb}, "state": {"s"}, "nonce": {"n1"}}, DemoUser, "Demo-Pass-1")
			return fragment(t, loc, cb)
		}, sorted("access_token", "signature", "scope", "id_token", "instance_url", "id", "token_type", "issued_at", "state"), demo, "WebAppDemoSecret0001"},
		{"user-agent token, custom scheme: refresh token", func(t *testing.T) map[string]any {
			loc := v.authorize(browser(t), url.Values{"response_type": {"token"}, "client_id": {keyCustomCB},
				"redirect_uri": {"myapp://oauth/done"}, "scope": {"api refresh_token"}}, DemoUser, "Demo-Pass-1")
			return fragment(t, loc, "myapp://oauth/done")
		}, sorted("access_token", "refresh_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"), demo, testSecret},
		{"username-password", func(t *testing.T) map[string]any { return v.password(demo).m },
			sorted("access_token", "instance_url", "id", "token_type", "issued_at", "signature"), demo, "WebAppDemoSecret0001"},
		{"refresh, no rotation", func(t *testing.T) map[string]any {
			rt := str(v.webServerTokens(DemoWebAppKey, "WebAppDemoSecret0001", DemoUser, "Demo-Pass-1").m, "refresh_token")
			r := v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {DemoWebAppKey}, "client_secret": {"WebAppDemoSecret0001"}})
			wantOK(t, r)
			return r.m
		}, sorted("access_token", "signature", "scope", "id_token", "instance_url", "id", "token_type", "issued_at"), demo, "WebAppDemoSecret0001"},
		{"refresh, rotation", func(t *testing.T) map[string]any {
			rt := str(v.webServerTokens(DemoECAKey, "", DemoUser, "Demo-Pass-1").m, "refresh_token")
			r := v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {DemoECAKey}})
			wantOK(t, r)
			return r.m
		}, sorted("access_token", "refresh_token", "signature", "scope", "id_token", "instance_url", "id", "token_type", "issued_at"), demo, "EcaPkceDemoSecret0005"},
		{"JWT bearer", func(t *testing.T) map[string]any {
			r := v.token(url.Values{"grant_type": {grantJWT}, "assertion": {makeJWT(t, demoKey(t), map[string]any{"alg": "RS256"},
				map[string]any{"iss": DemoIntegrationAppKey, "sub": DemoUser, "aud": "https://login.salesforce.com", "exp": t0.Add(3 * time.Minute).Unix()})}})
			wantOK(t, r)
			return r.m
		}, sorted("access_token", "scope", "instance_url", "id", "token_type"), demo, ""},
		{"client credentials (My Domain, Basic auth)", func(t *testing.T) map[string]any {
			req, _ := http.NewRequest(http.MethodPost, v.e.MyDomainURL+"/services/oauth2/token", strings.NewReader("grant_type=client_credentials"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(DemoIntegrationAppKey, "IntegrationAppDemoSecret0003")
			r := do(t, plain, req)
			wantOK(t, r)
			if str(r.m, "api_instance_url") != "https://api.salesforce.com" || str(r.m, "scope") != "api id" {
				t.Errorf("api_instance_url/scope: %s", r.body)
			}
			return r.m
		}, sorted("access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at", "api_instance_url"), v.user(DemoIntegration), "IntegrationAppDemoSecret0003"},
		{"device", func(t *testing.T) map[string]any { return v.deviceTokens(browser(t), DemoDeviceAppKey).m },
			sorted("access_token", "refresh_token", "signature", "scope", "id_token", "instance_url", "id", "token_type", "issued_at"), demo, "DeviceAppDemoSecret0004"},
		{"SAML bearer", func(t *testing.T) map[string]any {
			r := v.token(url.Values{"grant_type": {grantSAML}, "assertion": {samlAssertionFor(DemoIntegrationAppKey, DemoUser, "https://login.salesforce.com", t0.Add(5*time.Minute))}})
			wantOK(t, r)
			return r.m
		}, sorted("access_token", "scope", "instance_url", "id", "token_type"), demo, ""},
		{"token exchange", func(t *testing.T) map[string]any {
			at := str(v.webServerTokens(keyExchange, testSecret, DemoUser, "Demo-Pass-1").m, "access_token")
			r := v.token(url.Values{"grant_type": {grantTokenExchange}, "client_id": {keyExchange}, "client_secret": {testSecret},
				"subject_token": {at}, "subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}, "scope": {"api refresh_token"}})
			wantOK(t, r)
			return r.m
		}, sorted("access_token", "refresh_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at", "issued_token_type"), demo, testSecret},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			m := row.run(t)
			if got := keysOf(m); got != row.keys {
				t.Fatalf("keys %s\nwant %s", got, row.keys)
			}
			if _, ok := m["expires_in"]; ok {
				t.Error("expires_in must never be sent (§2)")
			}
			if !strings.HasPrefix(str(m, "access_token"), v.e.Org().ID[:15]+"!") {
				t.Errorf("access_token %q: want <org15>!…", str(m, "access_token"))
			}
			if rt, ok := m["refresh_token"]; ok && !strings.HasPrefix(rt.(string), "5Aep") {
				t.Errorf("refresh_token %q: want 5Aep…", rt)
			}
			if str(m, "instance_url") != v.e.MyDomainURL || str(m, "id") != v.e.LoginURL+"/id/"+v.e.Org().ID+"/"+row.user.ID ||
				str(m, "token_type") != "Bearer" {
				t.Errorf("instance_url/id/token_type: %v", m)
			}
			if row.hmac != "" {
				ia := str(m, "issued_at")
				if len(ia) != 13 {
					t.Errorf("issued_at %q: want a 13-digit millisecond string", ia)
				}
				if ms, _ := strconv.ParseInt(ia, 10, 64); ms != v.clk.Now().UnixMilli() {
					t.Errorf("issued_at %s, clock %d", ia, v.clk.Now().UnixMilli())
				}
				if want := signature(row.hmac, str(m, "id"), ia); str(m, "signature") != want {
					t.Errorf("signature %q, want HMAC-SHA256(secret, id+issued_at) = %q", str(m, "signature"), want)
				}
			}
		})
	}
}

// fragment returns the parameters in the fragment of a redirect to cbURL.
func fragment(t *testing.T, loc, cbURL string) map[string]any {
	t.Helper()
	if !strings.HasPrefix(loc, cbURL+"#") {
		t.Fatalf("redirect %q: want %s#…", loc, cbURL)
	}
	q, err := url.ParseQuery(loc[len(cbURL)+1:])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	for k := range q {
		m[k] = q.Get(k)
	}
	return m
}

// The web server response keeps the wire field order of §13.
func TestWebServerFieldOrder(t *testing.T) {
	v := newEnv(t, nil)
	r := v.webServerTokens(DemoWebAppKey, "WebAppDemoSecret0001", DemoUser, "Demo-Pass-1")
	order := []string{"access_token", "refresh_token", "signature", "scope", "id_token", "instance_url", "id", "token_type", "issued_at"}
	last := -1
	for _, k := range order {
		i := strings.Index(r.body, `"`+k+`":`)
		if i <= last {
			t.Fatalf("field %s out of order in %s", k, r.body)
		}
		last = i
	}
	if str(r.m, "scope") != "api refresh_token openid id web" {
		t.Errorf("omitted scope should grant all app scopes, got %q", str(r.m, "scope"))
	}
}

// multipart/form-data is accepted like urlencoded (§1.2); format=urlencoded and xml change
// the body (§2).
func TestTokenEncodings(t *testing.T) {
	v := newEnv(t, nil)
	demo := v.user(DemoUser)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, x := range map[string]string{"grant_type": "password", "client_id": DemoWebAppKey, "client_secret": "WebAppDemoSecret0001",
		"username": demo.Username, "password": demo.Password + demo.SecurityToken} {
		mw.WriteField(k, x)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, v.e.LoginURL+"/services/oauth2/token", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	wantOK(t, do(t, plain, req))

	cases := []struct {
		format, accept, ct, prefix string
	}{
		{"urlencoded", "", ctForm, "access_token="},
		{"xml", "", ctXML, `<?xml version="1.0" encoding="UTF-8"?><OAuth><access_token>`},
		{"", "application/xml", ctXML, `<?xml`},
		{"json", "application/xml", ctJSON, `{"access_token":`},
	}
	for _, c := range cases {
		f := url.Values{"grant_type": {"password"}, "client_id": {DemoWebAppKey}, "client_secret": {"WebAppDemoSecret0001"},
			"username": {demo.Username}, "password": {demo.Password + demo.SecurityToken}}
		if c.format != "" {
			f.Set("format", c.format)
		}
		req, _ := http.NewRequest(http.MethodPost, v.e.LoginURL+"/services/oauth2/token", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		r := do(t, plain, req)
		if r.status != 200 || r.ct != c.ct || !strings.HasPrefix(r.body, c.prefix) {
			t.Errorf("format %q accept %q: %d %q %s", c.format, c.accept, r.status, r.ct, r.body)
		}
	}
	// Errors follow the format too.
	r := v.token(url.Values{"grant_type": {"password"}, "client_id": {"nope"}, "format": {"urlencoded"}})
	if r.status != 400 || r.ct != ctForm || r.body != "error=invalid_client_id&error_description=client+identifier+invalid" {
		t.Errorf("urlencoded error: %d %q %q", r.status, r.ct, r.body)
	}
}
