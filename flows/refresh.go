package flows

import (
	"context"
	"errors"
)

var refreshSpec = Spec{
	Flow:  Refresh,
	Label: "Refresh token flow",
	Summary: "Trades a refresh token for a new access token (a new session) without the user. " +
		"The refresh token stays the same unless rotation is on.",
	Needs:       "A refresh token from an earlier run, the consumer key, and the secret when \"Require Secret for Refresh Token Flow\" is on.",
	Fields:      []Need{req(FieldLoginURL), req(FieldClientID), opt(FieldClientSecret), req(FieldRefreshToken)},
	IDToken:     true,
	Refresh:     RefreshRotationOnly,
	AppSettings: []string{"scopes", "secret-refresh", "refresh-token-policy", "id-token", "session-timeout"},
	step:        (*session).refresh,
}

// refresh runs the refresh token flow (reference §3.4). Salesforce returns a new refresh
// token only when rotation is on; then the old one is dead. Result.RefreshToken is the one to
// keep either way, and Result.RefreshTokenRotated says which happened. The form is the one
// x/oauth2 sends for a refresh (see oauth2Config for why we send it ourselves).
func (s *session) refresh(ctx context.Context) (*TokenResponse, error) {
	if s.req.RefreshToken == "" {
		return nil, errors.New("the refresh flow needs a refresh token: pass --refresh-token (or SF_REFRESH_TOKEN) from an earlier run")
	}
	s.usedRefreshToken = s.req.RefreshToken
	s.report("requesting", "refreshing the access token")
	tr, err := s.postToken(ctx, "token", newForm("grant_type", "refresh_token", "refresh_token", s.req.RefreshToken), true)
	if err != nil {
		return nil, err
	}
	switch {
	case tr.RefreshToken == "":
		s.report("refresh", "no refresh token came back: keep using the current one (rotation is off)")
	case tr.RefreshToken != s.req.RefreshToken:
		s.report("refresh", "a new refresh token came back (rotation): the old one no longer works")
	}
	return tr, nil
}
