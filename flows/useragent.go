package flows

import (
	"context"
	"net/url"
	"strings"
)

var userAgentSpec = Spec{
	Flow:  UserAgent,
	Label: "User-agent flow (implicit)",
	Summary: "The access token comes back in the browser URL's fragment, with no code exchange. " +
		"Older browser and mobile apps use it; prefer the web server flow with PKCE.",
	Needs:       "Consumer key, a matching callback URL, a browser; the org must allow OAuth user-agent flows.",
	Fields:      []Need{req(FieldLoginURL), req(FieldClientID), req(FieldCallbackURL), opt(FieldScopes)},
	Browser:     true,
	IDToken:     true,
	Refresh:     RefreshSpecialRedirect,
	AppSettings: []string{"callback-url", "scopes", "org-user-agent", "id-token", "refresh-token-policy", "session-timeout"},
	step:        (*session).userAgent,
}

// userAgent runs the user-agent (implicit) flow (reference §3.2). The token comes back in the
// URL fragment, which never reaches a server: the listener serves a page that posts it back.
// Written by hand because x/oauth2 only builds response_type=code URLs.
func (s *session) userAgent(ctx context.Context) (*TokenResponse, error) {
	state := randomString(16)
	cb, finish, err := s.browserLeg(ctx, state, true, func(redirectURI string) string {
		q := url.Values{"response_type": {"token"}, "client_id": {s.req.ClientID},
			"redirect_uri": {redirectURI}, "state": {state}}
		if hasScope(s.req.Scopes, "openid") {
			q.Set("response_type", "token id_token")
		}
		if len(s.req.Scopes) > 0 {
			q.Set("scope", strings.Join(s.req.Scopes, " "))
		}
		if s.o.Prompt != "" {
			q.Set("prompt", s.o.Prompt)
		}
		if s.o.LoginHint != "" {
			q.Set("login_hint", s.o.LoginHint)
		}
		if s.nonce = s.o.Nonce; s.nonce == "" && hasScope(s.req.Scopes, "openid") {
			s.nonce = randomString(12)
		}
		if s.nonce != "" {
			q.Set("nonce", s.nonce)
		}
		sep := "?"
		if strings.Contains(s.ep.Authorize, "?") {
			sep = "&"
		}
		return s.ep.Authorize + sep + q.Encode()
	})
	defer finish()
	if err != nil {
		return nil, err
	}
	raw := make(map[string]any, len(cb.Params))
	for k := range cb.Params {
		if k != "state" {
			raw[k] = cb.Params.Get(k)
		}
	}
	return NewTokenResponse(raw), nil
}
