// Package sfemu emulates one Salesforce org's OAuth 2.0 / OpenID Connect and identity
// endpoints, byte for byte where shared/reference/salesforce-oauth.md documents the wire
// (the "reference" below; section numbers such as §3.1 point into it).
//
// An Org value describes the org: its users, its Connected Apps and External Client Apps
// and their settings (§8), its org-wide flow blocks (§8.5) and, in Behaviour, every
// behaviour the reference marks [UNCONF], with the documented default. Start serves it on
// two loopback ports: the generic login host (login.salesforce.com) and the org's My Domain
// host. The clock is injectable so idle sessions (§7) can be tested without waiting.
//
// sfemu imports nothing of the Connected App Lab module but internal/userfile (the size-capped
// read of a user's file, a leaf that imports nothing of the module); it is the "other side"
// for the client's tests and the server behind demo mode.
package sfemu

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/internal/sfenum"
	"github.com/connectedapplab/connectedapplab/internal/userfile"
)

// App kinds (§8.1 ConnectedApp, §8.4 External Client App).
const (
	KindConnectedApp      = "ConnectedApp"
	KindExternalClientApp = "ExternalClientApp"
)

// Permitted Users policies (§8.2; metadata isAdminApproved false/true, ECA
// permittedUsersPolicyType).
const (
	AllSelfAuthorized          = sfenum.AllSelfAuthorized
	AdminApprovedPreAuthorized = sfenum.AdminApprovedPreAuthorized
)

// IP relaxation values (§8.1 oauthPolicy/ipRelaxation).
const (
	IPEnforce             = sfenum.IPEnforce
	IPBypass2Factor       = sfenum.IPBypass2Factor
	IPBypass              = sfenum.IPBypass
	IPEnforceRelaxRefresh = sfenum.IPEnforceRelaxRefresh
)

// Org describes one emulated Salesforce org. It is JSON-serialisable so that
// `connectedapplab emulate --org FILE` can load it (see LoadOrg); zero values mean the
// documented Salesforce default.
type Org struct {
	// ID is the 18-character organization Id, starting "00D" (§11.2). A 15-character Id is
	// accepted by LoadOrg and extended to 18 characters.
	ID string `json:"id"`
	// Name is the org's display name (informational).
	Name string `json:"name,omitempty"`
	// MyDomain is the My Domain name, as in https://MYDOMAIN.my.salesforce.com (§1.1). It is
	// used for the default JWT audiences; the emulator itself serves My Domain on a loopback port.
	MyDomain string `json:"my_domain"`
	// Instance is the legacy instance name (e.g. "NA224"); informational, shown in limits.
	Instance string `json:"instance,omitempty"`
	// LatestAPIVersion is the newest REST/SOAP API version the org serves, "NN.0"; every
	// version from 31.0 up to it is live and 21.0 to 30.0 are retired (reference §15.6).
	// "" means 68.0 (Winter '27, the current release).
	LatestAPIVersion string `json:"latest_api_version,omitempty"`
	// APIDisabled is an org without API access (e.g. an edition without it): SOAP login()
	// fails with API_DISABLED_FOR_ORG (§15.6) and REST calls with 403 API_DISABLED_FOR_ORG.
	APIDisabled bool `json:"api_disabled,omitempty"`
	// NoIdleRefreshTokenLimit turns off Spring '26's "Limit Idle Refresh Token TTL to 30
	// Days" (on by default; §15.3): with it on, a refresh token unused for 30 days expires
	// whatever the app's refresh token policy ("immediately expire" aside).
	NoIdleRefreshTokenLimit bool `json:"no_idle_refresh_token_limit,omitempty"`
	// SOAPLoginDisabled is "SOAP API login()" turned off for the org: login() then fails
	// with INVALID_OPERATION "SOAP API login() is disabled by default in this org..."
	// [OBS] jsforce#1771, OpenFn/adaptors#1715. New real orgs have it off by default; the
	// emulator leaves it on unless set.
	SOAPLoginDisabled bool `json:"soap_login_disabled,omitempty"`
	// SessionTimeoutMinutes is Session Settings' Timeout Value (§7, SessionSettings.sessionTimeout),
	// the last fallback for an access token's idle timeout. 0 means 120 (two hours, the default).
	SessionTimeoutMinutes int `json:"session_timeout_minutes,omitempty"`
	// BlockUsernamePasswordFlow is "Allow OAuth Username-Password Flows" turned off
	// (OauthOidcSettings.blockOAuthUnPwFlow, §3.3, §8.5). Real orgs created Summer '23 or later
	// block it by default; the demo org allows it.
	BlockUsernamePasswordFlow bool `json:"block_username_password_flow,omitempty"`
	// BlockUserAgentFlow is "Allow OAuth User-Agent Flows" turned off
	// (OauthOidcSettings.blockOAuthUsrAgtFlow, §3.2, §8.5).
	BlockUserAgentFlow bool `json:"block_user_agent_flow,omitempty"`
	// RequirePKCE is "Require PKCE for all supported authorization flows" (org-wide,
	// OauthOidcSettings.isPkceRequired, §8.5).
	RequirePKCE bool `json:"require_pkce,omitempty"`
	// UninstalledAppGate is the September 2025 Connected App usage restriction (§9): an app
	// whose Installed is false is refused at authorize with invalid_client "app must be
	// installed into org" unless the user has "Approve Uninstalled Connected Apps" (see
	// User.ApproveUninstalledApps; admins have it) or authorized the app before; the device
	// flow is refused for uninstalled apps regardless (§3.7).
	UninstalledAppGate bool `json:"uninstalled_app_gate,omitempty"`
	// SigningKeyPEM is an optional RSA private key (PKCS#1 or PKCS#8 PEM) for ID tokens; when
	// empty a key is generated once per process.
	SigningKeyPEM string `json:"signing_key_pem,omitempty"`
	// SigningKeyID is the JWKS "kid" of the signing key; short numeric strings on the wire
	// (§1.4). Empty means "248".
	SigningKeyID string `json:"signing_key_id,omitempty"`
	// Users are the org's users.
	Users []User `json:"users"`
	// Apps are the org's Connected Apps and External Client Apps.
	Apps []App `json:"apps"`
	// Notes are shown to people using the emulator (e.g. deprecation notes).
	Notes []string `json:"notes,omitempty"`
	// Behaviour holds every setting the reference marks [UNCONF], with its documented default.
	Behaviour Behaviour `json:"behaviour,omitzero"`
}

// User is one user of the org.
type User struct {
	// ID is the 18-character user Id, starting "005".
	ID string `json:"id"`
	// Username is the login name (an email-shaped string).
	Username string `json:"username"`
	// Password is the user's password (UI login; username-password flow with the token appended).
	Password string `json:"password"`
	// SecurityToken is appended to the password in the username-password flow (§3.3).
	SecurityToken string `json:"security_token,omitempty"`
	// FirstName, LastName and Email feed userinfo and the identity URL (§4.3, §4.4).
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Email     string `json:"email,omitempty"`
	// Profile is the user's profile name; Permitted Users lists match against it.
	Profile string `json:"profile"`
	// ProfileSessionTimeoutMinutes is the profile's session timeout (ProfileSessionSetting,
	// §7); 0 means "use the org's Session Settings".
	ProfileSessionTimeoutMinutes int `json:"profile_session_timeout_minutes,omitempty"`
	// Frozen users cannot log in (UI or OAuth).
	Frozen bool `json:"frozen,omitempty"`
	// Inactive (deactivated) users cannot log in; token grants say "inactive user" (§5).
	Inactive bool `json:"inactive,omitempty"`
	// APIOnly is the "API Only User" permission: no UI login; required for a client
	// credentials Run As user (§3.6).
	APIOnly bool `json:"api_only,omitempty"`
	// Admin marks a System Administrator; admins implicitly have "Approve Uninstalled
	// Connected Apps" (§9).
	Admin bool `json:"admin,omitempty"`
	// ApproveUninstalledApps is the "Approve Uninstalled Connected Apps" permission (§9).
	ApproveUninstalledApps bool `json:"approve_uninstalled_apps,omitempty"`
	// RestrictedIP says the user's profile login IP ranges exclude every caller, so OAuth
	// logins fail with invalid_grant "ip restricted" (§5) unless the app relaxes IP
	// restrictions (App.IPRelaxation).
	RestrictedIP bool `json:"restricted_ip,omitempty"`
	// RestrictedHours says the profile's login hours exclude now: SOAP login() fails with
	// LOGIN_DURING_RESTRICTED_TIME (§15.6) and the username-password flow with
	// "authentication failure" [UNCONF: the OAuth wire text is not captured, §5].
	RestrictedHours bool `json:"restricted_hours,omitempty"`
	// Locale, Language and TimeZone feed userinfo / identity; defaults en_US / en_US /
	// America/Los_Angeles.
	Locale   string `json:"locale,omitempty"`
	Language string `json:"language,omitempty"`
	TimeZone string `json:"time_zone,omitempty"`
}

// App is a Connected App or an External Client App with every behaviour-changing OAuth
// setting of reference §8. Pointer booleans are nil for "the documented default".
type App struct {
	// Name is the app's label.
	Name string `json:"name"`
	// APIName is the app's metadata API name (fullName, e.g. "Web_App"): what the Metadata
	// API's readMetadata answers to (POST /services/Soap/m/{version}). External Client App
	// child components are APIName_glbloauth, APIName_oauth and APIName_oauthPlcy. Empty
	// means derived from Name ("Web App" -> "Web_App").
	APIName string `json:"api_name,omitempty"`
	// Kind is "ConnectedApp" or "ExternalClientApp".
	Kind string `json:"kind"`
	// ConsumerKey is the client_id.
	ConsumerKey string `json:"consumer_key"`
	// ConsumerSecret is the client_secret (may be empty for a public client).
	ConsumerSecret string `json:"consumer_secret,omitempty"`
	// CallbackURLs: redirect_uri must equal one of them exactly (§8.3).
	CallbackURLs []string `json:"callback_urls,omitempty"`
	// Scopes are the Selected OAuth Scopes as OAuth scope strings (§6), e.g. "api", "refresh_token".
	Scopes []string `json:"scopes"`
	// RequireSecretForWebServerFlow is "Require Secret for Web Server Flow", the inverse of
	// metadata isConsumerSecretOptional (§8.2). nil means true.
	RequireSecretForWebServerFlow *bool `json:"require_secret_for_web_server_flow,omitempty"`
	// RequireSecretForRefreshToken is isSecretRequiredForRefreshToken (§3.4); nil means true.
	// When false and a secret is sent anyway, it is still validated.
	RequireSecretForRefreshToken *bool `json:"require_secret_for_refresh_token,omitempty"`
	// RequirePKCE is isPkceRequired; nil means false for Connected Apps and true for
	// External Client Apps (§8.2, §8.4).
	RequirePKCE *bool `json:"require_pkce,omitempty"`
	// ClientCredentialsEnabled is isClientCredentialEnabled (§3.6).
	ClientCredentialsEnabled bool `json:"client_credentials_enabled,omitempty"`
	// ClientCredentialsUser is the Run As username (oauthClientCredentialUser, §3.6).
	ClientCredentialsUser string `json:"client_credentials_user,omitempty"`
	// DeviceFlowEnabled is "Enable for Device Flow" (§3.7).
	DeviceFlowEnabled bool `json:"device_flow_enabled,omitempty"`
	// TokenExchangeEnabled is isTokenExchangeEnabled (§3.9).
	TokenExchangeEnabled bool `json:"token_exchange_enabled,omitempty"`
	// RequireSecretForTokenExchange is isSecretRequiredForTokenExchange (§3.9); nil means
	// true [UNCONF: the metadata reference gives no default; the emulator picks the safe one].
	RequireSecretForTokenExchange *bool `json:"require_secret_for_token_exchange,omitempty"`
	// PermittedUsers is "AllSelfAuthorized" or "AdminApprovedPreAuthorized" (§8.2). Empty
	// means AllSelfAuthorized for Connected Apps and AdminApprovedPreAuthorized for External
	// Client Apps (closed by default, §8.4).
	PermittedUsers string `json:"permitted_users,omitempty"`
	// PermittedProfiles are the profiles pre-authorized when PermittedUsers is
	// AdminApprovedPreAuthorized (metadata profileName).
	PermittedProfiles []string `json:"permitted_profiles,omitempty"`
	// RefreshTokenPolicy is infinite (default), zero, specific_lifetime:N:UNIT or
	// specific_inactivity:N:UNIT with UNIT HOURS, DAYS or MONTHS (§7).
	RefreshTokenPolicy string `json:"refresh_token_policy,omitempty"`
	// RefreshTokenRotation is isRefreshTokenRotationEnabled (§3.4).
	RefreshTokenRotation bool `json:"refresh_token_rotation,omitempty"`
	// RefreshTokenIPAllowlist is an External Client App's "Enforce Refresh Token IP
	// Allowlist" (Winter '26, §15.3): when set, only callers from these IPs or CIDR ranges
	// complete the web server or refresh token flow (at most 128 ranges and 256 IPs).
	RefreshTokenIPAllowlist []string `json:"refresh_token_ip_allowlist,omitempty"`
	// RefreshTokenReuseGraceSeconds lets a rotated-out refresh token be used again within
	// this many seconds of its rotation without revoking the family. Salesforce documents
	// no grace period (§15.2): 0, the default, revokes the whole family on any reuse.
	RefreshTokenReuseGraceSeconds int `json:"refresh_token_reuse_grace_seconds,omitempty"`
	// SessionTimeoutMinutes is the app's Session Policies Timeout Value (§7); 0 = none, so the
	// profile's and then the org's timeout applies.
	SessionTimeoutMinutes int `json:"session_timeout_minutes,omitempty"`
	// IDTokenValidityMinutes is idTokenValidity (1–720); 0 means 2 (§7).
	IDTokenValidityMinutes int `json:"id_token_validity_minutes,omitempty"`
	// CertificatePEM is the X.509 certificate (or a PEM public key) for JWT bearer (§3.5) and
	// SAML bearer; empty disables both.
	CertificatePEM string `json:"certificate_pem,omitempty"`
	// IPRelaxation is ENFORCE (default), BYPASS_2FACTOR, BYPASS or ENFORCE_RELAXREFRESH (§8.2).
	// BYPASS lets a User.RestrictedIP user log in; ENFORCE_RELAXREFRESH relaxes only the
	// refresh token flow.
	IPRelaxation string `json:"ip_relaxation,omitempty"`
	// Installed says whether the app is installed in the org (Org.UninstalledAppGate, §9).
	Installed bool `json:"installed,omitempty"`
	// IntrospectAllTokens is isIntrospectAllTokens (§4.2).
	IntrospectAllTokens bool `json:"introspect_all_tokens,omitempty"`
	// JWTPrivateKeyPEM is not a Salesforce setting: the demo private key matching
	// CertificatePEM, published by Describe so learners can sign assertions.
	JWTPrivateKeyPEM string `json:"jwt_private_key_pem,omitempty"`
	// JWTUsername is not a Salesforce setting: the username to put in a demo assertion's sub.
	JWTUsername string `json:"jwt_username,omitempty"`
}

// Behaviour collects the behaviours the reference marks [UNCONF] (or leaves open, §12).
// Each zero value means the documented default.
type Behaviour struct {
	// AuthCodeLifetimeMinutes is the authorization code lifetime; 0 means 15 [UNCONF §3.1].
	AuthCodeLifetimeMinutes int `json:"auth_code_lifetime_minutes,omitempty"`
	// PKCEMismatchError is the error code for a wrong code_verifier: docs say invalid_request,
	// observed invalid_grant; "" means invalid_grant [UNCONF §3.1].
	PKCEMismatchError string `json:"pkce_mismatch_error,omitempty"`
	// PKCEMismatchDescription is its description; "" means "invalid code verifier" [UNCONF].
	PKCEMismatchDescription string `json:"pkce_mismatch_description,omitempty"`
	// PKCEMissingVerifierDescription is the invalid_grant description when a challenge was
	// sent but no verifier; "" means "invalid code verifier" [UNCONF §3.1].
	PKCEMissingVerifierDescription string `json:"pkce_missing_verifier_description,omitempty"`
	// AllowPlainPKCE accepts code_challenge_method=plain [UNCONF §3.1]; default false.
	AllowPlainPKCE bool `json:"allow_plain_pkce,omitempty"`
	// JWTAudiences replaces the accepted JWT bearer / SAML bearer audiences. nil means
	// https://login.salesforce.com, https://test.salesforce.com, the real My Domain URL
	// (https://MYDOMAIN.my.salesforce.com) and the emulator's own two base URLs (§3.5).
	JWTAudiences []string `json:"jwt_audiences,omitempty"`
	// ExpiredAssertionDescription is the invalid_grant description for an expired JWT or SAML
	// assertion; "" means "expired authorization code" (clock-skew reports, §3.5) [UNCONF].
	ExpiredAssertionDescription string `json:"expired_assertion_description,omitempty"`
	// JWTBearerIssuedAt adds issued_at and signature to JWT bearer responses; Salesforce's own
	// example has neither, so default false [UNCONF §3.5].
	JWTBearerIssuedAt bool `json:"jwt_bearer_issued_at,omitempty"`
	// SAMLBearerIssuedAt does the same for SAML bearer responses; default false [UNCONF §3.11].
	SAMLBearerIssuedAt bool `json:"saml_bearer_issued_at,omitempty"`
	// DeviceIntervalSeconds is the device flow polling interval; 0 means 5 (§3.7 fixture).
	DeviceIntervalSeconds int `json:"device_interval_seconds,omitempty"`
	// DeviceCodeLifetimeMinutes is how long a device code stays usable; 0 means 10 [UNCONF §7].
	DeviceCodeLifetimeMinutes int `json:"device_code_lifetime_minutes,omitempty"`
	// AuthorizationPendingDescription: "" means "authorization pending" [UNCONF §3.7].
	AuthorizationPendingDescription string `json:"authorization_pending_description,omitempty"`
	// SlowDownDescription: "" means "polling too quickly for the token endpoint" [UNCONF §3.7].
	SlowDownDescription string `json:"slow_down_description,omitempty"`
	// AccessDeniedDescription is sent when the user clicks Deny: "" means
	// "end-user denied authorization" [UNCONF §5].
	AccessDeniedDescription string `json:"access_denied_description,omitempty"`
	// ClientCredentialsDisabledDescription is the invalid_grant description when the app has
	// client credentials off: "" means "client credentials flow not enabled" [UNCONF §3.6].
	ClientCredentialsDisabledDescription string `json:"client_credentials_disabled_description,omitempty"`
	// InvalidClientStatus is the HTTP status of invalid_client / invalid_client_id token
	// errors; 0 means 400 [UNCONF §5].
	InvalidClientStatus int `json:"invalid_client_status,omitempty"`
	// APIInstanceURL is the client credentials api_instance_url; "" means
	// https://api.salesforce.com (§3.6).
	APIInstanceURL string `json:"api_instance_url,omitempty"`
	// OmitTokenExchangeRefreshToken stops token exchange issuing a refresh token when
	// refresh_token scope is granted (reported to issue one) [UNCONF §3.9].
	OmitTokenExchangeRefreshToken bool `json:"omit_token_exchange_refresh_token,omitempty"`
	// OmitTokenExchangeIssuedTokenType drops RFC 8693's issued_token_type from token
	// exchange responses [UNCONF §3.9].
	OmitTokenExchangeIssuedTokenType bool `json:"omit_token_exchange_issued_token_type,omitempty"`
	// TokenExchangeSkipsApproval lets token exchange proceed for users who never approved
	// the app (reported to need approval like JWT bearer) [UNCONF §3.9].
	TokenExchangeSkipsApproval bool `json:"token_exchange_skips_approval,omitempty"`
	// FrontdoorOTPLifetimeSeconds is how long a singleaccess one-time password can be
	// redeemed; 0 means 60. Salesforce says only "short-lived" [UNCONF §15.4].
	FrontdoorOTPLifetimeSeconds int `json:"frontdoor_otp_lifetime_seconds,omitempty"`
	// SOAPFaultCodePrefixed writes SOAP login faults' faultcode as "sf:INVALID_LOGIN";
	// the default is the bare "INVALID_LOGIN" of recent captures (simple-salesforce test
	// fixtures); older captures show the prefix [UNCONF §15.6].
	SOAPFaultCodePrefixed bool `json:"soap_fault_code_prefixed,omitempty"`
	// DeviceFlowECAOnlyFrom is the date (YYYY-MM-DD, by the org's clock) from which the
	// device flow works only for External Client Apps with a localhost callback; "" means
	// 2026-11-30 (Winter '27 release update, §15.8 [RN2]); "never" keeps the old rule.
	DeviceFlowECAOnlyFrom string `json:"device_flow_eca_only_from,omitempty"`
	// DeviceFlowRetiredDescription is the invalid_grant description for a device flow that
	// rule refuses; "" means "device flow is not enabled for the app" [UNCONF].
	DeviceFlowRetiredDescription string `json:"device_flow_retired_description,omitempty"`
	// RefreshIPAllowlistError and RefreshIPAllowlistDescription answer a web server or
	// refresh token request from outside an External Client App's refresh token IP
	// allowlist; "" means invalid_grant / "ip restricted". The wire error is not documented
	// (§15.3 [UNCONF]).
	RefreshIPAllowlistError       string `json:"refresh_ip_allowlist_error,omitempty"`
	RefreshIPAllowlistDescription string `json:"refresh_ip_allowlist_description,omitempty"`
	// RetiredAPIVersionMessage is the message of the 410 GONE answer to a REST call on a
	// retired version (21.0 to 30.0); the status and errorCode GONE are documented/observed,
	// the message is not [UNCONF §15.6]. "" means msgRetiredVersion.
	RetiredAPIVersionMessage string `json:"retired_api_version_message,omitempty"`
	// SAMLRequireSignature refuses SAML assertions without a ds:Signature element. The
	// emulator never verifies XML signatures (minimal SAML, §3.8) [UNCONF].
	SAMLRequireSignature bool `json:"saml_require_signature,omitempty"`
}

// MaxOrgFile caps an org file (userfile.DocumentLimit, 4 MiB; the demo org is under 20 KB).
const MaxOrgFile = userfile.DocumentLimit

// LoadOrg reads a JSON org description and validates it. Only a regular file of at most
// MaxOrgFile bytes is read; anything else is a one-line error naming the path.
func LoadOrg(path string) (*Org, error) {
	b, err := userfile.Read(path, "org file", MaxOrgFile)
	if err != nil {
		return nil, err
	}
	var o Org
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("org file %s: %s", path, oneLine(err.Error()))
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("org file %s: %s", path, oneLine(err.Error()))
	}
	return &o, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Validate checks the org and normalises 15-character Ids to 18 characters. It reports the
// first problem as a one-line error naming the offending field.
func (o *Org) Validate() error {
	var err error
	if o.ID, err = normaliseID(o.ID, "00D"); err != nil {
		return fmt.Errorf("id: %v", err)
	}
	if o.LatestAPIVersion != "" {
		if n, ok := parseAPIVersion(o.LatestAPIVersion); !ok || n < minLiveAPIVersion || n > 999 {
			return fmt.Errorf("latest_api_version %q: want a version such as \"68.0\" (31.0 or newer)", o.LatestAPIVersion)
		}
	}
	if v := o.Behaviour.DeviceFlowECAOnlyFrom; v != "" && v != "never" {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return fmt.Errorf("behaviour.device_flow_eca_only_from %q: want a date such as 2026-11-30, or never", v)
		}
	}
	if o.SessionTimeoutMinutes < 0 {
		return errors.New("session_timeout_minutes: must not be negative")
	}
	if o.SigningKeyPEM != "" {
		if _, err := parseRSAPrivateKey(o.SigningKeyPEM); err != nil {
			return fmt.Errorf("signing_key_pem: %v", err)
		}
	}
	if o.SigningKeyID != "" {
		if _, err := strconv.Atoi(o.SigningKeyID); err != nil {
			return fmt.Errorf("signing_key_id %q: want a short numeric string such as \"248\"", o.SigningKeyID)
		}
	}
	users := map[string]bool{}
	for i := range o.Users {
		u := &o.Users[i]
		where := fmt.Sprintf("users[%d] %q", i, u.Username)
		if u.Username == "" {
			return fmt.Errorf("users[%d]: username is empty", i)
		}
		if users[strings.ToLower(u.Username)] {
			return fmt.Errorf("%s: duplicate username", where)
		}
		users[strings.ToLower(u.Username)] = true
		if u.ID, err = normaliseID(u.ID, "005"); err != nil {
			return fmt.Errorf("%s: id: %v", where, err)
		}
		if u.ProfileSessionTimeoutMinutes < 0 {
			return fmt.Errorf("%s: profile_session_timeout_minutes must not be negative", where)
		}
	}
	keys := map[string]bool{}
	apiNames := map[string]bool{}
	for i := range o.Apps {
		a := &o.Apps[i]
		where := fmt.Sprintf("apps[%d] %q", i, a.Name)
		if a.APIName != "" {
			if !validAPIName(a.APIName) {
				return fmt.Errorf("%s: api_name %q: use letters, digits and single underscores, starting with a letter (e.g. My_App)", where, a.APIName)
			}
			if apiNames[strings.ToLower(a.APIName)] {
				return fmt.Errorf("%s: duplicate api_name %q", where, a.APIName)
			}
			apiNames[strings.ToLower(a.APIName)] = true
		}
		if a.Kind != KindConnectedApp && a.Kind != KindExternalClientApp {
			return fmt.Errorf("%s: kind %q: want ConnectedApp or ExternalClientApp", where, a.Kind)
		}
		if a.ConsumerKey == "" {
			return fmt.Errorf("%s: consumer_key is empty", where)
		}
		if keys[a.ConsumerKey] {
			return fmt.Errorf("%s: duplicate consumer_key", where)
		}
		keys[a.ConsumerKey] = true
		for _, cb := range a.CallbackURLs {
			if u, err := url.Parse(cb); err != nil || u.Scheme == "" {
				return fmt.Errorf("%s: callback URL %q is not an absolute URL", where, cb)
			}
		}
		if _, err := parseRefreshPolicy(a.RefreshTokenPolicy); err != nil {
			return fmt.Errorf("%s: refresh_token_policy: %v", where, err)
		}
		switch a.PermittedUsers {
		case "", AllSelfAuthorized, AdminApprovedPreAuthorized:
		default:
			return fmt.Errorf("%s: permitted_users %q: want AllSelfAuthorized or AdminApprovedPreAuthorized", where, a.PermittedUsers)
		}
		switch a.IPRelaxation {
		case "", IPEnforce, IPBypass2Factor, IPBypass, IPEnforceRelaxRefresh:
		default:
			return fmt.Errorf("%s: ip_relaxation %q: want ENFORCE, BYPASS_2FACTOR, BYPASS or ENFORCE_RELAXREFRESH", where, a.IPRelaxation)
		}
		if a.SessionTimeoutMinutes < 0 || a.IDTokenValidityMinutes < 0 || a.IDTokenValidityMinutes > 720 {
			return fmt.Errorf("%s: session_timeout_minutes must be >= 0 and id_token_validity_minutes 0..720", where)
		}
		if err := validateAllowlist(a); err != nil {
			return fmt.Errorf("%s: refresh_token_ip_allowlist: %v", where, err)
		}
		if a.RefreshTokenReuseGraceSeconds < 0 {
			return fmt.Errorf("%s: refresh_token_reuse_grace_seconds must not be negative", where)
		}
		if a.CertificatePEM != "" {
			if _, err := parsePublicKey(a.CertificatePEM); err != nil {
				return fmt.Errorf("%s: certificate_pem: %v", where, err)
			}
		}
		if a.ClientCredentialsUser != "" && !users[strings.ToLower(a.ClientCredentialsUser)] {
			return fmt.Errorf("%s: client_credentials_user %q is not a user of the org", where, a.ClientCredentialsUser)
		}
	}
	return nil
}

// normaliseID accepts a 15- or 18-character Salesforce Id with the given key prefix and
// returns the 18-character form.
func normaliseID(id, prefix string) (string, error) {
	if !strings.HasPrefix(id, prefix) {
		return "", fmt.Errorf("%q must start with %s", id, prefix)
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", fmt.Errorf("%q must be alphanumeric", id)
		}
	}
	switch len(id) {
	case 15:
		return id18(id), nil
	case 18:
		if id18(id[:15]) != id {
			return "", fmt.Errorf("%q has a wrong 3-character checksum suffix (want %s)", id, id18(id[:15]))
		}
		return id, nil
	}
	return "", fmt.Errorf("%q must be 15 or 18 characters", id)
}

// id18 appends Salesforce's case-safety suffix to a 15-character Id.
func id18(id15 string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	suffix := make([]byte, 3)
	for chunk := 0; chunk < 3; chunk++ {
		n := 0
		for i := 0; i < 5; i++ {
			c := id15[chunk*5+i]
			if c >= 'A' && c <= 'Z' {
				n |= 1 << i
			}
		}
		suffix[chunk] = alphabet[n]
	}
	return id15 + string(suffix)
}

// refreshPolicy is a parsed refreshTokenPolicy (§7).
type refreshPolicy struct {
	kind  string // infinite, zero, specific_lifetime, specific_inactivity
	n     int
	unit  string // HOURS, DAYS, MONTHS
	valid bool
}

func parseRefreshPolicy(s string) (refreshPolicy, error) {
	switch strings.ToLower(s) {
	case "", "infinite":
		return refreshPolicy{kind: "infinite", valid: true}, nil
	case "zero":
		return refreshPolicy{kind: "zero", valid: true}, nil
	}
	parts := strings.Split(s, ":")
	bad := fmt.Errorf("%q: want infinite, zero, specific_lifetime:N:UNIT or specific_inactivity:N:UNIT (UNIT HOURS, DAYS or MONTHS)", s)
	if len(parts) != 3 {
		return refreshPolicy{}, bad
	}
	kind := strings.ToLower(parts[0])
	n, err := strconv.Atoi(parts[1])
	unit := strings.ToUpper(parts[2])
	if (kind != "specific_lifetime" && kind != "specific_inactivity") || err != nil || n <= 0 ||
		(unit != "HOURS" && unit != "DAYS" && unit != "MONTHS") {
		return refreshPolicy{}, bad
	}
	return refreshPolicy{kind: kind, n: n, unit: unit, valid: true}, nil
}

// after returns t plus the policy's period.
func (p refreshPolicy) after(t time.Time) time.Time {
	switch p.unit {
	case "HOURS":
		return t.Add(time.Duration(p.n) * time.Hour)
	case "DAYS":
		return t.AddDate(0, 0, p.n)
	default:
		return t.AddDate(0, p.n, 0)
	}
}

// Accessors applying the documented defaults.

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

func (a *App) secretRequiredWebServer() bool { return boolOr(a.RequireSecretForWebServerFlow, true) }
func (a *App) secretRequiredRefresh() bool   { return boolOr(a.RequireSecretForRefreshToken, true) }
func (a *App) secretRequiredExchange() bool  { return boolOr(a.RequireSecretForTokenExchange, true) }
func (a *App) pkceRequired() bool            { return boolOr(a.RequirePKCE, a.Kind == KindExternalClientApp) }
func (a *App) isECA() bool                   { return a.Kind == KindExternalClientApp }
func (a *App) refreshPolicy() refreshPolicy {
	p, _ := parseRefreshPolicy(a.RefreshTokenPolicy)
	return p
}
func (a *App) idTokenValidity() time.Duration {
	return time.Duration(orInt(a.IDTokenValidityMinutes, 2)) * time.Minute
}

func (a *App) permittedUsers() string {
	if a.PermittedUsers != "" {
		return a.PermittedUsers
	}
	if a.isECA() {
		return AdminApprovedPreAuthorized
	}
	return AllSelfAuthorized
}

// preAuthorized reports whether the admin pre-authorized the user's profile.
func (a *App) preAuthorized(u *User) bool {
	if a.permittedUsers() != AdminApprovedPreAuthorized {
		return false
	}
	for _, p := range a.PermittedProfiles {
		if strings.EqualFold(p, u.Profile) {
			return true
		}
	}
	return false
}

func (u *User) canApproveUninstalled() bool { return u.Admin || u.ApproveUninstalledApps }

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orStr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func (o *Org) sessionTimeout() time.Duration {
	return time.Duration(orInt(o.SessionTimeoutMinutes, 120)) * time.Minute
}

// Effective idle timeout (§7): the app's Timeout Value, else the user's profile, else the org.
func (o *Org) effectiveTimeout(a *App, u *User) time.Duration {
	if a != nil && a.SessionTimeoutMinutes > 0 {
		return time.Duration(a.SessionTimeoutMinutes) * time.Minute
	}
	if u != nil && u.ProfileSessionTimeoutMinutes > 0 {
		return time.Duration(u.ProfileSessionTimeoutMinutes) * time.Minute
	}
	return o.sessionTimeout()
}

func (o *Org) userByName(name string) *User {
	for i := range o.Users {
		if strings.EqualFold(o.Users[i].Username, name) {
			return &o.Users[i]
		}
	}
	return nil
}

func (o *Org) userByID(id string) *User {
	for i := range o.Users {
		if o.Users[i].ID == id {
			return &o.Users[i]
		}
	}
	return nil
}

func (o *Org) appByKey(key string) *App {
	if key == "" {
		return nil
	}
	for i := range o.Apps {
		if o.Apps[i].ConsumerKey == key {
			return &o.Apps[i]
		}
	}
	return nil
}

// clone returns a deep copy via JSON (the Org is JSON-serialisable by design).
func (o *Org) clone() *Org {
	b, err := json.Marshal(o)
	if err != nil {
		panic(err)
	}
	var c Org
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return &c
}

// PEM helpers.

func parseRSAPrivateKey(p string) (*rsa.PrivateKey, error) {
	blk, _ := pem.Decode([]byte(p))
	if blk == nil {
		return nil, errors.New("no PEM block found")
	}
	if k, err := x509.ParsePKCS1PrivateKey(blk.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("not an RSA private key: %v", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA private key")
	}
	return rk, nil
}

// parsePublicKey reads an X.509 certificate, a PKIX "PUBLIC KEY" or a PKCS#1 "RSA PUBLIC
// KEY" and returns its RSA public key.
func parsePublicKey(p string) (*rsa.PublicKey, error) {
	blk, _ := pem.Decode([]byte(p))
	if blk == nil {
		return nil, errors.New("no PEM block found")
	}
	var pub any
	switch blk.Type {
	case "CERTIFICATE":
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		pub = c.PublicKey
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, err
		}
		pub = k
	case "RSA PUBLIC KEY":
		k, err := x509.ParsePKCS1PublicKey(blk.Bytes)
		if err != nil {
			return nil, err
		}
		pub = k
	default:
		return nil, fmt.Errorf("PEM block %q: want CERTIFICATE or PUBLIC KEY", blk.Type)
	}
	rk, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("not an RSA key (JWT bearer is RS256 only)")
	}
	return rk, nil
}

// validateAllowlist checks an External Client App's refresh token IP allowlist: IPs or
// CIDR ranges, at most 128 ranges and 256 single IPs (§15.3).
func validateAllowlist(a *App) error {
	if len(a.RefreshTokenIPAllowlist) == 0 {
		return nil
	}
	if !a.isECA() {
		return errors.New("only External Client Apps have a refresh token IP allowlist")
	}
	ranges, ips := 0, 0
	for _, s := range a.RefreshTokenIPAllowlist {
		if strings.Contains(s, "/") {
			if _, err := netip.ParsePrefix(s); err != nil {
				return fmt.Errorf("%q is not an IP or CIDR range", s)
			}
			ranges++
		} else {
			if _, err := netip.ParseAddr(s); err != nil {
				return fmt.Errorf("%q is not an IP or CIDR range", s)
			}
			ips++
		}
	}
	if ranges > 128 || ips > 256 {
		return errors.New("at most 128 ranges and 256 IPs")
	}
	return nil
}

// allowlisted reports whether the caller's IP may complete the web server or refresh flow
// of an External Client App with a refresh token IP allowlist.
func (a *App) allowlisted(remoteAddr string) bool {
	if len(a.RefreshTokenIPAllowlist) == 0 {
		return true
	}
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, s := range a.RefreshTokenIPAllowlist {
		if p, err := netip.ParsePrefix(s); err == nil && p.Contains(ip) {
			return true
		}
		if x, err := netip.ParseAddr(s); err == nil && x.Unmap() == ip {
			return true
		}
	}
	return false
}
