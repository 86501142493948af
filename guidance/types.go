// Package guidance turns what a Salesforce OAuth flow returned into plain answers: how long
// the access token lasts (Salesforce sends no expires_in), whether there is a refresh token
// and why not, what the granted scopes mean, what an error means and which setting to
// change, and which platform changes apply.
//
// Everything here is a pure function of its inputs: no network, no files, no clock. The
// caller passes "now". The facts come from shared/reference/salesforce-oauth.md; where the
// reference marks a fact unconfirmed, the text says so.
package guidance

import (
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Source says where a lifetime figure comes from.
type Source string

const (
	SourceApp           Source = "app"           // the Connected App / External Client App session policy
	SourceProfile       Source = "profile"       // the user's profile session timeout
	SourceOrg           Source = "org"           // the org's Session Settings
	SourceIntrospection Source = "introspection" // the introspection endpoint's answer
	SourceDefault       Source = "default"       // unknown: Salesforce's usual 2 hours, assumed
	SourceToken         Source = "token"         // a claim inside a JWT (JWT-based access token, ID token)
	SourceResponse      Source = "response"      // a field of the token response (issued_at)
	SourceNow           Source = "now"           // the time of the report, used when nothing better is known
)

// DefaultIdleTimeout is the session timeout assumed when neither the app, the profile nor the
// org timeout is known: Salesforce's default Session Settings value. An org may differ.
const DefaultIdleTimeout = 2 * time.Hour

// RefreshPolicy is a refresh token policy in the Connected App metadata form
// (oauthPolicy/refreshTokenPolicy).
type RefreshPolicy struct {
	Kind string // "infinite", "zero", "specific_lifetime", "specific_inactivity", "" (unknown)
	N    int    // for the specific_* kinds
	Unit string // HOURS, DAYS or MONTHS, for the specific_* kinds
}

// Refresh policy kinds.
const (
	PolicyInfinite           = "infinite"
	PolicyZero               = "zero"
	PolicySpecificLifetime   = "specific_lifetime"
	PolicySpecificInactivity = "specific_inactivity"
)

// App kinds.
const (
	AppConnected      = "ConnectedApp"
	AppExternalClient = "ExternalClientApp"
)

// Settings is what the user knows of the app, profile and org. Every field is optional; the
// zero value means unknown.
type Settings struct {
	AppKind   string   // "ConnectedApp" | "ExternalClientApp" | ""
	AppScopes []string // scopes selected on the app (OAuth strings or metadata names); nil = unknown

	AppSessionTimeoutMinutes     int // app session policy Timeout Value
	ProfileSessionTimeoutMinutes int // the user's profile session timeout
	OrgSessionTimeoutMinutes     int // Setup → Session Settings → Timeout Value

	RefreshTokenPolicy      RefreshPolicy
	RefreshTokenRotation    *bool
	PKCERequired            *bool
	IDTokenValidityMinutes  int
	UsernamePasswordBlocked *bool
	AppInstalled            *bool
	CallbackURL             string
	JWTAccessTokens         *bool // "Issue JWT-based access tokens"
}

// Input is everything Explain looks at.
type Input struct {
	Flow            flows.Flow
	Settings        Settings
	Result          *flows.Result        // nil when nothing was run yet
	Introspection   *flows.Introspection // nil when the token was not introspected
	Now             time.Time            // the time of the report; zero = unknown
	RequestedScopes []string             // overrides Result.RequestedScopes when set
	// Revoked is when this client revoked the access token (or the refresh token that issued
	// it), nil when it did not; RevokedRefreshToken says the refresh token was revoked too.
	Revoked             *time.Time
	RevokedRefreshToken bool
}

// Severity ranks advice.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// LifetimeRow is one row of the lifetimes table.
type LifetimeRow struct {
	ID        string // stable key, the label in lower case with dashes ("idle-timeout")
	Label     string
	Value     string
	Source    string // where the value comes from, in words
	Note      string
	At        *time.Time // the instant the row is about, when it has one
	Estimated bool       // true when the value is an estimate, not a reading
	Doc       DocRef     // where the Salesforce fact behind the row is documented
}

// Shown is the row's value as a person reads it: an estimate says so once, whether the
// value already says it ("2 hours (assumed)", "…, estimated") or not.
func (r LifetimeRow) Shown() string {
	if !r.Estimated || strings.Contains(r.Value, "assumed") || strings.Contains(r.Value, "estimated") {
		return r.Value
	}
	return r.Value + " (estimated)"
}

// Advice is one thing to know or to change.
type Advice struct {
	Severity      Severity
	Title         string
	Reason        string
	Fix           string
	SetupPath     string // where to change it in Setup
	MetadataField string // the Metadata API field that holds it
	Source        DocRef // where the Salesforce fact it rests on is documented; zero when none
}

// ScopeDiagnosis compares requested, allowed and granted scopes.
type ScopeDiagnosis struct {
	Requested []string // what the client asked for; empty = no scope parameter (all app scopes)
	Allowed   []string // selected on the app, when known
	Granted   []string // the response's scope field, or introspection's scope (see Notes)

	AllowedKnown       bool
	GrantedReported    bool // the token response carried a scope field
	RefreshTokenIssued bool
	RefreshTokenWhyNot string // empty when a refresh token was issued
	Notes              []string
}

// ErrorExplanation says what an OAuth or REST error means and what to change.
type ErrorExplanation struct {
	Code, Description string // as Salesforce sent them, verbatim
	Rule              string // the catalogue entry that matched ("" = none: the generic explanation)
	Meaning           string // what the error means, in one sentence
	// Note is set when the description is not one the catalogue knows: the explanation is
	// then the code's general one, and the description is shown as it came.
	Note   string
	Causes []string // likely causes, most likely first
	Fixes  []Advice
	Source DocRef // where Salesforce documents (or where others observed) this error
}

// PlatformNote is one dated Salesforce platform change that applies to the run.
type PlatformNote struct {
	ID                    string // the PlatformChange ID
	When, Change, Applies string
	Short                 string // the change in one sentence, without its detail (Change begins with it)
	Past                  bool   // the change has taken effect at the report's time
	Source                DocRef
}

// Report is the whole answer for one flow run.
type Report struct {
	Flow flows.Flow
	// Answer is the three lines that answer the founding question for this run (Lifetime,
	// Refresh token, Do this next); every renderer shows these same lines first.
	Answer Answer
	// KeyFacts picks, in order, the facts that matter for this flow, for the short output:
	// "lifetimes/<row ID>" or "platform/<note ID>". The rest is detail.
	KeyFacts []string
	// Headline is a one-paragraph direct answer: is it long lived, is there a refresh token,
	// what to do. It predates Answer, and the window still shows it.
	Headline  string
	Lifetimes []LifetimeRow
	Advice    []Advice
	Scopes    ScopeDiagnosis
	Error     *ErrorExplanation
	Platform  []PlatformNote

	IdleTimeout       time.Duration
	IdleTimeoutSource Source
	ExpiresIfIdleAt   *time.Time
	ExpiryEstimated   bool
}
