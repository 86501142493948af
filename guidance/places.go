package guidance

import "strings"

// Where each setting lives: the Setup path a person clicks and the Metadata API field a
// deployment sets (reference §8). Connected Apps and External Client Apps keep the same
// settings in different places; when the app kind is unknown both are given.

type place struct{ Setup, Metadata string }

type appPlace struct{ CA, ECA place }

const (
	caEdit     = "Setup → App Manager → your app ▼ → Edit → API (Enable OAuth Settings)"
	caPolicies = "Setup → App Manager → your app ▼ → Manage → Edit Policies"
	ecaEdit    = "Setup → External Client App Manager → your app ▼ → Edit Settings → OAuth Settings"
	ecaPolicy  = "Setup → External Client App Manager → your app ▼ → Edit Policies"
)

// Settings that live on the app.
var (
	placeScopes = appPlace{
		CA:  place{caEdit + " → Selected OAuth Scopes", "ConnectedApp oauthConfig/scopes"},
		ECA: place{ecaEdit + " → Selected OAuth Scopes", "ExtlClntAppOauthSettings.commaSeparatedOauthScopes"},
	}
	placeRefreshScope = appPlace{
		CA: place{caEdit + " → Selected OAuth Scopes: add \"Perform requests at any time (refresh_token, offline_access)\"",
			"ConnectedApp oauthConfig/scopes: RefreshToken"},
		ECA: place{ecaEdit + " → Selected OAuth Scopes: add \"Perform requests at any time (refresh_token, offline_access)\"",
			"ExtlClntAppOauthSettings.commaSeparatedOauthScopes: add the refresh token scope"},
	}
	placeAppTimeout = appPlace{
		CA:  place{caPolicies + " → Session Policies → Timeout Value", "ConnectedApp sessionPolicy/sessionTimeout (minutes)"},
		ECA: place{ecaPolicy + " → Session Policies → Timeout Value", "ExtlClntAppOauthConfigurablePolicies.sessionTimeoutInMinutes"},
	}
	placeRefreshPolicy = appPlace{
		CA: place{caPolicies + " → OAuth Policies → Refresh Token Policy", "ConnectedApp oauthPolicy/refreshTokenPolicy"},
		ECA: place{ecaPolicy + " → OAuth Policies → Refresh Token Policy",
			"ExtlClntAppOauthConfigurablePolicies.refreshTokenPolicyType (+ refreshTokenValidityPeriod, refreshTokenValidityUnit)"},
	}
	placeRotation = appPlace{
		CA:  place{caEdit + " → Enable Refresh Token Rotation", "ConnectedApp oauthConfig/isRefreshTokenRotationEnabled"},
		ECA: place{ecaEdit + " → Security → Enable Refresh Token Rotation", "External Client App OAuth settings: isRefreshTokenRotationEnabled"},
	}
	placePKCE = appPlace{
		CA:  place{caEdit + " → Require Proof Key for Code Exchange (PKCE) Extension for Supported Authorization Flows", "ConnectedApp oauthConfig/isPkceRequired"},
		ECA: place{ecaEdit + " → Security → Require PKCE (on by default)", "External Client App OAuth settings: isPkceRequired"},
	}
	placeCallback = appPlace{
		CA:  place{caEdit + " → Callback URL (one per line)", "ConnectedApp oauthConfig/callbackUrl"},
		ECA: place{ecaEdit + " → Callback URL", "ExtlClntAppGlobalOauthSettings.callbackUrl"},
	}
	placeConsumer = appPlace{
		CA:  place{"Setup → App Manager → your app ▼ → View → Manage Consumer Details", "ConnectedApp oauthConfig/consumerKey, consumerSecret (set on create only)"},
		ECA: place{"Setup → External Client App Manager → your app ▼ → Edit Settings → OAuth Settings → Consumer Key and Secret", "ExtlClntAppGlobalOauthSettings (consumer key and secret)"},
	}
	placeSecretWebServer = appPlace{
		CA:  place{caEdit + " → Require Secret for Web Server Flow", "ConnectedApp oauthConfig/isConsumerSecretOptional (true = not required)"},
		ECA: place{ecaEdit + " → Security → Require secret for Web Server Flow", "External Client App OAuth settings: isConsumerSecretOptional"},
	}
	placeSecretRefresh = appPlace{
		CA:  place{caEdit + " → Require Secret for Refresh Token Flow", "ConnectedApp oauthConfig/isSecretRequiredForRefreshToken"},
		ECA: place{ecaEdit + " → Security → Require secret for Refresh Token Flow", "External Client App OAuth settings: isSecretRequiredForRefreshToken"},
	}
	placeClientCredentials = appPlace{
		CA: place{caEdit + " → Enable Client Credentials Flow; then " + caPolicies + " → Client Credentials Flow → Run As (a user with API Only)",
			"ConnectedApp oauthConfig/isClientCredentialEnabled + oauthConfig/oauthClientCredentialUser"},
		ECA: place{ecaEdit + " → Flow Enablement → Enable Client Credentials Flow; then " + ecaPolicy + " → Run As (Username)",
			"ExtlClntAppOauthConfigurablePolicies.isClientCredentialsFlowEnabled + clientCredentialsFlowUser"},
	}
	placeDevice = appPlace{
		CA:  place{caEdit + " → Enable for Device Flow", "none: the ConnectedApp metadata type has no device-flow field"},
		ECA: place{ecaEdit + " → Flow Enablement → Enable Device Flow", "External Client App OAuth settings: isDeviceFlowEnabled"},
	}
	placeCertificate = appPlace{
		CA:  place{caEdit + " → Use digital signatures (upload the certificate)", "ConnectedApp oauthConfig/certificate"},
		ECA: place{ecaEdit + " → Flow Enablement → Enable JWT Bearer Flow (upload the certificate)", "External Client App OAuth settings: certificate"},
	}
	placePermitted = appPlace{
		CA: place{caPolicies + " → OAuth Policies → Permitted Users: \"Admin approved users are pre-authorized\"; then Manage Profiles / Manage Permission Sets",
			"ConnectedApp oauthConfig/isAdminApproved + profileName / permissionSetName"},
		ECA: place{ecaPolicy + " → OAuth Policies → Permitted Users: \"Admin approved users are pre-authorized\"; then select profiles / permission sets",
			"ExtlClntAppOauthConfigurablePolicies.permittedUsersPolicyType = AdminApprovedPreAuthorized + commaSeparatedProfile / commaSeparatedPermissionSet"},
	}
	placeIPRelax = appPlace{
		CA:  place{caPolicies + " → OAuth Policies → IP Relaxation", "ConnectedApp oauthPolicy/ipRelaxation (ENFORCE | BYPASS_2FACTOR | BYPASS | ENFORCE_RELAXREFRESH)"},
		ECA: place{ecaPolicy + " → OAuth Policies → IP Relaxation", "ExtlClntAppOauthConfigurablePolicies.ipRelaxationPolicyType"},
	}
	placeIDToken = appPlace{
		CA:  place{caEdit + " → Configure ID Token → ID Token Valid for (Minutes)", "ConnectedApp oauthConfig/idTokenConfig/idTokenValidity (1–720, default 2)"},
		ECA: place{ecaEdit + " → ID Token Valid for (Minutes)", "External Client App OAuth settings: idTokenConfig idTokenValidity"},
	}
	placeJWTTokens = appPlace{
		CA:  place{caEdit + " → Issue JSON Web Token (JWT)-based access tokens for named users", "ConnectedApp oauthConfig/isNamedUserJwtEnabled"},
		ECA: place{ecaEdit + " → Security → Issue JWT-based access tokens for named users", "ExtlClntAppGlobalOauthSettings.isNamedUserJwtEnabled (+ namedUserJwtSessionTimeoutType, namedUserJwtTimeout)"},
	}
	placeTokenExchange = appPlace{
		CA:  place{caEdit + " → Enable Token Exchange Flow (and Require Secret for Token Exchange Flow)", "ConnectedApp oauthConfig/isTokenExchangeEnabled, isSecretRequiredForTokenExchange; oauthPolicy/isTokenExchangeFlowEnabled"},
		ECA: place{ecaEdit + " → Flow Enablement → Enable Token Exchange Flow", "External Client App OAuth settings: isTokenExchangeEnabled, isSecretRequiredForTokenExchange"},
	}
	placeHighAssurance = appPlace{
		CA:  place{caPolicies + " → Session Policies → High Assurance session required", "ConnectedApp sessionPolicy/sessionLevel, policyAction"},
		ECA: place{ecaPolicy + " → Session Policies → High assurance session required", "ExtlClntAppOauthConfigurablePolicies requiredSessionLevel, policyAction"},
	}
	placeInstall = appPlace{
		CA: place{"Setup → Connected Apps OAuth Usage → your app → Install (or give users the permission \"Approve Uninstalled Connected Apps\")",
			"none: installation is an org action; the permission is ApproveUninstalledConnectedApps"},
		ECA: place{"Setup → External Client App Manager: the app must be created in or installed into this org",
			"ExternalClientApplication (deploy it to this org)"},
	}
	placeBlockApp = appPlace{
		CA:  place{"Setup → Connected Apps OAuth Usage → your app → Unblock", ""},
		ECA: place{"Setup → External Client App Manager → your app ▼ → Edit Policies → App Policies (unblock)", ""},
	}
	placeIntrospectAll = appPlace{
		CA:  place{caEdit + " → Introspect All Tokens", "ConnectedApp oauthConfig/isIntrospectAllTokens"},
		ECA: place{ecaEdit + " → Security → Introspect All Tokens", "External Client App OAuth settings: isIntrospectAllTokens"},
	}
)

// Settings that live on the org or the profile.
var (
	placeOrgTimeout      = place{"Setup → Session Settings → Timeout Value", "SecuritySettings sessionSettings/sessionTimeout (e.g. TwoHours)"}
	placeProfileTimeout  = place{"Setup → Profiles → the user's profile → Session Settings → Session Times Out After", "Profile ProfileSessionSetting.sessionTimeout (minutes; 0 = 2 hours)"}
	placeUnPwFlow        = place{"Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows", "OauthOidcSettings.blockOAuthUnPwFlow (false = allowed)"}
	placeUserAgentFlow   = place{"Setup → OAuth and OpenID Connect Settings → Allow OAuth User-Agent Flows", "OauthOidcSettings.blockOAuthUsrAgtFlow (false = allowed)"}
	placeOrgPKCE         = place{"Setup → OAuth and OpenID Connect Settings → Require Proof Key for Code Exchange (PKCE) for all supported authorization flows", "OauthOidcSettings.isPkceRequired"}
	placeLoginHistory    = place{"Setup → Login History (Status column; or the user's record → Login History)", ""}
	placeUsers           = place{"Setup → Users → the user (Active, Frozen, Locked)", "User.IsActive"}
	placeProfileIP       = place{"Setup → Profiles → the user's profile → Login IP Ranges (org-wide: Setup → Network Access)", "Profile loginIpRanges; SecuritySettings networkAccess"}
	placeProfileHours    = place{"Setup → Profiles → the user's profile → Login Hours", "Profile loginHours"}
	placeSecurityToken   = place{"Avatar → Settings → My Personal Information → Reset My Security Token (emailed to the user)", ""}
	placeAPIEnabled      = place{"Setup → Profiles (or Permission Sets) → System Permissions → API Enabled", "Profile userPermissions ApiEnabled"}
	placeCodeCredentials = place{"Setup → OAuth and OpenID Connect Settings → Allow Authorization Code and Credentials Flows", "OauthOidcSettings.oAuthCdCrdtFlowEnable"}
	placeLockIP          = place{"Setup → Session Settings → Lock sessions to the IP address from which they originated", "SecuritySettings sessionSettings/lockSessionsToIp"}
)

// at picks the place for the app kind; for an unknown kind it names both.
func (p appPlace) at(kind string) place {
	switch kind {
	case AppConnected:
		return p.CA
	case AppExternalClient:
		return p.ECA
	}
	join := func(a, b string) string {
		switch {
		case a == "":
			return b
		case b == "":
			return a
		}
		return "Connected App: " + a + ". External Client App: " + b
	}
	return place{join(p.CA.Setup, p.ECA.Setup), join(p.CA.Metadata, p.ECA.Metadata)}
}

// advice builds an Advice at a place, with the source of the Salesforce fact it rests on.
func advice(sev Severity, title, reason, fix string, at place, src ...DocRef) Advice {
	a := Advice{Severity: sev, Title: title, Reason: reason, Fix: fix, SetupPath: at.Setup, MetadataField: at.Metadata}
	if len(src) > 0 {
		a.Source = src[0]
	}
	return a
}

// SetupArrow separates the steps of a Setup path, everywhere a path is written (guidance,
// lint, the window): "Setup → App Manager".
const SetupArrow = " → "

// SetupPath is the Setup path through steps: SetupPath("App Manager", "the app") is
// "Setup → App Manager → the app".
func SetupPath(steps ...string) string {
	return strings.Join(append([]string{"Setup"}, steps...), SetupArrow)
}
