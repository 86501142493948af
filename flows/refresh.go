package flows

import (
	"context"
	"errors"

	"golang.org/x/oauth2"
)

// refresh runs the refresh token flow (reference §3.4). Salesforce returns a new refresh
// token only when rotation is on; then the old one is dead. Result.RefreshToken is the one to
// keep either way, and Result.RefreshTokenRotated says which happened. Sent by x/oauth2.
func (s *session) refresh(ctx context.Context) (*TokenResponse, error) {
	if s.req.RefreshToken == "" {
		return nil, errors.New("the refresh flow needs a refresh token: pass --refresh-token (or SF_REFRESH_TOKEN) from an earlier run")
	}
	cfg := s.oauth2Config("")
	s.report("requesting", "refreshing the access token")
	tr, err := s.viaOAuth2(ctx, "token", func(ctx context.Context) (*oauth2.Token, error) {
		return cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: s.req.RefreshToken}).Token()
	})
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
