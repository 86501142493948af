package guidance

import (
	"strings"

	"github.com/connectedapplab/connectedapplab/flows"
)

// errRules is the error catalogue (see catalogue.go for how an entry is picked). Wordings are
// Salesforce's own: from the documentation named in source, or, where the source is
// refObserved, as quoted from real responses in reference §5 and §15.
var errRules = []errRule{
	// ---- REST API 401/403 error array, Bulk and SOAP sessions (reference §5.1, §15.6) ----
	{id: "rest-session-not-valid-for-rest", codes: []string{"INVALID_SESSION_ID"}, phrases: []string{"not valid for use with the rest api"},
		wordings: []string{"This session is not valid for use with the REST API"},
		meaning:  "The access token is a live session, but not one the REST API accepts.",
		source:   refRESTErrors,
		explain: func(c errCtx) ([]string, []Advice) {
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
	{id: "soap-illegal-session", codes: []string{"INVALID_SESSION_ID"}, phrases: []string{"illegal session"},
		wordings: []string{"Invalid Session ID found in SessionHeader: Illegal Session"},
		meaning:  "The session was refused because the request came from an IP address the org does not allow for it.",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{
					"The org enforces login IP ranges on every request (Session Settings) and this request came from outside the user's profile Login IP Ranges.",
					"The org locks sessions to the IP they started from, and the caller's IP changed.",
				}, []Advice{
					fixErr("Call from an allowed IP, or relax the session settings", "Salesforce checks the caller's IP on every request.", "Add the caller's IP to the profile's Login IP Ranges, or turn off the IP checks in Session Settings.", placeProfileIP),
					fixInfo("Check session locking", "", "Untick \"Lock sessions to the IP address from which they originated\" if the client's IP changes.", placeLockIP),
				}
		}},
	{id: "rest-session-expired", codes: []string{"INVALID_SESSION_ID"},
		wordings: []string{"Session expired or invalid", "The session ID or OAuth token used has expired or is invalid", "Invalid Session ID found in SessionHeader"},
		meaning:  "The access token no longer opens a session: HTTP 401, the way an expired, revoked or foreign token shows.",
		source:   refRESTErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			tc := effectiveTimeout(c.s, c.intro)
			idle := "The session ended: it was idle longer than its timeout (" + humanDuration(tc.d) + ", " + tc.phrase + "). Access tokens carry no expires_in; this 401 is how expiry shows."
			revoked := "The token was revoked (/services/oauth2/revoke, the user's or an admin's Connected Apps page), or the user logged out."
			switch {
			case c.revoked:
				revoked = "This client revoked the token (Revoke): a revoked session answers 401 INVALID_SESSION_ID from then on."
			case c.idleEnded < 0:
				idle = "The session ended by idling (" + humanDuration(tc.d) + ", " + tc.phrase + "), which is unlikely: by introspection's exp it should still be alive."
			}
			causes := []string{idle, revoked}
			if c.revoked || c.idleEnded < 0 {
				causes = []string{revoked, idle}
			}
			causes = append(causes,
				"The token is used against another org's instance_url, or was copied incompletely.",
				"The org locks sessions to the originating IP and the caller's IP changed.")
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
			fixes = append(fixes, withSource(fixInfo("Lengthen the session if it ends too soon", "The idle timeout decides how long an unused token lasts.",
				"Set a longer Timeout Value on the app's session policy (it overrides profile and org).", c.at(placeAppTimeout)), refSessionTimeout))
			return causes, fixes
		}},
	{id: "bulk-invalid-session", codes: []string{"InvalidSessionId"},
		wordings: []string{"Invalid session id"},
		meaning:  "Bulk API 1.0's way (HTTP 400, exceptionCode InvalidSessionId) of saying the session is gone.",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"Bulk API 1.0 reports an expired or invalid session this way (HTTP 400): the session timed out or was revoked."},
				[]Advice{fixErr("Get a new session", "The Bulk API session is the same access token.", "Refresh the token (or run the flow again) and send it in the X-SFDC-Session header.", none)}
		}},
	{id: "rest-request-limit", codes: []string{"REQUEST_LIMIT_EXCEEDED"},
		wordings: []string{"TotalRequests Limit exceeded"},
		meaning:  "HTTP 403: the org has used up its API request allowance for the rolling 24 hours.",
		source:   refRESTErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The org's daily API request limit is used up (by this client or others); the token itself is fine."},
				[]Advice{fixInfo("Wait, or reduce API calls", "The limit is per org over 24 hours.", "Check Setup → Company Information → API Requests, Last 24 Hours; batch calls, or ask Salesforce for more.", place{"Setup → Company Information (API Requests, Last 24 Hours)", ""})}
		}},
	{id: "api-disabled", codes: []string{"API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED"},
		wordings: []string{"API is not enabled for this Organization or Partner", "API is disabled for this User"},
		meaning:  "HTTP 403 (or a SOAP login fault): the API is off for this org edition or for this user.",
		source:   refRESTErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{
				"The user's profile or permission sets lack API Enabled.",
				"The org's edition has no API access (for example Professional Edition without the API add-on).",
			}, []Advice{fixErr("Give the user API access", "Without API Enabled no API call works.", "Enable API Enabled on the user's profile or a permission set.", placeAPIEnabled)}
		}},
	{id: "rest-insufficient-access", codes: []string{"INSUFFICIENT_ACCESS"}, phrases: []string{"use any api auth", "login"},
		wordings: []string{"Use Any API Auth permission is required to use SOAP login()"},
		meaning:  "SOAP login() was refused: the user lacks the \"Use Any API Auth\" permission it requires.",
		source:   refSOAPLogin,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"SOAP login() needs the \"Use Any API Auth\" user permission (enforced by default in new orgs; for every org the requirement " + status(ChangeSOAPLoginPermission, c.now) + ")."},
				[]Advice{fixErr("Move off SOAP login(), or grant the permission for now", "SOAP login() "+status(ChangeSOAPLoginRetired, c.now)+".",
					"Use an OAuth flow (JWT bearer or client credentials for integrations); until then give the user \"Use Any API Auth\".", place{"Setup → Permission Sets → System Permissions → Use Any API Auth", "PermissionSet userPermissions UseAnyApiAuth"})}
		}},

	// ---- SOAP login() faults (reference §15.6) ----
	{id: "soap-invalid-login", codes: []string{"INVALID_LOGIN"},
		wordings: []string{"Invalid username, password, security token; or user locked out."},
		meaning:  "SOAP login() refused the username, the password (with its security token), or a locked-out user.",
		source:   refSOAPFaults,
		explain:  explainAuthFailure},
	{id: "soap-must-use-security-token", codes: []string{"LOGIN_MUST_USE_SECURITY_TOKEN"},
		wordings: []string{"Invalid username, password, security token; or user locked out. Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company's trusted networks, you must add a security token to your password to log in."},
		meaning:  "The login came from outside the org's trusted IP ranges without the security token appended to the password.",
		source:   refSOAPFaults,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The password was sent without the user's security token, from an IP outside the org's trusted ranges."},
				[]Advice{fixErr("Send password + security token", "From outside trusted IP ranges Salesforce wants the security token appended to the password.",
					"Reset the security token and send the password immediately followed by the token.", placeSecurityToken)}
		}},
	{id: "soap-restricted-domain", codes: []string{"LOGIN_DURING_RESTRICTED_DOMAIN"},
		wordings: []string{"Login from this domain is restricted"},
		meaning:  "The login came from an IP address outside the user's profile Login IP Ranges.",
		source:   refSOAPFaults,
		explain:  explainIPOnly},
	{id: "login-hours", codes: []string{"LOGIN_DURING_RESTRICTED_TIME"}, byCode: true, anyCode: true,
		phrases:  []string{"invalid login hours", "login hours", "restricted time", "outside of login hours"},
		wordings: []string{"cannot log in during restricted time", "invalid login hours"},
		meaning:  "The login came outside the Login Hours of the user's profile.",
		source:   refSOAPFaults,
		explain:  explainLoginHours},
	{id: "soap-expired-password", codes: []string{"INVALID_OPERATION_WITH_EXPIRED_PASSWORD"},
		wordings: []string{"The users password has expired, you must call SetPassword before attempting any other API operations"},
		meaning:  "The user's password has expired; the API refuses everything until it is changed.",
		source:   refSOAPFaults,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The user's password expired (the profile's password policy) and must be changed before any API call."},
				[]Advice{fixErr("Change the password", "An expired password blocks API logins.", "Log in interactively and change the password (then get a new security token), or set the profile's password policy to Never expires for integration users.", place{"Setup → Profiles → the user's profile → Password Policies", "Profile passwordPolicies"})}
		}},
	{id: "soap-password-lockout", codes: []string{"PASSWORD_LOCKOUT"},
		wordings: []string{"User is locked out"},
		meaning:  "The user is locked out after too many failed logins.",
		source:   refSOAPFaults,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"Too many failed logins locked the user out for the lockout period of the password policy."},
				[]Advice{fixErr("Unlock the user", "", "Unlock the user on their record (Setup → Users), then fix the credentials that failed.", placeUsers)}
		}},
	{id: "soap-login-not-in-version", codes: []string{"UNSUPPORTED_API_VERSION", "INVALID_OPERATION"}, phrases: []string{"soap login operation is not available"},
		wordings: []string{"The SOAP Login operation is not available in the API version specified (65.0)"},
		meaning:  "SOAP login() does not exist in API 65.0 and later.",
		source:   refSOAPLogin,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The client calls login() with API 65.0 or later, where it was removed; versions 31.0 to 64.0 still have it until SOAP login() " + status(ChangeSOAPLoginRetired, c.now) + "."},
				[]Advice{fixErr("Use OAuth instead of SOAP login()", "Going back to API 64.0 only buys time.", "Use the JWT bearer or client credentials flow for integrations, the web server flow with PKCE for people.", none)}
		}},

	// ---- username-password, credentials, user and org state ----
	{id: "authentication-failure", codes: []string{"invalid_grant"}, phrases: []string{"authentication failure", "invalid user credentials"},
		wordings: []string{"authentication failure", "invalid user credentials"},
		meaning:  "Salesforce refused the user's credentials or status; the response does not say which check failed.",
		source:   refUserAgentErrors,
		explain:  explainAuthFailure},
	{id: "login-rate-exceeded", codes: []string{"rate_limit_exceeded", "LOGIN_RATE_EXCEEDED"}, byCode: true, anyCode: true,
		phrases:  []string{"login_rate_exceeded", "number of logins exceeded", "login rate exceeded"},
		wordings: []string{"number of logins exceeded"},
		meaning:  "The user logged in too often: Salesforce allows 3,600 logins per user per hour.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The user logged in more than 3600 times in an hour: the client asks for a new token on every call instead of reusing it."},
				[]Advice{fixErr("Cache the access token", "A token stays valid while used; logging in each time burns the hourly login limit.", "Keep the token and reuse it until a 401 INVALID_SESSION_ID, then get one new token.", none)}
		}},
	{id: "inactive-user", codes: []string{"inactive_user"}, byCode: true, anyCode: true,
		phrases:  []string{"inactive user", "user is inactive", "user inactive", "user is not active", "user is deactivated", "user is frozen", "inactive_user"},
		wordings: []string{"user is inactive", "inactive user"},
		meaning:  "The user is not active: deactivated, or frozen.",
		source:   refUserAgentErrors,
		explain:  explainInactiveUser},
	{id: "inactive-org", codes: []string{"inactive_org"}, byCode: true, anyCode: true,
		phrases:  []string{"organization is locked", "org is locked", "locked closed or suspended", "inactive org", "inactive organization"},
		wordings: []string{"organization is locked, closed, or suspended", "Org is locked, closed, or suspended"},
		meaning:  "The org itself cannot be logged in to: it is locked, closed or suspended.",
		source:   refUserAgentErrors,
		explain:  explainInactiveOrg},
	{id: "ip-restricted-or-login-hours", codes: []string{"invalid_grant"}, phrases: []string{"ip restricted or invalid login hours"},
		wordings: []string{"IP restricted or invalid login hours"},
		meaning:  "The login was refused by the user's profile: the caller's IP is outside its Login IP Ranges, or the time is outside its Login Hours. Salesforce does not say which.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			causes, fixes := explainIPOnly(c)
			causes = append(causes[:1:1], append([]string{"The request came outside the Login Hours of the user's profile (Login History shows which of the two it was)."}, causes[1:]...)...)
			fixes = append(fixes, fixErr("Or widen the profile's Login Hours", "Login Hours stop every login outside them, API logins too.", "Check the profile's Login Hours against the time of the request.", placeProfileHours))
			return causes, fixes
		}},
	{id: "ip-restricted", codes: []string{"invalid_grant"}, phrases: []string{"ip restricted", "restricted ip"},
		wordings: []string{"ip restricted"},
		meaning:  "The caller's IP address is outside what the user's profile (or the app) allows.",
		source:   refObserved,
		explain:  explainIPOnly},
	{id: "authorization-request-expired", phrases: []string{"authorization request has expired"},
		wordings: []string{"This authorization request has expired, or (less likely) the IP is restricted or invalid login hours."},
		meaning:  "The authorization step took too long, or (less likely) the profile's IP ranges or Login Hours refused it.",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{
					"The authorization request took too long (the login page or code expired).",
					"Less likely: the user is outside the profile's Login Hours, or the IP is restricted.",
				}, []Advice{
					fixErr("Start the flow again", "The authorization step has a short lifetime.", "Run the flow again and complete the login promptly.", none),
					fixInfo("Check Login Hours and IP ranges", "Login Hours and IP ranges also stop logins.", "Check the profile's Login Hours and Login IP Ranges.", placeProfileHours),
				}
		}},
	{id: "activation-secret-invalid", codes: []string{"invalid_grant"}, phrases: []string{"activation secret invalid", "login_oauth_invalid_ds"},
		wordings: []string{"activation secret invalid"},
		meaning:  "Salesforce does not accept this device or browser as verified for the user.",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The device activation secret is invalid (LOGIN_OAUTH_INVALID_DS): the device or browser is not verified for this user, often after identity verification was reset."},
				[]Advice{fixErr("Verify the device again", "Salesforce did not accept the device's activation.", "Log in interactively from this client once to verify it, then retry.", placeLoginHistory)}
		}},

	// ---- codes and refresh tokens ----
	{id: "authorization-code", codes: []string{"invalid_grant"}, phrases: []string{"expired authorization code", "invalid authorization code"},
		wordings: []string{"expired authorization code", "invalid authorization code"},
		meaning:  "The authorization code (or, for JWT and SAML bearer, the assertion's time window) was not accepted.",
		source:   refWebServerErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			if c.flow == flows.JWTBearer || c.flow == flows.SAMLBearer {
				return []string{
						"The assertion's exp is in the past or too near: the clock of the machine that signed it is wrong (clock skew).",
						"The assertion was reused or signed too long before it was sent.",
					}, []Advice{withSource(fixErr("Sign a fresh assertion with a correct clock", "Salesforce checks exp (and, for SAML, NotOnOrAfter) against its own clock.",
						"Sync the signing machine's clock (NTP) and set exp a few minutes ahead of now.", none), refJWTFlow)}
			}
			return []string{
					"The authorization code was already used: codes are single use (a double submit, a retry, or two listeners).",
					"The code is too old (commonly quoted as 15 minutes; not confirmed).",
					"The code was issued for a different redirect_uri or client than the token request sends.",
				}, []Advice{fixErr("Run the flow again and exchange the code once, at once", "A used or expired code cannot be exchanged.",
					"Start the flow again; send exactly one token request right after the callback, with the same redirect_uri.", none)}
		}},
	{id: "refresh-token-expired", codes: []string{"invalid_grant"}, phrases: []string{"expired access/refresh token", "expired refresh token", "invalid refresh token", "refresh token", "token validity expired"},
		wordings: []string{"expired access/refresh token", "token validity expired"},
		meaning:  "The refresh token no longer works: it expired under the app's policy, was revoked, or was replaced.",
		source:   refFlowErrors,
		explain:  explainRefreshExpired},

	// ---- JWT bearer / token exchange approvals ----
	{id: "user-not-approved", codes: []string{"invalid_grant"}, phrases: []string{"user hasn't approved this consumer", "user hasn't approved", "has not approved"},
		wordings: []string{"user hasn't approved this consumer"},
		meaning:  "The user named in the assertion has not approved the app and is not pre-authorized for it.",
		source:   refJWTFlow,
		explain: func(c errCtx) ([]string, []Advice) {
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
	{id: "not-admin-approved", codes: []string{"invalid_app_access", "OAUTH_APP_ACCESS_DENIED"}, byCode: true, anyCode: true,
		phrases:  []string{"not admin approved"},
		wordings: []string{"user is not admin approved to access this app"},
		meaning:  "The app admits only pre-authorized users, and this user (or the client credentials Run As user) is not assigned to it.",
		source:   refObserved,
		explain:  explainNotAdminApproved},
	{id: "audience", codes: []string{"invalid_grant"}, phrases: []string{"audience is invalid", "audience validation failed", "audience"},
		wordings: []string{"audience is invalid", "Audience validation failed"},
		meaning:  "The assertion's audience is not the one this org expects.",
		source:   refFlowErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			if c.flow == flows.SAMLBearer {
				return []string{"The SAML assertion's Audience does not match what the org expects (its Entity ID / login URL)."},
					[]Advice{fixErr("Fix the assertion's Audience", "Salesforce checks the Audience against the org's SAML settings.", "Set the Audience to the org's entity ID (see Setup → Single Sign-On Settings) and check with the SAML Assertion Validator.", place{"Setup → Single Sign-On Settings", "SamlSsoConfig"})}
			}
			return []string{
					"The JWT aud is not https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or, for an Experience Cloud site, the site's URL including its path.",
					"A sandbox login uses the production audience, or the reverse.",
					"A My Domain URL is used as aud in an org that does not accept it.",
				}, []Advice{withSource(fixErr("Set aud to the login host", "Salesforce checks aud against the org's login authority.",
					"Use aud https://login.salesforce.com for production and https://test.salesforce.com for sandboxes (an Experience Cloud site: its full URL with the path); try the My Domain URL only if those fail.", none), refJWTFlow)}
		}},
	{id: "invalid-assertion", codes: []string{"invalid_grant"}, phrases: []string{"invalid assertion", "invalid_assertion", "assertion"},
		wordings: []string{"invalid assertion"},
		meaning:  "Salesforce could not verify the JWT or SAML assertion.",
		source:   refJWTFlow,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{
					"The JWT was signed with a key that does not match the certificate uploaded on the app.",
					"The JWT is malformed: not RS256, iss is not the consumer key, sub is not a username, or exp is missing.",
					"The certificate on the app was replaced or expired.",
				}, []Advice{fixErr("Match the signing key and the app's certificate", "Salesforce verifies the JWT with the app's certificate.",
					"Upload the certificate of the private key you sign with; sign with RS256; set iss = consumer key, sub = username, aud = login host, exp = a few minutes ahead.", c.at(placeCertificate))}
		}},
	{id: "jwt-needs-refresh-scope", codes: []string{"invalid_request"}, phrases: []string{"refresh_token scope is required", "should be installed and preauthorized"},
		wordings: []string{"refresh_token scope is required and the connected app should be installed and preauthorized."},
		meaning:  "The JWT bearer flow needs the refresh_token scope on the app and a pre-authorized user of an installed app.",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
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
	{id: "client-credentials-no-user", codes: []string{"invalid_grant"}, phrases: []string{"no client credentials user enabled"},
		wordings: []string{"no client credentials user enabled"},
		meaning:  "The client credentials flow has no Run As user to issue the token for.",
		source:   refClientCredentialsFlow,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The client credentials flow has no Run As user on the app (or the flow is not enabled)."},
				[]Advice{fixErr("Enable the flow and choose a Run As user", "Client credentials tokens act as the Run As user.", "Enable Client Credentials Flow and set Run As to a user with the API Only permission.", c.at(placeClientCredentials))}
		}},
	{id: "client-credentials-domain", codes: []string{"invalid_grant"}, phrases: []string{"request not supported on this domain"},
		wordings: []string{"request not supported on this domain"},
		meaning:  "Client credentials work only on the org's My Domain host, not on login or test.salesforce.com.",
		source:   refClientCredentialsFlow,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The client credentials request went to login.salesforce.com or test.salesforce.com; it only works on the org's My Domain host."},
				[]Advice{fixErr("Use the My Domain URL", "Client credentials need to know the org from the host.", "Send the token request to https://YourDomain.my.salesforce.com/services/oauth2/token (see Setup → My Domain).", place{"Setup → My Domain", ""})}
		}},
	{id: "client-credentials-disabled", phrases: []string{"client credentials flow not enabled", "client credentials not enabled", "client_credentials flow is not enabled"},
		wordings: []string{"client credentials flow not enabled"},
		meaning:  "The app does not enable the client credentials flow.",
		source:   refClientCredentialsFlow,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"Client credentials are not enabled on the app."},
				[]Advice{fixErr("Enable the client credentials flow", "The flow is off by default.", "Enable it and choose a Run As user with API Only.", c.at(placeClientCredentials))}
		}},

	// ---- device flow ----
	{id: "device-pending", codes: []string{"authorization_pending"},
		wordings: []string{"authorization pending"},
		meaning:  "Not a failure: the person has not approved the device code yet.",
		source:   refDeviceFlow,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"Not a failure: the person has not yet entered the code and approved the app at the verification URL."},
				[]Advice{fixInfo("Keep polling", "Salesforce answers authorization_pending until the code is approved.", "Approve the code at /setup/connect, and poll no faster than the returned interval.", none)}
		}},
	{id: "device-slow-down", codes: []string{"slow_down"},
		wordings: []string{"polling too quickly for the token endpoint"},
		meaning:  "The device polls faster than the interval Salesforce gave it.",
		source:   refDeviceFlow,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The client polls the token endpoint faster than the interval the device response gave."},
				[]Advice{fixInfo("Poll more slowly", "Polling faster than the interval is refused.", "Wait at least the returned interval (usually 5 seconds) between polls, and add 5 seconds after each slow_down.", none)}
		}},
	{id: "device-code-used", codes: []string{"invalid_grant"}, phrases: []string{"token exchange failed"},
		wordings: []string{"token exchange failed"},
		meaning:  "The device code was already exchanged.",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The device code was already exchanged, or two clients polled with the same code at once."},
				[]Advice{fixErr("Start the device flow again", "A device code is single use.", "Request a new device code and poll from one place only.", none)}
		}},
	{id: "device-disabled", phrases: []string{"device flow is not enabled"},
		wordings: []string{"device flow is not enabled for the app"},
		meaning:  "The app does not enable the device flow.",
		source:   refDeviceFlow,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"\"Enable for Device Flow\" is off on the app."},
				[]Advice{fixErr("Enable the device flow on the app", "The device flow is off by default.", "Tick Enable for Device Flow (and make sure the app is installed in the org).", c.at(placeDevice))}
		}},

	// ---- client identity, installation, secrets ----
	{id: "app-not-installed", phrases: []string{"app must be installed into org", "must be installed", "not installed in this org", "is not installed"},
		wordings: []string{"app must be installed into org", "External client app is not installed in this org"},
		meaning:  "The app is not installed in this org, and this user (or flow) may not use an uninstalled app.",
		source:   refUsageRestriction,
		explain: func(c errCtx) ([]string, []Advice) {
			causes := []string{"The app is not installed in this org. Since " + Change(ChangeUninstalledApps).When + " uninstalled connected apps are blocked for users who had not authorized them before, and the device flow is blocked for every uninstalled app (since " + Change(ChangeDeviceUninstalled).When + ")."}
			if c.s.AppKind == AppExternalClient || strings.Contains(strings.ToLower(c.e.Description), "external client app") {
				causes = []string{"The External Client App is not installed (deployed) in this org."}
			}
			causes = append(causes, "The user lacks the permission \"Approve Uninstalled Connected Apps\" (only System Administrators have it by default).")
			return causes, []Advice{fixErr("Install the app in the org", "Installed apps are governed by the org's policies and work for every permitted user.",
				"Install it, or give the user \"Approve Uninstalled Connected Apps\"; better, use an app created in or installed into this org.", c.at(placeInstall))}
		}},
	{id: "invalid-client-id", codes: []string{"invalid_client_id"},
		wordings: []string{"client identifier invalid"},
		meaning:  "Salesforce does not know this consumer key on this login host.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{
					"The consumer key (client_id) is wrong or incomplete.",
					"The app belongs to another org or org type: a production app used against a sandbox login host (or the reverse), or a deleted app.",
					"The app was created or changed in the last 2–10 minutes; Salesforce has not finished applying it.",
				}, []Advice{
					fixErr("Copy the consumer key again", "Salesforce does not know this client_id on this host.", "Copy the Consumer Key exactly and use the login host of the org that holds the app.", c.at(placeConsumer)),
					fixInfo("Wait a few minutes after changing the app", "New and edited apps take 2–10 minutes to apply.", "Retry in a few minutes.", none),
				}
		}},
	{id: "invalid-client-secret", codes: []string{"invalid_client", "invalid_client_credentials"}, phrases: []string{"invalid client credentials", "client secret invalid", "client secret", "secret"},
		wordings: []string{"invalid client credentials", "client secret invalid"},
		meaning:  "Salesforce did not accept the client's secret (or its client authentication).",
		source:   refWebServerErrors,
		explain:  explainInvalidClient},
	{id: "invalid-client", codes: []string{"invalid_client", "invalid_client_credentials"},
		meaning: "Salesforce did not accept the client's credentials.",
		source:  refWebServerErrors,
		explain: explainInvalidClient},
	{id: "invalid-basic-auth-header", codes: []string{"invalid_basic_auth_header"},
		meaning: "The Authorization: Basic header carrying the client credentials cannot be decoded.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The Authorization: Basic header is malformed: it must be base64(client_id:client_secret), with the parts URL-encoded first if they contain special characters."},
				[]Advice{fixErr("Fix the Basic header or send the secret in the body", "Salesforce could not decode the client credentials.", "Send client_id and client_secret as form fields instead.", none)}
		}},
	{id: "secret-type", codes: []string{"invalid_request"}, phrases: []string{"secret type not supported"},
		wordings: []string{"secret type not supported"},
		meaning:  "The client secret was sent in a form Salesforce does not take.",
		source:   refWebServerErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The client secret was sent in an unsupported way (for example as a JWT client assertion the app is not set up for)."},
				[]Advice{fixErr("Send client_secret as a form field", "", "Post client_id and client_secret in the form body (or a Basic header).", none)}
		}},

	// ---- redirect URI, scope, PKCE, request shape ----
	{id: "redirect-uri-mismatch", codes: []string{"redirect_uri_mismatch"},
		wordings: []string{"redirect_uri must match configuration", "redirect_uri mismatch with connected app object", "redirect_uri mismatch with remote access application definition"},
		meaning:  "The redirect_uri is not one of the app's Callback URLs, character for character.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
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
	{id: "redirect-uri-missing", codes: []string{"redirect_uri_missing"},
		wordings: []string{"redirect_uri not provided"},
		meaning:  "The request has no redirect_uri.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The authorize or token request has no redirect_uri."},
				[]Advice{fixErr("Send redirect_uri", "Browser flows need the callback URL in both steps.", "Set the callback URL in the profile; it must match the app's.", c.at(placeCallback))}
		}},
	{id: "invalid-scope", codes: []string{"invalid_scope"},
		wordings: []string{"the requested scope is not allowed", "the requested scope is not available", "requested scope is invalid, unknown, or malformed"},
		meaning:  "A requested scope is not one the app grants.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			causes := []string{"A requested scope is not selected on the app. Requested scopes must be a subset of the app's Selected OAuth Scopes; asking for refresh_token when the app lacks \"Perform requests at any time\" is the usual case."}
			if c.s.AppScopes != nil {
				causes = append(causes, "The app's scopes as you gave them: "+strings.Join(c.s.AppScopes, ", ")+".")
			}
			causes = append(causes, "A scope name is misspelled.")
			return causes, []Advice{fixErr("Request only scopes the app has, or add them to the app", "Salesforce refuses the whole request.",
				"Add the missing scope on the app, or remove it from the request (sending no scope parameter grants all the app's scopes).", c.at(placeScopes))}
		}},
	{id: "pkce-missing-challenge", codes: []string{"invalid_request"}, phrases: []string{"missing required code challenge", "code challenge", "code_challenge"},
		wordings: []string{"missing required code challenge"},
		meaning:  "PKCE is required and the authorize request carried no code_challenge.",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"PKCE is required (by the app, by the org, or by default for External Client Apps) and the authorize request had no code_challenge."},
				[]Advice{
					fixErr("Use the web server flow with PKCE", "PKCE is the secure choice for apps that cannot keep a secret.", "Run web-server-pkce instead of web-server.", none),
					fixInfo("Or turn off the PKCE requirement", "Only if the client cannot do PKCE.", "Untick the app's PKCE requirement (or the org-wide one).", c.at(placePKCE)),
				}
		}},
	{id: "pkce-unexpected-verifier", phrases: []string{"unexpected code verifier"},
		wordings: []string{"unexpected code verifier"},
		meaning:  "A code_verifier was sent, but the authorize request had no code_challenge.",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The token request sends a code_verifier for a code whose authorize request had no code_challenge (PKCE half on)."},
				[]Advice{fixErr("Send PKCE in both steps, or in neither", "The verifier proves the challenge of the same run.", "Send code_challenge in the authorize request and its verifier in the token request.", none)}
		}},
	{id: "pkce-verifier", phrases: []string{"code verifier", "code_verifier", "verifier"},
		wordings: []string{"invalid code verifier"},
		meaning:  "The code_verifier does not prove the code_challenge of the authorize request.",
		source:   refWebServerFlow,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{
				"The code_verifier does not match the code_challenge sent in the authorize request (or is missing).",
				"Salesforce reports this as invalid_request in its docs and as invalid_grant in practice.",
			}, []Advice{fixErr("Send the verifier of the same run", "The verifier must hash (S256) to the challenge.", "Keep the verifier generated for this authorize request and send it unchanged in the token request.", none)}
		}},
	{id: "https-required", codes: []string{"invalid_request"}, phrases: []string{"https required"},
		wordings: []string{"HTTPS required"},
		meaning:  "The request was sent over plain http.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The request went to an http:// URL; Salesforce's OAuth endpoints take only https."},
				[]Advice{fixErr("Use https", "", "Set the login URL to https://login.salesforce.com, https://test.salesforce.com or the https My Domain URL.", none)}
		}},
	{id: "wrong-http-method", codes: []string{"invalid_request"}, phrases: []string{"must use http post", "must use http get"},
		wordings: []string{"must use HTTP POST", "Must use HTTP GET"},
		meaning:  "The endpoint was called with the wrong HTTP method.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The token endpoint takes POST and the authorize endpoint GET; a redirect from http to https also turns a POST into a GET."},
				[]Advice{fixErr("Use the endpoint's method over https", "", "POST the token request as a form to https://…/services/oauth2/token; open /services/oauth2/authorize with GET.", none)}
		}},
	{id: "out-of-band", codes: []string{"invalid_request"}, phrases: []string{"out of band not supported"},
		wordings: []string{"Out-of-band not supported"},
		meaning:  "The out-of-band redirect (urn:ietf:wg:oauth:2.0:oob) is not supported.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The redirect_uri asks for out-of-band delivery (oob), which Salesforce does not do."},
				[]Advice{fixErr("Use a loopback callback", "", "Use a callback such as http://localhost:1717/OauthRedirect, on the app too.", c.at(placeCallback))}
		}},
	{id: "invalid-request", codes: []string{"invalid_request"},
		meaning: "A required parameter is missing or malformed.",
		source:  refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"A required parameter is missing or malformed (grant_type, client_id, code, redirect_uri, assertion…), or the body is not application/x-www-form-urlencoded."},
				[]Advice{fixErr("Check the request", "Salesforce could not parse the request.", "Compare the request in the transcript with the flow's required parameters.", none)}
		}},

	// ---- grant type, consent, blocked flows ----
	{id: "unsupported-grant-type", codes: []string{"unsupported_grant_type"},
		wordings: []string{"grant type not supported"},
		meaning:  "Salesforce did not receive a grant_type it accepts.",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
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
	{id: "unsupported-response-type", codes: []string{"unsupported_response_type"},
		wordings: []string{"response type not supported"},
		meaning:  "The authorize request's response_type is not one Salesforce accepts here.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The authorize request's response_type is not one Salesforce accepts here (code, token, token id_token, device_code…), or the user-agent flow is blocked in the org."},
				[]Advice{fixErr("Check response_type and the org's flow settings", "", "Use the flow's own response_type; to use the user-agent flow, allow it in the org.", placeUserAgentFlow)}
		}},
	{id: "access-denied", codes: []string{"access_denied"},
		wordings: []string{"end-user denied authorization", "User denied authorization"},
		meaning:  "The user (or the app's policy) refused the authorization.",
		source:   refFlowErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{
				"The user clicked Deny on the consent page (\"end-user denied authorization\").",
				"The app is admin approved and the user is not assigned to it, or the app is blocked.",
			}, []Advice{fixErr("Approve the app, or assign the user", "Salesforce needs the user's consent or an admin's pre-approval.", "Run the flow again and click Allow, or pre-authorize the user on the app.", c.at(placePermitted))}
		}},
	{id: "immediate-unsuccessful", codes: []string{"immediate_unsuccessful"},
		wordings: []string{"immediate unsuccessful"},
		meaning:  "immediate=true was sent but the user would have to log in or approve.",
		source:   refUserAgentErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"immediate=true was sent, but the user must log in or approve the app, which immediate forbids."},
				[]Advice{fixErr("Drop immediate=true", "Immediate mode only works when the user is logged in and has approved the app.", "Run the flow without immediate.", none)}
		}},
	{id: "oauth-flow-disabled", codes: []string{"oauth_flow_disabled"},
		meaning: "This OAuth flow is switched off for the org or the app.",
		source:  refBlockFlows,
		explain: func(c errCtx) ([]string, []Advice) {
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
	{id: "app-blocked", codes: []string{"app_blocked", "fail_close_app_blocked"},
		meaning: "The app is blocked in this org.",
		source:  refErrorCodeEnum,
		explain: explainBlocked},
	{id: "app-not-found", codes: []string{"app_not_found"},
		meaning: "No app with this consumer key is available in the org.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"No app with this consumer key exists in the org (deleted, not yet applied, or another org)."},
				[]Advice{fixErr("Check the consumer key and the org", "", "Copy the consumer key again from the org you log in to.", c.at(placeConsumer))}
		}},
	{id: "eca-policy-missing", phrases: []string{"ecapp_policy_not_found", "oauth_policy_not_found", "installation_error", "invalid_distribution_state"},
		meaning: "The External Client App's policies or installation are missing or incomplete in this org.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The External Client App's policies or installation are missing or incomplete in this org (for example a packaged app whose policies were not deployed)."},
				[]Advice{fixErr("Deploy or install the app completely", "Without its policies the app cannot authorize users.", "Deploy the app's policies (ExtlClntAppOauthConfigurablePolicies) or reinstall the package.", c.at(placeInstall))}
		}},
	{id: "invalid-session-level", codes: []string{"invalid_session_level"},
		meaning: "The app requires a high-assurance session and the user's session is not one.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The app requires a high-assurance session and the user logged in without multi-factor authentication."},
				[]Advice{fixErr("Log in with MFA or relax the session level", "", "Log in with multi-factor authentication, or remove the app's high-assurance requirement.", c.at(placeHighAssurance))}
		}},
	{id: "bad-jti", codes: []string{"bad_jti_claim"},
		meaning: "The JWT's jti was used before or is malformed.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The JWT's jti was used before or is malformed: each assertion must be unique."},
				[]Advice{fixErr("Use a new jti for every assertion", "", "Generate a random jti per JWT.", none)}
		}},
	{id: "invalid-assertion-type", codes: []string{"invalid_assertion_type"},
		meaning: "The assertion_type of the legacy SAML assertion flow is wrong.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The assertion_type (legacy SAML SSO assertion flow) is wrong."},
				[]Advice{fixErr("Use the SAML bearer grant", "", "Send grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer with a base64url assertion.", none)}
		}},
	{id: "dpop", phrases: []string{"invalid_dpop_proof", "use_dpop_nonce"},
		meaning: "The app requires DPoP-bound tokens and the DPoP proof is missing, invalid, or needs the server's nonce.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The app requires DPoP-bound tokens and the DPoP proof is missing, invalid, or needs the server's nonce."},
				[]Advice{fixErr("Send a valid DPoP proof", "", "Retry with a DPoP header signed by the client key, including the nonce from the DPoP-Nonce response header.", none)}
		}},
	{id: "app-attest", phrases: []string{"app_attest_failed"},
		meaning: "Mobile app attestation failed.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"Mobile app attestation failed (app_attest_failed_retry: try again)."},
				[]Advice{fixErr("Retry, then check the mobile app's attestation setup", "", "", none)}
		}},
	{id: "headless-identity", phrases: []string{"invalid_otp", "otp_error", "login_error", "registration_error", "failed_registration", "exceeded_registration_limit", "invalid_expid", "unsupported_expid"},
		meaning: "A headless identity (Experience Cloud) step failed.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"A headless identity (Experience Cloud) step failed: a wrong one-time password, a registration problem, or an unknown Experience ID."},
				[]Advice{fixErr("Check the headless identity request", "", "These APIs work only on Experience Cloud site hosts; check the OTP, the Experience ID and the site's registration settings.", placeCodeCredentials)}
		}},
	{id: "approval-error-generic", codes: []string{"OAUTH_APPROVAL_ERROR_GENERIC"}, byCode: true, anyCode: true,
		phrases:  []string{"oauth_approval_error_generic", "unexpected error has occured during authentication", "unexpected error has occurred during authentication"},
		wordings: []string{"An unexpected error has occured during authentication"},
		meaning:  "Salesforce's generic error page: the real error is only in the page's URL (its error= and error_description= parameters).",
		source:   refObserved,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{
					"The page hides the real error. Common ones behind it: invalid_scope (a scope the app lacks), redirect_uri_mismatch, invalid_client_id, \"app must be installed into org\", or a user not admin approved.",
				}, []Advice{fixErr("Read the real error from the page's URL", "The error page's address carries error= and error_description=.",
					"Copy the full address of the error page (everything after ? included) and give it to Connected App Lab to explain, or read its error= and error_description= yourself.", none)}
		}},

	// ---- revoke / introspect ----
	{id: "unsupported-token-type", codes: []string{"unsupported_token_type"},
		wordings: []string{"this token type is not supported", "Token type not supported"},
		meaning:  "The revoke or introspect request names a token type Salesforce does not handle.",
		source:   refRevoke,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The revoke or introspect request named a token type Salesforce does not handle (token_type_hint), or the token is of another kind."},
				[]Advice{fixErr("Send an access or refresh token", "", "Use token_type_hint access_token or refresh_token, or leave it out.", none)}
		}},
	{id: "invalid-token", codes: []string{"invalid_token"},
		wordings: []string{"Token was invalid"},
		meaning:  "The token is unknown to Salesforce: revoked, expired, or incomplete.",
		source:   refRevoke,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"The token is unknown: already revoked, expired, or copied incompletely. For revoke, the job is already done."},
				[]Advice{fixInfo("Nothing left to revoke", "", "Get a new token if you still need one.", none)}
		}},

	// ---- server side ----
	{id: "server-error", phrases: []string{"server_error", "service_unavailable", "system_down", "unknown_error"},
		meaning: "Salesforce had an internal problem or is in maintenance.",
		source:  refErrorCodeEnum,
		explain: func(c errCtx) ([]string, []Advice) {
			return []string{"Salesforce had an internal problem or is in maintenance."},
				[]Advice{fixInfo("Retry later", "", "Wait and retry; check status.salesforce.com for the instance.", none)}
		}},

	// ---- catch-all for invalid_grant ----
	{id: "invalid-grant", codes: []string{"invalid_grant"},
		meaning: "The grant (password, code, refresh token or assertion) was refused; invalid_grant covers many causes.",
		source:  refFlowErrors,
		explain: func(c errCtx) ([]string, []Advice) {
			causes, fixes := genericError(c)
			return append([]string{"The grant (password, code, refresh token, assertion) was refused; invalid_grant covers many causes."}, causes...), fixes
		}},
}

func withSource(a Advice, d DocRef) Advice { a.Source = d; return a }

func explainInactiveUser(c errCtx) ([]string, []Advice) {
	who := "The user"
	if c.flow == flows.ClientCredentials {
		who = "The app's Run As user"
	}
	return []string{
		who + " is deactivated (User.IsActive is false).",
		who + " is frozen (Setup → Users → Freeze); since " + Change(ChangeVPNFreeze).When + " Salesforce also freezes users whose app or API traffic comes from anonymizing VPNs or proxies, and revokes their refresh tokens.",
	}, []Advice{fixErr("Reactivate (or unfreeze) the user, or pick another", "Inactive and frozen users cannot get tokens.", "Activate or unfreeze the user, or name an active user (for client credentials: a new Run As user with API Only).", placeUsers)}
}

func explainInactiveOrg(c errCtx) ([]string, []Advice) {
	return []string{
		"The org is locked, closed or suspended: an expired trial or Developer Edition, a deleted or refreshing sandbox, or an account hold.",
		"The login host points at another org than you think (a sandbox that was refreshed gets a new org).",
	}, []Advice{fixErr("Check the org itself", "No user of a locked org can log in.", "Log in to the org in a browser; for a sandbox check it still exists (Setup → Sandboxes in production); otherwise contact Salesforce.", none)}
}

func explainNotAdminApproved(c errCtx) ([]string, []Advice) {
	who := "the user is"
	if c.flow == flows.ClientCredentials {
		who = "the Run As user is"
	}
	return []string{"The app is admin approved (\"Admin approved users are pre-authorized\") and " + who + " not assigned to it through a profile or permission set."},
		[]Advice{fixErr("Assign the user to the app", "Admin-approved apps accept only assigned users.", "Add the user's profile, or a permission set the user has, to the app.", c.at(placePermitted))}
}

// explainIPOnly covers an IP restriction alone (never Login Hours).
func explainIPOnly(c errCtx) ([]string, []Advice) {
	causes := []string{"The caller's IP is outside the user's profile Login IP Ranges (Login History shows \"Restricted IP\")."}
	switch c.flow {
	case flows.JWTBearer, flows.SAMLBearer:
		causes = append(causes, "JWT and SAML bearer always enforce the profile's Login IP Ranges, whatever the app's IP Relaxation.")
	case flows.Refresh:
		causes = append(causes, "The app's IP Relaxation is \"Enforce IP restrictions\" (refresh requests too unless \"Enforce IP restrictions, but relax for refresh tokens\"); an External Client App may also have a refresh token IP allowlist.")
	default:
		causes = append(causes, "The app's IP Relaxation is \"Enforce IP restrictions\".")
	}
	return causes, []Advice{
		fixErr("Relax IP restrictions for the app", "The app's IP Relaxation decides whether profile IP ranges apply to its tokens.", "Choose \"Relax IP restrictions\" (or \"…but relax for refresh tokens\").", c.at(placeIPRelax)),
		fixErr("Or allow the caller's IP", "Profile Login IP Ranges apply to every login of the user.", "Add the caller's IP range to the profile (or the org's trusted IP ranges).", placeProfileIP),
	}
}

// explainLoginHours covers Login Hours alone (never an IP restriction).
func explainLoginHours(c errCtx) ([]string, []Advice) {
	return []string{
			"The request came outside the Login Hours set on the user's profile; Salesforce refuses every login then, API and OAuth logins too.",
			"Login Hours are in the org's default time zone, which may differ from the caller's.",
		}, []Advice{fixErr("Widen the profile's Login Hours (or log in within them)", "Login Hours stop every login outside them.",
			"Check the profile's Login Hours against the time of the request; give integration users a profile without Login Hours.", placeProfileHours)}
}

func explainRefreshExpired(c errCtx) ([]string, []Advice) {
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
		"The refresh token was revoked: by the user (Settings → Connected Apps), by an admin (Setup → Connected Apps OAuth Usage), through /services/oauth2/revoke, or when the app was deleted or its consumer key changed.",
		"The user approved the app a sixth time (another login, another device): each app keeps five approvals per user, and the oldest one's refresh token is revoked.")
	if c.s.RefreshTokenRotation == nil || *c.s.RefreshTokenRotation {
		causes = append(causes, "With refresh token rotation on, an old (already rotated) refresh token was sent: Salesforce then revokes the current one too.")
	}
	if c.s.RefreshTokenPolicy.Kind == "" {
		causes = append(causes, "The app's Refresh Token Policy limits refresh tokens (a lifetime, an inactivity period, or immediate expiry).")
	}
	return causes, []Advice{
		fixErr("Log in again to get a new refresh token", "A dead refresh token cannot be revived.", "Run the web server flow (with PKCE and the refresh_token scope) again and store the new refresh token.", none),
		withSource(fixInfo("Check the refresh token policy", "The policy decides how long refresh tokens last.", "Choose \"Refresh token is valid until revoked\" or a longer period.", c.at(placeRefreshPolicy)), refRefreshFlow),
		withSource(fixInfo("Check how many approvals the user has for the app", "The sixth approval revokes the oldest.", "Look at the user's OAuth connected apps (Setup → Users → the user → OAuth Connected Apps) and revoke stale approvals.", place{"Setup → Users → the user → OAuth Connected Apps", "OauthToken (AppName, LastUsedDate, UseCount)"}), refApprovals),
	}
}
