package sfemu

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func (v *env) refresh(clientID, secret, rt string) resp {
	v.t.Helper()
	f := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {clientID}}
	if secret != "" {
		f.Set("client_secret", secret)
	}
	return v.token(f)
}

type tokenRow struct {
	ID, AppName, UserID, DeleteToken, CreatedDate, LastUsedDate string
	AppMenuItemID                                               *string
	UseCount                                                    int
}

func (v *env) oauthTokens(adminTok, where string) []tokenRow {
	v.t.Helper()
	r := v.query(adminTok, "SELECT Id, AppName, AppMenuItemId, UserId, CreatedDate, LastUsedDate, UseCount, DeleteToken FROM OauthToken "+where+" ORDER BY CreatedDate")
	var out struct {
		Records []struct {
			Attributes    map[string]string `json:"attributes"`
			ID            string            `json:"Id"`
			AppName       string            `json:"AppName"`
			AppMenuItemID *string           `json:"AppMenuItemId"`
			UserID        string            `json:"UserId"`
			CreatedDate   string            `json:"CreatedDate"`
			LastUsedDate  string            `json:"LastUsedDate"`
			UseCount      int               `json:"UseCount"`
			DeleteToken   string            `json:"DeleteToken"`
		} `json:"records"`
	}
	if r.status != 200 || json.Unmarshal([]byte(r.body), &out) != nil {
		v.t.Fatalf("OauthToken query: %d %s", r.status, r.body)
	}
	var rows []tokenRow
	for _, x := range out.Records {
		if x.Attributes["type"] != "OauthToken" || !strings.HasPrefix(x.ID, "0CR") || len(x.ID) != 18 {
			v.t.Errorf("record: %+v", x)
		}
		rows = append(rows, tokenRow{x.ID, x.AppName, x.UserID, x.DeleteToken, x.CreatedDate, x.LastUsedDate, x.AppMenuItemID, x.UseCount})
	}
	return rows
}

// TestFiveApprovals: each user keeps at most five approvals per app; the sixth revokes the
// oldest, whose refresh token then fails; each is an OauthToken record an admin can query
// and revoke by DeleteToken, and the user's own revoke removes it (§15.1).
func TestFiveApprovals(t *testing.T) {
	v := newEnv(t, Demo())
	const key, secret = DemoApprovalsAppKey, "ApprovalsAppDemoSecret0007"
	admin := v.adminToken()
	demo := v.user(DemoUser)
	var rts, ats []string
	for i := 0; i < 6; i++ {
		r := v.webServerTokens(key, secret, DemoUser, "Demo-Pass-1")
		rts, ats = append(rts, str(r.m, "refresh_token")), append(ats, str(r.m, "access_token"))
		v.clk.Advance(time.Minute)
	}
	// Another user's approvals of the same app count separately.
	adminRT := str(v.webServerTokens(key, secret, DemoAdminUser, "Admin-Pass-1").m, "refresh_token")

	wantOAuthError(t, v.refresh(key, secret, rts[0]), 400, "invalid_grant", "expired access/refresh token")
	if r := v.rest(v.e.MyDomainURL, "/services/data/v68.0/limits", ats[0]); r.status != 401 {
		t.Errorf("the evicted approval's access token still works: %d", r.status)
	}
	for i := 1; i < 6; i++ {
		wantOK(t, v.refresh(key, secret, rts[i]))
	}
	wantOK(t, v.refresh(key, secret, adminRT))

	rows := v.oauthTokens(admin, "WHERE UserId = '"+demo.ID+"'")
	if len(rows) != 5 {
		t.Fatalf("%d OauthToken rows for the demo user, want 5", len(rows))
	}
	for _, row := range rows {
		if row.AppName != "Approvals App" || row.UserID != demo.ID || row.AppMenuItemID == nil || !strings.HasPrefix(*row.AppMenuItemID, "0DS") ||
			row.UseCount != 2 || row.DeleteToken == "" || row.LastUsedDate <= row.CreatedDate {
			t.Errorf("row: %+v", row)
		}
	}
	if all := v.oauthTokens(admin, "WHERE AppName = 'approvals app'"); len(all) != 6 {
		t.Errorf("%d rows for the app, want 6 (5 + the admin's)", len(all))
	}

	// An admin revokes the oldest remaining approval (rts[1]) by its DeleteToken.
	res, err := plain.Get(v.e.LoginURL + "/services/oauth2/revoke?token=" + url.QueryEscape(rows[0].DeleteToken))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("revoke by DeleteToken: %v %v", res, err)
	}
	res.Body.Close()
	wantOAuthError(t, v.refresh(key, secret, rts[1]), 400, "invalid_grant", "expired access/refresh token")
	if got := v.oauthTokens(admin, "WHERE UserId = '"+demo.ID+"'"); len(got) != 4 {
		t.Errorf("%d rows after revoking one, want 4", len(got))
	}
	// The same DeleteToken again is an unknown token.
	res, _ = plain.Get(v.e.LoginURL + "/services/oauth2/revoke?token=" + url.QueryEscape(rows[0].DeleteToken))
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Errorf("DeleteToken reused: %d", res.StatusCode)
	}
	// The user's own revoke of a refresh token removes its record.
	req, _ := http.NewRequest(http.MethodPost, v.e.LoginURL+"/services/oauth2/revoke", strings.NewReader(url.Values{"token": {rts[2]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := do(t, plain, req); r.status != 200 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if got := v.oauthTokens(admin, "WHERE UserId = '"+demo.ID+"'"); len(got) != 3 || got[0].ID != rows[2].ID {
		t.Errorf("after the user's revoke: %+v", got)
	}
	// sobjects/OauthToken/{id} for the admin.
	if r := v.rest(v.e.MyDomainURL, "/services/data/v68.0/sobjects/OauthToken/"+rows[3].ID, admin); r.status != 200 || str(r.m, "AppName") != "Approvals App" {
		t.Errorf("OauthToken record: %d %s", r.status, r.body)
	}
}

// TestRotationFamilyAndGrace: reusing a rotated-out refresh token revokes the whole family
// (§15.2) unless it comes within the app's grace period.
func TestRotationFamilyAndGrace(t *testing.T) {
	for _, grace := range []int{0, 30} {
		o := Demo()
		for i := range o.Apps {
			if o.Apps[i].ConsumerKey == DemoECAKey {
				o.Apps[i].RefreshTokenReuseGraceSeconds = grace
			}
		}
		v := newEnv(t, o)
		first := v.webServerTokens(DemoECAKey, "", DemoUser, "Demo-Pass-1")
		rt1 := str(first.m, "refresh_token")
		second := v.refresh(DemoECAKey, "", rt1)
		wantOK(t, second)
		rt2 := str(second.m, "refresh_token")
		if rt2 == "" || rt2 == rt1 {
			t.Fatalf("rotation: %s", second.body)
		}
		v.clk.Advance(10 * time.Second)
		reuse := v.refresh(DemoECAKey, "", rt1)
		if grace == 0 {
			wantOAuthError(t, reuse, 400, "invalid_grant", "expired access/refresh token")
			wantOAuthError(t, v.refresh(DemoECAKey, "", rt2), 400, "invalid_grant", "expired access/refresh token")
			if r := v.rest(v.e.MyDomainURL, "/services/data/v68.0/limits", str(second.m, "access_token")); r.status != 401 {
				t.Errorf("the family's access token survived: %d", r.status)
			}
			continue
		}
		wantOK(t, reuse) // within the grace period
		v.clk.Advance(30 * time.Second)
		wantOAuthError(t, v.refresh(DemoECAKey, "", rt1), 400, "invalid_grant", "expired access/refresh token")
		wantOAuthError(t, v.refresh(DemoECAKey, "", str(reuse.m, "refresh_token")), 400, "invalid_grant", "expired access/refresh token")
	}
}

// TestIdleRefreshLimit: Spring '26's 30-day idle limit and its effect on each policy (§15.3).
func TestIdleRefreshLimit(t *testing.T) {
	day := 24 * time.Hour
	rows := []struct {
		name, policy string
		off          bool
		uses         []time.Duration // waits before each refresh
		ok           []bool
	}{
		{"valid until revoked: 30 days idle", "", false, []time.Duration{29 * day, 29 * day, 31 * day}, []bool{true, true, false}},
		{"valid until revoked, limit off", "", true, []time.Duration{400 * day}, []bool{true}},
		{"expire after 3 months keeps its limit", "specific_lifetime:3:MONTHS", false, []time.Duration{25 * day, 25 * day, 25 * day, 25 * day}, []bool{true, true, true, false}},
		{"expire after 3 months gains the idle limit", "specific_lifetime:3:MONTHS", false, []time.Duration{31 * day}, []bool{false}},
		{"expire if unused for 2 months is capped at 30 days", "specific_inactivity:2:MONTHS", false, []time.Duration{29 * day, 31 * day}, []bool{true, false}},
		{"expire if unused for 2 months, limit off", "specific_inactivity:2:MONTHS", true, []time.Duration{45 * day}, []bool{true}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			o := Demo()
			o.NoIdleRefreshTokenLimit = row.off
			for i := range o.Apps {
				if o.Apps[i].ConsumerKey == DemoWebAppKey {
					o.Apps[i].RefreshTokenPolicy = row.policy
				}
			}
			v := newEnv(t, o)
			rt := str(v.webServerTokens(DemoWebAppKey, "WebAppDemoSecret0001", DemoUser, "Demo-Pass-1").m, "refresh_token")
			for i, wait := range row.uses {
				v.clk.Advance(wait)
				r := v.refresh(DemoWebAppKey, "WebAppDemoSecret0001", rt)
				if row.ok[i] {
					wantOK(t, r)
				} else {
					wantOAuthError(t, r, 400, "invalid_grant", "expired access/refresh token")
				}
			}
		})
	}
}

// TestECASettings: the refresh token IP allowlist, app_not_found for an External Client
// App that is not installed, and the device flow rule of November 30, 2026.
func TestECASettings(t *testing.T) {
	withECA := func(mod func(a *App)) *Org {
		o := Demo()
		for i := range o.Apps {
			if o.Apps[i].ConsumerKey == DemoECAKey {
				mod(&o.Apps[i])
			}
		}
		return o
	}
	// Allowlist excluding the loopback caller: both the code exchange and the refresh fail.
	v := newEnv(t, withECA(func(a *App) { a.RefreshTokenIPAllowlist = []string{"10.0.0.0/8", "192.0.2.7"} }))
	ver, ch := pkcePair()
	code := v.codeFor(DemoECAKey, DemoUser, "Demo-Pass-1", url.Values{"code_challenge": {ch}})
	wantOAuthError(t, v.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {DemoECAKey},
		"redirect_uri": {cb}, "code_verifier": {ver}}), 400, "invalid_grant", "ip restricted")
	v = newEnv(t, withECA(func(a *App) { a.RefreshTokenIPAllowlist = []string{"127.0.0.0/8"} }))
	rt := str(v.webServerTokens(DemoECAKey, "", DemoUser, "Demo-Pass-1").m, "refresh_token")
	wantOK(t, v.refresh(DemoECAKey, "", rt))
	o := withECA(func(a *App) { a.RefreshTokenIPAllowlist = []string{"192.0.2.7"} })
	o.Behaviour.RefreshIPAllowlistError, o.Behaviour.RefreshIPAllowlistDescription = "access_denied", "ip not allowlisted"
	v = newEnv(t, o)
	ver, ch = pkcePair()
	code = v.codeFor(DemoECAKey, DemoUser, "Demo-Pass-1", url.Values{"code_challenge": {ch}})
	wantOAuthError(t, v.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {DemoECAKey},
		"redirect_uri": {cb}, "code_verifier": {ver}}), 400, "access_denied", "ip not allowlisted")
	for _, bad := range [][]string{{"10.0.0.0/33"}, {"nope"}} {
		if err := withECA(func(a *App) { a.RefreshTokenIPAllowlist = bad }).Validate(); err == nil || !strings.Contains(err.Error(), "refresh_token_ip_allowlist") {
			t.Errorf("allowlist %v: %v", bad, err)
		}
	}
	ca := Demo()
	ca.Apps[0].RefreshTokenIPAllowlist = []string{"127.0.0.1"}
	if err := ca.Validate(); err == nil || !strings.Contains(err.Error(), "only External Client Apps") {
		t.Errorf("allowlist on a Connected App: %v", err)
	}

	// app_not_found for an External Client App that is not installed.
	v = newEnv(t, withECA(func(a *App) { a.Installed = false }))
	wantOAuthError(t, v.refresh(DemoECAKey, "", "5Aepnope"), 400, "app_not_found", "External client app is not installed in this org")
	wantOAuthError(t, v.token(url.Values{"grant_type": {"authorization_code"}, "code": {"aPrx"}, "client_id": {DemoECAKey}}), 400, "app_not_found", "External client app is not installed in this org")

	// The device flow from November 30, 2026 (org clock): only External Client Apps with a
	// localhost callback.
	o = testOrg()
	o.Apps = append(o.Apps, App{Name: "CA Device", Kind: KindConnectedApp, ConsumerKey: "3MVGcaDevice", CallbackURLs: []string{cb},
		Scopes: []string{"api", "refresh_token"}, DeviceFlowEnabled: true, PermittedUsers: AllSelfAuthorized, Installed: true},
		App{Name: "ECA Remote", Kind: KindExternalClientApp, ConsumerKey: "3MVGecaRemote", CallbackURLs: []string{"https://app.example/cb"},
			Scopes: []string{"api"}, DeviceFlowEnabled: true, PermittedUsers: AllSelfAuthorized, Installed: true})
	v = newEnv(t, o)
	start := func(key string) resp {
		return v.token(url.Values{"response_type": {"device_code"}, "client_id": {key}})
	}
	wantOK(t, start("3MVGcaDevice")) // before the date (t0 is March 2026)
	v.clk.Set(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	wantOAuthError(t, start("3MVGcaDevice"), 400, "invalid_grant", "device flow is not enabled for the app")
	wantOAuthError(t, start("3MVGecaRemote"), 400, "invalid_grant", "device flow is not enabled for the app")
	wantOK(t, start(DemoDeviceAppKey)) // an External Client App with a localhost callback
	o.Behaviour.DeviceFlowECAOnlyFrom = "never"
	v = newEnv(t, o)
	v.clk.Set(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	wantOK(t, start("3MVGcaDevice"))
	o.Behaviour.DeviceFlowECAOnlyFrom = "30/11/2026"
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "device_flow_eca_only_from") {
		t.Errorf("bad date: %v", err)
	}
}

// An approval whose refresh token has expired and been purged is no longer listed.
func TestOauthTokenPurged(t *testing.T) {
	o := Demo()
	for i := range o.Apps {
		if o.Apps[i].ConsumerKey == DemoApprovalsAppKey {
			o.Apps[i].RefreshTokenPolicy = "specific_lifetime:1:HOURS"
		}
	}
	v := newEnv(t, o)
	admin := v.adminToken()
	v.webServerTokens(DemoApprovalsAppKey, "ApprovalsAppDemoSecret0007", DemoUser, "Demo-Pass-1")
	if n := len(v.oauthTokens(admin, "WHERE AppName = 'Approvals App'")); n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
	v.clk.Advance(2 * time.Hour) // past the policy; the next request's housekeeping purges it
	admin = v.adminToken()
	if n := len(v.oauthTokens(admin, "WHERE AppName = 'Approvals App'")); n != 0 {
		t.Errorf("%d rows after the refresh token expired, want 0", n)
	}
}
