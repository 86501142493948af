package guidance

import (
	"net/url"
	"strings"

	"github.com/connectedapplab/connectedapplab/flows"
)

// ScopeInfo describes one OAuth scope (reference §6).
type ScopeInfo struct {
	Name      string   // the OAuth scope string, e.g. "refresh_token"
	Metadata  string   // the Metadata API enum value, e.g. "RefreshToken"
	Label     string   // the Setup label, where known
	Meaning   string   // what it allows, in words
	Synonyms  []string // other scope strings that mean the same, e.g. "offline_access"
	Prominent bool     // shown first in the UI's checklist
}

var scopeCatalogue = []ScopeInfo{
	{Name: "api", Metadata: "Api", Label: "Manage user data via APIs (api)", Prominent: true,
		Meaning: "Call the REST, SOAP and Bulk APIs with the token; includes chatter_api."},
	{Name: "refresh_token", Metadata: "RefreshToken", Label: "Perform requests at any time (refresh_token, offline_access)", Prominent: true,
		Synonyms: []string{"offline_access"},
		Meaning:  "Lets a refresh token come back, so the app can get new access tokens without the user, in flows that can issue one."},
	{Name: "web", Metadata: "Web", Label: "Manage user data via Web browsers (web)", Prominent: true,
		Meaning: "Use the token in the browser (frontdoor.jsp); includes visualforce."},
	{Name: "full", Metadata: "Full", Label: "Full access (full)", Prominent: true,
		Meaning: "Everything the user can reach; covers the other scopes but does not return a refresh token: select refresh_token as well."},
	{Name: "openid", Metadata: "OpenID", Label: "Access unique user identifiers (openid)", Prominent: true,
		Meaning: "Returns an OpenID Connect ID token (id_token) in the web server, user-agent, refresh and device flows."},
	{Name: "id", Metadata: "Basic", Label: "Access the identity URL service (id, profile, email, address, phone)", Prominent: true,
		Synonyms: []string{"profile", "email", "address", "phone"},
		Meaning:  "Read the identity URL and UserInfo (who the user is)."},
	{Name: "chatter_api", Metadata: "Chatter", Label: "Access Connect REST API resources (chatter_api)",
		Meaning: "Connect REST API only."},
	{Name: "custom_permissions", Metadata: "CustomPermissions",
		Meaning: "Custom permissions in the identity URL and ID token."},
	{Name: "visualforce", Metadata: "CustomApplications",
		Meaning: "Customer-created Visualforce pages only."},
	{Name: "wave_api", Metadata: "Wave", Label: "Access Analytics REST API resources (wave_api)",
		Meaning: "CRM Analytics REST API."},
	{Name: "eclair_api", Metadata: "Eclair", Label: "Access Analytics REST API Charts Geodata resources (eclair_api)",
		Meaning: "CRM Analytics charts geodata."},
	{Name: "pardot_api", Metadata: "Pardot", Label: "Manage Pardot services (pardot_api)",
		Meaning: "Account Engagement (Pardot) API."},
	{Name: "lightning", Metadata: "Lightning",
		Meaning: "Hybrid apps: Lightning child sessions."},
	{Name: "content", Metadata: "Content",
		Meaning: "Hybrid apps: content child sessions."},
	{Name: "cdp_ingest_api", Metadata: "CDPIngest", Label: "Manage Customer Data Platform Ingestion API data",
		Meaning: "Data Cloud Ingestion API."},
	{Name: "cdp_profile_api", Metadata: "CDPProfile", Label: "Manage Customer Data Platform profile data",
		Meaning: "Data Cloud profile data."},
	{Name: "cdp_query_api", Metadata: "CDPQuery", Label: "Perform ANSI SQL queries on Customer Data Platform data",
		Meaning: "Data Cloud SQL queries."},
	{Name: "cdp_segment_api", Metadata: "CDPSegment", Meaning: "Data Cloud segments."},
	{Name: "cdp_identityresolution_api", Metadata: "CDPIdentityResolution", Meaning: "Data Cloud identity resolution."},
	{Name: "cdp_calculated_insight_api", Metadata: "CDPCalculatedInsight", Meaning: "Data Cloud calculated insights."},
	{Name: "cdp_api", Metadata: "CDP", Meaning: "Data Cloud APIs."},
	{Name: "chatbot_api", Metadata: "Chatbot", Meaning: "Einstein Bot and Agent API."},
	{Name: "sfap_api", Metadata: "SFAP", Meaning: "Salesforce API Platform (api.salesforce.com, e.g. the Models API)."},
	{Name: "einstein_gpt_api", Metadata: "EinsteinGPT", Meaning: "Einstein generative AI."},
	{Name: "interaction_api", Metadata: "Interaction", Meaning: "Interaction API."},
	{Name: "mcp_api", Metadata: "MCP", Meaning: "Salesforce-hosted MCP servers."},
	{Name: "scrt_api", Metadata: "SCRT", Meaning: "Meaning not confirmed."},
	{Name: "data_cloud_user_claims", Metadata: "DataCloudUserClaims", Meaning: "Meaning not confirmed."},
	{Name: "forgot_password", Metadata: "ForgotPassword", Meaning: "Headless identity: forgot password (Experience Cloud)."},
	{Name: "user_registration_api", Metadata: "UserRegistration", Meaning: "Headless identity: user registration (Experience Cloud)."},
	{Name: "pwdless_login_api", Metadata: "PwdlessLogin", Meaning: "Headless identity: passwordless login (Experience Cloud)."},
}

// Scopes lists the OAuth scope catalogue, prominent scopes first.
func Scopes() []ScopeInfo {
	out := make([]ScopeInfo, len(scopeCatalogue))
	for i, s := range scopeCatalogue {
		s.Synonyms = append([]string(nil), s.Synonyms...)
		out[i] = s
	}
	return out
}

// canonicalScope maps a scope string, synonym or metadata name to its catalogue name
// ("offline_access" and "RefreshToken" → "refresh_token"). Unknown scopes (custom scopes)
// come back as given.
func canonicalScope(s string) string {
	t := strings.TrimSpace(s)
	for _, c := range scopeCatalogue {
		if strings.EqualFold(t, c.Name) || strings.EqualFold(t, c.Metadata) {
			return c.Name
		}
		for _, syn := range c.Synonyms {
			if strings.EqualFold(t, syn) {
				return c.Name
			}
		}
	}
	switch strings.ToLower(t) { // metadata names of synonyms
	case "offlineaccess":
		return "refresh_token"
	case "profile", "email", "address", "phone":
		return "id"
	}
	return t
}

func canonicalSet(list []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range list {
		if c := canonicalScope(s); c != "" {
			m[c] = true
		}
	}
	return m
}

// splitScopes splits a space- or comma-separated scope string.
func splitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
}

func hasRefreshScope(list []string) bool { return canonicalSet(list)["refresh_token"] }

// allowedBy reports whether the app's scopes allow a requested scope. full covers every
// scope except refresh_token (reference §6).
func allowedBy(app map[string]bool, scope string) bool {
	c := canonicalScope(scope)
	if app[c] {
		return true
	}
	return app["full"] && c != "refresh_token" && c != "openid"
}

// callbackGetsRefreshToken reports whether a user-agent flow callback may receive a refresh
// token: a custom (non-HTTP) scheme or exactly the built-in success page (reference §3.2).
func callbackGetsRefreshToken(cb string) (known, ok bool) {
	if cb == "" {
		return false, false
	}
	u, err := url.Parse(cb)
	if err != nil || u.Scheme == "" {
		return false, false
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return true, true
	}
	host := strings.ToLower(u.Host)
	if (host == "login.salesforce.com" || host == "test.salesforce.com") && u.Path == "/services/oauth2/success" {
		return true, true
	}
	return true, false
}

// diagnoseScopes fills the scope diagnosis and the advice that follows from it.
func diagnoseScopes(in Input, tok *flows.TokenResponse, failed bool) (ScopeDiagnosis, []Advice) {
	s := in.Settings
	d := ScopeDiagnosis{}
	var adv []Advice
	flow := in.Flow

	d.Requested = in.RequestedScopes
	if d.Requested == nil && in.Result != nil {
		d.Requested = in.Result.RequestedScopes
	}
	d.Requested = append([]string(nil), d.Requested...)
	if s.AppScopes != nil {
		d.AllowedKnown = true
		d.Allowed = append([]string{}, s.AppScopes...)
	}
	if tok != nil {
		if _, ok := tok.Raw()["scope"]; ok || tok.Scope != "" {
			d.GrantedReported = true
		}
		if in.Result != nil && len(in.Result.GrantedScopes) > 0 {
			d.Granted = append([]string(nil), in.Result.GrantedScopes...)
		} else {
			d.Granted = splitScopes(tok.Scope)
		}
		d.RefreshTokenIssued = tok.RefreshToken != ""
	}
	if !d.GrantedReported && in.Introspection != nil && in.Introspection.Active && in.Introspection.Scope != "" {
		d.Granted = splitScopes(in.Introspection.Scope)
		d.Notes = append(d.Notes, "Granted scopes come from introspection: the token response carried no scope field.")
	}

	app := canonicalSet(d.Allowed)
	req := canonicalSet(d.Requested)
	granted := canonicalSet(d.Granted)
	grantedKnown := d.GrantedReported || len(d.Granted) > 0

	// Requested scopes the app does not allow.
	if d.AllowedKnown && len(d.Requested) > 0 && !isServerFlow(flow) && flow != flows.UsernamePassword {
		var bad []string
		for _, r := range d.Requested {
			if !allowedBy(app, r) {
				bad = append(bad, r)
			}
		}
		if len(bad) > 0 {
			adv = append(adv, advice(SeverityError, "Requested scopes the app does not allow: "+strings.Join(bad, " "),
				"A browser or device flow that asks for a scope not selected on the app fails with invalid_scope (\"the requested scope is not allowed\").",
				"Select those scopes on the app, or stop requesting them.", placeScopes.at(s.AppKind), refScopes))
		}
	}

	// Notes on what the scopes mean.
	if len(d.Requested) == 0 && !isServerFlow(flow) && flow != flows.UsernamePassword && flow != flows.Refresh {
		d.Notes = append(d.Notes, "No scope parameter was sent: Salesforce then grants every scope selected on the app.")
	}
	if flow == flows.UsernamePassword && !d.GrantedReported {
		d.Notes = append(d.Notes, "The username-password flow returns no scope field, so the granted scopes are not reported; introspect the token to see them.")
	}
	if flow == flows.ClientCredentials {
		d.Notes = append(d.Notes, "Client credentials tokens are reported to get every app scope except full, web and refresh_token.")
	}
	if flow == flows.Refresh {
		d.Notes = append(d.Notes, "A refresh keeps the scopes of the original grant; no scope parameter is needed.")
	}
	wantsOpenID := req["openid"] || granted["openid"]
	if wantsOpenID {
		switch {
		case tok != nil && tok.IDToken != "":
			d.Notes = append(d.Notes, "openid was granted, so an ID token (id_token) came back: it says who the user is; it is not an access token.")
		case tok != nil && (flow == flows.JWTBearer || flow == flows.ClientCredentials || flow == flows.UsernamePassword || flow == flows.SAMLBearer):
			d.Notes = append(d.Notes, "openid has no effect in the "+flowInfo(flow).Title+": it returns no ID token.")
		case tok != nil:
			d.Notes = append(d.Notes, "openid was requested or granted but no id_token came back; check that openid is selected on the app.")
		}
	} else if tok != nil && tok.IDToken == "" && (flow == flows.WebServer || flow == flows.WebServerPKCE || flow == flows.Device || flow == flows.UserAgent) {
		d.Notes = append(d.Notes, "No ID token: add the openid scope (on the app and in the request) to get one.")
	}
	if grantedKnown && !failed {
		if granted["full"] && !granted["refresh_token"] && refreshKindOf(flow) != refreshNever {
			d.Notes = append(d.Notes, "full covers the other scopes but does not include refresh_token: select and request refresh_token explicitly.")
		}
		if !granted["api"] && !granted["full"] {
			adv = append(adv, advice(SeverityWarning, "No api scope: REST and SOAP calls will be refused",
				"Without api (or full) the token cannot call the APIs; Salesforce answers 401 \"This session is not valid for use with the REST API\".",
				"Add \"Manage user data via APIs (api)\" to the app and to the request.", placeScopes.at(s.AppKind), refScopes))
		} else {
			d.Notes = append(d.Notes, "api (or full) is granted: the token can call the REST, SOAP and Bulk APIs.")
		}
		if granted["web"] || granted["full"] {
			d.Notes = append(d.Notes, "web (or full) is granted: the token can open the Salesforce UI through frontdoor.jsp.")
		}
	}
	if s.AppKind == AppExternalClient && !failed && s.JWTAccessTokens != nil && *s.JWTAccessTokens { // JWT advice only where JWTs are issued
		if c := canonicalSet(d.Requested); c["visualforce"] || c["web"] {
			d.Notes = append(d.Notes, "External Client Apps: web and visualforce scopes work with opaque tokens; JWT-based access tokens are for the REST APIs only.")
		}
	}

	why, whyAdv := whyNoRefreshToken(in, tok, failed, req, app, granted, grantedKnown, d.AllowedKnown)
	if !d.RefreshTokenIssued {
		d.RefreshTokenWhyNot = why
	}
	adv = append(adv, whyAdv...)
	return d, adv
}

// whyNoRefreshToken explains a missing refresh token per flow and per cause, and returns the
// advice that says what to change.
func whyNoRefreshToken(in Input, tok *flows.TokenResponse, failed bool, req, app, granted map[string]bool, grantedKnown, appKnown bool) (string, []Advice) {
	s := in.Settings
	flow := in.Flow
	kind := refreshKindOf(flow)
	title := flowInfo(flow).Title
	if tok != nil && tok.RefreshToken != "" {
		return "", nil
	}
	if in.Result == nil {
		return "", nil // nothing run yet
	}
	if failed || tok == nil {
		return "No token came back: the flow failed before Salesforce issued anything.", nil
	}
	scopeAt := placeRefreshScope.at(s.AppKind)

	switch kind {
	case refreshNever:
		if flow == flows.UsernamePassword {
			return "The username-password flow never issues a refresh token, whatever the scopes.", nil // advice comes from the flow itself
		}
		why := "The " + lowerFirst(title) + " never issues a refresh token, whatever the scopes. None is needed: to get a new access token, ask again the same way."
		return why, nil
	case refreshRotationOnly:
		switch {
		case s.RefreshTokenRotation != nil && !*s.RefreshTokenRotation:
			return "Refresh token rotation is off, so the refresh flow returns no new refresh token: keep using the one you sent.", nil
		case s.RefreshTokenRotation != nil && *s.RefreshTokenRotation:
			return "Rotation is on but no new refresh token came back; this is unexpected: check that the app's rotation setting was saved.",
				[]Advice{advice(SeverityWarning, "Rotation is on, yet no new refresh token came back",
					"With \"Enable Refresh Token Rotation\" every refresh returns a new refresh token and invalidates the old one.",
					"Check the setting on the app (it can take a few minutes to apply); until then keep the refresh token you sent.",
					placeRotation.at(s.AppKind), refRefreshFlow)}
		}
		return "The refresh flow returns a new refresh token only when refresh token rotation is on; without it, keep using the one you sent.", nil
	}

	if kind == refreshUnconfirmed {
		why := "Whether token exchange issues a refresh token is not confirmed; it is reported to do so only with the refresh_token scope granted, depending on the Apex token exchange handler."
		if grantedKnown && !granted["refresh_token"] {
			why += " Here refresh_token was not granted."
		}
		return why, nil
	}

	// Flows that can issue one when the scope is granted.
	var why string
	var adv []Advice
	switch {
	case appKnown && !app["refresh_token"]:
		why = "The app does not have the refresh_token scope selected, so Salesforce cannot issue a refresh token."
		adv = append(adv, advice(SeverityWarning, "No refresh token: the app does not allow it",
			"Only apps with \"Perform requests at any time (refresh_token, offline_access)\" selected can issue refresh tokens. Asking for refresh_token without it fails with invalid_scope.",
			"Add the scope on the app, then request refresh_token (or send no scope parameter) and run the flow again.", scopeAt, refScopes))
	case len(req) > 0 && !req["refresh_token"]:
		why = "refresh_token (or offline_access) was not in the requested scopes, so none was issued even if the app allows it."
		adv = append(adv, advice(SeverityWarning, "No refresh token: it was not requested",
			"A refresh token comes back only when the request asks for refresh_token or offline_access (or sends no scope parameter at all).",
			"Add refresh_token to the requested scopes"+ifUnknownApp(appKnown, ", and make sure the app has it selected")+", then run the flow again.", scopeAt, refScopes))
	case grantedKnown && !granted["refresh_token"]:
		why = "refresh_token was not among the granted scopes" + ifUnknownApp(appKnown, ", most likely because the app does not have it selected") + "."
		adv = append(adv, advice(SeverityWarning, "No refresh token: refresh_token was not granted",
			"The response's scope field lacks refresh_token, so Salesforce did not issue one.",
			"Select \"Perform requests at any time (refresh_token, offline_access)\" on the app and request it.", scopeAt, refScopes))
	case kind == refreshSpecialRedirect:
		known, ok := callbackGetsRefreshToken(s.CallbackURL)
		switch {
		case known && !ok:
			why = "The user-agent flow returns a refresh token only to a custom-scheme callback (myapp://…) or to https://login.salesforce.com/services/oauth2/success; " + s.CallbackURL + " is neither."
		default:
			why = "The user-agent flow returns a refresh token only with the refresh_token scope and a custom-scheme callback or the /services/oauth2/success page."
		}
		adv = append(adv, advice(SeverityInfo, "No refresh token from the user-agent flow",
			why, "Use the web server flow with PKCE instead: it returns a refresh token to any matching callback.", placeCallback.at(s.AppKind), refUserAgentFlow))
	default:
		why = "No refresh token came back although the flow can issue one; the usual cause is that refresh_token is not selected on the app or not requested."
		adv = append(adv, advice(SeverityWarning, "No refresh token",
			"The "+lowerFirst(title)+" returns a refresh token only when refresh_token (or offline_access) is selected on the app and requested.",
			"Select \"Perform requests at any time (refresh_token, offline_access)\" on the app and request refresh_token.", scopeAt))
	}
	return why, adv
}

func ifUnknownApp(appKnown bool, s string) string {
	if appKnown {
		return ""
	}
	return s
}

func lowerFirst(s string) string {
	if len(s) < 2 || (s[1] >= 'A' && s[1] <= 'Z') { // keep acronyms: "JWT bearer flow"
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
