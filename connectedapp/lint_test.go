package connectedapp

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

func baseApp(kind Kind) Settings {
	s := NewSettings(kind, "Lab_App")
	s.ContactEmail = "admin@example.com"
	s.CallbackURLs = []string{"http://localhost:1717/OauthRedirect"}
	s.Scopes = []string{"api", "refresh_token", "openid"}
	s.Profiles = []string{"System Administrator"}
	return s
}

func yes() *bool { return boolp(true) }
func no() *bool  { return boolp(false) }

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Severity)+":"+f.Code)
	}
	return out
}

func TestLint(t *testing.T) {
	cb := "http://localhost:1717/OauthRedirect"
	web := func(cb string, scopes ...string) Profile {
		return Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, Scopes: scopes}
	}
	tests := []struct {
		name    string
		kind    Kind
		profile Profile
		edit    func(*Settings)
		want    []string // "severity:code" that must be present
		notWant []string // codes that must be absent (any severity)
	}{
		{name: "exact callback and selected scopes pass", profile: web(cb, "api", "refresh_token"),
			notWant: []string{"callback-port", "callback-mismatch", "scope-not-selected", "refresh-token-not-selected"}},
		{name: "second of several callback URLs matches", profile: web("https://app.example.com/cb", "api"),
			edit: func(s *Settings) { s.CallbackURLs = append(s.CallbackURLs, "https://app.example.com/cb") }, notWant: []string{"callback-path"}},
		{name: "callback differing by port is a mismatch", profile: web("http://localhost:1718/OauthRedirect"), want: []string{"error:callback-port"}},
		{name: "localhost vs 127.0.0.1 is a mismatch", profile: web("http://127.0.0.1:1717/OauthRedirect"), want: []string{"error:callback-loopback-host"}},
		{name: "trailing slash is a mismatch", profile: web("http://localhost:1717/OauthRedirect/"), want: []string{"error:callback-trailing-slash"}},
		{name: "other path is a mismatch", profile: web("http://localhost:1717/callback"), want: []string{"error:callback-path"}},
		{name: "https vs http is a mismatch", profile: web("https://localhost:1717/OauthRedirect"), want: []string{"error:callback-scheme"}, notWant: []string{"callback-port"}},
		{name: "app without callback URL", profile: web(cb), edit: func(s *Settings) { s.CallbackURLs = nil }, want: []string{"error:callback-none"}},
		{name: "browser flow without profile callback", profile: Profile{Flow: flows.WebServerPKCE}, want: []string{"error:callback-missing"}},
		{name: "non-browser flow ignores callback", profile: Profile{Flow: flows.ClientCredentials, LoginURL: "https://acme.my.salesforce.com", CallbackURL: "http://x/"},
			edit: func(s *Settings) { s.ClientCredentialsEnabled = true; s.ClientCredentialsUser = "int@example.com" }, notWant: []string{"callback-host", "callback-port", "callback-path"}},
		{name: "refresh_token requested but not selected on app", profile: web(cb, "api", "refresh_token"),
			edit: func(s *Settings) { s.Scopes = []string{"api"} }, want: []string{"error:refresh-token-not-selected"}},
		{name: "offline_access counts as refresh_token", profile: web(cb, "api", "offline_access"), notWant: []string{"refresh-token-not-selected", "scope-not-selected"}},
		{name: "refresh flow without refresh_token on app", profile: Profile{Flow: flows.Refresh},
			edit: func(s *Settings) { s.Scopes = []string{"api"} }, want: []string{"error:refresh-token-not-selected"}},
		{name: "app without refresh_token gives no refresh token", profile: web(cb, "api"),
			edit: func(s *Settings) { s.Scopes = []string{"api"} }, want: []string{"warning:refresh-token-not-selected"}},
		{name: "refresh_token selected but not requested", profile: web(cb, "api", "full"), edit: func(s *Settings) { s.Scopes = append(s.Scopes, "full") },
			want: []string{"warning:refresh-token-not-requested"}},
		{name: "no scope parameter grants all app scopes", profile: web(cb), notWant: []string{"refresh-token-not-requested", "scope-not-selected"}},
		{name: "other scope not selected", profile: web(cb, "api", "chatter_api"), want: []string{"error:scope-not-selected"}},
		{name: "ID token expected without openid requested", profile: Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, Scopes: []string{"api"}, ExpectIDToken: true},
			want: []string{"error:openid-missing"}},
		{name: "ID token expected and openid missing on app", profile: Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, ExpectIDToken: true},
			edit: func(s *Settings) { s.Scopes = []string{"api"} }, want: []string{"error:openid-missing"}},
		{name: "openid requested but not selected", profile: web(cb, "openid"), edit: func(s *Settings) { s.Scopes = []string{"api"} }, want: []string{"error:openid-not-selected"}},
		{name: "ID token expected from a flow that never gives one", profile: Profile{Flow: flows.JWTBearer, ExpectIDToken: true}, want: []string{"warning:id-token-not-issued"}},
		{name: "ID token validity reported", profile: Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, Scopes: []string{"openid"}, ExpectIDToken: true}, want: []string{"info:id-token-validity"}},
		{name: "PKCE required by the app but off in the profile", profile: Profile{Flow: flows.WebServer, CallbackURL: cb},
			edit: func(s *Settings) { s.PKCERequired = true }, want: []string{"error:pkce-required"}},
		{name: "External Client Apps require PKCE by default", kind: External, profile: Profile{Flow: flows.WebServer, CallbackURL: cb}, want: []string{"error:pkce-required"}},
		{name: "org-wide PKCE requirement", profile: Profile{Flow: flows.WebServer, CallbackURL: cb}, edit: func(s *Settings) { s.Org.PKCERequired = true }, want: []string{"error:pkce-required-org"}},
		{name: "web-server-pkce satisfies PKCE", kind: External, profile: web(cb), notWant: []string{"pkce-required", "pkce-required-org"}},
		{name: "web server secret required but absent", profile: Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, HasSecret: no()}, want: []string{"error:secret-required-web-server"}},
		{name: "public client with optional secret", profile: Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, HasSecret: no()},
			edit: func(s *Settings) { s.ConsumerSecretOptional = true }, notWant: []string{"secret-required-web-server"}},
		{name: "refresh secret required but absent", profile: Profile{Flow: flows.Refresh, HasSecret: no()}, want: []string{"error:secret-required-refresh"}},
		{name: "token exchange secret required but absent", profile: Profile{Flow: flows.TokenExchange, HasSecret: no()},
			edit: func(s *Settings) { s.TokenExchangeEnabled = true; s.SecretRequiredForTokenExchange = true }, want: []string{"error:secret-required-token-exchange"}},
		{name: "username-password always needs the secret", profile: Profile{Flow: flows.UsernamePassword, HasSecret: no()},
			edit: func(s *Settings) { s.Org.BlockUsernamePasswordFlow = no() }, want: []string{"error:secret-required"}},
		{name: "client credentials not enabled", profile: Profile{Flow: flows.ClientCredentials, LoginURL: "https://acme.my.salesforce.com"}, want: []string{"error:client-credentials-disabled"}},
		{name: "client credentials without a run-as user", profile: Profile{Flow: flows.ClientCredentials, LoginURL: "https://acme.my.salesforce.com"},
			edit: func(s *Settings) { s.ClientCredentialsEnabled = true }, want: []string{"error:client-credentials-no-user"}, notWant: []string{"client-credentials-disabled"}},
		{name: "client credentials on a login host", profile: Profile{Flow: flows.ClientCredentials, LoginURL: "https://login.salesforce.com"},
			edit: func(s *Settings) { s.ClientCredentialsEnabled = true; s.ClientCredentialsUser = "int@example.com" }, want: []string{"error:client-credentials-login-host"}},
		{name: "client credentials on My Domain with a run-as user", profile: Profile{Flow: flows.ClientCredentials, LoginURL: "https://acme.my.salesforce.com"},
			edit:    func(s *Settings) { s.ClientCredentialsEnabled = true; s.ClientCredentialsUser = "int@example.com" },
			notWant: []string{"client-credentials-disabled", "client-credentials-no-user", "client-credentials-login-host", "no-permitted-users"}},
		{name: "JWT bearer without a certificate", profile: Profile{Flow: flows.JWTBearer}, want: []string{"error:jwt-no-certificate"}},
		{name: "JWT bearer with self-authorizing users", profile: Profile{Flow: flows.JWTBearer},
			edit: func(s *Settings) { s.Certificate = "PEM" }, want: []string{"warning:jwt-not-preauthorized"}},
		{name: "JWT bearer with no pre-authorized user", profile: Profile{Flow: flows.JWTBearer},
			edit: func(s *Settings) {
				s.Certificate = "PEM"
				s.PermittedUsers = AdminApprovedPreAuthorized
				s.Profiles = nil
			},
			want: []string{"error:jwt-not-preauthorized"}},
		{name: "JWT bearer pre-authorized with a certificate", profile: Profile{Flow: flows.JWTBearer},
			edit:    func(s *Settings) { s.Certificate = "PEM"; s.PermittedUsers = AdminApprovedPreAuthorized },
			notWant: []string{"jwt-not-preauthorized", "jwt-no-certificate", "jwt-no-refresh-scope"}},
		{name: "username-password blocked by the org", profile: Profile{Flow: flows.UsernamePassword},
			edit: func(s *Settings) { s.Org.BlockUsernamePasswordFlow = yes() }, want: []string{"error:username-password-blocked", "info:username-password-retiring"}},
		{name: "username-password with unknown org setting", profile: Profile{Flow: flows.UsernamePassword}, want: []string{"warning:username-password-maybe-blocked"}},
		{name: "username-password unsupported by External Client Apps", kind: External, profile: Profile{Flow: flows.UsernamePassword}, want: []string{"error:username-password-eca"}},
		{name: "device flow disabled on the app", kind: External, profile: Profile{Flow: flows.Device}, want: []string{"error:device-flow-disabled"}},
		{name: "device flow unknown for a Connected App", profile: Profile{Flow: flows.Device}, want: []string{"warning:device-flow-unknown"}},
		{name: "device flow blocked for an uninstalled Connected App", profile: Profile{Flow: flows.Device},
			edit: func(s *Settings) { s.DeviceFlowEnabled = yes(); s.Installed = no() }, want: []string{"error:device-flow-uninstalled"}, notWant: []string{"device-flow-unknown"}},
		{name: "device flow enabled on an installed app", profile: Profile{Flow: flows.Device},
			edit: func(s *Settings) { s.DeviceFlowEnabled = yes(); s.Installed = yes() }, notWant: []string{"device-flow-uninstalled", "device-flow-disabled", "device-flow-unknown"}},
		{name: "uninstalled Connected App for a user flow", profile: web(cb), edit: func(s *Settings) { s.Installed = no() }, want: []string{"warning:app-not-installed"}},
		{name: "session timeout shorter than expected", profile: Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, ExpectSessionMinutes: 480},
			edit: func(s *Settings) { s.SessionTimeoutMinutes = 15 }, want: []string{"warning:session-shorter-than-expected"}},
		{name: "org session timeout shorter than expected", profile: Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, ExpectSessionMinutes: 240},
			edit: func(s *Settings) { s.Org.SessionTimeoutMinutes = 120 }, want: []string{"warning:session-shorter-than-expected"}},
		{name: "session timeout long enough", profile: Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, ExpectSessionMinutes: 60},
			edit: func(s *Settings) { s.SessionTimeoutMinutes = 120 }, notWant: []string{"session-shorter-than-expected"}},
		{name: "user-agent flow blocked by the org", profile: Profile{Flow: flows.UserAgent, CallbackURL: cb},
			edit: func(s *Settings) { s.Org.BlockUserAgentFlow = true }, want: []string{"error:user-agent-blocked"}},
		{name: "user-agent flow gives no refresh token to a loopback callback", profile: Profile{Flow: flows.UserAgent, CallbackURL: cb, Scopes: []string{"api", "refresh_token"}},
			want: []string{"warning:user-agent-no-refresh"}},
		{name: "token exchange not enabled", profile: Profile{Flow: flows.TokenExchange}, want: []string{"error:token-exchange-disabled"}},
		{name: "refresh tokens that expire immediately", profile: Profile{Flow: flows.Refresh},
			edit: func(s *Settings) { s.RefreshTokenPolicy = RefreshTokenPolicy{Type: RefreshZero} }, want: []string{"error:refresh-policy-zero"}},
		{name: "plain http login URL", profile: Profile{Flow: flows.Refresh, LoginURL: "http://login.salesforce.com"}, want: []string{"error:login-url-http"}},
		{name: "unknown flow", profile: Profile{Flow: "implicit-magic"}, want: []string{"error:unknown-flow"}},
		{name: "app without scopes", profile: Profile{}, edit: func(s *Settings) { s.Scopes = nil }, want: []string{"error:no-scopes"}},
		{name: "admin-approved app with nobody assigned", profile: web(cb), edit: func(s *Settings) { s.PermittedUsers = AdminApprovedPreAuthorized; s.Profiles = nil },
			want: []string{"warning:no-permitted-users"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kind := tc.kind
			if kind == "" {
				kind = Connected
			}
			s := baseApp(kind)
			if tc.edit != nil {
				tc.edit(&s)
			}
			got := LintAt(tc.profile, s, lintNow)
			have := codes(got)
			for _, w := range tc.want {
				if !slices.Contains(have, w) {
					t.Errorf("missing %s; got %v", w, have)
				}
			}
			for _, n := range tc.notWant {
				for _, h := range have {
					if strings.HasSuffix(h, ":"+n) {
						t.Errorf("unexpected %s; got %v", h, have)
					}
				}
			}
			for i, f := range got {
				if f.Problem == "" || f.Cause == "" || f.Fix == "" {
					t.Errorf("finding %s lacks problem, cause or fix: %+v", f.Code, f)
				}
				if strings.ContainsAny(f.Problem+f.Fix, "\n") {
					t.Errorf("finding %s is not one line: %q", f.Code, f.Problem)
				}
				if f.Blocks != "" && (f.Blocks != tc.profile.Flow || f.Severity != Error) {
					t.Errorf("finding %s (%s) blocks %q in a %q profile", f.Code, f.Severity, f.Blocks, tc.profile.Flow)
				}
				if i > 0 && rank(got[i-1].Severity) > rank(f.Severity) {
					t.Errorf("findings not sorted errors first: %v", have)
				}
			}
		})
	}
}

// The app lacks refresh_token: each flow gets refresh-token-not-selected once at most, whether
// the profile requests refresh_token, offline_access, both or neither, and with the severity
// that fits (an error for a profile that asks for it and for the refresh flow, a warning
// for a flow that would otherwise issue one).
func TestLintRefreshTokenNotSelectedOnce(t *testing.T) {
	s := baseApp(Connected)
	s.Scopes = []string{"api", "openid"}
	s.Certificate, s.ClientCredentialsEnabled, s.ClientCredentialsUser = "PEM", true, "int@example.com"
	for _, sp := range flows.Catalog() {
		for _, scopes := range [][]string{nil, {"api"}, {"api", "refresh_token"}, {"api", "offline_access"}, {"refresh_token", "offline_access"}} {
			p := Profile{Flow: sp.Flow, CallbackURL: "http://localhost:1717/OauthRedirect", Scopes: scopes,
				LoginURL: "https://acme.my.salesforce.com"}
			var got []Finding
			for _, f := range LintAt(p, s, lintNow) {
				if f.Code == "refresh-token-not-selected" {
					got = append(got, f)
				}
			}
			asks := slices.Contains(scopes, "refresh_token") || slices.Contains(scopes, "offline_access")
			var want Severity
			switch {
			case sp.Flow == flows.Refresh || asks:
				want = Error
			case sp.Refresh.Can():
				want = Warning
			}
			wantN := 1
			if want == "" {
				wantN = 0
			}
			switch {
			case len(got) != wantN:
				t.Errorf("%s %v: %d refresh-token-not-selected findings, want %d: %v", sp.Flow, scopes, len(got), wantN, got)
			case len(got) == 1 && got[0].Severity != want:
				t.Errorf("%s %v: %s, want %s", sp.Flow, scopes, got[0].Severity, want)
			case len(got) == 1 && got[0].BlocksFlow(sp.Flow) != (sp.Flow == flows.Refresh):
				// requesting a scope the app lacks fails the flow; only the refresh flow has nothing to refresh
				t.Errorf("%s %v: blocks %q", sp.Flow, scopes, got[0].Blocks)
			}
		}
	}
}

// The errors that say the app or org does not allow a flow at all carry the flow they block;
// errors about how an allowed flow will fail do not.
func TestLintBlocks(t *testing.T) {
	cb := "http://localhost:1717/OauthRedirect"
	for _, tc := range []struct {
		kind   Kind
		p      Profile
		edit   func(*Settings)
		code   string
		blocks bool
	}{
		{Connected, Profile{Flow: flows.ClientCredentials, LoginURL: "https://acme.my.salesforce.com"}, nil, "client-credentials-disabled", true},
		{Connected, Profile{Flow: flows.ClientCredentials, LoginURL: "https://acme.my.salesforce.com"},
			func(s *Settings) { s.ClientCredentialsEnabled = true }, "client-credentials-no-user", false},
		{Connected, Profile{Flow: flows.JWTBearer}, nil, "jwt-no-certificate", true},
		{External, Profile{Flow: flows.UsernamePassword}, nil, "username-password-eca", true},
		{Connected, Profile{Flow: flows.UsernamePassword}, func(s *Settings) { s.Org.BlockUsernamePasswordFlow = yes() }, "username-password-blocked", true},
		{External, Profile{Flow: flows.Device}, nil, "device-flow-disabled", true},
		{Connected, Profile{Flow: flows.Device}, func(s *Settings) { s.DeviceFlowEnabled = yes(); s.Installed = no() }, "device-flow-uninstalled", true},
		{Connected, Profile{Flow: flows.UserAgent, CallbackURL: cb}, func(s *Settings) { s.Org.BlockUserAgentFlow = true }, "user-agent-blocked", true},
		{Connected, Profile{Flow: flows.TokenExchange}, nil, "token-exchange-disabled", true},
		{External, Profile{Flow: flows.WebServer, CallbackURL: cb}, nil, "pkce-required", true},
		{Connected, Profile{Flow: flows.WebServer, CallbackURL: cb}, func(s *Settings) { s.Org.PKCERequired = true }, "pkce-required-org", true},
		{Connected, Profile{Flow: flows.Refresh}, func(s *Settings) { s.Scopes = []string{"api"} }, "refresh-token-not-selected", true},
		{Connected, Profile{Flow: flows.WebServerPKCE, CallbackURL: cb, Scopes: []string{"refresh_token"}}, func(s *Settings) { s.Scopes = []string{"api"} }, "refresh-token-not-selected", false},
		{Connected, Profile{Flow: flows.WebServerPKCE, CallbackURL: "http://localhost:1718/OauthRedirect"}, nil, "callback-port", false},
		{Connected, Profile{Flow: flows.Refresh}, func(s *Settings) { s.RefreshTokenPolicy = RefreshTokenPolicy{Type: RefreshZero} }, "refresh-policy-zero", false},
	} {
		s := baseApp(tc.kind)
		if tc.edit != nil {
			tc.edit(&s)
		}
		fs := LintAt(tc.p, s, lintNow)
		i := slices.IndexFunc(fs, func(f Finding) bool { return f.Code == tc.code && f.Severity == Error })
		if i < 0 {
			t.Errorf("%s %s: no error %s in %v", tc.kind, tc.p.Flow, tc.code, codes(fs))
			continue
		}
		if got := fs[i].BlocksFlow(tc.p.Flow); got != tc.blocks {
			t.Errorf("%s %s: %s blocks the flow: %v, want %v", tc.kind, tc.p.Flow, tc.code, got, tc.blocks)
		}
		if fs[i].BlocksFlow(flows.Device) && tc.p.Flow != flows.Device {
			t.Errorf("%s blocks a flow other than the profile's", tc.code)
		}
	}
}

func TestLintNamesSetupPathAndMetadataFieldPerKind(t *testing.T) {
	p := Profile{Flow: flows.WebServerPKCE, CallbackURL: "http://localhost:1718/OauthRedirect"}
	for _, tc := range []struct {
		kind       Kind
		setup, fld string
	}{
		{Connected, "App Manager", "ConnectedApp oauthConfig/callbackUrl"},
		{External, "External Client App Manager", "ExtlClntAppGlobalOauthSettings callbackUrl"},
	} {
		fs := Lint(p, baseApp(tc.kind))
		i := slices.IndexFunc(fs, func(f Finding) bool { return f.Code == "callback-port" })
		if i < 0 {
			t.Fatalf("%s: no callback-port finding in %v", tc.kind, codes(fs))
		}
		f := fs[i]
		if !strings.Contains(f.SetupPath, tc.setup) || !strings.HasPrefix(f.MetadataField, tc.fld) {
			t.Errorf("%s: setup %q field %q", tc.kind, f.SetupPath, f.MetadataField)
		}
		if f.WireError != "redirect_uri_mismatch: redirect_uri must match configuration" {
			t.Errorf("%s: wire error %q", tc.kind, f.WireError)
		}
	}
}

func TestLintCleanProfileHasNoErrors(t *testing.T) {
	s := baseApp(External)
	fs := Lint(Profile{Flow: flows.WebServerPKCE, CallbackURL: "http://localhost:1717/OauthRedirect", Scopes: []string{"api", "refresh_token"}, HasSecret: yes()}, s)
	if HasErrors(fs) {
		t.Fatalf("clean profile has errors: %v", codes(fs))
	}
	e, w, _ := Count(fs)
	if e != 0 || w != 0 {
		t.Errorf("errors %d warnings %d: %v", e, w, codes(fs))
	}
}

func TestMatchCallbackNamesEveryDifference(t *testing.T) {
	m := MatchCallback([]string{"https://app.example.com/cb\nhttp://localhost:1717/OauthRedirect"}, "http://127.0.0.1:1718/OauthRedirect/")
	if m.Exact || m.Nearest != "http://localhost:1717/OauthRedirect" {
		t.Fatalf("nearest %q exact %v", m.Nearest, m.Exact)
	}
	want := []CallbackDiff{DiffLoopbackHost, DiffPort, DiffTrailingSlash}
	if !slices.Equal(m.Diffs, want) {
		t.Errorf("diffs %v, want %v", m.Diffs, want)
	}
	if m := MatchCallback([]string{"http://localhost:80/cb"}, "http://localhost/cb"); m.Exact || m.Diffs[0] != DiffSpelling {
		t.Errorf("default port written out: %+v", m)
	}
}

// Dated findings read guidance's platform table and are told from the time LintAt is given.
func TestLintDatesFromThePlatformTable(t *testing.T) {
	p := Profile{Flow: flows.UsernamePassword}
	s := baseApp(Connected)
	s.Org.BlockUsernamePasswordFlow = no()
	find := func(fs []Finding, code string) Finding {
		for _, f := range fs {
			if f.Code == code {
				return f
			}
		}
		t.Fatalf("no %s in %v", code, codes(fs))
		return Finding{}
	}
	before := find(LintAt(p, s, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)), "username-password-retiring")
	if before.Severity != Info || !strings.Contains(before.Problem, "retires on February 20, 2027") || before.Source == nil {
		t.Errorf("before the date: %+v", before)
	}
	after := find(LintAt(p, s, time.Date(2027, 2, 21, 0, 0, 0, 0, time.UTC)), "username-password-retiring")
	if after.Severity != Error || !strings.Contains(after.Problem, "has been retired since February 20, 2027") {
		t.Errorf("after the date: %+v", after)
	}
	for _, f := range LintAt(p, s, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)) {
		if strings.Contains(f.Problem+f.Cause, "retiring in Winter '27") {
			t.Errorf("stale date: %+v", f)
		}
	}
}

func TestReadinessFindings(t *testing.T) {
	dec26 := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	s := baseApp(Connected)
	fs := Readiness(Profile{Flow: flows.Device, LoginURL: "https://cs42.salesforce.com"}, s, dec26)
	want := map[string]Severity{"readiness-device-eca-localhost": Error, "readiness-instanced-urls": Warning, "readiness-connected-apps-end-of-support": Warning}
	for _, f := range fs {
		if w, ok := want[f.Code]; ok {
			if f.Severity != w || f.Source == nil || f.Fix == "" {
				t.Errorf("%s: %+v", f.Code, f)
			}
			delete(want, f.Code)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing %v in %v", want, codes(fs))
	}
	if fs[0].Severity != Error {
		t.Errorf("errors first: %v", codes(fs))
	}
	eca := baseApp(External)
	if fs := Readiness(Profile{Flow: flows.WebServerPKCE, CallbackURL: "http://localhost:1717/OauthRedirect", LoginURL: "https://acme.my.salesforce.com"}, eca, dec26); len(fs) != 0 {
		t.Errorf("a ready External Client App got findings: %v", codes(fs))
	}
	fs = Readiness(Profile{Flow: flows.UsernamePassword}, s, dec26)
	if len(fs) == 0 || fs[0].Code != "readiness-unpw-retired" || fs[0].SetupPath == "" || !strings.Contains(fs[0].Problem, "retires on February 20, 2027") {
		t.Errorf("username-password readiness: %+v", fs)
	}
}

// lintNow pins the date dated findings are told from (before February 20, 2027).
var lintNow = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// Every app setting a flow of the catalogue depends on is one lint knows, with a Setup path
// and a metadata field for both app kinds.
func TestCatalogueSettingsAreKnown(t *testing.T) {
	for _, sp := range flows.Catalog() {
		if len(sp.AppSettings) == 0 {
			t.Errorf("%s depends on no app setting", sp.Flow)
		}
		for _, name := range sp.AppSettings {
			for _, kind := range []Kind{Connected, External} {
				if path, field, ok := Where(kind, name); !ok || path == "" || field == "" {
					t.Errorf("%s depends on %q, which has no place for %s apps (%q, %q)", sp.Flow, name, kind, path, field)
				}
			}
		}
	}
	if _, _, ok := Where(Connected, "no-such-setting"); ok {
		t.Error("Where knows a setting that does not exist")
	}
}
