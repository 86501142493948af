package guidance

import (
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

func TestParseRefreshPolicy(t *testing.T) {
	good := []struct {
		in   string
		want RefreshPolicy
	}{
		{"", RefreshPolicy{}},
		{"infinite", RefreshPolicy{Kind: PolicyInfinite}},
		{"ZERO", RefreshPolicy{Kind: PolicyZero}},
		{"specific_lifetime:3:DAYS", RefreshPolicy{Kind: PolicySpecificLifetime, N: 3, Unit: "DAYS"}},
		{" specific_inactivity:1:hours ", RefreshPolicy{Kind: PolicySpecificInactivity, N: 1, Unit: "HOURS"}},
		{"specific_lifetime:6:MONTHS", RefreshPolicy{Kind: PolicySpecificLifetime, N: 6, Unit: "MONTHS"}},
	}
	for _, c := range good {
		got, err := ParseRefreshPolicy(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseRefreshPolicy(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
		if c.in != "" && !strings.EqualFold(strings.TrimSpace(c.in), got.String()) {
			t.Errorf("String() = %q does not round-trip %q", got.String(), c.in)
		}
	}
	bad := map[string]string{
		"forever":                     "expected infinite, zero",
		"infinite:1:DAYS":             "takes no period",
		"specific_lifetime:3":         "specific_lifetime:N:UNIT",
		"specific_lifetime:x:DAYS":    "whole number",
		"specific_lifetime:0:DAYS":    "whole number",
		"specific_inactivity:2:WEEKS": "HOURS, DAYS or MONTHS",
	}
	for in, want := range bad {
		_, err := ParseRefreshPolicy(in)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseRefreshPolicy(%q) error = %v, want one line containing %q", in, err, want)
		}
	}
}

func TestRefreshPolicyDates(t *testing.T) {
	base := time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		p    RefreshPolicy
		want time.Time
	}{
		{RefreshPolicy{Kind: PolicySpecificLifetime, N: 12, Unit: "HOURS"}, base.Add(12 * time.Hour)},
		{RefreshPolicy{Kind: PolicySpecificLifetime, N: 3, Unit: "DAYS"}, base.AddDate(0, 0, 3)},
		{RefreshPolicy{Kind: PolicySpecificInactivity, N: 1, Unit: "MONTHS"}, base.AddDate(0, 1, 0)},
	} {
		if got := c.p.add(base); !got.Equal(c.want) {
			t.Errorf("%s from %v = %v, want %v", c.p, base, got, c.want)
		}
	}
}

func TestFlowsCatalogue(t *testing.T) {
	fs, all := Flows(), allFlows()
	if len(fs) != len(all) {
		t.Fatalf("%d flows, want %d", len(fs), len(all))
	}
	for i, f := range fs {
		if f.Flow != all[i] {
			t.Errorf("flow %d is %s, want %s (same order as flows.Catalog)", i, f.Flow, all[i])
		}
		if f.Title == "" || f.Needs == "" || f.Summary == "" || f.CanIssueRefreshToken == "" {
			t.Errorf("%s: incomplete %+v", f.Flow, f)
		}
	}
	want := map[flows.Flow]string{
		flows.WebServer: "yes, with the refresh_token scope", flows.UsernamePassword: "never",
		flows.JWTBearer: "never", flows.ClientCredentials: "never", flows.SAMLBearer: "never",
		flows.Refresh: "rotation", flows.UserAgent: "custom-scheme", flows.Device: "yes", flows.TokenExchange: "not confirmed",
	}
	for _, f := range fs {
		if w, ok := want[f.Flow]; ok && !strings.Contains(f.CanIssueRefreshToken, w) {
			t.Errorf("%s: CanIssueRefreshToken %q lacks %q", f.Flow, f.CanIssueRefreshToken, w)
		}
	}
	for _, f := range fs {
		legacy := f.Flow == flows.UsernamePassword || f.Flow == flows.Device || f.Flow == flows.UserAgent
		if legacy != (f.Legacy != "") {
			t.Errorf("%s: Legacy = %q", f.Flow, f.Legacy)
		}
	}
	fs[0].Title = "changed"
	if Flows()[0].Title == "changed" {
		t.Error("Flows returns shared state")
	}
}

func TestScopesCatalogue(t *testing.T) {
	ss := Scopes()
	names := map[string]ScopeInfo{}
	for _, s := range ss {
		if s.Name == "" || s.Metadata == "" || s.Meaning == "" {
			t.Errorf("incomplete scope %+v", s)
		}
		if _, dup := names[s.Name]; dup {
			t.Errorf("duplicate scope %s", s.Name)
		}
		names[s.Name] = s
	}
	// Every scope of the OIDC discovery document (reference §1.3) is in the catalogue.
	for _, n := range strings.Fields("cdp_ingest_api custom_permissions cdp_segment_api content cdp_api chatbot_api " +
		"cdp_identityresolution_api interaction_api wave_api web cdp_calculated_insight_api einstein_gpt_api offline_access " +
		"id api data_cloud_user_claims eclair_api email pardot_api lightning visualforce cdp_query_api sfap_api address " +
		"openid profile scrt_api cdp_profile_api refresh_token phone user_registration_api pwdless_login_api chatter_api mcp_api full forgot_password") {
		if _, ok := names[canonicalScope(n)]; !ok {
			t.Errorf("scope %s is not in the catalogue", n)
		}
	}
	if rt := names["refresh_token"]; !rt.Prominent || len(rt.Synonyms) != 1 || rt.Synonyms[0] != "offline_access" || rt.Metadata != "RefreshToken" {
		t.Errorf("refresh_token entry: %+v", rt)
	}
	if !strings.Contains(names["full"].Meaning, "does not return a refresh token") {
		t.Error("full must say it does not return a refresh token")
	}
	for in, want := range map[string]string{"OfflineAccess": "refresh_token", "offline_access": "refresh_token", "RefreshToken": "refresh_token",
		"Basic": "id", "email": "id", "OpenID": "openid", "my_custom": "my_custom"} {
		if got := canonicalScope(in); got != want {
			t.Errorf("canonicalScope(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUserAgentCallbackRule(t *testing.T) {
	for cb, want := range map[string]bool{
		"myapp://oauth/done": true,
		"https://login.salesforce.com/services/oauth2/success":   true,
		"https://test.salesforce.com/services/oauth2/success":    true,
		"http://localhost:1717/OauthRedirect":                    false,
		"https://acme.my.salesforce.com/services/oauth2/success": false,
	} {
		if _, ok := callbackGetsRefreshToken(cb); ok != want {
			t.Errorf("%s: refresh token allowed = %v, want %v", cb, ok, want)
		}
	}
}

func TestIdleTimeoutInferredFromIntrospection(t *testing.T) {
	in := &flows.Introspection{Active: true, Iat: issued.Unix(), Exp: issued.Add(4 * time.Hour).Unix()}
	tc := effectiveTimeout(Settings{}, in)
	if tc.d != 4*time.Hour || tc.src != SourceIntrospection {
		t.Errorf("got %v from %s", tc.d, tc.src)
	}
	// An already extended session (exp − iat not a Salesforce timeout) is not a timeout.
	in.Exp = issued.Add(3*time.Hour + 17*time.Minute).Unix()
	if tc := effectiveTimeout(Settings{}, in); tc.src != SourceDefault {
		t.Errorf("extended session read as a timeout: %v from %s", tc.d, tc.src)
	}
	// Known settings win over introspection.
	if tc := effectiveTimeout(Settings{OrgSessionTimeoutMinutes: 60}, in); tc.src != SourceOrg {
		t.Errorf("org setting lost to introspection: %s", tc.src)
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Hour: "2 hours", time.Hour: "1 hour", 90 * time.Minute: "1 hour 30 minutes", 15 * time.Minute: "15 minutes",
		24 * time.Hour: "24 hours", 72 * time.Hour: "3 days", 450 * time.Second: "7 minutes 30 seconds", 20 * time.Second: "20 seconds",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
