package connectedapp

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// Severity ranks a finding. Lint never blocks anything: callers decide what to do with errors.
type Severity string

const (
	// Error: the flow will fail as configured (the wire error is in Finding.WireError).
	Error Severity = "error"
	// Warning: the flow may fail, or will succeed without something the user expects.
	Warning Severity = "warning"
	// Info: worth knowing; nothing to fix.
	Info Severity = "info"
)

// Finding is one configuration problem: what is wrong, why, and what to change, with the
// Setup path an admin clicks and the metadata field a developer edits.
type Finding struct {
	Code          string   `json:"code"` // stable identifier, e.g. callback-port
	Severity      Severity `json:"severity"`
	Problem       string   `json:"problem"`
	Cause         string   `json:"cause"`
	Fix           string   `json:"fix"`
	SetupPath     string   `json:"setupPath,omitempty"`
	MetadataField string   `json:"metadataField,omitempty"`
	// WireError is what Salesforce answers when this bites, e.g.
	// "redirect_uri_mismatch: redirect_uri must match configuration".
	WireError string `json:"wireError,omitempty"`
	// Source names where the Salesforce fact behind a dated finding is documented
	// (the platform table's source); nil for findings about the app's own settings.
	Source *guidance.DocRef `json:"source,omitempty"`
	// Blocks names the flow this error says the app or org does not allow at all (the flow
	// is switched off, or this kind of app does not support it); empty when the finding is
	// about how a flow the app allows will behave. A checkup skips a blocked flow, with the
	// finding's fix, instead of running it.
	Blocks flows.Flow `json:"blocks,omitempty"`
}

// BlocksFlow reports whether f says the app or org does not allow flow fl at all.
func (f Finding) BlocksFlow(fl flows.Flow) bool {
	return f.Severity == Error && fl != "" && f.Blocks == fl
}

// String is the one-line form: "error callback-port: problem".
func (f Finding) String() string {
	return fmt.Sprintf("%s %s: %s", f.Severity, f.Code, f.Problem)
}

// Profile is what the user is about to run: the flow, the redirect URI and the scopes the
// client will request, and what it expects to get back.
type Profile struct {
	Flow        flows.Flow `json:"flow"`
	CallbackURL string     `json:"callbackUrl,omitempty"`
	// Scopes the client requests; empty means no scope parameter, which grants every
	// scope selected on the app.
	Scopes   []string `json:"scopes,omitempty"`
	LoginURL string   `json:"loginUrl,omitempty"`
	// UsePKCE: the client sends code_challenge (implied by web-server-pkce).
	UsePKCE bool `json:"usePkce,omitempty"`
	// HasSecret: whether the client will send the consumer secret; nil when unknown.
	HasSecret *bool `json:"hasSecret,omitempty"`
	// ExpectIDToken: the user wants an id_token back.
	ExpectIDToken bool `json:"expectIdToken,omitempty"`
	// ExpectSessionMinutes: how long the user expects an access token to stay usable while
	// idle; 0 when they have no expectation.
	ExpectSessionMinutes int `json:"expectSessionMinutes,omitempty"`
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Error })
}

// Count returns the number of findings of each severity.
func Count(fs []Finding) (errors, warnings, infos int) {
	for _, f := range fs {
		switch f.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		default:
			infos++
		}
	}
	return
}

type linter struct {
	p    Profile
	spec flows.Spec // the catalogue's entry for p.Flow
	s    Settings
	now  time.Time
	out  []Finding
}

func (l *linter) add(sev Severity, code string, at setting, problem, cause, fix, wire string) {
	path, field := where(l.s.Kind, at)
	l.out = append(l.out, Finding{Code: code, Severity: sev, Problem: problem, Cause: cause, Fix: fix,
		SetupPath: path, MetadataField: field, WireError: wire})
}

// reported reports whether a finding with code was added already.
func (l *linter) reported(code string) bool {
	return slices.ContainsFunc(l.out, func(f Finding) bool { return f.Code == code })
}

// block adds an error that says the app or org does not allow the profile's flow at all.
func (l *linter) block(code string, at setting, problem, cause, fix, wire string) {
	l.add(Error, code, at, problem, cause, fix, wire)
	l.out[len(l.out)-1].Blocks = l.p.Flow
}

// Lint checks the app's settings against the profile and returns every problem it finds,
// errors first. It never refuses anything: a caller may run the flow anyway. With an empty
// profile flow, only flow-independent checks run. Dated platform changes are told from the
// current time; LintAt takes it as a parameter.
func Lint(p Profile, s Settings) []Finding { return LintAt(p, s, time.Now()) }

// LintWithReadiness is LintAt plus Readiness (what dated platform changes break in the
// profile and app, and when), errors first: `app lint --readiness`.
func LintWithReadiness(p Profile, s Settings, now time.Time) []Finding {
	out := append(LintAt(p, s, now), Readiness(p, s, now)...)
	slices.SortStableFunc(out, func(a, b Finding) int { return rank(a.Severity) - rank(b.Severity) })
	return out
}

// LintAt is Lint with platform changes dated from now ("retires on …", "has been retired since …").
func LintAt(p Profile, s Settings, now time.Time) []Finding {
	return LintIn(flows.Catalog(), p, s, now)
}

// LintIn is LintAt with the flows of cat (a catalogue a caller was given): what a flow
// depends on (browser, refresh token, ID token, a required secret) is read from its entry.
func LintIn(cat []flows.Spec, p Profile, s Settings, now time.Time) []Finding {
	if s.Kind == "" {
		s.Kind = Connected
	}
	p.Scopes = NormalizeScopes(p.Scopes)
	s.Scopes = NormalizeScopes(s.Scopes)
	if p.Flow == flows.WebServerPKCE {
		p.UsePKCE = true
	}
	spec, known := flows.LookupIn(cat, p.Flow)
	l := &linter{p: p, spec: spec, s: s, now: now}
	l.general()
	if p.Flow != "" {
		if !known {
			l.out = append(l.out, Finding{Code: "unknown-flow", Severity: Error,
				Problem: fmt.Sprintf("unknown flow %q", p.Flow), Cause: "the profile names a flow this tool does not know",
				Fix: "use one of: " + flows.Names(cat)})
		} else {
			l.loginURL()
			l.callback()
			l.scopes()
			l.idToken()
			l.pkce()
			l.secret()
			l.perFlow()
			l.installed()
			l.session()
		}
	}
	slices.SortStableFunc(l.out, func(a, b Finding) int { return rank(a.Severity) - rank(b.Severity) })
	return l.out
}

func rank(s Severity) int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// interactiveUserFlow: a user (not a Run As user) is behind the token.
func interactiveUserFlow(f flows.Flow) bool {
	return f != flows.ClientCredentials
}

// requested returns the scopes the client asks for; no scope parameter grants all app scopes.
func (l *linter) requested() []string {
	if len(l.p.Scopes) == 0 {
		return l.s.Scopes
	}
	return l.p.Scopes
}

func (l *linter) general() {
	s := l.s
	if len(s.Scopes) == 0 {
		l.add(Error, "no-scopes", setScopes, "the app has no OAuth scopes selected",
			"every authorize request fails with invalid_scope when the app grants nothing",
			"select at least api (and refresh_token for long-lived access)", "invalid_scope: the requested scope is not allowed")
	}
	if s.PermittedUsers == AdminApprovedPreAuthorized && len(s.Profiles) == 0 && len(s.PermissionSets) == 0 &&
		(l.p.Flow == "" || interactiveUserFlow(l.p.Flow)) {
		l.add(Warning, "no-permitted-users", setPermittedUsers, "only pre-authorized users may use the app, and no profile or permission set is assigned",
			"with \"Admin approved users are pre-authorized\" a user outside the assigned profiles and permission sets is refused",
			"assign the user's profile or a permission set to the app, or let all users self-authorize",
			"invalid_app_access: user is not admin approved to access this app")
	}
	if s.IDTokenValidityMinutes < 0 || s.IDTokenValidityMinutes > 720 {
		l.add(Error, "id-token-validity-range", setIDToken, fmt.Sprintf("ID token validity %d minutes is outside 1–720", s.IDTokenValidityMinutes),
			"Salesforce accepts 1 to 720 minutes", "set a value between 1 and 720 (the default is 2)", "")
	}
}

func (l *linter) loginURL() {
	if l.p.LoginURL == "" {
		return
	}
	u, err := url.Parse(l.p.LoginURL)
	if err != nil || u.Host == "" {
		l.out = append(l.out, Finding{Code: "login-url-invalid", Severity: Error,
			Problem: fmt.Sprintf("login URL %q is not a URL", l.p.LoginURL), Cause: "the profile's login URL cannot be parsed",
			Fix: "use https://login.salesforce.com, https://test.salesforce.com or https://MyDomain.my.salesforce.com"})
		return
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		l.out = append(l.out, Finding{Code: "login-url-http", Severity: Error,
			Problem: "the login URL uses http", Cause: "Salesforce redirects http to https, which turns the token POST into a body-less GET",
			Fix: "use https://" + u.Host, WireError: "unsupported_grant_type: grant type not supported"})
	}
}

func genericLoginHost(loginURL string) bool {
	u, err := url.Parse(loginURL)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return h == "login.salesforce.com" || h == "test.salesforce.com"
}

func (l *linter) callback() {
	if !l.spec.Browser {
		return
	}
	const wire = "redirect_uri_mismatch: redirect_uri must match configuration"
	if l.p.CallbackURL == "" {
		l.out = append(l.out, Finding{Code: "callback-missing", Severity: Error,
			Problem: "the profile has no callback URL", Cause: string(l.p.Flow) + " sends a redirect_uri that must equal one of the app's callback URLs",
			Fix: "set the profile's callback URL, e.g. http://localhost:1717/OauthRedirect, and add the same URL to the app"})
		return
	}
	m := MatchCallback(l.s.CallbackURLs, l.p.CallbackURL)
	if m.Exact {
		return
	}
	got := l.p.CallbackURL
	addFix := fmt.Sprintf("add %s as a callback URL on the app (one per line), or set the profile's callback URL to %s", got, m.Nearest)
	switch m.Diffs[0] {
	case DiffNoCallbacks:
		l.add(Error, "callback-none", setCallback, "the app has no callback URL",
			"a browser flow's redirect_uri must equal a configured callback URL",
			"add "+got+" as the app's callback URL", wire)
		return
	case DiffUnparsable:
		l.add(Error, "callback-unparsable", setCallback, fmt.Sprintf("the profile's callback URL %q is not a URL", got),
			"the redirect_uri must be an absolute URL", "write it like http://localhost:1717/OauthRedirect", wire)
		return
	}
	nu, _ := url.Parse(m.Nearest)
	gu, _ := url.Parse(got)
	var code, problem string
	switch m.Diffs[0] {
	case DiffScheme:
		code, problem = "callback-scheme", fmt.Sprintf("the callback URL's scheme differs: the profile uses %s://, the app has %s", gu.Scheme, m.Nearest)
	case DiffLoopbackHost:
		code, problem = "callback-loopback-host", fmt.Sprintf("the callback URL uses %s but the app has %s (localhost, 127.0.0.1 and [::1] are different strings to Salesforce)", gu.Hostname(), nu.Hostname())
	case DiffPort:
		code, problem = "callback-port", fmt.Sprintf("the callback URL's port differs: the profile uses %s, the app has %s", portOf(gu), m.Nearest)
	case DiffTrailingSlash:
		code, problem = "callback-trailing-slash", fmt.Sprintf("the callback URL differs only by a trailing slash: %s vs the app's %s", got, m.Nearest)
	case DiffPath:
		code, problem = "callback-path", fmt.Sprintf("the callback URL's path differs: the profile uses %s, the app has %s", gu.EscapedPath(), m.Nearest)
	case DiffQuery:
		code, problem = "callback-query", fmt.Sprintf("the callback URL's query differs from the app's %s", m.Nearest)
	case DiffSpelling:
		code, problem = "callback-spelling", fmt.Sprintf("the callback URL %s is written differently from the app's %s (Salesforce compares strings)", got, m.Nearest)
	default:
		code, problem = "callback-mismatch", fmt.Sprintf("the callback URL %s is not one of the app's callback URLs", got)
	}
	diffs := make([]string, len(m.Diffs))
	for i, d := range m.Diffs {
		diffs[i] = string(d)
	}
	cause := fmt.Sprintf("Salesforce requires an exact match of scheme, host, port and path (differences from %s: %s); the browser then stops on Salesforce's error page and the loopback listener waits until it times out",
		m.Nearest, strings.Join(diffs, ", "))
	l.add(Error, code, setCallback, problem, cause, addFix, wire)
}

func portOf(u *url.URL) string {
	if u.Port() != "" {
		return "port " + u.Port()
	}
	return "the default port"
}

func (l *linter) scopes() {
	req := l.requested()
	for _, sc := range l.p.Scopes {
		if l.s.HasScope(sc) {
			continue
		}
		enum, _ := ScopeToMetadata(sc)
		if enum == "" {
			enum = "a custom scope"
		}
		switch canonicalScope(sc) {
		case "refresh_token":
			if l.p.Flow == flows.Refresh || l.reported("refresh-token-not-selected") {
				continue // the refresh flow's own finding below says it; offline_access is the same scope
			}
			l.add(Error, "refresh-token-not-selected", setScopes, "the profile requests refresh_token but the app does not have it",
				"requested scopes must be a subset of the app's selected scopes",
				"select \"Perform requests at any time (refresh_token, offline_access)\" (metadata RefreshToken) on the app, or drop refresh_token from the profile",
				"invalid_scope: the requested scope is not allowed")
		case "openid":
			l.add(Error, "openid-not-selected", setScopes, "the profile requests openid but the app does not have it",
				"requested scopes must be a subset of the app's selected scopes; openid is what yields an id_token",
				"select \"Access unique user identifiers (openid)\" (metadata OpenID) on the app",
				"invalid_scope: the requested scope is not allowed")
		default:
			l.add(Error, "scope-not-selected", setScopes, fmt.Sprintf("the profile requests %s but the app does not have it", sc),
				"requested scopes must be a subset of the app's selected scopes",
				fmt.Sprintf("select %s (metadata %s) on the app, or drop it from the profile", sc, enum),
				"invalid_scope: the requested scope is not allowed")
		}
	}
	f, refreshes := l.p.Flow, l.spec.Refresh.Can()
	switch {
	case f == flows.Refresh && !l.s.HasScope("refresh_token"):
		l.block("refresh-token-not-selected", setScopes, "the refresh flow needs a refresh token, and the app does not grant refresh_token",
			"without refresh_token (or offline_access) on the app no flow ever issued a refresh token to refresh with",
			"select refresh_token (metadata RefreshToken) on the app and get a new refresh token with an interactive flow", "")
	case refreshes && f != flows.Refresh && !l.s.HasScope("refresh_token") && !hasScope(l.p.Scopes, "refresh_token"):
		// (a profile that requests refresh_token got the error above: one finding per code)
		l.add(Warning, "refresh-token-not-selected", setScopes, "no refresh token will be issued: the app does not have refresh_token",
			"Salesforce returns a refresh token only when refresh_token or offline_access is granted",
			"select refresh_token (metadata RefreshToken) on the app and request it", "")
	case refreshes && f != flows.Refresh && len(l.p.Scopes) > 0 && !hasScope(l.p.Scopes, "refresh_token"):
		cause := "the app has refresh_token but the client does not request it"
		if hasScope(l.p.Scopes, "full") {
			cause = "full does not include a refresh token; refresh_token must be requested explicitly"
		}
		l.out = append(l.out, Finding{Code: "refresh-token-not-requested", Severity: Warning,
			Problem: "no refresh token will be issued: the profile does not request refresh_token", Cause: cause,
			Fix: "add refresh_token to the profile's scopes"})
	}
	if f == flows.ClientCredentials {
		for _, sc := range req {
			if c := canonicalScope(sc); c == "refresh_token" || c == "full" || c == "web" {
				l.out = append(l.out, Finding{Code: "client-credentials-scope-dropped", Severity: Info,
					Problem: fmt.Sprintf("%s is not granted to the client credentials flow", sc),
					Cause:   "client credentials tokens are reported to carry every app scope except full, web and refresh_token/offline_access; no refresh token is issued",
					Fix:     "nothing to change; use the token until it expires and ask for a new one"})
				break
			}
		}
	}
}

func (l *linter) idToken() {
	f := l.p.Flow
	if !l.p.ExpectIDToken {
		return
	}
	if !l.spec.IDToken {
		l.out = append(l.out, Finding{Code: "id-token-not-issued", Severity: Warning,
			Problem: fmt.Sprintf("%s never returns an id_token", f),
			Cause:   "Salesforce returns id_token only for the web server, user-agent, refresh and device flows",
			Fix:     "use the web server flow (with PKCE) if you need an ID token"})
		return
	}
	if !hasScope(l.requested(), "openid") {
		if !l.s.HasScope("openid") {
			l.add(Error, "openid-missing", setScopes, "an ID token needs the openid scope, and neither the app nor the profile has it",
				"Salesforce issues an id_token only when openid is granted",
				"select openid (metadata OpenID) on the app and add openid to the profile's scopes", "")
		} else {
			l.out = append(l.out, Finding{Code: "openid-missing", Severity: Error,
				Problem: "an ID token needs the openid scope, and the profile does not request it",
				Cause:   "Salesforce issues an id_token only when openid is granted",
				Fix:     "add openid to the profile's scopes"})
		}
		return
	}
	v := l.s.IDTokenValidityMinutes
	if v == 0 {
		v = 2
	}
	l.add(Info, "id-token-validity", setIDToken, fmt.Sprintf("the ID token will be valid for %d minutes", v),
		"the app's ID token validity (default 2 minutes) sets the id_token's exp", "validate the ID token right away, or raise the validity (1–720)", "")
}

func (l *linter) pkce() {
	if l.p.Flow != flows.WebServer || l.p.UsePKCE {
		return
	}
	const wire = "invalid_request: missing required code challenge"
	switch {
	case l.s.PKCERequired:
		cause := "the app requires PKCE and the profile sends no code_challenge"
		if l.s.Kind == External {
			cause = "External Client Apps require PKCE by default, and the profile sends no code_challenge"
		}
		l.block("pkce-required", setPKCE, "PKCE is required but off in the profile", cause,
			"run web-server-pkce (or turn PKCE on in the profile); or turn off the requirement on the app", wire)
	case l.s.Org.PKCERequired:
		l.block("pkce-required-org", setOrgPKCE, "the org requires PKCE but it is off in the profile",
			"the org-wide PKCE requirement applies to every app", "run web-server-pkce (or turn PKCE on in the profile)", wire)
	}
}

func (l *linter) secret() {
	if l.p.HasSecret == nil || *l.p.HasSecret {
		return
	}
	switch l.p.Flow {
	case flows.WebServer, flows.WebServerPKCE:
		if !l.s.ConsumerSecretOptional {
			l.add(Error, "secret-required-web-server", setSecretWebServer, "the app requires the consumer secret for the web server flow, and the profile has none",
				"\"Require Secret for Web Server Flow\" is on (isConsumerSecretOptional=false)",
				"give the profile the consumer secret, or (public client with PKCE) turn off the requirement", "invalid_client: invalid client credentials")
		}
	case flows.Refresh:
		if l.s.SecretRequiredForRefreshToken {
			l.add(Error, "secret-required-refresh", setSecretRefresh, "the app requires the consumer secret for the refresh flow, and the profile has none",
				"\"Require Secret for Refresh Token Flow\" is on (the default)",
				"give the profile the consumer secret, or turn off the requirement", "invalid_client: invalid client credentials")
		}
	case flows.Device:
		if l.s.SecretRequiredForRefreshToken {
			l.add(Warning, "secret-required-device", setSecretRefresh, "the app requires a secret for refresh tokens, and the device-flow profile has none",
				"Salesforce CLI's guidance: turn off \"Require Secret for Refresh Token Flow\" when the device flow sends no secret",
				"give the profile the consumer secret, or turn off the requirement", "")
		}
	case flows.TokenExchange:
		if l.s.SecretRequiredForTokenExchange {
			l.add(Error, "secret-required-token-exchange", setSecretTokenExchange, "the app requires the consumer secret for token exchange, and the profile has none",
				"\"Require Secret for Token Exchange Flow\" is on",
				"give the profile the consumer secret, or turn off the requirement", "invalid_client: invalid client credentials")
		}
	default:
		if _, required := l.spec.Uses(flows.FieldClientSecret); !required {
			break
		}
		l.out = append(l.out, Finding{Code: "secret-required", Severity: Error,
			Problem: fmt.Sprintf("%s always needs the consumer secret, and the profile has none", l.p.Flow),
			Cause:   "this grant authenticates the client with its secret; no setting turns that off",
			Fix:     "give the profile the app's consumer secret (" + guidance.SetupPath("App Manager", "(your app)", "View", "Manage Consumer Details") + ")", WireError: "invalid_client: invalid client credentials"})
	}
}

func (l *linter) perFlow() {
	s := l.s
	switch l.p.Flow {
	case flows.ClientCredentials:
		if !s.ClientCredentialsEnabled {
			l.block("client-credentials-disabled", setClientCredentials, "the client credentials flow is not enabled on the app",
				"Salesforce refuses client_credentials unless the app enables it", "enable the client credentials flow and choose a Run As user",
				"invalid_grant: client credentials flow not enabled (exact text unconfirmed)")
		}
		if strings.TrimSpace(s.ClientCredentialsUser) == "" {
			l.add(Error, "client-credentials-no-user", setClientCredentialsUser, "the client credentials flow has no Run As user",
				"tokens are issued on behalf of the Run As (execution) user; without one Salesforce refuses",
				"choose a Run As user that has the API Only permission", "invalid_grant: no client credentials user enabled")
		}
		switch {
		case l.p.LoginURL == "":
			l.out = append(l.out, Finding{Code: "client-credentials-login-host", Severity: Warning,
				Problem: "the profile has no login URL; client credentials work only on the My Domain host",
				Cause:   "login.salesforce.com and test.salesforce.com refuse client_credentials",
				Fix:     "set the login URL to https://MyDomain.my.salesforce.com", WireError: "invalid_grant: request not supported on this domain"})
		case genericLoginHost(l.p.LoginURL):
			l.out = append(l.out, Finding{Code: "client-credentials-login-host", Severity: Error,
				Problem: "client credentials are sent to " + l.p.LoginURL + ", a generic login host",
				Cause:   "the client credentials flow works only on the org's My Domain host",
				Fix:     "set the login URL to https://MyDomain.my.salesforce.com (" + guidance.SetupPath("My Domain") + " shows it)", WireError: "invalid_grant: request not supported on this domain"})
		}
	case flows.JWTBearer:
		if strings.TrimSpace(s.Certificate) == "" {
			l.block("jwt-no-certificate", setCertificate, "the app has no certificate for the JWT bearer flow",
				"Salesforce verifies the assertion's RS256 signature with the certificate uploaded on the app",
				"upload the X.509 certificate of the key that signs the JWT (\"Use digital signatures\")", "invalid_grant: invalid assertion")
		}
		switch {
		case s.PermittedUsers == AdminApprovedPreAuthorized && len(s.Profiles) == 0 && len(s.PermissionSets) == 0:
			// general() already reported no-permitted-users; JWT bearer makes it fatal.
			l.add(Error, "jwt-not-preauthorized", setPermittedUsers, "no user is pre-authorized for the JWT bearer flow",
				"the JWT bearer flow has no consent screen: the user must be pre-authorized through a profile or permission set",
				"assign the JWT user's profile or a permission set to the app", "invalid_app_access: user is not admin approved to access this app")
		case s.PermittedUsers != AdminApprovedPreAuthorized:
			l.add(Warning, "jwt-not-preauthorized", setPermittedUsers, "the JWT user works only if they approved the app before",
				"with \"All users may self-authorize\" the JWT bearer flow succeeds only for users who approved the app in an interactive flow that included refresh_token",
				"set Permitted Users to \"Admin approved users are pre-authorized\" and assign the user's profile or a permission set",
				"invalid_grant: user hasn't approved this consumer")
		}
		if !s.HasScope("refresh_token") {
			l.add(Warning, "jwt-no-refresh-scope", setScopes, "the app lacks refresh_token, which the JWT bearer flow is reported to need",
				"reports show \"refresh_token scope is required and the connected app should be installed and preauthorized\"",
				"select refresh_token (metadata RefreshToken) on the app", "invalid_request: refresh_token scope is required")
		}
	case flows.UsernamePassword:
		if s.Kind == External {
			l.out = append(l.out, Finding{Code: "username-password-eca", Severity: Error, Blocks: flows.UsernamePassword,
				Problem: "External Client Apps do not support the username-password flow",
				Cause:   "the flow exists only for Connected Apps (and for them it " + guidance.Change(guidance.ChangeUnPwRetired).Status(l.now) + ")",
				Fix:     "use the web server flow with PKCE for users, or client credentials / JWT bearer for integrations", WireError: "invalid_grant: authentication failure"})
			return
		}
		switch {
		case s.Org.BlockUsernamePasswordFlow == nil:
			l.add(Warning, "username-password-maybe-blocked", setOrgUsernamePassword, "the org may block the username-password flow",
				"orgs created Summer '23 or later block it by default, and the failure reads like a wrong password; Login History says \"Username-Password Flow Disabled\"",
				"check \"Allow OAuth Username-Password Flows\" in the org", "invalid_grant: authentication failure")
		case *s.Org.BlockUsernamePasswordFlow:
			l.block("username-password-blocked", setOrgUsernamePassword, "the org blocks the username-password flow",
				"\"Allow OAuth Username-Password Flows\" is off (blockOAuthUnPwFlow=true); the error looks like a wrong password",
				"allow the flow in the org, or better, move to the web server flow with PKCE or client credentials", "invalid_grant: authentication failure")
		}
		retire := guidance.Change(guidance.ChangeUnPwRetired)
		sev := Info
		if retire.Past(l.now) {
			sev = Error
		}
		l.out = append(l.out, Finding{Code: "username-password-retiring", Severity: sev,
			Problem: "the username-password flow for Connected Apps " + retire.Status(l.now),
			Cause:   "Salesforce release notes announce the end of support (postponed from Winter '27); no refresh token is issued by this flow",
			Fix:     "plan a move to client credentials, JWT bearer, or the web server flow with PKCE", Source: sourceOf(retire)})
	case flows.Device:
		switch {
		case s.DeviceFlowEnabled == nil:
			l.add(Warning, "device-flow-unknown", setDeviceFlow, "cannot tell whether the device flow is enabled on the app",
				"\"Enable for Device Flow\" is a Setup checkbox with no ConnectedApp metadata field",
				"check \"Enable for Device Flow\" on the app", "invalid_grant: device flow is not enabled for the app")
		case !*s.DeviceFlowEnabled:
			l.block("device-flow-disabled", setDeviceFlow, "the device flow is not enabled on the app",
				"Salesforce refuses the device flow unless the app enables it", "enable the device flow on the app",
				"invalid_grant: device flow is not enabled for the app")
		}
		if s.Kind == Connected && s.Installed != nil && !*s.Installed {
			l.block("device-flow-uninstalled", setInstalled, "the device flow is blocked for uninstalled Connected Apps",
				"since "+guidance.Change(guidance.ChangeDeviceUninstalled).When+" Salesforce blocks the device flow for every uninstalled connected app, including the default Salesforce CLI app",
				"install the app in the org (or use an External Client App)", "invalid_client: app must be installed into org")
		}
	case flows.UserAgent:
		if s.Org.BlockUserAgentFlow {
			l.block("user-agent-blocked", setOrgUserAgent, "the org blocks the user-agent flow",
				"\"Allow OAuth User-Agent Flows\" is off (blockOAuthUsrAgtFlow=true)",
				"allow the flow in the org, or use the web server flow with PKCE", "")
		}
		if hasScope(l.requested(), "refresh_token") && !userAgentRefreshCallback(l.p.CallbackURL) {
			l.out = append(l.out, Finding{Code: "user-agent-no-refresh", Severity: Warning,
				Problem: "the user-agent flow will not return a refresh token to an http(s) callback",
				Cause:   "Salesforce returns one only to a custom-scheme redirect URI or to https://login.salesforce.com/services/oauth2/success",
				Fix:     "use the web server flow with PKCE to get a refresh token on a loopback callback"})
		}
	case flows.TokenExchange:
		if !s.TokenExchangeEnabled {
			l.block("token-exchange-disabled", setTokenExchange, "the token exchange flow is not enabled on the app",
				"the app must enable token exchange and name a token exchange handler", "enable the token exchange flow and assign an Apex handler", "")
		}
	case flows.Refresh:
		if s.RefreshTokenPolicy.Type == RefreshZero {
			l.add(Error, "refresh-policy-zero", setRefreshPolicy, "the app's refresh tokens expire immediately",
				"Refresh Token Policy \"Immediately expire refresh token\" (zero) makes every refresh fail",
				"choose \"Refresh token is valid until revoked\" or a lifetime", "invalid_grant: expired access/refresh token")
		}
		if s.RefreshTokenRotation {
			l.add(Info, "refresh-rotation", setRefreshPolicy, "refresh token rotation is on: each refresh returns a new refresh token and voids the old one",
				"replaying an old refresh token deletes the current one and its access tokens",
				"store the new refresh_token after every refresh", "")
		}
	}
}

func userAgentRefreshCallback(cb string) bool {
	u, err := url.Parse(cb)
	if err != nil {
		return false
	}
	if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "" {
		return true
	}
	return u.Path == "/services/oauth2/success" && genericLoginHost(cb)
}

func (l *linter) installed() {
	s := l.s
	if s.Kind != Connected || s.Installed == nil || *s.Installed || l.p.Flow == flows.Device {
		return
	}
	l.add(Warning, "app-not-installed", setInstalled, "the Connected App is not installed in the org",
		"since "+guidance.Change(guidance.ChangeUninstalledApps).When+" uninstalled connected apps are blocked for users who have not authorized them before and lack \"Approve Uninstalled Connected Apps\"",
		"install the app (or give the user the \"Approve Uninstalled Connected Apps\" permission)", "invalid_client: app must be installed into org")
}

func (l *linter) session() {
	s, want := l.s, l.p.ExpectSessionMinutes
	if s.RefreshTokenPolicy.Type == RefreshZero && l.spec.Refresh.Can() && l.p.Flow != flows.Refresh && s.HasScope("refresh_token") {
		l.add(Warning, "refresh-policy-zero", setRefreshPolicy, "refresh tokens expire immediately: the user must log in again when the session ends",
			"Refresh Token Policy is \"Immediately expire refresh token\" (zero)", "choose \"Refresh token is valid until revoked\" or a lifetime", "")
	}
	if want <= 0 {
		return
	}
	minutes, source, at := 0, "", setSessionTimeout
	switch {
	case s.NamedUserJWT && s.NamedUserJWTTimeoutMinutes > 0:
		minutes, source, at = s.NamedUserJWTTimeoutMinutes, "the app issues JWT-based access tokens with a fixed lifetime", setNamedUserJWT
	case s.SessionTimeoutMinutes > 0:
		minutes, source = s.SessionTimeoutMinutes, "the app's session Timeout Value"
	case s.Org.SessionTimeoutMinutes > 0:
		minutes, source, at = s.Org.SessionTimeoutMinutes, "the org's Session Settings (the app sets no timeout; a profile timeout would win)", setOrgSessionTimeout
	default:
		minutes, source, at = 120, "no timeout is known for the app or the org; Salesforce's usual default is 2 hours", setOrgSessionTimeout
	}
	if minutes >= want {
		return
	}
	fix := fmt.Sprintf("raise the timeout to at least %d minutes, or plan to refresh (request refresh_token) when a call returns 401 INVALID_SESSION_ID", want)
	l.add(Warning, "session-shorter-than-expected", at,
		fmt.Sprintf("the access token's session lasts %d minutes idle, shorter than the %d you expect", minutes, want),
		source+"; Salesforce sends no expires_in, and the idle timer is only pushed back after half of it has passed", fix, "")
}

func sourceOf(c guidance.PlatformChange) *guidance.DocRef {
	if c.Source.IsZero() {
		return nil
	}
	d := c.Source
	return &d
}

// Readiness lists what Salesforce's dated platform changes (guidance's platform table) break
// in this profile and app, and when, dated from now: a change already in effect is an error,
// a coming one a warning. Each finding's code is "readiness-<change id>" and it carries the
// change's source. `connectedapplab app lint --readiness` appends these to Lint's findings.
func Readiness(p Profile, s Settings, now time.Time) []Finding {
	if s.Kind == "" {
		s.Kind = Connected
	}
	in := guidance.ReadinessInput{Flow: p.Flow, CallbackURL: p.CallbackURL, LoginURL: p.LoginURL, AppInstalled: s.Installed,
		AppKind: guidance.AppConnected}
	if s.Kind == External {
		in.AppKind = guidance.AppExternalClient
	}
	if in.CallbackURL == "" && len(s.CallbackURLs) > 0 {
		in.CallbackURL = s.CallbackURLs[0]
	}
	var out []Finding
	for _, it := range guidance.Readiness(in, now) {
		sev := Warning
		if it.Past {
			sev = Error
		}
		src := it.Source
		f := Finding{Code: "readiness-" + it.ChangeID, Severity: sev, Problem: it.Problem,
			Cause: "Salesforce platform change of " + it.When, Fix: it.Fix, Source: &src}
		switch it.ChangeID {
		case guidance.ChangeUnPwRetired:
			f.SetupPath, f.MetadataField = where(s.Kind, setOrgUsernamePassword)
		case guidance.ChangeUserAgentRetired:
			f.SetupPath, f.MetadataField = where(s.Kind, setOrgUserAgent)
		case guidance.ChangeDeviceECALocalhost:
			f.SetupPath, f.MetadataField = where(s.Kind, setCallback)
		case guidance.ChangeDeviceUninstalled, guidance.ChangeUninstalledApps:
			f.SetupPath, f.MetadataField = where(s.Kind, setInstalled)
		}
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return rank(a.Severity) - rank(b.Severity) })
	return out
}
