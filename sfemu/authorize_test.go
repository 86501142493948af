package sfemu

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Client errors at authorize go to Salesforce's error page, never to the callback (§3.1, §5).
func TestAuthorizeClientErrorsShowErrorPage(t *testing.T) {
	v := newEnv(t, nil)
	rows := []struct {
		name       string
		params     url.Values
		login      string // log in as this user first (gate checked after login)
		pass       string
		code, desc string
	}{
		{name: "unknown client_id", params: url.Values{"response_type": {"code"}, "client_id": {"3MVG9nope"}, "redirect_uri": {cb}},
			code: "invalid_client_id", desc: "client identifier invalid"},
		{name: "redirect_uri mismatch (port)", params: url.Values{"response_type": {"code"}, "client_id": {DemoWebAppKey}, "redirect_uri": {"http://localhost:1718/OauthRedirect"}},
			code: "redirect_uri_mismatch", desc: "redirect_uri must match configuration"},
		{name: "redirect_uri mismatch (trailing slash)", params: url.Values{"response_type": {"code"}, "client_id": {DemoWebAppKey}, "redirect_uri": {cb + "/"}},
			code: "redirect_uri_mismatch", desc: "redirect_uri must match configuration"},
		{name: "scope not allowed (refresh_token on Mobile App)", params: url.Values{"response_type": {"code"}, "client_id": {DemoMobileAppKey}, "redirect_uri": {cb}, "scope": {"api refresh_token"}},
			code: "invalid_scope", desc: "the requested scope is not allowed"},
		{name: "uninstalled app", params: url.Values{"response_type": {"code"}, "client_id": {keyUninstall}, "redirect_uri": {cb}},
			login: DemoUser, pass: "Demo-Pass-1", code: "invalid_client", desc: "app must be installed into org"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			c := browser(t)
			req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+row.params.Encode(), nil)
			r := do(t, c, req)
			if row.login != "" {
				r = v.submit(c, "/login", url.Values{"tx": {formTx(t, r.body)}, "username": {row.login}, "password": {row.pass}})
			}
			if r.status != http.StatusFound || !strings.HasPrefix(r.loc, errorPagePath+"?") {
				t.Fatalf("got %d Location %q; want 302 to the error page", r.status, r.loc)
			}
			if strings.Contains(r.loc, "localhost:1717") {
				t.Fatalf("error leaked to the callback: %s", r.loc)
			}
			u, _ := url.Parse(r.loc)
			if u.Query().Get("error") != row.code || u.Query().Get("error_description") != row.desc {
				t.Fatalf("error page URL %q: want error=%s&error_description=%s", r.loc, row.code, row.desc)
			}
			req, _ = http.NewRequest(http.MethodGet, v.e.LoginURL+r.loc, nil)
			page := do(t, c, req)
			if page.status != 200 || page.ct != ctHTML || !strings.Contains(page.body, "We can't authorize you because of an OAuth error") ||
				!strings.Contains(page.body, `<dd id="error_code">`+row.code+`</dd>`) {
				t.Fatalf("error page %d %q:\n%s", page.status, page.ct, page.body)
			}
		})
	}
}

// An admin has "Approve Uninstalled Connected Apps" and passes the installed-app gate (§9).
func TestUninstalledGateAdminPasses(t *testing.T) {
	v := newEnv(t, nil)
	v.codeFor(keyUninstall, DemoAdminUser, "Admin-Pass-1", nil)
	// With the gate off (an org before September 2025) anyone may use it.
	o := testOrg()
	o.UninstalledAppGate = false
	newEnv(t, o).codeFor(keyUninstall, DemoUser, "Demo-Pass-1", nil)
}

// PKCE required (ECA default, or org-wide) without a challenge: error sent to the callback.
func TestPKCERequiredButMissing(t *testing.T) {
	org := Demo()
	org.RequirePKCE = true
	for _, c := range []struct {
		name string
		org  *Org
		key  string
	}{{"ECA default", nil, DemoECAKey}, {"org-wide", org, DemoWebAppKey}} {
		t.Run(c.name, func(t *testing.T) {
			v := newEnv(t, c.org)
			req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+url.Values{"response_type": {"code"},
				"client_id": {c.key}, "redirect_uri": {cb}, "state": {"xyz"}}.Encode(), nil)
			r := do(t, browser(t), req)
			want := cb + "?error=invalid_request&error_description=missing+required+code+challenge&state=xyz"
			if r.status != http.StatusFound || r.loc != want {
				t.Fatalf("got %d %q, want 302 %q", r.status, r.loc, want)
			}
		})
	}
}

func TestPKCEVerifier(t *testing.T) {
	o := testOrg()
	o.Behaviour.PKCEMismatchError = "invalid_request"
	rows := []struct {
		name       string
		org        *Org
		verifier   func(good string) string
		code, desc string
	}{
		{"mismatch, default invalid_grant", nil, func(string) string { return "wrong-verifier" }, "invalid_grant", "invalid code verifier"},
		{"mismatch, docs' invalid_request setting", o, func(string) string { return "wrong-verifier" }, "invalid_request", "invalid code verifier"},
		{"missing verifier", nil, func(string) string { return "" }, "invalid_grant", "invalid code verifier"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			v := newEnv(t, row.org)
			ver, ch := pkcePair()
			code := v.codeFor(DemoECAKey, DemoUser, "Demo-Pass-1", url.Values{"code_challenge": {ch}})
			f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {DemoECAKey}, "redirect_uri": {cb}}
			if x := row.verifier(ver); x != "" {
				f.Set("code_verifier", x)
			}
			wantOAuthError(t, v.token(f), 400, row.code, row.desc)
		})
	}
}

// Codes are single use (reuse -> "expired authorization code") and expire after 15 minutes.
func TestAuthorizationCodeLifecycle(t *testing.T) {
	v := newEnv(t, nil)
	exchange := func(code, redirect string) resp {
		return v.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {DemoWebAppKey},
			"client_secret": {"WebAppDemoSecret0001"}, "redirect_uri": {redirect}})
	}
	code := v.codeFor(DemoWebAppKey, DemoUser, "Demo-Pass-1", nil)
	if !strings.HasPrefix(code, "aPrx") || !strings.HasSuffix(code, "==") {
		t.Errorf("code %q: want aPrx…==", code)
	}
	wantOK(t, exchange(code, cb))
	wantOAuthError(t, exchange(code, cb), 400, "invalid_grant", "expired authorization code")

	code = v.codeFor(DemoWebAppKey, DemoUser, "Demo-Pass-1", nil)
	v.clk.Advance(15 * time.Minute)
	wantOAuthError(t, exchange(code, cb), 400, "invalid_grant", "expired authorization code")

	code = v.codeFor(DemoWebAppKey, DemoUser, "Demo-Pass-1", nil)
	wantOAuthError(t, exchange(code, "http://127.0.0.1:1717/callback"), 400, "redirect_uri_mismatch", "redirect_uri must match configuration")

	// Web App requires its secret for the web server flow.
	code = v.codeFor(DemoWebAppKey, DemoUser, "Demo-Pass-1", nil)
	wantOAuthError(t, v.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {DemoWebAppKey}, "redirect_uri": {cb}}),
		400, "invalid_client", "invalid client credentials")
}

// The first authorization shows the approval page; the second does not; Deny sends
// access_denied to the callback.
func TestApprovalPage(t *testing.T) {
	v := newEnv(t, nil)
	c := browser(t)
	p := url.Values{"response_type": {"code"}, "client_id": {DemoWebAppKey}, "redirect_uri": {cb}, "state": {"s1"}}
	req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+p.Encode(), nil)
	r := do(t, c, req)
	r = v.submit(c, "/login", url.Values{"tx": {formTx(t, r.body)}, "username": {DemoUser}, "password": {"wrong"}})
	if r.status != 200 || !strings.Contains(r.body, "Please check your username and password") {
		t.Fatalf("bad password should re-show the form: %d\n%s", r.status, r.body)
	}
	r = v.submit(c, "/login", url.Values{"tx": {formTx(t, r.body)}, "username": {DemoUser}, "password": {"Demo-Pass-1"}})
	if !strings.Contains(r.body, `id="approve"`) || !strings.Contains(r.body, `id="deny"`) {
		t.Fatalf("want the approval page, got:\n%s", r.body)
	}
	r = v.submit(c, approvePath, url.Values{"tx": {formTx(t, r.body)}, "action": {"deny"}})
	want := cb + "?error=access_denied&error_description=end-user+denied+authorization&state=s1"
	if r.status != http.StatusFound || r.loc != want {
		t.Fatalf("deny: %d %q, want %q", r.status, r.loc, want)
	}
	// Approve once; the UI session cookie and the approval then skip both pages.
	loc := v.authorize(c, p, DemoUser, "Demo-Pass-1")
	if !strings.HasPrefix(loc, cb+"?code=") {
		t.Fatalf("approve: %q", loc)
	}
	r = do(t, c, req)
	if r.status != http.StatusFound || !strings.HasPrefix(r.loc, cb+"?code=") {
		t.Fatalf("second authorize should redirect at once, got %d %q", r.status, r.loc)
	}
	// prompt=login forces the form again.
	p.Set("prompt", "login")
	req, _ = http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+p.Encode(), nil)
	if r = do(t, c, req); !strings.Contains(r.body, `id="password"`) {
		t.Fatalf("prompt=login should show the login form:\n%s", r.body)
	}
}

// The login and approval pages take a POST whose tx is a pending request: a GET is refused,
// an unknown tx shows the expired page, and so does the approval page before a login.
func TestLoginAndApprovalPagesRefuseWhatIsNotPending(t *testing.T) {
	v := newEnv(t, nil)
	c := browser(t)
	for _, path := range []string{"/login", approvePath} {
		req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+path, nil)
		if r := do(t, c, req); r.status != http.StatusMethodNotAllowed {
			t.Errorf("GET %s: %d, want 405", path, r.status)
		}
	}
	expired := func(what string, r resp) {
		t.Helper()
		if r.status != http.StatusOK || !strings.Contains(r.body, `<p id="error">This `+what+` request has expired. Start again from your application.</p>`) {
			t.Errorf("want the expired %s page, got %d:\n%s", what, r.status, r.body)
		}
	}
	expired("login", v.submit(c, "/login", url.Values{"tx": {"nope"}, "username": {DemoUser}, "password": {"Demo-Pass-1"}}))
	expired("authorization", v.submit(c, approvePath, url.Values{"tx": {"nope"}, "action": {"approve"}}))
	p := url.Values{"response_type": {"code"}, "client_id": {DemoWebAppKey}, "redirect_uri": {cb}, "state": {"s1"}}
	req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+p.Encode(), nil)
	tx := formTx(t, do(t, c, req).body)
	expired("authorization", v.submit(c, approvePath, url.Values{"tx": {tx}, "action": {"approve"}})) // before the login
	if r := v.submit(c, "/login", url.Values{"tx": {tx}, "username": {DemoUser}, "password": {"Demo-Pass-1"}}); !strings.Contains(r.body, `id="approve"`) {
		t.Errorf("the login after it: want the approval page, got:\n%s", r.body)
	}
}

// The frozen user and the API-only user cannot log in to the UI.
func TestLoginRefusesFrozenAndAPIOnly(t *testing.T) {
	v := newEnv(t, nil)
	for _, u := range []struct{ name, pass, msg string }{
		{DemoFrozenUser, "Frozen-Pass-1", "frozen"},
		{DemoIntegration, "Integration-Pass-1", "API-only"},
	} {
		c := browser(t)
		req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+url.Values{"response_type": {"code"},
			"client_id": {DemoWebAppKey}, "redirect_uri": {cb}}.Encode(), nil)
		r := do(t, c, req)
		r = v.submit(c, "/login", url.Values{"tx": {formTx(t, r.body)}, "username": {u.name}, "password": {u.pass}})
		if r.status != 200 || !strings.Contains(r.body, u.msg) || !strings.Contains(r.body, `id="password"`) {
			t.Errorf("%s: %d\n%s", u.name, r.status, r.body)
		}
	}
}

// An admin-approved app sends unassigned users away and lets assigned ones through
// without an approval page.
func TestAdminApprovedAuthorize(t *testing.T) {
	v := newEnv(t, nil)
	loc := v.authorize(browser(t), url.Values{"response_type": {"code"}, "client_id": {keyAdminOnly}, "redirect_uri": {cb}}, DemoUser, "Demo-Pass-1")
	if loc != cb+"?error=invalid_app_access&error_description=user+is+not+admin+approved+to+access+this+app" {
		t.Fatalf("unassigned user: %q", loc)
	}
	c := browser(t)
	req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+url.Values{"response_type": {"code"},
		"client_id": {keyAdminOnly}, "redirect_uri": {cb}}.Encode(), nil)
	r := do(t, c, req)
	r = v.submit(c, "/login", url.Values{"tx": {formTx(t, r.body)}, "username": {DemoAdminUser}, "password": {"Admin-Pass-1"}})
	if r.status != http.StatusFound || !strings.HasPrefix(r.loc, cb+"?code=") {
		t.Fatalf("pre-authorized admin: %d %q\n%s", r.status, r.loc, r.body)
	}
}

// User-agent flow: tokens in the fragment (§3.2); blocked org-wide -> error in the fragment.
func TestUserAgentFlow(t *testing.T) {
	v := newEnv(t, nil)
	loc := v.authorize(browser(t), url.Values{"response_type": {"token"}, "client_id": {DemoWebAppKey},
		"redirect_uri": {cb}, "state": {"ua"}}, DemoUser, "Demo-Pass-1")
	m := fragment(t, loc, cb)
	if strings.Contains(loc, "?") {
		t.Errorf("tokens leaked into the query: %s", loc)
	}
	if str(m, "state") != "ua" || str(m, "token_type") != "Bearer" || m["refresh_token"] != nil || m["id_token"] != nil {
		t.Errorf("fragment %v", m)
	}
	wantOK(t, v.rest(v.e.MyDomainURL, "/services/data/v65.0/limits", str(m, "access_token")))

	o := Demo()
	o.BlockUserAgentFlow = true
	b := newEnv(t, o)
	req, _ := http.NewRequest(http.MethodGet, b.e.LoginURL+"/services/oauth2/authorize?"+url.Values{"response_type": {"token"},
		"client_id": {DemoWebAppKey}, "redirect_uri": {cb}}.Encode(), nil)
	r := do(t, browser(t), req)
	if r.status != http.StatusFound || r.loc != cb+"#error=oauth_flow_disabled&error_description=user-agent+flow+is+blocked+for+this+org" {
		t.Fatalf("blocked: %d %q", r.status, r.loc)
	}
}

func TestUnsupportedResponseType(t *testing.T) {
	v := newEnv(t, nil)
	req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+url.Values{"response_type": {"magic"},
		"client_id": {DemoWebAppKey}, "redirect_uri": {cb}}.Encode(), nil)
	r := do(t, browser(t), req)
	if r.status != http.StatusFound || r.loc != cb+"?error=unsupported_response_type&error_description=response+type+not+supported" {
		t.Fatalf("%d %q", r.status, r.loc)
	}
}
