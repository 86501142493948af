package guidance

import (
	"strings"

	"github.com/connectedapplab/connectedapplab/flows"
)

// errCtx is what an error rule looks at.
type errCtx struct {
	flow flows.Flow
	s    Settings
	e    *flows.OAuthError
}

func (c errCtx) at(p appPlace) place { return p.at(c.s.AppKind) }

// errRule matches an error code (case-insensitive; "" = any code) and, optionally, any one
// of several description substrings (case-insensitive).
type errRule struct {
	code    string
	desc    []string
	explain func(c errCtx) (causes []string, fixes []Advice)
}

func fixErr(title, reason, fix string, at place) Advice {
	return advice(SeverityError, title, reason, fix, at)
}

func fixInfo(title, reason, fix string, at place) Advice {
	return advice(SeverityInfo, title, reason, fix, at)
}

var none = place{}

// ExplainError says what an OAuth error (or a REST INVALID_SESSION_ID) means for this flow,
// its likely causes (most likely first, using what the settings tell) and what to change.
// It returns nil for a nil error. Unknown codes get a generic explanation.
func ExplainError(flow flows.Flow, e *flows.OAuthError, s Settings) *ErrorExplanation {
	if e == nil {
		return nil
	}
	c := errCtx{flow: flow, s: s, e: e}
	code := strings.ToLower(strings.TrimSpace(e.Code))
	desc := strings.ToLower(e.Description)
	for _, r := range errRules {
		if r.code != "" && r.code != code {
			continue
		}
		if len(r.desc) > 0 && !containsAny(desc, r.desc) && !(r.code == "" && containsAny(code, r.desc)) {
			continue
		}
		if r.code == "" && len(r.desc) == 0 {
			continue
		}
		causes, fixes := r.explain(c)
		return &ErrorExplanation{Code: e.Code, Description: e.Description, Causes: causes, Fixes: fixes}
	}
	causes, fixes := genericError(c)
	return &ErrorExplanation{Code: e.Code, Description: e.Description, Causes: causes, Fixes: fixes}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func genericError(c errCtx) ([]string, []Advice) {
	return []string{
			"Salesforce refused the request with an error this version does not know in detail.",
			"The user's Login History usually records the real reason for token endpoint failures.",
		}, []Advice{fixErr("Look up the reason in Login History", "Salesforce often gives one short error for several causes; Login History names the real one.",
			"Open the user's Login History and read the Status of the failed attempt.", placeLoginHistory)}
}

// errRules are tried in order; specific descriptions before a code's catch-all.
var errRules = []errRule{
	// ---- REST session errors (reference §5.1) ----
	{code: "invalid_session_id", desc: []string{"not valid for use with the rest api"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{
				"The token is valid but not for the REST API: its scopes lack api (or full) — for example a token with only web, id or openid.",
				"The app requires a high-assurance session and this session is not one.",
				"The user's profile lacks the API Enabled permission.",
			}, []Advice{
				fixErr("Grant the api scope", "REST calls need api or full.", "Add \"Manage user data via APIs (api)\" to the app and to the requested scopes, then get a new token.", c.at(placeScopes)),
				fixErr("Check the session level", "A high-assurance policy makes ordinary sessions unusable for the app.", "Remove the high-assurance requirement or log in with multi-factor authentication.", c.at(placeHighAssurance)),
				fixErr("Give the user API access", "Without API Enabled no API call works.", "Enable API Enabled on the user's profile or a permission set.", placeAPIEnabled),
			}
	}},
	{code: "invalid_session_id", explain: func(c errCtx) ([]string, []Advice) {
		tc := effectiveTimeout(c.s, nil)
		causes := []string{
			"The session ended: it was idle longer than its timeout (" + humanDuration(tc.d) + ", " + tc.phrase + "). Access tokens carry no expires_in; this 401 is how expiry shows.",
			"The token was revoked (/services/oauth2/revoke, the user's or an admin's Connected Apps page), or the user logged out.",
			"The token is used against another org's instance_url, or was copied incompletely.",
			"The org locks sessions to the originating IP and the caller's IP changed.",
		}
		fixes := []Advice{}
		switch refreshKindOf(c.flow) {
		case refreshNever:
			if c.flow == flows.UsernamePassword {
				fixes = append(fixes, fixErr("Get a new token", "The username-password flow has no refresh token.", "Call the token endpoint again with the username and password (plus security token); better, move to the web server flow with PKCE or to the JWT bearer flow.", none))
			} else {
				fixes = append(fixes, fixErr("Get a new token the same way", "This flow needs no refresh token: asking again is the refresh.", "Request a new token as before and retry the call once; cache tokens so you do not hit LOGIN_RATE_EXCEEDED.", none))
			}
		default:
			fixes = append(fixes, fixErr("Refresh, then retry once", "A refresh token (if you have one) gets a new session without the user.", "Call the refresh token flow, store the new access token, and retry the request once; without a refresh token, run the flow again.", none))
		}
		fixes = append(fixes, fixInfo("Lengthen the session if it ends too soon", "The idle timeout decides how long an unused token lasts.",
			"Set a longer Timeout Value on the app's session policy (it overrides profile and org).", c.at(placeAppTimeout)))
		return causes, fixes
	}},
	{code: "invalidsessionid", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"Bulk API 1.0 reports an expired or invalid session this way (HTTP 400): the session timed out or was revoked."},
			[]Advice{fixErr("Get a new session", "The Bulk API session is the same access token.", "Refresh the token (or run the flow again) and send it in the X-SFDC-Session header.", none)}
	}},

	// ---- username-password / credentials ----
	{code: "invalid_grant", desc: []string{"authentication failure"}, explain: explainAuthFailure},
	{code: "", desc: []string{"login_rate_exceeded"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The user logged in more than 3600 times in an hour: the client asks for a new token on every call instead of reusing it."},
			[]Advice{fixErr("Cache the access token", "A token stays valid while used; logging in each time burns the hourly login limit.", "Keep the token and reuse it until a 401 INVALID_SESSION_ID, then get one new token.", none)}
	}},
	{code: "invalid_grant", desc: []string{"inactive user"}, explain: func(c errCtx) ([]string, []Advice) {
		who := "The user"
		if c.flow == flows.ClientCredentials {
			who = "The app's Run As user"
		}
		return []string{who + " is deactivated (or frozen)."},
			[]Advice{fixErr("Reactivate the user or pick another", "Inactive users cannot get tokens.", "Activate the user, or name an active user (for client credentials: a new Run As user with API Only).", placeUsers)}
	}},
	{code: "invalid_grant", desc: []string{"ip restricted"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{
				"The caller's IP is outside the user's profile Login IP Ranges (Login History shows \"Restricted IP\").",
				"The app's IP Relaxation is \"Enforce IP restrictions\"" + map[bool]string{true: " (refresh requests too unless \"Enforce IP restrictions, but relax for refresh tokens\")", false: ""}[c.flow == flows.Refresh] + ".",
			}, []Advice{
				fixErr("Relax IP restrictions for the app", "The app's IP Relaxation decides whether profile IP ranges apply to its tokens.", "Choose \"Relax IP restrictions\" (or \"…but relax for refresh tokens\").", c.at(placeIPRelax)),
				fixErr("Or allow the caller's IP", "Profile Login IP Ranges apply to every login of the user.", "Add the caller's IP range to the profile (or the org's trusted IP ranges).", placeProfileIP),
			}
	}},
	{code: "", desc: []string{"authorization request has expired", "invalid login hours", "login hours"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{
				"The authorization request took too long (the login page or code expired).",
				"Less likely: the user is outside the profile's Login Hours, or the IP is restricted.",
			}, []Advice{
				fixErr("Start the flow again", "The authorization step has a short lifetime.", "Run the flow again and complete the login promptly.", none),
				fixInfo("Check Login Hours and IP ranges", "Login Hours and IP ranges also stop logins.", "Check the profile's Login Hours and Login IP Ranges.", placeProfileHours),
			}
	}},
	{code: "invalid_grant", desc: []string{"activation secret invalid", "login_oauth_invalid_ds"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The device activation secret is invalid (LOGIN_OAUTH_INVALID_DS): the device or browser is not verified for this user, often after identity verification was reset."},
			[]Advice{fixErr("Verify the device again", "Salesforce did not accept the device's activation.", "Log in interactively from this client once to verify it, then retry.", placeLoginHistory)}
	}},

	// ---- codes and refresh tokens ----
	{code: "invalid_grant", desc: []string{"expired authorization code"}, explain: func(c errCtx) ([]string, []Advice) {
		if c.flow == flows.JWTBearer || c.flow == flows.SAMLBearer {
			return []string{
					"The assertion's exp is in the past or too near: the clock of the machine that signed it is wrong (clock skew).",
					"The assertion was reused or signed too long before it was sent.",
				}, []Advice{fixErr("Sign a fresh assertion with a correct clock", "Salesforce checks exp (and, for SAML, NotOnOrAfter) against its own clock.",
					"Sync the signing machine's clock (NTP) and set exp a few minutes ahead of now.", none)}
		}
		return []string{
				"The authorization code was already used: codes are single use (a double submit, a retry, or two listeners).",
				"The code is too old (commonly quoted as 15 minutes; not confirmed).",
				"The code was issued for a different redirect_uri or client than the token request sends.",
			}, []Advice{fixErr("Run the flow again and exchange the code once, at once", "A used or expired code cannot be exchanged.",
				"Start the flow again; send exactly one token request right after the callback, with the same redirect_uri.", none)}
	}},
	{code: "invalid_grant", desc: []string{"expired access/refresh token", "expired refresh token", "refresh token"}, explain: func(c errCtx) ([]string, []Advice) {
		causes := []string{}
		switch c.s.RefreshTokenPolicy.Kind {
		case PolicyZero:
			causes = append(causes, "The app's Refresh Token Policy is \"Immediately expire refresh token\": refresh tokens never work.")
		case PolicySpecificLifetime:
			causes = append(causes, "The refresh token reached its fixed lifetime ("+c.s.RefreshTokenPolicy.period()+").")
		case PolicySpecificInactivity:
			causes = append(causes, "The refresh token was not used for "+c.s.RefreshTokenPolicy.period()+" and expired.")
		}
		causes = append(causes,
			"The refresh token was revoked: by the user (Settings → Connected Apps), by an admin (Setup → Connected Apps OAuth Usage), through /services/oauth2/revoke, or when the app was deleted or its consumer key changed.")
		if c.s.RefreshTokenRotation == nil || *c.s.RefreshTokenRotation {
			causes = append(causes, "With refresh token rotation on, an old (already rotated) refresh token was sent: Salesforce then revokes the current one too.")
		}
		if c.s.RefreshTokenPolicy.Kind == "" {
			causes = append(causes, "The app's Refresh Token Policy limits refresh tokens (a lifetime, an inactivity period, or immediate expiry).")
		}
		return causes, []Advice{
			fixErr("Log in again to get a new refresh token", "A dead refresh token cannot be revived.", "Run the web server flow (with PKCE and the refresh_token scope) again and store the new refresh token.", none),
			fixInfo("Check the refresh token policy", "The policy decides how long refresh tokens last.", "Choose \"Refresh token is valid until revoked\" or a longer period.", c.at(placeRefreshPolicy)),
		}
	}},

	// ---- JWT bearer / token exchange approvals ----
	{code: "invalid_grant", desc: []string{"user hasn't approved this consumer", "user hasn't approved", "has not approved"}, explain: func(c errCtx) ([]string, []Advice) {
		causes := []string{
			"The user named in the assertion (sub) is not pre-authorized: the app's Permitted Users is \"All users may self-authorize\" and the user never approved it in a browser flow with the refresh_token scope.",
			"The app is admin-approved but the user's profile or permission set is not assigned to it.",
			"The JWT aud is a My Domain URL that this org does not accept; some orgs only accept https://login.salesforce.com (https://test.salesforce.com for sandboxes).",
			"The sub is not an exact username of this org (a production username against a sandbox, or a typo).",
		}
		return causes, []Advice{
			fixErr("Pre-authorize the user", "Server flows have no consent screen, so the user must be approved beforehand.",
				"Set Permitted Users to \"Admin approved users are pre-authorized\" and add the user's profile or a permission set.", c.at(placePermitted)),
			fixErr("Try the generic audience", "Audience and login host must match the org type.",
				"Use aud https://login.salesforce.com for production, https://test.salesforce.com for sandboxes.", none),
		}
	}},
	{code: "invalid_app_access", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The app is admin approved (\"Admin approved users are pre-authorized\") and the user is not assigned to it through a profile or permission set."},
			[]Advice{fixErr("Assign the user to the app", "Admin-approved apps accept only assigned users.", "Add the user's profile, or a permission set the user has, to the app.", c.at(placePermitted))}
	}},
	{code: "invalid_grant", desc: []string{"audience is invalid", "audience validation failed", "audience"}, explain: func(c errCtx) ([]string, []Advice) {
		if c.flow == flows.SAMLBearer {
			return []string{"The SAML assertion's Audience does not match what the org expects (its Entity ID / login URL)."},
				[]Advice{fixErr("Fix the assertion's Audience", "Salesforce checks the Audience against the org's SAML settings.", "Set the Audience to the org's entity ID (see Setup → Single Sign-On Settings) and check with the SAML Assertion Validator.", place{"Setup → Single Sign-On Settings", "SamlSsoConfig"})}
		}
		return []string{
				"The JWT aud is not https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or the Experience Cloud site URL.",
				"A sandbox login uses the production audience, or the reverse.",
				"A My Domain URL is used as aud in an org that does not accept it.",
			}, []Advice{fixErr("Set aud to the login host", "Salesforce checks aud against the org's login authority.",
				"Use aud https://login.salesforce.com for production and https://test.salesforce.com for sandboxes; try the My Domain URL only if those fail.", none)}
	}},
	{code: "invalid_grant", desc: []string{"invalid assertion", "invalid_assertion", "assertion"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{
				"The JWT was signed with a key that does not match the certificate uploaded on the app.",
				"The JWT is malformed: not RS256, iss is not the consumer key, sub is not a username, or exp is missing.",
				"The certificate on the app was replaced or expired.",
			}, []Advice{fixErr("Match the signing key and the app's certificate", "Salesforce verifies the JWT with the app's certificate.",
				"Upload the certificate of the private key you sign with; sign with RS256; set iss = consumer key, sub = username, aud = login host, exp = a few minutes ahead.", c.at(placeCertificate))}
	}},
	{code: "invalid_request", desc: []string{"refresh_token scope is required", "should be installed and preauthorized"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{
				"The app lacks the refresh_token scope; the JWT bearer flow needs it selected on the app even though it returns no refresh token.",
				"The app is not installed in the org or the user is not pre-authorized.",
			}, []Advice{
				fixErr("Select refresh_token on the app", "Salesforce uses it as the marker for offline (server) access.",
					"Add \"Perform requests at any time (refresh_token, offline_access)\".", c.at(placeRefreshScope)),
				fixErr("Pre-authorize the user", "Server flows need pre-authorized users.", "Admin approved users are pre-authorized + the user's profile or permission set.", c.at(placePermitted)),
			}
	}},

	// ---- client credentials ----
	{code: "invalid_grant", desc: []string{"no client credentials user enabled"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The client credentials flow has no Run As user on the app (or the flow is not enabled)."},
			[]Advice{fixErr("Enable the flow and choose a Run As user", "Client credentials tokens act as the Run As user.", "Enable Client Credentials Flow and set Run As to a user with the API Only permission.", c.at(placeClientCredentials))}
	}},
	{code: "invalid_grant", desc: []string{"request not supported on this domain"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The client credentials request went to login.salesforce.com or test.salesforce.com; it only works on the org's My Domain host."},
			[]Advice{fixErr("Use the My Domain URL", "Client credentials need to know the org from the host.", "Send the token request to https://YourDomain.my.salesforce.com/services/oauth2/token (see Setup → My Domain).", place{"Setup → My Domain", ""})}
	}},
	{code: "", desc: []string{"client credentials flow not enabled", "client credentials not enabled", "client_credentials flow is not enabled"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"Client credentials are not enabled on the app."},
			[]Advice{fixErr("Enable the client credentials flow", "The flow is off by default.", "Enable it and choose a Run As user with API Only.", c.at(placeClientCredentials))}
	}},

	// ---- device flow ----
	{code: "authorization_pending", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"Not a failure: the person has not yet entered the code and approved the app at the verification URL."},
			[]Advice{fixInfo("Keep polling", "Salesforce answers authorization_pending until the code is approved.", "Approve the code at /setup/connect, and poll no faster than the returned interval.", none)}
	}},
	{code: "slow_down", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The client polls the token endpoint faster than the interval the device response gave."},
			[]Advice{fixInfo("Poll more slowly", "Polling faster than the interval is refused.", "Wait at least the returned interval (usually 5 seconds) between polls, and add 5 seconds after each slow_down.", none)}
	}},
	{code: "invalid_grant", desc: []string{"token exchange failed"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The device code was already exchanged, or two clients polled with the same code at once."},
			[]Advice{fixErr("Start the device flow again", "A device code is single use.", "Request a new device code and poll from one place only.", none)}
	}},
	{code: "", desc: []string{"device flow is not enabled"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"\"Enable for Device Flow\" is off on the app."},
			[]Advice{fixErr("Enable the device flow on the app", "The device flow is off by default.", "Tick Enable for Device Flow (and make sure the app is installed in the org).", c.at(placeDevice))}
	}},

	// ---- client identity, installation, secrets ----
	{code: "", desc: []string{"app must be installed into org", "must be installed", "not installed in this org", "is not installed"}, explain: func(c errCtx) ([]string, []Advice) {
		causes := []string{"The app is not installed in this org. Since September 2025 uninstalled connected apps are blocked for users who had not authorized them before, and the device flow is blocked for every uninstalled app (since August 28, 2025)."}
		if c.s.AppKind == AppExternalClient || strings.Contains(strings.ToLower(c.e.Description), "external client app") {
			causes = []string{"The External Client App is not installed (deployed) in this org."}
		}
		causes = append(causes, "The user lacks the permission \"Approve Uninstalled Connected Apps\" (only System Administrators have it by default).")
		return causes, []Advice{fixErr("Install the app in the org", "Installed apps are governed by the org's policies and work for every permitted user.",
			"Install it, or give the user \"Approve Uninstalled Connected Apps\"; better, use an app created in or installed into this org.", c.at(placeInstall))}
	}},
	{code: "invalid_client_id", explain: func(c errCtx) ([]string, []Advice) {
		return []string{
				"The consumer key (client_id) is wrong or incomplete.",
				"The app belongs to another org or org type: a production app used against a sandbox login host (or the reverse), or a deleted app.",
				"The app was created or changed in the last 2–10 minutes; Salesforce has not finished applying it.",
			}, []Advice{
				fixErr("Copy the consumer key again", "Salesforce does not know this client_id on this host.", "Copy the Consumer Key exactly and use the login host of the org that holds the app.", c.at(placeConsumer)),
				fixInfo("Wait a few minutes after changing the app", "New and edited apps take 2–10 minutes to apply.", "Retry in a few minutes.", none),
			}
	}},
	{code: "invalid_client", desc: []string{"invalid client credentials", "client secret", "secret"}, explain: explainInvalidClient},
	{code: "invalid_client", explain: explainInvalidClient},
	{code: "invalid_basic_auth_header", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The Authorization: Basic header is malformed: it must be base64(client_id:client_secret), with the parts URL-encoded first if they contain special characters."},
			[]Advice{fixErr("Fix the Basic header or send the secret in the body", "Salesforce could not decode the client credentials.", "Send client_id and client_secret as form fields instead.", none)}
	}},

	// ---- redirect URI, scope, PKCE ----
	{code: "redirect_uri_mismatch", explain: func(c errCtx) ([]string, []Advice) {
		causes := []string{
			"The redirect_uri differs from every Callback URL on the app: scheme, host, port, path and trailing slash must all match exactly (localhost ≠ 127.0.0.1).",
			"The Callback URL was changed in the last 2–10 minutes and is not applied yet.",
		}
		if c.s.CallbackURL != "" {
			causes = append([]string{"The app's Callback URL is " + c.s.CallbackURL + "; the flow must send exactly that as redirect_uri."}, causes...)
		}
		causes = append(causes, "Salesforce shows this on its own error page and never calls the loopback listener, which then waits until its timeout.")
		return causes, []Advice{fixErr("Make the callback URLs match", "Salesforce compares redirect_uri with the app's Callback URLs character by character.",
			"Add the exact redirect URI the flow sends (one per line), or change the profile's callback URL to one on the app.", c.at(placeCallback))}
	}},
	{code: "redirect_uri_missing", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The authorize or token request has no redirect_uri."},
			[]Advice{fixErr("Send redirect_uri", "Browser flows need the callback URL in both steps.", "Set the callback URL in the profile; it must match the app's.", c.at(placeCallback))}
	}},
	{code: "invalid_scope", explain: func(c errCtx) ([]string, []Advice) {
		causes := []string{"A requested scope is not selected on the app. Requested scopes must be a subset of the app's Selected OAuth Scopes; asking for refresh_token when the app lacks \"Perform requests at any time\" is the usual case."}
		if c.s.AppScopes != nil {
			causes = append(causes, "The app's scopes as you gave them: "+strings.Join(c.s.AppScopes, ", ")+".")
		}
		causes = append(causes, "A scope name is misspelled.")
		return causes, []Advice{fixErr("Request only scopes the app has, or add them to the app", "Salesforce refuses the whole request.",
			"Add the missing scope on the app, or remove it from the request (sending no scope parameter grants all the app's scopes).", c.at(placeScopes))}
	}},
	{code: "invalid_request", desc: []string{"missing required code challenge", "code challenge", "code_challenge"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"PKCE is required (by the app, by the org, or by default for External Client Apps) and the authorize request had no code_challenge."},
			[]Advice{
				fixErr("Use the web server flow with PKCE", "PKCE is the secure choice for apps that cannot keep a secret.", "Run web-server-pkce instead of web-server.", none),
				fixInfo("Or turn off the PKCE requirement", "Only if the client cannot do PKCE.", "Untick the app's PKCE requirement (or the org-wide one).", c.at(placePKCE)),
			}
	}},
	{code: "", desc: []string{"code verifier", "code_verifier", "verifier"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{
			"The code_verifier does not match the code_challenge sent in the authorize request (or is missing).",
			"Salesforce reports this as invalid_request in its docs and as invalid_grant in practice.",
		}, []Advice{fixErr("Send the verifier of the same run", "The verifier must hash (S256) to the challenge.", "Keep the verifier generated for this authorize request and send it unchanged in the token request.", none)}
	}},
	{code: "invalid_request", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"A required parameter is missing or malformed (grant_type, client_id, code, redirect_uri, assertion…), or the body is not application/x-www-form-urlencoded."},
			[]Advice{fixErr("Check the request", "Salesforce could not parse the request.", "Compare the request in the transcript with the flow's required parameters.", none)}
	}},

	// ---- grant type, consent, blocked flows ----
	{code: "unsupported_grant_type", explain: func(c errCtx) ([]string, []Advice) {
		causes := []string{
			"The request went to http:// instead of https://: the redirect to HTTPS turns the POST into a GET without a body.",
			"The body is not application/x-www-form-urlencoded (or multipart), so grant_type was not read.",
			"grant_type is misspelled.",
		}
		if c.flow == flows.TokenExchange {
			causes = append(causes, "Token exchange is not enabled on the app.")
		}
		return causes, []Advice{fixErr("Post the form over HTTPS", "Salesforce did not receive a usable grant_type.", "Use https://, Content-Type application/x-www-form-urlencoded, and the exact grant_type of the flow.", none)}
	}},
	{code: "unsupported_response_type", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The authorize request's response_type is not one Salesforce accepts here (code, token, token id_token, device_code…), or the user-agent flow is blocked in the org."},
			[]Advice{fixErr("Check response_type and the org's flow settings", "", "Use the flow's own response_type; to use the user-agent flow, allow it in the org.", placeUserAgentFlow)}
	}},
	{code: "access_denied", explain: func(c errCtx) ([]string, []Advice) {
		return []string{
			"The user clicked Deny on the consent page (\"end-user denied authorization\").",
			"The app is admin approved and the user is not assigned to it, or the app is blocked.",
		}, []Advice{fixErr("Approve the app, or assign the user", "Salesforce needs the user's consent or an admin's pre-approval.", "Run the flow again and click Allow, or pre-authorize the user on the app.", c.at(placePermitted))}
	}},
	{code: "immediate_unsuccessful", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"immediate=true was sent, but the user must log in or approve the app, which immediate forbids."},
			[]Advice{fixErr("Drop immediate=true", "Immediate mode only works when the user is logged in and has approved the app.", "Run the flow without immediate.", none)}
	}},
	{code: "oauth_flow_disabled", explain: func(c errCtx) ([]string, []Advice) {
		var at place
		switch c.flow {
		case flows.UsernamePassword:
			at = placeUnPwFlow
		case flows.UserAgent:
			at = placeUserAgentFlow
		case flows.Device:
			at = c.at(placeDevice)
		case flows.ClientCredentials:
			at = c.at(placeClientCredentials)
		case flows.TokenExchange:
			at = c.at(placeTokenExchange)
		default:
			at = place{"Setup → OAuth and OpenID Connect Settings", "OauthOidcSettings"}
		}
		return []string{"This flow is turned off for the org or the app."},
			[]Advice{fixErr("Allow the flow", "Orgs and apps can switch individual flows off.", "Turn the flow on where shown, or use another flow.", at)}
	}},
	{code: "app_blocked", explain: explainBlocked},
	{code: "fail_close_app_blocked", explain: explainBlocked},
	{code: "app_not_found", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"No app with this consumer key exists in the org (deleted, not yet applied, or another org)."},
			[]Advice{fixErr("Check the consumer key and the org", "", "Copy the consumer key again from the org you log in to.", c.at(placeConsumer))}
	}},
	{code: "", desc: []string{"ecapp_policy_not_found", "oauth_policy_not_found", "installation_error", "invalid_distribution_state"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The External Client App's policies or installation are missing or incomplete in this org (for example a packaged app whose policies were not deployed)."},
			[]Advice{fixErr("Deploy or install the app completely", "Without its policies the app cannot authorize users.", "Deploy the app's policies (ExtlClntAppOauthConfigurablePolicies) or reinstall the package.", c.at(placeInstall))}
	}},
	{code: "invalid_session_level", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The app requires a high-assurance session and the user logged in without multi-factor authentication."},
			[]Advice{fixErr("Log in with MFA or relax the session level", "", "Log in with multi-factor authentication, or remove the app's high-assurance requirement.", c.at(placeHighAssurance))}
	}},
	{code: "bad_jti_claim", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The JWT's jti was used before or is malformed: each assertion must be unique."},
			[]Advice{fixErr("Use a new jti for every assertion", "", "Generate a random jti per JWT.", none)}
	}},
	{code: "invalid_assertion_type", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The assertion_type (legacy SAML SSO assertion flow) is wrong."},
			[]Advice{fixErr("Use the SAML bearer grant", "", "Send grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer with a base64url assertion.", none)}
	}},
	{code: "", desc: []string{"invalid_dpop_proof", "use_dpop_nonce"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The app requires DPoP-bound tokens and the DPoP proof is missing, invalid, or needs the server's nonce."},
			[]Advice{fixErr("Send a valid DPoP proof", "", "Retry with a DPoP header signed by the client key, including the nonce from the DPoP-Nonce response header.", none)}
	}},
	{code: "", desc: []string{"app_attest_failed"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"Mobile app attestation failed (app_attest_failed_retry: try again)."},
			[]Advice{fixErr("Retry, then check the mobile app's attestation setup", "", "", none)}
	}},
	{code: "", desc: []string{"invalid_otp", "otp_error", "login_error", "registration_error", "failed_registration", "exceeded_registration_limit", "invalid_expid", "unsupported_expid"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"A headless identity (Experience Cloud) step failed: a wrong one-time password, a registration problem, or an unknown Experience ID."},
			[]Advice{fixErr("Check the headless identity request", "", "These APIs work only on Experience Cloud site hosts; check the OTP, the Experience ID and the site's registration settings.", placeCodeCredentials)}
	}},

	// ---- revoke / introspect ----
	{code: "unsupported_token_type", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The revoke or introspect request named a token type Salesforce does not handle (token_type_hint), or the token is of another kind."},
			[]Advice{fixErr("Send an access or refresh token", "", "Use token_type_hint access_token or refresh_token, or leave it out.", none)}
	}},
	{code: "invalid_token", explain: func(c errCtx) ([]string, []Advice) {
		return []string{"The token is unknown: already revoked, expired, or copied incompletely. For revoke, the job is already done."},
			[]Advice{fixInfo("Nothing left to revoke", "", "Get a new token if you still need one.", none)}
	}},

	// ---- server side ----
	{code: "", desc: []string{"server_error", "service_unavailable", "system_down", "unknown_error"}, explain: func(c errCtx) ([]string, []Advice) {
		return []string{"Salesforce had an internal problem or is in maintenance."},
			[]Advice{fixInfo("Retry later", "", "Wait and retry; check status.salesforce.com for the instance.", none)}
	}},

	// ---- catch-all for invalid_grant ----
	{code: "invalid_grant", explain: func(c errCtx) ([]string, []Advice) {
		causes, fixes := genericError(c)
		return append([]string{"The grant (password, code, refresh token, assertion) was refused; invalid_grant covers many causes."}, causes...), fixes
	}},
}

func explainBlocked(c errCtx) ([]string, []Advice) {
	return []string{"An admin blocked the app in this org, or the app is blocked because it is not installed."},
		[]Advice{fixErr("Unblock the app", "Blocked apps cannot authorize anyone.", "Unblock it (or install it).", c.at(placeBlockApp))}
}

func explainInvalidClient(c errCtx) ([]string, []Advice) {
	causes := []string{"The client secret is wrong, missing, or from another app (copy it again: it is shown only in Manage Consumer Details)."}
	switch c.flow {
	case flows.WebServer, flows.WebServerPKCE:
		causes = append(causes, "The app requires a secret for the web server flow (\"Require Secret for Web Server Flow\") and none was sent.")
	case flows.Refresh:
		causes = append(causes, "\"Require Secret for Refresh Token Flow\" is on and no secret was sent — or it is off but a wrong secret was sent (Salesforce still checks it).")
	case flows.ClientCredentials:
		causes = append(causes, "The Authorization: Basic header is not base64(client_id:client_secret).")
	case flows.Device:
		causes = append(causes, "A secret was sent (or is required by \"Require Secret for Refresh Token Flow\") and does not match.")
	}
	causes = append(causes, "The consumer secret was rotated and the client still has the old one.")
	fixes := []Advice{fixErr("Copy the consumer secret again", "Salesforce did not accept the client's credentials.", "Copy the Consumer Secret exactly and store it again.", c.at(placeConsumer))}
	switch c.flow {
	case flows.WebServer, flows.WebServerPKCE:
		fixes = append(fixes, fixInfo("Or stop requiring the secret (public clients with PKCE)", "Apps that cannot keep a secret should use PKCE.", "Untick Require Secret for Web Server Flow and use web-server-pkce.", c.at(placeSecretWebServer)))
	case flows.Refresh, flows.Device:
		fixes = append(fixes, fixInfo("Or stop requiring the secret for refresh", "Public clients cannot keep a secret.", "Untick Require Secret for Refresh Token Flow.", c.at(placeSecretRefresh)))
	}
	return causes, fixes
}

// explainAuthFailure covers invalid_grant "authentication failure": a wrong password and a
// blocked username-password flow look the same on the wire (reference §3.3, §5).
func explainAuthFailure(c errCtx) ([]string, []Advice) {
	if c.flow != flows.UsernamePassword {
		return []string{
				"The user's credentials or status were refused (locked, frozen, inactive, outside Login Hours or IP ranges); the response does not say which.",
				"The login host does not match the org (sandbox users log in at test.salesforce.com or the sandbox My Domain).",
			}, []Advice{fixErr("Read the failed login in Login History", "Salesforce gives one error for many causes; Login History names the real one.",
				"Open Login History, find the attempt, and fix what its Status says.", placeLoginHistory)}
	}
	var causes []string
	if c.s.AppKind == AppExternalClient {
		causes = append(causes, "The app is an External Client App: External Client Apps do not support the username-password flow at all.")
	}
	if c.s.UsernamePasswordBlocked != nil && *c.s.UsernamePasswordBlocked {
		causes = append(causes, "The username-password flow is blocked in this org (you said so): Salesforce answers \"authentication failure\" even to the right password. Login History shows \"Username-Password Flow Disabled\".")
	}
	causes = append(causes,
		"The password is wrong, or the security token is missing or outdated: send the password immediately followed by the user's security token (not needed from a trusted IP range); resetting the password also resets the token.")
	if c.s.UsernamePasswordBlocked == nil {
		causes = append(causes, "The username-password flow is blocked in this org — the default in orgs created since Summer '23. Salesforce answers \"authentication failure\" even to the right password; Login History shows \"Username-Password Flow Disabled\".")
	}
	if c.s.AppKind == "" {
		causes = append(causes, "If the app is an External Client App: those do not support this flow at all.")
	}
	causes = append(causes,
		"From Winter '27 Salesforce no longer supports this flow for Connected Apps.",
		"The user is locked out, frozen or inactive, outside Login Hours or Login IP Ranges, or the login host is wrong (sandboxes use test.salesforce.com).")
	fixes := []Advice{
		fixErr("Read the failed login in Login History", "It tells a wrong password from a blocked flow (\"Username-Password Flow Disabled\").",
			"Open Login History, find this attempt, and read its Status.", placeLoginHistory),
		fixErr("If the password is the problem: send password + security token", "From outside trusted IP ranges Salesforce wants the security token appended to the password.",
			"Reset the security token and send password followed by the token.", placeSecurityToken),
		fixErr("If the flow is blocked: move off it (or allow it for now)", "The flow is blocked by default since Summer '23 and retired for Connected Apps in Winter '27.",
			"Use the web server flow with PKCE for people, or the JWT bearer or client credentials flow for integrations. Allowing the flow again only buys time.", placeUnPwFlow),
	}
	return causes, fixes
}
