package connectedapp

import (
	"strings"

	"github.com/connectedapplab/connectedapplab/guidance"
)

// setting names one behaviour-changing setting; where() says where an admin changes it. The
// names are the ones the flow catalogue uses for what a flow depends on (flows.Spec.AppSettings).
type setting string

const (
	setCallback              setting = "callback-url"
	setScopes                setting = "scopes"
	setSecretWebServer       setting = "secret-web-server"
	setSecretRefresh         setting = "secret-refresh"
	setSecretTokenExchange   setting = "secret-token-exchange"
	setPKCE                  setting = "pkce"
	setClientCredentials     setting = "client-credentials"
	setClientCredentialsUser setting = "client-credentials-user"
	setDeviceFlow            setting = "device-flow"
	setTokenExchange         setting = "token-exchange"
	setPermittedUsers        setting = "permitted-users"
	setRefreshPolicy         setting = "refresh-token-policy"
	setSessionTimeout        setting = "session-timeout"
	setIDToken               setting = "id-token"
	setNamedUserJWT          setting = "named-user-jwt"
	setCertificate           setting = "certificate"
	setInstalled             setting = "installed"
	setOrgUsernamePassword   setting = "org-username-password"
	setOrgUserAgent          setting = "org-user-agent"
	setOrgPKCE               setting = "org-pkce"
	setOrgSessionTimeout     setting = "org-session-timeout"
)

// Where returns the Setup path and the metadata field of the setting named name (a name of
// flows.Spec.AppSettings) for an app kind; ok is false for a name it does not know.
func Where(kind Kind, name string) (setupPath, field string, ok bool) {
	setupPath, field = where(kind, setting(name))
	return setupPath, field, setupPath != ""
}

// where returns the Setup path and the metadata field of a setting for an app kind. The
// paths below are written with " > " between steps; every path leaves here with the
// separator all Setup paths share (guidance.SetupArrow).
func where(kind Kind, s setting) (setupPath, field string) {
	setupPath, field = setupSteps(kind, s)
	return strings.ReplaceAll(setupPath, " > ", guidance.SetupArrow), field
}

func setupSteps(kind Kind, s setting) (setupPath, field string) {
	const (
		caApp  = "Setup > App Manager > (your app) > Edit > API (Enable OAuth Settings) > "
		caPol  = "Setup > Connected Apps > Manage Connected Apps > (your app) > Edit Policies > "
		ecaApp = "Setup > External Client App Manager > (your app) > Edit Settings > OAuth Settings > "
		ecaPol = "Setup > External Client App Manager > (your app) > Edit Policies > OAuth Policies > "
		org    = "Setup > OAuth and OpenID Connect Settings > "
	)
	ca := kind != External
	pick := func(caPath, caField, ecaPath, ecaField string) (string, string) {
		if ca {
			return caPath, caField
		}
		return ecaPath, ecaField
	}
	switch s {
	case setCallback:
		return pick(caApp+"Callback URL", "ConnectedApp oauthConfig/callbackUrl (one URL per line)",
			ecaApp+"Callback URL", "ExtlClntAppGlobalOauthSettings callbackUrl (one URL per line)")
	case setScopes:
		return pick(caApp+"Selected OAuth Scopes", "ConnectedApp oauthConfig/scopes",
			ecaApp+"OAuth Scopes", "ExtlClntAppOauthSettings commaSeparatedOauthScopes")
	case setSecretWebServer:
		return pick(caApp+"Require Secret for Web Server Flow", "ConnectedApp oauthConfig/isConsumerSecretOptional (true = not required)",
			ecaApp+"Security > Require secret for Web Server Flow", "ExtlClntAppGlobalOauthSettings isConsumerSecretOptional (true = not required)")
	case setSecretRefresh:
		return pick(caApp+"Require Secret for Refresh Token Flow", "ConnectedApp oauthConfig/isSecretRequiredForRefreshToken",
			ecaApp+"Security > Require secret for Refresh Token Flow", "ExtlClntAppGlobalOauthSettings isSecretRequiredForRefreshToken")
	case setSecretTokenExchange:
		return pick(caApp+"Require Secret for Token Exchange Flow", "ConnectedApp oauthConfig/isSecretRequiredForTokenExchange",
			ecaApp+"Security > Require secret for Token Exchange Flow", "ExtlClntAppGlobalOauthSettings isSecretRequiredForTokenExchange")
	case setPKCE:
		return pick(caApp+"Require Proof Key for Code Exchange (PKCE) Extension for Supported Authorization Flows", "ConnectedApp oauthConfig/isPkceRequired",
			ecaApp+"Security > Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows", "ExtlClntAppGlobalOauthSettings isPkceRequired")
	case setClientCredentials:
		return pick(caApp+"Enable Client Credentials Flow", "ConnectedApp oauthConfig/isClientCredentialEnabled",
			ecaApp+"Flow Enablement > Enable Client Credentials Flow", "ExtlClntAppGlobalOauthSettings isClientCredentialsFlowEnabled and ExtlClntAppOauthConfigurablePolicies isClientCredentialsFlowEnabled")
	case setClientCredentialsUser:
		return pick(caPol+"Client Credentials Flow > Run As", "ConnectedApp oauthConfig/oauthClientCredentialUser",
			ecaPol+"OAuth Flows and External Client App Enhancements > Enable Client Credentials Flow > Run As (Username)", "ExtlClntAppOauthConfigurablePolicies clientCredentialsFlowUser")
	case setDeviceFlow:
		return pick(caApp+"Enable for Device Flow", "none: the ConnectedApp metadata has no device-flow field (Setup only)",
			ecaApp+"Flow Enablement > Enable for Device Flow", "ExtlClntAppGlobalOauthSettings isDeviceFlowEnabled")
	case setTokenExchange:
		return pick(caApp+"Enable Token Exchange Flow", "ConnectedApp oauthConfig/isTokenExchangeEnabled and oauthPolicy/isTokenExchangeFlowEnabled",
			ecaApp+"Flow Enablement > Enable Token Exchange Flow", "ExtlClntAppGlobalOauthSettings isTokenExchangeEnabled and ExtlClntAppOauthConfigurablePolicies isTokenExchangeFlowEnabled")
	case setPermittedUsers:
		return pick(caPol+"OAuth Policies > Permitted Users (then Manage Profiles / Manage Permission Sets)", "ConnectedApp oauthConfig/isAdminApproved, profileName, permissionSetName",
			ecaPol+"Permitted Users (then Select Profiles / Select Permission Sets)", "ExtlClntAppOauthConfigurablePolicies permittedUsersPolicyType, commaSeparatedProfile, commaSeparatedPermissionSet")
	case setRefreshPolicy:
		return pick(caPol+"OAuth Policies > Refresh Token Policy", "ConnectedApp oauthPolicy/refreshTokenPolicy",
			ecaPol+"Refresh Token Policy", "ExtlClntAppOauthConfigurablePolicies refreshTokenPolicyType, refreshTokenValidityPeriod, refreshTokenValidityUnit")
	case setSessionTimeout:
		return pick(caPol+"Session Policies > Timeout Value", "ConnectedApp sessionPolicy/sessionTimeout",
			ecaPol+"Session Policies > Timeout Value", "ExtlClntAppOauthConfigurablePolicies sessionTimeoutInMinutes")
	case setIDToken:
		return pick(caApp+"Configure ID Token > Token Valid for", "ConnectedApp oauthConfig/idTokenConfig/idTokenValidity",
			ecaApp+"Configure ID Token > Token Valid for", "ExtlClntAppGlobalOauthSettings idTokenConfig/idTokenValidityInMinutes")
	case setNamedUserJWT:
		return pick(caApp+"Issue JSON Web Token (JWT)-based access tokens for named users", "ConnectedApp oauthConfig/isNamedUserJwtEnabled",
			ecaApp+"Security > Issue JSON Web Token (JWT)-based access tokens for named users", "ExtlClntAppGlobalOauthSettings isNamedUserJwtEnabled; ExtlClntAppOauthConfigurablePolicies namedUserJwtSessionTimeoutType, namedUserJwtTimeout")
	case setCertificate:
		return pick(caApp+"Use digital signatures (upload the certificate)", "ConnectedApp oauthConfig/certificate",
			ecaApp+"Flow Enablement > Enable JWT Bearer Flow (upload the certificate)", "ExtlClntAppGlobalOauthSettings certificate")
	case setInstalled:
		return pick("Setup > Connected Apps OAuth Usage > (your app) > Install", "none: installation is not metadata",
			"Setup > External Client App Manager > (your app)", "none: installation is not metadata")
	case setOrgUsernamePassword:
		return org + "Allow OAuth Username-Password Flows", "OauthOidcSettings blockOAuthUnPwFlow (false = allowed)"
	case setOrgUserAgent:
		return org + "Allow OAuth User-Agent Flows", "OauthOidcSettings blockOAuthUsrAgtFlow (false = allowed)"
	case setOrgPKCE:
		return org + "Require Proof Key for Code Exchange (PKCE) Extension for Supported Authorization Flows", "OauthOidcSettings isPkceRequired"
	case setOrgSessionTimeout:
		return "Setup > Session Settings > Timeout Value (or the user's profile > Session Settings)", "SessionSettings sessionTimeout; ProfileSessionSetting sessionTimeout"
	}
	return "", ""
}
