package sfemu

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestRESTVersions: every live version 31.0..newest answers (the sf CLI reads
// v51.0/sobjects/User/{id} after login, jsforce defaults to v50.0); 21.0..30.0 are 410
// GONE; others 404 (§15.6).
func TestRESTVersions(t *testing.T) {
	v := newEnv(t, nil)
	demo := v.user(DemoUser)
	tok := str(v.password(demo).m, "access_token")

	r := v.rest(v.e.MyDomainURL, "/services/data/", "")
	var list []map[string]string
	if err := json.Unmarshal([]byte(r.body), &list); err != nil || r.status != 200 {
		t.Fatalf("versions: %d %s", r.status, r.body)
	}
	if len(list) != 38 || list[0]["version"] != "31.0" || list[0]["label"] != "Summer '14" || list[0]["url"] != "/services/data/v31.0" ||
		list[37]["version"] != "68.0" || list[37]["label"] != "Winter '27" {
		t.Errorf("versions: %d entries, first %v, last %v", len(list), list[0], list[len(list)-1])
	}
	for _, x := range list {
		if x["version"] == "66.0" && x["label"] != "Spring '26" || x["version"] == "60.0" && x["label"] != "Spring '24" || x["version"] == "62.0" && x["label"] != "Winter '25" {
			t.Errorf("label: %v", x)
		}
	}
	for _, ver := range []string{"31.0", "50.0", "51.0", "60.0", "68.0"} {
		r := v.rest(v.e.MyDomainURL, "/services/data/v"+ver+"/sobjects/User/"+demo.ID, tok)
		if r.status != 200 || str(r.m, "Username") != DemoUser || str(r.m, "Id") != demo.ID {
			t.Errorf("v%s user: %d %s", ver, r.status, r.body)
			continue
		}
		attrs, _ := r.m["attributes"].(map[string]any)
		if str(attrs, "type") != "User" || str(attrs, "url") != "/services/data/v"+ver+"/sobjects/User/"+demo.ID {
			t.Errorf("v%s attributes: %v", ver, attrs)
		}
		if !strings.HasPrefix(r.body, `{"attributes":`) {
			t.Errorf("attributes must come first: %s", r.body)
		}
	}
	// The 15-character Id works too.
	if r := v.rest(v.e.MyDomainURL, "/services/data/v51.0/sobjects/User/"+demo.ID[:15], tok); r.status != 200 {
		t.Errorf("15-char id: %d %s", r.status, r.body)
	}
	for _, ver := range []string{"21.0", "30.0"} {
		r := v.rest(v.e.MyDomainURL, "/services/data/v"+ver+"/sobjects/User/"+demo.ID, tok)
		if r.status != 410 || !strings.HasPrefix(r.body, `[{"message":"`) || !strings.HasSuffix(r.body, `","errorCode":"GONE"}]`) {
			t.Errorf("retired v%s: %d %s", ver, r.status, r.body)
		}
	}
	for _, ver := range []string{"20.0", "69.0", "51.5", "051.0"} {
		if r := v.rest(v.e.MyDomainURL, "/services/data/v"+ver+"/limits", tok); r.status != 404 || !strings.Contains(r.body, `"errorCode":"NOT_FOUND"`) {
			t.Errorf("v%s: %d %s", ver, r.status, r.body)
		}
	}
	org := v.rest(v.e.MyDomainURL, "/services/data/v51.0/sobjects/Organization/"+v.e.Org().ID, tok)
	if org.status != 200 || str(org.m, "Name") != "Connected App Lab Demo" || org.m["IsSandbox"] != false || str(org.m, "InstanceName") != "EMU1" {
		t.Errorf("organization: %d %s", org.status, org.body)
	}
	for _, p := range []string{"/sobjects/User/005nope", "/sobjects/User/0055g00000NoOneXXX", "/sobjects/Account/001000000000001", "/sobjects/OauthToken/0CR000000000001"} {
		if r := v.rest(v.e.MyDomainURL, "/services/data/v51.0"+p, tok); r.status != 404 || r.body != `[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]` {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
	}
	// The newest version is an org setting.
	o := testOrg()
	o.LatestAPIVersion = "66.0"
	v2 := newEnv(t, o)
	tok2 := str(v2.password(v2.user(DemoUser)).m, "access_token")
	if r := v2.rest(v2.e.MyDomainURL, "/services/data/v67.0/limits", tok2); r.status != 404 {
		t.Errorf("v67.0 with newest 66.0: %d", r.status)
	}
	if r := v2.rest(v2.e.MyDomainURL, "/services/data/v66.0/limits", tok2); r.status != 200 {
		t.Errorf("v66.0 with newest 66.0: %d", r.status)
	}
	bad := testOrg()
	bad.LatestAPIVersion = "30.0"
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "latest_api_version") {
		t.Errorf("latest_api_version 30.0: %v", err)
	}
}

func (v *env) query(tok, q string) resp {
	v.t.Helper()
	return v.rest(v.e.MyDomainURL, "/services/data/v51.0/query?q="+url.QueryEscape(q), tok)
}

// TestSOQLQuery covers the SOQL subset's answers and Salesforce's error array for
// everything beyond it.
func TestSOQLQuery(t *testing.T) {
	v := newEnv(t, nil)
	tok := str(v.password(v.user(DemoUser)).m, "access_token")
	type rec = map[string]any
	records := func(r resp) []rec {
		t.Helper()
		var out struct {
			TotalSize int   `json:"totalSize"`
			Done      bool  `json:"done"`
			Records   []rec `json:"records"`
		}
		if r.status != 200 || json.Unmarshal([]byte(r.body), &out) != nil || !out.Done || out.TotalSize != len(out.Records) {
			t.Fatalf("query: %d %s", r.status, r.body)
		}
		return out.Records
	}
	all := records(v.query(tok, "SELECT Id, Username FROM User"))
	if len(all) != len(v.e.Org().Users) {
		t.Errorf("all users: %d", len(all))
	}
	one := records(v.query(tok, "select username, IsActive from user where USERNAME = '"+strings.ToUpper(DemoUser)+"'"))
	if len(one) != 1 || str(one[0], "Username") != DemoUser || one[0]["IsActive"] != true || len(one[0]) != 3 {
		t.Errorf("one user: %v", one)
	}
	if attrs, _ := one[0]["attributes"].(rec); str(attrs, "type") != "User" || str(attrs, "url") != "/services/data/v51.0/sobjects/User/"+v.user(DemoUser).ID {
		t.Errorf("attributes: %v", one[0])
	}
	inactive := records(v.query(tok, "SELECT Username FROM User WHERE IsActive = false"))
	if len(inactive) != 1 || str(inactive[0], "Username") != userInactive {
		t.Errorf("inactive: %v", inactive)
	}
	both := records(v.query(tok, "SELECT Id FROM User WHERE IsActive = true AND Id = '"+v.user(DemoAdminUser).ID[:15]+"'"))
	if len(both) != 1 || str(both[0], "Id") != v.user(DemoAdminUser).ID {
		t.Errorf("AND with a 15-char Id: %v", both)
	}
	ordered := records(v.query(tok, "SELECT Username FROM User ORDER BY Username DESC LIMIT 2"))
	if len(ordered) != 2 || str(ordered[0], "Username") != "shortsession@connectedapplab.example" || str(ordered[1], "Username") != "restricted@connectedapplab.example" {
		t.Errorf("order/limit: %v", ordered)
	}
	nullFirst := records(v.query(tok, "SELECT FirstName FROM User ORDER BY FirstName"))
	if nullFirst[0]["FirstName"] != nil {
		t.Errorf("nulls first: %v", nullFirst)
	}
	if qa := v.rest(v.e.MyDomainURL, "/services/data/v50.0/queryAll/?q="+url.QueryEscape("SELECT Id FROM User"), tok); len(records(qa)) != len(all) {
		t.Errorf("queryAll: %s", qa.body)
	}
	if none := records(v.query(tok, "SELECT Id FROM User WHERE Username = 'nobody' LIMIT 0")); len(none) != 0 {
		t.Errorf("none: %v", none)
	}
	org := records(v.query(tok, "SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix FROM Organization"))
	if len(org) != 1 || str(org[0], "Name") != "Connected App Lab Demo" || org[0]["TrialExpirationDate"] != nil {
		t.Errorf("organization: %v", org)
	}
	if r := v.query(tok, "SELECT Id FROM User WHERE Email = null"); len(records(r)) != 0 {
		t.Errorf("Email = null: %s", r.body)
	}

	errs := []struct{ q, code, contains string }{
		{"", "MALFORMED_QUERY", "A query string has to be specified"},
		{"SELECT FROM User", "MALFORMED_QUERY", "ERROR at Row:1:Column:8\nunexpected token: FROM"},
		{"SELECT Id FROM User WHERE Username != 'x'", "MALFORMED_QUERY", "unexpected token: !="},
		{"SELECT Id FROM User WHERE Username = 'a' OR Username = 'b'", "MALFORMED_QUERY", "unexpected token: OR"},
		{"SELECT Id FROM User WHERE Username LIKE 'a%'", "MALFORMED_QUERY", "unexpected token: LIKE"},
		{"SELECT Id FROM User WHERE Username IN ('a')", "MALFORMED_QUERY", "unexpected token: IN"},
		{"SELECT COUNT() FROM User", "MALFORMED_QUERY", "COUNT("},
		{"SELECT Id FROM User LIMIT 5 OFFSET 1", "MALFORMED_QUERY", "unexpected token: OFFSET"},
		{"SELECT Id FROM User ORDER BY Username NULLS LAST", "MALFORMED_QUERY", "unexpected token: NULLS"},
		{"SELECT Id, (SELECT Id FROM Contacts) FROM User", "MALFORMED_QUERY", "unexpected token: ("},
		{"SELECT Id FROM User WHERE Username = 'unterminated", "MALFORMED_QUERY", "expecting '''"},
		{"SELECT Id, Id FROM User", "MALFORMED_QUERY", "duplicate field selected: Id"},
		{"SELECT Id FROM User LIMIT -1", "MALFORMED_QUERY", "unexpected token: -"},
		{"SELECT Id FROM User extra", "MALFORMED_QUERY", "unexpected token: extra"},
		{"SELECT Id FROM Account", "INVALID_TYPE", "sObject type 'Account' is not supported."},
		{"SELECT Id FROM ScratchOrgInfo limit 1", "INVALID_TYPE", "ERROR at Row:1:Column:16\nsObject type 'ScratchOrgInfo' is not supported."},
		{"SELECT Id FROM OauthToken", "INVALID_TYPE", "sObject type 'OauthToken' is not supported."}, // not an admin
		{"SELECT Nope FROM User", "INVALID_FIELD", "No such column 'Nope' on entity 'User'."},
		{"SELECT Profile.Name FROM User", "INVALID_FIELD", "No such column 'Profile.Name' on entity 'User'."},
		{"SELECT Id FROM User WHERE Nope = 'x'", "INVALID_FIELD", "No such column 'Nope'"},
		{"SELECT Id FROM User WHERE IsActive = 'true'", "INVALID_QUERY_FILTER_OPERATOR", "must be of type boolean and should not be enclosed in quotes"},
		{"SELECT Id FROM User WHERE Username = 5", "INVALID_QUERY_FILTER_OPERATOR", "must be of type string and should be enclosed in quotes"},
		{"SELECT Id FROM User WHERE Id = 'abc'", "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: abc"},
		{"SELECT Id FROM User WHERE CreatedDate = 2026-01-01T00:00:00Z", "MALFORMED_QUERY", "compares date fields only with null"},
	}
	for _, row := range errs {
		r := v.query(tok, row.q)
		var arr []map[string]string
		if r.status != 400 || json.Unmarshal([]byte(r.body), &arr) != nil || len(arr) != 1 || arr[0]["errorCode"] != row.code ||
			!strings.Contains(arr[0]["message"], row.contains) || !strings.HasPrefix(r.body, `[{"message":`) {
			t.Errorf("%q: %d %s", row.q, r.status, r.body)
		}
	}
	// The message layout: "\n<query>\n<caret>\nERROR at Row:1:Column:N\n<text>".
	r := v.query(tok, "SELECT Nope FROM User")
	var arr []map[string]string
	json.Unmarshal([]byte(r.body), &arr)
	if want := "\nSELECT Nope FROM User\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nope' on entity 'User'."; !strings.HasPrefix(arr[0]["message"], want) {
		t.Errorf("layout: %q", arr[0]["message"])
	}
	// Session rules apply (§5.1).
	if r := v.query("00Dnope!x", "SELECT Id FROM User"); r.status != 401 || r.body != bodyExpired {
		t.Errorf("bad token: %d %s", r.status, r.body)
	}
}

// FuzzSOQL: the parser never panics, refuses with a known error code, and an accepted
// query runs over real rows without panicking.
func FuzzSOQL(f *testing.F) {
	for _, s := range []string{
		"SELECT Id FROM User", "select Username, IsActive from USER where username = 'a\\'b' and IsActive = TRUE order by Username desc limit 3",
		"SELECT Id FROM OauthToken WHERE UseCount = 2 ORDER BY CreatedDate", "SELECT Name FROM Organization WHERE Name = null",
		"SELECT", "SELECT Id FROM", "SELECT Id FROM User WHERE", "SELECT Id FROM User WHERE Id = '", "'\\", "SELECT Id FROM User LIMIT 99999999999999999999",
		"SELECT Id FROM User WHERE UseCount = 1", "SELECT UseCount FROM OauthToken WHERE UseCount = 4294967296", "\x00\xff", "SELECT Id,FROM User",
	} {
		f.Add(s)
	}
	e := &Emulator{org: testOrg()}
	rows := []soqlRecord{e.orgRecord()}
	for i := range e.org.Users {
		rows = append(rows, e.userRecord(&e.org.Users[i]))
	}
	known := map[string]bool{"MALFORMED_QUERY": true, "INVALID_FIELD": true, "INVALID_TYPE": true, "INVALID_QUERY_FILTER_OPERATOR": true}
	f.Fuzz(func(t *testing.T, q string) {
		sq, err := parseSOQL(q)
		if err != nil {
			if !known[err.code] || err.msg == "" {
				t.Fatalf("%q: %v", q, err)
			}
			if utf8.ValidString(q) && !utf8.ValidString(err.msg) {
				t.Fatalf("%q: invalid UTF-8 in message", q)
			}
			return
		}
		out := sq.run(rows)
		if sq.limit >= 0 && len(out) > sq.limit {
			t.Fatalf("%q: %d rows over LIMIT %d", q, len(out), sq.limit)
		}
	})
}

// TestSalesforceCLISequence replays what `sf org login web` does against the demo org with
// the CLI's own PlatformCLI app: web server flow with PKCE and no secret, then the REST
// calls it makes after login (versions, v51.0 User record, Organization query, the
// ScratchOrgInfo probe), a refresh without a secret, and the frontdoor of `sf org open`.
func TestSalesforceCLISequence(t *testing.T) {
	v := newEnv(t, Demo())
	tok := v.webServerTokens(DemoSalesforceCLIKey, "", DemoUser, "Demo-Pass-1")
	at, rt := str(tok.m, "access_token"), str(tok.m, "refresh_token")
	if at == "" || rt == "" || str(tok.m, "scope") != "refresh_token api web" {
		t.Fatalf("token: %s", tok.body)
	}
	demo := v.user(DemoUser)
	for _, p := range []string{"/services/data", "/services/data/v51.0/sobjects/User/" + demo.ID,
		"/services/data/v68.0/query?q=" + url.QueryEscape("SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix FROM Organization WHERE Id = '"+v.e.Org().ID+"'")} {
		if r := v.rest(v.e.MyDomainURL, p, at); r.status != 200 {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
	}
	if r := v.query(at, "SELECT Id FROM ScratchOrgInfo limit 1"); r.status != 400 || !strings.Contains(r.body, `"errorCode":"INVALID_TYPE"`) {
		t.Errorf("ScratchOrgInfo probe: %d %s", r.status, r.body)
	}
	wantOK(t, v.refresh(DemoSalesforceCLIKey, "", rt))
	if r := v.rest(v.e.MyDomainURL, "/services/oauth2/singleaccess?redirect_uri="+url.QueryEscape("/lightning/setup/FlexiPageList/home"), at); r.status != 200 || str(r.m, "frontdoor_uri") == "" {
		t.Errorf("singleaccess: %d %s", r.status, r.body)
	}
}
