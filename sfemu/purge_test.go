package sfemu

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

type sizes struct{ sessions, refreshes, codes, devices, userCodes, pending, browser int }

func (v *env) sizes() sizes {
	e := v.e
	e.mu.Lock()
	defer e.mu.Unlock()
	return sizes{len(e.sessions), len(e.refreshes), len(e.codes), len(e.devices), len(e.userCodes), len(e.pending), len(e.browser)}
}

// Spent and expired records are purged on access once their answers equal an unknown
// token's; live ones stay.
func TestPurgeExpiredRecords(t *testing.T) {
	v := newEnv(t, nil)
	c := browser(t)
	// Sessions (and an infinite refresh token, which stays), a spent code, a used device
	// code, a lifetime-limited refresh token family, a UI session, a pending authorization.
	web := v.webServerTokens(DemoWebAppKey, "WebAppDemoSecret0001", DemoUser, "Demo-Pass-1")
	life := v.webServerTokens(keyLifetime, testSecret, DemoUser, "Demo-Pass-1")
	for i := 0; i < 20; i++ {
		v.password(v.user(DemoUser))
	}
	spent := v.codeFor(DemoWebAppKey, DemoUser, "Demo-Pass-1", nil)
	v.token(url.Values{"grant_type": {"authorization_code"}, "code": {spent}, "client_id": {DemoWebAppKey},
		"client_secret": {"WebAppDemoSecret0001"}, "redirect_uri": {cb}})
	v.deviceTokens(c, DemoDeviceAppKey)
	pendingDevice := v.token(url.Values{"response_type": {"device_code"}, "client_id": {DemoDeviceAppKey}})
	wantOK(t, pendingDevice)
	req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+url.Values{"response_type": {"code"},
		"client_id": {DemoWebAppKey}, "redirect_uri": {cb}, "prompt": {"login"}}.Encode(), nil)
	do(t, c, req) // a login form left unanswered
	before := v.sizes()
	if before.sessions < 24 || before.refreshes < 3 || before.codes < 3 || before.devices != 2 || before.pending != 1 || before.browser < 1 {
		t.Fatalf("setup: %+v", before)
	}

	// Within the retention window a replayed code still reads "expired authorization code".
	v.clk.Advance(20 * time.Minute)
	replay := url.Values{"grant_type": {"authorization_code"}, "code": {spent}, "client_id": {DemoWebAppKey},
		"client_secret": {"WebAppDemoSecret0001"}, "redirect_uri": {cb}}
	wantOAuthError(t, v.token(replay), 400, "invalid_grant", "expired authorization code")
	if v.sizes().devices != 1 {
		t.Errorf("a used device code should be gone after the next sweep: %+v", v.sizes())
	}

	// Three hours later every session has idled out (120 min), the 2-hour refresh family is
	// dead, codes and device codes are past retention, the UI session idled out.
	v.clk.Advance(3 * time.Hour)
	v.rest(v.e.MyDomainURL, "/services/data/v65.0/limits", "nope") // any access triggers the sweep
	after := v.sizes()
	want := sizes{sessions: 0, refreshes: 3, codes: 0, devices: 0, userCodes: 0, pending: 0, browser: 0}
	if after != want {
		t.Fatalf("after purge %+v, want %+v (before %+v)", after, want, before)
	}
	// The infinite refresh tokens (Web App twice, Device App) still work; the lifetime one reads
	// exactly as before the purge.
	r := v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {str(web.m, "refresh_token")},
		"client_id": {DemoWebAppKey}, "client_secret": {"WebAppDemoSecret0001"}})
	wantOK(t, r)
	wantOAuthError(t, v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {str(life.m, "refresh_token")},
		"client_id": {keyLifetime}, "client_secret": {testSecret}}), 400, "invalid_grant", "expired access/refresh token")
	wantOAuthError(t, v.token(url.Values{"grant_type": {"device"}, "client_id": {DemoDeviceAppKey},
		"code": {str(pendingDevice.m, "device_code")}}), 400, "invalid_grant", "token exchange failed")
	// The browser's UI session idled out: authorize asks for a login again.
	req, _ = http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/authorize?"+url.Values{"response_type": {"code"},
		"client_id": {DemoWebAppKey}, "redirect_uri": {cb}}.Encode(), nil)
	if page := do(t, c, req); page.status != 200 || !strings.Contains(page.body, `id="password"`) {
		t.Errorf("expired UI session still logged in: %d %s", page.status, page.loc)
	}
}

// A rotated refresh token is kept while its family is live, so a replay still revokes the
// family (§3.4) even after sweeps.
func TestPurgeKeepsRotationReplayDetection(t *testing.T) {
	v := newEnv(t, nil)
	first := v.webServerTokens(DemoECAKey, "", DemoUser, "Demo-Pass-1")
	rt1 := str(first.m, "refresh_token")
	r := v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt1}, "client_id": {DemoECAKey}})
	wantOK(t, r)
	rt2, at2 := str(r.m, "refresh_token"), str(r.m, "access_token")
	v.clk.Advance(2 * time.Minute)
	v.e.mu.Lock()
	v.e.purge(v.e.now())
	v.e.mu.Unlock()
	wantOAuthError(t, v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt1}, "client_id": {DemoECAKey}}),
		400, "invalid_grant", "expired access/refresh token")
	wantOAuthError(t, v.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt2}, "client_id": {DemoECAKey}}),
		400, "invalid_grant", "expired access/refresh token")
	if r := v.rest(v.e.MyDomainURL, "/services/data/v65.0/limits", at2); r.status != 401 {
		t.Errorf("replay did not revoke the family's access token: %d", r.status)
	}
	// Now the whole family is revoked and goes at the next sweep.
	v.e.mu.Lock()
	v.e.purge(v.e.now())
	n := len(v.e.refreshes)
	v.e.mu.Unlock()
	if n != 0 {
		t.Errorf("%d refresh tokens left", n)
	}
}

// Sweeps are amortised: many inserts at one instant trigger a sweep every purgeMinInserts
// (or as many inserts as records kept), not one per request.
func TestPurgeAmortised(t *testing.T) {
	v := newEnv(t, nil)
	e := v.e
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.purge(now)
	sweeps := 0
	for i := 0; i < 3*purgeMinInserts; i++ {
		e.sessions[randomToken(8)] = &session{created: now, lastActivity: now, timeout: time.Hour, revoked: i%2 == 0}
		e.inserted(now)
		if e.sincePurge == 0 {
			sweeps++
		}
	}
	if sweeps != 3 {
		t.Errorf("%d sweeps for %d inserts at one instant, want 3", sweeps, 3*purgeMinInserts)
	}
	if len(e.sessions) > 2*purgeMinInserts {
		t.Errorf("%d sessions kept; revoked ones should go", len(e.sessions))
	}
	// Time also triggers a sweep while anything is stored.
	e.sessions[randomToken(8)] = &session{created: now, lastActivity: now, timeout: time.Minute}
	e.sincePurge = 1
	v.clk.Advance(2 * time.Minute)
	e.housekeep(e.now())
	if e.sincePurge != 0 {
		t.Error("no sweep after purgeEvery")
	}
}
