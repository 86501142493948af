package guidance

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// The founding question: "I got a token with the username-password flow. Is it long lived?
// There is no refresh token. Can I keep using it?" — with nothing known about the org.
func TestFoundingQuestionUsernamePasswordWithDefaults(t *testing.T) {
	res := resultFor(flows.UsernamePassword, tokenFor(flows.UsernamePassword, tokenOpts{}), nil)
	r := Explain(Input{Flow: flows.UsernamePassword, Result: res, Now: now})

	for _, want := range []string{
		"Not long lived.",
		"ends after 2 hours without use",
		"Salesforce's default is 2 hours; your org may differ",
		"no expires_in",
		"There is no refresh token, and there never will be: the username-password flow never issues one.",
		"keep using the token until it stops working (HTTP 401 INVALID_SESSION_ID)",
		"call the token endpoint again with the username and password",
		"web server flow with PKCE and the refresh_token scope selected on the app",
		"JWT bearer or client credentials flow",
		"blocked by default in orgs created since Summer '23",
		"not supported by External Client Apps",
		// Salesforce postponed the retirement from Winter '27 to February 20, 2027 (reference §15.8).
		"for Connected Apps it retires on February 20, 2027",
	} {
		if !strings.Contains(r.Headline, want) {
			t.Errorf("headline lacks %q:\n%s", want, r.Headline)
		}
	}
	if r.IdleTimeout != 2*time.Hour || r.IdleTimeoutSource != SourceDefault {
		t.Errorf("idle timeout = %v from %q, want 2h from default", r.IdleTimeout, r.IdleTimeoutSource)
	}
	if r.ExpiresIfIdleAt == nil || !r.ExpiresIfIdleAt.Equal(issued.Add(2*time.Hour)) || !r.ExpiryEstimated {
		t.Errorf("expires if idle = %v estimated=%v, want issued+2h estimated", r.ExpiresIfIdleAt, r.ExpiryEstimated)
	}
	if r.Scopes.RefreshTokenIssued || !strings.Contains(r.Scopes.RefreshTokenWhyNot, "never issues") {
		t.Errorf("refresh token diagnosis: %+v", r.Scopes)
	}
	if r.Scopes.GrantedReported {
		t.Error("the username-password response has no scope field, yet granted scopes are reported")
	}
	// The answer lines say it first (issue #21): none, never, and what to do instead.
	for line, wants := range map[string][]string{
		r.Answer.Lifetime.Text:     {"Not long lived", "2 hours without use", "your org may differ", "no expires_in"},
		r.Answer.RefreshToken.Text: {"None, and there never will be", "never issues one"},
		r.Answer.DoThisNext.Text:   {"401 INVALID_SESSION_ID", "call the token endpoint again with the username and password"},
	} {
		for _, w := range wants {
			if !strings.Contains(line, w) {
				t.Errorf("answer line %q lacks %q", line, w)
			}
		}
	}
	if r.Answer.RefreshToken.Source.IsZero() || r.Answer.Lifetime.Source.IsZero() || r.Answer.DoThisNext.Source.IsZero() {
		t.Errorf("an answer line without its source: %+v", r.Answer)
	}
	whens := map[string]bool{}
	for _, p := range r.Platform {
		whens[p.When] = true
	}
	for _, w := range []string{"Summer '23", "February 20, 2027", "Spring '26"} {
		if !whens[w] {
			t.Errorf("platform notes lack %s", w)
		}
	}
	text := r.Text()
	checkWidth(t, text)
	golden(t, "founding_question", text)
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "founding_question_json", string(js)+"\n")
}

// One golden per flow and setting that changes the answer.
func TestExplainGoldens(t *testing.T) {
	allScopes := []string{"api", "web", "refresh_token", "openid", "id"}
	noRefreshApp := []string{"api", "web", "openid", "id"}
	intro := func(exp time.Duration) *flows.Introspection {
		return &flows.Introspection{Active: true, Scope: "api web refresh_token openid", ClientID: "3MVG9Example",
			Username: "ada@example.com", TokenType: "access_token", Iat: issued.Unix(), Nbf: issued.Unix(), Exp: issued.Add(exp).Unix()}
	}
	cases := []struct {
		name string
		in   Input
	}{
		{"web_server_refresh_app_timeout", Input{Flow: flows.WebServer,
			Settings: Settings{AppKind: AppConnected, AppScopes: allScopes, AppSessionTimeoutMinutes: 15, ProfileSessionTimeoutMinutes: 60, OrgSessionTimeoutMinutes: 120,
				RefreshTokenPolicy: RefreshPolicy{Kind: PolicyInfinite}, RefreshTokenRotation: boolp(false)},
			Result: resultFor(flows.WebServer, tokenFor(flows.WebServer, tokenOpts{scope: "refresh_token api web openid id", refresh: true, idToken: true}), []string{"refresh_token", "api", "web", "openid", "id"})}},
		{"web_server_pkce_no_refresh_requested", Input{Flow: flows.WebServerPKCE,
			Settings: Settings{AppKind: AppExternalClient, AppScopes: allScopes, ProfileSessionTimeoutMinutes: 240},
			Result:   resultFor(flows.WebServerPKCE, tokenFor(flows.WebServerPKCE, tokenOpts{scope: "api web"}), []string{"api", "web"})}},
		{"web_server_pkce_app_lacks_refresh", Input{Flow: flows.WebServerPKCE,
			Settings: Settings{AppKind: AppConnected, AppScopes: noRefreshApp, OrgSessionTimeoutMinutes: 30},
			Result:   resultFor(flows.WebServerPKCE, tokenFor(flows.WebServerPKCE, tokenOpts{scope: "api web"}), nil)}},
		{"web_server_pkce_policy_zero", Input{Flow: flows.WebServerPKCE,
			Settings: Settings{AppKind: AppConnected, AppScopes: allScopes, AppSessionTimeoutMinutes: 30, RefreshTokenPolicy: RefreshPolicy{Kind: PolicyZero}},
			Result:   resultFor(flows.WebServerPKCE, tokenFor(flows.WebServerPKCE, tokenOpts{scope: "refresh_token api", refresh: true}), []string{"refresh_token", "api"})}},
		{"web_server_pkce_policy_lifetime_rotation", Input{Flow: flows.WebServerPKCE,
			Settings: Settings{AppKind: AppConnected, RefreshTokenPolicy: RefreshPolicy{Kind: PolicySpecificLifetime, N: 3, Unit: "DAYS"}, RefreshTokenRotation: boolp(true)},
			Result:   resultFor(flows.WebServerPKCE, tokenFor(flows.WebServerPKCE, tokenOpts{scope: "refresh_token api", refresh: true}), []string{"refresh_token", "api"})}},
		{"web_server_pkce_policy_inactivity_introspected", Input{Flow: flows.WebServerPKCE,
			Settings:      Settings{RefreshTokenPolicy: RefreshPolicy{Kind: PolicySpecificInactivity, N: 1, Unit: "MONTHS"}},
			Result:        resultFor(flows.WebServerPKCE, tokenFor(flows.WebServerPKCE, tokenOpts{scope: "refresh_token api web openid", refresh: true, idToken: true}), nil),
			Introspection: intro(4 * time.Hour)}},
		{"user_agent_http_callback", Input{Flow: flows.UserAgent,
			Settings: Settings{CallbackURL: "http://localhost:1717/OauthRedirect", AppScopes: allScopes},
			Result:   resultFor(flows.UserAgent, tokenFor(flows.UserAgent, tokenOpts{scope: "refresh_token api web"}), []string{"refresh_token", "api", "web"})}},
		{"username_password_org_timeout_introspected", Input{Flow: flows.UsernamePassword,
			Settings:      Settings{AppKind: AppConnected, OrgSessionTimeoutMinutes: 480, UsernamePasswordBlocked: boolp(false)},
			Result:        resultFor(flows.UsernamePassword, tokenFor(flows.UsernamePassword, tokenOpts{}), nil),
			Introspection: intro(8 * time.Hour)}},
		{"refresh_no_rotation", Input{Flow: flows.Refresh,
			Settings: Settings{AppKind: AppConnected, AppSessionTimeoutMinutes: 120, RefreshTokenRotation: boolp(false), RefreshTokenPolicy: RefreshPolicy{Kind: PolicyInfinite}},
			Result:   resultFor(flows.Refresh, tokenFor(flows.Refresh, tokenOpts{scope: "refresh_token api"}), nil)}},
		{"refresh_rotation", Input{Flow: flows.Refresh,
			Settings: Settings{RefreshTokenRotation: boolp(true)},
			Result:   resultFor(flows.Refresh, tokenFor(flows.Refresh, tokenOpts{scope: "refresh_token api", refresh: true}), nil)}},
		{"jwt_bearer_default", Input{Flow: flows.JWTBearer,
			Settings: Settings{AppKind: AppExternalClient},
			Result:   resultFor(flows.JWTBearer, tokenFor(flows.JWTBearer, tokenOpts{scope: "web openid api full"}), nil)}},
		{"jwt_bearer_jwt_access_token", Input{Flow: flows.JWTBearer,
			Settings: Settings{JWTAccessTokens: boolp(true)},
			Result:   resultFor(flows.JWTBearer, tokenFor(flows.JWTBearer, tokenOpts{scope: "api", jwtAccess: true}), nil)}},
		{"client_credentials_profile_timeout", Input{Flow: flows.ClientCredentials,
			Settings: Settings{ProfileSessionTimeoutMinutes: 60},
			Result:   resultFor(flows.ClientCredentials, tokenFor(flows.ClientCredentials, tokenOpts{scope: "api"}), nil)}},
		{"device_refresh", Input{Flow: flows.Device,
			Settings: Settings{AppInstalled: boolp(true), IDTokenValidityMinutes: 5},
			Result:   resultFor(flows.Device, tokenFor(flows.Device, tokenOpts{scope: "refresh_token api web openid", refresh: true, idToken: true}), []string{"refresh_token", "api", "web", "openid"})}},
		{"token_exchange", Input{Flow: flows.TokenExchange,
			Result: resultFor(flows.TokenExchange, tokenFor(flows.TokenExchange, tokenOpts{scope: "api"}), []string{"api"})}},
		{"saml_bearer", Input{Flow: flows.SAMLBearer,
			Result: resultFor(flows.SAMLBearer, tokenFor(flows.SAMLBearer, tokenOpts{scope: "api web"}), nil)}},
		{"introspection_inactive", Input{Flow: flows.WebServer,
			Result:        resultFor(flows.WebServer, tokenFor(flows.WebServer, tokenOpts{scope: "api", refresh: false}), []string{"api"}),
			Introspection: &flows.Introspection{Active: false}}},
		{"username_password_blocked_failure", Input{Flow: flows.UsernamePassword,
			Settings: Settings{UsernamePasswordBlocked: boolp(true)},
			Result:   failedResult(flows.UsernamePassword, "invalid_grant", "authentication failure")}},
		{"web_server_redirect_mismatch", Input{Flow: flows.WebServer,
			Settings: Settings{AppKind: AppConnected, CallbackURL: "http://localhost:1717/OauthRedirect"},
			Result:   failedResult(flows.WebServer, "redirect_uri_mismatch", "redirect_uri must match configuration")}},
		{"web_server_callback_timeout", Input{Flow: flows.WebServerPKCE,
			Result: &flows.Result{Flow: flows.WebServerPKCE, Err: fmt.Errorf("no callback: the listener timed out after 2m0s")}}},
		{"nothing_run_yet", Input{Flow: flows.Device, Settings: Settings{AppInstalled: boolp(false)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.in.Now.IsZero() {
				c.in.Now = now
			}
			r := Explain(c.in)
			text := r.Text()
			checkWidth(t, text)
			golden(t, c.name, text)
		})
	}
}

// Every flow × the settings that change the answer, checked against the rules rather than
// against goldens: the timeout precedence, introspection vs estimate, refresh issuance.
func TestExplainMatrix(t *testing.T) {
	type scopeCase struct {
		name      string
		app       []string
		requested []string
	}
	scopeCases := []scopeCase{
		{"app and request with refresh_token", []string{"api", "refresh_token"}, []string{"api", "refresh_token"}},
		{"app with refresh_token, not requested", []string{"api", "refresh_token"}, []string{"api"}},
		{"app without refresh_token", []string{"api"}, []string{"api"}},
		{"app unknown, offline_access requested", nil, []string{"api", "offline_access"}},
	}
	policies := []RefreshPolicy{{}, {Kind: PolicyInfinite}, {Kind: PolicyZero},
		{Kind: PolicySpecificLifetime, N: 3, Unit: "DAYS"}, {Kind: PolicySpecificInactivity, N: 1, Unit: "HOURS"}}
	timeouts := []struct {
		app, profile, org int
		want              time.Duration
		src               Source
	}{
		{15, 60, 120, 15 * time.Minute, SourceApp},
		{0, 60, 120, time.Hour, SourceProfile},
		{0, 0, 720, 12 * time.Hour, SourceOrg},
		{0, 0, 0, 2 * time.Hour, SourceDefault},
	}
	n := 0
	for _, f := range allFlows() {
		for _, sc := range scopeCases {
			for _, pol := range policies {
				for _, to := range timeouts {
					for _, introspected := range []bool{false, true} {
						n++
						issues := refreshKindOf(f)
						scopeOK := hasRefreshScope(sc.requested) && (sc.app == nil || hasRefreshScope(sc.app))
						withRT := (issues == refreshWithScope && scopeOK)
						granted := strings.Join(sc.requested, " ")
						tok := tokenFor(f, tokenOpts{scope: granted, refresh: withRT})
						if f == flows.UsernamePassword {
							tok = tokenFor(f, tokenOpts{})
						}
						in := Input{Flow: f, Now: now, RequestedScopes: sc.requested,
							Settings: Settings{AppScopes: sc.app, AppSessionTimeoutMinutes: to.app, ProfileSessionTimeoutMinutes: to.profile,
								OrgSessionTimeoutMinutes: to.org, RefreshTokenPolicy: pol},
							Result: resultFor(f, tok, sc.requested)}
						if introspected {
							in.Introspection = &flows.Introspection{Active: true, Iat: issued.Unix(), Exp: issued.Add(47 * time.Minute).Unix()}
						}
						name := fmt.Sprintf("%s/%s/%s/%v/introspected=%v", f, sc.name, pol, to.src, introspected)
						r := Explain(in)

						if r.IdleTimeout != to.want || r.IdleTimeoutSource != to.src {
							t.Errorf("%s: timeout %v from %s, want %v from %s", name, r.IdleTimeout, r.IdleTimeoutSource, to.want, to.src)
						}
						if r.ExpiresIfIdleAt == nil {
							t.Fatalf("%s: no expiry", name)
						}
						if introspected {
							if r.ExpiryEstimated || !r.ExpiresIfIdleAt.Equal(issued.Add(47*time.Minute)) {
								t.Errorf("%s: introspection exp must be used as is, got %v estimated=%v", name, r.ExpiresIfIdleAt, r.ExpiryEstimated)
							}
						} else {
							base := issued
							if f == flows.JWTBearer {
								base = now // no issued_at: estimated from the report time
							}
							if !r.ExpiryEstimated || !r.ExpiresIfIdleAt.Equal(base.Add(to.want)) {
								t.Errorf("%s: estimate %v (estimated=%v), want %v", name, r.ExpiresIfIdleAt, r.ExpiryEstimated, base.Add(to.want))
							}
						}
						if r.Scopes.RefreshTokenIssued != withRT {
							t.Errorf("%s: refresh token issued = %v, want %v", name, r.Scopes.RefreshTokenIssued, withRT)
						}
						if !withRT && r.Scopes.RefreshTokenWhyNot == "" {
							t.Errorf("%s: no refresh token and no reason", name)
						}
						if pol.Kind == PolicyZero && withRT && !hasAdvice(r, SeverityWarning, "immediately") {
							t.Errorf("%s: policy zero gives no warning", name)
						}
						if to.src == SourceDefault && !strings.Contains(r.Headline, "your org may differ") {
							t.Errorf("%s: default timeout not marked as assumed in the headline", name)
						}
						if r.Headline == "" || len(r.Platform) == 0 && f == flows.UsernamePassword {
							t.Errorf("%s: empty headline or platform notes", name)
						}
						text := r.Text()
						checkWidth(t, text)
						if strings.Contains(text, "%!") {
							t.Errorf("%s: formatting error in text", name)
						}
					}
				}
			}
		}
	}
	t.Logf("%d combinations", n)
}

func hasAdvice(r Report, sev Severity, titleWord string) bool {
	for _, a := range r.Advice {
		if a.Severity == sev && strings.Contains(strings.ToLower(a.Title+" "+a.Reason), strings.ToLower(titleWord)) {
			return true
		}
	}
	return false
}

func TestRefreshTokenWhyNotPerCause(t *testing.T) {
	cases := []struct {
		name     string
		flow     flows.Flow
		settings Settings
		req      []string
		scope    string
		want     string
		adviceAt string // a SetupPath or MetadataField fragment the advice must name
	}{
		{"flow never issues one: username-password", flows.UsernamePassword, Settings{}, nil, "", "never issues", ""},
		{"flow never issues one: JWT bearer", flows.JWTBearer, Settings{}, nil, "api", "ask again the same way", ""},
		{"flow never issues one: client credentials", flows.ClientCredentials, Settings{}, nil, "api", "never issues", ""},
		{"flow never issues one: SAML bearer", flows.SAMLBearer, Settings{}, nil, "api", "never issues", ""},
		{"not allowed by the Connected App", flows.WebServer, Settings{AppKind: AppConnected, AppScopes: []string{"Api", "Web"}}, []string{"api"}, "api", "does not have the refresh_token scope", "oauthConfig/scopes: RefreshToken"},
		{"not allowed by the External Client App", flows.WebServerPKCE, Settings{AppKind: AppExternalClient, AppScopes: []string{"api"}}, nil, "api", "does not have the refresh_token scope", "ExtlClntAppOauthSettings.commaSeparatedOauthScopes"},
		{"not requested", flows.Device, Settings{AppScopes: []string{"api", "offline_access"}}, []string{"api"}, "api", "was not in the requested scopes", "Selected OAuth Scopes"},
		{"not granted", flows.WebServer, Settings{}, nil, "api web", "not among the granted scopes", "Selected OAuth Scopes"},
		{"full does not imply refresh_token", flows.WebServer, Settings{AppScopes: []string{"full"}}, []string{"full"}, "full", "does not have the refresh_token scope", "Perform requests at any time"},
		{"user-agent with an http callback", flows.UserAgent, Settings{CallbackURL: "https://app.example.com/cb"}, nil, "", "https://app.example.com/cb is neither", "Callback URL"},
		{"refresh without rotation", flows.Refresh, Settings{RefreshTokenRotation: boolp(false)}, nil, "api", "rotation is off", ""},
		{"token exchange unconfirmed", flows.TokenExchange, Settings{}, nil, "api", "not confirmed", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := tokenFor(c.flow, tokenOpts{scope: c.scope})
			r := Explain(Input{Flow: c.flow, Settings: c.settings, Result: resultFor(c.flow, tok, c.req), Now: now})
			if !strings.Contains(r.Scopes.RefreshTokenWhyNot, c.want) {
				t.Errorf("why not = %q, want it to contain %q", r.Scopes.RefreshTokenWhyNot, c.want)
			}
			if c.adviceAt != "" {
				ok := false
				for _, a := range r.Advice {
					if strings.Contains(a.SetupPath+" "+a.MetadataField, c.adviceAt) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("no advice names %q: %+v", c.adviceAt, r.Advice)
				}
			}
		})
	}
}

func TestScopeNotes(t *testing.T) {
	tok := tokenFor(flows.WebServer, tokenOpts{scope: "openid full", idToken: true})
	r := Explain(Input{Flow: flows.WebServer, Result: resultFor(flows.WebServer, tok, []string{"openid", "full"}), Now: now,
		Settings: Settings{AppScopes: []string{"OpenID", "Full", "RefreshToken"}}})
	notes := strings.Join(r.Scopes.Notes, "\n")
	for _, want := range []string{"ID token (id_token) came back", "full covers the other scopes but does not include refresh_token", "api (or full) is granted", "web (or full)"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	// Requesting a scope the app lacks is an error before it happens.
	r = Explain(Input{Flow: flows.WebServer, RequestedScopes: []string{"api", "refresh_token"}, Now: now,
		Settings: Settings{AppScopes: []string{"api"}}})
	if !hasAdvice(r, SeverityError, "invalid_scope") {
		t.Errorf("no invalid_scope warning: %+v", r.Advice)
	}
	// No api scope: REST calls fail.
	tok = tokenFor(flows.WebServer, tokenOpts{scope: "web id"})
	r = Explain(Input{Flow: flows.WebServer, Result: resultFor(flows.WebServer, tok, nil), Now: now})
	if !hasAdvice(r, SeverityWarning, "not valid for use with the REST API") {
		t.Errorf("no api-scope warning: %+v", r.Advice)
	}
}

func TestHalfTimeoutRuleInPlainWords(t *testing.T) {
	got := halfTimeoutRule(30 * time.Minute)
	for _, want := range []string{"only once more than half of the timeout has passed since the last push",
		"a call 7 minutes 30 seconds after issue changes nothing", "a call 22 minutes 30 seconds after issue moves the end to 52 minutes 30 seconds after issue"} {
		if !strings.Contains(got, want) {
			t.Errorf("half-timeout rule for 30 minutes lacks %q:\n%s", want, got)
		}
	}
	got = halfTimeoutRule(2 * time.Hour)
	want := "With 2 hours: a call 30 minutes after issue changes nothing (the session still ends 2 hours after issue); a call 1 hour 30 minutes after issue moves the end to 3 hours 30 minutes after issue."
	if !strings.Contains(got, want) {
		t.Errorf("half-timeout rule:\n%s\nwant it to contain\n%s", got, want)
	}
}

func TestNoMadeUpLifetime(t *testing.T) {
	// Without issued_at, introspection or a report time, no expiry may be invented.
	tok := tokenFor(flows.JWTBearer, tokenOpts{scope: "api"})
	r := Explain(Input{Flow: flows.JWTBearer, Result: resultFor(flows.JWTBearer, tok, nil)})
	if r.ExpiresIfIdleAt != nil {
		t.Errorf("expiry invented: %v", r.ExpiresIfIdleAt)
	}
	// With JWT bearer and a report time, the estimate says it counts from now.
	r = Explain(Input{Flow: flows.JWTBearer, Result: resultFor(flows.JWTBearer, tok, nil), Now: now})
	text := r.Text()
	if !strings.Contains(text, "JWT bearer response carries no issued_at") || !strings.Contains(text, "estimated") {
		t.Errorf("JWT bearer estimate not explained:\n%s", text)
	}
}

func TestJSONKeysAreStableSnakeCase(t *testing.T) {
	r := Explain(Input{Flow: flows.UsernamePassword, Now: now, Result: failedResult(flows.UsernamePassword, "invalid_grant", "authentication failure")})
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"flow", "headline", "idle_timeout_seconds", "idle_timeout", "idle_timeout_source", "expires_if_idle_at",
		"expiry_estimated", "lifetimes", "advice", "scopes", "error", "platform"} {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing from %s", k, js)
		}
	}
	e := m["error"].(map[string]any)
	if e["code"] != "invalid_grant" || len(e["causes"].([]any)) == 0 || len(e["fixes"].([]any)) == 0 {
		t.Errorf("error object: %v", e)
	}
	sc := m["scopes"].(map[string]any)
	for _, k := range []string{"requested", "allowed", "granted", "allowed_known", "granted_reported", "refresh_token_issued", "notes"} {
		if _, ok := sc[k]; !ok {
			t.Errorf("scopes key %q missing", k)
		}
	}
	// Pointer and value marshal the same way.
	js2, _ := json.Marshal(&r)
	if string(js) != string(js2) {
		t.Error("pointer and value JSON differ")
	}
}

func TestExplainIsDeterministic(t *testing.T) {
	in := Input{Flow: flows.WebServer, Now: now, Result: resultFor(flows.WebServer, tokenFor(flows.WebServer, tokenOpts{scope: "api refresh_token", refresh: true}), nil)}
	a, b := Explain(in).Text(), Explain(in).Text()
	if a != b {
		t.Error("two runs on the same input differ")
	}
}

func TestTimesFollowTheCallersZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	r := Explain(Input{Flow: flows.UsernamePassword, Now: now.In(paris), Result: resultFor(flows.UsernamePassword, tokenFor(flows.UsernamePassword, tokenOpts{}), nil)})
	if !strings.Contains(r.Text(), "2026-09-14 12:00:00 CEST") {
		t.Errorf("issue time not shown in the caller's zone:\n%s", r.Text())
	}
}

// TestRefreshRotationIsToldFromTheResult: when a refresh brings back a new refresh token (the
// result says it rotated), the answer says the old one is dead and the new one must be stored,
// even when the app's rotation setting is unknown (Salesforce help "Refresh Token Rotation",
// reference §15.2). Without rotation it says nothing of the kind.
func TestRefreshRotationIsToldFromTheResult(t *testing.T) {
	rotated := resultFor(flows.Refresh, tokenFor(flows.Refresh, tokenOpts{scope: "refresh_token api", refresh: true}), nil)
	rotated.RefreshTokenRotated = true
	r := Explain(Input{Flow: flows.Refresh, Result: rotated, Now: now})
	for _, want := range []string{"rotated the refresh token", "no longer works", "store the new one before the next refresh"} {
		if !strings.Contains(r.Headline, want) {
			t.Errorf("rotated refresh: headline lacks %q:\n%s", want, r.Headline)
		}
	}
	same := resultFor(flows.Refresh, tokenFor(flows.Refresh, tokenOpts{scope: "refresh_token api"}), nil)
	if r := Explain(Input{Flow: flows.Refresh, Result: same, Now: now}); strings.Contains(r.Headline, "rotated") {
		t.Errorf("no rotation, yet the headline says so:\n%s", r.Headline)
	}
}

// TestUsernamePasswordAdviceHasNoRefreshTokenSetupPath: the refresh_token scope can never help
// the username-password flow, so no advice (nor answer line) points to where it is added
// (issue #21), whatever the app kind and whatever the result.
func TestUsernamePasswordAdviceHasNoRefreshTokenSetupPath(t *testing.T) {
	for _, kind := range []string{"", AppConnected, AppExternalClient} {
		for _, tok := range []*flows.TokenResponse{tokenFor(flows.UsernamePassword, tokenOpts{}), nil} {
			res := resultFor(flows.UsernamePassword, tok, nil)
			if tok == nil {
				res.OAuthError = &flows.OAuthError{Code: "invalid_grant", Description: "authentication failure"}
			}
			r := Explain(Input{Flow: flows.UsernamePassword, Settings: Settings{AppKind: kind}, Result: res, Now: now})
			all := append([]Advice(nil), r.Advice...)
			if r.Error != nil {
				all = append(all, r.Error.Fixes...)
			}
			for _, a := range all {
				for _, s := range []string{a.SetupPath, a.MetadataField} {
					if strings.Contains(s, "Perform requests at any time") || strings.Contains(s, "RefreshToken") || strings.Contains(s, "refresh token scope") {
						t.Errorf("kind %q, token %v: advice %q points to the refresh_token scope: %s", kind, tok != nil, a.Title, s)
					}
				}
			}
			if strings.Contains(r.Answer.Text(), "Selected OAuth Scopes") {
				t.Errorf("kind %q: the answer points to the scopes: %s", kind, r.Answer.Text())
			}
		}
	}
}

// The other flows that never issue a refresh token and do not need the scope (client
// credentials, SAML bearer) get no advice pointing to it either; a web server run gets no
// advice about JWTs when the app issues none.
func TestAdviceFitsTheFlow(t *testing.T) {
	for _, f := range []flows.Flow{flows.ClientCredentials, flows.SAMLBearer} {
		r := Explain(Input{Flow: f, Settings: Settings{AppScopes: []string{"api"}}, Result: resultFor(f, tokenFor(f, tokenOpts{scope: "api"}), nil), Now: now})
		for _, a := range r.Advice {
			if strings.Contains(a.SetupPath, "Perform requests at any time") {
				t.Errorf("%s: advice %q points to the refresh_token scope", f, a.Title)
			}
		}
	}
	for _, kind := range []string{AppConnected, AppExternalClient} {
		r := Explain(Input{Flow: flows.WebServerPKCE, Settings: Settings{AppKind: kind},
			Result: resultFor(flows.WebServerPKCE, tokenFor(flows.WebServerPKCE, tokenOpts{scope: "api web refresh_token", refresh: true}), []string{"api", "web", "refresh_token"}), Now: now})
		if txt := r.Text(); strings.Contains(txt, "JWT") {
			t.Errorf("%s web server run speaks of JWTs:\n%s", kind, txt)
		}
	}
}
