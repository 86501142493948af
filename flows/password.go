package flows

import (
	"context"
	"errors"

	"golang.org/x/oauth2"
)

// password runs the username-password flow (reference §3.3): password and security token
// concatenated, consumer secret required. Sent by x/oauth2.
func (s *session) password(ctx context.Context) (*TokenResponse, error) {
	if s.req.ClientSecret == "" {
		return nil, errors.New("the username-password flow needs the consumer secret: set --client-secret (or SF_CLIENT_SECRET)")
	}
	if s.req.Username == "" || s.req.Password == "" {
		return nil, errors.New("the username-password flow needs --username and a password (--password, SF_PASSWORD or --password-stdin)")
	}
	cfg := s.oauth2Config("")
	s.report("requesting", "requesting a token for "+s.req.Username)
	return s.viaOAuth2(ctx, "token", func(ctx context.Context) (*oauth2.Token, error) {
		return cfg.PasswordCredentialsToken(ctx, s.req.Username, s.req.Password+s.req.SecurityToken)
	})
}
