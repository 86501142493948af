package guidance

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Salesforce's documented wordings, each with the page it comes from, and the catalogue entry it
// must reach. Variants (case, punctuation, extra words) are derived from each.
var documentedWordings = []struct {
	code, desc, rule string
	cite             string
}{
	// REST API Developer Guide, "Understanding the User-Agent OAuth Authentication Flow" (v206),
	// error list (also Salesforce Help remoteaccess_oauth_user_agent_flow):
	{"unsupported_response_type", "response type not supported", "unsupported-response-type", "REST-USERAGENT-206"},
	{"invalid_client_id", "client identifier invalid", "invalid-client-id", "REST-USERAGENT-206"},
	{"invalid_request", "HTTPS required", "https-required", "REST-USERAGENT-206"},
	{"invalid_request", "Must use HTTP GET", "wrong-http-method", "REST-USERAGENT-206"},
	{"invalid_request", "Out-of-band not supported", "out-of-band", "REST-USERAGENT-206"},
	{"access_denied", "User denied authorization", "access-denied", "REST-USERAGENT-206"},
	{"redirect_uri_missing", "Redirect_uri not provided", "redirect-uri-missing", "REST-USERAGENT-206"},
	{"redirect_uri_mismatch", "Redirect_uri mismatch with connected app object", "redirect-uri-mismatch", "REST-USERAGENT-206"},
	{"immediate_unsuccessful", "Immediate unsuccessful", "immediate-unsuccessful", "REST-USERAGENT-206"},
	{"invalid_grant", "Invalid user credentials", "authentication-failure", "REST-USERAGENT-206"},
	{"invalid_grant", "IP restricted or invalid login hours", "ip-restricted-or-login-hours", "REST-USERAGENT-206"},
	{"inactive_user", "User is inactive", "inactive-user", "REST-USERAGENT-206"},
	{"inactive_org", "Org is locked, closed, or suspended", "inactive-org", "REST-USERAGENT-206"},
	{"rate_limit_exceeded", "Number of logins exceeded", "login-rate-exceeded", "REST-USERAGENT-206"},
	{"invalid_scope", "Requested scope is invalid, unknown, or malformed", "invalid-scope", "REST-USERAGENT-206"},
	// REST API Developer Guide, "Understanding the Web Server OAuth Authentication Flow" (v188):
	{"invalid_request", "must use HTTP POST", "wrong-http-method", "REST-WEBSERVER-188"},
	{"invalid_client_credentials", "client secret invalid", "invalid-client-secret", "REST-WEBSERVER-188"},
	{"invalid_grant", "invalid authorization code", "authorization-code", "REST-WEBSERVER-188"},
	{"invalid_request", "secret type not supported", "secret-type", "REST-WEBSERVER-188"},
	{"inactive_org", "organization is locked, closed, or suspended", "inactive-org", "REST-WEBSERVER-188"},
	// Salesforce Help, "OAuth 2.0 Authorization Errors" (remoteaccess_oauth_flow_errors):
	{"access_denied", "end-user denied authorization", "access-denied", "HELP-FLOW-ERRORS"},
	{"invalid_grant", "Audience validation failed", "audience", "HELP-FLOW-ERRORS"},
	{"invalid_grant", "expired access/refresh token", "refresh-token-expired", "HELP-FLOW-ERRORS"},
	// REST API Developer Guide, "Status Codes and Error Responses"; 401 body as observed
	// (SalesforcePy fixture login_response_401.json, jsforce PR 1301):
	{"INVALID_SESSION_ID", "Session expired or invalid", "rest-session-expired", "SALESFORCEPY-FIXTURES"},
	{"INVALID_SESSION_ID", "This session is not valid for use with the REST API", "rest-session-not-valid-for-rest", "JSFORCE-PR-1301"},
	{"REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded", "rest-request-limit", "REST errorcodes"},
	{"API_DISABLED_FOR_ORG", "API is not enabled for this Organization or Partner", "api-disabled", "REST errorcodes"},
	// SOAP API login() and its faults (reference §15.6, dataloadercliq#84, WSC-363, HappySoup#214):
	{"INVALID_LOGIN", "Invalid username, password, security token; or user locked out.", "soap-invalid-login", "SOAP login()"},
	{"LOGIN_MUST_USE_SECURITY_TOKEN", "", "soap-must-use-security-token", "SOAP login()"},
	{"API_DISABLED_FOR_ORG", "", "api-disabled", "SOAP login()"},
	{"LOGIN_DURING_RESTRICTED_TIME", "cannot log in during restricted time", "login-hours", "dataloadercliq#84"},
	{"UNSUPPORTED_API_VERSION", "The SOAP Login operation is not available in the API version specified (65.0)", "soap-login-not-in-version", "WSC-363"},
	{"INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session", "soap-illegal-session", "HappySoup#214"},
	{"INSUFFICIENT_ACCESS", "Use Any API Auth permission is required to use SOAP login()", "rest-insufficient-access", "SOAP login() (Use Any API Auth)"},
	// Observed wordings, reference §5 and §15 (sources there):
	{"invalid_grant", "authentication failure", "authentication-failure", "FORREST-274"},
	{"invalid_grant", "inactive user", "inactive-user", "RESTFORCE-303"},
	{"invalid_grant", "ip restricted", "ip-restricted", "WORKBENCH-772"},
	{"invalid_grant", "expired authorization code", "authorization-code", "FORREST-169"},
	{"invalid_grant", "user hasn't approved this consumer", "user-not-approved", "FORREST-278"},
	{"invalid_app_access", "user is not admin approved to access this app", "not-admin-approved", "JP-JWT-NOTES"},
	{"OAUTH_APP_ACCESS_DENIED", "user is not admin approved to access this app", "not-admin-approved", "reference §15.7"},
	{"invalid_scope", "the requested scope is not allowed", "invalid-scope", "MCP-HOSTED-47"},
	{"invalid_client", "app must be installed into org", "app-not-installed", "MOVEDATA-DOC"},
	{"app_not_found", "External client app is not installed in this org", "app-not-installed", "forcedotcom/cli#3482"},
	{"invalid_request", "missing required code challenge", "pkce-missing-challenge", "HAPPYSOUP-252"},
	{"invalid_grant", "unexpected code verifier", "pkce-unexpected-verifier", "sfdx-core#166"},
	{"invalid_grant", "audience is invalid", "audience", "FORREST-302"},
	{"invalid_grant", "invalid assertion", "invalid-assertion", "FRANKKESSLER-68"},
	{"invalid_grant", "no client credentials user enabled", "client-credentials-no-user", "TAP-SF"},
	{"invalid_grant", "request not supported on this domain", "client-credentials-domain", "PUBSUB-58"},
	{"invalid_grant", "token exchange failed", "device-code-used", "DOCKER-18"},
	{"invalid_grant", "device flow is not enabled for the app", "device-disabled", "CODEBUILDER-61"},
	{"invalid_grant", "token validity expired", "refresh-token-expired", "jsforce#1203"},
	{"invalid_grant", "activation secret invalid", "activation-secret-invalid", "RESTFORCE-826"},
	{"unsupported_grant_type", "grant type not supported", "unsupported-grant-type", "JSFORCE-706"},
	{"unsupported_token_type", "this token type is not supported", "unsupported-token-type", "FORREST-213"},
	{"invalid_token", "Token was invalid", "invalid-token", "MSDK-REVOKE"},
	{"OAUTH_APPROVAL_ERROR_GENERIC", "An unexpected error has occured during authentication", "approval-error-generic", "mcp-hosted#47"},
	{"invalid_grant", "This authorization request has expired, or (less likely) the IP is restricted or invalid login hours.", "authorization-request-expired", "GRAVITY-272"},
}

// variants of a description: as documented, upper case, without punctuation, with extra words.
func variants(desc string) []string {
	if desc == "" {
		return []string{""}
	}
	return []string{desc, strings.ToUpper(desc), strings.Map(func(r rune) rune {
		if strings.ContainsRune(",.;:!?()'/-_", r) {
			return ' '
		}
		return r
	}, desc), "Error: " + desc + " (see Login History)", "  " + strings.ToLower(desc) + "!!  "}
}

func TestDocumentedWordingsReachTheirEntry(t *testing.T) {
	for _, w := range documentedWordings {
		for _, code := range []string{w.code, strings.ToUpper(w.code), strings.ReplaceAll(w.code, "_", "-")} {
			for _, d := range variants(w.desc) {
				x := ExplainError(flows.WebServer, &flows.OAuthError{Code: code, Description: d}, Settings{})
				if x.Rule != w.rule {
					t.Errorf("%s %q (%s): rule %q, want %q", code, d, w.cite, x.Rule, w.rule)
					continue
				}
				if x.Note != "" {
					t.Errorf("%s %q (%s): a documented wording is flagged unknown: %s", code, d, w.cite, x.Note)
				}
				if x.Meaning == "" || len(x.Causes) == 0 || len(x.Fixes) == 0 || x.Source.IsZero() {
					t.Errorf("%s %q: incomplete entry %+v", code, d, x)
				}
				if x.Code != code || x.Description != d {
					t.Errorf("code/description not kept verbatim: %q %q", x.Code, x.Description)
				}
			}
		}
	}
}

// Every wording a catalogue entry lists reaches that entry (so the catalogue cannot list a
// wording that another entry captures).
func TestEveryCatalogueWordingReachesItsEntry(t *testing.T) {
	for _, e := range Catalogue() {
		if e.Meaning == "" || e.Source.IsZero() {
			t.Errorf("%s: no meaning or source", e.ID)
		}
		code := "invalid_grant"
		if len(e.Codes) > 0 {
			code = e.Codes[0]
		}
		for _, w := range e.Wordings {
			if x := ExplainError(flows.WebServer, &flows.OAuthError{Code: code, Description: w}, Settings{}); x.Rule != e.ID {
				t.Errorf("%s %q reaches %q, want %q", code, w, x.Rule, e.ID)
			}
		}
	}
}

func joinCauses(x *ErrorExplanation) string {
	var b strings.Builder
	for _, c := range x.Causes {
		b.WriteString(c + "\n")
	}
	for _, f := range x.Fixes {
		b.WriteString(f.Title + " " + f.Reason + " " + f.Fix + " " + f.SetupPath + " " + f.MetadataField + "\n")
	}
	return b.String()
}

// The bugs of issue 16: Salesforce's inactive-user wordings were not recognised, and a
// description about login hours was explained as an IP restriction.
func TestInactiveUserAndLoginHoursAreNotMisread(t *testing.T) {
	for _, c := range []struct{ code, desc string }{
		{"inactive_user", "user is inactive"},  // REST-USERAGENT-206
		{"INACTIVE_USER", "User is inactive."}, // same, as some clients print it
		{"invalid_grant", "inactive user"},     // RESTFORCE-303
		{"invalid_grant", "Inactive User"},
		{"inactive_user", ""},
	} {
		x := ExplainError(flows.JWTBearer, &flows.OAuthError{Code: c.code, Description: c.desc}, Settings{})
		all := joinCauses(x)
		if x.Rule != "inactive-user" || !strings.Contains(all, "deactivated") || !strings.Contains(all, "User.IsActive") {
			t.Errorf("%s %q: rule %q\n%s", c.code, c.desc, x.Rule, all)
		}
	}
	for _, c := range []struct{ code, desc string }{
		{"invalid_grant", "invalid login hours"},
		{"invalid_grant", "Invalid Login Hours."},
		{"LOGIN_DURING_RESTRICTED_TIME", "cannot log in during restricted time"}, // dataloadercliq#84
		{"invalid_grant", "login hours restriction"},
	} {
		x := ExplainError(flows.Refresh, &flows.OAuthError{Code: c.code, Description: c.desc}, Settings{AppKind: AppConnected})
		all := joinCauses(x)
		if x.Rule != "login-hours" || !strings.Contains(all, "Login Hours") || strings.Contains(all, "IP") {
			t.Errorf("%s %q: rule %q mentions IP or lacks Login Hours:\n%s", c.code, c.desc, x.Rule, all)
		}
	}
	// Salesforce's own combined wording names both, and the login hours place.
	x := ExplainError(flows.Refresh, &flows.OAuthError{Code: "invalid_grant", Description: "IP restricted or invalid login hours"}, Settings{AppKind: AppConnected})
	all := joinCauses(x)
	for _, want := range []string{"Login IP Ranges", "Login Hours", "Profile loginHours", "oauthPolicy/ipRelaxation"} {
		if !strings.Contains(all, want) {
			t.Errorf("combined wording lacks %q:\n%s", want, all)
		}
	}
}

// An unknown description is shown verbatim with the code's general explanation (flagged), or the
// generic one; never a specific entry picked by a stray word.
func TestUnknownDescriptionsGetNoWrongSpecificExplanation(t *testing.T) {
	for _, c := range []struct{ code, desc, rule string }{
		{"invalid_grant", "something entirely new happened", "invalid-grant"},
		{"invalid_client", "quantum flux", "invalid-client"},
		{"brand_new_code", "never seen", ""},
		{"invalid_grant", "internet protocol hours", "invalid-grant"}, // neither "ip restricted" nor "login hours"
	} {
		x := ExplainError(flows.WebServer, &flows.OAuthError{Code: c.code, Description: c.desc}, Settings{})
		if x.Rule != c.rule {
			t.Errorf("%s %q: rule %q, want %q", c.code, c.desc, x.Rule, c.rule)
		}
		if !strings.Contains(x.Note, c.desc) {
			t.Errorf("%s %q: the description is not shown verbatim: %q", c.code, c.desc, x.Note)
		}
		if x.Description != c.desc {
			t.Errorf("description changed: %q", x.Description)
		}
	}
}

func TestErrorFromSalesforceErrorPageURL(t *testing.T) {
	for _, c := range []struct{ in, code, desc, rule string }{
		// RemoteAccessErrorPage as reported in MCP-HOSTED-47 / JETSTREAM-1462 (reference §5).
		{"https://acme.my.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=invalid_scope&error_description=the+requested+scope+is+not+allowed",
			"invalid_scope", "the requested scope is not allowed", "invalid-scope"},
		// Generic page; the real error only in the query string (reference §15.7).
		{"https://login.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=OAUTH_APPROVAL_ERROR_GENERIC&error_description=An+unexpected+error+has+occured+during+authentication.&retURL=%2Fservices%2Foauth2%2Fauthorize%3Ferror%3Dinvalid_scope%26error_description%3Dthe%2Brequested%2Bscope%2Bis%2Bnot%2Ballowed",
			"invalid_scope", "the requested scope is not allowed", "invalid-scope"},
		// The generic page alone.
		{"https://x.my.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=OAUTH_APPROVAL_ERROR_GENERIC&error_description=An%20unexpected%20error%20has%20occured%20during%20authentication",
			"OAUTH_APPROVAL_ERROR_GENERIC", "An unexpected error has occured during authentication", "approval-error-generic"},
		// Web server callback with the error in the query (Help: OAuth 2.0 Authorization Errors).
		{"http://localhost:1717/OauthRedirect?error=access_denied&error_description=end-user+denied+authorization&state=xyz",
			"access_denied", "end-user denied authorization", "access-denied"},
		// User-agent callback: the error is in the fragment.
		{"https://www.customercontactinfo.com/user_callback.jsp#error=access_denied&error_description=end-user%20denied%20authorization",
			"access_denied", "end-user denied authorization", "access-denied"},
		// Pasted with text around it, and the browser-page form of reference §5.
		{`Salesforce said: <https://login.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration> oops`,
			"redirect_uri_mismatch", "redirect_uri must match configuration", "redirect-uri-mismatch"},
		{"error=invalid_client_id&error_description=client%20identifier%20invalid", "invalid_client_id", "client identifier invalid", "invalid-client-id"},
		{"https://acme.my.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=invalid_client&error_description=app+must+be+installed+into+org",
			"invalid_client", "app must be installed into org", "app-not-installed"},
	} {
		e, err := ErrorFromURL(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if e.Code != c.code || e.Description != c.desc {
			t.Errorf("%s: got %q %q, want %q %q", c.in, e.Code, e.Description, c.code, c.desc)
		}
		x, err := ExplainURL(flows.WebServerPKCE, c.in, Settings{}, now)
		if err != nil || x.Rule != c.rule {
			t.Errorf("%s: rule %v %v, want %q", c.in, x, err, c.rule)
		}
	}
	for in, want := range map[string]string{
		"":                               "no URL given",
		"https://login.salesforce.com/":  "no error= parameter",
		"http://localhost:1717/?code=ab": "no error= parameter",
		strings.Repeat("a", 20<<10):      "longer than an address",
	} {
		_, err := ErrorFromURL(in)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%.40q: error %v, want one line with %q", in, err, want)
		}
	}
}

func TestTruncatedResponseIsExplainedWithoutTheBody(t *testing.T) {
	body := `{"access_token":"00D5g000004ABCD!secretsecret","instance_url":"https://acme.my.sales`
	// flows reports a cut-off body as an HTTPError wrapping ErrNotJSON with encoding/json's error.
	cut := &flows.HTTPError{Step: "token", Status: 200, ContentType: "application/json",
		Err: fmt.Errorf("%w: invalid JSON: %v", flows.ErrNotJSON, errors.New("unexpected EOF")), Snippet: body}
	for name, err := range map[string]error{
		"encoding/json unexpected EOF":  cut,
		"a dedicated error by its text": fmt.Errorf("token endpoint: response truncated after 120 bytes"),
		"cut off":                       errors.New("the 200 answer was cut off"),
	} {
		r := Explain(Input{Flow: flows.WebServerPKCE, Now: now, Result: &flows.Result{Flow: flows.WebServerPKCE, Err: err, Started: issued}})
		if r.Error == nil || r.Error.Rule != "truncated-response" {
			t.Fatalf("%s: %+v", name, r.Error)
		}
		all := r.Text()
		if !strings.Contains(all, "truncated response") || !strings.Contains(all, "Retry once") || !strings.Contains(all, "proxy") {
			t.Errorf("%s: the explanation does not say what happened and what to try:\n%s", name, all)
		}
		if strings.Contains(all, "secretsecret") {
			t.Errorf("%s: the partial body (a token) reached the guidance text", name)
		}
	}
	// A non-2xx HTML page is not a truncated response.
	html := &flows.HTTPError{Step: "token", Status: 502, Err: fmt.Errorf("%w: invalid JSON: %v", flows.ErrNotJSON, errors.New("invalid character '<'"))}
	if r := Explain(Input{Flow: flows.WebServer, Now: now, Result: &flows.Result{Flow: flows.WebServer, Err: html}}); r.Error != nil && r.Error.Rule == "truncated-response" {
		t.Error("a 502 HTML page was called a truncated response")
	}
}

func TestPlatformDatesAreToldFromNow(t *testing.T) {
	c := Change(ChangeUnPwRetired)
	before, after := time.Date(2027, 2, 19, 23, 0, 0, 0, time.UTC), time.Date(2027, 2, 20, 0, 0, 0, 0, time.UTC)
	if got := c.Status(before); got != "retires on February 20, 2027" {
		t.Errorf("before: %q", got)
	}
	if got := c.Status(after); got != "has been retired since February 20, 2027" {
		t.Errorf("after: %q", got)
	}
	if got := Change(ChangeConnectedAppsEnd).Status(now); got != "ends in Summer '27" {
		t.Errorf("Connected Apps: %q", got)
	}
	if got := Change(ChangeDeviceECALocalhost).Status(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)); got != "has been in effect since November 30, 2026" {
		t.Errorf("device: %q", got)
	}
	for _, p := range PlatformChanges() {
		if p.ID == "" || p.When == "" || p.Date.IsZero() || p.Subject == "" || p.Source.IsZero() {
			t.Errorf("incomplete platform change %+v", p)
		}
	}
	// The flow picker reads the table: the same flow says "retires on" before and "retired since" after.
	legacyOf := func(at time.Time) string {
		for _, f := range FlowsAt(at) {
			if f.Flow == flows.UsernamePassword {
				return f.Legacy
			}
		}
		return ""
	}
	if l := legacyOf(before); !strings.Contains(l, "retires on February 20, 2027") {
		t.Errorf("picker before: %q", l)
	}
	if l := legacyOf(after); !strings.Contains(l, "has been retired since February 20, 2027") {
		t.Errorf("picker after: %q", l)
	}
	// So do the report's headline and platform notes.
	res := resultFor(flows.UsernamePassword, tokenFor(flows.UsernamePassword, tokenOpts{}), nil)
	r := Explain(Input{Flow: flows.UsernamePassword, Result: res, Now: after})
	if !strings.Contains(r.Headline, "has been retired since February 20, 2027") || strings.Contains(r.Text(), "Winter '27:") {
		t.Errorf("report after the date:\n%s", r.Headline)
	}
}

func TestReadinessListsWhatBreaksAndWhen(t *testing.T) {
	dec26 := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	ids := func(items []ReadinessItem) map[string]ReadinessItem {
		m := map[string]ReadinessItem{}
		for _, it := range items {
			if it.Problem == "" || it.Fix == "" || it.Source.IsZero() {
				t.Errorf("incomplete item %+v", it)
			}
			m[it.ChangeID] = it
		}
		return m
	}
	got := ids(Readiness(ReadinessInput{Flow: flows.UsernamePassword, AppKind: AppConnected, LoginURL: "https://na123.salesforce.com"}, dec26))
	if it, ok := got[ChangeUnPwRetired]; !ok || it.Severity != SeverityWarning || !strings.Contains(it.Problem, "retires on February 20, 2027") {
		t.Errorf("username-password: %+v", it)
	}
	if _, ok := got[ChangeInstancedURLs]; !ok {
		t.Error("instanced login host not reported")
	}
	if _, ok := got[ChangeConnectedAppsEnd]; !ok {
		t.Error("Connected App end of support not reported")
	}
	got = ids(Readiness(ReadinessInput{Flow: flows.Device, AppKind: AppConnected}, dec26))
	if it := got[ChangeDeviceECALocalhost]; it.Severity != SeverityError || !strings.Contains(it.Problem, "since November 30, 2026") {
		t.Errorf("device flow on a Connected App after November 30, 2026: %+v", it)
	}
	if got := ids(Readiness(ReadinessInput{Flow: flows.Device, AppKind: AppExternalClient, CallbackURL: "http://localhost:1717/cb"}, dec26)); len(got) != 0 {
		t.Errorf("a local ECA with a localhost callback is ready: %+v", got)
	}
	if got := ids(Readiness(ReadinessInput{Flow: flows.Device, AppKind: AppExternalClient, CallbackURL: "https://app.example.com/cb"}, dec26)); got[ChangeDeviceECALocalhost].Problem == "" {
		t.Error("an ECA without a localhost callback is not reported")
	}
	got = ids(Readiness(ReadinessInput{Flow: flows.UserAgent, AppKind: AppConnected}, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)))
	if it := got[ChangeUserAgentRetired]; it.Severity != SeverityError || !strings.Contains(it.Problem, "has been retired since February 20, 2027") {
		t.Errorf("user-agent after the date: %+v", it)
	}
	if got := ids(Readiness(ReadinessInput{Flow: flows.WebServerPKCE, AppKind: AppExternalClient, LoginURL: "https://acme.my.salesforce.com"}, dec26)); len(got) != 0 {
		t.Errorf("an ECA with PKCE on My Domain is ready: %+v", got)
	}
}

// The CLI's --json marshals the report: sources travel with advice, errors and platform notes.
func TestJSONCarriesSources(t *testing.T) {
	r := Explain(Input{Flow: flows.UsernamePassword, Now: now, Settings: Settings{AppKind: AppConnected},
		Result: failedResult(flows.UsernamePassword, "invalid_grant", "authentication failure")})
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Advice []struct {
			Title  string  `json:"title"`
			Source *DocRef `json:"source"`
		} `json:"advice"`
		Error struct {
			Rule    string  `json:"rule"`
			Meaning string  `json:"meaning"`
			Source  *DocRef `json:"source"`
		} `json:"error"`
		Platform []struct {
			ID     string  `json:"id"`
			Past   bool    `json:"past"`
			Source *DocRef `json:"source"`
		} `json:"platform"`
	}
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	if got.Error.Rule != "authentication-failure" || got.Error.Meaning == "" || got.Error.Source == nil || got.Error.Source.URL == "" {
		t.Errorf("error JSON: %+v", got.Error)
	}
	found := false
	for _, a := range got.Advice {
		if a.Title == "The username-password flow is on its way out" {
			found = a.Source != nil && strings.Contains(a.Source.Title, "Block Authorization Flows")
		}
	}
	if !found {
		t.Errorf("advice JSON lacks its source: %s", js)
	}
	for _, p := range got.Platform {
		if p.Source == nil {
			t.Errorf("platform note %s without source", p.ID)
		}
		if p.ID == ChangeUnPwRetired && p.Past {
			t.Error("February 20, 2027 reported past in September 2026")
		}
	}
	one, _ := json.Marshal(*ExplainError(flows.WebServer, &flows.OAuthError{Code: "inactive_user", Description: "user is inactive"}, Settings{}))
	if !strings.Contains(string(one), `"rule":"inactive-user"`) || !strings.Contains(string(one), `"source":{"title"`) {
		t.Errorf("ErrorExplanation JSON: %s", one)
	}
}
