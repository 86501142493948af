// Package store keeps Connected App Lab's profiles: one per org and app an admin tests.
// Profiles live as JSON in the user's config directory, written atomically with mode 0600
// under a lock file, and hold no secret at all. Secrets (client secret, password, security
// token, key passphrase, a keychain-held JWT private key and, only when the user opts in per
// profile, the last refresh token) live in the OS keychain through github.com/zalando/go-keyring,
// or, when the user explicitly chooses it, in memory for one run.
//
// store imports no other package of this module but internal/userfile (the capped reader).
package store

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/connectedapplab/connectedapplab/internal/loopback"
)

// Profile is one org + app combination. It has no secret fields: secrets travel in Secrets.
type Profile struct {
	// ID is stable and random ("p_" + 16 hex digits); the keychain accounts of the profile's
	// secrets are derived from it, so renaming a profile keeps its secrets.
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`

	// LoginURL is the login host: https://login.salesforce.com (production),
	// https://test.salesforce.com (sandbox), a My Domain URL, or a custom URL such as the
	// emulator's (http is accepted for loopback hosts only).
	LoginURL string `json:"login_url"`
	// MyDomainURL is the org's My Domain URL when known (client credentials need it).
	MyDomainURL string `json:"my_domain_url,omitempty"`

	AppKind     AppKind  `json:"app_kind,omitempty"`
	ClientID    string   `json:"client_id,omitempty"`
	CallbackURL string   `json:"callback_url,omitempty"`
	Flow        string   `json:"flow,omitempty"` // a flow name (flows.Catalog), or empty when not chosen yet
	Scopes      []string `json:"scopes,omitempty"`
	Username    string   `json:"username,omitempty"`

	// JWTKeyFile is the path of a PEM private key for the JWT bearer flow. When JWTKeyInKeychain
	// is set, the key itself is held in the keychain (secret kind private_key) instead.
	JWTKeyFile       string `json:"jwt_key_file,omitempty"`
	JWTKeyInKeychain bool   `json:"jwt_key_in_keychain,omitempty"`
	// JWTAudience overrides the JWT bearer assertion's aud: for an Experience Cloud site, the
	// site's URL with its path (flows.Request.JWTAudience). Empty: the flow's default audiences.
	JWTAudience string `json:"jwt_audience,omitempty"`

	// RememberRefreshToken is the user's per-profile opt-in to keep the last refresh token in
	// the keychain. Without it, refresh tokens are never stored.
	RememberRefreshToken bool `json:"remember_refresh_token,omitempty"`
	// RefreshTokenObtainedAt is when the refresh token now in the keychain was obtained (not
	// a secret); zero when unknown: none stored, or stored by hand (SetSecret). The store
	// keeps it: RememberRefreshToken sets it when a new token comes back from a flow, every
	// other change of the stored token clears it, and Add, Update and import keep the file's
	// value whatever the caller passes.
	RefreshTokenObtainedAt time.Time `json:"refresh_token_obtained_at,omitzero"`

	// App is what the admin knows of the app's settings; guidance uses it.
	App AppSettings `json:"app_settings,omitzero"`

	Notes   string    `json:"notes,omitempty"`
	Created time.Time `json:"created,omitzero"`
	Updated time.Time `json:"updated,omitzero"`
}

// AppKind says which kind of Salesforce app the client ID belongs to.
type AppKind string

const (
	ConnectedApp      AppKind = "connected-app"
	ExternalClientApp AppKind = "external-client-app"
)

// AppKinds lists the valid app kinds.
var AppKinds = []AppKind{ConnectedApp, ExternalClientApp}

// AppSettings is what the admin knows of the app's OAuth settings. Every field is optional:
// nil or empty means "not known", which guidance treats differently from a known value.
type AppSettings struct {
	// SessionTimeoutMinutes is the app's session policy Timeout Value; 0 means the app sets
	// none (the user's profile or the org's Session Settings apply).
	SessionTimeoutMinutes *int `json:"session_timeout_minutes,omitempty"`
	// RefreshTokenPolicy uses the Connected App metadata values.
	RefreshTokenPolicy RefreshTokenPolicy `json:"refresh_token_policy,omitempty"`
	// RefreshTokenValidity and its unit go with specific_lifetime and specific_inactivity.
	RefreshTokenValidity     int    `json:"refresh_token_validity,omitempty"`
	RefreshTokenValidityUnit string `json:"refresh_token_validity_unit,omitempty"` // hours, days, months
	PKCERequired             *bool  `json:"pkce_required,omitempty"`

	// Settings is the app's whole configuration as the window's App settings tab edits it (or
	// read it from the org): a JSON object in connectedapp's settings form (the JSON of
	// connectedapp.Settings, which `connectedapplab app lint --settings FILE` reads too). store
	// keeps it as it is and only checks that it is a JSON object of at most MaxAppSettingsBytes.
	// It holds no secret: the consumer key and the certificate are public.
	Settings json.RawMessage `json:"settings,omitempty"`
}

// MaxAppSettingsBytes caps AppSettings.Settings.
const MaxAppSettingsBytes = 256 << 10

// RefreshTokenPolicy is the app's refresh token policy (Connected App metadata refreshTokenPolicy).
type RefreshTokenPolicy string

const (
	RefreshUntilRevoked      RefreshTokenPolicy = "infinite"            // valid until revoked (default)
	RefreshImmediatelyExpire RefreshTokenPolicy = "zero"                // immediately expire
	RefreshExpireAfter       RefreshTokenPolicy = "specific_lifetime"   // expire after N units
	RefreshExpireIfUnused    RefreshTokenPolicy = "specific_inactivity" // expire if not used for N units
)

// RefreshTokenPolicies lists the valid policies.
var RefreshTokenPolicies = []RefreshTokenPolicy{RefreshUntilRevoked, RefreshImmediatelyExpire, RefreshExpireAfter, RefreshExpireIfUnused}

// MaxNameLen is the longest profile name, in characters.
const MaxNameLen = 64

// ErrInvalidProfile is wrapped by every validation error.
var ErrInvalidProfile = errors.New("invalid profile")

type invalidError struct{ msg string }

func (e *invalidError) Error() string        { return e.msg }
func (e *invalidError) Is(target error) bool { return target == ErrInvalidProfile }

func invalidf(format string, a ...any) error { return &invalidError{fmt.Sprintf(format, a...)} }

// ValidateName checks a profile name: 1 to 64 characters, valid UTF-8, no control characters,
// no leading or trailing space. The error says what to change.
func ValidateName(name string) error {
	switch {
	case name == "":
		return invalidf("profile name is empty; give it a name such as \"prod-admin\"")
	case !utf8.ValidString(name):
		return invalidf("profile name %q is not valid UTF-8; use plain text", name)
	case utf8.RuneCountInString(name) > MaxNameLen:
		return invalidf("profile name %q is %d characters long; shorten it to at most %d", name, utf8.RuneCountInString(name), MaxNameLen)
	case strings.TrimSpace(name) != name:
		return invalidf("profile name %q starts or ends with a space; remove it", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return invalidf("profile name %q contains a control character (%U); use printable characters only", name, r)
		}
	}
	return nil
}

// Validate checks every field of a profile except uniqueness (which the Store checks).
func (p *Profile) Validate() error {
	if err := ValidateName(p.Name); err != nil {
		return err
	}
	if err := checkURL(p.Name, "login URL", p.LoginURL, true); err != nil {
		return err
	}
	if err := checkURL(p.Name, "My Domain URL", p.MyDomainURL, false); err != nil {
		return err
	}
	if p.CallbackURL != "" {
		u, err := url.Parse(p.CallbackURL)
		if err != nil || u.Scheme == "" || u.Host == "" || !strings.Contains(p.CallbackURL, "://") {
			return invalidf("profile %q: callback URL %q is not a URL; use the app's callback URL exactly, such as http://localhost:1717/OauthRedirect", p.Name, p.CallbackURL)
		}
	}
	if p.AppKind != "" && !contains(AppKinds, p.AppKind) {
		return invalidf("profile %q: app kind %q is unknown; use %s", p.Name, p.AppKind, joinQ(AppKinds))
	}
	if p.Flow != "" && !validFlowName(p.Flow) {
		return invalidf("profile %q: flow %q is not a flow name; use one such as web-server-pkce (lower-case words joined by hyphens)", p.Name, p.Flow)
	}
	if strings.ContainsFunc(p.ClientID, isSpaceOrControl) {
		return invalidf("profile %q: client ID contains spaces or control characters; paste the Consumer Key exactly", p.Name)
	}
	if strings.ContainsFunc(p.Username, isSpaceOrControl) {
		return invalidf("profile %q: username %q contains spaces or control characters; use the Salesforce username (an email-like login)", p.Name, p.Username)
	}
	for _, s := range p.Scopes {
		if s == "" || strings.ContainsFunc(s, isSpaceOrControl) {
			return invalidf("profile %q: scope %q is not one scope; list scopes separately, such as \"api refresh_token\"", p.Name, s)
		}
	}
	if strings.ContainsFunc(p.JWTKeyFile, unicode.IsControl) {
		return invalidf("profile %q: JWT key file path contains control characters; give a plain file path", p.Name)
	}
	if strings.ContainsFunc(p.Notes, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) || !utf8.ValidString(p.Notes) {
		return invalidf("profile %q: notes contain control characters; use plain text", p.Name)
	}
	a := p.App
	if a.SessionTimeoutMinutes != nil && (*a.SessionTimeoutMinutes < 0 || *a.SessionTimeoutMinutes > 24*60) {
		return invalidf("profile %q: session timeout %d minutes is out of range; use 0 (none set on the app) up to 1440", p.Name, *a.SessionTimeoutMinutes)
	}
	if a.RefreshTokenPolicy != "" && !contains(RefreshTokenPolicies, a.RefreshTokenPolicy) {
		return invalidf("profile %q: refresh token policy %q is unknown; use %s", p.Name, a.RefreshTokenPolicy, joinQ(RefreshTokenPolicies))
	}
	if a.RefreshTokenValidity < 0 {
		return invalidf("profile %q: refresh token validity %d is negative; use a positive number", p.Name, a.RefreshTokenValidity)
	}
	switch a.RefreshTokenValidityUnit {
	case "", "hours", "days", "months":
	default:
		return invalidf("profile %q: refresh token validity unit %q is unknown; use hours, days or months", p.Name, a.RefreshTokenValidityUnit)
	}
	if len(a.Settings) > 0 {
		if len(a.Settings) > MaxAppSettingsBytes {
			return invalidf("profile %q: the app settings are %d bytes; at most %d fit in a profile, remove what is not the app's OAuth settings", p.Name, len(a.Settings), MaxAppSettingsBytes)
		}
		if t := bytes.TrimSpace(a.Settings); len(t) == 0 || t[0] != '{' || !json.Valid(t) {
			return invalidf("profile %q: the app settings are not a JSON object; save them again from the App settings tab, or remove app_settings.settings", p.Name)
		}
	}
	return nil
}

func checkURL(name, what, raw string, required bool) error {
	if raw == "" {
		if required {
			return invalidf("profile %q: %s is empty; use https://login.salesforce.com, https://test.salesforce.com, your My Domain URL, or the emulator's URL", name, what)
		}
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return invalidf("profile %q: %s %q is not a URL; use a form such as https://login.salesforce.com", name, what, raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return invalidf("profile %q: %s %q uses http; use https (http is for loopback hosts such as the emulator only)", name, what, raw)
		}
	default:
		return invalidf("profile %q: %s %q must start with https://", name, what, raw)
	}
	return nil
}

// isLoopbackHost is the repository's one loopback rule (internal/loopback).
var isLoopbackHost = loopback.IsLoopbackHost

func isSpaceOrControl(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func joinQ[T ~string](list []T) string {
	q := make([]string, len(list))
	for i, v := range list {
		q[i] = string(v)
	}
	return strings.Join(q, ", ")
}

// validFlowName reports whether name has the form of a flow name: lower-case words of letters
// and digits joined by single hyphens, at most 64 characters. Which names exist is the flow
// catalogue's to say (store imports no other package of this module): see Store.WithFlows.
func validFlowName(name string) bool {
	if name == "" || len(name) > 64 || name[0] == '-' || name[len(name)-1] == '-' || strings.Contains(name, "--") {
		return false
	}
	for _, r := range name {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// checkFlow refuses a profile whose flow is not one of known (nil known: any flow name).
func checkFlow(p *Profile, known []string) error {
	if p.Flow == "" || known == nil || contains(known, p.Flow) {
		return nil
	}
	return invalidf("profile %q: flow %q is unknown; use one of %s", p.Name, p.Flow, strings.Join(known, ", "))
}

// LoginHostKind classifies a profile's login URL: "production", "sandbox", "my-domain" or "custom".
func (p *Profile) LoginHostKind() string {
	u, err := url.Parse(p.LoginURL)
	if err != nil {
		return "custom"
	}
	h := strings.ToLower(u.Hostname())
	switch {
	case h == "login.salesforce.com":
		return "production"
	case h == "test.salesforce.com":
		return "sandbox"
	case strings.HasSuffix(h, ".my.salesforce.com"):
		return "my-domain"
	}
	return "custom"
}

// newID returns a fresh random profile ID.
func newID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("store: crypto/rand failed: " + err.Error()) // never happens on supported platforms
	}
	return "p_" + hex.EncodeToString(b[:])
}

func validID(id string) bool {
	if len(id) < 3 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// clone returns a deep copy, so callers never share slices or pointers with the store.
func (p Profile) clone() Profile {
	p.Scopes = append([]string(nil), p.Scopes...)
	if p.App.SessionTimeoutMinutes != nil {
		v := *p.App.SessionTimeoutMinutes
		p.App.SessionTimeoutMinutes = &v
	}
	if p.App.PKCERequired != nil {
		v := *p.App.PKCERequired
		p.App.PKCERequired = &v
	}
	p.App.Settings = bytes.Clone(p.App.Settings)
	if len(p.Scopes) == 0 {
		p.Scopes = nil
	}
	return p
}

// PolicyText is the refresh token policy in the one-string form guidance and connectedapp
// read ("zero", "specific_lifetime:3:DAYS"); "" when unknown. A period without a unit is left
// out.
func (a AppSettings) PolicyText() string {
	pol := string(a.RefreshTokenPolicy)
	if pol != "" && a.RefreshTokenValidity > 0 && a.RefreshTokenValidityUnit != "" {
		pol += ":" + strconv.Itoa(a.RefreshTokenValidity) + ":" + strings.ToUpper(a.RefreshTokenValidityUnit)
	}
	return pol
}

// SetPolicyText sets the refresh token policy from PolicyText's form: the policy's name and,
// after it, the period and its unit when there are (stored in lower case). A policy without a
// period has none.
func (a *AppSettings) SetPolicyText(s string) {
	kind, rest, _ := strings.Cut(s, ":")
	a.RefreshTokenPolicy = RefreshTokenPolicy(kind)
	a.RefreshTokenValidity, a.RefreshTokenValidityUnit = 0, ""
	if n, unit, ok := strings.Cut(rest, ":"); ok {
		a.RefreshTokenValidity, _ = strconv.Atoi(n)
		a.RefreshTokenValidityUnit = strings.ToLower(unit)
	}
}
