package flows

import (
	"context"
	"errors"
	"strings"
)

var tokenExchangeSpec = Spec{
	Flow:  TokenExchange,
	Label: "Token exchange flow",
	Summary: "Trades a token from another identity provider for a Salesforce access token; " +
		"an Apex handler validates it and maps the user.",
	Needs: "Token exchange enabled on the app, an Apex token exchange handler, a subject token from another identity provider.",
	Fields: []Need{req(FieldLoginURL), req(FieldClientID), opt(FieldClientSecret), req(FieldSubjectToken),
		opt(FieldSubjectTokenType), opt(FieldScopes)},
	Refresh:     RefreshUnconfirmed,
	AppSettings: []string{"token-exchange", "secret-token-exchange", "scopes", "session-timeout"},
	step:        (*session).tokenExchange,
}

// tokenExchange runs the token exchange flow (reference §3.9, RFC 8693): a subject token from
// another identity provider (or Salesforce) for a Salesforce token, mapped by the app's Apex
// token exchange handler. Written by hand: x/oauth2 has no RFC 8693 grant.
func (s *session) tokenExchange(ctx context.Context) (*TokenResponse, error) {
	if s.req.SubjectToken == "" {
		return nil, errors.New("the token exchange flow needs the subject token: set --subject-token (or SF_SUBJECT_TOKEN)")
	}
	typ := s.req.SubjectTokenType
	if typ == "" {
		typ = "urn:ietf:params:oauth:token-type:access_token"
	} else if !strings.HasPrefix(typ, "urn:") {
		typ = "urn:ietf:params:oauth:token-type:" + typ
	}
	form := newForm("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
		"subject_token", s.req.SubjectToken, "subject_token_type", typ)
	if len(s.req.Scopes) > 0 {
		form = form.add("scope", strings.Join(s.req.Scopes, " "))
	}
	s.report("requesting", "exchanging the subject token")
	return s.postToken(ctx, "token", form, true)
}
