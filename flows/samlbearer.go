package flows

import (
	"context"
	"errors"
	"strings"
)

var samlBearerSpec = Spec{
	Flow:        SAMLBearer,
	Label:       "SAML bearer assertion flow",
	Summary:     "Trades a SAML assertion for an access token, with no browser. To \"refresh\", send a new assertion.",
	Needs:       "Consumer key, a signed SAML 2.0 assertion from an identity provider the org trusts, a pre-authorized user.",
	Fields:      []Need{req(FieldLoginURL), opt(FieldClientID), req(FieldSAMLAssertion)},
	Server:      true,
	Refresh:     RefreshNever,
	Renew:       "send a new assertion",
	AppSettings: []string{"permitted-users", "scopes", "session-timeout"},
	step:        (*session).samlBearer,
}

// samlBearer runs the SAML 2.0 bearer assertion flow (reference §3.8): a signed SAML
// assertion (base64url) for a token, no client secret, no refresh token. Written by hand:
// x/oauth2 has no SAML grant.
func (s *session) samlBearer(ctx context.Context) (*TokenResponse, error) {
	a := strings.TrimSpace(s.req.SAMLAssertion)
	if a == "" {
		return nil, errors.New("the SAML bearer flow needs a SAML assertion: pass --saml-assertion FILE (base64url of the signed assertion)")
	}
	s.red.addSecret(a)
	form := newForm("grant_type", "urn:ietf:params:oauth:grant-type:saml2-bearer", "assertion", a)
	if s.req.ClientID != "" {
		form = form.add("client_id", s.req.ClientID)
	}
	s.report("requesting", "requesting a token with a SAML assertion")
	return s.postToken(ctx, "token", form, false)
}
