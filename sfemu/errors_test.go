package sfemu

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTokenErrorCatalogue checks the token-endpoint rows of reference §5 (HTTP 400 JSON).
func TestTokenErrorCatalogue(t *testing.T) {
	v := newEnv(t, nil)
	webSecret := "WebAppDemoSecret0001"
	// A live token of a user who never approved the Exchange app (§3.9).
	otherTok := str(v.password(v.user(DemoShortUser)).m, "access_token")
	pw := func(client, secret, user, pass string) url.Values {
		return url.Values{"grant_type": {"password"}, "client_id": {client}, "client_secret": {secret}, "username": {user}, "password": {pass}}
	}
	rows := []struct {
		name       string
		my         bool // send to the My Domain host
		ctype      string
		method     string
		body       url.Values
		basic      [2]string
		status     int
		code, desc string
	}{
		{name: "wrong content type", ctype: "application/json", body: pw(DemoWebAppKey, webSecret, DemoUser, "Demo-Pass-1DEMOTOKEN1"),
			code: "unsupported_grant_type", desc: "grant type not supported"},
		{name: "no content type", ctype: "-", body: pw(DemoWebAppKey, webSecret, DemoUser, "x"), code: "unsupported_grant_type", desc: "grant type not supported"},
		{name: "GET (http->https redirect)", method: http.MethodGet, code: "unsupported_grant_type", desc: "grant type not supported"},
		{name: "missing grant_type", body: url.Values{"client_id": {DemoWebAppKey}}, code: "unsupported_grant_type", desc: "grant type not supported"},
		{name: "unknown grant_type", body: url.Values{"grant_type": {"magic"}}, code: "unsupported_grant_type", desc: "grant type not supported"},
		{name: "unknown consumer key", body: pw("3MVG9nope", "x", DemoUser, "x"), code: "invalid_client_id", desc: "client identifier invalid"},
		{name: "wrong client secret", body: pw(DemoWebAppKey, "wrong", DemoUser, "Demo-Pass-1DEMOTOKEN1"), code: "invalid_client", desc: "invalid client credentials"},
		{name: "missing client secret (password flow needs one)", body: url.Values{"grant_type": {"password"}, "client_id": {DemoWebAppKey},
			"username": {DemoUser}, "password": {"Demo-Pass-1DEMOTOKEN1"}}, code: "invalid_client", desc: "invalid client credentials"},
		{name: "bad password", body: pw(DemoWebAppKey, webSecret, DemoUser, "nopeDEMOTOKEN1"), code: "invalid_grant", desc: "authentication failure"},
		{name: "password without security token", body: pw(DemoWebAppKey, webSecret, DemoUser, "Demo-Pass-1"), code: "invalid_grant", desc: "authentication failure"},
		{name: "unknown user", body: pw(DemoWebAppKey, webSecret, "ghost@example.com", "x"), code: "invalid_grant", desc: "authentication failure"},
		{name: "frozen user", body: pw(DemoWebAppKey, webSecret, DemoFrozenUser, "Frozen-Pass-1FROZENTOKEN1"), code: "invalid_grant", desc: "authentication failure"},
		{name: "deactivated user", body: pw(DemoWebAppKey, webSecret, userInactive, "pt"), code: "invalid_grant", desc: "inactive user"},
		{name: "login IP restriction", body: pw(DemoWebAppKey, webSecret, userRestricted, "pt"), code: "invalid_grant", desc: "ip restricted"},
		{name: "ECA never supports username-password", body: pw(DemoECAKey, "EcaPkceDemoSecret0005", DemoUser, "Demo-Pass-1DEMOTOKEN1"),
			code: "invalid_grant", desc: "authentication failure"},
		{name: "admin-approved app, user not assigned", body: pw(keyAdminOnly, testSecret, DemoUser, "Demo-Pass-1DEMOTOKEN1"),
			code: "invalid_app_access", desc: "user is not admin approved to access this app"},
		{name: "unknown authorization code", body: url.Values{"grant_type": {"authorization_code"}, "client_id": {DemoWebAppKey}, "client_secret": {webSecret},
			"code": {"aPrxnope=="}, "redirect_uri": {cb}}, code: "invalid_grant", desc: "invalid authorization code"},
		{name: "unknown refresh token", body: url.Values{"grant_type": {"refresh_token"}, "client_id": {DemoWebAppKey}, "client_secret": {webSecret},
			"refresh_token": {"5Aepnope"}}, code: "invalid_grant", desc: "expired access/refresh token"},
		{name: "refresh without required secret", body: url.Values{"grant_type": {"refresh_token"}, "client_id": {DemoWebAppKey},
			"refresh_token": {"5Aepnope"}}, code: "invalid_client", desc: "invalid client credentials"},
		{name: "refresh with optional secret sent wrong is still validated", body: url.Values{"grant_type": {"refresh_token"}, "client_id": {DemoECAKey},
			"client_secret": {"wrong"}, "refresh_token": {"5Aepnope"}}, code: "invalid_client", desc: "invalid client credentials"},
		{name: "client credentials on the login host", body: url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoIntegrationAppKey},
			"client_secret": {"IntegrationAppDemoSecret0003"}}, code: "invalid_grant", desc: "request not supported on this domain"},
		{name: "client credentials without Run As user", my: true, body: url.Values{"grant_type": {"client_credentials"}, "client_id": {keyNoCCUser},
			"client_secret": {testSecret}}, code: "invalid_grant", desc: "no client credentials user enabled"},
		{name: "client credentials not enabled", my: true, body: url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoWebAppKey},
			"client_secret": {webSecret}}, code: "invalid_grant", desc: "client credentials flow not enabled"},
		{name: "client credentials, wrong Basic secret", my: true, body: url.Values{"grant_type": {"client_credentials"}},
			basic: [2]string{DemoIntegrationAppKey, "wrong"}, code: "invalid_client", desc: "invalid client credentials"},
		{name: "device flow not enabled", body: url.Values{"response_type": {"device_code"}, "client_id": {DemoWebAppKey}},
			code: "invalid_grant", desc: "device flow is not enabled for the app"},
		{name: "device poll, flow not enabled", body: url.Values{"grant_type": {"device"}, "client_id": {DemoMobileAppKey}, "code": {"x"}},
			code: "invalid_grant", desc: "device flow is not enabled for the app"},
		{name: "device poll, unknown code", body: url.Values{"grant_type": {"device"}, "client_id": {DemoDeviceAppKey}, "code": {"x"}},
			code: "invalid_grant", desc: "token exchange failed"},
		{name: "device flow, uninstalled app", body: url.Values{"response_type": {"device_code"}, "client_id": {keyUninstall}},
			code: "invalid_client", desc: "app must be installed into org"},
		{name: "device request, scope not allowed", body: url.Values{"response_type": {"device_code"}, "client_id": {DemoDeviceAppKey}, "scope": {"full"}},
			code: "invalid_scope", desc: "the requested scope is not allowed"},
		{name: "token exchange not enabled", body: url.Values{"grant_type": {grantTokenExchange}, "client_id": {DemoWebAppKey}, "client_secret": {webSecret}},
			code: "invalid_grant", desc: "token exchange is not enabled for the app"},
		{name: "token exchange, unknown subject token", body: url.Values{"grant_type": {grantTokenExchange}, "client_id": {keyExchange}, "client_secret": {testSecret},
			"subject_token": {"00Dx!nope"}, "subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}},
			code: "invalid_grant", desc: "invalid subject token"},
		{name: "token exchange, user never approved the app", body: url.Values{"grant_type": {grantTokenExchange}, "client_id": {keyExchange}, "client_secret": {testSecret},
			"subject_token": {otherTok}, "subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}},
			code: "invalid_grant", desc: "user hasn't approved this consumer"},
		{name: "token exchange, unsupported subject_token_type", body: url.Values{"grant_type": {grantTokenExchange}, "client_id": {keyExchange}, "client_secret": {testSecret},
			"subject_token": {otherTok}, "subject_token_type": {"urn:ietf:params:oauth:token-type:saml2"}},
			code: "invalid_request", desc: "unsupported subject_token_type"},
		{name: "token exchange, secret required", body: url.Values{"grant_type": {grantTokenExchange}, "client_id": {keyExchange}},
			code: "invalid_client", desc: "invalid client credentials"},
		{name: "SAML bearer, wrong audience", body: url.Values{"grant_type": {grantSAML},
			"assertion": {samlAssertionFor(DemoIntegrationAppKey, DemoUser, "https://evil.example", t0.Add(time.Minute))}},
			code: "invalid_grant", desc: "Audience validation failed"},
		{name: "SAML bearer, expired", body: url.Values{"grant_type": {grantSAML},
			"assertion": {samlAssertionFor(DemoIntegrationAppKey, DemoUser, "https://login.salesforce.com", t0.Add(-time.Minute))}},
			code: "invalid_grant", desc: "expired authorization code"},
		{name: "SAML bearer, garbage", body: url.Values{"grant_type": {grantSAML}, "assertion": {"%%%"}},
			code: "invalid_grant", desc: "invalid assertion"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			base := v.e.LoginURL
			if row.my {
				base = v.e.MyDomainURL
			}
			method := orStr(row.method, http.MethodPost)
			req, _ := http.NewRequest(method, base+"/services/oauth2/token", strings.NewReader(row.body.Encode()))
			switch row.ctype {
			case "":
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			case "-":
			default:
				req.Header.Set("Content-Type", row.ctype)
			}
			if row.basic[0] != "" {
				req.SetBasicAuth(row.basic[0], row.basic[1])
			}
			wantOAuthError(t, do(t, plain, req), orInt(row.status, 400), row.code, row.desc)
		})
	}
}

// Org-wide username-password block gives the same "authentication failure" (§3.3).
func TestUsernamePasswordBlockedOrgWide(t *testing.T) {
	o := Demo()
	o.BlockUsernamePasswordFlow = true
	v := newEnv(t, o)
	r := v.token(url.Values{"grant_type": {"password"}, "client_id": {DemoWebAppKey}, "client_secret": {"WebAppDemoSecret0001"},
		"username": {DemoUser}, "password": {"Demo-Pass-1DEMOTOKEN1"}})
	wantOAuthError(t, r, 400, "invalid_grant", "authentication failure")
	var flows []string
	for _, a := range v.e.Describe().Apps {
		flows = append(flows, a.Flows...)
	}
	if hasScope(flows, "username-password") {
		t.Error("Describe still lists username-password for a blocked org")
	}
}

// invalid_client status is a setting ([UNCONF] §5).
func TestInvalidClientStatusSetting(t *testing.T) {
	o := Demo()
	o.Behaviour.InvalidClientStatus = 401
	v := newEnv(t, o)
	wantOAuthError(t, v.token(url.Values{"grant_type": {"password"}, "client_id": {"nope"}}), 401, "invalid_client_id", "client identifier invalid")
}

// A body over 1 MiB is refused with an OAuth-shaped error, not a 500.
func TestBodyTooLarge(t *testing.T) {
	v := newEnv(t, nil)
	big := strings.Repeat("a", 2<<20)
	r := v.postForm(v.e.LoginURL, "/services/oauth2/token", url.Values{"grant_type": {"password"}, "pad": {big}})
	wantOAuthError(t, r, http.StatusRequestEntityTooLarge, "invalid_request", "request body too large")
}

// A panic inside a handler becomes a Salesforce-shaped 500, never a dropped connection.
func TestRecoverFromPanic(t *testing.T) {
	v := newEnv(t, nil)
	h := v.e.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := newRecorder()
	h.ServeHTTP(rec, mustReq(http.MethodGet, "/x", ""))
	if rec.Code != 500 || rec.Header().Get("Content-Type") != ctJSON ||
		rec.Body.String() != `{"error":"server_error","error_description":"internal server error"}` {
		t.Fatalf("%d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}
