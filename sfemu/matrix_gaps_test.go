package sfemu

import (
	"net/url"
	"testing"
)

// §3.11 rows not covered by TestFlowMatrix: the user-agent flow returns a refresh token to
// the /services/oauth2/success page (generic and My Domain hosts) but not to an http(s)
// callback, and offline_access yields a refresh token like refresh_token.
func TestFlowMatrixSuccessPageAndOfflineAccess(t *testing.T) {
	o := testOrg()
	success := []string{"https://login.salesforce.com/services/oauth2/success",
		"https://" + o.MyDomain + ".my.salesforce.com/services/oauth2/success", "https://app.example.com/services/oauth2/success"}
	o.Apps = append(o.Apps, App{Name: "Success Page", Kind: KindConnectedApp, ConsumerKey: "3MVG9test.Success",
		ConsumerSecret: testSecret, CallbackURLs: success, Scopes: []string{"api", "offline_access"}, Installed: true})
	v := newEnv(t, o)
	for i, redirect := range success {
		loc := v.authorize(browser(t), url.Values{"response_type": {"token"}, "client_id": {"3MVG9test.Success"},
			"redirect_uri": {redirect}, "scope": {"api refresh_token"}}, DemoUser, "Demo-Pass-1")
		m := fragment(t, loc, redirect)
		if got, want := str(m, "refresh_token") != "", i < 2; got != want {
			t.Errorf("%s: refresh token %v, want %v (%s)", redirect, got, want, keysOf(m))
		}
	}
	// offline_access is refresh_token's synonym (§6): the web server flow issues one.
	code := v.codeFor(DemoWebAppKey, DemoUser, "Demo-Pass-1", url.Values{"scope": {"api offline_access"}})
	r := v.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {DemoWebAppKey},
		"client_secret": {"WebAppDemoSecret0001"}, "redirect_uri": {cb}})
	wantOK(t, r)
	if str(r.m, "refresh_token") == "" || str(r.m, "scope") != "api offline_access" {
		t.Errorf("offline_access: %s", r.body)
	}
}
