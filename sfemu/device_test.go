package sfemu

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDeviceFlow: §3.7 wire shape, authorization_pending until approval through the HTML
// pages, slow_down when polled faster than interval, success with a refresh token, then
// the code is spent.
func TestDeviceFlow(t *testing.T) {
	v := newEnv(t, nil)
	start := v.token(url.Values{"response_type": {"device_code"}, "client_id": {DemoDeviceAppKey}, "scope": {"api refresh_token"}})
	wantOK(t, start)
	if keysOf(start.m) != sorted("user_code", "device_code", "interval", "verification_uri") {
		t.Fatalf("device authorization keys: %s", start.body)
	}
	uc, dc := str(start.m, "user_code"), str(start.m, "device_code")
	if !regexp.MustCompile(`^[A-Z0-9]{8}$`).MatchString(uc) || unixNum(start.m, "interval") != 5 ||
		str(start.m, "verification_uri") != v.e.LoginURL+"/setup/connect" {
		t.Fatalf("device authorization: %s", start.body)
	}
	raw, err := base64.StdEncoding.DecodeString(dc)
	if parts := strings.Split(string(raw), ";"); err != nil || len(parts) != 4 || parts[0] != DemoDeviceAppKey || parts[3] != uc {
		t.Errorf("device_code %q decodes to %q: want key;ip;ms;user_code", dc, raw)
	}
	poll := func() resp {
		return v.token(url.Values{"grant_type": {"device"}, "client_id": {DemoDeviceAppKey}, "code": {dc}})
	}
	wantOAuthError(t, poll(), 400, "authorization_pending", "authorization pending")
	v.clk.Advance(2 * time.Second)
	wantOAuthError(t, poll(), 400, "slow_down", "polling too quickly for the token endpoint")
	v.clk.Advance(5 * time.Second)
	wantOAuthError(t, poll(), 400, "authorization_pending", "authorization pending")

	v.approveDevice(browser(t), uc, DemoUser, "Demo-Pass-1")
	v.clk.Advance(5 * time.Second)
	r := poll()
	wantOK(t, r)
	if !strings.HasPrefix(str(r.m, "refresh_token"), "5Aep") || str(r.m, "scope") != "api refresh_token" {
		t.Fatalf("device success: %s", r.body)
	}
	v.clk.Advance(5 * time.Second)
	wantOAuthError(t, poll(), 400, "invalid_grant", "token exchange failed")

	// A My Domain device request gets a My Domain verification_uri (§3.7).
	md := v.postForm(v.e.MyDomainURL, "/services/oauth2/token", url.Values{"response_type": {"device_code"}, "client_id": {DemoDeviceAppKey}})
	wantOK(t, md)
	if str(md.m, "verification_uri") != v.e.MyDomainURL+"/setup/connect" {
		t.Errorf("My Domain verification_uri: %s", md.body)
	}
}

func TestDeviceDenyAndExpiry(t *testing.T) {
	v := newEnv(t, nil)
	start := v.token(url.Values{"response_type": {"device_code"}, "client_id": {DemoDeviceAppKey}})
	wantOK(t, start)
	c := browser(t)
	r := v.submit(c, "/setup/connect", url.Values{"user_code": {"NOPE1234"}})
	if !strings.Contains(r.body, "Invalid or expired code") {
		t.Fatalf("wrong code page:\n%s", r.body)
	}
	r = v.submit(c, "/setup/connect", url.Values{"user_code": {strings.ToLower(str(start.m, "user_code"))}})
	r = v.submit(c, "/login", url.Values{"tx": {formTx(t, r.body)}, "username": {DemoUser}, "password": {"Demo-Pass-1"}})
	r = v.submit(c, approvePath, url.Values{"tx": {formTx(t, r.body)}, "action": {"deny"}})
	if !strings.Contains(r.body, "access_denied") {
		t.Fatalf("deny page:\n%s", r.body)
	}
	wantOAuthError(t, v.token(url.Values{"grant_type": {"device"}, "client_id": {DemoDeviceAppKey}, "code": {str(start.m, "device_code")}}),
		400, "access_denied", "end-user denied authorization")

	start = v.token(url.Values{"response_type": {"device_code"}, "client_id": {DemoDeviceAppKey}})
	v.clk.Advance(10 * time.Minute)
	wantOAuthError(t, v.token(url.Values{"grant_type": {"device"}, "client_id": {DemoDeviceAppKey}, "code": {str(start.m, "device_code")}}),
		400, "invalid_grant", "expired authorization code")
}

// Rotation: each refresh returns a new refresh token; replaying the old one revokes the
// current refresh token and its access tokens (§3.4).
func TestRefreshRotationReplay(t *testing.T) {
	v := newEnv(t, nil)
	first := v.webServerTokens(DemoECAKey, "", DemoUser, "Demo-Pass-1")
	rt1, at1 := str(first.m, "refresh_token"), str(first.m, "access_token")
	refresh := func(rt string) resp {
		return v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {DemoECAKey}})
	}
	second := refresh(rt1)
	wantOK(t, second)
	rt2, at2 := str(second.m, "refresh_token"), str(second.m, "access_token")
	if rt2 == "" || rt2 == rt1 {
		t.Fatalf("rotation: refresh_token %q (old %q)", rt2, rt1)
	}
	wantOK(t, v.rest(v.e.MyDomainURL, "/services/data/v65.0/", at2))
	// Replay the rotated-away token.
	wantOAuthError(t, refresh(rt1), 400, "invalid_grant", "expired access/refresh token")
	for _, at := range []string{at1, at2} {
		if r := v.rest(v.e.MyDomainURL, "/services/data/v65.0/", at); r.status != 401 {
			t.Errorf("access token survived replay detection: %d %s", r.status, r.body)
		}
	}
	wantOAuthError(t, refresh(rt2), 400, "invalid_grant", "expired access/refresh token")
}

// Refresh token policies (§7): zero, specific_lifetime, specific_inactivity.
func TestRefreshTokenPolicies(t *testing.T) {
	rows := []struct {
		name  string
		key   string
		steps []struct {
			after time.Duration
			ok    bool
		}
	}{
		{"zero: never refreshes", keyPolicyZero, []struct {
			after time.Duration
			ok    bool
		}{{0, false}}},
		{"specific_lifetime:2:HOURS", keyLifetime, []struct {
			after time.Duration
			ok    bool
		}{{90 * time.Minute, true}, {29 * time.Minute, true}, {time.Minute, false}}},
		{"specific_inactivity:1:DAYS", keyInactivity, []struct {
			after time.Duration
			ok    bool
		}{{23 * time.Hour, true}, {23 * time.Hour, true}, {24 * time.Hour, false}}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			v := newEnv(t, nil)
			first := v.webServerTokens(row.key, testSecret, DemoUser, "Demo-Pass-1")
			rt := str(first.m, "refresh_token")
			// The session from the first grant stays usable even with policy zero.
			wantOK(t, v.rest(v.e.MyDomainURL, "/services/data/v65.0/", str(first.m, "access_token")))
			for _, s := range row.steps {
				v.clk.Advance(s.after)
				r := v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {row.key}, "client_secret": {testSecret}})
				if s.ok {
					wantOK(t, r)
				} else {
					wantOAuthError(t, r, 400, "invalid_grant", "expired access/refresh token")
				}
			}
		})
	}
}

// Revoke (§4.1): 200 empty; revoked access token -> REST 401; revoking again -> 400
// form-encoded; revoking a refresh token kills its access tokens; GET and JSONP.
func TestRevoke(t *testing.T) {
	v := newEnv(t, nil)
	revoke := func(tok string) resp {
		return v.postForm(v.e.LoginURL, "/services/oauth2/revoke", url.Values{"token": {tok}})
	}
	at := str(v.password(v.user(DemoUser)).m, "access_token")
	if r := revoke(at); r.status != 200 || r.body != "" {
		t.Fatalf("revoke: %d %q", r.status, r.body)
	}
	if r := v.rest(v.e.MyDomainURL, "/services/data/v65.0/", at); r.status != 401 || r.body != `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]` {
		t.Errorf("REST after revoke: %d %s", r.status, r.body)
	}
	r := revoke(at)
	if r.status != 400 || r.ct != "application/x-www-form-urlencoded" || r.body != "error=invalid_token&error_description=invalid%20token" {
		t.Errorf("second revoke: %d %q %q", r.status, r.ct, r.body)
	}

	tokens := v.webServerTokens(DemoWebAppKey, "WebAppDemoSecret0001", DemoUser, "Demo-Pass-1")
	rt := str(tokens.m, "refresh_token")
	ref := v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {DemoWebAppKey}, "client_secret": {"WebAppDemoSecret0001"}})
	wantOK(t, ref)
	req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/revoke?token="+url.QueryEscape(rt), nil)
	if r := do(t, plain, req); r.status != 200 {
		t.Fatalf("GET revoke: %d %s", r.status, r.body)
	}
	for _, tok := range []string{str(tokens.m, "access_token"), str(ref.m, "access_token")} {
		if r := v.rest(v.e.MyDomainURL, "/services/data/v65.0/", tok); r.status != 401 {
			t.Errorf("access token issued from a revoked refresh token still works: %d", r.status)
		}
	}
	wantOAuthError(t, v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {DemoWebAppKey}, "client_secret": {"WebAppDemoSecret0001"}}),
		400, "invalid_grant", "expired access/refresh token")

	req, _ = http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/revoke?token=nope&callback=cb1", nil)
	if r := do(t, plain, req); r.body != `cb1({"error":"invalid_token"})` {
		t.Errorf("JSONP: %q", r.body)
	}
}
