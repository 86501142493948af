// Package flows is the OAuth 2.0 / OpenID Connect client of Connected App Lab: every
// Salesforce flow, the loopback callback listener and the redacted transcript. It has no
// Fyne import, so the GUI, the headless CLI and the tests all drive it the same way.
package flows

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Flow names one OAuth flow. The names are the CLI's --flow values; Catalog describes each.
type Flow string

const (
	WebServer         Flow = "web-server"
	WebServerPKCE     Flow = "web-server-pkce"
	UserAgent         Flow = "user-agent"
	UsernamePassword  Flow = "username-password"
	Refresh           Flow = "refresh"
	JWTBearer         Flow = "jwt-bearer"
	ClientCredentials Flow = "client-credentials"
	Device            Flow = "device"
	TokenExchange     Flow = "token-exchange"
	SAMLBearer        Flow = "saml-bearer"
)

// Request is everything one flow run needs. Fields a flow does not use are ignored.
type Request struct {
	Flow Flow

	// LoginURL is the login host (https://login.salesforce.com, https://test.salesforce.com,
	// a My Domain URL, or the emulator's base URL). Client credentials need a My Domain URL.
	LoginURL string
	// MyDomainURL, when known, is the org's My Domain URL (used for client credentials and as
	// an extra JWT audience candidate).
	MyDomainURL string

	ClientID     string
	ClientSecret string // secret
	CallbackURL  string // loopback redirect URI for browser flows
	Scopes       []string

	Username      string
	Password      string // secret
	SecurityToken string // secret

	JWTPrivateKeyPEM []byte // secret: PEM RSA private key for JWT bearer
	JWTAudience      string // optional override of the JWT aud claim

	RefreshToken string // secret: for the refresh flow

	SubjectToken     string // secret: token exchange subject token
	SubjectTokenType string // token exchange subject_token_type URN
	SAMLAssertion    string // secret: base64url SAML assertion for the SAML bearer flow

	// Endpoints override the Salesforce endpoint paths under LoginURL (for other OAuth servers,
	// or from Discover). Zero fields use Salesforce's paths.
	Endpoints Endpoints

	// Options tune a run; the zero value is sensible.
	Options Options
}

// Options tune networking and the browser part of a run.
type Options struct {
	UsePKCE        bool          // send code_challenge (web-server-pkce sets it implicitly)
	Prompt         string        // authorize prompt, e.g. "login consent"
	LoginHint      string        // authorize login_hint
	Nonce          string        // OIDC nonce (generated when empty and openid is requested)
	ListenTimeout  time.Duration // how long the loopback listener waits (default 2 minutes)
	RequestTimeout time.Duration // per HTTP request (default 30 seconds)
	ProxyURL       string        // per-request proxy, overrides HTTP(S)_PROXY
	CABundlePEM    []byte        // extra CA certificates
	NoBrowser      bool          // do not open a browser; report the authorize URL through progress

	// OpenBrowser opens the authorize URL; nil means the system browser (github.com/pkg/browser).
	// Tests inject a scripted or headless browser here.
	OpenBrowser func(ctx context.Context, authorizeURL string) error
	// ClientAuthBasic sends client_id and client_secret as HTTP Basic instead of in the form
	// body (Salesforce accepts both; some other servers require Basic).
	ClientAuthBasic bool
	// MaxResponseBytes caps every response body (default 1 MiB).
	MaxResponseBytes int64
	// PollInterval overrides the device flow's server-given interval (tests); slow_down still adds 5 s.
	PollInterval time.Duration
	// DeviceTimeout bounds the device flow's polling (default 10 minutes).
	DeviceTimeout time.Duration
	// Now is the clock for ID token checks and the iat/exp of JWT bearer assertions (default
	// time.Now); the demo window sets it to the emulated org's clock.
	Now func() time.Time
	// Transport replaces the network transport (tests, benchmarks); proxy and CA options are then ignored.
	Transport http.RoundTripper
}

// Endpoints are the OAuth server's URLs. SalesforceEndpoints fills them for a login host.
type Endpoints struct {
	Issuer     string `json:"issuer,omitempty"`
	Authorize  string `json:"authorization_endpoint,omitempty"`
	Token      string `json:"token_endpoint,omitempty"`
	Revoke     string `json:"revocation_endpoint,omitempty"`
	Introspect string `json:"introspection_endpoint,omitempty"`
	UserInfo   string `json:"userinfo_endpoint,omitempty"`
	JWKS       string `json:"jwks_uri,omitempty"`
}

// Progress is one step a running flow reports ("listening on ...", "waiting for browser", ...).
type Progress struct {
	Step    string // short machine-friendly step name: listening, browser, user-code, polling, exchanging, done; StepBrowserNotOpened
	Message string // one human sentence
	// Set for the device flow's user-code step.
	UserCode        string
	VerificationURL string
	// Set when the flow has an authorize URL a user may copy into a browser elsewhere.
	AuthorizeURL string
	Time         time.Time
}

// TokenResponse is the token endpoint's answer exactly as sent: Raw returns every field,
// including ones this version does not know, and the named fields are parsed from it.
type TokenResponse struct {
	raw map[string]any // every field as sent; Raw returns it

	AccessToken    string `json:"access_token,omitempty"`
	RefreshToken   string `json:"refresh_token,omitempty"`
	InstanceURL    string `json:"instance_url,omitempty"`
	APIInstanceURL string `json:"api_instance_url,omitempty"`
	ID             string `json:"id,omitempty"`
	TokenType      string `json:"token_type,omitempty"`
	IssuedAt       string `json:"issued_at,omitempty"` // milliseconds since epoch, as a string
	Signature      string `json:"signature,omitempty"`
	Scope          string `json:"scope,omitempty"`
	IDToken        string `json:"id_token,omitempty"`
	ExpiresIn      *int64 `json:"expires_in,omitempty"` // Salesforce never sends it; kept for other servers
}

// Check is one verification the client made on what came back.
type Check struct {
	Name   string // state, pkce, signature, id_token_signature, id_token_claims, ...
	OK     bool
	Detail string
}

// Exchange is one HTTP request and its response, secrets redacted.
type Exchange struct {
	Step           string
	Method         string
	URL            string
	RequestHeader  map[string][]string
	RequestBody    string
	Status         int
	ResponseHeader map[string][]string
	ResponseBody   string
	Duration       time.Duration
	Curl           string // runnable curl command with placeholders for the secrets
	Error          string // set when the exchange failed without a usable answer
	Note           string // e.g. "performed by the browser" for the authorize and callback legs
}

// Result is what a flow run returns.
type Result struct {
	Flow            Flow
	Token           *TokenResponse // nil when the flow failed before a token came back
	GrantedScopes   []string       // from the response's scope field (may be empty: username-password sends none)
	RequestedScopes []string
	Checks          []Check
	Transcript      *Transcript // redacted when first read; nil before anything was sent
	Started         time.Time
	Duration        time.Duration
	// Err is set when the flow failed; OAuthError describes a protocol-level error.
	Err        error
	OAuthError *OAuthError

	// RefreshTokenIssued is true when this response carried a refresh_token.
	RefreshTokenIssued bool
	// RefreshToken is the refresh token to keep: the new one when one came back, otherwise
	// (refresh flow) the one the request used.
	RefreshToken string
	// RefreshTokenRotated is true when a refresh returned a different refresh token.
	RefreshTokenRotated bool
	// AuthorizeURL is the URL the browser was sent to (browser flows).
	AuthorizeURL string
	// RedirectURI is the callback URL the listener served (browser flows).
	RedirectURI string
	// Timings are the main steps' durations (waiting for the browser or the user, token request).
	Timings []Timing
	// Warnings are things that went wrong without ending the run, one line each: e.g. a
	// callback with a wrong state that the listener refused while waiting for the right one.
	Warnings []string
}

// Timing is the duration of one step of a run.
type Timing struct {
	Step     string
	Duration time.Duration
}

// OAuthError is an error returned by the server in OAuth form, or a REST error.
type OAuthError struct {
	Code        string // error, or REST errorCode (INVALID_SESSION_ID)
	Description string // error_description, or REST message
	Status      int
	Where       string // token, authorize, revoke, introspect, rest, ...
}

// Error is one line: the server's code and description with any line breaks in them
// turned into spaces.
func (e *OAuthError) Error() string {
	if e.Description == "" {
		return oneLine(e.Code)
	}
	return oneLine(e.Code) + ": " + oneLine(e.Description)
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// Introspection is the introspection endpoint's answer.
type Introspection struct {
	Raw       map[string]any
	Active    bool
	Scope     string
	ClientID  string
	Username  string
	Sub       string
	TokenType string
	Exp       int64 // seconds since epoch; 0 when absent
	Iat       int64
	Nbf       int64
}
