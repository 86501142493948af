package sfemu

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestIdleSessionRule: §7's worked example with a 30-minute profile timeout. Activity at
// minute 10 does not extend (logout at 30); activity at 20 does (logout at 50).
// Introspection exp reflects it and is not itself activity; REST says INVALID_SESSION_ID
// after expiry.
func TestIdleSessionRule(t *testing.T) {
	type step struct {
		at       time.Duration // since the token was issued
		use      string        // "rest", "userinfo", "identity", "introspect"
		wantExp  time.Duration // introspection exp after the step, since issue; 0 = inactive
		wantLive bool          // the use succeeded
	}
	rows := []struct {
		name  string
		steps []step
	}{
		{"activity at 10 does not extend", []step{
			{10 * time.Minute, "rest", 30 * time.Minute, true},
			{29 * time.Minute, "introspect", 30 * time.Minute, true},
			{30 * time.Minute, "rest", 0, false},
		}},
		{"activity at 20 extends to 50", []step{
			{20 * time.Minute, "rest", 50 * time.Minute, true},
			{49 * time.Minute, "introspect", 50 * time.Minute, true},
			{50 * time.Minute, "rest", 0, false},
		}},
		{"userinfo counts as activity", []step{
			{16 * time.Minute, "userinfo", 46 * time.Minute, true},
			{30 * time.Minute, "identity", 46 * time.Minute, true},
			{46 * time.Minute, "userinfo", 0, false},
		}},
		{"introspection is not activity", []step{
			{20 * time.Minute, "introspect", 30 * time.Minute, true},
			{30 * time.Minute, "introspect", 0, false},
		}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			v := newEnv(t, nil)
			short := v.user(DemoShortUser)
			tok := str(v.password(short).m, "access_token")
			issued := v.clk.Now()
			for _, s := range row.steps {
				v.clk.Set(issued.Add(s.at))
				switch s.use {
				case "rest":
					r := v.rest(v.e.MyDomainURL, "/services/data/v65.0/limits", tok)
					if s.wantLive {
						wantOK(t, r)
					} else if r.status != 401 || r.ct != ctJSON || r.body != `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]` {
						t.Fatalf("at %v: REST %d %q %s", s.at, r.status, r.ct, r.body)
					}
				case "userinfo", "identity":
					path := "/services/oauth2/userinfo"
					if s.use == "identity" {
						path = "/id/" + v.e.Org().ID + "/" + short.ID
					}
					r := v.rest(v.e.LoginURL, path, tok)
					if (r.status == 200) != s.wantLive {
						t.Fatalf("at %v: %s %d %s", s.at, s.use, r.status, r.body)
					}
				}
				in := v.introspect(DemoWebAppKey, "WebAppDemoSecret0001", tok)
				wantOK(t, in)
				if s.wantExp == 0 {
					if in.body != `{"active":false}` {
						t.Fatalf("at %v: introspection %s, want {\"active\":false}", s.at, in.body)
					}
					continue
				}
				if got, want := unixNum(in.m, "exp"), issued.Add(s.wantExp).Unix(); got != want {
					t.Fatalf("at %v after %s: exp %d, want %d (issue+%v)", s.at, s.use, got, want, s.wantExp)
				}
			}
		})
	}
}

// The effective timeout walks app -> profile -> org (§7).
func TestTimeoutPrecedence(t *testing.T) {
	v := newEnv(t, nil)
	rows := []struct {
		name      string
		client    string
		user      string
		pass      string
		wantMins  int64
		secretFor string
	}{
		{"org Session Settings (profile 0)", DemoWebAppKey, DemoUser, "Demo-Pass-1DEMOTOKEN1", 120, "WebAppDemoSecret0001"},
		{"profile 30 minutes", DemoWebAppKey, DemoShortUser, "Short-Pass-1SHORTTOKEN1", 30, "WebAppDemoSecret0001"},
		{"app 15 minutes beats the profile", keyAppTimeout, DemoShortUser, "Short-Pass-1SHORTTOKEN1", 15, testSecret},
		{"app 15 minutes beats the org", keyAppTimeout, DemoUser, "Demo-Pass-1DEMOTOKEN1", 15, testSecret},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			r := v.token(url.Values{"grant_type": {"password"}, "client_id": {row.client}, "client_secret": {row.secretFor},
				"username": {row.user}, "password": {row.pass}})
			wantOK(t, r)
			in := v.introspect(row.client, row.secretFor, str(r.m, "access_token"))
			if got := unixNum(in.m, "exp") - unixNum(in.m, "iat"); got != row.wantMins*60 {
				t.Fatalf("exp-iat = %ds, want %d min: %s", got, row.wantMins, in.body)
			}
		})
	}
}

// Introspection: exact active body; another app's token is inactive unless the caller may
// introspect all tokens (§4.2); refresh tokens too; client auth by Basic.
func TestIntrospection(t *testing.T) {
	v := newEnv(t, nil)
	demo := v.user(DemoUser)
	tok := str(v.password(demo).m, "access_token")
	in := v.introspect(DemoWebAppKey, "WebAppDemoSecret0001", tok)
	wantOK(t, in)
	if keysOf(in.m) != sorted("active", "scope", "client_id", "username", "sub", "token_type", "exp", "iat", "nbf") ||
		in.m["active"] != true || str(in.m, "client_id") != DemoWebAppKey || str(in.m, "username") != DemoUser ||
		str(in.m, "token_type") != "access_token" || str(in.m, "sub") != v.e.LoginURL+"/id/"+v.e.Org().ID+"/"+demo.ID ||
		unixNum(in.m, "iat") != t0.Unix() || unixNum(in.m, "nbf") != t0.Unix() || unixNum(in.m, "exp") != t0.Add(2*time.Hour).Unix() ||
		str(in.m, "scope") != "api refresh_token openid id web" {
		t.Fatalf("active body: %s", in.body)
	}
	// Another app without Introspect All Tokens sees nothing.
	if r := v.introspect(DemoMobileAppKey, "MobileAppDemoSecret0002", tok); r.body != `{"active":false}` {
		t.Errorf("other app: %s", r.body)
	}
	// Integration App has Introspect All Tokens.
	if r := v.introspect(DemoIntegrationAppKey, "IntegrationAppDemoSecret0003", tok); r.m["active"] != true {
		t.Errorf("introspect-all app: %s", r.body)
	}
	if r := v.introspect(DemoWebAppKey, "WebAppDemoSecret0001", "00Dnope!x"); r.status != 200 || r.body != `{"active":false}` {
		t.Errorf("unknown token: %d %s", r.status, r.body)
	}
	wantOAuthError(t, v.introspect(DemoWebAppKey, "wrong", tok), 400, "invalid_client", "invalid client credentials")
	wantOAuthError(t, v.introspect("nope", "x", tok), 400, "invalid_client_id", "client identifier invalid")

	rt := str(v.webServerTokens(DemoWebAppKey, "WebAppDemoSecret0001", DemoUser, "Demo-Pass-1").m, "refresh_token")
	req, _ := http.NewRequest(http.MethodPost, v.e.LoginURL+"/services/oauth2/introspect",
		strings.NewReader(url.Values{"token": {rt}, "token_type_hint": {"refresh_token"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(DemoWebAppKey, "WebAppDemoSecret0001")
	r := do(t, plain, req)
	wantOK(t, r)
	if r.m["active"] != true || str(r.m, "token_type") != "refresh_token" {
		t.Errorf("refresh token introspection: %s", r.body)
	}
	// "Valid until revoked" under Spring '26's 30-day idle limit: 30 days after last use.
	if unixNum(r.m, "exp")-unixNum(r.m, "iat") != 30*24*3600 {
		t.Errorf("an infinite-policy refresh token expires 30 days after its last use: %s", r.body)
	}
	o := testOrg()
	o.NoIdleRefreshTokenLimit = true
	v2 := newEnv(t, o)
	rt = str(v2.webServerTokens(DemoWebAppKey, "WebAppDemoSecret0001", DemoUser, "Demo-Pass-1").m, "refresh_token")
	r = v2.introspect(DemoWebAppKey, "WebAppDemoSecret0001", rt)
	if _, ok := r.m["exp"]; ok || r.m["active"] != true {
		t.Errorf("without the idle limit an infinite-policy refresh token has no exp: %s", r.body)
	}
}
