package flows

import (
	"context"
	"slices"
	"strings"
)

// Spec is one flow as every part of the lab sees it: the window's picker and form, the CLI's
// --flow help and checks, the profile schema, guidance and connectedapp's lint all read the
// catalogue (Catalog) instead of keeping their own list. A new flow is one file in flows/
// holding its Spec and its step, and one line in catalog below.
type Spec struct {
	Flow  Flow   // the --flow value, e.g. "username-password"
	Label string // "Username-password flow"
	// Summary is one or two sentences: who the flow is for and what comes back.
	Summary string
	// Needs says in words what the user must supply and enable.
	Needs string
	// Fields are the request fields the flow reads, each required or optional.
	Fields []Need
	// Browser: the authorize step runs in a browser and returns to the callback URL.
	Browser bool
	// Server: meant for integrations, which ask again (Renew) instead of refreshing.
	Server bool
	// IDToken: an id_token comes back when openid is granted.
	IDToken bool
	// Refresh says whether and when the flow can issue a refresh token.
	Refresh RefreshKind
	// Renew is, for a flow that never issues a refresh token, how to get a new access token
	// ("sign a new JWT"); empty when it has no such way.
	Renew string
	// AppSettings are the app (and org) settings the flow depends on, by the setting names
	// of connectedapp (connectedapp.Where tells where an admin changes each).
	AppSettings []string

	step stepFunc // the flow's own part of a run; nil for a Spec made outside this package
}

// stepFunc is a flow's own part of a run: everything between a validated request and the
// token response, which Spec.Run then records and checks.
type stepFunc func(s *session, ctx context.Context) (*TokenResponse, error)

// RefreshKind classifies flows by refresh token issuance (reference §3.11).
type RefreshKind int

const (
	RefreshWithScope       RefreshKind = iota // yes, when refresh_token/offline_access is granted
	RefreshSpecialRedirect                    // only with the scope and a custom-scheme or /services/oauth2/success callback
	RefreshNever                              // never
	RefreshRotationOnly                       // a new one only when the app rotates refresh tokens
	RefreshUnconfirmed                        // reported yes with the scope, not confirmed
)

// Can reports whether the flow may issue a refresh token at all (confirmed kinds only).
func (k RefreshKind) Can() bool {
	return k == RefreshWithScope || k == RefreshSpecialRedirect || k == RefreshRotationOnly
}

// Field names one request field by its CLI flag name; the profile keeps the same fields
// (store.Profile, with underscores: login_url, client_id, ...).
type Field string

const (
	FieldLoginURL         Field = "login-url"
	FieldMyDomainURL      Field = "my-domain-url"
	FieldClientID         Field = "client-id"
	FieldClientSecret     Field = "client-secret" // secret
	FieldCallbackURL      Field = "callback-url"
	FieldScopes           Field = "scopes"
	FieldUsername         Field = "username"
	FieldPassword         Field = "password"       // secret
	FieldSecurityToken    Field = "security-token" // secret
	FieldJWTKey           Field = "jwt-key"        // secret: the PEM private key (profile: jwt_key_file)
	FieldJWTAudience      Field = "jwt-audience"
	FieldRefreshToken     Field = "refresh-token" // secret
	FieldSubjectToken     Field = "subject-token" // secret
	FieldSubjectTokenType Field = "subject-token-type"
	FieldSAMLAssertion    Field = "saml-assertion" // secret
)

// Need is one field a flow reads.
type Need struct {
	Field    Field
	Required bool // the run fails without it; otherwise it is optional
}

func req(f Field) Need { return Need{Field: f, Required: true} }
func opt(f Field) Need { return Need{Field: f} }

// Uses reports whether the flow reads field f, and whether it must be set.
func (sp Spec) Uses(f Field) (used, required bool) {
	for _, n := range sp.Fields {
		if n.Field == f {
			return true, n.Required
		}
	}
	return false, false
}

// DependsOn reports whether the flow depends on the app setting named name.
func (sp Spec) DependsOn(name string) bool { return slices.Contains(sp.AppSettings, name) }

// catalog is every flow in display order: one line per flow.
var catalog = []Spec{
	webServerSpec,
	webServerPKCESpec,
	userAgentSpec,
	usernamePasswordSpec,
	refreshSpec,
	jwtBearerSpec,
	clientCredentialsSpec,
	deviceSpec,
	tokenExchangeSpec,
	samlBearerSpec,
}

// Catalog returns every flow in the order the window and the CLI show them. The slice is a
// copy: a caller (a test adding a fake flow) may append to it or change it freely.
func Catalog() []Spec {
	out := make([]Spec, len(catalog))
	for i, sp := range catalog {
		sp.Fields = slices.Clone(sp.Fields)
		sp.AppSettings = slices.Clone(sp.AppSettings)
		out[i] = sp
	}
	return out
}

// Lookup returns the flow named f from the catalogue.
func Lookup(f Flow) (Spec, bool) { return LookupIn(catalog, f) }

// LookupIn returns the flow named f from cat (a catalogue a caller was given).
func LookupIn(cat []Spec, f Flow) (Spec, bool) {
	for _, sp := range cat {
		if sp.Flow == f {
			return sp, true
		}
	}
	return Spec{}, false
}

// Names returns the flow names of cat joined with ", " (for help texts and error messages).
func Names(cat []Spec) string {
	names := make([]string, len(cat))
	for i, sp := range cat {
		names[i] = string(sp.Flow)
	}
	return strings.Join(names, ", ")
}
