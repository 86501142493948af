package flows

import (
	"context"
	"errors"
	"strings"
)

var usernamePasswordSpec = Spec{
	Flow:  UsernamePassword,
	Label: "Username-password flow",
	Summary: "The app sends the user's password straight to the token endpoint. " +
		"Returns an access token only: no refresh token, no scope field.",
	Needs: "Consumer key and secret, the username, and the password followed by the user's security token; the org must allow the flow.",
	Fields: []Need{req(FieldLoginURL), req(FieldClientID), req(FieldClientSecret), req(FieldUsername), req(FieldPassword),
		opt(FieldSecurityToken), opt(FieldScopes)},
	Refresh:     RefreshNever,
	AppSettings: []string{"scopes", "org-username-password", "session-timeout"},
	step:        (*session).password,
}

// password runs the username-password flow (reference §3.3): password and security token
// concatenated, consumer secret required. The form is the one x/oauth2's
// PasswordCredentialsToken sends (see oauth2Config for why we send it ourselves).
func (s *session) password(ctx context.Context) (*TokenResponse, error) {
	if s.req.ClientSecret == "" {
		return nil, errors.New("the username-password flow needs the consumer secret: set --client-secret (or SF_CLIENT_SECRET)")
	}
	if s.req.Username == "" || s.req.Password == "" {
		return nil, errors.New("the username-password flow needs --username and a password (--password, SF_PASSWORD or --password-stdin)")
	}
	form := newForm("grant_type", "password", "username", s.req.Username).add("password", s.req.Password, s.req.SecurityToken)
	if len(s.req.Scopes) > 0 {
		form = form.add("scope", strings.Join(s.req.Scopes, " "))
	}
	s.report("requesting", "requesting a token for ", s.req.Username)
	return s.postToken(ctx, "token", form, true)
}
