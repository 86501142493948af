package sfemu

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	bodyExpired = `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`
	bodyNotREST = `[{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}]`
)

// TestRESTSurface: versions, resources, limits; 401 INVALID_SESSION_ID for unknown tokens
// and for tokens without api/full scope (§5.1).
func TestRESTSurface(t *testing.T) {
	v := newEnv(t, nil)
	good := str(v.password(v.user(DemoUser)).m, "access_token")
	webOnly := v.token(url.Values{"grant_type": {"password"}, "client_id": {keyWebOnly}, "client_secret": {testSecret},
		"username": {DemoUser}, "password": {"Demo-Pass-1DEMOTOKEN1"}})
	wantOK(t, webOnly)
	rows := []struct {
		name, path, tok string
		status          int
		body            string // exact body, or "" to only check a JSON 200
		contains        string
	}{
		{"versions without a token", "/services/data/", "", 200, "", `"version":"65.0"`},
		{"versions with a bad token", "/services/data/", "00Dnope!x", 401, bodyExpired, ""},
		{"resources", "/services/data/v65.0/", good, 200, "", `"limits":"/services/data/v65.0/limits"`},
		{"limits", "/services/data/v65.0/limits", good, 200, "", `"DailyApiRequests":{"Max":15000`},
		{"user record", "/services/data/v65.0/sobjects/User/" + v.user(DemoUser).ID, good, 200, "", `"Username":"` + DemoUser + `"`},
		{"unknown token", "/services/data/v65.0/limits", "00Dnope!x", 401, bodyExpired, ""},
		{"no token", "/services/data/v65.0/limits", "", 401, bodyExpired, ""},
		{"no api scope", "/services/data/v65.0/limits", str(webOnly.m, "access_token"), 401, bodyNotREST, ""},
		{"unknown resource", "/services/data/v65.0/nope", good, 404, `[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`, ""},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			r := v.rest(v.e.MyDomainURL, row.path, row.tok)
			if r.status != row.status || r.ct != ctJSON || (row.body != "" && r.body != row.body) || !strings.Contains(r.body, row.contains) {
				t.Fatalf("%d %q %s", r.status, r.ct, r.body)
			}
		})
	}
}

// Userinfo (§4.3) and the identity URL (§4.4): fields, Bearer or oauth_token, XML.
func TestUserinfoAndIdentity(t *testing.T) {
	v := newEnv(t, nil)
	demo := v.user(DemoUser)
	tok := str(v.password(demo).m, "access_token")
	ui := v.rest(v.e.LoginURL, "/services/oauth2/userinfo", tok)
	wantOK(t, ui)
	for _, k := range []string{"sub", "user_id", "organization_id", "preferred_username", "nickname", "name", "email", "email_verified",
		"given_name", "family_name", "zoneinfo", "photos", "profile", "picture", "address", "is_salesforce_integration_user", "urls",
		"active", "user_type", "language", "locale", "utcOffset", "updated_at", "is_app_installed"} {
		if _, ok := ui.m[k]; !ok {
			t.Errorf("userinfo lacks %s", k)
		}
	}
	idURL := "/id/" + v.e.Org().ID + "/" + demo.ID
	if str(ui.m, "sub") != v.e.LoginURL+idURL || str(ui.m, "preferred_username") != DemoUser {
		t.Errorf("userinfo: %s", ui.body)
	}
	req, _ := http.NewRequest(http.MethodGet, v.e.LoginURL+idURL+"?version=latest&oauth_token="+url.QueryEscape(tok), nil)
	id := do(t, plain, req)
	wantOK(t, id)
	for _, k := range []string{"id", "asserted_user", "user_id", "organization_id", "username", "nick_name", "display_name", "email",
		"email_verified", "first_name", "last_name", "timezone", "photos", "addr_street", "addr_city", "addr_state", "addr_country",
		"addr_zip", "mobile_phone", "mobile_phone_verified", "is_lightning_login_user", "status", "urls", "active", "user_type",
		"language", "locale", "utcOffset", "last_modified_date", "is_app_installed"} {
		if _, ok := id.m[k]; !ok {
			t.Errorf("identity lacks %s", k)
		}
	}
	urls, _ := id.m["urls"].(map[string]any)
	if str(urls, "rest") != v.e.MyDomainURL+"/services/data/v68.0/" || str(ui.m["urls"].(map[string]any), "rest") != v.e.MyDomainURL+"/services/data/v{version}/" {
		t.Errorf("urls: identity %v / userinfo %v", urls["rest"], ui.m["urls"])
	}
	req, _ = http.NewRequest(http.MethodGet, v.e.LoginURL+idURL+"?format=xml", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	x := do(t, plain, req)
	if x.status != 200 || x.ct != ctXML || !strings.Contains(x.body, "<username>"+DemoUser+"</username>") {
		t.Errorf("identity XML: %d %q %s", x.status, x.ct, x.body)
	}
	for _, path := range []string{"/services/oauth2/userinfo", idURL} {
		if r := v.rest(v.e.LoginURL, path, "00Dnope!x"); r.status != 403 || r.body != "Bad_OAuth_Token" {
			t.Errorf("%s with a bad token: %d %s", path, r.status, r.body)
		}
	}
	if r := v.rest(v.e.LoginURL, "/id/"+v.e.Org().ID+"/"+v.user(DemoShortUser).ID, tok); r.status != 403 {
		t.Errorf("another user's identity URL: %d %s", r.status, r.body)
	}
}

// Discovery (§1.3) lists this host's endpoints.
func TestDiscovery(t *testing.T) {
	v := newEnv(t, nil)
	for _, base := range []string{v.e.LoginURL, v.e.MyDomainURL} {
		r := v.rest(base, "/.well-known/openid-configuration", "")
		wantOK(t, r)
		var d map[string]any
		json.Unmarshal([]byte(r.body), &d)
		if str(d, "issuer") != base || str(d, "token_endpoint") != base+"/services/oauth2/token" || str(d, "jwks_uri") != base+"/id/keys" ||
			str(d, "introspection_endpoint") != base+"/services/oauth2/introspect" || len(d) != 15 {
			t.Errorf("discovery on %s: %s", base, r.body)
		}
		if _, ok := d["code_challenge_methods_supported"]; ok {
			t.Error("the captured document has no code_challenge_methods_supported (§1.3)")
		}
	}
}

// A doubled slash after the host (the Salesforce CLI after an access-token login, jsforce
// with an instance URL ending in "/") is served as the single-slash path, not redirected.
func TestDoubleSlashPaths(t *testing.T) {
	v := newEnv(t, nil)
	tok := str(v.password(v.user(DemoUser)).m, "access_token")
	for _, p := range []string{"//services/data", "//services/data/v50.0/query?q=SELECT+Id+FROM+User", "/services//data/v51.0//limits"} {
		r := v.rest(v.e.MyDomainURL, p, tok)
		if r.status != 200 || r.loc != "" {
			t.Errorf("%s: %d %q %s", p, r.status, r.loc, r.body)
		}
	}
}
