package guidance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Every row of reference §5 and §5.1: the wire error, the flow it shows up in, a cause the
// explanation must name and a place (Setup path or metadata field) a fix must point at.
var errorCases = []struct {
	name      string
	flow      flows.Flow
	settings  Settings
	code      string
	desc      string
	wantCause string
	wantPlace string // "" = no specific place required
}{
	{"wrong password or blocked flow", flows.UsernamePassword, Settings{}, "invalid_grant", "authentication failure",
		"security token", "blockOAuthUnPwFlow"},
	{"blocked flow named first when known", flows.UsernamePassword, Settings{UsernamePasswordBlocked: boolp(true)}, "invalid_grant", "authentication failure",
		"blocked in this org (you said so)", "Allow OAuth Username-Password Flows"},
	{"username-password with an External Client App", flows.UsernamePassword, Settings{AppKind: AppExternalClient}, "invalid_grant", "authentication failure",
		"External Client Apps do not support", "Login History"},
	{"authentication failure in another flow", flows.WebServer, Settings{}, "invalid_grant", "authentication failure",
		"Login Hours", "Login History"},
	{"unknown consumer key", flows.WebServer, Settings{AppKind: AppConnected}, "invalid_client_id", "client identifier invalid",
		"consumer key", "Manage Consumer Details"},
	{"wrong client secret", flows.WebServer, Settings{}, "invalid_client", "invalid client credentials",
		"Require Secret for Web Server Flow", "isConsumerSecretOptional"},
	{"wrong secret on refresh", flows.Refresh, Settings{AppKind: AppConnected}, "invalid_client", "invalid client credentials",
		"Require Secret for Refresh Token Flow", "isSecretRequiredForRefreshToken"},
	{"redirect uri mismatch", flows.WebServer, Settings{CallbackURL: "http://localhost:1717/OauthRedirect"}, "redirect_uri_mismatch", "redirect_uri must match configuration",
		"http://localhost:1717/OauthRedirect", "oauthConfig/callbackUrl"},
	{"http host or wrong content type", flows.UsernamePassword, Settings{}, "unsupported_grant_type", "grant type not supported",
		"http:// instead of https://", ""},
	{"code reused", flows.WebServer, Settings{}, "invalid_grant", "expired authorization code",
		"single use", ""},
	{"JWT clock skew", flows.JWTBearer, Settings{}, "invalid_grant", "expired authorization code",
		"clock skew", ""},
	{"refresh token revoked or expired", flows.Refresh, Settings{RefreshTokenPolicy: RefreshPolicy{Kind: PolicySpecificInactivity, N: 7, Unit: "DAYS"}}, "invalid_grant", "expired access/refresh token",
		"not used for 7 days", "refreshTokenPolicy"},
	{"deactivated user", flows.ClientCredentials, Settings{}, "invalid_grant", "inactive user",
		"Run As user", "Setup → Users"},
	{"ip restricted", flows.Refresh, Settings{AppKind: AppConnected}, "invalid_grant", "ip restricted",
		"Login IP Ranges", "oauthPolicy/ipRelaxation"},
	{"login hours / expired request", flows.WebServer, Settings{}, "invalid_grant", "This authorization request has expired, or (less likely) the IP is restricted or invalid login hours.",
		"Login Hours", "Login Hours"},
	{"user hasn't approved this consumer", flows.JWTBearer, Settings{AppKind: AppConnected}, "invalid_grant", "user hasn't approved this consumer",
		"pre-authorized", "isAdminApproved"},
	{"admin approved, user not assigned", flows.JWTBearer, Settings{AppKind: AppExternalClient}, "invalid_app_access", "user is not admin approved to access this app",
		"not assigned", "permittedUsersPolicyType"},
	{"scope not allowed", flows.WebServer, Settings{AppScopes: []string{"api", "web"}}, "invalid_scope", "the requested scope is not allowed",
		"api, web", "Selected OAuth Scopes"},
	{"app not installed", flows.Device, Settings{}, "invalid_client", "app must be installed into org",
		"Approve Uninstalled Connected Apps", "Connected Apps OAuth Usage"},
	{"external client app not installed", flows.JWTBearer, Settings{}, "invalid_client", "External client app is not installed in this org",
		"External Client App is not installed", ""},
	{"pkce required", flows.WebServer, Settings{AppKind: AppConnected}, "invalid_request", "missing required code challenge",
		"PKCE is required", "isPkceRequired"},
	{"pkce verifier mismatch", flows.WebServerPKCE, Settings{}, "invalid_grant", "invalid code verifier",
		"code_verifier does not match", ""},
	{"audience is invalid", flows.JWTBearer, Settings{}, "invalid_grant", "audience is invalid",
		"https://test.salesforce.com", ""},
	{"audience validation failed (SAML)", flows.SAMLBearer, Settings{}, "invalid_grant", "Audience validation failed",
		"Audience", "Single Sign-On Settings"},
	{"invalid assertion", flows.JWTBearer, Settings{AppKind: AppConnected}, "invalid_grant", "invalid assertion",
		"certificate", "oauthConfig/certificate"},
	{"JWT app lacks refresh_token scope", flows.JWTBearer, Settings{AppKind: AppConnected}, "invalid_request", "refresh_token scope is required and the connected app should be installed and preauthorized.",
		"refresh_token scope", "oauthConfig/scopes: RefreshToken"},
	{"no run-as user", flows.ClientCredentials, Settings{AppKind: AppConnected}, "invalid_grant", "no client credentials user enabled",
		"Run As", "oauthClientCredentialUser"},
	{"client credentials on login host", flows.ClientCredentials, Settings{}, "invalid_grant", "request not supported on this domain",
		"My Domain", "My Domain"},
	{"client credentials not enabled", flows.ClientCredentials, Settings{AppKind: AppExternalClient}, "invalid_grant", "client credentials flow not enabled",
		"not enabled", "isClientCredentialsFlowEnabled"},
	{"device pending", flows.Device, Settings{}, "authorization_pending", "",
		"not yet entered the code", ""},
	{"device slow down", flows.Device, Settings{}, "slow_down", "polling too quickly for the token endpoint",
		"faster than the interval", ""},
	{"device code reused", flows.Device, Settings{}, "invalid_grant", "token exchange failed",
		"already exchanged", ""},
	{"device flow disabled", flows.Device, Settings{AppKind: AppExternalClient}, "invalid_grant", "device flow is not enabled for the app",
		"Enable for Device Flow", "isDeviceFlowEnabled"},
	{"user denied", flows.WebServer, Settings{}, "access_denied", "end-user denied authorization",
		"Deny", "Permitted Users"},
	{"revoke unsupported token type", flows.WebServer, Settings{}, "unsupported_token_type", "this token type is not supported",
		"token type", ""},
	{"revoke invalid token", flows.WebServer, Settings{}, "invalid_token", "Token was invalid",
		"already revoked", ""},
	{"activation secret invalid", flows.UsernamePassword, Settings{}, "invalid_grant", "activation secret invalid",
		"LOGIN_OAUTH_INVALID_DS", ""},
	{"login rate exceeded", flows.JWTBearer, Settings{}, "LOGIN_RATE_EXCEEDED", "",
		"3600", ""},
	{"REST session expired", flows.UsernamePassword, Settings{OrgSessionTimeoutMinutes: 30}, "INVALID_SESSION_ID", "Session expired or invalid",
		"30 minutes, from the org's Session Settings", "sessionPolicy/sessionTimeout"},
	{"REST session not valid for REST", flows.WebServer, Settings{AppKind: AppConnected}, "INVALID_SESSION_ID", "This session is not valid for use with the REST API",
		"lack api", "oauthConfig/scopes"},
	{"Bulk API invalid session", flows.WebServer, Settings{}, "InvalidSessionId", "Invalid session id",
		"Bulk API", ""},
	{"unknown error code", flows.WebServer, Settings{}, "something_new", "never seen",
		"does not know", "Login History"},
}

func TestExplainErrorEveryReferenceRow(t *testing.T) {
	var all strings.Builder
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			e := ExplainError(c.flow, &flows.OAuthError{Code: c.code, Description: c.desc, Status: 400}, c.settings)
			if e == nil || len(e.Causes) == 0 || len(e.Fixes) == 0 {
				t.Fatalf("no explanation: %+v", e)
			}
			if e.Code != c.code || e.Description != c.desc {
				t.Errorf("code/description not kept: %q %q", e.Code, e.Description)
			}
			causes := strings.Join(e.Causes, "\n")
			if !strings.Contains(causes, c.wantCause) {
				t.Errorf("causes lack %q:\n%s", c.wantCause, causes)
			}
			if c.wantPlace != "" {
				ok := false
				for _, f := range e.Fixes {
					if strings.Contains(f.SetupPath+" "+f.MetadataField, c.wantPlace) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("no fix points at %q: %+v", c.wantPlace, e.Fixes)
				}
			}
			for _, f := range e.Fixes {
				if f.Title == "" || f.Severity == "" {
					t.Errorf("fix without title or severity: %+v", f)
				}
			}
			fmt.Fprintf(&all, "## %s (%s)\n%s\n", c.name, c.flow, e.Text())
		})
	}
	checkWidth(t, all.String())
	golden(t, "errors", all.String())
}

func TestErrorMatchingIsCaseInsensitive(t *testing.T) {
	a := ExplainError(flows.UsernamePassword, &flows.OAuthError{Code: "INVALID_GRANT", Description: "Authentication Failure"}, Settings{})
	b := ExplainError(flows.UsernamePassword, &flows.OAuthError{Code: "invalid_grant", Description: "authentication failure"}, Settings{})
	if strings.Join(a.Causes, "|") != strings.Join(b.Causes, "|") {
		t.Error("case changes the explanation")
	}
	if ExplainError(flows.WebServer, nil, Settings{}) != nil {
		t.Error("nil error must give nil")
	}
}

// Every code of Salesforce's OauthErrorCode vocabulary (reference §5) gets causes and fixes,
// and none but truly unknown ones fall back to the generic text.
func TestEveryServerErrorCodeIsExplained(t *testing.T) {
	codes := strings.Split("access_denied app_blocked app_not_found authorization_pending bad_jti_claim app_attest_failed "+
		"app_attest_failed_retry ecapp_policy_not_found exceeded_registration_limit fail_close_app_blocked failed_registration "+
		"immediate_unsuccessful installation_error invalid_app_access invalid_assertion_type invalid_basic_auth_header "+
		"invalid_dpop_proof invalid_client invalid_client_id invalid_distribution_state invalid_expid invalid_grant invalid_otp "+
		"invalid_request invalid_scope invalid_session_level invalid_token login_error oauth_flow_disabled oauth_policy_not_found "+
		"otp_error redirect_uri_missing redirect_uri_mismatch registration_error server_error service_unavailable slow_down "+
		"system_down unknown_error unsupported_expid unsupported_grant_type unsupported_response_type unsupported_token_type use_dpop_nonce", " ")
	generic, _ := genericError(errCtx{})
	for _, code := range codes {
		e := ExplainError(flows.WebServer, &flows.OAuthError{Code: code}, Settings{})
		if len(e.Causes) == 0 || len(e.Fixes) == 0 {
			t.Errorf("%s: no causes or fixes", code)
		}
		if e.Causes[0] == generic[0] {
			t.Errorf("%s: only the generic explanation", code)
		}
	}
}

func TestFailedRunCarriesTheErrorExplanation(t *testing.T) {
	r := Explain(Input{Flow: flows.JWTBearer, Now: now, Settings: Settings{AppKind: AppConnected},
		Result: failedResult(flows.JWTBearer, "invalid_grant", "user hasn't approved this consumer")})
	if r.Error == nil || !strings.Contains(r.Headline, "user hasn't approved this consumer") || !strings.Contains(r.Headline, "pre-authorized") {
		t.Errorf("headline does not explain the failure:\n%s", r.Headline)
	}
	if r.ExpiresIfIdleAt != nil {
		t.Error("a failed run has no expiry")
	}
}
