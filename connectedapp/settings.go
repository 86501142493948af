// Package connectedapp models the settings of a Salesforce Connected App or External Client
// App that change OAuth behaviour, lints them against the flow a user is about to run,
// generates and parses their Metadata API files (an SFDX project `sf project deploy start`
// accepts), and reads a live app's settings through the Metadata API's readMetadata call.
//
// Facts (field names, defaults, element order, error strings) come from
// shared/reference/salesforce-oauth.md §3, §5, §6 and §8.
package connectedapp

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/connectedapplab/connectedapplab/internal/sfenum"
	"github.com/connectedapplab/connectedapplab/internal/userfile"
)

// Kind says which Salesforce metadata family an app belongs to.
type Kind string

const (
	// Connected is a Connected App (metadata type ConnectedApp). Creating new ones is
	// restricted since Spring '26; existing ones keep working.
	Connected Kind = "connected"
	// External is an External Client App (ExternalClientApplication plus its
	// ExtlClntAppGlobalOauthSettings, ExtlClntAppOauthSettings and
	// ExtlClntAppOauthConfigurablePolicies).
	External Kind = "external"
)

// ParseKind accepts "connected"/"connectedapp"/"ca" and "external"/"eca"/"externalclientapp".
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "connected", "connectedapp", "connected-app", "ca":
		return Connected, nil
	case "external", "eca", "externalclientapp", "external-client-app":
		return External, nil
	}
	return "", fmt.Errorf("unknown app kind %q; use connected or external", s)
}

// Permitted-users policies (ECA permittedUsersPolicyType; ConnectedApp isAdminApproved false/true).
const (
	AllSelfAuthorized          = sfenum.AllSelfAuthorized
	AdminApprovedPreAuthorized = sfenum.AdminApprovedPreAuthorized
)

// IP relaxation values, in ConnectedApp metadata spelling (ECA: Enforce, Bypass_2factor,
// Bypass, Enforce_RelaxRefresh).
const (
	IPEnforce             = sfenum.IPEnforce
	IPBypass2Factor       = sfenum.IPBypass2Factor
	IPBypass              = sfenum.IPBypass
	IPEnforceRelaxRefresh = sfenum.IPEnforceRelaxRefresh
)

// Refresh token policy types, in ConnectedApp metadata spelling (ECA: Infinite, Zero,
// SpecificLifetime, SpecificInactivity).
const (
	RefreshInfinite           = sfenum.RefreshInfinite
	RefreshZero               = sfenum.RefreshZero
	RefreshSpecificLifetime   = sfenum.RefreshSpecificLifetime
	RefreshSpecificInactivity = sfenum.RefreshSpecificInactivity
)

// RefreshTokenPolicy is the app's refresh token policy. Period and Unit (HOURS, DAYS,
// MONTHS) are set for the specific_* types.
type RefreshTokenPolicy struct {
	Type   string `json:"type"`
	Period int    `json:"period,omitempty"`
	Unit   string `json:"unit,omitempty"`
}

// String gives the ConnectedApp spelling: infinite, zero, specific_lifetime:3:DAYS.
func (p RefreshTokenPolicy) String() string {
	switch p.Type {
	case RefreshSpecificLifetime, RefreshSpecificInactivity:
		return fmt.Sprintf("%s:%d:%s", p.Type, p.Period, strings.ToUpper(p.Unit))
	case "":
		return RefreshInfinite
	}
	return p.Type
}

// ParseRefreshTokenPolicy reads the ConnectedApp spelling (infinite, zero,
// specific_lifetime:N:UNIT, specific_inactivity:N:UNIT).
func ParseRefreshTokenPolicy(s string) (RefreshTokenPolicy, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ":")
	switch strings.ToLower(parts[0]) {
	case "", RefreshInfinite:
		return RefreshTokenPolicy{Type: RefreshInfinite}, nil
	case RefreshZero:
		return RefreshTokenPolicy{Type: RefreshZero}, nil
	case RefreshSpecificLifetime, RefreshSpecificInactivity:
		if len(parts) != 3 {
			return RefreshTokenPolicy{}, fmt.Errorf("refresh token policy %q: write %s:N:HOURS|DAYS|MONTHS", s, parts[0])
		}
		var n int
		if _, err := fmt.Sscanf(parts[1], "%d", &n); err != nil || n <= 0 {
			return RefreshTokenPolicy{}, fmt.Errorf("refresh token policy %q: the period must be a positive number", s)
		}
		unit := strings.ToUpper(parts[2])
		if unit != "HOURS" && unit != "DAYS" && unit != "MONTHS" {
			return RefreshTokenPolicy{}, fmt.Errorf("refresh token policy %q: the unit must be HOURS, DAYS or MONTHS", s)
		}
		return RefreshTokenPolicy{Type: strings.ToLower(parts[0]), Period: n, Unit: unit}, nil
	}
	return RefreshTokenPolicy{}, fmt.Errorf("refresh token policy %q: use infinite, zero, specific_lifetime:N:UNIT or specific_inactivity:N:UNIT", s)
}

// Settings are the settings of one app that change OAuth behaviour (reference §8.2), for
// both kinds. Scopes use OAuth scope strings (api, refresh_token, openid), not Metadata enum
// names; the metadata code converts. Start from NewSettings so the defaults are Salesforce's.
type Settings struct {
	Kind         Kind   `json:"kind"`
	Name         string `json:"name"` // API name (fullName); ECA component names derive from it
	Label        string `json:"label,omitempty"`
	ContactEmail string `json:"contactEmail,omitempty"`
	Description  string `json:"description,omitempty"`
	ConsumerKey  string `json:"consumerKey,omitempty"` // public; settable only on create

	CallbackURLs []string `json:"callbackUrls"`
	Scopes       []string `json:"scopes"`                 // OAuth scope strings
	CustomScopes []string `json:"customScopes,omitempty"` // ECA commaSeparatedCustomScopes

	// Certificate is the PEM certificate for JWT bearer ("Use digital signatures").
	Certificate string `json:"certificate,omitempty"`

	// ConsumerSecretOptional is true when "Require Secret for Web Server Flow" is off.
	ConsumerSecretOptional         bool `json:"consumerSecretOptional"`
	SecretRequiredForRefreshToken  bool `json:"secretRequiredForRefreshToken"`
	SecretRequiredForTokenExchange bool `json:"secretRequiredForTokenExchange"`
	PKCERequired                   bool `json:"pkceRequired"`

	ClientCredentialsEnabled bool   `json:"clientCredentialsEnabled"`
	ClientCredentialsUser    string `json:"clientCredentialsUser,omitempty"` // Run As user (API Only)

	// DeviceFlowEnabled is nil when unknown: the ConnectedApp metadata has no field for
	// "Enable for Device Flow" (UI only); ECAs have isDeviceFlowEnabled.
	DeviceFlowEnabled *bool `json:"deviceFlowEnabled,omitempty"`

	CodeCredentialEnabled  bool `json:"codeCredentialEnabled"` // Authorization Code and Credentials flow
	CodeCredentialPostOnly bool `json:"codeCredentialPostOnly"`

	TokenExchangeEnabled bool `json:"tokenExchangeEnabled"`
	IntrospectAllTokens  bool `json:"introspectAllTokens"`

	PermittedUsers string   `json:"permittedUsers"` // AllSelfAuthorized | AdminApprovedPreAuthorized
	Profiles       []string `json:"profiles,omitempty"`
	PermissionSets []string `json:"permissionSets,omitempty"`

	IPRelaxation         string             `json:"ipRelaxation"` // ENFORCE | BYPASS_2FACTOR | BYPASS | ENFORCE_RELAXREFRESH
	RefreshTokenPolicy   RefreshTokenPolicy `json:"refreshTokenPolicy"`
	RefreshTokenRotation bool               `json:"refreshTokenRotation"`

	// SessionTimeoutMinutes is the app's Timeout Value; 0 means not set on the app (the
	// user's profile, then the org's Session Settings decide).
	SessionTimeoutMinutes int    `json:"sessionTimeoutMinutes,omitempty"`
	SessionLevel          string `json:"sessionLevel,omitempty"` // HIGH_ASSURANCE | STANDARD
	PolicyAction          string `json:"policyAction,omitempty"` // Block | RaiseSessionLevel

	// IDTokenValidityMinutes is 1–720; 0 means not set (Salesforce's default is 2).
	IDTokenValidityMinutes int `json:"idTokenValidityMinutes,omitempty"`

	NamedUserJWT bool `json:"namedUserJwt"` // Issue JWT-based access tokens for named users
	// NamedUserJWTTimeoutMinutes is set with timeout type Custom (ECA); 0 = UserSession.
	NamedUserJWTTimeoutMinutes int `json:"namedUserJwtTimeoutMinutes,omitempty"`

	StartURL        string `json:"startUrl,omitempty"`
	SingleLogoutURL string `json:"singleLogoutUrl,omitempty"`

	// Installed is nil when unknown. It is not metadata: since September 2025 an
	// uninstalled Connected App is blocked for most users and for the device flow.
	Installed *bool `json:"installed,omitempty"`

	Org OrgSettings `json:"org"`
}

// OrgSettings are the org-level settings of reference §8.5 that change OAuth behaviour.
type OrgSettings struct {
	// BlockUserAgentFlow is OauthOidcSettings.blockOAuthUsrAgtFlow.
	BlockUserAgentFlow bool `json:"blockOAuthUsrAgtFlow"`
	// BlockUsernamePasswordFlow is OauthOidcSettings.blockOAuthUnPwFlow; nil when unknown
	// (orgs created Summer '23 or later block it by default).
	BlockUsernamePasswordFlow *bool `json:"blockOAuthUnPwFlow,omitempty"`
	// CodeCredentialFlowEnabled is OauthOidcSettings.oAuthCdCrdtFlowEnable.
	CodeCredentialFlowEnabled bool `json:"oAuthCdCrdtFlowEnable"`
	// PKCERequired is OauthOidcSettings.isPkceRequired (org-wide).
	PKCERequired bool `json:"isPkceRequired"`
	// OAuthCORS is SessionSettings.enableOauthCorsPolicy.
	OAuthCORS bool `json:"enableOauthCorsPolicy"`
	// LockSessionsToIP and EnforceIPRangesEveryRequest are SessionSettings fields.
	LockSessionsToIP            bool `json:"lockSessionsToIp"`
	EnforceIPRangesEveryRequest bool `json:"enforceIpRangesEveryRequest"`
	// AdminApprovedAppsOnly is ConnectedAppSettings.enableAdminApprovedAppsOnly (API Access Control).
	AdminApprovedAppsOnly bool `json:"enableAdminApprovedAppsOnly"`
	// SessionTimeoutMinutes is SessionSettings.sessionTimeout in minutes; 0 = unknown (default 2 hours).
	SessionTimeoutMinutes int `json:"sessionTimeoutMinutes,omitempty"`
}

// NewSettings returns an app of the given kind with Salesforce's defaults: secret required
// for the web server and refresh flows, IP restrictions enforced, refresh tokens valid until
// revoked; Connected Apps self-authorize and do not require PKCE, External Client Apps are
// closed (admin-approved) and require PKCE.
func NewSettings(kind Kind, name string) Settings {
	s := Settings{
		Kind:                          kind,
		Name:                          name,
		Label:                         name,
		SecretRequiredForRefreshToken: true,
		PermittedUsers:                AllSelfAuthorized,
		IPRelaxation:                  IPEnforce,
		RefreshTokenPolicy:            RefreshTokenPolicy{Type: RefreshInfinite},
	}
	if kind == External {
		s.PKCERequired = true
		s.PermittedUsers = AdminApprovedPreAuthorized
		f := false
		s.DeviceFlowEnabled = &f
	}
	return s
}

// LoadSettingsJSON reads a settings file (the JSON form of Settings). Fields it leaves out
// keep Salesforce's defaults for the file's kind (default kind: connected).
func LoadSettingsJSON(path string) (Settings, error) {
	b, err := userfile.Read(path, "settings file", userfile.DocumentLimit)
	if err != nil {
		return Settings{}, err
	}
	return ParseSettingsJSON(b)
}

// ParseSettingsJSON is LoadSettingsJSON on bytes.
func ParseSettingsJSON(b []byte) (Settings, error) {
	var head struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return Settings{}, fmt.Errorf("settings JSON: %v; fix the file's syntax", err)
	}
	kind := Connected
	if head.Kind != "" {
		k, err := ParseKind(head.Kind)
		if err != nil {
			return Settings{}, fmt.Errorf("settings JSON: %w", err)
		}
		kind = k
	}
	s := NewSettings(kind, head.Name)
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Settings{}, fmt.Errorf("settings JSON: %v; see connectedapp.Settings for the field names", err)
	}
	s.Kind = kind
	s.Scopes = NormalizeScopes(s.Scopes)
	return s, nil
}

// HasScope reports whether the app selected scope (an OAuth scope string); refresh_token
// and offline_access are synonyms, and so are id, profile, email, address and phone.
func (s Settings) HasScope(scope string) bool {
	return hasScope(s.Scopes, scope)
}

func hasScope(list []string, scope string) bool {
	want := canonicalScope(scope)
	for _, have := range list {
		if canonicalScope(have) == want {
			return true
		}
	}
	return false
}

// canonicalScope folds synonyms: offline_access → refresh_token; profile, email, address,
// phone → id.
func canonicalScope(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "offline_access":
		return "refresh_token"
	case "profile", "email", "address", "phone":
		return "id"
	}
	return s
}

// NormalizeScopes splits space- or comma-separated entries, trims, and drops duplicates,
// keeping the first spelling and the order.
func NormalizeScopes(in []string) []string {
	var out []string
	for _, e := range in {
		for _, f := range strings.FieldsFunc(e, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '\t' }) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// scopeTable maps OAuth scope strings to ConnectedAppOauthAccessScope enum names (§6).
var scopeTable = []struct{ oauth, enum string }{
	{"api", "Api"},
	{"web", "Web"},
	{"full", "Full"},
	{"refresh_token", "RefreshToken"},
	{"offline_access", "OfflineAccess"},
	{"id", "Basic"},
	{"profile", "Profile"},
	{"email", "Email"},
	{"address", "Address"},
	{"phone", "Phone"},
	{"openid", "OpenID"},
	{"chatter_api", "Chatter"},
	{"custom_permissions", "CustomPermissions"},
	{"visualforce", "CustomApplications"},
	{"wave_api", "Wave"},
	{"eclair_api", "Eclair"},
	{"pardot_api", "Pardot"},
	{"lightning", "Lightning"},
	{"content", "Content"},
	{"cdp_ingest_api", "CDPIngest"},
	{"cdp_profile_api", "CDPProfile"},
	{"cdp_query_api", "CDPQuery"},
	{"cdp_segment_api", "CDPSegment"},
	{"cdp_identityresolution_api", "CDPIdentityResolution"},
	{"cdp_calculated_insight_api", "CDPCalculatedInsight"},
	{"cdp_api", "CDP"},
	{"chatbot_api", "Chatbot"},
	{"sfap_api", "SFAP"},
	{"einstein_gpt_api", "EinsteinGPT"},
	{"interaction_api", "Interaction"},
	{"mcp_api", "MCP"},
	{"scrt_api", "SCRT"},
	{"data_cloud_user_claims", "DataCloudUserClaims"},
	{"forgot_password", "ForgotPassword"},
	{"user_registration_api", "UserRegistration"},
	{"pwdless_login_api", "PwdlessLogin"},
}

// enumAliases are other spellings seen in retrieved metadata.
var enumAliases = map[string]string{"sfapiplatform": "sfap_api", "chatterapi": "chatter_api", "openid": "openid"}

// ScopeToMetadata returns the Metadata API enum name of an OAuth scope string.
func ScopeToMetadata(scope string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(scope))
	for _, e := range scopeTable {
		if e.oauth == s {
			return e.enum, true
		}
	}
	return "", false
}

// ScopeFromMetadata returns the OAuth scope string of a Metadata API enum name.
func ScopeFromMetadata(enum string) (string, bool) {
	e := strings.TrimSpace(enum)
	for _, t := range scopeTable {
		if strings.EqualFold(t.enum, e) {
			return t.oauth, true
		}
	}
	if o, ok := enumAliases[strings.ToLower(e)]; ok {
		return o, true
	}
	return "", false
}

// KnownScopes lists the OAuth scope strings this package knows, in reference order.
func KnownScopes() []string {
	out := make([]string, len(scopeTable))
	for i, e := range scopeTable {
		out[i] = e.oauth
	}
	return out
}

func boolp(b bool) *bool { return &b }
