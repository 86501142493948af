package flows

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

var clientCredentialsSpec = Spec{
	Flow:  ClientCredentials,
	Label: "Client credentials flow",
	Summary: "A server gets an access token for the app's Run As user with only the app's key and secret. " +
		"To \"refresh\", ask again the same way.",
	Needs:       "Consumer key and secret, the flow enabled on the app with a Run As user (API Only), the org's My Domain URL.",
	Fields:      []Need{req(FieldLoginURL), opt(FieldMyDomainURL), req(FieldClientID), req(FieldClientSecret), opt(FieldScopes)},
	Server:      true,
	Refresh:     RefreshNever,
	Renew:       "ask again",
	AppSettings: []string{"client-credentials", "client-credentials-user", "scopes", "session-timeout"},
	step:        (*session).clientCredentials,
}

// clientCredentials runs the client credentials flow (reference §3.6). It works only on the
// org's My Domain host; login.salesforce.com and test.salesforce.com answer "request not
// supported on this domain". The form is the one x/oauth2/clientcredentials sends (see
// oauth2Config for why we send it ourselves); client auth in the body, or Basic.
func (s *session) clientCredentials(ctx context.Context) (*TokenResponse, error) {
	if s.req.ClientSecret == "" {
		return nil, errors.New("the client credentials flow needs the consumer secret: set --client-secret (or SF_CLIENT_SECRET)")
	}
	tokenURL := s.ep.Token
	if s.req.MyDomainURL != "" && s.req.Endpoints.Token == "" {
		tokenURL = SalesforceEndpoints(s.req.MyDomainURL).Token
	} else if isGenericLoginHost(s.req.LoginURL) {
		return nil, errors.New("the client credentials flow works only on the org's My Domain URL, not " + s.req.LoginURL +
			": set --login-url (or --my-domain-url) to https://YOURDOMAIN.my.salesforce.com")
	}
	form := newForm("grant_type", "client_credentials")
	if len(s.req.Scopes) > 0 {
		form = form.add("scope", strings.Join(s.req.Scopes, " "))
	}
	s.report("requesting", "requesting a token for the app's Run As user at ", tokenURL)
	tr, err := s.postTokenTo(ctx, "token", tokenURL, form, true)
	var oe *OAuthError
	if errors.As(err, &oe) && strings.Contains(strings.ToLower(oe.Description), "not supported on this domain") {
		oe.Description += " (client credentials need the org's My Domain URL, not the generic login host)"
	}
	return tr, err
}

func isGenericLoginHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return h == "login.salesforce.com" || h == "test.salesforce.com"
}
